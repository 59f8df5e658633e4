"""A page's body in its two parts: the abstract, and a person's notes under `## Notes`.

Ingest follows the dumps in the abstract and keeps the notes; the build shows them apart,
and search and tag evaluation read the abstract alone.
"""

from __future__ import annotations

import re

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

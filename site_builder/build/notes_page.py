"""The notes page: every paper a person wrote notes on (`notes:`, `## Notes`; render/notes.py),
in one list — `notes.html`, numbered pages under `notes/page/` as the home page's — and one
feed, `notes.xml`, so a reading group sees in one place what it has read and said.

Listing order, as every list: notes carry no date of their own, and the listing day is the
one date every noted paper has. Every page's footer links the page, the home page's
"Browse" line and each paper's notes too. A site with no notes has no page and no feed, and
no page links them (SitePlan.notes_page is empty): no dead link, no empty page offered to
search engines. Pure functions on the plan's pages; jobs.py renders, declare.py declares.
"""

from __future__ import annotations

from collections.abc import Sequence

from site_builder.build.layout import Listing, PathOf, paginate
from site_builder.core.model import Page

NOTES_TITLE = "Reading notes"  # the page's title, and the footer's link to it


def noted_pages(ordered: Sequence[Page]) -> tuple[Page, ...]:
    """The pages with notes, in the order given (listing order)."""
    # Imported here: render/notes.py loads markdown-it, which a build with nothing to plan
    # never needs (declare.py imports this module).
    from site_builder.build.render.notes import has_notes

    return tuple(page for page in ordered if has_notes(page))


def notes_listings(noted: Sequence[Page], per_page: int) -> tuple[Listing, ...]:
    """The notes page and its numbered pages; none at all without a noted paper."""
    return tuple(paginate(noted, per_page, PathOf("notes"))) if noted else ()


def notes_folders(listings: Sequence[Listing]) -> list[tuple[str, str, str]]:
    """(path, target, title) of the folders a reader trims a numbered page's address to
    (`notes/page/2.html` → `notes/page/`, `notes/`): both lead to the notes page."""
    if len(listings) < 2:
        return []
    front = listings[0].path
    return [("notes/index.html", front, NOTES_TITLE), ("notes/page/index.html", front, NOTES_TITLE)]

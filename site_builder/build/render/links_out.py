"""Links out of a paper page: arXiv, its PDF, Hugging Face papers and a scholar search.

Which links, in what order, is `links_out:` in site.yaml. The arXiv links go to the
abstract page (and PDF) when an arXiv id is known — from the page's `arxiv:` field or its
`links:` (the listing's link to the paper, or one a person added) — and otherwise to an
arXiv title search; the PDF link needs an id and is left out without one. The others search
by title, which always finds the paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import quote_plus

from site_builder.build.render.notes import abstract_of
from site_builder.core.model import Page

# New-style ids (2301.01234, with an optional version) and old-style ones (cs/0112017).
_ID = r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
ARXIV_ID = re.compile(rf"(?:arxiv\.org/(?:abs|pdf)/|\barxiv:\s*)({_ID})", re.IGNORECASE)
BARE_ID = re.compile(_ID, re.IGNORECASE)
VERSION = re.compile(r"v\d+$")


class LinkOut(NamedTuple):
    """One link out: its label and where it goes."""

    label: str
    url: str


def arxiv_id(page: Page) -> str | None:
    """The paper's arXiv id: the page's own `arxiv:` field first, then its links. Not an id
    its abstract names, nor a link ingest found there: an abstract cites other papers ("we
    extend arXiv:2301.01234"), and the page got the cited paper's arXiv and PDF links."""
    field = page.extra.get("arxiv")  # quoted: YAML reads 2301.01230 unquoted as a number
    if isinstance(field, str):
        text = field.strip()
        if BARE_ID.fullmatch(text):
            return text
        # As arXiv prints it (`arXiv:2406.06647`), or its address: it was dropped in silence
        written = ARXIV_ID.fullmatch(text) or ARXIV_ID.search(text) if "arx" in text.lower() else None
        if written:
            return written.group(1)
    # Every match holds "arx" in some case (under IGNORECASE, a, r and x have no other forms);
    # most links do not: search asks this of every page on every build.
    for link in page.links:
        found = ARXIV_ID.search(link) if "arx" in link.lower() else None
        if found and not (link in page.body and link in abstract_of(page.body)):
            return found.group(1)
    return None


def unversioned(arxiv: str) -> str:
    """An arXiv id without its version (`2401.01234v2` → `2401.01234`): the paper, any version."""
    return VERSION.sub("", arxiv)


def links_out(page: Page, names: Iterable[str], found: str | None) -> list[LinkOut]:
    """The page's links out, in the order of `names` (the names config.LINKS_OUT allows);
    `found`: its `arxiv_id` (the citation needs it too)."""
    title = quote_plus(page.title)
    paper = unversioned(found) if found and "/" not in found else None  # new-style ids only
    made: dict[str, LinkOut | None] = {
        "arxiv": LinkOut(f"arXiv {found}", f"https://arxiv.org/abs/{found}")
        if found
        else LinkOut("arXiv search", f"https://arxiv.org/search/?query={title}&searchtype=title"),
        "arxiv-pdf": LinkOut("PDF", f"https://arxiv.org/pdf/{found}") if found else None,
        # Hugging Face's page of an arXiv paper is at its id (without the version); else a search.
        "huggingface": LinkOut("Hugging Face papers", f"https://huggingface.co/papers/{paper}")
        if paper
        else LinkOut("Hugging Face search", f"https://huggingface.co/papers?q={title}"),
        "semantic-scholar": LinkOut(
            "Semantic Scholar search", f"https://www.semanticscholar.org/search?q={title}"
        ),
        "google-scholar": LinkOut("Google Scholar search", f"https://scholar.google.com/scholar?q={title}"),
    }
    return [link for name in names if (link := made[name]) is not None]

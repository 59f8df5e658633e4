"""Links out of a paper page: arXiv, its PDF, Hugging Face papers and a scholar search.

Which links, in what order, is `links_out:` in site.yaml. The arXiv links go to the
abstract page (and PDF) when an arXiv id is known — from the page's `arxiv:` field or its
`links:` (the listing's link to the paper, or one a person added: an arXiv address, or the
paper's Hugging Face page, which is at its id) — and otherwise to an arXiv title search;
the PDF link needs an id and is left out without one. The others search by title, which
always finds the paper. An `arxiv:` that names no id is said (`unread_arxiv_fields`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple
from urllib.parse import quote_plus

from site_builder.build.render.notes import abstract_of
from site_builder.core.errors import Problem
from site_builder.core.model import Page

# New-style ids (2301.01234, with an optional version) and old-style ones (cs/0112017).
_ID = r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
ARXIV_ID = re.compile(rf"(?:arxiv\.org/(?:abs|pdf)/|\barxiv:\s*)({_ID})", re.IGNORECASE)
BARE_ID = re.compile(_ID, re.IGNORECASE)
# Hugging Face's page of a paper is at its arXiv id (new-style ids only): the address a
# reader of its daily papers has at hand.
HF_PAPER = re.compile(r"\b(?:huggingface|hf)\.co/papers/(\d{4}\.\d{4,5})(?![\d.])", re.IGNORECASE)
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
        # As arXiv prints it (`arXiv:2406.06647`), or an address: it was dropped in silence
        if written := _written_id(text):
            return written
    for link in page.links:
        found = _written_id(link)
        if found and not (link in page.body and link in abstract_of(page.body)):
            return found
    return None


def _written_id(text: str) -> str | None:
    """The id in an arXiv id as arXiv prints it, an arXiv address or a Hugging Face paper's.
    Every match holds "arx" or ".co/" in some case (under IGNORECASE, a, r, x, c, o, . and /
    have no other forms); most links hold neither: search asks this of every page on every
    build."""
    low = text.lower()
    found = (ARXIV_ID.fullmatch(text) or ARXIV_ID.search(text)) if "arx" in low else None
    found = found or (HF_PAPER.search(text) if ".co/" in low else None)
    return found.group(1) if found else None


def unread_arxiv_fields(pages: Iterable[Page], labels: Mapping[str, str]) -> list[Problem]:
    """A warning for each page whose `arxiv:` text names no arXiv id (`labels`: slug → page
    file). It was ignored without a word: the page linked an arXiv title search, and had no
    PDF, BibTeX or feed enclosure. Placed on the page, at line 0 (the caller finds the key's)."""
    problems = []
    for page in pages:
        field = page.extra.get("arxiv")
        if not isinstance(field, str) or not field.strip() or BARE_ID.fullmatch(field.strip()):
            continue
        if _written_id(field) is None:
            message = (
                f"'arxiv': {field!r} names no arXiv id, so the page links an arXiv title search "
                "(no PDF, no BibTeX): write the id in quotes, such as '2401.01234', or the paper's "
                "arXiv or Hugging Face address"
            )
            where = labels.get(page.slug, f"content/papers/{page.slug}.md")
            problems.append(Problem(where, 0, message, "warning"))
    return problems


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

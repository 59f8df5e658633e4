"""How a paper page cites its paper: a line of text, BibTeX when its arXiv id is known, and
schema.org data for search engines.

A reader who copies a citation wants the paper, not this listing of it: with an arXiv id
(links_out.arxiv_id) the text names `arXiv:ID` and its abstract page first, as arXiv's own
citations do, and the page offers a BibTeX entry that citation managers import. Authors are
named where the page knows them (arXiv's listings give them; other dumps do not, and a
manager fills them from the eprint).
"""

from __future__ import annotations

import re
from typing import Any

from site_builder.build.layout import absolute, paper_path
from site_builder.build.render.links_out import unversioned
from site_builder.build.render.tex_text import math_commands
from site_builder.core.config import SiteConfig
from site_builder.core.model import Page, show_date

# What LaTeX reads as commands in a title: each written so that it prints as itself.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX)) + "]")
# What pdfLaTeX's UTF-8 input cannot set, and a title shows (a formula `tex_text` turned into
# characters, or pasted so): `$\alpha$-Entmax` is `α-Entmax` on the page, and a BibTeX
# entry holding the α stopped pdflatex ("Unicode character α not set up for use with LaTeX").
_UNSET = math_commands()
_UNSET_CHARACTER = re.compile("[" + re.escape("".join(sorted(_UNSET))) + "]")
_ENDS_A_SENTENCE = (".", "?", "!", "…", "。", "？", "！", "؟")  # no "？." after a Chinese title
_NEW_STYLE = re.compile(r"(\d{2})\d{2}\.\d{4,5}")  # YYMM.NNNNN
_OLD_STYLE = re.compile(r"[a-z-]+(?:\.[A-Z]{2})?/(\d{2})\d{5}", re.IGNORECASE)  # cs/YYMMNNN
NAMED = 10  # a citation names this many authors, then "et al."; so does the paper page (`authors_named`)


def author_text(authors: tuple[str, ...]) -> str:
    """Names as a citation gives them: `A`, `A and B`, `A, B, and C`; past NAMED, the first
    NAMED and `et al.`"""
    if len(authors) > NAMED:
        return ", ".join(authors[:NAMED]) + ", et al."
    if len(authors) <= 2:
        return " and ".join(authors)
    return ", ".join(authors[:-1]) + ", and " + authors[-1]


def citation(config: SiteConfig, page: Page, arxiv: str | None) -> str:
    """A plain-text citation: the authors when known, the title, `arXiv:ID` and its abstract
    page when known, the first listing date and this page's absolute URL (none while
    `base_url` is the placeholder: a reader of a copy built so, offline say, copied an
    example.org address)."""
    first = page.first_listed
    names = author_text(page.authors)
    by = f"{names}{'' if names.endswith('.') else '.'} " if names else ""
    title = page.title if page.title.endswith(_ENDS_A_SENTENCE) else page.title + "."
    paper = f" arXiv:{arxiv}, https://arxiv.org/abs/{arxiv}." if arxiv else ""
    listed = f" Listed {show_date(first)}." if first else ""
    here = f" {absolute(config, paper_path(page.slug))}" if config.published_url else ""
    return f"{by}{title}{paper}{listed}{here}"


def bibtex(page: Page, arxiv: str | None) -> str | None:
    """A BibTeX `@misc` entry for an arXiv paper (None without an id), its title braced so
    that styles keep its capitals, and LaTeX's special characters escaped."""
    if not arxiv:
        return None
    bare = unversioned(arxiv)
    fields = [("title", "{" + latex_text(page.title) + "}")]
    if page.authors:  # BibTeX's own separator; a name is written as LaTeX prints it
        fields.append(("author", " and ".join(bibtex_name(name) for name in page.authors)))
    year = arxiv_year(bare)
    if year:
        fields.append(("year", str(year)))
    fields += [("eprint", bare), ("archivePrefix", "arXiv"), ("url", f"https://arxiv.org/abs/{bare}")]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{arxiv-{bare.replace('/', '-')},\n{body}\n}}"


# A name BibTeX must not take apart: one holding the word "and" (its separator) or a comma
# (its "Last, First"), or a group's ("Qwen Team", "The ATLAS Collaboration"), whose last
# word styles would print as a surname and initials ("Q. Team").
_WHOLE_NAME = re.compile(
    r"(?i:\band\b)|,|\sAI$|\s(?i:team|collaboration|consortium|group|labs?|laboratory|institute"
    r"|university|project|committee|contributors|community|foundation|inc\.?|ltd\.?)$"
)  # "AI" in capitals only: Ai is a surname


def bibtex_name(name: str) -> str:
    """An author as BibTeX's `author` field lists it: LaTeX's special characters escaped, and
    a name it would split or misread braced whole, as BibTeX writes corporate authors."""
    text = latex_text(name)
    return "{" + text + "}" if _WHOLE_NAME.search(name) else text


def latex_text(text: str) -> str:
    """The text as LaTeX prints it: its special characters escaped, and the characters a
    formula becomes on the page written as LaTeX again (Latin letters with accents, dashes
    and quotes pass: LaTeX reads them; a Greek letter is written as a formula's)."""
    text = _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group(0)], text)
    return _UNSET_CHARACTER.sub(lambda m: _UNSET[m.group(0)], text)


def arxiv_year(arxiv: str) -> int | None:
    """The year an arXiv id was given (its first two digits: 2401.01234 is from 2024; old
    style cs/0112017 from 2001, the archive starting in 1991)."""
    found = _NEW_STYLE.fullmatch(arxiv) or _OLD_STYLE.fullmatch(arxiv)
    if found is None:
        return None
    yy = int(found.group(1))
    return 1900 + yy if yy >= 91 else 2000 + yy


def scholarly_article(
    config: SiteConfig, page: Page, arxiv: str | None, description: str, keywords: list[str]
) -> dict[str, Any]:
    """The page as a schema.org `ScholarlyArticle` (JSON-LD), what a search engine reads for a
    paper: its title, its authors when known, description, first listing day, tags, and the
    arXiv paper it is (`sameAs`) when its id is known."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": page.title,
        "name": page.title,
        **({"author": [{"@type": "Person", "name": name} for name in page.authors]} if page.authors else {}),
        "description": description,
        "url": absolute(config, paper_path(page.slug)),
        "isPartOf": {"@type": "WebSite", "name": config.title, "url": absolute(config, "")},
    }
    if page.first_listed:
        data["datePublished"] = page.first_listed.isoformat()
    if keywords:
        data["keywords"] = keywords
    if arxiv:
        bare = unversioned(arxiv)  # the paper, whichever version the page names
        data["identifier"] = f"arXiv:{bare}"
        data["sameAs"] = f"https://arxiv.org/abs/{bare}"
    return data

"""Pastes that are not a listing of titles and abstracts, named for what they are: a BibTeX
or Zotero export, a Markdown reading list, a Google Scholar alert, a Semantic Scholar feed,
an OpenReview venue page, Papers with Code's trending list. Read by shape, each made pages
of its fields and buttons (`@misc{yang_are_2024,` over `title = {…}`, `Save Twitter
LinkedIn Facebook` over the next paper's title, `Readers: Everyone` over `Hide details`),
and lost or cut the papers it held (a reviewer). Such a dump is refused whole, at its first
telling line, with what to paste instead; arXiv's own listings are read (dumps/arxiv.py).
"""

from __future__ import annotations

import re
from itertools import islice

from site_builder.ingest.dumps.lines import Line

INSTEAD = (
    "paste a listing of each paper's title and abstract instead (a daily-papers page, arXiv's "
    "/new list or its e-mail digest); the file is skipped"
)
HEAD = 60  # text lines read for a telling line
SHORT = 400  # characters at most in one
# (what the paste is, a line only it has, how many of those make it one)
_KINDS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    (
        "a BibTeX export (a reference manager's `@article{…}`), not a listing",
        re.compile(r"@[A-Za-z]+\s*\{\s*[^\s,{}]*,|\s*(?:title|author|abstract|eprint|journal)\s*=\s*[{\"].*"),
        2,
    ),
    (
        "a list of links (`- [Title](https://…)`) with no abstracts, not a listing",
        re.compile(r"(?:[-*+]|\d+[.)])\s+\[[^\]]+\]\(https?://[^)\s]+\).*"),
        2,
    ),
    (
        "a Google Scholar alert: its snippets are cut short (…), not abstracts",
        re.compile(  # its subject, its sender, its button row: not a title that names it
            r"scholar alert\s*[-:\u2013]\s*\[.*|google scholar alerts(?:\s*<[^<>\s]+>)?"
            r"|save\s+twitter\s+linkedin\s+facebook",
            re.I,
        ),
        1,
    ),
    (
        "a Semantic Scholar feed: its TLDRs are one-line summaries, not abstracts",
        re.compile(
            r"your research feed|semantic scholar\s+[·•|]\s+allen institute for ai\b.*", re.I
        ),  # its footer
        1,
    ),
    (
        "an OpenReview venue page: its abstracts are behind `Show details`, its lines are fields",
        re.compile(r"readers:\s+everyone|published:\s.*,\s+last modified:\s.*", re.I),
        1,
    ),
    (
        "a Papers with Code list: its repositories, tasks and star counts read as papers",
        re.compile(r"[\d.,]+\s+stars\s*/\s*hour|[\w.-]+/[\w.-]+\s+•\s+\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}"),
        2,
    ),
)


def not_a_listing(lines: list[Line]) -> tuple[int, str] | None:
    """(the first telling line, what to say) when the dump is one of those pastes; else None."""
    # Its first lines tell (a header, the first record), and they are short (fields, buttons,
    # a footer): looking through every line of every dump, abstracts included, made parsing
    # the 10,000-paper bench corpus's dumps a fifth slower.
    first = islice((line for line in lines if line.kind == "text"), HEAD)
    text = [line for line in first if len(line.text) <= SHORT]
    for what, telling, enough in _KINDS:
        found = [line.number for line in text if telling.fullmatch(line.text)]
        if len(found) >= enough:
            return found[0], f"{what}: {INSTEAD}"
    return None

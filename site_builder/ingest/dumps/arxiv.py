"""arXiv's own listings, as people paste them: a listing page (`/list/cs.CL/new`, `/recent`,
`/pastweek`) and the daily e-mail digest. Each paper is a record of labelled lines, not a
title over its abstract:

    [1] arXiv:2403.06201 [pdf, html, other]          \\\\
    Title: Are You Being Tracked? …                  arXiv:2403.06201
    Authors: Huanqi Yang, Sijie Ji                   Date: Sun, 10 Mar 2024 14:21:02 GMT   (1245kb,D)
    Comments: 6 pages, 4 figures                     Title: Are You Being Tracked? Discover the …
    Subjects: Computation and Language (cs.CL)         with LLMs!
    There is a burgeoning discussion …               Authors: …
                                                     \\\\
                                                       There is a burgeoning discussion …
                                                     \\\\ ( https://arxiv.org/abs/2403.06201 ,  1245kb)

Read by shape, every label line became a title and every abstract the abstract of
`Subjects: …` (a reviewer's 3 papers made 14 pages). Here a record gives its title (the
`Title:` line, continued on the digest's indented lines), its authors (`Authors:`, continued
so too: `author_names`), its abstract (the paragraph after the labels), and its arXiv id, a
link on its page; the other labels, the ids, `[pdf, other]` and sizes are left out. The
listing's date is the page's (`Showing new listings for Tuesday, 12 March 2024`, a section's
`Tue, 12 Mar 2024 (showing 25 of 97 entries)`), the digest's the end of the time its
submissions were received (`… to Mon 11 Mar 24 18:00:00 GMT`), else each paper's `Date:`. A
record without an abstract (a replacement, a listing of titles only) makes no page: one
warning names them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from site_builder.core.model import MONTHS
from site_builder.ingest.dumps.date_lines import DATE_LINE
from site_builder.ingest.dumps.decoding import LINE_END
from site_builder.ingest.dumps.lines import Line, clean

_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
# `[1] arXiv:2403.06201 (cross-list from cs.LG) [pdf, html, other]`, the digest's
# `arXiv:2403.05530 (*cross-listing*)`, or the id alone.
RECORD = re.compile(rf"(?:\[\d+\]\s*)?arXiv:{_ID}(?:\s*\([^()]*\))*\s*(?:\[[^\[\]]*\])?")
TITLE = re.compile(r"Title:\s*(?P<title>.*)")
AUTHORS = re.compile(r"Authors?:\s*(?P<authors>.*)")
LABEL = re.compile(r"[A-Z][A-Za-z-]*(?:\s\([^()]*\))?:(?:\s|$)")  # Authors:, Date (revised v2):
# arXiv's own labels, which no abstract line is (an abstract may begin `Background: …`)
OWN_LABEL = re.compile(
    r"(?:Title|Authors?|Comments|Subjects|Journal-ref|DOI|Report-no|MSC-class|ACM-class|Categories"
    r"|License|Date)(?:\s\([^()]*\))?:(?:\s|$)"
)
RULE = "\\\\"  # the digest's `\\` around a record's abstract
CLOSE = re.compile(rf"\\\\\s*\(\s*https?://arxiv\.org/abs/{_ID}\s*,.*\)")  # \\ ( https://…, 1245kb)
REPLACED = re.compile(r"replaced with revised version\b", re.IGNORECASE)
# A listing's date, as the page heads it or a section of it (`Showing new listings for
# Tuesday, 12 March 2024`, `New submissions for Tue, 12 Mar 24`, `Tue, 12 Mar 2024 (showing
# 25 of 97 entries )`), the digest's window (`received from … to Mon 11 Mar 24 18:00:00 GMT`)
# and a paper's `Date: Sun, 10 Mar 2024 14:21:02 GMT (1245kb,D)`.
_DAY = r"(?:[A-Z][a-z]{2,8},?\s+)?(?P<day>\d{1,2})\s+(?P<month>[A-Z][a-z]{2,8})\s+(?P<year>\d{4}|\d{2})"
HEADING = re.compile(
    rf"(?:(?:showing\s+new\s+listings|new\s+submissions|cross-lists|replacements)\s+for\s+)?"
    rf"{_DAY}(?:\s*\(showing\s.*\))?",
    re.IGNORECASE,
)
WINDOW = re.compile(rf"received\s+from\s+.*\sto\s+{_DAY}\s+\d\d:\d\d", re.IGNORECASE)
PAPER_DATE = re.compile(rf"Date:\s*{_DAY}\s+\d\d:\d\d")
SECTION = re.compile(
    r"(?:new|cross|replacement)\s+submissions\s*\(showing\b|total\s+of\s+\d+\s+entries"
    r"|\[\s*(?:showing|total\s+of)\b",  # the older page's `[ showing up to 2000 entries per page … ]`
    re.IGNORECASE,
)
LINK = "https://arxiv.org/abs/"


@dataclass(frozen=True)
class Paper:
    """One record with its abstract: the lines its title and abstract start at, and its id."""

    title_line: int
    title: str
    abstract_line: int
    abstract: str
    link: str
    authors: tuple[str, ...] = ()


@dataclass
class Listing:
    """What an arXiv paste holds, in the order of its lines: `(line, date line text)` and
    papers; the records without an abstract, as (line, id)."""

    items: list[tuple[int, str] | Paper] = field(default_factory=list)
    bare: list[tuple[int, str]] = field(default_factory=list)


def is_arxiv(lines: list[str]) -> bool:
    """An arXiv listing or digest: a record's id line with its `Title:` a few lines below."""
    for i, line in enumerate(lines):
        if RECORD.fullmatch(line) and any(TITLE.match(after) for after in lines[i + 1 : i + 4]):
            return True
    return False


def _date(match: re.Match[str]) -> str | None:
    """`Tue, 12 Mar 2024` from a match of _DAY, as date lines read it; None if no month."""
    month = match["month"][:3].title()
    if month not in MONTHS:
        return None
    year = match["year"] if len(match["year"]) == 4 else f"20{match['year']}"
    text = f"{match['day']} {month} {year}"
    return text if DATE_LINE.fullmatch(text) else None


class _Reader:
    """The raw lines (indentation kept: the digest continues a label on an indented line)."""

    def __init__(self, text: str) -> None:
        self.raw = LINE_END.split(text.removeprefix("\ufeff"))
        self.text = [clean(line) for line in self.raw]
        self.listing = Listing()
        self.window = False  # the digest said when its submissions were received

    def read(self) -> Listing:
        i = 0
        while i < len(self.text):
            line = self.text[i]
            if match := RECORD.fullmatch(line):
                i = self._record(i, match)
                continue
            if TITLE.fullmatch(line):  # a record whose id line was lost: read, without a link
                i = self._record(i - 1, None)
                continue
            self._date(i, line)
            i += 1
        return self.listing

    def _date(self, i: int, line: str) -> None:
        match = WINDOW.search(line) or HEADING.fullmatch(line)
        if match and (text := _date(match)):
            self.window = self.window or WINDOW.search(line) is not None
            self.listing.items.append((i + 1, text))

    def _record(self, start: int, match: re.Match[str] | None) -> int:
        """Read the record whose id line is at `start` (None: whose `Title:` is after it, its
        id line lost); the index of the line after it. Its
        labels come first; its abstract after the digest's `\\` line, or on a listing page
        after its `Subjects:` line, up to the next record, section or the page's footer."""
        title, title_line, label, authors = "", 0, "", ""
        replaced = match is not None and "(replaced)" in match[0]
        abstract: list[str] = []
        abstract_line, state = 0, "labels"  # then "digest" or "page": the abstract's lines
        i = start + 1
        while i < len(self.text):
            line, raw = self.text[i], self.raw[i]
            if RECORD.fullmatch(line):
                break
            if CLOSE.fullmatch(line):
                i += 1
                break
            if not line:
                pass
            elif state == "labels" and _ends_listing(line):
                break
            elif state != "labels":
                # A line pasted twice, or a record's lost id line, costs only that record: a
                # `Title:` starts the next record, another label of arXiv's is skipped, and the
                # page's footer (short lines, its `Total of N entries` lost) ends the abstract.
                if state == "page" and (_ends_listing(line) or self._footer(i) or TITLE.fullmatch(line)):
                    break
                if OWN_LABEL.match(line):
                    i += 1
                    continue
                abstract_line = abstract_line or i + 1
                abstract.append(line)
            elif line == RULE:
                state = "digest" if title else state
            # the digest continues a label on an indented line, which may read `Reasoning: …`
            elif raw[:1].isspace() and label and not OWN_LABEL.match(line):
                title = f"{title} {line}" if label == "title" else title
                authors = f"{authors} {line}" if label == "authors" else authors
            elif found := TITLE.fullmatch(line):
                title, title_line, label = found["title"], i + 1, "title"
            elif found := AUTHORS.fullmatch(line):
                authors, label = found["authors"], "authors"
            elif LABEL.match(line):
                label = line.split(":", 1)[0].split()[0].casefold()
                state = "page" if label == "subjects" and title else state
                if label == "date" and not self.window and (day := PAPER_DATE.match(line)):
                    self._paper_date(i, day)
            elif REPLACED.match(line):
                replaced = True
            i += 1  # else a line without a label (the authors on a /pastweek page): left out
        if title and abstract and not replaced:
            link = LINK + match["id"] if match else ""  # its id line lost: no link
            names = author_names(authors)
            self.listing.items.append(
                Paper(title_line, title, abstract_line, " ".join(abstract), link, names)
            )
        elif match:
            self.listing.bare.append((start + 1, f"arXiv:{match['id']}"))
        else:
            self.listing.bare.append((start + 2, f"{title[:60]!r}"))
        return i

    def _footer(self, i: int) -> bool:
        """Line `i` on a listing page begins what is after its last abstract (the page's
        footer, its `Total of 4 entries` lost): a line shorter than a sentence of an abstract
        (`Which authors of this paper are endorsers?`) followed by more of them (`About`). A
        short paragraph of an abstract (its first, `Code: https://…` last) is followed by
        more of it, the next record or section, or nothing."""
        if not _is_footer(self.text[i]):
            return False
        after = next((self.text[j] for j in range(i + 1, len(self.text)) if self.text[j]), "")
        return bool(after) and _is_footer(after) and not (RECORD.fullmatch(after) or _ends_listing(after))

    def _paper_date(self, i: int, day: re.Match[str]) -> None:
        """A digest's record's own `Date:`, where the digest did not say when it was sent."""
        if text := _date(day):
            self.listing.items.append((i + 1, text))


# An affiliation or a note in parentheses (`Jane Doe (1)`, `(Stanford)`, the digest's closing
# `((1) Stanford, (2) MIT)`), innermost first; the words between names; what is no name.
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
_BETWEEN_NAMES = re.compile(r"\s*(?:[,;]|&|\band\b)\s*", re.IGNORECASE)
_NO_NAME = re.compile(r"et\.?\s*al\.?|others", re.IGNORECASE)


def author_names(text: str) -> tuple[str, ...]:
    """An `Authors:` line as names: `A (1), B and C (2) ((1) MIT, (2) ETH)` → A, B, C. Names
    are split at commas, semicolons, `&` and `and` (`A, B, and C`); affiliations and notes in
    parentheses are left out, and a name keeps its own spaces, hyphens and initials."""
    while (stripped := _PARENTHESES.sub("", text)) != text:
        text = stripped
    names = (" ".join(name.split()) for name in _BETWEEN_NAMES.split(text))
    return tuple(name for name in names if name and not _NO_NAME.fullmatch(name))


def _ends_listing(line: str) -> bool:
    """A listing's next section (`Cross submissions (showing 1 of 1 entries)`, a date) or the
    page's `Total of 4 entries`: no line of a record."""
    return (
        SECTION.match(line) is not None
        or HEADING.fullmatch(line) is not None
        or WINDOW.search(line) is not None
    )


def _is_footer(line: str) -> bool:
    """A line after a listing's last abstract that is not more of it: shorter than a
    sentence of an abstract (`Which authors of this paper are endorsers?`, `About`)."""
    return len(line) < 80


def read_arxiv(text: str, read: Sequence[Line]) -> Listing | None:
    """The papers of an arXiv listing page or e-mail digest, or None for any other dump.
    `read`: the dump's lines as the line reader gave them; a dump none of whose lines is a
    `Title:` is no such listing, and is not read again (looking through every dump's text
    for `arXiv:` cost the bench corpus's parsing a tenth)."""
    if not any(line.text.startswith("Title:") for line in read):
        return None
    reader = _Reader(text)  # its lines split and cleaned once, for the test and the reading
    return reader.read() if is_arxiv(reader.text) else None


def bare_message(bare: list[tuple[int, str]]) -> str:
    """What is said of a listing's records without an abstract: how many, and the first."""
    n = len(bare)
    return (
        f"{n} arXiv entr{'y' if n == 1 else 'ies'} without an abstract (the first: {bare[0][1]}), a "
        "replacement or a listing of titles only (/pastweek, /recent): a page needs the abstract, "
        "which the /new listing and the e-mail digest carry; skipped"
    )

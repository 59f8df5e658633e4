"""Dump files → Entry list, plus the problems found on the way.

A dump is the text of a "daily papers" listing page: a small header ending in the
listing date (`Mar 12`), then non-empty lines: title, abstract, title, abstract. Real
pastes lose and add lines, so lines are not simply paired: each is classified by its
shape (an abstract is long, made of sentences; a title is short and is not), and entries
are aligned so that one extra or missing line costs at most the entry it is in:

- a second abstract-shaped line after an abstract is a paragraph of that abstract:
  joined to it, with a warning at its line;
- a title followed by another title (the next line then being an abstract) lost its
  abstract: reported at its line and skipped — also when that abstract is one sentence,
  since a line cannot be both an abstract and the title its own abstract follows;
- an abstract-shaped line is never a title, so no slug is ever made from a sentence.

dumps/lines.py cleans the lines and tells chrome, headers and dates from text. The reader
never raises for bad input: every problem is a `Problem` at the line where it starts.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace

from site_builder.core.errors import Problem, Severity
from site_builder.core.model import FIRST_YEAR, LAST_YEAR, DateLine, Entry, Source, show_date
from site_builder.core.text import CONFLICT_MESSAGE, first_conflict
from site_builder.ingest.dumps.arxiv import Listing, bare_message, read_arxiv
from site_builder.ingest.dumps.date_lines import (
    DATE_LINE,
    listing_of,
    misspelt_month,
    weekday_of,
    weekday_said,
)
from site_builder.ingest.dumps.decoding import decode
from site_builder.ingest.dumps.elsewhere import not_a_listing
from site_builder.ingest.dumps.lines import (
    HTML_SOURCE,
    LETTER,
    Line,
    html_source,
    is_author_list,
    read_lines,
    stray_between,
    text_line,
    unwrapped,
    wrapped_width,
)
from site_builder.ingest.dumps.shapes import (
    ABSTRACT,
    EITHER,
    TITLE,
    reads_as_title,
    shape,
    starts_entry,
    title_cased,
)

COUNT_ONLY = re.compile(r"\d[\d,.]*")  # a line that is only a number: a vote count, or "2048"
MAX_LINE_CHARS = 200_000  # 100 kB abstracts are fine; a 50 MB line is not an abstract


@dataclass
class DumpResult:
    """What one dump file gave: its entries, problems, and whether it could be read at all."""

    path: str
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True
    # Each listing's first date line (`--03-13` → its line, and the weekday it names, which
    # tells the year: dumps/dates.py).
    date_lines: dict[str, DateLine] = field(default_factory=dict)

    @classmethod
    def refused(cls, label: str, line: int, message: str) -> DumpResult:
        """A dump refused whole (a merge left unresolved, HTML source, no listing, too big):
        no entry, one error at `line`."""
        return cls(label, [], [Problem(label, line, message, "error")], False)


# --- text → lines → entries -----------------------------------------------------------------


class _Aligner:
    """Title and abstract lines → entries, one problem at the line where each starts."""

    def __init__(self, label: str, file_key: str) -> None:
        self.result = DumpResult(label)
        self.label, self.file_key = label, file_key
        self.listed = ""
        self.saw_date = False
        self.skipping = False  # after an impossible date, until the next good one
        self.pending: Line | None = None  # a title waiting for its abstract
        self.last: int | None = None  # index of the last entry: where a stray paragraph joins
        self.previous: Line | None = None  # the last line with letters since a date or header line

    def warn(self, line: int, message: str, severity: Severity = "warning") -> None:
        self.result.problems.append(Problem(self.label, line, message, severity))

    def orphan(self, why: str) -> None:
        if self.pending is not None:
            self.warn(
                self.pending.number, f"title without an abstract {why}: {self.pending.text[:60]!r}; skipped"
            )
            self.pending = None

    def boundary(self, why: str) -> None:
        """A date line or the page header: a title waiting is orphaned, and nothing before
        it can continue after it (a stray paragraph, a count under the names)."""
        self.orphan(why)
        self.last, self.previous = None, None

    def refuse_date(self, line: Line, why: str) -> None:
        """A date line that dates nothing: an error at it, and the entries under it wait
        until the next good one (listed under the day before, they would be wrong)."""
        self.warn(line.number, f"{why}; the entries after it are skipped", "error")
        self.listed, self.skipping = "", True

    def date(self, line: Line) -> None:
        self.boundary("before a date line")
        match = DATE_LINE.fullmatch(line.text)
        listed = listing_of(match) if match else None
        if listed is None:
            year = match and next((match[g] for g in ("iy", "year", "year2", "cy", "oy") if match[g]), None)
            in_range = not year or FIRST_YEAR <= int(year) <= LAST_YEAR
            why = "no such date" if in_range else f"a year outside {FIRST_YEAR}–{LAST_YEAR}"
            self.refuse_date(line, f"{why}: {line.text!r}")
            return
        self.listed, self.saw_date, self.skipping = listed, True, False
        weekday = weekday_of(match) if match else None
        yearless = listed.startswith("--")
        self.result.date_lines.setdefault(listed, DateLine(line.number, weekday if yearless else None))
        if weekday is None or yearless:
            return
        if (day := datetime.date.fromisoformat(listed)).weekday() != weekday:
            said = weekday_said(match) if match else ""
            self.warn(line.number, f"{said}, but {show_date(day)} is a {day:%A}: check the date")

    def text(self, line: Line, following: Line | None, beyond: Line | None) -> None:
        """One text line; `following` and `beyond` are the two text lines after it, if any."""
        if len(line.text) > MAX_LINE_CHARS:
            self.warn(
                line.number,
                f"line of {len(line.text):,} characters is too long to be a title or abstract "
                f"(limit {MAX_LINE_CHARS:,}); skipped",
                "error",
            )
            self.orphan("(its abstract was too long)")
            return
        after = shape(following.text) if following is not None else None
        if (
            self.pending is None
            and after in (TITLE, None)
            and (month := misspelt_month(line.text))
            and not (following is not None and is_author_list(following.text, _words_after(beyond, None)))
        ):
            # A title under it, not an abstract or authors: a date line gone wrong, not a
            # paper's title ("Marco 7").
            self.boundary("before a date line")
            self.refuse_date(
                line, f"{line.text!r} reads as a date line with a misspelt month ({month}?): correct it"
            )
            return
        if not LETTER.search(line.text):
            if self.pending is None and after not in (TITLE, None) and not self._a_count(line):
                self._expecting_title(line, after)  # where a title is ("2048", "404")
            return  # else a count, an emoji, a rule: chrome
        previous, self.previous = self.previous, line
        if self.pending is None:
            self._expecting_title(line, after)
        elif is_author_list(line.text, _words_after(following, beyond)):
            self.previous = previous  # the authors under the title: the abstract comes next
        elif self._next_title(line, following, beyond):
            # A title, then this short line, then an abstract: the first title lost its own,
            # unless that abstract is about it and not this line. (A one-sentence line here
            # is taken as the abstract: a slug is never made of a sentence that may belong to
            # an abstract.)
            if following is not None and stray_between(self.pending.text, line.text, following.text):
                self.previous = previous
                self.warn(
                    line.number,
                    f"not a title: {line.text[:60]!r}, above the abstract of the title before it; skipped",
                )
                return
            self.orphan("(the next line reads as a title)")
            self.pending = line
        else:
            self._add(self.pending, line)
            self.pending = None

    def repeat(self, line: Line) -> None:
        """A line pasted twice in a row, after the first was read: dropped, with a warning
        if it was a paragraph or a title (a repeated paragraph was joined to itself). The
        repeat of a line left out (authors), or already reported, goes without a word."""
        if self.pending is not None and self.pending.text == line.text:
            self.warn(line.number, f"the same title again: {line.text[:60]!r}; dropped")
        elif self.pending is None and self.last is not None:
            entry = self.result.entries[self.last]
            if entry.abstract.rsplit("\n\n", 1)[-1] == line.text:
                self.warn(
                    line.number, f"the same paragraph again for the abstract of {entry.title[:60]!r}; dropped"
                )

    def _a_count(self, line: Line) -> bool:
        """Whether a line of digits alone, where a title is due, is a vote count: so when the
        line before it is short and was taken as an abstract — the names under a title that
        were not read as such. As a title it made a page "42" holding that paper's abstract
        (a reviewer). After an abstract, it is a title ("2048")."""
        return (
            COUNT_ONLY.fullmatch(line.text) is not None
            and self.previous is not None
            and shape(self.previous.text) == TITLE
        )

    @staticmethod
    def _next_title(line: Line, following: Line | None, beyond: Line | None) -> bool:
        """Where an abstract is due: is this line the next paper's title, the pending one
        having lost its abstract? So when an abstract follows it — or a one-sentence line
        that does not start an entry itself, and this line reads as a title. Taken as the
        abstract, it gave the pending title the next paper's title as its abstract, and that
        paper's abstract as a second paragraph: the next paper was lost (a reviewer).

        Before another title-shaped line, or none (the end of the file, a date line), a line
        in Title Case is a title too: several abstracts were lost in a row, and each title
        became the abstract of the one before it, silently (a reviewer's `sed '13d;17d'`)."""
        if shape(line.text) != TITLE:
            return False
        if following is None:
            return title_cased(line.text)
        after = shape(following.text)
        if after == TITLE:
            return title_cased(line.text) and title_cased(following.text)
        if after == ABSTRACT:
            return True
        beyond_shape = shape(beyond.text) if beyond is not None else None
        return (
            after == EITHER
            and reads_as_title(line.text)
            and not starts_entry(following.text, beyond_shape, first=False)
        )

    def _expecting_title(self, line: Line, after: str | None) -> None:
        if starts_entry(line.text, after, first=self.last is None):
            self.pending = line
        elif self.last is not None:
            entry = self.result.entries[self.last]
            self.result.entries[self.last] = replace(entry, abstract=f"{entry.abstract}\n\n{line.text}")
            self.warn(
                line.number, f"a second paragraph for the abstract of {entry.title[:60]!r}; joined to it"
            )
        else:
            self.warn(line.number, f"an abstract without a title: {line.text[:60]!r}; skipped")

    def _add(
        self, title: Line, abstract: Line, links: tuple[str, ...] = (), authors: tuple[str, ...] = ()
    ) -> None:
        if title.bad or abstract.bad or self.skipping:
            self.last = None  # reported already, with the bad line
            return
        self.result.entries.append(
            Entry(title.text, abstract.text, Source(self.file_key, title.number, self.listed), links, authors)
        )
        self.last = len(self.result.entries) - 1

    def finish(self) -> DumpResult:
        self.orphan("at the end of the file")
        if not self.result.entries and not self.result.problems:
            self.warn(0, "no papers found (empty file?)")
        elif self.result.entries and not self.saw_date:
            self.warn(
                1,
                "no listing date header (a line such as 'Mar 12' before the first title); "
                "dated by the file name, or else the day each paper is first ingested",
            )
        elif undated := [e for e in self.result.entries if not e.source.listed]:
            self.warn(  # a date line further down does not date what comes before it
                undated[0].source.line,
                f"{len(undated)} entr{'y' if len(undated) == 1 else 'ies'} before the first date line; "
                "dated by the file name, or else the day each paper is first ingested",
            )
        return self.result


def _words_after(following: Line | None, beyond: Line | None) -> str:
    """The first of the two lines after a line that has letters (a count may come between
    the authors under a title and its abstract), or ""."""
    ahead = [line.text for line in (following, beyond) if line is not None and LETTER.search(line.text)]
    return ahead[0] if ahead else ""


def without_repeats(lines: list[Line]) -> tuple[list[Line], dict[int, list[Line]]]:
    """The lines but for a text line that repeats the one right before it (a paragraph pasted
    twice), and those repeats by the index of the line they repeat. Read in place, a repeat
    was a second paragraph, and made the line before it a title (an abstract followed it)."""
    kept: list[Line] = []
    repeats: dict[int, list[Line]] = {}
    for line in lines:
        before = kept[-1] if kept else None
        if (
            before is not None
            and line.kind == before.kind == "text"
            and line.text == before.text
            and LETTER.search(line.text)
            and not (line.bad or before.bad)
        ):
            repeats.setdefault(len(kept) - 1, []).append(line)
        else:
            kept.append(line)
    return kept, repeats


def parse_text(text: str, label: str, file_key: str, bad: frozenset[int] = frozenset()) -> DumpResult:
    """Parse a dump's text. `label` names the file in messages; `file_key` goes into Source.
    A dump holding a merge left unresolved is refused whole: which side is right is for a
    person to say, and its markers read as titles."""
    lines = list(read_lines(text, bad))
    conflict = first_conflict((line.number, line.text) for line in lines)
    if conflict is not None:
        message = CONFLICT_MESSAGE.format(marker=conflict[1]) + "; the file is skipped"
        return DumpResult.refused(label, conflict[0], message)
    if (markup := html_source(lines)) is not None:
        return DumpResult.refused(label, markup, HTML_SOURCE)
    if (other := not_a_listing(lines)) is not None:
        return DumpResult.refused(label, *other)
    aligner = _Aligner(label, file_key)
    if (listing := read_arxiv(text, lines)) is not None:
        return _arxiv(aligner, listing, bad)
    width = wrapped_width(text)
    if width:
        lines = list(read_lines(unwrapped(text, width), bad))
        message = (
            f"lines wrapped at about {width} characters (as an email gives them): each run of "
            "lines up to a blank line is read as one title or abstract"
        )
        aligner.warn(1, message)
    lines, repeats = without_repeats(lines)
    for i, line in enumerate(lines):
        if line.kind == "header":
            aligner.boundary("before the page header")
        elif line.kind == "date":
            aligner.date(line)
        else:
            following, beyond = (text_line(lines, i + 1), text_line(lines, i + 2))
            aligner.text(line, following, beyond if following is not None else None)
        for repeat in repeats.get(i, ()):
            aligner.repeat(repeat)
    return aligner.finish()


def _arxiv(aligner: _Aligner, listing: Listing, bad: frozenset[int]) -> DumpResult:
    """An arXiv listing page or digest (dumps/arxiv.py): its papers as read, each with its
    arXiv link, under its dates."""
    for item in listing.items:
        if isinstance(item, tuple):
            aligner.date(Line(item[0], item[1], "date"))
        else:
            title = Line(item.title_line, item.title, "text", item.title_line in bad)
            aligner._add(
                title,
                Line(item.abstract_line, item.abstract, "text", item.abstract_line in bad),
                (item.link,) if item.link else (),
                item.authors,
            )
    if listing.bare:
        aligner.warn(listing.bare[0][0], bare_message(listing.bare))
    return aligner.finish()


def parse_dump(data: bytes, label: str, file_key: str) -> DumpResult:
    """Parse a dump file's bytes. `label` names the file in messages; `file_key` goes into Source."""
    text, problems, bad = decode(data, label)
    if text is None:
        return DumpResult(label, [], problems, False)
    result = parse_text(text, label, file_key, bad)
    # In the order of their lines: a title is found orphaned only at the line after it
    # (a reviewer saw line 3's message before line 2's).
    result.problems = sorted([*problems, *result.problems], key=lambda problem: problem.line)
    return result

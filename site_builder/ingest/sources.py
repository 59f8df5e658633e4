"""Dump files → Entry list, plus the problems found on the way.

A dump is the text of a "daily papers" listing page: a small header ending in the
listing date (`Mar 12`), then non-empty lines: title, abstract, title, abstract. Real
pastes lose and add lines, so lines are not simply paired: each is classified by its
shape (an abstract is long, made of sentences; a title is short and is not), and entries
are aligned so that one extra or missing line costs at most the entry it is in:

- a second abstract-shaped line after an abstract is a paragraph of that abstract:
  joined to it, with a warning at its line;
- a title followed by another title (the next line then being an abstract) lost its
  abstract: reported at its line and skipped;
- an abstract-shaped line is never a title, so no slug is ever made from a sentence.

Lines end only at `\\n`, `\\r\\n` and `\\r`; form feeds, `\\v`, U+0085 and U+2028/2029 inside
a line (common in text scraped from PDFs and JSON) are spaces, other control characters
are dropped. The reader never raises for bad input: every problem is a `Problem` at the
line where it starts.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.core.content_files import files_in, label_of
from site_builder.core.errors import Problem, Severity
from site_builder.core.model import FIRST_YEAR, LAST_YEAR, Entry, Source, month_number
from site_builder.core.text import CONFLICT_MESSAGE, CONTROL, conflict_marker
from site_builder.ingest.decoding import LINE_END, decode

# Lines of the listing page's chrome: recognised wherever they appear, not only by position.
HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "byak and the research community",
        "daily papers",
    }
)
# Lines of the page's chrome that a select-all paste carries (Hugging Face Papers' desktop
# and mobile layouts, its footer and navigation), each whole on its line: never a title or
# an abstract (they made pages titled "Upvote", "· 5 authors", "Published on Mar 12").
CHROME = re.compile(
    r"""
    by\s*ak\s+and\s+the\s+research\s+community
    | submitted\s+by(\s+\S+)?
    | upvote(\s+\d+)? | [▲△⬆↑]\s*\d+                                  # votes
    | [·•]?\s*\d+\s+authors? | [·•☰]                                  # author counts, bullets
    | published\s+on\s+.{3,40} | \d+\s+comments? | 💬\s*\d+
    | log\s*in | sign\s*up | models | datasets | spaces | docs | pricing | posts | collections
    | ←\s*previous(\s+day)? | previous\s+day | next\s+day(\s*→)? | next\s*→ | daily | weekly | monthly
    | week\s+\d{1,2},?\s+\d{4} | hugging\s*face
    | system\s+theme | company | tos | privacy | about | jobs | website
    | thumbnail(\s+for\s+.*)? | load\s+more | (see|view|show)\s+(all|more)
    | previous | next | submit | search\s+any\s+paper\s+with\s+ai | view\s+arxiv\s+page | github
    | paper\s+page | arxiv\s*:?\s*\d{4}\.\d{4,5}(v\d+)? | [★☆⭐]\s*[\d.,]+\s*k?     # links, stars
    | submitted\s+by\s+[^.!?:]{1,60} | .{1,60}\s+et\s+al\.?                       # who
    """,
    re.IGNORECASE | re.VERBOSE,
)
COUNT = re.compile(r"\d+(\.\d+)?k?", re.IGNORECASE)  # a vote count: chrome only after "Upvote"
# A date line: a month's name or abbreviation and a day, either way round, maybe a weekday
# before and a year after (`Mar 12`, `Friday, March 13th, 2025`, `12 March 2025`) — or an
# ISO date (`2025-03-12`, `2025/03/12`). Whole words only, so a title such as "Janus 2" or
# "Marco 7" is not a date.
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s{1,3})?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:(?:,\s*|\s+)(?P<{}>\d{{4}}))?"
DATE_LINE = re.compile(
    rf"{_WEEKDAY}(?:(?P<month>{_MONTHS})\.?\s{{1,3}}(?P<day>{_DAY}){_YEAR.format('year')}"
    rf"|(?P<day2>{_DAY})\s{{1,3}}(?P<month2>{_MONTHS})\.?{_YEAR.format('year2')})"
    r"|(?P<iso>(?P<iy>\d{4})(?P<sep>[-/])(?P<im>\d{2})(?P=sep)(?P<id>\d{2}))",
    re.IGNORECASE,
)
IN_LINE_SPACE = re.compile("[\t\x0b\x0c\x1c-\x1f\x85\u2028\u2029\xa0]")
INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
SHORT_TITLE = 150  # a line of sentences this short, before an abstract, is a title (see starts_entry)
SENTENCE_INSIDE = re.compile(r"[a-z0-9)\]%][.!][\"')\]]*\s+[A-Z(\"']")
URL = re.compile(r"\bhttps?://|\bwww\.", re.IGNORECASE)
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_LINE_CHARS = 200_000  # 100 kB abstracts are fine; a 50 MB line is not an abstract


@dataclass
class DumpResult:
    """What one dump file gave: its entries, problems, and whether it could be read at all."""

    path: str
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True


# --- text → lines → entries -----------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    kind: str  # "header", "date", "text"
    bad: bool = False  # not valid UTF-8: the entry it belongs to is skipped


def clean(raw: str) -> str:
    """A line as text: separators inside it become spaces, control characters and invisible
    ones (zero-width space, word joiner, BOM, soft hyphen) go, ends trimmed; a line of
    formatting characters alone (a zero-width joiner, a direction mark) is empty. Such a
    "blank" line made every title the next abstract's, and "LL\u200bMs" hid from search."""
    if raw.isascii() and raw.isprintable():  # what the expressions look for is neither
        return " ".join(raw.split())
    raw = INVISIBLE.sub("", CONTROL.sub("", IN_LINE_SPACE.sub(" ", raw)))  # after the spaces
    line = " ".join(raw.split())
    return "" if all(unicodedata.category(c) == "Cf" for c in line) else line


def read_lines(text: str, bad: frozenset[int] = frozenset()) -> Iterator[Line]:
    """The non-empty lines of a dump, numbered as an editor numbers them, with their kind."""
    follows = ""  # a lone "Submitted by" or "Upvote": the next line is its name or count
    for number, raw in enumerate(LINE_END.split(text.removeprefix("\ufeff")), start=1):
        line = clean(raw)
        if not line:
            continue
        chrome = CHROME.fullmatch(line) or (
            (follows == "submitted by" and " " not in line) or (follows == "upvote" and COUNT.fullmatch(line))
        )
        follows = line.casefold()
        if chrome:
            continue  # as if not pasted: the lines either side stay neighbours
        if line.casefold() in HEADER_LINES:
            kind = "header"
        elif DATE_LINE.fullmatch(line):
            kind = "date"
        else:
            kind = "text"
        yield Line(number, line, kind, number in bad)


_NAME = re.compile(r"(?:[^\W\d_][\w'’.-]*\.?)")  # a word of a name: a letter first, no digits


def is_author_list(line: str) -> bool:
    """A line of two or more names, each of two to four capitalised words, separated by
    commas or "and" ("Jane Doe, Wei Zhang and Maria García"): the authors under a title
    in a paste, which took the title's place. Read so only right after a title (a title
    of that shape, "Sparse Experts, Dense Models", stays one where a title is due)."""
    if len(line) > 300 or ":" in line or "," not in line:
        return False
    names = [n.strip() for n in re.split(r",|\band\b|&", line) if n.strip()]
    return len(names) >= 2 and all(
        2 <= len(words := name.split()) <= 4
        and all(_NAME.fullmatch(w) and w[0].isupper() and not any(c.isdigit() for c in w) for w in words)
        for name in names
    )


ABSTRACT, TITLE, EITHER = "abstract", "title", "either"


def shape(text: str) -> str:
    """What a line reads as: an ABSTRACT (long, several sentences, a URL), a TITLE (short,
    no full stop), or EITHER — one sentence with a full stop, which may be a title written
    with a final period or a piece of an abstract cut at a sentence; its neighbours decide."""
    n = len(text)
    if n >= 300 or URL.search(text):
        return ABSTRACT
    if _capitalised(text) >= 0.5:  # Title Case: "Do LLMs Dream? A Study of Sleep." is a title
        return TITLE
    if SENTENCE_INSIDE.search(text) and n >= 60:  # two sentences, the first ending in . or !
        return ABSTRACT
    if text.endswith(".") and n >= 50:
        return EITHER
    return TITLE


def starts_entry(text: str, after: str | None, first: bool) -> bool:
    """Where a title is due: is this line one (else it continues the abstract before it)?

    A title-shaped line is. A one-sentence line is when an abstract follows (a title with a
    final period), or when there is no abstract before it to continue. A longer line that
    reads as sentences still is when an abstract follows and it does not end like a
    sentence, or is short: a two-sentence title ("… historical texts. A humanities informed
    approach", with a final period in some listings). Joined to the abstract before it, such
    a title and the abstract after it would make that paper look like a copy of this one,
    and dedupe would merge the two.
    """
    kind = shape(text)
    if kind == TITLE:
        return True
    if kind == EITHER:
        return after == ABSTRACT or first
    if after != ABSTRACT or URL.search(text):
        return False
    return len(text) < SHORT_TITLE or (len(text) < 300 and not text.endswith((".", "!")))


def _capitalised(text: str) -> float:
    """The share of longer words that start with a capital (high in Title Case titles)."""
    words = [w for w in text.split() if len(w) > 3 and w[0].isalpha()]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0.0


def listing_of(match: re.Match[str]) -> str | None:
    """A date line as an ISO date (`2025-03-12`, or `--03-12` without a year); None if no such
    day, or a year no listing has (outside FIRST_YEAR..LAST_YEAR)."""
    if match.group("iso"):
        year, month, day = int(match.group("iy")), int(match.group("im")), int(match.group("id"))
    else:
        first = match.group("month") is not None
        month = month_number(match.group("month" if first else "month2"))
        day = int(match.group("day" if first else "day2").rstrip("stndrh"))
        found = match.group("year" if first else "year2")
        year = int(found) if found else 0
        if found and not year:
            return None  # year 0000
    if not 1 <= month <= 12 or (year and not FIRST_YEAR <= year <= LAST_YEAR):
        return None
    if year:
        if not 1 <= day <= calendar.monthrange(year, month)[1]:
            return None
        return f"{year:04d}-{month:02d}-{day:02d}"
    if not 1 <= day <= calendar.monthrange(2024, month)[1]:  # 2024: Feb 29 is possible in some year
        return None
    return f"--{month:02d}-{day:02d}"


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

    def warn(self, line: int, message: str, severity: Severity = "warning") -> None:
        self.result.problems.append(Problem(self.label, line, message, severity))

    def orphan(self, why: str) -> None:
        if self.pending is not None:
            self.warn(
                self.pending.number, f"title without an abstract {why}: {self.pending.text[:60]!r}; skipped"
            )
            self.pending = None

    def date(self, line: Line) -> None:
        self.orphan("before a date line")
        match = DATE_LINE.fullmatch(line.text)
        listed = listing_of(match) if match else None
        self.last = None  # a new listing day: nothing before it can continue
        if listed is None:
            year = match and (match.group("iy") or match.group("year") or match.group("year2"))
            in_range = not year or FIRST_YEAR <= int(year) <= LAST_YEAR
            why = "no such date" if in_range else f"a year outside {FIRST_YEAR}–{LAST_YEAR}"
            self.warn(line.number, f"{why}: {line.text!r}; the entries after it are skipped", "error")
            self.listed, self.skipping = "", True
            return
        self.listed, self.saw_date, self.skipping = listed, True, False

    def text(self, line: Line, following: Line | None) -> None:
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
        if not any(c.isalpha() for c in line.text) and (self.pending is not None or after in (TITLE, None)):
            return  # a count, an emoji, a rule: chrome, unless it is where a title is ("404")
        if self.pending is None:
            self._expecting_title(line, after)
        elif is_author_list(line.text):
            pass  # the authors under the title: the abstract comes next
        elif shape(line.text) == TITLE and after == ABSTRACT:
            # A title, then this short line, then an abstract: the first title lost its own.
            # (A one-sentence line here is taken as the abstract: a slug is never made of a
            # sentence that may belong to an abstract.)
            self.orphan("(the next line reads as a title)")
            self.pending = line
        else:
            self._add(self.pending, line)
            self.pending = None

    def _expecting_title(self, line: Line, after: str | None) -> None:
        if starts_entry(line.text, after, first=self.last is None):
            self.pending = line
        elif self.last is not None:
            entry = self.result.entries[self.last]
            self.result.entries[self.last] = Entry(
                entry.title, f"{entry.abstract}\n\n{line.text}", entry.source
            )
            self.warn(
                line.number, f"a second paragraph for the abstract of {entry.title[:60]!r}; joined to it"
            )
        else:
            self.warn(line.number, f"an abstract without a title: {line.text[:60]!r}; skipped")

    def _add(self, title: Line, abstract: Line) -> None:
        if title.bad or abstract.bad or self.skipping:
            self.last = None  # reported already, with the bad line
            return
        self.result.entries.append(
            Entry(title.text, abstract.text, Source(self.file_key, title.number, self.listed))
        )
        self.last = len(self.result.entries) - 1

    def finish(self) -> DumpResult:
        if self.pending is not None:
            self.warn(
                self.pending.number,
                f"title without an abstract at the end of the file: {self.pending.text[:60]!r}",
            )
        if not self.result.entries and not self.result.problems:
            self.warn(0, "no papers found (empty file?)")
        elif self.result.entries and not self.saw_date:
            self.warn(
                1,
                "no listing date header (a line such as 'Mar 12' before the first title); "
                "dated by the file name, or else the day of this ingest",
            )
        elif undated := [e for e in self.result.entries if not e.source.listed]:
            self.warn(  # a date line further down does not date what comes before it
                undated[0].source.line,
                f"{len(undated)} entr{'y' if len(undated) == 1 else 'ies'} before the first date line; "
                "dated by the file name, or else the day of this ingest",
            )
        return self.result


def parse_text(text: str, label: str, file_key: str, bad: frozenset[int] = frozenset()) -> DumpResult:
    """Parse a dump's text. `label` names the file in messages; `file_key` goes into Source.
    A dump holding a merge left unresolved is refused whole: which side is right is for a
    person to say, and its markers read as titles."""
    conflict = conflict_marker(text, middle_alone=True)
    if conflict is not None:
        message = CONFLICT_MESSAGE.format(marker=conflict[1]) + "; the file is skipped"
        return DumpResult(label, [], [Problem(label, conflict[0], message, "error")], False)
    aligner = _Aligner(label, file_key)
    lines = list(read_lines(text, bad))
    for i, line in enumerate(lines):
        if line.kind == "header":
            aligner.orphan("before the page header")
            aligner.last = None
        elif line.kind == "date":
            aligner.date(line)
        else:
            following = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].kind == "text" else None
            aligner.text(line, following)
    return aligner.finish()


def parse_dump(data: bytes, label: str, file_key: str) -> DumpResult:
    """Parse a dump file's bytes. `label` names the file in messages; `file_key` goes into Source."""
    text, problems, bad = decode(data, label)
    if text is None:
        return DumpResult(label, [], problems, False)
    result = parse_text(text, label, file_key, bad)
    result.problems[:0] = problems
    return result


ParseDump = Callable[[bytes, str, str], DumpResult]


def read_dump(path: Path, label: str, file_key: str, parse: ParseDump = parse_dump) -> DumpResult:
    """Read and parse one dump file; any failure becomes a problem naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"file is {size:,} bytes; dumps over {MAX_FILE_BYTES:,} bytes are refused"
            return DumpResult(label, [], [Problem(label, 0, message)], False)
        data = path.read_bytes()
    except OSError as err:
        return DumpResult(label, [], [Problem(label, 0, f"cannot read: {err.strerror}")], False)
    return parse(data, label, file_key)


def read_sources(
    sources_dir: Path, root: Path, parse: ParseDump = parse_dump
) -> tuple[list[DumpResult], list[Problem]]:
    """Every dump under the sources folder (recursively), and the files left out and why.

    `parse`: `parse_dump`, or one that remembers its results between runs."""
    other = "not read: dumps are files ending in .txt; rename it if it is one"
    paths, problems = files_in(sources_dir, root, ".txt", other)
    results = []
    for path in paths:
        file_key = path.relative_to(sources_dir).as_posix()
        label = label_of(path, root)
        try:
            file_key.encode("utf-8")
        except UnicodeEncodeError:
            problems.append(Problem(label, 0, "the file name is not valid UTF-8; rename the file; skipped"))
            continue
        results.append(read_dump(path, label, file_key, parse))
    return results, problems

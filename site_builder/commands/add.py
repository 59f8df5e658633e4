"""`site-builder add`: a pasted listing saved into content/sources/ under its full date.

A listing's header says `Mar 12`; ingest gives it a year by the rules of
ingest/dumps/dates.py, the last of which is the clock. A dump named by its date
(`2026-03-12.txt`) keeps that year for good (rule 4), whenever it is ingested again, so
`add` names each dump so, on the day it is pasted, by the year ingest would give it that
day. It parses the dump first, as ingest will, and saves nothing it cannot read: every
problem is named at its line (`<stdin>:12: error: …`). It never replaces a file.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.core.config import load_site_config
from site_builder.core.errors import Problem
from site_builder.core.files.atomic import atomic_write_bytes
from site_builder.core.files.content_files import files_in, label_of, name_text
from site_builder.core.files.store import INGEST_STATE
from site_builder.core.model import Entry, listing_date, show_date
from site_builder.core.runtime.clock import today
from site_builder.ingest.dumps.dates import DatedDump, known_dates, resolve
from site_builder.ingest.dumps.files import MAX_FILE_BYTES, same_listing
from site_builder.ingest.dumps.sources import DumpResult, parse_dump
from site_builder.ingest.state import IngestState

SOURCES = Path("content") / "sources"


@dataclass
class Added:
    """What `add` made of one input: the file it saved (or found already saved), and why not."""

    label: str
    saved: str = ""  # the dump's path from the site folder; "" when refused
    already: bool = False  # the same listing was saved before, under `saved`
    line: str = ""  # what to say of it
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return not self.saved


def add_dump(root: Path, data: bytes, label: str) -> Added:
    """Save `data` (a listing, as pasted) as content/sources/<its first date>.txt, or say why not."""
    added = Added(label)
    if len(data) > MAX_FILE_BYTES:
        message = f"more than {MAX_FILE_BYTES:,} bytes; dumps over that size are refused"
        added.problems.append(Problem(label, 0, message))
        return added
    parsed = parse_dump(data, label, PASTED)  # a name without a date: the clock's, not the path's
    added.problems += parsed.problems
    if not parsed.readable or any(p.severity == "error" for p in parsed.problems):
        return added
    if not parsed.entries:  # refused, as an error; an empty paste's "(empty file?)" gives way to it
        added.problems = [p for p in added.problems if not p.message.startswith("no papers found")]
        message = "no paper found: a listing is a date, then each paper's title and its abstract"
        added.problems.append(Problem(label, 0, message))
        return added
    if not parsed.date_lines and all(len(e.abstract.split()) < ABSTRACT_WORDS for e in parsed.entries):
        # The wrong clipboard (`hello`, `world`) made a paper titled "hello" (a reviewer).
        message = (
            f"no date line and no abstract of {ABSTRACT_WORDS} words or more: this is no listing "
            "(a listing is a date, then each paper's title and its abstract); nothing saved"
        )
        added.problems = [Problem(label, 0, message)]
        return added
    sources = root / SOURCES
    dates = _Dating(root, sources)
    same = dates.already_saved(parsed)
    if same is not None:
        added.saved, added.already = same, True
        added.line = f"already saved as {same}: nothing added"
        return added
    clock = dates.of(data, label, PASTED)
    if clock.errors:
        added.problems += [Problem(label, line, why) for line, why in clock.errors]
        return added
    # Named by its first listing's date, the file is dated by its name (rule 4 of dates.py)
    # wherever the clock gave the year: the name is settled when the dates under it give it.
    day = _first_day(clock.entries) or today()
    for _ in range(3):
        named = dates.of(data, label, _free_name(sources, day).name)
        if (_first_day(named.entries) or day) == day:
            break
        day = _first_day(named.entries) or day
    # The clock's doubts chose the name (`Jan 11` on Jan 1 is put a year back): under that
    # name the file dates itself without a word, so they are said now or never.
    doubts = dict.fromkeys([*clock.doubtful, *named.doubtful])
    added.problems += [Problem(label, line, _renaming(why), "warning") for line, why in doubts]
    added.problems += [Problem(label, line, why) for line, why in named.errors]
    if named.errors:
        return added
    moved = [
        (was.source.line, was.source.listed, now.source.listed)
        for was, now in zip(clock.entries, named.entries, strict=False)
        if was.source.listed != now.source.listed
    ]
    if moved:  # a listing whose days lie far apart: said, as ingest will date it
        line, was, now = moved[0]
        message = (
            f"dated by its file name, {now} (the clock alone gives {was}); if that is wrong, "
            "write the year on the date line (`Mar 12, 2026`)"
        )
        added.problems.append(Problem(label, line, message, "warning"))
    sources.mkdir(parents=True, exist_ok=True)
    while True:
        path = _free_name(sources, day)
        try:
            atomic_write_bytes(path, data, replace=False)
            break
        except FileExistsError:  # a file of that name appeared meanwhile: the next name
            continue
    added.saved = path.relative_to(root).as_posix()
    days = sorted({d for entry in named.entries if (d := listing_date(entry.source.listed))})
    added.line = f"saved {added.saved}: {len(named.entries)} paper(s), listed {_span(days)}"
    return added


PASTED = "pasted.txt"
ABSTRACT_WORDS = 10  # a paste with no date line needs one abstract this long to be a listing


def _renaming(why: str) -> str:
    """A date warning as `add` says it: the year is then the saved file's name, unless the
    date line writes one (`listed 2062-03-12, after today`: the line's year beats the name)."""
    if why.startswith("listed "):
        return why
    return f"{why} (or rename the saved file before you ingest it: its name gives the year)"


class _Dating:
    """A dump's dates as ingest would give them today under a name: with the years the
    pages hold for papers of dumps no longer there (rule 3 of dates.py), the name's date,
    `year:`, the clock."""

    def __init__(self, root: Path, sources: Path) -> None:
        self.root, self.sources = root, sources
        self.year = load_site_config(root / "content" / "site.yaml", "content/site.yaml").year
        self.today = today()
        # Ingest's memory, read and never written: the pages' dates and the dumps parsed.
        self.state = IngestState(root / INGEST_STATE if (root / INGEST_STATE).is_dir() else None, keep=False)
        pages, _ = self.state.read_pages(root / "content" / "papers", root)
        self.dumps = files_in(sources, root, ".txt")[0]
        present = {name_text(path.relative_to(sources).as_posix()) for path in self.dumps}
        self.known, self.titles = known_dates(pages, present)

    def of(self, data: bytes, label: str, name: str) -> DatedDump:
        parsed = parse_dump(data, label, name)
        return resolve(parsed.entries, self.known, self.year, self.today, self.titles, parsed.date_lines)

    def already_saved(self, parsed: DumpResult) -> str | None:
        """The dump that already lists these papers on these days (a paste added twice, even
        with other line ends or one newline more), by its path: compared as
        `dumps.files.repeated_dumps` compares dumps, by what they list, not by their bytes."""
        for path in self.dumps:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            key = name_text(path.relative_to(self.sources).as_posix())  # as ingest parses it: remembered
            if same_listing(self.state.parse_dump(data, label_of(path, self.root), key), parsed):
                return path.relative_to(self.root).as_posix()
        return None


def _first_day(entries: list[Entry]) -> datetime.date | None:
    """The date of the listing's first paper (its first date line's)."""
    return next((day for entry in entries if (day := listing_date(entry.source.listed))), None)


def _span(days: list[datetime.date]) -> str:
    if not days:
        return "on no date"
    if days[0] == days[-1]:
        return show_date(days[0])
    return f"{show_date(days[0])} to {show_date(days[-1])}"


def _free_name(sources: Path, day: datetime.date) -> Path:
    """`2026-03-12.txt`, or `2026-03-12-2.txt` … when a dump of that day is there (a second
    paste of the day, another time zone's listing): ingest merges their papers."""
    path, number = sources / f"{day.isoformat()}.txt", 1
    while os.path.lexists(path):  # a link to nowhere is a name taken too
        number += 1
        path = sources / f"{day.isoformat()}-{number}.txt"
    return path


STDIN = Path("-")


def add_inputs(root: Path, files: list[Path], read_stdin: Callable[[int], bytes]) -> list[Added]:
    """Each FILE added in turn (`-`, or none: standard input, the paste). Each is read up to
    a byte past the size limit, no further: `add /dev/zero` (or a log piped in) read without
    end, its memory growing, before the size was looked at."""
    results, pasted = [], None
    for path in files or [STDIN]:
        label = "<stdin>" if path == STDIN else str(path)
        try:
            if path == STDIN:  # read once: `add - -` adds it once
                pasted = read_stdin(MAX_FILE_BYTES + 1) if pasted is None else pasted
            data = pasted if path == STDIN and pasted is not None else _read_head(path)
        except OSError as err:
            results.append(Added(label, problems=[Problem(label, 0, f"cannot read: {err.strerror}")]))
            continue
        results.append(add_dump(root, data, label))
    return results


def _read_head(path: Path) -> bytes:
    """A file's bytes, up to one past the size limit."""
    with path.open("rb") as file:
        return file.read(MAX_FILE_BYTES + 1)

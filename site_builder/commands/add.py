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
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.core.config import load_site_config
from site_builder.core.errors import Problem
from site_builder.core.files.atomic import atomic_write_bytes
from site_builder.core.files.content_files import files_in
from site_builder.core.model import listing_date, show_date
from site_builder.ingest.dumps.calendar import today
from site_builder.ingest.dumps.dates import resolve
from site_builder.ingest.dumps.files import MAX_FILE_BYTES
from site_builder.ingest.dumps.sources import parse_dump

SOURCES = Path("content") / "sources"


@dataclass
class Added:
    """What `add` made of one input: the file it saved (or found already saved), and why not."""

    label: str
    saved: str = ""  # the dump's path from the site folder; "" when refused
    already: bool = False  # the same bytes were saved before, under `saved`
    line: str = ""  # what to say of it
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return not self.saved


def add_dump(root: Path, data: bytes, label: str) -> Added:
    """Save `data` (a listing, as pasted) as content/sources/<its first date>.txt, or say why not."""
    added = Added(label)
    if len(data) > MAX_FILE_BYTES:
        message = f"{len(data):,} bytes; dumps over {MAX_FILE_BYTES:,} bytes are refused"
        added.problems.append(Problem(label, 0, message))
        return added
    parsed = parse_dump(data, label, label)
    added.problems += parsed.problems
    if not parsed.readable or any(p.severity == "error" for p in parsed.problems):
        return added
    if not parsed.entries:
        message = "no paper found: a listing is a date, then each paper's title and its abstract"
        added.problems.append(Problem(label, 0, message))
        return added
    year = load_site_config(root / "content" / "site.yaml", "content/site.yaml").year
    dated = resolve(parsed.entries, {}, year, today(), {}, parsed.date_lines)
    added.problems += [Problem(label, line, why, "warning") for line, why in dated.doubtful]
    added.problems += [Problem(label, line, why) for line, why in dated.errors]
    if dated.errors:
        return added
    days = sorted({day for entry in dated.entries if (day := listing_date(entry.source.listed))})
    sources = root / SOURCES
    same = _already_saved(sources, root, data)
    if same is not None:
        added.saved, added.already = same, True
        added.line = f"already saved as {same}: nothing added"
        return added
    sources.mkdir(parents=True, exist_ok=True)
    while True:
        path = _free_name(sources, days[0] if days else today())
        try:
            atomic_write_bytes(path, data, replace=False)
            break
        except FileExistsError:  # a file of that name appeared meanwhile: the next name
            continue
    added.saved = path.relative_to(root).as_posix()
    count = len(dated.entries)
    added.line = f"saved {added.saved}: {count} paper(s), listed {_span(days)}"
    return added


def _span(days: list[datetime.date]) -> str:
    if not days:
        return "on no date"
    if days[0] == days[-1]:
        return show_date(days[0])
    return f"{show_date(days[0])} to {show_date(days[-1])}"


def _already_saved(sources: Path, root: Path, data: bytes) -> str | None:
    """The dump already holding these very bytes (a paste added twice), by its path."""
    wanted = hashlib.sha256(data).digest()
    for path in files_in(sources, root, ".txt")[0]:
        try:
            if path.stat().st_size == len(data) and hashlib.sha256(path.read_bytes()).digest() == wanted:
                return path.relative_to(root).as_posix()
        except OSError:
            continue
    return None


def _free_name(sources: Path, day: datetime.date) -> Path:
    """`2026-03-12.txt`, or `2026-03-12-2.txt` … when a dump of that day is there (a second
    paste of the day, another time zone's listing): ingest merges their papers."""
    path, number = sources / f"{day.isoformat()}.txt", 1
    while path.exists():
        number += 1
        path = sources / f"{day.isoformat()}-{number}.txt"
    return path


STDIN = Path("-")


def add_inputs(root: Path, files: list[Path], read_stdin: Callable[[], bytes]) -> list[Added]:
    """Each FILE added in turn (`-`, or none: standard input, the paste)."""
    results = []
    for path in files or [STDIN]:
        label = "<stdin>" if path == STDIN else str(path)
        try:
            data = read_stdin() if path == STDIN else path.read_bytes()
        except OSError as err:
            results.append(Added(label, problems=[Problem(label, 0, f"cannot read: {err.strerror}")]))
            continue
        results.append(add_dump(root, data, label))
    return results

"""Dump files → Entry list, plus the problems found on the way.

A dump is the text of a "daily papers" listing page: a small header ending in the
listing date (`Mar 12`), then non-empty lines alternating title, abstract. The reader
is forgiving (BOM, CRLF, odd headers, Latin-1) and says what it forgave; it never raises
for bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.errors import Problem
from site_builder.model import Entry, ListingDate, Source

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
DATE_LINE = re.compile(
    r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? {1,3}\d{1,2}$", re.IGNORECASE
)
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_LINE_CHARS = 200_000  # 100 kB abstracts are fine; a 50 MB line is not an abstract
LONG_TITLE_CHARS = 1_000


@dataclass
class DumpResult:
    """What one dump file gave: its entries, problems, and whether it could be read at all."""

    path: str
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True


def decode(data: bytes, label: str) -> tuple[str | None, list[Problem]]:
    """Bytes → text. UTF-8 (with or without BOM); Latin-1 with a warning; binary is refused."""
    if b"\x00" in data[:65536]:
        return None, [Problem(label, 0, "binary file (contains NUL bytes), skipped; dumps must be text")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        text = data.decode("cp1252", errors="replace")
        message = (
            f"not valid UTF-8 (byte 0x{data[err.start]:02x}); read as Windows-1252/Latin-1 — "
            "re-save the file as UTF-8 to be sure"
        )
        return text, [Problem(label, line, message, "warning")]


def _is_header(line: str) -> bool:
    return line.casefold() in HEADER_LINES or bool(DATE_LINE.match(line))


def parse_text(text: str, label: str, file_key: str) -> DumpResult:
    """Parse a dump's text. `label` names the file in messages; `file_key` goes into Source."""
    result = DumpResult(label)
    listed = ""
    saw_date = False
    pending: tuple[str, int] | None = None  # a title waiting for its abstract
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if len(line) > MAX_LINE_CHARS:
            result.problems.append(
                Problem(
                    label,
                    number,
                    f"line of {len(line):,} characters is too long to be a title or abstract "
                    f"(limit {MAX_LINE_CHARS:,}); skipped",
                )
            )
            if pending is not None:
                result.problems.append(
                    Problem(label, pending[1], "title has no usable abstract; skipped", "warning")
                )
                pending = None
            continue
        if pending is None and _is_header(line):
            date = ListingDate.parse(line) if DATE_LINE.match(line) else None
            if date is not None:
                listed, saw_date = str(date), True
            continue
        if pending is None:
            pending = (line, number)
            continue
        title, title_line = pending
        pending = None
        if len(title) > LONG_TITLE_CHARS:
            result.problems.append(
                Problem(
                    label,
                    title_line,
                    f"title is {len(title):,} characters long; are titles and abstracts out of step?",
                    "warning",
                )
            )
        result.entries.append(Entry(title, line, Source(file_key, title_line, listed)))
    if pending is not None:
        result.problems.append(
            Problem(
                label,
                pending[1],
                f"title without an abstract at the end of the file: {pending[0][:60]!r}",
                "warning",
            )
        )
    if not result.entries and not result.problems:
        result.problems.append(Problem(label, 0, "no papers found (empty file?)", "warning"))
    elif result.entries and not saw_date:
        result.problems.append(
            Problem(
                label,
                1,
                "no listing date header (a line such as 'Mar 12' before the first title); dates left empty",
                "warning",
            )
        )
    return result


def read_dump(path: Path, label: str, file_key: str) -> DumpResult:
    """Read and parse one dump file; any failure becomes a problem naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return DumpResult(
                label,
                [],
                [
                    Problem(
                        label, 0, f"file is {size:,} bytes; dumps over {MAX_FILE_BYTES:,} bytes are refused"
                    )
                ],
                False,
            )
        data = path.read_bytes()
    except OSError as err:
        return DumpResult(label, [], [Problem(label, 0, f"cannot read: {err.strerror}")], False)
    text, problems = decode(data, label)
    if text is None:
        return DumpResult(label, [], problems, False)
    result = parse_text(text, label, file_key)
    result.problems[:0] = problems
    return result


def find_dumps(sources_dir: Path) -> list[Path]:
    """Every *.txt under the sources folder (recursively), in a stable order."""
    if not sources_dir.is_dir():
        return []
    return sorted(p for p in sources_dir.rglob("*.txt") if p.is_file())


def read_sources(sources_dir: Path, root: Path) -> list[DumpResult]:
    results = []
    for path in find_dumps(sources_dir):
        file_key = path.relative_to(sources_dir).as_posix()
        label = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        results.append(read_dump(path, label, file_key))
    return results

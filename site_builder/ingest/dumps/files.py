"""The dump files under content/sources → what each gave: each file read within its size
limit, parsed (`sources.parse_dump`, or a parse remembered between runs), and a file that
lists what another does named. The reading never raises: a file that cannot be used is a
problem naming it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

from site_builder.core.errors import Problem
from site_builder.core.files.content_files import files_in, label_of, name_text
from site_builder.ingest.dumps.sources import DumpResult, parse_dump

MAX_FILE_BYTES = 64 * 1024 * 1024


ParseDump = Callable[[bytes, str, str], DumpResult]


def read_dump(path: Path, label: str, file_key: str, parse: ParseDump = parse_dump) -> DumpResult:
    """Read and parse one dump file; any failure becomes a problem naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = f"file is {size:,} bytes; dumps over {MAX_FILE_BYTES:,} bytes are refused"
            return DumpResult.refused(label, 0, message)
        data = path.read_bytes()
    except OSError as err:
        return DumpResult.refused(label, 0, f"cannot read: {err.strerror}")
    return parse(data, label, file_key)


def repeated_dumps(dumps: list[DumpResult]) -> list[Problem]:
    """A warning for each dump that lists exactly what an earlier one does (a file saved twice
    under two names): dedupe folds their entries together, so nothing else would say so, and
    every paper of it cites both files (a reviewer).

    Dumps are compared whole only when their count, first title and day, and last title
    agree: hashing every abstract of every dump took 36 ms of each daily ingest at 10,000
    papers, to find what those few strings tell apart."""
    kept: dict[tuple[int, str, str, str], list[DumpResult]] = {}
    problems = []
    for dump in dumps:
        if not dump.entries:
            continue
        first, last = dump.entries[0], dump.entries[-1]
        alike = kept.setdefault((len(dump.entries), first.title, first.source.listed, last.title), [])
        earlier = next((other for other in alike if same_listing(other, dump)), None)
        if earlier is None:
            alike.append(dump)
            continue
        message = (
            f"lists the same papers as {earlier.path}, entry for entry: its papers cite both; delete one"
        )
        problems.append(Problem(dump.path, 0, message, "warning"))
    return problems


def same_listing(a: DumpResult, b: DumpResult) -> bool:
    """Whether two dumps list the same papers on the same days, entry for entry (whatever
    their bytes: line ends, a newline more)."""
    return len(a.entries) == len(b.entries) and all(
        (x.title, x.abstract, x.source.listed) == (y.title, y.abstract, y.source.listed)
        for x, y in zip(a.entries, b.entries, strict=True)
    )


def read_sources(
    sources_dir: Path, root: Path, parse: ParseDump = parse_dump
) -> tuple[list[DumpResult], list[Problem]]:
    """Every dump under the sources folder (recursively), and the files left out and why.

    `parse`: `parse_dump`, or one that remembers its results between runs."""
    other = "not read: dumps are files ending in .txt; rename it if it is one"
    paths, problems = files_in(sources_dir, root, ".txt", other)
    results = []
    names = {name_text(path.relative_to(sources_dir).as_posix()) for path in paths}
    for path in paths:
        # Composed (NFC), unless a file of that name is there too: a copy from a Mac, a zip
        # or rsync may spell `März.txt` decomposed, and every page of the dump was written
        # again, its `file:` looking the same.
        file_key = name_text(path.relative_to(sources_dir).as_posix())
        if (composed := unicodedata.normalize("NFC", file_key)) not in names:
            file_key = composed
        label = label_of(path, root)
        try:
            file_key.encode("utf-8")
        except UnicodeEncodeError:
            problems.append(Problem(label, 0, "the file name is not valid UTF-8; rename the file; skipped"))
            continue
        results.append(read_dump(path, label, file_key, parse))
    return results, problems

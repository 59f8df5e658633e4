"""content/papers/*.md → Page objects, reading and parsing only the files that changed.

The same result as `pages.pagefile.read_pages` (the same pages, problems and order), plus a digest
of each page file's bytes for the rest of the build's cache keys. A file whose size,
modification time, change time and inode are what they were when it was last parsed is
not read again. A file whose times were within a timestamp tick of the moment the build
looked at it is read again next time (it could have changed in that same tick, unnoticed:
git's "racy clean" problem).
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from site_builder.build.render.tex_text import tex_text
from site_builder.core.errors import Problem
from site_builder.core.files.content_files import Stat, file_bytes, labels_in, names_in, settled, stat_key
from site_builder.core.files.store import INGEST_STATE, PAGES_SEEN, Memo, Store
from site_builder.core.model import Page
from site_builder.core.pages.pagefile import parse_page, read_page, shown_page, slug_taken
from site_builder.core.runtime.hashing import code_version, digest
from site_builder.core.runtime.parallel import can_fork, die_with_parent, pool_context

PARALLEL_MIN = 1000  # fewer files than this are parsed faster than a process starts
# Files under a new stat from which ingest's record of what it read is consulted: an edit's
# few files are read sooner than the record (12,000 entries) is loaded.
INGEST_SEEN_FROM = 100
_NAME = "pages"


class PageFile(NamedTuple):
    """One parsed page file: its page (None if it has errors), problems and bytes digest."""

    label: str
    stat: Stat | None  # None: read it again next time
    digest: str
    page: Page | None
    problems: tuple[Problem, ...]
    searched: str = ""  # what search reads of the page, hashed (`searched_digest`)


@dataclass(frozen=True)
class LoadedPages:
    """Every page to build (in file name order), each with its file label and digest."""

    pages: list[Page]
    labels: dict[str, str]  # slug → page file
    digests: dict[str, str]  # slug → digest of the page file's bytes
    searched: dict[str, str]  # slug → digest of what search reads of the page
    problems: list[Problem]
    reparsed: int  # files read and parsed this time


def load_pages(papers_dir: Path, store: Store, parallel: bool = True, remember: bool = True) -> LoadedPages:
    """Read the pages, reusing the parsed pages of files that did not change since last time.

    A file whose times changed but whose bytes did not (a checkout, a touch) is read and
    hashed but not parsed again. Many files to parse are split with a forked process.
    `remember=False` reads the store and leaves it as it is (`check` reads the build's).
    """
    memo = Memo(store, _NAME, code_version())  # a one-page edit rewrites a small file only
    files: dict[str, PageFile] = {}
    todo: list[tuple[str, str, Stat, bytes | None]] = []
    now = time.time_ns()
    root = papers_dir.parent.parent
    names, stats, left_out = names_in(papers_dir, root, ".md")
    moved: list[tuple[Path, str, Stat, PageFile | None]] = []  # a new stat, or a new file
    for name, label in zip(names, labels_in(papers_dir, root, names), strict=True):  # as ingest names them
        found = stat_key(stats[name])
        old = memo.get(name)
        old = old if isinstance(old, PageFile) and old.label == label else None
        if old is not None and old.stat == found:
            files[name] = old
        else:
            moved.append((papers_dir / name, label, found, old))
    # Many files under a new stat (a checkout): ingest, run first, may have read their bytes.
    many = len(moved) >= INGEST_SEEN_FROM
    saw = Memo(Store(root / INGEST_STATE), PAGES_SEEN, code_version()) if many else None
    for path, label, found, old in moved:
        # Did ingest read the bytes `old` was parsed from, under the stat the file has now?
        if saw is not None and old is not None and saw.get(path.name) == (label, found, old.digest):
            files[path.name] = old._replace(stat=_trusted(found, now))
            memo.put(path.name, files[path.name])
            continue
        data = file_bytes(path) if old is not None else None
        if data is not None and old is not None and old.digest == digest(data):
            files[path.name] = old._replace(stat=_trusted(found, now))
            memo.put(path.name, files[path.name])
        else:
            todo.append((str(path), label, found, data))
    for (path_text, *_), parsed in zip(todo, _parse_all(todo, now, parallel), strict=True):
        name = Path(path_text).name  # not the label's: a name that is not UTF-8 is escaped there
        files[name] = parsed
        memo.put(name, parsed)
    if remember:
        memo.save()
    loaded = _collect(files, papers_dir, names, len(todo))
    loaded.problems[:0] = left_out
    return loaded


def _trusted(found: Stat, now: int) -> Stat | None:
    """The stat to remember: None if the file changed too close to `now` to rely on its times."""
    return found if settled(found, now) else None


def _parse_all(todo: list[tuple[str, str, Stat, bytes | None]], now: int, parallel: bool) -> list[PageFile]:
    """Parse the files, half of them in a forked process when there are many."""
    if not parallel or len(todo) < PARALLEL_MIN or not can_fork():
        return _parse_chunk(todo, now)
    half = len(todo) // 2
    with ProcessPoolExecutor(1, mp_context=pool_context(), initializer=die_with_parent) as pool:
        theirs = pool.submit(
            _parse_chunk, [(path, label, found, None) for path, label, found, _ in todo[half:]], now
        )
        mine = _parse_chunk(todo[:half], now)
        return mine + theirs.result()


def _parse_chunk(todo: list[tuple[str, str, Stat, bytes | None]], now: int) -> list[PageFile]:
    return [_parse(Path(path), label, found, data, now) for path, label, found, data in todo]


def _parse(path: Path, label: str, found: Stat, data: bytes | None, now: int) -> PageFile:
    """Parse one page file (`data`: its bytes, if already read)."""
    from site_builder.build.search.index import searched_digest  # numpy: only once a page is parsed

    if data is None:
        data = file_bytes(path)
    # Parsed from the bytes hashed: one read, and a file changed meanwhile cannot pair its
    # new page with the old bytes' digest.
    stored, problems = parse_page(data, path, label) if data is not None else read_page(path, label)
    page = None
    if stored is not None:
        page, bounded = shown_page(stored, label)
        page = page.dated()
        if (shown := tex_text(page.title)) != page.title:  # `$\\alpha$-Tuning` shown as `α-Tuning`
            page = replace(page, title=shown)
        problems += bounded
    return PageFile(
        label,
        _trusted(found, now) if data is not None else None,
        digest(data) if data is not None else "",
        page,
        tuple(problems),
        searched_digest(page) if page is not None else "",
    )


def _collect(files: dict[str, PageFile], papers_dir: Path, names: list[str], reparsed: int) -> LoadedPages:
    """The pages and problems, exactly as `pages.pagefile.read_pages` reports them (duplicates included)."""
    pages: list[Page] = []
    labels: dict[str, str] = {}
    digests: dict[str, str] = {}
    searched: dict[str, str] = {}
    problems: list[Problem] = []
    for name in names:
        file = files[name]
        problems += file.problems
        page = file.page
        if page is None:
            continue
        if page.slug in labels:
            problems.append(slug_taken(file.label, papers_dir / name, page.slug, labels[page.slug]))
            continue
        labels[page.slug] = file.label
        digests[page.slug] = file.digest
        searched[page.slug] = file.searched
        pages.append(page)
    return LoadedPages(pages, labels, digests, searched, problems, reparsed)

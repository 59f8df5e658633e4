"""content/papers/*.md → Page objects, reading and parsing only the files that changed.

The same result as `pages.read_pages` (the same pages, problems and order), plus a digest
of each page file's bytes for the rest of the build's cache keys. A file whose size,
modification time, change time and inode are what they were when it was last parsed is
not read again. A file whose times were within a timestamp tick of the moment the build
looked at it is read again next time (it could have changed in that same tick, unnoticed:
git's "racy clean" problem).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from site_builder.buildcache import Store, code_salt, digest, stat_key
from site_builder.errors import Problem
from site_builder.model import Page
from site_builder.pages import read_page

# A file changed this close to the moment the build looked at it may change again within
# the same timestamp tick, unnoticed: its times are not trusted, it is read next time too.
RACY_NS = 100_000_000  # file systems with fine timestamps (ext4, xfs, btrfs, apfs, tmpfs)
RACY_COARSE_NS = 2_000_000_000  # whole-second (or FAT's two-second) timestamps
_NAME = "pages"


@dataclass(frozen=True)
class PageFile:
    """One parsed page file: its page (None if it has errors), problems and bytes digest."""

    label: str
    stat: tuple[int, int, int, int] | None  # None: read it again next time
    digest: str
    page: Page | None
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class LoadedPages:
    """Every page to build (in file name order), each with its file label and digest."""

    pages: list[Page]
    labels: dict[str, str]  # slug → page file
    digests: dict[str, str]  # slug → digest of the page file's bytes
    problems: list[Problem]
    reparsed: int  # files read and parsed this time


def load_pages(papers_dir: Path, store: Store) -> LoadedPages:
    """Read the pages, reusing the parsed pages of files that did not change since last time."""
    previous = store.load(_NAME, code_salt()) or {}
    files: dict[str, PageFile] = {}
    reparsed = 0
    now = time.time_ns()
    paths = sorted(papers_dir.glob("*.md")) if papers_dir.is_dir() else []
    for path in paths:
        label = str(path)
        found = _stat(path)
        old = previous.get(path.name)
        if found is not None and isinstance(old, PageFile) and old.stat == found and old.label == label:
            files[path.name] = old
            continue
        files[path.name] = _parse(path, label, found, now)
        reparsed += 1
    if reparsed or files.keys() != previous.keys():
        store.save(_NAME, code_salt(), files)
    return _collect(files, paths, reparsed)


def _stat(path: Path) -> tuple[int, int, int, int] | None:
    try:
        return stat_key(path.stat())
    except OSError:
        return None


def _parse(path: Path, label: str, found: tuple[int, int, int, int] | None, now: int) -> PageFile:
    """Read and parse one page file; its stat is kept only if it has been still for a while."""
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    stored, problems = read_page(path, label)
    recent = found is None or now - max(found[1], found[2]) < _margin(found)
    return PageFile(
        label,
        None if recent or data is None else found,
        digest(data) if data is not None else "",
        stored.page if stored is not None else None,
        tuple(problems),
    )


def _margin(found: tuple[int, int, int, int]) -> int:
    coarse = found[1] % 1_000_000_000 == 0 and found[2] % 1_000_000_000 == 0
    return RACY_COARSE_NS if coarse else RACY_NS


def _collect(files: dict[str, PageFile], paths: list[Path], reparsed: int) -> LoadedPages:
    """The pages and problems, exactly as `pages.read_pages` reports them (duplicates included)."""
    pages: list[Page] = []
    labels: dict[str, str] = {}
    digests: dict[str, str] = {}
    problems: list[Problem] = []
    for path in paths:
        file = files[path.name]
        problems += file.problems
        page = file.page
        if page is None:
            continue
        if page.slug in labels:
            line = _line_of(path, "slug")
            problems.append(
                Problem(file.label, line, f"slug '{page.slug}' is already used by {labels[page.slug]}")
            )
            continue
        labels[page.slug] = file.label
        digests[page.slug] = file.digest
        pages.append(page)
    return LoadedPages(pages, labels, digests, problems, reparsed)


def _line_of(path: Path, key: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").split("\n")[:500]
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)

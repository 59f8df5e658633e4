"""The files of the new site, each carried over from the previous build or made anew.

Every output file is declared with its key (a hash of everything it shows) and a way to
make it. Those whose key and file are unchanged since the last build (see manifest.py) are
hard-linked from the live site into the new temporary folder; the rest are made and
written. When nothing at all changed and the output folder is exactly as the last build
left it, nothing is written: the site is already what this build would produce.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from site_builder.manifest import Entry, Manifest, Previous
from site_builder.sitedir import FileStat, OutputDir, make_temp_dir
from site_builder.views import Tag

Make = Callable[[], bytes | str]


class Outputs:
    """The new site being assembled in a temporary folder beside `out` (made on first use)."""

    def __init__(self, out: Path, previous: Previous) -> None:
        self.out = out
        self.previous = previous
        self.entries: dict[str, Entry] = {}  # the new manifest
        self.groups: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.reused = 0
        self._target: OutputDir | None = None
        self._files: list[tuple[str, str, Make | None]] = []  # declared, not yet placed

    @property
    def target(self) -> OutputDir:
        if self._target is None:
            self._target = OutputDir(make_temp_dir(self.out))
        return self._target

    @property
    def started(self) -> bool:
        return self._target is not None

    def reusable(self, path: str, key: str, tags: Mapping[str, Tag] | None = None) -> bool:
        return self.previous.reusable(path, key, tags or {})

    def declare(self, path: str, key: str, make: Make, tags: Mapping[str, Tag] | None = None) -> None:
        """A file to place later: linked if unchanged, else `make()` is written."""
        self._files.append((path, key, None if self.reusable(path, key, tags) else make))

    def all_unchanged(self, paths: set[str]) -> bool:
        """Would this build reproduce the output folder exactly? (`paths`: every output file)"""
        declared_ok = all(make is None for _, _, make in self._files)
        return declared_ok and self.previous.untouched and paths == self.previous.entries.keys()

    def place(self, paths: Iterable[str], skip: Iterable[str] = ()) -> None:
        """Link or write the declared files among `paths`, except `skip` (another stage wrote them)."""
        wanted, skipped = set(paths), set(skip)
        waiting = []
        for path, key, make in self._files:
            if path not in wanted:
                waiting.append((path, key, make))
            elif path in skipped:
                continue
            elif make is None:
                self.keep(path)
            else:
                self.add(path, key, self.target.write(path, make()))
        self._files = waiting

    def keep(self, path: str) -> None:
        """Carry a file over from the previous build, with its manifest entry."""
        entry = self.previous.entries[path]
        stat = self.target.link(path, self.previous.source(path), entry.stat)
        self.entries[path] = Entry(entry.key, stat, entry.looked_up)
        self.reused += 1

    def add(self, path: str, key: str, stat: FileStat, looked_up: tuple[str, ...] = ()) -> None:
        self.entries[path] = Entry(key, stat, looked_up)

    def manifest(self) -> Manifest:
        return Manifest(str(self.out.resolve()), dict(self.entries), dict(self.groups))

    @property
    def files(self) -> int:
        return len(self.entries)

    @property
    def bytes(self) -> int:
        return sum(e.stat.size for e in self.entries.values())

"""What the last build wrote, so the next one can carry unchanged files over.

The manifest maps every file of the output folder to the key it was built from (a hash of
everything it shows, see plan.py) and to its inode, size and modification time as written.
A file is reused only if its key is the same now *and* the file on disk is still exactly
the one written (same inode, size and time: nobody edited or replaced it). Reused files are
hard-linked from the live site into the new temporary folder, which is then swapped in as
always: the previous site is never modified, so a failed build still leaves it intact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from site_builder.buildcache import Store, code_salt, digest
from site_builder.sitedir import FileStat, scan
from site_builder.views import Tag

_NAME = "manifest"


class Entry(NamedTuple):
    """One output file: its key, what it is on disk, and the tags its template looked up."""

    key: str
    stat: FileStat
    looked_up: tuple[str, ...] = ()


@dataclass
class Manifest:
    """Every file of one output folder; `groups` names files made together (the search assets)."""

    out: str
    entries: dict[str, Entry] = field(default_factory=dict)
    groups: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # name → (key, paths)


def full_key(key: str, looked_up: Iterable[str], tags: Mapping[str, Tag]) -> str:
    """A page's key with the tags its template fetched by name (usually none)."""
    names = tuple(looked_up)
    return digest(key, *[repr(tags.get(n)) for n in names]) if names else key


@dataclass
class Previous:
    """The site the last build left in the output folder, as far as it can be trusted."""

    out: Path
    entries: dict[str, Entry]  # files still on disk exactly as written
    groups: dict[str, tuple[str, tuple[str, ...]]]
    untouched: bool  # the folder holds exactly the manifest's files, unchanged

    @classmethod
    def load(cls, store: Store, out: Path) -> Previous:
        manifest = store.load(_NAME, code_salt())
        if not isinstance(manifest, Manifest) or manifest.out != str(out.resolve()):
            return cls(out, {}, {}, False)
        files, folders = scan(out)
        entries = {path: e for path, e in manifest.entries.items() if files.get(path) == e.stat}
        expected = {p.rsplit("/", n)[0] for p in entries for n in range(1, p.count("/") + 1)}
        untouched = len(entries) == len(files) == len(manifest.entries) and folders == expected
        return cls(out, entries, manifest.groups, untouched)

    def reusable(self, path: str, key: str, tags: Mapping[str, Tag]) -> bool:
        entry = self.entries.get(path)
        return entry is not None and entry.key == full_key(key, entry.looked_up, tags)

    def group(self, name: str, key: str) -> tuple[str, ...] | None:
        """The files of a group built from `key`, if every one of them is still there."""
        found = self.groups.get(name)
        if found is None or found[0] != key or not all(p in self.entries for p in found[1]):
            return None
        return found[1]

    def source(self, path: str) -> Path:
        return self.out.joinpath(*path.split("/"))


def save(store: Store, manifest: Manifest) -> None:
    store.save(_NAME, code_salt(), manifest)

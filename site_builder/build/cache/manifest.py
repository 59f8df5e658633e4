"""What the last build wrote, so the next one can carry unchanged files over.

The manifest maps every file of the output folder to the key it was built from (a hash of
everything it shows, see ledger.py) and to its inode, size, modification time and bytes'
hash as written. A file is reused only if its key is the same now *and* the file on disk is
still exactly the one written: same inode, size and time (nobody edited or replaced it), or,
when only its inode changed, the same size and time to the nanosecond (a site restored from
a CI cache, which keeps times), or else the same bytes (a copy or checkout with new times).
Reused files stay where they are while the changed ones are renamed in (output/inplace.py), or are
hard-linked into a whole new folder swapped in when most files changed (output/sitedir.py).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from site_builder.build.output.folder import ALWAYS_KEPT
from site_builder.build.output.inplace import LiveSite, folders_of
from site_builder.build.output.sitedir import FileStat, scan
from site_builder.core.errors import Problem
from site_builder.core.files.content_files import racy_margin
from site_builder.core.files.store import REWRITE_FROM, Store
from site_builder.core.runtime.hashing import BytesHasher, code_version

_NAME = "manifest"  # the manifest as last written in full
_CHANGES = "manifest.new"  # … and how the manifest differs from it since (`Changes`)


@dataclass(frozen=True)
class PlanSummary:
    """What a build's plan declared, under the hash of everything the plan reads
    (`fingerprint`): a later build with the same fingerprint would declare the very same
    outputs with the same keys, so with its folder untouched it has nothing to plan."""

    fingerprint: str
    papers: int
    html_pages: int
    tags: int
    feeds: int
    warnings: tuple[Problem, ...]  # the plan's own (tags missing from the taxonomy)


class WrittenFile(NamedTuple):
    """One output file: its key, what it is on disk, and the names its template looked up."""

    key: str
    stat: FileStat
    looked_up: tuple[str, ...] = ()


@dataclass
class Manifest:
    """Every file of one output folder; `bundles` names files made together (the search assets)."""

    out: str
    entries: dict[str, WrittenFile] = field(default_factory=dict)
    bundles: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # name → (key, paths)
    saved_ns: int = 0  # when saved: a file changed (ctime) after this was not written by us
    plan: PlanSummary | None = None
    name: str = ""  # the full file this is, or extends (`Changes`): made anew at each full write

    def __getstate__(self) -> tuple[Any, ...]:
        """Kept as columns of plain values: 13,500 named tuples, each holding another, took
        60 ms to pickle (every build that writes a file saves the manifest); columns take 11."""
        files = self.entries.values()
        columns = ([f.key for f in files], [tuple(f.stat) for f in files], [f.looked_up for f in files])
        return self.out, list(self.entries), columns, self.bundles, self.saved_ns, self.plan, self.name

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.out, paths, (keys, stats, looked_up), self.bundles, self.saved_ns, self.plan, self.name = state
        make = tuple.__new__  # what `_make` calls, without a call on top per tuple
        self.entries = {
            path: make(WrittenFile, (key, make(FileStat, found), names))
            for path, key, found, names in zip(paths, keys, stats, looked_up, strict=True)
        }

    def save(self, store: Store, written: Manifest | None = None) -> None:
        """Keep this manifest: as how it differs from `written` (the full file the last build
        read, `Previous.written`) while that stays under an eighth of it, else in full. A
        one-page edit changes a dozen of 13,500 entries: pickling and writing them all took
        24 ms of every build at 10,000 papers."""
        self.saved_ns = time.time_ns()
        if written is not None and written.name and written.out == self.out:
            known = written.entries
            changed = {path: e for path, e in self.entries.items() if known.get(path) != e}
            gone = [path for path in known if path not in self.entries]
            if len(changed) + len(gone) <= max(len(known) // 8, REWRITE_FROM):
                changes = Changes(
                    written.name, self.out, changed, gone, self.bundles, self.saved_ns, self.plan
                )
                store.save(_CHANGES, code_version(), changes)
                return
        self.name = os.urandom(8).hex()
        store.save(_NAME, code_version(), self)
        store.save(_CHANGES, code_version(), None)

    def save_kept(self, store: Store, previous: Previous, plan: PlanSummary | None) -> None:
        """Keep the previous build's files, found as they were, with `plan` (a build that made
        nothing: the plan read something else, such as a page file's label, or files were
        recognised by their bytes under a new stat, which the next build then trusts without
        reading them again). Files are trusted as far as this build looked at them
        (`Previous.trusted_ns`): one changed after that is not trusted."""
        kept = Manifest(self.out, self.entries, self.bundles, previous.trusted_ns, plan, os.urandom(8).hex())
        store.save(_NAME, code_version(), kept)
        store.save(_CHANGES, code_version(), None)


@dataclass(frozen=True)
class Changes:
    """How the manifest differs from the full file named `base`: the entries changed or
    added since, those gone, and the rest of the manifest as it is now."""

    base: str
    out: str
    entries: dict[str, WrittenFile]
    gone: list[str]
    bundles: dict[str, tuple[str, tuple[str, ...]]]
    saved_ns: int
    plan: PlanSummary | None


def load_manifest(store: Store) -> tuple[Manifest | None, Manifest | None]:
    """The manifest the last build saved, and the full file it extends (what `Manifest.save`
    counts the next changes against); None for none."""
    written = store.load(_NAME, code_version())
    if not isinstance(written, Manifest):
        return None, None
    changes = store.load(_CHANGES, code_version())
    if not (isinstance(changes, Changes) and written.name and changes.base == written.name):
        return written, written  # none, or made against another full file: not this one's
    entries = {**written.entries, **changes.entries}
    for path in changes.gone:
        del entries[path]
    now = Manifest(changes.out, entries, changes.bundles, changes.saved_ns, changes.plan, written.name)
    return now, written


@dataclass
class Previous:
    """The site the last build left in the output folder, as far as it can be trusted."""

    out: Path
    entries: dict[str, WrittenFile]  # files still on disk exactly as written
    bundles: dict[str, tuple[str, tuple[str, ...]]]
    untouched: bool  # the folder holds exactly the manifest's files, unchanged
    plan: PlanSummary | None = None  # what the previous build's plan declared
    saved_ns: int = 0
    live: LiveSite | None = None  # every file and folder it holds, when it can be patched in place
    recognised: int = 0  # files whose stat changed, found the same by their bytes
    looked_ns: int = 0  # shortly before the folder was looked at
    written: Manifest | None = None  # the full file the manifest was read from (`Manifest.save`)

    @property
    def trusted_ns(self) -> int:
        """Up to when a file's change time (ctime) says it is as `entries` has it: the last
        save, or, once files were recognised by their bytes, the moment they were looked at."""
        return max(self.saved_ns, self.looked_ns) if self.recognised else self.saved_ns

    @classmethod
    def load(cls, store: Store, out: Path, keep: Sequence[str] = ALWAYS_KEPT) -> Previous:
        """The previous build's files still exactly as written: same inode, size and time, and
        not changed since (ctime), so a same-size edit with its mtime put back is noticed.
        A file whose stat says otherwise but whose size is the same is the previous build's,
        under its new stat (`recognised`; a build that makes nothing records it,
        `Manifest.save_kept`, so it is recognised once), if it kept its modification time to
        the nanosecond (`_copied_with_its_time`: a site restored from a CI cache) or else
        if its bytes are what was written (copied anew, checked out: the file is read)."""
        manifest, written = load_manifest(store)
        if manifest is None or manifest.out != str(out.resolve()):
            return cls(out, {}, {}, False)
        looked_ns = time.time_ns()
        found = scan(out, keep)
        # A change in the same timestamp tick as the look may go unseen: trust up to a tick before.
        looked_ns -= racy_margin(found.ctimes.values())
        entries: dict[str, WrittenFile] = {}
        recognised = 0
        files, ctimes, saved_ns = found.files, found.ctimes, manifest.saved_ns
        for path, e in manifest.entries.items():
            now = files.get(path)
            if now is None:
                continue
            was = e.stat
            # The same file, as far as a stat tells (inode, size, time), spelt out: 13,500 files at 10k.
            if (
                was.ino == now.ino
                and was.size == now.size
                and was.mtime_ns == now.mtime_ns
                and ctimes[path] <= saved_ns
            ):
                entries[path] = e
            # Read: 13,500 files, 166 MB in 0.6 s (in four threads 1.5 s: small files).
            elif (
                now.size == e.stat.size
                and e.stat.digest
                and (_copied_with_its_time(now, e.stat) or _bytes_digest(out, path) == e.stat.digest)
            ):
                entries[path] = e._replace(stat=now._replace(digest=e.stat.digest))
                recognised += 1
        same_folders = found.folders == folders_of(entries)
        untouched = len(entries) == len(found.files) == len(manifest.entries) and same_folders
        live = LiveSite(out, frozenset(found.files), frozenset(found.folders), frozenset(found.others))
        plan, saved = manifest.plan, manifest.saved_ns
        return cls(
            out, entries, manifest.bundles, untouched, plan, saved, live, recognised, looked_ns, written
        )

    def bundle(self, name: str, key: str) -> tuple[str, ...] | None:
        """The files of a bundle built from `key`, if every one of them is still there."""
        found = self.bundles.get(name)
        if found is None or found[0] != key or not all(p in self.entries for p in found[1]):
            return None
        return found[1]


def _copied_with_its_time(now: FileStat, written: FileStat) -> bool:
    """A copy of the file the build wrote (another inode) that kept its modification time to
    the nanosecond, as tar restores a CI cache (actions/cache: `tar --posix`, 14,000 files of
    a 10,000-paper site, which reading took a second of every CI build); `cp -p` and
    `rsync -t` do the same. A write sets the time anew, so another file with that time and
    size would need its time set by hand (`touch -d`); the same inode with that time may be
    an edit made in place with the time put back, and is read, as is a time of whole seconds
    (a copy that kept only the seconds could match by chance)."""
    return now.ino != written.ino and now.mtime_ns == written.mtime_ns and now.mtime_ns % 1_000_000_000 != 0


def _bytes_digest(out: Path, relative: str) -> str | None:
    """`bytes_digest` of the file, read a megabyte at a time: the offline copy (59 MB at
    10,000 papers, 300 MB at 50,000) was read whole into memory."""
    hasher = BytesHasher()
    try:
        with open(os.path.join(out, *relative.split("/")), "rb") as handle:
            while part := handle.read(1 << 20):
                hasher.update(part)
    except OSError:
        return None
    return hasher.hexdigest()

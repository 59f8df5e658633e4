"""Named values kept between runs, so ingest and build redo only what changed.

Everything kept is under `ROOT/.site-cache/`: ingest's in `ingest/` (and its tags in
`tags`, ingest/tags/cache.py), build's in `build/`, check's in `check/`.
What a stage stores is keyed by content hashes, never by time, and every file is salted
with a hash of the tool's own code and library versions (`runtime.hashing.code_version`), so an
upgrade starts afresh. Each file starts with a digest of the rest, checked before use: a
missing, stale, truncated or corrupt file only means that part is computed again, never a
wrong result and never a traceback. `rm -rf .site-cache` is always safe.
"""

from __future__ import annotations

import functools
import mmap
import os
import pickle
import re
import stat
import subprocess
import sys
import zlib
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from site_builder.core.files.atomic import atomic_writer, remove_stale_temp_files
from site_builder.core.files.content_files import repository_around

SITE_CACHE = Path(".site-cache")  # under the site root; gitignored by `init`
INGEST_STATE = SITE_CACHE / "ingest"  # what ingest remembers (ingest/state.py)
# In it, each page file ingest read, by name: (label, stat, digest of its bytes). The build's
# page cache reads it too: after a checkout every file has a new stat, and ingest, run
# first, has just read them all.
PAGES_SEEN = "seen"
_MAGIC = b"site_builder cache 3\n"  # 3: the body's length and CRC-32
_DIGEST = 12
# How every version's store files begin (1: build's only, before 2026-12-03): a retired
# name's file `Store.sweep` may remove.
_ANY_MAGIC = re.compile(rb"site_builder (?:build )?cache \d+\n")
# A save's temporary not written to for this long (seconds) is a killed run's: swept.
STALE_TEMPORARY = 3600
REWRITE_FROM = 64  # entries learnt or unused before a table is rewritten in full (see Memo)


def header(salt: str) -> bytes:
    """How a file this code saves with `salt` begins (an earlier version's begins otherwise)."""
    return _MAGIC + salt.encode("ascii") + b"\n"


def planted(folder: Path) -> bool:
    """Whether the cache `folder` lies in (`.site-cache`) holds a file git tracks: a cache
    is pickled, and loading one runs what it says, so a file a pull request added there
    (`git add -f`) ran its code on the next build or serve (a security review). Such a
    cache is never read; `check` fails on it."""
    cache = next((p for p in (folder, *folder.parents) if p.name == SITE_CACHE.name), None)
    return cache is not None and tracked(cache)


@functools.lru_cache(maxsize=8)
def tracked(cache: Path) -> bool:
    """Whether git tracks any file under `cache` (once per process: one `git ls-files`)."""
    cache = cache.resolve()
    top = repository_around(cache)
    if top is None:
        return False
    try:
        found = subprocess.run(
            ["git", "-C", str(top), "ls-files", "-z", "--", str(cache)], capture_output=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):  # no git here: nothing it tracks either
        return False
    return found.returncode == 0 and bool(found.stdout)


class Store:
    """Named values kept between runs in one folder; `folder=None` keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def load(self, name: str, salt: str) -> Any:
        """The value saved under `name` with the same salt, or None (missing, stale or damaged)."""
        if self.folder is None or planted(self.folder):
            return None
        # Mapped, not read: the file's pages in the system's cache are read where they lie,
        # with no copy into a new buffer of its size (55 MB for an edit's build at 10,000
        # papers: 14 -> 8 ms for the page table alone). Files are replaced by renaming a new
        # one over them, never rewritten in place, so the mapped one stays as it was.
        try:
            with open(self.folder / name, "rb") as handle:
                mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # ValueError: an empty file, which maps to nothing
            return None
        with mapped, memoryview(mapped) as data:
            head = header(salt)
            with data[len(head) + _DIGEST :] as body:
                if (
                    data[: len(head)] != head
                    or data[len(head) : len(head) + _DIGEST] != _Checksum(body).digest()
                ):
                    return None
                try:
                    return pickle.loads(body)  # copies what it keeps: nothing refers to the map
                except (
                    pickle.UnpicklingError,
                    EOFError,
                    AttributeError,
                    ImportError,
                    IndexError,
                    TypeError,
                    ValueError,
                ):
                    return None  # written by another version of a class: as good as missing

    @contextmanager
    def locked(self, waiting: str) -> Iterator[None]:
        """Hold the folder's lock for the block: a second run on the same folder waits (and
        says `waiting` on stderr) instead of interleaving its writes with this one's. Where
        the lock cannot be taken (no folder yet: a first run, which has nothing to patch; a
        read-only disk; no `fcntl`), runs unlocked."""
        if self.folder is None or fcntl is None:
            yield
            return
        try:
            handle = open(self.folder / "lock", "a+b")  # noqa: SIM115 (held across the yield)
        except OSError:
            yield
            return
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(waiting, file=sys.stderr, flush=True)
                fcntl.flock(handle, fcntl.LOCK_EX)
            except OSError:
                pass  # a file system without locks
            yield  # closing the file releases the lock, as does the process ending

    def sweep(self, retired: Collection[str], earlier: Mapping[str, re.Pattern[bytes]] | None = None) -> None:
        """Remove the files of the folder (not of its sub-folders) that an earlier version of
        this tool kept under a name this one no longer uses: an upgrade that renamed one left
        the old file for good, which CI restored and saved again on every run. Only those
        names, and only the tool's own files: `retired` names a store's (and its `.new`),
        removed when it begins with a store's header; `earlier` names files kept outside a
        store, removed when they begin so. Any other name stays whatever it holds: a person's
        copy of a cache file (`pages.bak`) begins as the tool's own do. A save's temporary
        an hour old goes too, which a killed run left (a younger one may be another
        process's save under way). Nothing is removed from a cache git tracks (`planted`)."""
        if self.folder is None or planted(self.folder):
            return
        remove_stale_temp_files(self.folder, older_than=STALE_TEMPORARY)
        patterns = {name: _ANY_MAGIC for old in retired for name in (old, f"{old}.new")}
        patterns.update(earlier or {})
        for name, pattern in patterns.items():
            path = self.folder / name
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue  # a folder, or a link to a file elsewhere
                with open(path, "rb") as handle:
                    opening = handle.read(64)
                if pattern.match(opening):
                    path.unlink()
            except OSError:
                continue  # gone meanwhile, or unreadable: not ours to judge

    def save(self, name: str, salt: str, value: Any) -> None:
        """Keep `value` under `name` (atomically); a cache that cannot be written is skipped.

        The pickle streams into the file through the checksum, and the checksum goes in its
        place at the end: a large table never exists as one more copy in bytes (at 50,000
        pages that copy decided the run's peak memory)."""
        if self.folder is None:
            return
        try:
            with atomic_writer(self.folder / name, durable=False, swap=True) as handle:
                handle.write(header(salt))
                at = handle.tell()
                handle.write(bytes(_DIGEST))  # the checksum's place
                checksum = _Checksum()
                pickle.dump(value, _Hashing(handle, checksum), protocol=pickle.HIGHEST_PROTOCOL)
                handle.seek(at)
                handle.write(checksum.digest())
        except OSError:
            pass  # a read-only or full disk: the next run simply recomputes


class Memo:
    """One named table of remembered results, in two files: the table as last rewritten in
    full, and what runs learnt since (small: a daily update rewrites only that). The full
    table is rewritten, keeping only what this run used, once the entries learnt since or
    no longer used make up an eighth of it (and more than REWRITE_FROM).

    The files are read on first use: a run that never asks (no new abstract to fingerprint)
    does not hold the table in memory, and leaves it as it is."""

    def __init__(self, store: Store, name: str, salt: str) -> None:
        self.store, self.name, self.salt = store, name, salt
        self._tables: tuple[dict[str, Any], dict[str, Any]] | None = None  # known, recent
        self.used: dict[str, Any] = {}
        self.learnt: dict[str, Any] = {}

    def _load(self, name: str) -> dict[str, Any]:
        found = self.store.load(name, self.salt)
        return found if isinstance(found, dict) else {}

    @property
    def loaded(self) -> bool:
        """Whether the table has been read (by a `get`, or a `save` of what was learnt)."""
        return self._tables is not None

    def _loaded(self) -> tuple[dict[str, Any], dict[str, Any]]:
        if self._tables is None:
            self._tables = self._load(self.name), self._load(f"{self.name}.new")
        return self._tables

    def get(self, key: str) -> Any:
        known, recent = self._loaded()
        value = recent.get(key)
        if value is None:
            value = known.get(key)
        if value is not None:
            self.used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value
        self.learnt[key] = value

    def save(self) -> None:
        if self._tables is None and not self.learnt:
            return  # never asked: nothing learnt, and nothing known to be unused
        known, before = self._loaded()
        recent = {**before, **self.learnt}
        unused = len(known.keys() | before.keys()) - (len(self.used) - len(self.learnt))
        if len(recent) + unused > max(len(self.used) // 8, REWRITE_FROM):
            self.store.save(self.name, self.salt, self.used)
            self.store.save(f"{self.name}.new", self.salt, {})
        elif self.learnt:
            self.store.save(f"{self.name}.new", self.salt, recent)


class _Hashing:
    """A file that also feeds what is written to it into a hash (what `pickle.dump` needs)."""

    def __init__(self, handle: BinaryIO, checksum: _Checksum) -> None:
        self.handle, self.checksum = handle, checksum

    def write(self, data: bytes) -> int:
        self.checksum.update(data)
        return self.handle.write(data)


class _Checksum:
    """What a cache file carries to tell it is whole: its body's length and CRC-32, as zip
    and gzip check their members. It guards against damage (a cut, a flipped byte), not a
    forger, who could write any checksum: an edit's build reads and writes some 70 MB of
    cache, which SHA-256 took 40 ms to check even in hardware, CRC-32 15 ms."""

    def __init__(self, data: bytes | memoryview = b"") -> None:
        self.length, self.crc = memoryview(data).nbytes, zlib.crc32(data)

    def update(self, data: bytes | memoryview) -> None:
        self.length += memoryview(data).nbytes
        self.crc = zlib.crc32(data, self.crc)

    def digest(self) -> bytes:
        return self.length.to_bytes(8, "little") + self.crc.to_bytes(4, "little")

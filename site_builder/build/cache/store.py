"""The build cache: what earlier builds computed, kept so a build redoes only what changed.

It lives in `ROOT/.site-cache/build/`. Everything in it is keyed by content hashes, never
by time: a page by the hash of its file, a rendered file by a hash of everything it shows
(see jobs.py), the whole cache by a hash of the builder's own code and library versions
(`hashing.code_version`), so an upgrade starts afresh. Each file starts with a digest of the rest,
checked before use: a missing, stale, truncated or corrupt file only means that part is
computed again, never a wrong site and never a traceback. `rm -rf .site-cache` is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from site_builder.core.atomic import atomic_write_bytes

CACHE_DIR = Path(".site-cache") / "build"
_MAGIC = b"site_builder build cache 1\n"
_DIGEST = 16


class Store:
    """Named values kept between builds in one folder; `folder=None` keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def load(self, name: str, salt: str) -> Any:
        """The value saved under `name` with the same salt, or None (missing, stale or damaged)."""
        if self.folder is None:
            return None
        try:
            data = memoryview((self.folder / name).read_bytes())  # slices below copy nothing
        except OSError:
            return None
        head = _MAGIC + salt.encode("ascii") + b"\n"
        body = data[len(head) + _DIGEST :]
        if data[: len(head)] != head or data[len(head) : len(head) + _DIGEST] != _checksum(body):
            return None
        try:
            return pickle.loads(body)
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

    def save(self, name: str, salt: str, value: Any) -> None:
        """Keep `value` under `name` (atomically); a cache that cannot be written is skipped."""
        if self.folder is None:
            return
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            parts = [_MAGIC, salt.encode("ascii"), b"\n", _checksum(body), body]
            atomic_write_bytes(self.folder / name, parts, durable=False)
        except OSError:
            pass  # a read-only or full disk: the next build simply recomputes


def _checksum(body: bytes | memoryview) -> bytes:
    return hashlib.blake2b(body, digest_size=_DIGEST).digest()


def stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    """What tells a file changed without reading it: size, modification and change times, inode."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

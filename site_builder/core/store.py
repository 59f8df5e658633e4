"""Named values kept between runs, so ingest and build redo only what changed.

Both stages keep theirs under `ROOT/.site-cache/` (ingest in `ingest/`, build in `build/`).
What a stage stores is keyed by content hashes, never by time, and every file is salted
with a hash of the tool's own code and library versions (`hashing.code_version`), so an
upgrade starts afresh. Each file starts with a digest of the rest, checked before use: a
missing, stale, truncated or corrupt file only means that part is computed again, never a
wrong result and never a traceback. `rm -rf .site-cache` is always safe.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any, BinaryIO

from site_builder.core.atomic import atomic_writer

SITE_CACHE = Path(".site-cache")  # under the site root; gitignored by `init`
_MAGIC = b"site_builder cache 1\n"
_DIGEST = 16


class Store:
    """Named values kept between runs in one folder; `folder=None` keeps nothing."""

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
        if data[: len(head)] != head or data[len(head) : len(head) + _DIGEST] != _checksum(body).digest():
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
        """Keep `value` under `name` (atomically); a cache that cannot be written is skipped.

        The pickle streams into the file through the checksum, and the checksum goes in its
        place at the end: a large table never exists as one more copy in bytes (at 50,000
        pages that copy decided the run's peak memory)."""
        if self.folder is None:
            return
        try:
            with atomic_writer(self.folder / name, durable=False) as handle:
                handle.write(_MAGIC + salt.encode("ascii") + b"\n")
                at = handle.tell()
                handle.write(bytes(_DIGEST))  # the checksum's place
                checksum = _checksum()
                pickle.dump(value, _Hashing(handle, checksum), protocol=pickle.HIGHEST_PROTOCOL)
                handle.seek(at)
                handle.write(checksum.digest())
        except OSError:
            pass  # a read-only or full disk: the next run simply recomputes


class _Hashing:
    """A file that also feeds what is written to it into a hash (what `pickle.dump` needs)."""

    def __init__(self, handle: BinaryIO, checksum: hashlib.blake2b) -> None:
        self.handle, self.checksum = handle, checksum

    def write(self, data: bytes) -> int:
        self.checksum.update(data)
        return self.handle.write(data)


def _checksum(data: bytes | memoryview = b"") -> hashlib.blake2b:
    """The hash a cache file carries of its body, started on `data` (more may be fed in)."""
    return hashlib.blake2b(data, digest_size=_DIGEST)

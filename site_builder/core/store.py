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
from typing import Any

from site_builder.core.atomic import atomic_write_bytes

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
            pass  # a read-only or full disk: the next run simply recomputes


def _checksum(body: bytes | memoryview) -> bytes:
    return hashlib.blake2b(body, digest_size=_DIGEST).digest()

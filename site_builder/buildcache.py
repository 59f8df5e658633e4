"""The build cache: what earlier builds computed, kept so a build redoes only what changed.

It lives in `ROOT/.site-cache/build/`. Everything in it is keyed by content hashes, never
by time: a page by the hash of its file, a rendered file by a hash of everything it shows
(see plan.py), the whole cache by a hash of the builder's own code and library versions
(`code_salt`), so an upgrade starts afresh. Each file starts with a digest of the rest,
checked before use: a missing, stale, truncated or corrupt file only means that part is
computed again, never a wrong site and never a traceback. `rm -rf .site-cache` is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_DIR = Path(".site-cache") / "build"
_MAGIC = b"site_builder build cache 1\n"
_DIGEST = 16


def digest(*parts: str | bytes) -> str:
    """A short hex hash of the parts (their repr: ("ab", "c") and ("a", "bc") differ), or of
    one `bytes` part's raw bytes."""
    if len(parts) == 1 and isinstance(parts[0], bytes):
        h = hashlib.blake2b(b"\0raw", digest_size=_DIGEST)  # a repr never starts with NUL
        h.update(parts[0])
        return h.hexdigest()
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=_DIGEST).hexdigest()


# The libraries whose versions shape the output (distribution names).
LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "linkify-it-py", "mdurl", "pyyaml", "lunr")


@functools.cache
def code_salt() -> str:
    """A hash of the builder's code and the versions of the libraries that shape its output."""
    package = Path(__file__).resolve().parent
    parts: list[str | bytes] = [sys.version]
    for name in LIBRARIES:
        try:
            parts += [name, metadata.version(name)]
        except metadata.PackageNotFoundError:
            parts += [name, "?"]
    for source in sorted(package.rglob("*.py")):
        parts += [source.relative_to(package).as_posix(), source.read_bytes()]
    return digest(*parts)


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
            _write_atomically(
                self.folder / name, [_MAGIC, salt.encode("ascii"), b"\n", _checksum(body), body]
            )
        except OSError:
            pass  # a read-only or full disk: the next build simply recomputes


def _write_atomically(path: Path, parts: list[bytes]) -> None:
    """Write the parts one after another (no joined copy) into a temporary file, then rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.write(part)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _checksum(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=_DIGEST).digest()


def stat_key(st: os.stat_result) -> tuple[int, int, int, int]:
    """What tells a file changed without reading it: size, modification and change times, inode."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

"""The tool's hashes: cache keys, which may change between releases, and short names that
reach the output, which must not.

`digest` (with `bytes_digest` for a file's bytes, `text_key` for a paper's title and
abstract, `digest_chunks` for megabytes of arrays) keys caches and output files: what a
build must redo. `short_hash` names things that
are stored or published (a page's `generated:` record, a fallback slug, the search data
version), so it must never change between releases. `code_version` salts every cache.
"""

from __future__ import annotations

import array
import functools
import hashlib
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

_DIGEST_BYTES = 16


def digest(*parts: str | bytes) -> str:
    """A hex hash of the parts (("ab", "c") and ("a", "bc") differ; so do "a" and b"a").
    For cache keys only: it may change between releases.

    SHA-256, which processors compute in hardware, over the parts' lengths and then their
    text: a one-page edit at 10,000 papers hashes 21 MB of keys, and this is twice as fast
    as hashing their repr with BLAKE2. The lengths go in as machine integers (their repr
    took a third of a key of twenty parts; a daily ingest makes 60,000 keys)."""
    try:
        text = "".join(parts)  # type: ignore[arg-type]  # bytes parts raise: hashed below
    except TypeError:
        h = hashlib.sha256(b"\0parts")  # the text form starts otherwise
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
            h.update(b"b" if isinstance(part, bytes) else b"s")
            h.update(len(data).to_bytes(8, "little"))
            h.update(data)
        return h.hexdigest()[: 2 * _DIGEST_BYTES]
    h = hashlib.sha256(b"\1text")
    h.update(array.array("Q", map(len, parts)))  # where each part ends
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[: 2 * _DIGEST_BYTES]


def bytes_digest(data: bytes | memoryview) -> str:
    """A hash of a file's bytes, for recognising the file later (166 MB, a 10,000-paper site:
    0.095 s with SHA-256, against 0.24 s with BLAKE2)."""
    return hashlib.sha256(data).hexdigest()[:32]


class BytesHasher:
    """`bytes_digest` of bytes given in parts, as they are written: the same hash as of the
    parts joined (SHA-256 hashes a stream), without holding them."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def update(self, data: bytes | bytearray | memoryview) -> None:
        self._hash.update(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()[:32]


def text_key(title: str, text: str) -> str:
    """The cache key of a paper's title and abstract (what its tags and its search analysis
    are kept under)."""
    return digest(title, text)


TextKey = Callable[[str, str], str]  # `text_key`, or one that knows some keys already


def digest_chunks(chunks: Iterable[bytes]) -> str:
    """A hex hash of byte strings, each with its length (so no two sequences collide), without
    joining them: for keys over many megabytes of arrays."""
    h = hashlib.blake2b(b"\0chunks", digest_size=_DIGEST_BYTES)
    for chunk in chunks:
        h.update(len(chunk).to_bytes(8, "little"))
        h.update(chunk)
    return h.hexdigest()


def short_hash(*texts: str, length: int = 12) -> str:
    """The first `length` hex digits of the SHA-256 of the texts, concatenated, as UTF-8.

    Stable forever: it is written into pages and file names."""
    h = hashlib.sha256()
    for text in texts:
        h.update(text.encode("utf-8"))
    return h.hexdigest()[:length]


# The libraries whose versions shape the output (distribution names).
LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "linkify-it-py",
    "mdurl",
    "pyyaml",
    "lunr",
    "google-re2",  # the tag rules' engine: its matches are the tags
    "numpy",  # related papers: its sums and sorts order the links
)


@functools.cache
def code_version() -> str:
    """A hash of the tool's own code and the versions of the libraries that shape its output
    (zlib's too): every cache is keyed by it, so an upgrade starts afresh."""
    package = Path(__file__).resolve().parents[2]  # site_builder/, not core/runtime/
    # zlib deflates the offline copy, whose entries a build reuses from the last one's zip.
    parts: list[str | bytes] = [sys.version, zlib.ZLIB_RUNTIME_VERSION]
    for name, version in zip(LIBRARIES, library_versions(LIBRARIES), strict=True):
        parts += [name, version]
    for source in sorted(package.rglob("*.py")):
        parts += [source.relative_to(package).as_posix(), source.read_bytes()]
    return digest(*parts)


def package_fingerprint() -> str:
    """A short hash of every file of the installed package (code, theme, site template):
    which code this is, whatever the version number says."""
    package = Path(__file__).resolve().parents[2]
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return digest(*[part for f in files for part in (f.relative_to(package).as_posix(), f.read_bytes())])[:12]


def library_versions(names: Sequence[str]) -> list[str]:
    """Each installed distribution's version ("?" if not installed), as importlib.metadata
    gives it, read from the name of its `NAME-VERSION.dist-info` folder on `sys.path` where
    there is one: importing importlib.metadata costs 30 ms of every run's start."""
    wanted = {_normalized(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listed = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in listed:
            stem, _, kind = folder.rpartition(".")
            name, dash, version = stem.partition("-")
            key = _normalized(name)
            if kind == "dist-info" and dash and key in wanted and key not in found:
                found[key] = version  # the first on the path, as importlib.metadata takes it
        if len(found) == len(wanted):
            break
    return [found.get(_normalized(name)) or _metadata_version(name) for name in names]


def _normalized(name: str) -> str:
    """A distribution name as its folder spells it, compared without case (PEP 503)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def _metadata_version(name: str) -> str:
    """importlib.metadata's answer, for what the folder names do not tell (an egg, a zip)."""
    from importlib import metadata  # rarely needed: see library_versions

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"

"""The files an earlier version of site_builder built into the output folder, as the
manifest it left in `.site-cache/build/` names them, and whether it built the folder at all.

An upgrade salts every cache anew (core/files/store.py), so the new build cannot load the
old manifest, and the first versions (before 2026-12-03) wrote no `<meta name="generator">`:
their `_site` looked like a folder of someone else's files, and the first build after an
upgrade refused it. The old manifest is never unpickled (its classes are gone, and loading
a pickle runs what it says); its bytes are searched for the strings a pickle holds (a
length, then the UTF-8 bytes): the folder's path, then each file's.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from site_builder.core.files.store import header, planted
from site_builder.core.runtime.hashing import code_version

MANIFEST = "manifest"  # build/cache/manifest.py's name, in every version
_HEAD = b"site_builder "  # `site_builder build cache 1`, … `site_builder cache 3`
_SHORT = 0x8C  # pickle's SHORT_BINUNICODE: one byte of length, then the bytes
_LONG = b"X"  # BINUNICODE: four bytes of length (little-endian), then the bytes


def earlier_files(cache: Path, out: Path) -> frozenset[str]:
    """The files in `out` (relative, `/`-separated) that the manifest in `cache` names, if
    that manifest is an earlier build's of this folder; else none. A file of a person's in
    the folder is in no manifest, so it is not among them."""
    if planted(cache):  # a manifest a pull request put there is nobody's word
        return frozenset()
    try:
        data = (cache / MANIFEST).read_bytes()
    except OSError:
        return frozenset()
    if not data.startswith(_HEAD) or not _holds(data, str(out.resolve())):
        return frozenset()
    names = _short_strings(data)
    found: set[str] = set()
    for folder, _dirs, files in os.walk(out):
        where = Path(folder).relative_to(out).as_posix()
        prefix = "" if where == "." else where + "/"
        found.update(prefix + name for name in files if prefix + name in names)
    return frozenset(found)


def built_by_another_version(cache: Path, out: Path) -> bool:
    """Whether the last build of `out` ran other code (a release before an upgrade): its
    manifest in `cache` names the folder, and does not begin as this code's would. Such a
    site holds what that version made, which `check` would read as damage."""
    if planted(cache):
        return False
    try:
        with open(cache / MANIFEST, "rb") as handle:
            start = handle.read(1 << 16)  # the header, and the folder's path in the pickle
    except OSError:
        return False
    mine = header(code_version())
    return start.startswith(_HEAD) and not start.startswith(mine) and _holds(start, str(out.resolve()))


def _holds(data: bytes, text: str) -> bool:
    """Whether a pickle's bytes hold the string `text`, whole."""
    raw = text.encode("utf-8")
    if len(raw) < 256:
        return bytes([_SHORT, len(raw)]) + raw in data
    return _LONG + len(raw).to_bytes(4, "little") + raw in data


def _short_strings(data: bytes) -> set[str]:
    """Every string a pickle's bytes may hold with a one-byte length: relative paths are
    short. A byte that only looks like the opcode adds a string nobody asks for."""
    found: set[str] = set()
    start = data.find(_SHORT)
    while start != -1 and start + 1 < len(data):
        length = data[start + 1]
        with contextlib.suppress(UnicodeDecodeError):
            found.add(data[start + 2 : start + 2 + length].decode("utf-8"))
        start = data.find(_SHORT, start + 1)
    return found

"""How a search data file is written: its JSON, safe inside a script, wrapped as a script
storing it in the global `SEARCH_DATA` (no `fetch()`: search works from `file://`), and the
version that names its content (search/assets.py, search/words.py), and the shard of a
name in a directory hashed by name (the slugs', the authors')."""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from site_builder.core.runtime.hashing import short_hash

VERSION_LENGTH = 6  # hex digits of a data file's version (the index lists every one)
_JS_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def to_json(payload: dict[str, Any]) -> str:
    """Compact JSON that is safe inside a script: no `</script>`, `<!--`, `&` or line separators."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for char, escaped in _JS_UNSAFE.items():
        text = text.replace(char, escaped)  # these characters only ever occur inside strings
    return text


def js_data(name: str, version: str, body: str) -> bytes:
    """A script storing the JSON object `body`, plus `"v": version`, as SEARCH_DATA[name]."""
    return f'(window.SEARCH_DATA=window.SEARCH_DATA||{{}})["{name}"]={{"v":"{version}",{body[1:]};\n'.encode()


def data_version(name: str, body: str) -> str:
    """The hash of a data file's content that it carries (and the index lists), so a stale
    cached shard or chunk is never mixed in."""
    return short_hash(f"{name}\n{body}\n", length=VERSION_LENGTH)


PER_SHARD = 512  # names per shard of a directory hashed by name (slugs: about 15 kB, 5 kB gzipped)


def hashed_shard_count(names: int) -> int:
    """How many shards a directory of this many names (slugs, authors) has: a power of two,
    so that a growing site rehashes its names rarely."""
    count = 1
    while count * PER_SHARD < names:
        count *= 2
    return count


def hashed_shards(names: list[str], count: int) -> list[int]:
    """The shard of each name: the 32-bit FNV-1a hash of its UTF-8 bytes modulo `count`
    (search-engine.js `hashedShard` computes the same). All names at once, a byte column at
    a time in numpy (uint32 arithmetic wraps as the hash's `& 0xFFFFFFFF` does): a Python
    loop per byte took 50 ms of every build for 10,000 slugs."""
    encoded = [name.encode() for name in names]
    width = max(map(len, encoded), default=0)
    # Padded with zero bytes; each name's own bytes are read up to its length only.
    grid = np.frombuffer(np.array(encoded, dtype=f"S{max(width, 1)}").tobytes(), np.uint8)
    grid = grid.reshape(len(encoded), max(width, 1))
    lengths = np.fromiter(map(len, encoded), np.int64, len(encoded))
    value = np.full(len(encoded), 0x811C9DC5, np.uint32)
    prime = np.uint32(0x01000193)
    for column in range(width):
        value = np.where(lengths > column, (value ^ grid[:, column]) * prime, value)
    return (value % np.uint32(count)).tolist()  # type: ignore[no-any-return]

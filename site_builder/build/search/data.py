"""How a search data file is written: its JSON, safe inside a script, wrapped as a script
storing it in the global `SEARCH_DATA` (no `fetch()`: search works from `file://`), and the
version that names its content (search/assets.py, search/words.py)."""

from __future__ import annotations

import json
from typing import Any

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

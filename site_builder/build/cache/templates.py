"""Compiled templates kept between builds.

Jinja2 turns each template into Python code on first use: 0.09 s for the default theme's
sixteen templates, in every process that renders, on every build. Loading the same code
back takes 4 ms. It is kept in the store as Jinja's own bytecode, under Jinja's key for
the template file and checked against the checksum of its source, so an edited template is
compiled again; like everything in the store it is salted by the code version, which
covers the Jinja2 version and the environment's settings in `render.html.make_env`.
What a process compiled is also kept in memory for its next builds (`serve`'s, or a
script's), with or without a store: a build with no store compiled every template again.
"""

from __future__ import annotations

from typing import Any

import jinja2

from site_builder.core.files.store import Store
from site_builder.core.runtime.hashing import code_version

NAME = "templates"
# This process's compilations by bucket key, checked by the same checksum: the environment's
# settings never change within a process (`make_env`), nor does the code.
_COMPILED: dict[str, tuple[str, bytes]] = {}


class CompiledTemplates(jinja2.BytecodeCache):
    """Template bucket key → (source checksum, bytecode); `learnt` when this process compiled
    one, `used` the keys it asked for."""

    def __init__(self, known: dict[str, tuple[str, bytes]] | None = None) -> None:
        self.known = dict(known or {})
        self.learnt = False
        self.used: set[str] = set()

    @classmethod
    def load(cls, store: Store) -> CompiledTemplates:
        known: Any = store.load(NAME, code_version())
        return cls(known if isinstance(known, dict) else None)

    def save(self, store: Store) -> None:
        """Keep what this process compiled (helpers' compilations are theirs alone), with
        the templates it used: a template no longer used (a removed override, another
        install's theme folder) is dropped the next time anything is compiled."""
        if self.learnt:
            store.save(NAME, code_version(), {k: v for k, v in self.known.items() if k in self.used})
            self.learnt = False

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.used.add(bucket.key)
        entry = self.known.get(bucket.key)
        if entry is None or entry[0] != bucket.checksum:
            entry = _COMPILED.get(bucket.key)
            if entry is None or entry[0] != bucket.checksum:
                return
            self.known[bucket.key], self.learnt = entry, True  # the store lacked it: kept there too
        bucket.bytecode_from_string(entry[1])  # a mismatched Python version: compiled again

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.known[bucket.key] = _COMPILED[bucket.key] = (bucket.checksum, bucket.bytecode_to_string())
        self.learnt = True

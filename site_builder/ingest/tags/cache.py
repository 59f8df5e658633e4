"""Tag every paper: rules over title and abstract, remembered between runs, on all cores.

Tagging is the costliest part of ingest (a hundred regexes per paper). The tags of a
paper depend only on its title, its abstract and the taxonomy file, so they are kept in
`.site-cache/tags` (a `Memo`: a day's new papers are written apart from the rest) under a
hash of the three (and of the tool's code); a taxonomy edit starts a new cache.
A cold run over thousands of papers is split across processes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from site_builder.core.files.store import Memo, Store
from site_builder.core.runtime.hashing import TextKey, code_version, digest, text_key
from site_builder.core.taxonomy import Taxonomy
from site_builder.ingest.tags.tagger import Tagger

TAGS = "tags"  # its name in the store
# The releases before 2026-12-06 kept tags in .site-cache/tags.json, as json.dumps wrote it.
_EARLIER = {"tags.json": re.compile(rb'\{"taxonomy":"[0-9a-f]{32}","tags":\{')}
PARALLEL_FROM = 1500  # below this, starting processes costs more than it saves
_tagger: Tagger | None = None


def _init(taxonomy: Taxonomy, parent: int) -> None:
    from site_builder.core.runtime.parallel import die_with_parent  # see _tag_all

    global _tagger  # one per worker process, set once by the pool initializer
    die_with_parent(parent)  # a killed ingest must not leave workers waiting forever
    _tagger = Tagger.of(taxonomy)


def _tag_chunk(chunk: Sequence[tuple[str, str]]) -> list[tuple[str, ...]]:
    assert _tagger is not None
    return [_tagger.choose(title, abstract) for title, abstract in chunk]


def _tag_all(taxonomy: Taxonomy, texts: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    if len(texts) >= PARALLEL_FROM:
        # Imported only here: a day's ingest, tagging a few papers, needs no multiprocessing.
        from site_builder.core.runtime.parallel import cores, map_chunks

        if (workers := cores()) >= 2:
            return map_chunks(_tag_chunk, texts, workers, _init, (taxonomy, os.getpid()))
    tagger = Tagger.of(taxonomy)
    return [tagger.choose(t, a) for t, a in texts]


def tag_texts(
    taxonomy: Taxonomy,
    taxonomy_bytes: bytes,
    texts: list[tuple[str, str]],
    cache_dir: Path | None,
    save: bool = True,
    text_key: TextKey = text_key,
) -> list[tuple[str, ...]]:
    """Tags for each (title, abstract), in order; identical to `Tagger.choose` on each.
    With `save` false the cache is read, never written (`ingest --check`); `text_key`:
    `state.TextKeys`, which knows most papers' keys."""
    store = Store(cache_dir)
    if save:  # the top of .site-cache: the stages' folders, and this cache's files
        store.sweep((), _EARLIER)
    memo = Memo(store, TAGS, digest(code_version(), taxonomy_bytes))
    keys = [text_key(t, a) for t, a in texts]
    found: list[tuple[str, ...] | None] = [memo.get(k) for k in keys]
    missing = sorted(
        {k: i for i, (k, tags) in enumerate(zip(keys, found, strict=True)) if tags is None}.values()
    )
    for i, tags in zip(missing, _tag_all(taxonomy, [texts[i] for i in missing]), strict=True):
        memo.put(keys[i], tags)
    if save:  # a daily run writes only its new papers' tags; papers gone are forgotten in time
        memo.save()
    return [tags if tags is not None else memo.used[k] for k, tags in zip(keys, found, strict=True)]

"""The author directory: which papers each author wrote, for `search.html?author=NAME`.

An author's name on a paper page links to the search page filtered by that name; the engine
finds the name's papers in one small file, `assets/search/a<N>.js`, a shard of this
directory chosen by a hash of the name's key. The key is the name as `author_key` reads it
(search-engine.js `authorKey` reads it the same): case, accents and punctuation do not
count (`Ana María López-Vidal` is `ana maria lopez vidal`), the words and their order do
(`Jane Doe` is neither `Jane Smith` nor `Doe Jane` nor `J. Doe`). A site none of whose
papers has authors has no directory (and its index no authors field: search/index.py).
"""

from __future__ import annotations

import re

from site_builder.build.search.data import hashed_shard_count, hashed_shards
from site_builder.build.search.index import SearchIndex
from site_builder.core.text import fold

_NAME_WORD = re.compile(r"[^\W_]+")  # a run of letters and digits (search-engine.js: [\p{L}\p{N}]+)


def author_key(name: str) -> str:
    """The name as the directory matches it: folded (lowercase, no accents) words, one space apart."""
    return " ".join(_NAME_WORD.findall(fold(name)))


def author_directory(index: SearchIndex) -> list[dict[str, list[int]]]:
    """Each shard: an author's key → their papers' places counted from the oldest (as the
    slug directory's, so a new day leaves the older places as they were), oldest first;
    no shard at all on a site without authors."""
    n = len(index.docs)
    places: dict[str, list[int]] = {}
    for doc in range(n - 1, -1, -1):  # oldest first
        for key in dict.fromkeys(author_key(name) for name in index.docs[doc].authors):
            if key:
                places.setdefault(key, []).append(n - 1 - doc)
    if not places:
        return []
    shards: list[dict[str, list[int]]] = [{} for _ in range(hashed_shard_count(len(places)))]
    keys = sorted(places)
    for key, home in zip(keys, hashed_shards(keys, len(shards)), strict=True):
        shards[home][key] = places[key]
    return shards

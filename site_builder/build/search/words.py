"""The word list of the search files: the indexed words with their stems, in word shards
(`search/w<N>.js`), each a contiguous alphabetical range, front-coded; a query loads the
shards of the words it consults (search/assets.py writes them, search-engine.js reads them)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from site_builder.build.search.data import to_json
from site_builder.build.search.index import MAX_WORD, SearchIndex, js_sorted, term_order
from site_builder.build.search.js_stemmer import js_stem
from site_builder.core.runtime.hashing import digest

WORD_SHARD_BYTES = 6_000  # coded words per word shard: about 2.7 kB gzipped (measured: see docs/search.md)
# A word list this small (coded) stays in the entry point: about 30 kB gzipped, what one round
# trip of a slow phone's connection carries (1.6 Mbps, 150 ms); in shards it cost a round
# trip per initial for less than that (the bundled corpus's 7,900 words: 48 kB).
INLINE_WORD_BYTES = 64_000


@dataclass
class WordFiles:
    """The word list as the search files carry it: in word shards, each a contiguous
    alphabetical range of the indexed words (`search/w<N>.js`, loaded for the words a query
    consults), and what the entry point says of them."""

    bounds: list[str]  # each shard's lower bound: a word's first letter or two ("" for the first)
    bodies: list[str]  # each shard's JSON: its words with their stems, and its extra terms
    bases: list[int]  # how many terms sort before each shard's range
    stems: str  # the words lunr.js stems otherwise than the index did, with the index's stems
    alphabet: str  # every character of the indexed words (typo guesses try each)
    inline: dict[str, str] | None = None  # the one shard of a small word list, in the entry point
    # lunr.js's stem of each word with a `y` (`_stemmed_otherwise`): a memo for the next list
    js_stems: dict[str, str] = field(default_factory=dict)


def word_files(
    index: SearchIndex,
    shard_bytes: int | None = None,
    inline_bytes: int | None = None,
    known: WordFiles | None = None,
) -> WordFiles:
    """The word shards of `index`. A shard holds the words of whole initials (`c`), or, for
    an initial with more than `shard_bytes` of coded words, of whole two-letter beginnings
    (`co`), or three (`con`) for a beginning that large, consecutive ones packed up to
    `shard_bytes`: a word and every longer word it begins share a shard, so completing a
    word of three letters or more reads one shard.

    Shard i also decides which terms exist between its bound and the next (a term is a
    word's stem, and the stem of a word of another shard may sort here): the stems of its
    own words in its range, and the others listed (`x`). The browser numbers the terms of a
    range from `bases[i]`, so term shards need not name their terms. `shard_bytes`:
    WORD_SHARD_BYTES unless given. A word list of at most `inline_bytes` (INLINE_WORD_BYTES
    unless given) is one shard, kept in the entry point (`inline`). `known`: an earlier
    word list, whose words' lunr.js stems are not computed again."""
    shard_bytes = shard_bytes or WORD_SHARD_BYTES
    inline_bytes = INLINE_WORD_BYTES if inline_bytes is None else inline_bytes
    words = js_sorted(index.words)
    stems = [index.words[word] for word in words]
    coded = front_coded(words, stems)
    sizes = [len(entry) + 1 for entry in coded]
    if sum(sizes) <= inline_bytes:
        shard_bytes = sum(sizes) + 1
    starts: list[int] = []  # where each shard starts in `words`
    bounds: list[str] = []
    size = 0
    for first, unit, unit_size in unit_groups(words, sizes, shard_bytes):
        if not starts or size + unit_size > shard_bytes:
            starts.append(first)
            bounds.append(unit)
            size = 0
        size += unit_size
    if not starts:
        starts, bounds = [0], [""]
    bounds[0] = ""
    ends = [*starts[1:], len(words)]
    for n in starts[: len(coded)]:  # a shard's first word shares nothing with the one before
        coded[n] = front_coded(words[n : n + 1], stems[n : n + 1])[0]
    # Each term's home: the shard whose range holds it (terms are sorted as the bounds).
    homes: list[list[str]] = [[] for _ in starts]
    order: Callable[[str], Any] = term_order if max("".join(index.terms), default="") > "\uffff" else str
    keys = [order(bound) for bound in bounds]
    shard = 0
    for term in index.terms:
        while shard + 1 < len(keys) and keys[shard + 1] <= order(term):
            shard += 1
        homes[shard].append(term)
    bases = [0, *itertools.accumulate(len(terms) for terms in homes)][:-1]
    bodies = []
    for n, (a, b) in enumerate(zip(starts, ends, strict=True)):
        own = set(stems[a:b])
        extra = [term for term in homes[n] if term not in own]
        payload: dict[str, Any] = {"w": " ".join(coded[a:b])}
        if extra:
            payload["x"] = " ".join(extra)
        bodies.append(to_json(payload))
    js_stems: dict[str, str] = {}
    before = known.js_stems if known is not None else {}
    differ = [
        n
        for n, word in enumerate(words)
        if ("y" in word or not word.isascii()) and _stemmed_otherwise(word, stems[n], before, js_stems)
    ]
    exceptions = front_coded([words[n] for n in differ], [stems[n] for n in differ])
    alphabet = "".join(dict.fromkeys("".join(words)))
    if sum(sizes) <= inline_bytes:
        inline = {"w": " ".join(coded)}  # every term is a stem of a word of the one shard
        return WordFiles([], [], [], " ".join(exceptions), alphabet, inline, js_stems)
    return WordFiles(bounds, bodies, bases, " ".join(exceptions), alphabet, js_stems=js_stems)


_KEY_LETTERS = 3  # a shard's bound is at most this long (a word of three letters is in one shard)


def unit_groups(words: list[str], sizes: list[int], shard_bytes: int) -> list[tuple[int, str, int]]:
    """The runs of sorted `words` that share the beginning their shard is chosen by (their
    unit): each run's first word, its unit and its coded size (`sizes`: each word's). A
    word's unit is its initial, or more letters (at most _KEY_LETTERS) while the words of
    that beginning are more than a shard holds. In numpy, on each word's first letters:
    counting every beginning in a dictionary took 70 ms at 10,000 papers on every build
    whose words changed. Words sharing a beginning are consecutive in any sorted order."""
    if not words:
        return []
    width = _KEY_LETTERS
    # Each word's first letters as code points, zero past its end (no word holds U+0000, so
    # a shorter word never shares a beginning of n letters with a longer one).
    head = np.array([word[:width] for word in words], dtype=f"<U{width}").view(np.uint32)
    head = head.reshape(len(words), width)
    length = np.fromiter(map(len, words), np.int64, len(words))
    size = np.array(sizes, np.int64)
    # differs[i, n - 1]: word i does not begin with the same n letters as word i - 1.
    differs = np.ones((len(words), width), bool)
    differs[1:] = np.logical_or.accumulate(head[1:] != head[:-1], axis=1)
    unit = np.ones(len(words), np.int64)
    for n in range(1, width):  # lengthen while the words of this beginning are too many
        group = np.cumsum(differs[:, n - 1]) - 1
        total = np.bincount(group, weights=size)[group]
        unit += (unit == n) & (length > n) & (total > shard_bytes)
    # A run starts where the unit's length or its letters change.
    same_letters = ~differs[np.arange(len(words)), unit - 1]
    first = np.flatnonzero(np.r_[True, (unit[1:] != unit[:-1]) | ~same_letters[1:]])
    totals = np.add.reduceat(size, first).tolist()
    return [
        (n, words[n][:k], t) for n, k, t in zip(first.tolist(), unit[first].tolist(), totals, strict=True)
    ]


def _stemmed_otherwise(word: str, stem: str, before: dict[str, str], js_stems: dict[str, str]) -> bool:
    """Does lunr.js stem `word` otherwise than the index did (lunr.py)? Their Porter
    stemmers differ only in how they treat `y` (a vowel or not, and when a final `y`
    becomes `i`; tests check it on the bundled corpus's words), so only words with a `y`
    are stemmed again (stemming all 64,000 words of a 10,000-paper site took 0.3 s).
    Words with characters outside the BMP are listed whatever their stems (JavaScript
    counts those as two characters). lunr.js's stems are looked up in `before` (an earlier
    word list's: a day adds a few hundred words to 7,000 with a `y`, 40 ms to stem again)
    and kept in `js_stems`."""
    if not word.isascii() and max(word) > "\uffff":
        return True
    if "y" not in word:
        return False
    stemmed = js_stems[word] = before.get(word) or js_stem(word)
    return stemmed != stem


def front_coded(words: list[str], stems: list[str]) -> list[str]:
    """Each word (in sorted order) with its stem, as a compact entry.

    An entry is one upper-case letter (how many leading characters it shares with the
    previous word, A = 0), the rest of the word, and, when the stem differs from the word,
    an upper-case letter (how many characters the stemmer cut) and what it appended
    (`studies` → `studi`: cut 2 (C), append nothing). Words are lower-case, so upper-case
    letters are free to act as markers. Shards join their entries with spaces.
    """
    shared = shared_prefixes(["", *words[:-1]], words, 25)
    kept = shared_prefixes(words, stems, MAX_WORD)
    entries = []
    for word, stem, n, k in zip(words, stems, shared, kept, strict=True):
        entry = chr(65 + n) + word[n:]
        if stem != word:
            cut = len(word) - k if word.isascii() else _utf16_length(word[k:])
            if cut > 25:
                raise ValueError(f"stem {stem!r} of {word!r} cannot be encoded")
            entry += chr(65 + cut) + stem[k:]
        entries.append(entry)
    return entries


def words_key(index: SearchIndex) -> str:
    """What `word_files` reads, hashed: every indexed word and its stem. An edit seldom
    adds or drops a word, so a build keeps the word shards under this key (coding 66,000
    words took 0.19 s at 10,000 papers; the key takes a few ms)."""
    return digest("\n".join(index.words), "\n".join(index.words.values()))


def shared_prefixes(a: list[str], b: list[str], limit: int) -> list[int]:
    """For each pair a[i], b[i]: how many leading characters they share, at most `limit`,
    stopping before any character outside the BMP (JavaScript counts those as two, so the
    prefix lengths both sides use are the same numbers). All pairs at once, in numpy: a
    Python loop per character was most of the search files' time."""
    width = max(max(map(len, a), default=0), max(map(len, b), default=0), 1)
    first, second = (np.array(x, dtype=f"<U{width}").view(np.uint32).reshape(len(x), width) for x in (a, b))
    same = (first == second) & (first <= 0xFFFF)  # past both ends: both 0, so "same"
    n = np.where(same.all(axis=1), width, same.argmin(axis=1))
    ends = np.minimum(np.fromiter(map(len, a), np.int64, len(a)), np.fromiter(map(len, b), np.int64, len(b)))
    return np.minimum(np.minimum(n, ends), limit).tolist()  # type: ignore[no-any-return]


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2

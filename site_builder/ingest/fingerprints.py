"""Abstract → fingerprint: what dedupe compares of a text, computed for many texts at once.

A fingerprint is the abstract's words (normalised, joined by single spaces), the hashes of
its first two word triples (its opening) and a one-permutation MinHash signature of all
its word triples. Words are found in Python; the triple hashes and signatures of a slice of
texts are computed together in numpy. A fingerprint depends on its text alone, so ingest
keeps them between runs (`state.IngestState.fingerprints`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zlib
from collections.abc import Callable

import numpy as np

from site_builder.core.runtime.arrays import ranges

# A word: a run of letters and digits, but each Han character or kana its own (Chinese and
# Japanese write no spaces: a clause was a "word", and one edited character in a 150-character
# abstract kept two listings of a paper apart; a review). Hangul words have spaces.
_IDEOGRAPHS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
WORD = re.compile(rf"[{_IDEOGRAPHS}]|[^\W{_IDEOGRAPHS}]+")
BINS = 16  # signature size: the smallest shingle hash in each of 16 ranges of hash values

Fingerprint = tuple[str, tuple[int, ...], tuple[int, ...]]
Fingerprints = Callable[[list[str]], list[Fingerprint]]  # many abstracts' fingerprints at once


def words(text: str) -> tuple[str, ...]:
    """The words of a text, compatibility-normalised and case-folded (for ASCII, the same as
    lowercasing, and much cheaper)."""
    if text.isascii():  # every other character a space, then split: as the pattern finds them
        return tuple(text.lower().translate(_ASCII_NON_WORD).split())
    return tuple(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


_ASCII_NON_WORD = {c: " " for c in range(128) if not WORD.fullmatch(chr(c))}


class _WordHashes(dict[str, int]):
    """crc32 of each distinct word, computed once (stable across runs, unlike hash())."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


_MIX = np.uint64(0xBF58476D1CE4E5B9)  # an odd multiplier (splitmix64's) and a shift: a 64-bit mix
_SEED = np.uint64(0x9E3779B97F4A7C15)
# Abstracts fingerprinted at once: bounds the arrays (75,000 abstracts at 50k), and 256
# abstracts' shingles (60,000) stay in the processor's caches: the 10k bench corpus's 15,142
# abstracts took 0.94 s of CPU in slices of 256, against 1.19 s in slices of 2,048.
_SLICE = 256


def mix64(state: np.ndarray | np.uint64, value: np.ndarray) -> np.ndarray:
    """`value` mixed into each 64-bit state (wrapping arithmetic, as a hash does)."""
    mixed = (state ^ value) * _MIX
    result: np.ndarray = mixed ^ (mixed >> np.uint64(31))
    return result


def _shingles(tokens: list[tuple[str, ...]], word_hashes: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """The hash of every run of three consecutive words (a text of one or two words is padded
    with zeros to three), all texts' in one array in text order, and how many each text has."""
    lengths = np.fromiter(map(len, tokens), np.int64, len(tokens))
    padded = np.where((lengths > 0) & (lengths < 3), 3, lengths)
    starts = np.cumsum(padded) - padded
    ids = np.zeros(int(padded.sum()), np.uint64)
    ids[ranges(starts, lengths)] = np.fromiter(
        map(word_hashes.__getitem__, itertools.chain.from_iterable(tokens)), np.uint64, int(lengths.sum())
    )
    count = np.maximum(padded - 2, 0)
    at = ranges(starts, count)
    hashes = mix64(mix64(mix64(_SEED, ids[at]), ids[at + 1]), ids[at + 2]).view(np.int64)
    hashes[hashes == -1] = -2  # -1 marks an empty bin of a signature
    return hashes, count


def fingerprint_all(abstracts: list[str], word_hashes: dict[str, int] | None = None) -> list[Fingerprint]:
    """Each abstract's fingerprint: a function of its text alone, so it may be kept between
    runs. Words are found in Python, the shingles and signatures of many texts in numpy.

    The signature is a one-permutation MinHash: the smallest shingle hash in each of BINS
    equal ranges of 64-bit values (-1 when none falls there)."""
    word_hashes = _WordHashes() if word_hashes is None else word_hashes
    found: list[Fingerprint] = []
    for a in range(0, len(abstracts), _SLICE):
        tokens = [words(text) for text in abstracts[a : a + _SLICE]]
        hashes, count = _shingles(tokens, word_hashes)
        owner = np.repeat(np.arange(len(tokens)), count)
        key = owner * BINS + ((hashes.view(np.uint64) >> np.uint64(60)) ^ np.uint64(BINS // 2)).astype(
            np.int64
        )
        order = np.argsort(key, kind="stable")  # by text and bin
        key, ordered = key[order], hashes[order]
        sigs = np.full(len(tokens) * BINS, -1, np.int64)
        if len(key):
            first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            sigs[key[first]] = np.minimum.reduceat(ordered, first)
        # Each text's opening, its first two shingles: only those become Python numbers
        # (all of them took a fifth of fingerprinting).
        start = np.cumsum(count) - count
        end = start + np.minimum(count, 2)
        opening = hashes[ranges(start, end - start)].tolist()
        sig_rows = sigs.reshape(len(tokens), BINS).tolist()
        at = 0
        for words_of, n, sig in zip(tokens, (end - start).tolist(), sig_rows, strict=True):
            found.append((" ".join(words_of), tuple(opening[at : at + n]), tuple(sig)))
            at += n
    return found


def fingerprints() -> Fingerprints:
    """`fingerprint_all` for one run: each distinct abstract once, one table of word hashes."""
    word_hashes = _WordHashes()
    seen: dict[str, Fingerprint] = {}

    def of(abstracts: list[str]) -> list[Fingerprint]:
        missing = [text for text in dict.fromkeys(abstracts) if text not in seen]
        seen.update(zip(missing, fingerprint_all(missing, word_hashes), strict=True))
        return [seen[text] for text in abstracts]

    return of

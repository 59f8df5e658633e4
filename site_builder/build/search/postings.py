"""The compact integers of the search files, and the index's postings written in them.

A number is written in base-64 digits of 5 bits each, the last digit below 32 and every
digit before it 32 or more ("more follows"). `search-engine.js` reads them back; the
postings, the field lengths, the days and the tags of the search files all use it.
Everything is encoded in numpy, a slice at a time: at 10,000 papers the postings are about
1.3 million (term, document) pairs.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import numpy.typing as npt

from site_builder.core.runtime.arrays import Ints

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def varints(numbers: list[int]) -> str:
    """Non-negative integers as base-64 digits, 5 bits each; digits ≥ 32 mean "more follows"."""
    return _varint_chars(np.array(numbers, np.int64)).tobytes().decode("ascii")


Int32s = npt.NDArray[np.int32]
_PACKED = 1 << 62  # (term, doc) keys times the largest frequency must stay below this to pack
_SLICE = 1 << 18  # pairs encoded at once: bounds the temporary arrays (50,000 papers have millions)
_TEXTS = 4096  # documents' pairs unpacked at once
_NONE: Int32s = np.zeros(0, np.int32)


class WordPostings:
    """One field's (word id, frequency) pairs, document after document (doc id = position)."""

    def __init__(self, word: Int32s, tf: Int32s, per_doc: Ints) -> None:
        self.word, self.tf, self.per_doc = word, tf, per_doc

    @classmethod
    def of(cls, texts: list[bytes]) -> WordPostings:
        """From each document's word ids and then their frequencies, as int32 bytes
        (`search.index.Analyzer.pairs`)."""
        per_doc = np.fromiter(map(len, texts), np.int64, len(texts)) // 8
        word, tf = np.empty(int(per_doc.sum()), np.int32), np.empty(int(per_doc.sum()), np.int32)
        at = 0
        for a in range(0, len(texts), _TEXTS):  # a slice of documents at a time (memory at 50k)
            flat = np.frombuffer(b"".join(texts[a : a + _TEXTS]), np.int32)
            # Each document's numbers are its words, then as many frequencies: a mask picks
            # them apart (index arrays took hundreds of MB at 50,000 papers).
            sizes = per_doc[a : a + _TEXTS]
            is_word = np.repeat(np.tile(np.array([True, False]), len(sizes)), np.repeat(sizes, 2))
            end = at + len(flat) // 2
            word[at:end], tf[at:end] = flat[is_word], flat[~is_word]
            at = end
        return cls(word, tf, per_doc)

    def doc(self) -> Int32s:
        """Each pair's document."""
        return np.repeat(np.arange(len(self.per_doc), dtype=np.int32), self.per_doc)

    def lengths(self) -> list[int]:
        """Terms in each document (every word is one term): differences of a running total
        at the documents' bounds (a weighted `bincount` took 0.05 s per field at 10,000 papers)."""
        total = np.r_[0, np.cumsum(self.tf, dtype=np.int64)]
        bounds = np.r_[0, np.cumsum(self.per_doc)]
        return np.diff(total[bounds]).tolist()  # type: ignore[no-any-return]

    def encoded(self, word_term: Ints, terms: int, only: Ints | None = None) -> tuple[list[str], list[int]]:
        """Per term (`word_term` maps each word to its term's place in sorted order): its
        posting encoded as `search.index.SearchIndex` says, and how many documents have it.
        Words of one term in one document (`models`, `modeling`) add up. In numpy, a slice of
        terms at a time: a Python loop over the pairs was most of an index's time.
        `only` (places in term order, sorted): those terms' alone, in that order (an edit's:
        `earlier_postings.overlaid` puts them among the others).

        Consumes the pairs: they are released as soon as they are sorted (at 50,000 papers
        a field's pairs and their sorted copy would otherwise be held at once)."""
        # One int64 per pair, (term, doc, tf) packed, sorted in place: no order array, no
        # second copy (at 50,000 papers each such array is 60 MB).
        docs = len(self.per_doc)
        if only is not None:  # the terms numbered among themselves; every other term -1
            place = np.full(terms + 1, -1, np.int64)
            place[only] = np.arange(len(only))
            word_term, terms = place[word_term], len(only)  # an unused word's -1 stays -1
        key = word_term[self.word]
        key *= docs
        key += self.doc()
        if only is not None:
            keep = key >= 0
            key, self.word, self.tf = key[keep], self.word[keep], self.tf[keep]
        most = int(self.tf.max(initial=0)) + 1
        tf: npt.NDArray[np.signedinteger[Any]]
        if int(key.max(initial=0)) < _PACKED // most:
            key *= most
            key += self.tf
            self.word = self.tf = _NONE
            key.sort()
            tf = key % most
            key //= most
        else:  # too large to pack: sort the pairs by an order array
            order = np.argsort(key)
            key, tf = key[order], self.tf[order]
            self.word = self.tf = _NONE
            del order
        tf = tf.astype(np.int32, copy=False)
        key, tf = _summed_repeats(key, tf)
        per_term = np.zeros(terms, np.int64)
        for a in range(0, len(key), _SLICE):  # a slice at a time: no term array as long as the pairs
            per_term += np.bincount(key[a : a + _SLICE] // docs, minlength=terms)
        first = np.r_[0, np.cumsum(per_term)]  # where each term's pairs start
        key %= docs
        doc = key.astype(np.int32)
        del key
        encoded: list[str] = []
        t = 0
        while t < terms:
            end = int(np.searchsorted(first, first[t] + _SLICE, side="right")) - 1
            end = min(max(end, t + 1), terms)
            pairs = slice(first[t], first[end])
            encoded += _encoded_terms(doc[pairs], tf[pairs], first[t : end + 1] - first[t])
            t = end
        return encoded, np.diff(first).tolist()


def _summed_repeats(key: Ints, tf: Int32s) -> tuple[Ints, Int32s]:
    """Sorted keys with their frequencies, each run of equal keys (two words of one term in
    one document: `models`, `modeling`) made one with their sum; in place, a slice at a time,
    so no array as long as all the pairs is made on the way."""
    kept, a, n = 0, 0, len(key)
    while a < n:
        b = min(a + _SLICE, n)
        while b < n and key[b] == key[b - 1]:  # never split a run
            b += 1
        keys = key[a:b]
        first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        sums, firsts = np.add.reduceat(tf[a:b], first), keys[first]  # copies: safe to write back
        key[kept : kept + len(first)], tf[kept : kept + len(first)] = firsts, sums
        kept, a = kept + len(first), b
    return key[:kept], tf[:kept]


def _encoded_terms(doc: Int32s, tf: Int32s, first: Ints) -> list[str]:
    """The encoded postings of consecutive terms, given their pairs in order and where each
    term's pairs start (and one past the last)."""
    previous = np.empty_like(doc)
    previous[1:] = doc[:-1]
    previous[first[:-1][first[:-1] < len(doc)]] = -1  # a posting's first gap counts from doc -1
    repeated = tf != 1
    gap = 2 * (doc.astype(np.int64) - previous) + repeated  # odd: the frequency follows
    # The numbers to write, in order: each pair's gap, then its frequency if not 1.
    at = np.arange(len(doc)) + np.cumsum(repeated) - repeated  # where each pair's gap goes
    numbers = np.empty(len(doc) + int(repeated.sum()), np.int64)
    numbers[at] = gap
    numbers[at[repeated] + 1] = tf[repeated]
    text = _varint_chars(numbers).tobytes().decode("ascii")
    ends = np.cumsum(_varint_lengths(numbers))
    # A term's posting runs from its first pair's gap to its last pair's end.
    number_at = np.append(at, len(numbers))[first]  # first number of each term (or the end)
    char_at = np.append(0, ends)[number_at].tolist()
    return [text[a:b] for a, b in itertools.pairwise(char_at)]


def _varint_lengths(numbers: Ints) -> Ints:
    """Digits in each number's `varints` form: one per 5 bits, at least one."""
    if len(numbers) and numbers.min() < 0:  # its shifts would never reach 0
        raise ValueError("varints encode numbers of at least 0")
    lengths = np.ones(len(numbers), np.int64)
    rest = numbers >> 5
    while rest.any():
        lengths += rest > 0
        rest >>= 5
    return lengths


_DIGIT_BYTES = np.frombuffer(DIGITS.encode("ascii"), np.uint8)


def _varint_chars(numbers: Ints) -> npt.NDArray[np.uint8]:
    """`varints(numbers)` as ASCII bytes: the last digit of a number holds its low 5 bits, each
    digit before it 5 more bits plus 32 ("more follows")."""
    lengths = _varint_lengths(numbers)
    ends = np.cumsum(lengths)
    out = np.empty(int(ends[-1]) if len(ends) else 0, np.uint8)
    position, rest, more = ends - 1, numbers.copy(), 0
    live = np.ones(len(numbers), bool)
    while live.any():
        out[position[live]] = _DIGIT_BYTES[(rest[live] & 31) + more]
        rest >>= 5
        position -= 1
        more = 32
        live &= rest > 0
    return out

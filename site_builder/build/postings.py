"""The compact integers of the search files, and the index's postings written in them.

A number is written in base-64 digits of 5 bits each, the last digit below 32 and every
digit before it 32 or more ("more follows"). `search-engine.js` reads them back; the
postings, the field lengths, the days and the tags of the search files all use it.
Everything is encoded in numpy, a slice at a time: at 10,000 papers the postings are about
1.3 million (term, document) pairs.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from site_builder.core.arrays import Ints, ranges, starts

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def varints(numbers: list[int]) -> str:
    """Non-negative integers as base-64 digits, 5 bits each; digits ≥ 32 mean "more follows"."""
    return _varint_chars(np.array(numbers, np.int64)).tobytes().decode("ascii")


Int32s = npt.NDArray[np.int32]
_SLICE = 1 << 18  # pairs encoded at once: bounds the temporary arrays (50,000 papers have millions)


class WordPostings:
    """One field's (word id, frequency) pairs, document after document (doc id = position)."""

    def __init__(self, word: Int32s, tf: Int32s, doc: Int32s) -> None:
        self.word, self.tf, self.doc = word, tf, doc

    @classmethod
    def of(cls, texts: list[bytes]) -> WordPostings:
        """From each document's word ids and then their frequencies, as int32 bytes
        (`search_index.Analyzer.pairs`)."""
        flat = np.frombuffer(b"".join(texts), np.int32)
        per_doc = np.fromiter(map(len, texts), np.int64, len(texts)) // 8
        first = 2 * (np.cumsum(per_doc) - per_doc)
        word, tf = flat[ranges(first, per_doc)], flat[ranges(first + per_doc, per_doc)]
        return cls(word, tf, np.repeat(np.arange(len(texts), dtype=np.int32), per_doc))

    def lengths(self, docs: int) -> list[int]:
        """Terms in each document (every word is one term)."""
        return np.bincount(self.doc, weights=self.tf, minlength=docs).astype(np.int64).tolist()  # type: ignore[no-any-return]

    def encoded(self, word_term: Ints, terms: int, docs: int) -> tuple[list[str], list[int]]:
        """Per term (`word_term` maps each word to its term's place in sorted order): its
        posting encoded as `search_index.SearchIndex` says, and how many documents have it.
        Words of one term in one document (`models`, `modeling`) add up. In numpy, a slice of
        terms at a time: a Python loop over the pairs was most of an index's time."""
        key = word_term[self.word] * docs + self.doc  # (term, doc), in the order postings list them
        order = np.argsort(key)
        key = key[order]
        first_pair = np.flatnonzero(np.diff(key, prepend=-1))  # each (term, doc)'s first pair
        tf: Int32s = np.add.reduceat(self.tf[order], first_pair) if len(key) else np.zeros(0, np.int32)
        del order
        key = key[first_pair]
        term, doc = key // docs, (key % docs).astype(np.int32)
        del key
        first = starts(term, terms)  # where each term's pairs start
        encoded: list[str] = []
        t = 0
        while t < terms:
            end = int(np.searchsorted(first, first[t] + _SLICE, side="right")) - 1
            end = min(max(end, t + 1), terms)
            pairs = slice(first[t], first[end])
            encoded += _encoded_terms(doc[pairs], tf[pairs], first[t : end + 1] - first[t])
            t = end
        return encoded, np.diff(first).tolist()


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

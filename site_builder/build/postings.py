"""The compact integers of the search files, and the index's postings written in them.

A number is written in base-64 digits of 5 bits each, the last digit below 32 and every
digit before it 32 or more ("more follows"). `search-engine.js` reads them back; the
postings, the field lengths, the days and the tags of the search files all use it.
Everything is encoded in numpy, a slice at a time: at 10,000 papers the postings are about
1.3 million (term, document) pairs.
"""

from __future__ import annotations

import itertools
from array import array

import numpy as np
import numpy.typing as npt

from site_builder.core.arrays import Ints, starts

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"


def varints(numbers: list[int]) -> str:
    """Non-negative integers as base-64 digits, 5 bits each; digits ≥ 32 mean "more follows"."""
    return _varint_chars(np.array(numbers, np.int64)).tobytes().decode("ascii")


class FieldPostings:
    """One field's (term id, frequency) pairs, document after document, as compact arrays."""

    def __init__(self) -> None:
        self.terms = array("i")
        self.frequencies = array("i")
        self.per_doc = array("i")  # how many pairs each document has

    def add(self, counts: dict[int, int]) -> None:
        self.terms.extend(counts)
        self.frequencies.extend(counts.values())
        self.per_doc.append(len(counts))


Int32s = npt.NDArray[np.int32]
_SLICE = 1 << 18  # pairs encoded at once: bounds the temporary arrays (50,000 papers have millions)


def encoded_postings(postings: FieldPostings, rank: Ints) -> tuple[list[str], list[int]]:
    """Per term (by rank, the sorted order): its posting encoded as `search_index.SearchIndex`
    says, and how many documents it has. A slice of terms at a time, in numpy: a Python loop
    over the pairs was most of an index's time."""
    terms = len(rank)
    term = rank[np.frombuffer(postings.terms, np.int32)]
    by_term = np.argsort(term, kind="stable")  # documents stay in increasing order per term
    first = starts(term, terms)  # where each term's pairs start, in by_term
    del term
    tf = np.frombuffer(postings.frequencies, np.int32)
    per_doc = np.frombuffer(postings.per_doc, np.int32)
    doc = np.repeat(np.arange(len(per_doc), dtype=np.int32), per_doc)
    encoded: list[str] = []
    t = 0
    while t < terms:
        end = int(np.searchsorted(first, first[t] + _SLICE, side="right")) - 1
        end = min(max(end, t + 1), terms)
        pairs = by_term[first[t] : first[end]]
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

"""Flat numpy arrays as grouped tables: the few operations related papers, the search
postings and dedupe's shingles are built from.

A table of entries sorted by group (a paper's terms, a term's postings) is its arrays plus
where each group starts; these helpers number entries within groups, list the positions of
several groups at once and look values up in a sorted key array, all without a Python loop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def positions(group: Ints, groups: int) -> Ints:
    """For entries sorted by group: 0 for each group's first entry, 1 for the next, …"""
    result: Ints = np.arange(len(group)) - starts(group, groups)[group]
    return result


def starts(group: Ints, groups: int) -> Ints:
    """For entries sorted by group: where each group starts, and one past the last entry."""
    result = np.zeros(groups + 1, np.int64)
    np.cumsum(np.bincount(group, minlength=groups), out=result[1:])
    return result


def ranges(first: Ints, sizes: Ints) -> Ints:
    """Positions first[0] … first[0] + sizes[0] - 1, then those from first[1], …, as one array."""
    result: Ints = np.repeat(first - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))
    return result


def max_by(group: Ints, value: Floats, groups: int) -> Floats:
    """Each group's largest value (0 for a group with none)."""
    result = np.zeros(groups)
    np.maximum.at(result, group, value)
    return result


def find(keys: Ints, wanted: Ints) -> tuple[Ints, Bools]:
    """For each wanted value: where it is in `keys` (sorted), and whether it is there at all.
    Fastest when `wanted` increases: numpy's binary search starts from its last answer."""
    found: Ints = np.searchsorted(keys, wanted)
    if not len(keys):
        return found, np.zeros(len(wanted), dtype=bool)
    found[found == len(keys)] = 0
    return found, keys[found] == wanted


def distinct(values: Ints) -> Ints:
    """The distinct values, sorted: `np.unique` of integers, without its look for a masked
    array, which imports numpy.ma (10 ms of every daily build, for a few thousand pairs)."""
    ordered = np.sort(values)
    first = np.ones(len(ordered), bool)
    first[1:] = ordered[1:] != ordered[:-1]
    result: Ints = ordered[first]
    return result


def stable_order(key: Ints, bound: int, runs: bool = False) -> Ints:
    """`np.argsort(key, kind="stable")` for keys in [0, bound): one sort of the keys with
    each entry's place in the bits below them, so that equal keys keep their order. numpy
    sorts plain 64-bit integers with vectorised code (AVX-512), faster than its stable
    argsort, which moves indices, on keys in random order (160,000 query entries by term:
    6.9 ms against 9.6); keys too wide to pack sort as before.

    `runs`: the keys come in long sorted runs (each paper's entries by paper, two sorted
    sides joined): the stable argsort, a timsort that finds the runs, is the faster there,
    and the vectorised sort does not see them (2026-12-09, 600,000 entries of the related
    vectors by paper and term: 10.9–12.2 ms against 28.5–44 ms)."""
    if runs:
        ordered: Ints = np.argsort(key, kind="stable")
        return ordered
    n = len(key)
    shift = max(n - 1, 1).bit_length()
    if not n or bound > (2**63 - 1) >> shift:
        result: Ints = np.argsort(key, kind="stable")
        return result
    packed = np.sort((key << shift) | np.arange(n))
    packed &= (1 << shift) - 1
    return packed


def descending_ranks(values: Floats) -> tuple[Ints, int]:
    """Each value's rank among the distinct values, the largest 0, and how many distinct
    values there are: numbers that order as the values do, heaviest first, for
    `stable_order` (ties share a rank). Not for NaN."""
    order = np.argsort(values)  # any order among equals: they get one rank
    ordered = values[order]
    if not len(ordered):
        return order, 0
    distinct = np.empty(len(ordered), np.int64)
    distinct[0] = 0
    np.cumsum(ordered[1:] != ordered[:-1], out=distinct[1:])
    count = int(distinct[-1]) + 1
    ranks = np.empty(len(values), np.int64)
    ranks[order] = count - 1 - distinct
    return ranks, count


def joined(arrays: Sequence[bytes]) -> npt.NDArray[np.uint32]:
    """Strings of uint32 (a TermTable's) end to end, as one numpy array."""
    return np.frombuffer(b"".join(arrays), dtype=np.uint32)

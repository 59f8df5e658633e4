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


def find(keys: Ints, wanted: Ints) -> tuple[Ints, Bools]:
    """For each wanted value: where it is in `keys` (sorted), and whether it is there at all.
    Fastest when `wanted` increases: numpy's binary search starts from its last answer."""
    found: Ints = np.searchsorted(keys, wanted)
    if not len(keys):
        return found, np.zeros(len(wanted), dtype=bool)
    found[found == len(keys)] = 0
    return found, keys[found] == wanted


def joined(arrays: Sequence[bytes]) -> npt.NDArray[np.uint32]:
    """Strings of uint32 (a TermTable's) end to end, as one numpy array."""
    return np.frombuffer(b"".join(arrays), dtype=np.uint32)

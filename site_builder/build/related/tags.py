"""How much two papers' tags overlap, the second signal related papers are scored on
(related/index.py holds the first, their salient terms)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from site_builder.core.runtime.arrays import Bools, Floats, Ints, find, ranges, starts


class TagSimilarity:
    """How much two papers' tags overlap: shared tags' weight over all their tags' weight.

    A tag's weight is its inverse document frequency, so sharing a rare tag (moe) says more
    than sharing a common one (evaluation). Papers without tags in common score 0. Papers
    share a few hundred distinct tag sets ("kinds"), held as flat arrays like the vectors.
    """

    def __init__(self, kinds: Ints, kind_tags: list[list[int]], weight: Floats, names: list[str]) -> None:
        self.kinds = kinds  # paper → its kind's number
        self.names = names  # tag number → its name, sorted
        self.count = len(kind_tags)
        tag = np.array([t for ts in kind_tags for t in ts], dtype=np.int64)
        kind = np.repeat(np.arange(self.count), [len(ts) for ts in kind_tags])
        self.start = starts(kind, self.count)
        self.tag, self.tags = tag, len(weight)
        self.key = kind * self.tags + tag  # sorted: kinds in order, each kind's tags sorted
        self.weight = weight
        self.total = np.bincount(kind, weights=weight[tag], minlength=self.count)

    @classmethod
    def of(cls, tags: Sequence[Sequence[str]], base: Sequence[bool] | None = None) -> TagSimilarity:
        """Tags' weights counted over the papers `base` marks (all if None), as terms' are
        (`term_idf`); a tag none of them has weighs as one that one has."""
        names = sorted({t for ts in tags for t in ts})
        number = {t: i for i, t in enumerate(names)}
        sets = [tuple(sorted({number[t] for t in ts})) for ts in tags]
        counted = sets if base is None else [s for s, b in zip(sets, base, strict=True) if b]
        df = Counter(t for ts in counted for t in ts)
        kind: dict[tuple[int, ...], int] = {}
        kinds = np.array([kind.setdefault(s, len(kind)) for s in sets], dtype=np.int64)
        weight = np.array([math.log((1 + len(counted)) / max(df[i], 1)) for i in range(len(names))])
        return cls(kinds, [list(s) for s in kind], weight, names)

    def reweighed(self, before: TagSimilarity) -> Bools:
        """Per paper: whether it holds a tag whose weight is not `before`'s (its count in the
        weighing base moved). A tag new to the site, or gone from it, is held only by papers
        whose tags changed, which the caller knows."""
        was = dict(zip(before.names, before.weight.tolist(), strict=True))
        weights = zip(self.names, self.weight.tolist(), strict=True)
        moved = np.array([was.get(name, weight) != weight for name, weight in weights], bool)
        kind = np.zeros(self.count, bool)
        kind[(self.key // self.tags)[moved[self.tag]]] = True
        held: Bools = kind[self.kinds]
        return held

    def __call__(self, a: int, b: int) -> float:
        return float(self.between(np.array([a]), np.array([b]))[0])

    def between(self, a: Ints, b: Ints) -> Floats:
        """The overlap of each pair of papers `a[i]`, `b[i]`."""
        ka, kb = self.kinds[a], self.kinds[b]
        distinct, where = np.unique(ka * self.count + kb, return_inverse=True)
        first, second = distinct // self.count, distinct % self.count
        sizes = self.start[first + 1] - self.start[first]
        at = ranges(self.start[first], sizes)
        wanted = np.repeat(second, sizes) * self.tags + self.tag[at]
        shared_weight = np.where(find(self.key, wanted)[1], self.weight[self.tag[at]], 0.0)
        shared = np.zeros(len(distinct))
        nonempty = sizes > 0
        if nonempty.any():
            shared[nonempty] = np.add.reduceat(shared_weight, (np.cumsum(sizes) - sizes)[nonempty])
        union = self.total[first] + self.total[second] - shared
        overlap = np.divide(shared, union, out=np.zeros(len(distinct)), where=shared > 0)
        return overlap[where]  # type: ignore[no-any-return]

"""Scoring a slice of papers' links: candidates from the postings, weighed by tags, the best
rescored in full, each cut recording its slack (related/reach.py reads it).

The steps and their constants: the `CANDIDATES` best partial dot products of a paper are
weighed by tags (`1 + TAG_WEIGHT × tag similarity`), the `RESCORED` best of those get their
full cosine, and `shown` keeps the links a page shows: up to `SHOWN` that reach
`MIN_SCORE`, more only if they reach `STRONG_SCORE`. related/method.py says why each is so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np

from site_builder.build.related.index import Postings, Vectors, is_indexed
from site_builder.build.related.snapshot import Pairs, Slack
from site_builder.build.related.tags import TagSimilarity
from site_builder.core.runtime.arrays import (
    Bools,
    Floats,
    Ints,
    find,
    positions,
    ranges,
    stable_order,
    starts,
)

T = TypeVar("T", str, int)  # a paper, as a slug or as its number
CANDIDATES = 30
RESCORED = 12
TAG_WEIGHT = 2.0
MIN_SCORE = 0.25  # what any shown link needs
SHOWN = 3  # links shown at MIN_SCORE; more need STRONG_SCORE
STRONG_SCORE = 0.30
MOST_FACTOR = 1 + TAG_WEIGHT  # the tag factor's largest value: how much it can stretch a change


class Scoring:
    """The links of a slice of papers, from the shared vectors, postings and tags.

    Candidates come from the postings of each paper's `query_terms` strongest indexed terms
    (most of a cosine, at a fraction of the cost); the CANDIDATES best of them are weighed by
    tags, and the RESCORED best of those get their full cosine over all salient terms. Ties
    break on paper number (slug order) at every step.
    """

    def __init__(
        self, vectors: Vectors, postings: Postings, topics: TagSimilarity, k: int, query_terms: int
    ) -> None:
        self.vectors, self.postings, self.topics, self.k = vectors, postings, topics, k
        n, terms = len(vectors.start) - 1, len(vectors.vocabulary)
        self.n, self.terms = n, terms
        # A paper's query: its strongest terms that have postings, at most `query_terms`.
        indexed = postings.size(vectors.term) > 0
        ranked = positions(vectors.doc[indexed], n)
        chosen = np.flatnonzero(indexed)[ranked < query_terms]
        self.query_start = starts(vectors.doc[chosen], n)
        self.query = chosen  # entries of `vectors`, by paper
        # Every (paper, term) entry, sorted by one number, to look up another paper's weight.
        key = vectors.doc * terms + vectors.term
        self.by_term = stable_order(key, n * terms, runs=True)  # each paper's entries by term number
        self.lookup_key, self.lookup_weight = key[self.by_term], vectors.weight[self.by_term]

    def links(self, docs: Ints) -> tuple[list[tuple[int, list[int]]], Slack, Pairs]:
        """The links of papers `docs` (sorted), the slack of each: how far its scores may
        move before a choice could change, and their candidates as (paper, candidate,
        partial score, cosine) pairs (related/reach.py)."""
        pair_doc, other, partial = self._partial_scores(docs)
        return self.chosen(docs, np.searchsorted(docs, pair_doc), other, partial)

    def chosen(
        self, docs: Ints, local: Ints, other: Ints, partial: Floats, known: Floats | None = None
    ) -> tuple[list[tuple[int, list[int]]], Slack, Pairs]:
        """`links` from the pools of papers `docs` (sorted): pairs (`local`: a place in
        `docs`, sorted; `other`, by paper number within each) with their partial scores, and
        the cosines `known` of some (NaN: to work out; related/repair.py knows most)."""
        slack = Slack.unbounded(len(docs))
        if not len(docs):
            return [], slack, (docs, docs, np.zeros(0), np.zeros(0))
        # Papers numbered within the slice: a best-first order is then one sort (`_best`).
        pool = np.arange(len(other))
        first, at, partial = _cut(local, pool, partial, CANDIDATES, slack, 1.0, pool=True, floor=True)
        other = other[at]
        factor = tag_factor(self.topics, docs[first], other)
        local, rescored, factor = _cut(
            first, np.arange(len(at)), partial * factor, RESCORED, slack, MOST_FACTOR, factor, pool=True
        )
        cosines = np.full(len(rescored), np.nan) if known is None else known[at[rescored]]
        missing = np.isnan(cosines)
        cosines[missing] = self._cosines(docs[local[missing]], other[rescored[missing]])
        score = cosines * factor
        slack.threshold(local, score, MIN_SCORE, MOST_FACTOR)
        good = score >= MIN_SCORE
        local, linked, score = _cut(
            local[good], other[rescored[good]], score[good], self.k, slack, MOST_FACTOR
        )
        slack.threshold(local, score, STRONG_SCORE, MOST_FACTOR)
        follows = np.flatnonzero(local[1:] == local[:-1]) + 1  # the links' order
        slack.gap(local[follows], score[follows - 1], score[follows], MOST_FACTOR)
        # `shown`: the first SHOWN links, then only strong ones, counting places in the top k.
        shown = (positions(local, len(docs)) < SHOWN) | (score >= STRONG_SCORE)
        found: dict[int, list[int]] = {doc: [] for doc in docs.tolist()}
        for doc, o in zip(docs[local[shown]].tolist(), linked[shown].tolist(), strict=True):
            found[doc].append(o)
        kept = np.full(len(at), np.nan)  # the rescored candidates' cosines, as a scoring leaves them
        kept[rescored] = cosines
        return list(found.items()), slack, (docs[first], other, partial, kept)

    def _partial_scores(self, docs: Ints) -> tuple[Ints, Ints, Floats]:
        """Every (paper, other) pair meeting in a posting list, with its partial dot product,
        by paper."""
        v, p = self.vectors, self.postings
        chosen = self.query[
            ranges(self.query_start[docs], self.query_start[docs + 1] - self.query_start[docs])
        ]
        q_doc, q_term, q_weight = v.doc[chosen], v.term[chosen], v.weight[chosen]
        sizes = p.size(q_term)
        at = ranges(p.start[q_term], sizes)
        pair_doc, other = np.repeat(q_doc, sizes), p.doc[at]
        contribution = np.repeat(q_weight, sizes) * p.weight[at]
        apart = other != pair_doc
        key = pair_doc[apart] * self.n + other[apart]
        # Each pair's terms keep their order (the same sum); a paper's pairs come in runs.
        order = stable_order(key, self.n * self.n, runs=True)
        key, contribution = key[order], contribution[apart][order]
        if not len(key):
            return key, key, contribution
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        partial = np.add.reduceat(contribution, first)
        return key[first] // self.n, key[first] % self.n, partial

    def partials(self, paper: Ints, other: Ints) -> tuple[Floats, Bools]:
        """The partial score of each pair (paper, other) bit for bit as `_partial_scores` sums
        it (the same products in the same order: the paper's query terms in turn), and
        whether `other` is in the paper's pool at all. `other` is in a term's postings when
        it indexes the term and ranks with the last paper there or above it (heavier, or as
        heavy and numbered lower), as the capped postings keep them."""
        v, p = self.vectors, self.postings
        sizes = self.query_start[paper + 1] - self.query_start[paper]
        asked = self.query[ranges(self.query_start[paper], sizes)]
        pair = np.repeat(np.arange(len(paper)), sizes)
        theirs, term = other[pair], v.term[asked]
        found, hit = find(self.lookup_key, theirs * self.terms + term)
        entry = self.by_term[found]
        weight = self.lookup_weight[found]
        last = p.start[term + 1] - 1
        inside = hit & is_indexed(v.position[entry]) & (p.size(term) > 0)
        inside &= (weight > p.weight[last]) | ((weight == p.weight[last]) & (theirs <= p.doc[last]))
        pair, products = pair[inside], (v.weight[asked] * weight)[inside]
        partial, present = np.zeros(len(paper)), np.zeros(len(paper), bool)
        if len(pair):
            first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
            partial[pair[first]] = np.add.reduceat(products, first)
            present[pair[first]] = True
        return partial, present

    def _cosines(self, pair_doc: Ints, other: Ints) -> Floats:
        """The full cosine of each pair: the first paper's salient terms, looked up among the
        other's. Lookups go in increasing order (pairs by other paper, terms by number), which
        numpy's binary search answers several times faster than lookups in random order."""
        v = self.vectors
        by_other = np.argsort(other, kind="stable")
        firsts, others = pair_doc[by_other], other[by_other]
        sizes = v.start[firsts + 1] - v.start[firsts]
        at = self.by_term[ranges(v.start[firsts], sizes)]
        wanted = np.repeat(others, sizes) * self.terms + v.term[at]
        found, hit = find(self.lookup_key, wanted)
        theirs = np.where(hit, self.lookup_weight[found], 0.0)
        products = v.weight[at] * theirs
        cosines = np.empty(len(pair_doc))
        if len(products):
            cosines[by_other] = np.add.reduceat(products, np.cumsum(sizes) - sizes)
        return cosines


def tag_factor(topics: TagSimilarity, paper: Ints, other: Ints) -> Floats:
    """What shared tags multiply the score of each pair (`paper[i]`, `other[i]`) by."""
    factor: Floats = 1 + TAG_WEIGHT * topics.between(paper, other)
    return factor


def _best(doc: Ints, score: Floats, keep: int) -> Ints:
    """Where the `keep` highest-scoring pairs of each paper are, by paper, best first, ties
    in the order given.

    `doc` holds small numbers (a slice's papers), sorted: one sort of `doc - score / 4` puts
    each paper's pairs best first, since scores lie in [0, 3], and fast, as it is nearly in
    order. But it loses a score's last bits as `doc` grows: two near-equal scores tied in a
    paper numbered 20 in its slice and not in one scored alone, and a day's update picked
    other links than a computation from nothing (a property test's find). Where that order
    is not by score exactly, the exact sort (four times slower) decides."""
    order = np.argsort(doc - score / 4, kind="stable")
    in_order, scores = doc[order], score[order]
    if ((in_order[1:] == in_order[:-1]) & (scores[1:] > scores[:-1])).any():
        order = np.lexsort((-score, doc))
    result: Ints = order[positions(doc[order], int(doc[-1]) + 1 if len(doc) else 0) < keep]
    return result


def _cut(
    doc: Ints,
    other: Ints,
    score: Floats,
    keep: int,
    slack: Slack,
    stretch: float,
    carried: Floats | None = None,
    pool: bool = False,
    floor: bool = False,
) -> tuple[Ints, Ints, Floats]:
    """`_best`'s pairs, with `carried` (aligned with the pairs) in place of the scores if
    given; the gap between each paper's last kept score and the first dropped one goes
    into its slack.

    `pool`: a cut among the papers of a paper's pool, which a day's new papers join and
    leave (related/reach.py). A paper that dropped none keeps its last score's distance
    to 0 (a pool paper whose score falls to 0 leaves the pool). `floor`: the last kept
    score of a paper that dropped some becomes its floor, which a newcomer to its pool must
    reach to count (0 for one that dropped none: any newcomer counts)."""
    at = _best(doc, score, keep + 1)
    doc, other, score = doc[at], other[at], score[at]
    values = score if carried is None else carried[at]
    place = positions(doc, int(doc[-1]) + 1 if len(doc) else 0)
    dropped = np.flatnonzero(place == keep)
    slack.gap(doc[dropped], score[dropped - 1], score[dropped], stretch)
    if pool:
        last = np.flatnonzero(np.r_[doc[1:] != doc[:-1], True]) if len(doc) else doc
        whole = last[place[last] < keep]
        slack.gap(doc[whole], score[whole], np.zeros(len(whole)), stretch)
    if floor:
        slack.floor[doc[dropped]] = score[dropped - 1]
    kept = place < keep
    return doc[kept], other[kept], values[kept]


def shown(scored: Sequence[tuple[float, T]]) -> list[T]:
    """The links a page shows, from its best-first (score, paper) candidates: the first
    `SHOWN` that reach MIN_SCORE, then those that reach STRONG_SCORE."""
    return [
        other
        for n, (score, other) in enumerate(scored)
        if score >= (MIN_SCORE if n < SHOWN else STRONG_SCORE)
    ]

"""Which papers a change can reach: those whose related links the next computation must
score again (related.py's `related_state`); every other paper keeps its links, which are
then exactly those a computation from nothing gives.

A paper's links depend on its own vector, on its pool (the postings of its query terms,
where its candidates come from) and on the vectors of the papers in that pool. So a paper
is scored again when the terms it queries with changed place, or when the postings of a
term in its query window gained or lost a paper. Otherwise its pool holds the same papers,
and only its scores with changed vectors (its own, or pool papers') can move. A changed
vector is its old one scaled (renormalised: one term's weight moved, the others keep their
proportions) plus residual entries, so a score moves by at most the scalings, times the
score, plus the other paper's weight for each residual term times the residual (a bound on
both the partial dot product and the cosine), stretched at most by the tag factor.

Each scoring leaves every paper a **slack**: a share of the smallest gap its choices rest
on (the candidate and rescoring cut-offs, the order of its shown scores, each score's
distance to the showing thresholds), as a relative and an absolute budget (`Slack`). A
paper whose scores can move less than its slack keeps its links and spends that much of
it; one whose scores could cross a gap is scored again. Why it matters: an edit changes a
word's document frequency, which moves by a hair the vectors of every paper using the word
and, through the postings, reaches almost every paper; a hair crosses few gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from site_builder.build.related_index import Postings, Vectors, is_indexed, renumbering
from site_builder.core.arrays import Bools, Floats, Ints, find, positions, ranges, starts

ROUNDING = 1e-9  # what float rounding can add to a bound, with room to spare
LISTED = 1e-12  # residuals above this are bounded term by term, smaller ones together
MOST_SCALING = 1.25  # the most a skipped paper's scores may be scaled before it is scored again
# A changed paper's own residuals r move a score with another paper c by at most
# Σ |r_t| (w'_c,t + |r_c,t|) (the second part: its pair bound reads its new weights, not its
# old ones), and each of those weights is at most 1 + MOST_SCALING: 4 covers it.
OWN_RESIDUAL = 4.0


@dataclass(frozen=True)
class Snapshot:
    """What the last computation scored from: every paper's vector, which papers each
    term's postings held, and each paper's remaining slack."""

    vectors: Vectors
    postings_start: Ints
    postings_doc: Ints
    slack: Slack

    @classmethod
    def of(cls, vectors: Vectors, postings: Postings, slack: Slack) -> Snapshot:
        return cls(vectors, postings.start, postings.doc, slack)

    @property
    def vocabulary(self) -> list[str]:
        return self.vectors.vocabulary

    @property
    def start(self) -> Ints:
        return self.vectors.start

    @property
    def term(self) -> Ints:
        return self.vectors.term

    @property
    def weight(self) -> Floats:
        return self.vectors.weight


class Slack:
    """Each paper's budget for how far its scores may move before one of its choices could
    change, over every gap its choices rest on: `relative`, the logarithm of how much all
    its scores with a changed paper may be scaled by (at most MOST_SCALING), and `absolute`,
    how much they may move besides. A gap between two scores lends each budget a quarter of
    itself (both scores may move), a threshold half its distance to the score."""

    def __init__(self, relative: Floats, absolute: Floats) -> None:
        self.relative, self.absolute = relative, absolute

    @classmethod
    def unbounded(cls, papers: int) -> Slack:
        return cls(np.full(papers, np.inf), np.full(papers, np.inf))

    def gap(self, doc: Ints, upper: Floats, lower: Floats, stretch: float) -> None:
        """Scores `upper` above `lower` must stay in that order; the tag factor, up to
        `stretch`, multiplies what else moves them."""
        self._lend(doc, upper, np.abs(upper - lower) / 4, stretch)

    def threshold(self, doc: Ints, score: Floats, line: float, stretch: float) -> None:
        """Scores must stay on their side of `line`."""
        self._lend(doc, score, np.abs(score - line) / 2, stretch)

    def _lend(self, doc: Ints, height: Floats, budget: Floats, stretch: float) -> None:
        share = np.minimum(budget / np.maximum(height, np.finfo(float).tiny), MOST_SCALING - 1)
        np.minimum.at(self.relative, doc, np.log1p(share))
        np.minimum.at(self.absolute, doc, budget / stretch)

    def put(self, docs: Ints, other: Slack) -> None:
        """Replace the budgets of papers `docs` by `other`'s (aligned with `docs`)."""
        self.relative[docs], self.absolute[docs] = other.relative, other.absolute


@dataclass(frozen=True)
class Lookup:
    """Every paper's weight for a term, by the key `paper × terms + term` (sorted)."""

    key: Ints
    weight: Floats
    terms: int


@dataclass(frozen=True)
class _Changes:
    """How the changed papers' vectors moved, as a bound on any score with them: each
    changed vector is its old one scaled by `scale` (a vector renormalised because one
    word's weight moved keeps the others' proportions), plus residual entries. A score with
    a changed paper then moves by at most `spread` (the scaling, and residuals too small to
    list, bounded through the unit vector's sum) plus the other paper's weight for each
    listed residual term times the residual."""

    changed: Bools
    scaled: Floats  # per paper: |scale - 1|
    spread: Floats  # per paper: what residuals too small to list can add
    residual: Floats  # per paper: the sum of its residuals
    same_until: Ints  # per paper: its first place holding another term than before
    start: Ints  # listed residuals: per paper, and one past the last
    term: Ints  # numbered as now (gone terms past the vocabulary)
    size: Floats  # |new weight - scale × old weight|


def reached(
    previous: Snapshot,
    vectors: Vectors,
    postings: Postings,
    query: Ints,
    query_terms: int,
    lookup: Lookup,
) -> tuple[Ints, Slack]:
    """The papers to score again (sorted), and every paper's slack carried over (the
    entries of the papers scored again are to be replaced). `query` lists the entries of
    `vectors` each paper queries with, by paper; `query_terms` is how many it may have."""
    old_term = renumbering(previous.vocabulary, vectors.vocabulary)
    changes = _changes(previous, vectors, old_term)
    pool_changed, last = _query_window_changed(
        previous, vectors, postings, old_term, changes.changed, query, query_terms
    )
    # A changed paper whose query terms are the same, in the same places, has the same pool:
    # its scores move by its own scaling and residuals too, and it may keep its links.
    todo = (changes.changed & (changes.same_until <= last)) | pool_changed
    scaled = np.log1p(changes.scaled) + np.log1p(
        _pool_most(changes.scaled, vectors, postings, query, lookup.terms)
    )
    own = OWN_RESIDUAL * changes.residual
    moved = MOST_SCALING**2 * (own + _pool_moved(changes, vectors, postings, query, lookup))
    touched = (scaled > 0) | (moved > 0)
    slack = previous.slack
    todo |= touched & ((scaled + ROUNDING >= slack.relative) | (moved + ROUNDING >= slack.absolute))
    left = Slack(
        slack.relative - np.where(touched, scaled + ROUNDING, 0.0),
        slack.absolute - np.where(touched, moved + ROUNDING, 0.0),
    )
    return np.flatnonzero(todo), left


def _changes(previous: Snapshot, vectors: Vectors, old_term: Ints) -> _Changes:
    n = len(vectors.start) - 1
    old_sizes, new_sizes = np.diff(previous.start), np.diff(vectors.start)
    # Each entry beside the old one at the same place of the same paper, where there is one.
    common = vectors.position < old_sizes[vectors.doc]
    paper, place = vectors.doc[common], vectors.position[common]
    old_at = previous.start[paper] + place
    moved_term = old_term[previous.term[old_at]] != vectors.term[common]
    moved_weight = previous.weight[old_at] != vectors.weight[common]
    changed = old_sizes != new_sizes
    changed[paper[moved_term | moved_weight]] = True
    # Where each paper first holds another term than before (never: the largest number).
    same_until = np.where(old_sizes == new_sizes, np.iinfo(np.int64).max, np.minimum(old_sizes, new_sizes))
    np.minimum.at(same_until, paper[moved_term], place[moved_term])
    # The changed papers' old and new weight of each of their terms, by (paper, term).
    old_doc = np.repeat(np.arange(n), old_sizes)
    was, now = changed[old_doc], changed[vectors.doc]
    terms = len(vectors.vocabulary)
    width = terms + len(previous.vocabulary)
    old = old_term[previous.term[was]]
    old = np.where(old >= 0, old, terms + previous.term[was])
    key = np.concatenate([old_doc[was] * width + old, vectors.doc[now] * width + vectors.term[now]])
    weight = np.concatenate([-previous.weight[was], vectors.weight[now]])  # old ones negated
    order = np.argsort(key, kind="stable")
    key, weight = key[order], weight[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
    before = -np.add.reduceat(np.minimum(weight, 0.0), first) if len(key) else weight
    after = np.add.reduceat(np.maximum(weight, 0.0), first) if len(key) else weight
    doc, term = key[first] // width, key[first] % width
    # Each paper's scale: the median ratio of its terms' new and old weights.
    both = (before > 0) & (after > 0)
    scale = np.ones(n)
    ratio_doc, ratio = doc[both], after[both] / np.where(both, before, 1.0)[both]
    if len(ratio):
        by = np.lexsort((ratio, ratio_doc))
        ratio_doc, ratio = ratio_doc[by], ratio[by]
        begin = starts(ratio_doc, n)
        has = np.flatnonzero(np.diff(begin) > 0)
        scale[has] = ratio[(begin[has] + begin[has + 1] - 1) // 2]
    residual = np.abs(after - scale[doc] * before)
    listed = residual > LISTED
    spread = np.sqrt(np.bincount(doc, minlength=n)) * _max_by(doc, residual * ~listed, n)
    scaled = np.where(changed, np.abs(scale - 1), 0.0)
    return _Changes(
        changed,
        scaled,
        spread,
        np.bincount(doc, weights=residual, minlength=n).astype(float),
        same_until,
        starts(doc[listed], n),
        term[listed],
        residual[listed],
    )


def _max_by(group: Ints, value: Floats, groups: int) -> Floats:
    result = np.zeros(groups)
    np.maximum.at(result, group, value)
    return result


def _pool_most(value: Floats, vectors: Vectors, postings: Postings, query: Ints, terms: int) -> Floats:
    """For each paper, the largest `value` among the papers of its pool."""
    n = len(vectors.start) - 1
    nonempty = np.flatnonzero(np.diff(postings.start) > 0)
    if not len(nonempty):
        return np.zeros(n)
    term_most = np.zeros(terms)
    term_most[nonempty] = np.maximum.reduceat(value[postings.doc], postings.start[nonempty])
    return _max_by(vectors.doc[query], term_most[vectors.term[query]], n)


def _pool_moved(
    changes: _Changes, vectors: Vectors, postings: Postings, query: Ints, lookup: Lookup
) -> Floats:
    """For each paper, at most how far its scores with the changed papers of its pool can
    move besides their scaling: the residuals too small to list, and for each listed one
    the paper's own weight for that term times the residual."""
    n = len(vectors.start) - 1
    moved = _pool_most(changes.spread, vectors, postings, query, lookup.terms)
    # Pairs (paper querying a term, changed paper with listed residuals in its postings).
    in_postings = np.flatnonzero(np.diff(changes.start)[postings.doc] > 0)
    if not len(in_postings):
        return moved
    query_doc, query_term = vectors.doc[query], vectors.term[query]
    posting_term = np.searchsorted(postings.start, in_postings, side="right") - 1
    by_term = np.argsort(query_term, kind="stable")
    asker, asked = query_doc[by_term], query_term[by_term]
    ask_start = starts(asked, lookup.terms)
    sizes = ask_start[posting_term + 1] - ask_start[posting_term]
    paper = asker[ranges(ask_start[posting_term], sizes)]
    other = np.repeat(postings.doc[in_postings], sizes)
    apart = paper != other
    pair = np.unique(paper[apart] * n + other[apart])
    paper, other = pair // n, pair % n
    sizes = changes.start[other + 1] - changes.start[other]
    at = ranges(changes.start[other], sizes)
    term = changes.term[at]
    wanted = np.repeat(paper, sizes) * lookup.terms + np.minimum(term, lookup.terms - 1)
    found, hit = find(lookup.key, wanted)
    mine = np.where(hit & (term < lookup.terms), lookup.weight[found], 0.0)
    pair_of = np.repeat(np.arange(len(pair)), sizes)
    listed = np.bincount(pair_of, weights=mine * changes.size[at], minlength=len(pair)).astype(float)
    result: Floats = moved + _max_by(paper, listed, n)
    return result


def _query_window_changed(
    previous: Snapshot,
    vectors: Vectors,
    postings: Postings,
    old_term: Ints,
    changed: Bools,
    query: Ints,
    query_terms: int,
) -> tuple[Bools, Ints]:
    """Papers whose pool may hold other papers than before: a term whose postings gained or
    lost a paper lies among its terms up to its last query term (a paper queries with its
    heaviest terms that have postings; a term that gained or lost its postings altogether
    moves that window too, and is such a term); and where each paper's window ends."""
    n, terms = len(vectors.start) - 1, len(vectors.vocabulary)
    # Only the postings of terms a changed paper indexes (now or before) can differ.
    suspect = np.zeros(terms, bool)
    suspect[vectors.term[changed[vectors.doc] & is_indexed(vectors.position)]] = True
    old_doc = np.repeat(np.arange(n), np.diff(previous.start))
    old_indexed = old_term[previous.term[changed[old_doc] & is_indexed(positions(old_doc, n))]]
    suspect[old_indexed[old_indexed >= 0]] = True
    old_term_of = np.repeat(old_term, np.diff(previous.postings_start))
    kept = old_term_of >= 0
    kept[kept] = suspect[old_term_of[kept]]
    old_key = old_term_of[kept] * n + previous.postings_doc[kept]
    new_term_of = np.repeat(np.arange(terms), np.diff(postings.start))
    now = suspect[new_term_of]
    new_key = new_term_of[now] * n + postings.doc[now]
    changed_terms = np.zeros(terms, bool)
    changed_terms[np.setxor1d(old_key, new_key) // n] = True
    # Each paper's window: its entries up to its last query entry, or all of them while it
    # has fewer than `query_terms` (a term gaining postings would join its query).
    last = np.full(n, np.iinfo(np.int64).max)
    query_doc = vectors.doc[query]
    full = positions(query_doc, n) == query_terms - 1
    last[query_doc[full]] = vectors.position[query[full]]
    window = vectors.position <= last[vectors.doc]
    result = np.zeros(n, bool)
    result[vectors.doc[window & changed_terms[vectors.term]]] = True
    return result, last

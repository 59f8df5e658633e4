"""Correcting a reached paper's candidates instead of scoring it again (related/method.py).

A day's new papers reach thousands of papers (related/reach.py): they rise to a pool's
floor, or push a candidate out of a capped postings list. Such a paper's query and vector
are as they were, and so are most of its candidates' partial scores and cosines, which the
state keeps (`Candidates`). Only the pairs that moved need their partial scores worked out
anew (`Scoring.partials`, bit for bit as a scoring sums them), and the cosines only of the
candidates newly among the rescored (or changed); its candidates, links, floor and slack
are then chosen by the same steps as a scoring (`Scoring.chosen`) from a pool of its kept
candidates and the moved pairs.

That pool is the whole pool as far as the choice goes: every pool paper that is not a
candidate ranks under the last candidate (the 30th) as the state left it, since each
paper that rose in the pool since was held under the floor or is among the moved pairs. A
**marker** stands in for them, with that last candidate's score, ranked just after it: a
paper whose marker would be among its candidates (a candidate fell under it, and some
paper of the pool not kept may now be among the best) is scored in full; otherwise the
marker is at most the paper after the last candidate, and the gap measured to it is at
most the true one (a smaller slack only scores the paper sooner). A paper with fewer
candidates than the cut had no others in its pool: its moved pairs and candidates are all
of it. The kept scores hold while a paper is `exact`: a paper kept while its candidates'
scores moved is not, and is scored in full when next reached.
"""

from __future__ import annotations

import numpy as np

from site_builder.build.related import scoring as related_scoring
from site_builder.build.related.reach import Reach
from site_builder.build.related.snapshot import Candidates, Pairs, Slack
from site_builder.core.runtime.arrays import Ints, distinct, find

Links = tuple[list[tuple[int, list[int]]], Slack, Pairs]  # what `Scoring.links` gives


def repaired(scoring: related_scoring.Scoring, earlier: Candidates, reach: Reach) -> tuple[Ints, Links, Ints]:
    """The reached papers whose candidates can be corrected (sorted), their links, slack
    and candidates as a scoring gives them, and the reached papers left to score in full.
    `earlier`: the candidates the state kept."""
    n = len(earlier.start) - 1
    fixable = np.zeros(n, bool)
    fixable[reach.todo] = True
    fixable &= ~reach.whole & earlier.exact
    paper, other = earlier.pairs()
    mine = fixable[paper]
    kept_paper, kept_other = paper[mine], other[mine].astype(np.int64)
    kept_partial, kept_cosine = earlier.partial[mine], earlier.cosine[mine]
    kept_key = kept_paper * n + kept_other
    by_key = np.argsort(kept_key)
    # The moved pairs of these papers, once each, with their partial scores now.
    moved_paper, moved_other = reach.pairs
    ours = fixable[moved_paper]
    key = distinct(moved_paper[ours] * n + moved_other[ours])
    key_paper, key_other = key // n, key % n
    partial, present = scoring.partials(key_paper, key_other)
    # A moved candidate keeps its cosine unless its vector moved.
    at, was = find(kept_key[by_key], key)
    cosine = np.where(
        was & ~reach.changed[key_other], kept_cosine[by_key[at]] if len(by_key) else 0.0, np.nan
    )
    unmoved = ~find(key, kept_key)[1]
    # The marker of a paper with a full set of candidates: its last one's score, just after it.
    sizes = np.diff(earlier.start)
    full = np.flatnonzero(fixable & (sizes == related_scoring.CANDIDATES))
    last = earlier.start[full + 1] - 1
    pool_paper = np.concatenate([kept_paper[unmoved], key_paper[present], full])
    pool_other = np.concatenate([kept_other[unmoved], key_other[present], earlier.doc[last]])
    pool_partial = np.concatenate([kept_partial[unmoved], partial[present], earlier.partial[last]])
    pool_cosine = np.concatenate([kept_cosine[unmoved], cosine[present], np.full(len(full), np.nan)])
    marker = np.zeros(len(pool_paper), np.int64)
    marker[len(marker) - len(full) :] = 1
    order = np.argsort((pool_paper * n + pool_other) * 2 + marker, kind="stable")  # a scoring's order
    pool_paper, pool_other, pool_partial = pool_paper[order], pool_other[order], pool_partial[order]
    pool_cosine, marker = pool_cosine[order], marker[order]
    # A marker among its pool's CANDIDATES best (ties in that order) sends its paper to be
    # scored in full.
    at = np.flatnonzero(marker)
    mark, mark_at = np.full(n, np.inf), np.zeros(n, np.int64)
    mark[pool_paper[at]], mark_at[pool_paper[at]] = pool_partial[at], at
    ahead = (pool_partial > mark[pool_paper]) | (
        (pool_partial == mark[pool_paper]) & (np.arange(len(order)) < mark_at[pool_paper])
    )
    whole = np.isfinite(mark) & (np.bincount(pool_paper[ahead], minlength=n) < related_scoring.CANDIDATES)
    docs = np.flatnonzero(fixable & ~whole)
    chosen = ~whole[pool_paper]
    local = np.searchsorted(docs, pool_paper[chosen])
    links = scoring.chosen(docs, local, pool_other[chosen], pool_partial[chosen], pool_cosine[chosen])
    return docs, links, np.flatnonzero(whole)

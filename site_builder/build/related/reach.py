"""Which papers a change can reach: those whose related links the next computation must
score again (related/method.py's `related_state`); every other paper keeps its links, which are
then exactly those a computation from nothing gives. A change is an edit, or a day's new
papers, which enter as edits of papers that had no words (`related.method.grown`).

A paper's links depend on its own vector, on its **candidates** (the CANDIDATES papers of
its pool, the postings of its query terms, with the best partial scores) and on their
vectors. So a paper is scored again when the terms it queries with changed place (or a
term in its query window gained or lost its postings altogether). Otherwise its query is
the same, and its links can move only through its candidates' scores, or through a paper
rising into its candidates: one that joined its pool, or changed in it, with a partial
score reaching its **floor** (its last candidate's partial score, as the candidates may
have moved it). A changed vector is its old one scaled (renormalised: one term's weight
moved, the others keep their proportions) plus residual entries, so a score moves by at
most the scalings, times the score, plus the other paper's weight for each residual term
times the residual (a bound on both the partial dot product and the cosine), stretched at
most by the tag factor; a candidate pushed out of a capped postings list loses at most its
weight there times the paper's.

Each scoring leaves every paper a **slack**: a share of the smallest gap its choices rest
on (the candidate and rescoring cut-offs, the order of its shown scores, each score's
distance to the showing thresholds), as a relative and an absolute budget (`Slack`). A
paper whose scores can move less than its slack keeps its links and spends that much of
it; one whose scores could cross a gap is scored again. Why it matters: an edit changes a
word's document frequency, which moves by a hair the vectors of every paper using the word
and, through the postings, reaches almost every paper; a hair crosses few gaps. A day's
new papers join pools across the site, and most stay under the floors they meet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from site_builder.build.related.index import Postings, Vectors, is_indexed, renumbering
from site_builder.build.related.snapshot import MOST_SCALING, Lookup, Slack, Snapshot
from site_builder.core.runtime.arrays import (
    Bools,
    Floats,
    Ints,
    find,
    max_by,
    positions,
    ranges,
    stable_order,
    starts,
)

ROUNDING = 1e-9  # what float rounding can add to a bound, with room to spare
LISTED = 1e-12  # residuals above this are bounded term by term, smaller ones together
# A changed paper's own residuals r move a score with another paper c by at most
# Σ |r_t| (w'_c,t + |r_c,t|) (the second part: its pair bound reads its new weights, not its
# old ones), and each of those weights is at most 1 + MOST_SCALING: 4 covers it.
OWN_RESIDUAL = 4.0


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
) -> Reach:
    """The papers to score again (sorted), every paper's slack carried over (the entries
    of the papers scored again are to be replaced), and which pool papers moved. `query` lists the entries of
    `vectors` each paper queries with, by paper; `query_terms` is how many it may have.
    `vectors` were weighed with `previous`'s as the known ones, if with any: their
    `renumbered` then maps `previous`'s term numbers (`salient_vectors` worked it out)."""
    n = len(vectors.start) - 1
    old_term = vectors.renumbered
    if old_term is None:
        old_term = renumbering(previous.vocabulary, vectors.vocabulary)
    changes = _changes(previous, vectors, old_term)
    pools = _pool_changes(previous, vectors, postings, old_term, changes.changed, query, query_terms)
    # A changed paper whose query terms are the same, in the same places, has the same pool:
    # its scores move by its own scaling and residuals too, and it may keep its links.
    todo = (changes.changed & (changes.same_until <= pools.last)) | pools.todo
    candidate = previous.candidates.keys(n)
    # The changed papers among each paper's candidates: their scaling and residuals.
    paper, other = previous.candidates.pairs()
    moving = changes.changed[other]
    paper, other = paper[moving], other[moving]
    moves = [(paper, other)]  # pairs whose partial score moved or may have
    scaled = np.log1p(changes.scaled) + np.log1p(max_by(paper, changes.scaled[other], n))
    pair_moved = changes.spread[other] + _residual_products(changes, paper, other, lookup)
    own = OWN_RESIDUAL * changes.residual
    moved = MOST_SCALING**2 * (own + max_by(paper, pair_moved, n))
    # Candidates that left a postings list of the paper's query: their partial scores fall.
    paper, other, fall = pools.left
    is_candidate = find(candidate, paper * n + other)[1]
    pair, which = np.unique(paper[is_candidate] * n + other[is_candidate], return_inverse=True)
    fell = np.bincount(which.reshape(-1), weights=fall[is_candidate], minlength=len(pair)).astype(float)
    moved += max_by(pair // n, fell, n)
    moves.append((pair // n, pair % n))
    # Papers new to a pool or changed in it that were not candidates: they stay out while
    # their partial score stays under the pool's floor, as the candidates' scores may move
    # it; a candidate that joined another postings list of the query rises: scored again.
    paper, other, joined, partial = pools.outsiders
    is_candidate = find(candidate, paper * n + other)[1]
    todo[paper[is_candidate & joined]] = True
    moves.append((paper[is_candidate & joined], other[is_candidate & joined]))
    shifted = changes.changed.copy()  # papers whose candidates' scores moved
    for pair_paper, _ in moves:
        shifted[pair_paper] = True
    paper, other, partial = paper[~is_candidate], other[~is_candidate], partial[~is_candidate]
    unknown = ~changes.changed[other]  # an unchanged paper that joined: bounded
    score = partial
    score[unknown] = _query_products(paper[unknown], other[unknown], query, vectors, lookup)
    slack = previous.slack
    # The floor as the candidates' scores may have moved it (a relative move is at most
    # e^scaled - 1 either way): what the next change is measured against (a lower floor
    # only lets fewer papers keep their links).
    floor = np.maximum(slack.floor * (2 - np.exp(scaled)) - moved - ROUNDING, 0.0)
    over = score + ROUNDING >= floor[paper]
    todo[paper[over]] = True
    moves.append((paper[over], other[over]))
    touched = (scaled > 0) | (moved > 0)
    todo |= touched & ((scaled + ROUNDING >= slack.relative) | (moved + ROUNDING >= slack.absolute))
    left = Slack(
        slack.relative - np.where(touched, scaled + ROUNDING, 0.0),
        slack.absolute - np.where(touched, moved + ROUNDING, 0.0),
        floor,
    )
    # A paper kept out now lies closer under the floor than the first one kept out did.
    left.gap(paper, floor[paper], score, 1.0)
    whole = changes.changed | pools.todo
    pairs = (np.concatenate([a for a, _ in moves]), np.concatenate([b for _, b in moves]))
    return Reach(np.flatnonzero(todo), left, whole, changes.changed, shifted, pairs)


@dataclass(frozen=True)
class Reach:
    """What a change reaches (`reached`): the papers to score again, every paper's slack
    carried over, and what related/repair.py needs to correct a reached paper's candidates
    instead: the papers it cannot (`whole`: their own vector or query moved), those whose
    vectors moved (`changed`), those whose candidates' scores moved (`shifted`: their kept
    scores no longer hold), and the pairs (paper, pool paper) whose partial scores moved or
    may now reach the floor."""

    todo: Ints
    slack: Slack
    whole: Bools
    changed: Bools
    shifted: Bools
    pairs: tuple[Ints, Ints]


def entries_of(start: Ints, papers: Ints) -> Ints:
    """The places of the entries of `papers` (sorted) in vectors that start at `start`."""
    return ranges(start[papers], start[papers + 1] - start[papers])


def _changes(previous: Snapshot, vectors: Vectors, old_term: Ints) -> _Changes:
    n = len(vectors.start) - 1
    old_sizes, new_sizes = np.diff(previous.start), np.diff(vectors.start)
    # Each entry beside the old one at the same place of the same paper, where there is one.
    # Only the papers weighed anew can differ (the others' vectors were lent, entry for
    # entry): a one-page edit's few hundred papers, not every entry of 10,000.
    if vectors.weighed is None or vectors.renumbered is None:
        common = np.flatnonzero(vectors.position < old_sizes[vectors.doc])
    else:
        at = entries_of(vectors.start, vectors.weighed)
        common = at[vectors.position[at] < old_sizes[vectors.doc[at]]]
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
    moved = np.flatnonzero(changed)
    was, now = entries_of(previous.start, moved), entries_of(vectors.start, moved)
    terms = len(vectors.vocabulary)
    width = terms + len(previous.vocabulary)
    old = old_term[previous.term[was]]
    old = np.where(old >= 0, old, terms + previous.term[was])
    key = np.concatenate(
        [previous.vectors.doc[was] * width + old, vectors.doc[now] * width + vectors.term[now]]
    )
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
    spread = np.sqrt(np.bincount(doc, minlength=n)) * max_by(doc, residual * ~listed, n)
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


def _residual_products(changes: _Changes, paper: Ints, other: Ints, lookup: Lookup) -> Floats:
    """For each pair (paper, changed paper): the sum, over the changed paper's listed
    residuals, of the paper's weight for that term times the residual."""
    sizes = changes.start[other + 1] - changes.start[other]
    at = ranges(changes.start[other], sizes)
    term = changes.term[at]
    wanted = np.repeat(paper, sizes) * lookup.terms + np.minimum(term, lookup.terms - 1)
    found, hit = find(lookup.key, wanted)
    mine = np.where(hit & (term < lookup.terms), lookup.weight[found], 0.0)
    pair_of = np.repeat(np.arange(len(paper)), sizes)
    return np.bincount(pair_of, weights=mine * changes.size[at], minlength=len(paper)).astype(float)


def _query_products(paper: Ints, other: Ints, query: Ints, vectors: Vectors, lookup: Lookup) -> Floats:
    """For each pair: the sum of the paper's query weights times the other's weights for the
    same terms, a bound on their partial score (the other may be missing from postings)."""
    n = len(vectors.start) - 1
    query_start = starts(vectors.doc[query], n)
    sizes = query_start[paper + 1] - query_start[paper]
    at = query[ranges(query_start[paper], sizes)]
    found, hit = find(lookup.key, np.repeat(other, sizes) * lookup.terms + vectors.term[at])
    theirs = np.where(hit, lookup.weight[found], 0.0)
    pair_of = np.repeat(np.arange(len(paper)), sizes)
    return np.bincount(pair_of, weights=vectors.weight[at] * theirs, minlength=len(paper)).astype(float)


@dataclass(frozen=True)
class _PoolChanges:
    """How the pools of papers moved: postings that gained or lost papers."""

    todo: Bools  # papers whose query may hold other terms, or changed papers whose pool moved
    last: Ints  # per paper: the place of its last query term (none: the largest number)
    left: tuple[Ints, Ints, Floats]  # (paper, pool paper, fall): a term of its query lost it
    # (paper, pool paper, joined, partial): it joined, or changed; the partial score of the
    # postings entries that joined or changed (all of a changed paper's)
    outsiders: tuple[Ints, Ints, Bools, Floats]


def _pool_changes(
    previous: Snapshot,
    vectors: Vectors,
    postings: Postings,
    old_term: Ints,
    changed: Bools,
    query: Ints,
    query_terms: int,
) -> _PoolChanges:
    """Which postings gained or lost papers, and what that does to each paper's pool.

    A term whose postings became empty or stopped being so moves the query window of every
    paper holding it up to its last query term (a paper queries with its heaviest terms
    that have postings; while it has fewer than `query_terms`, with all of them): those
    papers are scored again, as are changed papers querying a term whose postings moved.
    Otherwise a paper's query terms are those of before, and its pool moved by the papers
    that left the postings of its query terms (each lowering its partial score with the
    paper by the paper's weight times its old one), those that joined them, and the changed
    papers in them."""
    n, terms = len(vectors.start) - 1, len(vectors.vocabulary)
    # Only the postings of terms a changed paper indexes (now or before) can differ.
    suspect = np.zeros(terms, bool)
    moved = np.flatnonzero(changed)
    now_at, was_at = entries_of(vectors.start, moved), entries_of(previous.start, moved)
    suspect[vectors.term[now_at[is_indexed(vectors.position[now_at])]]] = True
    old_doc = previous.vectors.doc
    was_indexed = old_term[previous.term[was_at[is_indexed(previous.vectors.position[was_at])]]]
    suspect[was_indexed[was_indexed >= 0]] = True
    old_term_of = np.repeat(old_term, np.diff(previous.postings_start))
    kept = old_term_of >= 0
    kept[kept] = suspect[old_term_of[kept]]
    old_key = old_term_of[kept] * n + previous.postings_doc[kept]
    new_term_of = np.repeat(np.arange(terms), np.diff(postings.start))
    now = np.flatnonzero(suspect[new_term_of])  # postings entries, by place
    new_key = new_term_of[now] * n + postings.doc[now]
    # Each (term, paper) pair is in a term's postings once: sorted, the keys are looked up
    # as `np.isin` and `np.setdiff1d` would, without their sorts of both (23 ms at 10,000).
    old_sorted, new_sorted = np.sort(old_key), np.sort(new_key)
    joined = now[~find(old_sorted, new_key)[1]]  # postings entries new to their list
    left = old_sorted[~find(new_sorted, old_sorted)[1]]
    was_empty = np.bincount(old_key // n, minlength=terms) == 0
    is_empty = np.bincount(new_key // n, minlength=terms) == 0
    emptied = suspect & (was_empty != is_empty)
    # Each paper's window: its entries up to its last query entry, or all of them while it
    # has fewer than `query_terms` (a term gaining postings would join its query).
    last = np.full(n, np.iinfo(np.int64).max)
    query_doc = vectors.doc[query]
    full = positions(query_doc, n) == query_terms - 1
    last[query_doc[full]] = vectors.position[query[full]]
    todo = np.zeros(n, bool)
    if emptied.any():  # rare: every entry's window is looked at only then
        window = vectors.position <= last[vectors.doc]
        todo[vectors.doc[window & emptied[vectors.term]]] = True
    moved_term = np.zeros(terms, bool)
    moved_term[new_term_of[joined]] = moved_term[left // n] = True
    todo[query_doc[moved_term[vectors.term[query]] & changed[query_doc]]] = True
    # Who left: each with its old weight for the term (from the old entries of those terms).
    left_term = np.zeros(terms + 1, bool)
    left_term[left // n] = True
    was = np.zeros(0, np.int64)
    if len(left):  # every old entry is looked at only when some left
        old_indexed = is_indexed(previous.vectors.position)
        was = np.flatnonzero(old_indexed & left_term[old_term[previous.term]])  # -1: the last, False
    was_key = old_term[previous.term[was]] * n + old_doc[was]
    order = np.argsort(was_key)
    found, _ = find(was_key[order], left)
    query_term = vectors.term[query]
    by_term = stable_order(query_term, terms)  # the query entries by term, each term's in order
    asker, entry, other = _askers(left // n, left % n, query_term, by_term)
    fall = vectors.weight[query[asker]] * previous.weight[was[order[found]]][entry]
    # Who joined, and the changed papers in postings: pairs with each paper asking the term.
    marked = changed[postings.doc]
    marked[joined] = True
    outside = np.flatnonzero(marked)  # postings entries
    is_joined = np.zeros(len(marked), bool)
    is_joined[joined] = True
    how = is_joined[outside]
    weight = postings.weight[outside]
    asked, entry, pool_paper = _askers(new_term_of[outside], postings.doc[outside], query_term, by_term)
    paper = vectors.doc[query[asked]]
    apart = paper != pool_paper
    pairs, which = np.unique((paper * n + pool_paper)[apart], return_inverse=True)
    which = which.reshape(-1)
    joined_pair = np.zeros(len(pairs), bool)
    np.logical_or.at(joined_pair, which, how[entry][apart])
    # A changed paper's every postings entry is among them: its partial score is their sum.
    products = (vectors.weight[query[asked]] * weight[entry])[apart]
    partial = np.bincount(which, weights=products, minlength=len(pairs)).astype(float)
    outsiders = (pairs // n, pairs % n, joined_pair, partial)
    return _PoolChanges(todo, last, (vectors.doc[query[asker]], other, fall), outsiders)


def _askers(term: Ints, doc: Ints, asked: Ints, by_term: Ints) -> tuple[Ints, Ints, Ints]:
    """For postings entries (`term`, `doc`): every query entry asking the term (a place in
    the query: `asked` holds each query entry's term, `by_term` their stable order by it),
    with the entry's number and its paper `doc`."""
    sorted_terms = asked[by_term]
    begin = np.searchsorted(sorted_terms, term)
    sizes = np.searchsorted(sorted_terms, term, side="right") - begin
    asker = by_term[ranges(begin, sizes)]
    entry = np.repeat(np.arange(len(term)), sizes)
    return asker, entry, doc[entry]

"""Related papers: TF-IDF cosine through an inverted index, weighted by shared tags; never all pairs.

Each paper is reduced to its `TERMS_PER_DOC` most salient terms (highest TF-IDF weight,
sublinear term frequency), as a unit vector. Words are stemmed with Porter's stemmer, as
site search stems them (`decoding`, `decoders` → `decod`; `preference`, `preferences` →
`prefer`), so one topic is one term; title words count twice, and each title word is also
a term of its own (`title:quantiz`), so two papers whose titles share a word are closer
than two whose abstracts do. The score of two papers is their cosine multiplied by
`1 + TAG_WEIGHT × tag similarity` (the share of the two papers' tags they have in common,
rare tags counting more): shared words with no shared topic are usually incidental.

Candidates, not all pairs: an inverted index maps each term to the papers that have it
among their `INDEXED_TERMS` heaviest terms, keeping only the `POSTINGS_CAP` papers where
it weighs most, so a common term cannot make the work quadratic. A paper walks the
postings of its `QUERY_TERMS` heaviest indexed terms, accumulating a partial dot product; the
`CANDIDATES` best of those are weighed by tags (cheap: papers share few distinct tag
sets), and the `RESCORED` best of that get their full score. The tag factor reaches 3,
so choosing by text alone would drop papers that tags then rank first.

What a page shows adapts to the scores (`shown`): up to `SHOWN` links that reach
`MIN_SCORE`, and a fourth and fifth only if they reach `STRONG_SCORE`. Judged against
readers, a link under MIN_SCORE is more often wrong than right, and one that far down a
list is worth showing only when strong (docs/tags.md has the figures). A page may show
fewer than five links, or none.
Cost: O(papers × (query terms × cap + rescored × terms per doc)), never all pairs. Ties
break on slug, so the result is deterministic. A later computation of the same papers
scores again only those a change can reach, within each paper's slack (related_reach.py).

The work is done on flat numpy arrays (`Vectors`, `Postings`: related_index.py), a slice
of CHUNK papers at a time: millions of candidate pairs are summed and sorted in a few vector operations rather
than one dict update each — about three times faster than the same steps in plain Python
at 10,000 papers, and the slices run in threads, since numpy works outside the interpreter
lock. Term numbers follow the terms' text, so a cache's numbering cannot change a link.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TypeVar

import numpy as np

from site_builder.build import related_index
from site_builder.build.related_index import (
    POSTINGS_CAP,
    TERMS_PER_DOC,
    Postings,
    TagSimilarity,
    Vectors,
    salient_vectors,
)
from site_builder.build.related_reach import reached
from site_builder.build.related_snapshot import Candidates, Lookup, Slack, Snapshot
from site_builder.build.related_terms import Doc, TermTable, doc_digest, term_counts
from site_builder.core.arrays import Floats, Ints, find, positions, ranges, starts
from site_builder.core.hashing import digest_chunks
from site_builder.core.model import Page

T = TypeVar("T", str, int)  # a paper, as a slug or as its number
TOP_K = 5
QUERY_TERMS = 16
CANDIDATES = 30
RESCORED = 12
PARALLEL_FROM = 2000  # fewer papers score faster than a second thread helps
TAG_WEIGHT = 2.0
MIN_SCORE = 0.25  # what any shown link needs
SHOWN = 3  # links shown at MIN_SCORE; more need STRONG_SCORE
STRONG_SCORE = 0.30
MOST_FACTOR = 1 + TAG_WEIGHT  # the tag factor's largest value: how much it can stretch a change


def related_pages(
    pages: Sequence[Page],
    k: int = TOP_K,
    per_doc: int = TERMS_PER_DOC,
    cap: int = POSTINGS_CAP,
    query_terms: int = QUERY_TERMS,
) -> dict[str, list[str]]:
    """slug → up to k related slugs, most similar first (only papers that share salient terms).

    A paper looks for its neighbours with its `query_terms` strongest terms only: the
    weaker ones add little to a cosine score and most of the cost.
    """
    ordered = sorted(pages, key=lambda p: p.slug)  # doc number order = slug order: ties break on slug
    table = TermTable()
    docs = [table.encode(term_counts(p)) for p in ordered]
    tags = [p.tags for p in ordered]
    slugs, base = [p.slug for p in ordered], weight_base(ordered)
    return related_from_table(slugs, table, docs, tags, k, per_doc, cap, query_terms, base=base)


def weight_base(pages: Sequence[Page]) -> list[bool]:
    """Which papers the weights of terms and tags are counted over: those first listed
    before the newest month (and undated ones), while they are at least half of all.

    Weights counted over every paper move a little with every new day, enough to reorder
    near-ties in a thousand older papers' links (at 10,000 papers): pages that change for
    no reader's reason, rendered, checked and published again each day. Counted over a
    base that only a new month moves, a day leaves every older paper's weights as they
    were. A young site, whose newest month is most of it, counts every paper."""
    first = [p.first_listed for p in pages]
    dated = [d for d in first if d is not None]
    if not dated:
        return [True] * len(pages)
    month = max(dated).replace(day=1)
    base = [d is None or d < month for d in first]
    return base if 2 * sum(base) >= len(pages) else [True] * len(pages)


def related_from_table(
    slugs: Sequence[str],
    table: TermTable,
    docs: Sequence[Doc],
    tags: Sequence[Sequence[str]],
    k: int = TOP_K,
    per_doc: int = TERMS_PER_DOC,
    cap: int = POSTINGS_CAP,
    query_terms: int = QUERY_TERMS,
    workers: int = 1,
    parallel_from: int = PARALLEL_FROM,
    base: Sequence[bool] | None = None,
) -> dict[str, list[str]]:
    """`related_pages` from each page's encoded term counts (`slugs` sorted, `docs` in their
    order; `base`: the weighing base, `weight_base`, every paper if None).

    Papers are scored in slices of CHUNK, in `workers` threads when there are at least
    `parallel_from` of them (numpy works outside the interpreter lock); the links are the
    same either way."""
    settings = Settings(k, per_doc, cap, query_terms)
    return related_state(slugs, table, docs, tags, settings, workers, parallel_from, base=base).links


@dataclass(frozen=True)
class Settings:
    """The knobs of related papers (the defaults are the site's; tests and benches vary them)."""

    k: int = TOP_K
    per_doc: int = TERMS_PER_DOC
    cap: int = POSTINGS_CAP
    query_terms: int = QUERY_TERMS


@dataclass(frozen=True)
class RelatedState:
    """The links of every paper with what they were computed from, so the next computation
    can score again only the papers whose links a change can reach (`related_state`)."""

    slugs: list[str]
    tags: list[tuple[str, ...]]
    settings: Settings
    links: dict[str, list[str]]
    snapshot: Snapshot  # the vectors, postings and slack the links were computed from
    rescored: int = 0  # papers scored by the computation that made this state
    inputs: str = ""  # a digest of everything the links were computed from (`input_digest`)
    base: tuple[bool, ...] | None = None  # the weighing base (`weight_base`); None: every paper


def input_digest(
    slugs: Sequence[str],
    table: TermTable,
    doc_digests: Sequence[bytes],
    tags: Sequence[Sequence[str]],
    settings: Settings,
    base: tuple[bool, ...] | None = None,
) -> str:
    """What related papers are computed from, hashed: equal inputs give equal links, so a
    build whose edits left every paper's terms as they were (front matter, notes fields)
    reuses them. Term numbers mean something only with the table's terms, hashed too;
    each paper's counts by their digest (`doc_digest`)."""
    head = repr((list(slugs), [tuple(t) for t in tags], settings, base)) + "\0" + "\n".join(table.vocabulary)
    return digest_chunks([head.encode("utf-8", "surrogatepass"), *doc_digests])


def related_state(
    slugs: Sequence[str],
    table: TermTable,
    docs: Sequence[Doc],
    tags: Sequence[Sequence[str]],
    settings: Settings = Settings(),
    workers: int = 1,
    parallel_from: int = PARALLEL_FROM,
    previous: RelatedState | None = None,
    table_id: str = "",
    base: Sequence[bool] | None = None,
) -> RelatedState:
    """`related_from_table`, scoring only the papers whose links can differ from `previous`'s
    (an earlier state of the same papers, or of fewer that `grown` extends, with the same
    tags and settings; else all of them).
    `table_id`: the table's name (`salient_vectors`); `base`: the papers weights are
    counted over (`weight_base`; every paper if None).

    The vectors of the papers an edit left as they were are taken over; the others are
    weighed again (an edit moves the weights of other papers through document
    frequencies), and related_reach.py says which papers the changes reach. Every other
    paper keeps its links, which are then those a computation from nothing gives."""
    marked = None if base is None or all(base) else tuple(map(bool, base))
    doc_digests = [doc_digest(doc) for doc in docs]
    inputs = input_digest(slugs, table, doc_digests, tags, settings, marked)
    if previous is not None and previous.inputs == inputs:
        return replace(previous, rescored=0)
    if previous is not None and previous.slugs != list(slugs):
        previous = grown(previous, slugs, [tuple(ts) for ts in tags], marked)
    # Here `previous`, if any, is a state of the same papers.
    known = previous.snapshot.vectors if previous is not None else None
    threads = workers if len(slugs) >= parallel_from else 1
    vectors = salient_vectors(table, docs, settings.per_doc, threads, known, doc_digests, table_id, marked)
    postings = Postings.of(vectors, settings.cap)
    topics = TagSimilarity.of(tags, marked)
    scoring = _Scoring(vectors, postings, topics, settings.k, settings.query_terms)
    n, tag_sets = len(slugs), [tuple(ts) for ts in tags]
    links: dict[str, list[str]] = {}
    todo: Ints = np.arange(n)
    slack = Slack.unbounded(n)
    weighing = (tag_sets, settings, marked)
    if previous is not None and (previous.tags, previous.settings, previous.base) == weighing:
        lookup = Lookup(scoring.lookup_key, scoring.lookup_weight, scoring.terms)
        todo, slack = reached(
            previous.snapshot, vectors, postings, scoring.query, settings.query_terms, lookup
        )
        links = previous.links
    chunk = related_index.CHUNK
    chunks = [todo[a : a + chunk] for a in range(0, len(todo), chunk)]
    if workers > 1 and len(todo) >= parallel_from:
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(scoring.links, chunks))
    else:
        parts = [scoring.links(chunk) for chunk in chunks]
    found = {slugs[doc]: [slugs[o] for o in others] for part, _, _ in parts for doc, others in part}
    if len(todo) < n:
        found = {slug: found[slug] if slug in found else links[slug] for slug in slugs}
    for scored, (_, margins, _) in zip(chunks, parts, strict=True):
        slack.put(scored, margins)
    candidates = Candidates.joined([pairs for _, _, pairs in parts], n)
    if len(todo) < n and previous is not None:
        candidates = previous.snapshot.candidates.merged(todo, candidates)
    snapshot = Snapshot.of(vectors, postings, slack, candidates)
    return RelatedState(list(slugs), tag_sets, settings, found, snapshot, len(todo), inputs, marked)


def grown(
    previous: RelatedState, slugs: Sequence[str], tags: list[tuple[str, ...]], base: tuple[bool, ...] | None
) -> RelatedState | None:
    """`previous`, a state of fewer papers, as if the papers added since (`slugs`, `tags`
    and `base` are the papers' now) had been there with no terms: the state a computation
    gives, when the added papers lie outside the weighing base and the others keep their
    tags and their place in it, for then no term or tag weight moves. A new day's papers
    are then edits of empty ones, and only the papers they can reach are scored again.
    None when a paper is gone, or the base or an older paper's tags changed."""
    number = {slug: i for i, slug in enumerate(slugs)}
    where = np.array([number.get(slug, -1) for slug in previous.slugs], np.int64)
    if base is None or (where < 0).any() or [tags[i] for i in where.tolist()] != previous.tags:
        return None
    before = np.ones(len(where), bool) if previous.base is None else np.array(previous.base, bool)
    now = np.array(base, bool)
    if now.sum() != before.sum() or not (now[where] == before).all():
        return None  # the base changed (a new month), or takes in an added paper
    links = {slug: previous.links.get(slug, []) for slug in slugs}
    snapshot = previous.snapshot.spread(where, len(slugs), doc_digest((b"", b"")))
    return RelatedState(list(slugs), tags, previous.settings, links, snapshot, 0, "", base)


class _Scoring:
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
        self.by_term = np.argsort(key, kind="stable")  # each paper's entries by term number
        self.lookup_key, self.lookup_weight = key[self.by_term], vectors.weight[self.by_term]

    def links(self, docs: Ints) -> tuple[list[tuple[int, list[int]]], Slack, tuple[Ints, Ints]]:
        """The links of papers `docs` (sorted), the slack of each: how far its scores may
        move before a choice could change, and their candidates as (paper, candidate)
        pairs (related_reach.py)."""
        slack = Slack.unbounded(len(docs))
        if not len(docs):
            return [], slack, (docs, docs)
        # Papers numbered within the slice: a best-first order is then one sort (`_best`).
        pair_doc, other, partial = self._partial_scores(docs)
        local = np.searchsorted(docs, pair_doc)
        local, other, partial = _cut(local, other, partial, CANDIDATES, slack, 1.0, pool=True, floor=True)
        candidates = (docs[local], other)
        factor = 1 + TAG_WEIGHT * self.topics.between(docs[local], other)
        local, other, factor = _cut(
            local, other, partial * factor, RESCORED, slack, MOST_FACTOR, factor, pool=True
        )
        score = self._cosines(docs[local], other) * factor
        slack.threshold(local, score, MIN_SCORE, MOST_FACTOR)
        good = score >= MIN_SCORE
        local, other, score = _cut(local[good], other[good], score[good], self.k, slack, MOST_FACTOR)
        slack.threshold(local, score, STRONG_SCORE, MOST_FACTOR)
        follows = np.flatnonzero(local[1:] == local[:-1]) + 1  # the links' order
        slack.gap(local[follows], score[follows - 1], score[follows], MOST_FACTOR)
        # `shown`: the first SHOWN links, then only strong ones, counting places in the top k.
        shown = (positions(local, len(docs)) < SHOWN) | (score >= STRONG_SCORE)
        found: dict[int, list[int]] = {doc: [] for doc in docs.tolist()}
        for doc, o in zip(docs[local[shown]].tolist(), other[shown].tolist(), strict=True):
            found[doc].append(o)
        return list(found.items()), slack, candidates

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
        order = np.argsort(key, kind="stable")  # each pair's terms keep their order: the same sum
        key, contribution = key[order], contribution[apart][order]
        if not len(key):
            return key, key, contribution
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        partial = np.add.reduceat(contribution, first)
        return key[first] // self.n, key[first] % self.n, partial

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


def _best(doc: Ints, score: Floats, keep: int) -> Ints:
    """Where the `keep` highest-scoring pairs of each paper are, by paper, best first, ties
    in the order given.

    `doc` holds small numbers (a slice's papers), sorted: one sort of `doc - score / 4` puts
    each paper's pairs best first, since scores lie in [0, 3]."""
    order = np.argsort(doc - score / 4, kind="stable")
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
    leave (related_reach.py). A paper that dropped none keeps its last score's distance
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

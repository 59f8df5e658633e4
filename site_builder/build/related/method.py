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
scores again only those a change can reach, within each paper's slack (related/reach.py).

The work is done on flat numpy arrays (`Vectors`, `Postings`: related/index.py; the
scoring steps and their constants: related/scoring.py), a slice of papers at a time:
millions of candidate pairs are summed and sorted in a few vector operations rather than
one dict update each — about three times faster than the same steps in plain Python at
10,000 papers, and the slices run in threads, since numpy works outside the interpreter
lock. Term numbers follow the terms' text, so a cache's numbering cannot change a link.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from site_builder.build.related.index import (
    POSTINGS_CAP,
    TERMS_PER_DOC,
    Postings,
    salient_vectors,
)
from site_builder.build.related.reach import reached
from site_builder.build.related.repair import Links, repaired
from site_builder.build.related.retag import retagged
from site_builder.build.related.scoring import Scoring
from site_builder.build.related.snapshot import Candidates, Lookup, Slack, Snapshot
from site_builder.build.related.tags import TagSimilarity
from site_builder.build.related.terms import Doc, TermTable, doc_digest, term_counts
from site_builder.core.model import Page
from site_builder.core.runtime.arrays import Ints
from site_builder.core.runtime.hashing import digest_chunks

TOP_K = 5
QUERY_TERMS = 16
PARALLEL_FROM = 2000  # fewer papers score faster than a second thread helps
# Papers scored at once. A slice's candidate pairs (30 query terms × 30 postings a paper)
# fill arrays of megabytes: 250 papers' stay in the processor's caches where 1,000 papers'
# did not, and more slices share out evenly between the threads. Scoring every paper of an
# 11,000-paper site in two threads: 0.58 s with slices of 1,000, 0.34 s with 250 (CPU 0.73
# → 0.63 s); 4,500 papers, a day's: 0.19 → 0.15 s. The links are the same for any slicing.
SCORED_SLICE = 250


def related_pages(
    pages: Sequence[Page],
    k: int = TOP_K,
    per_doc: int = TERMS_PER_DOC,
    cap: int = POSTINGS_CAP,
    query_terms: int = QUERY_TERMS,
    genres: frozenset[str] = frozenset(),
) -> dict[str, list[str]]:
    """slug → up to k related slugs, most similar first (only papers that share salient terms).

    A paper looks for its neighbours with its `query_terms` strongest terms only: the
    weaker ones add little to a cosine score and most of the cost. `genres`: tags that do
    not count (`subject_tags`).
    """
    ordered = sorted(pages, key=lambda p: p.slug)  # doc number order = slug order: ties break on slug
    table = TermTable()
    docs = [table.encode(term_counts(p)) for p in ordered]
    tags = subject_tags(ordered, genres)
    slugs, base = [p.slug for p in ordered], weight_base(ordered)
    return related_from_table(slugs, table, docs, tags, k, per_doc, cap, query_terms, base=base)


def subject_tags(pages: Sequence[Page], genres: frozenset[str]) -> list[tuple[str, ...]]:
    """Each page's tags less the `genres` (taxonomy `genre: true`): a tag for what kind of
    paper it is says nothing of what it is about. Counted, it made surveys of unrelated
    subjects each other's related papers (a reader judged 7 of 17 wrong links so)."""
    return [tuple(t for t in p.tags if t not in genres) for p in pages]


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

    Papers are scored in slices of SCORED_SLICE, in `workers` threads when there are at least
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
    topics: TagSimilarity | None = None  # the tags' overlaps, of `tags` over `base`
    corrected: int = 0  # papers whose candidates it corrected instead (related/repair.py)


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
    each paper's counts by their digest (`doc_digest`: 16 bytes each, so joined they stay
    apart; hashed one by one, with their lengths, they took 5 ms at 10,000 papers)."""
    head = repr((list(slugs), [tuple(t) for t in tags], settings, base)) + "\0" + "\n".join(table.vocabulary)
    return digest_chunks([head.encode("utf-8", "surrogatepass"), b"".join(doc_digests)])


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
    doc_digests: Sequence[bytes] | None = None,
    grown_from: str = "",
) -> RelatedState:
    """`related_from_table`, scoring only the papers whose links can differ from `previous`'s
    (an earlier state of the same papers, or of fewer that `grown` extends, with the same
    settings and weighing base; else all of them).
    `table_id`: the table's name (`salient_vectors`); `base`: the papers weights are
    counted over (`weight_base`; every paper if None); `doc_digests`: each doc's
    `doc_digest`, if the caller kept them; `grown_from`: the table's name before this
    computation added terms (`salient_vectors`).

    The vectors of the papers an edit left as they were are taken over; the others are
    weighed again (an edit moves the weights of other papers through document
    frequencies), and related/reach.py says which papers the changes reach. Every other
    paper keeps its links, which are then those a computation from nothing gives."""
    marked = None if base is None or all(base) else tuple(map(bool, base))
    if doc_digests is None:
        doc_digests = [doc_digest(doc) for doc in docs]
    inputs = input_digest(slugs, table, doc_digests, tags, settings, marked)
    if previous is not None and previous.inputs == inputs:
        return replace(previous, rescored=0, corrected=0)
    if previous is not None and previous.slugs != list(slugs):
        previous = grown(previous, slugs, [tuple(ts) for ts in tags], marked)
    # Here `previous`, if any, is a state of the same papers.
    known = previous.snapshot.vectors if previous is not None else None
    threads = workers if len(slugs) >= parallel_from else 1
    vectors = salient_vectors(
        table, docs, settings.per_doc, threads, known, doc_digests, table_id, marked, grown_from
    )
    if previous is not None and previous.settings.cap == settings.cap:
        postings = previous.snapshot.postings(vectors, settings.cap)
    else:
        postings = Postings.of(vectors, settings.cap)
    n, tag_sets = len(slugs), [tuple(ts) for ts in tags]
    same = previous is not None and (previous.settings, previous.base) == (settings, marked)
    retags = same and previous is not None and previous.tags != tag_sets
    # The same tags over the same base overlap as before (working that out took 7 ms).
    topics = previous.topics if same and not retags and previous is not None else None
    topics = topics if topics is not None else TagSimilarity.of(tags, marked)
    scoring = Scoring(vectors, postings, topics, settings.k, settings.query_terms)
    links: dict[str, list[str]] = {}
    todo: Ints = np.arange(n)
    slack = Slack.unbounded(n)
    earlier = None  # the candidates `previous` scored
    fixed: Ints = np.zeros(0, np.int64)  # papers whose candidates were corrected (related/repair.py)
    shifted = np.zeros(n, bool)
    corrected: Links = ([], Slack.unbounded(0), (fixed, fixed, np.zeros(0), np.zeros(0)))
    if same and previous is not None:
        lookup = Lookup(scoring.lookup_key, scoring.lookup_weight, scoring.terms)
        reach = reached(previous.snapshot, vectors, postings, scoring.query, settings.query_terms, lookup)
        if retags:  # related/retag.py: the candidates hold, their tag factors may have moved
            before = (
                previous.topics if previous.topics is not None else TagSimilarity.of(previous.tags, marked)
            )
            changed = np.array([a != b for a, b in zip(previous.tags, tag_sets, strict=True)], bool)
            reach = retagged(reach, before, topics, previous.snapshot.candidates, changed)
        slack, shifted = reach.slack, reach.shifted
        links, earlier = previous.links, previous.snapshot.candidates
        fixed, corrected, whole = repaired(scoring, earlier, reach)
        again = np.zeros(n, bool)
        again[reach.todo] = True
        again[fixed] = False
        again[whole] = True
        todo = np.flatnonzero(again)
    # The old vectors and postings are let go of before the scoring, whose threads' arrays
    # then take their memory instead of more (one malloc arena: core/runtime/libc.py); the caller
    # hands `previous` over, so this is the last reference.
    known = previous = None
    chunks = [todo[a : a + SCORED_SLICE] for a in range(0, len(todo), SCORED_SLICE)]
    if workers > 1 and len(todo) >= parallel_from:
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(scoring.links, chunks))
    else:
        parts = [scoring.links(chunk) for chunk in chunks]
    chunks.append(fixed)
    parts.append(corrected)
    found = {slugs[doc]: [slugs[o] for o in others] for part, _, _ in parts for doc, others in part}
    done = np.sort(np.concatenate([todo, fixed]))
    if len(todo) < n:  # in slug order, as a computation from nothing gives them
        found = {slug: found[slug] if slug in found else links[slug] for slug in slugs}
    for scored, (_, margins, _) in zip(chunks, parts, strict=True):
        slack.put(scored, margins)
    candidates = Candidates.joined([pairs for _, _, pairs in parts], n)
    if len(done) < n and earlier is not None:
        candidates = earlier.merged(done, candidates, shifted)
    snapshot = Snapshot.of(vectors, postings, slack, candidates)
    return RelatedState(
        list(slugs), tag_sets, settings, found, snapshot, len(todo), inputs, marked, topics, len(fixed)
    )


def grown(
    previous: RelatedState, slugs: Sequence[str], tags: list[tuple[str, ...]], base: tuple[bool, ...] | None
) -> RelatedState | None:
    """`previous`, a state of fewer papers, as if the papers added since (`slugs`, `tags`
    and `base` are the papers' now) had been there with no terms: the state a computation
    gives, when the added papers lie outside the weighing base and the others keep their
    place in it, for then no term or tag weight moves. A new day's papers are then edits of
    empty ones, and only the papers they can reach are scored again. The older papers keep
    their tags as they were: a change of them is the next step's (related/retag.py).
    None when a paper is gone, or the base changed."""
    number = {slug: i for i, slug in enumerate(slugs)}
    where = np.array([number.get(slug, -1) for slug in previous.slugs], np.int64)
    if base is None or (where < 0).any():
        return None
    before = np.ones(len(where), bool) if previous.base is None else np.array(previous.base, bool)
    now = np.array(base, bool)
    if now.sum() != before.sum() or not (now[where] == before).all():
        return None  # the base changed (a new month), or takes in an added paper
    links = {slug: previous.links.get(slug, []) for slug in slugs}
    snapshot = previous.snapshot.spread(where, len(slugs), doc_digest((b"", b"")))
    kept = list(tags)
    for i, old in zip(where.tolist(), previous.tags, strict=True):
        kept[i] = old
    return RelatedState(list(slugs), kept, previous.settings, links, snapshot, 0, "", base)

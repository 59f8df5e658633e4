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
break on slug, so the result is deterministic.
"""

from __future__ import annotations

import heapq
import math
import os
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import cache
from itertools import islice
from operator import itemgetter, mul
from typing import TypeVar

from lunr.stemmer import porter_stemmer

from site_builder.core.model import Page
from site_builder.core.parallel import can_fork, die_with_parent, map_chunks

T = TypeVar("T", str, int)  # a term, as text or as its number in a TermTable
TOP_K = 5
TERMS_PER_DOC = 60
QUERY_TERMS = 16
INDEXED_TERMS = 30
POSTINGS_CAP = 30
CANDIDATES = 30
RESCORED = 12
PARALLEL_FROM = 2000  # fewer papers score faster than processes start
TAG_WEIGHT = 2.0
MIN_SCORE = 0.25  # what any shown link needs
SHOWN = 3  # links shown at MIN_SCORE; more need STRONG_SCORE
STRONG_SCORE = 0.30
TITLE = "title:"  # prefix of a title word's own term
_WORD = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
_STOPWORD_TEXT = """
    a about above across after again against all almost also although always am among an and
    another any are around as at based be because been before being below between both but by
    can cannot could did do does doing done due during each either enough especially etc even
    ever every few first for from further furthermore given had has have having here hence how
    however i if in including into is it its itself just large less like made make makes making
    many may more moreover most much must new not novel of often on once one only or other our
    ours out over paper per propose proposed proposes present presents provide provides rather
    recent recently same several should show shows shown significantly since so some such than
    that the their them then there therefore these they this those through thus to together
    toward towards two under up upon us use used uses using various very via was we well were
    what when where whether which while who whose why will with within without would yet you
    approach approaches method methods model models results result work existing demonstrate
    achieve achieves across address task tasks study studies introduce introduces
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@cache
def stem(word: str) -> str:
    """Porter's stemmer, as site search uses it: `preference` and `preferences` are one term."""
    return str(porter_stemmer.stem(word))


def terms(text: str) -> list[str]:
    """Stemmed lowercased words of two or more characters that carry meaning (no stop words)."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def term_counts(page: Page) -> Counter[str]:
    """How often each term occurs in a page: title words twice, and once more as title terms."""
    title = terms(page.title)
    counts = Counter(title * 2 + terms(page.body))
    counts.update(TITLE + t for t in set(title))
    return counts


def inverted_index(
    vectors: Sequence[Mapping[T, float]], cap: int = POSTINGS_CAP
) -> dict[T, list[tuple[int, float]]]:
    """term → [(doc, weight)], heaviest first (ties by doc), at most `cap` postings per term."""
    index: dict[T, list[tuple[int, float]]] = defaultdict(list)
    for doc, vector in enumerate(vectors):
        for term, weight in vector.items():
            index[term].append((doc, weight))
    for postings in index.values():
        postings.sort(key=itemgetter(1), reverse=True)  # stable: docs were appended in order
        del postings[cap:]
    return dict(index)


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
    return related_from_table([p.slug for p in ordered], table, docs, tags, k, per_doc, cap, query_terms)


Doc = tuple["array[int]", "array[int]"]  # a document's term numbers and how often each occurs


class TermTable:
    """Every term once; a document's counts as two compact arrays of numbers.

    Ten thousand Counters of a hundred terms each take hundreds of megabytes at 50,000
    papers; the same counts as arrays take a tenth, and keep between builds as bytes.
    """

    def __init__(self) -> None:
        self.vocabulary: list[str] = []
        self._number: dict[str, int] = {}

    def encode(self, counts: Counter[str]) -> Doc:
        number = self._number
        new = [term for term in counts if term not in number]
        number.update(zip(new, range(len(self.vocabulary), len(self.vocabulary) + len(new)), strict=True))
        self.vocabulary += new
        return array("I", map(number.__getitem__, counts)), array("I", counts.values())

    def __getstate__(self) -> list[str]:
        return self.vocabulary

    def __setstate__(self, vocabulary: list[str]) -> None:
        self.vocabulary = vocabulary
        self._number = {t: i for i, t in enumerate(vocabulary)}


def salient_vectors(
    table: TermTable, docs: Sequence[Doc], per_doc: int = TERMS_PER_DOC
) -> list[dict[int, float]]:
    """For each document, its top TF-IDF terms (heaviest first) as a unit-length sparse vector.

    Only terms found in two or more documents count: a term in one paper cannot relate it
    to another."""
    df: Counter[int] = Counter()
    for numbers, _ in docs:
        df.update(numbers)
    # Computed once per distinct value: 0 for a term in one document only.
    idf_of = {d: math.log((1 + len(docs)) / d) if d > 1 else 0.0 for d in set(df.values())}
    idf = dict(zip(df.keys(), map(idf_of.__getitem__, df.values()), strict=True))
    most = max((max(c, default=0) for _, c in docs), default=0)
    sublinear = [0.0] + [1 + math.log(tf) for tf in range(1, most + 1)]  # by tf: 1 + log(tf)
    vocabulary = table.vocabulary
    vectors = []
    for numbers, counts in docs:
        weights = list(map(mul, map(sublinear.__getitem__, counts), map(idf.__getitem__, numbers)))
        lightest = sorted(weights)[-per_doc] if len(weights) > per_doc else 0.0
        # Heaviest first; ties in weight keep the order of the terms as text (term numbers
        # depend on what the cache saw first).
        top = sorted(
            [(vocabulary[t], t, w) for t, w in zip(numbers, weights, strict=True) if w >= lightest and w]
        )
        top.sort(key=itemgetter(2), reverse=True)
        del top[per_doc:]
        norm = math.sqrt(sum(w * w for _, _, w in top)) or 1.0
        vectors.append({t: w / norm for _, t, w in top})
    return vectors


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
) -> dict[str, list[str]]:
    """`related_pages` from each page's encoded term counts (`slugs` sorted, `docs` in their order).

    With `workers` > 1, at least `parallel_from` papers and fork available, the papers are
    scored in that many forked processes; the links are the same."""
    vectors = salient_vectors(table, docs, per_doc)
    # Postings as two flat arrays per term: scoring walks millions of them, and contiguous
    # numbers are walked several times faster than lists of tuples scattered in memory. A
    # term indexed for one paper only is left out: only that paper would look it up.
    postings = {
        t: (array("l", map(itemgetter(0), p)), array("d", map(itemgetter(1), p)))
        for t, p in inverted_index([dict(islice(v.items(), INDEXED_TERMS)) for v in vectors], cap).items()
        if len(p) > 1
    }
    topics = TagSimilarity.of(tags)
    scoring = _Scoring(vectors, postings, topics, k, query_terms)
    workers = workers if len(vectors) >= parallel_from and can_fork() else 1
    links = scoring.links(range(len(vectors))) if workers <= 1 else scoring.links_forked(workers)
    return {slugs[doc]: [slugs[o] for o in found] for doc, found in enumerate(links)}


class _Scoring:
    """Every paper's shown links, in this process or split between forked ones.

    Each paper's links depend only on the shared vectors, postings and tags, so any split
    of the papers gives the same links. Forked workers read those tables as the parent left
    them (copy-on-write, nothing pickled) and send back only the links.
    """

    current: _Scoring | None = None  # what a forked worker scores with

    def __init__(
        self,
        vectors: list[dict[int, float]],
        postings: dict[int, tuple[array[int], array[float]]],
        topics: TagSimilarity,
        k: int,
        query_terms: int,
    ) -> None:
        self.vectors, self.postings, self.topics, self.k, self.query_terms = (
            vectors,
            postings,
            topics,
            k,
            query_terms,
        )

    def links(self, docs: Sequence[int]) -> list[list[int]]:
        tables = self.vectors, self.postings, self.topics, self.k, self.query_terms
        return [shown(_best(doc, *tables)) for doc in docs]

    def links_forked(self, workers: int) -> list[list[int]]:
        _Scoring.current = self
        try:
            return map_chunks(
                _links_in_worker, range(len(self.vectors)), workers, die_with_parent, (os.getpid(),)
            )
        finally:
            _Scoring.current = None


def _links_in_worker(docs: Sequence[int]) -> list[list[int]]:
    assert _Scoring.current is not None
    return _Scoring.current.links(docs)


def shown(scored: Sequence[tuple[float, T]]) -> list[T]:
    """The links a page shows, from its best-first (score, paper) candidates: the first
    `SHOWN` that reach MIN_SCORE, then those that reach STRONG_SCORE."""
    return [
        other
        for n, (score, other) in enumerate(scored)
        if score >= (MIN_SCORE if n < SHOWN else STRONG_SCORE)
    ]


class TagSimilarity:
    """How much two papers' tags overlap: shared tags' weight over all their tags' weight.

    A tag's weight is its inverse document frequency, so sharing a rare tag (moe) says more
    than sharing a common one (evaluation). Papers without tags in common score 0. Papers
    share a few hundred distinct tag sets at most, so each pair of sets is worked out once.
    """

    def __init__(self, kinds: list[int], sets: list[frozenset[int]], weight: list[float]) -> None:
        self.kinds, self.sets, self.weight = kinds, sets, weight  # kinds: paper → its set's number
        self._known: dict[tuple[int, int], float] = {}

    @classmethod
    def of(cls, tags: Sequence[Sequence[str]]) -> TagSimilarity:
        names = sorted({t for ts in tags for t in ts})
        number = {t: i for i, t in enumerate(names)}
        sets = [frozenset(number[t] for t in ts) for ts in tags]
        df = Counter(t for ts in sets for t in ts)
        kind: dict[frozenset[int], int] = {}
        kinds = [kind.setdefault(s, len(kind)) for s in sets]
        weight = [math.log((1 + len(sets)) / df[i]) for i in range(len(names))]
        return cls(kinds, list(kind), weight)

    def __call__(self, a: int, b: int) -> float:
        pair = (self.kinds[a], self.kinds[b])
        known = self._known.get(pair)
        if known is None:
            known = self._known[pair] = self._overlap(self.sets[pair[0]], self.sets[pair[1]])
        return known

    def _overlap(self, a: frozenset[int], b: frozenset[int]) -> float:
        shared = a & b
        if not shared:
            return 0.0
        weight = self.weight
        return sum(weight[t] for t in shared) / sum(weight[t] for t in a | b)


def _best(
    doc: int,
    vectors: list[dict[int, float]],
    postings: dict[int, tuple[array[int], array[float]]],
    topics: TagSimilarity,
    k: int,
    query_terms: int,
) -> list[tuple[float, int]]:
    """The `k` documents scoring highest with this one (at least MIN_SCORE), as (score, doc),
    best first, ties by number.

    Candidates come from the postings of the paper's `query_terms` strongest indexed terms
    (most of a cosine, at a fraction of the cost); the CANDIDATES best of them are weighed by
    tags, and the RESCORED best of those get their full cosine over all salient terms.
    """
    vector = vectors[doc]
    scores: dict[int, float] = {}
    get = scores.get
    for term, weight in islice(((t, w) for t, w in vector.items() if t in postings), query_terms):
        others, weights = postings[term]
        for other, other_weight in zip(others, weights, strict=True):
            scores[other] = get(other, 0.0) + weight * other_weight
    scores.pop(doc, None)
    weighed = []
    nearest = heapq.nlargest(CANDIDATES, scores.items(), key=itemgetter(1))
    factors = [1 + TAG_WEIGHT * topics(doc, other) for other, _ in nearest]
    tagged = [(partial * f, f, other) for (other, partial), f in zip(nearest, factors, strict=True)]
    for _, factor, other in heapq.nlargest(RESCORED, tagged, key=itemgetter(0)):
        theirs = vectors[other]
        # fsum rounds once, so the order of the shared terms (numbers depend on what the
        # cache saw first) cannot change the score.
        cosine = math.fsum([vector[t] * theirs[t] for t in vector.keys() & theirs.keys()])
        score = cosine * factor
        if score >= MIN_SCORE:
            weighed.append((-score, other))
    return [(-s, o) for s, o in sorted(weighed)[:k]]

"""Related papers: top-k by TF-IDF cosine similarity, through an inverted index, never all pairs.

Each paper is reduced to its `TERMS_PER_DOC` most salient terms (highest TF-IDF weight,
title words counted twice), as a unit vector. An inverted index maps each term to the
papers that have it among their salient terms, keeping only the `POSTINGS_CAP` heaviest
postings per term, so a common term cannot make the work quadratic. A paper's candidates
are the papers sharing one of its terms; their score is the dot product accumulated from
the postings. Cost: O(papers × terms per doc × cap). Ties break on slug, so the result is
deterministic.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from site_builder.model import Page

TOP_K = 5
TERMS_PER_DOC = 20
QUERY_TERMS = 12
POSTINGS_CAP = 100
MIN_SCORE = 0.02

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


def terms(text: str) -> list[str]:
    """Lowercased words of two or more characters that carry meaning (no stop words)."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def salient_vectors(pages: Sequence[Page], per_doc: int = TERMS_PER_DOC) -> list[dict[str, float]]:
    """For each page, its top TF-IDF terms as a unit-length sparse vector."""
    counts = [Counter(terms(p.title) * 2 + terms(p.body)) for p in pages]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(pages)
    vectors: list[dict[str, float]] = []
    for c in counts:
        # Terms in only one paper cannot relate it to another: skip them.
        weights = {t: (1 + math.log(tf)) * math.log((1 + n) / df[t]) for t, tf in c.items() if df[t] > 1}
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:per_doc]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors.append({t: w / norm for t, w in top if w > 0})
    return vectors


def inverted_index(
    vectors: Sequence[dict[str, float]], cap: int = POSTINGS_CAP
) -> dict[str, list[tuple[int, float]]]:
    """term → [(doc, weight)], heaviest first, at most `cap` postings per term."""
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for doc, vector in enumerate(vectors):
        for term, weight in vector.items():
            index[term].append((doc, weight))
    return {t: sorted(p, key=lambda dw: (-dw[1], dw[0]))[:cap] for t, p in index.items()}


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
    vectors = salient_vectors(ordered, per_doc)
    index = inverted_index(vectors, cap)
    related: dict[str, list[str]] = {}
    for doc, vector in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in list(vector.items())[:query_terms]:
            for other, other_weight in index[term]:
                scores[other] += weight * other_weight
        scores.pop(doc, None)
        best = heapq.nsmallest(k, ((-s, o) for o, s in scores.items() if s >= MIN_SCORE))
        related[ordered[doc].slug] = [ordered[o].slug for _, o in best]
    return related

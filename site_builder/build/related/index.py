"""The structures related papers are scored on (related/method.py has the method): each paper's
salient terms as a unit vector, the capped inverted index of their heaviest terms, and how
much two papers' tags overlap. All flat numpy arrays, weighed a slice of CHUNK papers at a
time; terms are numbered in the order of their text, so a cache's numbering cannot change
a link.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from site_builder.build.related.terms import Doc, TermTable, doc_digest, merged_vocabulary
from site_builder.core.runtime.arrays import (
    Floats,
    Ints,
    descending_ranks,
    joined,
    positions,
    ranges,
    stable_order,
    starts,
)

TERMS_PER_DOC = 60
INDEXED_TERMS = 30
POSTINGS_CAP = 30
CHUNK = 1000  # papers weighed or scored at once: bounds the memory of their arrays


def is_indexed(position: Ints) -> npt.NDArray[np.bool_]:
    """Which entries of a paper's vector (by place, heaviest 0) the inverted index holds."""
    result: npt.NDArray[np.bool_] = position < INDEXED_TERMS
    return result


@dataclass(frozen=True)
class Vectors:
    """Every paper's salient terms, as flat arrays: paper `d`'s entries are `start[d]` up to
    `start[d + 1]`, heaviest first (ties by term text). Terms are numbered in the order of
    their text, not as a cache first saw them, so the same pages give the same arrays."""

    start: Ints  # per paper, and one past the last
    doc: Ints  # per entry: its paper
    term: Ints  # per entry: the term's rank in the sorted vocabulary
    weight: Floats  # per entry: TF-IDF weight, each paper's vector of unit length
    position: Ints  # per entry: 0 for the paper's heaviest term, 1 for the next, …
    vocabulary: list[str]  # the terms, sorted: term number → text
    idf: Floats = field(default_factory=lambda: np.zeros(0))  # per term: its weight (`term_idf`)
    digests: list[bytes] = field(default_factory=list)  # per paper: a hash of its term counts
    per_doc: int = TERMS_PER_DOC
    table: str = ""  # which term table `rank` numbers (`TermStore.table_id`); "" if none
    rank: Ints = field(default_factory=lambda: np.zeros(0, np.int64))  # table number → term number
    # The term numbers of the `known` vectors these took over, in this vocabulary
    # (`renumbering`), for related/reach.py to reuse; None if none were taken over.
    renumbered: Ints | None = None
    # With `renumbered`: the papers weighed anew (sorted); every other paper's vector is the
    # known one's, entry for entry (related/reach.py looks for changes only among these).
    weighed: Ints | None = None

    def __getstate__(self) -> dict[str, object]:
        """Kept between builds without `doc` and `position`, which `start` gives (a tenth of
        the cache's bytes at 10,000 papers), nor `renumbered` and `weighed`, this build's."""
        skipped = ("doc", "position", "renumbered", "weighed")
        return {k: v for k, v in vars(self).items() if k not in skipped}

    def __setstate__(self, state: dict[str, object]) -> None:
        start = state["start"]
        assert isinstance(start, np.ndarray)
        doc = np.repeat(np.arange(len(start) - 1), np.diff(start))
        vars(self).update(state, doc=doc, position=np.arange(len(doc)) - start[doc])

    def spread(self, where: Ints, papers: int, empty: bytes) -> Vectors:
        """These vectors among `papers` papers, paper `i` as paper `where[i]` (increasing);
        the others have no terms (`empty`: the digest of no counts)."""
        sizes = np.zeros(papers, np.int64)
        sizes[where] = np.diff(self.start)
        digests = [empty] * papers
        for i, d in zip(where.tolist(), self.digests, strict=True):
            digests[i] = d
        start = np.zeros(papers + 1, np.int64)
        np.cumsum(sizes, out=start[1:])
        return replace(self, start=start, doc=where[self.doc], digests=digests, renumbered=None, weighed=None)

    def as_dicts(self) -> list[dict[str, float]]:
        """Each paper's vector as {term: weight}, heaviest first (for tests and benches)."""
        words, weights = self.vocabulary, self.weight.tolist()
        terms = self.term.tolist()
        return [
            {words[terms[i]]: weights[i] for i in range(a, b)}
            for a, b in zip(self.start[:-1].tolist(), self.start[1:].tolist(), strict=True)
        ]


def salient_vectors(
    table: TermTable,
    docs: Sequence[Doc],
    per_doc: int = TERMS_PER_DOC,
    workers: int = 1,
    known: Vectors | None = None,
    digests: Sequence[bytes] | None = None,
    table_id: str = "",
    base: Sequence[bool] | None = None,
    grown_from: str = "",
) -> Vectors:
    """For each document, its top TF-IDF terms (sublinear tf: 1 + log tf) as a unit vector.

    Only terms found in two or more documents count: a term in one paper cannot relate it
    to another. Their idf is counted over the documents `base` marks (all if None): see
    `term_idf`. Documents are weighed a slice of CHUNK at a time: all their term counts at
    once would take hundreds of megabytes at 50,000 papers, for a moment. `known` (the
    vectors of the same papers, computed before) lends the vector of every paper whose
    counts and whose terms' weights are as they were: the same numbers a computation
    gives, without it. `digests`: each document's `doc_digest`, if the caller has them.
    `table_id` names the table as it is now, terms and numbering (`TermStore.table_id`):
    if `known` was weighed from the same, its sorted vocabulary is taken over (sorting
    70,000 terms took 50 ms of every edit at 10,000 papers). `grown_from` names the table as
    it was before this computation added terms to it (a day's new words): if `known` was
    weighed from that, only the added terms are sorted, and merged in (`merged_vocabulary`)."""
    n = len(docs)
    moved = None  # where `known`'s term numbers went, when the vocabulary was merged
    if (
        known is not None
        and table_id
        and known.table == table_id
        and len(known.rank) == len(table.vocabulary)
    ):
        vocabulary, rank = known.vocabulary, known.rank
    elif (
        known is not None
        and grown_from
        and known.table == grown_from
        and len(known.rank) <= len(table.vocabulary)
    ):
        vocabulary, rank, moved = merged_vocabulary(
            known.vocabulary, known.rank, table.vocabulary[len(known.rank) :]
        )
    else:
        order = sorted(range(len(table.vocabulary)), key=table.vocabulary.__getitem__)
        vocabulary = [table.vocabulary[t] for t in order]
        rank = np.empty(len(order), np.int64)
        rank[order] = np.arange(len(order))
    df = np.zeros(len(vocabulary), np.int64)
    base_df = df if base is None else np.zeros(len(vocabulary), np.int64)  # df itself: every paper counts
    most = 0  # the highest term count
    for a in range(0, n, CHUNK):
        some = docs[a : a + CHUNK]
        df += np.bincount(rank[joined([numbers for numbers, _ in some])], minlength=len(df))
        most = max(most, int(joined([counts for _, counts in some]).max(initial=0)))
        if base is not None:
            counted = [numbers for (numbers, _), b in zip(some, base[a : a + CHUNK], strict=True) if b]
            base_df += np.bincount(rank[joined(counted)], minlength=len(df))
    idf = term_idf(df, base_df, n if base is None else sum(map(bool, base)))
    sublinear = np.array([0.0] + [1 + math.log(tf) for tf in range(1, most + 1)])
    digests = list(digests) if digests is not None else [doc_digest(doc) for doc in docs]
    todo = np.arange(n)
    renumbered = None
    if known is not None and len(known.digests) == n and known.per_doc == per_doc:
        renumbered = moved if moved is not None else renumbering(known.vocabulary, vocabulary)
        todo, lent = _lent(known, renumbered, idf, digests, rank, docs)
        lent_columns: list[npt.NDArray[Any]] = list(lent)  # `_by_paper` lets go of each once placed
        del lent
    slices = [todo[a : a + CHUNK] for a in range(0, max(len(todo), 1), CHUNK)]  # one, empty, for none

    def top(papers: Ints) -> tuple[Ints, Ints, Floats, Ints]:
        return _top_terms([docs[i] for i in papers.tolist()], papers, rank, idf, sublinear, per_doc)

    if workers > 1 and len(todo) >= CHUNK:  # numpy sorts outside the interpreter lock
        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(top, slices))
    else:
        parts = [top(papers) for papers in slices]
    weighed = [np.concatenate([part[i] for part in parts]) for i in range(4)]
    del parts
    if len(todo) < n:  # the lent vectors and the new ones, by paper
        start, (doc, term, weight, position) = _by_paper(weighed, lent_columns, n)
    else:
        doc, term, weight, position = weighed
        start = starts(doc, n)
    return Vectors(
        start,
        doc,
        term,
        weight,
        position,
        vocabulary,
        idf,
        digests,
        per_doc,
        table_id,
        rank,
        renumbered,
        todo if renumbered is not None else None,
    )


def _lent(
    known: Vectors,
    renumber: Ints,
    idf: Floats,
    digests: list[bytes],
    rank: Ints,
    docs: Sequence[Doc],
) -> tuple[Ints, tuple[Ints, Ints, Floats, Ints]]:
    """The papers whose vectors must be weighed again (sorted), and the entries of the
    others, taken from `known` and numbered as now (`renumber`: its term numbers in the
    vocabulary now). A paper keeps its vector when its counts are the same and none of its
    terms changed weight (`idf`, per term)."""
    n = len(digests)
    # Each term's idf before, numbered as now (a term new to the vocabulary: changed).
    was = np.full(len(idf), -1.0)
    present = renumber >= 0
    was[renumber[present]] = known.idf[present]
    changed_term = was != idf
    redo = np.array([a != b for a, b in zip(known.digests, digests, strict=True)], bool)
    for a in range(0, n, CHUNK):  # papers holding a term whose weight changed
        numbers = [numbers for numbers, _ in docs[a : a + CHUNK]]
        lengths = np.fromiter((len(b) // 4 for b in numbers), np.int64, len(numbers))
        hit = changed_term[rank[joined(numbers)]]
        owner = np.repeat(np.arange(a, a + len(numbers)), lengths)
        redo[owner[hit]] = True
    kept = ~redo[known.doc]
    entries = (known.doc[kept], renumber[known.term[kept]], known.weight[kept], known.position[kept])
    return np.flatnonzero(redo), entries


def _by_paper(
    weighed: list[npt.NDArray[Any]], lent: list[npt.NDArray[Any]], n: int
) -> tuple[Ints, tuple[Ints, Ints, Floats, Ints]]:
    """The entries of the papers weighed again and those lent (each a list of columns:
    paper, term, weight, place, by paper) as one set by paper, and where each paper starts.
    Each entry goes to its paper's start plus its place (a paper's entries all come from
    one of the two), column by column, each lent column let go of once placed: a stable
    sort of both, concatenated, held three copies of the lent entries at once (this step's
    peak in a daily build at 50,000 papers: 929 MiB then, 792 MiB now)."""
    sizes = np.bincount(weighed[0], minlength=n) + np.bincount(lent[0], minlength=n)
    start = np.zeros(n + 1, np.int64)
    np.cumsum(sizes, out=start[1:])
    at_weighed = start[weighed[0]] + weighed[3]
    at_lent = start[lent[0]] + lent[3]
    columns = []
    while lent:
        new, kept = weighed.pop(0), lent.pop(0)
        column = np.empty(len(at_weighed) + len(at_lent), kept.dtype)
        column[at_weighed] = new
        column[at_lent] = kept
        columns.append(column)
    doc, term, weight, position = columns
    return start, (doc, term, weight, position)


def renumbering(old: list[str], new: list[str]) -> Ints:
    """Term numbers in vocabulary `old` → those in `new` (-1: a term `new` lacks)."""
    if old == new:
        return np.arange(len(new))
    number = {term: i for i, term in enumerate(new)}
    return np.array([number.get(t, -1) for t in old], np.int64)


def term_idf(df: Ints, base_df: Ints, papers: int) -> Floats:
    """Each term's idf, `log((1 + papers) / base_df)`, counted over the `papers` papers of
    the weighing base (related/method.py's `weight_base`; `base_df`: how many of them hold the
    term), with at least 2 for its document frequency; 0 for a term that fewer than two
    papers of all (`df`) hold.

    Counted over a base that a new day leaves as it is, the weights of the papers already
    there stay as they were; a term the base lacks weighs as a rare one."""
    counted = np.maximum(base_df, 2)
    return np.where(df > 1, _idf_table(counted, papers)[counted], 0.0)


def _idf_table(df: Ints, papers: int) -> Floats:
    """Each document frequency's idf, by the frequency (0: in one paper or none): logarithms
    as Python computes them, once per distinct value (numpy's may differ by an ulp)."""
    idf = np.zeros(int(df.max(initial=0)) + 1)
    # The distinct frequencies, from a count of each: a plain `np.unique` imports numpy.ma
    # (11 ms of every build that scores related papers).
    for d in np.flatnonzero(np.bincount(df[df > 1], minlength=2)).tolist():
        idf[d] = math.log((1 + papers) / d)
    return idf


def _no_entries() -> tuple[Ints, Ints, Floats, Ints]:
    empty = np.zeros(0, np.int64)
    return empty, empty, np.zeros(0), empty


def _top_terms(
    docs: Sequence[Doc], papers: Ints, rank: Ints, idf: Floats, sublinear: Floats, per_doc: int
) -> tuple[Ints, Ints, Floats, Ints]:
    """The salient entries of some documents (papers `papers`, in order): paper, term,
    unit-vector weight and place, by paper, heaviest first, ties by term text."""
    if not docs:
        return _no_entries()
    lengths = np.fromiter((len(numbers) for numbers, _ in docs), np.int64, len(docs)) // 4  # uint32
    term = rank[joined([numbers for numbers, _ in docs])]
    weight = sublinear[joined([counts for _, counts in docs])] * idf[term]
    doc = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    kept = weight > 0
    doc, term, weight = doc[kept], term[kept], weight[kept]
    # One sort of one number made of the paper, the weight's rank among the slice's distinct
    # weights (heaviest 0) and the term.
    distinct, lighter = np.unique(weight, return_inverse=True)
    if len(docs) * len(distinct) * len(rank) < 2**62:
        order = np.argsort((doc * len(distinct) + (len(distinct) - 1 - lighter)) * len(rank) + term)
    else:  # too large for one 64-bit number: three stable sorts
        order = np.lexsort((term, -weight, doc))
    doc, term, weight = doc[order], term[order], weight[order]
    position = positions(doc, len(docs))
    top = position < per_doc
    doc, term, weight, position = doc[top], term[top], weight[top], position[top]
    norms = np.sqrt(np.bincount(doc, weights=weight * weight, minlength=len(docs)))
    weight = weight / np.where(norms > 0, norms, 1.0)[doc]
    return papers[doc], term, weight, position


@dataclass(frozen=True)
class Postings:
    """term → the papers holding it among their INDEXED_TERMS heaviest terms, heaviest first
    (ties by paper), at most `cap` of them; only terms with two or more papers (a term one
    paper holds would find only that paper)."""

    start: Ints  # per term, and one past the last
    doc: Ints
    weight: Floats
    place: Ints  # per entry: its place in its paper's vector (`Vectors.position`)

    @classmethod
    def of(cls, vectors: Vectors, cap: int = POSTINGS_CAP) -> Postings:
        term, doc, weight, place = _postings(vectors, np.flatnonzero(is_indexed(vectors.position)), cap)
        return cls(starts(term, len(vectors.vocabulary)), doc, weight, place)

    @classmethod
    def patched(
        cls,
        vectors: Vectors,
        start: Ints,
        doc: Ints,
        place: npt.NDArray[np.integer[Any]],
        cap: int = POSTINGS_CAP,
    ) -> Postings:
        """`of(vectors, cap)`, from the postings (`start`, `doc`, `place`) of the vectors
        `vectors` took over (`known` in `salient_vectors`; the same cap): only the postings
        of a term that a paper weighed anew indexes now, or was in before, can differ. Every
        other term's papers kept their vectors, so its postings are as they were (a paper
        that left it had been capped out of them): they are taken over, renumbered, and
        only the others sorted again (an edit weighs a hundred papers anew)."""
        weighed, old_term = vectors.weighed, vectors.renumbered
        if weighed is None or old_term is None:
            return cls.of(vectors, cap)
        terms = len(vectors.vocabulary)
        again = np.zeros(len(vectors.start) - 1, bool)
        again[weighed] = True
        suspect = np.zeros(terms, bool)
        at = ranges(vectors.start[weighed], vectors.start[weighed + 1] - vectors.start[weighed])
        suspect[vectors.term[at[is_indexed(vectors.position[at])]]] = True
        old_term_of = np.repeat(old_term, np.diff(start))  # per old entry: its term now (-1: gone)
        held = old_term_of[again[doc]]
        suspect[held[held >= 0]] = True
        kept = old_term_of >= 0
        kept[kept] = ~suspect[old_term_of[kept]]
        kept_doc, kept_place = doc[kept], place[kept].astype(np.int64)
        redone = np.flatnonzero(is_indexed(vectors.position) & suspect[vectors.term])
        new_term, new_doc, new_weight, new_place = _postings(vectors, redone, cap)
        term = np.concatenate([old_term_of[kept], new_term])
        order = stable_order(term, terms, runs=True)  # a term's entries all come from one side, in order
        return cls(
            starts(term[order], terms),
            np.concatenate([kept_doc, new_doc])[order],
            np.concatenate([vectors.weight[vectors.start[kept_doc] + kept_place], new_weight])[order],
            np.concatenate([kept_place, new_place])[order],
        )

    def size(self, term: Ints) -> Ints:
        result: Ints = self.start[term + 1] - self.start[term]
        return result


def _postings(vectors: Vectors, entries: Ints, cap: int) -> tuple[Ints, Ints, Floats, Ints]:
    """The postings of the indexed `entries` (sorted) of `vectors`: (term, paper, weight,
    place) by term, heaviest first, ties by paper, at most `cap` a term and none of a term
    left with one."""
    term, weight = vectors.term[entries], vectors.weight[entries]
    # By term, heaviest first, ties by paper (the entries come by paper): as
    # `np.lexsort((doc, -weight, term))`, in one sort of integers (42 ms → 10 at 10,000 papers).
    heavier, weights = descending_ranks(weight)
    order = stable_order(term * weights + heavier, len(vectors.vocabulary) * weights)
    entries, term = entries[order], term[order]
    kept = positions(term, len(vectors.vocabulary)) < cap
    entries, term = entries[kept], term[kept]
    single = np.bincount(term, minlength=len(vectors.vocabulary))[term] < 2
    entries, term = entries[~single], term[~single]
    return term, vectors.doc[entries], vectors.weight[entries], vectors.position[entries]

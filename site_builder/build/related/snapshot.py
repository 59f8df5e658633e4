"""What one related-papers computation leaves the next (related/reach.py reads it): every
paper's vector and the postings it was in, its candidates, its floor, and its slack, the
budget its scores may move by before one of its choices could change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from site_builder.build.related.index import Postings, Vectors
from site_builder.core.runtime.arrays import Bools, Floats, Ints, starts

MOST_SCALING = 1.25  # the most a skipped paper's scores may be scaled before it is scored again


@dataclass(frozen=True)
class Snapshot:
    """What the last computation scored from: every paper's vector, which papers each
    term's postings held, and each paper's remaining slack."""

    vectors: Vectors
    postings_start: Ints
    postings_doc: Ints
    postings_place: npt.NDArray[np.int8]  # each entry's place in its paper's vector (< 30)
    slack: Slack
    candidates: Candidates

    @classmethod
    def of(cls, vectors: Vectors, postings: Postings, slack: Slack, candidates: Candidates) -> Snapshot:
        place = postings.place.astype(np.int8)
        return cls(vectors, postings.start, postings.doc, place, slack, candidates)

    def postings(self, vectors: Vectors, cap: int) -> Postings:
        """The postings of `vectors`, weighed with these as the known ones: these, patched."""
        return Postings.patched(vectors, self.postings_start, self.postings_doc, self.postings_place, cap)

    def spread(self, where: Ints, papers: int, empty: bytes) -> Snapshot:
        """This snapshot among `papers` papers, paper `i` as paper `where[i]` (increasing):
        the others hold no terms and have unbounded slack, as a computation gives a paper
        with no terms."""
        return Snapshot(
            self.vectors.spread(where, papers, empty),
            self.postings_start,
            where[self.postings_doc],
            self.postings_place,
            self.slack.spread(where, papers),
            self.candidates.spread(where, papers),
        )

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


Pairs = tuple[Ints, Ints, Floats, Floats]  # (paper, candidate, partial score, cosine)


@dataclass(frozen=True)
class Candidates:
    """Each paper's candidates, the pool papers whose partial scores reached its floor:
    paper `d`'s are `doc[start[d]:start[d + 1]]`, best first. Only they can move its links;
    the rest of its pool matters only if it rises to the floor. With each, its partial score
    and its cosine (NaN if it was not among the rescored), as the scoring summed them; while
    a paper is `exact`, nothing has moved them since (related/repair.py then corrects its
    candidates instead of scoring it again)."""

    start: Ints
    doc: Ints
    partial: Floats
    cosine: Floats
    exact: Bools  # per paper

    @classmethod
    def of(cls, pairs: Pairs, papers: int) -> Candidates:
        """From pairs (paper, candidate, partial score, cosine), by paper."""
        paper, other, partial, cosine = pairs
        order = np.argsort(paper, kind="stable")
        other = other[order].astype(np.int32)  # half the bytes
        return cls(starts(paper[order], papers), other, partial[order], cosine[order], np.ones(papers, bool))

    @classmethod
    def joined(cls, parts: list[Pairs], papers: int) -> Candidates:
        """From slices of pairs (paper, candidate, partial score, cosine)."""
        none = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0))
        columns = [np.concatenate([part[i] for part in parts] or [none[i]]) for i in range(4)]
        return cls.of((columns[0], columns[1], columns[2], columns[3]), papers)

    def pairs(self) -> tuple[Ints, Ints]:
        """Every (paper, candidate) pair, by paper."""
        return np.repeat(np.arange(len(self.start) - 1), np.diff(self.start)), self.doc

    def keys(self, papers: int) -> Ints:
        """Every pair as `paper × papers + candidate`, sorted."""
        paper, other = self.pairs()
        return np.sort(paper * papers + other)

    def merged(self, papers: Ints, other: Candidates, moved: Bools) -> Candidates:
        """These candidates with those of `papers` (sorted) replaced by `other`'s (a set of
        the same papers' numbering, exact); the others stay exact unless `moved` (per paper)."""
        paper, doc = self.pairs()
        kept = ~np.isin(paper, papers)
        new_paper, new_doc = other.pairs()
        merged = Candidates.of(
            (
                np.concatenate([paper[kept], new_paper]),
                np.concatenate([doc[kept], new_doc]),
                np.concatenate([self.partial[kept], other.partial]),
                np.concatenate([self.cosine[kept], other.cosine]),
            ),
            len(self.start) - 1,
        )
        exact = self.exact & ~moved
        exact[papers] = True
        return replace(merged, exact=exact)

    def spread(self, where: Ints, papers: int) -> Candidates:
        """These candidates among `papers` papers, paper `i` as paper `where[i]`; the others
        have none (and are exact)."""
        paper, doc = self.pairs()
        exact = np.ones(papers, bool)
        exact[where] = self.exact
        return replace(
            Candidates.of((where[paper], where[doc], self.partial, self.cosine), papers), exact=exact
        )


class Slack:
    """Each paper's budget for how far its scores may move before one of its choices could
    change, over every gap its choices rest on: `relative`, the logarithm of how much all
    its scores with a changed paper may be scaled by (at most MOST_SCALING), and `absolute`,
    how much they may move besides. A gap between two scores lends each budget a quarter of
    itself (both scores may move), a threshold half its distance to the score."""

    def __init__(self, relative: Floats, absolute: Floats, floor: Floats) -> None:
        self.relative, self.absolute = relative, absolute
        self.floor = floor  # the partial score a paper new to the pool must reach to count

    @classmethod
    def unbounded(cls, papers: int) -> Slack:
        return cls(np.full(papers, np.inf), np.full(papers, np.inf), np.zeros(papers))

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

    def spread(self, where: Ints, papers: int) -> Slack:
        """These budgets among `papers` papers, paper `i` as paper `where[i]`; the others'
        unbounded."""
        grown = Slack.unbounded(papers)
        grown.put(where, self)
        return grown

    def put(self, docs: Ints, other: Slack) -> None:
        """Replace the budgets of papers `docs` by `other`'s (aligned with `docs`)."""
        self.relative[docs], self.absolute[docs], self.floor[docs] = (
            other.relative,
            other.absolute,
            other.floor,
        )


@dataclass(frozen=True)
class Lookup:
    """Every paper's weight for a term, by the key `paper × terms + term` (sorted)."""

    key: Ints
    weight: Floats
    terms: int

"""The last build's encoded postings, kept so that an edit encodes again only the terms its
changed papers hold or held (`index.build_index`).

A term's posting is made of the ids and frequencies of the documents holding it, nothing
else: while every document keeps its id, a term that no changed document holds or held
has the posting it had. A one-page edit touches a few hundred of 60,000 terms, where
encoding all 1.3 million (term, document) pairs took 0.19 s of the search process's CPU
at 10,000 papers. A new day's papers come first in id order and move every other
document's id: that, and anything else that changes many documents, is encoded in full.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from site_builder.core.runtime.arrays import Ints, distinct

# What a document's postings are made of: its text key (title and abstract), and the texts
# of its tags, its authors and its arXiv word, each as the index analyses it.
Signature = tuple[str, str, str, str]
MOST_CHANGED = 8  # at most one document in this many changed, or everything is encoded


@dataclass
class EarlierPostings:
    """Every field's encoded postings and sizes in term order, as a build made them, with
    the signature of each document (by id) they were made from."""

    fields: tuple[str, ...]
    signatures: list[Signature]
    terms: list[str]
    encoded: list[str]  # per field: its postings in term order, joined by "," (no digit is one)
    sizes: list[bytes]  # per field: how many documents hold each term, as int64

    @classmethod
    def of(
        cls,
        fields: Sequence[str],
        signatures: list[Signature],
        terms: list[str],
        encoded: Sequence[Sequence[str]],
        sizes: Sequence[Sequence[int]],
    ) -> EarlierPostings:
        return cls(
            tuple(fields),
            signatures,
            terms,
            [",".join(postings) for postings in encoded],
            [np.array(counts, np.int64).tobytes() for counts in sizes],
        )

    def field(self, number: int) -> tuple[list[str], list[int]]:
        """A field's postings and sizes, in the order of `terms`."""
        if not self.terms:
            return [], []
        return self.encoded[number].split(","), np.frombuffer(self.sizes[number], np.int64).tolist()


def changed_documents(
    earlier: EarlierPostings | None, fields: Sequence[str], signatures: list[Signature]
) -> list[int] | None:
    """The ids of the documents whose signature is not the one `earlier` was made with, or
    None when `earlier` cannot serve (none kept, other fields, another number of
    documents, or too many changed)."""
    if earlier is None or earlier.fields != tuple(fields) or len(earlier.signatures) != len(signatures):
        return None
    changed = [i for i, (a, b) in enumerate(zip(earlier.signatures, signatures, strict=True)) if a != b]
    return changed if len(changed) <= len(signatures) // MOST_CHANGED else None


def overlaid(
    earlier: EarlierPostings, number: int, terms: list[str], wanted: Ints, made: list[str], counts: list[int]
) -> tuple[list[str], list[int]]:
    """A field's postings and sizes: those of the `wanted` terms (their places in `terms`,
    sorted) as just made (`made`, `counts`, in that order), every other term's as `earlier`
    kept them."""
    postings, sizes = earlier.field(number)
    if earlier.terms != terms:  # a term came or went: look the kept ones up by name
        place = {term: i for i, term in enumerate(earlier.terms)}
        at = [place.get(term, -1) for term in terms]
        postings = [postings[i] if i >= 0 else "" for i in at]
        sizes = [sizes[i] if i >= 0 else 0 for i in at]
    for j, t in enumerate(wanted.tolist()):
        postings[t], sizes[t] = made[j], counts[j]
    return postings, sizes


def touched(
    analyse: Callable[[str], bytes],
    stems: list[str],
    earlier: EarlierPostings,
    changed: list[int],
    fields: tuple[list[bytes], ...],
    kept: dict[str, tuple[bytes, bytes]],
) -> set[str] | None:
    """The terms the `changed` documents hold now (`fields`: every field's pairs by document)
    or held when `earlier` was made (their title and abstract as `kept` has them, by their
    text key then; the rest analysed again by `analyse`, `Analyzer.pairs`, whose word ids
    `stems` turns into terms); None if an earlier text is not kept."""
    held: list[bytes] = [pairs[doc] for pairs in fields for doc in changed]
    for doc in changed:
        key, tags, authors, arxiv = earlier.signatures[doc]
        texts = kept.get(key)
        if texts is None:
            return None
        held += [*texts, *map(analyse, (tags, authors, arxiv))]
    # A text's pairs are its word ids, then as many frequencies (int32 each).
    ids = [np.frombuffer(pairs, np.int32)[: len(pairs) // 8] for pairs in held]
    return {stems[w] for w in distinct(np.concatenate([np.zeros(0, np.int32), *ids])).tolist()}

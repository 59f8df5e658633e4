"""Related papers, remembered between builds.

An unchanged site reuses the links: they are kept under a hash of every page's digest, in
a file of their own (reading the whole state to find them unchanged took a tenth of a
second at 10,000 papers). Each page's term counts (the costly text analysis) are kept
under its own digest, so after an edit only the edited pages are analysed again, and the
last computation's state (`related.method.RelatedState`) lets the next one score again only the
papers an edit or a day's new papers can reach.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from site_builder.core.files import store as stores
from site_builder.core.files.store import Store
from site_builder.core.model import Page
from site_builder.core.runtime.hashing import code_version, digest

if TYPE_CHECKING:
    from site_builder.build.related.method import RelatedState
    from site_builder.build.related.terms import Doc, TermTable

LINKS = "related-links"  # the store's name for the last links alone (their key in its salt)
TERMS, TERMS_ADDED = "terms", "terms.new"  # each page's term counts (`TermStore`)


@dataclass(frozen=True)
class RelatedLinks:
    """Every paper's related papers, with a hash of them all (what the plan's fingerprint
    counts: hashing their repr took 30 ms of every build at 10,000 papers)."""

    links: dict[str, list[str]]
    key: str
    scored: int = 0  # how many papers this build scored (0: all links were kept)
    corrected: int = 0  # how many it corrected from their kept candidates (related/repair.py)

    @classmethod
    def of(cls, links: dict[str, list[str]]) -> RelatedLinks:
        return cls(
            links, digest(*[part for slug in sorted(links) for part in (slug, "\n".join(links[slug]))])
        )


def cached_related(
    pages: Sequence[Page],
    digests: dict[str, str],
    store: Store,
    pages_key: str,
    workers: int = 1,
    genres: frozenset[str] = frozenset(),
) -> RelatedLinks:
    """Related papers of every page (`pages` sorted by slug), as `related.method.related_pages` gives
    them, with their hash; scored in `workers` threads when there are many. `pages_key`:
    the pages as read, hashed (`load.pages_key`), which with `genres` keys the links."""
    salt = code_version()
    slugs = [p.slug for p in pages]
    key = digest(*sorted(genres), "\0", pages_key)
    # The key is in the file's salt, which the store compares before it checks or unpickles
    # anything: after an edit, finding the links stale costs a read, not 5 ms.
    kept = store.load(LINKS, f"{salt} {key}")
    if isinstance(kept, RelatedLinks):
        return kept
    # Links to compute: numpy and the text analysis are loaded only now.
    from site_builder.build.related.method import RelatedState, related_state, subject_tags, weight_base
    from site_builder.build.related.terms import term_counts

    saved: Any = store.load("related", salt)
    previous = (
        saved[1]
        if isinstance(saved, tuple) and len(saved) == 2 and isinstance(saved[1], RelatedState)
        else None
    )
    if previous is not None and saved[0] == key:
        related = RelatedLinks.of(previous.links)
        store.save(LINKS, f"{salt} {key}", related)
        return related
    terms = TermStore(store, salt)
    table, counted = terms.load()
    loaded = terms.table_id(table)  # the table before the new pages' terms join it
    docs = {}
    for page in pages:
        found = counted.get(digests[page.slug])
        docs[digests[page.slug]] = found if found is not None else table.encode(term_counts(page))
    handed = [previous]  # related_state then holds the only reference, and lets go of it once used
    del saved, previous
    ordered = [digests[s] for s in slugs]
    state = related_state(
        slugs,
        table,
        [docs[d] for d in ordered],
        subject_tags(pages, genres),
        workers=workers,
        previous=handed.pop(),
        table_id=terms.table_id(table),
        base=weight_base(pages),
        doc_digests=terms.doc_digests(ordered, docs),
        grown_from=loaded,
    )
    terms.save(table, docs)
    state = _table_named(state, terms.table_id(table))
    store.save("related", salt, (key, state))
    related = RelatedLinks.of(state.links)
    store.save(LINKS, f"{salt} {key}", related)
    return replace(related, scored=state.rescored, corrected=state.corrected)


def _table_named(state: RelatedState, table_id: str) -> RelatedState:
    """`state` with its vectors' term table named as saved: a computation with no full file
    of counts yet (a cold build) weighs with a table that has no name, and saving the
    counts names it; without the name the next build sorted 63,000 terms again (20 ms of
    the first edit after a cold build at 10,000 papers). The same table and numbering."""
    vectors = state.snapshot.vectors
    if vectors.table == table_id:
        return state
    return replace(state, snapshot=replace(state.snapshot, vectors=replace(vectors, table=table_id)))


class TermStore:
    """Each page's term counts, by the page's digest, with the term table they are numbered
    in; kept in two files like a `files.store.Memo`: the table and counts as last written in
    full, and what was added since (a one-page edit or a day's papers write only that, not
    11 MB at 10,000 papers). The added file names the full one it extends (`base`), so it is
    never read against another. Each page's counts are kept with their `doc_digest`, which
    only they give: hashing 10,000 counts again took 13 ms of every computation."""

    def __init__(self, store: Store, salt: str) -> None:
        self.store, self.salt = store, salt
        self.base = ""  # the full file's name for itself, made anew at each full write
        self.known: dict[str, Doc] = {}  # the counts in the full file
        self.terms = 0  # terms in the full file's table
        self.loaded: set[str] = set()  # the pages whose counts were found
        self.sums: dict[str, bytes] = {}  # page digest → its counts' `doc_digest`, as far as known

    def load(self) -> tuple[TermTable, dict[str, Doc]]:
        """The table and every page's counts, as far as they were kept."""
        from site_builder.build.related.terms import TermTable

        full = self.store.load(TERMS, self.salt)
        if not (isinstance(full, tuple) and len(full) == 4 and isinstance(full[1], TermTable)):
            return TermTable(), {}
        self.base, table, self.known, sums = full
        self.terms = len(table.vocabulary)
        added = self.store.load(TERMS_ADDED, self.salt)
        docs = dict(self.known)
        self.sums = dict(sums)
        if isinstance(added, tuple) and len(added) == 5 and added[:2] == (self.base, self.terms):
            table.extend(added[2])
            docs.update(added[3])
            self.sums.update(added[4])
        self.loaded = set(docs)
        return table, docs

    def doc_digests(self, pages: Sequence[str], docs: dict[str, Doc]) -> list[bytes]:
        """The `doc_digest` of each page's counts (`pages`: page digests, keys of `docs`):
        kept ones as kept, the others worked out (and kept by the next `save`)."""
        from site_builder.build.related.terms import doc_digest

        sums = self.sums
        out = []
        for page in pages:
            found = sums.get(page)
            if found is None:
                found = sums[page] = doc_digest(docs[page])
            out.append(found)
        return out

    def table_id(self, table: TermTable) -> str:
        """A name for the table as it is now (its terms, in their numbering): the full file it
        was loaded from, never reused, and a hash of the terms added since; "" for a table
        no full file holds."""
        return digest(self.base, *table.vocabulary[self.terms :]) if self.base else ""

    def save(self, table: TermTable, docs: dict[str, Doc]) -> None:
        """Keep `docs` (every page's counts now) and the table: only what the full file lacks,
        while that and what it holds that is no longer used stay under an eighth of it."""
        if docs.keys() == self.loaded:
            return  # no page analysed or dropped
        added = {d: doc for d, doc in docs.items() if d not in self.known}
        unused = len(self.known) - (len(docs) - len(added))
        if self.base and len(added) + unused <= max(len(docs) // 8, stores.REWRITE_FROM):
            tail = table.vocabulary[self.terms :]
            sums = dict(zip(added, self.doc_digests(list(added), added), strict=True))
            self.store.save(TERMS_ADDED, self.salt, (self.base, self.terms, tail, added, sums))
        else:
            self.base, self.known, self.terms = os.urandom(8).hex(), dict(docs), len(table.vocabulary)
            sums = dict(zip(docs, self.doc_digests(list(docs), docs), strict=True))
            self.store.save(TERMS, self.salt, (self.base, table, docs, sums))
            self.store.save(TERMS_ADDED, self.salt, None)
        self.loaded = set(docs)

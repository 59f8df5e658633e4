"""Related papers, remembered between builds.

An unchanged site reuses the links: they are kept under a hash of every page's digest, in
a file of their own (reading the whole state to find them unchanged took a tenth of a
second at 10,000 papers), with a hash of the papers' slugs: the state is of use only to a
computation of the same papers, so a day that adds papers does not read it (40 ms).
Each page's term counts (the costly text analysis) are kept under its own digest, so after
an edit only the edited pages are analysed again, and the last computation's state
(`related.RelatedState`) lets the next one score again only the papers an edit can reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from site_builder.build.related import RelatedState, related_state
from site_builder.build.related_terms import TermTable, term_counts
from site_builder.core.hashing import code_version, digest
from site_builder.core.model import Page
from site_builder.core.store import Store

LINKS = "related-links"  # the store's name for the last links alone, with their key


def cached_related(
    pages: Sequence[Page], digests: dict[str, str], store: Store, workers: int = 1
) -> dict[str, list[str]]:
    """Related papers of every page (`pages` sorted by slug), as `related.related_pages` gives
    them; scored in `workers` threads when there are many."""
    salt = code_version()
    slugs = [p.slug for p in pages]
    key = digest(*[part for slug in slugs for part in (slug, digests[slug])])
    papers = digest(*slugs)
    remembered = store.load(LINKS, salt)
    if isinstance(remembered, tuple) and len(remembered) == 3 and remembered[0] == key:
        return remembered[2]  # type: ignore[no-any-return]
    other_papers = isinstance(remembered, tuple) and len(remembered) == 3 and remembered[1] != papers
    saved: Any = None if other_papers else store.load("related", salt)
    previous = (
        saved[1]
        if isinstance(saved, tuple) and len(saved) == 2 and isinstance(saved[1], RelatedState)
        else None
    )
    if previous is not None and saved[0] == key:
        store.save(LINKS, salt, (key, papers, previous.links))
        return previous.links
    known = store.load("terms", salt)
    table, counted = known if _is_terms(known) else (TermTable(), {})
    docs = {}
    for page in pages:
        found = counted.get(digests[page.slug])
        docs[digests[page.slug]] = found if found is not None else table.encode(term_counts(page))
    state = related_state(
        slugs,
        table,
        [docs[digests[s]] for s in slugs],
        [p.tags for p in pages],
        workers=workers,
        previous=previous,
    )
    if docs.keys() != counted.keys():  # rewritten only when pages were analysed or dropped
        store.save("terms", salt, (table, docs))
    store.save("related", salt, (key, state))
    store.save(LINKS, salt, (key, papers, state.links))
    return state.links


def _is_terms(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], TermTable)

"""The last build's postings kept for the next: an edit encodes again only the terms its
changed papers hold or held, and the index is the one a cold build gives."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.common import read_site_pages
from site_builder.build.search.earlier_postings import EarlierPostings, changed_documents
from site_builder.build.search.index import SearchIndex, build_index
from site_builder.core.model import Page, Source
from site_builder.core.taxonomy import Taxonomy, load_taxonomy

REPO = Path(__file__).resolve().parent.parent
Edit = Callable[[list[Page]], list[Page]]


def corpus() -> tuple[list[Page], Taxonomy]:
    pages, _ = read_site_pages(REPO / "content" / "papers", REPO)
    return sorted(pages, key=lambda p: p.slug), load_taxonomy(REPO / "content" / "taxonomy.yaml")


def changed(pages: list[Page], i: int, **fields: object) -> list[Page]:
    return [*pages[:i], dataclasses.replace(pages[i], **fields), *pages[i + 1 :]]  # type: ignore[arg-type]


EDITS: dict[str, Edit] = {
    "abstract with new words": lambda ps: changed(ps, 7, body=ps[7].body + " Zyxwvutian glorpification."),
    "abstract cut to one word": lambda ps: changed(ps, 3, body="Quantization."),
    "title": lambda ps: changed(ps, 11, title="Entirely Other Heading Zorblax"),
    "tags": lambda ps: changed(ps, 5, tags=tuple(reversed(ps[5].tags)) or ("agents",)),
    "authors": lambda ps: changed(ps, 2, authors=("Ada Lovelace", "Qwertyuiop Asdf")),
    "two pages": lambda ps: changed(changed(ps, 1, body="Text-to-SQL and more."), 9, title="New Name"),
}


def same_index(warm: SearchIndex, cold: SearchIndex) -> None:
    assert (warm.terms, warm.words, warm.encoded) == (cold.terms, cold.words, cold.encoded)
    assert (warm.sizes, warm.lengths, warm.boosts) == (cold.sizes, cold.lengths, cold.boosts)
    assert warm.postings == cold.postings  # what the next build keeps


@pytest.mark.parametrize("edit", EDITS)
def test_an_edit_gives_the_postings_a_cold_build_gives(edit: str) -> None:
    pages, taxonomy = corpus()
    if len(pages) < 40:
        pytest.skip("no bundled corpus")
    before = build_index(pages, taxonomy)
    edited = EDITS[edit](pages)
    warm = build_index(edited, taxonomy, before.known, None, before.postings)
    same_index(warm, build_index(edited, taxonomy))
    again = build_index(pages, taxonomy, warm.known, None, warm.postings)  # and the edit undone
    same_index(again, before)


def test_a_term_no_edited_paper_holds_keeps_its_posting_and_a_touched_one_is_made_again() -> None:
    """Seen by a kept posting altered on purpose: an untouched term's comes through as it was
    kept (it was not made again); the edited paper's terms are made anew, and a new day's
    paper, which moves every document's id, has every posting made anew."""
    pages, taxonomy = corpus()
    if len(pages) < 40:
        pytest.skip("no bundled corpus")
    before = build_index(pages, taxonomy)
    assert before.postings is not None
    edited = changed(pages, 4, body=pages[4].body + " Zyxwvutian.")
    held = {term for word, term in before.words.items() if word in pages[4].body.lower()}
    untouched = next(
        t for t, sizes in zip(before.terms, before.sizes, strict=True) if sizes[1] and t not in held
    )
    touched = "zyxwvutian"
    body = [list(field) for field in zip(*before.encoded, strict=True)]
    body[1][before.terms.index(untouched)] = "altered"
    altered = EarlierPostings.of(
        before.postings.fields,
        before.postings.signatures,
        before.terms,
        body,
        [list(field) for field in zip(*before.sizes, strict=True)],
    )
    warm = build_index(edited, taxonomy, before.known, None, altered)
    assert warm.encoded[warm.terms.index(untouched)][1] == "altered"
    cold = build_index(edited, taxonomy)
    assert warm.encoded[warm.terms.index(touched)] == cold.encoded[cold.terms.index(touched)]
    day = Page("a-new-day", "A New Day", "Fresh words.", sources=(Source("new.txt", 7, "2099-01-01"),))
    newer = build_index([day, *pages], taxonomy, before.known, None, altered)
    assert "altered" not in {posting for term in newer.encoded for posting in term}


def test_earlier_postings_serve_only_the_same_documents_in_the_same_places() -> None:
    kept = EarlierPostings.of(
        ("title", "body"), [("a", "", "", ""), ("b", "", "", "")] * 8, [], [[], []], [[], []]
    )
    same = list(kept.signatures)
    assert changed_documents(kept, ("title", "body"), same) == []
    assert changed_documents(kept, ("title", "body"), [("x", "", "", ""), *same[1:]]) == [0]
    assert changed_documents(kept, ("title", "body"), [("x", "", "", ""), ("y", "", "", ""), *same[2:]]) == [
        0,
        1,
    ]
    assert changed_documents(kept, ("title", "body"), [("x", "", "", ""), *same[1:]][:-1]) is None  # a day
    assert changed_documents(kept, ("title", "body", "tags"), same) is None
    assert changed_documents(kept, ("title", "body"), [(s, "", "", "") for s in "xyz"] + same[3:]) is None
    assert changed_documents(None, ("title", "body"), same) is None

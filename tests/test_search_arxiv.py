"""A paper's arXiv id in the search files (build/search/arxiv.py) and the engine reading one
pasted into the box: the id, `arXiv:` and a version, the paper's arxiv.org or Hugging Face
address all find the paper."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from helpers import search_in_node
from test_search import PAGES, TAXONOMY, WITH_IDS, page, slugs, write_assets

from site_builder.build.search.arxiv import arxiv_word
from site_builder.build.search.assets import build_search_assets


def test_a_papers_arxiv_id_is_one_word_wherever_the_page_gives_it() -> None:
    """From its links, its `arxiv:` field (a version dropped) or an old-style id (its slash
    dropped); a page without one has none."""
    assert [arxiv_word(p) for p in WITH_IDS] == ["240306201", "240306249", "hepth9901001"]
    assert arxiv_word(PAGES[0]) == ""


def test_an_id_too_long_to_be_a_word_is_not_indexed() -> None:
    """An old-style id whose archive is longer than any indexed word (a typo, or an address
    in an abstract) gives no word, and the search files are still made."""
    long_id = dataclasses.replace(PAGES[0], extra={"arxiv": "a" * 45 + "/0112017"})
    assert arxiv_word(long_id) == ""
    assert "assets/search-index.js" in build_search_assets([long_id, *PAGES[1:]], TAXONOMY)


# An old-style id of an archive without a hyphen: its word is one plain word (`cs0112017`).
PLAIN_OLD = dataclasses.replace(page("plain", "Old Logic", "Proofs of old."), extra={"arxiv": "cs/0112017"})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_assets(
        build_search_assets(PAGES + WITH_IDS + [PLAIN_OLD], TAXONOMY), tmp_path_factory.mktemp("arxiv")
    )


PASTED = [
    "2403.06201",
    "arXiv:2403.06201",
    "arxiv:2403.06201v3",
    "2403.06201v1",
    "https://arxiv.org/abs/2403.06201",
    "arxiv.org/abs/2403.06201v2",
    "https://arxiv.org/pdf/2403.06201v1.pdf",
    "https://huggingface.co/papers/2403.06201",
    "https://export.arxiv.org/abs/2403.06201",  # a page's link there gives its id too
    "trajectory arxiv.org/abs/2403.06201",
]


@pytest.mark.parametrize("query", PASTED)
def test_a_pasted_arxiv_id_or_address_finds_its_paper_first(site: Path, query: str) -> None:
    """The paper first; an abstract citing the id (as two numbers side by side) after it."""
    (found,) = search_in_node({"site": str(site), "queries": [{"q": query}]})
    assert slugs(found)[0] == "tracked"
    if "trajectory" not in query:
        assert slugs(found) == ["tracked", "strings"]


def test_an_old_style_id_and_one_the_site_lacks(site: Path) -> None:
    """`arXiv:hep-th/9901001` finds its paper; an id of no paper here finds nothing and is
    not 'mended' into another id or address ("Did you mean arxiv.org/abq/…?")."""
    old, missing, address = search_in_node(
        {
            "site": str(site),
            "queries": [
                {"q": "arXiv:hep-th/9901001"},
                {"q": "2401.12345"},
                {"q": "arxiv.org/abs/2401.12345"},
            ],
        }
    )
    assert slugs(old) == ["strings"]
    assert (missing["total"], missing["suggestion"]) == (0, None)
    assert (address["total"], address["suggestion"]) == (0, None)


@pytest.mark.parametrize(
    "query", ["hep-th/9901001v2", "hep-th/9901001v12", "arXiv:cs/0112017v1", "cs/0112017"]
)
def test_an_old_style_id_with_a_version_finds_its_paper(site: Path, query: str) -> None:
    """A bare old-style id with its version, as a citation prints it, is read unversioned
    as the index holds it (a new-style one already was)."""
    (found,) = search_in_node({"site": str(site), "queries": [{"q": query}]})
    assert slugs(found) == ["plain" if "cs/" in query else "strings"]


@pytest.mark.parametrize(
    "query",
    [
        "arXiv:hep-th/9901002",
        "https://arxiv.org/abs/hep-th/9901011",
        "arXiv:cs/0112018",
        "arXiv:cs/0112027v3",
    ],
)
def test_an_old_style_id_one_digit_off_another_finds_nothing(site: Path, query: str) -> None:
    """An old-style id the site lacks reads as a word with letters in it, which a typo
    could be in: it must not find, nor be mended into, the paper one digit away."""
    (found,) = search_in_node({"site": str(site), "queries": [{"q": query}]})
    assert (found["total"], found["suggestion"]) == (0, None)


def test_only_a_site_with_arxiv_ids_has_the_field() -> None:
    """The field comes last, after the authors'; a site none of whose papers has an id keeps
    its search files as they were."""
    index = build_search_assets(PAGES + WITH_IDS, TAXONOMY)["assets/search-index.js"].decode()
    assert '["tags",2.0],["arxiv",10.0]]' in index
    assert b'"arxiv"' not in build_search_assets(PAGES, TAXONOMY)["assets/search-index.js"]

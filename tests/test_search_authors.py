"""The author directory (build/search/authors.py) and the engine's author filter
(`search.html?author=NAME`): exactly one author's papers, whatever the accents or case of
the listing, never another author sharing a word of the name."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from helpers import search_in_node
from test_search import PAGES, TAXONOMY, write_assets

from site_builder.build.layout import paper_path
from site_builder.build.search.assets import build_search_assets, search_file_problems
from site_builder.build.search.authors import author_key
from site_builder.core.model import Page, Source
from site_builder.core.runtime.hashing import digest

NAMES = {
    "agents-that-plan": ("Jane Doe", "Alejandro López-Lira"),
    "finequant": ("Jane Smith", "John Doe"),
    "omnisql": ("jane doe", "Doe Jane"),
    "theoremllama": ("JANE DÓE",),
    "debate": ("Alejandro Lopez Lira", "J. Doe"),
}
AUTHORED = [dataclasses.replace(p, authors=NAMES.get(p.slug, ())) for p in PAGES]


def by_author(site: Path, *queries: dict[str, Any]) -> list[list[str]]:
    found = search_in_node({"site": str(site), "queries": [{"q": "", "k": 50, **q} for q in queries]})
    return [[path.removeprefix("papers/").removesuffix(".html") for path in r["paths"]] for r in found]


def test_an_author_key_ignores_case_accents_and_punctuation_but_not_words_or_their_order() -> None:
    assert (
        author_key("Ana María López-Vidal") == "ana maria lopez vidal" == author_key("ANA MARIA LOPEZ VIDAL")
    )
    assert author_key("John Q. Roe") == author_key("John Q Roe") == "john q roe"
    assert len({author_key(n) for n in ("Jane Doe", "Doe Jane", "J. Doe", "Jane Smith", "John Doe")}) == 5
    assert author_key("Łukasz Kaiser") == "lukasz kaiser" and author_key("王 伟") == "王 伟"


def test_javascript_keys_names_exactly_as_python() -> None:
    names = [
        "Ana María López-Vidal",
        "JANE DÓE",
        "John Q. Roe",
        "Łukasz Kaiser",
        "Jürgen Schmidhuber",
        "Sébastien Bubeck",
        "王伟",
        "Nguyễn Văn A",
        "O'Brien, Jr.",
        "  ",
        "Ø. Straße",
        "Ａｌｉｃｅ",
    ]
    assert search_in_node({"authorKeys": names}) == [author_key(n) for n in names]


def test_an_authors_papers_are_exactly_theirs(tmp_path: Path) -> None:
    site = write_assets(build_search_assets(AUTHORED, TAXONOMY), tmp_path / "_site")
    jane, lopez, smith, nobody, words = by_author(
        site,
        {"author": "Jane Doe"},
        {"author": "Alejandro Lopez-Lira"},
        {"author": "Jane Smith"},
        {"author": "Ada Lovelace"},
        {"author": "jane doe", "q": "quantization"},
    )
    # newest first; not Jane Smith's, John Doe's, Doe Jane's or J. Doe's
    assert jane == ["agents-that-plan", "omnisql", "theoremllama"]
    assert lopez == ["agents-that-plan", "debate"]  # López-Lira and Lopez Lira: one author
    assert smith == ["finequant"] and nobody == [] and words == []
    assert by_author(site, {"author": "jane doe", "q": "lean4"}) == [["theoremllama"]]


def test_a_site_without_authors_has_no_directory_and_finds_no_ones_papers(tmp_path: Path) -> None:
    files = build_search_assets(PAGES, TAXONOMY)
    assert not [rel for rel in files if rel.startswith("assets/search/a")]
    assert b"author" not in files["assets/search-index.js"]
    assert by_author(write_assets(files, tmp_path / "_site"), {"author": "Jane Doe"}) == [[]]


def test_with_many_authors_each_is_found_in_one_shard_of_the_directory(tmp_path: Path) -> None:
    """1,500 authors: four shards, the engine's hash picks the build's, for names in any alphabet."""
    day = Source("000.txt", 1, "2025-03-01")
    people = [f"Person {digest(str(i))[:6]} {'Müller' if i % 3 else '李'}" for i in range(1500)]
    many = [
        Page(f"paper-{i}", f"Paper {i}", f"Findings {i}.", sources=(day,), authors=tuple(people[i : i + 3]))
        for i in range(0, 1500, 3)
    ]
    files = build_search_assets(many, TAXONOMY)
    assert [rel for rel in files if rel.startswith("assets/search/a")] == [
        f"assets/search/a{n}.js" for n in range(4)
    ]
    asked = people[::97]
    found = by_author(write_assets(files, tmp_path / "_site"), *({"author": name} for name in asked))
    assert found == [[paper_path(f"paper-{people.index(name) // 3 * 3}")[7:-5]] for name in asked]


def test_check_finds_a_missing_author_shard(tmp_path: Path) -> None:
    site = write_assets(build_search_assets(AUTHORED, TAXONOMY), tmp_path / "_site")
    assert search_file_problems(site) == []
    (site / "assets/search/a0.js").unlink()
    assert [p.message for p in search_file_problems(site)] == [
        "missing: the search index lists it; build again"
    ]


def test_a_surname_after_an_elision_is_found_as_typed_either_way(tmp_path: Path) -> None:
    """`brien` found nothing of an author O'Brien (only `obrien` and `o'brien` did): a
    one-letter elision joins like a hyphen, so each spelling finds the paper first."""
    named = {"finequant": ("Sean O'Brien",), "debate": ("Marie d’Alembert",)}
    pages = [dataclasses.replace(p, authors=named.get(p.slug, ())) for p in PAGES]
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    queries = ["brien", "obrien", "O'Brien", "O’Brien", "alembert", "d'alembert", "dalembert"]
    found = search_in_node({"site": str(site), "queries": [{"q": q} for q in queries]})
    firsts = [r["paths"][:1] for r in found]
    assert firsts == [[paper_path("finequant")]] * 4 + [[paper_path("debate")]] * 3

"""An author's papers in a real browser: a name on a paper page leads to search.html
filtered by that author, from file:// and under /some-repo/; the page says whose papers
these are, lists exactly theirs, and clears the filter with a button."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import run_axe, served_under_subpath
from helpers import default_site, write_paper
from playwright.sync_api import expect

from site_builder.build.pipeline import build_site

pytestmark = pytest.mark.browser

# slug, title, authors (as listings gave them), listing day
PAPERS = [
    ("jane-first", "Speculative Decoding Revisited", "Jane Doe, Ana María López-Vidal", "2025-03-03"),
    ("jane-second", "Routing Mixtures of Experts", "John Roe, jane doe", "2025-03-02"),
    ("smith", "Reward Models Under Shift", "Jane Smith, John Doe", "2025-03-01"),
    ("reversed", "Quantization at Scale", "Doe Jane, Ana Maria Lopez-Vidal", "2025-02-28"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("authors")
    papers = default_site(root)
    for slug, title, authors, listed in PAPERS:
        write_paper(papers, slug, title, f"An abstract of {title}.", listed=listed, authors=authors)
    out = root / "_site"
    build_site(root, out=out)
    with served_under_subpath(out) as http:
        yield {"file": out.as_uri() + "/", "http": http}


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, site: dict[str, str]) -> str:
    return site[request.param]


def results(page: Any, base: str) -> list[str]:
    page.wait_for_selector('#search-results[aria-busy="false"]')
    hrefs = page.eval_on_selector_all("#search-results a.search-hit", "links => links.map(a => a.href)")
    return [h.removeprefix(base + "papers/").removesuffix(".html") for h in hrefs]


def test_an_author_link_lists_exactly_that_authors_papers_and_clears(
    open_page: Callable[..., Any], base: str
) -> None:
    page = open_page()
    page.goto(base + "papers/jane-second.html")
    page.get_by_role("link", name="jane doe", exact=True).click()
    expect(page).to_have_url(base + "search.html?author=jane%20doe")
    # Jane Doe as either listing wrote her; not Jane Smith, John Doe or Doe Jane
    assert results(page, base) == ["jane-first", "jane-second"]
    expect(page.locator("#search-status")).to_have_text("Papers by jane doe: 2.")
    expect(page.locator(".search-author")).to_have_text("Author: jane doe Clear author")
    assert "Papers by jane doe" in page.title()
    # Words search among them, the author kept in the address
    page.fill("#search-page-input", "routing")
    assert results(page, base) == ["jane-second"]
    assert "author=jane%20doe" in page.url and "q=routing" in page.url
    # Cleared from the keyboard: the filter and its line go, focus returns to the box
    page.fill("#search-page-input", "")
    page.focus(".search-author-clear")
    page.keyboard.press("Enter")
    expect(page.locator(".search-author")).to_be_hidden()
    expect(page.locator("#search-status")).to_have_text("Type to search titles, abstracts and tags.")
    assert page.evaluate("document.activeElement.id") == "search-page-input"
    assert "author=" not in page.url
    page.go_back()  # a changed filter is a history entry: Back brings the author back
    expect(page.locator("#search-status")).to_have_text("Papers by jane doe: 2.")
    assert page.problems == []


def test_accents_and_case_do_not_part_an_author(open_page: Callable[..., Any], base: str) -> None:
    page = open_page()
    page.goto(base + "papers/reversed.html")
    page.get_by_role("link", name="Ana Maria Lopez-Vidal").click()
    assert results(page, base) == ["jane-first", "reversed"]
    expect(page.locator("#search-status")).to_have_text("Papers by Ana Maria Lopez-Vidal: 2.")
    page.goto(base + "search.html?author=Nobody%20Here")
    assert results(page, base) == []
    expect(page.locator("#search-status")).to_have_text("Papers by Nobody Here: none.")
    expect(page.locator("#search-results")).to_contain_text("No papers by Nobody Here on this site.")
    assert page.problems == []


def test_the_author_filter_has_no_axe_violations(open_page: Callable[..., Any], site: dict[str, str]) -> None:
    page = open_page(bypass_csp=True)
    page.goto(site["http"] + "search.html?author=Jane%20Doe")
    page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    assert run_axe(page) == []

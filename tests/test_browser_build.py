"""The built fixture site in Chromium, over file:// and over HTTP under /some-repo/.

Navigation by clicking, no console errors or failed requests, axe-core clean in light and
dark mode, no sideways scrolling on a 360 px phone, and everything but search without
JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import run_axe
from helpers import copy_site
from playwright.sync_api import expect

from site_builder.build.pipeline import build_site

pytestmark = pytest.mark.browser

PAGES = [
    "index.html",
    "page/2.html",
    "papers/agents-that-plan-with-tools.html",
    "papers/hostile-markup-test.html",
    "tags/index.html",
    "tags/inference.html",
    "page/1.html",
    "archive/index.html",
    "archive/2025/03.html",
    "archive/2025/w11.html",
    "archive/2025/03-12.html",
    "trends.html",
    "reading-notes.html",
    "saved.html",
    "404.html",
]


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, built_site: Path) -> str:
    """The URL of the site root, ending in a slash: file:///…/_site/ or http://…/some-repo/."""
    if request.param == "file":
        return built_site.as_uri() + "/"
    return request.getfixturevalue("site_server")


def test_click_from_home_to_a_tag_to_a_paper_and_back(open_page: Callable[..., Any], base: str) -> None:
    page = open_page()
    page.goto(base + "index.html")
    expect(page).to_have_title("Fixture Papers")
    page.locator(".tag-cloud").get_by_role("link", name="Agents 3").click()
    assert page.url == base + "tags/agents.html"
    assert page.locator("h1").inner_text() == "Agents"
    page.get_by_role("link", name="Multi-Agent Debate Improves Factuality").click()
    assert page.url == base + "papers/multi-agent-debate-improves-factuality.html"
    expect(page).to_have_title("Multi-Agent Debate Improves Factuality · Fixture Papers")  # once parsed
    page.get_by_role("link", name="Older → How Well Do LLM Judges Judge?").click()
    assert page.url == base + "papers/how-well-do-judges-judge.html"
    page.go_back()
    page.go_back()
    assert page.url == base + "tags/agents.html"
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Tags").click()
    assert page.url == base + "tags/index.html"
    page.get_by_role("link", name="Efficient Inference").click()
    assert page.url == base + "tags/inference.html"
    page.get_by_role("link", name="Fixture Papers").first.click()
    assert page.url == base + "index.html"
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Older papers →").click()
    assert page.url == base + "page/2.html"
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Browse by month").click()
    assert page.url == base + "archive/index.html"
    page.get_by_role("link", name="Mar 12, 2025").click()
    assert page.url == base + "archive/2025/03-12.html"
    assert page.locator("h1").inner_text() == "Mar 12, 2025"
    assert page.problems == []


def test_every_page_loads_cleanly_with_its_styles(open_page: Callable[..., Any], base: str) -> None:
    page = open_page()
    for rel in PAGES:
        if rel == "404.html" and base.startswith("file:"):
            continue  # a host serves 404.html at any depth, by absolute paths: not from disk
        page.goto(base + rel)
        # The stylesheet applied despite the Content-Security-Policy (also from file://).
        assert (
            page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
        ), rel
    assert page.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("rel", PAGES)
def test_axe_finds_no_violations(
    open_page: Callable[..., Any], site_server: str, rel: str, scheme: str
) -> None:
    page = open_page(bypass_csp=True, color_scheme=scheme)
    page.goto(site_server + rel)
    assert page.problems == []
    assert run_axe(page) == []


def test_dark_mode_follows_the_system(open_page: Callable[..., Any], built_site: Path) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        page = open_page(color_scheme=scheme)
        page.goto((built_site / "index.html").as_uri())
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colours == {"light": "rgb(255, 255, 255)", "dark": "rgb(21, 23, 26)"}


def test_a_phone_never_scrolls_sideways(open_page: Callable[..., Any], built_site: Path) -> None:
    page = open_page(viewport={"width": 360, "height": 740})
    for rel in PAGES:
        page.goto((built_site / rel).as_uri())
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], rel


def test_a_phone_gets_the_tag_cloud_in_one_row_short_snippets_and_no_slash_hint(
    open_page: Callable[..., Any], built_site: Path
) -> None:
    """A reviewer's phone showed the first paper 1,111 px down, under twenty wrapped tags, and
    a search box saying "(press /)" with no key to press, wrapped onto a second line."""
    page = open_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page.goto((built_site / "index.html").as_uri())
    cloud = page.locator(".tag-cloud ul")
    assert cloud.evaluate("ul => getComputedStyle(ul).flexWrap") == "nowrap"
    assert cloud.evaluate("ul => getComputedStyle(ul).overflowX") == "auto"
    expect(page.locator("#site-search-input")).to_have_attribute("placeholder", "Search papers")
    desktop = open_page()
    desktop.goto((built_site / "index.html").as_uri())
    expect(desktop.locator("#site-search-input")).to_have_attribute("placeholder", "Search papers (press /)")
    assert desktop.locator(".tag-cloud ul").evaluate("ul => getComputedStyle(ul).flexWrap") == "wrap"
    # A list shows three lines of each abstract on a phone (a busy day was 41 screens long).
    snippet = page.locator(".paper-item-snippet").first
    lines = snippet.evaluate(
        "p => p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight)"
    )
    assert snippet.evaluate("p => p.scrollHeight > p.clientHeight") and round(lines) == 3
    # The site's links share one row ("Search" wrapped alone onto a second), and the cloud's
    # end fades, so a chip cut at the edge reads as more to scroll.
    tops = page.locator(".site-nav a").evaluate_all("links => links.map(a => a.getBoundingClientRect().top)")
    assert len(tops) >= 5 and len(set(tops)) == 1, tops
    assert "gradient" in cloud.evaluate("ul => getComputedStyle(ul).maskImage")


def test_a_chip_reached_by_tab_on_a_phone_shows_whole_and_clear_of_the_fade(
    open_page: Callable[..., Any], built_site: Path
) -> None:
    """Below 40em a row of chips scrolls sideways under a fade at its end: Tab left a chip half
    out of the row or under the fade, its focus ring unseen (13 of 20 chips at 320 px, one
    with 1 of its 124 px showing; an accessibility review)."""
    for rel, row in (("index.html", ".tag-cloud ul"), ("archive/2025/03-10.html", ".tag-filter ul")):
        page = open_page(viewport={"width": 320, "height": 640})
        page.goto((built_site / rel).as_uri())
        chips = page.locator(f"{row} .tag")
        expect(chips.first).to_be_visible()
        assert page.locator(row).evaluate("ul => ul.scrollWidth > ul.clientWidth"), rel
        chips.first.focus()
        for n in range(chips.count()):
            if n:  # a day page's filter is one stop for Tab, its chips reached by the arrows
                page.keyboard.press("ArrowRight" if "filter" in row else "Tab")
            chip, box = page.evaluate(
                """(row) => { const c = document.activeElement.getBoundingClientRect();
                              const r = document.querySelector(row).getBoundingClientRect();
                              return [[c.left, c.right, c.top], [r.left, r.right - 0.15 * r.width, r.top]]; }""",
                row,
            )
            assert box[0] - 0.5 <= chip[0] and chip[1] <= box[1] + 0.5, (rel, n, chip, box)
            assert chip[2] - 5 >= box[2], (rel, n)  # room above for the 3 px ring and its offset
        assert page.problems == []


def test_a_right_to_left_title_and_abstract_read_right_to_left(
    open_page: Callable[..., Any], tmp_path: Path
) -> None:
    """An Arabic paper was laid out left to right, its full stop drawn beside its first word
    (a review): each title and abstract now takes its own direction, the page's English stays."""
    site = copy_site(tmp_path / "site")
    page = site / "content" / "papers" / "arabic-paper.md"
    page.write_text(
        "---\ntitle: نماذج اللغة الكبيرة للترجمة\nslug: arabic-paper\ntags: [inference]\nsources:\n"
        "- {file: 002_fixture.txt, line: 99, listed: 2025-03-10}\n---\n"
        "ندرس نماذج اللغة الكبيرة في الترجمة الآلية بين العربية والإنجليزية.\n",
        encoding="utf-8",
    )
    build_site(site, out=tmp_path / "_site", cache=False)
    browser = open_page()
    browser.goto((tmp_path / "_site" / "papers" / "arabic-paper.html").as_uri())
    direction = "e => getComputedStyle(e).direction"
    assert browser.locator("h1").evaluate(direction) == "rtl"
    assert browser.locator(".abstract").evaluate(direction) == "rtl"
    assert browser.locator("#abstract-heading").evaluate(direction) == "ltr"  # the site's own words
    browser.goto((tmp_path / "_site" / "archive" / "2025" / "03-10.html").as_uri())
    item = browser.locator(".paper-item").filter(has_text="نماذج")
    assert item.locator("h3").evaluate(direction) == "rtl"
    other = browser.locator(".paper-item").filter(has_text="Paged Attention Revisited")
    assert other.locator("h3").evaluate(direction) == "ltr"
    assert browser.problems == []


def test_skip_link_is_first_and_visible_when_focused(open_page: Callable[..., Any], built_site: Path) -> None:
    page = open_page()
    page.goto((built_site / "papers" / "agents-that-plan-with-tools.html").as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_everything_but_search_works_without_javascript(open_page: Callable[..., Any], base: str) -> None:
    page = open_page(java_script_enabled=False)
    page.goto(base + "index.html")
    for number in (2, 1):  # the oldest papers are on page 1
        page.get_by_role("navigation", name="Pages").get_by_role("link", name="Older papers →").click()
        page.wait_for_url(base + f"page/{number}.html")
    page.get_by_role("link", name="Paged Attention Revisited").click()
    assert page.locator(".abstract").inner_text().startswith("Paged attention stores")
    page.locator(".paper-header").get_by_role("link", name="Efficient Inference").click()
    page.wait_for_url(base + "tags/inference.html")
    assert page.locator(".lede").inner_text().startswith("Serving, decoding and memory")
    page.get_by_role("contentinfo").get_by_role("link", name="Atom feed").click()
    page.wait_for_url(base + "feed.xml")
    assert page.problems == []

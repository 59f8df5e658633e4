"""`site-builder serve` in Chromium: open pages reload after a rebuild, and the problems of
a run that failed show over every page (the page is the last good build's) until a run
succeeds, as Hugo's and Zola's servers show a build error in the browser.

The banner is made by the injected script under the site's Content-Security-Policy, its
problem lines inserted as text; it can be dismissed by keyboard, and reads in dark mode and
with forced colours.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run_axe
from helpers import copy_site
from playwright.sync_api import expect

from site_builder.commands.serve import DevServer
from site_builder.commands.serve_page import SHOWN

pytestmark = pytest.mark.browser

PAPER = "papers/self-consistency-at-scale.html"
HOSTILE = "---\ntitle: A\nslug: '<script>window.ran = 1</script><img src=x onerror=\"window.ran = 2\">'\n---\nBody.\n"
RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push([e.violatedDirective, e.blockedURI, e.sample].join(' '));
}, true);
"""


@pytest.fixture
def served(tmp_path: Path) -> Iterator[DevServer]:
    """A copy of the fixture site, built and served by `site-builder serve`'s server."""
    root = copy_site(tmp_path / "site")
    server = DevServer(root, root / "_site", 0, say=lambda *a: None, warn=lambda *a: None)
    assert server.rebuild()
    server.start()
    yield server
    server.stop()


def opened(open_page: Callable[..., Any], url: str, **options: Any) -> Any:
    """A page at `url` that records policy violations and marks itself (gone on reload)."""
    page = open_page(**options)
    page.add_init_script(RECORDER)
    page.goto(url)
    page.evaluate("window.notReloaded = true")
    return page


def broken(served: DevServer, name: str = "self-consistency-at-scale.md", text: str = HOSTILE) -> str:
    """Break a page (its title holds markup); its old text."""
    page = served.root / "content" / "papers" / name
    good = page.read_text(encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    return good


def banner_of(page: Any) -> Any:
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible(timeout=15000)
    return alert


def test_serve_shows_a_failed_build_over_the_page_until_it_is_mended(
    open_page: Callable[..., Any], served: DevServer
) -> None:
    """A broken page while serving left the open pages as they were, with no sign but in
    the terminal; mended, the page reloads without the banner."""
    page = opened(open_page, served.url + PAPER)
    good = broken(served)
    assert not served.rebuild()
    alert = banner_of(page)
    text = alert.inner_text()
    assert "Build failed; still serving the previous site" in text
    assert (
        "content/papers/self-consistency-at-scale.md:3: error: 'slug' '<script>window.ran = 1</script>"
        in text
    )
    assert '<img src=x onerror="window.ran = 2">' in text  # as text: nothing ran
    assert page.evaluate("window.ran") is None and page.evaluate("window.__csp") == []
    assert page.locator("#site-builder-problems").count() == 1  # one banner, however many polls
    broken(served, text=good.replace("majority vote", "mended vote"))
    assert served.rebuild()
    page.wait_for_function("() => window.notReloaded === undefined", timeout=15000)
    expect(page.get_by_role("alert")).to_have_count(0)
    assert "mended vote" in page.locator(".abstract").inner_text()
    assert page.problems == []


def test_a_page_mended_as_it_was_drops_the_banner_without_a_reload(
    open_page: Callable[..., Any], served: DevServer
) -> None:
    """Mended back to the last good build's text, the site is unchanged: the banner goes,
    and the page stays as it is (scrolled, its search typed)."""
    page = opened(open_page, served.url + PAPER)
    good = broken(served)
    assert not served.rebuild()
    banner_of(page)
    broken(served, text=good)
    assert served.rebuild()
    expect(page.get_by_role("alert")).to_have_count(0, timeout=15000)
    assert page.evaluate("window.notReloaded") is True


def test_a_handful_of_problems_are_listed_and_the_rest_counted(
    open_page: Callable[..., Any], served: DevServer
) -> None:
    """Every broken page (a renamed tag breaks dozens) buried the page under the banner."""
    papers = sorted((served.root / "content" / "papers").glob("*.md"))[: SHOWN + 4]
    for paper in papers:
        broken(served, paper.name, "---\ntitle: [\n---\n")
    page = opened(open_page, served.url + PAPER)
    assert not served.rebuild()
    items = banner_of(page).get_by_role("listitem")
    expect(items).to_have_count(SHOWN + 1)
    assert all(": error: " in line for line in items.all_inner_texts()[:SHOWN])
    assert items.last.inner_text() == "… and 4 more (in the terminal)"


def test_the_banner_is_dismissed_by_keyboard_until_the_problems_change(
    open_page: Callable[..., Any], served: DevServer
) -> None:
    page = opened(open_page, served.url + PAPER)
    good = broken(served)
    assert not served.rebuild()
    banner_of(page)
    dismiss = page.get_by_role("button", name="Dismiss")
    page.keyboard.press("Tab")  # the banner comes first, before the page's own links
    expect(dismiss).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.wait_for_timeout(2500)  # polls that find the same problems leave it dismissed
    expect(page.get_by_role("alert")).to_have_count(0)
    page.goto(served.url + "index.html")  # and so do the next pages
    page.wait_for_timeout(2500)
    expect(page.get_by_role("alert")).to_have_count(0)
    broken(served, text="---\ntitle: [\n---\n")  # another problem: shown again
    assert not served.rebuild()
    banner_of(page)
    page.keyboard.press("Tab")
    expect(dismiss).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("alert")).to_have_count(0)
    broken(served, text=good)
    assert served.rebuild()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_banner_reads_in_light_and_dark_mode_and_with_forced_colours(
    open_page: Callable[..., Any], served: DevServer, scheme: str
) -> None:
    """axe-core finds nothing wrong with the banner (contrast, names, landmarks), and with
    forced colours it keeps its border and system colours."""
    page = opened(open_page, served.url + PAPER, bypass_csp=True, color_scheme=scheme)
    broken(served)
    assert not served.rebuild()
    banner_of(page)
    assert run_axe(page) == []
    dark = page.evaluate(
        """() => {
          const box = document.querySelector('#site-builder-problems').shadowRoot.querySelector('.box');
          const [r, g, b] = getComputedStyle(box).backgroundColor.match(/\\d+/g).map(Number);
          return r + g + b < 300;
        }"""
    )
    assert dark == (scheme == "dark")
    forced = opened(open_page, served.url + PAPER, forced_colors="active", color_scheme=scheme)
    banner_of(forced)
    border = forced.evaluate(
        """() => getComputedStyle(document.querySelector('#site-builder-problems')
                 .shadowRoot.querySelector('.box')).borderTopWidth"""
    )
    assert border == "3px"


def test_a_site_that_never_built_says_so_and_turns_into_the_site(
    open_page: Callable[..., Any], tmp_path: Path
) -> None:
    """The first build failed: every address answered "Error response 404 File not found",
    with no word of why; the page now says so, lists the problems, and reloads into the site."""
    root = copy_site(tmp_path / "site")
    page_file = root / "content" / "papers" / "self-consistency-at-scale.md"
    good = page_file.read_text(encoding="utf-8")
    page_file.write_text(HOSTILE, encoding="utf-8")
    said: list[str] = []
    server = DevServer(root, root / "_site", 0, say=said.append, warn=said.append)
    assert not server.rebuild()
    assert said[-1] == "build failed; no site to serve until a build succeeds"
    server.start()
    try:
        page = opened(open_page, server.url + PAPER, color_scheme="dark")
        expect(page.get_by_role("heading", name="No site to show yet")).to_be_visible()
        assert page.evaluate("getComputedStyle(document.body).color") == "rgb(255, 255, 255)"  # dark mode
        assert "is not a valid slug" in banner_of(page).inner_text()
        assert page.evaluate("window.__csp") == [] and page.evaluate("window.ran") is None
        page_file.write_text(good, encoding="utf-8")
        assert server.rebuild()
        page.wait_for_function("() => window.notReloaded === undefined", timeout=15000)
        expect(page.locator("h1")).to_have_text("Self-Consistency at Scale")
        expect(page.get_by_role("alert")).to_have_count(0)
        assert [p for p in page.problems if "503" not in p] == []
    finally:
        server.stop()


def test_serve_reloads_the_page_after_a_rebuild(open_page: Callable[..., Any], served: DevServer) -> None:
    page = open_page()
    # The page's polls fail until the rebuild is done, as a slow first poll would: the
    # page must still know which build it was served from, and reload.
    rebuilt = threading.Event()
    page.route(
        "**/__site_builder__/build-id",
        lambda route: route.continue_() if rebuilt.is_set() else route.abort(),
    )
    page.goto(served.url + PAPER)
    page.evaluate("window.beforeReload = true")
    source = served.root / "content" / "papers" / "self-consistency-at-scale.md"
    source.write_text(source.read_text().replace("majority vote", "reloaded vote"))
    assert served.rebuild()
    rebuilt.set()
    page.wait_for_function("() => window.beforeReload === undefined", timeout=15000)
    assert "reloaded vote" in page.locator(".abstract").inner_text()
    assert [p for p in page.problems if "__site_builder__/build-id" not in p] == []

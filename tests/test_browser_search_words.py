"""Word shards in a real browser: loaded from file:// as the other data files are, only
those a query consults, and, after a deploy with the previous entry point still cached, a
changed word shard is detected and the search runs on the new files."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from test_browser_search import served_as_on_pages, small_site_in

from site_builder.build.pipeline import build_site
from site_builder.build.search import words as search_words

pytestmark = pytest.mark.browser
WORD_FILE = re.compile(r"/search/(w\d+)\.js\?v=(\w+)")


def many_word_shards(monkeypatch: pytest.MonkeyPatch, root: Path) -> Callable[[str, str, str], None]:
    """A site folder whose word list is cut into many shards (a forked build inherits it)."""
    monkeypatch.setattr(search_words, "WORD_SHARD_BYTES", 60)
    monkeypatch.setattr(search_words, "INLINE_WORD_BYTES", 0)
    write = small_site_in(root)
    write("spaced", "Multi Agent Planning", "Each agent plans; multi means several here.")
    write("align", "Alignment of Models", "Alignment and agreement and answers about models.")
    write("memory", "Memory for Machines", "Memory matters; many machines miss it; zebras do not.")
    write("decode", "Speculative Decoding", "Drafts are verified; beams and tokens and queues.")
    return write


def word_requests(page: Any) -> list[tuple[str, str]]:
    """Every word shard the page asks for, as (name, version), in order."""
    asked: list[tuple[str, str]] = []
    page.on("request", lambda r: asked.append(m.groups()) if (m := WORD_FILE.search(r.url)) else None)
    return asked


def test_from_file_a_query_loads_the_word_shards_it_needs_and_no_others(
    open_page: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "site"
    many_word_shards(monkeypatch, root)
    out = root / "_site"
    build_site(root, out=out)
    shards = len(list((out / "assets" / "search").glob("w*.js")))
    assert shards > 4
    page = open_page()
    asked = word_requests(page)
    page.goto(out.as_uri() + "/search.html?q=multiagent")  # `multi` + `agent`: two initials
    hits = page.locator("#search-results[aria-busy='false'] a.search-hit")
    expect(hits).to_have_count(1)
    assert hits.first.get_attribute("href") == "papers/spaced.html"
    names = {name for name, _ in asked}
    assert 2 <= len(names) < shards
    assert page.problems == []


def test_a_changed_word_shard_after_a_deploy_loads_the_new_entry_point(
    open_page: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The previous entry point, cached, lists the previous version of the word shard a new
    word falls in: the shard comes in its new version, the engine sees it, loads the entry
    point afresh, and searches again."""
    root = tmp_path / "site"
    write = many_word_shards(monkeypatch, root)
    out = root / "_site"
    build_site(root, out=out)
    with served_as_on_pages(out) as url:
        page = open_page()
        page.goto(url + "index.html")
        with page.expect_response(lambda response: "search-index.js" in response.url):
            page.get_by_role("searchbox").focus()  # the entry point loads (and is cached)
        before = {p.name: p.read_bytes() for p in (out / "assets" / "search").glob("w*.js")}
        write("zeppelin", "Zeppelin Routing", "Zeppelins route zebras.")
        build_site(root, out=out)  # the deploy
        changed = sorted(
            p.name for p in (out / "assets" / "search").glob("w*.js") if before.get(p.name) != p.read_bytes()
        )
        assert changed  # a word shard of z… holds the new words
        asked = word_requests(page)
        page.goto(url + "search.html")  # its engine from the cached entry point
        page.get_by_role("searchbox").first.fill("zeppelin")
        hits = page.locator("a.search-hit")
        expect(hits).to_have_count(1)
        assert hits.first.get_attribute("href") == "papers/zeppelin.html"
        assert page.locator(".search-error").count() == 0
        now = {
            p.stem: re.search(rb'"v":"(\w+)"', p.read_bytes()).group(1).decode()
            for p in (out / "assets" / "search").glob("w*.js")
        }  # type: ignore[union-attr]
        assert any(
            version != now[name] for name, version in asked
        )  # asked under the old entry point's version
        assert page.problems == []

"""Search in a real browser: the bundled corpus built, opened from file:// and under /some-repo/.

A reader's known-item searches must put the paper they want near the top of
`search.html?q=…`; typing keeps the URL in step; the keyboard works; nothing is logged
to the console and nothing is requested from outside the site.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from conftest import _SubpathHandler, run_axe, served_under_subpath
from helpers import copy_site, default_site, write_paper
from playwright.sync_api import expect

from site_builder.build.pipeline import build_site

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parent.parent

# (query, tag, slug of the paper the reader is looking for, within the first k results)
KNOWN_ITEMS = [
    (
        "Splitwise: Efficient generative LLM inference using phase splitting",
        "",
        "splitwise-efficient-generative-llm-inference-using-phase-splitting",
        1,
    ),
    ("PAL: Program-aided Language Models", "", "pal-program-aided-language-models", 1),
    (
        "Weaver: Foundation Models for Creative Writing",
        "",
        "weaver-foundation-models-for-creative-writing",
        1,
    ),
    ("matryoshka", "", "adaptive-audio-visual-speech-recognition-via-matryoshka-based-multimodal-llms", 2),
    ("checkpointing", "", "datastates-llm-lazy-asynchronous-checkpointing-for-large-language-models", 1),
    (
        "1000x input token reduction",
        "",
        "discovering-the-gems-in-early-layers-accelerating-long-context-llms-with-1000x",
        1,
    ),
    ("splitw", "", "splitwise-efficient-generative-llm-inference-using-phase-splitting", 1),
    ("finequ", "", "finequant-unlocking-efficiency-with-fine-grained-weight-only-quantization-for", 1),
    ("checkpointng", "", "datastates-llm-lazy-asynchronous-checkpointing-for-large-language-models", 1),
    ("matryoska", "", "adaptive-audio-visual-speech-recognition-via-matryoshka-based-multimodal-llms", 2),
    ("text-to-sql", "", "omnisql-synthesizing-high-quality-text-to-sql-data-at-scale", 1),
    ("lean4", "", "theoremllama-transforming-general-purpose-llms-into-lean4-experts", 1),
    ("gpt-3 family", "", "a-survey-of-gpt-3-family-large-language-models-including-chatgpt-and-gpt-4", 1),
    ("e-commerce", "", "ecellm-generalizing-large-language-models-for-e-commerce-from-large-scale-high", 1),
    ("think-on-graph", "", "think-on-graph-deep-and-responsible-reasoning-of-large-language-model-on", 1),
    ("o1 reasoning patterns", "", "a-comparative-study-on-reasoning-patterns-of-openai-s-o1-model", 1),
    ("survey", "agents", "from-llms-to-llm-based-agents-for-software-engineering-a-survey-of-current", 2),
]


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus (content/ of this repository), built once."""
    if not any((REPO / "content" / "papers").glob("*.md")):
        pytest.fail("content/papers/ is empty: run `make ingest` first")
    out = tmp_path_factory.mktemp("corpus") / "_site"
    build_site(REPO, out=out)
    return out


@pytest.fixture(scope="module")
def corpus_url(corpus_site: Path) -> Iterator[dict[str, str]]:
    """Base URLs of the built corpus: from disk, and served under /some-repo/."""
    with served_under_subpath(corpus_site) as http:
        yield {"file": corpus_site.as_uri() + "/", "http": http}


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, corpus_url: dict[str, str]) -> str:
    return corpus_url[request.param]


@pytest.fixture
def reader(open_page: Callable[..., Any], base: str) -> Any:
    """A page whose `.outside` lists every request made outside the site."""
    page = open_page()
    page.outside = []
    page.on("request", lambda r: page.outside.append(r.url) if not r.url.startswith(base) else None)
    return page


def search_page(page: Any, base: str, query: str, tag: str = "") -> list[str]:
    """Open search.html?q=…; the result links, in order, as paths relative to the site."""
    url = f"{base}search.html?q={quote(query)}" + (f"&tag={quote(tag)}" if tag else "")
    page.goto(url)
    page.wait_for_selector('#search-results[aria-busy="false"]')
    hrefs = page.eval_on_selector_all("#search-results a.search-hit", "links => links.map(a => a.href)")
    return [h.removeprefix(base) for h in hrefs]


def test_known_items_are_near_the_top(reader: Any, base: str) -> None:
    misses = []
    for query, tag, slug, k in KNOWN_ITEMS:
        found = search_page(reader, base, query, tag)
        if f"papers/{slug}.html" not in found[:k]:
            misses.append((query, tag, found[:3]))
    assert misses == []
    assert reader.problems == [] and reader.outside == []


def test_results_are_links_with_highlighted_title_snippet_and_tags(reader: Any, base: str) -> None:
    found = search_page(reader, base, "lean4")
    assert found[0] == "papers/theoremllama-transforming-general-purpose-llms-into-lean4-experts.html"
    first = reader.locator("#search-results li").first
    assert first.locator(".search-title mark").first.inner_text() == "Lean4"
    assert "Lean4" in first.locator(".search-snippet mark").all_inner_texts()
    assert first.locator(".search-tag").count() >= 1
    # When it was listed (its newest day), as lists date papers: a page sorted newest said not.
    assert first.locator("time.search-date").inner_text() == "Jun 17, 2026"
    assert first.locator("time.search-date").get_attribute("datetime") == "2026-06-17"
    # Its name is the title, the snippet its description: not 40-60 words read per result.
    title = "TheoremLlama: Transforming General-Purpose LLMs into Lean4 Experts"
    assert first.get_by_role("link", name=title, exact=True).count() == 1
    first.locator("a").click()
    reader.wait_for_url("**/theoremllama-*.html")
    assert reader.title().startswith("TheoremLlama")
    assert reader.problems == [] and reader.outside == []


def test_the_count_of_results_with_every_word_agrees_with_its_number(reader: Any, base: str) -> None:
    """ "1 contain every word" was read by a reader testing the site."""
    search_page(reader, base, "lean4 theorem")
    expect(reader.locator("#search-status")).to_have_text(
        re.compile(r"^\d+ results; 1 contains every word\.$")
    )
    search_page(reader, base, "kv cache compression")
    expect(reader.locator("#search-status")).to_have_text(
        re.compile(r"^\d+ results; \d+ contain every word\.$")
    )


def test_no_results_says_so_and_suggests_a_fix(reader: Any, base: str) -> None:
    assert search_page(reader, base, "xylophonic zebrafish") == []
    empty = reader.locator("#search-results .search-empty")
    assert "No papers match “xylophonic zebrafish”" in empty.inner_text()
    assert empty.locator('a[href$="tags/index.html"]').count() == 1
    assert search_page(reader, base, "archtectre") == []
    suggestion = reader.locator("#search-results .search-hint a")
    assert suggestion.inner_text() == "architecture"
    suggestion.click()
    reader.wait_for_function("() => location.search === '?q=architecture'")
    reader.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    assert reader.problems == []


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("ll", "Keep typing: words are completed from three letters."),
        (
            "the of and",
            "These words are too common to search for: add one that says what the papers are about.",
        ),
        ("-survey", "Left-out words alone leave nothing to look for: add a word to search for"),
    ],
)
def test_a_query_that_cannot_find_anything_says_why(reader: Any, base: str, query: str, why: str) -> None:
    """Two letters, stop words alone and left-out words alone were each told "Try fewer or
    shorter words", which cannot help (a reviewer)."""
    assert search_page(reader, base, query) == []
    assert reader.locator("#search-results .search-hint").inner_text().startswith(why)
    assert reader.problems == []


def test_a_filter_alone_that_finds_nothing_is_not_blamed_on_its_words(reader: Any, base: str) -> None:
    """`after:2030` (no words) was told its words were too common to search for."""
    assert search_page(reader, base, "after:2030") == []
    assert "too common" not in reader.locator("#search-results").inner_text()
    assert reader.problems == []


def test_a_shared_link_with_a_tag_the_site_lacks_says_so(reader: Any, base: str) -> None:
    """`?q=reasoning&tag=agent` showed every reasoning paper, the tag silently dropped."""
    assert search_page(reader, base, "reasoning", tag="agent") == []
    assert reader.input_value("#search-page-input") == "reasoning tag:agent"
    suggestion = reader.locator("#search-results .search-hint a")
    assert suggestion.inner_text() == "reasoning tag:agents"
    assert reader.problems == []


def test_a_shared_link_with_a_tags_earlier_name_ticks_the_tag(
    open_page: Callable[..., Any], tmp_path: Path
) -> None:
    """A link made before `reasoning` became `thinking` (`aliases: [reasoning]`) showed
    `tag:reasoning` in the box and no results."""
    site = copy_site(tmp_path / "site")
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text().replace(
            "  - name: reasoning\n    title: Reasoning\n",
            "  - name: thinking\n    title: Thinking\n    aliases: [reasoning]\n",
        )
    )
    build_site(site)
    base = (site / "_site").as_uri() + "/"
    page = open_page()
    old = search_page(page, base, "", tag="reasoning")
    assert page.input_value("#search-page-input") == ""
    assert page.is_checked('#search-tags input[value="thinking"]')
    assert old and old == search_page(page, base, "", tag="thinking")
    assert page.problems == []


def test_a_misspelt_word_among_others_gets_a_did_you_mean(reader: Any, base: str) -> None:
    """`halucinaton detection` listed detection papers, none on hallucination, with no word
    of the misspelling: the suggestion came only when nothing at all was found."""
    found = search_page(reader, base, "halucinaton detection")
    assert found  # what "detection" finds
    suggestion = reader.locator("#search-results .search-hint a")
    assert suggestion.inner_text() == "hallucination detection"
    suggestion.click()
    reader.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    assert reader.locator("#search-results .search-hint").count() == 0
    assert reader.problems == []


def test_the_header_box_waits_for_a_third_letter(reader: Any, base: str) -> None:
    """Two letters that begin words said "No papers match … Try fewer or shorter words"."""
    reader.goto(base + "index.html")
    reader.fill("#site-search-input", "qz")
    reader.wait_for_selector("#search-popup:not([hidden]) .search-status")
    assert reader.locator("#search-popup .search-status").inner_text().startswith("Keep typing")
    assert reader.locator("#search-popup .search-empty").count() == 0
    assert reader.problems == []


def test_an_input_method_s_composition_is_searched_only_once_committed(reader: Any, base: str) -> None:
    """A Japanese reader's `すい`, on its way to a word, searched (and the address followed),
    and `かk` showed English papers: the search waits for the text the input method commits."""
    reader.goto(base + "search.html")
    reader.focus("#search-page-input")
    ime = reader.context.new_cdp_session(reader)
    ime.send("Input.imeSetComposition", {"text": "すい", "selectionStart": 2, "selectionEnd": 2})
    reader.wait_for_timeout(400)  # the search would have run by now (it runs as one types)
    assert reader.input_value("#search-page-input") == "すい"
    assert reader.evaluate("location.search") == ""
    ime.send("Input.insertText", {"text": "quantization"})  # what the input method commits
    reader.wait_for_function("() => location.search === '?q=quantization'")
    # An Android keyboard composes every Latin word: that is searched as it is typed.
    reader.fill("#search-page-input", "")
    ime.send("Input.imeSetComposition", {"text": "mixture", "selectionStart": 7, "selectionEnd": 7})
    reader.wait_for_function("() => location.search === '?q=mixture'")
    assert reader.problems == []


def test_typing_updates_the_url_and_the_tag_filter_narrows(reader: Any, base: str) -> None:
    reader.goto(base + "search.html")
    reader.fill("#search-page-input", "mixture-of-experts")
    reader.wait_for_function(
        "() => location.search === '?q=mixture-of-experts' && "
        "document.getElementById('search-results').getAttribute('aria-busy') === 'false'"
    )
    everything = reader.locator("#search-results a.search-hit").count()
    assert reader.title().startswith("\u201cmixture-of-experts\u201d \u00b7 Search")  # history names it
    reader.click(".search-filters summary")
    reader.check('#search-tags input[value="survey"]')
    reader.wait_for_function(
        "() => location.search === '?q=mixture-of-experts&tag=survey' && "
        "document.getElementById('search-results').getAttribute('aria-busy') === 'false'"
    )
    links = reader.eval_on_selector_all("#search-results a.search-hit", "a => a.map(x => x.href)")
    assert 0 < len(links) < everything
    assert base + "papers/a-survey-on-mixture-of-experts.html" in links
    reader.reload()
    reader.wait_for_selector('#search-results[aria-busy="false"]')
    assert reader.input_value("#search-page-input") == "mixture-of-experts"
    assert reader.is_checked('#search-tags input[value="survey"]')
    assert reader.problems == [] and reader.outside == []


def test_header_box_keyboard_from_a_nested_page(reader: Any, base: str) -> None:
    reader.goto(base + "papers/pal-program-aided-language-models.html")
    reader.keyboard.press("/")
    assert reader.evaluate("document.activeElement.id") == "site-search-input"
    reader.keyboard.type("lean4")
    reader.wait_for_selector('#search-popup[aria-busy="false"]:not([hidden]) a.search-hit')
    reader.keyboard.press("ArrowDown")
    assert reader.evaluate("document.activeElement.className") == "search-hit"
    reader.keyboard.press("ArrowUp")
    assert reader.evaluate("document.activeElement.id") == "site-search-input"
    spoken = reader.locator("form.site-search").get_by_role("status")  # what the popup says, aloud
    assert spoken.inner_text() == reader.locator("#search-popup .search-status").inner_text()
    reader.keyboard.press("Escape")  # closes the popup, keeps the words
    assert reader.locator("#search-popup").is_hidden()
    assert reader.input_value("#site-search-input") == "lean4"
    reader.keyboard.press("Escape")  # then clears them
    assert reader.input_value("#site-search-input") == ""
    reader.keyboard.type("checkpointing")
    reader.wait_for_selector('#search-popup[aria-busy="false"]:not([hidden]) a.search-hit')
    reader.click("#search-popup .search-status")  # its text is no way out of it
    assert reader.locator("#search-popup").is_visible()
    reader.keyboard.press("ArrowDown")
    reader.keyboard.press("Enter")
    reader.wait_for_url("**/papers/datastates-llm-*.html")
    assert reader.problems == [] and reader.outside == []


def test_a_reader_can_turn_the_slash_key_off(reader: Any, base: str) -> None:
    """WCAG 2.1.4: a one-character shortcut can be turned off (speech input types `/`)."""
    reader.goto(base + "search.html")
    reader.click("#search-syntax summary")  # "How to search", where the keys are
    toggle = reader.locator("#search-slash-key")
    assert toggle.is_visible() and toggle.is_checked()
    toggle.uncheck()
    reader.goto(base + "papers/pal-program-aided-language-models.html")
    assert reader.get_attribute("#site-search-input", "placeholder") == "Search papers"  # no "(press /)"
    reader.keyboard.press("/")
    assert reader.evaluate("document.activeElement.id") != "site-search-input"
    reader.goto(base + "search.html")
    reader.click("#search-syntax summary")
    assert not toggle.is_checked()  # remembered
    toggle.check()
    assert reader.get_attribute("#site-search-input", "placeholder") == "Search papers (press /)"
    reader.goto(base + "papers/pal-program-aided-language-models.html")
    reader.keyboard.press("/")
    assert reader.evaluate("document.activeElement.id") == "site-search-input"
    assert reader.problems == []


def test_enter_in_the_header_box_opens_the_search_page(reader: Any, base: str) -> None:
    reader.goto(base + "tags/index.html")
    reader.fill("#site-search-input", "text-to-sql")
    reader.press("#site-search-input", "Enter")
    reader.wait_for_url("**/search.html?q=text-to-sql")
    reader.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    first = reader.locator("#search-results a.search-hit").first.get_attribute("href")
    assert first == "papers/omnisql-synthesizing-high-quality-text-to-sql-data-at-scale.html"
    assert reader.problems == [] and reader.outside == []


def test_a_closed_popup_takes_no_answer_still_on_its_way(reader: Any, base: str) -> None:
    """Escape (or a Tab away) while the first search loaded: the popup reopened over the
    page a moment later, and its count was announced."""
    reader.goto(base + "index.html")
    reader.fill("#site-search-input", "attention quantization")
    reader.press("#site-search-input", "Escape")
    reader.wait_for_timeout(1500)
    assert reader.locator("#search-popup").is_hidden()
    assert reader.locator("form.site-search").get_by_role("status").inner_text() == ""
    reader.press("#site-search-input", "ArrowDown")  # asks for the popup again
    reader.wait_for_selector('#search-popup[aria-busy="false"]:not([hidden]) a.search-hit')
    reader.fill("#site-search-input", "tag:agnts")  # "no results" is said with its way out
    reader.locator("#search-popup .search-empty").wait_for()
    spoken = reader.locator("form.site-search").get_by_role("status").inner_text()
    assert "No papers match" in spoken and "Did you mean tag:agents?" in spoken
    assert reader.problems == []


def test_back_leaves_a_search_whose_address_the_page_writes_otherwise(reader: Any, base: str) -> None:
    """The form sends `q=reward+model`; the page writes `%20`. Writing it as a new history
    entry made Back land on the same search, every time."""
    reader.goto(base + "index.html")
    reader.fill("#site-search-input", "reward model")
    reader.press("#site-search-input", "Enter")
    reader.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    assert reader.evaluate("location.search") == "?q=reward%20model"
    reader.go_back()
    reader.wait_for_url("**/index.html")
    assert reader.problems == []


def test_history_keeps_a_submitted_search_and_one_entry_per_month_typed(reader: Any, small_site: str) -> None:
    """Enter on an address already written kept no entry (the next keystroke replaced the
    search submitted); a month field typed digit by digit added an entry for each."""
    reader.goto(small_site + "search.html?q=moe")
    reader.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    reader.press("#search-page-input", "End")
    reader.type("#search-page-input", " survey")
    reader.press("#search-page-input", "Enter")
    reader.type("#search-page-input", "x")
    reader.wait_for_function("() => location.search === '?q=moe%20surveyx'")
    reader.go_back()
    reader.wait_for_function("() => location.search === '?q=moe%20survey'")
    reader.click(".search-filters summary")
    reader.focus("#search-from")
    reader.keyboard.type("Mar")  # then the year, digit by digit: Chromium says "change" at each
    reader.keyboard.press("ArrowRight")
    reader.keyboard.type("2025")
    reader.wait_for_function("() => location.search === '?q=moe%20survey&from=2025-03'")
    reader.go_back()
    reader.wait_for_function("() => location.search === '?q=moe%20survey'")
    assert reader.problems == []


def test_a_link_to_a_fragment_does_not_search_again(reader: Any, base: str) -> None:
    """Skip to content on search.html ran the search again, losing "Show more"."""
    search_page(reader, base, "attention")
    reader.click("#search-results button.search-more")
    reader.wait_for_function("() => document.querySelectorAll('#search-results a.search-hit').length > 10")
    shown = reader.locator("#search-results a.search-hit").count()
    reader.evaluate("location.hash = 'main'")
    reader.wait_for_timeout(300)
    assert reader.locator("#search-results a.search-hit").count() == shown
    assert reader.evaluate("location.hash") == "#main"
    assert reader.problems == []


def test_a_double_click_on_show_more_shows_the_next_results_once(reader: Any, base: str) -> None:
    """A double click appended results 11-20 twice, and results 21-30 were never shown (a
    fuzzer's find): each click read on from the same count."""
    search_page(reader, base, "attention")
    reader.dblclick("#search-results button.search-more")
    reader.wait_for_function("() => document.querySelectorAll('#search-results a.search-hit').length > 10")
    reader.wait_for_timeout(300)  # a second page, had the second click been taken
    hits = reader.locator("#search-results a.search-hit")
    paths = [hits.nth(i).get_attribute("href") for i in range(hits.count())]
    assert len(paths) == 20 and len(set(paths)) == 20
    assert reader.url.startswith(f"{base}search.html")
    assert reader.problems == []


def test_the_second_click_of_a_double_click_opens_no_result(reader: Any, base: str) -> None:
    """When the next results came between a double click's two clicks, the second landed on
    the first new result, where the button had been, and opened that paper (seen in CI)."""
    search_page(reader, base, "attention")
    more = reader.locator("#search-results button.search-more")
    more.scroll_into_view_if_needed()
    button = more.bounding_box()
    more.click()
    expect(reader.locator("#search-results a.search-hit")).to_have_count(20)
    reader.mouse.move(button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)
    reader.mouse.down(click_count=2)  # the second click of a double click, at the same place
    reader.mouse.up(click_count=2)
    reader.wait_for_timeout(300)
    assert reader.url.startswith(f"{base}search.html")
    reader.locator("#search-results a.search-hit").nth(10).click()
    reader.wait_for_url("**/papers/*.html")
    assert reader.problems == []


def test_results_drawn_before_reading_js_ran_get_save_buttons(
    open_page: Callable[..., Any], corpus_url: dict[str, str]
) -> None:
    """search.js gave a result a Save button only if reading.js had run: when reading.js
    came after the first results (a slow link), those results had none (a reviewer's find)."""
    page, held = open_page(), []
    page.route(  # (asked for under its version) answered once the results are drawn
        re.compile(r".*/assets/reading\.js\?v=\w+$"), lambda route: held.append(route)
    )
    page.goto(corpus_url["http"] + "search.html?q=attention", wait_until="commit")
    expect(page.locator("#search-results a.search-hit")).to_have_count(10)
    expect(page.locator("#search-results button.save-button:visible")).to_have_count(0)
    held[0].continue_()
    expect(page.locator("#search-results button.save-button:visible")).to_have_count(10)
    first = page.locator("#search-results button.save-button").first
    first.click()
    expect(first).to_have_text("Saved")
    first.click()
    expect(first).to_have_text("Save")  # wired once: one press, one change
    assert page.problems == []


def test_a_shared_link_shows_the_filters_that_narrow_it(reader: Any, base: str) -> None:
    assert search_page(reader, base, "reasoning", tag="agents")
    assert reader.locator("details.search-filters").get_attribute("open") is not None
    assert reader.is_checked('#search-tags input[value="agents"]')
    assert reader.locator("details.search-filters summary").inner_text() == "Filters and sort (1 on)"
    search_page(reader, base, "reasoning")
    assert reader.locator("details.search-filters").get_attribute("open") is None
    assert reader.locator("details.search-filters summary").inner_text() == "Filters and sort"
    assert reader.problems == []


def test_a_shared_link_with_filters_shows_its_first_result_on_a_phone(
    open_page: Callable[..., Any], corpus_url: dict[str, str]
) -> None:
    """At 390×844 the filters panel a shared link opened pushed the status line and the first
    result below the screen (a reviewer): on a phone the summary says the filters instead."""
    page = open_page(viewport={"width": 390, "height": 844})
    url = corpus_url["http"] + "search.html?q=retrieval%20augmented%20generation&tag=retrieval&from=2026-03"
    page.goto(url)
    page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    assert page.locator("details.search-filters").get_attribute("open") is None
    assert page.locator("details.search-filters summary").inner_text() == "Filters and sort (2 on)"
    first = page.locator("#search-results a.search-hit").first.bounding_box()
    assert first is not None and first["y"] + first["height"] <= 844
    assert page.problems == []


def test_search_page_with_results_has_no_axe_violations(
    open_page: Callable[..., Any], corpus_url: dict[str, str]
) -> None:
    page = open_page(bypass_csp=True)
    page.goto(corpus_url["http"] + "search.html?q=agents")
    page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    page.fill("#site-search-input", "agents")
    page.wait_for_selector('#search-popup[aria-busy="false"]:not([hidden]) a.search-hit')
    assert run_axe(page) == []


# --- query syntax, filters and words named like JavaScript's built-ins: a small site ----------

SMALL_PAPERS = [
    ("js-words", "The Constructor Pattern", "Calling toString on __proto__ objects.", "code", "2025-01-04"),
    (
        "moe-survey",
        "A Survey of Mixture of Experts",
        "MoE survey of routing experts.",
        "survey",
        "2025-03-02",
    ),
    (
        "moe-method",
        "Faster MoE Inference",
        "Mixture-of-experts layers, served faster.",
        "inference",
        "2024-11-02",
    ),
    ("reward-model", "Training a Reward Model", "A reward model scores answers.", "alignment", "2025-02-20"),
    (
        "reward-often",
        "Sparse Rewards",
        "Reward, reward, reward. Agents learn a policy model.",
        "agents",
        "2025-02-21",
    ),
]


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("small")
    papers = default_site(root)
    for slug, title, body, tag, listed in SMALL_PAPERS:
        write_paper(papers, slug, title, body, tag, listed)
    out = root / "_site"
    build_site(root, out=out)
    return out.as_uri() + "/"


@pytest.mark.parametrize(
    ("search", "query", "found"),
    [
        (
            "q=reward&from=2025-02-21&to=2025-02-21",
            "reward after:2025-02-21 before:2025-02-22",
            ["reward-often"],
        ),
        ("q=moe&to=2024", "moe before:2025", ["moe-method"]),
        ("q=moe&from=2025-03", "moe", ["moe-survey"]),  # a month: its field keeps it
        ("q=moe&to=%202024%20", "moe before:2025", ["moe-method"]),  # spaces around it: still a date
    ],
)
def test_a_day_or_year_in_a_links_dates_limits_the_search(
    open_page: Callable[..., Any], small_site: str, search: str, query: str, found: list[str]
) -> None:
    """A reviewer's `search.html?tag=fine-tuning&from=2025-03-01&to=2025-03-31` listed all
    1,610 papers: the month fields cannot hold a day, and the dates were dropped unsaid."""
    page = open_page()
    page.goto(small_site + "search.html?" + search)
    page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    hits = page.eval_on_selector_all(
        "#search-results a.search-hit", "a => a.map(x => x.getAttribute('href'))"
    )
    assert hits == [f"papers/{slug}.html" for slug in found]
    assert page.input_value("#search-page-input") == query
    assert page.problems == []


@pytest.mark.parametrize(
    ("search", "query"),
    [
        ("q=moe&from=2025-03&to=2024-11", "moe"),  # a link's months the wrong way round
        ("q=" + quote("moe after:2025 before:2024"), "moe after:2025 before:2024"),
    ],
)
def test_dates_that_leave_no_day_say_so(
    open_page: Callable[..., Any], small_site: str, search: str, query: str
) -> None:
    """A reversed range found nothing and said only "No results."; the reader could not tell
    that no paper could have matched."""
    page = open_page()
    page.goto(small_site + "search.html?" + search)
    page.wait_for_selector('#search-results[aria-busy="false"] .search-empty')
    assert page.input_value("#search-page-input") == query
    expect(page.locator("#search-status")).to_have_text(
        "No results. No day is within these dates: the start given comes after the end."
    )
    page.goto(small_site + "search.html?q=moe&from=2024-11&to=2025-03")  # the right way round: no note
    page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    assert "No day" not in page.locator("#search-status").inner_text()
    assert page.problems == []


def test_a_month_the_calendar_lacks_is_said_to_be_left_out(
    open_page: Callable[..., Any], small_site: str
) -> None:
    """`from=2025-13` was taken for a month, then dropped by the month field without a word
    (a fuzzer's find), where `from=abc` was named as left out."""
    page = open_page()
    page.goto(small_site + "search.html?q=moe&from=2025-13")
    page.wait_for_selector('#search-results[aria-busy="false"]')
    expect(page.locator("#search-status")).to_contain_text("Left out after:2025-13: not a date")
    assert page.problems == []


@pytest.mark.parametrize("query", ["constructor", "toString", "__proto__", "Constructor toString"])
def test_words_named_like_object_prototype_members_are_searchable(
    open_page: Callable[..., Any], small_site: str, query: str
) -> None:
    page = open_page()
    assert search_page(page, small_site, query) == ["papers/js-words.html"]
    assert page.problems == []


def test_exclusion_phrases_filters_and_sort_live_in_the_url_and_back_works(
    open_page: Callable[..., Any], small_site: str
) -> None:
    page = open_page()
    assert search_page(page, small_site, "moe -survey") == ["papers/moe-method.html"]
    assert search_page(page, small_site, '"reward model"') == ["papers/reward-model.html"]
    page.goto(small_site + "search.html?q=moe&sort=oldest")
    page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    hrefs = page.eval_on_selector_all(
        "#search-results a.search-hit", "a => a.map(x => x.getAttribute('href'))"
    )
    assert hrefs == ["papers/moe-method.html", "papers/moe-survey.html"]
    assert page.input_value("#search-sort") == "oldest"
    assert page.locator(".search-filters").get_attribute("open") is not None  # a sort: shown
    page.fill("#search-from", "2025-01")
    page.dispatch_event("#search-from", "change")
    page.wait_for_function("() => location.search === '?q=moe&from=2025-01&sort=oldest'")
    page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    assert page.locator("#search-results a.search-hit").count() == 1
    page.press("#search-page-input", "End")
    page.type("#search-page-input", " rout")  # typing after a filter change: an entry of its own
    page.wait_for_function("() => location.search === '?q=moe%20rout&from=2025-01&sort=oldest'")
    page.go_back()
    page.wait_for_function("() => location.search === '?q=moe&from=2025-01&sort=oldest'")
    page.go_back()
    page.wait_for_function("() => location.search === '?q=moe&sort=oldest'")
    page.wait_for_function("() => document.querySelectorAll('#search-results a.search-hit').length === 2")
    assert page.input_value("#search-from") == ""
    assert page.problems == []


def test_a_phrase_search_says_it_read_part_and_show_more_reads_on(
    open_page: Callable[..., Any], tmp_path: Path
) -> None:
    """At 10,000 papers `"reward model"` said "30 results" (161 papers hold it), and Show
    more stopped there: only the best candidates' text had been read."""
    root = tmp_path / "site"
    papers = default_site(root)
    for i in range(60):
        (papers / f"rm-{i:02d}.md").write_text(
            f"---\ntitle: Paper {i}\nsources:\n- {{file: a.txt, line: {i + 1}, listed: 2025-03-{1 + i % 28:02d}}}\n"
            f"---\nWe train a reward model for task {i}.\n",
            encoding="utf-8",
        )
    build_site(root, out=root / "_site")
    page = open_page()
    page.goto((root / "_site" / "search.html").as_uri() + "?q=" + quote('"reward model"'))
    page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    status = page.locator("#search-status").inner_text()
    assert status.startswith("At least ") and "checked for the phrase so far; Show more checks more" in status
    hits = "#search-results a.search-hit"
    while page.locator("button.search-more").count():
        before = page.locator(hits).count()
        page.locator("button.search-more").click()
        expect(page.locator(hits).nth(before)).to_be_attached()  # the page's CSP forbids eval
    assert page.locator("#search-results a.search-hit").count() == 60
    assert page.locator("#search-status").inner_text() == "60 results."
    assert page.problems == []


def test_the_popup_mends_a_misspelt_word_and_the_arrows_reach_every_link(reader: Any, base: str) -> None:
    """`halucinaton detection` in the header box showed papers on detection alone, with no
    word (the search page said "Did you mean"); ↓ stepped over that link, and over "Show
    more results" on the search page (a reviewer's keyboard)."""
    reader.goto(base + "index.html")
    reader.fill("#site-search-input", "halucinaton detection")
    hint = reader.locator("#search-popup .search-hint a")
    expect(hint).to_have_text("hallucination detection")
    reader.press("#site-search-input", "ArrowDown")
    expect(hint).to_be_focused()
    hint.click()
    expect(reader.locator("#site-search-input")).to_have_value("hallucination detection")
    reader.goto(base + "search.html?q=model")
    reader.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    hits = reader.locator("#search-results a.search-hit").count()
    reader.locator("#search-results a.search-hit").last.focus()
    reader.keyboard.press("ArrowDown")
    expect(reader.locator("#search-results button.search-more")).to_be_focused()
    assert hits == 10 and reader.problems == [] and reader.outside == []


def test_back_from_a_result_finds_the_query_in_the_header_box(reader: Any, base: str) -> None:
    """Opened from disk (or with no back-forward cache), Back after a result showed an empty
    box: the typed query was gone."""
    reader.goto(base + "index.html")
    reader.fill("#site-search-input", "speculative decoding")
    reader.locator("#search-popup a.search-hit").first.click()
    reader.wait_for_load_state()
    assert "/papers/" in reader.url
    reader.go_back()
    expect(reader.locator("#site-search-input")).to_have_value("speculative decoding")
    assert reader.problems == [] and reader.outside == []


def test_back_from_a_result_after_show_more_returns_to_it(reader: Any, base: str) -> None:
    """At 10,000 papers a common word has thousands of results: a reader pressed "Show more"
    ten times, opened the 108th, and Back showed the first 10 again, scrolled to the middle
    of them (no back-forward cache: from disk, or evicted). Back now shows as many results
    as were shown, with the one opened where it was on the screen."""
    search_page(reader, base, "attention")
    hits = reader.locator("#search-results a.search-hit")
    for shown in (20, 30):
        reader.click("#search-results button.search-more")
        expect(hits).to_have_count(shown)
    opened = hits.nth(27)
    href = opened.get_attribute("href")
    opened.scroll_into_view_if_needed()
    top = opened.bounding_box()["y"]
    opened.click()
    reader.wait_for_url("**/papers/*.html")
    reader.go_back()
    expect(hits).to_have_count(30)
    again = reader.locator(f'#search-results a.search-hit[href="{href}"]')
    expect(again).to_be_in_viewport()
    assert abs(again.bounding_box()["y"] - top) < 2
    # A new search starts at its first results, at the top.
    reader.fill("#search-page-input", "attention heads")
    reader.press("#search-page-input", "Enter")
    expect(hits).to_have_count(10)
    assert reader.problems == [] and reader.outside == []


def test_the_keyboard_focus_is_never_hidden_under_a_day_heading(
    open_page: Callable[..., Any], corpus_url: dict[str, str]
) -> None:
    """On a phone, Shift+Tab scrolled each control to the top edge, under the sticky day
    heading: 15 of 120 steps hid the focused control completely (WCAG 2.4.11; a reviewer)."""
    page = open_page(viewport={"width": 375, "height": 667})
    page.goto(corpus_url["file"] + "index.html")
    page.locator("footer a").last.focus()
    covered = 0
    for _ in range(120):
        page.keyboard.press("Shift+Tab")
        covered += page.evaluate(
            """() => {
              const r = document.activeElement.getBoundingClientRect();
              return [...document.querySelectorAll('.day-heading')].some(h => {
                const s = h.getBoundingClientRect();
                return s.top <= 0.5 && r.top >= s.top - 1 && r.bottom <= s.bottom + 1;
              });
            }"""
        )
    assert covered == 0 and page.problems == []


def test_back_puts_a_query_only_where_it_was_typed(reader: Any, base: str) -> None:
    """The query kept for Back showed up on pages it was never typed on (a tag page reached
    directly), and a "Did you mean" choice came back misspelt."""
    reader.goto(base + "index.html")
    reader.fill("#site-search-input", "halucinaton detection")
    reader.locator("#search-popup .search-hint a").click()
    reader.locator("#search-popup a.search-hit").first.click()
    reader.wait_for_load_state()
    reader.go_back()
    expect(reader.locator("#site-search-input")).to_have_value("hallucination detection")
    reader.goto(base + "tags/agents.html")
    reader.locator("main a[href*='papers/']").first.click()
    reader.wait_for_load_state()
    reader.go_back()
    expect(reader.locator("#site-search-input")).to_have_value("")


class _CachingHandler(_SubpathHandler):
    """Like GitHub Pages: every file may be cached ten minutes (`max-age=600`)."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()


@contextlib.contextmanager
def served_as_on_pages(out: Path) -> Iterator[str]:
    """`out` served under a sub-path with GitHub Pages' caching; yields its address."""
    with served_under_subpath(out, _CachingHandler) as url:
        yield url


def small_site_in(root: Path) -> Callable[[str, str, str], None]:
    """A site folder with the default settings; returns how to write a page into it."""
    papers = default_site(root)
    return functools.partial(write_paper, papers)


def test_show_more_after_a_deploy_searches_the_new_site(
    open_page: Callable[..., Any], tmp_path: Path
) -> None:
    """A reviewer's "Show more results", clicked after a deploy, did nothing, again and again:
    its next page's files were of the new build, and its error went unhandled."""
    root = tmp_path / "site"
    write = small_site_in(root)
    for n in range(25):
        write(f"paper-{n}", f"Decoding Variant {n}", f"Speculative decoding, variant {n}, drafts tokens.")
    out = root / "_site"
    build_site(root, out=out)
    with served_as_on_pages(out) as url:
        page = open_page()
        page.goto(url + "search.html?q=decoding")
        expect(page.locator("a.search-hit")).to_have_count(10)
        for n in range(25):
            write(
                f"paper-{n}",
                f"Decoding Variant {n}",
                f"Speculative decoding, variant {n}, drafts tokens again.",
            )
        build_site(root, out=out)  # the deploy
        page.get_by_role("button", name="Show more results").click()
        # The search runs again on the new files (their abstracts say "again"): wait for it,
        # or the next click can land on a button that search then replaces.
        expect(page.locator("#search-results .search-snippet").first).to_contain_text("again")
        expect(page.locator("#search-results[aria-busy='false'] a.search-hit")).to_have_count(10)
        assert page.locator(".search-error").count() == 0
        page.get_by_role("button", name="Show more results").click()  # and on, in the new files
        expect(page.locator("a.search-hit")).to_have_count(20)
        assert page.problems == []


def test_search_works_at_once_after_a_deploy_while_the_old_index_is_cached(
    open_page: Callable[..., Any], tmp_path: Path
) -> None:
    """A reviewer searched on a GitHub Pages site, then a new build was deployed: with the
    previous `search-index.js` still cached (ten minutes there), a search that needed a
    changed data file said "The search index changed; reload the page", and a reload said
    it again. Data files are now asked for under their version, and a stale entry point is
    loaded afresh once."""
    root = tmp_path / "site"
    write = small_site_in(root)
    write("speculative", "Speculative Decoding at Scale", "Draft tokens are verified by the large model.")
    write("paged", "Paged Attention Revisited", "Memory pages for the key value cache of a server.")
    out = root / "_site"
    build_site(root, out=out)
    with served_as_on_pages(out) as url:
        page = open_page()
        page.goto(url + "index.html")
        with page.expect_response(lambda response: "search-index.js" in response.url):
            page.get_by_role("searchbox").focus()  # the entry point loads (and is cached), no data file yet
        write(
            "speculative",
            "Speculative Decoding at Scale",
            "Draft tokens are verified, then accepted in bulk.",
        )
        write(
            "medusa",
            "Medusa Heads for Speculative Decoding",
            "Extra heads draft tokens without a draft model.",
        )
        build_site(root, out=out)  # the deploy
        for address in ("search.html", "index.html"):  # each page's engine from the cached entry point
            page.goto(url + address)
            page.get_by_role("searchbox").first.fill("speculative decoding")
            hits = page.locator("a.search-hit")
            expect(hits).to_have_count(2)
            found = sorted(h.removeprefix(url) for h in hits.evaluate_all("links => links.map(a => a.href)"))
            assert found == ["papers/medusa.html", "papers/speculative.html"]
            assert page.locator(".search-error").count() == 0
        assert page.problems == []


def test_the_header_box_counts_the_papers_with_every_word(reader: Any, base: str) -> None:
    """ "Top 8 of 49,383 results" for `reward model` counted every paper with either word,
    where the search page says how many hold both (a reviewer, at 50,000 papers)."""
    reader.goto(base + "index.html")
    reader.fill("#site-search-input", "language models")
    reader.wait_for_selector("#search-popup:not([hidden]) .search-list")
    popup = reader.locator("#search-popup .search-status").inner_text()
    reader.goto(base + "search.html?q=language%20models")
    reader.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    page = reader.locator("#search-status").inner_text()
    every = re.search(r"; ([\d,]+) contain every word", page)
    assert every, page
    assert popup == f"Top 8 of {every[1]} papers with every word", (popup, page)
    assert reader.problems == []


def test_a_pasted_arxiv_address_finds_its_paper(open_page: Callable[..., Any], built_site: Path) -> None:
    """On the fixture site (one paper gives its arXiv id in its `arxiv:` field), from disk:
    the paper alone, and no error; an address of a paper the site lacks finds nothing and
    offers no "Did you mean"."""
    reader, base = open_page(), built_site.as_uri() + "/"
    for pasted in ("https://arxiv.org/abs/2403.01234v2", "arXiv:2403.01234", "2403.01234"):
        assert search_page(reader, base, pasted) == ["papers/how-well-do-judges-judge.html"], pasted
    assert search_page(reader, base, "arxiv.org/abs/2401.99999") == []
    assert "Did you mean" not in reader.locator("#search-results").inner_text()
    assert reader.problems == []

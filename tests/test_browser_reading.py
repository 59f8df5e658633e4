"""The reader's tools in Chromium, from file:// and over HTTP under /some-repo/: saving,
removing, exporting and importing papers, read marks, "new since your last visit", the
copy-citation button, the trend charts, the 404 page at any depth — and, without
JavaScript, no controls at all.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SUBPATH, _SubpathHandler, run_axe, served_under_subpath
from helpers import FIXTURE_SITE, copy_site
from playwright.sync_api import expect

from site_builder.build.layout import listing_order
from site_builder.build.pipeline import build_site
from site_builder.build.render.page_text import snippet
from site_builder.core.pages.pagefile import read_pages

pytestmark = pytest.mark.browser

PAPER = "papers/paged-attention-revisited.html"
OTHER = "papers/agents-that-plan-with-tools.html"


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, built_site: Path) -> str:
    if request.param == "file":
        return built_site.as_uri() + "/"
    return request.getfixturevalue("site_server")


def expect_saved(page: Any, titles: list[str]) -> None:
    """The saved list shows exactly these titles (waiting for the page's script to draw it)."""
    expect(page.locator("#saved-list > li .saved-title")).to_have_text(titles)


def test_save_remove_export_and_import(open_page: Callable[..., Any], base: str, tmp_path: Path) -> None:
    page = open_page(accept_downloads=True)
    page.goto(base + "index.html")
    first = page.locator(".paper-item").first
    title = first.locator("h3").inner_text()
    button = first.locator("button[data-save]")
    assert button.get_attribute("aria-label") == f"Save {title}"  # a list's buttons differ
    button.click()
    assert "is-saved" in (button.get_attribute("class") or "").split()
    page.goto(base + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Saved").click()
    expect_saved(page, ["Paged Attention Revisited", title])  # the newest first
    expect(page.locator("#saved-status")).to_have_text("2 saved papers")

    page.get_by_role("button", name=f"Remove {title}").click()
    expect_saved(page, ["Paged Attention Revisited"])
    # Focus goes to the button now in the removed one's place, not to the page's start.
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Remove Paged Attention Revisited"
    )
    with page.expect_download() as download:
        page.get_by_role("button", name="Export as JSON").click()
    exported = tmp_path / "saved.json"
    download.value.save_as(exported)
    data = json.loads(exported.read_text())
    assert [(i["slug"], i["title"]) for i in data["saved"]] == [
        ("paged-attention-revisited", "Paged Attention Revisited")
    ]

    page.get_by_role("button", name="Remove Paged Attention Revisited").click()
    expect(page.locator("#saved-status")).to_have_text(
        "Removed Paged Attention Revisited. No saved papers yet."
    )
    assert page.evaluate("document.activeElement.id") == "saved-status"
    assert page.get_by_role("button", name="Export as JSON").is_disabled()  # nothing to export
    page.set_input_files("#saved-import", str(exported))
    page.wait_for_selector("#saved-list li")
    expect_saved(page, ["Paged Attention Revisited"])
    expect(page.locator("#saved-status")).to_have_text("Imported 1 paper")
    page.get_by_role("link", name="Paged Attention Revisited").click()
    assert page.url == base + PAPER
    saved = page.locator(".paper-actions").get_by_role("button", name="Save")
    expect(saved).to_have_class(re.compile(r"\bis-saved\b"))  # once reading.js has run there
    assert page.problems == []


def test_a_saved_papers_button_says_saved_and_that_a_press_unsaves_it(
    open_page: Callable[..., Any], base: str
) -> None:
    """A saved paper's button read "✓ Save": an action still to take, not a state. It now
    reads "Saved", and its name says a press unsaves the paper; no pressed state besides,
    which a screen reader said as the state twice ("Saved: …, toggle button, pressed")."""
    page = open_page()
    page.goto(base + "index.html")
    item = page.locator(".paper-item").first
    title = item.locator("h3").inner_text()
    button = item.locator("button[data-save]")
    expect(button).to_have_text("Save")
    button.click()
    expect(button).to_have_text("Saved")
    assert "is-saved" in (button.get_attribute("class") or "").split()
    assert button.get_attribute("aria-label") == f"Saved: {title} (press to unsave)"
    assert button.get_attribute("aria-pressed") is None
    assert button.evaluate("b => getComputedStyle(b, '::before').content") in ("none", "normal")  # no tick
    page.goto(base + PAPER)  # the paper page's own button, as another page left it
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    on_paper = page.locator(".paper-actions button[data-save]")
    expect(on_paper).to_have_text("Saved")
    expect(on_paper).to_have_accessible_name("Saved: Paged Attention Revisited (press to unsave)")
    on_paper.click()
    expect(on_paper).to_have_text("Save")
    assert "is-saved" not in (on_paper.get_attribute("class") or "").split()
    assert on_paper.get_attribute("aria-label") == "Save Paged Attention Revisited"
    assert page.problems == []


@pytest.mark.parametrize(
    ("zone", "now", "day"),
    [
        ("America/Los_Angeles", "2026-12-31T18:00:00-08:00", "2026-12-31"),
        ("Pacific/Auckland", "2026-12-07T08:00:00+13:00", "2026-12-07"),
    ],
)
def test_a_paper_is_saved_on_the_readers_own_day(
    open_page: Callable[..., Any], site_server: str, zone: str, now: str, day: str
) -> None:
    """The saved day was UTC's: saved at 18:00 on Dec 31 in Los Angeles, a paper said
    "Saved Jan 1, 2027"; at 08:00 in Auckland, yesterday (a review)."""
    page = open_page(timezone_id=zone)
    page.clock.set_fixed_time(now)
    page.goto(site_server + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    assert page.evaluate(saved_key_script(""))[0]["saved"] == day
    page.goto(site_server + "saved.html")
    month, date = {"2026-12-31": ("Dec", 31), "2026-12-07": ("Dec", 7)}[day]
    expect(page.locator("#saved-list .saved-meta")).to_contain_text(f"Saved {month} {date}.")
    assert page.problems == []


def test_import_takes_only_papers_and_shows_titles_as_text(
    open_page: Callable[..., Any], base: str, tmp_path: Path
) -> None:
    page = open_page()
    page.goto(base + "saved.html")
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        json.dumps(
            {
                "saved": [
                    {"slug": "../../etc/passwd", "title": "outside"},
                    {"slug": "x", "title": '<img src=x onerror="window.__ran=1">'},
                    {"slug": "ok-paper"},
                ]
            }
        )
    )
    page.set_input_files("#saved-import", str(hostile))
    page.wait_for_selector("#saved-list li")
    expect_saved(page, ['<img src=x onerror="window.__ran=1">'])
    assert page.locator("#saved-list img").count() == 0 and page.evaluate("window.__ran") is None
    expect(page.locator("#saved-status")).to_have_text("Imported 1 paper; skipped 2 that were not papers")
    bad = tmp_path / "bad.json"
    bad.write_text("not json at all")
    page.set_input_files("#saved-import", str(bad))
    status = page.locator("#saved-status")
    status.filter(has_text="not a saved-papers export").wait_for()
    expect_saved(page, ['<img src=x onerror="window.__ran=1">'])
    # A paper may be slugged `constructor` (titled "Constructor"): it was dropped on import,
    # counted neither as imported nor as skipped.
    named = tmp_path / "named.json"
    named.write_text(json.dumps({"saved": [{"slug": "constructor", "title": "Constructor"}]}))
    page.set_input_files("#saved-import", str(named))
    expect(page.locator("#saved-status")).to_have_text("Imported 1 paper")
    expect_saved(page, ['<img src=x onerror="window.__ran=1">', "Constructor"])
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"saved": [{"slug": "../x"}, {"slug": "another-paper", "title": "Another"}]}))
    page.set_input_files("#saved-import", str(one))
    expect(page.locator("#saved-status")).to_have_text("Imported 1 paper; skipped 1 that was not a paper")
    assert page.problems == []


def test_a_saved_day_the_calendar_lacks_is_not_shown(
    open_page: Callable[..., Any], base: str, tmp_path: Path
) -> None:
    """An imported `"saved": "2025-13-01"` read "Saved undefined 1, 2025." (a fuzzer's find)."""
    page = open_page()
    page.goto(base + "saved.html")
    days = tmp_path / "days.json"
    saved = [("no-month", "2025-13-01"), ("no-day", "2025-02-30"), ("month-zero", "2025-00-10")]
    items = [{"slug": slug, "title": slug.title(), "saved": day} for slug, day in saved]
    days.write_text(json.dumps({"saved": [*items, {"slug": "fine", "title": "Fine", "saved": "2025-03-02"}]}))
    page.set_input_files("#saved-import", str(days))
    expect(page.locator("#saved-status")).to_have_text("Imported 4 papers")
    listed = page.locator("#saved-list")
    expect(listed).to_contain_text("Saved Mar 2, 2025.")
    assert "undefined" not in listed.inner_text() and "Saved ." not in listed.inner_text()
    assert page.problems == []


def test_a_save_the_browser_will_not_keep_says_so(open_page: Callable[..., Any], base: str) -> None:
    """With storage full (10,000 read marks take 757 kB of it) a press of Save did nothing and
    said nothing."""
    page = open_page()
    page.goto(base + PAPER)
    page.evaluate("""() => { Storage.prototype.setItem = function () {
                       throw new DOMException("full", "QuotaExceededError"); }; }""")
    button = page.locator(".paper-actions").get_by_role("button", name="Not saved", exact=False)
    page.locator(".paper-actions button[data-save]").click()
    expect(button).to_have_text("Not saved: this browser keeps no more")
    assert "is-saved" not in (button.get_attribute("class") or "").split()
    assert page.problems == []


def test_import_keeps_the_list_newest_saved_first(
    open_page: Callable[..., Any], base: str, tmp_path: Path
) -> None:
    page = open_page()
    page.goto(base + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()  # saved today
    older = tmp_path / "older.json"
    older.write_text(
        json.dumps(
            {
                "saved": [
                    {"slug": "old-b", "title": "Old B", "saved": "2024-01-02"},
                    {"slug": "old-a", "title": "Old A", "saved": "2024-05-01"},
                ]
            }
        )
    )
    page.goto(base + "saved.html")
    page.set_input_files("#saved-import", str(older))
    expect(page.locator("#saved-status")).to_have_text("Imported 2 papers")
    expect_saved(page, ["Paged Attention Revisited", "Old A", "Old B"])
    assert page.problems == []


def test_read_marks(open_page: Callable[..., Any], base: str) -> None:
    page = open_page()
    page.goto(base + "tags/inference.html")
    assert page.locator(".read-mark").count() == 0
    page.get_by_role("link", name="Paged Attention Revisited").click()
    toggle = page.get_by_role("button", name="Mark as unread")  # opening a paper marks it read
    expect(toggle).to_be_visible()  # reading.js has run: the click returns before it does
    # An action's name, so no pressed state to contradict it ("Mark as unread, pressed").
    assert toggle.get_attribute("aria-pressed") is None
    page.goto(base + "tags/inference.html")
    item = page.locator(".paper-item.is-read")
    assert item.locator("h3").all_inner_texts() == ["Paged Attention Revisited"]
    assert item.locator(".read-mark").inner_text() == "Read"
    page.goto(base + "papers/speculative-decoding-with-draft-trees.html")  # related papers too
    related = page.locator('.paper-related li[data-paper="paged-attention-revisited"]')
    assert related.locator(".read-mark").inner_text() == "Read"
    assert page.locator(".paper-related .read-mark").count() == 1
    page.goto(base + PAPER)
    page.get_by_role("button", name="Mark as unread").click()
    page.reload()  # marked unread by hand: a later visit leaves it unread
    assert page.get_by_role("button", name="Mark as read").is_visible()
    page.goto(base + "tags/inference.html")
    paged = page.locator(".paper-item").filter(has_text="Paged Attention Revisited")
    assert paged.locator(".read-mark").count() == 0
    assert page.problems == []


# A visit begins after half an hour without a page of the site: this makes the last one older.
END_THE_VISIT = """() => { const key = Object.keys(localStorage).find(k => k.endsWith(':visit'));
                            const visit = JSON.parse(localStorage.getItem(key));
                            visit.at -= 31 * 60 * 1000; localStorage.setItem(key, JSON.stringify(visit)); }"""


def test_new_since_your_last_visit(open_page: Callable[..., Any], base: str) -> None:
    page = open_page()
    page.goto(base + "index.html")
    expect(page.locator(".new-mark")).to_have_count(0)  # a first visit: nothing is "new"
    # A later visit by a reader who last saw Mar 11.
    page.evaluate(
        """() => { const key = Object.keys(localStorage).find(k => k.endsWith(':seen'));
                   localStorage.setItem(key, JSON.stringify('2025-03-11')); }"""
    )
    page.evaluate(END_THE_VISIT)
    page.reload()
    expect(page.locator("section.day.is-new time")).to_have_text(["Mar 12, 2025"])
    expect(page.locator("section.day .new-mark")).to_have_text(["New"])
    expect(page.locator("#new-since")).to_have_text("1 day new since your last visit")
    page.goto(base + "archive/index.html")  # the marks stay for the whole visit
    expect(page.locator(".latest-days li.is-new a")).to_have_text(["Mar 12, 2025"])
    page.goto(base + "tags/inference.html")
    expect(page.locator("section.day.is-new time")).to_have_text(["Mar 12, 2025"])
    tab = page.context.new_page()  # a link opened in a new tab is the same visit
    tab.goto(base + "tags/inference.html")
    expect(tab.locator("section.day.is-new time")).to_have_text(["Mar 12, 2025"])
    page.evaluate(END_THE_VISIT)  # the next visit has seen Mar 12, in whichever tab
    page.reload()
    expect(page.locator(".new-mark")).to_have_count(0)
    tab.goto(base + "index.html")
    expect(tab.locator(".new-mark")).to_have_count(0)
    # A reader who last saw Mar 10 missed two days; the front page shows only Mar 12's
    # papers, and said "1 day new" (counting its own). The whole list's days count.
    page.evaluate(
        """() => { const key = Object.keys(localStorage).find(k => k.endsWith(':seen'));
                   localStorage.setItem(key, JSON.stringify('2025-03-10')); }"""
    )
    page.evaluate(END_THE_VISIT)
    page.goto(base + "index.html")
    expect(page.locator("section.day.is-new time")).to_have_text(["Mar 12, 2025"])
    expect(page.locator("#new-since")).to_have_text("2 days new since your last visit")
    page.goto(base + "page/2.html")  # a numbered page marks its days, and counts nothing
    expect(page.locator("section.day.is-new time")).to_have_text(["Mar 11, 2025"])
    expect(page.locator("#new-since")).to_be_hidden()
    assert page.problems == []


def test_a_tab_shows_what_another_tab_saved_and_read(open_page: Callable[..., Any], base: str) -> None:
    """Lists drawn before a paper was saved or read elsewhere (another tab, or the same page
    before Back brought it from the browser's cache) catch up without a reload."""
    page = open_page()
    page.goto(base + "tags/inference.html")
    item = page.locator(".paper-item").filter(has_text="Paged Attention Revisited")
    assert "is-saved" not in (item.get_by_role("button", name="Save").get_attribute("class") or "").split()
    tab = page.context.new_page()
    tab.goto(base + PAPER)  # opening it marks it read
    tab.locator(".paper-actions").get_by_role("button", name="Save").click()
    expect(item.get_by_role("button", name="Save")).to_have_class(re.compile(r"\bis-saved\b"))
    expect(item.locator(".read-mark")).to_have_text("Read")
    tab.get_by_role("button", name="Mark as unread").click()
    expect(item.locator(".read-mark")).to_have_count(0)
    assert page.problems == []


def test_without_javascript_the_controls_are_hidden(open_page: Callable[..., Any], base: str) -> None:
    page = open_page(java_script_enabled=False)
    page.goto(base + "index.html")
    assert page.locator("button[data-save]").count() > 0
    assert page.locator("button:visible").count() == 0
    # The `/` key is search.js's: without it the box offered a key that did nothing.
    assert page.get_attribute("#site-search-input", "placeholder") == "Search papers"
    page.goto(base + PAPER)
    assert page.locator("button:visible").count() == 0
    page.get_by_text("Cite", exact=True).click()  # the citation is still there to copy by hand
    assert (
        page.locator("#citation-text")
        .inner_text()
        .startswith("Paged Attention Revisited. Listed Mar 10, 2025.")
    )
    page.goto(base + "saved.html")
    assert page.locator(".reading-controls").is_hidden()
    assert "Saving papers needs JavaScript" in page.locator("main").inner_text()
    assert page.problems == []


def test_copy_citation(open_page: Callable[..., Any], site_server: str) -> None:
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(site_server + PAPER)
    page.get_by_role("button", name="Copy citation").click()
    page.locator(".cite-status").filter(has_text="Citation copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == (
        "Paged Attention Revisited. Listed Mar 10, 2025. "
        "https://example.org/some-repo/papers/paged-attention-revisited.html"
    )
    assert page.problems == []


def test_a_printed_paper_page_keeps_the_paper_and_drops_the_controls(
    open_page: Callable[..., Any], base: str
) -> None:
    """Printed, a paper page showed Save, Mark as unread and Copy citation, the dump lines
    of its sources, links out without their addresses, and the word "Cite" without the
    citation (a review of the paper page)."""
    page = open_page()
    page.goto(base + "papers/agents-that-plan-with-tools.html")
    expect(page.locator(".reading-controls")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in (".reading-controls", ".paper-sources", ".site-header", ".prev-next"):
        expect(page.locator(hidden)).to_be_hidden()
    after = page.evaluate(
        """() => [...document.querySelectorAll('.paper-links a')].map(
               a => getComputedStyle(a, '::after').content)"""
    )
    assert after[0] == '" <https://arxiv.org/search/?query=Agents+That+Plan+with+Tools&searchtype=title>"'
    assert all(text.startswith('" <http') for text in after)
    cite = page.locator("details.paper-cite")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(cite).to_have_attribute("open", "")
    expect(page.locator("#citation-text")).to_be_visible()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    expect(cite).not_to_have_attribute("open", "")  # as the reader left it
    page.emulate_media(media="screen")
    expect(page.locator(".reading-controls")).to_be_visible()
    assert page.problems == []


def test_with_site_data_blocked_the_page_still_works(open_page: Callable[..., Any], base: str) -> None:
    """Chrome throws on `window.localStorage` when site data is blocked: reading.js stopped
    at its first line, leaving Save and the read button shown but dead, and no citation."""
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }})"
    )
    page.goto(base + PAPER)
    page.get_by_role("button", name="Copy citation").click()
    page.locator(".cite-status").filter(has_text="Citation copied").wait_for()
    page.goto(base + "saved.html")
    expect(page.locator("#saved-status")).to_have_text(
        "This browser keeps no data for this site (site data is blocked), so papers cannot be saved here."
    )
    assert page.problems == []


def test_saved_html_catches_up_with_another_tab(open_page: Callable[..., Any], base: str) -> None:
    page = open_page()
    page.goto(base + "saved.html")
    expect(page.locator("#saved-status")).to_have_text("No saved papers yet.")
    tab = page.context.new_page()
    tab.goto(base + PAPER)
    tab.locator(".paper-actions").get_by_role("button", name="Save").click()
    expect_saved(page, ["Paged Attention Revisited"])
    assert page.get_by_role("button", name="Export as JSON").is_enabled()
    assert page.problems == []


def test_saved_html_keeps_its_list_while_another_tab_reads(
    open_page: Callable[..., Any], site_server: str, built_site: Path
) -> None:
    """Every page viewed in another tab (a read mark, the visit) drew the whole saved list
    again: the focused Remove button was gone (focus fell to the page's start), the shared
    link shown below Share was hidden, and at 2,000 saved papers each redraw took 300 ms.
    Only a change to the list itself changes it now, entry by entry."""
    page, slugs = saved_every_paper(open_page, site_server, built_site, but=(PAPER[7:-5], OTHER[7:-5]))
    items = page.locator("#saved-list > li")
    expect(items).to_have_count(len(slugs))
    page.get_by_role("button", name="Share as a link").click()
    expect(page.locator("#saved-share-link")).to_be_visible()
    third = items.nth(2).get_by_role("button", name=re.compile("^Remove "))
    third.focus()
    label = third.get_attribute("aria-label")

    tab = page.context.new_page()
    tab.goto(site_server + PAPER)  # a read mark and a visit written: the saved list unchanged
    expect(tab.locator(".paper-actions").get_by_role("button", name="Save")).to_be_visible()
    page.bring_to_front()
    page.wait_for_timeout(300)  # the storage events delivered
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == label
    expect(page.locator("#saved-share-link")).to_be_visible()

    tab.goto(site_server + OTHER)
    tab.locator(".paper-actions").get_by_role("button", name="Save").click()  # the list changed
    expect(items).to_have_count(len(slugs) + 1)
    expect(items.first.locator(".saved-title")).to_have_text("Agents That Plan with Tools")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == label
    expect(page.locator("#saved-share-link")).to_be_hidden()  # made for the list as it was
    assert page.problems == []


def test_copy_citation_without_the_clipboard_api_keeps_focus(
    open_page: Callable[..., Any], base: str
) -> None:
    """Copying by selection moves focus into a text area it then removes: focus went to the
    page's start, and the next Tab to the skip link."""
    page = open_page()
    page.add_init_script("delete Navigator.prototype.clipboard")
    page.goto(base + PAPER)
    button = page.get_by_role("button", name="Copy citation")
    button.focus()
    page.keyboard.press("Enter")
    page.locator(".cite-status").filter(has_text="Citation copied").wait_for()
    assert page.evaluate("document.activeElement.textContent") == "Copy citation"
    assert page.problems == []


def test_tag_page_chart_is_described_with_its_data(open_page: Callable[..., Any], base: str) -> None:
    page = open_page(java_script_enabled=False)
    page.goto(base + "tags/inference.html")
    chart = page.get_by_role("img", name="Papers tagged Efficient Inference per week")
    assert chart.locator("desc").text_content() == (
        "Bar chart of 5 papers over 1 week, from the week of Mar 10, 2025 to the week of Mar 10, 2025 "
        "(so far); the busiest week had 5 papers."
    )
    page.get_by_text("Papers tagged Efficient Inference per week, as a table").click()
    rows = page.locator(".trend-data tbody tr").all_inner_texts()
    assert rows == ["Mar 10, 2025 (so far)\t5"]
    page.goto(base + "trends.html")
    assert page.get_by_role("img").count() == 5  # one chart per tag with papers
    assert page.problems == []


class _PagesHandler(_SubpathHandler):
    """Like GitHub Pages: a missing file gets the site's 404.html, at any depth."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(str(self.directory)) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def pages_server(built_site: Path) -> Iterator[str]:
    with served_under_subpath(built_site, _PagesHandler) as url:
        yield url


@pytest.mark.parametrize("missing", ["nope.html", "papers/gone.html", "a/b/c/d/e.html"])
def test_the_404_page_works_at_any_depth(
    open_page: Callable[..., Any], pages_server: str, missing: str
) -> None:
    page = open_page()
    page.goto(pages_server + missing)
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
    # Only the page itself is missing (its console line names no URL; a missing asset's
    # "HTTP 404: <url>" line would remain).
    assert [p for p in page.problems if not p.endswith(missing) and "status of 404" not in p] == []
    page.get_by_role("main").get_by_role("link", name="All tags").click()
    assert page.url == pages_server + "tags/index.html"


@pytest.mark.parametrize(
    ("missing", "hint", "link", "target"),
    [
        (
            "papers/paged-attention-revised.html",  # a paper's address changed, no moved_from
            "No paper has this address now (removed, or given another one). "
            "Search for “paged attention revised”, the words of its address.",
            "Search for “paged attention revised”",
            "search.html?q=paged%20attention%20revised",
        ),
        (
            "archive/2025/03-09.html",  # a day whose papers moved to another day
            "No paper is listed on Mar 9, 2025 now: its papers may have moved to another day. "
            "The papers of March 2025.",
            "The papers of March 2025",
            "archive/2025/03.html",
        ),
        (
            "archive/2024/03-12.html",  # a day that moved to another year: its month has none
            "No paper is listed on Mar 12, 2024 now: its papers may have moved to another day. "
            "The archive, by month.",
            "The archive, by month",
            "archive/index.html",
        ),
        (
            "tags/efficiency/page/2.html",  # a tag renamed without an alias
            "No tag has this address now (renamed, or removed). Search for the tag “efficiency”.",
            "Search for the tag “efficiency”",
            "search.html?tag=efficiency",
        ),
        (
            "tags/inference/page/9.html",  # a tag that has fewer pages now
            "This tag has fewer pages now. The papers tagged “inference”.",
            "The papers tagged “inference”",
            "tags/inference.html",
        ),
    ],
)
def test_the_404_page_says_where_a_missing_address_may_lead(
    open_page: Callable[..., Any], pages_server: str, missing: str, hint: str, link: str, target: str
) -> None:
    """A bookmark to a day whose papers moved, a paper's old address, a renamed tag's page:
    the 404 page named the home, tags and search only. It now reads the address."""
    page = open_page()
    page.goto(pages_server + missing)
    expect(page.locator("#not-found-hint")).to_have_text(hint)
    found = page.locator("#not-found-hint").get_by_role("link", name=link)
    assert found.get_attribute("href") == "/some-repo/" + target  # the 404 page links from the root
    found.click()
    page.wait_for_url(pages_server + target.split("?")[0] + "*")
    expect(page.locator("h1")).not_to_have_text("Page not found")
    assert [p for p in page.problems if not p.endswith(missing) and "status of 404" not in p] == []


class _EncodedPathHandler(_PagesHandler):
    """A host serving the site under a base path written percent-encoded (`/résumé/`)."""

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0]
        if not clean.startswith(ENCODED):
            return os.path.join(str(self.directory), "__outside_the_site__")
        return super().translate_path(SUBPATH + clean[len(ENCODED) :])


ENCODED = "/r%C3%A9sum%C3%A9/"


def test_the_404_page_reads_an_address_under_a_base_path_with_other_letters(
    open_page: Callable[..., Any], tmp_path: Path
) -> None:
    """Under https://example.com/résumé/ the page's root is written encoded and the address
    was compared decoded: no hint was ever given (a review)."""
    build_site(FIXTURE_SITE, out=tmp_path / "_site", base_url="https://example.com/résumé/", cache=False)
    with served_under_subpath(tmp_path / "_site", _EncodedPathHandler) as url:
        page = open_page()
        page.goto(url.replace(SUBPATH, ENCODED) + "papers/paged-attention-revised.html")
        expect(page.locator("#not-found-hint")).to_contain_text("Search for “paged attention revised”")
        link = page.locator("#not-found-hint a")
        assert link.get_attribute("href") == ENCODED + "search.html?q=paged%20attention%20revised"


def test_the_404_page_says_nothing_more_of_an_address_it_cannot_read(
    open_page: Callable[..., Any], pages_server: str
) -> None:
    page = open_page()
    page.goto(pages_server + "a/b/nope.html")
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("#not-found-hint")).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_the_reading_tools_shown(
    open_page: Callable[..., Any], site_server: str, scheme: str
) -> None:
    page = open_page(bypass_csp=True, color_scheme=scheme)
    page.goto(site_server + PAPER)
    page.goto(site_server + "saved.html")
    page.goto(site_server + "index.html")
    page.locator(".paper-item").first.get_by_role("button", name="Save").click()
    page.evaluate(
        saved_key_script("list.push({slug: 'withdrawn-paper', title: 'Withdrawn', saved: '2024-11-02'})")
    )
    shared = "saved.html#share=paged-attention-revisited@2025-03-10,no-such-paper"
    for rel in ("index.html", PAPER, "saved.html", shared, "tags/inference.html", "archive/2025/03-12.html"):
        page.goto(site_server + rel)
        if rel == "saved.html":  # the reading list with its details, and a paper gone
            expect(page.locator(".saved-snippet")).to_have_count(1)
            expect(page.locator(".is-gone")).to_have_count(1)
            page.get_by_role("button", name="Share as a link").click()
            expect(page.locator("#saved-share-url")).to_be_visible()
        if rel == shared:  # a list shared as a link, above the reader's own
            page.reload()
            expect(page.locator("#shared-items .is-gone")).to_have_count(1)
            expect(page.locator("#shared-items button[data-save]")).to_have_count(1)
        assert run_axe(page) == [], rel
    assert page.problems == []


_CONTRAST = """([fg, bg]) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_what_axe_does_not_measure_has_its_contrast(
    open_page: Callable[..., Any], base: str, scheme: str
) -> None:
    """The search box's placeholder is the label a sighted reader sees: the browser's own grey
    was 3.9:1 on the dark background (WCAG 1.4.3 asks 4.5:1). The week so far on a trend chart
    was a 40 % fill, 1.9:1 on white (1.4.11 asks 3:1 of a chart's parts): it has an outline."""
    page = open_page(color_scheme=scheme)
    page.goto(base + "tags/inference.html")
    box = page.locator("#site-search-input")
    colours = box.evaluate(
        "(el) => [getComputedStyle(el, '::placeholder').color, getComputedStyle(el).backgroundColor]"
    )
    assert page.evaluate(_CONTRAST, colours) >= 4.5, colours
    bar = page.locator(".trend-chart rect.running").first
    stroke = bar.evaluate(
        "(el) => [getComputedStyle(el).stroke, getComputedStyle(document.body).backgroundColor]"
    )
    assert stroke[0] != "none" and page.evaluate(_CONTRAST, stroke) >= 3, stroke


@pytest.mark.parametrize(
    "path", ["archive/2025/03.html", "index.html", "papers/agents-that-plan-with-tools.html"]
)
def test_showing_the_reading_controls_moves_nothing(
    open_page: Callable[..., Any], built_site: Path, path: str
) -> None:
    """Save buttons revealed by reading.js pushed every paper of a month's page down after it
    was drawn (CLS 0.17 on a phone); their room is kept while they are hidden."""

    def layout(**options: Any) -> list[tuple[float, float]]:
        page = open_page(viewport={"width": 412, "height": 823}, has_touch=True, is_mobile=True, **options)
        page.goto(built_site.as_uri() + "/" + path)
        if options.get("java_script_enabled", True):
            page.wait_for_selector("button[data-save]:not([hidden])")
        boxes = page.eval_on_selector_all(
            "main h2, main h3, main li > a, main p",
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top]; })",
        )
        return [(round(x), round(y)) for x, y in boxes]

    assert layout(java_script_enabled=False) == layout()


def test_a_search_result_can_be_saved(open_page: Callable[..., Any], base: str) -> None:
    """Search results had no Save button: a reader found a paper and had to open it to save it."""
    page = open_page()
    page.goto(base + "search.html?q=paged+attention")
    result = page.locator("#search-results li.search-result").first
    title = result.locator(".search-title").inner_text()
    result.get_by_role("button", name=f"Save {title}").click()
    button = result.locator("button[data-save]")
    expect(button).to_have_text("Saved")
    assert "is-saved" in (button.get_attribute("class") or "").split()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", button.get_attribute("data-day") or "")  # kept with it
    assert page.locator("#search-popup button").count() == 0  # the popup keeps to links
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Saved").click()
    expect_saved(page, [title])
    page.go_back()
    page.wait_for_selector('#search-results[aria-busy="false"] li.search-result')
    again = page.locator("#search-results li.search-result").first.locator("button[data-save]")
    assert "is-saved" in (again.get_attribute("class") or "").split()  # as saved.html left it
    assert page.problems == []


def test_an_offline_copy_moved_elsewhere_keeps_its_saved_papers(
    open_page: Callable[..., Any], built_site: Path, tmp_path: Path
) -> None:
    """A reader saved papers in an offline copy, then moved (or unzipped) the folder: the
    saved list was empty, and read marks gone, with no way back (its keys named the old
    path, from which nothing could be exported any more)."""
    first = tmp_path / "Downloads" / "papers-site"
    shutil.copytree(built_site, first)
    page = open_page()
    page.goto(first.as_uri() + "/" + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    moved = tmp_path / "Reading" / "papers site, moved"
    shutil.copytree(first, moved)
    shutil.rmtree(first)
    page.goto(moved.as_uri() + "/saved.html")
    expect_saved(page, ["Paged Attention Revisited"])
    # Taken over once: what this copy does from now on is its own.
    page.get_by_role("button", name="Remove Paged Attention Revisited").click()
    page.goto(moved.as_uri() + "/saved.html")
    expect(page.locator("#saved-status")).to_have_text("No saved papers yet.")
    # Another site of the same title (a reviewer's two "Daily Papers" sites) takes nothing.
    page.goto(first.parent.as_uri() + "/../Reading/papers site, moved/" + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    other = copy_site(tmp_path / "other")
    oldest = listing_order([s.page for s in read_pages(other / "content" / "papers")[0]])[-1]
    (other / "content" / "papers" / f"{oldest.slug}.md").unlink()  # another site: its papers differ
    build_site(other, out=tmp_path / "other-site", cache=False)
    page.goto((tmp_path / "other-site").as_uri() + "/saved.html")
    expect(page.locator("#saved-status")).to_have_text("No saved papers yet.")
    assert page.problems == []


def saved_every_paper(
    open_page: Callable[..., Any], site_server: str, built_site: Path, but: tuple[str, ...] = ()
) -> tuple[Any, list[str]]:
    """A page on saved.html with every paper of the site saved (those in `but` left out),
    written straight into the list as a long reading list would be; and their slugs."""
    chunks = sorted(built_site.glob("assets/search/d*.js"), key=lambda path: int(path.stem[1:]))
    slugs = [s for c in chunks for s in re.findall(r'"papers/([a-z0-9-]+)\.html"', c.read_text())]
    slugs = [s for s in slugs if s not in but]
    page = open_page(viewport={"width": 900, "height": 600})
    page.goto(site_server + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    entries = ", ".join(f"{{slug: '{s}', title: '{s}', saved: '2025-03-20'}}" for s in slugs)
    page.evaluate(saved_key_script(f"list.splice(0, list.length, {entries})"))
    page.goto(site_server + "saved.html")
    return page, slugs


def saved_key_script(body: str) -> str:
    """A function run in the page on its list of saved papers (`list`), written back after."""
    return (
        "() => { const key = Object.keys(localStorage).find(k => k.endsWith(':saved'));"
        f" const list = JSON.parse(localStorage.getItem(key)); {body};"
        " localStorage.setItem(key, JSON.stringify(list)); return list; }"
    )


def test_the_saved_page_is_a_reading_list(open_page: Callable[..., Any], base: str, tmp_path: Path) -> None:
    """saved.html listed titles and Remove buttons only. Each saved paper now shows its
    listing day, tags (linked), the start of its abstract and when it was saved, from the
    search files the site already has; a paper the site no longer has says so, with no
    link to a page that is not there; one saved before its day was kept, under a title
    since edited, is found by its slug and shows the site's title."""
    page = open_page(accept_downloads=True)
    page.goto(base + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    kept = page.evaluate(
        saved_key_script(
            "list.push({slug: 'withdrawn-paper', title: 'A Withdrawn Paper', saved: '2024-11-02'},"
            " {slug: 'agents-that-plan-with-tools', title: 'Agents (old title)', saved: '2024-10-01'})"
        )
    )
    assert kept[0]["listed"] == "2025-03-10"  # the paper's day is kept with it
    page.goto(base + "saved.html")
    items = page.locator("#saved-list > li")
    expect(items).to_have_count(3)

    paged = items.nth(0)
    expect(paged.locator("h2.saved-title")).to_have_count(1)  # no shared list above: the page's sections
    abstract = (
        (FIXTURE_SITE / "content" / "papers" / "paged-attention-revisited.md").read_text().split("---\n")[2]
    )
    expect(paged.locator(".saved-snippet")).to_have_text(snippet(abstract))  # as the lists show it
    assert paged.locator(".saved-snippet").inner_text().endswith("inference\u2026")
    link = paged.get_by_role("link", name="Paged Attention Revisited")
    assert link.get_attribute("href") == "papers/paged-attention-revisited.html"
    meta = paged.locator(".saved-meta")
    expect(meta).to_contain_text("Listed Mar 10, 2025.")
    expect(meta).to_contain_text("Saved ")
    assert meta.locator("time").first.get_attribute("datetime") == "2025-03-10"
    tag = paged.locator(".tag-list").get_by_role("link", name="Efficient Inference")
    assert tag.get_attribute("href") == "tags/inference.html"

    gone = items.nth(1)
    expect(gone.locator(".saved-meta")).to_contain_text("No longer on this site")
    expect(gone.locator(".saved-meta")).to_contain_text("Saved Nov 2, 2024.")
    assert gone.locator(".saved-title a").count() == 0  # no dead link
    assert gone.get_by_role("link", name="search for its title").get_attribute("href") == (
        "search.html?q=A%20Withdrawn%20Paper"
    )
    assert gone.get_by_role("button", name="Remove A Withdrawn Paper").is_visible()

    renamed = items.nth(2)
    expect(renamed.locator(".saved-title a")).to_have_text("Agents That Plan with Tools")
    expect(renamed.locator(".saved-meta")).to_contain_text("Listed Mar 1")
    # Found by its slug: its day (and the site's title) are kept, for the next visit.
    stored = page.evaluate(saved_key_script(""))
    assert stored[2]["listed"] and stored[2]["title"] == "Agents That Plan with Tools"

    with page.expect_download() as download:
        page.get_by_role("button", name="Export as Markdown").click()
    assert download.value.suggested_filename == "saved-papers.md"
    out = tmp_path / "saved.md"
    download.value.save_as(out)
    lines = out.read_text().splitlines()
    assert lines[0] == "# Saved papers"
    assert lines[2].startswith("- [Paged Attention Revisited](") and lines[2].endswith(
        "papers/paged-attention-revisited.html) \u2014 listed Mar 10, 2025, saved "
        + lines[2].rsplit("saved ", 1)[1]
    )
    # The published site's address (base_url), which the list is shared with, wherever the
    # page was opened: from disk or 127.0.0.1 it sent links no one else could open.
    assert lines[2].split("](", 1)[1].startswith("https://example.org/some-repo/papers/paged-attention")
    assert lines[3] == "- A Withdrawn Paper (no longer on this site) \u2014 saved Nov 2, 2024"
    assert lines[4].startswith("- [Agents That Plan with Tools](")
    assert page.problems == []


def test_a_saved_list_shared_as_a_link_opens_in_another_browser(
    open_page: Callable[..., Any], base: str
) -> None:
    """A reading group's list for the week: one reader shares their saved papers as a link;
    another, who has saved one of them already, opens it, sees the papers (and that one of
    the link's is not on this site) and saves the others with one press. The link names the
    published site (`base_url`), as the Markdown export does, wherever it was made."""
    page = open_page()
    for paper in (PAPER, OTHER):
        page.goto(base + paper)
        page.locator(".paper-actions").get_by_role("button", name="Save").click()
    page.goto(base + "saved.html")
    expect_saved(page, ["Agents That Plan with Tools", "Paged Attention Revisited"])
    page.get_by_role("button", name="Share as a link").click()
    field = page.get_by_label("A link to this list")
    expect(field).to_be_visible()
    url = field.input_value()
    assert re.fullmatch(
        r"https://example\.org/some-repo/saved\.html"
        r"#share=agents-that-plan-with-tools@2025-03-\d\d,paged-attention-revisited@2025-03-10",
        url,
    ), url
    expect(page.locator("#saved-status")).to_contain_text("your 2 papers")

    friend = open_page()  # another browser: a list of its own
    friend.goto(base + OTHER)
    friend.locator(".paper-actions").get_by_role("button", name="Save").click()
    friend.goto(base + "saved.html#" + url.split("#", 1)[1] + ",no-such-paper,Not%20A%20Slug")
    shared = friend.locator("#shared-items > li")
    expect(shared).to_have_count(3)  # what is no slug is left out
    expect(friend.locator("#shared-status")).to_have_text(
        "3 papers in this link; 1 already in your list; 1 not on this site."
    )
    expect(shared.nth(0).locator(".saved-title a")).to_have_text("Agents That Plan with Tools")
    expect(shared.nth(1).locator(".saved-meta")).to_have_text("Listed Mar 10, 2025.")
    expect(shared.nth(2)).to_contain_text("Not on this site")
    assert shared.nth(2).locator("a, button").count() == 0
    expect(shared.nth(0).get_by_role("button", name="Saved")).to_be_visible()
    expect(friend.get_by_role("heading", name="Your saved papers")).to_be_visible()
    # One's own papers are sections of that heading, not siblings of it.
    expect(friend.locator("#saved-list > li > h3.saved-title")).to_have_count(1)
    # The skip link's #main is no shared link: the list stays.
    friend.get_by_role("link", name="Skip to content").focus()
    friend.keyboard.press("Enter")
    expect(friend.locator("#shared")).to_be_visible()
    # Both lists agree at once: a paper removed from one's own list can be saved again above.
    friend.get_by_role("button", name="Remove Agents That Plan with Tools").click()
    expect(friend.get_by_role("button", name="Save all 2")).to_be_enabled()
    expect(friend.locator("#shared-status")).to_have_text("3 papers in this link; 1 not on this site.")
    shared.nth(0).get_by_role("button", name="Save Agents That Plan with Tools").click()
    expect_saved(friend, ["Agents That Plan with Tools"])
    all_button = friend.get_by_role("button", name="Save the other 1")
    all_button.focus()
    friend.keyboard.press("Enter")
    expect_saved(friend, ["Paged Attention Revisited", "Agents That Plan with Tools"])
    expect(friend.get_by_role("button", name="All saved")).to_be_disabled()
    expect(friend.locator("#shared-status")).to_have_text("Saved 1 paper to your list.")
    assert friend.evaluate("document.activeElement.id") == "shared-status"  # not the page's start
    # Another link opened in the same tab: the reader's own status and share link, which spoke
    # of the page before, are drawn again; Back to the plain page hides the shared list.
    page.get_by_role("button", name="Share as a link").click()
    expect(page.locator("#saved-share-url")).to_be_visible()
    page.evaluate("location.hash = '#share=paged-attention-revisited@2025-03-10'")
    expect(page.locator("#shared-items > li")).to_have_count(1)
    expect(page.locator("#saved-share-url")).to_be_hidden()
    expect(page.locator("#saved-status")).to_have_text("2 saved papers")
    page.go_back()
    expect(page.locator("#shared")).to_be_hidden()
    assert page.problems == [] and friend.problems == []


def test_save_all_writes_the_list_once_and_puts_the_links_first_paper_on_top(
    open_page: Callable[..., Any], site_server: str
) -> None:
    """A write per paper made another open tab redraw its list once per paper (1.6 s for a
    list of 365 in a reviewer's run)."""
    page = open_page()
    page.goto(site_server + "saved.html")
    watcher = page.context.new_page()
    watcher.goto(site_server + "saved.html")
    watcher.evaluate(
        "window.saves = 0; addEventListener('storage', e => { if (e.key.endsWith(':saved')) saves++; })"
    )
    page.goto(site_server + "saved.html#share=agents-that-plan-with-tools,paged-attention-revisited")
    page.get_by_role("button", name="Save all 2").click()
    expect_saved(watcher, ["Agents That Plan with Tools", "Paged Attention Revisited"])
    assert watcher.evaluate("saves") == 1
    assert page.problems == []


def test_the_saved_page_loads_only_the_search_files_it_needs(
    open_page: Callable[..., Any], site_server: str
) -> None:
    """The entry point, the slug directory's shard and the saved paper's chunk: not lunr.js,
    no postings, no word list."""
    page = open_page()
    page.goto(site_server + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url.split("/assets/", 1)[-1].split("?")[0]))
    page.goto(site_server + "saved.html")
    expect(page.locator(".saved-snippet")).to_have_count(1)
    files = sorted(f for f in asked if f.startswith("search") or f.startswith("lunr"))
    assert "search-index.js" in files and "lunr.min.js" not in files
    data = [f for f in files if f.startswith("search/")]
    assert len(data) == 2 and re.fullmatch(r"search/d\d+\.js,search/s0\.js", ",".join(data)), files
    assert page.problems == []


def test_a_long_saved_list_asks_for_details_as_its_entries_near_the_screen(
    open_page: Callable[..., Any], site_server: str, built_site: Path
) -> None:
    """A saved list of hundreds loaded the search files of every paper at once (500 papers:
    3,053 files and 13.4 s in a review): an entry's details now come as it nears the screen."""
    chunks = sorted(built_site.glob("assets/search/d*.js"), key=lambda path: int(path.stem[1:]))
    slugs = [s for c in chunks for s in re.findall(r'"papers/([a-z0-9-]+)\.html"', c.read_text())]
    assert len(chunks) >= 3 and len(slugs) >= 12
    page = open_page(viewport={"width": 900, "height": 400})
    page.goto(site_server + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    entries = ", ".join(f"{{slug: '{s}', title: '{s}', saved: '2025-03-20'}}" for s in slugs)
    page.evaluate(saved_key_script(f"list.splice(0, list.length, {entries})"))  # the oldest chunk's first
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url.split("/assets/", 1)[-1].split("?")[0]))
    page.goto(site_server + "saved.html")
    first = page.locator(f'#saved-list > li[data-slug="{slugs[0]}"]')
    last = page.locator(f'#saved-list > li[data-slug="{slugs[-1]}"]')
    expect(first.locator(".saved-snippet")).to_have_count(1)
    expect(last.locator(".saved-title a")).to_have_text(slugs[-1])  # its saved title, for now
    assert f"search/{chunks[-1].stem}.js" not in asked and "search/d0.js" in asked
    last.scroll_into_view_if_needed()
    expect(last.locator(".saved-snippet")).to_have_count(1)
    assert last.locator(".saved-title a").inner_text() != slugs[-1]  # the site's title
    assert f"search/{chunks[-1].stem}.js" in asked
    assert page.problems == []


def test_a_long_saved_lists_export_share_and_import_come_before_it(
    open_page: Callable[..., Any], site_server: str, built_site: Path
) -> None:
    """Export, Share and Import stood after the list: with 500 saved papers 69,000 px down
    and 1,027 Tab presses away. They now come first, on the first screen, before any entry."""
    page, slugs = saved_every_paper(open_page, site_server, built_site)
    expect(page.locator("#saved-status")).to_have_text(f"{len(slugs)} saved papers")
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * 600  # a long list
    for name in ("Export as JSON", "Export as Markdown", "Share as a link"):
        expect(page.get_by_role("button", name=name)).to_be_in_viewport()
    expect(page.get_by_text("Import a JSON file")).to_be_in_viewport()
    page.locator("h1").click()  # the keyboard starts from the heading
    where = (
        "() => { const e = document.activeElement, li = e.closest('#saved-list > li');"
        " return li ? 'entry ' + li.dataset.slug : e.id || e.textContent; }"
    )
    reached: list[str] = []
    while len(reached) < 12 and not (reached and reached[-1].startswith("entry ")):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(where))
    assert reached == [
        "saved-export",
        "saved-export-markdown",
        "saved-share",
        "saved-import",
        f"entry {slugs[0]}",
    ]
    assert page.problems == []


def test_the_saved_page_shows_its_titles_without_the_search_files(
    open_page: Callable[..., Any], site_server: str
) -> None:
    """Before the details arrive, and if they never do, the list is the saved titles, linked:
    nothing is called gone for want of the files that would say so."""
    page = open_page()
    page.goto(site_server + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    page.route("**/assets/search-index.js*", lambda route: route.abort())
    page.goto(site_server + "saved.html")
    item = page.locator("#saved-list > li")
    expect(item.get_by_role("link", name="Paged Attention Revisited")).to_be_visible()
    expect(item.locator(".saved-meta")).to_have_text(re.compile(r"^Listed Mar 10, 2025\. Saved \w{3} \d+\.$"))
    expect(page.locator("#saved-list")).not_to_have_attribute("aria-busy", "true")
    assert page.locator(".saved-snippet, .is-gone").count() == 0


def test_a_day_pages_chips_keep_their_size_when_they_become_buttons(
    open_page: Callable[..., Any], base: str
) -> None:
    """reading.js makes the chips buttons, which had a border the links lacked: the chips
    wrapped onto another row and pushed the papers down, a layout shift of 0.12 (a reviewer)."""
    boxes = []
    for script in (False, True):
        page = open_page(java_script_enabled=script, viewport={"width": 1280, "height": 900})
        page.goto(base + "archive/2025/03-10.html")
        if script:
            expect(page.locator(".tag-filter button.tag").first).to_be_visible()
        chips = page.locator(".tag-filter .tag")
        sizes = [(box["width"], box["height"]) for box in (c.bounding_box() for c in chips.all()) if box]
        papers = page.locator(".paper-list").bounding_box()
        boxes.append((sizes, papers and papers["y"]))
    assert boxes[0][0] and boxes[0] == boxes[1]


def test_a_list_shows_titles_only_or_hides_read_papers_and_remembers(
    open_page: Callable[..., Any], base: str
) -> None:
    """A busy day was 20,000 px to skim, four papers a screen, with read ones among them (a
    review against HF Papers): two toggles above every list, kept for the next page."""
    page = open_page()
    page.goto(base + PAPER)  # opening a paper marks it read
    page.goto(base + "tags/inference.html")
    bar = page.get_by_role("group", name="How the list shows its papers")
    titles, unread = (
        bar.get_by_role("button", name="Titles only"),
        bar.get_by_role("button", name="Hide read"),
    )
    expect(titles).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".paper-item-snippet").first).to_be_visible()
    titles.click()
    expect(titles).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".paper-item-snippet:visible")).to_have_count(0)
    expect(page.locator(".paper-item .tag-list:visible")).to_have_count(0)
    read = page.locator(".paper-item.is-read")
    expect(read).to_have_count(1)
    unread.click()
    expect(read).to_be_hidden()
    expect(bar.get_by_role("status")).to_have_text("1 read paper hidden")
    page.goto(base + "archive/2025/03-10.html")  # another list: the same view
    expect(page.get_by_role("button", name="Titles only")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".paper-item-snippet:visible")).to_have_count(0)
    expect(page.locator(".paper-item").filter(has_text="Paged Attention Revisited")).to_be_hidden()
    page.get_by_role("button", name="Hide read").click()
    expect(page.locator(".paper-item").filter(has_text="Paged Attention Revisited")).to_be_visible()
    assert page.problems == []


def test_a_day_pages_tag_filter_is_one_stop_for_tab_and_the_arrows_move_in_it(
    open_page: Callable[..., Any], base: str
) -> None:
    """Twenty chips were twenty Tab stops before the first paper (34 Tabs on a busy day; a
    review against MkDocs Material): the filter is a toolbar, one stop, arrows within."""
    page = open_page()
    page.goto(base + "archive/2025/03-10.html")
    toolbar = page.get_by_role("toolbar", name="Filter the papers by tag")
    chips = toolbar.get_by_role("button")
    expect(chips.first).to_have_attribute("tabindex", "0")
    assert chips.count() > 2 and all(c.get_attribute("tabindex") == "-1" for c in chips.all()[1:])
    chips.first.focus()
    page.keyboard.press("ArrowRight")
    expect(chips.nth(1)).to_be_focused()
    page.keyboard.press("End")
    expect(chips.last).to_be_focused()
    page.keyboard.press("ArrowRight")  # round to the first
    expect(chips.first).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")  # the last tag pressed: the filter's stop is now it
    expect(chips.last).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('[role=toolbar]')") is None  # out in one Tab
    page.keyboard.press("Shift+Tab")
    expect(chips.last).to_be_focused()
    assert page.problems == []


def test_a_month_page_leads_to_all_its_papers_of_a_tag(open_page: Callable[..., Any], base: str) -> None:
    """A month lists a busy day's first titles only, and had no tags: every paper of a topic
    in a month took a hand-written search address (a review). Its tags lead to that search."""
    page = open_page()
    page.goto(base + "archive/2025/03.html")
    chips = page.locator(".tag-month .tag")
    expect(chips.first).to_be_visible()
    chip = chips.filter(has_text="Efficient Inference")
    count = int(chip.locator(".count").inner_text().split()[0])
    chip.click()
    page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    assert "tag=inference" in page.url and "from=2025-03" in page.url and "to=2025-03" in page.url
    expect(page.locator("#search-results a.search-hit")).to_have_count(count)
    assert page.problems == []


def test_a_day_page_filters_by_a_tag_kept_in_the_address(open_page: Callable[..., Any], base: str) -> None:
    """The chips at the top of a day page filter its papers: one tag at a time, said in a
    status line, kept as `#tag=NAME` (a link keeps it, Back undoes it)."""
    page = open_page()
    day = base + "archive/2025/03-10.html"
    page.goto(day)
    chips = page.locator(".tag-filter")
    papers = page.locator(".paper-list > li")
    status = chips.get_by_role("status")
    expect(papers).to_have_count(5)
    evaluation = chips.get_by_role("button", name="Evaluation 2 papers")
    expect(evaluation).to_have_attribute("aria-pressed", "false")
    evaluation.click()
    expect(evaluation).to_have_attribute("aria-pressed", "true")
    # The tick shows the state to the eye; a screen reader hears "pressed", not "check mark" too.
    assert evaluation.evaluate("b => getComputedStyle(b, '::before').content").startswith('"✓')
    cdp = page.context.new_cdp_session(page)
    tree = cdp.send("Accessibility.getFullAXTree")["nodes"]
    names = [n["name"]["value"] for n in tree if n.get("role", {}).get("value") == "button" and "name" in n]
    assert "Evaluation 2 papers" in names and not [n for n in names if "✓" in n], names
    expect(status).to_have_text("Showing the 2 papers tagged Evaluation (of 5 on this page).")
    expect(page.locator(".paper-list > li:visible")).to_have_count(2)
    expect(page.locator(".paper-list > li:visible h3").last).to_have_text("Web Agent Evaluation in the Wild")
    assert page.url == day + "#tag=evaluation"
    chips.get_by_role("button", name="Agents 1 paper").click()  # another tag takes its place
    expect(status).to_have_text("Showing the one paper tagged Agents (of 5 on this page).")
    expect(evaluation).to_have_attribute("aria-pressed", "false")
    page.go_back()
    expect(status).to_have_text("Showing the 2 papers tagged Evaluation (of 5 on this page).")
    expect(evaluation).to_have_attribute("aria-pressed", "true")
    page.go_back()
    expect(status).to_have_text("Showing all 5 papers.")
    expect(page.locator(".paper-list > li:visible")).to_have_count(5)
    assert page.url == day
    page.go_forward()
    expect(page.locator(".paper-list > li:visible")).to_have_count(2)

    # A shared link opens filtered; "Show all papers" undoes it, focus back on the tag.
    page.goto(base + "archive/2025/03-12.html#tag=inference")
    expect(status).to_have_text("Showing the 2 papers tagged Efficient Inference (of 4 on this page).")
    chips.get_by_role("button", name="Show all papers").click()
    expect(page.locator(".paper-list > li:visible")).to_have_count(4)
    expect(chips.get_by_role("button", name="Efficient Inference 2 papers")).to_be_focused()
    expect(chips.get_by_role("button", name="Show all papers")).to_be_hidden()
    page.keyboard.press("Enter")  # the chip, from the keyboard
    expect(status).to_have_text("Showing the 2 papers tagged Efficient Inference (of 4 on this page).")
    page.keyboard.press("Space")  # pressed again: all papers
    expect(status).to_have_text("Showing all 4 papers.")
    page.goto(base + "archive/2025/03-11.html#tag=no-such-tag")  # an unknown tag: everything
    expect(page.locator(".paper-list > li:visible")).to_have_count(4)
    expect(page.locator(".tag-filter button[aria-pressed=true]")).to_have_count(0)
    expect(status).to_have_text("")
    assert page.problems == []


def test_a_week_page_filters_and_hides_the_days_left_empty(open_page: Callable[..., Any], base: str) -> None:
    page = open_page()
    page.goto(base + "archive/2025/w11.html")
    chips = page.locator(".tag-filter")
    chips.get_by_role("button", name="quantum-stuff 1 paper").click()
    expect(chips.get_by_role("status")).to_have_text(
        "Showing the one paper tagged quantum-stuff (of 12 on this page)."
    )
    expect(page.locator("section.day:visible h2")).to_have_count(1)
    expect(page.locator("section.day:visible h2 time")).to_have_text("Mar 10, 2025")
    expect(page.locator(".paper-titles > li:visible > a")).to_have_text(["Quantum Annealing for Attention"])
    chips.get_by_role("button", name="Agents 3 papers").click()
    expect(page.locator("section.day:visible")).to_have_count(3)
    expect(page.locator(".paper-titles > li:visible")).to_have_count(3)
    assert page.url.endswith("w11.html#tag=agents")
    assert page.problems == []


def test_without_javascript_the_tags_of_a_day_are_links(open_page: Callable[..., Any], base: str) -> None:
    page = open_page(java_script_enabled=False)
    page.goto(base + "archive/2025/03-10.html")
    page.locator(".tag-filter").get_by_role("link", name="Evaluation 2 papers").click()
    expect(page).to_have_url(base + "tags/evaluation.html")
    assert page.problems == []


def test_a_filtered_day_page_passes_axe(open_page: Callable[..., Any], site_server: str) -> None:
    page = open_page(bypass_csp=True)
    page.goto(site_server + "archive/2025/03-10.html#tag=evaluation")
    expect(page.locator(".tag-filter").get_by_role("status")).to_have_text(
        "Showing the 2 papers tagged Evaluation (of 5 on this page)."
    )
    assert run_axe(page) == []
    page.set_viewport_size({"width": 360, "height": 740})  # a phone: the chips scroll sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert run_axe(page) == []
    assert page.problems == []

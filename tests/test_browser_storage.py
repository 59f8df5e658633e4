"""The reader's tools when the browser's storage misbehaves, in Chromium from file:// and
over HTTP under /some-repo/: storage full (filled with junk to its real quota, or an import
too big for it), storage blocked, and values under the site's keys that reading.js did not
write. The page must go on working, say plainly what was not kept, and keep the list the
reader has.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PAPER = "papers/paged-attention-revisited.html"
OTHER = "papers/agents-that-plan-with-tools.html"

# Fills this origin's localStorage to the last character with keys that are not the site's,
# as another site on the same origin (file://, user.github.io) may have: Chromium's real
# quota, no stand-in for it.
FILL_STORAGE = """() => {
  let size = 1 << 20, i = 0;
  while (size >= 1) {
    try { localStorage.setItem("other-app:" + i, "x".repeat(size)); i++; } catch (e) { size = size >> 1; }
  }
}"""

BLOCKED = (
    "Object.defineProperty(window, 'localStorage', "
    "{get() { throw new DOMException('denied', 'SecurityError'); }})"
)


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, built_site: Path) -> str:
    if request.param == "file":
        return built_site.as_uri() + "/"
    return request.getfixturevalue("site_server")


def saved_titles(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("#saved-list > li .saved-title").all_inner_texts()]


def test_an_import_into_full_storage_says_it_was_not_kept(
    open_page: Callable[..., Any], base: str, tmp_path: Path
) -> None:
    """With the browser's storage full, an import said "Imported 1 paper" and nothing was kept."""
    page = open_page()
    page.goto(base + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    page.evaluate(FILL_STORAGE)
    page.goto(base + "saved.html")
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"saved": [{"slug": "agents-that-plan-with-tools", "title": "Agents"}]}))
    page.set_input_files("#saved-import", str(export))
    expect(page.locator("#saved-status")).to_have_text(
        "Not imported: this browser keeps no more for this site (its storage is full). Your list is as it was."
    )
    assert saved_titles(page) == ["Paged Attention Revisited"]
    page.reload()
    expect(page.locator("#saved-status")).to_have_text("1 saved paper")
    assert page.problems == []


def test_an_import_too_big_for_the_storage_leaves_the_list_as_it_was(
    open_page: Callable[..., Any], site_server: str, tmp_path: Path
) -> None:
    """An 8 MB export (60,000 papers) said "Imported 60000 papers" over an empty list: a
    browser keeps about 5 MB a site."""
    page = open_page()
    page.goto(site_server + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    page.goto(site_server + "saved.html")
    big = tmp_path / "big.json"
    items = [
        {"slug": f"paper-{i}", "title": f"A Long Title of Paper Number {i:05d} " * 3} for i in range(60_000)
    ]
    big.write_text(json.dumps({"format": "site_builder saved papers", "version": 1, "saved": items}))
    assert big.stat().st_size > 8_000_000
    page.set_input_files("#saved-import", str(big))
    expect(page.locator("#saved-status")).to_contain_text("Not imported: this browser keeps no more")
    assert saved_titles(page) == ["Paged Attention Revisited"]
    assert page.problems == []


def test_with_site_data_blocked_every_save_says_why_it_did_not_take(
    open_page: Callable[..., Any], base: str, tmp_path: Path
) -> None:
    """With site data blocked, saved.html said "No saved papers yet." (as if the reader's
    list were gone), an import said "Imported 1 paper", and a Save "this browser keeps no
    more", as if storage were full."""
    page = open_page()
    page.add_init_script(BLOCKED)
    page.goto(base + "saved.html")
    blocked = (
        "This browser keeps no data for this site (site data is blocked), so papers cannot be saved here."
    )
    expect(page.locator("#saved-status")).to_have_text(blocked)
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"saved": [{"slug": "agents-that-plan-with-tools", "title": "Agents"}]}))
    page.set_input_files("#saved-import", str(export))
    expect(page.locator("#saved-status")).to_have_text(
        "Not imported: this browser keeps no data for this site (site data is blocked)."
    )
    assert saved_titles(page) == []

    page.goto(base + "saved.html#share=agents-that-plan-with-tools,paged-attention-revisited")
    page.get_by_role("button", name="Save all 2").click()
    expect(page.locator("#shared-status")).to_have_text(
        "None saved: this browser keeps no data for this site (site data is blocked)."
    )
    page.goto(base + PAPER)
    button = page.locator(".paper-actions button[data-save]")
    button.click()
    expect(button).to_have_text("Not saved: this browser keeps no data for this site")
    assert page.problems == []


def test_save_all_into_full_storage_says_none_was_saved(open_page: Callable[..., Any], base: str) -> None:
    """The list is written once: when it does not fit, no paper of the link is saved, and
    "Not all saved" said some were."""
    page = open_page()
    page.goto(base + "saved.html")
    page.evaluate(FILL_STORAGE)
    page.goto(base + "saved.html#share=agents-that-plan-with-tools,paged-attention-revisited")
    page.get_by_role("button", name="Save all 2").click()
    expect(page.locator("#shared-status")).to_have_text(
        "None saved: this browser keeps no more for this site (its storage is full)."
    )
    expect(page.get_by_role("button", name="Save all 2")).to_be_enabled()
    assert saved_titles(page) == []
    assert page.problems == []


def store(page: Any, name: str, raw: str) -> None:
    """Put `raw` under the site's key `name`, as another program or an older copy might."""
    page.evaluate(
        """([name, raw]) => localStorage.setItem("site_builder:" +
             new URL(document.body.getAttribute("data-root") || "./", location.href).pathname + ":" + name, raw)""",
        [name, raw],
    )


@pytest.mark.parametrize("raw", ['"titles"', "5", "[true]"])
def test_a_list_view_kept_in_another_form_still_toggles(
    open_page: Callable[..., Any], site_server: str, raw: str
) -> None:
    """A "view" value reading.js did not write (a string, a number) threw "Cannot create
    property 'titles' on string" at every press of "Titles only", which did nothing; a list
    lost the choice at the next write."""
    page = open_page()
    page.goto(site_server + "index.html")
    store(page, "view", raw)
    page.reload()
    titles = page.get_by_role("button", name="Titles only")
    titles.click()
    expect(titles).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.get_by_role("button", name="Titles only")).to_have_attribute("aria-pressed", "true")
    assert page.problems == []


@pytest.mark.parametrize("payload", ["%E0%A4%A", "Not%20A%20Slug,..,@2025-01-01", "x-" * 20_000 + "@"])
def test_a_shared_link_with_nothing_readable_says_so(
    open_page: Callable[..., Any], base: str, payload: str
) -> None:
    """A shared link mangled on its way (cut short, its letters changed by a chat program)
    opened the plain saved page: the reader was told nothing of the list they were sent."""
    page = open_page()
    page.goto(base + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    page.goto(base + "saved.html#share=" + payload)
    expect(page.get_by_role("heading", name="A list shared with you")).to_be_visible()
    expect(page.locator("#shared-status")).to_have_text(
        "This link names no paper: it was cut short or changed on its way. Ask for the link again."
    )
    expect(page.locator("#shared-save-all")).to_be_hidden()
    assert saved_titles(page) == ["Paged Attention Revisited"]
    page.evaluate("location.hash = ''")  # back to the plain page
    expect(page.locator("#shared")).to_be_hidden()
    assert page.problems == []


def stored(page: Any, name: str) -> Any:
    """The site's key `name` as kept, or None."""
    return page.evaluate(
        """(name) => localStorage.getItem("site_builder:" +
             new URL(document.body.getAttribute("data-root") || "./", location.href).pathname + ":" + name)""",
        name,
    )


UNREADABLE = '{"papers": ["kept-by-a-later-version"]}'


def test_a_saved_list_this_page_cannot_read_is_kept_and_offered_for_download(
    open_page: Callable[..., Any], base: str, tmp_path: Path
) -> None:
    """A saved list the page could not read (damaged, or kept by another version of the
    site) showed as "No saved papers yet.", and the next Save wrote over it: the reader's
    list was gone for good."""
    page = open_page()
    page.goto(base + PAPER)
    store(page, "saved", UNREADABLE)
    page.reload()
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    page.goto(base + "saved.html")
    assert saved_titles(page) == ["Paged Attention Revisited"]
    note = page.locator("#saved-unreadable")
    expect(note).to_contain_text("This browser also holds a saved list this page cannot read")
    with page.expect_download() as download:
        note.get_by_role("button", name="Download it").click()
    path = tmp_path / "unreadable.txt"
    download.value.save_as(path)
    assert path.read_text() == UNREADABLE + "\n"
    page.reload()  # said again until the reader lets it go
    note.get_by_role("button", name="Delete it").click()
    expect(note).to_have_count(0)
    assert stored(page, "saved-unreadable") is None
    assert saved_titles(page) == ["Paged Attention Revisited"]
    assert page.problems == []


def test_an_unreadable_saved_list_is_set_aside_before_any_save(
    open_page: Callable[..., Any], site_server: str
) -> None:
    """Found on saved.html itself, before a Save: it is set aside at once, and a Save on
    a full storage, where it cannot be, writes nothing over it."""
    page = open_page()
    page.goto(site_server + "saved.html")
    store(page, "saved", "not json [")
    page.reload()
    expect(page.locator("#saved-unreadable")).to_be_visible()
    assert json.loads(stored(page, "saved-unreadable")) == ["not json ["]
    page.evaluate("() => localStorage.clear()")
    store(page, "saved", "[1, 2")
    page.evaluate(FILL_STORAGE)
    page.goto(site_server + PAPER)
    button = page.locator(".paper-actions button[data-save]")
    button.click()
    expect(button).to_have_text("Not saved: this browser keeps no more")
    assert stored(page, "saved") == "[1, 2"
    assert page.problems == []


def test_a_damaged_set_aside_value_is_kept_beside_the_next_one(
    open_page: Callable[..., Any], site_server: str
) -> None:
    """A set-aside value that was itself damaged was dropped by the next set-aside, which wrote
    a fresh list over it."""
    page = open_page()
    page.goto(site_server + "saved.html")
    store(page, "saved-unreadable", "{damaged")
    store(page, "saved", "[1, 2")
    page.reload()
    expect(page.locator("#saved-unreadable")).to_be_visible()
    assert json.loads(stored(page, "saved-unreadable")) == ["{damaged", "[1, 2"]
    assert page.problems == []


# Safari's private mode of old: the list reads, and every write throws that storage is full.
NO_WRITES = (
    "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }"
)


def test_a_remove_that_is_not_written_says_so(open_page: Callable[..., Any], base: str) -> None:
    """Where storage takes no writes, a Remove said "Removed …" while the paper stayed, and
    the paper page's button said "Not saved" of an unsave."""
    page = open_page()
    page.goto(base + PAPER)
    page.locator(".paper-actions").get_by_role("button", name="Save").click()
    page.add_init_script(NO_WRITES)
    page.goto(base + "saved.html")
    page.get_by_role("button", name="Remove Paged Attention Revisited").click()
    expect(page.locator("#saved-status")).to_have_text(
        "Not removed: this browser keeps no more for this site (its storage is full)."
    )
    assert saved_titles(page) == ["Paged Attention Revisited"]
    page.goto(base + PAPER)
    button = page.locator(".paper-actions button[data-save]")
    button.click()
    expect(button).to_have_text("Not removed: this browser keeps no more")
    assert page.problems == []

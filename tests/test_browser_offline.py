"""The offline copy in a real browser: the zip unzipped, its home page opened from file://,
search finding papers and a paper saved, with nothing loaded from elsewhere."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_site

from site_builder.build.pipeline import build_site

pytestmark = pytest.mark.browser


def test_the_unzipped_copy_opens_from_disk_and_search_finds_papers(
    open_page: Callable[..., Any], tmp_path: Path
) -> None:
    site = copy_site(tmp_path / "site")
    build_site(site, offline_copy="true")  # as the Pages workflow builds it
    downloads = tmp_path / "Downloads"
    with zipfile.ZipFile(site / "_site" / "fixture-papers.zip") as archive:
        archive.extractall(downloads)
    assert [p.name for p in downloads.iterdir()] == ["fixture-papers"]  # one folder, no spill
    home = (downloads / "fixture-papers" / "index.html").as_uri()
    page = open_page()
    page.goto(home)
    page.fill("#site-search-input", "agents")
    page.wait_for_selector("#search-popup:not([hidden]) a")
    page.goto(home.removesuffix("index.html") + "search.html?q=agents")
    page.wait_for_selector('#search-results[aria-busy="false"]')
    hits = page.eval_on_selector_all("#search-results a.search-hit", "links => links.map(a => a.href)")
    assert hits and all(h.startswith(home.removesuffix("index.html") + "papers/") for h in hits)
    # The footer's link leads to the published site's zip, a newer copy: the copy holds no zip.
    footer = page.locator(".offline-copy a")
    assert footer.get_attribute("href") == "https://example.org/some-repo/fixture-papers.zip"
    assert footer.inner_text() == "Download the newest copy of this site (zip)"
    assert not (downloads / "fixture-papers" / "fixture-papers.zip").exists()
    page.locator("#search-results [data-save]").first.click()  # the saved list works there too
    page.goto(home.removesuffix("index.html") + "saved.html")
    page.wait_for_selector("#saved-list li")
    assert page.problems == []

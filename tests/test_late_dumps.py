"""A dump added late (a scraper missed a day; a person backfills it): its papers keep their
listing day, and reach the feeds, the sitemap and the "new" marks on the day they came.

Before `added:`, a feed held the newest listing days only, so a reader subscribed to it
never saw a late day's papers; nor did the "new since your last visit" marks show them.
"""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_site
from ingest_helpers import DATA, make_site, run_cli
from playwright.sync_api import expect

from site_builder.build.pipeline import build_site
from site_builder.ingest.pipeline import run_ingest

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LATE = "rotated-4-bit-quantization-for-llms.md"  # new in the Mar 13 dump, which comes last
RELISTED = "quickserve-prefix-aware-batching-for-llm-serving.md"  # listed Mar 12, again Mar 13


def on_day(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    stamp = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(stamp)))


@pytest.fixture
def late_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site of the Mar 12 and Mar 14 dumps, ingested on Mar 14; then the Mar 13 dump added
    and ingested the same day. Its feeds hold one paper and the rest of that one's day."""
    on_day(monkeypatch, "2024-03-14")
    site = make_site(tmp_path / "site")
    (site / "content" / "site.yaml").write_text("feed_size: 1\nbase_url: https://example.org/\n")
    for name in ("2024-03-12.txt", "2024-03-14.txt"):
        shutil.copy(DATA / "dumps" / name, site / "content" / "sources" / name)
    assert not run_ingest(site).failed
    assert not any("\nadded:" in p.read_text() for p in (site / "content" / "papers").glob("*.md"))
    shutil.copy(DATA / "dumps" / "2024-03-13.txt", site / "content" / "sources")
    assert not run_ingest(site).failed
    return site


def page_text(site: Path, name: str) -> str:
    return (site / "content" / "papers" / name).read_text(encoding="utf-8")


def test_a_late_dumps_new_paper_is_added_on_the_day_it_came(late_site: Path) -> None:
    papers = late_site / "content" / "papers"
    added = {
        p.name: m[1] for p in papers.glob("*.md") if (m := re.search(r"(?m)^added: (.*)$", p.read_text()))
    }
    assert added == {LATE: "2024-03-14"}  # not the paper the late dump lists again
    assert "listed: 2024-03-13}" in page_text(late_site, LATE)


def test_the_feed_holds_a_late_dumps_papers_with_the_day_they_came(late_site: Path) -> None:
    build_site(late_site, cache=False)
    feed = ET.parse(late_site / "_site" / "feed.xml").getroot()
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.iter(f"{ATOM}entry")}
    late = entries["Rotated 4-bit Quantization for LLMs"]  # listed Mar 13, older than the feed's day
    assert late.findtext(f"{ATOM}published") == "2024-03-13T12:00:00Z"
    assert late.findtext(f"{ATOM}updated") == "2024-03-14T12:00:00Z"
    assert "QUICKSERVE: Prefix‐Aware Batching for llm Serving." not in entries  # relisted, not new
    sitemap = ET.parse(late_site / "_site" / "sitemap.xml").getroot()
    lastmod = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in sitemap}
    assert lastmod["https://example.org/papers/" + LATE.replace(".md", ".html")] == "2024-03-14"


def test_added_is_written_once_and_a_persons_change_to_it_stays(
    late_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_day(monkeypatch, "2024-03-20")  # days later, nothing new: nothing moves
    before = {p.name: p.read_bytes() for p in (late_site / "content" / "papers").glob("*.md")}
    assert run_ingest(late_site).changed == []
    page = late_site / "content" / "papers" / LATE
    page.write_text(page_text(late_site, LATE).replace("added: 2024-03-14\n", ""), encoding="utf-8")
    page_before = page.read_bytes()
    result = run_ingest(late_site)  # taken off by hand: ingest does not put it back
    assert result.changed == [] and page.read_bytes() == page_before
    assert before[RELISTED] == (late_site / "content" / "papers" / RELISTED).read_bytes()


def test_a_catch_up_run_s_late_and_newest_papers_all_reach_the_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saturday's run catches up on Wednesday's and Thursday's dumps. Dated by the clock,
    Wednesday's papers came on Saturday, after Thursday's, and a feed of that day left
    Thursday's out for good (a code review). Late papers join the newest day; so does a
    paper added later to a dump the site already has (a paste finished the next day)."""
    on_day(monkeypatch, "2024-03-12")
    site = make_site(tmp_path / "site")
    (site / "content" / "site.yaml").write_text("feed_size: 1\n")
    shutil.copy(DATA / "dumps" / "2024-03-12.txt", site / "content" / "sources")
    assert not run_ingest(site).failed
    on_day(monkeypatch, "2024-03-16")
    for name in ("2024-03-13.txt", "2024-03-14.txt"):
        shutil.copy(DATA / "dumps" / name, site / "content" / "sources" / name)
    first = site / "content" / "sources" / "2024-03-12.txt"
    first.write_text(first.read_text() + "\nA Late Entry on Tables\n\nWe read tables with a small model.\n")
    assert not run_ingest(site).failed
    assert "\nadded: 2024-03-14\n" in page_text(site, LATE)
    assert "\nadded: 2024-03-14\n" in page_text(site, "a-late-entry-on-tables.md")
    build_site(site, cache=False)
    feed = ET.parse(site / "_site" / "feed.xml").getroot()
    titles = {e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")}
    assert titles == {
        "A Benchmark for Legal RAG",  # Mar 14's new papers ...
        "Rotated 8-bit Quantization for LLMs",
        "Rotated 4-bit Quantization for LLMs",  # ... and the late ones beside them
        "A Late Entry on Tables",
    }
    assert feed.findtext(f"{ATOM}updated") == "2024-03-14T12:00:00Z"


def test_a_late_dump_beside_a_dump_dated_ahead_of_the_clock_reaches_the_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dump of an earlier time zone is dated a day ahead of the clock; a late dump beside
    it was added on the clock's day, under the newest day, and never reached the feed (a
    code review)."""
    on_day(monkeypatch, "2024-03-12")
    site = make_site(tmp_path / "site")
    (site / "content" / "site.yaml").write_text("feed_size: 1\n")
    shutil.copy(DATA / "dumps" / "2024-03-12.txt", site / "content" / "sources")
    assert not run_ingest(site).failed
    on_day(monkeypatch, "2024-03-13")  # the Mar 14 dump, a day ahead; the Mar 13 one late
    for name in ("2024-03-13.txt", "2024-03-14.txt"):
        shutil.copy(DATA / "dumps" / name, site / "content" / "sources" / name)
    assert not run_ingest(site).failed
    assert "\nadded: 2024-03-14\n" in page_text(site, LATE)
    build_site(site, cache=False)
    titles = [
        e.findtext(f"{ATOM}title")
        for e in ET.parse(site / "_site" / "feed.xml").getroot().iter(f"{ATOM}entry")
    ]
    assert "Rotated 4-bit Quantization for LLMs" in titles


def test_a_page_deleted_by_hand_comes_back_without_a_day_added(
    late_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made again from a dump the site has, it is no new paper: it came back with `added:`,
    and the feed announced a paper of days before again (a code review)."""
    on_day(monkeypatch, "2024-03-16")
    git = ["git", "-C", str(late_site), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "site"]):
        subprocess.run([*git, *args], check=True)
    for name in (RELISTED, LATE):
        (late_site / "content" / "papers" / name).unlink()
    assert not run_ingest(late_site).failed
    assert "\nadded:" not in page_text(late_site, RELISTED)
    assert "\nadded: 2024-03-14\n" not in page_text(late_site, LATE)  # (its own was deleted with it)


def test_a_page_deleted_with_git_rm_comes_back_without_a_day_added(
    late_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`git rm` stages the deletion; the last commit still holds the page. It came back with
    `added:` (git's index no longer listed it), and the feed announced it again (a soak test)."""
    on_day(monkeypatch, "2024-03-16")
    git = ["git", "-C", str(late_site), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "site"]):
        subprocess.run([*git, *args], check=True)
    subprocess.run([*git, "rm", "-q", f"content/papers/{RELISTED}"], check=True)
    assert not run_ingest(late_site).failed
    assert "\nadded:" not in page_text(late_site, RELISTED)


def test_an_added_day_ahead_of_the_clock_is_a_warning(
    late_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`added: 2062-03-14` headed the feeds, and readers' browsers kept 2062 as the last day
    seen, so nothing was marked new again (a code review)."""
    page = late_site / "content" / "papers" / LATE
    text = page_text(late_site, LATE).replace("added: 2024-03-14", "added: 2062-03-14")
    page.write_text(text, encoding="utf-8")
    line = text.splitlines().index("added: 2062-03-14") + 1
    messages = [p.format() for p in run_ingest(late_site).problems]
    assert any(
        m.startswith(f"content/papers/{LATE}:{line}: warning: 'added' 2062-03-14 is after today")
        for m in messages
    )


@pytest.mark.parametrize("mine", ["", "---\ntitle: My own note\ndate: 2024-01-05\n---\nWritten by me.\n"])
def test_a_first_import_of_many_days_adds_no_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mine: str
) -> None:
    """Also beside a page a person wrote and dated: it lists none of the dumps' days."""
    on_day(monkeypatch, "2024-03-14")
    site = make_site(tmp_path / "site", "dumps")
    if mine:
        (site / "content" / "papers" / "my-note.md").write_text(mine, encoding="utf-8")
    assert not run_ingest(site).failed
    assert not any("\nadded:" in p.read_text() for p in (site / "content" / "papers").glob("*.md"))


def test_an_added_value_that_is_no_day_is_reported_at_its_line(
    late_site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = late_site / "content" / "papers" / LATE
    text = page_text(late_site, LATE).replace("added: 2024-03-14", "added: last tuesday")
    page.write_text(text, encoding="utf-8")
    line = text.splitlines().index("added: last tuesday") + 1
    monkeypatch.chdir(late_site)
    code, out, err = run_cli(capsys, "build")
    assert code == 0
    assert (
        f"content/papers/{LATE}:{line}: warning: 'added' is the day the paper came to the site" in out + err
    )
    feed = ET.parse(late_site / "_site" / "feed.xml").getroot()  # placed by its listing, as before
    assert "Rotated 4-bit Quantization for LLMs" not in [
        e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")
    ]


@pytest.mark.browser
def test_a_paper_added_to_an_older_day_is_marked_new(open_page: Callable[..., Any], tmp_path: Path) -> None:
    """A reader who last saw Mar 11 sees Mar 12 marked new, and on Mar 11 (the day before)
    only the one paper a late dump brought on Mar 12."""
    site = copy_site(tmp_path / "site")
    page = site / "content" / "papers" / "chain-of-thought-distillation-for-small-models.md"
    text = page.read_text(encoding="utf-8")
    assert "listed: 2025-03-11}" in text
    page.write_text(text.replace("\ngenerated:", "\nadded: 2025-03-12\ngenerated:", 1), encoding="utf-8")
    build_site(site, cache=False)
    reader = open_page()
    reader.goto((site / "_site" / "index.html").as_uri())
    expect(reader.locator(".new-mark")).to_have_count(0)  # a first visit
    reader.evaluate(
        """() => { for (const key of Object.keys(localStorage)) {
                     if (key.endsWith(':seen')) localStorage.setItem(key, JSON.stringify('2025-03-11'));
                     if (key.endsWith(':visit')) localStorage.removeItem(key); } }"""
    )
    reader.goto((site / "_site" / "index.html").as_uri())  # the front page: Mar 12's papers
    expect(reader.locator("section.day.is-new time")).to_have_text(["Mar 12, 2025"])
    for path in ("page/2.html", "archive/2025/03-11.html"):
        reader.goto((site / "_site" / path).as_uri())
        expect(reader.locator(".is-new")).to_have_count(1)
        expect(reader.locator(".paper-item.is-new h3 a")).to_have_text(
            ["Chain-of-Thought Distillation for Small Models"]
        )
    reader.goto((site / "_site" / "archive/2025/w11.html").as_uri())  # a week lists titles only
    expect(reader.locator("li.is-new > a")).to_have_text(["Chain-of-Thought Distillation for Small Models"])
    expect(reader.locator("li.is-new > a + .new-mark")).to_have_count(1)
    assert reader.problems == []

"""A site's daily life across a new year: one dump a day, each ingested on its own day.

The dumps say only `Dec 30`, `Jan 2`, …; the clock (SOURCE_DATE_EPOCH) steps a day at a
time. The site must keep newest-first order across the year boundary, real feed dates,
an archive page per day, week and month, pages that a re-ingest leaves alone, and a
number of changed files per day that does not grow with the site.
"""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from helpers import read_dom, write_report

from bench.living_site import Life, live

ATOM = "{http://www.w3.org/2005/Atom}"
START = datetime.date(2025, 12, 20)
DAYS = 24  # to 2026-01-12
PER_DAY = 3


@pytest.fixture(scope="module")
def life(tmp_path_factory: pytest.TempPathFactory) -> Life:
    return live(tmp_path_factory.mktemp("living") / "site", START, DAYS, PER_DAY)


def day_of(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text[:10])


def test_home_is_newest_first_across_the_new_year(life: Life) -> None:
    dom = read_dom(life.root / "_site" / "index.html")
    days = [day_of(t.attrs["datetime"]) for t in dom.find("main").iter("time")]
    assert days and days == sorted(days, reverse=True)
    assert days[0] == START + datetime.timedelta(days=DAYS - 1) == datetime.date(2026, 1, 12)


def test_every_page_of_the_home_list_is_in_order_and_older_than_the_one_before(life: Life) -> None:
    out = life.root / "_site"
    order: list[datetime.date] = []
    path: str | None = "index.html"
    while path:
        dom = read_dom(out / path)
        order += [day_of(t.attrs["datetime"]) for t in dom.find("main").iter("time")]
        older = [a for a in dom.iter("a") if a.attrs.get("rel") == "next"]
        path = older[0].attrs["href"].replace("../", "") if older else None
    assert order == sorted(order, reverse=True)
    assert order[-1] == START and len(set(order)) == DAYS


def test_feed_dates_are_real_and_newest_first(life: Life) -> None:
    feed = ET.parse(life.root / "_site" / "feed.xml").getroot()
    updated = [day_of(e.findtext(f"{ATOM}updated") or "") for e in feed.iter(f"{ATOM}entry")]
    published = [day_of(e.findtext(f"{ATOM}published") or "") for e in feed.iter(f"{ATOM}entry")]
    assert updated == sorted(updated, reverse=True) and updated[0] == datetime.date(2026, 1, 12)
    assert published == updated  # each paper was listed once
    assert {d.year for d in updated} <= {2025, 2026} and day_of(
        feed.findtext(f"{ATOM}updated") or ""
    ) == updated[0]
    assert "1970" not in (life.root / "_site" / "feed.xml").read_text(encoding="utf-8")


def test_the_sitemap_has_lastmod_dates(life: Life) -> None:
    sitemap = ET.parse(life.root / "_site" / "sitemap.xml").getroot()
    urls = list(sitemap)
    assert urls and all(u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}lastmod") for u in urls)


def test_every_day_week_and_month_has_its_archive_page(life: Life) -> None:
    out = life.root / "_site" / "archive"
    for n in range(DAYS):
        day = START + datetime.timedelta(days=n)
        page = read_dom(out / f"{day.year}" / f"{day.month:02d}-{day.day:02d}.html")
        assert len(page.find("main").find_all("li", class_="paper-item")) == PER_DAY
    assert (out / "2025" / "12.html").is_file() and (out / "2026" / "01.html").is_file()
    assert (out / "2026" / "w01.html").is_file()  # Dec 29, 2025 – Jan 4, 2026: ISO week 1 of 2026
    index = read_dom(out / "index.html")
    assert [h.text() for h in index.find_all("h2") if h.attrs.get("id", "").startswith("year-")] == [
        "2026",
        "2025",
    ]


def test_a_second_ingest_on_the_same_day_changes_nothing(life: Life) -> None:
    assert [d.reingest_changed for d in life.days] == [0] * DAYS


def test_the_files_a_day_writes_do_not_grow_with_the_site(life: Life, request: pytest.FixtureRequest) -> None:
    early = [d.written for d in life.days[4:10]]
    late = [d.written for d in life.days[-6:]]
    lines = [
        f"{d.date}: +{d.added} new, {d.changed} changed, -{d.removed} removed of {d.files} files"
        for d in life.days
    ]
    write_report(request, lines[-4:], "test_living_site")
    assert life.days[-1].files > 2 * life.days[5].files  # the site did grow …
    assert max(late) <= max(early) * 1.5 + 10  # … but not what a day rewrites

"""Date archives: each listing day's page shows its papers as that day's listing did."""

from __future__ import annotations

import datetime

from site_builder.build.archive import build_archive
from site_builder.build.layout import listing_order
from site_builder.core.model import Page, Source

D = datetime.date


def page(slug: str, *sources: tuple[str, int, str]) -> Page:
    return Page(slug, slug.title(), "body", (), (), tuple(Source(*s) for s in sources))


def test_a_paper_relisted_later_keeps_its_place_on_the_older_day() -> None:
    """A paper of Feb 5 relisted on Jan 1 jumped to the top of Feb 5's page (the site's
    order puts it under its newest day first), changing a page the new day should not."""
    pages = [
        page("first", ("feb.txt", 7, "2026-02-05")),
        page("relisted", ("feb.txt", 27, "2026-02-05"), ("jan.txt", 7, "2027-01-01")),
        page("second", ("feb.txt", 17, "2026-02-05")),
    ]
    archive = build_archive(listing_order(pages))
    for kind in ("day", "week", "month"):
        feb = next(
            p for p in archive.of_kind(kind) if p.start <= D(2026, 2, 5) < p.start + datetime.timedelta(31)
        )
        assert [p.slug for _, papers in feb.days for p in papers] == ["first", "second", "relisted"]
    newest = archive.of_kind("day")[0]
    assert (newest.start, [p.slug for p in newest.days[0][1]]) == (D(2027, 1, 1), ["relisted"])


def test_a_paper_listed_twice_on_a_day_is_placed_by_its_first_listing() -> None:
    pages = [
        page("twice", ("a.txt", 40, "2026-03-02"), ("b.txt", 3, "2026-03-02")),
        page("once", ("a.txt", 20, "2026-03-02")),
    ]
    day = build_archive(listing_order(pages)).of_kind("day")[0]
    assert [p.slug for p in day.days[0][1]] == ["once", "twice"]  # a.txt:20 before a.txt:40


def test_a_month_says_how_many_of_a_days_papers_it_shows_under_that_day() -> None:
    """A month shows each paper once, under its newest day: Mar 13 showed 76 where its own
    page listed 93, and "All 76 papers of Mar 13" led to a page of 93 (a reviewer)."""
    pages = [
        page("both", ("a.txt", 7, "2026-03-13"), ("b.txt", 7, "2026-03-14")),
        page("first", ("a.txt", 9, "2026-03-13")),
        page("later", ("b.txt", 9, "2026-03-14")),
    ]
    archive = build_archive(listing_order(pages))
    march = next(p for p in archive.of_kind("month") if p.start == D(2026, 3, 1))
    shown = [(day, [p.slug for p in papers]) for day, papers in march.days]
    assert shown == [(D(2026, 3, 14), ["both", "later"]), (D(2026, 3, 13), ["first"])]
    assert march.listed == (2, 2)  # Mar 13 listed two papers; the month shows one under it


def test_a_week_across_new_year_belongs_to_the_month_of_its_thursday() -> None:
    """Week 53 of 2026 (Dec 28 – Jan 3) said "Archive › December 2026" until Jan 1 was
    listed, then "January 2027" (a reviewer): its breadcrumb followed the newest day. ISO
    weeks belong where their Thursday is, when the week lists a day of that month."""
    december = page("december", ("a.txt", 7, "2026-12-30"))
    january = page("january", ("b.txt", 7, "2027-01-02"))
    for pages in ([december], [december, january]):
        week = build_archive(listing_order(pages)).of_kind("week")[0]
        assert (week.start, week.month) == (D(2026, 12, 28), D(2026, 12, 31))
    # A week listing only January days names January: December has no page to lead to.
    week = build_archive(listing_order([january])).of_kind("week")[0]
    assert (week.start, week.month) == (D(2026, 12, 28), D(2027, 1, 2))


def test_a_week_across_new_year_names_both_years() -> None:
    """A reviewer's "the latest week" led to "Week 1 of 2026 (Dec 29 – Jan 4)" on a site
    with no paper of 2026: read as a week of 2026 alone."""
    week = build_archive(listing_order([page("late", ("a.txt", 7, "2025-12-31"))])).of_kind("week")[0]
    assert week.title == "Week 1 of 2026 (Dec 29, 2025 – Jan 4, 2026)"
    march = build_archive(listing_order([page("march", ("a.txt", 7, "2025-03-12"))])).of_kind("week")[0]
    assert march.title == "Week 11 of 2025 (Mar 10 – Mar 16)"


def test_a_page_a_person_wrote_is_on_the_day_its_date_gives() -> None:
    """A page with `date:` and no listing was on no archive page and listed after every paper."""
    mine = Page("mine", "Mine", "body", extra={"date": D(2026, 3, 14)})
    pages = [page("older", ("a.txt", 3, "2026-03-13")), mine, page("newer", ("b.txt", 3, "2026-03-15"))]
    ordered = listing_order(pages)
    assert [p.slug for p in ordered] == ["newer", "mine", "older"]
    archive = build_archive(ordered)
    for kind in ("day", "week", "month"):
        period = next(p for p in archive.of_kind(kind) if p.start <= D(2026, 3, 14))
        assert "mine" in [p.slug for _, papers in period.days for p in papers]

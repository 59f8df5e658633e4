"""Papers per week, the tags rising fastest, and the chart geometry: all from the pages alone."""

from __future__ import annotations

import datetime

from site_builder.build.archive import month_start, week_start
from site_builder.build.trends import (
    Series,
    chart,
    comparable,
    month_chart,
    quiet_periods,
    rising,
    site_weeks,
    tag_months,
    tag_trends,
    week_running,
    weekly,
)
from site_builder.core.model import Page, Source

D = datetime.date


def paper(slug: str, *days: str) -> Page:
    return Page(slug, slug, "", sources=tuple(Source("x.txt", i, d) for i, d in enumerate(days)))


def test_a_paper_counts_once_in_the_week_it_was_first_listed() -> None:
    pages = [
        paper("a", "2025-03-03"),  # Monday of week 10
        paper("b", "2025-03-09", "2025-03-20"),  # Sunday of week 10; listed again later
        paper("c", "2025-03-24"),  # week 13
        paper("undated", ""),
    ]
    weeks = site_weeks(pages)
    assert weeks == (D(2025, 3, 3), D(2025, 3, 10), D(2025, 3, 17), D(2025, 3, 24))
    assert weekly(pages, weeks).counts == (2, 0, 0, 1)
    assert site_weeks([paper("undated", "")]) == ()


def test_trends_per_tag_and_the_fastest_rising() -> None:
    weeks = tuple(D(2025, 1, 6) + datetime.timedelta(weeks=k) for k in range(8))
    series = {
        "steady": Series(weeks, (2, 2, 2, 2, 2, 2, 2, 2)),
        "rising": Series(weeks, (0, 0, 1, 0, 3, 3, 3, 3)),
        "new": Series(weeks, (0, 0, 0, 0, 0, 0, 0, 5)),
        "falling": Series(weeks, (5, 5, 5, 5, 0, 0, 0, 1)),
    }
    assert [(r.name, r.recent, r.before, r.change) for r in rising(series)] == [
        ("rising", 12, 1, 11),
        ("new", 5, 0, 5),
    ]
    assert rising(series, limit=1)[0].name == "rising"
    assert rising({name: s.last(7) for name, s in series.items()}) == []  # too few weeks to say
    # Papers in March and June only: the four weeks before June's had none, not fewer.
    ten = tuple(D(2025, 3, 3) + datetime.timedelta(weeks=k) for k in range(10))
    gap = {"a": Series(ten, (3, 0, 0, 0, 0, 0, 0, 0, 0, 2)), "b": Series(ten, (0,) * 9 + (4,))}
    assert rising(gap) == [] and not comparable(gap)
    gap["b"] = Series(ten, (0, 0, 0, 0, 0, 1, 0, 0, 0, 4))
    assert [r.name for r in rising(gap)] == ["b", "a"] and comparable(gap)
    members = {"b": [paper("x", "2025-01-06")], "a": []}
    assert tag_trends(members, weeks[:2]) == {"a": Series(weeks[:2], (0, 0)), "b": Series(weeks[:2], (1, 0))}


def test_a_chart_shows_the_last_weeks_scaled_to_the_busiest() -> None:
    weeks = tuple(D(2024, 1, 1) + datetime.timedelta(weeks=k) for k in range(60))
    drawn = chart(Series(weeks, tuple(k % 5 for k in range(60))), weeks=52)
    assert len(drawn.bars) == 52 and drawn.rows[0] == (weeks[8], 3) and drawn.peak == 4
    tallest = max(drawn.bars, key=lambda b: b.height)
    assert (tallest.y, tallest.height) == (0.0, drawn.height - drawn.pad)
    assert all(b.y + b.height == drawn.height - drawn.pad for b in drawn.bars)
    assert (drawn.first, drawn.last) == ("Feb 26, 2024", "Feb 17, 2025")
    empty = chart(Series((weeks[0],), (0,)))
    assert [b.height for b in empty.bars] == [0.0]


def test_the_week_still_under_way_is_drawn_apart_and_left_out_of_rising() -> None:
    """A reviewer's trends page ended every chart with a stub bar for a week of three listed
    days, and "rising" counted it, so only 2 of 20 tags rose."""
    assert week_running(D(2025, 12, 31)) and not week_running(D(2026, 1, 4)) and not week_running(None)
    weeks = tuple(D(2025, 11, 3) + datetime.timedelta(weeks=k) for k in range(9))
    steady = Series(weeks, (4, 4, 4, 4, 4, 5, 5, 5, 1), running=True)  # 1 so far this week
    assert [(r.name, r.recent, r.before) for r in rising({"steady": steady})] == [("steady", 19, 16)]
    assert rising({"steady": Series(weeks, steady.counts)}) == []  # counted as a whole week: falling
    drawn = chart(steady)
    assert [b.running for b in drawn.bars] == [False] * 8 + [True]
    assert not drawn.cut and chart(steady, weeks=4).cut
    members = {"a": [paper("x", "2025-11-03")]}
    assert tag_trends(members, weeks, running=True)["a"].running


def test_a_tag_older_than_a_year_is_also_counted_by_month_over_its_whole_history() -> None:
    """A reviewer: on a two-year site the first year showed nowhere (tag pages chart 52
    weeks, trends 26)."""
    pages = [paper("old", "2024-01-15"), paper("mid", "2024-07-01"), paper("new", "2025-03-03")]
    months = tag_months({"a": pages, "young": pages[-1:]}, D(2025, 3, 5))
    assert list(months) == ["a"]  # a history within a tag page's 52 weeks needs no second chart
    series = months["a"]
    assert series.weeks[0] == D(2024, 1, 1) and series.weeks[-1] == D(2025, 3, 1) and len(series.weeks) == 15
    assert series.total == 3 and series.counts[6] == 1 and series.running  # March 2025 so far
    drawn = month_chart(series)
    assert len(drawn.bars) == 15 and (drawn.first, drawn.last) == ("Jan 2024", "Mar 2025")
    assert not tag_months({"a": pages}, D(2025, 3, 31))["a"].running  # the month's last day


def test_a_tag_just_over_a_year_old_gets_its_month_chart() -> None:
    """A reviewer's tag of one paper a day from 2025-03-01 to 2026-02-28: the weekly chart
    began with the week of Mar 3, and no month chart showed Mar 1."""
    pages = [paper(f"p{k}", (D(2025, 3, 1) + datetime.timedelta(days=k)).isoformat()) for k in range(365)]
    newest = D(2026, 2, 28)
    assert len(site_weeks(pages)) > 52 and "a" in tag_months({"a": pages}, newest)
    assert "a" not in tag_months({"a": pages[7:]}, newest)  # 52 weeks exactly: the weekly chart holds them


def test_weeks_the_site_lists_nothing_in_are_gaps_not_zeros() -> None:
    """Dumps of March, then of June: the weeks between were drawn as zero bars, the same as
    "no paper on this topic", and every tag read as collapsed (a review)."""
    pages = [paper("a", "2025-03-03"), paper("b", "2025-03-11"), paper("c", "2025-06-16")]
    weeks = site_weeks(pages)
    quiet = quiet_periods(pages, weeks, week_start)
    assert D(2025, 3, 3) not in quiet and D(2025, 3, 10) not in quiet and D(2025, 6, 16) not in quiet
    assert D(2025, 3, 17) in quiet and D(2025, 6, 9) in quiet and len(quiet) == len(weeks) - 3
    series = tag_trends({"t": [pages[0], pages[2]]}, weeks, quiet=quiet)["t"]
    drawn = chart(series)
    assert [(b.quiet, b.height > 0) for b in drawn.bars][:3] == [(False, True), (False, False), (True, True)]
    assert drawn.rows[1] == (D(2025, 3, 10), 0) and drawn.rows[2] == (D(2025, 3, 17), None)  # "no listings"
    assert not any(b.quiet for b in chart(weekly(pages, weeks)).bars)  # no site weeks given: as before
    months = quiet_periods(pages, [D(2025, 3, 1), D(2025, 4, 1), D(2025, 6, 1)], month_start)
    assert months == {D(2025, 4, 1)}


def test_months_the_site_lists_nothing_in_are_gaps_in_a_long_tags_month_chart() -> None:
    days = ["2024-01-10", "2024-02-10"] + [
        f"{2024 + (m - 1) // 12}-{1 + (m - 1) % 12:02}-10" for m in range(5, 19)
    ]
    pages = [paper(f"p{i}", day) for i, day in enumerate(days)]
    months = tag_months({"t": pages}, D(2025, 6, 10), site=pages)["t"]
    assert months.quiet == {D(2024, 3, 1), D(2024, 4, 1)}
    assert [r for r in month_chart(months).rows if r[1] is None] == [
        (D(2024, 3, 1), None),
        (D(2024, 4, 1), None),
    ]
    assert tag_months({"t": pages}, D(2025, 6, 10))["t"].quiet == frozenset()  # no site given: no gaps

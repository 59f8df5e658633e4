"""Date archives: a page per listing day, per ISO week and per month, and an index of months.

A paper is on the page of every day it was listed (as the daily listings showed it), and
once on each week and month page, under its newest day there. A period's page shows its
papers and links the period before and after it that has papers; nothing on it depends on
other periods' contents, so a new day touches only its own day, week and month pages, the
pages of the period before it (their "newer" link) and the index of months.

    archive/index.html            every month with papers, by year
    archive/2025/03.html          March 2025, day by day (titles; a busy day's first 12, then its link)
    archive/2025/w11.html         ISO week 11 of 2025 (ISO week-year), day by day (titles)
    archive/2025/03-12.html       March 12, 2025 in full (as the home page shows papers)
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from site_builder.core.model import MONTHS, Page, listing_date, show_date

INDEX_PATH = "archive/index.html"
KINDS = ("day", "week", "month")


def day_path(day: datetime.date) -> str:
    return f"archive/{day.year:04d}/{day.month:02d}-{day.day:02d}.html"


def week_path(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"archive/{year:04d}/w{week:02d}.html"


def month_path(day: datetime.date) -> str:
    return f"archive/{day.year:04d}/{day.month:02d}.html"


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def period_title(kind: str, start: datetime.date) -> str:
    if kind == "day":
        return show_date(start)
    if kind == "month":
        return f"{datetime.date(2000, start.month, 1):%B} {start.year}"
    year, week, _ = start.isocalendar()
    end = start + datetime.timedelta(days=6)
    if start.year != end.year:  # "Week 1 of 2026 (Dec 29 – Jan 4)" read as a week of 2026 alone
        return f"Week {week} of {year} ({show_date(start)} – {show_date(end)})"
    return (
        f"Week {week} of {year} ({MONTHS[start.month - 1]} {start.day} – {MONTHS[end.month - 1]} {end.day})"
    )


PATHS: dict[str, Callable[[datetime.date], str]] = {"day": day_path, "week": week_path, "month": month_path}
STARTS: dict[str, Callable[[datetime.date], datetime.date]] = {
    "day": lambda d: d,
    "week": week_start,
    "month": month_start,
}


@dataclass(frozen=True)
class PeriodLink:
    path: str
    title: str


@dataclass(frozen=True)
class Period:
    """One archive page: a day, a week or a month, its listing days newest first."""

    kind: str
    start: datetime.date
    days: tuple[tuple[datetime.date, tuple[Page, ...]], ...]  # each day's papers in listing order
    newer: PeriodLink | None
    older: PeriodLink | None
    # Per day of `days`: how many papers were listed that day, which a week or month page,
    # showing each paper under its newest day, may show fewer of (76 under a day whose own
    # page lists 93: the counts disagreed without a word).
    listed: tuple[int, ...] = ()

    @property
    def path(self) -> str:
        return PATHS[self.kind](self.start)

    @property
    def title(self) -> str:
        return period_title(self.kind, self.start)

    @property
    def count(self) -> int:
        return sum(len(pages) for _, pages in self.days)

    @property
    def month(self) -> datetime.date:
        """The month a week page's breadcrumb names: the one its Thursday lies in, as ISO
        weeks belong (week 53 of 2026, Dec 28 – Jan 3, is December's, also once Jan 1 is
        listed), when the week lists a day of it; else its newest day's."""
        thursday = self.start + datetime.timedelta(days=3)
        for day, _ in self.days:
            if (day.year, day.month) == (thursday.year, thursday.month):
                return thursday
        return self.days[0][0]


@dataclass(frozen=True)
class MonthCount:
    month: int
    count: int
    path: str


@dataclass(frozen=True)
class Archive:
    """Every archive page of the site, and the months by year for the index."""

    periods: tuple[Period, ...]  # days, then weeks, then months; newest first within each
    years: tuple[tuple[int, tuple[MonthCount, ...]], ...]  # newest year first, months Jan..Dec

    def of_kind(self, kind: str) -> list[Period]:
        return [p for p in self.periods if p.kind == kind]


def build_archive(ordered: Sequence[Page]) -> Archive:
    """The archive of pages in listing order (newest first)."""
    by_day = _days(ordered)
    days = sorted(by_day, reverse=True)
    periods: list[Period] = []
    for kind in KINDS:
        periods += _periods(kind, days, by_day)
    months = [p for p in periods if p.kind == "month"]
    by_year: dict[int, dict[int, MonthCount]] = defaultdict(dict)
    for month in months:
        by_year[month.start.year][month.start.month] = MonthCount(month.start.month, month.count, month.path)
    years = tuple(
        (year, tuple(by_year[year].get(m, MonthCount(m, 0, "")) for m in range(1, 13)))
        for year in sorted(by_year, reverse=True)
    )
    return Archive(tuple(periods), years)


def _days(pages: Sequence[Page]) -> dict[datetime.date, list[Page]]:
    """Each listing day's papers in that day's listing order: by their first place (dump
    file, line) on the day, not by their newest listing: a paper relisted later kept its
    place on the older day's page (which it moved to the top of, changing a page a new day
    should not touch)."""
    placed: dict[datetime.date, list[tuple[str, int, str, Page]]] = defaultdict(list)
    for page in pages:
        listings = page.listings  # its sources, or the `date:` of a page a person wrote
        if len(listings) == 1:  # most pages: listed once, there
            source = listings[0]
            day = listing_date(source.listed)
            if day is not None:
                placed[day].append((source.file, source.line, page.slug, page))
            continue
        places: dict[datetime.date, tuple[str, int]] = {}
        for source in listings:
            day = listing_date(source.listed)
            if day is not None and (day not in places or (source.file, source.line) < places[day]):
                places[day] = (source.file, source.line)
        for day, (file, line) in places.items():
            placed[day].append((file, line, page.slug, page))
    # Sorted as (file, line, slug): a page is once in a day's entries, so no two tie on
    # those and its Page is never compared.
    return {day: [e[3] for e in sorted(entries)] for day, entries in placed.items()}


def _periods(kind: str, days: list[datetime.date], by_day: dict[datetime.date, list[Page]]) -> list[Period]:
    """The periods of one kind with papers, newest first; a paper once per period."""
    grouped: dict[datetime.date, list[datetime.date]] = defaultdict(list)
    for day in days:
        grouped[STARTS[kind](day)].append(day)
    starts = sorted(grouped, reverse=True)
    out = []
    for i, start in enumerate(starts):
        seen: set[str] = set()
        contents, listed = [], []
        for day in grouped[start]:  # newest day first: a paper shows under its newest day here
            if kind == "day":  # one day: every paper listed on it
                pages = tuple(by_day[day])
            else:
                pages = tuple(p for p in by_day[day] if p.slug not in seen)
                seen.update(p.slug for p in pages)
            if pages:
                contents.append((day, pages))
                listed.append(len(by_day[day]))
        newer = _link(kind, starts[i - 1]) if i > 0 else None
        older = _link(kind, starts[i + 1]) if i + 1 < len(starts) else None
        out.append(Period(kind, start, tuple(contents), newer, older, tuple(listed)))
    return out


def _link(kind: str, start: datetime.date) -> PeriodLink:
    return PeriodLink(PATHS[kind](start), period_title(kind, start))

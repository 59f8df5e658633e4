"""Papers per week for every tag, the tags rising fastest, and the charts that show them.

A paper counts once, in the ISO week (Monday first) of its first listing date. Weeks run
up to the week of the site's newest listing, never the clock, so a build is a pure function
of the pages. A chart shows at most the last `CHART_WEEKS` weeks as bars in an inline SVG
(no script, no library) whose geometry is computed here, rounded, so rebuilds give the same
bytes. A tag page's chart changes when the tag gets papers, or once a week when the site
moves into a new week — not every day.

The week of the site's newest listing is still running unless that listing is a Sunday: its
bar is drawn apart ("so far"), and "rising" compares complete weeks only (the running week
made every tag look as if it were falling). A week (or month) in which the site lists no
paper at all is drawn as a gap, not a zero: the weeks between a March and a June of dumps
read as a topic's collapse (a review).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from site_builder.build.archive import month_start, week_start
from site_builder.core.model import Page, show_date

CHART_WEEKS = 52  # a tag page shows a year of weeks
SPARK_WEEKS = 26  # the trends page shows half a year per tag
WINDOW = 4  # "rising" compares the last 4 weeks with the 4 before
RISING = 5  # how many rising tags the trends page names
WIDTH, HEIGHT, PAD = 600.0, 120.0, 18.0  # chart viewBox; PAD: room for the axis labels


@dataclass(frozen=True)
class Series:
    """Papers per week, oldest week first; `weeks` are the Mondays. `running`: the last
    week is still under way (`week_running`)."""

    weeks: tuple[datetime.date, ...]
    counts: tuple[int, ...]
    running: bool = False
    quiet: frozenset[datetime.date] = frozenset()  # weeks in which the site lists no paper

    def last(self, n: int) -> Series:
        return Series(self.weeks[-n:], self.counts[-n:], self.running, self.quiet)

    def complete(self) -> Series:
        """The weeks that are over."""
        return Series(self.weeks[:-1], self.counts[:-1], quiet=self.quiet) if self.running else self

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Rise:
    """A tag's papers in the last WINDOW weeks against the WINDOW weeks before."""

    name: str
    recent: int
    before: int

    @property
    def change(self) -> int:
        return self.recent - self.before


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    running: bool = False  # the week still under way
    quiet: bool = False  # a week the site lists no paper in: a gap, not a zero


@dataclass(frozen=True)
class Chart:
    """What the `_chart.html` partial draws: bars in a WIDTH × HEIGHT box, and its labels."""

    series: Series
    bars: tuple[Bar, ...]
    peak: int
    cut: bool = False  # the series had more weeks than are shown
    unit: str = "week"  # or "month": `series.weeks` are then the months' first days
    width: float = WIDTH
    height: float = HEIGHT
    pad: float = PAD

    @property
    def rows(self) -> list[tuple[datetime.date, int | None]]:
        """(week, papers) rows for the table that stands in for the chart; None for a week
        the site lists no paper in."""
        quiet = self.series.quiet
        return [
            (w, None if w in quiet else c) for w, c in zip(self.series.weeks, self.series.counts, strict=True)
        ]

    @property
    def first(self) -> str:
        return self.label(self.series.weeks[0]) if self.series.weeks else ""

    @property
    def last(self) -> str:
        return self.label(self.series.weeks[-1]) if self.series.weeks else ""

    def label(self, start: datetime.date) -> str:
        """A bar's period as captions and the table name it: `Mar 10, 2025`, or `Mar 2025`."""
        return show_date(start) if self.unit == "week" else f"{start:%b %Y}"


def site_weeks(pages: Sequence[Page]) -> tuple[datetime.date, ...]:
    """Every week from the site's first listing to its newest, oldest first."""
    days = [d for p in pages if (d := p.first_listed)]
    newest = max((d for p in pages if (d := p.newest)), default=None)
    if not days or newest is None:
        return ()
    start, end = week_start(min(days)), week_start(newest)
    return tuple(start + datetime.timedelta(weeks=k) for k in range((end - start).days // 7 + 1))


Day = datetime.date


def quiet_periods(
    pages: Sequence[Page], periods: Sequence[Day], start_of: Callable[[Day], Day]
) -> frozenset[Day]:
    """The periods (weeks by their Mondays, or months by their first days: `start_of` maps
    a day to its period) in which no page is listed at all."""
    return frozenset(periods) - listed_periods(pages, start_of)


def listed_periods(pages: Sequence[Page], start_of: Callable[[Day], Day]) -> frozenset[Day]:
    """The periods in which some page is listed."""
    return frozenset(start_of(day) for page in pages for day in page.listed)


def week_running(newest: datetime.date | None) -> bool:
    """Whether the week of the site's newest listing day is still under way: its later days
    may yet be listed (a Sunday's listing ends its week)."""
    return newest is not None and newest.weekday() != 6


def weekly(
    pages: Sequence[Page],
    weeks: tuple[datetime.date, ...],
    running: bool = False,
    week_of: dict[str, datetime.date | None] | None = None,
) -> Series:
    """The pages counted per week of `weeks`, each in the week of its first listing;
    `running`: the last week is under way. `week_of` remembers each page's week across calls
    (a page with several tags is counted in each: its week is found once)."""
    week_of = {} if week_of is None else week_of
    counted: Counter[datetime.date] = Counter()
    for page in pages:
        if page.slug in week_of:
            week = week_of[page.slug]
        else:
            first = page.first_listed
            week = week_of[page.slug] = week_start(first) if first else None
        if week is not None:
            counted[week] += 1
    return Series(weeks, tuple(counted.get(w, 0) for w in weeks), running)


def tag_trends(
    members: Mapping[str, Sequence[Page]],
    weeks: tuple[datetime.date, ...],
    running: bool = False,
    quiet: frozenset[datetime.date] = frozenset(),
) -> dict[str, Series]:
    """Every tag's papers per week over the site's weeks; `running`: the last week is under
    way; `quiet`: the weeks the site lists no paper in."""
    week_of: dict[str, datetime.date | None] = {}
    return {
        name: replace(weekly(pages, weeks, running, week_of), quiet=quiet)
        for name, pages in sorted(members.items())
    }


def comparable(trends: Mapping[str, Series]) -> bool:
    """Whether the last WINDOW weeks can be set against the WINDOW before: the site has
    that many weeks, and papers in each window. Against weeks before the first listing, or
    a gap of weeks with none (March, then June), every tag would look new. Complete weeks
    only."""
    series = [s.complete() for s in trends.values()]
    if not series or len(series[0].counts) < 2 * WINDOW:
        return False
    recent = any(s.counts[-WINDOW:].count(0) < WINDOW for s in series)
    before = any(s.counts[-2 * WINDOW : -WINDOW].count(0) < WINDOW for s in series)
    return recent and before


def rising(trends: Mapping[str, Series], limit: int = RISING) -> list[Rise]:
    """The tags whose last WINDOW weeks grew most over the WINDOW weeks before, most first
    (ties: the larger recent count, then the name). Only tags that grew are named, and none
    while the two windows cannot be compared (`comparable`)."""
    if not comparable(trends):
        return []
    rises = []
    for name, series in trends.items():
        counts = series.complete().counts
        rise = Rise(name, sum(counts[-WINDOW:]), sum(counts[-2 * WINDOW : -WINDOW]))
        if rise.change > 0:
            rises.append(rise)
    rises.sort(key=lambda r: (-r.change, -r.recent, r.name))
    return rises[:limit]


def tag_months(
    members: Mapping[str, Sequence[Page]], newest: datetime.date | None, site: Sequence[Page] = ()
) -> dict[str, Series]:
    """Every tag's papers per month over the site's whole history, for the tags whose
    history is longer than a tag page's CHART_WEEKS weeks (a site of two years showed its
    first year nowhere). A paper counts in the month of its first listing; the month of the
    newest listing is running unless that listing is its last day; a month in which no
    page of `site` (every page) is listed is a gap."""
    months: dict[str, Series] = {}
    if newest is None:
        return months
    listed = listed_periods(site, month_start)  # once, not once a tag
    running = (newest + datetime.timedelta(days=1)).month == newest.month
    for name, pages in sorted(members.items()):
        days = [d for p in pages if (d := p.first_listed)]
        if not days or (week_start(newest) - week_start(min(days))).days // 7 < CHART_WEEKS:
            continue  # the tag's weeks all fit its weekly chart
        counted = Counter(map(month_start, days))
        span = [month_start(min(days))]
        while span[-1] < month_start(newest):
            span.append(month_start(span[-1] + datetime.timedelta(days=31)))
        quiet = frozenset(span) - listed if site else frozenset()
        months[name] = Series(tuple(span), tuple(counted.get(m, 0) for m in span), running, quiet)
    return months


def chart(series: Series, weeks: int = CHART_WEEKS) -> Chart:
    """Bars for the last `weeks` weeks of a series, scaled to its busiest week (the running
    week's bar marked)."""
    shown = series.last(weeks)
    peak = max(shown.counts, default=0)
    n = len(shown.counts)
    slot = (WIDTH - PAD) / n if n else 0.0
    usable = HEIGHT - PAD
    bars = []
    for i, (week, count) in enumerate(zip(shown.weeks, shown.counts, strict=True)):
        x = round(PAD + i * slot + slot * 0.1, 1)
        if week in shown.quiet:  # the full height, faint: no listing to count, not a zero
            bars.append(Bar(x, 0.0, round(slot * 0.8, 1), usable, quiet=True))
            continue
        height = round(usable * count / peak, 1) if peak else 0.0
        running = shown.running and i == n - 1
        bars.append(Bar(x, round(usable - height, 1), round(slot * 0.8, 1), height, running))
    return Chart(shown, tuple(bars), peak, len(series.weeks) > len(shown.weeks))


def month_chart(series: Series) -> Chart:
    """Bars for every month of a series (`tag_months`)."""
    return replace(chart(series, len(series.weeks)), unit="month")

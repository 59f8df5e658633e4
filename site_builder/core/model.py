"""The plain data passed between pipeline stages.

sources → Entry; dedupe → Paper; tagging fills Paper.tags; pages → content/papers/*.md;
build loads those files back as Page.

Listing dates travel as ISO 8601 text: `2025-03-12` once the year is known, `--03-12`
(ISO's month-day form) while a dump has given only `Mar 12`, "" for an undated entry.
Ingest resolves every `--MM-DD` to a full date (ingest/dumps/dates.py) before a page is written.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from typing import Any

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_number(name: str) -> int:
    """1–12 for a month's name or its first three letters, in any case (ValueError if none)."""
    return MONTHS.index(name[:3].title()) + 1


@dataclass(frozen=True, order=True)
class Source:
    """Where one occurrence of a paper was read: dump file (relative to content/sources), line."""

    file: str
    line: int
    listed: str = ""  # "2025-03-12"; "--03-12" before the year is resolved; "" when undated
    # The dump's date line wrote the year (`Dec 12, 2026`): a page follows it, a year and all.
    # Not compared: a page read from its file does not know, and is the same page.
    stated: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class DateLine:
    """A dump's date line, as its listings' dates are resolved from it: where it is (the
    place to name in a message about the date), and the weekday it names, if any."""

    line: int
    weekday: int | None = None


@dataclass(frozen=True)
class Entry:
    """One title/abstract pair read from a dump."""

    title: str
    abstract: str
    source: Source
    links: tuple[str, ...] = ()  # the paper's own links the listing gave (its arXiv page)
    authors: tuple[str, ...] = ()  # the names the listing gave (arXiv's `Authors:`), in order


@dataclass(frozen=True)
class Paper:
    """One unique paper after deduplication."""

    title: str
    abstract: str
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # Its earliest listing's title, which a new page's slug is made of: the page a site
    # ingesting day by day made then, so a site's pages made again from nothing keep their
    # addresses (a retitled paper's moved, feed ids and all). "": the title.
    first_title: str = ""
    links: tuple[str, ...] = ()  # its own links its listings gave (its arXiv page), in order
    authors: tuple[str, ...] = ()  # its newest listing's that gave any; () when none did


@dataclass(frozen=True)
class Page:
    """A paper page as stored in content/papers/<slug>.md: what `build` renders."""

    slug: str
    title: str
    body: str  # the abstract (Markdown), possibly edited by hand
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    links: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # front-matter keys a person added
    authors: tuple[str, ...] = ()  # names, in order; () when no listing gave them

    # Computed once per page (a build asks for them per listing, archive, trend and key):
    # the fields are frozen, so a remembered value cannot go stale.
    @functools.cached_property
    def listings(self) -> tuple[Source, ...]:
        """The listings that date the page: its sources; or, when none of them gives a date
        (a page a person wrote), its `date:` as one listing of no dump, as Hugo and Zola
        date a page (without it, such a page sorted after every paper and no archive had it)."""
        if any(listing_date(s.listed) for s in self.sources):
            return self.sources
        day = written_day(self.extra.get(DATE))
        return (Source("", 0, day.isoformat()),) if day else self.sources

    @functools.cached_property
    def listed(self) -> tuple[datetime.date, ...]:
        """Distinct listing dates, newest first."""
        dates = {d for s in self.listings if (d := listing_date(s.listed))}
        return tuple(sorted(dates, reverse=True))

    @functools.cached_property
    def newest(self) -> datetime.date | None:
        return self.listed[0] if self.listed else None

    @functools.cached_property
    def first_listed(self) -> datetime.date | None:
        return self.listed[-1] if self.listed else None

    @functools.cached_property
    def listed_at(self) -> tuple[str, int]:
        """(dump file, line) of its first listing on its newest day: its place within that
        day's listing; ("", 0) when undated."""
        newest = self.newest
        if newest is None:
            return ("", 0)
        return min((s.file, s.line) for s in self.listings if listing_date(s.listed) == newest)

    @functools.cached_property
    def added(self) -> datetime.date | None:
        """The day the paper came to the site, when that was after its listing (`added:`,
        which ingest writes on a page it makes for a late dump's paper); else None."""
        return added_day(self.extra.get(ADDED))

    @property
    def draft(self) -> bool:
        """`draft: true` on the page: kept in content/papers/, left out of the site unless
        the build shows drafts (`build --drafts`). `draft: false` is no draft. (A dict look-up,
        not a cached property, whose first use takes a lock: every build asks every page.)"""
        return self.extra.get(DRAFT) is True

    def dated_after(self, today: datetime.date) -> datetime.date | None:
        """The `date:` of a page no listing dates, when it is after `today`: left out of the
        site until its day (`build --future` builds it), as Hugo and Jekyll leave out a
        page dated ahead. A paper a dump lists is on the site from its listing, whatever
        its `date:` says."""
        if self.listings is self.sources:  # a listing dates the page, or nothing does
            return None
        day = self.newest
        return day if day is not None and day > today else None

    @functools.cached_property
    def arrived(self) -> datetime.date | None:
        """The day a reader could first see the paper on the site: its newest listing, or
        the later day it was added. Feeds put it there, so a late dump's papers reach them."""
        newest, added = self.newest, self.added
        return None if newest is None else max(newest, added) if added else newest

    def dated(self) -> Page:
        """This page with its listing dates worked out, which a pickle then keeps (the build's
        page cache): a cached property's first use takes a lock, and the plan's first look
        at every page's dates and places took 100 ms at 10,000 pages."""
        self.newest, self.first_listed, self.listed_at, self.arrived  # noqa: B018  (computed for their side effect)
        return self


ADDED = "added"  # front-matter key: the day a late dump's paper came to the site (`Page.added`)
DATE = "date"  # front-matter key: the day of a page no listing dates (`Page.listings`)
DRAFT = "draft"  # front-matter key: a page kept, but left out of the site (`Page.draft`)


def _said(value: object) -> str:
    """A front-matter value as a message quotes it."""
    return "an empty value" if value is None else repr(value)


def draft_problem(meta: dict[str, object]) -> str | None:
    """What is wrong with front matter's `draft:` (paper pages and pages of your own alike):
    only an unquoted true or false will do, so that no typo publishes a draft unseen."""
    if DRAFT not in meta or isinstance(meta[DRAFT], bool):
        return None
    return (
        f"'{DRAFT}' is true (the page stays off the site) or false, unquoted; {_said(meta[DRAFT])} is neither"
    )


def date_problem(meta: dict[str, object], sources: tuple[Source, ...]) -> str | None:
    """What is wrong with a `date:` the page needs (no listing dates it): it is no day, so
    the page would be listed after every paper, in no archive, without a word."""
    if (
        DATE not in meta
        or written_day(meta[DATE]) is not None
        or any(listing_date(s.listed) for s in sources)
    ):
        return None
    return (
        f"'{DATE}' is the page's day, written as 2026-03-14; {_said(meta[DATE])} is not one, so the page is "
        "listed after every dated paper, and on no day, week or month page"
    )


# The years a listing date may have: the Unix epoch's (search counts days from it) to 2999
# (a week, a month or a feed date after it always exists).
FIRST_YEAR, LAST_YEAR = 1970, 2999


@functools.lru_cache(maxsize=8192)
def listing_date(text: str) -> datetime.date | None:
    """A full ISO listing date as a date; None for "", a yearless `--MM-DD`, a year outside
    FIRST_YEAR..LAST_YEAR or anything else."""
    if len(text) != 10 or text[4] != "-":
        return None
    try:
        date = datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return date if FIRST_YEAR <= date.year <= LAST_YEAR else None


def added_day(value: Any) -> datetime.date | None:
    """An `added:` value as a day: a YAML date (`2026-03-12`) or the same in quotes."""
    if isinstance(value, str):
        return listing_date(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value if FIRST_YEAR <= value.year <= LAST_YEAR else None
    return None


def written_day(value: Any) -> datetime.date | None:
    """A `date:` as Hugo and Zola read it: a day (`2026-03-14`) or a moment
    (`2026-03-14T09:30:00+01:00`, whose day is the one it writes), quoted or not."""
    if isinstance(value, str) and len(value) > 10:
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    return added_day(value)


def month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a listing date, full (`2025-03-12`) or yearless (`--03-12`)."""
    if len(text) == 10 and text[4] == "-":
        text = "-" + text[4:]
    if len(text) != 7 or not text.startswith("--") or text[4] != "-":
        return None
    month, day = text[2:4], text[5:7]
    return (int(month), int(day)) if month.isdigit() and day.isdigit() else None


def show_date(date: datetime.date) -> str:
    """How a listing date reads on the site: `Mar 12, 2025`."""
    return f"{show_month_day(date.month, date.day)}, {date.year}"


def show_month_day(month: int, day: int) -> str:
    """A day without its year, as a dump's date line gives it: `Mar 12`. (Not strftime's
    `%-d`, which Windows refuses, nor `%b`, which follows the locale.)"""
    return f"{MONTHS[month - 1]} {day}"

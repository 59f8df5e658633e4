"""Days and years: the clock and the calendar arithmetic the date rules (dumps/dates.py) and their
messages (dumps/date_messages.py) share."""

from __future__ import annotations

import datetime
import os
import re
from typing import Literal

from site_builder.core.errors import Problem, SiteError
from site_builder.core.model import FIRST_YEAR, LAST_YEAR

FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
ADJACENT_DAYS = 31  # a date line this near the one before it in a dump continues its calendar
AHEAD_DAYS = 2  # how far past the clock a yearless listing may lie
LEAP_REACH = 4  # every year is this near a leap year (1896 and 1904 around 1900)

Rule = Literal["line", "memory", "file name", "setting", "clock"]  # what gave a date its year


def _epoch() -> str:
    return os.environ.get("SOURCE_DATE_EPOCH", "").strip()


def clock_name() -> str:
    """What `today()` reads, as messages name it."""
    return "SOURCE_DATE_EPOCH" if _epoch() else "the clock"


def today() -> datetime.date:
    """The day of this run: from SOURCE_DATE_EPOCH when set, else the clock (UTC)."""
    epoch = _epoch()
    if epoch and not (epoch.isascii() and epoch.isdigit()):
        # `1.7e9`, `-5`, `abc`: the clock was used without a word, and its year written into pages
        message = f"{epoch!r} is not a whole number of seconds since 1970-01-01 (unset it to use the clock)"
        raise SiteError(Problem("SOURCE_DATE_EPOCH", 0, message))
    if epoch:
        try:
            day = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
        except (ValueError, OverflowError, OSError):
            day = None
        if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            message = f"{epoch} is not a time from {FIRST_YEAR} to {LAST_YEAR} (seconds since 1970-01-01)"
            raise SiteError(Problem("SOURCE_DATE_EPOCH", 0, message))
        return day
    return datetime.datetime.now(datetime.UTC).date()


def limit_of(today: datetime.date) -> datetime.date:
    """The latest day a yearless listing may be given: a listing from a time zone ahead."""
    return today + datetime.timedelta(days=AHEAD_DAYS)


def file_date(file: str) -> datetime.date | None:
    """An ISO date in a dump's file name (or folder), the last one when there are several."""
    for match in reversed(list(FILE_DATE.finditer(file))):
        try:
            return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


def nearest(month: int, day: int, reference: datetime.date) -> datetime.date:
    """The date with this month-day nearest the reference (the earlier on a tie). Feb 29
    near a year of no leap year on either side (2026) is the nearest leap year's: up to
    four years away (`Feb 29` in a dump named 2026-03-01.txt stopped ingest)."""
    for reach in (1, LEAP_REACH):
        years = range(reference.year - reach, reference.year + reach + 1)
        candidates = [d for y in years if (d := day_or_none(y, month, day))]
        if candidates:
            return min(candidates, key=lambda d: (abs((d - reference).days), d))
    raise ValueError(f"no date {month:02}-{day:02} near {reference}")  # a month-day no year has


def latest_not_after(month: int, day: int, limit: datetime.date) -> datetime.date:
    """The latest date with this month-day that is not after `limit` (Feb 29: a leap year)."""
    for year in range(limit.year, datetime.MINYEAR - 1, -1):
        found = day_or_none(year, month, day)
        if found is not None and found <= limit:
            return found
    raise ValueError(f"no date {month:02}-{day:02} up to {limit}")  # a month-day no year has


def day_or_none(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None

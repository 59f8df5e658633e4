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
    """The date with this month-day nearest the reference (the earlier on a tie)."""
    candidates = [
        d
        for y in (reference.year - 1, reference.year, reference.year + 1)
        if (d := day_or_none(y, month, day))
    ]
    return min(candidates, key=lambda d: (abs((d - reference).days), d))


def latest_not_after(month: int, day: int, limit: datetime.date) -> datetime.date:
    """The latest date with this month-day that is not after `limit` (Feb 29: a leap year)."""
    year = limit.year
    while True:
        found = day_or_none(year, month, day)
        if found is not None and found <= limit:
            return found
        year -= 1


def day_or_none(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None

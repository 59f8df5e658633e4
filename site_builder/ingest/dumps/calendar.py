"""Days and years: the calendar arithmetic the date rules (dumps/dates.py) and their
messages (dumps/date_messages.py) share."""

from __future__ import annotations

import datetime
import re
from typing import Literal

FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
ADJACENT_DAYS = 31  # a date line this near the one before it in a dump continues its calendar
AHEAD_DAYS = 2  # how far past the clock a yearless listing may lie
LEAP_REACH = 4  # every year is this near a leap year (1896 and 1904 around 1900)

Rule = Literal["line", "memory", "file name", "setting", "clock"]  # what gave a date its year


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

"""Every listing date gets its year: dumps say `Mar 12`, a site lives for years.

A yearless date (`--03-12`, see model.py) takes its year from, in order:

1. the date line before it in the same dump, when the month-day lies within a month of it:
   `Jan 2` after `Dec 30, 2024` is 2025-01-02 (consecutive listing days);
2. an ISO date in the dump's file name (`2025-03-12.txt`, `dumps/2025-03-12-am.txt`): the
   year that puts the month-day nearest that date, so `Dec 31` in `2026-01-01.txt` is 2025;
3. what an earlier ingest decided for the same dump: the year already written into a page
   for this file and month-day (a dump is resolved the same way every time), or else, for a
   dump moved or renamed, into the pages of the papers it lists (when more than half of
   the papers under that date line give the same year: a new dump relisting one paper a
   year on is not dated by it);
4. `year:` in site.yaml, meant for importing old dumps;
5. the latest such month-day that is not after the day of this ingest (two days ahead
   allowed: a listing from a time zone ahead) — the clock is `SOURCE_DATE_EPOCH` when it
   is set (the reproducible-builds convention), else today.

A year in the dump's own date line (`Mar 12, 2025`) needs none of this; a dump with no date
line at all is dated by its file name, or else the day of the ingest. Once written into
a page, a date never changes (merge.py keeps it), so a re-ingest months later changes no byte.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import Counter
from collections.abc import Iterable

from site_builder.core.errors import Problem, SiteError
from site_builder.core.model import FIRST_YEAR, LAST_YEAR, Entry, Source, listing_date, month_day
from site_builder.core.pagefile import StoredPage
from site_builder.core.text import title_key

FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
Known = dict[str, dict[tuple[int, int], int]]  # dump file (or title key) → (month, day) → year
ADJACENT_DAYS = 31  # a date line this near the one before it in a dump continues its calendar
AHEAD_DAYS = 2  # how far past the clock a yearless listing may lie


def today() -> datetime.date:
    """The day of this run: from SOURCE_DATE_EPOCH when set, else the clock (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            day = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()
        except (ValueError, OverflowError, OSError):
            day = None
        if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            message = f"{epoch} is not a time from {FIRST_YEAR} to {LAST_YEAR} (seconds since 1970-01-01)"
            raise SiteError(Problem("SOURCE_DATE_EPOCH", 0, message))
        return day
    return datetime.datetime.now(datetime.UTC).date()


def known_dates(pages: Iterable[StoredPage]) -> tuple[Known, Known]:
    """The years earlier ingests gave each dump's month-days, as written into the pages: by
    dump file, and by paper (the title key of each page's title and aliases)."""
    known: Known = {}
    titles: Known = {}
    for stored in pages:
        page = stored.page
        years: dict[tuple[int, int], int] = {}
        for source in page.sources:
            date = listing_date(source.listed)
            if date is not None:
                known.setdefault(source.file, {})[(date.month, date.day)] = date.year
                years[date.month, date.day] = date.year
        if years:  # each title keyed once per page, not once per source
            for key in {title_key(title) for title in (page.title, *page.aliases)}:
                titles.setdefault(key, {}).update(years)
    return known, titles


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
        d for y in (reference.year - 1, reference.year, reference.year + 1) if (d := _day(y, month, day))
    ]
    return min(candidates, key=lambda d: (abs((d - reference).days), d))


def latest_not_after(month: int, day: int, limit: datetime.date) -> datetime.date:
    """The latest date with this month-day that is not after `limit` (Feb 29: a leap year)."""
    year = limit.year
    while True:
        found = _day(year, month, day)
        if found is not None and found <= limit:
            return found
        year -= 1


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def resolve(
    entries: list[Entry], known: Known, year: int | None, today: datetime.date, titles: Known | None = None
) -> list[Entry]:
    """The entries (of one dump, in its order) with every yearless listing date made full
    (see the module's rules); `known` and `titles`: from `known_dates`."""
    out = []
    resolved: dict[tuple[str, str], str] = {}  # a dump lists many papers under one date line
    votes = _papers_years(entries, known, titles or {})
    before: dict[str, datetime.date] = {}  # each dump's last full date so far
    for entry in entries:
        source = entry.source
        full = resolved.get((source.file, source.listed))
        if full is None:
            papers_year = votes.get((source.file, source.listed))
            full = _full(source.file, source.listed, known, year, today, before.get(source.file), papers_year)
            resolved[source.file, source.listed] = full
        if (date := listing_date(full)) is not None:
            before[source.file] = date
        if full != source.listed:
            entry = Entry(entry.title, entry.abstract, Source(source.file, source.line, full))
        out.append(entry)
    return out


def _papers_years(entries: list[Entry], known: Known, titles: Known) -> dict[tuple[str, str], int]:
    """Each dump's yearless date lines → the year their papers' pages give that month-day,
    when more than half of the papers under the line give it (a tie: the later year).

    A moved or renamed dump lists the papers it listed before; a new dump that relists a
    paper on the same month-day a year later is not dated by that one paper."""
    counts: dict[tuple[str, str], Counter[int]] = {}
    listed_under: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        if entry.source.file in known:
            continue  # a dump ingested before under this name: its own memory decides
        listed = entry.source.listed
        parts = month_day(listed) if listed.startswith("--") else None
        if parts is None:
            continue
        listed_under[entry.source.file, listed] += 1
        found = titles.get(title_key(entry.title), {}).get(parts)
        if found is not None:
            counts.setdefault((entry.source.file, listed), Counter())[found] += 1
    chosen = {line: max(years, key=lambda y: (years[y], y)) for line, years in counts.items()}
    return {line: y for line, y in chosen.items() if 2 * counts[line][y] > listed_under[line]}


def _full(
    file: str,
    listed: str,
    known: Known,
    year: int | None,
    today: datetime.date,
    before: datetime.date | None = None,
    papers_year: int | None = None,
) -> str:
    """One listing date of a dump, made full (a full date stays as it is)."""
    if listed.startswith("--") and (parts := month_day(listed)):
        return resolve_one(file, *parts, known, year, today, before, papers_year).isoformat()
    if not listed:  # a dump without a date line: its file name's date, or today
        return (file_date(file) or today).isoformat()
    return listed


def resolve_one(
    file: str,
    month: int,
    day: int,
    known: Known,
    year: int | None,
    today: datetime.date,
    before: datetime.date | None = None,
    papers_year: int | None = None,
) -> datetime.date:
    """The module's rules, in order; `before`: the dump's previous full date, `papers_year`:
    the year its papers' pages give this month-day."""
    if before is not None:
        near = nearest(month, day, before)
        if abs((near - before).days) <= ADJACENT_DAYS:
            return near
    reference = file_date(file)
    if reference is not None:
        return nearest(month, day, reference)
    remembered = known.get(file, {}).get((month, day), papers_year)
    if remembered is not None and (found := _day(remembered, month, day)):
        return found
    if year is not None and (found := _day(year, month, day)):
        return found
    return latest_not_after(month, day, today + datetime.timedelta(days=AHEAD_DAYS))

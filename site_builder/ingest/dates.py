"""Every listing date gets its year: dumps say `Mar 12`, a site lives for years.

A yearless date (`--03-12`, see model.py) takes its year from, in order:

1. what this dump gave the papers under it before, as their pages hold it (any of them:
   a dump ingested again, or edited, with papers added above others, is resolved the same
   way; a new paste into last year's file holds none of them);
2. the date line before it in the same dump, when the month-day lies within a month of it:
   `Jan 2` after `Dec 30, 2024` is 2025-01-02 (consecutive listing days);
3. what dumps no longer there gave the papers under it on that month-day, when more than
   half of them have a year: a dump moved or renamed — even into a folder named by a date
   — keeps its dates, while a new dump relisting papers a year on, even all of them, does
   not take them from the dump that listed them first (still there);
4. an ISO date in the dump's file name (`2025-03-12.txt`, `dumps/2025-03-12-am.txt`): the
   year that puts the month-day nearest that date, so `Dec 31` in `2026-01-01.txt` is 2025
   (but never past the clock's limit below: `Jun 20` in `2026-01-04.txt` is 2025's);
5. `year:` in site.yaml, meant for importing old dumps (ingest names the dumps it dated);
6. the latest such month-day that is not after the day of this ingest (two days ahead
   allowed: a listing from a time zone ahead) — the clock is `SOURCE_DATE_EPOCH` when it
   is set (the reproducible-builds convention), else today. A dump this rule dates whose
   later date lines run on past that day (`Dec 30`, `Dec 31`, `Jan 2` on Dec 30) is a
   year older: its calendar moves back a year (unless it holds a Feb 29).

A year in the dump's own date line (`Mar 12, 2025`) needs none of this; a dump with no date
line at all is dated by its file name, or else the day of the ingest. Once written into
a page, a date never changes (merge.py keeps it), so a re-ingest months later changes no byte.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import Literal

from site_builder.core.errors import Problem, SiteError
from site_builder.core.model import FIRST_YEAR, LAST_YEAR, DateLine, Entry, Source, listing_date, month_day
from site_builder.core.pagefile import StoredPage
from site_builder.core.text import title_key

FILE_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
Known = dict[str, dict[tuple[int, int], int]]  # a paper's title key → (month, day) → year
FileMemory = dict[str, dict[tuple[int, int], dict[str, int]]]  # dump file → (month, day) → title key → year
ADJACENT_DAYS = 31  # a date line this near the one before it in a dump continues its calendar
AHEAD_DAYS = 2  # how far past the clock a yearless listing may lie


def today() -> datetime.date:
    """The day of this run: from SOURCE_DATE_EPOCH when set, else the clock (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
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


def known_dates(pages: Iterable[StoredPage], present: Collection[str] = ()) -> tuple[FileMemory, Known]:
    """The years earlier ingests gave the papers' month-days, as written into the pages: by
    dump file and paper (the title key of each page's title and aliases), and by paper from
    the dumps no longer among the `present` ones (moved or renamed: rule 3). A dump still
    there keeps its papers' dates to itself: a new dump relisting them a year on, even all
    of them, is not dated by it."""
    known: FileMemory = {}
    titles: Known = {}
    for stored in pages:
        page = stored.page
        keys = {title_key(title) for title in (page.title, *page.aliases)}
        years: dict[tuple[int, int], int] = {}
        for source in page.sources:
            date = listing_date(source.listed)
            if date is not None:
                by_title = known.setdefault(source.file, {}).setdefault((date.month, date.day), {})
                by_title.update(dict.fromkeys(keys, date.year))
                if source.file not in present:
                    years[date.month, date.day] = date.year
        if years:  # each title keyed once per page, not once per source
            for key in keys:
                titles.setdefault(key, {}).update(years)
    return known, titles


def clock_behind(pages: Iterable[StoredPage], today: datetime.date) -> tuple[datetime.date, str] | None:
    """The newest listing date the pages hold, and its page, when it lies past the clock's
    limit: a clock that is behind (a build container's fixed `SOURCE_DATE_EPOCH` of 1980)
    dates a new `Jan 8` years back, silently but for this."""
    limit = today + datetime.timedelta(days=AHEAD_DAYS)
    newest: tuple[datetime.date, str] | None = None
    for stored in pages:
        for source in stored.page.sources:
            date = listing_date(source.listed)
            if date is not None and date > limit and (newest is None or date > newest[0]):
                newest = date, f"content/papers/{stored.path.name}"
    return newest


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


Rule = Literal["line", "memory", "file name", "setting", "clock"]


def resolve(
    entries: list[Entry],
    known: FileMemory,
    year: int | None,
    today: datetime.date,
    titles: Known | None = None,
    by_setting: set[str] | None = None,
    doubtful: list[tuple[int, str]] | None = None,
    errors: list[tuple[int, str]] | None = None,
    by_clock: set[str] | None = None,
    date_lines: Mapping[str, DateLine] | None = None,
) -> list[Entry]:
    """The entries (of one dump, in its order) with every yearless listing date made full
    (see the module's rules); `known` and `titles`: from `known_dates`. The dumps `year:`
    dated are added to `by_setting`; (line, why) for each date a person should check, to
    `doubtful` (`doubtful_dates`). A date its rules put outside FIRST_YEAR..LAST_YEAR (a
    clock set to 1970, a file named `0001-01-01.txt`) is an error, added to `errors`, and
    the entries under it wait, as under an impossible date. The dumps the clock dated are
    added to `by_clock` (`clock_behind` checks the clock then). `date_lines`: each
    listing's date line, named in messages; a weekday it names (`Friday, March 13th`) picks
    the year the clock or the file name gives: the latest (nearest) that puts the day on it.

    A dump dated from the clock whose later date lines run on past it (`Dec 30`, `Dec 31`,
    `Jan 2` on Dec 30) is last winter's: every date its calendar gave moves a year back."""
    resolved: dict[tuple[str, str], tuple[str, Rule | None]] = {}  # many papers share a date line
    kept, votes = _papers_years(entries, known, titles or {})
    before: dict[str, datetime.date] = {}  # each dump's last full date so far
    anchor: dict[str, Rule | None] = {}  # the rule that began each dump's calendar
    by_weekday: set[str] = set()  # dumps a weekday dated: their year is known, not guessed
    limit = today + datetime.timedelta(days=AHEAD_DAYS)
    for entry in entries:
        source = entry.source
        line = (source.file, source.listed)
        if line in resolved:
            full = resolved[line][0]
        else:
            full, rule = _full(
                source.file,
                source.listed,
                year,
                today,
                before.get(source.file),
                votes.get(line),
                kept.get(line),
            )
            wanted = _weekday(date_lines, source.listed)
            if wanted is not None and rule in ("clock", "file name") and (date := listing_date(full)):
                reference = (file_date(source.file) if rule == "file name" else None) or limit
                full = _on_weekday(date, wanted, reference, limit).isoformat()
                by_weekday.add(source.file)
            resolved[line] = full, rule
            anchor.setdefault(source.file, rule)
        if (date := listing_date(full)) is not None:
            before[source.file] = date
    ahead = {
        file
        for (file, _), (full, rule) in resolved.items()
        if anchor.get(file) == "clock" and rule == "line" and (date := listing_date(full)) and date > limit
    }
    ahead -= by_weekday
    # A calendar with Feb 29 stays where it is: the year before has no such day.
    ahead -= {
        file
        for (file, _), (full, rule) in resolved.items()
        if rule in ("clock", "line") and full.endswith("-02-29")
    }
    if by_setting is not None:
        by_setting.update(file for (file, _), (_, rule) in resolved.items() if rule == "setting")
    if by_clock is not None:
        by_clock.update(file for (file, _), (_, rule) in resolved.items() if rule == "clock")
    if doubtful is not None:
        doubtful += doubtful_dates(entries, resolved, today, date_lines or {})
    out = []
    refused: set[str] = set()  # the date lines out of range, each said once
    undated: dict[str, dict[str, str]] = {}  # dump → title key → the day its page holds
    for entry in entries:
        source = entry.source
        full, rule = resolved[source.file, source.listed]
        if not source.listed:  # no date line: the day its page holds, else the file's or today
            if source.file not in undated:
                undated[source.file] = _days_held(known.get(source.file, {}))
            key = title_key(entry.title)
            full = undated[source.file].get(key) or _gone_day((titles or {}).get(key, {})) or full
        if source.file in ahead and rule in ("clock", "line") and (date := listing_date(full)):
            full = date.replace(year=date.year - 1).isoformat()
        if (rule is not None or not source.listed) and listing_date(full) is None:
            if errors is not None and source.listed not in refused:
                refused.add(source.listed)
                at = _line_of(date_lines, source)
                errors.append((at, _out_of_range(source.listed, full, rule or "file name", today)))
            continue
        if full != source.listed:
            entry = Entry(entry.title, entry.abstract, Source(source.file, source.line, full))
        out.append(entry)
    return out


def _days_held(memory: dict[tuple[int, int], dict[str, int]]) -> dict[str, str]:
    """A dump's papers (title keys) → the day their pages hold for it: a dump without a
    date line, dated by the day of an ingest, keeps that day on the next (it took each
    ingest's day, and `ingest --check` failed the day after)."""
    held: dict[str, str] = {}
    for (month, day), years in sorted(memory.items()):
        for key, year in years.items():
            if (date := _day(year, month, day)) is not None:
                held.setdefault(key, date.isoformat())
    return held


def _gone_day(days: dict[tuple[int, int], int]) -> str | None:
    """The one day a paper's page holds for dumps no longer there (a dump without a date
    line, moved or renamed), if it holds one."""
    if len(days) != 1:
        return None
    ((month, day), year), *_ = days.items()
    found = _day(year, month, day)
    return found.isoformat() if found is not None else None


def _papers_years(
    entries: list[Entry], known: FileMemory, titles: Known
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """Each dump's yearless date lines → the year earlier ingests gave its papers on that
    month-day (a tie: the later year): (this dump's own records, when any paper under the
    line has one; those of dumps gone, when more than half of the papers under it have one).

    A dump ingested again or edited (papers added above others shift every line number)
    keeps the dates its pages hold; a moved or renamed one, those most of its papers'
    pages hold; a new paste into last year's file, or a new dump relisting papers on the
    same month-day a year on (their first dump still there), is not dated by them."""
    own: dict[tuple[str, str], Counter[int]] = {}
    counts: dict[tuple[str, str], Counter[int]] = {}
    listed_under: Counter[tuple[str, str]] = Counter()
    for entry in entries:
        listed = entry.source.listed
        parts = month_day(listed) if listed.startswith("--") else None
        if parts is None:
            continue
        line = (entry.source.file, listed)
        listed_under[line] += 1
        key = title_key(entry.title)
        if (mine := known.get(entry.source.file, {}).get(parts, {}).get(key)) is not None:
            own.setdefault(line, Counter())[mine] += 1
        if (found := titles.get(key, {}).get(parts)) is not None:
            counts.setdefault(line, Counter())[found] += 1
    chosen = {line: _most(years) for line, years in counts.items()}
    return (
        {line: _most(years) for line, years in own.items()},
        {line: y for line, y in chosen.items() if 2 * counts[line][y] > listed_under[line]},
    )


def _weekday(date_lines: Mapping[str, DateLine] | None, listed: str) -> int | None:
    found = (date_lines or {}).get(listed)
    return found.weekday if found is not None else None


def _line_of(date_lines: Mapping[str, DateLine] | None, source: Source) -> int:
    """Where a message about a listing's date points: its date line, else its entry."""
    found = (date_lines or {}).get(source.listed)
    return found.line if found is not None else source.line


def _on_weekday(
    date: datetime.date, weekday: int, reference: datetime.date, limit: datetime.date
) -> datetime.date:
    """The day of `date`'s month-day nearest `reference`, not after `limit`, that falls on
    `weekday` (a weekday repeats on a month-day within eleven years); `date` if none."""
    found = [
        day
        for year in range(date.year - 11, date.year + 12)
        if (day := _day(year, date.month, date.day)) and day.weekday() == weekday and day <= limit
    ]
    return min(found, key=lambda d: (abs((d - reference).days), d)) if found else date


_RULE_NAMES: dict[Rule, str] = {
    "clock": "the clock",
    "file name": "the dump's file name",
    "setting": "`year:` in site.yaml",
    "line": "the date line before it",
    "memory": "the date its papers' pages hold",
}


def _out_of_range(listed: str, full: str, rule: Rule, today: datetime.date) -> str:
    """Why a date line's year, as a rule gave it, cannot be a listing's."""
    parts = month_day(listed)
    said = datetime.date(2000, *parts).strftime("%b %-d") if parts else listed or "A dump without a date line"
    by = _RULE_NAMES[rule]
    if rule == "clock":
        by += f" ({today.isoformat()}; SOURCE_DATE_EPOCH when set)"
    fix = "write the year on the date line" if listed else "add a date line with its year (`Mar 12, 2025`)"
    return (
        f"{said} is dated {full} by {by}, outside {FIRST_YEAR}–{LAST_YEAR}: {fix} (the entries under it wait)"
    )


def _most(years: Counter[int]) -> int:
    """The year most papers give (a tie: the later year)."""
    return max(years, key=lambda y: (years[y], y))


def doubtful_dates(
    entries: list[Entry],
    resolved: dict[tuple[str, str], tuple[str, Rule | None]],
    today: datetime.date,
    date_lines: Mapping[str, DateLine] | None = None,
) -> list[tuple[int, str]]:
    """(line of its first entry, why) for each date line to check: a year written on it that
    lies ahead of the clock (`Mar 12, 2062` heads every newest-first list until then), and a
    yearless `Feb 29` whose nearest leap year is more than a year before the date the dump is
    read against (`Feb 29` in 2027-03-01.txt: 2024, three years back)."""
    limit = today + datetime.timedelta(days=AHEAD_DAYS)
    found: list[tuple[int, str]] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        source = entry.source
        line = (source.file, source.listed)
        if line in seen or line not in resolved:
            continue
        seen.add(line)
        full, rule = resolved[line]
        date = listing_date(full)
        if date is None:
            continue
        wanted = _weekday(date_lines, source.listed)
        at = _line_of(date_lines, source)
        if wanted is not None and date.weekday() != wanted:
            named = datetime.date(2024, 1, 1 + wanted).strftime("%A")  # 2024-01-01 was a Monday
            why = (
                f"the date line says {named}, but {_RULE_NAMES[rule or 'line']} dates it {full}, a {date:%A}"
            )
            found.append((at, f"{why}: write the year on the date line"))
        elif rule is None and source.listed == full and date > limit:
            found.append((at, f"listed {full}, after today ({today.isoformat()}): check the year"))
        elif rule is not None and date > limit:
            why = f"{_RULE_NAMES[rule]} dates this {full}, after today ({today.isoformat()})"
            found.append((at, f"{why}: write the year on the date line, or correct it in the page"))
        elif source.listed == "--02-29" and rule in ("file name", "clock"):
            reference = (file_date(source.file) if rule == "file name" else None) or today
            if (reference - date).days > 366:
                why = f"Feb 29 dated {full}, the leap year before {reference.isoformat()}"
                found.append((at, f"{why}: write the year on the date line if it is another"))
    return found


def _full(
    file: str,
    listed: str,
    year: int | None,
    today: datetime.date,
    before: datetime.date | None = None,
    papers_year: int | None = None,
    kept: int | None = None,
) -> tuple[str, Rule | None]:
    """One listing date of a dump, made full (a full date stays as it is), with the rule
    that gave its year (None: the dump gave it)."""
    if listed.startswith("--") and (parts := month_day(listed)):
        date, rule = resolve_one(file, *parts, year, today, before, papers_year, kept)
        return date.isoformat(), rule
    if not listed:  # a dump without a date line: its file name's date, or today
        return (file_date(file) or today).isoformat(), None
    return listed, None


def resolve_one(
    file: str,
    month: int,
    day: int,
    year: int | None,
    today: datetime.date,
    before: datetime.date | None = None,
    papers_year: int | None = None,
    kept: int | None = None,
) -> tuple[datetime.date, Rule]:
    """The module's rules, in order, and the one that gave the year; `before`: the dump's
    previous full date; `papers_year` and `kept`: the years dumps gone and this one gave
    its papers on this month-day (`_papers_years`)."""
    limit = today + datetime.timedelta(days=AHEAD_DAYS)
    if kept is not None and (found := _day(kept, month, day)):
        return found, "memory"  # what this dump gave these papers: before its calendar
    if before is not None:
        near = nearest(month, day, before)
        if abs((near - before).days) <= ADJACENT_DAYS:
            return near, "line"
    if papers_year is not None and (found := _day(papers_year, month, day)):
        return found, "memory"
    reference = file_date(file)
    if reference is not None:  # never past the clock: `Jun 20` in 2026-01-04.txt is 2025's
        near = nearest(month, day, reference)
        return (near if near <= limit else latest_not_after(month, day, limit)), "file name"
    if year is not None and (found := _day(year, month, day)):
        return found, "setting"
    return latest_not_after(month, day, limit), "clock"

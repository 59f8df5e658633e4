"""What a person is told about the dates ingest gave: a date line to check, a year out of
range, a clock that is behind. The rules themselves are in dumps/dates.py."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping

from site_builder.core.errors import Problem
from site_builder.core.model import (
    ADDED,
    FIRST_YEAR,
    LAST_YEAR,
    DateLine,
    Entry,
    Source,
    listing_date,
    month_day,
    show_month_day,
)
from site_builder.core.pages.pagefile import StoredPage, line_of
from site_builder.core.runtime.clock import clock_name
from site_builder.core.text import some_of
from site_builder.ingest.dumps.calendar import Rule, day_or_none, file_date, limit_of, nearest

JUST_AHEAD_DAYS = 14  # a yearless date this few days after today, put a year back, is a warning


def named_weekday(date_lines: Mapping[str, DateLine] | None, listed: str) -> int | None:
    found = (date_lines or {}).get(listed)
    return found.weekday if found is not None else None


def message_line(date_lines: Mapping[str, DateLine] | None, source: Source) -> int:
    """Where a message about a listing's date points: its date line, else its entry."""
    found = (date_lines or {}).get(source.listed)
    return found.line if found is not None else source.line


RULE_NAMES: dict[Rule, str] = {
    "clock": "the clock",
    "file name": "the dump's file name",
    "setting": "`year:` in site.yaml",
    "line": "the date line before it",
    "memory": "the date its papers' pages hold",
}


def out_of_range(listed: str, full: str, rule: Rule, today: datetime.date) -> str:
    """Why a date line's year, as a rule gave it, cannot be a listing's."""
    parts = month_day(listed)
    said = show_month_day(*parts) if parts else listed or "A dump without a date line"
    by = f"{clock_name()} ({today.isoformat()})" if rule == "clock" else RULE_NAMES[rule]
    fix = "write the year on the date line" if listed else "add a date line with its year (`Mar 12, 2025`)"
    return (
        f"{said} is dated {full} by {by}, outside {FIRST_YEAR}–{LAST_YEAR}: {fix} (the entries under it wait)"
    )


def doubtful_dates(
    entries: list[Entry],
    resolved: dict[tuple[str, str], tuple[str, Rule | None]],
    today: datetime.date,
    date_lines: Mapping[str, DateLine] | None = None,
    moved_back: Collection[str] = (),
) -> list[tuple[int, str]]:
    """(line of its first entry, why) for each date line to check: a year written on it that
    lies ahead of the clock (`Mar 12, 2062` heads every newest-first list until then), a
    yearless date the clock put a year back because this year's lies just ahead
    (`Feb 7` on Feb 4), a dump read as last winter's list (`moved_back`: its dates as
    `resolved` holds them, before the move), and a yearless `Feb 29` whose nearest leap year
    is more than a year before the date the dump is read against (`Feb 29` in
    2027-03-01.txt: 2024, three years back)."""
    limit = limit_of(today)
    found: list[tuple[int, str]] = []
    seen: set[tuple[str, str]] = set()
    told_moved: set[str] = set()
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
        wanted = named_weekday(date_lines, source.listed)
        at = message_line(date_lines, source)
        if source.file in moved_back and rule in ("clock", "line"):  # last year's list
            back = date.replace(year=date.year - 1)  # as it is dated (a moved dump has no Feb 29)
            if date > limit and source.file not in told_moved:  # said once, where it ran past
                told_moved.add(source.file)
                found.append((at, _moved_back(date, back, today)))
            date, full = back, back.isoformat()
        if wanted is not None and date.weekday() != wanted:
            named = datetime.date(2024, 1, 1 + wanted).strftime("%A")  # 2024-01-01 was a Monday
            why = f"the date line says {named}, but {RULE_NAMES[rule or 'line']} dates it {full}, a {date:%A}"
            found.append((at, f"{why}: write the year on the date line"))
        elif rule is None and source.listed == full and date > limit:
            found.append((at, f"listed {full}, after today ({today.isoformat()}): check the year"))
        elif rule is not None and date > limit:
            why = f"{RULE_NAMES[rule]} dates this {full}, after today ({today.isoformat()})"
            fix = (
                "check the clock, or the file's name"
                if rule == "file name"
                else "write the year on the date line"
            )
            found.append((at, f"{why}: {fix}, or correct it in the page"))
        elif (near := _just_ahead(date, today)) is not None and _put_back_by_clock(rule, source.file, near):
            why = (
                f"{clock_name()} ({today.isoformat()}) dates this {full}, a year back: "
                f"{near.isoformat()} would be {(near - today).days} days after today"
            )
            found.append((at, f"{why}; write the year on the date line if it is this year's"))
        elif source.listed == "--02-29" and rule in ("file name", "clock"):
            reference = (file_date(source.file) if rule == "file name" else None) or today
            if (reference - date).days > 366:
                why = f"Feb 29 dated {full}, the leap year before {reference.isoformat()}"
                found.append((at, f"{why}: write the year on the date line if it is another"))
    return found


def _just_ahead(date: datetime.date, today: datetime.date) -> datetime.date | None:
    """The same month-day a year on, when it lies past the clock's limit by a few days (up
    to JUST_AHEAD_DAYS after today): the clock gave the year before because of a typo or a
    clock behind, more likely than because the list is old."""
    later = day_or_none(date.year + 1, date.month, date.day)
    if later is None or later <= limit_of(today) or (later - today).days > JUST_AHEAD_DAYS:
        return None
    return later


def _put_back_by_clock(rule: Rule | None, file: str, later: datetime.date) -> bool:
    """Whether the clock chose the year before `later`: it dated the line, or capped the year
    the file's name gave (`Feb 7` in 2027-02-04.txt, on that day, silently 2026's)."""
    named = file_date(file) if rule == "file name" else None
    return rule == "clock" or (named is not None and nearest(later.month, later.day, named) == later)


def _moved_back(date: datetime.date, back: datetime.date, today: datetime.date) -> str:
    """Why a dump the clock dated is a year older than its first date line said: a later
    date line ran past the clock (`Dec 30`, `Dec 31`, `Jan 2` on Dec 30: last winter's)."""
    said = show_month_day(date.month, date.day)
    return (
        f"{said} would be {date.isoformat()}, after today ({today.isoformat()}): the dump is read as last "
        f"year's list, every date in it a year back ({said} is {back.isoformat()}); write the "
        f"year on its date lines if it is this year's"
    )


def clock_behind(pages: Iterable[StoredPage], today: datetime.date) -> tuple[datetime.date, str] | None:
    """The newest listing date the pages hold, and its page, when it lies past the clock's
    limit: a clock that is behind (a build container's fixed `SOURCE_DATE_EPOCH` of 1980)
    dates a new `Jan 8` years back, silently but for this."""
    limit = limit_of(today)
    newest: tuple[datetime.date, str] | None = None
    for stored in pages:
        for source in stored.page.sources:
            date = listing_date(source.listed)
            if date is not None and date > limit and (newest is None or date > newest[0]):
                newest = date, f"content/papers/{stored.path.name}"
    return newest


def pages_ahead(
    pages: Iterable[StoredPage],
    line_dates: Collection[tuple[str, str]],
    today: datetime.date,
    typed: Callable[[StoredPage], bool] = lambda stored: True,
) -> list[Problem]:
    """A warning at each `listed:` date of a page that lies past the clock's limit where no
    date line of the dumps gives it (`line_dates`: each dump's date lines' full dates, as
    (file, date)): a person's correction with a mistyped year (`2028-01-04`) heads every
    newest-first list and the feed until then, and ingest keeps it. The dumps' own dates
    are checked at their lines; none is said when the dumps list days as late (then the
    clock is behind, said apart), nor of a page whose dates are ingest's own (`typed`: false;
    the dumps that gave them are gone, and the clock is behind: `2027-02-01` on a 1980 clock)."""
    limit = limit_of(today)
    latest = max((d for _, full in line_dates if (d := listing_date(full))), default=None)
    found = []
    for stored in pages:
        for number, source in enumerate(stored.page.sources):
            date = listing_date(source.listed)
            if date is None or date <= limit or (latest is not None and date <= latest):
                continue
            if (source.file, source.listed) in line_dates or not typed(stored):
                continue
            line = line_of(stored.text, "sources") + 1 + number  # a source a line, as ingest writes them
            message = (
                f"'listed' {source.listed} is after today ({today.isoformat()}), and no dump lists the "
                "paper then: check the year (until then the paper heads every newest-first list)"
            )
            found.append(Problem(f"content/papers/{stored.path.name}", line, message, "warning"))
        if (added := stored.page.added) and added > limit:  # typed: ingest writes no such day
            line = line_of(stored.file_text(), ADDED)
            message = (
                f"'{ADDED}' {added.isoformat()} is after today ({today.isoformat()}): check the year "
                "(until then the paper heads the feeds, and readers' browsers take it as a day seen)"
            )
            found.append(Problem(f"content/papers/{stored.path.name}", line, message, "warning"))
    return found


def clock_warning(day: datetime.date, newest: datetime.date, page: str, files: list[str]) -> Problem:
    """The clock dated these dumps, but it is behind the pages' newest listing."""
    set_by = clock_name()
    message = (
        f"today is {day.isoformat()} by {set_by}, before the newest listing in the pages "
        f"({newest.isoformat()}, {page}), and it dated the yearless dates of {len(files)} dump(s) "
        f"({some_of(files)}): check the clock, or write the year on their date lines"
    )
    return Problem("SOURCE_DATE_EPOCH" if set_by != "the clock" else "content/sources", 0, message, "warning")


def year_setting_warning(year: int | None, line: int, files: list[str]) -> Problem:
    """`year:` (at `line` of site.yaml) dated these dumps: right for an import of old dumps,
    wrong for today's."""
    message = (
        f"`year: {year}` dated {len(files)} dump(s) that give no year ({some_of(files)}); remove it "
        "from site.yaml once old dumps are imported, or new dumps are dated to it too"
    )
    return Problem("content/site.yaml", line, message, "warning")

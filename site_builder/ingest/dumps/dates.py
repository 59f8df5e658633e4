"""Every listing date gets its year: dumps say `Mar 12`, a site lives for years.

A yearless date (`--03-12`, see model.py) takes its year from, in order:

1. what this dump gave the papers under it before, as their pages hold it, when more than
   half of the papers it gave that month-day are still under the line (a dump ingested
   again, or edited with papers added above others, is resolved the same way; a new paste
   into last year's file is not, even when it lists one of last year's papers again);
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
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from site_builder.core.model import DateLine, Entry, Source, listing_date, month_day
from site_builder.core.pages.pagefile import StoredPage
from site_builder.core.runtime.hashing import short_hash
from site_builder.core.text import title_key
from site_builder.ingest.dumps.calendar import (
    ADJACENT_DAYS,
    Rule,
    day_or_none,
    file_date,
    latest_not_after,
    limit_of,
    nearest,
)
from site_builder.ingest.dumps.date_messages import doubtful_dates, message_line, named_weekday, out_of_range

Known = dict[str, dict[tuple[int, int], int]]  # a paper's title key → (month, day) → year
FileMemory = dict[str, dict[tuple[int, int], dict[str, int]]]  # dump file → (month, day) → title key → year
PAGES = "\0"  # in a FileMemory's title keys (no title's key): how many pages hold that month-day
WRITTEN = "\1"  # a key of the title ingest last wrote on a page (`generated: title`), a person's title aside
# (file, date line) → its full date, and the rule that gave the year (None: the dump gave it)
LineDates = dict[tuple[str, str], tuple[str, Rule | None]]


@dataclass
class DatedDump:
    """A dump's entries with full dates, and what a person should hear about them."""

    entries: list[Entry]
    rules: LineDates  # (file, date line) → full date, the rule
    doubtful: list[tuple[int, str]] = field(default_factory=list)  # (line, why): warnings
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, why): dates refused

    def files_dated_by(self, rule: Rule) -> set[str]:
        return {file for (file, _), (_, by) in self.rules.items() if by == rule}


def known_dates(pages: Iterable[StoredPage], present: Collection[str] = ()) -> tuple[FileMemory, Known]:
    """The years earlier ingests gave the papers' month-days, as written into the pages: by
    dump file and paper (the keys of its titles, aliases and the title ingest wrote), and from
    the dumps no longer among the `present` ones (moved or renamed: rule 3). A dump still
    there keeps its papers' dates to itself: a new dump relisting them a year on, even all
    of them, is not dated by it."""
    known: FileMemory = {}
    titles: Known = {}
    days: dict[str, tuple[tuple[int, int], int] | None] = {}  # a listing date read once, not per page
    for stored in pages:
        page = stored.page
        keys = {title_key(title) for title in (page.title, *page.aliases)}
        if isinstance(written := stored.generated.get("title"), str):  # its title may be a person's
            keys.add(WRITTEN + written)
        years: dict[tuple[int, int], int] = {}
        counted: set[tuple[str, tuple[int, int]]] = set()
        for source in page.sources:
            try:
                day = days[source.listed]
            except KeyError:
                date = listing_date(source.listed)
                day = days[source.listed] = ((date.month, date.day), date.year) if date else None
            if day is not None:
                (month_and_day, year), file = day, source.file
                by_title = known.setdefault(file, {}).setdefault(month_and_day, {})
                for key in keys:
                    by_title[key] = year
                if (file, month_and_day) not in counted:  # a page once, whatever its aliases
                    counted.add((file, month_and_day))
                    by_title[PAGES] = by_title.get(PAGES, 0) + 1
                if file not in present:
                    years[month_and_day] = year
        if years:  # each title keyed once per page, not once per source
            for key in keys:
                titles.setdefault(key, {}).update(years)
    return known, titles


def resolve(
    entries: list[Entry],
    known: FileMemory,
    year: int | None,
    today: datetime.date,
    titles: Known | None = None,
    date_lines: Mapping[str, DateLine] | None = None,
) -> DatedDump:
    """The entries (of one dump, in its order) with every yearless listing date made full
    (see the module's rules); `known` and `titles`: from `known_dates`. Each date line's rule
    is kept, and each date a person should check is a warning (`doubtful_dates`). A date its
    rules put outside FIRST_YEAR..LAST_YEAR (a clock set to 1970, a file named
    `0001-01-01.txt`) is an error, and the entries under it wait, as under an impossible
    date. `date_lines`: each listing's date line, named in messages; a weekday it names
    (`Friday, March 13th`) picks the year the clock or the file name gives: the latest
    (nearest) that puts the day on it.

    A dump dated from the clock whose later date lines run on past it (`Dec 30`, `Dec 31`,
    `Jan 2` on Dec 30) is last winter's: every date its calendar gave moves a year back."""
    titles = titles or {}
    resolved, anchor, by_weekday = _resolve_date_lines(entries, known, year, today, titles, date_lines)
    ahead = _dumps_ahead_of_clock(resolved, anchor, by_weekday, limit_of(today))
    dated = DatedDump([], resolved, doubtful_dates(entries, resolved, today, date_lines or {}, ahead))
    _add_dated_entries(dated, entries, ahead, known, titles, today, date_lines)
    return dated


def _resolve_date_lines(
    entries: list[Entry],
    known: FileMemory,
    year: int | None,
    today: datetime.date,
    titles: Known,
    date_lines: Mapping[str, DateLine] | None,
) -> tuple[LineDates, dict[str, Rule | None], set[str]]:
    """Each date line's full date and rule, in dump order (rule 2 needs the line before),
    with the rule that began each dump's calendar and the dumps a weekday dated."""
    resolved: LineDates = {}  # many papers share a date line
    kept, votes = _papers_years(entries, known, titles)
    before: dict[str, datetime.date] = {}  # each dump's last full date so far
    anchor: dict[str, Rule | None] = {}  # the rule that began each dump's calendar
    by_weekday: set[str] = set()  # dumps a weekday dated: their year is known, not guessed
    limit = limit_of(today)
    previous = None
    for entry in entries:
        source = entry.source
        line = (source.file, source.listed)
        if line == previous:
            continue  # the entry before's date line: nothing it decides changes
        previous = line
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
            on_weekday = _weekday_named(
                source.file, full, rule, named_weekday(date_lines, source.listed), limit
            )
            if on_weekday is not None:
                full = on_weekday
                by_weekday.add(source.file)
            resolved[line] = full, rule
            anchor.setdefault(source.file, rule)
        if (date := listing_date(full)) is not None:
            before[source.file] = date
    return resolved, anchor, by_weekday


def _weekday_named(
    file: str, full: str, rule: Rule | None, wanted: int | None, limit: datetime.date
) -> str | None:
    """The day a date line's weekday picks when only the clock or the file name gave its
    year (a guess the weekday settles); None when it names none or the year was known."""
    if wanted is not None and rule in ("clock", "file name") and (date := listing_date(full)):
        reference = (file_date(file) if rule == "file name" else None) or limit
        return _on_weekday(date, wanted, reference, limit).isoformat()
    return None


def _dumps_ahead_of_clock(
    resolved: LineDates, anchor: dict[str, Rule | None], by_weekday: set[str], limit: datetime.date
) -> set[str]:
    """The dumps the clock dated whose later date lines run on past it: their calendar is a
    year older (rule 6), unless a weekday dated them or they hold a Feb 29."""
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
    return ahead


def _add_dated_entries(
    dated: DatedDump,
    entries: list[Entry],
    ahead: set[str],
    known: FileMemory,
    titles: Known,
    today: datetime.date,
    date_lines: Mapping[str, DateLine] | None,
) -> None:
    """Add each entry to `dated` under its full date: the entries under a date line out of
    range wait instead, with one error for the line."""
    refused: set[str] = set()  # the date lines out of range, each said once
    undated: dict[str, dict[str, str]] = {}  # dump → title key → the day its page holds
    lines: dict[tuple[str, str], tuple[str, bool] | None] = {}  # each date line's outcome, worked out once
    for entry in entries:
        source = entry.source
        if source.listed and (source.file, source.listed) in lines:
            outcome = lines[source.file, source.listed]
        else:
            full, rule = dated.rules[source.file, source.listed]
            if not source.listed:  # no date line: the day its page holds, else the file's or today
                if source.file not in undated:
                    undated[source.file] = _days_held(known.get(source.file, {}))
                held, keys = undated[source.file], (title_key(entry.title), WRITTEN + short_hash(entry.title))
                full = next((d for k in keys if (d := held.get(k) or _gone_day(titles.get(k, {})))), full)
            if source.file in ahead and rule in ("clock", "line") and (date := listing_date(full)):
                full = date.replace(year=date.year - 1).isoformat()
            outcome = (full, full == source.listed and rule is None and listing_date(full) is not None)
            if (rule is not None or not source.listed) and listing_date(full) is None:
                outcome = None  # the entry waits; its line gets one error
                if source.listed not in refused:
                    refused.add(source.listed)
                    at = message_line(date_lines, source)
                    dated.errors.append((at, out_of_range(source.listed, full, rule or "file name", today)))
            if source.listed:  # an undated entry's day is its own page's
                lines[source.file, source.listed] = outcome
        if outcome is None:
            continue
        full, stated = outcome  # stated: the line wrote the year, which a page follows
        if full != source.listed or stated:
            source = Source(source.file, source.line, full, stated=stated)
            entry = Entry(entry.title, entry.abstract, source, entry.links, entry.authors)
        dated.entries.append(entry)


def _days_held(memory: dict[tuple[int, int], dict[str, int]]) -> dict[str, str]:
    """A dump's papers (title keys) → the day their pages hold for it: a dump without a
    date line, dated by the day of an ingest, keeps that day on the next (it took each
    ingest's day, and `ingest --check` failed the day after)."""
    held: dict[str, str] = {}
    for (month, day), years in sorted(memory.items()):
        for key, year in years.items():
            if key != PAGES and (date := day_or_none(year, month, day)) is not None:
                held.setdefault(key, date.isoformat())
    return held


def _gone_day(days: dict[tuple[int, int], int]) -> str | None:
    """The one day a paper's page holds for dumps no longer there (a dump without a date
    line, moved or renamed), if it holds one."""
    if len(days) != 1:
        return None
    ((month, day), year), *_ = days.items()
    found = day_or_none(year, month, day)
    return found.isoformat() if found is not None else None


def _papers_years(
    entries: list[Entry], known: FileMemory, titles: Known
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """Each dump's yearless date lines → the year earlier ingests gave its papers on that
    month-day (a tie: the later year): (this dump's own records, when more than half of the
    papers it recorded on that month-day are still under the line; those of dumps gone, when
    more than half of the papers under it have one).

    A dump ingested again or edited (papers added above others shift every line number)
    keeps the dates its pages hold; a moved or renamed one, those most of its papers'
    pages hold; a new paste into last year's file (a scraper's `latest.txt` written over a
    year on, relisting one paper of the year before), or a new dump relisting papers on the
    same month-day a year on (their first dump still there), is not dated by them."""
    own: dict[tuple[str, str], Counter[int]] = {}
    counts: dict[tuple[str, str], Counter[int]] = {}
    listed_under: Counter[tuple[str, str]] = Counter()
    under: dict[tuple[str, str], tuple[tuple[int, int], dict[str, int]] | None] = {}  # a line's, once
    for entry in entries:
        source = entry.source
        line = (source.file, source.listed)
        try:
            found_line = under[line]
        except KeyError:
            parts = month_day(source.listed) if source.listed.startswith("--") else None
            records = known.get(source.file, {}).get(parts, {}) if parts is not None else {}
            found_line = under[line] = (parts, records) if parts is not None else None
        if found_line is None:
            continue
        parts, records = found_line
        listed_under[line] += 1
        key = title_key(entry.title)
        if (mine := records.get(key)) is not None:
            own.setdefault(line, Counter())[mine] += 1
        if titles and (found := titles.get(key, {}).get(parts)) is not None:
            counts.setdefault(line, Counter())[found] += 1
    chosen = {line: _most(years) for line, years in counts.items()}
    recorded = {
        line: known.get(line[0], {}).get(month_day(line[1]) or (0, 0), {}).get(PAGES, 0) for line in own
    }
    return (
        {line: _most(years) for line, years in own.items() if 2 * years.total() > recorded[line]},
        {line: y for line, y in chosen.items() if 2 * counts[line][y] > listed_under[line]},
    )


def _on_weekday(
    date: datetime.date, weekday: int, reference: datetime.date, limit: datetime.date
) -> datetime.date:
    """The day of `date`'s month-day nearest `reference`, not after `limit`, that falls on
    `weekday` (a weekday repeats on a month-day within eleven years); `date` if none."""
    found = [
        day
        for year in range(date.year - 11, date.year + 12)
        if (day := day_or_none(year, date.month, date.day)) and day.weekday() == weekday and day <= limit
    ]
    return min(found, key=lambda d: (abs((d - reference).days), d)) if found else date


def _most(years: Counter[int]) -> int:
    """The year most papers give (a tie: the later year)."""
    return max(years, key=lambda y: (years[y], y))


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
    limit = limit_of(today)
    if kept is not None and (found := day_or_none(kept, month, day)):
        return found, "memory"  # what this dump gave these papers: before its calendar
    if before is not None:
        near = nearest(month, day, before)
        if abs((near - before).days) <= ADJACENT_DAYS:
            return near, "line"
    if papers_year is not None and (found := day_or_none(papers_year, month, day)):
        return found, "memory"
    reference = file_date(file)
    if reference is not None:  # never past the clock: `Jun 20` in 2026-01-04.txt is 2025's,
        # unless the name's own date is: the clock is behind it (a 1980 `SOURCE_DATE_EPOCH`
        # dated `Mar 2` in 2028-03-02.txt 1979-03-02, silently), and the date line says why
        near = nearest(month, day, reference)
        return (
            near if near <= limit or reference > limit else latest_not_after(month, day, limit)
        ), "file name"
    if year is not None and (found := day_or_none(year, month, day)):
        return found, "setting"
    return latest_not_after(month, day, limit), "clock"

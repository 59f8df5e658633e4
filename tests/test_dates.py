"""Every listing date gets its year, once, by the documented rules, and keeps it."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_helpers import make_site, snapshot

from site_builder.core.errors import SiteError
from site_builder.core.model import Entry, Page, Source
from site_builder.core.pages.pagefile import StoredPage, line_of
from site_builder.core.runtime.clock import today
from site_builder.core.text import title_key
from site_builder.ingest.dumps import dates
from site_builder.ingest.dumps.calendar import file_date, latest_not_after, nearest
from site_builder.ingest.dumps.dates import known_dates, resolve
from site_builder.ingest.pipeline import run_ingest

D = datetime.date
ABSTRACT = "We study the listing dates of papers in daily dumps, and how a site keeps them right for years."


def entry(file: str, listed: str) -> Entry:
    return Entry("A Title", ABSTRACT, Source(file, 7, listed))


def test_the_clock_is_source_date_epoch_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(datetime.datetime(2026, 1, 3, 12, tzinfo=datetime.UTC).timestamp()))
    )
    assert today() == D(2026, 1, 3)


NO_CLOCK = "is not a time from 1970 to 2999 (seconds since 1970-01-01)"
NO_NUMBER = "is not a whole number of seconds since 1970-01-01 (unset it to use the clock)"


@pytest.mark.parametrize(
    ("epoch", "message"),
    [
        *[
            (epoch, f"{epoch} {NO_CLOCK}")
            for epoch in ("99999999999999", "999999999999999999999", "32503680000")
        ],
        # Ignored without a word, these let the clock date the pages, for good.
        *[(epoch, f"{epoch!r} {NO_NUMBER}") for epoch in ("1.7e9", "-5", "abc", "1700000000s", "\u00b2")],
    ],
)
def test_a_source_date_epoch_no_clock_can_show_is_a_message(
    monkeypatch: pytest.MonkeyPatch, epoch: str, message: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(SiteError) as caught:
        today()
    assert str(caught.value) == f"SOURCE_DATE_EPOCH: error: {message}"


def test_a_source_date_epoch_set_empty_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " ")
    assert today() == datetime.datetime.now(datetime.UTC).date()


@pytest.mark.parametrize(
    ("month", "day", "limit", "expected"),
    [
        (3, 12, D(2026, 3, 12), D(2026, 3, 12)),
        (3, 13, D(2026, 3, 12), D(2025, 3, 13)),
        (12, 31, D(2026, 1, 2), D(2025, 12, 31)),
        (2, 29, D(2026, 6, 1), D(2024, 2, 29)),
    ],
)
def test_inference_takes_the_latest_such_day_not_after_the_ingest(
    month: int, day: int, limit: D, expected: D
) -> None:
    assert latest_not_after(month, day, limit) == expected


def test_a_date_in_the_file_name_sets_the_year_even_across_new_year() -> None:
    assert file_date("2025-03-12.txt") == D(2025, 3, 12)
    assert file_date("dumps/2024-12-30/am-2025-01-02.txt") == D(2025, 1, 2)
    assert file_date("000_a98d0349e4a197e3.txt") is None
    assert nearest(12, 31, D(2026, 1, 1)) == D(2025, 12, 31)
    assert nearest(1, 2, D(2025, 12, 30)) == D(2026, 1, 2)


def entry_titled(title: str, file: str, listed: str) -> Entry:
    return Entry(title, ABSTRACT, Source(file, 7, listed))


def test_rules_in_order_line_memory_file_name_setting_clock() -> None:
    now = D(2026, 1, 5)
    known = {"seen.txt": {(3, 12): {title_key("Old Paper"): 2023}}}
    titles = {title_key("Moved Paper"): {(3, 12): 2024}}
    got = resolve(
        [
            entry("x.txt", "2024-03-12"),
            entry("2025-03-20.txt", "--03-12"),
            entry_titled("Old Paper", "seen.txt", "--03-12"),
            entry_titled("Moved Paper", "2026-03-20.txt", "--03-12"),
            entry("new.txt", "--03-12"),
            entry("new.txt", "--12-30"),
        ],
        known,
        None,
        now,
        titles,
    )
    assert [e.source.listed for e in got.entries] == [
        "2024-03-12",
        "2025-03-12",  # the file name
        "2023-03-12",  # what this dump gave the paper before
        "2024-03-12",  # what another dump gave it, before the file name
        "2025-03-12",  # the clock
        "2025-12-30",
    ]
    with_setting = resolve(
        [entry("new.txt", "--03-12"), entry_titled("Old Paper", "seen.txt", "--03-12")], known, 2019, now
    )
    assert [e.source.listed for e in with_setting.entries] == ["2019-03-12", "2023-03-12"]


def test_a_new_paste_into_last_years_file_is_this_years() -> None:
    """A reviewer overwrote daily.txt every day: a year on, `Dec 21` took last year's date
    from the file's memory, and the day's papers landed a year back in the archive."""
    known = {"daily.txt": {(12, 21): {title_key("Last Year's Paper"): 2025}}}
    pasted = [
        entry_titled("A New Paper", "daily.txt", "--12-21"),
        entry_titled("Another", "daily.txt", "--12-21"),
    ]
    got = resolve(pasted, known, None, D(2026, 12, 21))
    assert [e.source.listed for e in got.entries] == ["2026-12-21", "2026-12-21"]
    again = resolve([entry_titled("Last Year's Paper", "daily.txt", "--12-21")], known, None, D(2026, 12, 21))
    assert [e.source.listed for e in again.entries] == ["2025-12-21"]  # the same paste, ingested again


def test_a_file_name_never_dates_a_listing_past_the_clock() -> None:
    """`Jun 20` in 2026-01-04.txt, ingested on Jan 4 2026, was 2026-06-20: months ahead."""
    got = resolve(
        [entry("2026-01-04.txt", "--06-20"), entry("2026-01-04.txt", "--07-10")], {}, None, D(2026, 1, 4)
    )
    assert [e.source.listed for e in got.entries] == ["2025-06-20", "2025-07-10"]
    assert [
        e.source.listed
        for e in resolve([entry("2026-01-01.txt", "--12-31")], {}, None, D(2026, 1, 1)).entries
    ] == ["2025-12-31"]


def test_a_calendar_the_clock_began_never_runs_past_it() -> None:
    """`Dec 30`, `Dec 31`, `Jan 2` imported on Dec 30 2025 (last winter's list) ended on
    2026-01-02, three days ahead: the whole dump is a year older."""
    dump = [entry("old.txt", "--12-30"), entry("old.txt", "--12-31"), entry("old.txt", "--01-02")]
    got = resolve(dump, {}, None, D(2025, 12, 30))
    assert [e.source.listed for e in got.entries] == ["2024-12-30", "2024-12-31", "2025-01-02"]
    today_s = resolve(dump[:2], {}, None, D(2025, 12, 30))  # within the two days ahead
    assert [e.source.listed for e in today_s.entries] == ["2025-12-30", "2025-12-31"]


def test_a_dump_read_as_last_years_says_so_with_the_dates_it_got() -> None:
    """`Feb 4`, `Feb 5`, `Feb 8` on 2027-02-05: the dump is dated 2026, and the warning named
    2027-02-08, a date no page held (a reviewer's find)."""
    dump = [entry("multi.txt", "--02-04"), entry("multi.txt", "--02-05"), entry("multi.txt", "--02-08")]
    got = resolve(dump, {}, None, D(2027, 2, 5))
    assert [e.source.listed for e in got.entries] == ["2026-02-04", "2026-02-05", "2026-02-08"]
    assert [why for _, why in got.doubtful] == [
        "Feb 8 would be 2027-02-08, after today (2027-02-05): the dump is read as last year's list, "
        "every date in it a year back (Feb 8 is 2026-02-08); write the year on its date lines if it "
        "is this year's"
    ]
    # The dump's other lines are still checked, as dated (a reviewer: they went unchecked).
    later = resolve([*dump, entry("multi.txt", "2030-03-01")], {}, None, D(2027, 2, 5))
    assert [why for _, why in later.doubtful][1:] == [
        "listed 2030-03-01, after today (2027-02-05): check the year"
    ]


def test_a_date_the_clock_put_a_year_back_by_a_few_days_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    """`Feb 7` on 2027-02-04 was 2026-02-07, silently: a typo or a clock behind, most likely."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the message names the clock read
    got = resolve([entry("one.txt", "--02-07")], {}, None, D(2027, 2, 4))
    assert [e.source.listed for e in got.entries] == ["2026-02-07"]
    assert [why for _, why in got.doubtful] == [
        "the clock (2027-02-04) dates this 2026-02-07, a year back: 2027-02-07 would be 3 days after "
        "today; write the year on the date line if it is this year's"
    ]
    # Up to two weeks ahead; further, or within the two days' grace: an old list, or today's.
    assert len(resolve([entry("one.txt", "--02-18")], {}, None, D(2027, 2, 4)).doubtful) == 1
    assert resolve([entry("one.txt", "--02-19")], {}, None, D(2027, 2, 4)).doubtful == []
    assert resolve([entry("one.txt", "--03-07")], {}, None, D(2027, 2, 4)).doubtful == []
    assert resolve([entry("one.txt", "--02-06")], {}, None, D(2027, 2, 4)).doubtful == []
    # A file named for the day (a scraper's, or typed) caps its dates at the clock's limit the
    # same way: `Feb 7` in 2027-02-04.txt was 2026-02-07, with no word at all.
    named = resolve([entry("2027-02-04.txt", "--02-07")], {}, None, D(2027, 2, 4))
    assert [e.source.listed for e in named.entries] == ["2026-02-07"]
    assert [why for _, why in named.doubtful] == [why for _, why in got.doubtful]
    # An old dump named for its day is no such case: its date is its name's.
    old = resolve([entry("2026-02-08.txt", "--02-07")], {}, None, D(2027, 2, 4))
    assert ([e.source.listed for e in old.entries], old.doubtful) == (["2026-02-07"], [])


def test_the_dumps_year_dated_are_named() -> None:
    dated = resolve(
        [entry("old.txt", "--03-12"), entry("2025-01-02.txt", "--01-02")], {}, 2019, D(2026, 1, 5)
    )
    assert dated.files_dated_by("setting") == {"old.txt"}
    assert dated.files_dated_by("file name") == {"2025-01-02.txt"}


def test_an_undated_dump_is_dated_by_its_file_name_or_the_ingest_day() -> None:
    got = resolve([entry("2025-02-03.txt", ""), entry("plain.txt", "")], {}, None, D(2026, 1, 5))
    assert [e.source.listed for e in got.entries] == ["2025-02-03", "2026-01-05"]


DUMP = "new\n\nSubscribe\n\n{date}\n\n{title}\n\n" + ABSTRACT + "\n"


def write_dump(site: Path, name: str, date: str, title: str) -> None:
    (site / "content" / "sources" / name).write_text(DUMP.format(date=date, title=title), encoding="utf-8")


def at(monkeypatch: pytest.MonkeyPatch, day: D) -> None:
    stamp = datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(stamp)))


def test_a_date_written_into_a_page_never_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2025, 12, 30))
    write_dump(site, "dec.txt", "Dec 29", "Winter Paper On Dates")
    run_ingest(site)
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    assert "listed: 2025-12-29" in page.read_text(encoding="utf-8")
    before = snapshot(site / "content")
    at(monkeypatch, D(2026, 6, 1))  # months later, and a year on: "Dec 29" would now be 2025 still,
    run_ingest(site)
    at(monkeypatch, D(2027, 2, 1))  # …and here 2026, were it inferred again
    run_ingest(site)
    assert snapshot(site / "content") == before


def test_a_persons_correction_of_a_date_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2025, 12, 30))
    write_dump(site, "dec.txt", "Dec 29", "Winter Paper On Dates")
    run_ingest(site)
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    page.write_text(page.read_text(encoding="utf-8").replace("2025-12-29", "2024-12-29"), encoding="utf-8")
    edited = page.read_text(encoding="utf-8")
    run_ingest(site)
    assert page.read_text(encoding="utf-8") == edited


def test_a_persons_correction_of_a_date_outlives_lines_added_above_and_a_moved_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer corrected `listed:` to the day before; a paper pasted above it in the dump
    (every line one entry down), or `git mv monday.txt 2025/11/`, brought the dump's day
    back without a word: the date was kept by dump line only."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2025, 11, 24))
    write_dump(site, "monday.txt", "Nov 24", "Winter Paper On Dates")
    run_ingest(site)
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    page.write_text(page.read_text(encoding="utf-8").replace("2025-11-24", "2025-11-23"), encoding="utf-8")
    dump = site / "content" / "sources" / "monday.txt"
    head, rest = dump.read_text(encoding="utf-8").split("Winter Paper On Dates", 1)
    pasted = "Another Paper Pasted Above\n\nWe study how pastes grow over a morning of reading.\n\n"
    dump.write_text(head + pasted + "Winter Paper On Dates" + rest, encoding="utf-8")
    run_ingest(site)
    assert "{file: monday.txt, line: 11, listed: 2025-11-23}" in page.read_text(encoding="utf-8")
    moved = site / "content" / "sources" / "2025" / "11"
    moved.mkdir(parents=True)
    dump.rename(moved / "monday.txt")
    run_ingest(site)
    assert "{file: 2025/11/monday.txt, line: 11, listed: 2025-11-23}" in page.read_text(encoding="utf-8")
    # A dump deleted is not a dump moved: a new one listing the paper at the same line keeps its own date.
    (moved / "monday.txt").unlink()
    at(monkeypatch, D(2026, 2, 2))
    write_dump(site, "other.txt", "Feb 2", "Winter Paper On Dates")
    run_ingest(site)
    assert "{file: other.txt, line: 7, listed: 2026-02-02}" in page.read_text(encoding="utf-8")


def test_a_dump_file_written_over_by_the_next_days_list_relists_its_papers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scraper overwrote `latest.txt` each day; a paper of Dec 31 listed again on Jan 2
    kept 2026-12-31 without a word (a reviewer), at the same line or another: the date a
    page held was kept by dump line, whatever day the dump now said."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2026, 12, 31))
    write_dump(site, "latest.txt", "Dec 31", "Winter Paper On Dates")
    run_ingest(site)
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    assert "{file: latest.txt, line: 7, listed: 2026-12-31}" in page.read_text(encoding="utf-8")
    at(monkeypatch, D(2027, 1, 2))
    write_dump(site, "latest.txt", "Jan 2", "Winter Paper On Dates")  # the same line
    run_ingest(site)
    assert "{file: latest.txt, line: 7, listed: 2027-01-02}" in page.read_text(encoding="utf-8")
    dump = site / "content" / "sources" / "latest.txt"
    at(monkeypatch, D(2027, 1, 3))
    pasted = "Another Paper Pasted Above\n\nWe study how pastes grow over a morning of reading.\n\n"
    head, rest = DUMP.format(date="Jan 3", title="Winter Paper On Dates").split("Winter Paper On Dates", 1)
    dump.write_text(head + pasted + "Winter Paper On Dates" + rest, encoding="utf-8")  # another line
    run_ingest(site)
    assert "{file: latest.txt, line: 11, listed: 2027-01-03}" in page.read_text(encoding="utf-8")
    again = page.read_text(encoding="utf-8")
    run_ingest(site)  # and it stays
    assert page.read_text(encoding="utf-8") == again


def undated_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: D) -> tuple[Path, Path]:
    """A site whose `papers.txt` has no date line, ingested on `day`; and its one page."""
    site = make_site(tmp_path, "dumps")
    undated = DUMP.replace("{date}\n\n", "").format(title="Winter Paper On Dates")
    (site / "content" / "sources" / "papers.txt").write_text(undated, encoding="utf-8")
    at(monkeypatch, day)
    run_ingest(site)
    return site, site / "content" / "papers" / "winter-paper-on-dates.md"


def test_a_dump_without_a_date_line_keeps_the_day_it_was_first_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After dates began to follow their dumps, a dump with no date line took the day of
    every ingest (a reviewer), and `ingest --check` failed the day after each run."""
    site, page = undated_site(tmp_path, monkeypatch, D(2026, 3, 12))
    assert "{file: papers.txt, line: 5, listed: 2026-03-12}" in page.read_text(encoding="utf-8")
    at(monkeypatch, D(2026, 3, 20))
    assert run_ingest(site, check=True).changed == []
    moved = site / "content" / "sources" / "2026"
    moved.mkdir()
    (site / "content" / "sources" / "papers.txt").rename(moved / "papers.txt")
    run_ingest(site)
    assert "{file: 2026/papers.txt, line: 5, listed: 2026-03-12}" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("moved", [False, True])
def test_a_dump_without_a_date_line_keeps_its_day_on_a_page_retitled_by_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moved: bool
) -> None:
    """A year of daily use: a paper from a dump pasted without its date line on 2026-03-15
    had its title corrected by hand on 2026-12-22, and that ingest moved it to 2026-12-22,
    the head of the home page and the feeds. The day its page holds was found by the
    page's titles alone, and the dump's title was none of them until that ingest made it an
    alias; the title ingest last wrote (`generated:`) finds it, also for a dump moved into
    a folder meanwhile."""
    site, page = undated_site(tmp_path, monkeypatch, D(2026, 3, 15))
    page.write_text(page.read_text(encoding="utf-8").replace("title: Winter Paper On Dates", "title: Mine"))
    file = "papers.txt"
    if moved:
        (site / "content" / "sources" / "2026").mkdir()
        (site / "content" / "sources" / "papers.txt").rename(
            site / "content" / "sources" / "2026" / "papers.txt"
        )
        file = "2026/papers.txt"
    at(monkeypatch, D(2026, 12, 22))
    run_ingest(site)
    text = page.read_text(encoding="utf-8")
    assert "title: Mine\n" in text and f"{{file: {file}, line: 5, listed: 2026-03-15}}" in text


def test_a_page_of_an_earlier_version_follows_its_dump_from_the_next_ingest_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages written before `generated: dates` existed never followed their dumps (a
    reviewer's upgraded `latest.txt` site): the record was made from dates the page did not
    hold, so the page read as corrected by hand for good. Dates that are the dump's are
    ingest's own from the upgrade on."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2026, 3, 12))
    write_dump(site, "latest.txt", "Mar 12", "Winter Paper On Dates")
    run_ingest(site)
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    old = re.sub(r", dates: \w+\}", "}", page.read_text(encoding="utf-8"))  # as an earlier version wrote it
    page.write_text(old, encoding="utf-8")
    run_ingest(site)  # the upgrade's ingest: the page's dates, the dump's, are ingest's
    at(monkeypatch, D(2026, 3, 16))
    write_dump(site, "latest.txt", "Mar 16", "Winter Paper On Dates")
    run_ingest(site)
    assert "{file: latest.txt, line: 7, listed: 2026-03-16}" in page.read_text(encoding="utf-8")


def test_a_date_corrected_before_the_record_existed_is_kept_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `listed:` date a person corrected under an earlier version (no `dates:` record) was
    taken as ingest's own by the upgrade's ingest, and put back to the dump's date by the
    next one, silently (a reviewer). A date the dump does not give is kept, and said once;
    written as the dump's again, it follows the dump."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2026, 3, 12))
    write_dump(site, "a.txt", "Mar 12", "Winter Paper On Dates")
    run_ingest(site)
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    old = re.sub(r", dates: \w+\}", "}", page.read_text(encoding="utf-8"))
    page.write_text(old.replace("listed: 2026-03-12}", "listed: 2026-03-11}"), encoding="utf-8")
    said = [p.format() for p in run_ingest(site).problems if "winter" in p.path]
    assert said == [
        f"content/papers/winter-paper-on-dates.md:{line_of(page.read_text(), 'sources')}: warning: "
        "kept its listed date, which the dumps do not give: an earlier site_builder kept no record "
        "of the dates it gave, so this one is taken as your correction (said once; write the "
        "dumps' date to have the page follow them again)"
    ]  # it said "the dumps now say something else" of dumps that had not changed
    for _ in range(2):
        assert run_ingest(site).changed == []
        assert "listed: 2026-03-11}" in page.read_text(encoding="utf-8")
    page.write_text(page.read_text().replace("listed: 2026-03-11}", "listed: 2026-03-12}"))
    write_dump(site, "a.txt", "Mar 13", "Winter Paper On Dates")  # its date line corrected
    run_ingest(site)
    assert "listed: 2026-03-13}" in page.read_text(encoding="utf-8")


def test_a_corrected_date_line_in_a_dump_corrects_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer fixed a dump's `Dec 30` to `Dec 31`: the pages stayed at Dec 30, silently.
    A page whose date a person corrected keeps it (the tests above); one whose date is
    still ingest's follows the dump's day, keeping its year."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2027, 1, 2))
    write_dump(site, "a.txt", "Dec 30", "Winter Paper On Dates")
    run_ingest(site)
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    assert "listed: 2026-12-30}" in page.read_text(encoding="utf-8")
    write_dump(site, "a.txt", "Dec 31", "Winter Paper On Dates")
    at(monkeypatch, D(2027, 6, 1))
    run_ingest(site)
    assert "listed: 2026-12-31}" in page.read_text(encoding="utf-8")
    # Corrected a year on, a day moves and its year stays (the clock alone gave 2027-03-11).
    site = make_site(tmp_path / "spring", "dumps")
    at(monkeypatch, D(2026, 3, 12))
    write_dump(site, "b.txt", "Mar 10", "Spring Paper On Dates")
    run_ingest(site)
    write_dump(site, "b.txt", "Mar 11", "Spring Paper On Dates")
    at(monkeypatch, D(2027, 6, 1))
    run_ingest(site)
    spring = site / "content" / "papers" / "spring-paper-on-dates.md"
    assert "{file: b.txt, line: 7, listed: 2026-03-11}" in spring.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["daily.txt", "2026-01-20.txt"])
def test_a_mistyped_date_line_put_a_year_back_follows_its_correction_into_this_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A paste of 2026-01-20 typed `Jan 29`: nine days ahead, so ingest dated it 2025-01-29
    and warned. The person corrected the line to `Jan 20` the next day, and the page went
    to 2025-01-20, a year back, silently: the correction kept the year of the date held,
    which only the clock had given (and gives the old line still). The clock's year for the
    corrected line stands; a year-old dump corrected keeps its year (the test above)."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2026, 1, 20))
    write_dump(site, name, "Jan 29", "Winter Paper On Dates")
    run_ingest(site)
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    assert "listed: 2025-01-29}" in page.read_text(encoding="utf-8")
    at(monkeypatch, D(2026, 1, 21))
    write_dump(site, name, "Jan 20", "Winter Paper On Dates")
    second = run_ingest(site)
    assert f"{{file: {name}, line: 7, listed: 2026-01-20}}" in page.read_text(encoding="utf-8")
    assert [p.message for p in second.problems if p.path.endswith(name)] == []


def test_a_year_written_on_a_corrected_date_line_is_the_pages_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A curator fixed `Dec 12` (dated a year back by the clock) to `Dec 12, 2026`: every page
    kept 2025-12-12, and the line warned of 2026-12-12 "after today", a date no page held.
    The same for `Jun 17, 2027` corrected to `Jun 17, 2026`, and to `Jun 18, 2026` (which
    went to 2027-06-18): a year the line writes wins."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2026, 12, 6))
    write_dump(site, "a.txt", "Dec 12", "Winter Paper On Dates")
    run_ingest(site)
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    assert "listed: 2025-12-12}" in page.read_text(encoding="utf-8")
    write_dump(site, "a.txt", "Dec 12, 2026", "Winter Paper On Dates")
    result = run_ingest(site)
    assert "listed: 2026-12-12}" in page.read_text(encoding="utf-8")
    assert [p.message for p in result.problems if p.path.endswith("a.txt")] == [
        "listed 2026-12-12, after today (2026-12-06): check the year"
    ]
    for line, listed in [
        ("Jun 17, 2027", "2027-06-17"),
        ("Jun 17, 2026", "2026-06-17"),
        ("Jun 18, 2026", "2026-06-18"),
    ]:
        write_dump(site, "a.txt", line, "Winter Paper On Dates")
        run_ingest(site)
        assert f"listed: {listed}}}" in page.read_text(encoding="utf-8"), line
    # A person's own correction of the date still wins over the line.
    page.write_text(page.read_text(encoding="utf-8").replace("listed: 2026-06-18}", "listed: 2026-06-19}"))
    write_dump(site, "a.txt", "Jun 18, 2025", "Winter Paper On Dates")
    run_ingest(site)
    assert "listed: 2026-06-19}" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("day", "line", "listed"),
    [
        (D(2027, 5, 10), "Friday, March 13th", "2026-03-13"),  # 2027-03-13 is a Saturday
        (D(2026, 6, 1), "Tuesday, March 12", "2024-03-12"),  # a backlog: not 2026's, a Thursday
        (D(2026, 3, 14), "Sat, March 14", "2026-03-14"),  # the clock's year already fits
    ],
)
def test_a_weekday_on_the_date_line_picks_the_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, day: D, line: str, listed: str
) -> None:
    """A reviewer's `Friday, March 13th`, ingested on 2027-05-10, was dated 2027-03-13, a
    Saturday: the weekday the line names was read and thrown away."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, day)
    write_dump(site, "old.txt", line, "Winter Paper On Dates")
    result = run_ingest(site)
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    assert f"listed: {listed}}}" in page.read_text(encoding="utf-8")
    assert not [p for p in result.problems if p.path.endswith("old.txt")]


def test_a_weekday_the_date_does_not_fall_on_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2027, 5, 10))
    write_dump(site, "written.txt", "Friday, March 13, 2027", "Winter Paper On Dates")
    said = [p.format() for p in run_ingest(site).problems if p.path.endswith("written.txt")]
    assert said == [
        "content/sources/written.txt:5: warning: Friday, but Mar 13, 2027 is a Saturday: check the date"
    ]


def test_a_weekday_the_year_setting_does_not_fit_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`year:` in site.yaml is a person's word, so a weekday does not move it: the mismatch
    is said at the date line, with the fix."""
    site = make_site(tmp_path, "dumps")
    (site / "content" / "site.yaml").write_text("year: 2026\n", encoding="utf-8")
    at(monkeypatch, D(2026, 5, 10))
    write_dump(site, "old.txt", "Friday, March 12", "Winter Paper On Dates")
    said = [p.format() for p in run_ingest(site).problems if p.path.endswith("old.txt")]
    assert said == [
        "content/sources/old.txt:5: warning: the date line says Friday, but `year:` in site.yaml "
        "dates it 2026-03-12, a Thursday: write the year on the date line"
    ]
    page = site / "content" / "papers" / "winter-paper-on-dates.md"
    assert "listed: 2026-03-12}" in page.read_text(encoding="utf-8")


def test_pages_written_before_dates_had_years_are_resolved_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2025, 12, 30))
    write_dump(site, "old.txt", "Mar 12", "An Old Paper")
    run_ingest(site)
    page = site / "content" / "papers" / "an-old-paper.md"
    page.write_text(page.read_text(encoding="utf-8").replace("2025-03-12", "Mar 12"), encoding="utf-8")
    run_ingest(site)
    assert "listed: 2025-03-12" in page.read_text(encoding="utf-8")


def test_a_page_s_listing_place_is_its_first_source_on_its_newest_day() -> None:
    """`Page.listed_at` orders a day's papers as the dumps listed them; an undated page has none."""
    sources = (
        Source("b.txt", 3, "2025-03-12"),
        Source("a.txt", 9, "2025-03-12"),
        Source("a.txt", 1, "2025-03-01"),
    )
    assert Page("p", "P", "", sources=sources).listed_at == ("a.txt", 9)
    assert Page("q", "Q", "", sources=(Source("a.txt", 2, ""), Source("b.txt", 1, "--03-12"))).listed_at == (
        "",
        0,
    )


def test_a_date_line_continues_the_calendar_of_the_one_before_it() -> None:
    """A reviewer's `Dec 30, 2024` then `Jan 2` gave 2026-01-02; with `year: 2025`, `Dec 30`
    then `Jan 2` put the later listing a year before the earlier one."""
    now = D(2026, 12, 5)
    got = resolve([entry("a.txt", "2024-12-30"), entry("a.txt", "--01-02")], {}, None, now)
    assert [e.source.listed for e in got.entries] == ["2024-12-30", "2025-01-02"]
    got = resolve([entry("a.txt", "--12-30"), entry("a.txt", "--01-02")], {}, 2025, now)
    assert [e.source.listed for e in got.entries] == ["2025-12-30", "2026-01-02"]
    far = resolve([entry("a.txt", "--03-12"), entry("a.txt", "--12-30")], {}, None, D(2026, 1, 5))
    assert [e.source.listed for e in far.entries] == ["2025-03-12", "2025-12-30"]  # not a continuation


def test_a_listing_a_day_ahead_of_the_clock_is_this_year_s() -> None:
    """`Jan 2` pasted on Dec 31 (a listing from a time zone ahead) is the coming Jan 2."""
    got = resolve([entry("a.txt", "--01-02")], {}, None, D(2026, 12, 31))
    assert [e.source.listed for e in got.entries] == ["2027-01-02"]


def test_a_moved_dump_keeps_the_dates_its_papers_pages_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer moved a.txt into sources/2026/ and, a year on, its papers were re-dated."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2026, 3, 20))
    write_dump(site, "a.txt", "Mar 12", "Spring Paper On Dates")
    run_ingest(site)
    page = site / "content" / "papers" / "spring-paper-on-dates.md"
    moved = site / "content" / "sources" / "2026"
    moved.mkdir()
    (site / "content" / "sources" / "a.txt").rename(moved / "a.txt")
    at(monkeypatch, D(2027, 6, 1))
    run_ingest(site)
    text = page.read_text(encoding="utf-8")
    assert "{file: 2026/a.txt, line: 7, listed: 2026-03-12}" in text and "2027-03-12" not in text


def test_a_new_dump_relisting_a_paper_a_year_on_keeps_its_own_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer's dump of `Mar 5` 2028 relisted one paper listed on Mar 5 2027: all four of
    its papers were dated 2027 (that one paper's page outvoted the clock)."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2027, 3, 5))
    write_dump(site, "a.txt", "Mar 5", "Anniversary Paper On Dates")
    run_ingest(site)
    new = {
        "Brand New Paper On Dates": "We train a small model to read calendars from scanned letters.",
        "A Second New Paper": "Routing queries between two language models halves the cost of serving.",
        "A Third New Paper": "A benchmark of legal questions shows where retrieval helps and where it hurts.",
    }
    body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in new.items())
    dump = DUMP.format(date="Mar 5", title="Anniversary Paper On Dates") + "\n" + body
    (site / "content" / "sources" / "b.txt").write_text(dump, encoding="utf-8")
    at(monkeypatch, D(2028, 3, 5))
    run_ingest(site)
    papers = site / "content" / "papers"
    assert "listed: 2028-03-05" in (papers / "brand-new-paper-on-dates.md").read_text(encoding="utf-8")
    relisted = (papers / "anniversary-paper-on-dates.md").read_text(encoding="utf-8")
    assert "{file: a.txt, line: 7, listed: 2027-03-05}" in relisted
    assert "{file: b.txt, line: 7, listed: 2028-03-05}" in relisted


def test_a_dump_moved_into_a_dated_folder_keeps_its_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer's `git mv history/old2.txt sorted-2026-01-05/old2.txt` re-dated its papers
    from 2025-03-05 to 2026-03-05: the folder's date came before the pages' memory."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2025, 12, 20))
    write_dump(site, "old2.txt", "Mar 5", "Spring Paper On Dates")
    run_ingest(site)
    moved = site / "content" / "sources" / "sorted-2026-01-05"
    moved.mkdir()
    (site / "content" / "sources" / "old2.txt").rename(moved / "old2.txt")
    at(monkeypatch, D(2026, 1, 5))
    run_ingest(site)
    text = (site / "content" / "papers" / "spring-paper-on-dates.md").read_text(encoding="utf-8")
    assert "{file: sorted-2026-01-05/old2.txt, line: 7, listed: 2025-03-05}" in text


def test_ingest_names_the_dumps_the_year_setting_dated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`year: 2024` left in site.yaml after an import dated a member's new dump 2024, silently."""
    site = make_site(tmp_path, "dumps")
    (site / "content" / "site.yaml").write_text("title: Dates\nyear: 2024\n", encoding="utf-8")
    at(monkeypatch, D(2026, 1, 4))
    write_dump(site, "today.txt", "Jan 4", "A Paper Of Today")
    result = run_ingest(site)
    warnings = [p.format() for p in result.problems if "year: 2024" in p.message]
    assert len(warnings) == 1 and warnings[0].startswith("content/site.yaml:2: warning: `year: 2024` dated ")
    assert "today.txt" in warnings[0]
    again = run_ingest(site)  # the pages remember their dates now
    assert not [p for p in again.problems if "year: 2024" in p.message]


def test_a_year_the_setting_puts_ahead_of_today_is_said_on_every_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer's `year: 2027`, left in site.yaml on 2027-01-02, dated a new `Dec 31` dump
    2027-12-31: it topped the home page, and only the general `year:` note was said."""
    site = make_site(tmp_path, "dumps")
    (site / "content" / "site.yaml").write_text("year: 2027\n", encoding="utf-8")
    at(monkeypatch, D(2027, 1, 2))
    write_dump(site, "late.txt", "Dec 31", "A Paper Of New Year")
    for _ in range(2):  # the second time the page's own date says it
        said = [p.format() for p in run_ingest(site).problems if p.path.endswith("late.txt")]
        assert len(said) == 1 and "warning: " in said[0], said
        assert "dates this 2027-12-31, after today (2027-01-02)" in said[0]


def test_a_listed_date_typed_ahead_of_today_in_a_page_is_said_on_every_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person corrected a page's `listed:` to 2028-01-04 for 2027-01-04: the paper headed
    the home page and the feed, and ingest, build and check said nothing (a reviewer). Dates
    the dumps give are said at the dump's line, not again at the page's."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2027, 1, 5))
    write_dump(site, "2027-01-04.txt", "Jan 4, 2027", "Winter Paper On Typed Years")
    other = "A second abstract, about something else entirely: sparse attention for protein folding."
    late = DUMP.format(date="Dec 31, 2027", title="A Paper Typed Ahead").replace(ABSTRACT, other)
    (site / "content" / "sources" / "late.txt").write_text(late, encoding="utf-8")  # said at its line
    run_ingest(site)
    [page] = (site / "content" / "papers").glob("winter-paper-on-typed-years*.md")
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("listed: 2027-01-04", "listed: 2028-01-04"), encoding="utf-8")
    for _ in range(2):  # kept as the person's, and said again
        said = [p.format() for p in run_ingest(site).problems if p.path.startswith("content/papers")]
        line = page.read_text(encoding="utf-8").splitlines().index("sources:") + 2
        assert said == [
            f"content/papers/{page.name}:{line}: warning: 'listed' 2028-01-04 is after today "
            "(2027-01-05), and no dump lists the paper then: check the year (until then the paper "
            "heads every newest-first list)"
        ]


def test_dates_ingest_wrote_are_not_called_typed_ahead_on_a_clock_that_is_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages whose dumps are gone keep the dates ingest gave them; on a clock set to 1980 each
    was warned as a person's mistyped year (a reviewer). Only a person's dates are."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2027, 2, 5))
    write_dump(site, "2027-02-01.txt", "Feb 1", "Winter Paper On Typed Years")
    run_ingest(site)
    (site / "content" / "sources" / "2027-02-01.txt").unlink()  # its page stays, as it is
    at(monkeypatch, D(1980, 1, 1))
    said = [p.format() for p in run_ingest(site).problems if p.path.startswith("content/papers")]
    assert not [line for line in said if "after today" in line], said


@pytest.mark.parametrize(
    ("epoch_day", "name", "lines", "refused"),
    [
        (
            D(1970, 1, 1),
            "dec.txt",
            ["Dec 31"],
            "Dec 31 is dated 1969-12-31 by SOURCE_DATE_EPOCH (1970-01-01)",
        ),
        (D(2026, 1, 4), "0001-01-01.txt", ["Dec 31"], "Dec 31 is dated 0001-12-31 by the dump's file name"),
        (
            D(2026, 1, 4),
            "end.txt",
            ["Dec 31, 2999", "Jan 1"],
            "Jan 1 is dated 3000-01-01 by the date line before it",
        ),
    ],
)
def test_a_year_out_of_range_is_an_error_at_its_date_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch_day: D, name: str, lines: list[str], refused: str
) -> None:
    """A reviewer wrote `listed: '1969-12-31'`, `'0001-12-31'` and `'3000-01-01'` into pages
    (and built `archive/3000/`), with no error: the docs say such a year is one."""
    site = make_site(tmp_path, "dumps")
    for other in (site / "content" / "sources").iterdir():
        other.unlink()
    at(monkeypatch, epoch_day)
    text = "".join(
        f"{line}\n\nA Paper Listed On {line.replace(',', '')}\n\nWe study calendars at the edges of time today.\n\n"
        for line in lines
    )
    (site / "content" / "sources" / name).write_text(text, encoding="utf-8")
    result = run_ingest(site)
    errors = [p.format() for p in result.problems if p.severity == "error"]
    at_line = 1 if len(lines) == 1 else 7  # the date line's own (the second: after one entry)
    assert len(errors) == 1 and errors[0].startswith(f"content/sources/{name}:{at_line}: "), errors
    assert refused in errors[0], errors
    assert "outside 1970–2999: write the year on the date line" in errors[0]
    written = "".join(p.read_text(encoding="utf-8") for p in (site / "content" / "papers").glob("*.md"))
    assert "listed: '" not in written and "3000-" not in written and "0001-" not in written


def test_a_clock_behind_the_pages_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build container's fixed SOURCE_DATE_EPOCH (1980) dated a new `Jan 8` dump 1979-01-08,
    silently, on a site whose newest page was listed 2027-01-07."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2027, 1, 7))
    write_dump(site, "jan7.txt", "Jan 7", "A Paper Of January Seventh")
    assert not [p for p in run_ingest(site).problems if "SOURCE_DATE_EPOCH" in p.format()]
    at(monkeypatch, D(1980, 1, 1))
    write_dump(site, "jan8.txt", "Jan 8", "A Paper Of January Eighth")
    said = [p.format() for p in run_ingest(site).problems if p.path == "SOURCE_DATE_EPOCH"]
    assert said == [
        "SOURCE_DATE_EPOCH: warning: today is 1980-01-01 by SOURCE_DATE_EPOCH, before the newest "
        "listing in the pages (2027-01-07, content/papers/a-paper-of-january-seventh.md), and it "
        "dated the yearless dates of 1 dump(s) (jan8.txt): check the clock, or write the year on "
        "their date lines"
    ]


def test_a_dump_named_with_its_date_keeps_it_on_a_clock_behind_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a 1980 clock `Mar 2` in 2028-03-02.txt was 1979-03-02, and on Jan 2 2029 `Jan 5` in
    2029-01-05.txt was 2028-01-05, silently and for good (a year-long review): a file name's
    own date past the clock is the clock's error, not the name's."""
    site = make_site(tmp_path / "a", "dumps")
    at(monkeypatch, D(1980, 1, 1))
    write_dump(site, "2028-03-02.txt", "Mar 2", "A Paper Of March Second")
    said = [p.format() for p in run_ingest(site).problems]
    assert "listed: 2028-03-02" in (site / "content" / "papers" / "a-paper-of-march-second.md").read_text()
    assert [m for m in said if m.startswith("content/sources/2028-03-02.txt:")] == [
        "content/sources/2028-03-02.txt:5: warning: the dump's file name dates this 2028-03-02, after "
        "today (1980-01-01): check the clock, or the file's name, or correct it in the page"
    ]
    site = make_site(tmp_path / "b", "dumps")
    at(monkeypatch, D(2029, 1, 2))
    write_dump(site, "2029-01-05.txt", "Jan 5", "A Paper Of January Fifth")
    run_ingest(site)
    assert "listed: 2029-01-05" in (site / "content" / "papers" / "a-paper-of-january-fifth.md").read_text()


def test_a_file_written_over_a_year_on_is_not_dated_by_one_paper_it_lists_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scraper's `latest.txt`, written over each day: `Dec 31` a year on, listing one
    paper of the year before again among new ones, was dated the year before, silently, and
    its new papers went to last year's archive (a year-long review)."""
    site = make_site(tmp_path, "dumps")
    dump = site / "content" / "sources" / "latest.txt"

    def write(date: str, titles: list[str]) -> None:
        body = "".join(f"{t}\n\n{ABSTRACTS[t]}\n\n" for t in titles)
        dump.write_text(f"new\n\nSubscribe\n\n{date}\n\n{body}", encoding="utf-8")

    at(monkeypatch, D(2027, 12, 31))
    write("Dec 31", ["Alpha Paper On Widgets", "Beta Paper On Gadgets"])
    run_ingest(site)
    at(monkeypatch, D(2028, 1, 1))
    write("Jan 1", ["Delta Paper On Things"])
    run_ingest(site)
    at(monkeypatch, D(2028, 12, 31))
    write("Dec 31", ["Gamma New Paper", "Alpha Paper On Widgets", "Zeta New Paper"])
    run_ingest(site)
    papers = site / "content" / "papers"
    assert "listed: 2028-12-31" in (papers / "gamma-new-paper.md").read_text()
    # The paper listed again keeps the date its page holds from that file (docs/safety.md:
    # one file per day keeps every day a paper was listed).
    assert "listed: 2027-12-31" in (papers / "alpha-paper-on-widgets.md").read_text()
    run_ingest(site)  # and again: the dates stand
    assert "listed: 2028-12-31" in (papers / "zeta-new-paper.md").read_text()


ABSTRACTS = {
    "Alpha Paper On Widgets": "We build widgets from sparse attention and measure their latency on phones.",
    "Delta Paper On Things": "A benchmark of household things tests whether agents can find and move them.",
    "Beta Paper On Gadgets": "Gadget tuning lets a small model call calculators and maps with few examples.",
    "Gamma New Paper": "Reward models for code review are trained on pull requests and their comments.",
    "Zeta New Paper": "We translate legal contracts between eleven languages and score the drift.",
}


def test_papers_added_to_a_dump_leave_its_dates_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer added two papers above the others of `Mar 12` a year on: 2 of 4 papers
    remembered 2026, not more than half, so the clock dated the line 2027, and the `Mar 13`
    line after it followed, though all its papers remembered 2026."""
    site = make_site(tmp_path, "dumps")
    dump = site / "content" / "sources" / "dump.txt"

    def write(*lines: tuple[str, list[str]]) -> None:
        text = "new\n\nSubscribe\n\n"
        for date, titles in lines:
            text += f"{date}\n\n" + "".join(f"{t}\n\n{ABSTRACTS[t]}\n\n" for t in titles)
        dump.write_text(text, encoding="utf-8")

    at(monkeypatch, D(2026, 3, 20))
    write(
        ("Mar 12", ["Alpha Paper On Widgets", "Delta Paper On Things"]), ("Mar 13", ["Beta Paper On Gadgets"])
    )
    run_ingest(site)
    at(monkeypatch, D(2027, 3, 20))
    write(
        ("Mar 12", ["Gamma New Paper", "Zeta New Paper", "Alpha Paper On Widgets", "Delta Paper On Things"]),
        ("Mar 13", ["Beta Paper On Gadgets"]),
    )
    run_ingest(site)
    papers = site / "content" / "papers"
    listed = {
        p.stem: re.findall(r"listed: (\S+)}", p.read_text(encoding="utf-8")) for p in papers.glob("*.md")
    }
    assert listed["alpha-paper-on-widgets"] == ["2026-03-12"]
    assert listed["beta-paper-on-gadgets"] == ["2026-03-13"]
    assert listed["gamma-new-paper"] == ["2026-03-12"]  # listed in the same dump, on the same day


def test_a_calendar_with_feb_29_is_not_moved_to_a_year_without_it() -> None:
    """`Feb 28`, `Feb 29`, `Mar 5` on 2028-03-01 ran past the clock; moved a year back, the
    29th became the 28th of 2027, two listing days made one."""
    dump = [entry("d.txt", "--02-28"), entry("d.txt", "--02-29"), entry("d.txt", "--03-05")]
    got = [e.source.listed for e in resolve(dump, {}, None, D(2028, 3, 1)).entries]
    assert got[1] == "2028-02-29" and len(set(got)) == 3


def test_a_new_dump_relisting_every_paper_a_year_on_keeps_its_own_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer's `2026-12-31.txt` relisted two of last Dec 31's papers and added one: all
    three were dated 2025-12-31, the majority of its papers outvoting its file name and the
    clock (and a one-paper `today.txt` relisting one is all relisted). The first dump is
    still there, so it is not this one moved."""
    site = make_site(tmp_path, "dumps")
    at(monkeypatch, D(2025, 12, 31))
    write_dump(site, "2025-12-31.txt", "Dec 31", "Year End Paper On Dates")
    run_ingest(site)
    write_dump(site, "2026-12-31.txt", "Dec 31", "Year End Paper On Dates")
    write_dump(site, "today.txt", "Dec 31", "Year End Paper On Dates")
    at(monkeypatch, D(2026, 12, 31))
    run_ingest(site)
    text = (site / "content" / "papers" / "year-end-paper-on-dates.md").read_text(encoding="utf-8")
    assert "{file: 2025-12-31.txt, line: 7, listed: 2025-12-31}" in text
    assert "{file: 2026-12-31.txt, line: 7, listed: 2026-12-31}" in text
    assert "{file: today.txt, line: 7, listed: 2026-12-31}" in text


def test_dates_a_person_should_check_are_named_at_their_line() -> None:
    """`Feb 29` in 2027-03-01.txt became 2024-02-29, three years back, and `Mar 12, 2062`
    headed every newest-first list, both without a word (a reviewer's dumps)."""
    dump = [entry("2027-03-01.txt", "--02-29"), entry("2027-03-01.txt", "2062-03-12")]
    got = resolve(dump, {}, None, D(2027, 3, 1))
    assert [e.source.listed for e in got.entries] == ["2024-02-29", "2062-03-12"]
    assert got.doubtful == [
        (
            7,
            "Feb 29 dated 2024-02-29, the leap year before 2027-03-01: write the year on the date line if it is another",
        ),
        (7, "listed 2062-03-12, after today (2027-03-01): check the year"),
    ]
    # Two years from a leap year on either side (2026): ingest stopped with a traceback
    between = resolve([entry("2026-03-01.txt", "--02-29")], {}, None, D(2026, 3, 1))
    assert [e.source.listed for e in between.entries] == ["2024-02-29"]
    assert between.doubtful == [
        (
            7,
            "Feb 29 dated 2024-02-29, the leap year before 2026-03-01: write the year on the date line if it is another",
        )
    ]
    # Feb 29 of the year before, a date two days ahead: fine
    quiet = resolve([entry("a.txt", "--02-29"), entry("a.txt", "2025-03-03")], {}, None, D(2025, 3, 1))
    assert quiet.doubtful == []


def test_feb_29_is_found_however_far_the_nearest_leap_year() -> None:
    """`nearest` looked one year either side, and found no Feb 29 near 2026; `latest_not_after`
    looked back for ever, past year 1, for a month-day no year has."""
    assert nearest(2, 29, D(2026, 3, 1)) == D(2028, 2, 29)
    assert nearest(2, 29, D(1900, 6, 1)) == D(1904, 2, 29)
    assert nearest(3, 1, D(2026, 3, 1)) == D(2026, 3, 1)
    assert latest_not_after(2, 29, D(2026, 3, 1)) == D(2024, 2, 29)
    with pytest.raises(ValueError):
        latest_not_after(2, 29, D(3, 12, 31))  # no leap year before year 4


month_days = st.one_of(  # Feb 29 often: the one month-day some years lack
    st.just("--02-29"), st.dates(D(2024, 1, 1), D(2024, 12, 31)).map(lambda d: f"--{d.month:02}-{d.day:02}")
)
listings = st.one_of(month_days, st.dates(D(1970, 1, 1), D(2999, 12, 31)).map(D.isoformat))
file_names = st.one_of(
    st.just("plain.txt"), st.dates(D(1, 1, 1), D(9999, 12, 31)).map(lambda d: f"{d.isoformat()}.txt")
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(file_names, listings), min_size=1, max_size=6),
    st.dates(D(1970, 1, 1), D(2999, 12, 31)),
    st.one_of(st.none(), st.integers(1970, 2999)),
)
def test_any_listing_in_any_dump_is_dated_or_refused_at_its_line(
    listed: list[tuple[str, str]], now: datetime.date, year: int | None
) -> None:
    """Whatever the month-day, the file name's date and the clock, every entry gets a date
    in range or an error at its line: `Feb 29` in 2026-03-01.txt stopped ingest."""
    got = resolve([entry(file, day) for file, day in listed], {}, year, now)
    for e in got.entries:
        assert 1970 <= datetime.date.fromisoformat(e.source.listed).year <= 2999
    assert len(got.entries) + len(got.errors) >= 1


def test_papers_added_under_a_line_whose_pages_have_aliases_keep_its_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page counted once per month-day, not once per title and alias: two pages with
    titles edited by hand (so two keys each) made two papers still under the line look like
    a minority, and a paper added under it a year on was dated the next year (a code review)."""
    site = make_site(tmp_path, "dumps")
    dump = site / "content" / "sources" / "digest.txt"

    def write(titles: list[str]) -> None:
        body = "".join(f"{t}\n\n{ABSTRACTS[t]}\n\n" for t in titles)
        dump.write_text(f"new\n\nSubscribe\n\nMar 12\n\n{body}", encoding="utf-8")

    at(monkeypatch, D(2024, 3, 20))
    write(["Alpha Paper On Widgets", "Beta Paper On Gadgets"])
    run_ingest(site)
    papers = site / "content" / "papers"
    for name in ("alpha-paper-on-widgets", "beta-paper-on-gadgets"):
        page = papers / f"{name}.md"
        page.write_text(page.read_text().replace("title: ", "title: Edited ", 1))
    at(monkeypatch, D(2024, 3, 21))
    run_ingest(site)  # the dumps' titles become aliases
    at(monkeypatch, D(2025, 4, 1))
    write(["Alpha Paper On Widgets", "Beta Paper On Gadgets", "Gamma New Paper"])
    run_ingest(site)
    assert "listed: 2024-03-12" in (papers / "gamma-new-paper.md").read_text()


def test_a_date_line_is_read_once_not_once_for_each_paper_under_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A day's ingest dates every entry of every dump (15,000 at 10,000 papers, on a few
    hundred date lines), and reads every page's listing dates: each date is read once per
    line (and once per distinct date among the pages), which is what it depends on."""
    reads: list[str] = []
    for name in ("listing_date", "month_day"):
        function = getattr(dates, name)
        monkeypatch.setattr(dates, name, lambda text, function=function: reads.append(text) or function(text))
    entries = [
        Entry(
            f"Paper {n}", ABSTRACT, Source("2025-12-31.txt", 10 + 2 * n, "--12-30" if n < 100 else "--12-31")
        )
        for n in range(200)
    ]
    pages = [
        StoredPage(
            Path(f"p{n}.md"),
            Page(f"p{n}", e.title, ABSTRACT, sources=(replace(e.source, listed=day),)),
            {},
            "",
        )
        for n, (e, day) in enumerate(zip(entries, ["2025-12-30"] * 100 + ["2025-12-31"] * 100, strict=True))
    ]
    known, titles = known_dates(pages)
    assert len(reads) == 2
    reads.clear()
    dated = resolve(entries, known, None, D(2026, 1, 2), titles)
    assert [e.source.listed for e in dated.entries] == ["2025-12-30"] * 100 + ["2025-12-31"] * 100
    assert len(reads) < 30, len(reads)  # a few reads a line: 602 before

"""`site-builder add`: a pasted listing saved under its full date, checked first, never over a file."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from site_builder.commands.add import add_inputs
from site_builder.commands.init import init_site
from site_builder.ingest.dumps.files import MAX_FILE_BYTES
from tests.ingest_helpers import DATA, run_cli

LISTING = (DATA / "dumps" / "2024-03-12.txt").read_bytes()  # "Mar 12", no year
DEC_2026 = "1796428800"  # 2026-12-05, UTC


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    init_site(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_2026)
    return root


def add(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, site: Path, data: bytes
) -> tuple[int, str, str]:
    """`site-builder add` with `data` pasted on standard input."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    return run_cli(capsys, "--root", str(site), "add")


def test_a_paste_is_saved_under_the_date_ingest_would_give_it(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Mar 12` pasted in December 2026 is this year's: the file says 2026-03-12 for good,
    so an ingest a year on cannot read it as 2027's."""
    code, out, err = add(capsys, monkeypatch, site, LISTING)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "saved content/sources/2026-03-12.txt: 3 paper(s), listed Mar 12, 2026",
        f"next: site-builder --root {site} ingest, then site-builder --root {site} build",
    ]
    assert (site / "content" / "sources" / "2026-03-12.txt").read_bytes() == LISTING  # as pasted
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(DEC_2026) + 400 * 86400))  # a year and more on
    assert run_cli(capsys, "--root", str(site), "ingest")[0] == 0
    page = sorted((site / "content" / "papers").glob("*.md"))[0].read_text(encoding="utf-8")
    assert "listed: '2026-03-12'" in page or "listed: 2026-03-12" in page


def test_the_same_paste_twice_is_saved_once_and_another_of_that_day_beside_it(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add(capsys, monkeypatch, site, LISTING)
    code, out, _ = add(capsys, monkeypatch, site, LISTING)
    assert code == 0 and out == "already saved as content/sources/2026-03-12.txt: nothing added\n"
    other = LISTING.replace(b"QuickServe", b"QuickerServe")  # another paste of the same day
    code, out, _ = add(capsys, monkeypatch, site, other)
    assert code == 0 and out.startswith("saved content/sources/2026-03-12-2.txt: ")
    assert (site / "content" / "sources" / "2026-03-12.txt").read_bytes() == LISTING  # never replaced


def test_a_paste_that_is_no_listing_is_refused_at_its_line_and_nothing_is_saved(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = add(capsys, monkeypatch, site, b"hello world\n")
    assert code == 1 and out == ""
    assert (
        "<stdin>: error: no paper found: a listing is a date, then each paper's title and its abstract" in err
    )
    # Two lines, read as a title and a one-word abstract: a paper titled "hello" was saved.
    code, out, err = add(capsys, monkeypatch, site, b"hello\nworld\n")
    assert code == 1 and out == "" and "<stdin>: error: no date line and no abstract of 10 words" in err
    misspelt = LISTING.replace(b"Mar 12", b"Marhc 12")
    code, _, err = add(capsys, monkeypatch, site, misspelt)
    line = LISTING.split(b"\n").index(b"Mar 12") + 1
    assert (
        code == 1 and f"<stdin>:{line}: error: 'Marhc 12' reads as a date line with a misspelt month" in err
    )
    assert sorted(p.name for p in (site / "content" / "sources").iterdir()) == [".gitkeep"]


@pytest.mark.parametrize("one_line", [False, True])
def test_a_pages_html_source_is_refused_as_such(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, one_line: bool
) -> None:
    """A listing copied as HTML source was saved, warned only of its tags as titles, and made
    pages such as `div-class-date-mar-12-div.md` (on one line: refused as "no date line and
    no abstract", which it had)."""
    lines = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>Daily Papers</title></head><body>',
        '<div class="date">Mar 12</div>',
        "<h3>QuickServe: Prefix-Aware Batching for LLM Serving</h3>",
        "<p>We present QuickServe, a serving system that batches requests by prefix and reuses caches.</p>",
        "</body></html>",
    ]
    code, out, err = add(capsys, monkeypatch, site, ("" if one_line else "\n").join(lines).encode())
    assert (code, out) == (1, "")
    assert err == (
        "<stdin>:1: error: a web page's HTML source, not its text: copy the listing as the browser "
        "shows it; the file is skipped\n"
    )
    assert sorted(p.name for p in (site / "content" / "sources").iterdir()) == [".gitkeep"]
    # Saved as a dump all the same, ingest reads nothing of it and says why.
    (site / "content" / "sources" / "page.txt").write_text("\n".join(lines[2:5]) * 2, encoding="utf-8")
    code, _, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 1 and "content/sources/page.txt:1: error: a web page's HTML source" in err
    assert list((site / "content" / "papers").glob("*.md")) == []


def test_files_are_added_each_under_its_date_and_a_missing_one_is_named(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(LISTING)
    second.write_bytes((DATA / "dumps" / "2024-03-13.txt").read_bytes())
    code, out, err = run_cli(
        capsys, "--root", str(site), "add", str(first), str(second), str(tmp_path / "c.txt")
    )
    assert code == 1  # one of three could not be read
    assert f"{tmp_path / 'c.txt'}: error: cannot read: No such file or directory" in err
    assert [line.split(":")[0] for line in out.splitlines()[:2]] == [
        "saved content/sources/2026-03-12.txt",
        "saved content/sources/2026-03-13.txt",
    ]


def test_a_file_over_the_size_limit_is_refused_and_nothing_saved(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As ingest would refuse it: a file of 64 MiB or more is no listing. It is read no
    further than the limit: a file twice its size, or /dev/zero, was read whole first."""
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(2 * MAX_FILE_BYTES)  # sparse: costs no disk
    code, out, err = run_cli(capsys, "--root", str(site), "add", str(huge))
    assert (code, out) == (1, "")
    assert err == f"{huge}: error: more than {MAX_FILE_BYTES:,} bytes; dumps over that size are refused\n"
    assert not list((site / "content" / "sources").glob("*.txt"))


def test_a_paste_is_read_no_further_than_the_size_limit(site: Path) -> None:
    """Standard input is asked for a byte past the limit, not for all it holds (a log piped
    in by mistake, `yes | site-builder add`, never ended)."""
    asked: list[int] = []

    def read_stdin(size: int) -> bytes:
        asked.append(size)
        return b"y\n" * (size // 2 + 1)

    (added,) = add_inputs(site, [], read_stdin)
    assert asked == [MAX_FILE_BYTES + 1]
    assert [p.message for p in added.problems] == [
        f"more than {MAX_FILE_BYTES:,} bytes; dumps over that size are refused"
    ]


def test_a_listing_without_a_date_line_is_saved_under_today(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    undated = b"\n".join(line for line in LISTING.split(b"\n") if line != b"Mar 12")
    code, out, _ = add(capsys, monkeypatch, site, undated)
    assert code == 0 and out.startswith(
        "saved content/sources/2026-12-05.txt: 3 paper(s), listed Dec 5, 2026"
    )


def test_the_same_listing_pasted_with_other_line_ends_is_not_saved_again(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pbpaste, xclip and a terminal paste differ in a final newline or CRLF: the same papers
    on the same day are the same listing (ingest would warn of two dumps listing them)."""
    add(capsys, monkeypatch, site, LISTING)
    code, out, _ = add(capsys, monkeypatch, site, LISTING.replace(b"\n", b"\r\n") + b"\r\n")
    assert code == 0 and out == "already saved as content/sources/2026-03-12.txt: nothing added\n"


def test_the_name_is_not_taken_from_the_path_it_came_by_nor_over_a_link(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file under a folder named by a date is dated by the clock, as a paste is (the saved
    file's name is what ingest reads); a link to nowhere holds its name (add looped on it)."""
    folder = tmp_path / "2020-05-01"
    folder.mkdir()
    (folder / "a.txt").write_bytes(LISTING)
    (site / "content" / "sources" / "2026-03-12.txt").symlink_to(tmp_path / "nowhere")
    code, out, err = run_cli(capsys, "--root", str(site), "add", str(folder / "a.txt"))
    assert code == 0, err
    assert out.startswith("saved content/sources/2026-03-12-2.txt: 3 paper(s), listed Mar 12, 2026\n")


def test_papers_whose_pages_hold_a_year_are_named_by_it_as_ingest_dates_them(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dump ingested in 2025, removed, and pasted again a year on: ingest keeps the pages'
    2025 (a moved dump keeps its dates), so add names it 2025 too."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(DEC_2026) - 365 * 86400))
    (site / "content" / "sources" / "daily.txt").write_bytes(LISTING)
    assert run_cli(capsys, "--root", str(site), "ingest")[0] == 0
    (site / "content" / "sources" / "daily.txt").unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DEC_2026)
    code, out, _ = add(capsys, monkeypatch, site, LISTING)
    assert code == 0 and out.startswith(
        "saved content/sources/2025-03-12.txt: 3 paper(s), listed Mar 12, 2025"
    )


def test_a_listing_whose_days_lie_far_apart_is_named_as_ingest_will_date_it_and_said(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Jan 10` then `Nov 30`, pasted on 2026-12-05: the clock says both are 2026's, but a
    file named 2026-01-10 dates Nov 30 as the nearest, 2025's. The name and ingest agree;
    the move is a warning at its line."""
    later = LISTING.replace(b"Mar 12", b"Nov 30")
    split = later.index(b"Nov 30")
    text = LISTING.replace(b"Mar 12", b"Jan 10") + b"\n" + later[split:].replace(b"QuickServe", b"SlowServe")
    code, out, err = add(capsys, monkeypatch, site, text)
    assert code == 0, err
    saved = out.split(":")[0].removeprefix("saved ")
    name = saved.rsplit("/", 1)[1]
    assert "dated by its file name" in err and "write the year on the date line" in err
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(DEC_2026) + 400 * 86400))
    assert run_cli(capsys, "--root", str(site), "ingest")[0] == 0
    listed = {
        line.split("listed: ")[1].strip("'}")
        for page in (site / "content" / "papers").glob("*.md")
        for line in page.read_text(encoding="utf-8").splitlines()
        if "listed: " in line
    }
    # Named by the first listing (Jan 10), which ingest dates as the name does; Nov 30 is
    # 2025's, as the warning said.
    assert name == "2026-01-10.txt" and listed == {"2026-01-10", "2025-11-30"}, (name, listed)
    assert "2025-11-30" in err


def test_standard_input_named_twice_is_added_once(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(LISTING)))
    code, out, _ = run_cli(capsys, "--root", str(site), "add", "-", "-")
    assert (
        code == 0 and out.splitlines()[1] == "already saved as content/sources/2026-03-12.txt: nothing added"
    )


def test_a_date_the_clock_puts_a_year_back_is_said_when_it_names_the_file(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`Jan 11` pasted on Jan 1, 2027 is put a year back by the clock (Jan 11, 2027 lies
    ahead), as ingest warns; saved as 2026-01-11.txt it would be dated so by its name, on
    every ingest, without a word: `add` says it when it chooses the name (a reviewer)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798797600")  # 2027-01-01 10:00 UTC
    listing = LISTING.replace(b"Mar 12", b"Jan 11")
    code, out, err = add(capsys, monkeypatch, site, listing)
    assert code == 0 and out.startswith("saved content/sources/2026-01-11.txt: ")
    assert "<stdin>:9: warning: " in err and "dates this 2026-01-11, a year back" in err
    assert "2027-01-11 would be 10 days after today" in err and "rename the saved file" in err
    # A year written on the line beats the file's name: no advice to rename it.
    code, _, err = add(capsys, monkeypatch, site, LISTING.replace(b"Mar 12", b"Mar 12, 2062"))
    assert code == 0 and "listed 2062-03-12, after today" in err and "rename the saved file" not in err, err

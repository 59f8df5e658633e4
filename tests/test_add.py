"""`site-builder add`: a pasted listing saved under its full date, checked first, never over a file."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from site_builder.commands.init import init_site
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
    misspelt = LISTING.replace(b"Mar 12", b"Marhc 12")
    code, _, err = add(capsys, monkeypatch, site, misspelt)
    line = LISTING.split(b"\n").index(b"Mar 12") + 1
    assert (
        code == 1 and f"<stdin>:{line}: error: 'Marhc 12' reads as a date line with a misspelt month" in err
    )
    assert sorted(p.name for p in (site / "content" / "sources").iterdir()) == [".gitkeep"]


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


def test_a_listing_without_a_date_line_is_saved_under_today(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    undated = b"\n".join(line for line in LISTING.split(b"\n") if line != b"Mar 12")
    code, out, _ = add(capsys, monkeypatch, site, undated)
    assert code == 0 and out.startswith(
        "saved content/sources/2026-12-05.txt: 3 paper(s), listed Dec 5, 2026"
    )

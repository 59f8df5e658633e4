"""A page a person dates after today (`date:` ahead, no listing) waits for its day, as Hugo
and Jekyll hold back a future post: `build --future` (and `serve --future`) shows it sooner.

What a reader notices: until its day the site is, byte for byte, the site without the
page; from its day on (the clock is `SOURCE_DATE_EPOCH` here) the next build publishes it,
a cached build included. A paper the dumps list is on the site whatever its `date:` says.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from helpers import copy_site, tree, write_synthetic_pages
from ingest_helpers import run_cli

from site_builder.build.pipeline import build_site
from site_builder.commands.serve import DevServer

DAY = datetime.date(2027, 3, 1)
NOTE = "---\ntitle: Reading Group Plans for March\ndate: 2027-03-01\n---\nWe read three papers on routing.\n"
LABEL = "content/papers/march-plans.md"


def epoch(day: datetime.date) -> str:
    """`SOURCE_DATE_EPOCH` for noon (UTC) of `day`."""
    return str(int(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC).timestamp()))


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture site and 20 more papers; today is the day before the note's."""
    root = copy_site(tmp_path / "site")
    write_synthetic_pages(root / "content" / "papers", 20)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(DAY - datetime.timedelta(days=1)))
    return root


def add_note(root: Path, text: str = NOTE) -> None:
    (root / LABEL).write_text(text, encoding="utf-8")


def test_a_page_dated_ahead_is_left_out_of_everything_until_its_day(site: Path, tmp_path: Path) -> None:
    build_site(site, out=tmp_path / "without", cache=False)
    add_note(site)
    report = build_site(site, out=tmp_path / "ahead", cache=False)
    assert tree(tmp_path / "ahead") == tree(
        tmp_path / "without"
    )  # no page, list, feed, sitemap or search entry
    said = report.summary()
    assert f"1 page(s) dated after today left out until their day: {LABEL} (2027-03-01)" in said[1]
    assert "`--future` builds them" in said[1]


def test_on_its_day_the_next_build_publishes_it_from_the_cache_too(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_note(site)
    build_site(site)
    page = site / "_site" / "papers" / "march-plans.html"
    assert not page.exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(DAY))
    report = build_site(site)  # nothing but the day changed: the cached build must see it
    assert page.is_file() and not report.ahead
    home = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert "Reading Group Plans for March" in home and 'datetime="2027-03-01"' in home
    assert "papers/march-plans.html" in (site / "_site" / "sitemap.xml").read_text(encoding="utf-8")
    build_site(site, out=tmp_path / "cold", cache=False)
    assert tree(site / "_site") == tree(tmp_path / "cold")  # the cached build is the one from nothing


def test_future_on_the_command_line_builds_it_and_help_names_it(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_note(site)
    code, out, _ = run_cli(capsys, "--root", str(site), "build")
    assert code == 0 and "1 page(s) dated after today left out" in out
    assert not (site / "_site" / "papers" / "march-plans.html").exists()
    code, out, _ = run_cli(capsys, "--root", str(site), "build", "--future")
    assert code == 0 and "dated after today" not in out
    assert (site / "_site" / "papers" / "march-plans.html").is_file()
    for name in ("build", "serve"):
        code, out, _ = run_cli(capsys, name, "--help")
        assert code == 0 and "--future build pages whose `date:` is after today too" in " ".join(out.split())


def test_serve_future_builds_it(site: Path) -> None:
    add_note(site)
    server = DevServer(site, site / "_site", 0, say=lambda *a: None, warn=lambda *a: None, future=True)
    try:
        assert server.rebuild()
        assert (site / "_site" / "papers" / "march-plans.html").is_file()
    finally:
        server.httpd.server_close()


def test_a_listed_paper_is_on_the_site_whatever_its_date_says(site: Path) -> None:
    """`date:` dates only a page no listing dates: a person's `date:` on a paper the dumps
    list does not take it off the site."""
    page = site / "content" / "papers" / "paged-attention-revisited.md"  # listed on 2025-03-12
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\n", "\ndate: 2027-03-01\n", 1), encoding="utf-8")
    report = build_site(site)
    assert not report.ahead
    assert (site / "_site" / "papers" / f"{page.stem}.html").is_file()


def test_check_counts_it_and_a_link_to_it_is_not_broken(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content" / "pages").mkdir()
    about = "---\ntitle: About\n---\nSee [our plans](papers/march-plans.html).\n"
    (site / "content" / "pages" / "about.md").write_text(about, encoding="utf-8")
    add_note(site)
    build_site(site)
    code, out, err = run_cli(capsys, "--root", str(site), "check")
    assert code == 0 and "no such file" not in err, err
    assert "1 page(s) dated after today left out of the site until their day" in out
    build_site(site, future=True)
    code, out, _ = run_cli(capsys, "--root", str(site), "check")
    assert code == 0 and "1 page(s) dated after today built, as `build --future` previews them" in out

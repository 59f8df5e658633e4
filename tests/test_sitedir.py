"""The output folder swap: atomic replacement, leftovers of dead builds, refusing strangers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder.build import sitedir
from site_builder.build.sitedir import check_replaceable, clean_leftovers, make_temp_dir, swap_into_place
from site_builder.errors import SiteError


def site(path: Path, text: str) -> Path:
    path.mkdir(parents=True)
    (path / ".nojekyll").write_text("")
    (path / "index.html").write_text(text)
    return path


@pytest.mark.parametrize("exchange", [True, False])
def test_swap_replaces_the_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(sitedir, "_exchange", lambda a, b: False)
    out = site(tmp_path / "_site", "old")
    new = make_temp_dir(out)
    (new / "index.html").write_text("new")
    swap_into_place(new, out)
    assert (out / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_first_build_just_renames(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "_site"
    new = make_temp_dir(out)
    assert new.parent == out.parent and new.name.startswith(f"_site.tmp-{os.getpid()}-")
    swap_into_place(new, out)
    assert out.is_dir() and sorted(p.name for p in out.parent.iterdir()) == ["_site"]


def test_leftovers_of_dead_builds_go_and_live_ones_stay(tmp_path: Path) -> None:
    out = site(tmp_path / "_site", "current")
    dead = tmp_path / "_site.tmp-999999999-x1"
    dead.mkdir()
    live = tmp_path / f"_site.tmp-{os.getppid()}-x2"  # our parent is alive
    live.mkdir()
    other = tmp_path / "_site.tmp-notes"  # not our naming: never touched
    other.mkdir()
    assert clean_leftovers(out) == [dead]
    assert live.exists() and other.exists() and out.exists()


def test_a_swap_cut_short_is_repaired(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    old = site(tmp_path / "_site.old-999999999-ab", "previous")  # killed between the two renames
    clean_leftovers(out)
    assert (out / "index.html").read_text() == "previous" and not old.exists()


def test_refuses_folders_that_are_not_sites(tmp_path: Path) -> None:
    check_replaceable(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    check_replaceable(tmp_path / "empty")
    check_replaceable(site(tmp_path / "ours", "x"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("x")
    with pytest.raises(SiteError, match="refusing to replace this folder"):
        check_replaceable(tmp_path / "docs")
    (tmp_path / "file").write_text("x")
    with pytest.raises(SiteError, match="not a folder"):
        check_replaceable(tmp_path / "file")

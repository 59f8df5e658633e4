"""The output folder swap: atomic replacement, leftovers of dead builds, refusing strangers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder.build import sitedir
from site_builder.build.sitedir import (
    GENERATOR,
    check_output,
    clean_leftovers,
    is_mount_point,
    make_temp_dir,
    swap_into_place,
)
from site_builder.core.errors import SiteError


def site(path: Path, text: str) -> Path:
    path.mkdir(parents=True)
    (path / ".nojekyll").write_text("")
    (path / "index.html").write_bytes(b"<html><head>" + GENERATOR + b"</head>" + text.encode())
    return path


@pytest.mark.parametrize("exchange", [True, False])
def test_swap_replaces_the_site_and_keeps_git_and_cname(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(sitedir, "exchange", lambda a, b: False)
    out = site(tmp_path / "_site", "old")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / "CNAME").write_text("papers.example.org\n")
    (out / "stale.html").write_text("gone")
    new = make_temp_dir(out)
    (new / "index.html").write_text("new")
    swap_into_place(new, out, sitedir.keep_paths([]))
    assert (out / "index.html").read_text() == "new"
    assert (out / ".git" / "HEAD").read_text().endswith("gh-pages\n")
    assert (out / "CNAME").read_text() == "papers.example.org\n"
    assert not (out / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_first_build_just_renames(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "_site"
    new = make_temp_dir(out)
    assert new.parent == out.parent and new.name.startswith(f"_site.tmp-{os.getpid()}-")
    swap_into_place(new, out)
    assert out.is_dir() and sorted(p.name for p in out.parent.iterdir()) == ["_site"]


def test_the_site_folder_honours_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        new = make_temp_dir(tmp_path / "_site")
    finally:
        os.umask(old)
    assert new.stat().st_mode & 0o777 == 0o755


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
    assert "previous" in (out / "index.html").read_text() and not old.exists()


def test_refuses_folders_that_are_not_sites(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    own = [root / "content"]

    def check(out: Path) -> None:
        check_output(out, own, root, built_here=False)

    check(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    check(tmp_path / "empty")
    check(site(tmp_path / "ours", "x"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("x")
    with pytest.raises(SiteError, match="refusing to replace this folder"):
        check(tmp_path / "docs")
    (tmp_path / "file").write_text("x")
    with pytest.raises(SiteError, match="not a folder"):
        check(tmp_path / "file")
    for bad in (root, tmp_path, root / "content", root / "content" / "_site"):
        with pytest.raises(SiteError, match="cannot be"):
            check(bad)


def test_a_bind_mounted_output_folder_is_filled_in_place(bind_mount: Path) -> None:
    out = bind_mount
    assert is_mount_point(out)
    (out / "CNAME").write_text("x.org\n")
    (out / "old.html").write_text("old")
    for text in ("first", "second"):
        new = make_temp_dir(out)
        (new / "index.html").write_text(text)
        swap_into_place(new, out)
        assert (out / "index.html").read_text() == text
    assert sorted(os.listdir(out)) == ["CNAME", "index.html"]


def test_an_unlisted_mount_point_is_still_swapped(bind_mount: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitedir, "is_mount_point", lambda path: False)  # a system without mountinfo
    out = bind_mount
    (out / "old.html").write_text("old")
    new = make_temp_dir(out)
    assert new.parent == out.parent
    (new / "index.html").write_text("new")
    swap_into_place(new, out)
    assert sorted(os.listdir(out)) == ["index.html"] and not new.exists()

"""The output folder swap: atomic replacement, leftovers of dead builds, refusing strangers."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from helpers import copy_site, fake_built_site

from site_builder.build.output import sitedir
from site_builder.build.output.folder import keep_paths, looks_built
from site_builder.build.output.leftovers import clean_leftovers
from site_builder.build.output.sitedir import (
    STAGING_MARK,
    OutputDir,
    is_mount_point,
    make_temp_dir,
    swap_into_place,
)
from site_builder.build.pipeline import build_site
from site_builder.core.runtime.hashing import bytes_digest


@pytest.mark.parametrize("exchange", [True, False])
def test_swap_replaces_the_site_and_keeps_git_and_cname(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(sitedir, "exchange", lambda a, b: False)
    out = fake_built_site(tmp_path / "_site", "old")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / "CNAME").write_text("papers.example.org\n")
    (out / "stale.html").write_text("gone")
    new = make_temp_dir(out)
    (new / "index.html").write_text("new")
    swap_into_place(new, out, keep_paths([]))
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


def staging(path: Path) -> Path:
    """A temporary folder as a build makes it (`make_temp_dir`): named, and marked."""
    path.mkdir()
    (path / STAGING_MARK).touch()
    return path


def test_leftovers_of_dead_builds_go_and_live_ones_stay(tmp_path: Path) -> None:
    out = fake_built_site(tmp_path / "_site", "current")
    dead = staging(tmp_path / "_site.tmp-999999999-x1abcdef")
    set_aside = fake_built_site(tmp_path / "_site.tmp-999999998-previous", "the site a swap set aside")
    live = staging(tmp_path / f"_site.tmp-{os.getppid()}-x2abcdef")  # our parent is alive
    other = staging(tmp_path / "_site.tmp-notes")  # not our naming: never touched
    assert clean_leftovers(out) == [set_aside, dead]  # in name order
    assert live.exists() and other.exists() and out.exists()


@pytest.mark.parametrize(
    "name",
    ["_site.old-2024-06", "_site.old-31337-mine", "_site.tmp-999999999-abcd1234", "_site.old-1-backup01"],
)
def test_a_persons_folder_named_like_a_leftover_is_never_touched(tmp_path: Path, name: str) -> None:
    """A reviewer's backup `_site.old-2024-06` was deleted (2024: a dead pid), and without a
    `_site/` one was renamed into its place and replaced."""
    mine = tmp_path / name
    mine.mkdir()
    (mine / "NOTES.txt").write_text("mine")
    out = tmp_path / "_site"
    assert clean_leftovers(out) == [] and not out.exists()
    fake_built_site(out, "current")
    assert clean_leftovers(out) == []
    assert (mine / "NOTES.txt").read_text() == "mine"


def test_a_swap_cut_short_is_repaired(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    old = fake_built_site(
        tmp_path / "_site.old-999999999-ab_12345", "previous"
    )  # killed between the two renames
    clean_leftovers(out)
    assert "previous" in (out / "index.html").read_text() and not old.exists()


def test_a_temporary_folder_is_marked_until_its_site_is_swapped_in(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    new = make_temp_dir(out)
    assert (new / STAGING_MARK).is_file()
    swap_into_place(new, out)
    assert os.listdir(out) == []


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


def test_a_build_killed_while_deleting_the_previous_site_leaves_nothing_for_good(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer's SIGKILL during the swap's delete left `_site.tmp-PID-…/tags/` alone,
    which no later build removed: it was neither marked nor a whole site any more."""
    out = fake_built_site(tmp_path / "_site", "current")
    previous = fake_built_site(tmp_path / "_site.tmp-999999999-abcd1234", "the site a swap set aside")
    (previous / "tags" / "x").mkdir(parents=True)
    (previous / "tags" / "x" / "a.html").write_text("a tag page")
    deleted: list[str] = []

    def killed_after_one(path: str) -> None:  # the first folder goes, then the process dies
        if deleted:
            raise KeyboardInterrupt
        deleted.append(path)
        shutil_rmtree(path)

    shutil_rmtree = sitedir.shutil.rmtree
    monkeypatch.setattr(sitedir.shutil, "rmtree", killed_after_one)
    with pytest.raises(KeyboardInterrupt):
        sitedir.remove_own(previous)
    monkeypatch.undo()
    assert previous.exists() and not looks_built(previous)
    assert clean_leftovers(out) == [previous] and not previous.exists()
    emptied = tmp_path / "_site.tmp-999999999-efgh5678"  # killed just before its rmdir
    emptied.mkdir()
    assert clean_leftovers(out) == [emptied]


def test_a_build_killed_while_patching_leaves_its_staging_folder_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small change is renamed into the live site file by file; the staging folder holding
    the changed files had lost its mark first, so a kill then left a part-emptied folder
    (`_site.tmp-PID-…/tags/`) that no later build recognised (seen in a clean-clone run)."""
    root = copy_site(tmp_path / "site")
    build_site(root)
    page = next((root / "content" / "papers").glob("*.md"))
    page.write_text(
        page.read_text(encoding="utf-8").replace("\n---\n", "\n---\nEdited. ", 1), encoding="utf-8"
    )
    marked: list[bool] = []

    def killed(staging: Path, *_: object) -> None:  # a SIGKILL here: what stays on disk
        marked.append((staging / STAGING_MARK).is_file())
        raise KeyboardInterrupt

    monkeypatch.setattr(sitedir, "apply_in_place", killed)
    with pytest.raises(KeyboardInterrupt):
        build_site(root)
    assert marked == [True]


def test_a_build_killed_while_removing_a_leftover_leaves_it_recognisable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SIGKILL test failed now and then: a build killed while it removed an earlier
    killed build's folder (a plain `rmtree`, in directory order) could take the mark and
    `index.html` first, and the rest stayed beside `_site/` for good. Here the removal is cut
    short after each number of deletions in turn; every time, the next build removes it."""
    out = fake_built_site(tmp_path / "_site", "current")
    real_unlink = os.unlink
    for allowed in range(12):
        leftover = fake_built_site(tmp_path / "_site.tmp-999999999-abcd1234", "a killed build's site")
        (leftover / STAGING_MARK).touch()
        for name in ("a.html", "b.html", "c.css", "d.js", "e.json"):
            (leftover / name).write_text(name)
        (leftover / "tags").mkdir()
        (leftover / "tags" / "t.html").write_text("tag")
        deleted: list[object] = []

        def killed_after(path: object, *args: object, **kwargs: object) -> None:
            if len(deleted) == allowed:  # noqa: B023 - the loop's own count, read at once
                raise KeyboardInterrupt
            deleted.append(path)  # noqa: B023
            real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "unlink", killed_after)
        with contextlib.suppress(KeyboardInterrupt):
            clean_leftovers(out)
        monkeypatch.undo()
        assert clean_leftovers(out) in ([leftover], []), allowed
        assert not leftover.exists(), f"stranded after {allowed} deletions: {sorted(os.listdir(leftover))}"


def test_write_from_hashes_what_it_writes_and_never_writes_into_an_existing_file(tmp_path: Path) -> None:
    """A file written part by part (the offline copy): its digest is `bytes_digest` of the
    whole, and a file already there (hard-linked from the live site) is replaced, not
    written into."""
    out = OutputDir(tmp_path / "new")
    linked = tmp_path / "live.zip"
    linked.write_bytes(b"the live site's copy")
    (tmp_path / "new").mkdir()
    os.link(linked, tmp_path / "new" / "site.zip")  # carried over from the live site

    def fill(sink: sitedir.HashedWriter) -> None:
        for part in (b"one ", bytearray(b"two "), memoryview(b"three" * 100_000)):
            sink.write(part)

    stat = out.write_from("site.zip", fill)
    data = (tmp_path / "new" / "site.zip").read_bytes()
    assert data == b"one two " + b"three" * 100_000
    assert stat.digest == bytes_digest(data) and stat.size == len(data)
    assert stat.ino == os.stat(tmp_path / "new" / "site.zip").st_ino
    assert linked.read_bytes() == b"the live site's copy"

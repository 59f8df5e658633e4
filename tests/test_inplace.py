"""A build that changes few files patches the live site in place (build/output/inplace.py).

Each story checks what a reader or a person would notice: the site equals a cold build of
the same content, unchanged files were never touched (same inode), pages no longer built
are gone, what a person keeps in the output folder stays, and a build killed in the middle
of its renames leaves a site whose every file is whole and whose pages (those the previous
site had) link only to pages in place, which the next build completes.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pytest
from helpers import broken_links, copy_site, tree, write_synthetic_pages
from hypothesis import given
from hypothesis import strategies as st

from site_builder.build.output import inplace
from site_builder.build.pipeline import build_site

UNCHANGED = "assets/style.css"  # a file none of the changes below reaches


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A built site that any change patches (its 40 near-identical pages are one another's
    related papers: a day of changes touches most files, a share only tests patch)."""
    monkeypatch.setattr(inplace, "PATCH_UP_TO", 1.0)
    root = copy_site(tmp_path / "site")
    write_synthetic_pages(root / "content" / "papers", 40)
    build_site(root)
    return root


def cold(root: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "cold"
    shutil.rmtree(out, ignore_errors=True)
    build_site(root, out=out, cache=False)
    return tree(out)


def day_of_changes(root: Path) -> None:
    """New pages, one page gone, one edited: what a daily update and a person do."""
    papers = root / "content" / "papers"
    extra = root / "extra"
    write_synthetic_pages(extra, 43)
    for i in (40, 41, 42):
        shutil.move(extra / f"synthetic-study-{i}.md", papers / f"synthetic-study-{i}.md")
    (papers / "synthetic-study-10.md").unlink()
    page = papers / "synthetic-study-20.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("We study", "We carefully study"), encoding="utf-8"
    )


def inodes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("exchange", [True, False])
def test_a_small_change_is_renamed_into_the_live_site(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:  # a system without renameat2: a rename over each replaced file
        monkeypatch.setattr(inplace, "exchange", lambda a, b: False)
    out = site / "_site"
    (out / "CNAME").write_text("papers.example.org\n", encoding="utf-8")
    (out / "stray").symlink_to(tmp_path, target_is_directory=True)  # not the build's, not kept
    before, folder = inodes(out), out.stat().st_ino
    day_of_changes(site)
    build_site(site)
    after = inodes(out)
    assert out.stat().st_ino == folder  # the same folder, patched
    assert after[UNCHANGED] == before[UNCHANGED]  # never carried, copied or rewritten
    assert after["papers/synthetic-study-20.html"] != before["papers/synthetic-study-20.html"]
    assert "papers/synthetic-study-10.html" not in after  # no longer built: deleted
    assert "papers/synthetic-study-42.html" in after
    assert (out / "CNAME").read_text(encoding="utf-8") == "papers.example.org\n"
    assert not (out / "stray").is_symlink() and tmp_path.is_dir()  # the link went, not its target
    site_now = tree(out)
    del site_now["CNAME"]
    assert site_now == cold(site, tmp_path)
    assert [p.name for p in site.iterdir() if p.name.startswith("_site.")] == []


def test_a_change_to_most_files_swaps_a_whole_new_folder(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inplace, "PATCH_UP_TO", 0.5)
    out = site / "_site"
    folder = out.stat().st_ino
    yaml = site / "content" / "site.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("title:", "title: New", 1), encoding="utf-8")
    build_site(site)
    assert out.stat().st_ino != folder  # another folder, swapped in at once
    assert tree(out) == cold(site, tmp_path)


def test_a_folder_where_a_new_page_goes_makes_the_build_swap_instead(site: Path, tmp_path: Path) -> None:
    (site / "_site" / "papers" / "synthetic-study-41.html").mkdir()  # renames cannot replace it
    day_of_changes(site)
    build_site(site)
    assert tree(site / "_site") == cold(site, tmp_path)


def build_killed_after(site: Path, renames: int) -> int:
    """Build in a forked process that dies, as by SIGKILL (no cleanup, no cache saved), when
    it is about to place file number `renames` + 1; its exit code."""
    place_file = inplace.place_file
    done = 0

    def place_then_die(staged: Path, target: Path, replacing: bool) -> None:
        nonlocal done
        if done == renames:
            os._exit(KILLED)
        done += 1
        place_file(staged, target, replacing)

    def child() -> None:
        setattr(inplace, "place_file", place_then_die)  # noqa: B010 (in the forked child only)
        build_site(site)

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join()
    return process.exitcode or 0


KILLED = 9


@pytest.mark.parametrize("renames", [0, 1, 3, 8, 20])
def test_a_build_killed_among_its_renames_leaves_whole_files_and_working_links(
    site: Path, tmp_path: Path, renames: int
) -> None:
    out = site / "_site"
    old = tree(out)
    day_of_changes(site)
    new = cold(site, tmp_path)
    assert build_killed_after(site, renames) == KILLED
    assert [p.name for p in site.iterdir() if p.name.startswith("_site.tmp-")]  # left behind
    now = tree(out)
    assert all(data in (old.get(path), new.get(path)) for path, data in now.items())
    assert now.keys() >= old.keys() & new.keys()  # no page both sites have is missing
    # Only a page that is new in this build can link to one not yet in place (new pages
    # link to each other); no page of the previous site links to a new one before both land.
    assert [link for link in broken_links(out) if link.split(":")[0] in old] == []
    build_site(site)  # trusts none of the files the killed build replaced
    assert tree(out) == new
    assert [p.name for p in site.iterdir() if p.name.startswith("_site.")] == []


def test_a_bind_mounted_output_folder_is_patched_too(
    bind_mount: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Docker CI's `_site` volume: the temporary folder lives inside it, and is gone after."""
    monkeypatch.setattr(inplace, "PATCH_UP_TO", 1.0)
    root = copy_site(tmp_path / "site")
    write_synthetic_pages(root / "content" / "papers", 40)
    build_site(root, out=bind_mount)
    kept = inodes(bind_mount)[UNCHANGED]
    day_of_changes(root)
    build_site(root, out=bind_mount)
    assert inodes(bind_mount)[UNCHANGED] == kept
    assert tree(bind_mount) == cold(root, tmp_path)
    assert not [name for name in os.listdir(bind_mount) if name.startswith(".site_builder.")]


def test_a_symlink_where_a_folder_goes_is_never_written_through(site: Path, tmp_path: Path) -> None:
    """A person replaced `_site/papers/` by a link to a folder of their own: the build must
    not rename its pages into that folder; it swaps a new site in instead."""
    out = site / "_site"
    elsewhere = tmp_path / "elsewhere"
    shutil.move(out / "papers", elsewhere)
    (out / "papers").symlink_to(elsewhere, target_is_directory=True)
    theirs = tree(elsewhere)
    page = site / "content" / "papers" / "synthetic-study-20.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("We study", "We carefully study"), encoding="utf-8"
    )
    build_site(site)
    assert tree(elsewhere) == theirs
    assert not (out / "papers").is_symlink()
    assert tree(out) == cold(site, tmp_path)


@given(st.lists(st.lists(st.sampled_from(["a", "b", "papers", "x.html", "2025"]), min_size=1, max_size=4)))
def test_the_folders_of_paths_are_every_folder_above_each(parts: list[list[str]]) -> None:
    """`folders_of` walks up from each file's own folder once: the same folders as every
    prefix of every path."""
    paths = ["/".join(p) for p in parts]
    every = {path.rsplit("/", n)[0] for path in paths for n in range(1, path.count("/") + 1)}
    assert inplace.folders_of(paths) == every

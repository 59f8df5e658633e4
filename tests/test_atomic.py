"""Atomic writes: a file appears whole or not at all, with the umask's permissions, and a
new file never replaces one that appeared meanwhile."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.core.files import atomic
from site_builder.core.files.atomic import atomic_write_bytes


@pytest.fixture(params=["one rename", "link and unlink"])
def renames(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Both ways a new file gets its name: Linux's rename that refuses to replace, and the
    hard link other systems use."""
    if request.param == "link and unlink":
        monkeypatch.setattr(atomic, "_renameat2", lambda: None)
    yield request.param


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_written_file_has_the_permissions_the_umask_gives(tmp_path: Path, mask: int, mode: int) -> None:
    old = os.umask(mask)
    try:
        atomic_write_bytes(tmp_path / "new.md", b"text")
        atomic_write_bytes(tmp_path / "new.md", b"again")  # replaced: a new file too
        atomic_write_bytes(tmp_path / "other.md", b"text", replace=False)
    finally:
        os.umask(old)
    assert (tmp_path / "new.md").stat().st_mode & 0o777 == mode
    assert (tmp_path / "other.md").stat().st_mode & 0o777 == mode


def test_a_new_file_never_replaces_one_that_appeared(tmp_path: Path, renames: str) -> None:
    page = tmp_path / "page.md"
    atomic_write_bytes(page, b"new page", durable=False, replace=False)
    assert page.read_text() == "new page"
    with pytest.raises(FileExistsError):
        atomic_write_bytes(page, b"another new page", durable=False, replace=False)
    assert page.read_text() == "new page" and leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_file_as_it_was_and_nothing_else(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("as it was")

    def parts() -> Iterator[bytes]:
        yield b"half of "
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        atomic_write_bytes(page, parts())  # type: ignore[arg-type]
    assert page.read_text() == "as it was" and leftovers(tmp_path) == []


def test_a_leftover_temporary_file_of_the_same_name_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    draws = iter([b"\0" * 6, b"\0" * 6, b"\1" * 6])
    monkeypatch.setattr(atomic.os, "urandom", lambda n: next(draws))
    atomic_write_bytes(tmp_path / "a.md", b"first")  # leaves nothing: its file was renamed
    stale = tmp_path / f".b.md.{'00' * 6}.tmp"
    stale.write_text("a killed write's")
    atomic_write_bytes(tmp_path / "b.md", b"second")
    assert (tmp_path / "b.md").read_text() == "second" and stale.read_text() == "a killed write's"


def test_a_missing_folder_is_made(tmp_path: Path, renames: str) -> None:
    atomic_write_bytes(tmp_path / "new" / "folder" / "page.md", b"text", replace=False)
    assert (tmp_path / "new" / "folder" / "page.md").read_text() == "text"


def test_replace_if_unchanged_replaces_only_what_the_caller_read(tmp_path: Path, renames: str) -> None:
    """With and without Linux's exchange: an unchanged file is replaced, a changed one kept."""
    page = tmp_path / "page.md"
    page.write_text("as read")
    assert atomic.replace_if_unchanged(page, b"new", lambda f: f.read_text() == "as read")
    assert page.read_text() == "new"
    assert not atomic.replace_if_unchanged(page, b"newer", lambda f: f.read_text() == "as read")
    assert page.read_text() == "new" and leftovers(tmp_path) == []


def test_a_replaced_page_keeps_its_permissions_and_its_symlink(tmp_path: Path, renames: str) -> None:
    """A reviewer's private 640 note became 644, a read-only page writable, and a page kept
    elsewhere in the site and linked in became a copy no longer following their file."""
    private = tmp_path / "private.md"
    private.write_text("as read")
    private.chmod(0o640)
    assert atomic.replace_if_unchanged(private, b"new", lambda f: f.read_text() == "as read")
    assert private.read_text() == "new" and private.stat().st_mode & 0o777 == 0o640
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "kept.md").write_text("as read")
    link = tmp_path / "kept.md"
    link.symlink_to(Path("mine") / "kept.md")
    assert atomic.replace_if_unchanged(link, b"new", lambda f: f.read_text() == "as read")
    assert link.is_symlink() and (mine / "kept.md").read_text() == "new"
    assert leftovers(tmp_path) == [] and leftovers(mine) == []


def test_two_saves_landing_during_a_replace_are_both_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_text("as read")
    real_exchange = atomic.exchange
    saves = iter(["first save", "second save"])

    def exchange_after_a_save(a: Path | str, b: Path | str) -> bool:
        (tmp_path / "editor.tmp").write_text(next(saves))
        os.replace(tmp_path / "editor.tmp", page)  # an editor's save: a rename over the page
        return real_exchange(a, b)

    if not real_exchange(tmp_path / "page.md", tmp_path / "page.md"):
        pytest.skip("no renameat2 exchange on this system")
    monkeypatch.setattr(atomic, "exchange", exchange_after_a_save)
    assert not atomic.replace_if_unchanged(page, b"ingest's", lambda f: f.read_text() == "as read")
    kept = [p for p in tmp_path.iterdir() if p.name.endswith(".kept")]
    assert page.read_text() == "first save"
    assert [p.read_text() for p in kept] == ["second save"] and leftovers(tmp_path) == []


def test_a_swapped_in_file_replaces_the_old_one_and_leaves_nothing(tmp_path: Path, renames: str) -> None:
    """`swap`: the new file exchanged with the old one, which is then deleted (where the
    system can exchange; else renamed over it), or named as new where there was none."""
    cache = tmp_path / "cache"
    for text in (b"first", b"second", b"third"):
        with atomic.atomic_writer(cache, durable=False, swap=True) as handle:
            handle.write(text)
        assert cache.read_bytes() == text and leftovers(tmp_path) == []


def test_flushing_syncs_every_file_once_and_their_folders_after_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`flush_to_disk` syncs a day's files at once (their journal commits grouped), and a
    folder's entries only once every file in it is on disk."""
    files = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        for n in range(20):
            files.append(tmp_path / folder / f"{n}.md")
            files[-1].write_text(str(n))
    synced: list[str] = []
    fsync = os.fsync

    def recording(fd: int) -> None:
        fsync(fd)
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))  # list.append: safe across threads

    monkeypatch.setattr(os, "fsync", recording)
    monkeypatch.setattr(os, "sync", lambda: pytest.fail("a few files are synced one by one"))
    atomic.flush_to_disk([*files, tmp_path / "a" / "gone.md"])  # a file gone since: skipped
    assert sorted(synced[:-2]) == sorted(str(f) for f in files)
    assert sorted(synced[-2:]) == [str(tmp_path / "a"), str(tmp_path / "b")]

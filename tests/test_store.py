"""core.files.store: what is saved comes back whole, and anything else comes back as None."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from site_builder.core.files.store import Store

VALUE = {"pages": [("a" * 70_000, 1), ("b", 2)], "n": list(range(50_000))}  # spans pickle frames


def test_a_saved_value_comes_back_under_its_salt_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "cache")
    store.save("table", "v1", VALUE)
    assert store.load("table", "v1") == VALUE
    assert store.load("table", "v2") is None
    assert store.load("other", "v1") is None
    assert list((tmp_path / "cache").iterdir()) == [tmp_path / "cache" / "table"]  # no temporary left


@pytest.mark.parametrize("where", [0, 30, 40, -1, "cut"])
def test_a_damaged_file_is_as_good_as_missing(tmp_path: Path, where: int | str) -> None:
    """Header, checksum or body: one changed byte, or a cut, and the value is not used."""
    store = Store(tmp_path)
    store.save("table", "v1", VALUE)
    data = bytearray((tmp_path / "table").read_bytes())
    if where == "cut":
        data = data[: len(data) // 2]
    else:
        data[int(where)] ^= 1
    (tmp_path / "table").write_bytes(bytes(data))
    assert store.load("table", "v1") is None


def test_no_folder_keeps_nothing_and_an_unwritable_one_is_skipped(tmp_path: Path) -> None:
    Store(None).save("table", "v1", VALUE)
    assert Store(None).load("table", "v1") is None
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    Store(blocker / "cache").save("table", "v1", VALUE)  # no traceback
    assert Store(blocker / "cache").load("table", "v1") is None


def test_a_sweep_removes_only_the_tools_files_under_retired_names(tmp_path: Path) -> None:
    """`sweep` removes what a store wrote under a retired name (and its `.new`), and a file
    the caller names as its earlier one when it begins so. Any other name stays whatever it
    holds (a person's copy of a cache file begins as the tool's own do), as do the lock, a
    save's temporary, and under a retired name a person's text, a folder and a link."""
    store = Store(tmp_path)
    for name in ("pages", "pages.bak", "renamed", "renamed.new", ".pages.0a1b2c.tmp", "elsewhere"):
        store.save(name, "v1", VALUE)
    (tmp_path / "lock").write_bytes(b"")
    (tmp_path / "old.json").write_text('{"taxonomy":"dd49","tags":{}}', encoding="utf-8")
    (tmp_path / "mine.json").write_text('{"taxonomy":"mine"}', encoding="utf-8")
    (tmp_path / "notes").write_text("site_builder cache notes\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    earlier = re.compile(rb'\{"taxonomy":"[0-9a-f]+",')
    store.sweep(["renamed", "notes", "folder", "link"], {"old.json": earlier, "mine.json": earlier})
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".pages.0a1b2c.tmp",
        "elsewhere",
        "folder",
        "link",
        "lock",
        "mine.json",
        "notes",
        "pages",
        "pages.bak",
    ]
    Store(None).sweep([])  # no folder: nothing to do
    Store(tmp_path / "none").sweep(["renamed"])


def test_a_sweep_removes_a_killed_saves_temporary_once_it_is_an_hour_old(tmp_path: Path) -> None:
    """A run killed mid-save leaves `.NAME.RANDOM.tmp` beside the table, and CI's cache kept
    it on every run after; one an hour old goes, one younger may be a save under way and
    stays, as does a person's `.notes.tmp`."""
    store = Store(tmp_path)
    store.save("pages", "v1", VALUE)
    killed, running, theirs = (
        tmp_path / n for n in (".pages.0a1b2c3d4e5f.tmp", ".pages.0f0f0f0f0f0f.tmp", ".notes.tmp")
    )
    for path in (killed, running, theirs):
        path.write_bytes(b"site_builder cache 3\n")
    old = time.time() - 2 * 3600
    os.utime(killed, (old, old))
    os.utime(theirs, (old, old))
    store.sweep([])
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.tmp", ".pages.0f0f0f0f0f0f.tmp", "pages"]

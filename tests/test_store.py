"""core.files.store: what is saved comes back whole, and anything else comes back as None."""

from __future__ import annotations

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

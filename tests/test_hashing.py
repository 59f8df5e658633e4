"""Cache keys (`runtime.hashing.digest`): different parts never share a key, equal parts always do."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.core.runtime.hashing import LIBRARIES, digest, library_versions

parts = st.lists(st.one_of(st.text(max_size=8), st.binary(max_size=8)), max_size=5).map(tuple)


@given(parts, parts)
def test_different_parts_have_different_keys(a: tuple[str | bytes, ...], b: tuple[str | bytes, ...]) -> None:
    assert (digest(*a) == digest(*b)) == (a == b)


def test_where_parts_end_and_what_they_are_count() -> None:
    keys = [
        digest("ab", "c"),
        digest("a", "bc"),
        digest("abc"),
        digest("\x01" + "\x00" * 7 + "a"),  # the lengths are hashed first: text that looks like them
        digest("\x01", "\x00" * 7 + "a"),  # ... is no lengths
        digest("\x00parts"),  # nor is text that looks like the start of the bytes form
        digest(b"abc"),
        digest("ab", b"c"),
        digest(),
        digest(""),
        digest("", ""),
        digest("\udcff"),  # a lone surrogate (a file name's undecodable byte) is hashed, not refused
    ]
    assert len(set(keys)) == len(keys)
    assert digest("ab", "c") == digest("ab", "c")
    assert len(digest("x")) == 32


def test_library_versions_are_importlib_metadata_s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read from the dist-info folder names (no importlib.metadata at start-up), the versions
    that salt every cache are the ones importlib.metadata reports, whatever the spelling of
    the name; an installed library without such a folder is asked for the slow way."""
    names = [*LIBRARIES, "PyYAML", "Markdown_It.Py", "pytest"]
    assert library_versions(names) == [metadata.version(name) for name in names]
    assert library_versions(["no-such-library-here"]) == ["?"]
    # First on the path wins, as for importlib.metadata; a library it cannot find is asked.
    shadow = tmp_path / "numpy-0.0.1.dist-info"
    shadow.mkdir()
    (shadow / "METADATA").write_text("Metadata-Version: 2.1\nName: numpy\nVersion: 0.0.1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert library_versions(["numpy", "jinja2"]) == [metadata.version("numpy"), metadata.version("jinja2")]
    assert metadata.version("numpy") == "0.0.1"

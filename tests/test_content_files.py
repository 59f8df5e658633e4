"""How content files are named in messages: `label_of`, the `path` of every `path:line: message`."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.core.files.content_files import label_of, labels_in


def as_pathlib_says(path: PurePosixPath, root: PurePosixPath) -> str:
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = str(path)
    return shown.encode("utf-8", "backslashreplace").decode("utf-8")


@pytest.mark.parametrize(
    ("path", "root", "label"),
    [
        ("/site/content/papers/a.md", "/site", "content/papers/a.md"),
        ("/site-2/content/a.md", "/site", "/site-2/content/a.md"),  # a prefix, not a parent
        ("content/sources/d.txt", ".", "content/sources/d.txt"),
        ("/site/content/\udcff.md", "/site", "content/\\udcff.md"),  # a name that is not UTF-8
        ("/elsewhere/a.md", "/site", "/elsewhere/a.md"),
    ],
)
def test_a_file_is_named_from_the_site_root(path: str, root: str, label: str) -> None:
    assert label_of(PurePosixPath(path), PurePosixPath(root)) == label


names = st.lists(st.sampled_from(["a", "ab", "site", "x.md", "\udcff", ".."]), min_size=0, max_size=4)


@given(names, names, st.booleans())
def test_the_label_is_what_relative_to_gives(root: list[str], rest: list[str], absolute: bool) -> None:
    base = PurePosixPath("/" if absolute else ".", *root)
    for path in (base.joinpath(*rest), PurePosixPath("/" if absolute else ".", *rest)):
        assert label_of(path, base) == as_pathlib_says(path, base)


files = st.lists(st.sampled_from(["a.md", "b c.md", "\udcff.md", "é.md", "..md"]), max_size=4)


@given(names, names, files, st.booleans())
def test_labels_of_a_folder_s_files_are_label_of_each(
    root: list[str], rest: list[str], inside: list[str], absolute: bool
) -> None:
    """`labels_in` works out the folder's part once: the same labels as `label_of` file by file."""
    base = Path("/" if absolute else ".", *root)
    for folder in (base.joinpath(*rest), Path("/" if absolute else ".", *rest)):
        assert labels_in(folder, base, inside) == [label_of(folder / name, base) for name in inside]

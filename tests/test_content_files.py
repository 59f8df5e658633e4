"""How content files are named in messages: `label_of`, the `path` of every `path:line: message`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from helpers import copy_site, fed_pipe
from hypothesis import given
from hypothesis import strategies as st
from ingest_helpers import run_cli

from site_builder.core.files.content_files import label_of, labels_in

SITE_BUILDER = [sys.executable, "-m", "site_builder"]


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


@pytest.mark.parametrize(
    ("name", "commands"),
    [
        ("site.yaml", [["ingest"], ["build"], ["check"]]),
        ("taxonomy.yaml", [["ingest"], ["build"], ["tags", "--explain", "quantum"]]),
        ("synonyms.yaml", [["build"]]),
    ],
)
def test_a_named_pipe_as_a_file_of_the_site_is_an_error_never_a_hang(
    tmp_path: Path, name: str, commands: list[list[str]]
) -> None:
    """A fuzzing audit: a named pipe as content/site.yaml (taxonomy.yaml, synonyms.yaml) hung
    every command that reads it, for as long as nothing wrote into it; the dumps, pages and
    theme files skip one unopened, and this one now says what to do. Run as the command
    is, in a process of its own: before the fix, each one waited until the timeout."""
    site = copy_site(tmp_path / "site")
    subprocess.run([*SITE_BUILDER, "-q", "--root", str(site), "build"], check=True, capture_output=True)
    (site / "content" / name).unlink(missing_ok=True)
    os.mkfifo(site / "content" / name)
    said = f"content/{name}: error: cannot read: a named pipe, not a file; put the file itself here"
    for command in commands:
        done = subprocess.run(
            [*SITE_BUILDER, "-q", "--root", str(site), *command], capture_output=True, text=True, timeout=120
        )
        assert (command, done.returncode, done.stderr.splitlines()[:1]) == (command, 1, [said])


def test_a_labels_file_may_come_from_a_pipe(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tags --evaluate <(…)` names a pipe on purpose: it is read, as before."""
    site = copy_site(tmp_path / "site")
    with fed_pipe(tmp_path / "labels", "papers: [{title: No such paper, tags: [x]}]\n"):
        code, _, err = run_cli(capsys, "--root", str(site), "tags", "--evaluate", str(tmp_path / "labels"))
    assert (code, err.splitlines()[0]) == (
        1,
        f"{tmp_path / 'labels'}:1: error: 'No such paper' is no page's title in content/papers",
    )


def test_a_file_of_the_site_reads_where_the_system_has_no_o_nonblock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no `os.O_NONBLOCK` (nor named pipes to wait on): reading site.yaml asked for
    it and every command stopped with an AttributeError. Without it, a file reads as ever,
    byte for byte (CRLF too: `O_BINARY` where there is one, as `atomic` writes)."""
    from site_builder.core.files.content_files import plain_bytes

    path = tmp_path / "site.yaml"
    path.write_bytes(b"title: A\r\nper_page: 5\r\n")
    monkeypatch.delattr(os, "O_NONBLOCK")
    assert plain_bytes(path) == b"title: A\r\nper_page: 5\r\n"

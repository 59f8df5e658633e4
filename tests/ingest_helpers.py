"""Helpers for the ingest tests: make a site folder from fixture dumps and run the CLI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from site_builder.cli import main

DATA = Path(__file__).parent / "data"


def make_site(root: Path, *dump_dirs: str, taxonomy: Path = DATA / "taxonomy.yaml") -> Path:
    """A site in `root` whose content/sources holds the dumps of the given tests/data folders."""
    sources = root / "content" / "sources"
    sources.mkdir(parents=True)
    (root / "content" / "papers").mkdir()
    shutil.copyfile(taxonomy, root / "content" / "taxonomy.yaml")
    for name in dump_dirs:
        for dump in sorted((DATA / name).glob("*.txt")):
            shutil.copyfile(dump, sources / dump.name)
    return root


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `site-builder ARGS` in-process; returns (exit status, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def not_utf8_env() -> dict[str, str]:
    """The environment of a locale that is not UTF-8, as LANG=en_US.ISO-8859-1 (Latin-1) is:
    the C locale without Python's coercion to UTF-8 (ASCII file names and output), which
    every Linux has."""
    kept = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    return {**kept, "LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }

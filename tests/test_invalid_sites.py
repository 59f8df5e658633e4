"""A folder of invalid sites, each of which must fail with exactly its expected message.

Each case in tests/data/invalid_sites/ holds only the files that break it; they are laid
over `_base/` (a small valid site). Its `expected.txt` reads:

    $ site-builder build        ← the command, run in the site's folder
    exit 1                      ← the exit status
    content/site.yaml:1: …      ← stderr, exactly (`{site}` stands for the site folder;
                                  every command names a site's files from its root)

Zola keeps such a folder (`test_sites_invalid`): a new kind of mistake gets a new case.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.cli import main

CASES = Path(__file__).parent / "data" / "invalid_sites"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def run_case(name: str, work: Path, capsys: pytest.CaptureFixture[str]) -> tuple[list[str], int, str]:
    """Lay the case over the base site in `work`, run its command there: (command, status, stderr)."""
    site = work / name
    shutil.copytree(CASES / "_base", site)
    shutil.copytree(CASES / name, site, dirs_exist_ok=True)
    (site / "expected.txt").unlink()
    lines = (CASES / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    command = lines[0].removeprefix("$ site-builder ").split()
    capsys.readouterr()
    status = main(["--root", str(site), *command])
    return command, status, capsys.readouterr().err.replace(str(site) + "/", "{site}/")


@pytest.mark.parametrize("name", NAMES)
def test_invalid_site_fails_with_its_message(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = (CASES / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    _, status, stderr = run_case(name, tmp_path, capsys)
    assert f"exit {status}" == expected[1]
    assert stderr.splitlines() == expected[2:]
    assert "Traceback" not in stderr


def test_the_base_site_itself_is_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "base"
    shutil.copytree(CASES / "_base", site)
    assert main(["--root", str(site), "build"]) == 0
    assert capsys.readouterr().err == ""

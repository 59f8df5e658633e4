"""The tool as a user installs it: `pip install .` (not editable), then init, ingest, build.

Run from a folder far from the checkout, with the installed copy first on the path, so the
theme, lunr.js and the files `init` writes must come from the installed package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DUMPS = Path(__file__).parent / "data" / "dumps"


@pytest.mark.slow
def test_a_plain_install_makes_a_site_with_no_checkout_around(tmp_path: Path) -> None:
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(REPO)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "CI": "true"}
    env.pop("SITE_BUILDER_BASE_URL", None)

    def site_builder(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "site_builder", *args], cwd=work, env=env, capture_output=True, text=True
        )

    where = subprocess.run(
        [sys.executable, "-c", "import site_builder; print(site_builder.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(target)
    assert site_builder("init", "my-site").returncode == 0
    for dump in sorted(DUMPS.glob("2024-*.txt")):
        shutil.copyfile(dump, work / "my-site" / "content" / "sources" / dump.name)
    ingest = site_builder("--root", "my-site", "ingest")
    assert ingest.returncode == 0, ingest.stderr
    env["GITHUB_ACTIONS"] = "true"  # problems become annotations, by a file the package ships
    build = site_builder("--root", "my-site", "build")
    del env["GITHUB_ACTIONS"]
    assert build.returncode == 0, build.stderr
    assert "base_url is still the placeholder" in build.stderr  # a warning: the site is built
    matcher = Path(build.stderr.splitlines()[0].removeprefix("::add-matcher::"))
    assert matcher.is_relative_to(target) and "problemMatcher" in matcher.read_text(encoding="utf-8")
    out = work / "my-site" / "_site"
    assert (out / "assets" / "lunr.min.js").read_bytes() == (
        REPO / "node_modules" / "lunr" / "lunr.min.js"
    ).read_bytes()
    assert (out / "assets" / "style.css").is_file() and (out / "assets" / "search-index.js").is_file()
    assert "QuickServe" in (out / "index.html").read_text(encoding="utf-8")
    check = site_builder("--root", "my-site", "check")
    assert check.returncode == 1 and "base_url is still the placeholder" in check.stderr  # CI=true
    site_builder("--root", "my-site", "build", "--base-url", "https://me.github.io/papers/")
    check = site_builder("--root", "my-site", "check", "--base-url", "https://me.github.io/papers/")
    assert check.returncode == 0, check.stderr

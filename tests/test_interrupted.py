"""Ingest killed at random points never leaves a half-written or missing page."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from site_builder.core.pages.pagefile import read_pages

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_sigkill_during_ingest_leaves_every_page_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content" / "sources", site / "content" / "sources")
    shutil.copyfile(ROOT / "content" / "taxonomy.yaml", site / "content" / "taxonomy.yaml")
    (site / "content" / "papers").mkdir()
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "-q", "ingest"]
    subprocess.run(command, check=True)
    papers = site / "content" / "papers"
    slugs = {p.name for p in papers.glob("*.md")}
    # An extra dump that lists every paper again changes every page's sources: a full rewrite.
    relisting = site / "content" / "sources" / "relisting.txt"
    relisting_text = "Dec 1\n\n" + "\n".join(
        line
        for f in sorted((ROOT / "content" / "sources").glob("*.txt"))
        for line in f.read_text().splitlines()[10:]
    )
    # Time one full rewrite, then kill the others at random fractions of that time.
    relisting.write_text(relisting_text, encoding="utf-8")
    began = time.perf_counter()
    subprocess.run(command, check=True)
    duration = time.perf_counter() - began
    rnd = random.Random(1234)
    kills = 0
    attempt = 0
    while kills < 6 and attempt < 24:  # keep going until the run was really interrupted
        attempt += 1
        if attempt % 2 == 0:
            relisting.unlink()
        else:
            relisting.write_text(relisting_text, encoding="utf-8")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.05, 0.5) * duration)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        stored, problems = read_pages(papers, site)
        assert problems == [], f"attempt {attempt}: {problems[:3]}"
        assert {s.path.name for s in stored} == slugs
    assert kills >= 6  # the run must really have been interrupted, not finished every time
    relisting.unlink(missing_ok=True)
    subprocess.run(command, check=True)
    assert not list(papers.glob(".*.tmp"))
    # The survivor equals a clean ingest of the same sources.
    clean = tmp_path / "clean"
    shutil.copytree(site / "content" / "sources", clean / "content" / "sources")
    shutil.copyfile(site / "content" / "taxonomy.yaml", clean / "content" / "taxonomy.yaml")
    (clean / "content" / "papers").mkdir()
    subprocess.run([sys.executable, "-m", "site_builder", "--root", str(clean), "-q", "ingest"], check=True)
    for page in sorted(papers.glob("*.md")):
        assert page.read_bytes() == (clean / "content" / "papers" / page.name).read_bytes(), page.name


@pytest.mark.slow
def test_ctrl_c_during_build_says_interrupted_once_and_keeps_the_site(tmp_path: Path) -> None:
    """Ctrl-C reaches every process of the terminal's group: the workers printed their
    tracebacks ("Process ForkProcess-1: Traceback … KeyboardInterrupt"), and 1 Ctrl-C in 60,
    landing while a fork ran, was printed as "Exception ignored" and the build published and
    exited 0 (a reviewer)."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content", site / "content")
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "build"]
    subprocess.run(command, check=True, capture_output=True)
    index = (site / "_site" / "index.html").read_bytes()
    rnd = random.Random(99)
    interrupted = 0
    for attempt in range(24):
        shutil.rmtree(site / ".site-cache", ignore_errors=True)  # a cold build: its workers run
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
        )
        time.sleep(rnd.uniform(0.25, 0.8))  # not while Python imports: its own traceback
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does
        err = process.communicate(timeout=60)[1]
        if process.returncode == 0:  # finished before the signal
            assert "interrupted" not in err and "Traceback" not in err, err
            continue
        if process.returncode == -signal.SIGINT:
            continue  # before `main` ran (importing, on a slow machine): Python's own traceback
        interrupted += 1
        assert process.returncode == 130, (attempt, err)
        assert err.strip().splitlines()[-1] == "interrupted" and "Traceback" not in err, (attempt, err)
        assert "Exception ignored" not in err, (attempt, err)
        assert (site / "_site" / "index.html").read_bytes() == index  # the site as it was
    assert interrupted >= 12  # the runs were really interrupted, not finished


@pytest.mark.slow
def test_ctrl_c_during_a_rebuild_of_serve_leaves_the_last_site_whole(tmp_path: Path) -> None:
    """Ctrl-C is how serve stops, often while it rebuilds after a save: the site left is the
    last one built whole, and no temporary folder is left beside it."""
    from helpers import copy_site, write_synthetic_pages

    site = copy_site(tmp_path / "site")
    write_synthetic_pages(site / "content" / "papers", 3000)  # a rebuild of some seconds
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "-q", "serve", "--port", "0"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert process.stdout is not None and "serving" in process.stdout.readline()
        config = site / "content" / "site.yaml"
        settings = config.read_text(encoding="utf-8")
        deadline, n = time.monotonic() + 60, 0
        while not list(tmp_path.glob("site/_site.tmp-*")) and time.monotonic() < deadline:
            if n % 200 == 0:  # again every 2 s: the watcher may start after the first
                config.write_text(settings.replace("Fixture Papers", f"Never Published {n}"))
            n += 1
            time.sleep(0.01)
        assert list(tmp_path.glob("site/_site.tmp-*")), "the rebuild never began"
        time.sleep(0.3)
        os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: its workers too
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
        process.wait()
    assert "Traceback" not in err and err.rstrip().endswith("interrupted"), err[-2000:]
    assert sorted(p.name for p in site.iterdir() if p.name.startswith("_site")) == ["_site"]
    home = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert "Fixture Papers" in home and "Never Published" not in home

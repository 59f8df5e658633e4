"""Resource bounds: 50,000 dump entries ingest and build within the machine's memory.

The dumps are generated deterministically (a seeded Random recombining the words of the
bundled seed dumps): 50,000 unique titles and as many distinct abstracts of about 1 kB,
2,000 entries per dump file. `site-builder ingest` and `site-builder build` run as
subprocesses, each under `/usr/bin/time -v` (the peak RSS of the largest single process,
as the kernel counts it) while psutil samples the whole process tree every 100 ms: the
summed PSS of the command and every worker it starts (pages a forked worker shares with its
parent counted once — what the machine really spends) and, for information, the summed RSS
(shared pages counted in every process). The largest process and the tree's PSS must stay
under 2 GiB, a safety bound; the goal is 1 GiB. The measured peaks are printed at the end
of the run. No timing is asserted.
"""

from __future__ import annotations

import contextlib
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from helpers import write_report

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "content" / "sources"
TIME = Path("/usr/bin/time")
ENTRIES = 50_000
PER_DUMP = 2_000
BOUND = 2 * 1024**3  # bytes; the goal is 1 GiB
HEADER = ["new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
REPORT: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def _show_report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    write_report(request, REPORT, __name__)


def vocabulary() -> list[str]:
    """The words of the seed dumps (3+ letters), sorted: the same list on every machine."""
    words: set[str] = set()
    for dump in sorted(SEEDS.glob("*.txt")):
        words.update(re.findall(r"[A-Za-z][A-Za-z-]{2,}", dump.read_text(encoding="utf-8")))
    return sorted(words)


def write_dumps(sources: Path, entries: int = ENTRIES, seed: int = 50_000) -> None:
    """`entries` unique titles with distinct ~1 kB abstracts, as dump files of PER_DUMP entries."""
    rnd = random.Random(seed)
    words = vocabulary()
    assert len(words) > 5_000  # enough that no two random abstracts share word triples
    seen: set[str] = set()
    sources.mkdir(parents=True, exist_ok=True)
    for number, first in enumerate(range(0, entries, PER_DUMP)):
        lines = [*HEADER, f"{MONTHS[number % 12]} {1 + number % 28}"]
        for _ in range(first, min(entries, first + PER_DUMP)):
            while True:
                title = " ".join(rnd.choices(words, k=rnd.randint(5, 10))).capitalize()
                if title.casefold() not in seen:
                    seen.add(title.casefold())
                    break
            abstract: list[str] = []
            size = 0
            while size < 1000:
                word = rnd.choice(words)
                abstract.append(word)
                size += len(word) + 1
            lines += [title, " ".join(abstract).capitalize() + "."]
        (sources / f"dump-{number:03d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class Measured:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss: int | None  # bytes, largest single process (/usr/bin/time -v), None without it
    tree_pss: int  # bytes, peak of the summed PSS of the process tree (shared pages counted once)
    tree_rss: int  # bytes, peak of the summed RSS of the process tree (shared pages counted each time)


def run_measured(args: list[str], cwd: Path) -> Measured:
    """Run a command, sampling its process tree's memory every 100 ms; under /usr/bin/time -v."""
    command = [str(TIME), "-v", *args] if TIME.exists() else args
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = {"pss": 0, "rss": 0}
    done = threading.Event()

    def sample() -> None:
        try:
            top = psutil.Process(process.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            pss = rss = 0
            with contextlib.suppress(psutil.NoSuchProcess):  # the command ended meanwhile
                for member in [top, *top.children(recursive=True)]:
                    with contextlib.suppress(psutil.NoSuchProcess):  # a worker ended meanwhile
                        info = member.memory_full_info()
                        pss += getattr(info, "pss", info.rss)
                        rss += info.rss
            peaks["pss"] = max(peaks["pss"], pss)
            peaks["rss"] = max(peaks["rss"], rss)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=900)
    finally:
        done.set()
        sampler.join()
        if process.poll() is None:
            process.kill()
            process.wait()
    seconds = time.perf_counter() - began
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    max_rss = int(found.group(1)) * 1024 if found else None
    return Measured(process.returncode, stdout, stderr, seconds, max_rss, peaks["pss"], peaks["rss"])


def mib(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 1024**2:,.0f} MiB"


@pytest.mark.slow
def test_fifty_thousand_entries_ingest_and_build_within_memory(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write_dumps(root / "content" / "sources")
    (root / "content" / "papers").mkdir()
    shutil.copyfile(REPO / "content" / "taxonomy.yaml", root / "content" / "taxonomy.yaml")
    site_builder = [sys.executable, "-m", "site_builder", "--root", str(root)]

    ingest = run_measured([*site_builder, "-v", "ingest"], tmp_path)
    assert ingest.code == 0, ingest.stderr[-3000:]
    assert re.search(r"\b50,?000 entries → 50,?000 unique papers", ingest.stdout), ingest.stdout
    assert len(list((root / "content" / "papers").glob("*.md"))) == ENTRIES

    build = run_measured([*site_builder, "-v", "build"], tmp_path)
    assert build.code == 0, build.stderr[-3000:]
    assert sum(1 for p in (root / "_site" / "papers").glob("*.html") if p.name != "index.html") == ENTRIES
    assert "Traceback" not in ingest.stderr + build.stderr

    stages = ", ".join(" ".join(line.split()) for line in build.stdout.splitlines() if line.startswith("  "))
    for name, run in (("ingest", ingest), ("build", build)):
        REPORT.append(
            f"{name} of {ENTRIES:,} entries: peak RSS {mib(run.max_rss)} (largest process, "
            f"/usr/bin/time -v); whole process tree {mib(run.tree_pss)} PSS, {mib(run.tree_rss)} "
            f"RSS summed; {run.seconds:.0f} s wall"
        )
    REPORT.append(f"build stages (-v): {stages}")
    if not TIME.exists():
        REPORT.append("/usr/bin/time is missing (apt-get install time): psutil figures only")
    for name, run in (("ingest", ingest), ("build", build)):
        assert run.max_rss is None or run.max_rss < BOUND, f"{name}: peaked at {mib(run.max_rss)}"
        assert run.tree_pss < BOUND, f"{name}: the process tree peaked at {mib(run.tree_pss)} PSS"

"""`make bench`: ingest, build and search timings at 2k/10k/50k papers, next to Hugo and stock lunr.

    python -m bench.run [--sizes 2000,10000,50000] [--repeat N] [--quick] [--rows ingest,add]
                        [--profile] [--keep]

Every timed step runs as its own process on a fresh folder under bench/work/<run>/, its wall
time taken around the process, its CPU time and peak RSS from wait4 (what /usr/bin/time
reports) and the summed RSS of its process tree sampled with psutil. Prints Markdown
tables and the targets with PASS/FAIL; writes bench/results/latest.json. See bench/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bench import hugo
from bench.common import checked_out_again, restored_from_cache
from bench.corpus import Corpus, generate, write_extra_dump

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
SIZES = (2000, 10_000, 50_000)
SEED = 20250617
EXTRA_PAPERS = 100
# The day every run of `site-builder` in the bench takes as today (SOURCE_DATE_EPOCH): the
# corpus's yearless dates (Jan 1 … Dec 31) all fall in 2025, and so does the new dump
# ("Dec 31", see corpus.write_extra_dump), within the two days a listing may lie ahead of
# the clock (ingest/dumps/dates.py): a day of the newest month, as in a daily update. On Dec 30
# or 31 the corpus's first dump, `Jan 1`, would be the coming one (2026-01-01), every
# December paper would be in an older month, and each new dump would move the related
# papers' weighing base, as a new month does. With the real clock, dates after today's
# month-day would fall a year back and the new dump land mid-archive.
BENCH_TODAY = "1766966400"  # 2025-12-29T00:00:00Z
LUNR_MAX = 10_000  # stock lunr.py needs minutes beyond this
GIB = 1024**3
ROWS = {
    "ingest": "ingest, cold",
    "reingest": "ingest, nothing changed",
    "build": "build, cold",
    "rebuild": "build, nothing changed",
    "edit": "build, one page edited",
    "add": "ingest + build, one new dump (100 papers)",
    "ci": "the same as CI meets it: pages checked out, cache and _site restored",
    "check": "site-builder check after that update, its cache from the day before",
    "search": "search index alone",
    "hugo": "Hugo build, cold",
    "lunr": "stock lunr.py index",
}


@dataclass
class Sample:
    """One timed process: wall and CPU seconds, peak RSS of its largest process and of its tree."""

    wall: float
    cpu: float
    rss: int
    tree_rss: int
    ok: bool = True
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Row:
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    def times(self) -> list[float]:
        return [s.detail.get("seconds", s.wall) for s in self.samples if s.ok]

    def summary(self) -> dict[str, Any]:
        ok = [s for s in self.samples if s.ok]
        times = self.times()
        return {
            "min": min(times) if times else None,
            "median": statistics.median(times) if times else None,
            "cpu_median": statistics.median(s.cpu for s in ok) if ok else None,
            "peak_rss": max((s.rss for s in ok), default=None),
            "peak_tree_rss": max((s.tree_rss for s in ok), default=None),
            "failed": len(self.samples) - len(ok),
            "note": self.note,
            "samples": [asdict(s) for s in self.samples],
        }


# --- measuring one process ------------------------------------------------------------------------


class _TreeSampler(threading.Thread):
    """Polls the summed RSS of a process and its descendants (the worker pool counts too)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        try:
            proc = psutil.Process(self.pid)
            while not self.done.wait(0.05):
                total = 0
                for p in [proc, *proc.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):  # it may exit between the two calls
                        total += p.memory_info().rss
                self.peak = max(self.peak, total)
        except psutil.Error:
            return


def measure(cmd: list[str], log: Path) -> Sample:
    """Run `cmd` to completion with its output in `log`; raise nothing, mark failures."""
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        sampler = _TreeSampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux: the largest single process among the child and its reaped children.
    sample = Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, sampler.peak)
    sample.ok = proc.returncode == 0
    if not sample.ok:
        tail = log.read_text(encoding="utf-8", errors="replace")[-1500:]
        print(f"    FAILED (exit {proc.returncode}): {' '.join(cmd)}\n{tail}", flush=True)
    return sample


def site_builder(root: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "site_builder", "--root", str(root), "--verbose", *args]


def child(kind: str, root: Path, result: Path) -> list[str]:
    """A process that loads the site's pages and times one index build (`kind`: search or lunr)."""
    return [PYTHON, "-m", "bench.run", "--child", kind, str(root), str(result)]


def load_site(root: Path) -> tuple[list[Any], Any, Any]:
    """(pages sorted by slug, taxonomy, site config) of a site, read as `build` reads them."""
    from bench.common import read_site_pages
    from site_builder.core.config import load_site_config
    from site_builder.core.taxonomy import load_taxonomy

    content = root / "content"
    pages, _ = read_site_pages(content / "papers", root)
    return pages, load_taxonomy(content / "taxonomy.yaml"), load_site_config(content / "site.yaml")


def _run_child(kind: str, root: Path, result: Path) -> None:
    pages, taxonomy, _ = load_site(root)
    start, cpu = time.perf_counter(), time.process_time()
    if kind == "search":
        from site_builder.build.search.assets import build_search_assets

        files = build_search_assets(pages, taxonomy)
        count, size = len(files), sum(len(data) for data in files.values())
    else:
        from lunr import lunr

        docs = [{"slug": p.slug, "title": p.title, "body": p.body, "tags": " ".join(p.tags)} for p in pages]
        fields = [{"field_name": "title", "boost": 10}, "body", "tags"]
        index = lunr(ref="slug", fields=fields, documents=docs)
        count, size = 1, len(json.dumps(index.serialize(), separators=(",", ":")))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    detail = {"seconds": seconds, "cpu": cpu, "files": count, "bytes": size, "papers": len(pages)}
    result.write_text(json.dumps(detail), encoding="utf-8")


def measure_child(kind: str, root: Path, work: Path, label: str) -> Sample:
    result = work / f"{label}.json"
    sample = measure(child(kind, root, result), work / f"{label}.log")
    if sample.ok:
        sample.detail = json.loads(result.read_text(encoding="utf-8"))
    return sample


def stage_timings(log: Path) -> dict[str, float]:
    """Per-stage timings printed by `--verbose` (ingest: `timings: parse 12 ms, …`; build: `  load 0.1 s`)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    found = {k: float(v) / 1000 for k, v in re.findall(r"(\w+) (\d+) ms", text.split("timings:")[-1])}
    if "timings:" not in text:
        found = {}
    found.update({k: float(v) for k, v in re.findall(r"^  (\w+)\s+([\d.]+) s$", text, re.MULTILINE)})
    return found


# --- one corpus size --------------------------------------------------------------------------------


def new_site(root: Path, corpus: Corpus) -> None:
    """A fresh site folder whose content/sources holds the corpus (hard links: no copying)."""
    from site_builder.commands.init import init_site

    init_site(root)
    for path in corpus.files:
        target = root / "content" / "sources" / path.name
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)


def edit_one_page(root: Path) -> Path:
    """Change the abstract of one page (the middle one by name), as a person would."""
    pages = sorted((root / "content" / "papers").glob("*.md"))
    page = pages[len(pages) // 2]
    page.write_text(page.read_text(encoding="utf-8") + "\nEdited by the benchmark.\n", encoding="utf-8")
    return page


def tree_size(path: Path) -> tuple[int, int]:
    """(files, bytes) under `path`."""
    files = size = 0
    for dirpath, _, names in os.walk(path):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def first_result_bytes(out: Path) -> dict[str, Any]:
    """Gzip bytes fetched before the first search result: the search engineer's browser measurement
    (bench/search_bench.py, headless Chromium over file://) when it runs here, else a static estimate."""
    try:
        from playwright.sync_api import Error as PlaywrightError

        from bench import search_bench
    except ImportError as err:
        return {**static_first_result_bytes(out), "how": f"static estimate ({err})"}
    try:
        runs = search_bench.browser_runs(out, list(search_bench.QUERIES))
    except (PlaywrightError, AttributeError, KeyError, OSError) as err:
        reason = f"{type(err).__name__}: {str(err)[:200]}"
        return {**static_first_result_bytes(out), "how": f"static estimate ({reason})"}
    values = [r["bytes_before_first_result"] for r in runs]
    latency = search_bench.latency_summary(runs)
    return {
        "median": int(statistics.median(values)),
        "max": max(values),
        "how": "browser",
        "latency_ms": latency,
        "runs": runs,
    }


def static_first_result_bytes(out: Path) -> dict[str, Any]:
    """What search.js loads on first focus (lunr, engine, entry index) plus one word shard, one
    term shard and one document chunk: the median of each for `median`, the largest for `max`."""
    from bench.common import gzip_size

    assets = out / "assets"
    upfront = sum(
        gzip_size((assets / name).read_bytes())
        for name in ("search.js", "search.css", "lunr.min.js", "search-engine.js", "search-index.js")
        if (assets / name).exists()
    )
    shards = sorted(gzip_size(p.read_bytes()) for p in assets.glob("search/t*.js")) or [0]
    chunks = sorted(gzip_size(p.read_bytes()) for p in assets.glob("search/d*.js")) or [0]
    words = sorted(gzip_size(p.read_bytes()) for p in assets.glob("search/w*.js")) or [0]
    median = upfront + int(statistics.median(shards)) + int(statistics.median(chunks))
    median += int(statistics.median(words))
    return {"median": median, "max": upfront + shards[-1] + chunks[-1] + words[-1]}


def build_available() -> str:
    """'' when site_builder's build and search stages exist, else why not."""
    import importlib.util

    for module, name in (
        ("site_builder.build.pipeline", "build_site"),
        ("site_builder.build.search.assets", "build_search_assets"),
    ):
        if importlib.util.find_spec(module) is None:
            return f"not available ({module} missing)"
        if not hasattr(__import__(module, fromlist=[name]), name):
            return f"not available ({module}.{name} missing)"
    return ""


def bench_size(n: int, args: argparse.Namespace, work: Path, tools: dict[str, str | None]) -> dict[str, Any]:
    """Every row for one corpus size. Search, lunr and Hugo read the freshly ingested pages;
    the build rows come last because they edit the pages and add a dump."""
    repeat = 1 if args.quick else (args.repeat or (2 if n >= 50_000 else 3))
    base = work / f"n{n}"
    rows: dict[str, Row] = {key: Row() for key in ROWS}
    info: dict[str, Any] = {"papers": n, "repeat": repeat}
    say = _progress(n)

    say("generating the corpus")
    started = time.perf_counter()
    corpus = generate(n, args.seed, base / "dumps")
    info["corpus"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "files": len(corpus.files),
        "entries": corpus.entries,
        "duplicated_papers": corpus.duplicated,
        "copies": dict(corpus.copies),
    }
    roots = [base / f"site{k}" for k in range(repeat)]
    for k, root in enumerate(roots):
        new_site(root, corpus)
        say(f"ingest, cold ({k + 1}/{repeat})")
        sample = measure(site_builder(root, "ingest"), base / f"ingest{k}.log")
        sample.detail["stages"] = stage_timings(base / f"ingest{k}.log")
        rows["ingest"].samples.append(sample)
        if "reingest" in args.rows:
            say(f"{ROWS['reingest']} ({k + 1}/{repeat})")
            again = measure(site_builder(root, "ingest"), base / f"reingest{k}.log")
            again.detail["stages"] = stage_timings(base / f"reingest{k}.log")
            rows["reingest"].samples.append(again)
    found = re.search(r"→ (\d+) unique papers", (base / "ingest0.log").read_text(encoding="utf-8"))
    info["dedupe"] = {"expected": n, "found": int(found.group(1)) if found else None}
    if info["dedupe"]["found"] != n:
        print(f"  WARNING: ingest found {info['dedupe']['found']} unique papers, expected {n}", flush=True)

    for key in ROWS:
        if key not in args.rows:
            rows[key].note = "not run (--rows)"
    missing = build_available()
    if missing:
        for key in ("build", "rebuild", "edit", "add", "ci", "check", "search"):
            rows[key].note = missing
    elif "search" in args.rows:
        for k in range(repeat):
            say(f"search index alone ({k + 1}/{repeat})")
            rows["search"].samples.append(measure_child("search", roots[0], base, f"search{k}"))
    if n > args.lunr_max:
        rows["lunr"].note = f"not run above {args.lunr_max:,} papers (minutes per build)"
    elif "lunr" in args.rows:
        for k in range(repeat):
            say(f"stock lunr.py ({k + 1}/{repeat})")
            rows["lunr"].samples.append(measure_child("lunr", roots[0], base, f"lunr{k}"))
    hugo_build: Callable[[], None] = _nothing  # one more Hugo sample, when Hugo runs
    if tools.get("hugo") is None:
        rows["hugo"].note = "not available (hugo not installed)"
    elif "hugo" in args.rows:
        hugo_build = _hugo_builds(str(tools["hugo"]), roots[0], base, rows["hugo"], say, repeat)
        hugo_build()
        info["hugo_output"] = dict(zip(("files", "bytes"), tree_size(base / "hugo-out0"), strict=True))
    if not missing and args.rows & {"build", "rebuild", "edit", "add", "ci", "check"}:
        outs = [base / f"out{k}" for k in range(repeat)]
        info["output"] = _bench_builds(roots, outs, rows, corpus, args, base, say, hugo_build)
        if "search" in args.rows:
            say("bytes before the first search result")
            info["first_result_bytes"] = first_result_bytes(outs[0])
    for _ in range(repeat):  # Hugo's remaining samples (each call stops at `repeat`)
        hugo_build()
    info["rows"] = {key: row.summary() for key, row in rows.items()}
    return info


def _nothing() -> None:
    pass


def _hugo_builds(
    hugo_bin: str, root: Path, base: Path, row: Row, say: Any, repeat: int
) -> Callable[[], None]:
    """Write the same pages as a Hugo site; return what takes one more Hugo cold build of
    it (each into a fresh destination and cache folder), up to `repeat` of them.

    The samples are spread over the run (before our builds, between the edits and the daily
    updates, at the end), not taken back to back: these machines have slow and fast phases
    of minutes, and a Hugo median taken in one phase against rows timed in another moved
    the ratios by a third (docs/performance.md)."""
    say("writing the Hugo site")
    site = base / "hugo-site"
    pages, _, config = load_site(root)
    hugo.write_site(pages, config, site)

    def one_more() -> None:
        k = len(row.samples)
        if k >= repeat:
            return
        say(f"Hugo build, cold ({k + 1}/{repeat})")
        command = hugo.build_command(hugo_bin, site, base / f"hugo-out{k}", base / f"hugo-cache{k}")
        row.samples.append(measure(command, base / f"hugo{k}.log"))

    return one_more


def _bench_builds(
    roots: list[Path],
    outs: list[Path],
    rows: dict[str, Row],
    corpus: Corpus,
    args: argparse.Namespace,
    base: Path,
    say: Any,
    between: Callable[[], None] = _nothing,
) -> dict[str, int]:
    """Cold build, no-change rebuild, one-page edit, one new dump, another as CI meets it: in
    that order on each site; `between` runs after the edits, before the daily updates.

    The cold build runs whenever any of them does: they start from its output."""

    def build(key: str, k: int) -> Sample:
        log = base / f"{key}{k}.log"
        sample = measure(site_builder(roots[k], "build", "--out", str(outs[k])), log)
        sample.detail["stages"] = stage_timings(log)
        return sample

    repeat = len(roots)
    output: dict[str, int] = {}
    for key in ("build", "rebuild", "edit"):
        if key not in args.rows:
            continue
        for k in range(repeat):
            say(f"{ROWS[key]} ({k + 1}/{repeat})")
            if key == "edit":
                edit_one_page(roots[k])
            rows[key].samples.append(build(key, k))
        if key == "build":
            output = dict(zip(("files", "bytes"), tree_size(outs[0]), strict=True))

    def check(k: int, label: str) -> Sample:
        return measure(site_builder(roots[k], "check", "--out", str(outs[k])), base / f"{label}{k}.log")

    def daily(key: str, k: int, first: int) -> Sample:
        """A dump of EXTRA_PAPERS new papers (numbered from `first`), ingested and built."""
        write_extra_dump(roots[k] / "content" / "sources", first, EXTRA_PAPERS, args.seed)
        ingest = measure(site_builder(roots[k], "ingest"), base / f"{key}-ingest{k}.log")
        built = build(key, k)
        return Sample(
            ingest.wall + built.wall,
            ingest.cpu + built.cpu,
            max(ingest.rss, built.rss),
            max(ingest.tree_rss, built.tree_rss),
            ingest.ok and built.ok,
            {
                "ingest": ingest.wall,
                "ingest_cpu": ingest.cpu,
                "ingest_stages": stage_timings(base / f"{key}-ingest{k}.log"),
                "build": built.wall,
                "stages": built.detail.get("stages", {}),
            },
        )

    between()
    for key, first in (("add", corpus.papers), ("ci", corpus.papers + EXTRA_PAPERS)):
        for k in range(repeat if key in args.rows else 0):
            say(f"{ROWS[key]} ({k + 1}/{repeat})")
            if "reingest" not in args.rows and not (key == "ci" and "add" in args.rows):
                # A daily run follows yesterday's, whose ingest has seen every page: without
                # the `reingest` row (or the `add` row's run), one untimed ingest stands for
                # it (a cold ingest leaves its pages to be remembered by the next run).
                measure(site_builder(roots[k], "ingest"), base / f"{key}-warm{k}.log")
            if key == "ci":
                if "check" in args.rows:  # yesterday's run checked its site (untimed)
                    check(k, "check-warm")
                # A CI run checks out the pages the run before committed (new inodes and
                # times) and restores `_site/` and `.site-cache/` from its cache (pages.yml:
                # tar, which keeps the times).
                checked_out_again(roots[k])
                restored_from_cache(outs[k])
            rows[key].samples.append(daily(key, k, first))
            if key == "ci" and "check" in args.rows:
                say(f"{ROWS['check']} ({k + 1}/{repeat})")
                rows["check"].samples.append(check(k, "check"))
    return output


def _progress(n: int) -> Any:
    def say(what: str) -> None:
        print(f"[{n:>6,} papers] {what}", flush=True)

    return say


# --- report ------------------------------------------------------------------------------------------


def _secs(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def _mib(value: int | None) -> str:
    return "–" if not value else f"{value / 1024**2:,.0f} MiB"


def _size(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{value / 1024:,.0f} kB" if value < 10 * 1024**2 else f"{value / 1024**2:,.1f} MB"


def markdown(sizes: dict[int, dict[str, Any]]) -> str:
    lines = [
        "| papers | row | min | median | CPU (median) | peak RSS | peak RSS, process tree | note |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for n, info in sizes.items():
        for key, label in ROWS.items():
            r = info["rows"][key]
            lines.append(
                f"| {n:,} | {label} | {_secs(r['min'])} | {_secs(r['median'])} | {_secs(r['cpu_median'])} "
                f"| {_mib(r['peak_rss'])} | {_mib(r['peak_tree_rss'])} "
                f"| {r['note'] or _row_note(key, info)} |"
            )
    lines += [
        "",
        "| papers | dumps / entries | unique found | our output | Hugo output | search files "
        "| bytes before first search result (gzip, median / max); search latency in Chromium |",
        "|---:|---|---|---:|---:|---:|---|",
    ]
    for n, info in sizes.items():
        out, hugo_out = info.get("output", {}), info.get("hugo_output", {})
        search = info["rows"]["search"]["samples"]
        files = search[0]["detail"].get("files") if search and search[0]["ok"] else None
        first = info.get("first_result_bytes")
        first_text = (
            f"{_size(first['median'])} / {_size(first['max'])} ({first['how'][:40]})" if first else "–"
        )
        if first and "latency_ms" in first:
            t = first["latency_ms"]
            first_text += (
                f"; last key → results cold {t['cold_median']:.0f} (p90 {t['cold_p90']:.0f}) ms,"
                f" warm {t['warm_median']:.0f} (p90 {t['warm_p90']:.0f}) ms"
            )
        lines.append(
            f"| {n:,} | {info['corpus']['files']} / {info['corpus']['entries']:,} "
            f"| {info['dedupe']['found']} of {n} | {_size(out.get('bytes'))} ({out.get('files', '–')} files) "
            f"| {_size(hugo_out.get('bytes'))} ({hugo_out.get('files', '–')} files) | {files or '–'} "
            f"| {first_text} |"
        )
    return "\n".join(lines)


def _row_note(key: str, info: dict[str, Any]) -> str:
    samples = [s for s in info["rows"][key]["samples"] if s["ok"]]
    if key in ("search", "lunr") and samples:
        return "index build only (pages loaded first, not timed)"
    prefix = ""
    if key in ("add", "ci") and samples:
        ingest = statistics.median(s["detail"]["ingest"] for s in samples)
        cpu = statistics.median(s["detail"].get("ingest_cpu", 0.0) for s in samples)
        prefix = f"ingest {ingest:.1f} s (CPU {cpu:.1f} s) + build; build: "
    stages: dict[str, list[float]] = {}
    for sample in samples:
        for stage, seconds in sample["detail"].get("stages", {}).items():
            stages.setdefault(stage, []).append(seconds)
    top = sorted(((statistics.median(v), k) for k, v in stages.items()), reverse=True)[:3]
    return prefix + ", ".join(f"{k} {v:.1f}" for v, k in top)


def targets(sizes: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """The issue's targets on this run's medians (wall time; CPU-time ratios alongside).

    Targets are set at 10,000 papers; a run without that size checks the same ratios at its
    largest size, marked as such. A figure that was not measured makes its target SKIP.
    """
    ref = 10_000 if 10_000 in sizes or not sizes else max(sizes)
    at = "10k" if ref == 10_000 else f"{ref:,} (targets are for 10k)"
    out: list[dict[str, Any]] = []

    def get(n: int, key: str, what: str = "median") -> float | None:
        info = sizes.get(n)
        return info["rows"][key][what] if info else None

    def ratio(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b else None

    def plus(a: float | None, b: float | None) -> float | None:
        return a + b if a is not None and b is not None else None

    def check(name: str, value: float | None, cpu: float | None, limit: float, at_most: bool = True) -> None:
        status = "SKIP" if value is None else "PASS" if (value <= limit) == at_most else "FAIL"
        out.append({"target": name, "value": value, "cpu_ratio": cpu, "limit": limit, "status": status})

    hugo_wall, hugo_cpu = get(ref, "hugo"), get(ref, "hugo", "cpu_median")
    cold = plus(get(ref, "ingest"), get(ref, "build"))
    cold_cpu = plus(get(ref, "ingest", "cpu_median"), get(ref, "build", "cpu_median"))
    cold_ratios = ratio(cold, hugo_wall), ratio(cold_cpu, hugo_cpu)
    check(f"{at}: cold ingest + build ≤ 1.5× Hugo cold", *cold_ratios, 1.5)
    for key, label, limit in (
        ("rebuild", "no-change build", 0.2),
        ("edit", "one-page-edit build", 0.3),
        ("add", "daily update (ingest + build, one new dump of 100 papers)", 0.3),
    ):
        check(
            f"{at}: {label} ≤ {limit}× Hugo cold",
            ratio(get(ref, key), hugo_wall),
            ratio(get(ref, key, "cpu_median"), hugo_cpu),
            limit,
        )
    check(
        f"{at}: search index ≥ 8× faster than stock lunr",
        ratio(get(ref, "lunr"), get(ref, "search")),
        ratio(get(ref, "lunr", "cpu_median"), get(ref, "search", "cpu_median")),
        8.0,
        at_most=False,
    )
    cold50 = plus(get(50_000, "ingest"), get(50_000, "build"))
    cold50_cpu = plus(get(50_000, "ingest", "cpu_median"), get(50_000, "build", "cpu_median"))
    check(
        "50k cold ingest + build ≤ 5.5× the 10k time",
        ratio(cold50, plus(get(10_000, "ingest"), get(10_000, "build"))),
        ratio(cold50_cpu, plus(get(10_000, "ingest", "cpu_median"), get(10_000, "build", "cpu_median"))),
        5.5,
    )
    rss = None
    if 50_000 in sizes:
        rss = max(
            (r["peak_rss"] or 0) for key, r in sizes[50_000]["rows"].items() if key not in ("hugo", "lunr")
        )
    check(
        "50k: peak RSS ≤ 1 GiB (largest process of any of our rows), GiB",
        rss / GIB if rss else None,
        None,
        1.0,
    )
    # 100k papers: reported, with the aims (5 minutes, 2 GiB on this machine).
    check(
        "100k: cold ingest + build, seconds (aim)",
        plus(get(100_000, "ingest"), get(100_000, "build")),
        None,
        300.0,
    )
    rss100 = None
    if 100_000 in sizes:
        rss100 = max(
            (r["peak_rss"] or 0) for key, r in sizes[100_000]["rows"].items() if key not in ("hugo", "lunr")
        )
    check("100k: peak RSS, GiB (aim)", rss100 / GIB if rss100 else None, None, 2.0)
    return out


def git_state() -> dict[str, Any]:
    """The commit measured, and which files differed from it (read-only git commands)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    changed = [
        line[3:] for line in git("status", "--porcelain").splitlines() if line[3:].startswith("site_builder")
    ]
    return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted": changed}


def machine() -> dict[str, Any]:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in cpuinfo.read_text().splitlines()
                if ln.startswith("model name")
            ),
            "",
        )
    return {
        "cores": os.cpu_count(),
        "memory_bytes": psutil.virtual_memory().total,
        "cpu": cpu,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average": os.getloadavg(),
    }


def profile_ingest(n: int, work: Path, corpus_dir: Path, seed: int) -> None:
    """cProfile one cold ingest, then (after one more run, unprofiled) the daily update's ingest
    of one new dump of 100 papers on the same site: the .prof files go to bench/results/, the
    top costs to stdout."""
    import pstats

    corpus = generate(n, seed, corpus_dir) if not corpus_dir.is_dir() else None
    root = work / f"profile{n}"
    new_site(root, corpus or _existing(corpus_dir, n))
    for what, name in (("cold ingest", f"ingest-{n}"), ("daily-update ingest", f"ingest-{n}-daily")):
        if name.endswith("daily"):
            # Yesterday's scheduled run, not profiled: a daily update follows another run.
            measure(site_builder(root, "ingest"), work / f"{name}-before.log")
            write_extra_dump(root / "content" / "sources", n, EXTRA_PAPERS, seed)
        prof = RESULTS / f"{name}.prof"
        cmd = [PYTHON, "-m", "cProfile", "-o", str(prof), "-m", "site_builder", "--root", str(root), "ingest"]
        sample = measure(cmd, work / f"{name}.log")
        print(
            f"\ncProfile, {what} at {n:,} papers: {sample.wall:.1f} s under the profiler "
            f"→ {prof.relative_to(ROOT)}"
        )
        stats = pstats.Stats(str(prof))
        stats.sort_stats("tottime").print_stats(15)
        stats.sort_stats("cumulative").print_stats(25)


def _existing(corpus_dir: Path, n: int) -> Corpus:
    return Corpus(corpus_dir, n, 0, sorted(corpus_dir.glob("*.txt")), 0)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="papers per corpus (default: %(default)s)"
    )
    parser.add_argument("--repeat", type=int, help="timings per row (default: 3, and 2 at 50,000 papers)")
    parser.add_argument("--quick", action="store_true", help="2,000 papers, one timing each")
    parser.add_argument("--seed", type=int, default=SEED, help="corpus seed (default: %(default)s)")
    parser.add_argument("--lunr-max", type=int, default=LUNR_MAX, help="largest corpus for stock lunr.py")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo rows")
    parser.add_argument(
        "--rows",
        default=",".join(ROWS),
        help="rows to time, comma-separated (default: all: %(default)s); the cold ingest always runs",
    )
    parser.add_argument("--profile", action="store_true", help="also cProfile one cold ingest per size")
    parser.add_argument("--keep", action="store_true", help="keep bench/work/<run>/ (default: deleted)")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "ROOT", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = "2000", 1
    args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.rows = {r.strip() for r in args.rows.split(",") if r.strip()} | {"ingest"}
    unknown = sorted(args.rows - set(ROWS))
    if unknown:
        parser.error(f"unknown row(s) {', '.join(unknown)}; choose from {', '.join(ROWS)}")
    if "check" in args.rows:
        args.rows.add("ci")  # it checks the site of that daily run
    if args.rows & {"rebuild", "edit", "add", "ci"}:
        args.rows.add("build")  # they start from the cold build's output
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        _run_child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return 0
    os.environ["SOURCE_DATE_EPOCH"] = BENCH_TODAY  # inherited by every timed process
    # The sites `init` makes have no offline copy (site.yaml's `offline_copy: null`): a shell
    # that sets it as the Pages workflow does would time the zip too, which earlier runs did not.
    os.environ.pop("SITE_BUILDER_OFFLINE_COPY", None)
    # As `pip install` leaves an installed tool: byte-compiled. An editable install under
    # PYTHONDONTWRITEBYTECODE (set on these machines) would otherwise compile every module
    # again in every timed process, about 0.15 s each.
    compileall.compile_dir(ROOT / "site_builder", quiet=1)
    stamp = datetime.datetime.now(datetime.UTC)
    work = WORK / f"run-{stamp:%Y%m%d-%H%M%S}-{os.getpid()}"
    work.mkdir(parents=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    skip_hugo = args.no_hugo or "hugo" not in args.rows
    tools: dict[str, str | None] = {"hugo": None if skip_hugo else hugo.find_or_install("hugo", "hugo")}
    report: dict[str, Any] = {
        "date": stamp.isoformat(timespec="seconds"),
        "machine": machine(),
        "args": {k: sorted(v) if isinstance(v, set) else v for k, v in vars(args).items() if k != "child"},
        "hugo": hugo.hugo_version(tools["hugo"]) if tools["hugo"] else None,
        "git": git_state(),
        "sizes": {},
    }
    print(
        f"bench: {report['machine']['cores']} cores, {report['machine']['memory_bytes'] / GIB:.0f} GiB, "
        f"load {report['machine']['load_average'][0]:.1f}; work folder {work.relative_to(ROOT)}",
        flush=True,
    )
    try:
        for n in args.size_list:
            report["sizes"][n] = bench_size(n, args, work, tools)
            if args.profile:
                profile_ingest(n, work, work / f"n{n}" / "dumps", args.seed)
    finally:
        report["load_average_end"] = os.getloadavg()
        if not args.keep:
            print(f"bench: deleting {work.relative_to(ROOT)}", flush=True)
            shutil.rmtree(work, ignore_errors=True)
    report["targets"] = targets(report["sizes"])
    print()
    print(markdown(report["sizes"]))
    print()
    for t in report["targets"]:
        value = "–" if t["value"] is None else f"{t['value']:.2f}"
        cpu = "" if t["cpu_ratio"] is None else f"; on CPU time {t['cpu_ratio']:.2f}"
        print(f"{t['status']:<4}  {t['target']}  (measured {value}, limit {t['limit']}{cpu})")
    load = report["machine"]["load_average"][0], report["load_average_end"][0]
    if max(load) > (report["machine"]["cores"] or 1):
        print(
            f"\nnote: the machine was busy (load {load[0]:.1f} at start, {load[1]:.1f} at end); "
            "wall times are inflated, CPU times less so"
        )
    latest = RESULTS / "latest.json"
    latest.write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"\nwrote {latest.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

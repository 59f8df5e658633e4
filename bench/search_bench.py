"""Search benchmark: `python -m bench.search_bench [--sizes 10000] [--skip-stock] [--skip-browser]`.

For the bundled corpus (content/papers) and synthetic corpora (bench/search_corpus.py) it
reports the index build time, raw and gzip bytes of every search asset, the bytes a reader
downloads before the first result appears and the time from typing to results in headless
Chromium from file:// — next to stock lunr.py (a monolithic index with slug refs) on the
same documents. Prints a Markdown table; writes bench/results/search.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time
from pathlib import Path
from typing import Any

from lunr import lunr

from bench.common import gzip_size, read_site_pages
from bench.search_corpus import default_taxonomy, synthetic_pages
from site_builder.build.search.assets import build_search_assets
from site_builder.build.search.index import tag_text
from site_builder.build.search.synonyms import DEFAULT_SYNONYMS, load_synonyms
from site_builder.core.model import Page
from site_builder.core.taxonomy import Taxonomy, load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results" / "search.json"
STATIC = ROOT / "site_builder" / "themes" / "default" / "static"
CHROMIUM = "/usr/bin/chromium"
STATIC_FILES = ("search.js", "search-engine.js", "search.css", "lunr.min.js")
QUERIES = [
    "quantization",
    "lean4",
    "text-to-sql",
    "speculative decoding",
    "agents tool use",
    "quantizaton",
    "mixture of experts routing",
    "Efficient LLM Training and Serving with Heterogeneous Context Sharding",
]
HARNESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'">
<title>search bench</title><script src="assets/search.js" defer></script></head>
<body data-root=""><form class="site-search" role="search" action="search.html">
<input id="site-search-input" name="q" type="search" aria-label="Search">
<div id="search-popup" hidden></div></form>
<main><form><input id="search-page-input" name="q" type="search" aria-label="Query">
<select id="search-tag" aria-label="Tag"><option value="">All tags</option></select></form>
<p id="search-status"></p><div id="search-results"></div></main></body></html>
"""


def bundled_corpus() -> tuple[list[Page], Taxonomy]:
    pages, _ = read_site_pages(ROOT / "content" / "papers", ROOT)
    return pages, load_taxonomy(ROOT / "content" / "taxonomy.yaml")


def timed(fn: Any, repeat: int) -> tuple[float, float, Any]:
    """Best wall and CPU seconds of `repeat` runs (CPU time is steadier on a busy machine)."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return wall, cpu, result


def asset_sizes(files: dict[str, bytes]) -> dict[str, dict[str, int]]:
    """Raw and gzip bytes per kind of asset (shards and chunks summed, with count and max)."""
    groups: dict[str, list[bytes]] = {}
    for rel, data in files.items():
        kind = rel.removeprefix("assets/")
        if kind.startswith("search/"):
            kind = {"t": "term shards (search/t*.js)", "w": "word shards (search/w*.js)"}.get(
                kind[7], "doc chunks (search/d*.js)"
            )
        groups.setdefault(kind, []).append(data)
    for name in STATIC_FILES:
        groups[name] = [(STATIC / name).read_bytes()]
    out = {}
    for kind, blobs in sorted(groups.items()):
        gz = [gzip_size(b) for b in blobs]
        out[kind] = {"files": len(blobs), "raw": sum(map(len, blobs)), "gzip": sum(gz), "max_gzip": max(gz)}
    return out


def stock_lunr(pages: list[Page], taxonomy: Taxonomy) -> dict[str, float]:
    """Stock lunr.py as documented (slug refs, default pipeline): seconds, raw and gzip bytes."""
    docs = [{"slug": p.slug, "title": p.title, "body": p.body, "tags": tag_text(p, taxonomy)} for p in pages]
    fields = [{"field_name": "title", "boost": 10}, "body", {"field_name": "tags", "boost": 2}]
    wall, cpu, index = timed(lambda: lunr(ref="slug", fields=fields, documents=docs), 1)
    data = json.dumps(index.serialize(), separators=(",", ":")).encode()
    return {"build_s": round(wall, 3), "cpu_s": round(cpu, 3), "raw": len(data), "gzip": gzip_size(data)}


def write_harness(files: dict[str, bytes], name: str) -> Path:
    site = WORK / f"search-{name}"
    shutil.rmtree(site, ignore_errors=True)
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    for static in STATIC_FILES:
        shutil.copyfile(STATIC / static, site / "assets" / static)
    (site / "search.html").write_text(HARNESS, encoding="utf-8")
    return site


WARM_QUERIES = ["retrieval augmented generation", "kv cache", "reward model", "agent"]
TYPING_DELAY_MS = 40  # between keystrokes: a quick typist
# Records when the last keystroke reached the input and when results for the box's final
# text were on screen (search.js sets aria-busy="false" after drawing them).
PROBE = """() => {
  const input = document.getElementById('search-page-input');
  const results = document.getElementById('search-results');
  window.__probe = {last: 0, done: 0, want: null, scripts: [], first: null};
  // Data files are <script> elements search.js inserts and removes once loaded: note each,
  // so the files loaded before the first results drawn (whatever the text then) are known.
  // Made before the results' observer, so its records are delivered first.
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes)
      if (n.tagName === 'SCRIPT' && n.src) window.__probe.scripts.push(n.src);
  }).observe(document.documentElement, {childList: true, subtree: true});
  // Capture phase on the document: before search.js's own listener, which may draw the
  // results before returning (microtasks run between listeners).
  document.addEventListener('input', () => {
    window.__probe.last = performance.now();
    window.__probe.done = 0;
  }, true);
  new MutationObserver(() => {
    const p = window.__probe;
    const shown = results.querySelector('a.search-hit, .search-empty');
    if (p.first === null && results.getAttribute('aria-busy') === 'false'
        && results.querySelector('a.search-hit')) p.first = p.scripts.slice();
    if (p.want !== null && input.value.trim() === p.want && !p.done
        && results.getAttribute('aria-busy') === 'false' && shown)
      p.done = performance.now();
  }).observe(results, {attributes: true, childList: true, subtree: true});
}"""


def browser_runs(site: Path, queries: list[str]) -> list[dict[str, Any]]:
    """Per query, in a fresh browser context (nothing cached): open search.html and type the
    query key by key ("cold": the search code and index load on the first keystroke), then
    type WARM_QUERIES key by key in the same page ("warm"). Each time is from the last
    keystroke to the results of the whole query on screen; with them the gzip bytes of the
    search files fetched before the cold query's results."""
    from playwright.sync_api import sync_playwright

    gz = {p.relative_to(site).as_posix(): gzip_size(p.read_bytes()) for p in site.rglob("*.js")}
    gz.update({p.relative_to(site).as_posix(): gzip_size(p.read_bytes()) for p in site.rglob("*.css")})
    base = site.as_uri() + "/"
    runs = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            fetched: list[str] = []
            errors: list[str] = []
            page.on("request", lambda r, f=fetched: f.append(r.url.removeprefix(base)))
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            page.goto(base + "search.html")
            page.evaluate(PROBE)
            cold = _type_and_wait(page, query)
            cold_bytes = sum(gz.get(u, 0) for u in fetched)
            first_bytes = _first_draw_bytes(page, fetched, base, gz)
            shards_cold = sum(u.startswith("assets/search/t") for u in fetched)
            chunks_cold = sum(u.startswith("assets/search/d") for u in fetched)
            words_cold = sum(u.startswith("assets/search/w") for u in fetched)
            results = page.locator("#search-results a.search-hit").count()
            fetched.clear()
            one_search = _one_search_bytes(browser, base, query, gz)
            warm = [_type_and_wait(page, q) for q in WARM_QUERIES]
            runs.append(
                {
                    "query": query,
                    "cold_ms": cold,
                    "warm_ms": warm,
                    "bytes_before_first_result": cold_bytes,
                    "bytes_before_first_draw": first_bytes,
                    "bytes_one_search": one_search,
                    "shards_before_first_result": shards_cold,
                    "chunks_before_first_result": chunks_cold,
                    "word_shards_before_first_result": words_cold,
                    "warm_bytes": sum(gz.get(u, 0) for u in fetched),
                    "results": results,
                    "console_errors": errors,
                }
            )
            context.close()
        browser.close()
    return runs


def _first_draw_bytes(page: Any, fetched: list[str], base: str, gz: dict[str, int]) -> int:
    """Gzip bytes fetched before the first results were on screen while typing (the first
    prefix with results, from the third letter): the page's own files and the data files
    inserted until then."""
    probe = page.evaluate("({scripts: window.__probe.scripts, first: window.__probe.first || []})")
    inserted = {u.removeprefix(base) for u in probe["scripts"]}
    before = {u.removeprefix(base) for u in probe["first"]}
    return sum(gz.get(u, 0) for u in fetched if u not in inserted or u in before)


def _one_search_bytes(browser: Any, base: str, query: str, gz: dict[str, int]) -> int:
    """Gzip bytes of the search files a fresh page fetches for one search: the query entered
    at once (pasted), as the earlier benchmark measured it."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url.removeprefix(base)))
    page.goto(base + "search.html")
    page.evaluate(PROBE)
    page.evaluate("q => { window.__probe.want = q; }", query)
    page.fill("#search-page-input", query)
    page.wait_for_function("() => window.__probe.done > 0", polling=50, timeout=120_000)
    context.close()
    return sum(gz.get(u, 0) for u in fetched)


def _type_and_wait(page: Any, query: str) -> float:
    """Clear the box, type `query` key by key; ms from the last keystroke to its results."""
    page.fill("#search-page-input", "")
    page.evaluate("q => { window.__probe.want = q; window.__probe.done = 0; }", query)
    page.type("#search-page-input", query, delay=TYPING_DELAY_MS, timeout=120_000)
    page.wait_for_function("() => window.__probe.done > 0", polling=50, timeout=120_000)
    return round(page.evaluate("window.__probe.done - window.__probe.last"), 1)


def latency_summary(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Median and 90th percentile of the cold and the warm times."""
    cold = [r["cold_ms"] for r in runs]
    warm = [t for r in runs for t in r["warm_ms"]]
    return {
        "cold_median": statistics.median(cold),
        "cold_p90": percentile(cold, 90),
        "warm_median": statistics.median(warm),
        "warm_p90": percentile(warm, 90),
    }


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))]


def bench_corpus(
    name: str, pages: list[Page], taxonomy: Taxonomy, args: argparse.Namespace
) -> dict[str, Any]:
    print(f"[{name}] {len(pages)} papers: building the index", flush=True)
    repeat = 3 if len(pages) <= 2000 else 1
    synonyms = load_synonyms(DEFAULT_SYNONYMS)  # what a site without its own list gets
    wall, cpu, files = timed(lambda: build_search_assets(pages, taxonomy, synonyms), repeat)
    row: dict[str, Any] = {"corpus": name, "papers": len(pages), "build_s": round(wall, 3)}
    row["cpu_s"] = round(cpu, 3)
    row["assets"] = asset_sizes(files)
    row["all_shards_gzip"] = row["assets"]["term shards (search/t*.js)"]["gzip"]
    if not args.skip_stock:
        print(f"[{name}] stock lunr.py (slug refs)", flush=True)
        row["stock_lunr_py"] = stock = stock_lunr(pages, taxonomy)
        row["speedup_cpu"] = round(stock["cpu_s"] / cpu, 1)
    if not args.skip_browser:
        print(f"[{name}] headless Chromium, file://", flush=True)
        runs = browser_runs(write_harness(files, name), QUERIES)
        row["browser"] = runs
        row["bytes_before_first_result"] = {
            "median": int(statistics.median(r["bytes_before_first_result"] for r in runs)),
            "max": max(r["bytes_before_first_result"] for r in runs),
            "first_draw_median": int(statistics.median(r["bytes_before_first_draw"] for r in runs)),
            "first_draw_max": max(r["bytes_before_first_draw"] for r in runs),
            "one_search_median": int(statistics.median(r["bytes_one_search"] for r in runs)),
            "one_search_max": max(r["bytes_one_search"] for r in runs),
        }
        row["latency_ms"] = latency_summary(runs)
    return row


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} kB" if n < 1024 * 1024 * 10 else f"{n / 1024 / 1024:,.1f} MB"


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| corpus | papers | build wall / CPU | stock lunr.py wall / CPU (CPU ratio) "
        "| stock index raw / gzip | entry index gzip "
        "| all shards gzip | bytes before 1st result (median / max) "
        "| last key → results, cold / warm (median, p90) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        stock_build = stock_size = first = typing = "–"
        if "stock_lunr_py" in r:
            stock = r["stock_lunr_py"]
            stock_build = f"{stock['build_s']:.1f} s / {stock['cpu_s']:.1f} s ({r['speedup_cpu']}×)"
            stock_size = f"{kb(stock['raw'])} / {kb(stock['gzip'])}"
        if "bytes_before_first_result" in r:
            b = r["bytes_before_first_result"]
            first = (
                f"first drawn: {kb(b['first_draw_median'])} / {kb(b['first_draw_max'])}; "
                f"typed: {kb(b['median'])} / {kb(b['max'])}; "
                f"pasted: {kb(b['one_search_median'])} / {kb(b['one_search_max'])}"
            )
            t = r["latency_ms"]
            typing = (
                f"{t['cold_median']:.0f} (p90 {t['cold_p90']:.0f}) / "
                f"{t['warm_median']:.0f} (p90 {t['warm_p90']:.0f}) ms"
            )
        lines.append(
            f"| {r['corpus']} | {r['papers']:,} | {r['build_s']:.2f} s / {r['cpu_s']:.2f} s "
            f"| {stock_build} | {stock_size} "
            f"| {kb(r['assets']['search-index.js']['gzip'])} | {kb(r['all_shards_gzip'])} "
            f"| {first} | {typing} |"
        )
    lines += ["", "| corpus | asset | files | raw | gzip | largest file gzip |"]
    lines += ["|---|---|---:|---:|---:|---:|"]
    for r in rows:
        for kind, s in r["assets"].items():
            lines.append(
                f"| {r['corpus']} | {kind} | {s['files']} | {kb(s['raw'])} | {kb(s['gzip'])} "
                f"| {kb(s['max_gzip'])} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000], help="synthetic corpus sizes")
    parser.add_argument("--skip-stock", action="store_true", help="do not build stock lunr.py indexes")
    parser.add_argument("--skip-browser", action="store_true", help="do not run headless Chromium")
    args = parser.parse_args(argv)
    rows = []
    pages, taxonomy = bundled_corpus()
    if pages:
        rows.append(bench_corpus("bundled", pages, taxonomy, args))
    for size in args.sizes:
        rows.append(bench_corpus(f"synthetic {size:,}", synthetic_pages(size), default_taxonomy(), args))
    table = markdown(rows)
    print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"rows": rows, "queries": QUERIES}, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

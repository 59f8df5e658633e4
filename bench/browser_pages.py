"""What a built site's pages cost a reader in Chromium: `python -m bench.browser_pages SITE`.

SITE is a built `_site/` folder. It is served under a sub-path (`/site/`, as GitHub Pages
serves a project) and every page named is opened in a fresh context: the bytes fetched
(the HTML, and all of it), the requests, the DOM's elements, the page's height and its
cumulative layout shift. Then saved.html with `--saved N` papers put in localStorage (the
site's first N slugs): the page's main-thread time as it loads, a Remove, and a page of the
site viewed in another tab. Prints a Markdown table; nothing is written.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
PAGES = ("index.html", "page/1.html", "tags/index.html", "archive/index.html", "trends.html", "saved.html")
SHIFTS = """() => new Promise(done => { let sum = 0; new PerformanceObserver(list => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
}).observe({type: 'layout-shift', buffered: true}); setTimeout(() => done(sum), 500); })"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    """The site at http://127.0.0.1:PORT/site/ for as long as the block runs."""
    folder = tempfile.TemporaryDirectory(prefix="browser-pages-")
    root = Path(folder.name)
    (root / "site").symlink_to(site.resolve())
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/site/"
    finally:
        server.shutdown()
        folder.cleanup()


def page_row(browser: Any, url: str) -> dict[str, Any]:
    """One page opened afresh: bytes, requests, DOM size, height and layout shift."""
    context = browser.new_context()
    page = context.new_page()
    done: list[Any] = []
    page.on("requestfinished", lambda request: done.append(request))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    sizes = [(r.resource_type, r.sizes()["responseBodySize"]) for r in done]
    row = {
        "html_kb": sum(s for kind, s in sizes if kind == "document") / 1024,
        "all_kb": sum(s for _, s in sizes) / 1024,
        "requests": len(sizes),
        "dom": page.evaluate("document.getElementsByTagName('*').length"),
        "height": page.evaluate("document.documentElement.scrollHeight"),
        "cls": page.evaluate(SHIFTS),
    }
    context.close()
    return row


def main_thread_ms(cdp: Any) -> tuple[float, float]:
    """Script and task time of the page's main thread so far, in ms."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["ScriptDuration"] * 1000, metrics["TaskDuration"] * 1000


def saved_row(browser: Any, base: str, slugs: list[str]) -> dict[str, float]:
    """saved.html with these papers saved: its load, a Remove, and a page viewed elsewhere."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "tags/index.html")  # an origin for localStorage (404.html's links are absolute)
    prefix = "site_builder:" + urlsplit(base).path
    items = [{"slug": s, "title": s, "saved": "2026-01-01"} for s in slugs]
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [prefix + ":saved", json.dumps(items)])
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    start = main_thread_ms(cdp)
    page.goto(base + "saved.html")
    page.wait_for_timeout(1500)
    loaded = main_thread_ms(cdp)
    row = {"load_script": loaded[0] - start[0], "load_task": loaded[1] - start[1]}
    if slugs:
        page.locator("#saved-list > li button").first.click()
        page.wait_for_timeout(300)
        removed = main_thread_ms(cdp)
        row.update(remove_script=removed[0] - loaded[0], remove_task=removed[1] - loaded[1])
        other = context.new_page()
        other.goto(base + "papers/" + slugs[-1] + ".html")
        other.wait_for_timeout(800)
        viewed = main_thread_ms(cdp)
        row.update(elsewhere_script=viewed[0] - removed[0], elsewhere_task=viewed[1] - removed[1])
    context.close()
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built _site/ folder")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated paths")
    parser.add_argument("--saved", type=int, default=500, help="papers saved for saved.html")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    slugs = sorted(p.stem for p in (args.site / "papers").glob("*.html") if p.name != "index.html")
    with served(args.site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        print("| page | HTML kB | all kB | requests | DOM elements | height px | CLS |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for path in args.pages.split(","):
            r = page_row(browser, base + path)
            print(
                f"| {path} | {r['html_kb']:.1f} | {r['all_kb']:.1f} | {r['requests']} | {r['dom']} "
                f"| {r['height']} | {r['cls']:.3f} |"
            )
        print(f"\nsaved.html with {args.saved} saved papers (main thread, ms):")
        for key, value in saved_row(browser, base, slugs[: args.saved]).items():
            print(f"- {key}: {value:.0f}")
        browser.close()


if __name__ == "__main__":
    main()

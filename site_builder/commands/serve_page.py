"""What `serve` adds to the pages it sends, never to the built files: the reload script, the
banner of the last failed run's problems and its stylesheet, and the page served while no
site has been built yet.

The script polls `/__site_builder__/build-id` (reloading the page when the id differs from
the one the page was served with) and `/__site_builder__/problems` (JSON: each failed run's
summary and its first problems, as the terminal says them). It inserts the problems as
text, never as markup (a title or a YAML line may hold `<script>`), in a shadow root the
site's stylesheet cannot reach, styled by a stylesheet served from the same origin: the
site's Content-Security-Policy (`style-src 'self'`, no inline styles or scripts) allows it.
"""

from __future__ import annotations

import html
import json
from typing import NamedTuple

PREFIX = "/__site_builder__/"
SHOWN = 5  # the problems a banner lists of one run; the rest are counted ("and 3 more")


class Failure(NamedTuple):
    """A failed run as the terminal said it: its problems, then its summary line."""

    problems: list[str]
    summary: str


def problems_report(failures: list[Failure]) -> bytes:
    """The problems endpoint's answer: `{"failures": [{"summary", "problems", "more"}]}`,
    each run's first SHOWN problems and the count of the rest; no failures once all succeed.
    A problem an earlier run listed is not listed again (a broken page stops the ingest and
    then the build: the banner said it twice)."""
    runs, listed = [], set()
    for failure in failures:
        problems = [line for line in failure.problems if line not in listed]
        listed.update(problems)
        runs.append(
            {
                "summary": failure.summary.replace(" (above)", ""),
                "problems": problems[:SHOWN],
                "more": max(0, len(problems) - SHOWN),
            }
        )
    return json.dumps({"failures": runs}, ensure_ascii=False).encode()


def reload_tag(build_id: str) -> bytes:
    """The script tag the server adds to a page served from build `build_id`."""
    return f'<script src="{PREFIX}reload.js" data-build="{html.escape(build_id)}" defer></script>'.encode()


def inject(page: bytes, build_id: str) -> bytes:
    """`page` with the reload script before its `</body>` (unchanged if it has none)."""
    at = page.rfind(b"</body>")
    return page if at < 0 else page[:at] + reload_tag(build_id) + b"\n" + page[at:]


def no_site_page(build_id: str) -> bytes:
    """What every page is while no build has succeeded yet (the first one failed): it says
    so, the banner lists the problems, and it reloads into the site once a build succeeds."""
    return inject(
        f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'">
<title>No site yet · site-builder serve</title>
<link rel="stylesheet" href="{PREFIX}problems.css">
</head>
<body class="site-builder-no-site">
<main>
<h1>No site to show yet</h1>
<p>The build failed before making a site: its problems are listed above, and in the
terminal that runs <code>site-builder serve</code>. Mend them and save: this page turns into
the site as soon as a build succeeds.</p>
</main>
</body>
</html>
""".encode(),
        build_id,
    )


RELOAD_JS = b"""(function () {
  "use strict";
  var base = "/__site_builder__/", me = document.currentScript;
  var seen = (me && me.getAttribute("data-build")) || null;
  var host = null, shown = "", KEPT = "site-builder-dismissed", hidden = kept();

  function kept() {
    try { return sessionStorage.getItem(KEPT) || ""; } catch (e) { return ""; }
  }
  function keep(value) {
    try {
      if (value) { sessionStorage.setItem(KEPT, value); } else { sessionStorage.removeItem(KEPT); }
    } catch (e) { /* storage refused: dismissed for this page only */ }
  }
  function make(tag, text, name) {
    var element = document.createElement(tag);
    if (text) { element.textContent = text; }  // text, never markup: a title may hold <script>
    if (name) { element.className = name; }
    return element;
  }
  function remove() {
    if (host) { host.remove(); host = null; }
  }
  function dismiss() {
    hidden = shown;  // until the problems change, on this page and the next ones
    keep(shown);
    remove();
  }

  // The last failed runs' problems over the page (itself the last good build's), as the
  // terminal says them; gone when the runs succeed (and the page reloads if the site changed).
  function show(report) {
    var failures = (report && report.failures) || [];
    var text = JSON.stringify(failures);
    if (!failures.length) { shown = hidden = ""; keep(""); remove(); return; }
    if (text === shown && (host || text === hidden)) { return; }
    shown = text;
    remove();
    if (text === hidden) { return; }
    host = make("div");
    host.id = "site-builder-problems";
    host.style.display = "none";  // until its stylesheet is in
    var root = host.attachShadow({ mode: "open" });
    var sheet = make("link");
    sheet.rel = "stylesheet";
    sheet.href = base + "problems.css";
    sheet.onload = sheet.onerror = function () { host && (host.style.display = ""); };
    var box = make("section", "", "box");
    box.setAttribute("role", "alert");
    box.setAttribute("aria-label", "site-builder serve: problems of the last run");
    var close = make("button", "Dismiss", "dismiss");
    close.type = "button";
    close.title = "Hide these problems until they change (Esc)";
    close.addEventListener("click", dismiss);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); dismiss(); }
    });
    box.appendChild(close);
    failures.forEach(function (failure) {
      var summary = String(failure.summary || "");
      box.appendChild(make("h2", summary.charAt(0).toUpperCase() + summary.slice(1)));
      var list = make("ul");
      (failure.problems || []).forEach(function (line) { list.appendChild(make("li", String(line))); });
      if (failure.more > 0) {
        list.appendChild(make("li", "\\u2026 and " + failure.more + " more (in the terminal)", "more"));
      }
      if (list.firstChild) { box.appendChild(list); }  // none: all named by a run above
    });
    root.appendChild(sheet);
    root.appendChild(box);
    document.body.insertBefore(host, document.body.firstChild);
  }

  function poll() {
    fetch(base + "build-id", { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : seen; })
      .then(function (id) {
        if (seen === null) { seen = id; } else if (id !== seen) { location.reload(); return null; }
        return fetch(base + "problems", { cache: "no-store" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (report) { if (report) { show(report); } });
      })
      .catch(function () { /* the server is restarting or gone: ask again */ })
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""

# The banner (in its shadow root: the site's own styles never reach it) and the no-site page.
PROBLEMS_CSS = b"""/* site-builder serve: the banner of the last run's problems (never in a built site). */
:host {
  all: initial;
  position: fixed;
  top: 0;
  left: 0;
  right: 0;
  z-index: 2147483647;
}
.box {
  box-sizing: border-box;
  max-height: 50vh;
  overflow: auto;
  margin: 0;
  padding: 0.75rem 1rem 0.5rem;
  background: #fdecea;
  color: #3d0808;
  border-bottom: 4px solid #b3261e;
  box-shadow: 0 2px 12px rgba(0, 0, 0, 0.35);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
h2 {
  margin: 0 6rem 0.35rem 0;
  font-size: 15px;
  font-weight: 700;
}
ul {
  margin: 0 0 0.5rem;
  padding: 0;
  list-style: none;
}
li {
  margin: 0 0 0.25rem;
  font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
.more {
  font-style: italic;
}
.dismiss {
  float: right;
  margin: 0 0 0.25rem 1rem;
  padding: 0.25rem 0.75rem;
  font: inherit;
  font-weight: 600;
  color: #fff;
  background: #b3261e;
  border: 2px solid #b3261e;
  border-radius: 4px;
  cursor: pointer;
}
.dismiss:hover {
  background: #8c1d18;
}
.dismiss:focus-visible {
  outline: 3px solid #3d0808;
  outline-offset: 2px;
}
@media (prefers-color-scheme: dark) {
  .box {
    background: #3a0f0d;
    color: #fde7e4;
    border-bottom-color: #f2b8b5;
  }
  .dismiss {
    color: #3a0f0d;
    background: #f2b8b5;
    border-color: #f2b8b5;
  }
  .dismiss:hover {
    background: #ffdad6;
  }
  .dismiss:focus-visible {
    outline-color: #fde7e4;
  }
}
@media (forced-colors: active) {
  .box {
    background: Canvas;
    color: CanvasText;
    border: 3px solid CanvasText;
  }
  .dismiss {
    color: ButtonText;
    background: ButtonFace;
    border-color: ButtonText;
  }
  .dismiss:focus-visible {
    outline-color: Highlight;
  }
}
body.site-builder-no-site {
  margin: 0;
  padding: 40vh 1.5rem 2rem;
  font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
body.site-builder-no-site main {
  max-width: 40rem;
  margin: 0 auto;
}
"""

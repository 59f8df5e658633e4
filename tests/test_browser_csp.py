"""The Content-Security-Policy in Chromium: every kind of page declares it, and nothing breaks it.

Each page type — home, paper, tag index, tag page, search with a query typed (which loads
lunr.js, the search engine and index shards by inserted <script> tags), 404 — is opened
over file:// and over HTTP under /some-repo/. An init script records every
`securitypolicyviolation` event on `window`; console messages of every level are kept.
None may report a violation. A control at the end of each run proves the policy is
really enforced and the recorder really hears it: an inline script inserted into the
page is refused, and the refusal is recorded.

Then the hostile site (the hostile dumps and hand-written pages of tests/data) is built
and every one of its pages is opened from disk: no dialog (alert/confirm/prompt) opens,
no payload runs, no policy violation.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from site_builder.cli import main

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
RECORDER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push([e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber, e.sample].join(' '));
}, true);
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (...args) => { (window.__dialogs = window.__dialogs || []).push([name, ...args].join(' ')); };
}
"""
PAGES = {
    "home": "index.html",
    "paper": "papers/hostile-markup-test.html",
    "tag index": "tags/index.html",
    "tag page": "tags/agents.html",
    "404": "404.html",
    "search": "search.html",
}


@pytest.fixture(params=["file", "http"])
def base(request: pytest.FixtureRequest, built_site: Path) -> str:
    if request.param == "file":
        return built_site.as_uri() + "/"
    return request.getfixturevalue("site_server")


def watched(open_page: Callable[..., Any]) -> Any:
    page = open_page()
    page.add_init_script(RECORDER)
    page.console_log = []
    page.on("console", lambda m: page.console_log.append(f"{m.type}: {m.text}"))
    page.requested = []
    page.on("request", lambda r: page.requested.append(r.url))
    return page


def csp_of(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        'meta[http-equiv="Content-Security-Policy"]', "ms => ms.map(m => m.getAttribute('content'))"
    )


def check_policy(page: Any, where: str) -> None:
    policies = csp_of(page)
    assert len(policies) == 1, (where, policies)
    directives = dict(
        (d.split()[0], d.split()[1:]) for d in (part.strip() for part in policies[0].split(";")) if d
    )
    assert "'unsafe-inline'" not in policies[0] and "'unsafe-eval'" not in policies[0], where
    assert directives["default-src"] == ["'self'"] and directives["script-src"] == ["'self'"], where
    assert directives["object-src"] == ["'none'"] and directives["base-uri"] == ["'none'"], where
    # A <meta> policy covers only what comes after it: it must precede every script and style.
    before = page.evaluate(
        """() => {
          const head = [...document.head.children];
          const csp = head.findIndex(e => e.httpEquiv === 'Content-Security-Policy');
          const first = head.findIndex(e => e.tagName === 'SCRIPT' || e.tagName === 'STYLE' ||
                                            (e.tagName === 'LINK' && e.rel === 'stylesheet'));
          return csp >= 0 && csp < first;
        }"""
    )
    assert before, where


def violations(page: Any) -> list[str]:
    return page.evaluate("window.__csp") + [
        line for line in page.console_log if "Content Security Policy" in line or "Refused" in line
    ]


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_type_has_a_strict_policy_and_no_violation(
    open_page: Callable[..., Any], base: str, kind: str
) -> None:
    if kind == "404" and base.startswith("file:"):
        pytest.skip("a host serves 404.html at any depth, by absolute paths from base_url: not from disk")
    page = watched(open_page)
    page.goto(base + PAGES[kind])
    page.wait_for_load_state("load")
    check_policy(page, kind)
    if kind == "search":
        page.fill("#search-page-input", "agents")
        page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    else:
        # The header box loads the same search scripts on first focus, from any depth.
        page.fill("#site-search-input", "agents")
        page.wait_for_selector('#search-popup[aria-busy="false"]:not([hidden]) a.search-hit')
    assert any(re.search(r"assets/search-engine\.js\?v=\w+$", url) for url in page.requested), page.requested
    assert any("assets/search/t" in url for url in page.requested), page.requested
    assert violations(page) == [], kind
    assert page.problems == [], kind
    assert page.evaluate("window.__dialogs || []") == []
    # Control: an inline script is refused, and the refusal is heard by the recorder.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("() => window.__csp.length > 0")
    assert page.evaluate("window.__ran") is None
    assert [v.split()[0] for v in page.evaluate("window.__csp")] == ["script-src-elem"]


# --- the hostile site -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-browser") / "site"
    (root / "content" / "sources").mkdir(parents=True)
    for dump in sorted((DATA / "hostile").glob("*.txt")):
        shutil.copyfile(dump, root / "content" / "sources" / dump.name)
    shutil.copyfile(REPO / "content" / "taxonomy.yaml", root / "content" / "taxonomy.yaml")
    shutil.copytree(DATA / "hostile_site" / "content", root / "content", dirs_exist_ok=True)
    main(["--root", str(root), "-q", "ingest"])  # exit 1: the binary dump is refused
    assert main(["--root", str(root), "-q", "build"]) == 0
    return root / "_site"


def test_no_payload_of_the_hostile_site_runs_in_the_browser(
    open_page: Callable[..., Any], hostile_site: Path
) -> None:
    page = watched(open_page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # All but 404.html, whose absolute links (from base_url) are for a host, not for disk.
    pages = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.rglob("*.html"))
    pages.remove("404.html")
    assert len(pages) > 50
    base = hostile_site.as_uri() + "/"
    moved = [
        rel for rel in pages if 'http-equiv="refresh"' in (hostile_site / rel).read_text(encoding="utf-8")
    ]
    # The page's file name, and the folders' own addresses (`archive/2025/`): they send readers on.
    folders = ["archive/2025/index.html", "archive/2026/index.html", "papers/index.html"]
    assert moved == sorted(["papers/index-slug-lookalike.html", *folders])
    for rel in moved:  # it leaves at once: read, not opened
        text = (hostile_site / rel).read_text(encoding="utf-8")
        assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'">' in text
        assert "<script" not in text.replace("&lt;script", "") and "onerror=" not in text.replace(
            "&quot;", ""
        )
        pages.remove(rel)
    for rel in pages:
        page.goto(base + rel)
        check_policy(page, rel)
        assert page.evaluate("window.__dialogs || []") == [], rel
        assert page.evaluate("window.__csp") == [], rel
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0, rel
        scripts = page.evaluate("[...document.scripts].map(s => s.getAttribute('src') || s.type)")
        ran = [s.rsplit("assets/", 1)[1].split("?v=")[0] for s in scripts if s != "application/ld+json"]
        assert ran == ["search.js", "reading.js"], (rel, scripts)
        assert len(scripts) - len(ran) == rel.startswith("papers/"), (rel, scripts)  # a paper's data
    # Search over the hostile titles shows them as text too.
    page.goto(base + "search.html?q=script")
    page.wait_for_selector('#search-results[aria-busy="false"] a.search-hit')
    titles = page.locator("#search-results .search-title").all_inner_texts()
    assert "<script>alert('title')</script>" in titles, titles
    assert (
        page.evaluate("document.querySelectorAll('#search-results script, #search-results img').length") == 0
    )
    assert dialogs == [] and page.evaluate("window.__dialogs || []") == []
    assert violations(page) == []
    assert page.problems == []

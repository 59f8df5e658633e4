"""Shared fixtures: the fixture site built once, a sub-path HTTP server, and Chromium.

Browser fixtures drive Debian's Chromium through Playwright. Without Chromium the browser
tests skip locally but fail when CI=true, so CI can never pass without running them.

- `built_site`: the fixture site (tests/data/site) built once per session; read-only.
- `site_server`: `built_site` served at http://127.0.0.1:<port>/some-repo/ (the base URL,
  with a trailing slash) — the way GitHub Pages serves a project site.
- `browser`: a Chromium Browser; `open_page(**context_options)` gives a Page whose
  `.problems` collects console errors, page errors and failed requests.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURE_SITE
from hypothesis import settings

from site_builder.build.pipeline import build_site

# No timing assertions: Hypothesis's per-example deadline (200 ms) failed a search property
# test at 312 ms on a loaded machine. Every property test inherits this profile.
settings.register_profile("site_builder", deadline=None)
settings.load_profile("site_builder")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SUBPATH = "/some-repo/"
REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"  # read once: tests run without it (below)


# The files whose tests take longest (measured with --durations), queued first: with two
# workers, the 50,000-paper test queued last (xdist queues files by test count, so its
# three tests came late) ran alone for two minutes at the end of every run.
HEAVIEST_FIRST = (
    "test_resource_bounds.py",
    "test_hardening_build.py",
    "test_related_repair.py",
    "test_related_retag.py",
    "test_related_reach.py",
    "test_interrupted.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Queue the heaviest files first, then the rest by test count (xdist's own order,
    kept by `--no-loadscope-reorder` in the Makefile so this order is the one used)."""
    per_file: dict[str, int] = {}
    for item in items:
        per_file[item.path.name] = per_file.get(item.path.name, 0) + 1

    def cost(item: pytest.Item) -> tuple[int, int]:
        name = item.path.name
        if name in HEAVIEST_FIRST:
            return (HEAVIEST_FIRST.index(name), 0)
        return (len(HEAVIEST_FIRST), -per_file[name])

    items.sort(key=cost)


@pytest.fixture(autouse=True)
def _commands_run_as_on_a_laptop(monkeypatch: pytest.MonkeyPatch) -> None:
    """`check` is strict when CI is set; tests that want that set it themselves, so the
    suite gives the same answers on a laptop and in CI."""
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture(scope="session", autouse=True)
def _fixtures_stay_as_committed() -> Iterator[None]:
    """No test may leave a cache or a built site in tests/data: a copy of the fixture site
    would carry it into the next test, which would then pass or fail by the order of runs."""
    data = REPO / "tests" / "data"
    before = {p for name in (".site-cache", "_site") for p in data.rglob(name)}
    yield
    after = {p for name in (".site-cache", "_site") for p in data.rglob(name)}
    assert after <= before, f"tests wrote into tests/data: {sorted(map(str, after - before))}"


@pytest.fixture
def bind_mount(tmp_path: Path) -> Iterator[Path]:
    """`_site` as a bind mount, as Docker CI gives it; skipped where mounting is not allowed."""
    backing, out = tmp_path / "volume", tmp_path / "_site"
    backing.mkdir()
    out.mkdir()
    if subprocess.run(["mount", "--bind", str(backing), str(out)], capture_output=True).returncode:
        pytest.skip("cannot bind-mount here (not root)")
    try:
        yield out
    finally:
        subprocess.run(["umount", str(out)], check=True)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once for the whole session (do not modify it)."""
    out = tmp_path_factory.mktemp("built") / "_site"
    build_site(FIXTURE_SITE, out=out, cache=False)  # never write into tests/data
    return out


class _SubpathHandler(SimpleHTTPRequestHandler):
    """Serves the site only under SUBPATH; everything else is a 404, as on GitHub Pages."""

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(SUBPATH):
            return os.path.join(self.directory, "__outside_the_site__")
        return super().translate_path("/" + clean[len(SUBPATH) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    """A browser that navigates on mid-download drops its connection: not a test's failure,
    and its traceback on stderr read like one in CI's log."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def served_under_subpath(site: Path, handler_class: type[_SubpathHandler] = _SubpathHandler) -> Iterator[str]:
    """`site` served over HTTP under /some-repo/ while the block runs; yields its base URL."""
    handler = functools.partial(handler_class, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUBPATH}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """Base URL (ending in /some-repo/) of an HTTP server serving `built_site`."""
    with served_under_subpath(built_site) as url:
        yield url


def _chromium_or_skip() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.path.exists(CHROMIUM) else None)
    if path is None:
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
        if IN_CI:
            pytest.fail(message + " (CI=true: browser tests must run)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """A factory: `open_page(**context_options)` → a Page with `.problems` (console errors,
    page errors, failed requests, HTTP errors), in a fresh context closed after the test."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(**options)
        contexts.append(context)
        context.set_default_timeout(5000)
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: _console(m, problems))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: _failed(r, problems))
        page.on(
            "response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
        )
        page.problems = problems
        return page

    yield make
    for context in contexts:
        context.close()


def _console(message: Any, problems: list[str]) -> None:
    # A document with no icon of its own (feed.xml in the XML viewer) makes Chromium ask the
    # host for /favicon.ico, outside the site; Playwright reports that only as a console error.
    where = (message.location or {}).get("url", "")
    if message.type == "error" and not where.endswith("/favicon.ico"):
        problems.append(f"console {message.type}: {message.text} {where}".rstrip())


def _failed(request: Any, problems: list[str]) -> None:
    # ERR_ABORTED: a request cut short because the test clicked on before it finished; a
    # missing file is ERR_FILE_NOT_FOUND (file://) or an HTTP error status instead.
    if "ERR_ABORTED" not in (request.failure or ""):
        problems.append(f"request failed: {request.url} {request.failure}")


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations for the page as it is now (all default rules, best practices included).

    The page's Content-Security-Policy forbids injected inline scripts, so the context running
    axe must be made with `bypass_csp=True`.
    """
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, { resultTypes: ['violations'], preload: false })).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result
    ]

"""`site-builder serve`: build, serve the output on 127.0.0.1, rebuild on change, reload the page.

The writing loop: a change under content/sources/ (a new or edited dump), to the taxonomy
(its rules tag the pages) or to site.yaml (its `year:`) runs ingest and then build; any other
change in content/ or the theme runs build. The server (not the
build) adds one `<script src="/__site_builder__/reload.js">` to each HTML page it sends, so
the built files stay exactly what `build` writes. The script polls
`/__site_builder__/build-id` and reloads the page when the id differs from the one the page
was served with (carried on the script tag, so a rebuild that lands before the first poll
answers still reloads). A run that fails prints its problems and keeps the previous site
on the air.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import threading
import time
import traceback
from collections.abc import Callable
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import watchfiles

from site_builder.build.pipeline import build_site
from site_builder.build.render.theme import find_theme
from site_builder.commands.watching import content_change, file_mark, needs_ingest, transient
from site_builder.core.config import PLACEHOLDER_NOTE
from site_builder.core.errors import Problem, SiteError, os_problem, say_line, say_problem_line
from site_builder.core.files.content_files import from_root, inside
from site_builder.core.text import some_of
from site_builder.ingest.pipeline import format_summary, run_ingest

Done = TypeVar("Done")
Say = Callable[..., None]  # prints a line: of what a run did, or of its problems

PREFIX = "/__site_builder__/"
RELOAD_JS = b"""(function () {
  "use strict";
  var url = "/__site_builder__/build-id", me = document.currentScript;
  var seen = (me && me.getAttribute("data-build")) || null, banner = null;
  // The last ingest's or build's problems over the page, as the terminal says them (the
  // page itself is the last good build's), gone once a build succeeds.
  function show(text) {
    if (!text) { if (banner) { banner.remove(); banner = null; } return; }
    if (!banner) {
      banner = document.createElement("div");
      banner.id = "site-builder-problems";
      banner.setAttribute("role", "alert");
      var s = banner.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.zIndex = "2147483647";
      s.maxHeight = "50vh"; s.overflow = "auto"; s.margin = "0"; s.padding = "0.75rem 1rem";
      s.background = "#7f1d1d"; s.color = "#fff"; s.font = "13px/1.4 ui-monospace, monospace";
      s.whiteSpace = "pre-wrap";
      document.body.appendChild(banner);
    }
    banner.textContent = text;
  }
  function poll() {
    fetch(url, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : seen; })
      .then(function (id) {
        if (seen === null) { seen = id; } else if (id !== seen) { location.reload(); }
        return fetch("/__site_builder__/problems", { cache: "no-store" });
      })
      .then(function (r) { return r && r.ok ? r.text() : ""; })
      .then(show)
      .catch(function () {})
      .then(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""


def reload_tag(build_id: str) -> bytes:
    """The script tag the server adds to a page served from build `build_id`."""
    return f'<script src="{PREFIX}reload.js" data-build="{build_id}" defer></script>'.encode()


class DevServer:
    """A site being served: the HTTP server, its output folder, and the current build id."""

    def __init__(
        self,
        root: Path,
        out: Path,
        port: int,
        say: Say = say_line,
        detail: str = "",
        warn: Say = say_problem_line,
        drafts: bool = False,
    ) -> None:
        """`detail`: "quiet" (problems only), "verbose" (ingest's summary names the pages), or "".
        `say` prints what a run did; `warn` its problems (to standard error, as every command).
        `drafts`: build the pages with `draft: true` too (`serve --drafts`)."""
        self.root, self.out, self.say, self.detail, self.warn = root, out, say, detail, warn
        self.drafts = drafts
        self.base_path = _base_path(out / "404.html")  # read again after each build, not each request
        self.build_id = f"{time.time_ns()}-0"
        self._builds = 0
        # The last failed ingest's and build's messages, shown over open pages until each
        # succeeds again (an ingest with errors, a bad date line, showed nothing).
        self.failures = {"ingest": "", "build": ""}
        self.refused = False  # the first build refused the output folder: nothing to serve
        # The pages the last ingest wrote, as it left them: the build after it read them
        # already, so the watcher's news of them is no change (it set off a second build).
        self._written: dict[Path, tuple[int, int]] = {}
        handler = functools.partial(_Handler, self, directory=str(out))
        try:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as err:
            raise SiteError(
                Problem("--port", 0, f"cannot listen on 127.0.0.1:{port}: {err.strerror}; try another --port")
            ) from None
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def problems(self) -> str:
        return "\n".join(text for text in self.failures.values() if text)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _attempt(self, what: str, action: Callable[[], Done]) -> Done | None:
        """`action` (an ingest or a build), or None when it failed: its problems said, and
        the tool's own mistakes too, for the server stays up and serves the last site."""
        try:
            return action()
        except (SiteError, OSError) as err:
            problems = err.problems if isinstance(err, SiteError) else [os_problem(err)]
            lines = self._say_problems(problems)
            self.refused = self.refused or any(p.path == str(self.out) for p in problems)
            failed = f"{what} failed; still serving the previous site"
            if self.refused and not (self.out / "index.html").is_file():
                failed = f"{what} failed: the output folder is refused"
        except Exception:  # noqa: BLE001 (the tool's own mistake: said, and the server stays up)
            said = traceback.format_exc().rstrip()
            self.warn(said)
            failed = f"{what} failed (an error in site_builder itself); still serving the previous site"
            lines = said.splitlines()[-1:]
        self.warn(failed)
        self.failures[what] = "\n".join([*lines, failed])
        return None

    def _say_problems(self, problems: list[Problem]) -> list[str]:
        """Print the problems, named from the site's root; the lines printed."""
        lines = [from_root(problem, self.root).format() for problem in problems]
        for line in lines:
            self.warn(line)
        return lines

    def _summary(self, lines: list[str]) -> None:
        """What a run did, unless `-q` asked for problems only (as the other commands do)."""
        if self.detail != "quiet":
            for line in lines:
                self.say(line)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def ingest(self) -> bool:
        """Ingest the dumps once; problems are printed, never raised."""
        result = self._attempt("ingest", lambda: run_ingest(self.root))
        if result is None:
            return False
        papers = self.root.resolve() / "content" / "papers"
        self._written = {path: mark for name in result.changed if (mark := file_mark(path := papers / name))}
        lines = self._say_problems(result.problems)
        self._summary(format_summary(result, verbose=self.detail == "verbose"))
        errors = [line for line, p in zip(lines, result.problems, strict=True) if p.severity == "error"]
        unread = [
            f"{path}: could not be read" for path in result.unreadable if not any(path in e for e in errors)
        ]
        failed = [*errors, *unread, "ingest finished with errors (above): those entries are left out"]
        self.failures["ingest"] = "\n".join(failed) if result.failed else ""
        return True

    def rebuild(self) -> bool:
        """Build once; on success the pages reload. Problems are printed, never raised."""
        report = self._attempt("build", lambda: build_site(self.root, out=self.out, drafts=self.drafts))
        if report is None:
            return False
        # Not the placeholder base_url: a preview is read here, and CI sets the real one.
        self._say_problems([w for w in report.warnings if not w.message.startswith(PLACEHOLDER_NOTE)])
        self._summary(report.summary(verbose=self.detail == "verbose"))
        self.base_path = _base_path(self.out / "404.html")
        self.failures["build"] = ""
        if not report.unchanged:  # open pages reload only for a site that changed
            self._builds += 1
            self.build_id = f"{self.build_id.split('-')[0]}-{self._builds}"
        return True

    def local(self, path: str) -> str:
        """A request's path as a path in the output folder: the site is served at the root,
        and also under its base_url's path (`/papers/…`), where the 404 page's links point
        (a host serves it at any depth, so it cannot link relatively)."""
        base = self.base_path
        return "/" + path[len(base) :] if base != "/" and path.startswith(base) else path

    def watched(self) -> list[Path]:
        """The site folder (its content/ and themes/, even a themes/ made while serving: a
        designer copies base.html in to edit it) and the theme's folders outside it."""
        theme = find_theme(self.root)
        outside = [f for f in (*theme.template_dirs, *theme.static_dirs) if not f.is_relative_to(self.root)]
        # Resolved, as `watch` compares them: a --root through a symlink took the site's own
        # cache files for changes "outside" it, and built twice on every edit.
        return [self.root.resolve(), *(f.resolve() for f in outside if f.is_dir())]

    def _own_writes(self) -> set[Path]:
        """The pages the last ingest wrote that nobody has touched since."""
        return {path for path, mark in self._written.items() if file_mark(path) == mark}

    def watch(self, stop: threading.Event | None = None) -> None:
        """Rebuild whenever content/ or the theme changes, until `stop` is set (or Ctrl-C)."""
        root = self.root.resolve()
        mine = (root / "content", root / "themes")

        def relevant(change: watchfiles.Change, path: str) -> bool:  # not _site/, .git/, the cache
            where = Path(path)
            return content_change(change, path) and (
                not where.is_relative_to(root)
                or where.is_relative_to(mine[0])
                or where.is_relative_to(mine[1])
            )

        owed = False
        for changes in watchfiles.watch(
            *self.watched(), watch_filter=relevant, stop_event=stop, debounce=300
        ):
            paths = sorted({Path(p) for _, p in changes} - transient(changes) - self._own_writes())
            if not paths:
                continue
            names = [p.name for p in paths]
            self._summary([f"changed: {some_of(names, 5)}"])
            # An ingest that failed is still owed: the next change of any kind runs it again
            # (a dump saved while a page was broken was otherwise never ingested).
            owed = owed or needs_ingest(self.root, paths)
            if owed and not self.ingest():
                continue
            owed = False
            self.rebuild()


def serve(
    root: Path,
    port: int = 8000,
    out: Path | None = None,
    say: Say = say_line,
    detail: str = "",
    warn: Say = say_problem_line,
    drafts: bool = False,
) -> None:
    """Build, serve `out` (default ROOT/_site) on 127.0.0.1:port and rebuild on every change
    (`drafts`: the pages with `draft: true` too).
    An output folder the build refuses (a person's files, the site itself) is not served:
    SiteError, as `build` says it."""
    server = DevServer(root, out if out is not None else root / "_site", port, say, detail, warn, drafts)
    server.ingest()  # dumps added since the last run show up at once
    if not server.rebuild() and server.refused:
        server.httpd.server_close()  # never started: shutdown() would wait for it for ever
        raise SiteError(
            Problem(str(server.out), 0, "not served: the build refuses this output folder (above)")
        )
    server.start()
    server.say(f"serving {server.out} at {server.url} — rebuilds on change; Ctrl-C to stop")
    try:
        server.watch()
    finally:
        server.stop()


class _Handler(SimpleHTTPRequestHandler):
    """Static files, plus the reload script and build id, and the site's 404 page."""

    def __init__(self, dev: DevServer, *args: Any, **kwargs: Any) -> None:
        self.dev = dev
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        rest = self.path[len(path) :]  # the query, kept on a redirect
        if path == PREFIX + "reload.js":
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_JS)
        if path == PREFIX + "build-id":
            return self._send(HTTPStatus.OK, "text/plain; charset=utf-8", self.dev.build_id.encode())
        if path == PREFIX + "problems":
            return self._send(HTTPStatus.OK, "text/plain; charset=utf-8", self.dev.problems.encode())
        local = self.dev.local(path)
        if local != path:
            self.path = local  # the static files below are read from the request's path
        try:
            return self._file(path, rest, Path(self.translate_path(local)))
        except OSError:  # a name too long for the file system: no such page (it printed a traceback)
            return self._not_found()

    def _file(self, path: str, rest: str, file: Path) -> None:
        """The file a request names, as a host serves it: never one a link leads to out of
        the output folder (a symlink put into `_site/` served /etc/passwd)."""
        if not inside(file, Path(self.directory)):
            return self._not_found()
        if file.is_dir():
            if not path.endswith("/"):  # as a host does: the page's relative links need the slash
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", path + "/" + rest)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            file = file / "index.html"
            if not inside(file, Path(self.directory)):
                return self._not_found()
        build_id = self.dev.build_id  # read before the file: a rebuild in between reloads once more
        if file.suffix == ".html" and file.is_file():
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", _inject(file.read_bytes(), build_id))
        if not file.exists():
            return self._not_found()
        return super().do_GET()

    def _not_found(self) -> None:
        """The site's 404 page, as a host serves it (a bare 404 before the first build)."""
        missing = Path(self.directory) / "404.html"
        if not missing.is_file():
            return self.send_error(HTTPStatus.NOT_FOUND)
        body = _inject(missing.read_bytes(), self.dev.build_id)
        return self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body)

    def handle(self) -> None:
        """A browser that goes away mid-answer (a page left while its images load, a search
        superseded by the next keystroke) is no error: it printed a traceback each time."""
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def finish(self) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().finish()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """No folder listings: a folder without index.html is missing, as on a host (a
        listing showed whatever the output folder held)."""
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a request log would drown the rebuild messages


def _base_path(not_found: Path) -> str:
    """The path the built 404 page links from (base_url's path), "/" if none."""
    try:
        found = re.search(rb'<body data-root="(/[^"]*)"', not_found.read_bytes())
    except OSError:
        return "/"
    return found.group(1).decode("utf-8", "replace") if found else "/"


def _inject(html: bytes, build_id: str) -> bytes:
    at = html.rfind(b"</body>")
    return html if at < 0 else html[:at] + reload_tag(build_id) + b"\n" + html[at:]

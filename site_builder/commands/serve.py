"""`site-builder serve`: build, serve the output on 127.0.0.1, rebuild on change, reload the page.

The writing loop: a change under content/sources/ (a new or edited dump), to the taxonomy
(its rules tag the pages) or to site.yaml (its `year:`) runs ingest and then build; any other
change in content/ or the theme runs build. The server (serve_http.py), not the build, adds
one `<script src="/__site_builder__/reload.js">` to each HTML page it sends, so the built
files stay exactly what `build` writes. The script (serve_page.py) reloads the page when a
build changed the site, and shows the problems of a run that failed over the page, which is
the previous site's: a failed run keeps it on the air.
"""

from __future__ import annotations

import functools
import re
import threading
import time
import traceback
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote

import watchfiles

from site_builder.build.pipeline import build_site
from site_builder.build.render.theme import find_theme
from site_builder.commands.serve_http import Handler
from site_builder.commands.serve_page import Failure
from site_builder.commands.watching import content_change, file_mark, needs_ingest, transient
from site_builder.core.config import PLACEHOLDER_NOTE
from site_builder.core.errors import Problem, SiteError, os_problem, say_line, say_problem_line
from site_builder.core.files.content_files import from_root
from site_builder.core.runtime.parallel import end_if_interrupted
from site_builder.core.text import some_of
from site_builder.ingest.pipeline import run_ingest
from site_builder.ingest.summary import format_summary

Done = TypeVar("Done")
Say = Callable[..., None]  # prints a line: of what a run did, or of its problems
# A change is acted on once the files have been quiet this long (ms): an editor that empties
# a page and writes it again a moment later (0.2 s) set off a build of the empty page, whose
# error flashed over the open pages, then a second build.
SETTLE_MS = 250
DEFAULT_PORT = 8000


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
        future: bool = False,
    ) -> None:
        """`detail`: "quiet" (problems only), "verbose" (ingest's summary names the pages), or "".
        `say` prints what a run did; `warn` its problems (to standard error, as every command).
        `drafts`, `future`: build the pages with `draft: true`, and those dated after today,
        too (`serve --drafts`, `serve --future`)."""
        self.root, self.out, self.say, self.detail, self.warn = root, out, say, detail, warn
        self.drafts, self.future = drafts, future
        self.base_path = _base_path(out / "404.html")  # read again after each build, not each request
        self.build_id = f"{time.time_ns()}-0"
        self._builds = 0
        # The last failed ingest's and build's messages, shown over open pages until each
        # succeeds again (an ingest with errors, a bad date line, showed nothing).
        self.failures: dict[str, Failure | None] = {"ingest": None, "build": None}
        self.ingest_owed = False  # the last ingest failed: the next change runs it again
        self.refused = False  # the first build refused the output folder: nothing to serve
        # The pages the last ingest wrote, as it left them: the build after it read them
        # already, so the watcher's news of them is no change (it set off a second build).
        self._written: dict[Path, tuple[int, int]] = {}
        handler = functools.partial(Handler, self, directory=str(out))
        try:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as err:
            raise SiteError(
                Problem("--port", 0, f"cannot listen on 127.0.0.1:{port}: {err.strerror}; try another --port")
            ) from None
        self.port = self.httpd.server_address[1]
        self._thread: threading.Thread | None = None

    def failed_runs(self) -> list[Failure]:
        """The runs whose problems open pages show: the last ingest's, the last build's."""
        return [failure for failure in self.failures.values() if failure]

    def has_site(self) -> bool:
        """Whether the output folder holds a site (a build has succeeded, now or before)."""
        return (self.out / "index.html").is_file()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _attempt(self, what: str, action: Callable[[], Done]) -> Done | None:
        """`action` (an ingest or a build), or None when it failed: its problems said, and
        the tool's own mistakes too, for the server stays up and serves the last site."""
        # A first build that fails has no previous site to keep on the air: it said it had.
        kept = (
            "still serving the previous site"
            if self.has_site()
            else "no site to serve until a build succeeds"
        )
        try:
            return action()
        except (SiteError, OSError) as err:
            end_if_interrupted()  # Ctrl-C, lost on its way, is how serve stops: not a failed build
            problems = err.problems if isinstance(err, SiteError) else [os_problem(err)]
            lines = self._say_problems(problems)
            self.refused = self.refused or any(p.path == str(self.out) for p in problems)
            failed = f"{what} failed; {kept}"
            if self.refused and not self.has_site():
                failed = f"{what} failed: the output folder is refused"
        except Exception:  # noqa: BLE001 (the tool's own mistake: said, and the server stays up)
            # Ctrl-C while the rebuild started its workers: their tracker died of it first, and
            # the build failed with a ValueError; serve took it for a failed build and ran on.
            end_if_interrupted()
            said = traceback.format_exc().rstrip()
            self.warn(said)
            failed = f"{what} failed (an error in site_builder itself); {kept}"
            lines = said.splitlines()[-1:]
        self.warn(failed)
        self.failures[what] = Failure(lines, failed)
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
        self.ingest_owed = result is None
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
        failed = Failure(
            [*errors, *unread], "ingest finished with errors (above): those entries are left out"
        )
        self.failures["ingest"] = failed if result.failed else None
        return True

    def rebuild(self) -> bool:
        """Build once; on success the pages reload. Problems are printed, never raised."""
        report = self._attempt(
            "build", lambda: build_site(self.root, out=self.out, drafts=self.drafts, future=self.future)
        )
        if report is None:
            return False
        # Not the placeholder base_url: a preview is read here, and CI sets the real one. Nor
        # counted: every build said "1 warning(s)" and listed none.
        report.warnings = [w for w in report.warnings if not w.message.startswith(PLACEHOLDER_NOTE)]
        self._say_problems(report.warnings)
        self._summary(report.summary(verbose=self.detail == "verbose"))
        self.base_path = _base_path(self.out / "404.html")
        self.failures["build"] = None
        if not report.unchanged:  # open pages reload only for a site that changed
            self._builds += 1
            self.build_id = f"{self.build_id.split('-')[0]}-{self._builds}"
        return True

    def local(self, path: str) -> str:
        """A request's path as a path in the output folder: the site is served at the root,
        and also under its base_url's path (`/papers/…`), where the 404 page's links point
        (a host serves it at any depth, so it cannot link relatively). A page of the site at
        the path itself comes first: with base_url `…/papers/`, every paper page
        (`/papers/<slug>.html`) was looked for at `/<slug>.html`, and was missing. But the
        base path itself is the home page, as on the host: the 404 page's Home link
        (`/papers/index.html`) led to papers/index.html, the folder's pointer to the Archive."""
        base = self.base_path
        if base == "/" or not path.startswith(base):
            return path
        if path[len(base) :] in ("", "index.html"):  # no page links papers/index.html but this
            return "/" + path[len(base) :]
        as_is = self.out / unquote(path).lstrip("/")
        try:
            if as_is.is_file() or (as_is / "index.html").is_file():
                return path
        except OSError:  # a name too long: not a page either way
            pass
        return "/" + path[len(base) :]

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

        for changes in watchfiles.watch(
            *self.watched(), watch_filter=relevant, stop_event=stop, step=SETTLE_MS, debounce=2000
        ):
            paths = sorted({Path(p) for _, p in changes} - transient(changes) - self._own_writes())
            if not paths:
                continue
            names = [p.name for p in paths]
            self._summary([f"changed: {some_of(names, 5)}"])
            # An ingest that failed (here, or the one serve started with) is still owed: the
            # next change of any kind runs it again (a dump saved while a page was broken was
            # otherwise never ingested, and the failure stayed over the pages once mended).
            if (self.ingest_owed or needs_ingest(self.root, paths)) and not self.ingest():
                continue
            self.rebuild()


def serve(
    root: Path,
    port: int | None = None,
    out: Path | None = None,
    say: Say = say_line,
    detail: str = "",
    warn: Say = say_problem_line,
    drafts: bool = False,
    future: bool = False,
) -> None:
    """Build, serve `out` (default ROOT/_site) on 127.0.0.1:port and rebuild on every change
    (`drafts`, `future`: the pages with `draft: true`, and those dated after today, too).
    No port given: DEFAULT_PORT, or a free one when another server has it (a second `make
    serve` stopped with "Address already in use"). An output folder the build refuses (a
    person's files, the site itself) is not served: SiteError, as `build` says it."""
    out = out if out is not None else root / "_site"
    try:
        server = DevServer(
            root, out, DEFAULT_PORT if port is None else port, say, detail, warn, drafts, future
        )
    except SiteError:
        if port is not None:
            raise
        server = DevServer(root, out, 0, say, detail, warn, drafts, future)
        say(f"port {DEFAULT_PORT} is taken (another server): serving on {server.port} instead")
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


def _base_path(not_found: Path) -> str:
    """The path the built 404 page links from (base_url's path), "/" if none."""
    try:
        found = re.search(rb'<body data-root="(/[^"]*)"', not_found.read_bytes())
    except OSError:
        return "/"
    return found.group(1).decode("utf-8", "replace") if found else "/"

"""`serve`'s HTTP side: the output folder's files as a host serves them, each HTML page with
the reload script (serve_page.py); the build id and the last run's problems for it; the
site's 404 page; and, while no build has succeeded, a page that says so."""

from __future__ import annotations

import contextlib
import os
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any, Protocol

from site_builder.commands.serve_page import (
    PREFIX,
    PROBLEMS_CSS,
    RELOAD_JS,
    Failure,
    inject,
    no_site_page,
    problems_report,
)
from site_builder.core.files.content_files import inside


class Served(Protocol):
    """What the handler asks of the server (DevServer)."""

    build_id: str

    def local(self, path: str) -> str: ...

    def failed_runs(self) -> list[Failure]: ...


class Handler(SimpleHTTPRequestHandler):
    """Static files, plus the reload script, build id and problems, and the site's 404 page."""

    def __init__(self, dev: Served, *args: Any, **kwargs: Any) -> None:
        self.dev = dev
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        rest = self.path[len(path) :]  # the query, kept on a redirect
        if path.startswith(PREFIX):
            return self._own(path[len(PREFIX) :])
        local = self.dev.local(path)
        if local != path:
            self.path = local  # the static files below are read from the request's path
        try:
            return self._file(path, rest, Path(self.translate_path(local)))
        except OSError:  # a name too long for the file system: no such page (it printed a traceback)
            return self._not_found()

    def _own(self, name: str) -> None:
        """The server's own files, none of them in the site."""
        if name == "reload.js":
            return self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", RELOAD_JS)
        if name == "problems.css":
            return self._send(HTTPStatus.OK, "text/css; charset=utf-8", PROBLEMS_CSS)
        if name == "build-id":
            return self._send(HTTPStatus.OK, "text/plain; charset=utf-8", self.dev.build_id.encode())
        if name == "problems":
            report = problems_report(self.dev.failed_runs())
            return self._send(HTTPStatus.OK, "application/json; charset=utf-8", report)
        return self.send_error(HTTPStatus.NOT_FOUND)

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
            return self._send(HTTPStatus.OK, "text/html; charset=utf-8", inject(file.read_bytes(), build_id))
        if not file.exists():
            return self._not_found()
        return super().do_GET()

    def _not_found(self) -> None:
        """The site's 404 page, as a host serves it. With no site yet (the first build
        failed), a page that says so, with the problems over it, which reloads into the
        site when a build succeeds (a bare "404 File not found" hid why)."""
        missing = Path(self.directory) / "404.html"
        if missing.is_file():
            body = inject(missing.read_bytes(), self.dev.build_id)
            return self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body)
        if self.dev.failed_runs():
            body = no_site_page(self.dev.build_id)
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html; charset=utf-8", body)
        return self.send_error(HTTPStatus.NOT_FOUND)

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

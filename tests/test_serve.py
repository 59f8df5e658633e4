"""`site-builder serve`: serves the site, injects the reload script, rebuilds on change."""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import copy_site
from watchfiles import Change

from site_builder.build.render.theme import find_theme
from site_builder.commands.serve import DevServer
from site_builder.commands.serve_page import SHOWN, reload_tag
from site_builder.commands.watching import content_change, needs_ingest, transient
from site_builder.core.runtime.interrupts import remember_interrupts


@pytest.fixture
def dev(tmp_path: Path) -> Iterator[DevServer]:
    root = copy_site(tmp_path / "site")
    messages: list[str] = []
    server = DevServer(root, root / "_site", 0, say=messages.append, warn=messages.append)
    server.messages = messages  # type: ignore[attr-defined]
    assert server.rebuild()
    server.start()
    yield server
    server.stop()


PAPER = "papers/self-consistency-at-scale.html"


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_serves_pages_with_the_reload_script_only_over_the_wire(dev: DevServer) -> None:
    status, body = get(dev.url)
    assert (
        status == 200 and reload_tag(dev.build_id) in body and body.count(b"<script") == 3
    )  # search.js, reading.js, reload
    on_disk = (dev.out / "index.html").read_bytes()
    assert b"__site_builder__" not in on_disk
    assert get(dev.url + "__site_builder__/reload.js")[1].startswith(b"(function")
    assert get(dev.url + "assets/style.css")[0] == 200


def test_missing_pages_get_the_404_page(dev: DevServer) -> None:
    status, body = get(dev.url + "papers/no-such-paper.html")
    assert status == 404 and b"Page not found" in body


def test_rebuild_changes_the_build_id_and_a_failure_keeps_the_site(dev: DevServer) -> None:
    first = get(dev.url + "__site_builder__/build-id")[1]
    config = dev.root / "content" / "site.yaml"
    config.write_text(config.read_text().replace("Fixture Papers", "Renamed Papers"))
    assert dev.rebuild()
    second = get(dev.url + "__site_builder__/build-id")[1]
    assert second != first and b"Renamed Papers" in get(dev.url)[1]
    config.write_text("per_page: zero\n")
    assert not dev.rebuild()
    assert get(dev.url + "__site_builder__/build-id")[1] == second
    assert b"Renamed Papers" in get(dev.url)[1]
    assert dev.messages[-2:] == [  # type: ignore[attr-defined]
        "content/site.yaml:1: error: 'per_page': expected a whole number of at least 1, got 'zero'",
        "build failed; still serving the previous site",
    ]
    # What open pages show over themselves (the terminal alone said it), until a build succeeds.
    assert problems_of(dev) == [
        {
            "summary": "build failed; still serving the previous site",
            "problems": [dev.messages[-2]],  # type: ignore[attr-defined]
            "more": 0,
        }
    ]
    config.write_text("title: Mended\n")
    assert dev.rebuild()
    assert problems_of(dev) == []


def problems_of(dev: DevServer) -> list[dict[str, object]]:
    """What `/__site_builder__/problems` says: the failed runs' summaries and problems."""
    status, body = get(dev.url + "__site_builder__/problems")
    assert status == 200
    failures: list[dict[str, object]] = json.loads(body)["failures"]
    return failures


def test_the_problems_endpoint_lists_a_handful_as_text_and_counts_the_rest(dev: DevServer) -> None:
    """Every broken page's line over the page buried it; a title holding `<script>` is
    text in the answer, never markup (the script inserts it as text too)."""
    papers = sorted((dev.root / "content" / "papers").glob("*.md"))[: SHOWN + 3]
    for page in papers:
        page.write_text("---\ntitle: '<script>alert(1)</script>\n---\nBody.\n", encoding="utf-8")
    assert not dev.rebuild()
    with urllib.request.urlopen(dev.url + "__site_builder__/problems", timeout=10) as response:
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert response.headers["Cache-Control"] == "no-store"
    (failure,) = problems_of(dev)
    assert failure["summary"] == "build failed; still serving the previous site"
    shown = failure["problems"]
    assert isinstance(shown, list) and len(shown) == SHOWN and failure["more"] == 3
    assert all(line.startswith("content/papers/") and ": error: " in line for line in shown), shown
    assert shown == dev.messages[-SHOWN - 4 : -4]  # type: ignore[attr-defined]  # as the terminal said them
    assert get(dev.url + "__site_builder__/nothing")[0] == 404


def test_a_template_that_fails_while_running_keeps_the_server_up(dev: DevServer) -> None:
    """`{{ "%d" % text }}` in an override (a TypeError, not a Jinja error) crashed serve with
    a traceback; a build that changed nothing reloaded every open page."""
    first = get(dev.url + "__site_builder__/build-id")[1]
    assert dev.rebuild()  # nothing changed: open pages stay as they are
    assert get(dev.url + "__site_builder__/build-id")[1] == first
    templates = dev.root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "tags.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ "%d" % "x" }}{% endblock %}\n'
    )
    assert not dev.rebuild()
    assert dev.messages[-2:] == [  # type: ignore[attr-defined]
        "themes/default/templates/tags.html:1: error: template error: TypeError: %d format: a real number is required, not str "
        "(while making tags/index.html)",
        "build failed; still serving the previous site",
    ]
    assert get(dev.url)[0] == 200


def served_after_writing(
    dev: DevServer, write: Callable[[int], None], url: str, wanted: bytes, settle: float = 0
) -> tuple[int, bytes]:
    """With the watcher running, `write(n)` (n = 1, 2, …) until `url` serves `wanted` or 30 s
    pass (the watcher may need a moment to start): the last status and body. The watcher
    runs `settle` seconds more, for what it would do next."""
    stop = threading.Event()
    watcher = threading.Thread(target=dev.watch, args=(stop,), daemon=True)
    watcher.start()
    status, body, n, deadline = 0, b"", 0, time.monotonic() + 30
    try:
        while time.monotonic() < deadline and not (status == 200 and wanted in body):
            n += 1
            write(n)
            time.sleep(0.7)
            status, body = get(url)
        time.sleep(settle)
    finally:
        stop.set()
        watcher.join(timeout=10)
    return status, body


def test_a_changed_page_is_rebuilt_by_the_watcher(dev: DevServer) -> None:
    page = dev.root / "content" / "papers" / "self-consistency-at-scale.md"

    def edit(_: int) -> None:
        page.write_text(page.read_text().replace("majority vote", "watched vote"))

    url = dev.url + "papers/self-consistency-at-scale.html"
    assert b"watched vote" in served_after_writing(dev, edit, url, b"watched vote")[1]


def test_a_theme_folder_made_while_serving_is_watched(dev: DevServer) -> None:
    """A designer who copied base.html into a new themes/ folder saw nothing happen: only the
    theme folders there at start were watched."""
    templates = dev.root / "themes" / "default" / "templates"
    bundled = (find_theme(dev.root).template_dirs[-1] / "base.html").read_text(encoding="utf-8")

    def override(_: int) -> None:
        templates.mkdir(parents=True, exist_ok=True)
        (templates / "base.html").write_text(bundled.replace("</footer>", "made while serving</footer>"))

    assert b"made while serving" in served_after_writing(dev, override, dev.url, b"made while serving")[1]


def sources_of(dev: DevServer) -> Path:
    sources = dev.root / "content" / "sources"
    sources.mkdir(exist_ok=True)
    return sources


def pasting(sources: Path, name: str, dump: str) -> Callable[[int], None]:
    """`write(n)` for `served_after_writing`: the dump pasted as a new file each time."""

    def paste(n: int) -> None:
        (sources / f"{name}-{n}.txt").write_text(dump, encoding="utf-8")

    return paste


def dump_of(title: str, abstract: str) -> str:
    """A pasted listing page of one paper, dated (no clock needed)."""
    return f"new\n\nSubscribe\n\nJan 3, 2026\n\n{title}\n\n{abstract}\n"


def test_a_dump_added_while_serving_is_ingested_and_shown(dev: DevServer) -> None:
    """The writing loop: drop a dump into content/sources and the paper is on the served site."""
    sources = sources_of(dev)
    dump = dump_of(
        "A Freshly Pasted Paper On Writing Loops",
        "We describe a writing loop in which a static site is rebuilt as soon as a new dump "
        "is saved, and measure how quickly the new paper reaches the reader.",
    )

    url = dev.url + "papers/a-freshly-pasted-paper-on-writing-loops.html"
    status, body = served_after_writing(dev, pasting(sources, "fresh", dump), url, b"writing loop")
    assert status == 200 and b"writing loop" in body
    assert b"A Freshly Pasted Paper" in get(dev.url)[1]  # newest first on the home page
    assert any(m.startswith("pages: ") for m in dev.messages)  # type: ignore[attr-defined]


def test_the_pages_ingest_wrote_set_off_no_second_build(dev: DevServer) -> None:
    """A reviewer's new dump built the site twice: ingest, the build, then the watcher's news
    of the pages ingest had written ("changed: a-paper-….md") and a build of nothing new."""
    sources = sources_of(dev)
    dump = dump_of(
        "A Paper Whose Page Is Built Once",
        "We paste one dump while the site is served and count the builds that follow it, "
        "expecting exactly one for the pages that the ingest writes.",
    )

    url = dev.url + "papers/a-paper-whose-page-is-built-once.html"
    status, _ = served_after_writing(dev, pasting(sources, "once", dump), url, b"exactly one", settle=2)
    messages: list[str] = dev.messages  # type: ignore[attr-defined]
    assert status == 200, messages
    changed = [m for m in messages if m.startswith("changed: ")]
    assert changed and all("once-" in m and "built-once.md" not in m for m in changed), changed


def test_an_ingest_that_failed_runs_again_on_the_next_change(dev: DevServer) -> None:
    """A dump saved while a page was broken failed to ingest; the page fixed, serve only
    built, and the dump's paper never appeared (nor did it say so)."""
    page = dev.root / "content" / "papers" / "self-consistency-at-scale.md"
    good = page.read_text(encoding="utf-8")
    page.write_text("oops\n", encoding="utf-8")
    sources = sources_of(dev)
    dump = dump_of(
        "A Paper Pasted While A Page Was Broken",
        "We paste a dump while a page cannot be read and check that the paper still arrives "
        "once the page is mended, without touching the dump again.",
    )

    def paste_then_mend(n: int) -> None:
        if n <= 2:  # twice: the watcher may start after the first
            (sources / "while-broken.txt").write_text(dump, encoding="utf-8")
        else:
            page.write_text(good, encoding="utf-8")  # only the page changes now

    url = dev.url + "papers/a-paper-pasted-while-a-page-was-broken.html"
    status, body = served_after_writing(dev, paste_then_mend, url, b"without touching the dump")
    assert status == 200 and b"without touching the dump" in body


def test_dotfiles_and_editor_leftovers_set_off_no_rebuild() -> None:
    """Ingest's own `.NAME.RANDOM.tmp` files set off a second, empty build in a reviewer's run."""
    assert content_change(Change.modified, "/site/content/papers/a.md")
    for name in (".a.md.0a1b2c3d4e5f.tmp", ".#a.md", "a.md~", "#a.md#", ".DS_Store"):
        assert not content_change(Change.added, f"/site/content/papers/{name}")


def test_a_file_made_and_gone_in_one_batch_is_no_change(tmp_path: Path) -> None:
    """`sed -i` writes `sedNriTEr` beside the page and renames it over the page: serve said
    "changed: bitmod-….md, sedNriTEr"."""
    page = tmp_path / "a.md"
    page.write_text("x")
    temp = str(tmp_path / "sedNriTEr")
    batch = {(Change.added, temp), (Change.deleted, temp), (Change.modified, str(page))}
    assert transient(batch) == {Path(temp)}
    gone = {(Change.added, str(page)), (Change.deleted, str(page))}  # it still exists: a change
    assert transient(gone) == set()


def test_a_change_to_what_ingest_reads_runs_ingest_first(tmp_path: Path) -> None:
    """A taxonomy edit must retag the pages (tags live in them), not only rebuild."""
    content = tmp_path / "content"
    for changed in ("sources/new.txt", "sources/2026/a.txt", "taxonomy.yaml", "site.yaml"):
        assert needs_ingest(tmp_path, [content / "papers" / "a.md", content / changed]), changed
    for changed in ("papers/a.md", "synonyms.yaml", "../themes/default/templates/base.html"):
        assert not needs_ingest(tmp_path, [content / changed]), changed


def test_the_404_pages_links_work_under_serve_with_a_sub_path_base_url(dev: DevServer) -> None:
    """The 404 page links from base_url's path (`/some-repo/assets/style.css`), which serve
    answered with 404: the page showed unstyled, its links dead."""
    status, body = get(dev.url + "some-repo/nowhere.html")
    assert status == 404 and b'href="/some-repo/assets/style.css?v=' in body
    assert get(dev.url + "some-repo/assets/style.css")[0] == 200
    assert get(dev.url + "some-repo/index.html")[1] == get(dev.url + "index.html")[1]


def test_folders_redirect_to_their_slash_and_are_never_listed(dev: DevServer) -> None:
    """`/tags` answered with tags/index.html, whose relative links then led nowhere; a folder
    without index.html was listed, as Python's server lists folders."""
    request = urllib.request.Request(dev.url + "tags?x=1")
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(request, timeout=10)
    assert moved.value.code == 301 and moved.value.headers["Location"] == "/tags/?x=1"
    (dev.out / "empty-folder").mkdir()
    status, body = get(dev.url + "empty-folder/")
    assert status == 404 and b"Directory listing" not in body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_an_ingest_with_errors_shows_over_open_pages(dev: DevServer) -> None:
    """A dump with `Feb 30` (an error: its entries left out) was said in the terminal
    alone; the pages' banner stayed empty."""
    (dev.root / "content" / "sources").mkdir(exist_ok=True)
    (dev.root / "content" / "sources" / "bad.txt").write_text(
        "Feb 30, 2025\n\nA Title\n\nAn abstract of a paper.\n"
    )
    assert dev.ingest()
    assert problems_of(dev) == [
        {
            "summary": "ingest finished with errors: those entries are left out",
            "problems": [
                "content/sources/bad.txt:1: error: no such date: 'Feb 30, 2025'; the entries after it are skipped"
            ],
            "more": 0,
        }
    ]
    (dev.root / "content" / "sources" / "bad.txt").unlink()
    assert dev.ingest() and dev.rebuild()
    assert problems_of(dev) == []


def test_serve_refuses_an_output_folder_the_build_refuses(tmp_path: Path) -> None:
    """`serve --out` on a folder of a person's files: the build refused it, and serve went
    on serving the folder, listing it."""
    from site_builder.commands.serve import serve
    from site_builder.core.errors import SiteError

    root = copy_site(tmp_path / "site")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("hi")
    said: list[str] = []
    with pytest.raises(SiteError, match="not served: the build refuses this output folder"):
        serve(root, port=0, out=mine, say=said.append, warn=said.append)
    assert (mine / "keep.txt").read_text() == "hi" and any("refusing to replace" in line for line in said)
    assert "still serving the previous site" not in "\n".join(said)  # there is none: it said so anyway


def test_a_port_in_use_is_named_with_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A second `serve` (or another server) on the port: one line, exit 1, nothing built."""
    from site_builder.cli import main

    root = copy_site(tmp_path / "site")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["--root", str(root), "serve", "--port", str(port)])
    assert code == 1
    assert capsys.readouterr().err == (
        f"--port: error: cannot listen on 127.0.0.1:{port}: Address already in use; try another --port\n"
    )
    assert not (root / "_site").exists()


def test_quiet_serve_says_problems_and_the_address_only(tmp_path: Path) -> None:
    """`-q serve` printed every summary (serve never heard of -q): problems and the address
    are what a quiet run says."""
    root = copy_site(tmp_path / "site")
    said: list[str] = []
    server = DevServer(root, root / "_site", 0, say=said.append, detail="quiet", warn=said.append)
    try:
        assert server.ingest() and server.rebuild()
    finally:
        server.httpd.server_close()
    assert said and all(": warning: " in line or ": error" in line for line in said), said


def test_serve_says_problems_on_standard_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every `path:line: warning` of serve went to standard output (`serve 2>log` lost them),
    where every other command says problems on standard error (a reviewer)."""
    root = copy_site(tmp_path / "site")
    server = DevServer(root, root / "_site", 0)
    try:
        assert server.ingest() and server.rebuild()
    finally:
        server.httpd.server_close()
    out, err = capsys.readouterr()
    assert ": warning: " in err and ": warning: " not in out and ": error" not in out
    assert "built " in out  # what the build did: standard output


def test_a_root_through_a_symlink_is_watched_as_the_folder_it_is(tmp_path: Path) -> None:
    """`--root link`: the watcher took the site's own cache files for changes outside it, and
    built twice on every edit."""
    root = copy_site(tmp_path / "site")
    (tmp_path / "link").symlink_to(root)
    server = DevServer(tmp_path / "link", tmp_path / "link" / "_site", 0)
    try:
        assert server.watched()[0] == root.resolve()
    finally:
        server.httpd.server_close()


def test_a_browser_leaving_mid_answer_prints_no_traceback(
    dev: DevServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reviewer's pass over 1,250 pages printed 73 `BrokenPipeError` tracebacks: each
    request a browser cut short (a page left while its files loaded)."""
    (dev.out / "big.bin").write_bytes(b"x" * 8_000_000)
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", dev.port)) as client:
            client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert client.recv(64).startswith(b"HTTP/1.0 200")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # a reset
    time.sleep(1)  # the server meets the closed connection
    assert get(f"http://127.0.0.1:{dev.port}/")[0] == 200
    assert "Traceback" not in capsys.readouterr().err


def test_nothing_out_of_the_output_folder_is_served(
    dev: DevServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A symlink put into `_site/` served /etc/passwd; a 300-letter path printed a traceback
    (`File name too long`) and closed the connection unanswered (a fuzzer's finds)."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd").write_text("root:x:0:0")
    (dev.out / "pw.html").symlink_to(secret / "passwd")
    (dev.out / "etc").symlink_to(secret, target_is_directory=True)
    (dev.out / "loop").symlink_to(dev.out / "loop")
    for path in ("pw.html", "etc/passwd", "etc/", "loop", "a" * 300, "..%2f..%2fetc/passwd"):
        status, body = get(dev.url + path)
        assert status == 404 and b"root:x" not in body, path
        assert b"Page not found" in body, path
    assert get(dev.url + "assets/style.css")[0] == 200
    assert "Traceback" not in capsys.readouterr().err


def test_a_preview_is_not_told_of_the_placeholder_base_url(tmp_path: Path) -> None:
    """Every build of `serve` warned that base_url was still the placeholder, which a site
    published by its workflow never sets (the workflow passes it): noise in a preview that
    hid the warnings that matter (a reviewer). `build` still says it."""
    root = copy_site(tmp_path / "site")
    config = root / "content" / "site.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("https://example.org/some-repo/", "https://example.org/")
    )
    said: list[str] = []
    server = DevServer(root, root / "_site", 0, say=said.append, warn=said.append)
    try:
        assert server.ingest() and server.rebuild()
    finally:
        server.httpd.server_close()
    assert said and not [line for line in said if "placeholder" in line], said
    (root / "content" / "papers" / "quantum-annealing-for-attention.md").unlink()  # its tag, a warning
    said.clear()
    server = DevServer(root, root / "_site", 0, say=said.append, warn=said.append)
    try:
        assert server.rebuild()
    finally:
        server.httpd.server_close()
    assert said and not [line for line in said if "warning" in line], said  # "1 warning(s)", none listed


def test_port_0_serves_on_a_free_port_and_says_which(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve --port 0` (a second site beside the first) was refused: "expected a port number
    from 1 to 65535, got '0'"."""
    from site_builder.cli import main

    monkeypatch.setattr(DevServer, "watch", lambda self, stop=None: None)  # served, then stopped
    root = copy_site(tmp_path / "site")
    assert main(["--root", str(root), "-q", "serve", "--port", "0"]) == 0
    said = capsys.readouterr().out
    port = int(said.split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
    assert port > 0, said


def test_a_page_saved_in_two_steps_is_built_once_whole(dev: DevServer) -> None:
    """An editor that empties the page, then writes it 0.2 s later: serve built the empty
    page ("no front matter", over the open pages) and then the page."""
    page = dev.root / "content" / "papers" / "self-consistency-at-scale.md"
    text = page.read_text(encoding="utf-8")
    messages: list[str] = dev.messages  # type: ignore[attr-defined]

    def save_slowly(n: int) -> None:
        with page.open("w", encoding="utf-8") as file:
            file.flush()
            time.sleep(0.2)
            file.write(text.replace("majority vote", f"slow save {n}"))

    url = dev.url + "papers/self-consistency-at-scale.html"
    status, _ = served_after_writing(dev, save_slowly, url, b"slow save", settle=1)
    assert status == 200
    assert not [m for m in messages if "error" in m or "failed" in m], messages


def test_a_page_broken_at_start_and_mended_while_serving_clears_the_banner(tmp_path: Path) -> None:
    """serve started on a broken page: its ingest failed, and once the page was mended only
    the build ran, so "ingest failed; no site to serve until a build succeeds" stayed over
    every page, the site long since served."""
    root = copy_site(tmp_path / "site")
    page = root / "content" / "papers" / "self-consistency-at-scale.md"
    good = page.read_text(encoding="utf-8")
    page.write_text("---\ntitle: [\n---\n", encoding="utf-8")
    said: list[str] = []
    server = DevServer(root, root / "_site", 0, say=said.append, warn=said.append)
    assert not server.ingest() and not server.rebuild()
    server.start()
    try:
        assert [f["summary"] for f in problems_of(server)] == [
            "ingest failed; no site to serve until a build succeeds",
            "build failed; no site to serve until a build succeeds",
        ]

        def mend(n: int) -> None:
            page.write_text(good.replace("majority vote", f"mended vote {n}"), encoding="utf-8")

        status, _ = served_after_writing(server, mend, server.url + PAPER, b"mended vote")
        assert status == 200
        assert problems_of(server) == []
    finally:
        server.stop()


def test_a_base_url_path_named_like_a_folder_of_the_site_serves_its_pages(tmp_path: Path) -> None:
    """With base_url `https://me.github.io/papers/` (a repository named for its papers),
    every paper page linked from the home page (`/papers/<slug>.html`) was a 404 under serve:
    it was looked for as `/<slug>.html`, under the base path."""
    root = copy_site(tmp_path / "site")
    config = root / "content" / "site.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "https://example.org/some-repo/", "https://me.github.io/papers/"
        )
    )
    server = DevServer(root, root / "_site", 0, say=lambda *a: None, warn=lambda *a: None)
    assert server.rebuild()
    server.start()
    try:
        status, body = get(server.url + PAPER)
        assert status == 200 and b"Self-Consistency at Scale" in body
        assert get(server.url + "papers/" + PAPER)[1] == body  # under the base path too
        assert get(server.url + "papers/assets/style.css")[1] == get(server.url + "assets/style.css")[1]
        home = get(server.url + "index.html")[1]
        # The base path is the home page, as on the host: the 404 page's Home link led to
        # papers/index.html, the papers folder's pointer to the Archive.
        assert get(server.url + "papers/index.html")[1] == home == get(server.url + "papers/")[1]
        missing = get(server.url + "papers/nowhere.html")[1]
        assert b'href="/papers/index.html"' in missing
        assert get(server.url + "papers/nowhere.html")[0] == 404
        assert get(server.url + "papers/" + "a" * 300)[0] == 404
    finally:
        server.stop()


def test_the_default_port_taken_serves_on_a_free_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second `make serve` (no --port), or another server on 8000, stopped serve with
    "Address already in use": with no port asked for, a free one is as good (as Hugo does)."""
    from site_builder.cli import main
    from site_builder.commands import serve as serving

    monkeypatch.setattr(DevServer, "watch", lambda self, stop=None: None)  # served, then stopped
    root = copy_site(tmp_path / "site")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setattr(serving, "DEFAULT_PORT", port)
        assert main(["--root", str(root), "-q", "serve"]) == 0
    said = capsys.readouterr().out.splitlines()
    other = int(said[-1].split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
    assert (
        other not in (0, port)
        and said[0] == f"port {port} is taken (another server): serving on {other} instead"
    )


def test_a_problem_both_runs_said_is_listed_once() -> None:
    """A broken page stops the ingest, then the build: the banner listed it twice."""
    from site_builder.commands.serve_page import Failure, problems_report

    line = "content/papers/a.md:2: error: invalid YAML in front matter"
    report = json.loads(
        problems_report(
            [
                Failure(
                    [line, "content/papers: error: fix the pages above, then ingest again"], "ingest failed"
                ),
                Failure([line], "build failed; still serving the previous site"),
            ]
        )
    )
    assert [len(run["problems"]) for run in report["failures"]] == [2, 0]
    assert report["failures"][1]["summary"] == "build failed; still serving the previous site"


def test_a_ctrl_c_lost_in_a_failing_rebuild_still_stops_serve(tmp_path: Path) -> None:
    """Ctrl-C reaches every process of the group; landing while a rebuild started its render
    workers, it killed their tracker first, and the rebuild failed with `ValueError: bad
    value(s) in fds_to_keep` while the main process's KeyboardInterrupt was lost on the way.
    Serve took that for a failed build and served on: Ctrl-C did not stop it (a test of
    Ctrl-C during a rebuild hung under load). The interrupt is remembered, and stops it."""
    root = copy_site(tmp_path / "site")
    said: list[str] = []
    server = DevServer(root, root / "_site", 0, say=said.append, warn=said.append)

    def interrupted_then_failed() -> None:
        try:
            os.kill(os.getpid(), signal.SIGINT)  # the real handler: raised, and remembered
            time.sleep(5)
        except KeyboardInterrupt:
            pass  # lost on its way
        raise ValueError("bad value(s) in fds_to_keep")

    remember_interrupts()
    try:
        with pytest.raises(KeyboardInterrupt):
            server._attempt("build", interrupted_then_failed)
        assert not [line for line in said if "failed" in line]  # not said to be a failed build
    finally:
        remember_interrupts()  # forgotten again: later tests' builds must not stop at it
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.unraisablehook = sys.__unraisablehook__
        server.httpd.server_close()

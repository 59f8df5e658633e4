"""Helpers for the build tests: the fixture site, file trees, a tiny DOM and a link checker.

The link checker here is deliberately independent of site_builder/check.py, so the
end-to-end tests do not trust the code they test.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from site_builder.core.files.store import Store
from site_builder.core.model import Page, Source
from site_builder.core.pages.pagewrite import page_text
from site_builder.core.runtime.hashing import short_hash

FIXTURE_SITE = Path(__file__).parent / "data" / "site"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def default_site(root: Path) -> Path:
    """A site folder with the default settings (`init`'s site.yaml, taxonomy and synonyms) and
    no page yet; returns its papers folder, for `write_paper`."""
    papers = root / "content" / "papers"
    papers.mkdir(parents=True)
    template = Path(__file__).resolve().parent.parent / "site_builder" / "site_template"
    for name in ("site.yaml", "taxonomy.yaml", "synonyms.yaml"):
        (root / "content" / name).write_bytes((template / name).read_bytes())
    return papers


def write_paper(
    papers: Path,
    slug: str,
    title: str,
    body: str,
    tag: str = "inference",
    listed: str = "2025-03-02",
    authors: str = "",
) -> None:
    """A paper page as a person would write one: one tag, one listing, `authors: [..]` if given."""
    named = f"authors: [{authors}]\n" if authors else ""
    (papers / f"{slug}.md").write_text(
        f"---\ntitle: {title}\n{named}slug: {slug}\ntags: [{tag}]\n"
        f"sources:\n- {{file: a.txt, line: 1, listed: {listed}}}\n---\n{body}\n",
        encoding="utf-8",
    )


def copy_site(dest: Path) -> Path:
    """A writable copy of the fixture site; returns its root."""
    shutil.copytree(FIXTURE_SITE, dest, ignore=shutil.ignore_patterns(".site-cache", "_site"))
    return dest


@contextlib.contextmanager
def fed_pipe(path: Path, text: str) -> Iterator[None]:
    """A named pipe at `path` that a thread writes `text` into once, while the block runs.
    Code that reads the pipe once gets `text`, so a test of code that must never open it
    fails rather than hangs; code that never reads it leaves the writer waiting, released at
    the end of the block."""

    def write() -> None:
        with contextlib.suppress(BrokenPipeError):  # opened without waiting, closed unread
            path.write_text(text, encoding="utf-8")

    os.mkfifo(path)
    writer = threading.Thread(target=write)
    writer.start()
    try:
        yield
    finally:
        reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # opens the writer's side
        writer.join()
        os.close(reader)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root (relative path → bytes)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def write_synthetic_pages(papers: Path, count: int, first: int = 0, listed: str = "") -> None:
    """Generated pages `first` … `count - 1` in the exact format ingest writes (for the bigger
    builds), listed on `listed` (an ISO date) or, if "", on a day without a year."""
    papers.mkdir(parents=True, exist_ok=True)
    topics = ["decoding", "agents", "reasoning", "retrieval", "quantization", "alignment", "benchmarks"]
    for i in range(first, count):
        a, b = topics[i % len(topics)], topics[(i // 7) % len(topics)]
        title = f"Synthetic Study {i} of {a.title()} and {b.title()}"
        body = (
            f"We study {a} and {b} for language models in setting {i}. "
            f"Our {a} method improves {b} by {i % 13} points on standard benchmarks. " * 3
        ).strip()
        tags = tuple(sorted({"evaluation", "reasoning" if i % 2 else "inference"}))
        page = Page(
            f"synthetic-study-{i}",
            title,
            body,
            tags,
            (),
            (Source(f"{i // 50:03d}.txt", 7 + i % 50, listed or f"Mar {1 + i % 28}"),),
        )
        generated = {"title": short_hash(title), "body": short_hash(body), "tags": list(tags)}
        (papers / f"{page.slug}.md").write_text(page_text(page, generated), encoding="utf-8")


# --- a tiny DOM ---------------------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None) -> list[Node]:
        found = [self] if tag is None or self.tag == tag else []
        for child in self.children:
            if isinstance(child, Node):
                found += child.iter(tag)
        return found

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Elements with this tag whose attributes include these values (`class_` for class)."""
        wanted = {k.rstrip("_"): v for k, v in attrs.items()}
        return [
            n
            for n in self.iter(tag)
            if all(
                (v in n.attrs.get(k, "").split()) if k == "class" else n.attrs.get(k) == v
                for k, v in wanted.items()
            )
        ]

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def read_dom(path: Path) -> Node:
    return parse(path.read_text(encoding="utf-8"))


# --- links --------------------------------------------------------------------------------------


def internal_refs(dom: Node) -> list[str]:
    """Every href/src/action that is not an absolute URL (the canonical link is absolute by design)."""
    refs = []
    for node in dom.iter():
        for attr in ("href", "src", "action"):
            value = node.attrs.get(attr)
            if value is None or (node.tag == "link" and node.attrs.get("rel") == "canonical"):
                continue
            parts = urlsplit(value)
            if not parts.scheme and not parts.netloc:
                refs.append(value)
    return refs


def broken_links(out: Path) -> list[str]:
    """`file: ref` for every internal reference in the HTML that does not resolve to a file."""
    broken = []
    canonical = read_dom(out / "index.html").find("link", rel="canonical").attrs["href"]
    base_path = urlsplit(canonical).path
    for html in sorted(out.rglob("*.html")):
        rel = html.relative_to(out).as_posix()
        dom = read_dom(html)
        for ref in internal_refs(dom):
            if rel == "404.html" and ref.startswith(base_path):
                ref = ref[len(base_path) :]  # served at any depth: absolute paths from base_url
            parts = urlsplit(ref)
            if not parts.path:
                ids = {n.attrs["id"] for n in dom.iter() if "id" in n.attrs}
                if parts.fragment not in ids:
                    broken.append(f"{rel}: {ref}")
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(rel), unquote(parts.path)))
            if parts.path.startswith("/") or target.startswith("..") or not (out / target).is_file():
                broken.append(f"{rel}: {ref}")
    return broken


def write_report(request: Any, lines: list[str], name: str) -> None:
    """Print figures worth reading at the end of a test module (shown even under -q), then forget them."""
    plugins = request.config.pluginmanager
    reporter, capture = plugins.getplugin("terminalreporter"), plugins.getplugin("capturemanager")
    for line in lines:
        if reporter is None or capture is None:
            print(line)
            continue
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\n{name}: {line}")
    lines.clear()


def imported_by(site: Path, command: str, modules: tuple[str, ...]) -> tuple[int, list[str]]:
    """`site-builder -q --root SITE COMMAND` in a fresh interpreter: its exit status and which
    of `modules` it imported (what the command's start costs)."""
    script = (
        "import sys; from site_builder.cli import main; code = main(['-q', '--root', *sys.argv[1:3]]); "
        "print(code, *sorted(m for m in sys.argv[3:] if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(site), command, *modules],
        capture_output=True,
        text=True,
        check=True,
    )
    code, *found = run.stdout.splitlines()[-1].split()
    return int(code), found


def recorded_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the cache files read from now on (`Store.load`), in order."""
    loaded: list[str] = []
    load = Store.load

    def recording(self: Store, name: str, salt: str) -> Any:
        loaded.append(name)
        return load(self, name, salt)

    monkeypatch.setattr(Store, "load", recording)
    return loaded


def recorded_reads(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[str]:
    """The names of the files of `folder` read from now on (`Path.read_bytes`, by any reader)."""
    read: list[str] = []
    read_bytes = Path.read_bytes

    def recording(path: Path) -> bytes:
        if path.parent == folder:
            read.append(path.name)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", recording)
    return read


def fake_built_site(path: Path, text: str) -> Path:
    """A folder that looks like a site this tool built: `.nojekyll` and a home page saying so."""
    from site_builder.build.output.folder import GENERATOR, NOJEKYLL

    path.mkdir(parents=True)
    (path / NOJEKYLL).write_text("")
    (path / "index.html").write_bytes(b"<html><head>" + GENERATOR + b"</head>" + text.encode())
    return path


SEARCH_NODE = Path(__file__).parent / "js" / "search_node.js"


def search_in_node(request: dict[str, Any]) -> Any:
    """The site's search engine under Node (tests/js/search_node.js), as the browser runs it."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    done = subprocess.run(
        ["node", str(SEARCH_NODE)], input=json.dumps(request), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)

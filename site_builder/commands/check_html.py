"""One HTML file of a built site as `check` reads it: its links, ids and Content-Security-
Policy offences (`parse_html`), and the facts remembered of it between checks, by its place
and bytes (`PageFacts`, `known_pages`), so a daily check parses only the files that changed."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.core.errors import Problem
from site_builder.core.files.store import Memo, Store
from site_builder.core.pages.pagefile import page_file_text
from site_builder.core.runtime.hashing import bytes_digest, code_version
from site_builder.core.runtime.parallel import cores, map_chunks
from site_builder.core.text import split_url

NOT_FOUND = "404.html"
PARALLEL_FROM = 500  # HTML files to parse from which a second process pays for its start
URL_ATTRS = {"href", "src", "action", "poster", "data"}


Link = tuple[int, str, str, str]  # line, tag, attribute, URL


@dataclass
class ParsedPage:
    """The links, ids and CSP offences found in one HTML file."""

    refs: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    offences: list[tuple[int, str]] = field(default_factory=list)
    canonical: str = ""


_LOADING = frozenset({"script", "img", "iframe", "audio", "video", "source", "embed", "track", "input"})
_LOADED_LINKS = frozenset({"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"})


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {k: v or "" for k, v in attrs}
        for name, value in values.items():
            if name in URL_ATTRS and not (tag == "link" and values.get("rel") == "canonical"):
                self.page.refs.append((line, tag, name, value.strip()))
            if name.startswith("on"):
                self.page.offences.append((line, f"inline event handler {name}= on <{tag}>"))
            if name == "style":
                self.page.offences.append((line, f"inline style= on <{tag}>"))
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
        if tag == "link" and values.get("rel") == "canonical":
            self.page.canonical = values.get("href", "")
        loaded = values.get("src", "") if tag in _LOADING else ""
        if tag == "link" and _LOADED_LINKS & set(values.get("rel", "").lower().split()):
            loaded = values.get("href", "")
        if re.match(r"\s*(?:[a-z][a-z0-9+.-]*:)?//", loaded, re.IGNORECASE):
            where = "from another site (blocked by the Content-Security-Policy)"
            message = f"<{tag}> loads {loaded.strip()!r} {where}; put the file under themes/default/static/"
            self.page.offences.append((line, message))
        # A data block (JSON-LD) is not run, so the policy does not block it.
        if (
            tag == "script"
            and "src" not in values
            and values.get("type", "").strip().lower() != "application/ld+json"
        ):
            self.page.offences.append((line, "inline <script> (blocked by the Content-Security-Policy)"))
        if tag == "style":
            self.page.offences.append((line, "inline <style> (blocked by the Content-Security-Policy)"))


def parse_html(text: str) -> ParsedPage:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.page


@dataclass(frozen=True)
class PageFacts:
    """What `check` remembers of one HTML file at its place in the site: what other pages
    need of it, and what it needs of the rest of the site.

    A page with nothing wrong on its own whose needs all hold is fine, found by set lookups
    without going through its links; any other page is parsed again and each of its links
    checked as written, so the messages are the same as without these facts."""

    ids: frozenset[str]
    canonical: str
    alone_ok: bool  # no CSP offence, and no link wrong whatever the rest of the site holds
    targets: frozenset[str]  # the site paths its links need to be files
    fragments: frozenset[tuple[str, str]]  # (site path, id) its links need in other pages


def page_facts(rel: str, page: ParsedPage, base_path: str) -> PageFacts:
    """The facts of a parsed page at `rel`: each link read on its own (`on_its_own`), site
    paths interned (the memo pickles each once)."""
    alone_ok = not page.offences
    targets: set[str] = set()
    fragments: set[tuple[str, str]] = set()
    for _line, _tag, _attr, written in page.refs:
        message, target, fragment = on_its_own(*as_linked(rel, written, base_path), page.ids)
        if message:
            alone_ok = False
        elif target:
            targets.add(sys.intern(target))
            if fragment:
                fragments.add((sys.intern(target), unquote(fragment)))
    return PageFacts(frozenset(page.ids), page.canonical, alone_ok, frozenset(targets), frozenset(fragments))


def known_pages(out: Path, html: list[str], store: Store) -> tuple[dict[str, PageFacts], list[Problem]]:
    """The facts of every HTML file (`html`: site paths), each remembered by its place and
    bytes, so only the files that changed are parsed (on all cores when there are many);
    and the files that cannot be read or are not UTF-8."""
    memo = Memo(store, "page-facts", code_version())
    pages: dict[str, PageFacts] = {}
    problems: list[Problem] = []

    def learn(rel: str, key: str, facts: PageFacts | str) -> None:
        if isinstance(facts, PageFacts):
            pages[rel] = _interned(facts)
            memo.put(key, pages[rel])
        else:
            problems.append(Problem(str(out / rel), 0, facts))

    todo: list[tuple[str, str]] = []  # (site path, memo key) of the files to parse
    base_path = "/"  # the 404 page's links are read from it: known once the home page is
    for rel in sorted(html, key=lambda rel: (rel != "index.html", in_folders(rel))):
        try:
            data = (out / rel).read_bytes()
        except OSError as err:
            problems.append(Problem(str(out / rel), 0, f"cannot read: {err.strerror or err}"))
            continue
        key = f"{rel}\n{base_path if rel == NOT_FOUND else ''}\n{bytes_digest(data)}"
        facts = memo.get(key)
        if isinstance(facts, PageFacts):
            pages[rel] = facts
        elif rel == "index.html":
            learn(rel, key, _facts_of([(out, rel, base_path)])[0])
        else:
            todo.append((rel, key))
        if rel == "index.html":
            base_path = base_path_of(pages.get(rel))
    jobs = [(out, rel, base_path) for rel, _ in todo]
    parsed = _facts_of(jobs) if len(jobs) < PARALLEL_FROM else map_chunks(_facts_of, jobs, cores())
    for (rel, key), facts in zip(todo, parsed, strict=True):
        learn(rel, key, facts)
    memo.save()
    return pages, problems


def _facts_of(jobs: Sequence[tuple[Path, str, str]]) -> list[PageFacts | str]:
    """The facts of each (site, site path, base path), or why the file cannot be read."""
    found: list[PageFacts | str] = []
    for out, rel, base_path in jobs:
        try:
            found.append(page_facts(rel, parse_html(html_text(out / rel)), base_path))
        except UnicodeDecodeError as err:
            found.append(f"not UTF-8 text ({err.reason})")
    return found


def _interned(facts: PageFacts) -> PageFacts:
    """The same facts, their site paths shared with every other page's (after a worker)."""
    return replace(facts, targets=frozenset(sys.intern(t) for t in facts.targets))


def base_path_of(home: PageFacts | None) -> str:
    """The path the site is served under, from the home page's canonical link."""
    return urlsplit(home.canonical).path if home and home.canonical else "/"


def as_linked(rel: str, url: str, base_path: str) -> tuple[str, str]:
    """A link as checked, and the page it is checked from. GitHub Pages serves 404.html at
    any depth, so its links are absolute paths from base_url: they are links from the root."""
    if rel == NOT_FOUND and url.startswith(base_path):
        return url[len(base_path) :], "index.html"
    return url, rel


def in_folders(rel: str) -> tuple[str, ...]:
    return tuple(rel.split("/"))  # the order of `sorted(Path.rglob(...))`


def html_text(path: Path) -> str:
    return page_file_text(path.read_bytes())


def on_its_own(url: str, at: str, ids: set[str]) -> tuple[str, str, str]:
    """How a link from the page at `at` reads whatever the rest of the site holds: what is
    wrong with it, else the site path it needs ("" for none: external, or in the page
    itself) and the id it needs there, as written ("" for none). `_check_ref` and
    `page_facts` both read links through it, so a page's facts are what its check asks."""
    parts = split_url(url)
    if parts is None:
        return "not a URL a browser can follow (a malformed host)", "", ""
    if parts.scheme or parts.netloc:
        return "", "", ""  # external (or data:, mailto:): not ours to check
    if parts.path.startswith("/"):
        return "absolute path; use a relative URL so the site works under a sub-path and from file://", "", ""
    if not parts.path:
        if parts.fragment and unquote(parts.fragment) not in ids:
            return f"no element with id {parts.fragment!r} in this page", "", ""
        return "", "", ""
    target = os.path.normpath(os.path.join(os.path.dirname(at), unquote(parts.path)))
    if target.startswith(".."):
        return "points outside the site", "", ""
    return "", target, parts.fragment

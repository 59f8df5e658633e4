"""`site-builder check`: validate a built site the way a reader and a crawler would meet it.

Every internal href/src/action in every HTML file must resolve to a file inside the site
(fragments to an id in the target page), with relative URLs only, so the site works at a
domain root, under a sub-path and from `file://`; no inline script, style or event handler
(the Content-Security-Policy would block them); feeds and sitemap must be well-formed XML;
every sitemap URL and feed entry must point at a page that exists, and every paper page must
be in the sitemap; the search index must be there.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.build.layout import INDEX_FILE as SEARCH_INDEX
from site_builder.build.search import search_file_problems
from site_builder.commands.check_xml import local_path, xml_problems
from site_builder.core.config import PLACEHOLDER_BASE_URL, PLACEHOLDER_NOTE, normalize_base_url
from site_builder.core.errors import Problem, SiteError
from site_builder.core.hashing import bytes_digest, code_version
from site_builder.core.hints import command
from site_builder.core.pagefile import page_file_text
from site_builder.core.parallel import cores, map_chunks
from site_builder.core.store import Memo, Store

REQUIRED = (
    "index.html",
    "404.html",
    "search.html",
    "tags/index.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    ".nojekyll",
    SEARCH_INDEX,
)
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
        if tag == "script" and "src" not in values:
            self.page.offences.append((line, "inline <script> (blocked by the Content-Security-Policy)"))
        if tag == "style":
            self.page.offences.append((line, "inline <style> (blocked by the Content-Security-Policy)"))


def parse_html(text: str) -> ParsedPage:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.page


def check_site(
    out: Path,
    base_url: str | None = None,
    strict: bool = False,
    store: Store | None = None,
    named: bool = False,
) -> list[Problem]:
    """Every problem found in the built site at `out` (empty when it is fine).

    `base_url`: the address the site is published at; the site must have been built for it.
    `strict` (CI): a site still built for the placeholder base_url fails unless `base_url`
    was given — its feeds, sitemap and canonical links would point at example.org.
    `store`: where what each HTML file holds and needs is remembered by its place and bytes,
    so the next check parses only the files that changed (a daily update changes a fifth).
    `named`: `out` was named with `--out` (a hint to build it names it too).
    """
    if not (out / "index.html").is_file():
        return [
            Problem(
                str(out),
                0,
                f"no built site here (no index.html); run `{command('build', out if named else None)}`",
            )
        ]
    problems = [Problem(str(out / name), 0, "missing") for name in REQUIRED if not (out / name).is_file()]
    files = site_files(out)
    pages, unreadable = known_pages(out, [r for r in files if r.endswith(".html")], store or Store(None))
    problems += unreadable
    problems += _check_base_url(out, pages.get("index.html"), base_url, strict)
    problems += search_file_problems(out)
    problems += _contract_problems(out, pages.get("index.html"))
    base_path = _base_path(pages.get("index.html"))
    checked: dict[tuple[str, str], str] = {}  # (folder, URL with a path) → what is wrong with it
    for rel, facts in pages.items():
        if not _fine(facts, pages, files):  # a page with something to say: every link, as written
            page = parse_html(_html_text(out / rel))
            problems += _check_page(out, rel, page, pages, base_path, checked)
    base = pages["index.html"].canonical if "index.html" in pages else ""
    # The sitemap lists the pages that name their canonical address as their own: not one
    # whose canonical page is another (a tag's earlier name), nor a page naming none (an
    # about.html a theme adds, a kept verification file: the build did not make them).
    own = {
        rel
        for rel, facts in pages.items()
        if facts.canonical and local_path(base, facts.canonical) in (None, rel)
    }
    problems += xml_problems(
        out, sorted((r for r in files if r.endswith(".xml")), key=_in_folders), base, own
    )
    return sorted(problems)


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
    """The facts of a parsed page at `rel`: each link read on its own (`_on_its_own`), site
    paths interned (the memo pickles each once)."""
    alone_ok = not page.offences
    targets: set[str] = set()
    fragments: set[tuple[str, str]] = set()
    for _line, _tag, _attr, written in page.refs:
        message, target, fragment = _on_its_own(*_as_linked(rel, written, base_path), page.ids)
        if message:
            alone_ok = False
        elif target:
            targets.add(sys.intern(target))
            if fragment:
                fragments.add((sys.intern(target), unquote(fragment)))
    return PageFacts(frozenset(page.ids), page.canonical, alone_ok, frozenset(targets), frozenset(fragments))


def _fine(facts: PageFacts, pages: dict[str, PageFacts], files: set[str]) -> bool:
    if not (facts.alone_ok and facts.targets <= files):
        return False
    return all(fragment in pages[target].ids for target, fragment in facts.fragments if target in pages)


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
    for rel in sorted(html, key=lambda rel: (rel != "index.html", _in_folders(rel))):
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
            base_path = _base_path(pages.get(rel))
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
            found.append(page_facts(rel, parse_html(_html_text(out / rel)), base_path))
        except UnicodeDecodeError as err:
            found.append(f"not UTF-8 text ({err.reason})")
    return found


def _interned(facts: PageFacts) -> PageFacts:
    """The same facts, their site paths shared with every other page's (after a worker)."""
    return replace(facts, targets=frozenset(sys.intern(t) for t in facts.targets))


def site_files(out: Path) -> set[str]:
    """The site path of every file under `out`, in one walk (folders linked to are not entered,
    as `Path.rglob` does not enter them: a link into one is checked on the file system)."""
    found: set[str] = set()
    for folder, _dirs, names in os.walk(out):
        prefix = os.path.relpath(folder, out)
        prefix = "" if prefix == "." else prefix.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in names if os.path.isfile(os.path.join(folder, name)))
    return found


def _base_path(home: PageFacts | None) -> str:
    """The path the site is served under, from the home page's canonical link."""
    return urlsplit(home.canonical).path if home and home.canonical else "/"


def _as_linked(rel: str, url: str, base_path: str) -> tuple[str, str]:
    """A link as checked, and the page it is checked from. GitHub Pages serves 404.html at
    any depth, so its links are absolute paths from base_url: they are links from the root."""
    if rel == NOT_FOUND and url.startswith(base_path):
        return url[len(base_path) :], "index.html"
    return url, rel


def _in_folders(rel: str) -> tuple[str, ...]:
    return tuple(rel.split("/"))  # the order of `sorted(Path.rglob(...))`


def _html_text(path: Path) -> str:
    return page_file_text(path.read_bytes())


def _check_base_url(out: Path, home: PageFacts | None, base_url: str | None, strict: bool) -> list[Problem]:
    built_for = home.canonical if home else ""
    where = str(out / "index.html")
    if base_url is not None and built_for and built_for != normalize_base_url(base_url):
        return [
            Problem(
                where, 0, f"built for {built_for}, not {normalize_base_url(base_url)}; build with --base-url"
            )
        ]
    if base_url is None and built_for == PLACEHOLDER_BASE_URL:
        # An error in CI, where the site is published; a warning on a laptop (read from disk).
        message = f"{PLACEHOLDER_NOTE}, or build and check with --base-url"
        return [Problem(where, 0, message, "error" if strict else "warning")]
    return []


# What a theme must keep (docs/theming.md), as the home page shows it: without them search
# and the saved papers stop working, with no error anywhere.
CONTRACT = (
    ("site-search-input", "", "the header's search box (#site-search-input)"),
    ("search-popup", "", "the search popup (#search-popup)"),
    ("", "assets/search.js", "the search script (assets/search.js)"),
    ("", "assets/reading.js", "the reading script (assets/reading.js: saved papers, read marks)"),
)


def _contract_problems(out: Path, home: PageFacts | None) -> list[Problem]:
    if home is None:
        return []
    missing = [
        what
        for id_, target, what in CONTRACT
        if (id_ and id_ not in home.ids) or (target and target not in home.targets)
    ]
    return [
        Problem(str(out / "index.html"), 0, f"{what} is missing: a theme must keep it (docs/theming.md)")
        for what in missing
    ]


def _check_page(
    out: Path,
    rel: str,
    page: ParsedPage,
    pages: dict[str, PageFacts],
    base_path: str,
    checked: dict[tuple[str, str], str],
) -> list[Problem]:
    where = str(out / rel)
    problems = [Problem(where, line, message) for line, message in page.offences]
    for line, tag, attr, written in page.refs:
        url, at = _as_linked(rel, written, base_path)
        if url and url[0] not in "#?":  # the same from any page of its folder: asked once
            folder = os.path.dirname(at)
            message = checked.get((folder, url))
            if message is None:
                message = checked[(folder, url)] = _check_ref(out, at, url, page, pages)
        else:
            message = _check_ref(out, at, url, page, pages)
        if message:
            problems.append(Problem(where, line, f"<{tag} {attr}={written!r}>: {message}"))
    return problems


def _check_ref(out: Path, rel: str, url: str, page: ParsedPage, pages: dict[str, PageFacts]) -> str:
    message, target, fragment = _on_its_own(url, rel, page.ids)
    if message or not target:
        return message
    path = out / target
    if path.is_dir():
        return "points at a folder; link the file (folder URLs do not work from file://)"
    if not path.is_file():
        return "no such file in the site"
    linked = pages.get(Path(target).as_posix())
    if fragment and linked is not None and unquote(fragment) not in linked.ids:
        return f"no element with id {fragment!r} in {target}"
    return ""


def _on_its_own(url: str, at: str, ids: set[str]) -> tuple[str, str, str]:
    """How a link from the page at `at` reads whatever the rest of the site holds: what is
    wrong with it, else the site path it needs ("" for none: external, or in the page
    itself) and the id it needs there, as written ("" for none). `_check_ref` and
    `page_facts` both read links through it, so a page's facts are what its check asks."""
    parts = urlsplit(url)
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


def page_warnings(root: Path) -> list[Problem]:
    """Warnings for the site's paper pages a person should look at: pages with no tag (to
    place by hand), and tags the taxonomy lacks (misspelt, or renamed or removed there).
    The pages are read through the build's cache of parsed pages, left as it is: after a
    build, only their file times are looked at (a third of the time of parsing 10,000)."""
    from site_builder.build.cache import CACHE_DIR
    from site_builder.build.cache.pages import load_pages
    from site_builder.build.layout import build_tags, listing_order
    from site_builder.build.load import as_read
    from site_builder.build.pipeline import on_tags_line
    from site_builder.core.pagefile import tags_confirmed
    from site_builder.core.taxonomy import load_taxonomy
    from site_builder.ingest.pipeline import untagged_warning

    papers = root / "content" / "papers"
    if not papers.is_dir():
        return []
    loaded = load_pages(papers, Store(root / CACHE_DIR), remember=False)
    untagged = [  # a confirmed page without tags: a person took them off
        untagged_warning(Path(loaded.labels[p.slug]).name, p.slug, tags_confirmed(p.extra))
        for p in loaded.pages
        if not p.tags
    ]
    try:
        taxonomy = load_taxonomy(root / "content" / "taxonomy.yaml", "content/taxonomy.yaml")
    except SiteError as err:
        return [*untagged, *err.problems]
    unknown = build_tags(listing_order(as_read(loaded.pages, taxonomy)), taxonomy, loaded.labels)[2]
    return [*untagged, *[on_tags_line(p, root) for p in unknown]]

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
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.build.jobs import UNLISTED_PATHS
from site_builder.build.search import INDEX_FILE as SEARCH_INDEX
from site_builder.core.config import PLACEHOLDER_BASE_URL, normalize_base_url
from site_builder.core.errors import Problem
from site_builder.core.hashing import bytes_digest, code_version
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
URL_ATTRS = {"href", "src", "action", "poster", "data"}
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


Link = tuple[int, str, str, str]  # line, tag, attribute, URL: plain tuples, remembered by the
# hundred thousand (unpickled several times faster than named ones)


@dataclass
class ParsedPage:
    """The links, ids and CSP offences found in one HTML file."""

    refs: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    offences: list[tuple[int, str]] = field(default_factory=list)
    canonical: str = ""


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
    out: Path, base_url: str | None = None, strict: bool = False, store: Store | None = None
) -> list[Problem]:
    """Every problem found in the built site at `out` (empty when it is fine).

    `base_url`: the address the site is published at; the site must have been built for it.
    `strict` (CI): a site still built for the placeholder base_url fails unless `base_url`
    was given — its feeds, sitemap and canonical links would point at example.org.
    `store`: where what each HTML file holds is remembered by its text, so the next check
    parses only the files that changed (a daily update changes a tenth of them).
    """
    if not (out / "index.html").is_file():
        return [Problem(str(out), 0, "no built site here (no index.html); run `site-builder build`")]
    problems = [Problem(str(out / name), 0, "missing") for name in REQUIRED if not (out / name).is_file()]
    pages = parsed_pages(out, store or Store(None))
    problems += _check_base_url(out, pages.get("index.html"), base_url, strict)
    home = pages.get("index.html")
    base_path = urlsplit(home.canonical).path if home and home.canonical else "/"
    checked: dict[tuple[str, str], str] = {}  # (folder, URL with a path) → what is wrong with it
    for rel, page in pages.items():
        problems += _check_page(out, rel, page, pages, base_path, checked)
    xml_docs: dict[str, ET.Element] = {}
    for rel, path in _files(out, ".xml"):
        try:
            xml_docs[rel] = ET.parse(path).getroot()
        except ET.ParseError as err:
            problems.append(Problem(str(path), err.position[0], f"not well-formed XML: {err}"))
    base = pages["index.html"].canonical if "index.html" in pages else ""
    problems += _check_sitemap(out, xml_docs.get("sitemap.xml"), base, set(pages))
    for rel, root in sorted(xml_docs.items()):
        if root.tag == f"{ATOM}feed":
            problems += _check_feed(out, rel, root, base)
    return sorted(problems)


def parsed_pages(out: Path, store: Store) -> dict[str, ParsedPage]:
    """Every HTML file of the site, parsed (`parse_html`), each remembered by its text."""
    memo = Memo(store, "parsed-html", code_version())
    pages: dict[str, ParsedPage] = {}
    for rel, path in _files(out, ".html"):
        text = path.read_text(encoding="utf-8")
        key = bytes_digest(text.encode("utf-8", "surrogatepass"))
        page = memo.get(key)
        if not isinstance(page, ParsedPage):
            page = parse_html(text)
            memo.put(key, page)
        pages[rel] = page
    memo.save()
    return pages


def _check_base_url(out: Path, home: ParsedPage | None, base_url: str | None, strict: bool) -> list[Problem]:
    built_for = home.canonical if home else ""
    where = str(out / "index.html")
    if base_url is not None and built_for and built_for != normalize_base_url(base_url):
        return [
            Problem(
                where, 0, f"built for {built_for}, not {normalize_base_url(base_url)}; build with --base-url"
            )
        ]
    if strict and base_url is None and built_for == PLACEHOLDER_BASE_URL:
        message = (
            f"base_url is still the placeholder {PLACEHOLDER_BASE_URL}: feeds, sitemap and canonical links "
            "point there; set base_url in content/site.yaml, or build and check with --base-url"
        )
        return [Problem(where, 0, message)]
    return []


def _files(out: Path, suffix: str) -> Iterator[tuple[str, Path]]:
    for path in sorted(out.rglob(f"*{suffix}")):
        if path.is_file():
            yield path.relative_to(out).as_posix(), path


def _check_page(
    out: Path,
    rel: str,
    page: ParsedPage,
    pages: dict[str, ParsedPage],
    base_path: str,
    checked: dict[tuple[str, str], str],
) -> list[Problem]:
    where = str(out / rel)
    problems = [Problem(where, line, message) for line, message in page.offences]
    folder = os.path.dirname(rel)
    for line, tag, attr, written in page.refs:
        url, at, at_folder = written, rel, folder
        if rel == "404.html" and url.startswith(base_path):
            # GitHub Pages serves 404.html at any depth, so its links are absolute paths
            # from base_url: check them as links from the site root.
            url, at, at_folder = url[len(base_path) :], "index.html", ""
        if url and url[0] not in "#?":  # the same from any page of its folder: asked once
            message = checked.get((at_folder, url))
            if message is None:
                message = checked[(at_folder, url)] = _check_ref(out, at, url, page, pages)
        else:
            message = _check_ref(out, at, url, page, pages)
        if message:
            problems.append(Problem(where, line, f"<{tag} {attr}={written!r}>: {message}"))
    return problems


def _check_ref(out: Path, rel: str, url: str, page: ParsedPage, pages: dict[str, ParsedPage]) -> str:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return ""  # external (or data:, mailto:): not ours to check
    if parts.path.startswith("/"):
        return "absolute path; use a relative URL so the site works under a sub-path and from file://"
    if not parts.path:
        if parts.fragment and unquote(parts.fragment) not in page.ids:
            return f"no element with id {parts.fragment!r} in this page"
        return ""
    target = os.path.normpath(os.path.join(os.path.dirname(rel), unquote(parts.path)))
    if target.startswith(".."):
        return "points outside the site"
    path = out / target
    if path.is_dir():
        return "points at a folder; link the file (folder URLs do not work from file://)"
    if not path.is_file():
        return "no such file in the site"
    linked = pages.get(Path(target).as_posix())
    if parts.fragment and linked is not None and unquote(parts.fragment) not in linked.ids:
        return f"no element with id {parts.fragment!r} in {target}"
    return ""


def _local(base: str, url: str) -> str | None:
    """The site path of an absolute URL under base_url (`index.html` for the base itself)."""
    if not base or not url.startswith(base):
        return None
    rest = unquote(url[len(base) :])
    return rest or "index.html"


def _check_sitemap(out: Path, root: ET.Element | None, base: str, html: set[str]) -> list[Problem]:
    where = str(out / "sitemap.xml")
    if root is None:
        return []
    problems: list[Problem] = []
    listed: set[str] = set()
    for loc in root.iter(f"{SITEMAP}loc"):
        url = (loc.text or "").strip()
        rel = _local(base, url)
        if rel is None or not (out / rel).is_file():
            problems.append(Problem(where, 0, f"{url}: no such page in the site"))
        else:
            listed.add(rel)
    for rel in sorted(html - listed - UNLISTED_PATHS):
        problems.append(Problem(where, 0, f"{rel} is not listed"))
    return problems


def _check_feed(out: Path, rel: str, root: ET.Element, base: str) -> list[Problem]:
    where = str(out / rel)
    problems: list[Problem] = []
    ids: set[str] = set()
    for entry in root.iter(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id") or ""
        if not entry_id or entry_id in ids:
            problems.append(Problem(where, 0, f"entry id {entry_id!r} is missing or repeated"))
        ids.add(entry_id)
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        href = link.get("href", "") if link is not None else ""
        target = _local(base, href)
        if target is None or not (out / target).is_file():
            problems.append(Problem(where, 0, f"entry link {href!r} is not a page of this site"))
    return problems


def untagged_pages(root: Path) -> list[Problem]:
    """Warnings for the site's paper pages with no tag: a person should place them by hand."""
    from site_builder.core.pagefile import read_pages
    from site_builder.ingest.pipeline import untagged_warning

    papers = root / "content" / "papers"
    if not papers.is_dir():
        return []
    stored = read_pages(papers, root)[0]
    return [untagged_warning(s.path.name, s.page.slug) for s in stored if not s.page.tags]

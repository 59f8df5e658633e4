"""Hostile input end to end, on the build side: what the hostile dumps become once built.

The hostile dumps of tests/data/hostile/ (markup, template syntax, YAML specials, reserved
and path-like titles, Unicode, a huge title and abstract, binary, Latin-1, CRLF…) are
ingested with the repository's taxonomy, next to three hand-written pages and a site.yaml
from tests/data/hostile_site/ that put markup into every front-matter field and setting.
Then the site is built and checked, each step as the command a user runs, and every file a
reader or crawler gets is inspected: text stays text, nothing is written outside `_site/`,
no markup, script or template expansion comes from content, and search data is JSON only.

The expected strings are read from the dumps by a reader of their own (below), not by
site_builder, so the test does not trust the code it tests.

The slow tests at the end kill `site-builder build` with SIGKILL at random points of a
2,000-page build, again and again: the previous `_site/` must survive every kill byte for
byte, and the next build must clean up and equal a clean build.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import psutil
import pytest
import yaml
from helpers import Node, broken_links, read_dom, write_report, write_synthetic_pages

from site_builder.core.text import printable

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
DUMPS = DATA / "hostile"
HAND = DATA / "hostile_site" / "content"
TEMPLATES = REPO / "site_builder" / "themes" / "default" / "templates"
BASE = "https://example.org/hostile/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HEADER = {"new", "get trending papers in your email inbox!", "subscribe", "byak and the research community"}
DATE = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? {1,3}\d{1,2}$", re.I)
SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED = {"index", "tags", "tag", "search", "404", "page", "papers", "assets", "feed", "sitemap"}
RESERVED |= {"robots", "con", "prn", "aux", "nul"}
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript|file):", re.I)
SITE_TITLE = "Hostile <script>alert('site')</script> & {{ 7*7 }} Papers"
# Titles that would be file names, reserved words or paths if they were used as such.
PATH_LIKE = ["index", "tags", "search", "404", "con", "aux", "../../etc/passwd", "a/b\\c", "!!!???..."]
PATH_LIKE += ["---", "🚀🔥🤖", "大型语言模型的研究"]
REPORT: list[str] = []


def report(line: str) -> None:
    """A line for the end of the run (shown under -q without -s): figures worth reading."""
    REPORT.append(line)


@pytest.fixture(scope="module", autouse=True)
def _show_report(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    write_report(request, REPORT, __name__)


def norm(text: str) -> str:
    """Whitespace collapsed, as a reader sees text (HTML folds runs of whitespace)."""
    return " ".join(text.split())


def dump_entries(path: Path) -> list[tuple[str, str]]:
    """(title, abstract) pairs of a dump, read independently of site_builder.sources."""
    raw = path.read_bytes()
    if b"\0" in raw:
        return []  # binary: refused by ingest
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    # Composed (NFC), as ingest reads every line: `Cafe\u0301` is the title `Café`.
    lines = [unicodedata.normalize("NFC", line.strip()) for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if line.lower() not in HEADER and not DATE.match(line)]
    return list(zip(lines[0::2], lines[1::2], strict=False))  # a dangling last title has no pair


def template_vocabulary() -> tuple[set[str], set[str]]:
    """Element and attribute names the theme's templates can produce (+ <p>, <a href> of Markdown)."""
    tags, attrs = {"p", "a"}, {"href"}
    for template in TEMPLATES.glob("*.html"):
        text = re.sub(r"\{[{%#].*?[}%#]\}", " ", template.read_text(encoding="utf-8"), flags=re.S)
        for tag in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)([^<>]*)>", text):
            tags.add(tag[0].lower())
            unquoted = re.sub(r"\"[^\"]*\"|'[^']*'", "", tag[1])
            attrs.update(a.lower() for a in re.findall(r"\s([a-zA-Z][a-zA-Z0-9:-]*)(?==|\s|/?$)", unquoted))
    return tags, attrs


@dataclass
class Built:
    parent: Path
    root: Path
    out: Path
    runs: dict[str, subprocess.CompletedProcess[str]]
    hand_pages: dict[str, bytes]
    entries: list[tuple[str, str]]
    pages: dict[str, Node]  # relative path → DOM, every HTML page but the redirects
    by_title: dict[str, list[str]]  # normalised h1 of a paper page → the relative paths of its pages
    moved: dict[str, Node]  # the pages at earlier addresses, which send readers on


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    parent = tmp_path_factory.mktemp("hostile-build")
    root = parent / "site"
    (root / "content" / "sources").mkdir(parents=True)
    for dump in sorted(DUMPS.glob("*.txt")):
        shutil.copyfile(dump, root / "content" / "sources" / dump.name)
    shutil.copyfile(REPO / "content" / "taxonomy.yaml", root / "content" / "taxonomy.yaml")
    shutil.copytree(HAND, root / "content", dirs_exist_ok=True)
    hand = {p.name: p.read_bytes() for p in sorted((HAND / "papers").glob("*.md"))}
    runs = {}
    for command in ("ingest", "build", "check"):
        runs[command] = subprocess.run(
            [sys.executable, "-m", "site_builder", "--root", str(root), command],
            capture_output=True,
            text=True,
            timeout=300,
        )
    out = root / "_site"
    every = {p.relative_to(out).as_posix(): read_dom(p) for p in sorted(out.rglob("*.html"))}
    redirect = {"http-equiv": "refresh"}
    moved = {rel: dom for rel, dom in every.items() if dom.find_all("meta", **redirect)}
    pages = {rel: dom for rel, dom in every.items() if rel not in moved}
    by_title: dict[str, list[str]] = {}
    for rel, dom in pages.items():
        if rel.startswith("papers/"):
            by_title.setdefault(norm(dom.find("h1").text()), []).append(rel)
    entries = [e for dump in sorted(DUMPS.glob("*.txt")) for e in dump_entries(dump)]
    return Built(parent, root, out, runs, hand, entries, pages, by_title, moved)


def paper_of(built: Built, title: str, abstract: str = "") -> tuple[str, Node]:
    """The page of the paper of this title (and abstract: two papers may share a title)."""
    rels = built.by_title.get(norm(title), [])
    if abstract and len(rels) > 1:
        rels = [
            r for r in rels if norm(built.pages[r].find("div", class_="abstract").text()) == norm(abstract)
        ]
    assert len(rels) == 1, f"no paper page, or several, with the title {title[:80]!r}: {rels}"
    return rels[0], built.pages[rels[0]]


def texts(node: Node) -> list[str]:
    """Every text node under `node`, in document order."""
    out: list[str] = []
    for child in node.children:
        out += [child] if isinstance(child, str) else texts(child)
    return out


# --- the commands -------------------------------------------------------------------------------


def test_ingest_build_and_check_never_crash(built: Built) -> None:
    for command, run in built.runs.items():
        assert "Traceback" not in run.stderr + run.stdout, (command, run.stderr[-2000:])
    assert built.runs["ingest"].returncode == 1  # binary.txt cannot be read; everything else went in
    assert built.runs["build"].returncode == 0, built.runs["build"].stderr
    assert built.runs["check"].returncode == 0, built.runs["check"].stdout + built.runs["check"].stderr
    # The hand-written pages are not in any dump: ingest leaves them byte for byte.
    for name, data in built.hand_pages.items():
        assert (built.root / "content" / "papers" / name).read_bytes() == data, name


def test_the_fixture_covers_what_it_claims(built: Built) -> None:
    titles = [t for t, _ in built.entries]
    assert len(built.entries) == 43
    for needle in ("<script>", "onerror", "javascript:", "{{ 7*7 }}", "{% raw %}", "]]>", "</title>"):
        assert any(needle in t for t in titles), needle
    for title in PATH_LIKE:
        assert title in titles, title
    assert any(len(t) >= 250 for t in titles)  # as long as a title gets; a longer line is an abstract
    assert any(len(a) >= 100_000 for _, a in built.entries)


# --- nothing outside the output folder ----------------------------------------------------------


def walk_safely(folder: Path) -> int:
    """Count the entries under `folder`, asserting each is a plain file or folder inside it."""
    top = folder.resolve()
    count = 0
    for parent, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(parent) / name
            rel = path.relative_to(folder).as_posix()
            assert not path.is_symlink(), rel
            assert SAFE_NAME.match(name) and name not in (".", ".."), rel
            assert path.resolve().is_relative_to(top), rel
            count += 1
    return count


def test_every_output_file_stays_inside_the_output_folder(built: Built) -> None:
    assert walk_safely(built.out) > 100
    # Nothing was written beside the site or above it, and no temporary folder was left behind
    # (the build may keep a cache of its own, `.site-cache/`, which must be as tidy).
    assert sorted(p.name for p in built.parent.iterdir()) == ["site"]
    assert {p.name for p in built.root.iterdir()} <= {"_site", "content", ".site-cache"}
    if (built.root / ".site-cache").exists():
        walk_safely(built.root / ".site-cache")
    assert sorted(p.name for p in (built.root / "content").iterdir()) == [
        "papers",
        "site.yaml",
        "sources",
        "taxonomy.yaml",
    ]
    assert all(p.parent.name == "papers" for p in (built.root / "content" / "papers").rglob("*"))


def test_reserved_and_path_like_titles_get_safe_pages_that_listings_link_to(built: Built) -> None:
    links: dict[str, set[str]] = {}  # title → what the home pages' links to it resolve to
    for rel, dom in built.pages.items():
        if rel == "index.html" or rel.startswith("page/"):
            for a in [a for h3 in dom.find_all("h3", class_="paper-item-title") for a in h3.iter("a")]:
                target = os.path.normpath(os.path.join(os.path.dirname(rel), a.attrs.get("href", "")))
                links.setdefault(norm(a.text()), set()).add(target)
    for title in PATH_LIKE:
        rel, _ = paper_of(built, title)
        slug = rel.removeprefix("papers/").removesuffix(".html")
        assert rel == f"papers/{slug}.html" and SLUG.match(slug) and slug not in RESERVED, (title, rel)
        assert len(slug) <= 80
        assert links.get(norm(title)) == {rel}, (title, links.get(norm(title)))
    assert broken_links(built.out) == []


# --- text stays text -----------------------------------------------------------------------------


def test_every_title_and_abstract_is_literal_text_on_its_page(built: Built) -> None:
    for title, abstract in built.entries:
        rel, dom = paper_of(built, title, abstract)
        h1 = dom.find("h1")
        assert [c for c in h1.children if not isinstance(c, str)] == [], rel
        assert h1.text() == title, rel
        assert dom.find("title").text() == f"{title} · {SITE_TITLE}", rel
        assert dom.find("meta", property="og:title").attrs["content"] == title, rel
        paragraphs = dom.find("div", class_="abstract").find_all("p")
        assert [p.text() for p in paragraphs] == [abstract], rel
        # The meta description is cut from the abstract as plain text.
        meta = [m for m in dom.iter("meta") if m.attrs.get("name") == "description"]
        assert len(meta) == 1 and norm(abstract).startswith(meta[0].attrs["content"].rstrip("…")), rel


def test_every_title_is_listed_as_text_on_the_home_and_tag_pages(built: Built) -> None:
    home = " ".join(
        norm(dom.text()) for rel, dom in built.pages.items() if rel == "index.html" or rel.startswith("page/")
    )
    for title, abstract in built.entries:
        assert norm(title) in home, title[:80]
        _rel, dom = paper_of(built, title, abstract)
        # an untagged paper has no tag list (ingest and check list it instead)
        for a in [a for ul in dom.find_all("ul", class_="tag-list") for a in ul.find_all("a")]:
            tag_file = os.path.normpath(os.path.join("papers", a.attrs["href"]))
            stem = tag_file.removesuffix(".html")
            listing = " ".join(
                norm(d.text())
                for r, d in built.pages.items()
                if r == tag_file or r.startswith(stem + "/page/")
            )
            assert norm(title) in listing, (title[:80], tag_file)


def front_matter(name: str) -> dict:
    text = (HAND / "papers" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_hand_written_front_matter_is_text_everywhere(built: Built) -> None:
    meta = front_matter("hostile-front-matter.md")
    assert printable(meta["title"]) != meta["title"]  # it carries NUL, ESC, …: they never reach a page
    meta["title"] = printable(meta["title"])
    meta["aliases"] = [printable(a) for a in meta["aliases"]]
    # Each tag trimmed, and an empty one is none (`""` was a tag with a page of its own).
    meta["tags"] = [tag for t in meta["tags"] if (tag := printable(t).strip())]
    dom = built.pages["papers/hostile-front-matter.html"]
    assert "\x00" not in (built.out / "papers/hostile-front-matter.html").read_text(encoding="utf-8")
    assert dom.find("h1").text() == meta["title"]
    assert dom.find("meta", property="og:title").attrs["content"] == meta["title"]
    aliases = dom.find("section", class_="paper-aliases").find_all("li")
    assert [li.text() for li in aliases] == meta["aliases"]
    codes = [c.text() for c in dom.find("section", class_="paper-sources").find_all("code")]
    assert sorted(codes) == sorted(s["file"] for s in meta["sources"])
    # Every tag, whatever its name, links to a page of its own at a safe path, titled with the name.
    tag_links = dom.find("ul", class_="tag-list").find_all("a")
    assert [a.text() for a in tag_links] == ["Agents", *meta["tags"][1:]]
    files = [os.path.normpath(os.path.join("papers", a.attrs["href"])) for a in tag_links]
    assert len(set(files)) == len(files)
    for name, rel in zip(meta["tags"][1:], files[1:], strict=True):
        stem = rel.removeprefix("tags/").removesuffix(".html")
        assert SLUG.match(stem) and stem != "index", (name, rel)
        assert built.pages[rel].find("h1").text() == name, (name, rel)
        assert (built.out / f"tags/{stem}.xml").is_file()
    # The site's own settings are text too: in every page, every feed.
    home = built.pages["index.html"]
    site = yaml.safe_load((HAND / "site.yaml").read_text(encoding="utf-8"))
    assert [m.attrs["content"] for m in home.iter("meta") if m.attrs.get("name") == "description"] == [
        site["description"]
    ]
    assert home.find("a", class_="site-name").text() == site["title"]
    feed = ET.parse(built.out / "feed.xml").getroot()
    assert feed.findtext(f"{ATOM}title") == site["title"]
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == site["author"]
    entry = next(
        e for e in feed.iter(f"{ATOM}entry") if "hostile-front-matter" in e.find(f"{ATOM}link").get("href")
    )
    assert entry.findtext(f"{ATOM}title") == NOT_XML.sub("", meta["title"])
    assert [c.get("term") for c in entry.iter(f"{ATOM}category")] == meta["tags"]


def test_a_title_that_is_a_path_out_of_the_site_is_just_a_title(built: Built) -> None:
    rel, dom = paper_of(built, "../../../../index.html")
    assert rel == "papers/index-html.html"
    assert dom.find("h1").text() == "../../../../index.html"
    home = built.pages["index.html"]
    assert [a.attrs["href"] for a in home.iter("a") if a.text() == "../../../../index.html"] == [rel]
    # Its file (index-slug-lookalike.md) names its first address, which leads on to it.
    earlier = [rel for rel in built.moved if not rel.endswith("/index.html")]  # not a folder's address
    assert earlier == ["papers/index-slug-lookalike.html"]
    moved = built.moved["papers/index-slug-lookalike.html"]
    assert [a.attrs["href"] for a in moved.iter("a")] == ["index-html.html"]
    assert moved.find("title").text() == "../../../../index.html"


def test_multi_paragraph_abstract_keeps_its_paragraphs_as_text(built: Built) -> None:
    source = (HAND / "papers" / "hostile-paragraphs.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    expected = source.strip().split("\n\n")
    dom = built.pages["papers/hostile-paragraphs.html"]
    abstract = dom.find("div", class_="abstract")
    assert [p.text() for p in abstract.find_all("p")] == expected
    assert {n.tag for n in abstract.iter()} == {"div", "p", "a"}
    assert [(a.attrs, a.text()) for a in abstract.find_all("a")] == [
        ({"href": "https://example.org/autolink"}, "https://example.org/autolink"),
        ({"href": "https://example.org/ok"}, "https://example.org/ok"),
        ({"href": "HTTP://EXAMPLE.ORG/UPPER"}, "HTTP://EXAMPLE.ORG/UPPER"),
    ]


# --- no markup, script or template expansion from content -----------------------------------------


def test_no_element_attribute_or_script_comes_from_content(built: Built) -> None:
    allowed_tags, allowed_attrs = template_vocabulary()
    assert "img" not in allowed_tags and "iframe" not in allowed_tags
    for rel, dom in built.pages.items():
        # 404.html is served at any depth: it links by absolute paths from base_url.
        depth = urlsplit(BASE).path if rel == "404.html" else "../" * rel.count("/")
        elements = [n for n in dom.iter() if n.tag != "#document"]
        assert {n.tag for n in elements} <= allowed_tags, (rel, {n.tag for n in elements} - allowed_tags)
        for node in elements:
            assert set(node.attrs) <= allowed_attrs, (rel, node.tag, set(node.attrs) - allowed_attrs)
            assert not [a for a in node.attrs if a.startswith("on")], (rel, node.tag, node.attrs)
            for name in ("href", "src", "action"):
                value = re.sub(r"[\x00-\x20]", "", node.attrs.get(name, ""))
                assert not BAD_SCHEME.match(value), (rel, node.tag, node.attrs)
        scripts = dom.find_all("script")
        data = [s for s in scripts if s.attrs == {"type": "application/ld+json"}]  # a paper's, not run
        assert len(data) == rel.startswith("papers/") and all(json.loads(s.text()) for s in data), rel
        scripts = [s for s in scripts if s not in data]
        version = dom.find("body").attrs["data-assets"]
        assert [s.attrs for s in scripts] == [
            {"src": f"{depth}assets/{name}?v={version}", "defer": ""} for name in ("search.js", "reading.js")
        ], rel
        assert all(s.children == [] for s in scripts), rel
        for tag in ("html", "head", "body", "main", "h1"):
            assert len(dom.find_all(tag)) == 1, (rel, tag)
        assert len(dom.find("head").find_all("title")) == 1, rel  # (charts have SVG titles)
        csp = [m for m in dom.iter("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
        assert len(csp) == 1 and "unsafe" not in csp[0].attrs["content"], rel
        assert dom.find("head").find_all("base") == [], rel


def test_raw_html_never_contains_live_payloads(built: Built) -> None:
    for path in sorted(built.out.rglob("*.html")):
        raw = path.read_text(encoding="utf-8")
        for payload in ("<script>alert", "<img", "</title><h1>", "<b>matter", "<!-- an", "<h1>closed"):
            assert payload not in raw, (path.name, payload)
        moved = path.relative_to(built.out).as_posix() in built.moved  # a redirect runs nothing
        paper = path.parent.name == "papers"  # and a paper's data for search engines (JSON-LD)
        assert raw.count("<script") == (0 if moved else 2 + paper), path.name  # search.js, reading.js
        assert raw.count("</title>") == 1 + raw.count("<svg "), path.name  # one per chart


def test_template_syntax_stays_literal(built: Built) -> None:
    rel, dom = paper_of(built, "{{ 7*7 }} template title")
    assert dom.find("h1").text() == "{{ 7*7 }} template title"
    assert dom.find("meta", property="og:title").attrs["content"] == "{{ 7*7 }} template title"
    rel, dom = paper_of(built, "{% raw %} template block {% endraw %}")
    assert dom.find("h1").text() == "{% raw %} template block {% endraw %}"
    _, dom = paper_of(built, "Abstract with payloads")
    assert "{{ 7*7 }} and {% raw %} and ]]>" in dom.find("div", class_="abstract").text()
    for rel, dom in built.pages.items():
        assert norm(dom.find("title").text()).endswith(norm(SITE_TITLE)), rel
        for text in texts(dom):
            # Nothing in the input is 49, so 49 can only be a source line number.
            if "49" in text:
                assert re.fullmatch(r"\s*, line \d+\s*", text), (rel, text[:120])
            if "{{" in text or "{%" in text:
                assert "7*7" in text or "raw" in text, (rel, text[:120])
        for node in dom.iter():
            for name in ("content", "title", "aria-label", "value", "placeholder"):
                assert "49" not in node.attrs.get(name, ""), (rel, node.tag, node.attrs)


# --- feeds and sitemap --------------------------------------------------------------------------


def test_feeds_are_well_formed_and_carry_each_title_as_text(built: Built) -> None:
    feeds = [built.out / "feed.xml", *sorted((built.out / "tags").glob("*.xml"))]
    assert len(feeds) > 20
    titles_by_url: dict[str, str] = {}
    for rel, dom in built.pages.items():
        if rel.startswith("papers/"):
            titles_by_url[BASE + rel] = dom.find("h1").text()
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path.name, parsed.get("bozo_exception"))
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed"
        assert root.findtext(f"{ATOM}title").startswith(NOT_XML.sub("", SITE_TITLE)), path.name
        for entry in root.iter(f"{ATOM}entry"):
            title = entry.find(f"{ATOM}title")
            assert list(title) == [], path.name  # no child elements: text only
            url = entry.find(f"{ATOM}link").get("href")
            assert title.text == NOT_XML.sub("", titles_by_url[url]), (path.name, url)
    site_feed = ET.parse(built.out / "feed.xml").getroot()
    entries = {
        (e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}summary")) for e in site_feed.iter(f"{ATOM}entry")
    }
    for title, abstract in built.entries:  # two papers may share a title: each its own entry
        assert (title, abstract) in entries, title[:80]


def test_sitemap_is_well_formed_and_holds_only_urls_of_pages(built: Built) -> None:
    root = ET.parse(built.out / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    locs = []
    for url in root:
        assert url.tag == f"{SITEMAP}url" and [c.tag for c in url][:1] == [f"{SITEMAP}loc"]
        assert [c.tag for c in url][1:] in ([], [f"{SITEMAP}lastmod"])
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        assert lastmod is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod), lastmod
        loc = url.findtext(f"{SITEMAP}loc")
        assert loc.startswith(BASE) and not re.search(r"[\s<>\"'{}]", loc), loc
        locs.append(loc)
    noindex = '<meta name="robots" content="noindex">'  # 404, saved, a tag no paper has yet
    pages = {
        BASE + ("" if rel == "index.html" else rel)
        for rel in built.pages
        if noindex not in (built.out / rel).read_text(encoding="utf-8")
    }
    assert set(locs) == pages and len(locs) == len(pages)
    robots = (built.out / "robots.txt").read_text(encoding="utf-8")
    assert robots.splitlines()[-1] == f"Sitemap: {BASE}sitemap.xml"


# --- search data ----------------------------------------------------------------------------------

JS_DATA = re.compile(
    r'\(window\.SEARCH_DATA=window\.SEARCH_DATA\|\|\{\}\)\["([a-z0-9]+)"\]=(\{.*\});\n', re.S
)


def test_search_files_hold_the_strings_only_as_json_data(built: Built) -> None:
    files = [
        built.out / "assets" / "search-index.js",
        *sorted((built.out / "assets" / "search").glob("*.js")),
    ]
    docs: dict[str, list[str]] = {}
    for path in files:
        raw = path.read_bytes()
        for bad in (b"<", b">", b"\xe2\x80\xa8", b"\xe2\x80\xa9"):  # no </script>, <!--, -->, line separators
            assert bad not in raw, (path.name, bad)
        match = JS_DATA.fullmatch(raw.decode("utf-8"))
        assert match, path.name  # exactly one assignment of one JSON object
        payload = json.loads(match.group(2))
        for path_, title, text in payload.get("d", []):
            docs[path_] = [title, text]
    for title, abstract in built.entries:
        rel, _ = paper_of(built, title, abstract)
        assert docs[rel] == [title, norm(abstract)], rel


# --- links a person typed -------------------------------------------------------------------------


def test_links_in_front_matter_are_only_web_links(built: Built) -> None:
    dom = built.pages["papers/hostile-front-matter.html"]
    links = [  # the page's own links, after the links out
        a
        for a in dom.find("section", class_="paper-links").find_all("a")
        if a.attrs.get("class") != "link-out"
    ]
    hrefs = [a.attrs["href"] for a in links]
    assert all(urlsplit(h).scheme in ("http", "https") for h in hrefs), hrefs
    assert hrefs == [
        'https://example.org/"onmouseover="alert(7)',
        "https://example.org/<script>alert(8)</script>",
        "https://github.com/a/b'onclick='alert(9)",
    ]
    assert all(set(a.attrs) == {"href"} for a in links)  # a quote in a URL did not open an attribute


# --- builds killed at random points -----------------------------------------------------------------


def site_tree(out: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under `out`, by relative path; symlinks are refused."""
    found: dict[str, bytes | None] = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        assert not path.is_symlink(), rel
        found[rel] = path.read_bytes() if path.is_file() else None
    return found


def set_site_title(root: Path, title: str) -> None:
    """A new site title changes every page, so a build with it has everything to redo."""
    config = root / "content" / "site.yaml"
    lines = [
        line for line in config.read_text(encoding="utf-8").splitlines() if not line.startswith("title:")
    ]
    config.write_text(f"title: {title}\n" + "\n".join(lines) + "\n", encoding="utf-8")


def big_site(root: Path) -> Path:
    """The bundled 365 papers plus 1,635 generated ones: 2,000 pages, rendered by worker processes."""
    shutil.copytree(REPO / "content" / "papers", root / "content" / "papers")
    for name in ("taxonomy.yaml", "site.yaml"):
        shutil.copyfile(REPO / "content" / name, root / "content" / name)
    write_synthetic_pages(root / "content" / "papers", 1635)
    assert len(list((root / "content" / "papers").glob("*.md"))) == 2000
    return root


def children_of(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def command_line(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())
    except psutil.Error:
        return ""


def processes_of(root: Path) -> list[psutil.Process]:
    """Every live process whose command line names `root`: the runs of this test and their forks."""
    mine = str(root)
    return [p for p in psutil.process_iter() if p.pid != os.getpid() and mine in command_line(p).split()]


def survivors(root: Path, timeout: float) -> list[psutil.Process]:
    """The processes of `root` still running after `timeout` seconds (none: returns at once)."""
    deadline = time.monotonic() + timeout
    while (found := processes_of(root)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def end_processes(processes: list[psutil.Process], root: Path | None = None) -> None:
    """SIGKILL these processes (started by this test's runs) if they still run, by pid.

    With `root`, also every process whose command line names it: a worker forked just as
    its run was killed is in no list, but it was forked from a command naming the test's
    own site folder, so it is ours.
    """
    found = list(processes) + (processes_of(root) if root is not None else [])
    for process in found:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    psutil.wait_procs(found, timeout=10)


def clean_build(root: Path, dest: Path) -> dict[str, bytes | None]:
    """What a fresh build of root's content gives, in a folder of its own (no cache, no leftovers)."""
    shutil.copytree(root / "content", dest / "content")
    subprocess.run([sys.executable, "-m", "site_builder", "--root", str(dest), "-q", "build"], check=True)
    return site_tree(dest / "_site")


@pytest.mark.slow
def test_sigkill_during_build_never_damages_the_previous_site(tmp_path: Path) -> None:
    """`site-builder build` killed with SIGKILL at random points, again and again.

    The bundled 365 papers plus 1,635 generated ones (2,000 pages: the build renders them in
    worker processes). Before each attempt the site title changes, so every build has the
    whole site to redo. After a kill, `_site/` must be byte for byte the previous site (or,
    if the kill came after the swap, exactly the new one), never a partial tree. Then a
    normal build succeeds, removes the leftovers, and equals a clean build of the same content.
    """
    root = big_site(tmp_path / "site")
    command = [sys.executable, "-m", "site_builder", "--root", str(root), "-q", "build"]
    out = root / "_site"
    set_site_title(root, "Before Any Kill")
    subprocess.run(command, check=True)
    durations = []  # the shortest of two full builds: a busy machine makes one run long
    for timed in range(2):
        set_site_title(root, f"Timed Build {timed}")
        began = time.perf_counter()
        subprocess.run(command, check=True)
        durations.append(time.perf_counter() - began)
    duration = min(durations)
    previous = site_tree(out)
    rnd = random.Random(20240611)
    # 12 attempts, and on until a kill has come late enough to leave a temporary folder, each
    # kill a little later: on a loaded machine the builds outlast the timed ones and every
    # kill of 12 could land before the build made its folder (seen once, beside three runs).
    attempts, kills, finished, swapped = 0, 0, 0, 0
    seen_leftovers: set[str] = set()
    for attempt in range(36):
        if attempt >= 12 and seen_leftovers:
            break
        attempts += 1
        set_site_title(root, f"Attempt {attempt}")
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        later = min(2.0, 1.2 ** max(0, attempt - 11))  # up to 1.7 builds' time: never minutes
        with contextlib.suppress(subprocess.TimeoutExpired):  # a build that ends sooner is not waited out
            process.wait(timeout=rnd.uniform(0.02, 0.85) * duration * later)
        workers: list[psutil.Process] = []
        if process.poll() is None:
            workers = children_of(process.pid)
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        code = process.wait()
        # Should a killed build leave workers behind (test_workers_die_with_a_killed_build says
        # it does not), they are ended here, so they cannot touch the next attempt's folders.
        end_processes(workers, root)
        now = site_tree(out)
        assert ".nojekyll" in now and "index.html" in now, f"attempt {attempt}: no complete site"
        if code == 0:
            finished += 1
        elif now != previous:
            # Killed after the swap: the new site must then be complete and exact.
            swapped += 1
            expected = clean_build(root, tmp_path / f"clean-{attempt}")
            assert now == expected, f"attempt {attempt}: _site/ is neither the old site nor the new one"
        if code == 0 or now != previous:
            assert f"Attempt {attempt}" in now["index.html"].decode(), attempt
        previous = now
        seen_leftovers |= {p.name for p in root.iterdir() if p.name.startswith("_site.")}
    report(
        f"SIGKILL during build: {kills} of {attempts} builds killed ({finished} finished, {swapped} killed "
        f"after the swap), a full build taking {duration:.1f} s; the previous site survived every kill; "
        f"{len(seen_leftovers)} temporary folder(s) left by killed builds, all removed by later builds"
    )
    assert kills >= attempts // 2, (kills, attempts)
    assert seen_leftovers, "no killed build left a temporary folder: the kills came too early to matter"
    set_site_title(root, "After The Kills")
    subprocess.run(command, check=True)
    assert {p.name for p in root.iterdir()} <= {"_site", "content", ".site-cache"}
    # Whatever the kills left in the build cache, the site equals a clean build of the content.
    assert site_tree(out) == clean_build(root, tmp_path / "clean-final")


def kill_when_working(
    command: list[str], ready: Callable[[list[psutil.Process]], bool]
) -> list[psutil.Process]:
    """Start `command`, SIGKILL it once `ready(its children)`; the children it had then.

    Pool workers are forked children; a worker waiting for its next job must not outlive a
    killed run (it inherited the job queue's write end, so it never sees EOF on its own).
    """
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            workers = children_of(process.pid)
            if ready(workers):
                break
            time.sleep(0.005)
        assert process.poll() is None and workers, "the run finished before it could be killed"
        workers = children_of(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return workers
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.slow
def test_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    root = big_site(tmp_path / "site")
    command = [sys.executable, "-m", "site_builder", "--root", str(root), "-q", "build"]

    def rendering(workers: list[psutil.Process]) -> bool:
        temps = [p for p in root.glob("_site.tmp-*") if (p / "papers").is_dir()]
        return bool(workers and temps and len(list((temps[0] / "papers").iterdir())) > 50)

    workers: list[psutil.Process] = []
    try:
        workers = kill_when_working(command, rendering)
        alive = survivors(root, timeout=15)
        assert alive == [], f"{len(alive)} worker(s) still running 15 s after their build was killed"
    finally:
        end_processes(workers, root)


@pytest.mark.slow
def test_tag_workers_die_with_a_killed_ingest(tmp_path: Path) -> None:
    from test_resource_bounds import write_dumps  # the generated 50k corpus, here 6,000 entries

    root = tmp_path / "site"
    write_dumps(root / "content" / "sources", entries=6_000)
    (root / "content" / "papers").mkdir()
    shutil.copyfile(REPO / "content" / "taxonomy.yaml", root / "content" / "taxonomy.yaml")
    command = [sys.executable, "-m", "site_builder", "--root", str(root), "-q", "ingest"]

    def tagging(workers: list[psutil.Process]) -> bool:  # pool workers, not the resource tracker
        return any("resource_tracker" not in command_line(w) for w in workers)

    workers: list[psutil.Process] = []
    try:
        workers = kill_when_working(command, tagging)
        alive = survivors(root, timeout=15)
        assert alive == [], f"{len(alive)} worker(s) still running 15 s after their ingest was killed"
    finally:
        end_processes(workers, root)

"""Property-based render tests: any title and any abstract come out as exactly their text.

The abstract rule, as render/html.py documents and implements it (markdown-it's "zero" preset
with only paragraphs and linkify, raw HTML off, only http(s) links):

- `\\r\\n` and `\\r` become `\\n`, and NUL becomes U+FFFD (CommonMark's normalisation);
- a line holding only spaces and tabs is blank; blank lines separate paragraphs, and the
  lines of one paragraph are kept with their `\\n` between them;
- each paragraph is trimmed of markdown-it's whitespace (`MD_TRIM`, below) at both ends;
- every character is text (`#`, `*`, `1.`, `>`, `&amp;`, `<b>`, backslashes, indentation…);
- a bare `http://` or `https://` URL becomes `<a href>` whose text is the URL as typed.

So `[p.text() for p in <p> elements] == expected_paragraphs(text)`, for any text. Titles
are plain text: the `<h1>`, the `<title>` and `og:title` hold the title exactly, and the
page has the same elements and attributes as it has for a neutral title. Feeds stay
well-formed XML whose entry title is the title (less the characters XML 1.0 cannot carry).

Hypothesis draws from any Unicode text mixed with fragments that matter here (markup,
template syntax, Markdown line starts, URLs, blank lines, odd whitespace). The number of
examples each property ran is printed at the end of the module (visible with -q too).
"""

from __future__ import annotations

import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest
from helpers import Node, parse
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from site_builder.build.feeds import atom_feed
from site_builder.build.layout import Tag
from site_builder.build.pipeline import build_site
from site_builder.build.render.abstracts import render_abstract
from site_builder.build.render.html import Renderer
from site_builder.build.render.tex_text import tex_text
from site_builder.build.render.theme import find_theme
from site_builder.build.render.views import PaperView
from site_builder.core.config import SiteConfig
from site_builder.core.model import Page, Source
from site_builder.core.pages.pagewrite import page_text
from site_builder.core.runtime.hashing import short_hash
from site_builder.core.text import printable

DATA = Path(__file__).parent / "data"
CONFIG = SiteConfig(title="Prop Site", description="Property tests.", base_url="https://example.org/p/")
TAGS = [Tag("agents", "agents", "Agents", "Agents that act.", 1, True)]
RENDERER = Renderer(CONFIG, find_theme(Path("/nonexistent")), TAGS)
ATOM = "{http://www.w3.org/2005/Atom}"
# markdown-it's trim set (markdown_it.common.utils.MD_TRIM_CHARS): JavaScript's String.trim.
MD_TRIM = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
MD_TRIM += "\u2028\u2029\u202f\u205f\u3000"
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits on
# The known bug (test_link_text_is_the_url_as_typed below): a link's text is decoded.
EXAMPLES = {"title": 800, "abstract": 1500, "links": 400, "feed": 600, "site": 30}
RUNS: Counter[str] = Counter()

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</p>",
    "</div></main>",
    "<!--",
    "-->",
    "]]>",
    "</title>",
    "&amp;",
    "&lt;b&gt;",
    "&#169;",
    "{{ 7*7 }}",
    "{% raw %}",
    "{# x #}",
    "# ",
    "## ",
    "* ",
    "- ",
    "1. ",
    "> ",
    "    ",
    "\t",
    "---",
    "===",
    "_x_",
    "**b**",
    "`c`",
    "\\",
    "\\_",
    "[x](javascript:alert(1))",
    "<https://example.org/a>",
    "https://example.org/a_b",
    "http://x.org/(y)",
    "HTTPS://EX.ORG/Z",
    "https://github.com/a/b.",
    "www.example.org",
    "mailto:a@b.c",
    "ftp://x.org",
    "javascript:alert(1)",
    '"',
    "'",
    "\n",
    "\n\n",
    " \n",
    "\n \t \n",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\x00",
    "\x0b",
    "\x0c",
    "\xa0",
    "\u3000",
    "\ufeff",
    "\ufffe",
    "é",
    "e\u0301",
    "🚀",
]


def mixed_text() -> st.SearchStrategy[str]:
    """Any text, interleaved with fragments that mean something to HTML, Jinja, Markdown or XML."""
    return st.lists(st.one_of(st.text(), st.sampled_from(FRAGMENTS)), max_size=12).map("".join)


def single_line(text: str) -> str:
    return "".join(" " if c in LINE_BREAKS else c for c in text)


def expected_paragraphs(text: str) -> list[str]:
    """The documented rule (module docstring), written out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in [*text.split("\n"), ""]:
        if line.strip(" \t"):
            lines.append(line)
        elif lines:
            paragraphs.append("\n".join(lines).strip(MD_TRIM))
            lines = []
    return paragraphs


def shape(node: Node) -> list[tuple[str, tuple[str, ...]]]:
    """Every element with its attribute names, in document order: the page without its text."""
    return [(n.tag, tuple(sorted(n.attrs))) for n in node.iter() if n.tag != "#document"]


def check_abstract_html(html: str, text: str) -> Node:
    dom = parse(html)
    assert [c for c in dom.children if isinstance(c, str) and c.strip()] == []
    paragraphs = [c for c in dom.children if isinstance(c, Node)]
    assert [p.tag for p in paragraphs] == ["p"] * len(paragraphs)
    assert [p.text() for p in paragraphs] == expected_paragraphs(text)
    for p in paragraphs:
        for a in p.iter():
            if a is p:
                continue
            assert a.tag == "a" and set(a.attrs) == {"href"} and not a.find_all("a")[1:], html
            assert [c for c in a.children if not isinstance(c, str)] == []
            assert re.match(r"https?://", a.attrs["href"], re.I), a.attrs
            assert re.match(r"https?://", a.text(), re.I), a.text()
    return dom


@pytest.fixture(scope="module", autouse=True)
def report_examples(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    line = "hypothesis examples run: " + ", ".join(f"{k} {RUNS[k]}" for k in EXAMPLES)
    line += f" (total {sum(RUNS.values())})"
    plugins = request.config.pluginmanager
    reporter, capture = plugins.getplugin("terminalreporter"), plugins.getplugin("capturemanager")
    if reporter is None or capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():  # shown even under -q, without -s
        reporter.write_line(f"\n{__name__}: {line}")


# --- abstracts ------------------------------------------------------------------------------------


@settings(max_examples=EXAMPLES["abstract"], deadline=None)
@given(mixed_text())
@example("One https://github.com/a/b.\n\nTwo http://x.org/a_b_(c) and HTTPS://Y.ORG")
@example("  lead\n  second  \n\n\n\t\n third\u3000")
@example("\u3000\n\nb")
@example("a\n\x0b\nb\x85\n\u2028\nc")
@example("nul\x00x\rcr\r\ncrlf")
def test_abstract_paragraphs_are_exactly_the_text(text: str) -> None:
    RUNS["abstract"] += 1
    check_abstract_html(str(render_abstract(text)), text)


URL = st.builds(
    lambda scheme, host, tld, path: f"{scheme}://{host}.{tld}{path}",
    st.sampled_from(["http", "https", "HTTPS", "Https"]),
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True),
    st.sampled_from(["org", "com", "io", "ai", "co.uk"]),
    st.from_regex(r"(/[A-Za-z0-9_~+=-]{1,12}){0,4}", fullmatch=True),
)
WORD = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9,;:'\"<>&{}#*_-]{0,10}", fullmatch=True).filter(
    lambda w: "://" not in w
)


@settings(max_examples=EXAMPLES["links"], deadline=None)
@given(st.lists(st.one_of(URL, WORD), min_size=1, max_size=12), st.sampled_from([" ", "\n", " \t "]))
def test_bare_web_urls_become_links_whose_text_is_the_url(parts: list[str], sep: str) -> None:
    RUNS["links"] += 1
    text = sep.join(parts)
    dom = check_abstract_html(str(render_abstract(text)), text)
    urls = [p for p in parts if "://" in p]
    links = dom.find_all("a")
    assert [a.text() for a in links] == urls
    assert [a.attrs["href"] for a in links] == urls


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/%41%20b",  # shown as https://example.org/A b
        "https://example.org/%2e%2e/admin",  # shown as https://example.org/../admin
        "https://xn--pple-43d.com/login",  # shown as https://аpple.com/login (Cyrillic а)
        "https://xn--80ak6aa92e.com/",  # shown as https://аррӏе.com/
    ],
)
def test_link_text_is_the_url_as_typed(url: str) -> None:
    text = f"Code at {url} today."
    dom = parse(str(render_abstract(text)))
    assert dom.find("p").text() == text
    assert dom.find("a").text() == url


# --- titles ----------------------------------------------------------------------------------------

BODY = "A fixed abstract with https://example.org/code and a second sentence."
NEUTRAL = PaperView(Page("a-page", "x", BODY, ("agents",), (), (Source("a.txt", 3, "2025-03-12"),)))
NEUTRAL_SHAPE = shape(parse(RENDERER.paper(NEUTRAL)))


@settings(max_examples=EXAMPLES["title"], deadline=None)
@given(mixed_text().map(single_line))
@example("{{ 7*7 }} {% raw %} </title><h1>x</h1> ]]> & \"q\" 'a'")
@example("\x00\x07\x1b\x7f\ufffe\ufeff")
@example("\x149")  # a control character before 49: JSON-LD writes it \u0014
def test_any_title_is_exactly_the_text_of_its_page_and_adds_no_element(title: str) -> None:
    RUNS["title"] += 1
    view = PaperView(Page("a-page", title, BODY, ("agents",), (), (Source("a.txt", 3, "2025-03-12"),)))
    dom = parse(RENDERER.paper(view))
    assert dom.find("h1").text() == title
    assert dom.find("title").text() == (f"{title} · {CONFIG.title}" if title else CONFIG.title)
    assert dom.find("meta", property="og:title").attrs["content"] == (title or CONFIG.title)
    assert shape(dom) == NEUTRAL_SHAPE
    if "49" not in title:  # `{{ 7*7 }}` not evaluated; JSON-LD writes \x14 as \u0014, so "\x149" shows 49
        assert "49" not in re.sub(r"\\u[0-9a-f]{4}", "", dom.text())


# --- feeds -----------------------------------------------------------------------------------------


def xml_text_of(text: str) -> str:
    """What an XML parser gives back for text the feed carried: XML 1.0's characters, \\r as \\n."""
    return re.sub("\r\n?", "\n", NOT_XML.sub("", text))


@settings(max_examples=EXAMPLES["feed"], deadline=None)
@given(mixed_text().map(single_line), mixed_text(), st.lists(mixed_text().map(single_line), max_size=3))
def test_feeds_stay_well_formed_and_carry_the_title(title: str, body: str, tags: list[str]) -> None:
    RUNS["feed"] += 1
    page = Page("a-page", title, body, tuple(tags), (), (Source("a.txt", 3, "2025-03-12"),))
    xml = atom_feed(CONFIG, [page], {}, title=title or None, subtitle=body or None)
    root = ET.fromstring(xml.encode("utf-8"))
    entry = root.find(f"{ATOM}entry")
    assert list(entry.find(f"{ATOM}title")) == []
    assert entry.findtext(f"{ATOM}title") == xml_text_of(title)
    assert entry.findtext(f"{ATOM}summary") == xml_text_of(tex_text(body).strip())  # LaTeX as text
    assert root.findtext(f"{ATOM}title") == xml_text_of(title or CONFIG.title)
    assert [c.get("term") for c in entry.iter(f"{ATOM}category")] == [
        " ".join(xml_text_of(t).replace("\t", " ").split(" ")) for t in dict.fromkeys(tags)
    ]
    parsed = feedparser.parse(xml.encode("utf-8"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == 1


# --- a whole one-page site ------------------------------------------------------------------------


def one_page_site(root: Path, title: str, body: str) -> None:
    (root / "content" / "papers").mkdir(parents=True)
    shutil.copyfile(DATA / "taxonomy.yaml", root / "content" / "taxonomy.yaml")
    page = Page("a-page", title, body, ("agents",), (), (Source("a.txt", 3, "2025-03-12"),))
    generated = {"title": short_hash(title), "body": short_hash(body), "tags": ["agents"]}
    (root / "content" / "papers" / "a-page.md").write_text(page_text(page, generated), encoding="utf-8")


@settings(max_examples=EXAMPLES["site"], deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_text().map(single_line), mixed_text())
@example("<script>alert(1)</script> {{ 7*7 }}", "# not a heading\n\n<b>not bold</b> https://x.org/y")
def test_a_built_one_page_site_shows_title_and_abstract_as_text(title: str, body: str) -> None:
    assume(printable(title).strip())
    RUNS["site"] += 1
    title, body = printable(title), printable(body)  # control characters never reach a page
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        one_page_site(root, title, body)
        build_site(root)
        out = root / "_site"
        dom = parse((out / "papers" / "a-page.html").read_text(encoding="utf-8"))
        # A page file stores the title in YAML and the body after it: the loader strips the
        # title, trims blank lines around the body and reads `\r` as a line end.
        shown_title = tex_text(title.strip())  # LaTeX as text in titles too
        assert dom.find("h1").text() == shown_title
        shown = tex_text(body.replace("\r\n", "\n").replace("\r", "\n").strip("\n"))  # LaTeX as text
        paragraphs = dom.find("div", class_="abstract").find_all("p")
        assert [p.text() for p in paragraphs] == expected_paragraphs(shown)
        home = parse((out / "index.html").read_text(encoding="utf-8"))
        assert home.find("h3", class_="paper-item-title").text() == shown_title
        feed = ET.parse(out / "feed.xml").getroot()
        assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}title") == xml_text_of(shown_title)
        assert not [p for p in out.rglob("*") if p.is_symlink()]

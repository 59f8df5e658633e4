"""Rendering: abstracts as faithful text, the page templates, theme overrides."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import parse

from site_builder.build.archive import build_archive
from site_builder.build.layout import GENERATOR_META, GENERATOR_WITHIN, Listing, PathOf, Tag, paginate
from site_builder.build.render.abstracts import render_abstract
from site_builder.build.render.html import Renderer
from site_builder.build.render.notes import abstract_of, paper_description
from site_builder.build.render.page_text import link_label, snippet, span_text, with_generator
from site_builder.build.render.theme import find_theme
from site_builder.build.render.views import PaperView, Ref
from site_builder.build.trends import Series, chart, month_chart, tag_months
from site_builder.core.config import SiteConfig
from site_builder.core.model import Page, Source
from site_builder.core.text import text_dir

CONFIG = SiteConfig(
    title="Test Site", description="Papers for tests.", base_url="https://example.org/x/", year=2025
)
TAGS = [
    Tag("agents", "agents", "Agents", "Agents that act.", 1, True),
    Tag("odd", "odd", "odd", "", 1, False),
]
PAGE = Page(
    "a-paper",
    "A <Paper> & Co",
    "First paragraph with https://github.com/a/b.\n\nSecond one.",
    ("agents", "odd"),
    ("Old <Title>",),
    (Source("000.txt", 7, "2025-03-12"), Source("001.txt", 9, "2025-03-13")),
    ("https://github.com/a/b", "javascript:alert(1)", "https://arxiv.org/abs/1234.5678"),
)


def renderer(root: Path | None = None) -> Renderer:
    return Renderer(CONFIG, find_theme(root or Path("/nonexistent")), TAGS)


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "{{ 7*7 }} {% raw %}",
        "# heading",
        "* list",
        "- list",
        "1. item",
        "_emphasis_ and *stars* and **bold** and `code`",
        "> quote",
        "text\n    indented code",
        "12.2\\% and \\_x\\_ and a\\\\b",
        "&amp; &lt;b&gt; &#169; &copy;",
        "---",
        "Title\n===",
        "<!-- comment -->",
        "ftp://example.org mailto:a@b.c www.example.org foo@bar.com //example.org",
        "javascript:alert(1) data:text/html,<b>x</b>",
        "]]> </title> </textarea>",
    ],
)
def test_abstract_renders_as_exactly_its_text(text: str) -> None:
    html = render_abstract(text)
    dom = parse(str(html))
    assert [n.tag for n in dom.iter() if n.tag != "#document"] == ["p"]
    assert dom.find("p").text() == text


def test_paragraphs_and_web_links() -> None:
    html = str(render_abstract("One https://github.com/a/b.\n\nTwo http://x.org/a_b_(c) and HTTPS://Y.ORG"))
    dom = parse(html)
    assert [p.text() for p in dom.find_all("p")] == [
        "One https://github.com/a/b.",
        "Two http://x.org/a_b_(c) and HTTPS://Y.ORG",
    ]
    assert [a.attrs["href"] for a in dom.find_all("a")] == [
        "https://github.com/a/b",
        "http://x.org/a_b_(c)",
        "HTTPS://Y.ORG",
    ]


def test_a_url_cannot_break_out_of_its_attribute() -> None:
    dom = parse(str(render_abstract('see https://x.org/"onmouseover="alert(1) now')))
    link = dom.find("a")
    assert set(link.attrs) == {"href"} and link.attrs["href"].startswith("https://x.org/")


def test_snippet_cuts_at_a_word() -> None:
    assert snippet("short  text\n here") == "short text here"
    long = "word " * 100
    cut = snippet(long, 30)
    assert cut.endswith("…") and len(cut) <= 31 and not cut[:-1].endswith(" ")


def test_a_snippet_of_text_without_spaces_keeps_its_length() -> None:
    """A Chinese abstract, with spaces only around `GPT-4`, was cut to `本文研究了 GPT-4…`."""
    text = "本文研究了 GPT-4 在数学推理任务上的能力" + "，我们提出了一种新的方法" * 30
    cut = snippet(text, 200)
    assert cut.endswith("…") and 150 <= len(cut) <= 201
    assert snippet("a " + "x" * 300, 200) == "a " + "x" * 198 + "…"


@pytest.mark.parametrize(
    ("url", "kind", "text"),
    [
        ("https://github.com/a/b", "Code", "github.com/a/b"),
        ("https://www.gitlab.com/a/b/", "Code", "gitlab.com/a/b"),
        ("https://huggingface.co/datasets/x", "Hugging Face", "huggingface.co/datasets/x"),
        ("https://arxiv.org/abs/1", "arXiv", "arxiv.org/abs/1"),
        ("https://me.github.io/project/", "Website", "me.github.io/project"),
        # a browser reads `\\` as `/`: this link goes to evil.example, and says so
        ("https://evil.example\\@github.com/org/repo", "Website", "evil.example/@github.com/org/repo"),
    ],
)
def test_link_labels(url: str, kind: str, text: str) -> None:
    assert link_label(url) == (kind, text)


def test_paper_page() -> None:
    view = PaperView(PAGE, (Ref("other", "Other <b>"),), None, Ref("next-one", "Next"))
    dom = parse(renderer().paper(view))
    assert dom.find("title").text() == "A <Paper> & Co · Test Site"
    assert dom.find("body").attrs["data-root"] == "../"
    assert [t.text() for t in dom.find("p", class_="paper-dates").find_all("time")] == [
        "Mar 13, 2025",
        "Mar 12, 2025",
    ]
    assert [a.attrs["href"] for a in dom.find("ul", class_="tag-list").find_all("a")] == [
        "../tags/agents.html",
        "../tags/odd.html",
    ]
    links = [a.attrs["href"] for a in dom.find("section", class_="paper-links").find_all("a")]
    assert links == [  # links out first, in site.yaml's order; then the page's own (javascript: dropped)
        "https://arxiv.org/abs/1234.5678",
        "https://arxiv.org/pdf/1234.5678",
        "https://huggingface.co/papers/1234.5678",
        "https://www.semanticscholar.org/search?q=A+%3CPaper%3E+%26+Co",
        "https://github.com/a/b",
    ]
    assert [li.text() for li in dom.find("section", class_="paper-sources").find_all("li")] == [
        "Mar 13, 2025: 001.txt, line 9",
        "Mar 12, 2025: 000.txt, line 7",
    ]
    days = [a.attrs["href"] for a in dom.find("p", class_="paper-dates").find_all("a")]
    assert days == ["../archive/2025/03-13.html", "../archive/2025/03-12.html"]
    assert dom.find("section", class_="paper-related").find("a").text() == "Other <b>"
    assert dom.find("section", class_="paper-aliases").find("li").text() == "Old <Title>"
    nav = dom.find("nav", class_="prev-next")
    assert [(a.attrs["rel"], a.attrs["href"]) for a in nav.find_all("a")] == [
        ("next", "../papers/next-one.html")
    ]
    # Which list it walks, said: the site's, newest first ("Next" said nothing of it).
    assert nav.attrs["aria-label"] == "Newer and older papers" and nav.find("a").text().startswith("Older →")
    assert dom.find("link", rel="canonical").attrs["href"] == "https://example.org/x/papers/a-paper.html"
    assert dom.find("meta", property="og:type").attrs["content"] == "article"
    # The paper itself before the site's controls: on a phone arXiv and the PDF came after
    # four buttons (a review of the paper page as a landing page).
    html = renderer().paper(view)
    assert (
        html.index('class="paper-links"') < html.index('class="paper-actions') < html.index("paper-abstract")
    )


def test_a_paper_page_s_description_is_its_abstract_s_opening_as_text() -> None:
    """The page cleans its abstract once for its body and its description (it did twice)."""
    body = "We tune $\\alpha$ with \\textbf{care}. " + "More words follow here. " * 20
    body += "\n\n## Notes\n\nMine, not shown."
    page = replace(PAGE, body=body)
    dom = parse(renderer().paper(PaperView(page, (), None, None)))
    described = dom.find("meta", name="description").attrs["content"]
    assert described == paper_description(page) == paper_description(page, abstract_of(body))
    assert described.startswith("We tune α with care. More words") and "Mine" not in described
    assert dom.find("meta", property="og:description").attrs["content"] == described


def test_a_paper_without_related_papers_says_so_and_where_to_look() -> None:
    """50 of the 365 bundled pages ended without a word where others list related papers; a
    reader took it for a fault."""
    dom = parse(renderer().paper(PaperView(PAGE)))
    note = dom.find("section", class_="paper-related").find("p")
    assert note.text() == (
        "No paper on this site is close enough to this one to show here. "
        "Browse Agents or odd, or search for its title’s words."
    )
    assert [a.attrs["href"] for a in note.find_all("a")] == [
        "../tags/agents.html",
        "../tags/odd.html",
        "../search.html?q=A%20%3CPaper%3E%20%26%20Co",
    ]
    shown = parse(renderer().paper(PaperView(PAGE, (Ref("other", "Other"),))))
    assert shown.find("section", class_="paper-related").find("li").text() == "Other"
    assert not shown.find("section", class_="paper-related").find_all("p")


def test_home_pages_link_each_other() -> None:
    pages = [Page(f"p{i}", f"P {i}", "b", (), (), (Source("a.txt", i, "2025-03-01"),)) for i in range(10)]
    listings = paginate(pages, 3, PathOf("home"))  # front (4), page 2, page 1
    second = parse(renderer().home(listings[1], TAGS))
    assert second.find("body").attrs["data-root"] == "../"
    assert second.find("title").text() == "Papers, Mar 1, 2025 (page 2) · Test Site"
    pager = second.find("nav", class_="pager")
    hrefs = [(a.attrs.get("rel"), a.attrs["href"]) for a in pager.find_all("a")]
    assert hrefs == [("prev", "../index.html"), ("next", "../page/1.html"), (None, "../archive/index.html")]
    assert "of" not in second.find("h1").text()  # no page count: it would change as papers are added
    assert not second.find_all("section", class_="tag-cloud")  # the cloud is on the front page only
    first = parse(renderer().home(listings[0], TAGS))
    assert first.find("title").text() == "Test Site"
    dated = [
        Page(f"p{i}", f"P {i}", "b", (), (), (Source("a.txt", 1, f"2025-03-{i + 1:02}"),)) for i in range(8)
    ]
    descriptions = [  # told apart for search engines, by the days each page holds
        parse(renderer().home(listing, TAGS)).find("meta", name="description").attrs["content"]
        for listing in paginate(dated[::-1], 3, PathOf("home"))  # newest first: front (5), page 1 (3)
    ]
    assert descriptions == [
        "Papers for tests.",
        "Papers for tests. Page 1: papers listed Mar 1, 2025 to Mar 3, 2025.",
    ]
    assert [a.text() for a in first.find("section", class_="tag-cloud").find_all("a")] == [
        "Agents 1 paper",  # the count said as a count, not read as a date ("Mar 326")
        "odd 1 paper",
    ]


def agents_papers(days: list[str]) -> list[Page]:
    """Papers tagged agents listed on these days (oldest first), newest first as lists are."""
    return [
        Page(f"p{i}", f"P {i}", "b", ("agents",), (), (Source("a.txt", 1, day),))
        for i, day in enumerate(days)
    ][::-1]


def test_a_page_deep_in_a_list_says_its_days_and_links_the_newest_and_oldest() -> None:
    """A reviewer's tag of 1,610 papers had 64 pages joined by Newer and Older alone: its
    January papers were 63 clicks away, and "page 63" said nothing of what it held."""
    pages = agents_papers([f"2025-0{1 + i // 10}-{10 + i % 10}" for i in range(20)])
    listings = paginate(pages, 3, PathOf("tag", "agents"))  # front, then pages 5 … 1
    middle = next(listing for listing in listings if listing.number == 3)
    dom = parse(renderer().tag(TAGS[0], middle))
    assert dom.find("title").text() == "Agents, Jan 16 – 18, 2025 (page 3) · Test Site"
    assert dom.find("h1").text() == "Agents — Jan 16 – 18, 2025, page 3"
    pager = dom.find("nav", class_="pager")
    assert [(a.text(), a.attrs["href"]) for a in pager.find_all("a")] == [
        ("« Newest", "../../../tags/agents.html"),
        ("← Newer papers", "../../../tags/agents/page/4.html"),
        ("Older papers →", "../../../tags/agents/page/2.html"),
        ("Oldest »", "../../../tags/agents/page/1.html"),
        ("Browse by month", "../../../archive/index.html"),
        ("Agents by date", "../../../search.html?tag=agents&sort=newest"),
    ]
    home = parse(renderer().home(paginate(pages, 3, PathOf("home"))[1], TAGS))
    assert home.find("title").text() == "Papers, Feb 12 – 14, 2025 (page 5) · Test Site"
    assert "by date" not in home.find("nav", class_="pager").text()
    assert span_text((datetime.date(2025, 11, 28), datetime.date(2025, 12, 3))) == "Nov 28 – Dec 3, 2025"
    assert span_text((datetime.date(2025, 12, 30), datetime.date(2026, 1, 2))) == "Dec 30, 2025 – Jan 2, 2026"
    assert span_text((datetime.date(2025, 12, 30),) * 2) == "Dec 30, 2025"


def test_a_numbered_page_with_undated_papers_says_so() -> None:
    """Papers without a listing day (hand-written pages) sort last, onto page 1: its title
    named only the dated papers' days."""
    dated = agents_papers(["2025-01-10", "2025-01-11"])
    undated = [Page(f"u{i}", f"U {i}", "b", ("agents",)) for i in range(3)]
    listings = paginate([*dated, *undated], 2, PathOf("tag", "agents"))  # front (3), pages 1 (2)
    first = next(listing for listing in listings if listing.number == 1)
    assert [p.slug for p in first.pages] == ["u1", "u2"]
    dom = parse(renderer().tag(TAGS[0], first))
    assert dom.find("title").text() == "Agents, undated (page 1) · Test Site"
    assert dom.find("h1").text() == "Agents — undated, page 1"
    assert (
        dom.find("meta", name="description")
        .attrs["content"]
        .endswith("Page 1: papers without a listing date.")
    )
    three = agents_papers(["2025-01-09", "2025-01-10", "2025-01-11"])
    mixed = next(x for x in paginate([*three, *undated], 2, PathOf("home")) if x.number == 2)
    assert [p.newest for p in mixed.pages] == [datetime.date(2025, 1, 9), None]
    dom = parse(renderer().home(mixed, TAGS))
    assert dom.find("title").text() == "Papers, Jan 9, 2025 and undated (page 2) · Test Site"
    assert (
        dom.find("meta", name="description")
        .attrs["content"]
        .endswith("Page 2: papers listed Jan 9, 2025, and papers without a listing date.")
    )


def test_a_one_page_tag_links_its_papers_by_date_and_names_its_own_feed() -> None:
    """The README promises each tag's papers by date in search; only tags of several pages
    had the link (in their pager). And two links named "Atom feed", the tag's and the
    site's, could not be told apart in a screen reader's list of links (a reviewer)."""
    listing = paginate(
        [Page(f"p{i}", f"P {i}", "b", ("agents",)) for i in range(3)], 10, PathOf("tag", "agents")
    )[0]
    dom = parse(renderer().tag(TAGS[0], listing))
    assert dom.find_all("nav", class_="pager") == []  # one page: no pager, where the link was
    links = [(a.text(), a.attrs["href"]) for a in dom.find("p", class_="subtle").find_all("a")]
    assert links[:2] == [
        ("By date", "../search.html?tag=agents&sort=newest"),
        ("Atom feed of this tag", "../tags/agents.xml"),
    ]
    names = [a.text() for a in dom.find_all("a")]
    assert names.count("Atom feed") == 1  # the footer's: the site's feed


def test_the_saved_page_names_the_published_address_unless_it_is_the_placeholder() -> None:
    """Its Markdown export links the published site (reading.js), not a copy on disk."""
    saved = parse(renderer().saved()).find("ul", id="saved-list")
    assert saved.attrs["data-published"] == "https://example.org/x/"
    placeholder = Renderer(SiteConfig(title="T"), find_theme(Path("/nonexistent")), TAGS)
    assert "data-published" not in parse(placeholder.saved()).find("ul", id="saved-list").attrs


def test_tag_page_deep_in_a_listing() -> None:
    pages = [Page(f"p{i}", f"P {i}", "b", ("agents",)) for i in range(8)]
    listing: Listing = paginate(pages, 2, PathOf("tag", "agents"))[2]
    dom = parse(renderer().tag(TAGS[0], listing))
    assert listing.path == "tags/agents/page/2.html"
    assert dom.find("body").attrs["data-root"] == "../../../"
    assert dom.find("h1").text().startswith("Agents")
    assert dom.find("p", class_="lede").text() == "Agents that act."
    assert dom.find("h2", class_="day-heading").text() == "Undated"
    feeds = [link.attrs["href"] for link in dom.find_all("link", rel="alternate")]
    assert feeds == ["../../../tags/agents.xml", "../../../feed.xml"]  # the tag's own first


def test_a_paper_listed_on_pages_at_any_depth_is_shown_as_each_page_lists_it() -> None:
    """A paper as lists show it is made once a build: each page still shows it with links
    from where that page lies, escaped as the page escapes them, and counts the tags it
    looked up (the build re-renders the page when one of them is retitled)."""
    made = renderer()
    home = paginate([PAGE], 3, PathOf("home"))[0]
    deep = paginate([PAGE] * 8, 2, PathOf("tag", "agents"))[2]  # tags/agents/page/2.html
    for listing, root in ((home, ""), (deep, "../../../"), (home, "")):
        made.looked_up.clear()
        html = made.home(listing, TAGS) if listing is home else made.tag(TAGS[0], listing)
        item = parse(html).find("li", class_="paper-item")
        assert item.find("a").attrs["href"] == f"{root}papers/a-paper.html"
        assert item.find("a").text() == "A <Paper> & Co"
        assert [a.attrs["href"] for a in item.find_all("a", class_="tag")] == [
            f"{root}tags/agents.html",
            f"{root}tags/odd.html",
        ]
        assert made.looked_up >= {"agents", "odd"}
    fresh = renderer()
    assert fresh.tag(TAGS[0], deep) == made.tag(TAGS[0], deep)
    retitled = replace(PAGE, title="Another title")  # the same slug, another page
    listed = parse(made.home(paginate([retitled], 3, PathOf("home"))[0], TAGS))
    assert listed.find("li", class_="paper-item").find("a").text() == "Another title"


def test_not_found_page_is_not_indexed() -> None:
    dom = parse(renderer().not_found())
    assert dom.find("meta", name="robots").attrs["content"] == "noindex"
    assert not dom.find_all("link", rel="canonical")


def test_the_templates_key_pages_by_name_not_by_folder(tmp_path: Path) -> None:
    """A site cloned into another folder (another CI checkout path) keys its pages as before."""
    digests = []
    for folder in ("one", "two"):
        templates = tmp_path / folder / "themes" / "default" / "templates"
        templates.mkdir(parents=True)
        (templates / "base.html").write_text("{% block content %}{% endblock %}", encoding="utf-8")
        digests.append(find_theme(tmp_path / folder).templates_digest())
    assert digests[0] == digests[1]
    (tmp_path / "two" / "themes" / "default" / "templates" / "base.html").write_text(
        "other", encoding="utf-8"
    )
    assert find_theme(tmp_path / "two").templates_digest() != digests[0]


def test_site_templates_override_the_bundled_ones(tmp_path: Path) -> None:
    templates = tmp_path / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<p>Custom 404</p>{% endblock %}'
    )
    static = tmp_path / "themes" / "default" / "static"
    static.mkdir()
    (static / "style.css").write_text("body { color: red }")
    (static / "extra.js").write_text("// mine")
    theme = find_theme(tmp_path)
    assert "Custom 404" in Renderer(CONFIG, theme, TAGS).not_found()
    assert "<h1>Tags</h1>" in Renderer(CONFIG, theme, TAGS).tag_index(TAGS)  # not overridden: bundled
    files, left_out = theme.static_files()
    assert files["style.css"] == static / "style.css" and left_out == []
    assert files["extra.js"] == static / "extra.js"
    assert files["favicon.svg"].parent.parent.name == "default"
    # A static file linked from outside the site is not published, and the build says so
    # (it was dropped without a word).
    outside = tmp_path.parent / f"{tmp_path.name}-shared.css"
    outside.write_text("shared")
    (static / "shared.css").symlink_to(outside)
    files, left_out = theme.static_files(tmp_path)
    assert "shared.css" not in files and [p.path.endswith("shared.css") for p in left_out] == [True]


def test_notes_are_markdown_with_safe_links_only() -> None:
    body = (
        "The abstract, with [a link](https://a.org) left as text.\n\n## Notes\n\n"
        "A **bold** [link](https://b.org), [mail](mailto:me@x.org), [bad](javascript:alert(1)), "
        "[data](data:text/html,x), <script>alert(1)</script> and ![img](https://c.org/i.png)."
    )
    page = Page("n", "N", body, extra={"notes": "From the *field*."})
    dom = parse(renderer().paper(PaperView(page)))
    abstract = dom.find("div", class_="abstract")
    assert abstract.text().strip() == "The abstract, with [a link](https://a.org) left as text."
    notes = dom.find("div", class_="notes")
    assert notes.find("p").text() == "From the field."
    assert [(a.text(), a.attrs["href"]) for a in notes.find_all("a")] == [
        ("link", "https://b.org"),
        ("mail", "mailto:me@x.org"),
        ("img", "https://c.org/i.png"),
    ]
    text = notes.text()
    assert "[bad](javascript:alert(1))" in text and "<script>alert(1)</script>" in text
    assert not notes.find_all("script") and not notes.find_all("img")
    assert dom.find("meta", name="description").attrs["content"].startswith("The abstract, with")


def test_notes_of_a_thousand_bare_addresses_link_only_what_markdown_links() -> None:
    """80 KB of `a://` in a page's notes (a pull request's) took 36 s to build: linkify-it's
    time grows with the square of the `://` in a text. Past a thousand, bare addresses stay
    text, and `[text](url)` links are still links."""
    from site_builder.build.render.notes import LINKIFIED, render_notes

    few = render_notes("See https://x.org/a and [b](https://y.org).")
    assert few.count("<a ") == 2
    many = render_notes("See [b](https://y.org). " + "https://x.org " * LINKIFIED)
    assert many.count("<a ") == 1 and 'href="https://y.org"' in many


def test_without_notes_there_is_no_notes_section() -> None:
    dom = parse(renderer().paper(PaperView(PAGE)))
    assert not dom.find_all("section", class_="paper-notes")


def test_notes_read_as_text_for_the_notes_page_and_blank_notes_are_none() -> None:
    """The notes page shows the start of a paper's notes as the words the paper's page shows,
    without the Markdown around them; raw HTML stays the text it is there too."""
    from site_builder.build.render.notes import notes_text
    from site_builder.core.pages.body import has_notes

    body = "Abstract.\n\n## Notes\n\nA **bold** [link](https://b.org) and <b>raw</b>.\n\n- one\n- two\n\n```\ncode\n```\n"
    page = Page("n", "N", body, extra={"notes": "From the *field*."})
    assert notes_text(page) == "From the field. A bold link and <b>raw</b>. one two code"
    assert has_notes(page) and not has_notes(PAGE)
    assert not has_notes(replace(PAGE, extra={"notes": "  "}))
    assert not has_notes(Page("e", "E", "Abstract.\n\n## Notes\n\n"))


def test_a_month_lists_a_busy_days_first_titles_and_links_the_day_for_the_rest() -> None:
    """At 1,000 papers a month the month page held 3,100 elements; its week and day pages
    list every paper."""
    busy = [
        Page(f"busy-{i:02d}", f"Busy {i:02d}", "b", (), (), (Source("a.txt", 7 + 4 * i, "2025-03-12"),))
        for i in range(20)
    ]
    calm = [
        Page(f"calm-{i}", f"Calm {i}", "b", (), (), (Source("b.txt", 7 + 4 * i, "2025-03-13"),))
        for i in range(3)
    ]
    archive = build_archive([*calm, *busy])
    pages = {p.kind: parse(renderer().period(p)) for p in archive.periods if p.start.month == 3}
    month_titles = [
        a.text() for a in pages["month"].find_all("a") if a.attrs.get("href", "").startswith("../../papers/")
    ]
    assert month_titles == [*(f"Calm {i}" for i in range(3)), *(f"Busy {i:02d}" for i in range(12))]
    more = pages["month"].find("p", class_="more-papers").find("a")
    assert (more.text(), more.attrs["href"]) == (
        "All 20 papers of Mar 12, 2025",
        "../../archive/2025/03-12.html",
    )
    week = [a for a in pages["week"].find_all("a") if a.attrs.get("href", "").startswith("../../papers/")]
    assert len(week) == 23 and not pages["week"].find_all("p", class_="more-papers")


def test_every_list_of_tags_is_in_title_order() -> None:
    """A reviewer found the trends page and search's filters in name order ("Domain
    applications" third, as `applications`), the home page and the tags index by title."""
    tags = [
        Tag("applications", "applications", "Domain applications", "", 2, True),
        Tag("agents", "agents", "Agents", "", 1, True),
        Tag("zeta", "zeta", "Benchmarks", "", 1, True),
    ]
    shown = Renderer(CONFIG, find_theme(Path("/nonexistent")), tags)
    search = parse(shown.search(tags)).find("fieldset", id="search-tags")
    assert [box.attrs["value"] for box in search.find_all("input")] == ["agents", "zeta", "applications"]
    weeks = (datetime.date(2025, 3, 3),)
    charts = [(tag, chart(Series(weeks, (tag.count,)))) for tag in tags]
    trends = parse(shown.trends(charts, [], False, weeks[0]))
    assert [h.find("a").text() for h in trends.find_all("h3")] == [
        "Agents",
        "Benchmarks",
        "Domain applications",
    ]


def test_a_day_whose_papers_were_listed_again_later_says_where_the_rest_are() -> None:
    """A reviewer's month page said "63 of 83" under a day with no word of the other 20,
    shown under the later days that listed them again."""
    again = Page(
        "again", "Again", "b", (), (), (Source("a.txt", 7, "2025-03-12"), Source("b.txt", 7, "2025-03-14"))
    )
    once = Page("once", "Once", "b", (), (), (Source("a.txt", 11, "2025-03-12"),))
    month = next(p for p in build_archive([again, once]).periods if p.kind == "month")
    dom = parse(renderer().period(month))
    heading = dom.find("h2", id="day-2025-03-12")
    assert heading.find("span", class_="count").text() == "1 of 2 papers"
    section = dom.find("section", **{"data-listed": "2025-03-12"})
    note = section.find("p", class_="day-note").text()
    assert note == "1 more of this day’s papers was listed again on a later day and is shown there."


def test_a_tag_page_of_a_long_history_charts_it_by_month_too() -> None:
    pages = agents_papers([f"{2024 + i // 12}-{1 + i % 12:02}-10" for i in range(20)])
    newest = datetime.date(2025, 8, 10)
    weeks = tuple(datetime.date(2024, 1, 8) + datetime.timedelta(weeks=k) for k in range(84))
    weekly = Series(weeks, tuple(1 if k % 4 == 0 else 0 for k in range(84)), running=True)
    months = tag_months({"agents": pages}, newest)["agents"]
    listing = paginate(pages, 25, PathOf("tag", "agents"))[0]
    dom = parse(renderer().tag(TAGS[0], listing, chart(weekly), month_chart(months)))
    assert dom.find("h2", id="trend-heading").text() == "Papers per week, the last 52 weeks"
    assert dom.find("h3", id="months-heading").text() == "Papers per month, since Jan 2024"
    table = dom.find_all("table")[1]
    assert table.find("th").text() == "Month"
    rows = [[td.text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    assert rows[0] == ["Jan 2024", "1"] and rows[-1] == ["Aug 2025 (so far)", "1"] and len(rows) == 20
    assert "busiest month: 1" in dom.find_all("figcaption")[1].text()


def test_the_search_help_names_the_sites_own_year_and_no_file_of_the_owner() -> None:
    """A reader tried the help's `after:2025-01` on a site of 2026 papers (it left out none),
    and read of `content/synonyms.yaml`, a file of the site's owner."""
    dom = parse(renderer().search(TAGS, datetime.date(2026, 6, 17)))
    help_text = dom.find("details", class_="search-help").text()
    assert "after:2026-01" in help_text and "before:2026-03" in help_text and "2025" not in help_text
    assert "synonyms.yaml" not in help_text
    assert "after:2025-01" in parse(renderer().search(TAGS)).find("details", class_="search-help").text()


def test_the_search_help_says_where_an_authors_name_leads_on_a_site_with_authors_only() -> None:
    help_of = lambda html: parse(html).find("details", class_="search-help").text()  # noqa: E731
    assert "lists that author's papers here" in help_of(renderer().search(TAGS, authored=True))
    assert "author" not in help_of(renderer().search(TAGS))


def test_a_day_page_links_its_neighbours_above_and_below_and_names_its_day_once() -> None:
    """A busy day's page is 150 papers tall: its previous/next links were at the bottom only,
    and its h1 "Mar 12, 2025" was said again by an h2 "MAR 12, 2025" over the list."""
    pages = [
        Page(f"p-{day}", f"Paper {day}", "b", (), (), (Source("a.txt", 7, f"2025-03-{day}"),))
        for day in (11, 12, 13)
    ]
    archive = build_archive(pages)
    day = next(p for p in archive.of_kind("day") if p.start == datetime.date(2025, 3, 12))
    dom = parse(renderer().period(day))
    navs = dom.find_all("nav", class_="pager")
    assert [n.attrs["aria-label"] for n in navs] == ["Days, at the top", "Days"]  # landmark names differ
    for nav in navs:
        assert [(a.attrs.get("rel"), a.attrs["href"]) for a in nav.find_all("a")] == [
            ("prev", "../../archive/2025/03-13.html"),
            ("next", "../../archive/2025/03-11.html"),
            (None, "../../archive/index.html"),
        ]
    main = dom.find("main")
    text = main.text()
    assert text.upper().count("MAR 12, 2025") == 1, text
    assert not main.find_all("h2", class_="day-heading")
    assert main.find("h1").attrs["data-listed"] == "2025-03-12"  # "New" marks the day's heading
    # The list comes after the top links, and its papers are still h3s under an h2.
    assert [h.text() for h in main.find_all("h2")] == ["Papers"]
    assert [a.text() for a in main.find_all("h3")] == ["Paper 12"]


def test_save_buttons_carry_the_papers_newest_listing_day() -> None:
    """saved.html finds a saved paper's details among its day's papers in the search files:
    the day is kept with it when saved, from the button (a list's and the paper page's)."""
    dom = parse(renderer().paper(PaperView(PAGE)))
    assert dom.find("button", class_="save-button").attrs["data-day"] == "2025-03-13"
    listing = paginate([PAGE], 10, PathOf("home"))[0]
    home = parse(renderer().home(listing, []))
    assert home.find("button", class_="save-button").attrs["data-day"] == "2025-03-13"


def test_day_and_week_pages_show_their_papers_tags_as_links_with_counts() -> None:
    """The chips a reader filters a day or week by (reading.js): without JavaScript, links
    to the tags' pages, by title, each with how many papers of this page carry it; each paper
    names its tags (`data-tags`) for the filter. A month page has none."""
    tags = [
        Tag("zeta", "zeta", "Alpha last by name", "", 2, True),
        Tag("agents", "agents", "Agents", "", 2, True),
        Tag("odd", "odd", "odd", "", 1, False),
    ]
    day = "2025-03-12"
    pages = [
        Page("p1", "One", "b", ("agents", "zeta"), (), (Source("a.txt", 7, day),)),
        Page("p2", "Two", "b", ("agents", "odd", "agents"), (), (Source("a.txt", 11, day),)),
        Page("p3", "Three", "b", ("zeta",), (), (Source("a.txt", 15, "2025-03-13"),)),
        Page("p4", "Four", "b", (), (), (Source("a.txt", 19, "2025-03-13"),)),
    ]
    render = Renderer(CONFIG, find_theme(Path("/nonexistent")), tags)
    archive = build_archive(pages)
    chips = {}
    for period in archive.periods:
        dom = parse(render.period(period))
        section = dom.find("section", class_="tag-filter") if period.kind != "month" else None
        if section is None:
            assert period.kind == "month" and not dom.find_all("section", class_="tag-filter")
            continue
        links = section.find_all("a", class_="tag")
        chips[period.path] = [
            (a.attrs["href"], a.attrs["data-tag"], " ".join(a.text().split())) for a in links
        ]
        assert section.find("span", role="status").text() == ""
        assert section.find("button", class_="tag-filter-all").attrs.get("hidden") is not None
        shown = {li.attrs.get("data-tags") for li in dom.find_all("li") if "data-tags" in li.attrs}
        assert shown <= {"agents zeta", "agents odd", "zeta"}
    assert chips == {
        "archive/2025/03-12.html": [
            ("../../tags/agents.html", "agents", "Agents 2 papers"),
            ("../../tags/zeta.html", "zeta", "Alpha last by name 1 paper"),
            ("../../tags/odd.html", "odd", "odd 1 paper"),
        ],
        "archive/2025/03-13.html": [("../../tags/zeta.html", "zeta", "Alpha last by name 1 paper")],
        "archive/2025/w11.html": [
            ("../../tags/agents.html", "agents", "Agents 2 papers"),
            ("../../tags/zeta.html", "zeta", "Alpha last by name 2 papers"),
            ("../../tags/odd.html", "odd", "odd 1 paper"),
        ],
    }
    week = parse(render.period(next(p for p in archive.periods if p.kind == "week")))
    titles = [ol.find_all("li") for ol in week.find_all("ol", class_="paper-titles")]
    items = {li.find("a").text(): li.attrs.get("data-tags") for day in titles for li in day}
    assert items == {"One": "agents zeta", "Two": "agents odd", "Three": "zeta", "Four": None}


def test_a_title_mostly_right_to_left_reads_right_to_left_though_it_opens_with_latin() -> None:
    """`dir="auto"` follows a text's first strong letter: an Arabic title opening with
    `LoRA-Pro:` was laid out left to right, on its page, in lists and among related papers
    (a review for a right-to-left reading group)."""
    arabic = replace(
        PAGE, slug="lora-pro", title="LoRA-Pro: هل يمكن للتكييف منخفض الرتبة أن يضاهي الضبط الكامل"
    )
    view = PaperView(arabic, (Ref("a-paper", PAGE.title), Ref("other", arabic.title)))
    dom = parse(renderer().paper(view))
    assert dom.find("h1").attrs["dir"] == "rtl"
    assert [a.attrs["dir"] for a in dom.find("section", class_="paper-related").find_all("a")] == [
        "auto",
        "rtl",
    ]
    assert (text_dir("Quran QA: قُرْآن"), text_dir("KITAB Bench for Arabic OCR ٠١٢٣٤٥٦٧٨٩ كتاب")) == (
        "auto",
        "auto",
    )
    listing = Listing(0, (arabic, PAGE), "index.html", None, None)
    home = parse(renderer().home(listing, TAGS))
    assert [h.attrs["dir"] for h in home.find_all("h3", class_="paper-item-title")] == ["rtl", "auto"]


def test_a_theme_page_gets_the_generator_tag_once_where_a_build_reads_it() -> None:
    """output/folder.py knows a built page by the tag in its first bytes: a theme's page with
    no <head>, <html> or doctype gets it first; one already carrying it behind wide
    characters (more bytes than characters) is left as it is, not given a second."""
    fragment = "<p>A page of its own</p>\n"
    assert with_generator(fragment) == f"{GENERATOR_META}\n{fragment}"
    wide = "<!-- " + "é" * (GENERATOR_WITHIN // 4) + " -->" + GENERATOR_META + "<p>x</p>"
    assert with_generator(wide) == wide


def test_a_paper_page_names_its_authors_under_the_title_as_text() -> None:
    named = replace(PAGE, authors=("<script>alert(1)</script>", "Ada Lovelace"))
    html = renderer().paper(PaperView(named))
    dom = parse(html)
    assert dom.find("p", class_="author-names").text() == "<script>alert(1)</script>, Ada Lovelace"
    assert "<script>alert(1)" not in html
    assert html.index('class="paper-title"') < html.index('class="paper-authors"') < html.index("paper-dates")
    assert not dom.find_all("details", class_="author-all")  # ten or fewer: all of them, once
    assert "paper-authors" not in renderer().paper(PaperView(PAGE))  # none known: nothing said


def test_a_long_author_list_shows_ten_then_et_al_and_every_name_without_javascript() -> None:
    names = tuple(f"Author {n}" for n in range(1, 36))
    dom = parse(renderer().paper(PaperView(replace(PAGE, authors=names))))
    assert dom.find("p", class_="author-names").text() == ", ".join(names[:10]) + ", et al."
    every = dom.find("details", class_="author-all")
    assert every.find("summary").text() == "All 35 authors"
    assert every.find("p").text() == ", ".join(names)


def test_a_list_names_a_papers_first_three_authors_and_nothing_for_a_paper_without() -> None:
    papers = [
        replace(PAGE, slug="many", authors=("A <b>", "B", "C", "D")),
        replace(PAGE, slug="two", authors=("A", "B")),
        replace(PAGE, slug="none"),
    ]
    (listing,) = paginate(papers, 10, PathOf("home"))
    items = parse(renderer().home(listing, TAGS)).find_all("li", class_="paper-item")
    shown = [[p.text() for p in item.find_all("p", class_="paper-item-authors")] for item in items]
    assert shown == [["A <b>, B, C, et al."], ["A, B"], []]


def test_each_author_links_to_the_search_page_filtered_by_that_name() -> None:
    """A name leads to the site's papers by that author: search.html?author=NAME, relative
    (file:// and a sub-path), the name URL-encoded in the address and escaped as text, the
    ten shown and every name in the fold alike; a page without authors has no such link."""
    names = ("Jane Doe", "Ana María López-Vidal", 'A&B <x> "Q" 50%+1 #?/', *(f"Author {n}" for n in range(9)))
    html = renderer().paper(PaperView(replace(PAGE, authors=names)))
    dom = parse(html)
    shown = dom.find("p", class_="author-names").find_all("a", class_="author-link")
    every = dom.find("details", class_="author-all").find_all("a", class_="author-link")
    assert [a.text() for a in shown] == list(names[:10]) and [a.text() for a in every] == list(names)
    assert [a.attrs["href"] for a in shown[:3]] == [
        "../search.html?author=Jane%20Doe",
        "../search.html?author=Ana%20Mar%C3%ADa%20L%C3%B3pez-Vidal",
        "../search.html?author=A%26B%20%3Cx%3E%20%22Q%22%2050%25%2B1%20%23%3F/",
    ]
    assert "<x>" not in html and "&lt;x&gt;" in html
    assert dom.find("p", class_="author-names").text() == ", ".join(names[:10]) + ", et al."
    assert "author-link" not in renderer().paper(PaperView(PAGE))


def test_a_paper_pages_authors_keep_their_order_whatever_their_scripts() -> None:
    """As in lists: each linked name, the ten shown and every one in the fold, is isolated, so
    "李小龍, محمد الأحمد, יעל כהן" does not read with the third author second."""
    names = ("李小龍", "محمد الأحمد", "יעל כהן", *(f"Author {n}" for n in range(9)))
    dom = parse(renderer().paper(PaperView(replace(PAGE, authors=names))))
    for where in (dom.find("p", class_="author-names"), dom.find("details", class_="author-all")):
        links = where.find_all("a", class_="author-link")
        assert [[b.text() for b in a.find_all("bdi")] for a in links] == [[a.text()] for a in links]
    assert [a.text() for a in dom.find("p", class_="author-names").find_all("a")][:3] == list(names[:3])


def test_a_lists_authors_keep_their_order_whatever_their_scripts() -> None:
    """Names in right-to-left scripts next to each other in a left-to-right line ran together
    into one right-to-left run: "李小龍, محمد الأحمد, יעל כהן" read "李小龍, יעל כהן ,محمد الأحمد",
    the third author shown second and the comma on the wrong side. Each name is isolated."""
    names = ("李小龍", "محمد الأحمد", "יעל כהן", "<b>")
    (listing,) = paginate([replace(PAGE, slug="mixed", authors=names)], 10, PathOf("home"))
    line = parse(renderer().home(listing, TAGS)).find("p", class_="paper-item-authors")
    assert [bdi.text() for bdi in line.find_all("bdi")] == list(names[:3])
    assert line.text() == "李小龍, محمد الأحمد, יעל כהן, et al."

"""End to end: build the fixture site and look at what a reader (and a crawler) gets."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from helpers import FIXTURE_SITE, broken_links, copy_site, parse, read_dom, tree, write_synthetic_pages
from ingest_helpers import make_site

from bench.common import read_site_pages
from site_builder.build import workers
from site_builder.build.cache import CACHE_DIR
from site_builder.build.jobs import SitePlan
from site_builder.build.output.sitedir import STAGING_MARK
from site_builder.build.pipeline import build_site
from site_builder.build.render.html import Renderer
from site_builder.build.render.theme import find_theme
from site_builder.cli import main
from site_builder.commands.check import check_site
from site_builder.commands.check_content import content_check, unmade_image_of
from site_builder.core.runtime import parallel
from site_builder.core.taxonomy import TagDef, Taxonomy, unknown_tag

HOSTILE_TITLE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) "
    '{{ 7*7 }} {% raw %} ]]> </title> & "quoted"'
)
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org/some-repo/"


def fixture_pages() -> list:
    pages, problems = read_site_pages(FIXTURE_SITE / "content" / "papers")
    assert problems == []
    return pages


# --- what the site contains ---------------------------------------------------------------------


def test_every_page_is_there(built_site: Path) -> None:
    files = set(tree(built_site))
    slugs = [p.slug for p in fixture_pages()]
    assert len(slugs) == 12
    assert {f"papers/{s}.html" for s in slugs} | {"papers/index.html"} == {
        f for f in files if f.startswith("papers/")
    }
    # 12 papers at 4 a page: the front page holds the newest 4, pages 2 and 1 (counted from the
    # oldest) the rest; a tag of 5 papers fits on its front page; the unknown tag gets a page too.
    assert {"index.html", "page/2.html", "page/1.html"} <= files
    assert "page/3.html" not in files
    for tag in ("agents", "evaluation", "inference", "reasoning", "quantum-stuff"):
        assert {f"tags/{tag}.html", f"tags/{tag}.xml"} <= files
    assert not any(f.startswith("tags/inference/page/") for f in files)
    assert {
        "archive/index.html",
        "archive/2025/03.html",
        "archive/2025/03-12.html",
        "archive/2025/w11.html",
    } <= files
    assert {"tags/index.html", "feed.xml", "sitemap.xml", "robots.txt", "404.html", ".nojekyll"} <= files
    assert {"search.html", "assets/style.css", "assets/search.js", "assets/search-index.js"} <= files


def test_internal_links_resolve(built_site: Path) -> None:
    assert broken_links(built_site) == []


def test_check_command_finds_nothing_wrong(built_site: Path) -> None:
    assert check_site(built_site) == []


def test_sitemap_lists_every_html_page_but_404_saved_and_search(built_site: Path) -> None:
    root = ET.parse(built_site / "sitemap.xml").getroot()
    locs = [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]
    assert locs == sorted(locs) and len(locs) == len(set(locs))
    as_files = {("index.html" if u == BASE else u.removeprefix(BASE)) for u in locs}
    html = {f for f in tree(built_site) if f.endswith(".html")}
    folders = {
        f for f in html if f.endswith("/index.html") and f != "archive/index.html" and f != "tags/index.html"
    }
    assert folders == {
        "papers/index.html",
        "archive/2025/index.html",
        "page/index.html",
    }  # a folder's address: no page of its own
    # None is for search engines: the search page and the reading list are empty without
    # JavaScript (a reviewer found search.html indexable, with the home page's description).
    assert as_files == html - {"404.html", "saved.html", "search.html"} - folders
    for name in ("404.html", "saved.html", "search.html"):
        assert '<meta name="robots" content="noindex">' in (built_site / name).read_text(), name
    assert (
        built_site / "robots.txt"
    ).read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_a_folders_address_leads_to_the_page_listing_it(tmp_path: Path) -> None:
    """A reader trimmed `archive/2026/03.html` to `archive/2026/`, `tags/reasoning/page/2.html`
    to `tags/reasoning/`, a paper's address to `papers/`: each was a 404."""
    site = copy_site(tmp_path / "site")
    config = site / "content" / "site.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("per_page: 4", "per_page: 2"), encoding="utf-8"
    )
    out = site / "_site"
    build_site(site, out=out)
    leads = {
        "papers/index.html": "../archive/index.html",
        "archive/2025/index.html": "../index.html#year-2025",
        "tags/inference/index.html": "../inference.html",
        # a numbered page's address trimmed to its folder (a reviewer met a bare 404)
        "page/index.html": "../index.html",
        "tags/inference/page/index.html": "../../inference.html",
    }
    for path, href in leads.items():
        dom = read_dom(out / path)
        assert f'content="0; url={href}"' in (out / path).read_text(encoding="utf-8"), path
        # An instant refresh is a permanent redirect to Google, with the canonical beside it;
        # a noindex there conflicted with both (a reviewer). A link preview gets a card.
        assert not dom.find_all("meta", name="robots")
        target = read_dom((out / path).parent / href.split("#")[0])  # the canonical is the target's own
        canonical = dom.find("link", rel="canonical").attrs["href"].split("#")[0]
        assert canonical == target.find("link", rel="canonical").attrs["href"], path
        assert dom.find("meta", name="twitter:card").attrs["content"] == "summary"
        assert dom.find("meta", property="og:type").attrs["content"] == "website"
        assert dom.find("a").attrs["href"] == href
    assert not (out / "tags" / "agents" / "index.html").exists()  # no numbered pages: no folder
    assert check_site(out) == []
    # A tag renamed keeps its folders' addresses too: the rename took them away (a review).
    taxonomy = site / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace("- name: inference\n", "- name: serving\n    aliases: [inference]\n"))
    build_site(site, out=out)
    for path in ("tags/inference/index.html", "tags/inference/page/index.html"):
        assert 'url=../serving.html"' in (out / path).read_text(encoding="utf-8").replace("../../", "../"), (
            path
        )
    assert (out / "tags" / "serving" / "index.html").exists()
    assert check_site(out) == []


def test_home_lists_newest_listing_first_grouped_by_date(built_site: Path) -> None:
    dom = read_dom(built_site / "index.html")
    assert dom.find("h1").text().strip() == "Fixture Papers"
    days = [h.text() for h in dom.find_all("h2", class_="day-heading")]
    assert days == ["Mar 12, 2025"]
    titles = [a.text() for a in dom.find("main").find_all("h3")]
    assert titles[:2] == [
        "Speculative Decoding with Draft Trees",
        "KV Cache Compression for Long-Context Serving",
    ]
    cloud = {a.attrs["href"]: a.text() for a in dom.find("section", class_="tag-cloud").find_all("a")}
    assert cloud["tags/inference.html"] == "Efficient Inference 5 papers"
    oldest = read_dom(built_site / "page" / "1.html")
    assert [h.text() for h in oldest.find_all("h2", class_="day-heading")][-1] == "Mar 10, 2025"
    # A day's anchor is its date: `#day-2` pointed at another day once a day was added.
    assert [h.attrs["id"] for h in oldest.find_all("h2", class_="day-heading")][-1] == "day-2025-03-10"
    month = read_dom(built_site / "archive" / "2025" / "03.html")
    assert "day-2025-03-12" in [h.attrs["id"] for h in month.find_all("h2", class_="day-heading")]


def test_paper_page_shows_everything_about_the_paper(built_site: Path) -> None:
    dom = read_dom(built_site / "papers" / "a-benchmark-for-multi-step-math-reasoning.html")
    assert dom.find("title").text() == "A Benchmark for Multi-Step Math Reasoning · Fixture Papers"
    assert [t.attrs["datetime"] for t in dom.find("p", class_="paper-dates").find_all("time")] == [
        "2025-03-12",
        "2025-03-11",
    ]
    assert {a.attrs["href"] for a in dom.find("header", class_="paper-header").find_all("a")} == {
        "../archive/2025/03-12.html",
        "../archive/2025/03-11.html",
        "../tags/evaluation.html",
        "../tags/reasoning.html",
    }
    paragraphs = dom.find("div", class_="abstract").find_all("p")
    assert len(paragraphs) == 2 and paragraphs[1].text().startswith("The benchmark and the evaluation")
    sources = dom.find("section", class_="paper-sources").text()
    assert "000_fixture.txt" in sources and "001_fixture.txt, line 7" in sources
    assert 1 <= len(dom.find("section", class_="paper-related").find_all("a")) <= 5
    nav = dom.find("nav", class_="prev-next")
    assert [a.attrs["rel"] for a in nav.find_all("a")] == ["prev", "next"]
    meta = {
        m.attrs.get("name") or m.attrs.get("property"): m.attrs.get("content") for m in dom.find_all("meta")
    }
    assert meta["og:url"] == BASE + "papers/a-benchmark-for-multi-step-math-reasoning.html"
    assert meta["description"].startswith("We introduce a benchmark")
    assert dom.find("link", rel="canonical").attrs["href"] == meta["og:url"]


def test_a_paper_page_tells_search_engines_what_paper_it_is(built_site: Path, tmp_path: Path) -> None:
    """A reader arrives from a search engine, which reads a paper page's schema.org data
    (JSON-LD): the paper's title, first day and tags, and the arXiv paper it is. A title
    that reads as markup stays inside the data."""
    dom = read_dom(built_site / "papers" / "how-well-do-judges-judge.html")
    [script] = [s for s in dom.find_all("script") if s.attrs.get("type") == "application/ld+json"]
    data = json.loads(script.text())
    assert data["@type"] == "ScholarlyArticle" and data["headline"] == "How Well Do LLM Judges Judge?"
    assert data["url"] == BASE + "papers/how-well-do-judges-judge.html"
    assert data["datePublished"] == "2025-03-11" and data["keywords"] == ["Evaluation"]
    assert data["sameAs"] == "https://arxiv.org/abs/2403.01234"
    assert data["isPartOf"]["url"] == BASE
    site = copy_site(tmp_path / "site")
    page = site / "content" / "papers" / "how-well-do-judges-judge.md"
    hostile = "</script><script>alert(1)</script>"
    page.write_text(page.read_text().replace("title: How Well Do LLM Judges Judge?", f"title: '{hostile}'"))
    build_site(site, out=tmp_path / "_site", cache=False)
    built = tmp_path / "_site" / "papers" / "how-well-do-judges-judge.html"
    html = built.read_text()
    assert html.count("<script") == html.count("</script>") == 3  # search.js, reading.js, the data
    [script] = [s for s in read_dom(built).find_all("script") if s.attrs.get("type") == "application/ld+json"]
    assert json.loads(script.text())["name"] == hostile


def test_a_paper_page_can_be_saved_to_a_reference_manager(tmp_path: Path) -> None:
    """Zotero's and Mendeley's browser buttons and Google Scholar read a paper from its
    Highwire Press tags (`citation_*`): its title, each author, its date, its arXiv id and
    PDF. A paper without an arXiv id names no PDF."""
    site = copy_site(tmp_path / "site")
    page = site / "content" / "papers" / "how-well-do-judges-judge.md"
    page.write_text(
        page.read_text().replace(
            "tags: [evaluation]\n", "tags: [evaluation]\nauthors: [Ada Lovelace, 'Ng, Andrew']\n"
        )
    )
    build_site(site, out=tmp_path / "_site", cache=False)

    def citation_tags(name: str) -> list[tuple[str, str]]:
        dom = read_dom(tmp_path / "_site" / "papers" / name)
        metas = [m.attrs for m in dom.find_all("meta") if m.attrs.get("name", "").startswith("citation_")]
        return [(m["name"], m["content"]) for m in metas]

    assert citation_tags("how-well-do-judges-judge.html") == [
        ("citation_title", "How Well Do LLM Judges Judge?"),
        ("citation_author", "Ada Lovelace"),
        ("citation_author", "Ng, Andrew"),
        ("citation_publication_date", "2025/03/11"),
        ("citation_arxiv_id", "2403.01234"),
        ("citation_pdf_url", "https://arxiv.org/pdf/2403.01234"),
    ]
    without_id = citation_tags("quantum-annealing-for-attention.html")
    assert [name for name, _ in without_id] == ["citation_title", "citation_publication_date"]


def test_links_found_in_the_abstract_are_listed(built_site: Path) -> None:
    dom = read_dom(built_site / "papers" / "agents-that-plan-with-tools.html")
    links = [
        (li.find("span").text(), li.find("a").attrs["href"])
        for li in dom.find("section", class_="paper-links").find_all("li")
        if li.find_all("span")  # not the links out
    ]
    assert links == [
        ("Website:", "https://example.org/agents-plan/"),
        ("Hugging Face:", "https://huggingface.co/datasets/example/plans"),
    ]
    assert "Planning Agents with Tools" in dom.find("section", class_="paper-aliases").text()


def test_unknown_tag_gets_a_page_and_a_warning(tmp_path: Path) -> None:
    report = build_site(FIXTURE_SITE, out=tmp_path / "_site", cache=False)
    assert [w.format() for w in report.warnings] == [
        "content/papers/quantum-annealing-for-attention.md:4: warning: tag 'quantum-stuff' is "
        "not in content/taxonomy.yaml (used by 1 page(s)); its tag page has no description — add it to the "
        "taxonomy or fix the pages"
    ]
    dom = read_dom(tmp_path / "_site" / "tags" / "quantum-stuff.html")
    assert dom.find("h1").text() == "quantum-stuff"
    assert not dom.find_all("p", class_="lede")


@pytest.mark.parametrize(
    ("count", "used_by"),
    [
        (1, "(used by 1 page(s))"),
        (2, "(used by 2 page(s); also p2.md)"),
        (3, "(used by 3 page(s); also p2.md, p3.md)"),
        (4, "(used by 4 page(s); also p2.md, p3.md, p4.md)"),
        (9, "(used by 9 page(s); also p2.md, p3.md, p4.md and 5 more)"),
    ],
)
def test_unknown_tag_names_a_few_other_pages_and_how_many_more(count: int, used_by: str) -> None:
    """Past three other pages the warning said "…": now how many more, as every list does."""
    taxonomy = Taxonomy((TagDef("reasoning", "Reasoning", ""),))
    files = [f"content/papers/p{n}.md" for n in range(1, count + 1)]
    problem = unknown_tag("reasonng", files, taxonomy)
    assert problem.format() == (
        f"content/papers/p1.md: warning: tag 'reasonng' is not in content/taxonomy.yaml {used_by}; "
        "did you mean 'reasoning'? its tag page has no description — add it to the taxonomy or fix the pages"
    )


def test_every_page_has_the_header_contract(built_site: Path) -> None:
    for path in sorted(built_site.rglob("*.html")):
        rel = path.relative_to(built_site).as_posix()
        # 404.html is served at any depth: its links are absolute paths from base_url.
        root = "/some-repo/" if rel == "404.html" else "../" * rel.count("/")
        if 'http-equiv="refresh"' in path.read_text(encoding="utf-8"):
            continue  # a folder's address, which only leads on to its page
        dom = read_dom(path)
        assert dom.find("body").attrs["data-root"] == root, rel
        form = dom.find("form", class_="site-search")
        assert (form.attrs["role"], form.attrs["action"], form.attrs["method"]) == (
            "search",
            f"{root}search.html",
            "get",
        )
        field = form.find("input", id="site-search-input")
        assert (field.attrs["name"], field.attrs["type"]) == ("q", "search")
        assert field.attrs["dir"] == "auto"  # an Arabic query was laid out left to right (a reviewer)
        if rel == "search.html":
            assert dom.find("input", id="search-page-input").attrs["dir"] == "auto"
        assert form.find("label").attrs["for"] == "site-search-input"
        popup = dom.find("div", id="search-popup")
        assert "hidden" in popup.attrs and popup.text() == ""
        scripts = [
            s.attrs.get("src") for s in dom.find_all("script") if s.attrs.get("type") != "application/ld+json"
        ]
        version = dom.find("body").attrs["data-assets"]  # the theme's files, asked for under it
        assert f"{root}assets/search.js?v={version}" in scripts and None not in scripts, rel
        assert dom.find("html").attrs["lang"] == "en"
        csp = dom.find("meta", **{"http-equiv": "Content-Security-Policy"}).attrs["content"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp
        assert dom.find_all("main", id="main") and dom.find("a", class_="skip-link").attrs["href"] == "#main"


def test_build_report_counts_and_timings(tmp_path: Path) -> None:
    report = build_site(FIXTURE_SITE, out=tmp_path / "_site", parallel=False, cache=False)
    assert (report.papers, report.tags, report.feeds) == (12, 5, 7)  # the site, 5 tags, the notes
    html = {f: data for f, data in tree(tmp_path / "_site").items() if f.endswith(".html")}
    pages = [f for f, data in html.items() if b'http-equiv="refresh"' not in data]  # not folders' addresses
    assert report.html_pages == len(pages) == len(html) - 3  # papers/, archive/2025/, page/
    assert report.files == len(tree(tmp_path / "_site"))
    assert report.bytes == sum(len(b) for b in tree(tmp_path / "_site").values())
    assert list(report.timings) == ["load", "related", "plan", "render", "write", "search", "carry", "swap"]
    assert report.summary(verbose=False)[0].startswith(f"built 12 papers into {tmp_path / '_site'}: ")
    assert report.summary(verbose=True)[2:] == [
        *[f"  {stage:<8} {secs:8.3f} s" for stage, secs in report.timings.items()],
        "  related papers scored for 12 of 12 papers",  # no cache: every paper
    ]


# --- hostile content stays text -----------------------------------------------------------------


def test_hostile_title_and_body_render_as_text(built_site: Path) -> None:
    page = built_site / "papers" / "hostile-markup-test.html"
    dom = read_dom(page)
    assert dom.find("h1").text() == HOSTILE_TITLE
    assert dom.find("title").text() == f"{HOSTILE_TITLE} · Fixture Papers"
    body = (FIXTURE_SITE / "content" / "papers" / "hostile-markup-test.md").read_text().split("---\n", 2)[2]
    assert dom.find("div", class_="abstract").text().strip() == body.strip()
    # Only the http(s) URL became a link; javascript: did not, in the body nor in `links:`.
    hrefs = [a.attrs["href"] for a in dom.iter("a")]
    assert "https://example.org/ok" in hrefs
    assert {urlsplit(h).scheme for h in hrefs} <= {"", "https"}  # (links out search for the title)
    for tag in ("img", "h4", "ul", "ol", "em", "li"):
        inside = dom.find("div", class_="abstract").find_all(tag)
        assert inside == [], tag


def test_no_markup_injected_anywhere(built_site: Path) -> None:
    for path in sorted(built_site.rglob("*.html")):
        dom = read_dom(path)
        assert not dom.find_all("img"), path
        for node in dom.iter():
            assert not [a for a in node.attrs if a.startswith("on")], path
            if node.tag == "script" and node.attrs.get("type") == "application/ld+json":
                assert isinstance(json.loads(node.text()), dict), path  # data, not run
            elif node.tag == "script":
                src = node.attrs.get("src", "").split("?v=")[0]
                assert src.endswith(("assets/search.js", "assets/reading.js")), path
                assert node.text() == "", path
        assert "alert(1)</script>" not in path.read_text()


def test_hostile_strings_in_feeds_and_sitemap_stay_text(built_site: Path) -> None:
    for name in ("feed.xml", "tags/evaluation.xml"):
        root = ET.parse(built_site / name).getroot()
        entry = next(
            e for e in root.iter(f"{ATOM}entry") if "hostile-markup-test" in e.find(f"{ATOM}link").get("href")
        )
        assert entry.findtext(f"{ATOM}title") == HOSTILE_TITLE
        assert entry.findtext(f"{ATOM}summary").startswith(HOSTILE_TITLE + "\n# heading\n* list")
        assert [child.tag for child in entry.find(f"{ATOM}title")] == []
    ET.parse(built_site / "sitemap.xml")


# --- feeds --------------------------------------------------------------------------------------


def test_feeds_are_valid_atom(built_site: Path) -> None:
    for path in [built_site / "feed.xml", *sorted((built_site / "tags").glob("*.xml"))]:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "atom10"
        assert feed.feed.title.startswith("Fixture Papers")
        for entry in feed.entries:
            assert entry.id.startswith("urn:uuid:")
            assert entry.link.startswith(BASE + "papers/")
            assert (built_site / entry.link.removeprefix(BASE)).is_file()
    site = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert len(site.entries) == 12  # feed_size 10, and the rest of the tenth's listing day
    assert len({e.updated for e in site.entries[9:]}) == 1
    assert site.entries[0].updated == "2025-03-12T12:00:00Z"


def test_entry_ids_are_stable_across_builds_and_base_urls(built_site: Path, tmp_path: Path) -> None:
    build_site(FIXTURE_SITE, out=tmp_path / "_site", base_url="https://user.github.io/repo", cache=False)
    ids = [e.id for e in feedparser.parse((built_site / "feed.xml").read_bytes()).entries]
    moved = feedparser.parse((tmp_path / "_site" / "feed.xml").read_bytes())
    assert [e.id for e in moved.entries] == ids
    assert moved.entries[0].link.startswith("https://user.github.io/repo/papers/")
    canonical = read_dom(tmp_path / "_site" / "index.html").find("link", rel="canonical").attrs["href"]
    assert canonical == "https://user.github.io/repo/"


# --- deterministic, atomic ----------------------------------------------------------------------


def test_rebuild_is_byte_identical(built_site: Path, tmp_path: Path) -> None:
    build_site(FIXTURE_SITE, out=tmp_path / "again", cache=False)
    assert tree(tmp_path / "again") == tree(built_site)


@pytest.mark.parametrize("threads", [1, 2], ids=["fork", "spawn"])
def test_parallel_and_serial_builds_are_identical(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    monkeypatch.setattr(parallel.threading, "active_count", lambda: threads)  # >1: spawn
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    monkeypatch.setattr(workers, "SPAWNED_MIN", 1)
    monkeypatch.setattr(workers, "BATCH", 3)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    report = build_site(FIXTURE_SITE, out=tmp_path / "parallel", parallel=True, cache=False)
    assert tree(tmp_path / "parallel") == tree(built_site)
    assert report.files == len(tree(built_site))


def test_parallel_lists_go_to_the_main_process_first_and_the_helpers_last(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paper as lists show it is made once per process (`Renderer._paper_item`): the main
    process takes the pages from the front of a queue with the lists first, the helpers from
    its back, so the lists fall to one process. Taken turn about, each process made nearly
    every paper's item (18,090 for 10,000 papers, a second of CPU in a cold build)."""
    log = tmp_path / "rendered"
    render, main = SitePlan.render, os.getpid()

    def logged(plan: SitePlan, renderer: Renderer, job: tuple[str, int]) -> str:
        with log.open("a") as f:  # one line each, from whichever process renders the page
            f.write(f"{os.getpid()} {job[0] in workers.LISTS}\n")
        if os.getpid() == main:  # the helper then reaches the lists' batches, as on a busy machine
            time.sleep(0.05)
        return render(plan, renderer, job)

    monkeypatch.setattr(SitePlan, "render", logged)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)  # forked helpers, whatever ran before
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    monkeypatch.setattr(workers, "BATCH", 3)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    build_site(FIXTURE_SITE, out=tmp_path / "parallel", parallel=True, cache=False)
    assert tree(tmp_path / "parallel") == tree(built_site)
    shown: dict[int, list[bool]] = {}
    for line in log.read_text().splitlines():
        pid, is_list = line.split()
        shown.setdefault(int(pid), []).append(is_list == "True")
    assert sum(map(len, shown.values())) > 3 * workers.BATCH  # enough pages to share
    for pid, lists in shown.items():
        # From the front: lists, then the rest; from the back: the rest, then lists.
        expected = sorted(lists, reverse=pid == os.getpid())
        assert lists == expected, f"{'main' if pid == os.getpid() else 'helper'} rendered {lists}"


def test_a_hand_edit_shows_up_on_the_next_build(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    page = root / "content" / "papers" / "self-consistency-at-scale.md"
    page.write_text(page.read_text().replace("majority vote", "hand-edited vote"))
    build_site(root)
    assert "hand-edited vote" in (root / "_site" / "papers" / "self-consistency-at-scale.html").read_text()


def test_leftovers_of_killed_builds_are_cleaned(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    dead = root / "_site.tmp-999999999-abc_1234"  # no such pid
    (dead / "papers").mkdir(parents=True)
    (dead / STAGING_MARK).touch()  # as a build makes it
    build_site(root)
    assert not dead.exists()
    assert sorted(p.name for p in root.iterdir()) == [".site-cache", "_site", "content"]


def test_an_unmarked_leftover_of_a_killed_build_is_kept_and_named_on_every_build(tmp_path: Path) -> None:
    """A build of a version before the staging mark (3f5d348, 2026-12-03) killed while it
    wrote left `_site.tmp-PID-XXXXXXXX/` half full and unmarked. That version deleted it on
    its next build; an upgrade keeps it, as it may be a person's, and said nothing, so it
    stayed beside the site for good (3 MB at 200 papers)."""
    root = copy_site(tmp_path / "site")
    left = root / "_site.tmp-999999999-4bf0ikdj"  # no such pid
    (left / "papers").mkdir(parents=True)
    (left / "papers" / "half.html").write_text("<p>half a site</p>")
    said = (
        "named as a build's temporary folder, but not marked as one, so kept: a build killed "
        "while it wrote, under a version of site_builder before 2026-12-05, leaves such a "
        "folder; delete it if nothing in it is yours"
    )
    for _ in range(2):  # the second build makes nothing: it is said all the same
        report = build_site(root)
        assert [p.format() for p in report.warnings if p.path == str(left)] == [f"{left}: warning: {said}"]
        assert (left / "papers" / "half.html").read_text() == "<p>half a site</p>"


def test_refuses_to_replace_a_folder_that_is_not_a_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.tex").write_text("do not delete")
    root = copy_site(tmp_path / "site")
    assert main(["--root", str(root), "build", "--out", str(precious)]) == 1
    assert "refusing to replace this folder" in capsys.readouterr().err
    assert (precious / "thesis.tex").read_text() == "do not delete"


# --- failures are reported, and the previous site stays -------------------------------------------


def _built_copy(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    root = copy_site(tmp_path / "site")
    assert main(["--root", str(root), "-q", "build"]) == 0
    return root, tree(root / "_site")


def test_invalid_site_yaml_fails_with_place_and_keeps_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, before = _built_copy(tmp_path)
    config = root / "content" / "site.yaml"
    config.write_text(config.read_text().replace("per_page: 4", "per_page: zero"))
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 1
    captured = capsys.readouterr()
    # Named from the site's root, as ingest names it (`--root` is not part of the name).
    assert (
        captured.err
        == "content/site.yaml:6: error: 'per_page': expected a whole number of at least 1, got 'zero'\n"
    )
    assert "Traceback" not in captured.out + captured.err
    assert tree(root / "_site") == before
    assert sorted(p.name for p in root.iterdir()) == [".site-cache", "_site", "content"]


def test_every_broken_page_is_listed_and_the_site_stays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, before = _built_copy(tmp_path)
    papers = root / "content" / "papers"
    (papers / "unclosed.md").write_text("---\ntitle: Unclosed\nslug: unclosed\n")
    (papers / "bad-yaml.md").write_text("---\ntitle: Bad\ntags: [a, b\n---\nBody\n")
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("content/papers/bad-yaml.md:") and "invalid YAML in front matter" in err[0]
    assert (
        err[1] == "content/papers/unclosed.md:1: error: front matter is not closed: add a line '---' after it"
    )
    assert len(err) == 2
    assert tree(root / "_site") == before


def test_a_template_mistake_is_reported_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, before = _built_copy(tmp_path)
    override = root / "themes" / "default" / "templates" / "404.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        '{% extends "base.html" %}\n{% block content %}\n<p>{{ no_such_thing }}</p>\n{% endblock %}\n'
    )
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 1
    assert capsys.readouterr().err == (
        "themes/default/templates/404.html:3: error: template error: 'no_such_thing' is undefined "
        "(while making 404.html)\n"
    )
    assert tree(root / "_site") == before


def test_a_template_mistake_one_page_trips_names_that_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`{{ page.extra.discussed }}` in a paper override failed on the pages without the key,
    and the message did not say which of 366 papers it was making."""
    root, before = _built_copy(tmp_path)
    override = root / "themes" / "default" / "templates" / "paper.html"
    override.parent.mkdir(parents=True)
    base = Path(workers.__file__).parent.parent / "themes" / "default" / "templates" / "paper.html"
    text = base.read_text()
    override.write_text(
        text.replace("{% block content %}", "{% block content %}\n<p>{{ page.extra.discussed }}</p>", 1)
    )
    page = sorted((root / "content" / "papers").glob("*.md"))[0]
    page.write_text(page.read_text().replace("\n---\n", "\ndiscussed: 2026-01-14\n---\n", 1))
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 1  # in the helper processes too
    err = capsys.readouterr().err
    assert err.startswith("themes/default/templates/paper.html:") and "has no attribute 'discussed'" in err
    assert err.rstrip().endswith(".html)") and "(while making papers/" in err
    assert tree(root / "_site") == before


def test_a_bad_base_url_is_a_usage_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = copy_site(tmp_path / "site")
    out = tmp_path / "o"
    assert main(["--root", str(root), "build", "--out", str(out), "--base-url", "example.org"]) == 2
    assert capsys.readouterr().err.endswith(
        "site-builder build: error: argument --base-url: expected an absolute http(s) URL such as "
        "https://user.github.io/repo/, got 'example.org'\n"
    )
    assert not out.exists()


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    write_synthetic_pages(root / "content" / "papers", 1200)
    assert main(["--root", str(root), "-q", "build"]) == 0
    before = tree(root / "_site")
    (root / "content" / "papers" / "paged-attention-revisited.md").unlink()
    shutil.rmtree(root / ".site-cache")  # a cold build, slow enough to be caught writing
    command = [sys.executable, "-m", "site_builder", "--root", str(root), "build", "--serial"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            temps = [p for p in root.glob("_site.tmp-*") if (p / "papers").is_dir()]
            if temps and len(list((temps[0] / "papers").iterdir())) > 20:
                break
            time.sleep(0.01)
        assert process.poll() is None, "the build finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert tree(root / "_site") == before
    assert list(root.glob("_site.tmp-*")), "the killed build left its temporary folder"
    assert main(["--root", str(root), "-q", "build"]) == 0
    assert sorted(p.name for p in root.iterdir()) == [".site-cache", "_site", "content"]
    assert not (root / "_site" / "papers" / "paged-attention-revisited.html").exists()


def test_a_second_build_of_the_same_site_waits_for_the_first(tmp_path: Path) -> None:
    """Builds patch `_site/` in place: two at once must not interleave their renames."""
    fcntl = pytest.importorskip("fcntl")
    root = copy_site(tmp_path / "site")
    (root / CACHE_DIR).mkdir(parents=True)
    command = [sys.executable, "-m", "site_builder", "--root", str(root), "-q", "build"]
    with open(root / CACHE_DIR / "lock", "a+b") as running:
        fcntl.flock(running, fcntl.LOCK_EX)  # a build of this site, as far as the next one can tell
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        assert process.stderr is not None
        said = process.stderr.readline()
        assert "another build of this site is running; waiting" in said, said
        assert not (root / "_site").exists()  # nothing made while it waits
    assert process.wait(timeout=120) == 0  # the lock released: it builds
    assert (root / "_site" / "index.html").is_file()


def test_check_command_reports_a_broken_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = _built_copy(tmp_path)
    (root / "_site" / "papers" / "self-consistency-at-scale.html").unlink()
    assert main(["--root", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert "<a href='../papers/self-consistency-at-scale.html'>: no such file in the site" in err
    assert (
        "sitemap.xml: error: https://example.org/some-repo/papers/self-consistency-at-scale.html: no such page"
        in err
    )


def test_empty_site_builds(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    for page in (root / "content" / "papers").glob("*.md"):
        page.unlink()
    report = build_site(root)
    assert report.papers == 0 and report.warnings[0].message.startswith("no pages to build")
    assert "No papers yet." in (root / "_site" / "index.html").read_text()
    # The tags page: not every tag of the taxonomy as "0 papers", above nothing (a reviewer).
    index = parse((root / "_site" / "tags" / "index.html").read_text())
    assert not index.find_all("ul", class_="tag-index") and "0 papers" not in index.text()
    assert index.find("p", class_="tag-index-empty").text().startswith("Tags: Agents, ")
    assert broken_links(root / "_site") == []
    tag = parse((root / "_site" / "tags" / "agents.html").read_text())
    assert tag.find("h1").text() == "Agents"
    # An empty tag page is no answer to a search: not indexed, not in the sitemap (a new
    # site offered search engines 20 pages saying "No papers yet").
    assert tag.find("meta", name="robots").attrs["content"] == "noindex"
    assert "tags/agents.html" not in (root / "_site" / "sitemap.xml").read_text()
    assert check_site(root / "_site") == []


# --- the reader's tools ----------------------------------------------------------------------------


def test_a_persons_notes_render_apart_from_the_abstract(built_site: Path) -> None:
    dom = read_dom(built_site / "papers" / "how-well-do-judges-judge.html")
    abstract = dom.find("div", class_="abstract").text()
    assert abstract.strip().endswith("See https://github.com/example/judges.") and "Notes" not in abstract
    notes = dom.find("section", class_="paper-notes")
    assert notes.find("h2").text() == "Notes"
    body = notes.find("div", class_="notes")
    assert body.find("p").text() == "Read for the reading group, week 12."
    assert body.find("em").text() == "reading group"
    links = [(a.text(), a.attrs["href"]) for a in body.find_all("a")]
    assert links == [
        ("the MT-Bench paper", "https://arxiv.org/abs/2306.05685"),
        ("someone@example.org", "mailto:someone@example.org"),
    ]
    assert "[this](javascript:alert(1)) <b>raw</b> tag." in body.text() and not body.find_all("b")
    assert [li.text() for li in body.find_all("li")] == [
        "position bias: swap the order",
        "ask someone@example.org",
    ]
    # The page's arXiv id (a front-matter field) gives the links out; the listing snippet is the abstract.
    hrefs = [a.attrs["href"] for a in dom.find("section", class_="paper-links").find_all("a")]
    assert hrefs[:2] == ["https://arxiv.org/abs/2403.01234", "https://arxiv.org/pdf/2403.01234"]
    day = read_dom(built_site / "archive" / "2025" / "03-11.html")
    snippets = [p.text() for p in day.find_all("p", class_="paper-item-snippet")]
    mine = [s for s in snippets if s.startswith("LLM-as-a-judge")]
    assert len(mine) == 1 and "MT-Bench" not in mine[0] and "reading group" not in mine[0]


def test_tag_pages_chart_their_papers_per_week(built_site: Path) -> None:
    dom = read_dom(built_site / "tags" / "inference.html")
    svg = dom.find("svg", class_="trend-chart")
    assert svg.attrs["role"] == "img"
    assert svg.attrs["aria-labelledby"] == "trend-title"  # its name; the description apart
    assert svg.attrs["aria-describedby"] == "trend-desc"
    assert svg.find("title").text() == "Papers tagged Efficient Inference per week"
    assert [r.attrs.get("class") for r in svg.find_all("rect")] == ["running"]  # the site's newest week
    rows = [[td.text() for td in tr.find_all("td")] for tr in dom.find("table").find("tbody").find_all("tr")]
    assert rows == [["Mar 10, 2025 (so far)", "5"]]
    assert not read_dom(built_site / "index.html").find_all("svg")
    trends = read_dom(built_site / "trends.html")
    assert len(trends.find_all("svg")) == 5
    assert trends.find("p", class_="empty").text() == (
        "Nothing to compare yet: rising tags are named once the site has 8 whole weeks of listings, with "
        "papers in the last 4 and in the 4 before them (the week still running does not count)."
    )


def test_a_preview_image_is_on_every_page_with_a_large_card(tmp_path: Path) -> None:
    """Shared links unfurled without a picture (a reviewer): with `image:` set, every page
    names it, absolute, and asks X for a large card; without it, no page names one."""
    site = copy_site(tmp_path / "site")
    config = site / "content" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "image: assets/card.png\n", encoding="utf-8")
    static = site / "themes" / "default" / "static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    build_site(site, out=site / "_site")
    for rel in ("index.html", "papers/how-well-do-judges-judge.html", "tags/inference.html"):
        dom = read_dom(site / "_site" / rel)
        assert dom.find("meta", property="og:image").attrs["content"] == f"{BASE}assets/card.png", rel
        assert dom.find("meta", name="twitter:card").attrs["content"] == "summary_large_image"
    assert (site / "_site" / "assets" / "card.png").is_file()


@pytest.mark.parametrize(
    ("image", "hint"),
    [
        ("card.png", "; did you mean assets/card.png (themes/default/static/card.png)?"),
        ("assets/Card.png", "; did you mean assets/card.png (themes/default/static/card.png)?"),
        (
            "assets/logo.png",
            ": put logo.png in themes/default/static/, which the site has at assets/logo.png",
        ),
    ],
)
def test_a_preview_image_the_site_does_not_have_is_named_at_its_line(
    tmp_path: Path, image: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`image: card.png` with the picture in themes/default/static/ (so at assets/card.png):
    every page's og:image named an address that is not found, shared links unfurled without
    a picture, and build and check said nothing. The build says so at the key's line."""
    site = copy_site(tmp_path / "site")
    config = site / "content" / "site.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + f"image: {image}\n", encoding="utf-8")
    static = site / "themes" / "default" / "static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    report = build_site(site, out=site / "_site")
    line = len(text.splitlines()) + 1
    said = (
        f"content/site.yaml:{line}: warning: 'image': {image} is no file of the built site, "
        f"so link previews show no picture{hint}"
    )
    assert said in [w.format() for w in report.warnings]
    home = read_dom(site / "_site" / "index.html")
    assert home.find("meta", property="og:image").attrs["content"] == f"{BASE}{image}"  # as written
    again = build_site(site, out=site / "_site")  # nothing changed: said again all the same
    assert again.unchanged and said in [w.format() for w in again.warnings]
    # `check` says it too, and passes (a CI log shows check's lines; it said "site OK").
    assert main(["--root", str(site), "check"]) == 0
    assert said in capsys.readouterr().err.splitlines()


def test_a_preview_image_the_site_has_or_keeps_or_links_is_not_warned_of(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    config = site / "content" / "site.yaml"
    text = config.read_text(encoding="utf-8")
    for image in ("assets/style.css", "https://cdn.example.org/card.png"):  # a file the build makes; a URL
        config.write_text(text + f"image: {image}\n", encoding="utf-8")
        assert not [w for w in build_site(site, out=site / "_site").warnings if "'image'" in w.message]
    # a picture a person keeps in the output folder, which builds never remove (`keep_files:`)
    config.write_text(text + "image: share/card.png\nkeep_files: [share]\n", encoding="utf-8")
    (site / "_site" / "share").mkdir()
    (site / "_site" / "share" / "card.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert not [w for w in build_site(site, out=site / "_site").warnings if "'image'" in w.message]
    config_read, theme = content_check(site).config, find_theme(site)
    assert unmade_image_of(site, site / "_site", config_read, theme) == []  # nor does `check`


def test_paper_pages_carry_sharing_tags_and_a_citation(built_site: Path) -> None:
    dom = read_dom(built_site / "papers" / "how-well-do-judges-judge.html")
    meta = {
        m.attrs.get("name") or m.attrs.get("property"): m.attrs.get("content") for m in dom.find_all("meta")
    }
    assert meta["og:title"] == meta["twitter:title"] == "How Well Do LLM Judges Judge?"
    assert meta["twitter:card"] == "summary" and meta["article:published_time"] == "2025-03-11"
    assert "og:image" not in meta  # none set: none named
    assert meta["og:description"].startswith("LLM-as-a-judge evaluation is popular")
    assert dom.find("p", id="citation-text").text() == (  # its `arxiv:` id: the paper comes first
        "How Well Do LLM Judges Judge? arXiv:2403.01234, https://arxiv.org/abs/2403.01234. "
        f"Listed Mar 11, 2025. {BASE}papers/how-well-do-judges-judge.html"
    )
    assert dom.find("pre", id="bibtex-text").text() == (
        "@misc{arxiv-2403.01234,\n  title = {{How Well Do LLM Judges Judge?}},\n  year = {2024},\n"
        "  eprint = {2403.01234},\n  archivePrefix = {arXiv},\n  url = {https://arxiv.org/abs/2403.01234}\n}"
    )
    copy = [b.text() for b in dom.find_all("button", class_="cite-button")]
    assert copy == ["Copy citation", "Copy BibTeX"]
    other = read_dom(built_site / "papers" / "paged-attention-revisited.html")  # no arXiv id
    assert other.find_all("pre", id="bibtex-text") == []
    assert [b.text() for b in other.find_all("button", class_="cite-button")] == ["Copy citation"]
    actions = dom.find("div", class_="paper-actions")
    assert "hidden" in actions.attrs  # reading.js shows it
    assert [b.attrs.get("data-save") or b.attrs.get("data-read") for b in actions.find_all("button")][:2] == [
        "how-well-do-judges-judge",
        "how-well-do-judges-judge",
    ]


def test_every_listed_paper_has_a_hidden_save_button(built_site: Path) -> None:
    for rel in ("index.html", "tags/agents.html", "archive/2025/w11.html", "archive/2025/03-12.html"):
        dom = read_dom(built_site / rel)
        links = [
            a
            for a in dom.find("main").find_all("a")
            if a.attrs["href"].startswith("../" * rel.count("/") + "papers/")
        ]
        buttons = dom.find("main").find_all("button", class_="save-button")
        assert [b.attrs["data-save"] for b in buttons] == [
            a.attrs["href"].rsplit("/", 1)[1].removesuffix(".html") for a in links
        ], rel
        assert all("hidden" in b.attrs for b in dom.find("main").find_all("button")), rel  # the filter's too


@pytest.mark.parametrize("listed", ["1969-12-31", "1900-03-12", "9999-12-31"])
def test_a_hand_written_date_no_listing_has_builds_as_undated(tmp_path: Path, listed: str) -> None:
    """A reviewer's `Mar 12, 1969` made the search index loop forever, `9999-12-31` overflowed
    the archive; such a date (ingest refuses it in a dump) is a page's text, not a date."""
    root = copy_site(tmp_path / "site")
    page = root / "content" / "papers" / "a-benchmark-for-multi-step-math-reasoning.md"
    page.write_text(page.read_text().replace("listed: 2025-03-11", f"listed: {listed}"))
    (root / "content" / "papers" / "only-then.md").write_text(
        f"---\ntitle: Only Then\nsources:\n- {{file: x.txt, line: 1, listed: {listed}}}\n---\nA body.\n"
    )
    build_site(root, tmp_path / "out", parallel=False)
    assert "Only Then" in (tmp_path / "out" / "papers" / "only-then.html").read_text()


def test_a_day_of_one_paper_is_described_as_one_paper(tmp_path: Path) -> None:
    """Its meta and og:description said "1 papers listed on …" (the page's text said "1 paper")."""
    site = copy_site(tmp_path / "site")
    for page in sorted((site / "content" / "papers").glob("*.md"))[1:]:
        page.unlink()
    build_site(site)
    days = sorted((site / "_site" / "archive").rglob("??-??.html"))  # its page lists it twice
    descriptions = [read_dom(day).find("meta", name="description").attrs["content"] for day in days]
    assert descriptions and all(d.startswith("1 paper listed on ") for d in descriptions)


def test_a_tag_of_more_than_a_year_is_also_charted_by_month(tmp_path: Path) -> None:
    """A reviewer: a two-year site showed its first year nowhere."""
    root = copy_site(tmp_path / "site")
    papers = root / "content" / "papers"
    for slug, listed in (("early-agents", "2023-01-10"), ("late-agents", "2024-03-10")):
        (papers / f"{slug}.md").write_text(
            f"---\ntitle: {slug}\nslug: {slug}\ntags: [agents]\n"
            f"sources:\n- {{file: a.txt, line: 1, listed: {listed}}}\n---\nAn abstract.\n",
            encoding="utf-8",
        )
    out = root / "_site"
    build_site(root, out=out)
    heading = read_dom(out / "tags" / "agents.html").find("h3", id="months-heading")
    assert heading.text() == "Papers per month, since Jan 2023"
    assert "months-heading" not in (out / "tags" / "inference.html").read_text(encoding="utf-8")


# --- a page a person writes ---------------------------------------------------------------------

TWO_DAYS = """Mar 13, 2026

Prefix Caching for Batched Serving

We batch requests by shared prefix and reuse the KV cache across a batch of them.

Mar 15, 2026

Skipping Steps in Chain of Thought

Chain-of-thought prompting helps models solve math problems; we learn to skip steps.
"""


def test_a_page_written_by_hand_is_placed_by_its_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`date:` on a page of no dump was ignored: the page came last on the home page, and no
    archive page, feed or sitemap date had it. Ingest still leaves the page as written."""
    site = make_site(tmp_path / "site")
    (site / "content" / "sources" / "2026-03-15.txt").write_text(TWO_DAYS, encoding="utf-8")
    mine = site / "content" / "papers" / "my-note.md"
    written = (
        "---\ntitle: My Note on Sparse Attention\ndate: 2026-03-14\n---\nSparse attention, in my words.\n"
    )
    mine.write_text(written, encoding="utf-8")
    for command in ("ingest", "build", "ingest"):
        assert main(["--root", str(site), command]) == 0, capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == written
    out = site / "_site"
    home = (out / "index.html").read_text(encoding="utf-8")
    order = [home.index(title) for title in ("Skipping Steps", "My Note on Sparse", "Prefix Caching")]
    assert order == sorted(order)
    for archive in ("2026/03-14.html", "2026/w11.html", "2026/03.html"):
        assert "My Note on Sparse Attention" in (out / "archive" / archive).read_text(encoding="utf-8")
    entry = next(e for e in feedparser.parse(out / "feed.xml").entries if e.title.startswith("My Note"))
    assert entry.published.startswith("2026-03-14")
    lastmod = {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in ET.parse(out / "sitemap.xml").getroot()
    }
    assert lastmod["https://example.org/papers/my-note.html"] == "2026-03-14"

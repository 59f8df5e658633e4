"""The notes page (build/layout.py `noted_pages`, jobs.py): every published paper with notes, in
one list (`reading-notes.html`) and one feed (`reading-notes.xml`), linked from every page's footer only
while there is one; a reading group's "what have we read, and what did we say"."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import copy_site, read_dom, tree

from site_builder.build.layout import root_for
from site_builder.build.pipeline import build_site
from site_builder.commands.check import check_site
from site_builder.core.errors import SiteError

ATOM = "{http://www.w3.org/2005/Atom}"
NOTED = "how-well-do-judges-judge"  # the fixture's one paper with notes (a field and a section)
JUDGES_START = (
    "Read for the reading group, week 12. Compare with the MT-Bench paper and "
    "[this](javascript:alert(1)) <b>raw</b> tag. position bias: swap the order ask someone@example.org"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


def page_file(root: Path, slug: str) -> Path:
    return root / "content" / "papers" / f"{slug}.md"


def add_notes(root: Path, slug: str, notes: str) -> None:
    """A `## Notes` section under the page's abstract, as a person writes one."""
    page = page_file(root, slug)
    page.write_text(page.read_text(encoding="utf-8") + f"\n## Notes\n\n{notes}\n", encoding="utf-8")


def make_draft(root: Path, slug: str) -> None:
    page = page_file(root, slug)
    page.write_text(
        page.read_text(encoding="utf-8").replace("\ntags:", "\ndraft: true\ntags:", 1), encoding="utf-8"
    )


def remove_notes(root: Path, slug: str) -> None:
    """The `notes:` field and the `## Notes` section taken off the page."""
    page = page_file(root, slug)
    text = page.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("notes:")]
    page.write_text("".join(lines).split("\n## Notes")[0] + "\n", encoding="utf-8")


def cold(root: Path, tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "cold"
    shutil.rmtree(out, ignore_errors=True)
    build_site(root, out=out, cache=False)
    return tree(out)


def footer_links(path: Path) -> dict[str, str]:
    footer = read_dom(path).find("footer")
    return {a.text(): a.attrs["href"] for a in footer.find_all("a")}


def linking_notes(out: Path) -> list[str]:
    """The site's files that name the notes page or feed."""
    return sorted(
        rel
        for rel, data in tree(out).items()
        if b"reading-notes.html" in data or b"reading-notes.xml" in data
    )


def test_the_notes_page_lists_the_noted_papers_newest_first_with_their_notes_as_text(site: Path) -> None:
    add_notes(site, "agents-that-plan-with-tools", "We read this. <script>alert(1)</script> Then **more**.")
    add_notes(site, "self-consistency-at-scale", "A draft's note.")
    make_draft(site, "self-consistency-at-scale")
    build_site(site)
    out = site / "_site"
    dom = read_dom(out / "reading-notes.html")
    assert dom.find("h1").text() == "Reading notes"
    items = dom.find("main").find_all("li", class_="paper-item")
    links = [(li.find("h3").find("a").text(), li.find("h3").find("a").attrs["href"]) for li in items]
    assert links == [
        ("Agents That Plan with Tools", "papers/agents-that-plan-with-tools.html"),
        ("How Well Do LLM Judges Judge?", f"papers/{NOTED}.html"),
    ]
    starts = [li.find("p", class_="note-start").text() for li in items]
    assert starts == ["We read this. <script>alert(1)</script> Then more.", JUDGES_START]
    assert [[a.text() for a in li.find_all("a", class_="tag")] for li in items] == [
        ["Agents"],
        ["Evaluation"],
    ]
    days = [t.attrs["datetime"] for t in dom.find("main").find_all("time")]
    assert days == ["2025-03-12", "2025-03-11"]  # each paper under its listing day, newest first
    raw = (out / "reading-notes.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "A draft's note" not in raw and "Self-Consistency" not in raw
    # Every footer links it, relatively (a sub-path, file://), and marks it here.
    for rel in (
        "index.html",
        "papers/paged-attention-revisited.html",
        "tags/agents.html",
        "archive/2025/03-12.html",
    ):
        assert footer_links(out / rel)["Reading notes"] == f"{root_for(rel)}reading-notes.html", rel
    here = read_dom(out / "reading-notes.html").find("footer").find_all("a")
    assert [a.attrs.get("aria-current") for a in here if a.text() == "Reading notes"] == ["page"]
    # ... as the home page's "Browse" line and a paper's notes do.
    browse = read_dom(out / "index.html").find("p", class_="archive-links").find_all("a")
    assert [a.attrs["href"] for a in browse if a.text() == "the reading notes"] == ["reading-notes.html"]
    more = read_dom(out / f"papers/{NOTED}.html").find("p", class_="notes-more").find("a")
    assert more.attrs["href"] == "../reading-notes.html"
    # Every list marks a paper with notes, with a link to them.
    day = read_dom(out / "archive/2025/03-12.html").find("main").find_all("a", class_="notes-mark")
    assert [a.attrs["href"] for a in day] == ["../../papers/agents-that-plan-with-tools.html#notes-heading"]
    assert "https://example.org/some-repo/reading-notes.html" in (out / "sitemap.xml").read_text(
        encoding="utf-8"
    )
    assert check_site(out) == []


def test_the_notes_page_names_a_papers_authors_as_every_list_does(site: Path) -> None:
    """Lists show a paper's first three authors; the notes page, which came the same day as
    authors, showed none: a reading group saw what it read but not whose it was."""
    page = page_file(site, NOTED)
    authors = "authors: [李小龍, محمد الأحمد, '<b>Ada</b> & Co', Alan Turing]\n"
    page.write_text(page.read_text(encoding="utf-8").replace("\nslug:", "\n" + authors + "slug:", 1), "utf-8")
    add_notes(site, "agents-that-plan-with-tools", "No authors here.")
    build_site(site)
    out = site / "_site"
    shown = {
        li.find("h3").find("a").text(): [p.text() for p in li.find_all("p", class_="paper-item-authors")]
        for li in read_dom(out / "reading-notes.html").find("main").find_all("li", class_="paper-item")
    }
    day = read_dom(out / "archive/2025/03-11.html").find("main").find("p", class_="paper-item-authors")
    assert day.text() == "李小龍, محمد الأحمد, <b>Ada</b> & Co, et al."
    assert shown == {"How Well Do LLM Judges Judge?": [day.text()], "Agents That Plan with Tools": []}
    assert "<b>Ada" not in (out / "reading-notes.html").read_text(encoding="utf-8")


def test_a_site_without_notes_has_no_notes_page_feed_or_link(site: Path) -> None:
    remove_notes(site, NOTED)
    add_notes(site, "self-consistency-at-scale", "Only a draft has notes.")
    make_draft(site, "self-consistency-at-scale")
    build_site(site)
    out = site / "_site"
    assert not (out / "reading-notes.html").exists() and not (out / "reading-notes.xml").exists()
    assert linking_notes(out) == []
    assert "Reading notes" not in footer_links(out / "index.html")
    assert not read_dom(out / "index.html").find_all("a", class_="notes-mark")
    assert check_site(out) == []


def test_adding_changing_and_removing_notes_gives_the_cold_build_and_touches_only_what_shows_them(
    site: Path, tmp_path: Path
) -> None:
    build_site(site)
    out = site / "_site"
    before = tree(out)
    page = page_file(site, NOTED)
    page.write_text(page.read_text(encoding="utf-8").replace("week 12", "week 13"), encoding="utf-8")
    build_site(site)
    after = tree(out)
    assert after == cold(site, tmp_path)
    changed = {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}
    assert changed == {f"papers/{NOTED}.html", "reading-notes.html", "reading-notes.xml"}
    assert "week 13" in (out / "reading-notes.html").read_text(encoding="utf-8")
    # The last note removed: no page, no feed, no link, as a cold build.
    remove_notes(site, NOTED)
    build_site(site)
    assert tree(out) == cold(site, tmp_path)
    assert linking_notes(out) == [] and not (out / "reading-notes.html").exists()
    # A note again, on another paper.
    add_notes(site, "paged-attention-revisited", "Discussed on Friday.")
    build_site(site)
    assert tree(out) == cold(site, tmp_path)
    items = read_dom(out / "reading-notes.html").find("main").find_all("li", class_="paper-item")
    assert [li.find("p", class_="note-start").text() for li in items] == ["Discussed on Friday."]


def test_the_notes_feed_holds_every_noted_paper_with_its_notes(site: Path) -> None:
    add_notes(site, "agents-that-plan-with-tools", "We read this. <script>alert(1)</script>")
    build_site(site)
    out = site / "_site"
    feed = ET.parse(out / "reading-notes.xml").getroot()
    assert feed.find(f"{ATOM}title").text == "Fixture Papers: reading notes"  # type: ignore[union-attr]
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [  # type: ignore[union-attr]
        "Agents That Plan with Tools",
        "How Well Do LLM Judges Judge?",
    ]
    content = [e.find(f"{ATOM}content") for e in entries]
    assert [c.get("type") for c in content if c is not None] == ["html", "html"]
    html = content[1].text or ""  # type: ignore[union-attr]
    assert "<em>reading group</em>" in html and 'href="javascript' not in html  # as the paper's page
    assert "&lt;script&gt;" in (content[0].text or "")  # type: ignore[union-attr]
    # Its entries are the notes, not the papers: ids of their own beside the site's feed.
    site_ids = {
        e.find(f"{ATOM}id").text for e in ET.parse(out / "feed.xml").getroot().findall(f"{ATOM}entry")
    }  # type: ignore[union-attr]
    note_ids = {e.find(f"{ATOM}id").text for e in entries}  # type: ignore[union-attr]
    assert len(note_ids) == 2 and not note_ids & site_ids
    alternate = read_dom(out / "reading-notes.html").find_all("link", rel="alternate")
    assert [link.attrs["href"] for link in alternate] == ["reading-notes.xml", "feed.xml"]
    # A feed reader offers the feed by the title the page gives it: the feed's own.
    assert alternate[0].attrs["title"] == "Atom feed: Fixture Papers: reading notes"
    assert (
        read_dom(out / "reading-notes.html").find("a", href="reading-notes.xml").text()
        == "The notes as an Atom feed"
    )
    assert check_site(out) == []


def test_many_noted_papers_are_paginated_as_other_lists(site: Path) -> None:
    """12 noted papers at `per_page: 4`: the front page and two numbered pages, oldest first."""
    for path in sorted((site / "content" / "papers").glob("*.md")):
        if path.stem != NOTED:
            add_notes(site, path.stem, f"Notes on {path.stem}.")
    build_site(site)
    out = site / "_site"
    pages = ["reading-notes.html", "reading-notes/page/2.html", "reading-notes/page/1.html"]
    counts = [len(read_dom(out / rel).find("main").find_all("li", class_="paper-item")) for rel in pages]
    assert counts == [4, 4, 4]
    pager = read_dom(out / "reading-notes.html").find("nav", class_="pager")
    assert {a.text(): a.attrs["href"] for a in pager.find_all("a")}[
        "Older papers →"
    ] == "reading-notes/page/2.html"
    oldest = read_dom(out / "reading-notes/page/1.html")
    assert footer_links(out / "reading-notes/page/1.html")["Reading notes"] == "../../reading-notes.html"
    assert oldest.find("h1").text() == "Reading notes — Mar 10, 2025, page 1"
    for folder in ("reading-notes/index.html", "reading-notes/page/index.html"):  # a trimmed address leads on
        assert "url=" in (out / folder).read_text(encoding="utf-8"), folder
    assert check_site(out) == []


def test_a_page_of_your_own_cannot_take_the_notes_page_s_name(site: Path) -> None:
    """`reading-notes` is the site's; `notes`, a word a reading group may well use for a page
    of its own (how it takes notes), stays free: a site with such a page builds as before."""
    folder = site / "content" / "pages"
    folder.mkdir()
    (folder / "notes.md").write_text("---\ntitle: How we take notes\n---\nHi.\n", encoding="utf-8")
    build_site(site)
    assert "How we take notes" in (site / "_site" / "notes.html").read_text(encoding="utf-8")
    (folder / "reading-notes.md").write_text("---\ntitle: Our notes\n---\nHi.\n", encoding="utf-8")
    with pytest.raises(SiteError) as err:
        build_site(site)
    said = (
        "content/pages/reading-notes.md:1: error: 'reading-notes' is a name the site uses for its own pages"
    )
    assert said in str(err.value)

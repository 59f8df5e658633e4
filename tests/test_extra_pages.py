"""Pages a person writes that are not papers (content/pages/*.md): an About page and the like."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import copy_site, fed_pipe, read_dom, tree

from site_builder.build.pipeline import build_site
from site_builder.build.render.extra_pages import load_extra_pages
from site_builder.commands.check import check_site
from site_builder.core.errors import SiteError

ABOUT = """---
title: About this reading group
description: Who we are and how we read.
---
We meet on **Wednesdays**. Browse [all tags](tags/index.html), or see [our lab](https://example.org/lab).
As on a site at a domain's root: [the archive](/archive/index.html), [home](/).

- <script>alert(1)</script>
- [a trap](javascript:alert(1))
- [elsewhere](//evil.example/x) and [also](/\\evil.example/x)
"""


def write_page(root: Path, name: str, text: str) -> None:
    folder = root / "content" / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


def test_an_about_page_is_made_and_linked_from_every_footer(site: Path, tmp_path: Path) -> None:
    """A reviewer tried content/about.md, content/pages/about.md and a template of its own:
    each was silently ignored, and content/papers/about.md became a "paper"."""
    build_site(site)
    write_page(site, "about.md", ABOUT)
    write_page(site, "rules.md", "---\ntitle: Rules\nweight: -1\n---\nBe kind.\n")
    build_site(site)
    out = site / "_site"
    page = read_dom(out / "about.html")
    assert page.find("h1").text() == "About this reading group"
    assert page.find("meta", name="description").attrs["content"] == "Who we are and how we read."
    article = page.find("article")
    assert article.find("strong").text() == "Wednesdays"
    links = {a.text(): a.attrs.get("href") for a in article.find_all("a")}
    # Links from the site's root were shown as raw Markdown, silently: now relative, they
    # work under a sub-path and from disk (a review).
    assert links == {
        "all tags": "tags/index.html",
        "our lab": "https://example.org/lab",
        "the archive": "archive/index.html",
        "home": "index.html",
    }
    html = (out / "about.html").read_text()
    assert "<script>" not in html and 'href="javascript' not in html  # shown as text, not run
    assert "evil.example" not in str(links)  # a link that leaves the site says so: https://
    for path in ("index.html", "papers/agents-that-plan-with-tools.html", "archive/2025/03.html"):
        footer = [(a.text(), a.attrs["href"]) for a in read_dom(out / path).find("footer").find_all("a")][:2]
        depth = "../" * path.count("/")
        assert footer == [("Rules", f"{depth}rules.html"), ("About this reading group", f"{depth}about.html")]
    assert "about.html" in (out / "sitemap.xml").read_text()
    assert check_site(out) == []
    assert tree(out) == tree(_cold(site, tmp_path))  # the incremental build is the cold one


def test_a_page_without_a_description_is_described_by_its_own_opening_words(site: Path) -> None:
    """Without `description:`, every page of one's own had the site's description in its
    meta and link-preview tags: the same on each, which search engines report as duplicates
    and a shared link previewed as the home page. Its own opening words now, as a paper
    page's are its abstract's; headings are its title's business, not the description's."""
    write_page(
        site,
        "rules.md",
        "---\ntitle: Rules\n---\n# How we read\n\nWe read **one paper** a week, chosen on "
        "[the saved list](saved.html).\n\n" + "Then we talk about it at length. " * 10 + "\n",
    )
    write_page(site, "headings.md", "---\ntitle: Headings\n---\n# Only a heading\n")
    build_site(site)
    rules = read_dom(site / "_site" / "rules.html")
    said = rules.find("meta", name="description").attrs["content"]
    assert said.startswith("We read one paper a week, chosen on the saved list. Then we talk about it")
    assert said.endswith("…") and len(said) <= 161
    assert rules.find("meta", property="og:description").attrs["content"] == said
    site_said = read_dom(site / "_site" / "index.html").find("meta", name="description").attrs["content"]
    assert read_dom(site / "_site" / "headings.html").find("meta", name="description").attrs["content"] == (
        site_said  # nothing of its own to say
    )


def _cold(root: Path, tmp_path: Path) -> Path:
    out = tmp_path / "cold"
    build_site(root, out=out, cache=False)
    return out


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "search.md",
            "---\ntitle: S\n---\n",
            "content/pages/search.md:1: error: 'search' is a name the site uses",
        ),
        (
            "About Us.md",
            "---\ntitle: S\n---\n",
            "content/pages/About Us.md:1: error: 'About Us' is not a lowercase",
        ),
        ("a.md", "---\ntitle: [x]\n---\n", "content/pages/a.md:2: error: 'title' must be text"),
        (
            "b.md",
            "---\ntitle: B\nweight: first\n---\n",
            "content/pages/b.md:3: error: 'weight' must be a whole number",
        ),
        ("c.md", "no front matter", "content/pages/c.md:1: error: no front matter"),
        ("d.md", "---\ntitle: '  '\n---\n", "content/pages/d.md:2: error: 'title' is missing or empty"),
        ("e.md", "---\nweight: 2\n---\n", "content/pages/e.md:1: error: 'title' is missing or empty"),
        (
            "f.md",
            "---\ntitle: F\ndescription: [a, b]\n---\n",
            "content/pages/f.md:3: error: 'description' must be text",
        ),
    ],
)
def test_a_page_that_cannot_be_made_is_a_message_at_its_line(
    site: Path, name: str, text: str, message: str
) -> None:
    write_page(site, name, text)
    with pytest.raises(SiteError) as err:
        build_site(site)
    assert err.value.problems[0].format().startswith(message)


def test_a_page_not_in_utf8_is_named_at_its_line(site: Path) -> None:
    folder = site / "content" / "pages"
    folder.mkdir(parents=True)
    (folder / "about.md").write_bytes(b"---\ntitle: About\n---\nCaf\xe9 du matin\n")
    with pytest.raises(SiteError) as err:
        build_site(site)
    assert [p.format() for p in err.value.problems] == [
        "content/pages/about.md:4: error: not UTF-8 text (byte 0xe9); re-save it as UTF-8"
    ]


def test_without_the_folder_there_are_none(tmp_path: Path) -> None:
    assert load_extra_pages(tmp_path) == ([], [])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda page, site: page.symlink_to(site.parent / "secret.md"),
            "content/pages/about.md: warning: a symlink to a file outside the site or in a hidden "
            "folder; skipped (not published)",
        ),
        (
            lambda page, site: page.symlink_to(site / "gone.md"),
            "content/pages/about.md: warning: cannot read: No such file or directory; skipped",
        ),
        (
            lambda page, site: page.mkdir(),
            "content/pages/about.md: warning: a folder named as a .md file, not read: a page is a file "
            "(rename or remove the folder)",
        ),
    ],
    ids=["symlink-out-of-the-site", "dangling-symlink", "folder"],
)
def test_a_page_that_is_no_plain_file_of_the_site_is_skipped_as_the_papers_are(
    site: Path, make: Any, message: str | None
) -> None:
    """A fuzzing audit: content/pages was listed by a glob, unlike content/papers. A symlink
    to a file outside the site was published (docs/safety.md, row 8, says it is skipped), and
    a dangling link or a folder named `about.md` stopped the build with "cannot write or read
    here" and no page built."""
    (site.parent / "secret.md").write_text("---\ntitle: Secret\n---\nnot for the web\n", encoding="utf-8")
    write_page(site, "rules.md", "---\ntitle: Rules\n---\nBe kind.\n")
    make(site / "content" / "pages" / "about.md", site)
    report = build_site(site)
    assert (site / "_site" / "rules.html").is_file()
    assert not (site / "_site" / "about.html").exists()
    said = [p.format() for p in report.warnings if p.path.startswith("content/pages")]
    assert said == ([message] if message else [])


def test_a_named_pipe_among_the_pages_is_never_opened(site: Path) -> None:
    """A named pipe in content/pages hung the build for as long as nothing wrote into it, and
    what something wrote was built as a page; content/papers and the dumps skip one unopened."""
    write_page(site, "rules.md", "---\ntitle: Rules\n---\nBe kind.\n")
    with fed_pipe(site / "content" / "pages" / "piped.md", "---\ntitle: Piped\n---\nfrom a pipe\n"):
        report = build_site(site)
    assert (site / "_site" / "rules.html").is_file()
    assert not (site / "_site" / "piped.html").exists()
    assert [p.format() for p in report.warnings if p.path.startswith("content/pages")] == [
        "content/pages/piped.md: warning: a named pipe; skipped, never opened"
    ]


@pytest.mark.parametrize("newline", [b"\r", b"\r\n"], ids=["CR", "CRLF"])
def test_a_page_saved_with_other_line_ends_is_read_as_a_paper_page_is(site: Path, newline: bytes) -> None:
    """A fuzzing audit: a page saved with CR line ends (an old Mac editor) stopped the build
    with "no front matter"; a paper page with them is read, as `Path.read_text` reads it."""
    folder = site / "content" / "pages"
    folder.mkdir(parents=True)
    text = b"---\ntitle: About\n---\nWe meet on **Fridays**.\n"
    (folder / "about.md").write_bytes(text.replace(b"\n", newline))
    build_site(site)
    page = read_dom(site / "_site" / "about.html")
    assert (page.find("h1").text(), page.find("article").find("strong").text()) == ("About", "Fridays")

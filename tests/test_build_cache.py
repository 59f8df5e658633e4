"""The build cache: a rebuild reuses what did not change and gives the bytes a cold build gives.

Every story compares whole output trees byte for byte with a cold build (`cache=False`)
of the same content: after no change, after editing a page, after changing the settings
or the theme, after deleting a page, with a damaged cache, with a hand-edited output.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2
import pytest
from helpers import copy_site, imported_by, recorded_loads, tree, write_synthetic_pages
from ingest_helpers import make_site

from bench.common import copied_anew, restored_from_cache
from site_builder.build import feeds, pipeline, workers
from site_builder.build.cache import CACHE_DIR
from site_builder.build.cache import manifest as manifest_module
from site_builder.build.cache import pages as pagecache
from site_builder.build.cache import templates as templates_module
from site_builder.build.cache.pages import load_pages as load_cached_pages
from site_builder.build.cache.related import RelatedLinks, TermStore
from site_builder.build.cache.templates import CompiledTemplates
from site_builder.build.pipeline import build_site
from site_builder.build.related import index as related_index
from site_builder.build.related.terms import TermTable, doc_digest
from site_builder.build.render.theme import PACKAGE_THEME
from site_builder.build.search import assets as search_module
from site_builder.build.search import index as search_index_module
from site_builder.build.search import words as search_words
from site_builder.commands.check import check_site
from site_builder.core import taxonomy as taxonomy_module
from site_builder.core.errors import SiteError
from site_builder.core.files import content_files
from site_builder.core.files import store as store_module
from site_builder.core.files.store import Store
from site_builder.core.pages.pagefile import read_pages
from site_builder.core.runtime import parallel
from site_builder.core.runtime.hashing import code_version
from site_builder.ingest.pipeline import run_ingest

PAGE = "papers/self-consistency-at-scale.html"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A writable copy of the fixture site with enough pages for pagination and related papers."""
    root = copy_site(tmp_path / "site")
    write_synthetic_pages(root / "content" / "papers", 40)
    return root


def themed_pages(built: dict[str, bytes]) -> list[bytes]:
    """Every HTML page made with the theme: not the pages at folders' and earlier addresses,
    which only send a reader on."""
    return [
        data for path, data in built.items() if path.endswith(".html") and b'http-equiv="refresh"' not in data
    ]


def cold(root: Path, tmp_path: Path, name: str = "cold", drafts: bool = False) -> dict[str, bytes]:
    """The site as a build without any cache makes it (`drafts`: `build --drafts`)."""
    out = tmp_path / name
    if out.exists():
        shutil.rmtree(out)
    build_site(root, out=out, cache=False, drafts=drafts)
    return tree(out)


def make_draft(root: Path, slug: str, draft: bool) -> None:
    """`draft: true` written into the page's front matter, or taken off it."""
    page = root / "content" / "papers" / f"{slug}.md"
    text = page.read_text(encoding="utf-8").replace("draft: true\n", "")
    page.write_text(text.replace("\ntags:", "\ndraft: true\ntags:", 1) if draft else text, encoding="utf-8")


def edit(root: Path, slug: str, old: str, new: str) -> None:
    page = root / "content" / "papers" / f"{slug}.md"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")


def retitle_tag(root: Path, old: str, new: str) -> None:
    taxonomy = root / "content" / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace(f"title: {old}", f"title: {new}"))


def test_no_change_rebuild_writes_nothing_and_keeps_the_site(site: Path, tmp_path: Path) -> None:
    first = build_site(site)
    before = tree(site / "_site")
    inode = os.stat(site / "_site" / PAGE).st_ino
    again = build_site(site)
    assert again.unchanged and not first.unchanged
    assert (again.files, again.bytes, again.html_pages) == (first.files, first.bytes, first.html_pages)
    assert os.stat(site / "_site" / PAGE).st_ino == inode
    assert tree(site / "_site") == before == cold(site, tmp_path)
    assert not list(site.glob("_site.tmp-*"))


def test_a_no_change_rebuild_does_not_load_what_only_making_needs(site: Path) -> None:
    """numpy, the templates and Markdown are imported only by a build that plans or makes
    something: a tenth of a second of start-up that a no-change build skips."""
    build_site(site)
    making = ("numpy", "jinja2", "markdown_it", "lunr")
    assert imported_by(site, "build", making) == (0, [])
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    assert imported_by(site, "build", making) == (0, ["jinja2", "lunr", "markdown_it", "numpy"])


def test_a_no_change_rebuild_reads_the_related_links_not_the_state_they_came_from(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(site)
    loaded = recorded_loads(monkeypatch)
    assert build_site(site).unchanged
    assert "related-links" in loaded and "related" not in loaded and "terms" not in loaded


def test_editing_one_page_gives_the_cold_build_of_the_edited_content(site: Path, tmp_path: Path) -> None:
    build_site(site)
    other = os.stat(site / "_site" / "papers" / "synthetic-study-7.html").st_ino
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    report = build_site(site)
    assert not report.unchanged and 0 < report.reused < report.files
    assert "hand-edited vote" in (site / "_site" / PAGE).read_text()
    assert tree(site / "_site") == cold(site, tmp_path)
    # untouched pages were carried over, not written again
    assert os.stat(site / "_site" / "papers" / "synthetic-study-7.html").st_ino == other


def test_a_new_title_reaches_the_pages_that_show_it(site: Path, tmp_path: Path) -> None:
    build_site(site)
    edit(site, "self-consistency-at-scale", "title: Self-Consistency at Scale", "title: Renamed Study")
    build_site(site)
    built = tree(site / "_site")
    assert built == cold(site, tmp_path)
    showing = [path for path, data in built.items() if b"Renamed Study" in data and path.endswith(".html")]
    assert PAGE in showing
    assert any(p == "index.html" or p.startswith(("page/", "tags/")) for p in showing), "its listings"
    assert any(p.startswith("papers/") and p != PAGE for p in showing), "neighbours or related pages"


def test_authors_added_changed_and_removed_reach_every_output_that_shows_them(
    site: Path, tmp_path: Path
) -> None:
    """An `authors:` edit reaches the paper page, its lists, the feeds and the search files
    (the search index gains its authors field, and loses it with the last name): each
    rebuild is the cold build of the edited content."""
    build_site(site)
    title = "title: Self-Consistency at Scale"
    for old, new in [
        (title, f"{title}\nauthors: [Ada Lovelace, Alan Turing]"),
        ("authors: [Ada Lovelace, Alan Turing]", "authors: [Ada Lovelace, Grace Hopper]"),
        ("\nauthors: [Ada Lovelace, Grace Hopper]", ""),
    ]:
        edit(site, "self-consistency-at-scale", old, new)
        build_site(site)
        built = tree(site / "_site")
        assert built == cold(site, tmp_path)
        shown = b"Grace Hopper" if "Hopper" in new else b"Alan Turing" if "Turing" in new else b"Lovelace"
        showing = {path for path, data in built.items() if shown in data}
        if shown != b"Lovelace":
            assert PAGE in showing and any(p.startswith(("tags/", "archive/")) for p in showing), showing
        assert (b'["authors",2.0]' in built["assets/search-index.js"]) == (shown != b"Lovelace")
    assert b"Lovelace" not in b"".join(built.values())


def test_a_renamed_tag_reaches_the_paper_pages_that_show_it(site: Path, tmp_path: Path) -> None:
    """A tag's title is part of every page that shows the tag, not only of its listings."""
    build_site(site)
    retitle_tag(site, "Reasoning", "Thinking Hard")
    build_site(site)
    assert "Thinking Hard" in (site / "_site" / PAGE).read_text()
    assert tree(site / "_site") == cold(site, tmp_path)


def test_the_taxonomy_is_read_again_only_when_it_changes(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the build needs of taxonomy.yaml is kept under a hash of its bytes; a changed
    file is read again, and a broken one fails every build with its message."""
    read: list[Path] = []
    load = taxonomy_module.load_taxonomy
    monkeypatch.setattr(
        taxonomy_module, "load_taxonomy", lambda path, label: read.append(path) or load(path, label)
    )
    build_site(site)
    build_site(site)
    assert len(read) == 1
    retitle_tag(site, "Reasoning", "Thinking Hard")
    build_site(site)
    assert len(read) == 2 and tree(site / "_site") == cold(site, tmp_path)
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("threshold: 3", "threshold: high"))
    for _ in range(2):
        with pytest.raises(SiteError) as failed:
            build_site(site)
        assert (
            failed.value.problems[0]
            .format()
            .endswith("taxonomy.yaml:2: error: 'threshold': expected a number above 0, not 'high'")
        )


def test_a_tag_made_a_genre_no_longer_relates_papers(site: Path, tmp_path: Path) -> None:
    """`genre: true` changes which papers are related (their shared tag stops counting), so
    it is part of the related links' key: the next build is the cold build of it."""
    build_site(site)
    before = (site / "_site" / PAGE).read_text()
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("title: Reasoning", "title: Reasoning\n    genre: true"))
    build_site(site)
    assert (site / "_site" / PAGE).read_text() != before
    assert tree(site / "_site") == cold(site, tmp_path)


def test_a_renamed_tag_keeps_its_old_address_and_feed(site: Path, tmp_path: Path) -> None:
    """A tag renamed with `aliases: [old]`: pages that still say the old name are listed
    under the tag, the old tag page sends readers on (and names the tag's page as the
    canonical one), the old feed address serves the tag's feed, a stray tag cannot take the
    old address, and the next build is the cold build of it."""
    build_site(site)
    feed_id = re.search(r"<id>[^<]*</id>", (site / "_site" / "tags" / "reasoning.xml").read_text())
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text().replace(
            "  - name: reasoning\n", "  - name: thinking\n    aliases: [reasoning]\n"
        )
    )
    edit(site, "self-consistency-at-scale", "tags: [", "tags: [Reasoning, ")  # stray: reasoning's slug
    build_site(site)
    out = site / "_site"
    moved = (out / "tags" / "reasoning.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=thinking.html">' in moved
    assert '<link rel="canonical" href="https://example.org/some-repo/tags/thinking.html">' in moved
    assert '<meta property="og:title" content="Reasoning">' in moved and 'name="description"' in moved
    # The tag's feed at the old address, under the id its readers subscribed to (a new id is
    # a new feed to Atom readers: a reviewer saw it change to the new name's).
    old_feed, new_feed = (
        (out / "tags" / "reasoning.xml").read_text(),
        (out / "tags" / "thinking.xml").read_text(),
    )
    assert feed_id is not None and feed_id[0] == "<id>https://example.org/some-repo/tags/reasoning.xml</id>"
    assert (
        feed_id[0] in old_feed
        and 'rel="self" type="application/atom+xml" href="https://example.org/some-repo/tags/reasoning.xml"'
        in old_feed
    )
    assert old_feed.replace("tags/reasoning.xml", "tags/thinking.xml") == new_feed
    thinking = (out / "tags" / "thinking.html").read_text()
    assert "Self-Consistency at Scale" in thinking  # its page says `reasoning`: listed here
    assert (out / "tags" / "reasoning-2.html").is_file()  # the stray tag `Reasoning`
    assert "tags/reasoning.html" not in (out / "sitemap.xml").read_text()
    assert check_site(out) == []  # not in the sitemap, rightly: its canonical page is
    assert tree(out) == cold(site, tmp_path)


def test_a_renamed_tags_numbered_pages_lead_to_the_same_pages_of_the_new_name(
    site: Path, tmp_path: Path
) -> None:
    """`tags/OLD/page/N.html` never changes, so people link it: after a rename it leads to
    page N of the new name, which lists the same papers (a reader review found it gone)."""
    build_site(site)
    out = site / "_site"
    before = sorted(p.name for p in (out / "tags" / "reasoning" / "page").glob("[0-9]*.html"))
    assert before  # the fixture's reasoning tag has numbered pages
    listed = _titles(out / "tags" / "reasoning" / "page" / "1.html")
    assert listed
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text().replace(
            "  - name: reasoning\n", "  - name: thinking\n    aliases: [reasoning]\n"
        )
    )
    build_site(site)
    for name in before:
        moved = (out / "tags" / "reasoning" / "page" / name).read_text()
        assert f'<meta http-equiv="refresh" content="0; url=../../thinking/page/{name}">' in moved
        assert f'href="https://example.org/some-repo/tags/thinking/page/{name}"' in moved
    assert _titles(out / "tags" / "thinking" / "page" / "1.html") == listed
    assert "tags/reasoning/page" not in (out / "sitemap.xml").read_text()
    assert check_site(out) == []
    assert tree(out) == cold(site, tmp_path)


def _titles(listing: Path) -> list[str]:
    return re.findall(r'<h3 class="paper-item-title"[^>]*><a [^>]*>([^<]*)</a>', listing.read_text())


def test_a_paper_given_a_new_slug_keeps_its_old_address(site: Path, tmp_path: Path) -> None:
    """A person changed `slug:` to shorten a paper's address: links shared to the old one
    found the 404 page. The file keeps the old name, so the old address now sends readers
    on (Hugo's alias pages), stays out of the sitemap, and the next build is the cold one."""
    build_site(site)
    edit(site, "self-consistency-at-scale", "slug: self-consistency-at-scale", "slug: self-consistency")
    # A page may take another's old address: the page is served there, not the redirect.
    edit(site, "how-well-do-judges-judge", "slug: how-well-do-judges-judge", "slug: judges")
    edit(
        site, "paged-attention-revisited", "slug: paged-attention-revisited", "slug: how-well-do-judges-judge"
    )
    build_site(site)
    out = site / "_site"
    assert (out / "papers" / "self-consistency.html").is_file()
    moved = (out / "papers" / "self-consistency-at-scale.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=self-consistency.html">' in moved
    assert '<link rel="canonical" href="https://example.org/some-repo/papers/self-consistency.html">' in moved
    assert 'is now at <a href="self-consistency.html">Self-Consistency at Scale</a>' in moved
    # An old link shared in a chat unfurls as the paper: link previews do not follow the
    # refresh, and one showed a bare title (a reviewer). The page's own description.
    page = (out / "papers" / "self-consistency.html").read_text()
    description = re.search(r'<meta name="description" content="([^"]*)">', page)
    assert description is not None and description[1].startswith("Self-consistency samples")
    assert f'<meta name="description" content="{description[1]}">' in moved
    assert f'<meta property="og:description" content="{description[1]}">' in moved
    assert '<meta property="og:title" content="Self-Consistency at Scale">' in moved
    assert len(description[1]) <= 161  # what search results show, with its "…"
    assert "papers/self-consistency-at-scale.html" not in (out / "sitemap.xml").read_text()
    assert "Paged Attention" in (out / "papers" / "how-well-do-judges-judge.html").read_text()
    assert "refresh" in (out / "papers" / "paged-attention-revisited.html").read_text()
    assert check_site(out) == []
    assert tree(out) == cold(site, tmp_path)
    # A second new slug: the first is listed under `moved_from:`, and both addresses lead on.
    edit(
        site,
        "self-consistency-at-scale",
        "slug: self-consistency\n",
        "slug: sc-at-scale\nmoved_from: [self-consistency]\n",
    )
    build_site(site)
    for old in ("self-consistency", "self-consistency-at-scale"):
        assert 'url=sc-at-scale.html">' in (out / "papers" / f"{old}.html").read_text(), old
    assert tree(out) == cold(site, tmp_path, "cold2")
    edit(
        site,
        "self-consistency-at-scale",
        "slug: sc-at-scale\nmoved_from: [self-consistency]\n",
        "slug: self-consistency\n",
    )
    build_site(site)
    # The address goes back to the page once its slug does.
    edit(site, "self-consistency-at-scale", "slug: self-consistency\n", "slug: self-consistency-at-scale\n")
    build_site(site)
    assert "Self-consistency samples" in (out / "papers" / "self-consistency-at-scale.html").read_text()
    assert not (out / "papers" / "self-consistency.html").exists()


def test_a_moved_from_that_leads_elsewhere_is_named(site: Path) -> None:
    """`moved_from:` naming another page's address was dropped without a word."""
    edit(
        site,
        "self-consistency-at-scale",
        "slug: self-consistency-at-scale\n",
        "slug: self-consistency-at-scale\nmoved_from: [paged-attention-revisited]\n",
    )
    report = build_site(site)
    assert [w.format() for w in report.warnings if "moved_from" in w.message] == [
        "content/papers/self-consistency-at-scale.md:4: warning: 'moved_from': paged-attention-revisited "
        "leads to another page (paged-attention-revisited): it is its address now"
    ]


def test_a_new_site_title_changes_every_page(site: Path, tmp_path: Path) -> None:
    build_site(site)
    config = site / "content" / "site.yaml"
    config.write_text(config.read_text().replace("title: Fixture Papers", "title: Another Title"))
    build_site(site)
    built = tree(site / "_site")
    assert all(b"Another Title" in data for data in themed_pages(built))
    assert built == cold(site, tmp_path)


def test_a_base_url_from_the_command_line_is_part_of_the_key(site: Path, tmp_path: Path) -> None:
    build_site(site)
    build_site(site, base_url="https://user.github.io/repo/")
    assert b"https://user.github.io/repo/papers/" in (site / "_site" / PAGE).read_bytes()
    out = tmp_path / "cold"
    build_site(site, out=out, base_url="https://user.github.io/repo/", cache=False)
    assert tree(site / "_site") == tree(out)


def test_a_theme_override_changes_the_pages(site: Path, tmp_path: Path) -> None:
    build_site(site)
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    base = PACKAGE_THEME / "templates" / "base.html"
    (templates / "base.html").write_text(base.read_text().replace("Built with site_builder", "Made by hand"))
    build_site(site)
    built = tree(site / "_site")
    assert all(b"Made by hand" in data for data in themed_pages(built))
    assert built == cold(site, tmp_path)


def test_templates_are_compiled_once_and_again_when_edited(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled templates are kept between builds; an edited one is compiled again."""
    compiled = counted_compilations(monkeypatch)
    monkeypatch.setattr(templates_module, "_COMPILED", {})  # as in a new process: the store alone
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    base = (PACKAGE_THEME / "templates" / "base.html").read_text()
    (templates / "base.html").write_text(base.replace("Built with site_builder", "Made by hand"))
    build_site(site)
    assert "base.html" in compiled and "paper.html" in compiled
    compiled.clear()
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    build_site(site)
    assert compiled == []
    (templates / "base.html").write_text(base.replace("Built with site_builder", "Made twice by hand"))
    build_site(site)
    assert compiled == ["base.html"]
    built = tree(site / "_site")
    assert all(b"Made twice by hand" in data for data in themed_pages(built))
    assert built == cold(site, tmp_path)
    compiled.clear()
    (templates / "base.html").unlink()  # the theme's own base.html again: compiled, the override dropped
    build_site(site)
    assert compiled == ["base.html"]
    kept = CompiledTemplates.load(Store(site / CACHE_DIR)).known
    unused = ["page.html"]  # the site has no content/pages: no page is made with it
    assert len(kept) == len(list((PACKAGE_THEME / "templates").glob("*.html"))) - len(unused)


def counted_compilations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from now on, in order."""
    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counting(env: jinja2.Environment, source: str, name: str | None = None, *args: Any) -> Any:
        compiled.append(name or "")
        return compile_template(env, source, name, *args)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def test_a_second_build_in_one_process_compiles_nothing_even_without_a_store(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` and a script build again in the same process: what it compiled is kept in
    memory, checked by the template's checksum, so an edited template is compiled again
    and the site is the one a new process makes."""
    compiled = counted_compilations(monkeypatch)
    monkeypatch.setattr(templates_module, "_COMPILED", {})
    build_site(site, cache=False)
    assert "base.html" in compiled and "paper.html" in compiled
    compiled.clear()
    build_site(site, out=tmp_path / "again", cache=False)
    assert compiled == []
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    base = (PACKAGE_THEME / "templates" / "base.html").read_text()
    (templates / "base.html").write_text(base.replace("Built with site_builder", "Made by hand"))
    build_site(site, cache=False)
    assert compiled == ["base.html"]
    assert all(b"Made by hand" in data for data in themed_pages(tree(site / "_site")))


def test_a_build_after_an_incremental_build_still_reuses_its_files(site: Path, tmp_path: Path) -> None:
    """Day after day, each build carries the unchanged files of the one before. Carried files
    are hard links shared with the previous site: deleting that site changes their change
    time, so it must be gone before the manifest is saved (a deletion left to a background
    process made every later build redo everything)."""
    build_site(site)
    pages = sorted((site / "content" / "papers").glob("*.md"))
    for page in pages[:2]:
        time.sleep(1)  # as between two days: whatever a build left running has finished
        page.write_text(page.read_text(encoding="utf-8") + "\nEdited by hand.\n", encoding="utf-8")
        report = build_site(site)
        assert report.files - report.reused < report.files // 4, (report.reused, report.files)
    assert tree(site / "_site") == cold(site, tmp_path)


def test_a_stylesheet_edit_rewrites_the_stylesheet_and_the_pages_asking_for_it(
    site: Path, tmp_path: Path
) -> None:
    """Pages ask for the theme's files under their version (`style.css?v=…`), so that a
    browser's cached stylesheet of the last deploy does not style the new pages: an edit
    rewrites the stylesheet and the HTML pages, and nothing else."""
    build_site(site)
    before = tree(site / "_site")
    static = site / "themes" / "default" / "static"
    static.mkdir(parents=True)
    (static / "style.css").write_text("body { color: rebeccapurple; }\n")
    build_site(site)
    after = tree(site / "_site")
    assert after["assets/style.css"] == b"body { color: rebeccapurple; }\n"
    changed = {path for path in after if after[path] != before.get(path)}
    asking = {
        path for path, data in before.items() if path.endswith(".html") and b"assets/style.css?v=" in data
    }
    assert len(asking) > 20 and changed == {"assets/style.css", *asking}
    assert after == cold(site, tmp_path)


def test_a_template_mistake_in_a_render_helper_is_reported(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    monkeypatch.setattr(workers, "BATCH", 2)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 3)
    build_site(site)
    before = tree(site / "_site")
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "tag.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ nope }}{% endblock %}"
    )
    with pytest.raises(SiteError) as failure:
        build_site(site)
    [problem] = failure.value.problems  # whichever process met it first names its page
    assert re.fullmatch(
        r"template error: 'nope' is undefined \(while making tags/[a-z0-9/-]+\.html\)", problem.message
    )
    assert tree(site / "_site") == before
    assert not list(site.glob("_site.tmp-*"))


def test_deleting_a_page_removes_its_output(site: Path, tmp_path: Path) -> None:
    build_site(site)
    (site / "content" / "papers" / "self-consistency-at-scale.md").unlink()
    build_site(site)
    built = tree(site / "_site")
    assert PAGE not in built
    assert not any(b"self-consistency-at-scale.html" in data for data in built.values())
    assert built == cold(site, tmp_path)


def test_adding_pages_gives_the_cold_build(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(site)
    write_synthetic_pages(site / "content" / "papers", 55)  # 15 more, same format
    loaded = recorded_loads(monkeypatch)
    build_site(site)
    # New papers are scored from the last state (related/reach.py): it is read.
    assert {"related-links", "terms", "related"} <= set(loaded)
    assert tree(site / "_site") == cold(site, tmp_path)


def test_a_day_of_new_pages_is_scored_from_the_last_state_and_gives_the_cold_build(
    site: Path, tmp_path: Path
) -> None:
    """Pages listed later in the newest month leave every weight as it was: the older
    papers' links are taken from the last state where the new ones cannot reach them."""
    first = build_site(site)
    assert first.related_scored == first.papers
    write_synthetic_pages(site / "content" / "papers", 52, first=40, listed="2025-03-20")
    report = build_site(site)
    assert 12 <= report.related_scored < report.papers == first.papers + 12
    assert f"related papers scored for {report.related_scored} of" in report.summary(verbose=True)[-1]
    assert tree(site / "_site") == cold(site, tmp_path)
    assert build_site(site).related_scored == 0  # nothing changed: every link kept


@pytest.mark.parametrize("drafts", [False, True])
def test_a_page_made_a_draft_and_published_again_gives_the_cold_build(
    site: Path, tmp_path: Path, drafts: bool
) -> None:
    """Whatever the caches (parsed pages, the plan's fingerprint, related papers and their
    state, the search files), a page switched to `draft: true` and back gives the cold
    build, with `--drafts` or without; published again, the site is the one it was."""
    build_site(site, drafts=drafts)
    first = tree(site / "_site")
    for draft in (True, False, True, False):
        make_draft(site, "self-consistency-at-scale", draft)
        build_site(site, drafts=drafts)
        assert (PAGE in tree(site / "_site")) == (drafts or not draft)
        assert tree(site / "_site") == cold(site, tmp_path, drafts=drafts), draft
    assert tree(site / "_site") == first


def test_drafts_is_part_of_the_plans_fingerprint(site: Path, tmp_path: Path) -> None:
    """`build --drafts` after a build without (and back) is the cold build of each; the
    same build twice writes nothing."""
    make_draft(site, "self-consistency-at-scale", True)
    for step, drafts in enumerate([False, True, True, False, True]):
        report = build_site(site, drafts=drafts)
        assert report.unchanged == (step == 2)
        assert (PAGE in tree(site / "_site")) == drafts
        assert tree(site / "_site") == cold(site, tmp_path, drafts=drafts)


def test_a_day_of_new_pages_with_a_draft_gives_the_cold_build(site: Path, tmp_path: Path) -> None:
    """A daily update that also makes an older page a draft and brings a new one as a draft:
    related papers grown from the last state, the search files carried chunk by chunk."""
    first = build_site(site)
    write_synthetic_pages(site / "content" / "papers", 52, first=40, listed="2025-03-20")
    make_draft(site, "synthetic-study-3", True)
    make_draft(site, "synthetic-study-45", True)
    report = build_site(site)
    assert report.drafts == 2 and report.papers == first.papers + 12 - 2
    assert tree(site / "_site") == cold(site, tmp_path)
    make_draft(site, "synthetic-study-45", False)  # published the next day
    build_site(site)
    assert tree(site / "_site") == cold(site, tmp_path)


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip", "empty"])
def test_a_damaged_cache_is_ignored(site: Path, tmp_path: Path, damage: str) -> None:
    build_site(site)
    files = sorted((site / CACHE_DIR).iterdir())
    names = {f.name for f in files}
    assert names >= {"manifest", "related", "terms", "templates"} and names & {"pages", "pages.new"}
    for file in files:
        data = file.read_bytes()
        if damage == "truncate":
            data = data[: len(data) // 2]
        elif damage == "garbage":
            data = os.urandom(len(data))
        elif damage == "flip":
            data = data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]
        else:
            data = b""
        file.write_bytes(data)
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    build_site(site)
    assert tree(site / "_site") == cold(site, tmp_path)


def test_removing_the_cache_is_always_safe(site: Path, tmp_path: Path) -> None:
    build_site(site)
    shutil.rmtree(site / ".site-cache")
    report = build_site(site)
    assert report.reused == 0 and not report.unchanged
    assert tree(site / "_site") == cold(site, tmp_path)


def _files_read_back(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The output files the build reads from now on to recognise them by their bytes."""
    read: list[str] = []
    bytes_digest = manifest_module._bytes_digest

    def reading(folder: Path, relative: str) -> str | None:
        read.append(relative)
        return bytes_digest(folder, relative)

    monkeypatch.setattr(manifest_module, "_bytes_digest", reading)
    return read


def test_files_recognised_by_their_bytes_are_read_once(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A restored `_site/` that a build finds unchanged is recorded under its new stat: the
    builds after it trust the files without reading them, and still notice a later edit."""
    build_site(site)
    out = site / "_site"
    copied_anew(out)  # new inodes, new times
    time.sleep(content_files.RACY_NS / 1e9 + 0.05)  # restored before the build looks
    read = _files_read_back(monkeypatch)
    first = build_site(site)
    assert first.unchanged and len(read) == first.files
    read.clear()
    assert build_site(site).unchanged and read == []
    page = out / PAGE
    page.write_text(page.read_text().replace("majority vote", "majorite vote"))  # same size
    report = build_site(site)
    assert read == [PAGE] and report.reused == report.files - 1
    assert tree(out) == cold(site, tmp_path)


def test_a_site_restored_from_a_cache_is_recognised_by_its_bytes(site: Path, tmp_path: Path) -> None:
    """CI restores `_site/` and `.site-cache/` from its cache: every file has a new inode and
    new times. Their bytes are what the last build wrote, so nothing is made again; a file
    changed at the same size is, and a later build trusts the rest by their stat again."""
    build_site(site)
    out = site / "_site"
    copied_anew(out)  # new inodes, new times
    page = out / PAGE
    text = page.read_text()
    page.write_text(text.replace("majority vote", "majorite vote"))  # same size, other bytes
    report = build_site(site)
    assert report.reused == report.files - 1  # all but the changed page carried over
    assert tree(out) == cold(site, tmp_path)
    assert build_site(site).unchanged


def test_a_site_restored_by_tar_is_recognised_by_its_times_without_reading_it(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """actions/cache restores `_site/` with `tar --posix`: new inodes and change times, the
    modification times kept to the nanosecond. The files are the last build's without
    reading them; one changed after the restore (a new time) is read and made again."""
    build_site(site)
    out = site / "_site"
    restored_from_cache(out)
    page = out / PAGE
    page.write_text(page.read_text().replace("majority vote", "majorite vote"))  # same size, new time
    read = _files_read_back(monkeypatch)
    report = build_site(site)
    assert read == [PAGE] and report.reused == report.files - 1
    assert tree(out) == cold(site, tmp_path)


def test_a_hand_edited_or_extra_output_file_is_rebuilt(site: Path, tmp_path: Path) -> None:
    build_site(site)
    (site / "_site" / PAGE).write_text("edited in the output folder")
    (site / "_site" / "stray.html").write_text("not part of the site")
    (site / "_site" / "papers" / "synthetic-study-3.html").unlink()
    report = build_site(site)
    assert not report.unchanged
    assert tree(site / "_site") == cold(site, tmp_path)


def test_another_output_folder_starts_from_scratch(site: Path, tmp_path: Path) -> None:
    build_site(site)
    report = build_site(site, out=tmp_path / "elsewhere")
    assert report.reused == 0
    assert tree(tmp_path / "elsewhere") == tree(site / "_site")


def test_serial_parallel_and_cached_builds_are_identical(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "PARALLEL_MIN", 1)
    monkeypatch.setattr(workers, "BATCH", 5)
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    build_site(site, parallel=True)
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    build_site(site, parallel=True)
    in_parallel = tree(site / "_site")
    build_site(site, out=tmp_path / "serial", parallel=False, cache=False)
    assert in_parallel == tree(tmp_path / "serial") == cold(site, tmp_path)


def test_a_failed_build_keeps_the_site_and_the_next_one_recovers(site: Path, tmp_path: Path) -> None:
    build_site(site)
    before = tree(site / "_site")
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "paper.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ nope }}{% endblock %}"
    )
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    with pytest.raises(SiteError):
        build_site(site)
    assert tree(site / "_site") == before
    (templates / "paper.html").unlink()
    build_site(site)
    assert tree(site / "_site") == cold(site, tmp_path)


def test_tags_a_template_looks_up_by_name_are_followed(site: Path, tmp_path: Path) -> None:
    """A paper page that shows another tag's title through `tag_of` changes when that title does."""
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    paper = (PACKAGE_THEME / "templates" / "paper.html").read_text()
    (templates / "paper.html").write_text(
        paper.replace("<h2 id=\"abstract-heading\">Abstract</h2>", "<h2 id=\"abstract-heading\">Abstract</h2>"
                      "<p>See also {{ tag_of('agents').title }}</p>")
    )  # fmt: skip
    build_site(site)
    retitle_tag(site, "Agents", "Autonomous Agents")
    build_site(site)
    assert "See also Autonomous Agents" in (site / "_site" / PAGE).read_text()
    assert tree(site / "_site") == cold(site, tmp_path)


def test_tag_of_gives_no_count_so_lists_stay_put_when_papers_are_added(site: Path) -> None:
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    paper = (PACKAGE_THEME / "templates" / "paper.html").read_text()
    (templates / "paper.html").write_text(paper.replace("</h1>", "</h1>{{ tag_of('agents').count }}", 1))
    with pytest.raises(SiteError) as err:
        build_site(site)
    assert "has no attribute 'count'" in str(err.value)


def test_a_page_edited_right_after_a_build_is_read_again(site: Path, tmp_path: Path) -> None:
    build_site(site)
    page = site / "content" / "papers" / "self-consistency-at-scale.md"
    st = page.stat()
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("majority vote", "majority VOTE"), encoding="utf-8")  # same size
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same modification time
    build_site(site)
    assert "majority VOTE" in (site / "_site" / PAGE).read_text()


@pytest.mark.parametrize("split", [False, True], ids=["one-process", "forked"])
def test_cached_page_loading_reports_what_read_pages_reports(
    site: Path, monkeypatch: pytest.MonkeyPatch, split: bool
) -> None:
    monkeypatch.setattr(content_files, "RACY_NS", 0)  # trust the files' times although they are brand new
    if split:
        monkeypatch.setattr(pagecache, "PARALLEL_MIN", 2)
    papers = site / "content" / "papers"
    (papers / "copy.md").write_text((papers / "self-consistency-at-scale.md").read_text())
    (papers / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    (papers / "no-title.md").write_text("---\nslug: no-title\n---\nbody\n")
    (papers / "not-utf8.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    stored, problems = read_pages(papers, site)
    for _ in range(2):  # cold, then from the cache
        loaded = load_cached_pages(papers, Store(site / CACHE_DIR))
        assert loaded.pages == [s.page for s in stored]
        assert loaded.problems == problems
        assert loaded.labels == {s.page.slug: f"content/papers/{s.path.name}" for s in stored}
    assert loaded.reparsed == 0
    (papers / "agents-that-plan-with-tools.md").touch()  # new times, same bytes: read, not parsed
    assert load_cached_pages(papers, Store(site / CACHE_DIR)).reparsed == 0


def test_a_page_file_whose_name_is_not_utf8_is_built(site: Path) -> None:
    """`résumé.md` unzipped from a Windows archive is named in Windows-1252 (the byte 0xe9):
    ingest read it, but build and check stopped with `KeyError: 'r\\udce9sum\\udce9.md'`, a
    traceback, as the page's label (its name escaped) was taken for its name."""
    papers = site / "content" / "papers"
    (papers / "r\udce9sum\udce9.md").write_bytes(b"---\ntitle: My CV notes\nslug: cv-notes\n---\nNotes.\n")
    for _ in range(2):  # cold, then from the cache
        loaded = load_cached_pages(papers, Store(site / CACHE_DIR))
        assert loaded.labels["cv-notes"] == "content/papers/r\\udce9sum\\udce9.md"
    build_site(site)
    assert "My CV notes" in (site / "_site" / "papers" / "cv-notes.html").read_text(encoding="utf-8")


def test_a_one_page_edit_rewrites_only_the_small_file_of_recent_pages(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parsed pages are kept as the table last written in full and what changed since:
    one edit does not rewrite ten thousand pages."""
    monkeypatch.setattr(content_files, "RACY_NS", 0)  # trust the files' times although they are brand new
    monkeypatch.setattr(store_module, "REWRITE_FROM", 4)  # as for thousands of pages
    papers, store = site / "content" / "papers", Store(site / CACHE_DIR)
    load_cached_pages(papers, store)
    full = (site / CACHE_DIR / "pages").read_bytes()
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    loaded = load_cached_pages(papers, store)
    assert loaded.reparsed == 1 and loaded.pages == [s.page for s in read_pages(papers)[0]]
    assert (site / CACHE_DIR / "pages").read_bytes() == full
    assert len((site / CACHE_DIR / "pages.new").read_bytes()) < len(full) // 10
    again = load_cached_pages(papers, store)
    assert again.reparsed == 0 and again.pages == loaded.pages


def test_an_edit_and_a_new_day_write_only_the_term_counts_they_add(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Related papers keep every page's term counts as a full file and what was added since:
    an edit or a few new papers leave the full file as it was."""
    monkeypatch.setattr(store_module, "REWRITE_FROM", 4)  # as for thousands of pages
    build_site(site)
    full = (site / CACHE_DIR / "terms").read_bytes()
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    build_site(site)
    assert (site / CACHE_DIR / "terms").read_bytes() == full
    assert 0 < len((site / CACHE_DIR / "terms.new").read_bytes()) < len(full) // 4
    assert tree(site / "_site") == cold(site, tmp_path)
    write_synthetic_pages(site / "content" / "papers", 42)  # two more papers
    build_site(site)
    assert (site / CACHE_DIR / "terms").read_bytes() == full
    assert tree(site / "_site") == cold(site, tmp_path, "cold-2")
    write_synthetic_pages(site / "content" / "papers", 60)  # more than an eighth: written in full
    build_site(site)
    assert (site / CACHE_DIR / "terms").read_bytes() != full
    assert tree(site / "_site") == cold(site, tmp_path, "cold-3")


def test_term_counts_added_to_another_full_file_are_not_read(tmp_path: Path) -> None:
    """What was added names the full file it extends: against another one, whose terms are
    numbered otherwise, it is not read."""
    store = Store(tmp_path)
    first = TermStore(store, "salt")
    table, docs = first.load()
    docs = {"a": table.encode(Counter({"attention": 2, "heads": 1}))}
    first.save(table, docs)  # the first full file
    docs["b"] = table.encode(Counter({"speculative": 1, "decoding": 3}))
    first.save(table, docs)  # added: b, and two terms
    added = (tmp_path / "terms.new").read_bytes()
    table, docs = TermStore(store, "salt").load()
    assert table.vocabulary == ["attention", "heads", "speculative", "decoding"] and set(docs) == {"a", "b"}
    other, table = TermStore(store, "salt"), TermTable()  # nothing loaded: it writes in full ...
    other.save(table, {"c": table.encode(Counter({"routing": 1, "experts": 2}))})  # two terms too
    (tmp_path / "terms.new").write_bytes(added)  # ... and the old file of additions
    table, docs = TermStore(store, "salt").load()
    assert table.vocabulary == ["routing", "experts"] and set(docs) == {"c"}


def test_term_counts_are_kept_with_their_digests(tmp_path: Path) -> None:
    """The digest of each page's counts is kept beside them, in the full file and in what was
    added since: what a computation is handed is what hashing the counts gives."""
    store = Store(tmp_path)
    first = TermStore(store, "salt")
    table, docs = first.load()
    docs = {"a": table.encode(Counter({"attention": 2, "heads": 1}))}
    first.save(table, docs)  # the full file
    docs["b"] = table.encode(Counter({"speculative": 1, "attention": 3}))
    first.save(table, docs)  # added: b
    terms = TermStore(store, "salt")
    table, docs = terms.load()
    assert set(terms.sums) == {"a", "b"}
    docs["c"] = table.encode(Counter({"decoding": 2}))
    assert terms.doc_digests(["c", "b", "a"], docs) == [doc_digest(docs[d]) for d in ("c", "b", "a")]


def test_a_term_table_s_name_changes_with_its_terms(tmp_path: Path) -> None:
    """Related papers take a sorted vocabulary over only from a table of the same name: terms
    added but never saved, then others in their places, give another name."""
    store = Store(tmp_path)
    terms = TermStore(store, "salt")
    table, _ = terms.load()
    docs = {"a": table.encode(Counter({"attention": 2, "heads": 1}))}
    assert terms.table_id(table) == ""  # no full file holds it yet
    terms.save(table, docs)
    loaded = TermStore(store, "salt")
    table, docs = loaded.load()
    name = loaded.table_id(table)
    assert name and name == terms.table_id(table)
    table.encode(Counter({"speculative": 1}))  # added this build, the save then lost ...
    lost = loaded.table_id(table)
    assert lost != name
    again = TermStore(store, "salt")
    table, docs = again.load()
    table.encode(Counter({"decoding": 1}))  # ... and another term in its place next time
    assert again.table_id(table) not in (name, lost)


def test_an_edit_writes_only_how_the_manifest_changed(site: Path, tmp_path: Path) -> None:
    """The manifest is kept as the file last written in full and how it changed since: an
    edit writes a few entries, the next build reads both as one, and changes counted
    against another full file (a later full write, then an old file of changes) are not
    read."""
    build_site(site)
    full = (site / CACHE_DIR / "manifest").read_bytes()
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    assert build_site(site).reused
    changes = (site / CACHE_DIR / "manifest.new").read_bytes()
    assert (site / CACHE_DIR / "manifest").read_bytes() == full and len(changes) < len(full) // 4
    assert tree(site / "_site") == cold(site, tmp_path)
    store = Store(site / CACHE_DIR)
    now, written = manifest_module.load_manifest(store)
    assert now is not None and written is not None and now.entries != written.entries
    previous = manifest_module.Previous.load(store, site / "_site")
    assert previous.untouched and previous.entries == now.entries
    assert build_site(site).unchanged
    edit(site, "self-consistency-at-scale", "hand-edited vote", "twice-edited vote")
    build_site(site)
    now, _ = manifest_module.load_manifest(store)
    assert now is not None
    extended = now.name
    now.save(store)  # in full, under a new name ...
    (site / CACHE_DIR / "manifest.new").write_bytes(changes)  # ... beside the first edit's changes
    again, written = manifest_module.load_manifest(store)
    assert again is not None and again is written and again.name not in ("", extended)
    assert again.entries == now.entries


def test_a_carried_file_keeps_its_manifest_entry_itself(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the build leaves in place keeps the entry the previous build recorded, not a
    copy made for it: a day at 10,000 papers carries 13,000 files, and making an entry for
    each was most of the carry stage. The site is still the one a cold build makes."""
    build_site(site)
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    saved: list[tuple[manifest_module.Manifest, manifest_module.Manifest | None]] = []
    real_save = manifest_module.Manifest.save

    def save(
        self: manifest_module.Manifest, store: Store, written: manifest_module.Manifest | None = None
    ) -> None:
        saved.append((self, written))
        real_save(self, store, written)

    monkeypatch.setattr(manifest_module.Manifest, "save", save)
    report = build_site(site)
    assert report.reused and len(saved) == 1
    manifest, written = saved[0]
    assert written is not None
    searched = {path for _, paths in manifest.bundles.values() for path in paths}  # made by search
    carried = [
        p for p, entry in manifest.entries.items() if p not in searched and written.entries.get(p) == entry
    ]
    assert len(carried) > len(manifest.entries) // 2
    assert all(manifest.entries[path] is written.entries[path] for path in carried)
    assert tree(site / "_site") == cold(site, tmp_path)


def test_a_cold_build_names_the_term_table_its_vectors_were_weighed_with(site: Path) -> None:
    """A first computation weighs with a table no full file of counts holds yet; saving the
    counts names it, and the saved state says so, so the next build (an edit) takes the
    sorted vocabulary over instead of sorting every term again."""
    build_site(site)
    store, salt = Store(site / CACHE_DIR), code_version()
    terms = TermStore(store, salt)
    table, _ = terms.load()
    state = store.load("related", salt)[1]
    assert state.snapshot.vectors.table == terms.table_id(table) != ""


def test_an_edit_with_new_words_merges_them_into_the_kept_vocabulary(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words new to the site join the term table the last build saved: the build names that
    table as it loaded it, so the kept sorted vocabulary takes them in by a merge instead of
    sorting and renumbering every term, and the site is the one a cold build makes."""
    build_site(site)
    edit(site, "self-consistency-at-scale", "majority vote", "majority vote by zeugmatic quokkas")
    calls: list[str] = []
    renumbering, merged = related_index.renumbering, related_index.merged_vocabulary
    monkeypatch.setattr(related_index, "renumbering", lambda *a: calls.append("sorted") or renumbering(*a))
    monkeypatch.setattr(related_index, "merged_vocabulary", lambda *a: calls.append("merged") or merged(*a))
    build_site(site, parallel=False)
    assert calls == ["merged"]
    monkeypatch.undo()
    assert tree(site / "_site") == cold(site, tmp_path)


def test_a_build_makes_each_paper_s_feed_entry_once(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A paper is in the site's feed and in its tags': its entry is made once for all of them
    (the notes feed's entries, its notes, are its own)."""
    made: Counter[tuple[str, bool]] = Counter()
    entry = feeds._entry
    monkeypatch.setattr(
        feeds,
        "_entry",
        lambda config, p, tags, noted: made.update([(p.slug, noted)]) or entry(config, p, tags, noted),
    )
    build_site(site, parallel=False)
    assert made and set(made.values()) == {1}


def test_pages_from_the_cache_come_with_their_listing_dates(site: Path) -> None:
    """The plan looks at every page's dates: worked out once, when the page is parsed, and
    kept with it, they are not worked out again on every build."""
    papers, store = site / "content" / "papers", Store(site / CACHE_DIR)
    load_cached_pages(papers, store)
    pages = load_cached_pages(papers, store).pages
    assert all({"listed", "newest", "first_listed"} <= vars(page).keys() for page in pages)
    assert [(p.newest, p.first_listed) for p in pages] == [
        (p.newest, p.first_listed) for p in (s.page for s in read_pages(papers)[0])
    ]


def _new_paper(root: Path, slug: str, tag: str, listed: str) -> None:
    (root / "content" / "papers" / f"{slug}.md").write_text(
        f"---\ntitle: {slug}\nslug: {slug}\ntags: [{tag}]\n"
        f"sources:\n- {{file: 009.txt, line: 1, listed: {listed}}}\n---\nA new abstract.\n",
        encoding="utf-8",
    )


def test_a_new_day_redraws_only_the_charts_that_change(tmp_path: Path) -> None:
    """The fixture's days are one week: a paper on a new day of that week changes its own
    tag's chart only; the first paper of a new week adds a bar to every tag's chart."""
    root = copy_site(tmp_path / "site")
    out = root / "_site"
    build_site(root)
    fronts = sorted(p.relative_to(out).as_posix() for p in (out / "tags").glob("*.html"))

    def inodes() -> dict[str, int]:
        return {rel: os.stat(out / rel).st_ino for rel in fronts}

    before = inodes()
    _new_paper(root, "same-week-paper", "agents", "2025-03-13")
    build_site(root)
    after = inodes()
    changed = sorted(rel for rel in fronts if after[rel] != before[rel])
    assert changed == ["tags/agents.html", "tags/index.html"]  # its list, chart and count
    _new_paper(root, "new-week-paper", "agents", "2025-03-17")
    build_site(root)
    later = inodes()
    assert all(later[rel] != after[rel] for rel in fronts)
    assert tree(out) == cold(root, tmp_path)


def test_a_no_change_rebuild_skips_the_plan_and_reports_what_the_first_did(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _new_paper(site, "an-unknown-tag", "not-in-the-taxonomy", "2025-03-13")  # a plan warning
    first = build_site(site)
    assert any("not-in-the-taxonomy" in p.message for p in first.warnings)

    def no_plan(*args: object) -> None:
        raise AssertionError("planned a site that did not change")

    monkeypatch.setattr(pipeline, "plan_site", no_plan)
    again = build_site(site)
    assert again.unchanged
    counts = ("papers", "html_pages", "tags", "feeds", "files", "bytes", "warnings")
    assert [getattr(again, n) for n in counts] == [getattr(first, n) for n in counts]
    monkeypatch.undo()
    assert tree(site / "_site") == cold(site, tmp_path)


@pytest.mark.parametrize("change", ["page", "related", "output", "stylesheet", "file name"])
def test_anything_the_plan_reads_makes_a_rebuild_plan_again(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    build_site(site)
    papers = site / "content" / "papers"
    if change == "page":
        edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    elif change == "related":  # the same pages, other related papers (say, a new scoring)
        scored = pipeline.cached_related

        def reversed_related(*args: Any) -> RelatedLinks:
            return RelatedLinks.of({slug: links[::-1] for slug, links in scored(*args).links.items()})

        monkeypatch.setattr(pipeline, "cached_related", reversed_related)
    elif change == "output":
        (site / "_site" / "robots.txt").unlink()
    elif change == "stylesheet":
        static = site / "themes" / "default" / "static"
        static.mkdir(parents=True)
        (static / "style.css").write_text("body { color: rebeccapurple; }\n")
    else:  # the same bytes under another name: the same slug (front matter), new warnings' paths,
        # and the file's name an address that leads to the page (`layout.moved_papers`)
        (papers / "self-consistency-at-scale.md").rename(papers / "renamed-study.md")
    planned = []
    plan_site = pipeline.plan_site

    def counting(*args: Any) -> Any:
        planned.append(True)
        return plan_site(*args)

    monkeypatch.setattr(pipeline, "plan_site", counting)
    report = build_site(site)
    assert planned and not report.unchanged
    built = tree(site / "_site")
    assert ("papers/renamed-study.html" in built) == (change == "file name")
    out = tmp_path / "cold"
    build_site(site, out=out, cache=False)
    assert built == tree(out)


def test_a_new_day_rewrites_only_the_search_files_that_changed(site: Path, tmp_path: Path) -> None:
    out = site / "_site"
    build_site(site)
    search = out / "assets" / "search"

    def inodes() -> dict[str, int]:
        return {p.name: p.stat().st_ino for p in search.iterdir()}

    def data(name: str) -> bytes:
        return (search / name).read_bytes()

    before = inodes()
    chunks = sorted(name for name in before if name.startswith("d"))
    old = {name: data(name) for name in before}
    for i in range(5):
        _new_paper(site, f"new-day-paper-{i}", "agents", "2025-03-20")
    report = build_site(site)
    after = inodes()
    kept = sorted(name for name in before if after.get(name) == before[name])
    # the chunks of older papers are the same files (hard links), the newest ones are new
    assert kept and all(name.startswith("d") for name in kept)
    assert kept == sorted(name for name in after if name in old and data(name) == old[name])
    assert len(kept) >= len(chunks) - 2 and len(after) > len(before)
    assert report.reused >= len(kept)
    assert tree(out) == cold(site, tmp_path)


def test_an_edit_makes_only_the_document_chunk_of_the_edited_paper(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk whose papers show what they showed when its file was made is not made again;
    one whose file was changed on disk is."""
    build_site(site)
    made: list[list[str]] = []
    body = search_module.chunk_body
    monkeypatch.setattr(
        search_module, "chunk_body", lambda pages: made.append([p.slug for p in pages]) or body(pages)
    )
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")
    build_site(site, parallel=False)  # search in this process, where `made` is
    assert len(made) == 1 and "self-consistency-at-scale" in made[0]
    assert tree(site / "_site") == cold(site, tmp_path)
    chunk = sorted((site / "_site" / "assets" / "search").glob("d*.js"))[0]
    chunk.write_bytes(chunk.read_bytes().replace(b'"d":', b'"d" :'))
    made.clear()
    build_site(site, parallel=False)
    assert len(made) == 1 and tree(site / "_site") == cold(site, tmp_path, "cold-2")


def test_a_chunk_remembered_from_a_build_that_failed_is_made_again(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build that failed after the search files were made remembers chunks the site never
    got: the file on disk is the older one, which its bytes' digest tells."""
    build_site(site)
    edit(site, "self-consistency-at-scale", "majority vote", "hand-edited vote")

    def fail(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(pipeline.NewSite, "swap", fail)
        with pytest.raises(OSError):
            build_site(site, parallel=False)  # the search files are made before the swap
    build_site(site)
    assert tree(site / "_site") == cold(site, tmp_path)


def test_every_field_search_reads_rebuilds_the_search_files(site: Path, tmp_path: Path) -> None:
    """New tags, an abstract, a later listing day: each reaches the search files (as a cold
    build makes them), the rest of the page file does not have to."""
    build_site(site)

    def search_files() -> dict[str, bytes]:
        return {p: data for p, data in tree(site / "_site").items() if p.startswith("assets/search")}

    for old, new in (
        ("tags: [reasoning]", "tags: [reasoning, agents]"),
        ("listed: 2025-03-10}", "listed: 2025-03-10}\n- {file: 009_later.txt, line: 3, listed: 2025-04-02}"),
        ("majority vote", "plurality vote"),
    ):
        before = search_files()
        edit(site, "self-consistency-at-scale", old, new)
        build_site(site)
        assert search_files() != before, new
        assert tree(site / "_site") == cold(site, tmp_path), new


def test_an_edit_search_does_not_see_leaves_the_search_files_unbuilt(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person's own front-matter key changes the paper's page, not what search reads of it
    (slug, title, abstract, tags, latest listing): the search files are carried over without
    building the index again. A new title is built again."""
    build_site(site)

    def no_index(*args: Any) -> Any:
        raise AssertionError("the search index was built again")

    edit(
        site,
        "self-consistency-at-scale",
        "slug: self-consistency-at-scale\n",
        "slug: self-consistency-at-scale\nrating: 5\n",
    )
    with monkeypatch.context() as patch:
        patch.setattr(search_index_module, "build_index", no_index)  # a forked search process inherits it
        build_site(site)
        edit(
            site,
            "self-consistency-at-scale",
            "title: Self-Consistency at Scale",
            "title: Self-Consistency, Again",
        )
        with pytest.raises((RuntimeError, AssertionError), match="built again"):
            build_site(site)
    build_site(site)
    assert tree(site / "_site") == cold(site, tmp_path)


def test_an_edit_with_no_new_word_keeps_the_coded_word_list(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index's word list is coded again only when its words change: an abstract that
    repeats words the site has keeps it; a new word codes it again. Both as cold builds."""
    build_site(site)

    def no_coding(*args: Any) -> Any:
        raise AssertionError("the word list was coded again")

    with monkeypatch.context() as patch:
        patch.setattr(search_words, "front_coded", no_coding)  # a forked search process inherits it
        edit(site, "self-consistency-at-scale", "majority vote", "majority vote, majority vote")
        build_site(site)
    assert tree(site / "_site") == cold(site, tmp_path)
    with monkeypatch.context() as patch:
        patch.setattr(search_words, "front_coded", no_coding)
        edit(site, "self-consistency-at-scale", "majority vote,", "zyzzyvaword vote,")
        with pytest.raises((RuntimeError, AssertionError), match="coded again"):
            build_site(site)
    build_site(site)
    assert tree(site / "_site") == cold(site, tmp_path)


def test_a_build_run_from_elsewhere_names_the_pages_as_before_and_plans_nothing(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Page files are named from the site's root (what warnings say), so a build run from
    another folder, with another `--root`, finds nothing changed and plans nothing."""
    build_site(site)
    monkeypatch.chdir(site.parent)
    before = tree(site / "_site")

    def no_plan(*args: object) -> None:
        raise AssertionError("planned again")

    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "plan_site", no_plan)
        assert build_site(Path(site.name)).unchanged
    assert tree(site / "_site") == before == cold(site, tmp_path)


@pytest.mark.parametrize("relative", [False, True], ids=["absolute-root", "root-dot"])
def test_page_files_ingest_read_under_a_new_stat_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: bool
) -> None:
    """A CI run checks the pages out (every file a new stat), ingests, then builds: the build
    trusts the stat ingest read each file's bytes under and reads none of them again, with
    the site given by its path or as `.` (`site-builder` run inside it, as CI does)."""
    monkeypatch.setattr(pagecache, "INGEST_SEEN_FROM", 2)  # the fixture has seven pages, not hundreds
    site = make_site(tmp_path / "site", "dumps")
    root = site
    if relative:
        monkeypatch.chdir(site)
        root = Path(".")
    run_ingest(root)
    build_site(root)
    papers = site / "content" / "papers"
    copied_anew(papers)  # new inodes and times
    time.sleep(content_files.RACY_NS / 1e9 + 0.05)  # checked out before ingest looks
    assert run_ingest(root).changed == []
    read: list[str] = []
    read_page = pagecache.file_bytes

    def reading(path: Path) -> bytes | None:
        read.append(path.name)
        return read_page(path)

    monkeypatch.setattr(pagecache, "file_bytes", reading)
    assert build_site(root).unchanged and read == []
    # A page edited after ingest read it has another stat: the build reads it.
    page = next(papers.glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nA note.\n", encoding="utf-8")
    report = build_site(root)
    assert read == [page.name] and not report.unchanged
    assert tree(site / "_site") == cold(site, tmp_path)


def test_a_day_that_only_relists_a_paper_shows_as_a_cold_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer's day relisting one paper left the archive index without the new day
    ("Latest days" was not in its key) and trends "up to the week of" the day before."""
    root = make_site(tmp_path / "site")
    sources = root / "content" / "sources"
    sources.mkdir(exist_ok=True)
    for old in sources.iterdir():
        old.unlink()
    papers = {
        "Sparse Attention for Long Inputs": "We propose a sparse attention method for long inputs.",
        "Agents That Use Tools Reliably": "We study tool use by language model agents in web tasks.",
        "Diffusion Models for Protein Design": "We design proteins with a diffusion model over structures.",
    }
    days = [("Dec 28", list(papers)), ("Dec 29", ["Sparse Attention for Long Inputs"])]
    for n, (day, titles) in enumerate(days, 1):
        text = f"{day}\n\n" + "".join(f"{t}\n\n{papers[t]}\n\n" for t in titles)
        (sources / f"dump-{n}.txt").write_text(text, encoding="utf-8")
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1798416000 + (n - 1) * 86400 + 43200))  # Dec 28, 29, noon
        run_ingest(root)
        build_site(root)
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("_site", ".site-cache"))
    build_site(cold)
    assert "archive/2026/12-29.html" in (root / "_site" / "archive" / "index.html").read_text(
        encoding="utf-8"
    )
    assert tree(root / "_site") == tree(cold / "_site")


def test_a_copied_sites_large_file_is_recognised_without_being_read_whole(tmp_path: Path) -> None:
    """A site copied anew (new times) has its files recognised by their bytes: the offline
    copy, 300 MB at 50,000 papers, was read whole into memory to be hashed."""
    import tracemalloc

    from site_builder.core.runtime.hashing import bytes_digest

    data = os.urandom(1 << 20) * 12
    (tmp_path / "big.zip").write_bytes(data)
    tracemalloc.start()
    try:
        found = manifest_module._bytes_digest(tmp_path, "big.zip")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == bytes_digest(data)
    assert peak < 4 << 20, f"{peak:,} bytes held"

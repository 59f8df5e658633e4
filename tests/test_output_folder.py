"""Which output folders a build may replace, and what in them stays a person's."""

from __future__ import annotations

import os
import pickle
import re
import shutil
from pathlib import Path

import pytest
from helpers import copy_site, fake_built_site

from site_builder.build.layout import SEARCH_FILES
from site_builder.build.output.folder import (
    GENERATOR,
    SITE_NAMES,
    check_output,
    keep_paths,
    kept_and_made,
)
from site_builder.build.pipeline import build_site
from site_builder.core.errors import SiteError


def test_refuses_folders_that_are_not_sites(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    own = [root / "content", root / "themes"]

    def check(out: Path) -> None:
        check_output(out, own, root, built_here=False)

    check(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    check(tmp_path / "empty")
    check(fake_built_site(tmp_path / "ours", "x"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("x")
    with pytest.raises(SiteError, match="refusing to replace this folder"):
        check(tmp_path / "docs")
    (tmp_path / "file").write_text("x")
    with pytest.raises(SiteError, match="not a folder"):
        check(tmp_path / "file")
    os.symlink(tmp_path / "ours", tmp_path / "link")
    with pytest.raises(SiteError, match="is a symbolic link, which a build would replace; give its target"):
        check(tmp_path / "link")
    for bad in (root, tmp_path, root / "content", root / "content" / "_site", root / "themes"):
        with pytest.raises(SiteError, match="cannot be"):
            check(bad)


def test_a_home_page_copied_into_a_web_root_does_not_make_it_a_site(tmp_path: Path) -> None:
    """A reviewer's web root (blog/, notes.txt) with one of our index.html copied in was
    taken for a site and replaced whole."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    web = fake_built_site(tmp_path / "webroot", "copied")
    (web / "blog").mkdir()
    (web / "notes.txt").write_text("secret")
    with pytest.raises(SiteError) as refused:
        check_output(web, [root / "content"], root, built_here=False)
    assert str(refused.value) == (
        f"{web}: error: refusing to replace this folder: it holds blog, notes.txt, which no build makes; "
        "move them out, name them in keep_files:, or choose another --out"
    )
    check_output(web, [root / "content"], root, built_here=False, keep=keep_paths(["blog", "notes.txt"]))


def test_a_copied_site_with_a_persons_files_below_its_top_is_refused(tmp_path: Path) -> None:
    """A reviewer copied `_site/` into a web root, added `assets/my-logo.png`,
    `papers/my-old-post.html` and `.site_builder-notes.txt`, and built into it: all three
    were deleted (only the folder's top level was looked at, and `.site_builder*` names not
    at all)."""
    root = copy_site(tmp_path / "site")
    build_site(root)
    web = tmp_path / "webroot"
    shutil.copytree(root / "_site", web)
    (web / ".site_builder-notes.txt").write_text("mine")
    with pytest.raises(SiteError, match=r"it holds \.site_builder-notes\.txt, which no build makes"):
        build_site(root, out=web)
    (web / ".site_builder-notes.txt").unlink()
    for name in (".site_builder.tmp-keep", ".site_builder.old-2024"):  # a build's names, nearly: a fuzzer's
        (web / name).mkdir()
        (web / name / "data.txt").write_text("mine")
        with pytest.raises(SiteError, match=rf"it holds {re.escape(name)}, which no build makes"):
            build_site(root, out=web)
        assert (web / name / "data.txt").read_text() == "mine"
        shutil.rmtree(web / name)
    mine = ["assets/my-logo.png", "papers/my-old-post.html"]
    for rel in mine:
        (web / rel).write_text("mine")
    with pytest.raises(SiteError) as refused:
        build_site(root, out=web)
    assert str(refused.value) == (
        f"{web}: error: refusing to replace this folder: it holds assets/my-logo.png, papers/my-old-post.html, "
        "which this build does not make; move them out, name them in keep_files:, or empty the folder"
    )
    assert all((web / rel).read_text() == "mine" for rel in mine)
    for rel in mine:
        (web / rel).unlink()
    build_site(root, out=web)  # the copy alone: the build takes it over
    assert (web / "index.html").is_file()
    # The search bundle's files are known by their form: every one the build wrote has it.
    files = [p.relative_to(web).as_posix() for p in (web / "assets").rglob("*") if p.is_file()]
    search = [rel for rel in files if rel.startswith(("assets/search/", "assets/search-index"))]
    assert len(search) > 3 and all(SEARCH_FILES.fullmatch(rel) for rel in search), search


def test_a_site_built_here_before_is_taken_over_without_its_cache(tmp_path: Path) -> None:
    """`.site-cache` is always safe to delete: without it, the files an earlier build made
    that this one no longer makes (a deleted paper's page, a renamed tag's feed) are known
    by what they say or how they are named, not taken for a person's."""
    root = copy_site(tmp_path / "site")
    build_site(root)
    (root / "content" / "papers" / "paged-attention-revisited.md").unlink()
    shutil.rmtree(root / ".site-cache")
    build_site(root)
    assert not (root / "_site" / "papers" / "paged-attention-revisited.html").exists()


def test_the_notes_feed_of_a_site_whose_notes_were_removed_is_taken_over_without_its_cache(
    tmp_path: Path,
) -> None:
    """The last note removed and `.site-cache` deleted (always safe, the docs say): the build
    refused `_site`, "it holds reading-notes.xml, which this build does not make", taking
    the notes feed an earlier build wrote for a person's file (the notes page met the cache)."""
    root = copy_site(tmp_path / "site")
    build_site(root)
    assert (root / "_site" / "reading-notes.xml").exists()
    page = root / "content" / "papers" / "how-well-do-judges-judge.md"
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"^notes: .*\n", "", text, flags=re.M).split("\n## Notes")[0] + "\n"
    page.write_text(text, encoding="utf-8")
    shutil.rmtree(root / ".site-cache")
    build_site(root)
    assert not (root / "_site" / "reading-notes.xml").exists()
    assert not (root / "_site" / "reading-notes.html").exists()


def test_a_sites_own_pages_are_not_taken_for_a_persons_files_without_the_cache(tmp_path: Path) -> None:
    """A page from content/pages lies at the top of the site (`about.html`): after the cache
    was lost (or the tool upgraded, which starts a new one) every build refused `_site`,
    naming the site's own page as a person's file (a reader review)."""
    root = copy_site(tmp_path / "site")
    pages = root / "content" / "pages"
    pages.mkdir()
    (pages / "about.md").write_text("---\ntitle: About\n---\nWho we are.\n", encoding="utf-8")
    build_site(root)
    shutil.rmtree(root / ".site-cache")
    build_site(root)
    assert "Who we are." in (root / "_site" / "about.html").read_text()
    (pages / "about.md").unlink()  # a page deleted with the cache: its output goes too
    shutil.rmtree(root / ".site-cache")
    build_site(root)
    assert not (root / "_site" / "about.html").exists()
    (root / "_site" / "notes.txt").write_text("mine", encoding="utf-8")  # a person's file: refused
    shutil.rmtree(root / ".site-cache")
    with pytest.raises(SiteError, match=r"notes\.txt"):
        build_site(root)
    assert (root / "_site" / "notes.txt").read_text() == "mine"


def test_a_theme_without_the_generator_tag_still_builds_over_its_own_site(tmp_path: Path) -> None:
    """A theme's own base.html that leaves out `<meta name="generator">`: once the cache was
    gone, the build refused the site it had made ("no build made it"), a code review."""
    from site_builder.build.render.theme import PACKAGE_THEME

    root = copy_site(tmp_path / "site")
    base = (PACKAGE_THEME / "templates" / "base.html").read_text(encoding="utf-8")
    own = root / "themes" / "default" / "templates" / "base.html"
    own.parent.mkdir(parents=True)
    own.write_text(base.replace(GENERATOR.decode() + "\n", "").replace("<head>", "<HEAD data-x=1>"), "utf-8")
    build_site(root)
    home = (root / "_site" / "index.html").read_text(encoding="utf-8")
    assert home.count(GENERATOR.decode()) == 1 and f"<HEAD data-x=1>\n{GENERATOR.decode()}" in home
    shutil.rmtree(root / ".site-cache")
    build_site(root)  # taken over, not refused
    assert (root / "_site" / "index.html").read_text(encoding="utf-8") == home


def test_a_built_site_holds_only_what_site_names_lists(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    build_site(root, tmp_path / "out", parallel=False)
    assert set(os.listdir(tmp_path / "out")) <= SITE_NAMES


def test_a_kept_path_the_build_makes_is_found() -> None:
    made = ["index.html", "robots.txt", "papers/a.html", "papers/b.html"]
    assert kept_and_made(keep_paths(["robots.txt", "papers/", "downloads"]), made) == {
        "robots.txt": "robots.txt",
        "papers/": "papers/a.html",
    }


def _first_version_site(root: Path) -> Path:
    """The fixture site as site_builder's first versions (5af8453a, 2026-12-02) left it: its
    pages without `<meta name="generator">`, and in `.site-cache/build/` the manifest that
    version wrote (its header, the code's hash, a digest, then a pickle naming the folder
    and each file), which this version cannot load."""
    build_site(root)
    out = root / "_site"
    for page in out.rglob("*.html"):
        page.write_bytes(page.read_bytes().replace(GENERATOR + b"\n", b""))
    files = {
        p.relative_to(out).as_posix(): "13452e77f0a38851d53a5f56c9e88fb3"
        for p in out.rglob("*")
        if p.is_file()
    }
    shutil.rmtree(root / ".site-cache")
    (root / ".site-cache" / "build").mkdir(parents=True)
    body = pickle.dumps({"out": str(out.resolve()), "entries": files}, protocol=5)
    head = b"site_builder build cache 1\nae913541ca0ab7e7dcd1c26817885343\n" + bytes(16)
    (root / ".site-cache" / "build" / "manifest").write_bytes(head + body)
    return out


def test_a_site_the_first_versions_built_is_taken_over_after_an_upgrade(tmp_path: Path) -> None:
    """A site made with the first versions and upgraded: its first build refused its own
    `_site` ("no build made it"), which every local copy still had. The manifest the old
    build left names the folder and its files: the build replaces them."""
    root = copy_site(tmp_path / "site")
    out = _first_version_site(root)
    assert GENERATOR not in (out / "index.html").read_bytes()
    build_site(root)
    assert GENERATOR in (out / "index.html").read_bytes()


def test_a_persons_file_in_a_site_the_first_versions_built_is_still_refused(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    out = _first_version_site(root)
    (out / "assets" / "logo.svg").write_text("<svg/>", encoding="utf-8")  # no manifest names it
    with pytest.raises(SiteError, match=r"assets/logo\.svg, which this build does not make"):
        build_site(root)
    assert (out / "assets" / "logo.svg").read_text(encoding="utf-8") == "<svg/>"
    (out / "assets" / "logo.svg").unlink()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SiteError, match=r"notes\.txt, which no build makes"):
        build_site(root)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"

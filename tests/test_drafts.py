"""`draft: true`: a page kept in content/papers/ but left out of the built site, as Hugo,
Zola and Jekyll do; `build --drafts` (and `serve --drafts`) shows drafts, marked.

What a reader notices: the draft's page, listings, feeds, sitemap, search and related
papers are those of the site without the page; a preview shows it with a "Draft" label.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import copy_site, read_dom, search_in_node, tree, write_synthetic_pages
from ingest_helpers import make_site, run_cli

from site_builder.build.pipeline import build_site
from site_builder.commands.check import check_site
from site_builder.commands.check_content import content_check
from site_builder.commands.serve import DevServer
from site_builder.core.errors import SiteError
from site_builder.core.pages.pagefile import read_page
from site_builder.ingest.pipeline import run_ingest
from site_builder.ingest.summary import format_summary

SLUG = "self-consistency-at-scale"
TITLE = "Self-Consistency at Scale"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = copy_site(tmp_path / "site")
    write_synthetic_pages(root / "content" / "papers", 30)
    return root


def page_file(root: Path, slug: str = SLUG) -> Path:
    return root / "content" / "papers" / f"{slug}.md"


def set_draft(root: Path, value: str | None, slug: str = SLUG) -> None:
    """Write `draft: VALUE` into the page's front matter (after its title), or take it off."""
    path = page_file(root, slug)
    lines = [line for line in path.read_text(encoding="utf-8").split("\n") if not line.startswith("draft:")]
    if value is not None:
        lines.insert(2, f"draft: {value}")
    path.write_text("\n".join(lines), encoding="utf-8")


# --- the page file ------------------------------------------------------------------------------


def test_draft_true_is_read_and_false_is_no_draft(site: Path) -> None:
    set_draft(site, "true")
    stored, problems = read_page(page_file(site), "content/papers/x.md")
    assert problems == [] and stored is not None and stored.page.draft
    set_draft(site, "false")
    stored, problems = read_page(page_file(site), "content/papers/x.md")
    assert problems == [] and stored is not None and not stored.page.draft
    set_draft(site, None)
    stored, _ = read_page(page_file(site), "content/papers/x.md")
    assert stored is not None and not stored.page.draft


@pytest.mark.parametrize(
    ("value", "said"),
    [("maybe", "'maybe'"), ('"yes"', "'yes'"), ("1", "1"), ("", "an empty value"), ("[true]", "[True]")],
)
def test_a_draft_that_is_not_true_or_false_is_an_error_at_its_line(site: Path, value: str, said: str) -> None:
    set_draft(site, value)
    stored, problems = read_page(page_file(site), "content/papers/x.md")
    assert stored is None
    assert [p.format() for p in problems] == [
        "content/papers/x.md:3: error: 'draft' is true (the page stays off the site) or false, "
        f"unquoted; {said} is neither"
    ]


def test_a_bad_draft_value_stops_the_build_with_its_line_not_a_traceback(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_draft(site, '"yes"')
    code, _, err = run_cli(capsys, "--root", str(site), "build")
    assert code == 1 and "Traceback" not in err
    assert f"content/papers/{SLUG}.md:3: error: 'draft' is true" in err
    assert "'yes' is neither" in err


# --- the build ----------------------------------------------------------------------------------


def test_a_draft_is_left_out_of_everything_a_reader_sees(site: Path, tmp_path: Path) -> None:
    """The site with a draft is, byte for byte, the site without its page: no paper page, no
    listing, count, feed entry, sitemap URL, search entry or related link."""
    gone = copy_site(tmp_path / "gone")
    write_synthetic_pages(gone / "content" / "papers", 30)
    page_file(gone).unlink()
    build_site(gone, out=tmp_path / "without", cache=False)
    set_draft(site, "true")
    report = build_site(site, out=tmp_path / "drafted", cache=False)
    built = tree(tmp_path / "drafted")
    assert built == tree(tmp_path / "without")
    assert f"papers/{SLUG}.html" not in built
    assert not [path for path, data in built.items() if SLUG.encode() in data or TITLE.encode() in data]
    assert report.drafts == 1 and report.papers == 41
    assert "(1 draft left out: `--drafts` builds it)" in report.summary()[0]


def test_build_drafts_shows_the_draft_marked_and_the_rest_as_if_it_were_published(
    site: Path, tmp_path: Path
) -> None:
    build_site(site, out=tmp_path / "published", cache=False)
    set_draft(site, "true")
    report = build_site(site, out=tmp_path / "preview", cache=False, drafts=True)
    preview, published = tree(tmp_path / "preview"), tree(tmp_path / "published")
    page = f"papers/{SLUG}.html"
    assert report.drafts == 0 and report.papers == 42
    dom = read_dom(tmp_path / "preview" / page)
    assert dom.find(class_="paper-draft").text().startswith("Draft")
    assert dom.find("meta", name="robots").attrs["content"] == "noindex"
    assert b"paper-draft" not in published[page]
    # Only the draft's own page differs: its label; every list, feed and search file is the same.
    assert {path for path in preview if preview[path] != published.get(path)} == {page}
    assert b"paper-draft" not in b"".join(data for path, data in preview.items() if path != page)


def test_search_and_the_saved_list_do_not_find_a_draft(site: Path, tmp_path: Path) -> None:
    """A search for the draft's words finds nothing, and a reader who saved the paper before
    it became a draft no longer gets its page from the saved list's data."""
    set_draft(site, "true")
    out, preview = tmp_path / "out", tmp_path / "preview"
    build_site(site, out=out, cache=False)
    build_site(site, out=preview, cache=False, drafts=True)
    query = {
        "queries": [{"q": "self-consistency adaptive stopping rule"}],
        "papers": [{"slug": SLUG, "title": TITLE}],
    }
    found, shown = (
        search_in_node({"site": str(out), **query}),
        search_in_node({"site": str(preview), **query}),
    )
    assert f"papers/{SLUG}.html" in json.dumps(shown)
    assert f"papers/{SLUG}.html" not in json.dumps(found)


def test_build_help_names_drafts(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("build", "serve"):
        code, out, _ = run_cli(capsys, name, "--help")
        said = " ".join(out.split())  # as wrapped at any terminal's width
        assert code == 0 and "--drafts build pages with `draft: true` too" in said


def test_build_drafts_on_the_command_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_draft(site, "true")
    code, out, _ = run_cli(capsys, "--root", str(site), "build")
    assert code == 0 and "1 draft left out" in out
    assert not (site / "_site" / "papers" / f"{SLUG}.html").exists()
    code, out, _ = run_cli(capsys, "--root", str(site), "build", "--drafts")
    assert code == 0 and "draft left out" not in out
    assert (site / "_site" / "papers" / f"{SLUG}.html").is_file()


def test_serve_drafts_builds_the_drafts(site: Path) -> None:
    set_draft(site, "true")
    server = DevServer(site, site / "_site", 0, say=lambda *a: None, warn=lambda *a: None, drafts=True)
    try:
        assert server.rebuild()
        assert (site / "_site" / "papers" / f"{SLUG}.html").is_file()
    finally:
        server.httpd.server_close()


# --- check --------------------------------------------------------------------------------------


def test_check_passes_a_link_to_a_draft_and_counts_the_drafts(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page of the person's own linking a paper made a draft is no broken link: the draft
    is meant to be off the site (until it is published)."""
    (site / "content" / "pages").mkdir()
    about = "---\ntitle: About\n---\nSee [this one](papers/self-consistency-at-scale.html).\n"
    (site / "content" / "pages" / "about.md").write_text(about, encoding="utf-8")
    set_draft(site, "true")
    build_site(site)
    assert 'href="papers/self-consistency-at-scale.html"' in (site / "_site" / "about.html").read_text(
        encoding="utf-8"
    )
    code, out, err = run_cli(capsys, "--root", str(site), "check")
    assert "no such file" not in err
    assert "1 draft page(s) left out of the site (draft: true)" in out and "built" not in out
    assert code == 0
    build_site(site, drafts=True)
    code, out, _ = run_cli(capsys, "--root", str(site), "check")
    assert code == 0 and "1 draft page(s) built, as `build --drafts` previews them" in out
    assert "left out" not in out
    # A link to a page that is neither built nor a draft is still broken.
    set_draft(site, None)
    page_file(site).unlink()
    build_site(site)
    assert any("no such file" in p.message for p in check_site(site / "_site"))


def test_check_does_not_count_drafts_in_a_site_without_them(site: Path) -> None:
    build_site(site)
    assert not [p for p in content_check(site).problems if "draft" in p.message]


# --- ingest -------------------------------------------------------------------------------------


def test_ingest_keeps_a_draft_a_draft_and_makes_no_second_page(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site", "dumps")
    run_ingest(root)
    papers = root / "content" / "papers"
    names = sorted(p.name for p in papers.glob("*.md"))
    target = next(p for p in papers.glob("*.md") if "QuickServe" in p.read_text(encoding="utf-8"))
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("\ntags:", "\ndraft: true\ntags:", 1), encoding="utf-8")
    drafted = target.read_text(encoding="utf-8")
    result = run_ingest(root)
    assert not result.failed and result.changed == []
    assert target.read_text(encoding="utf-8") == drafted
    pages = next(line for line in format_summary(result) if line.startswith("pages: "))
    assert pages.endswith(" unchanged, 1 draft(s) (`build` leaves them out)")
    # A new dump lists the paper again: its page's sources grow, it stays a draft, no new page.
    first = (root / "content" / "sources" / "2024-03-12.txt").read_text(encoding="utf-8")
    title = "QuickServe: Prefix-Aware Batching for LLM Serving"
    lines = first.split("\n")
    at = lines.index(title)
    abstract = next(line for line in lines[at + 1 :] if line.strip())
    (root / "content" / "sources" / "2024-03-20.txt").write_text(f"Mar 20\n\n{title}\n\n{abstract}\n")
    result = run_ingest(root)
    assert not result.failed
    assert sorted(p.name for p in papers.glob("*.md")) == names
    after = target.read_text(encoding="utf-8")
    assert "draft: true" in after and "2024-03-20.txt" in after and "listed: 2024-03-20" in after
    stored, problems = read_page(target, "x.md")
    assert problems == [] and stored is not None and stored.page.draft
    build_site(root, cache=False)
    assert not (root / "_site" / "papers" / f"{target.stem}.html").exists()
    assert json.dumps(title)[1:-1].encode() not in b"".join(tree(root / "_site").values())


def test_drafts_stay_out_of_the_site_when_every_page_is_one(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    for path in sorted((root / "content" / "papers").glob("*.md")):
        set_draft(root, "true", path.stem)
    report = build_site(root, cache=False)
    assert report.papers == 0 and report.drafts == 12
    assert [p.name for p in (root / "_site" / "papers").glob("*.html")] == ["index.html"]  # sends readers on


def test_a_page_of_your_own_with_draft_true_is_left_out_too(site: Path, tmp_path: Path) -> None:
    """`content/pages/about.md` with `draft: true` was published, linked from every page's
    footer, the `draft:` read by no one; a wrong value there was taken without a word."""
    own = site / "content" / "pages"
    own.mkdir(exist_ok=True)
    (own / "about.md").write_text("---\ntitle: About us\ndraft: true\n---\nNot ready.\n", encoding="utf-8")
    report = build_site(site, tmp_path / "out", parallel=False)
    assert not (tmp_path / "out" / "about.html").exists() and report.drafts == 1
    assert b"about.html" not in (tmp_path / "out" / "index.html").read_bytes()
    build_site(site, tmp_path / "preview", parallel=False, drafts=True)
    assert b"Not ready." in (tmp_path / "preview" / "about.html").read_bytes()
    (own / "about.md").write_text("---\ntitle: About us\ndraft: maybe\n---\nNot ready.\n", encoding="utf-8")
    with pytest.raises(SiteError) as failed:
        build_site(site, tmp_path / "out", parallel=False)
    assert [p.format() for p in failed.value.problems] == [
        "content/pages/about.md:3: error: 'draft' is true (the page stays off the site) or false, "
        "unquoted; 'maybe' is neither"
    ]

"""`site-builder check`: it passes a good site and names what is wrong with a bad one."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from helpers import copy_site, write_paper

from site_builder.build import feeds
from site_builder.build.pipeline import build_site
from site_builder.cli import main
from site_builder.commands import check_html
from site_builder.commands.check import check_site
from site_builder.core.files.store import Store


@pytest.fixture
def site(built_site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "_site"
    shutil.copytree(built_site, out)
    return out


def messages(out: Path) -> list[str]:
    return [p.format().replace(str(out) + "/", "") for p in check_site(out)]


def test_a_good_site_passes(site: Path) -> None:
    assert check_site(site) == []


def test_a_second_check_parses_only_the_pages_that_changed(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What each HTML file holds and needs is remembered by its text: the next check parses
    only the files that changed, and the pages it has something to say about (for their
    messages). It finds a broken link a changed page gained, and what unchanged pages lose
    when a page they link to is deleted, or loses the id they link to."""
    store = Store(tmp_path / "cache")
    *others, deleted = sorted((site / "papers").glob("*.html"))
    first, second = [p for p in others if deleted.name not in p.read_text()][:2]
    first.write_text(first.read_text().replace("</main>", '<a href="../index.html#main">top</a></main>'))
    assert check_site(site, store=store) == []
    parsed: list[str] = []
    parse = check_html.parse_html

    def counting(text: str) -> check_html.ParsedPage:
        parsed.append(text)
        return parse(text)

    monkeypatch.setattr(check_html, "parse_html", counting)
    assert check_site(site, store=store) == [] and parsed == []
    search = site / "search.html"
    search.write_text(search.read_text().replace("</main>", '<a href="gone.html">x</a></main>'))
    deleted.unlink()
    second.write_text(second.read_text().replace("</main>", "<script>inline()</script></main>"))
    home = site / "index.html"
    home.write_text(home.read_text().replace('id="main"', 'id="moved"'))
    found = [p.format().replace(str(site) + "/", "") for p in check_site(site, store=store)]
    assert any(m.startswith("search.html:") and "'gone.html'>: no such file" in m for m in found)
    assert any(f"{deleted.name}'>: no such file" in m for m in found)
    assert any(
        m.startswith(f"papers/{first.name}:") and "no element with id 'main' in index" in m for m in found
    )
    assert any(m.startswith(f"papers/{second.name}:") and "inline <script>" in m for m in found)
    reported = {m.split(":")[0] for m in found if m.split(":")[0].endswith(".html")}
    assert len(parsed) == 3 + len(reported)  # the three changed pages, then each page reported
    assert found == [p.format().replace(str(site) + "/", "") for p in check_site(site)]  # as without a cache


def test_no_site(tmp_path: Path) -> None:
    assert messages(tmp_path) == [
        f"{tmp_path}: error: no built site here (no index.html); run `site-builder build`"
    ]


def test_bad_links_and_csp_offences(site: Path) -> None:
    page = site / "tags" / "index.html"
    html = page.read_text().replace(
        "</main>",
        '<a href="/papers/x.html">root-absolute</a><a href="../papers">folder</a>'
        '<a href="#nowhere">frag</a><a href="../index.html#nowhere">frag2</a>'
        '<a href="../../outside.html">out</a><a href="https://example.com/">fine</a>'
        '<img src="pic.png" onerror="x()"><script>inline()</script><style>p{}</style><p style="color:red">s</p>'
        '<script type="application/ld+json">{"@type": "Thing"}</script>'
        '<link rel="stylesheet" href="https://cdn.example/x.css"><script src="//cdn.example/x.js"></script></main>',
    )
    page.write_text(html)
    line = html[: html.index("root-absolute")].count("\n") + 1
    assert messages(site) == sorted(
        f"tags/index.html:{line}: error: {m}"
        for m in [
            "<a href='/papers/x.html'>: absolute path; use a relative URL so the site works under a sub-path and from file://",
            "<a href='../papers'>: points at a folder; link the file (folder URLs do not work from file://)",
            "<a href='#nowhere'>: no element with id 'nowhere' in this page",
            "<a href='../index.html#nowhere'>: no element with id 'nowhere' in index.html",
            "<a href='../../outside.html'>: points outside the site",
            "<img src='pic.png'>: no such file in the site",
            "inline event handler onerror= on <img>",
            "inline <script> (blocked by the Content-Security-Policy)",
            "inline <style> (blocked by the Content-Security-Policy)",
            "inline style= on <p>",
            "<link> loads 'https://cdn.example/x.css' from another site (blocked by the "
            "Content-Security-Policy); put the file under themes/default/static/",
            "<script> loads '//cdn.example/x.js' from another site (blocked by the "
            "Content-Security-Policy); put the file under themes/default/static/",
        ]
    )


def test_broken_xml_and_missing_files(site: Path) -> None:
    (site / "tags" / "agents.xml").write_text("<feed><entry></feed>")
    (site / "robots.txt").unlink()
    found = messages(site)
    assert found[0] == "robots.txt: error: missing"
    assert found[1].startswith("tags/agents.xml:1: error: not well-formed XML: mismatched tag")
    assert len(found) == 2


def test_feed_entries_and_sitemap_must_point_at_pages(site: Path) -> None:
    feed = site / "feed.xml"
    feed.write_text(feed.read_text().replace("papers/self-consistency-at-scale.html", "papers/gone.html"))
    sitemap = site / "sitemap.xml"
    sitemap.write_text(
        sitemap.read_text().replace("papers/paged-attention-revisited.html", "papers/gone.html")
    )
    assert messages(site) == [
        "feed.xml: error: entry link 'https://example.org/some-repo/papers/gone.html' is not a page of this site",
        "sitemap.xml: error: https://example.org/some-repo/papers/gone.html: no such page in the site",
        "sitemap.xml: error: papers/paged-attention-revisited.html is not listed",
    ]


def test_a_feed_entry_id_given_twice_is_named(site: Path) -> None:
    """Feed readers tell entries apart by id: a theme's feed repeating one loses a paper."""
    feed = site / "feed.xml"
    text = feed.read_text()
    ids = re.findall(r"<id>(urn:uuid:[^<]*)</id>", text)
    feed.write_text(text.replace(f"<id>{ids[1]}</id>", f"<id>{ids[0]}</id>"))
    assert messages(site) == [f"feed.xml: error: entry id {ids[0]!r} is missing or repeated"]


def test_a_page_the_owner_adds_need_not_be_in_the_sitemap(site: Path) -> None:
    """An about.html from the theme's static folder, or a kept Search Console file, failed
    the check (`sitemap.xml: assets/about.html is not listed`), and with it the deploy."""
    page = "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>About</title></head><body><p>Hi</p></body></html>"
    (site / "assets" / "about.html").write_text(page)
    (site / "google1234abcd.html").write_text("google-site-verification: google1234abcd.html")
    assert messages(site) == []
    # A page the build made, with its canonical address, must still be listed.
    sitemap = site / "sitemap.xml"
    sitemap.write_text(
        re.sub(
            r"\s*<url>\s*<loc>[^<]*/papers/paged-attention-revisited\.html</loc>.*?</url>",
            "",
            sitemap.read_text(),
            flags=re.S,
        )
    )
    assert messages(site) == ["sitemap.xml: error: papers/paged-attention-revisited.html is not listed"]


def test_a_feed_without_its_updated_date_is_invalid_atom(site: Path) -> None:
    feed = site / "tags" / "agents.xml"
    feed.write_text(re.sub(r"  <updated>[^<]*</updated>\n(?=  <author>)", "", feed.read_text()))
    assert messages(site) == ["tags/agents.xml: error: the feed has no <updated> date (Atom requires one)"]


def test_a_large_sites_sitemap_index_and_its_files_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the protocol's limit (here 5 URLs a file) the build writes an index and its
    files; check reads every file the index names, and a rebuild takes the files for the
    site's own."""
    monkeypatch.setattr(feeds, "SITEMAP_URLS", 5)
    root = copy_site(tmp_path / "site")
    build_site(root)
    out = root / "_site"
    parts = sorted(p.name for p in out.glob("sitemap-*.xml"))
    assert len(parts) > 2 and check_site(out) == []
    shutil.rmtree(root / ".site-cache")  # no manifest: the folder is judged by its names
    build_site(root)  # and still counts as a built site
    (out / parts[-1]).unlink()
    found = messages(out)
    assert found[0].startswith(
        f"sitemap.xml: error: https://example.org/some-repo/{parts[-1]}: not a sitemap file"
    )
    assert found[1:] and all(m.endswith("is not listed") for m in found[1:])


def test_in_ci_a_site_built_for_the_placeholder_base_url_fails_the_check(tmp_path: Path) -> None:
    """On a laptop `check` said "site OK" of a site whose og:url, canonical links and copied
    citations all named example.org: now a warning there, and an error in CI."""
    root = copy_site(tmp_path / "site")
    (root / "content" / "site.yaml").write_text("title: Placeholder\n", encoding="utf-8")
    build_site(root)
    out = root / "_site"
    [noted] = check_site(out)  # on a laptop: a warning
    assert noted.severity == "warning" and "placeholder https://example.org/" in noted.message
    [problem] = check_site(out, strict=True)
    assert problem.severity == "error"
    assert problem.message.startswith("base_url is still the placeholder https://example.org/")
    assert check_site(out, base_url="https://example.org/", strict=True) == []  # said on purpose
    [wrong] = check_site(out, base_url="https://me.github.io/papers", strict=True)
    assert (
        wrong.message
        == "built for https://example.org/, not https://me.github.io/papers/; build with --base-url"
    )


def test_a_failed_check_says_so_after_its_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reviewer's CI log showed one line without `warning:`, and nothing after it: no word
    that the check had failed, nor why the job stopped."""
    root = copy_site(tmp_path / "site")
    (root / "content" / "site.yaml").write_text("title: Placeholder\n", encoding="utf-8")
    build_site(root)
    monkeypatch.setenv("CI", "true")
    assert main(["--root", str(root), "check"]) == 1
    out, err = capsys.readouterr()
    assert "_site/index.html: error: base_url is still the placeholder" in err
    assert re.fullmatch(r"check failed: 1 error\(s\), \d+ warning\(s\) listed above\n", out), out


def test_a_site_built_before_the_pages_changed_is_named_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new user ran ingest on the day's dump, then check, which said "site OK" of the site
    built the day before: its new papers were not in it, and a page deleted since still was."""
    root = copy_site(tmp_path / "site")
    build_site(root)
    papers = root / "content" / "papers"
    write_paper(papers, "a-new-paper", "A New Paper", "Its abstract, ingested today.")
    write_paper(papers, "another-new-paper", "Another New Paper", "Also ingested today.")
    write_paper(papers, "a-draft", "A Draft", "Not for the site yet.")
    (papers / "a-draft.md").write_text(
        (papers / "a-draft.md").read_text().replace("---\n", "---\ndraft: true\n", 1)
    )
    (papers / "paged-attention-revisited.md").unlink()
    monkeypatch.chdir(root)
    assert main(["check"]) == 0  # stale is not broken: a warning
    out, err = capsys.readouterr()
    assert out.startswith("site OK; ")
    assert (
        "content/papers/a-new-paper.md: warning: 2 page(s) not in the built site yet (this one and 1 "
        "more); run `site-builder build`" in err.splitlines()
    ), err
    assert (
        "_site/papers/paged-attention-revisited.html: warning: 1 paper page(s) in the built site "
        "whose page file is gone (this one); run `site-builder build`" in err.splitlines()
    ), err
    build_site(root)
    main(["check"])
    assert "built site" not in capsys.readouterr().err


def retitled_after_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str) -> Path:
    """A built copy of the fixture site whose one page's title then starts with `start`; the
    working folder is the site."""
    root = copy_site(tmp_path / "site")
    build_site(root)
    page = root / "content" / "papers" / "paged-attention-revisited.md"
    page.write_text(page.read_text().replace("title: ", f"title: {start}", 1))
    monkeypatch.chdir(root)
    return root


def test_a_broken_page_is_said_once_not_as_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page whose front matter broke after the build was also said to be gone ("whose page
    file is gone"), while the file was there and only needed mending (a fuzzing audit)."""
    retitled_after_the_build(tmp_path, monkeypatch, "[")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "content/papers/paged-attention-revisited.md:2: error:" in err
    assert "page file is gone" not in err


def test_a_page_edited_since_the_build_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A person edited a paper's title, ran check and heard "site OK" while the site still
    showed the old title. A page saved again unchanged, once built, is not named."""
    root = retitled_after_the_build(tmp_path, monkeypatch, "Edited ")
    page = root / "content" / "papers" / "paged-attention-revisited.md"
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("site OK; ")
    assert (
        "content/papers/paged-attention-revisited.md: warning: 1 page(s) changed since the site was "
        "built (this one); run `site-builder build`" in err.splitlines()
    ), err
    build_site(root)
    later = page.stat().st_mtime_ns + 10**9
    os.utime(page, ns=(later, later))  # saved again, unchanged
    build_site(root)
    main(["check"])
    assert "built" not in capsys.readouterr().err


def test_a_tag_renamed_without_its_old_name_is_named_until_the_build_drops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ingest warns of a rename without `aliases:` once; the next ingests, check and build
    said nothing, and the build dropped the old tag's page and feed, which readers follow."""
    root = copy_site(tmp_path / "site")
    build_site(root)
    taxonomy = root / "content" / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("name: agents", "name: tool-agents"))
    for page in (root / "content" / "papers").glob("*.md"):  # as ingest retags them
        page.write_text(re.sub(r"\bagents\b(?=[],])", "tool-agents", page.read_text()))
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["check"]) == 0
    assert (
        "_site/tags/agents.xml: warning: no tag, alias or page has the tag 'agents' any more: "
        "`site-builder build` removes its page and this feed, which readers may follow; if it was "
        "renamed, add `aliases: [agents]` to its new tag in content/taxonomy.yaml to keep them"
        in capsys.readouterr().err.splitlines()
    )
    taxonomy.write_text(
        taxonomy.read_text().replace("name: tool-agents", "name: tool-agents\n    aliases: [agents]")
    )
    main(["check"])
    assert "_site/tags/agents.xml" not in capsys.readouterr().err


def test_a_page_that_is_not_utf8_is_a_problem_at_its_path(site: Path) -> None:
    page = site / "search.html"
    page.write_bytes(page.read_bytes().replace(b"</main>", b"\xff</main>"))
    assert messages(site) == ["search.html: error: not UTF-8 text (invalid start byte)"]


def test_a_page_that_cannot_be_read_is_a_problem_at_its_path(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root (CI) no permission stops a read: the refusal is simulated for one file."""
    page = site / "search.html"
    read_bytes = Path.read_bytes

    def refusing(path: Path) -> bytes:
        if path == page:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refusing)
    assert messages(site) == ["search.html: error: cannot read: Permission denied"]


def test_search_files_the_index_lists_must_be_there_whole_and_of_its_build(site: Path) -> None:
    """A reviewer deleted a chunk and replaced the index with garbage: `site OK` both times."""
    search = site / "assets" / "search"
    (search / "d0.js").unlink()
    shard = search / "t0.js"
    shard.write_bytes(shard.read_bytes()[:-40])  # cut short
    chunk = search / "d1.js"
    chunk.write_bytes(chunk.read_bytes().replace(b'"v":"', b'"v":"0', 1).replace(b'",', b'",', 1))
    assert messages(site) == [
        "assets/search/d0.js: error: missing: the search index lists it; build again",
        "assets/search/d1.js: error: search data of another build than the index's; build again",
        "assets/search/t0.js: error: not the search data a build writes (damaged?); build again",
    ]
    (site / "assets" / "search-index.js").write_text("garbage")
    assert messages(site) == [
        "assets/search-index.js: error: not the search index a build writes (damaged?); build again"
    ]


def test_a_theme_that_drops_search_or_the_reading_script_fails(site: Path) -> None:
    """A base.html override without the search box and reading.js passed check, and search
    and the saved papers stopped working without an error anywhere."""
    home = site / "index.html"
    html = home.read_text(encoding="utf-8").replace('id="site-search-input"', 'id="my-box"')
    html = re.sub(r'src="assets/reading\.js\?v=\w+"', 'src="assets/x.js"', html)
    (site / "assets" / "x.js").write_text("")
    home.write_text(html, encoding="utf-8")
    assert messages(site) == [
        "index.html: error: the header's search box (#site-search-input) is missing: a theme must keep it (docs/theming.md)",
        "index.html: error: the reading script (assets/reading.js: saved papers, read marks) is missing: a theme must "
        "keep it (docs/theming.md)",
    ]


def test_a_site_near_github_pages_limit_is_warned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 50,000-paper site was at 79 % of the 1 GB GitHub Pages publishes, and `check` said
    "site OK" (a reviewer). From four fifths on it says how much; a file over git's 100 MB too."""
    from site_builder.commands import check

    site = copy_site(tmp_path / "site")
    build_site(site)
    out = site / "_site"
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert not [p for p in check.check_site(out) if "GitHub" in p.message]
    monkeypatch.setattr(check, "PAGES_LIMIT", total)  # the site is at 100 % of it
    monkeypatch.setattr(check, "FILE_LIMIT", (out / "index.html").stat().st_size - 1)
    said = [p.format() for p in check.check_site(out) if "GitHub" in p.message]
    assert said[0].startswith(f"{out}: warning: ") and "100% of the 1 GB GitHub Pages publishes" in said[0]
    assert f"{out / 'index.html'}: warning: " in "\n".join(said[1:])


def test_a_site_an_earlier_release_built_is_named_so_not_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """After an upgrade, `check` before the first build read the site the old release made
    as a broken one: "the reading script … is missing: a theme must keep it", "not the search
    index a build writes (damaged?)" (a site of 2026-12-02; its own theme never changed).
    The build's manifest says which code built the site: another's is named, with the fix."""
    root = copy_site(tmp_path / "site")
    build_site(root)
    out = root / "_site"
    home = out / "index.html"  # as the releases before saved papers wrote it
    home.write_text(re.sub(r'<script src="assets/reading\.js[^>]*></script>\n?', "", home.read_text()))
    manifest = root / ".site-cache" / "build" / "manifest"
    head, rest = manifest.read_bytes().split(b"\n", 1)
    manifest.write_bytes(head + b"\n" + b"0" * 32 + rest[rest.index(b"\n") :])  # another release's salt
    monkeypatch.chdir(root)
    assert main(["check"]) == 1
    out_text, err = capsys.readouterr()
    said, *content = err.splitlines()  # the content's own problems are still checked
    assert said == (
        "_site: error: built by another version of site_builder (before an upgrade?), whose files this "
        "version does not check; run `site-builder build`, then check again"
    )
    assert [line for line in content if line.startswith("_site")] == []
    assert out_text == f"check failed: 1 error(s), {len(content)} warning(s) listed above\n"
    build_site(root)
    assert main(["check"]) == 0
    assert capsys.readouterr().out.startswith("site OK")


def test_check_lists_what_build_warns_of_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A page's warnings (here an `added:` that is no day) were said by `build` alone: `check`
    said "site OK" of the site, and a CI log shows check's lines. It lists them now, and
    passes: a person decides."""
    site = copy_site(tmp_path / "site")
    page = site / "content" / "papers" / "paged-attention-revisited.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("\n", "\nadded: last week\n", 1), encoding="utf-8"
    )
    build_site(site)
    code = main(["--root", str(site), "check"])
    out, err = capsys.readouterr()
    assert code == 0 and "site OK" in out
    assert "content/papers/paged-attention-revisited.md:2: warning: 'added' is the day the paper came" in err

"""Upgrading the tool under a site made and edited with an earlier release.

tests/data/upgrade/2026-12-04/ is a site's `content/` as the release of 2026-12-04
(14d9b01c) left it: two dumps ingested, then by hand a title corrected (QuickServe), a tag
added (the legal benchmark) and a note written under an abstract (the rotated
quantization), then ingested again by that release. tests/data/upgrade/2026-12-04-site-cache/
is the `.site-cache/` that release then left from its ingest and build of that site (all
but its compiled templates).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ingest_helpers import run_cli, snapshot

import site_builder

UPGRADE = Path(__file__).parent / "data" / "upgrade"


def old_site(tmp_path: Path, release: str = "2026-12-04") -> Path:
    root = tmp_path / "site"
    shutil.copytree(UPGRADE / release, root)
    return root


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_the_upgrades_one_time_rewrite_of_every_page_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first ingest after an upgrade from a release before `generated: dates` rewrites
    every page file, as the record is added to each, and said only `pages: 4 written (0
    new), 0 unchanged`: a diff over every committed page, with no word of why. It says why,
    once, and each page changes in that one line."""
    root = old_site(tmp_path)
    papers = root / "content" / "papers"
    before = snapshot(papers)
    code, out, err = run_cli(capsys, "--root", str(root), "ingest")
    assert code == 0 and "content/papers" not in err  # (its taxonomy's `fallback:` is warned of)
    assert "pages: 4 written (0 new), 0 unchanged\n" in out
    assert (
        "upgrade: 4 page(s) an earlier site_builder wrote now record their listing dates "
        "(`dates:` in `generated:`), once; commit them with the upgrade\n"
    ) in out
    after = snapshot(papers)
    assert after.keys() == before.keys()
    for name, text in before.items():
        [(old, new)] = changed_lines(text.decode(), after[name].decode())
        assert old.startswith("generated: {") and new == old[:-1] + new[len(old) - 1 :]
        assert ", dates: " in new
    code, out, err = run_cli(capsys, "--root", str(root), "ingest")
    assert "pages: 0 written (0 new), 4 unchanged\n" in out and "upgrade:" not in out
    assert snapshot(papers) == after


def test_check_says_what_the_upgrades_ingest_would_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = old_site(tmp_path)
    code, out, _ = run_cli(capsys, "--root", str(root), "ingest", "--check")
    assert code == 1
    assert "upgrade: 4 page(s) an earlier site_builder wrote would record their listing dates" in out


def test_a_persons_edits_under_the_earlier_release_survive_the_upgrade(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = old_site(tmp_path)
    assert run_cli(capsys, "--root", str(root), "ingest")[0] == 0
    papers = root / "content" / "papers"
    quick = (papers / "quickserve-prefixaware-batching-for-llm-serving.md").read_text(encoding="utf-8")
    assert "title: 'QuickServe: Prefix-Aware Batching for LLM Serving'\n" in quick
    legal = (papers / "a-benchmark-for-legal-rag.md").read_text(encoding="utf-8")
    assert "tags: [other, reasoning]\n" in legal
    rotated = (papers / "rotated-4-bit-quantization-for-llms.md").read_text(encoding="utf-8")
    assert rotated.endswith("\n## Notes\n\nCompare with vLLM prefix caching.\n")


def test_the_first_releases_default_taxonomy_is_named_with_the_way_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default taxonomy of the releases before 2026-12-03 (taxonomy-2026-12-02.yaml, as
    `init` wrote it) holds rules with lookarounds, which RE2 refuses: after an upgrade,
    ingest, build and check each stopped at nine bad patterns, with no word that the file
    was the tool's own default nor where this release's is."""
    root = old_site(tmp_path)
    taxonomy = root / "content" / "taxonomy.yaml"
    shutil.copyfile(UPGRADE / "taxonomy-2026-12-02.yaml", taxonomy)
    code, _, err = run_cli(capsys, "--root", str(root), "build")
    assert code == 1 and err.count("lookarounds are not supported") == 9
    default = Path(site_builder.__file__).parent / "site_template" / "taxonomy.yaml"
    assert (
        "content/taxonomy.yaml:8: error: this is the default taxonomy of a site_builder release before "
        "2026-12-03, whose rules used lookarounds: copy this release's default over it "
        f"({default}), or rewrite the rules named above with `unless:`"
    ) in err.splitlines()
    shutil.copyfile(default, taxonomy)  # as the message says
    assert run_cli(capsys, "--root", str(root), "ingest")[0] == 0
    legal = (root / "content" / "papers" / "a-benchmark-for-legal-rag.md").read_text(encoding="utf-8")
    assert "tags: [other, reasoning]\n" in legal  # a person's tags stay theirs


def test_the_cache_an_earlier_release_left_keeps_only_what_this_one_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The release of 2026-12-04 kept its tags in `.site-cache/tags.json`; this one keeps them
    in the store's `tags`, and nothing removed the old file: each upgrade that renamed a
    cache file left one more for good, which CI restored and saved again on every run. The
    first ingest, build and check remove what they no longer use, and only that: a
    person's file there stays, and the site equals one built with no cache at all."""
    root = old_site(tmp_path)
    cache = root / ".site-cache"
    shutil.copytree(UPGRADE / "2026-12-04-site-cache", cache)
    (cache / "notes.txt").write_text("why I cleared the cache on May 3\n", encoding="utf-8")
    (cache / "ingest" / "tags.json").write_text('{"taxonomy": "mine"}', encoding="utf-8")
    for command in ("ingest", "build", "check"):
        assert run_cli(capsys, "--root", str(root), command)[0] == 0
    assert not (cache / "tags.json").exists()
    assert (cache / "tags.new").is_file()  # where this release keeps them (a small table: all new)
    assert (cache / "notes.txt").read_text(encoding="utf-8") == "why I cleared the cache on May 3\n"
    assert (cache / "ingest" / "tags.json").read_text(encoding="utf-8") == '{"taxonomy": "mine"}'
    fresh = tmp_path / "fresh"
    shutil.copytree(root / "content", fresh / "content")
    assert run_cli(capsys, "--root", str(fresh), "build")[0] == 0
    assert snapshot(root / "_site") == snapshot(fresh / "_site")


def test_a_second_run_removes_nothing_the_first_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No name this release keeps in `.site-cache` is among those the sweep removes as an
    earlier release's: one would be removed by the next run, and its work done again on
    every run."""
    root = old_site(tmp_path)
    commands = ("ingest", "build", "check", "tags --evaluate")
    for command in commands:
        run_cli(capsys, "--root", str(root), *command.split())
    kept = snapshot(root / ".site-cache")
    assert {"tags.new", "build/manifest", "build/search-postings", "ingest/dedupe-index"} <= kept.keys()
    for command in commands:
        run_cli(capsys, "--root", str(root), *command.split())
    assert kept.keys() <= snapshot(root / ".site-cache").keys()


def test_a_copy_of_a_cache_file_a_person_kept_beside_it_stays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A person who saves a copy of a cache file in `.site-cache` before an experiment
    (`pages.new.bak`, `tags.new.old`) has a file that begins as the tool's own do: the
    sweep of an earlier release's files removed every such copy on the next ingest, build
    or check. It removes only the names an earlier release used; the copies stay."""
    root = old_site(tmp_path)
    cache = root / ".site-cache"
    for command in ("ingest", "build", "check"):
        assert run_cli(capsys, "--root", str(root), command)[0] == 0
    copies = {
        "tags.new.old": "tags.new",
        "build/pages.new.bak": "build/pages.new",
        "build/related-before-my-edit": "build/related",
        "ingest/dedupe-index.bak": "ingest/dedupe-index",
        "check/page-facts.new.old": "check/page-facts.new",
    }
    for copy, original in copies.items():
        shutil.copyfile(cache / original, cache / copy)
    saved = {copy: (cache / copy).read_bytes() for copy in copies}
    for command in ("ingest", "build", "check"):
        assert run_cli(capsys, "--root", str(root), command)[0] == 0
    assert {copy: (cache / copy).read_bytes() for copy in copies if (cache / copy).exists()} == saved

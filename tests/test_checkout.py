"""After a git checkout (every CI run), ingest knows the page files git holds unmodified
without reading them, and still reads every file git cannot vouch for."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from bench.common import git
from bench.corpus import generate
from site_builder.build.cache import pages as page_cache
from site_builder.build.pipeline import build_site
from site_builder.commands.init import init_site
from site_builder.core.files import content_files
from site_builder.ingest import state as ingest_state
from site_builder.ingest.checkout import committed_blobs, git_blob
from site_builder.ingest.pipeline import run_ingest
from tests.helpers import recorded_reads
from tests.ingest_helpers import snapshot

START = 1_767_225_600  # 2026-01-01 (SOURCE_DATE_EPOCH)


def check_out_again(repo: Path, folder: str) -> None:
    """The folder as a fresh checkout leaves it: every file written anew (new inodes and
    times), then, a second later, the index refreshed, so that no entry is racily clean
    (git would compare those by content, and ingest reads them)."""
    shutil.rmtree(repo / folder)
    git(repo, "checkout", "--", folder)
    time.sleep(1.1)
    git(repo, "update-index", "-q", "--refresh")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A site in a git repository, its pages ingested and committed."""
    root = tmp_path / "site"
    init_site(root)
    generate(30, 5, root / "content" / "sources")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START))
    monkeypatch.setattr(ingest_state, "CHECKOUT_FROM", 1)  # ask git from the first file
    run_ingest(root)
    git(root, "init", "-q")
    git(root, "add", "content")
    git(root, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "pages")
    time.sleep(content_files.RACY_NS / 1e9 + 0.05)  # the pages' stats may stand for them now
    return root


def test_git_blob_is_the_id_git_gives_the_bytes(tmp_path: Path) -> None:
    data = "---\ntitle: Ünïcode\n---\nBody.\n".encode()
    (tmp_path / "a.md").write_bytes(data)
    assert git_blob(data) == git(tmp_path, "hash-object", "a.md").strip()
    assert git_blob(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_pages_checked_out_again_are_known_without_reading_them(
    site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run_ingest(site)  # reads every page once, and records what it read
    build_site(site)
    check_out_again(site, "content/papers")
    read = recorded_reads(monkeypatch, site / "content" / "papers")
    result = run_ingest(site)
    assert read == [] and result.changed == []
    # The build, run after ingest, trusts what ingest recorded (build/cache/pages.py).
    monkeypatch.setattr(page_cache, "INGEST_SEEN_FROM", 1)
    build_site(site)
    assert read == []
    # Known under their new stat from then on.
    assert run_ingest(site).changed == [] and read == []
    cold = tmp_path / "cold"
    shutil.copytree(site / "content", cold / "content")
    run_ingest(cold)
    assert snapshot(site / "content") == snapshot(cold / "content")


def test_a_page_edited_after_the_checkout_is_read_and_its_edit_kept(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_ingest(site)
    check_out_again(site, "content/papers")
    page = sorted((site / "content" / "papers").glob("*.md"))[3]
    text = page.read_text(encoding="utf-8")
    head, body = text.rsplit("---\n", 1)
    edited = head + "---\n" + "Edited." + body[len("Edited.") :]  # the same size: git must tell
    assert edited != text and len(edited) == len(text)
    page.write_text(edited, encoding="utf-8")
    read = recorded_reads(monkeypatch, site / "content" / "papers")
    result = run_ingest(site)
    assert read == [page.name]
    assert page.read_text(encoding="utf-8") == edited and result.changed == []


def test_git_vouches_only_for_plain_unmodified_entries(site: Path) -> None:
    papers = site / "content" / "papers"
    names = sorted(p.name for p in papers.glob("*.md"))
    time.sleep(1.1)
    git(site, "update-index", "-q", "--refresh")
    blobs = {name: blob for name, blob in committed_blobs(papers).items() if name.endswith(".md")}
    assert sorted(blobs) == names  # (and init's .gitkeep, as git holds it)
    assert all(blobs[n] == git_blob((papers / n).read_bytes()) for n in names)
    edited, hidden, removed = names[0], names[1], names[2]
    (papers / edited).write_text("edited\n", encoding="utf-8")
    git(site, "update-index", "--assume-unchanged", f"content/papers/{hidden}")  # git stops looking
    (papers / hidden).write_text("edited behind git's back\n", encoding="utf-8")
    (papers / removed).unlink()
    (papers / "new.md").write_text("untracked\n", encoding="utf-8")
    assert sorted(n for n in committed_blobs(papers) if n.endswith(".md")) == names[3:]


def test_outside_a_repository_git_vouches_for_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("a\n", encoding="utf-8")
    assert committed_blobs(tmp_path) == {}
    assert committed_blobs(tmp_path / "missing") == {}

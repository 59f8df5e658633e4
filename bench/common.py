"""Small helpers the benchmarks and the tests share: pages as a build sees them, gzip size."""

from __future__ import annotations

import gzip
import math
import shutil
import subprocess
from pathlib import Path

from site_builder.core.model import Page
from site_builder.core.pages.pagefile import read_pages


def read_site_pages(papers_dir: Path, root: Path | None = None) -> tuple[list[Page], list[object]]:
    """The pages of a papers folder sorted by slug, and the problems found reading them."""
    stored, problems = read_pages(papers_dir, root)
    return sorted((s.page for s in stored), key=lambda p: p.slug), list(problems)


def gzip_size(data: bytes) -> int:
    """Bytes on the wire when served gzip-compressed (deterministic: no timestamp)."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def ndcg(ranking: list[str], grades: dict[str, int], k: int) -> float:
    """Normalised discounted cumulative gain of the first `k` of `ranking` (graded judgments)."""
    dcg = sum(grades.get(s, 0) / math.log2(i + 2) for i, s in enumerate(ranking[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def copied_anew(folder: Path) -> None:
    """Replace a folder by a copy of itself: the same files, with new inodes and times (a
    checkout)."""
    copy = folder.with_name(folder.name + ".copy")
    shutil.copytree(folder, copy, copy_function=shutil.copyfile)
    shutil.rmtree(folder)
    copy.rename(folder)


def git(cwd: Path, *args: str) -> str:
    """A git command run in `cwd`; its output (a failure raises, with git's message kept)."""
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def checked_out_again(root: Path) -> None:
    """A site's `content/` as a CI run finds it: committed by the run before (the Pages
    workflow commits the pages its ingest wrote), then checked out anew: new inodes and
    times, git's index refreshed as a checkout leaves it."""

    if not (root / ".git").exists():
        git(root, "init", "-q")
    git(root, "add", "content")
    git(
        root,
        "-c",
        "user.name=bench",
        "-c",
        "user.email=bench@example.org",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "day",
    )
    shutil.rmtree(root / "content" / "papers")
    git(root, "checkout", "--", "content/papers")


def restored_from_cache(folder: Path) -> None:
    """Replace a folder by itself as actions/cache restores it on a new machine: archived
    with `tar --posix` and extracted (new inodes and change times, modification times
    kept). It is extracted beside the old folder, which is deleted only then: extracted in
    its place, the files could get their old inode numbers back."""
    archive, beside = folder.with_name(folder.name + ".tar"), folder.with_name(folder.name + ".restored")
    subprocess.run(["tar", "--posix", "-cf", str(archive), "-C", str(folder.parent), folder.name], check=True)
    beside.mkdir()
    subprocess.run(["tar", "-xf", str(archive), "-C", str(beside)], check=True)
    shutil.rmtree(folder)
    (beside / folder.name).rename(folder)
    beside.rmdir()
    archive.unlink()

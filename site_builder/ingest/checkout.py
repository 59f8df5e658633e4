"""Which page files a git checkout holds exactly as committed, so ingest need not read them.

After a checkout (every CI run) every page file has a new stat, and ingest read all of them
to recognise their bytes: about a second at 10,000 pages. Git already knows them: its index
holds each file's blob id and the stat it was checked out with, and `git diff-files` lists
the files whose stat no longer matches it (a racily clean one is compared by its bytes). A
file git calls unmodified, whose blob is the one ingest last read under that name and at
that size, holds those bytes.

Only plain entries count: not a file marked assume-unchanged or skip-worktree (git would
not notice its edits), a symlink or a conflict. Outside a repository, without git, or in a
repository whose object ids are not SHA-1, nothing is known and every file is read, as
before. A clean or smudge filter that keeps a file's size while changing its bytes would
fool the size check; git's own line-ending conversion changes the size.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

GIT_TIMEOUT = 60  # seconds: a stuck git must not stop ingest (the files are read instead)


def git_blob(data: bytes) -> str:
    """The id git gives a file of these bytes (SHA-1 of `blob <size>\\0` and the bytes)."""
    h = hashlib.sha1(b"blob %d\0" % len(data), usedforsecurity=False)
    h.update(data)
    return h.hexdigest()


def committed_blobs(folder: Path) -> dict[str, str]:
    """Name → blob id of each file directly in `folder` that git holds unmodified since it
    was checked out or added; empty if git cannot tell."""
    listed = _git(folder, "ls-files", "-z", "--stage", "-v", "--", ".")
    modified = _git(folder, "diff-files", "-z", "--name-only", "--relative", "--", ".")
    if listed is None or modified is None:
        return {}
    changed = set(modified.split("\0"))
    blobs: dict[str, str] = {}
    for record in listed.split("\0"):
        head, _, name = record.partition("\t")
        fields = head.split(" ")
        # "H 100644 <blob> 0": a cached entry (lower case: assume-unchanged; S: skip-worktree),
        # a regular file, merged (stage 0).
        plain = (
            len(fields) == 4 and fields[0] == "H" and fields[1] in ("100644", "100755") and fields[3] == "0"
        )
        if plain and len(fields[2]) == 40 and "/" not in name and name not in changed:
            blobs[name] = fields[2]
    return blobs


def deleted_files(folder: Path) -> frozenset[str]:
    """The names of the files directly in `folder` that git holds and the folder lacks (a
    person deleted them): in the index, or in the last commit (`git rm` took them out of
    the index, not out of the commit); empty if git cannot tell."""
    listed = _git(folder, "ls-files", "-z", "--deleted", "--", ".") or ""
    gone = ("--name-only", "--relative", "--no-renames", "--diff-filter=D", "HEAD")
    staged = _git(folder, "diff", "-z", *gone, "--", ".")
    names = f"{listed}\0{staged or ''}".split("\0")
    return frozenset(name for name in names if name and "/" not in name)


def _git(folder: Path, *args: str) -> str | None:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        run = subprocess.run(
            ["git", *args],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if run.returncode != 0:
        return None
    return run.stdout.decode("utf-8", "surrogateescape")

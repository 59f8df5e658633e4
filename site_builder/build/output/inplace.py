"""Apply a small change to the live site file by file, instead of swapping in a new folder.

A daily update or an edit changes a few hundred of a site's thousands of files. Carrying the
others into a new folder and deleting the old one is O(files) work (at 10,000 papers about
10,000 hard links and 13,000 unlinks, half a second). When at most PATCH_UP_TO of the files
change, the build still writes every changed file into its temporary folder, but leaves the
unchanged ones where they are; then each changed file is renamed into the live site: first
the files the site did not have, then those replacing a file, and last the files no longer
built are deleted. Each rename is atomic, so a reader, or a build killed midway, sees every
file whole, as it was or as it is now. The pages the site had link to a new page only once
every new page is in place, and to a page no longer built until it is deleted; only the new
pages, while they land, can link to a new page not yet there. A build killed before the
renames leaves the site as it was; one killed during them leaves files whose inode no longer
matches the manifest, which the next build makes again, and files it no longer builds,
which it deletes.

A change that rewrites most of the site (a new template, a new site title) is swapped in
whole, as before: then the site changes at once. So is one whose paths turn a folder into a
file or a file into a folder, which renames cannot do in place.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from site_builder.core.files.atomic import exchange

PATCH_UP_TO = 0.5  # the share of a site's files a build may change and still patch it in place


@dataclass(frozen=True)
class LiveSite:
    """The output folder as the last build left it, to be patched: every file and folder
    in it (what a person keeps left out); `others`, listed with the folders, are neither
    (a symlink, a device): never written through, removed when in the way."""

    out: Path
    files: frozenset[str]
    folders: frozenset[str]
    others: frozenset[str]


def worth_patching(live: LiveSite, changed: int) -> bool:
    """Few enough changes that renaming them in beats making a whole new folder."""
    return bool(live.files) and changed <= PATCH_UP_TO * len(live.files)


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder the relative file `paths` lie in (`a/b/c.html` → `a`, `a/b`). Each file's
    own folder first (13,500 files lie in a few hundred), then each of those up to the top."""
    folders: set[str] = set()
    for folder in {path.rpartition("/")[0] for path in paths}:
        while folder and folder not in folders:  # one already in holds all above it too
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def files_under(folder: Path) -> list[str]:
    """Every file below `folder`, as a relative path with forward slashes."""
    found = []
    for dirpath, _, names in os.walk(folder):
        prefix = os.path.relpath(dirpath, folder).replace(os.sep, "/")
        found += [name if prefix == "." else f"{prefix}/{name}" for name in names]
    return found


def can_patch(live: LiveSite, written: Collection[str], needed: set[str]) -> bool:
    """Whether renames alone can put the `written` files in, given the folders the new site
    `needed`: no new file where a folder is, no folder needed where a file, a symlink or a
    device is (a rename into a symlinked folder would write outside the site)."""
    return not (needed & (live.files | live.others)) and not (set(written) & live.folders)


def place_file(staged: Path, target: Path, replacing: bool) -> None:
    """Put one file into the live site. One that replaces a file is exchanged with it where
    the system can (Linux): ext4 writes out a file renamed over another before the rename
    returns (0.2 ms a page), while the old file, now in the staging folder, is freed with it."""
    with contextlib.suppress(FileNotFoundError):  # the old file is gone already: a rename does
        if replacing and exchange(staged, target):
            return
    os.rename(staged, target)


def apply_in_place(
    staging: Path, live: LiveSite, written: list[str], built: Collection[str], needed: set[str]
) -> None:
    """Rename the `written` files from `staging` into the live site (new files first), then
    delete the files and folders the new site no longer has; `built`: every path it has,
    `needed`: every folder they lie in."""
    made: set[str] = set(live.folders)
    for path in sorted(written, key=lambda p: p in live.files):
        folder, _, _ = path.rpartition("/")
        if folder and folder not in made:
            os.makedirs(live.out.joinpath(*folder.split("/")), exist_ok=True)
            made.add(folder)
        place_file(
            staging.joinpath(*path.split("/")), live.out.joinpath(*path.split("/")), path in live.files
        )
    for path in sorted(live.files.difference(built) | live.others.difference(written)):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(live.out.joinpath(*path.split("/")))
    for folder in sorted(live.folders - live.others - needed, key=lambda f: f.count("/"), reverse=True):
        with contextlib.suppress(OSError):  # not empty: it holds something a person keeps there
            os.rmdir(live.out.joinpath(*folder.split("/")))

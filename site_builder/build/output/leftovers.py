"""What dead builds left beside the output folder: removed, a swap cut short put right, or
(a folder named as a build's but unmarked) kept and named.

A build's temporary folder carries its pid, an eight-character suffix and, until its site is
complete, a mark (`sitedir.STAGING_MARK`): only a folder of a dead build that a build made
(marked, a whole site, or empty) is removed or renamed back, never a person's
`_site.old-2024-06`. Versions before 2026-12-05 wrote no mark, so a half-written folder of
such a build, killed, is kept, and every build names it for the person to delete.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from site_builder.build.output.folder import ALWAYS_KEPT, TEMPORARY_INSIDE, looks_built
from site_builder.build.output.sitedir import STAGING_MARK, remove_leftover, restore_kept
from site_builder.core.errors import Problem

# A build's temporary folders: `tempfile.mkdtemp` names (eight of [a-z0-9_]) after the pid.
_LEFTOVER = re.compile(r"\.(tmp|old)-(\d+)-[a-z0-9_]{8}$")
UNMARKED = (
    "named as a build's temporary folder, but not marked as one, so kept: a build killed while "
    "it wrote, under a version of site_builder before 2026-12-05, leaves such a folder; delete it "
    "if nothing in it is yours"
)


def clean_leftovers(out: Path, keep: Sequence[str] = ALWAYS_KEPT) -> list[Path]:
    """Remove temporary folders of dead builds next to `out`; restore `out` if a swap was cut
    short; first rescue into `out` anything kept (`.git`, …) that a killed build left there."""
    removed: list[Path] = []
    if not out.parent.is_dir():
        return removed
    for folder in _dead_inside(out):  # a mount point's temporaries live inside it
        if _built_temp_folder(folder):
            remove_leftover(folder)
            removed.append(folder)
    olds: list[Path] = []
    for path, kind in _dead_beside(out):
        if not _built_temp_folder(path):
            continue
        if kind == "old":
            olds.append(path)
        else:
            if out.is_dir():
                restore_kept(path, out, keep)  # killed after the swap, before moving .git back
            remove_leftover(path)
            removed.append(path)
    for old in olds:
        if not out.exists():
            os.rename(old, out)  # killed between the two renames of a swap: put the old site back
        else:
            restore_kept(old, out, keep)
            remove_leftover(old)
            removed.append(old)
    return removed


def unmarked_leftovers(out: Path) -> list[Problem]:
    """A warning for each folder named as a dead build's temporary folder that no mark shows
    a build made (`clean_leftovers` keeps them): said on every build, as nothing else would
    ever tell a person it is there."""
    found = [*_dead_inside(out), *(path for path, _ in _dead_beside(out))]
    return [Problem(str(path), 0, UNMARKED, "warning") for path in found if not _built_temp_folder(path)]


def _dead_inside(out: Path) -> list[Path]:
    """Temporary folders inside `out` (a mount point) whose build is dead."""
    try:
        names = sorted(os.listdir(out))
    except OSError:
        return []
    matches = [(out / name, TEMPORARY_INSIDE.match(name)) for name in names]
    return [path for path, match in matches if match and not _alive(int(match.group(1))) and path.is_dir()]


def _dead_beside(out: Path) -> list[tuple[Path, str]]:
    """Temporary folders beside `out` whose build is dead, in name order, each with its kind
    (`tmp`: being filled or emptied; `old`: the previous site, set aside by a swap)."""
    if not out.parent.is_dir():
        return []
    found = []
    for path in sorted(out.parent.iterdir()):
        match = _leftover_match(out, path)
        if match is not None and not _alive(int(match.group(2))):
            found.append((path, match.group(1)))
    return found


def _built_temp_folder(folder: Path) -> bool:
    """A folder with a build's temporary name that a build made: one being filled or
    emptied (marked), a complete site (a previous one, set aside by a swap), or an empty
    one (the last moment of `remove_own`: there is nothing in it to lose)."""
    try:
        return (folder / STAGING_MARK).is_file() or looks_built(folder) or not any(folder.iterdir())
    except OSError:  # gone meanwhile, or unreadable: nothing to do with it
        return False


def _leftover_match(out: Path, path: Path) -> re.Match[str] | None:
    if not path.name.startswith(out.name + ".") or not path.is_dir():
        return None
    match = _LEFTOVER.match(path.name, len(out.name))
    return match if match and match.end() == len(path.name) else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own pid on an old folder: a previous process that had our number
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except OSError:
        return False
    return True

"""The output folder: build into a temporary folder beside it, then swap it into place.

A build writes `_site.tmp-<pid>-XXXX/` next to `_site/` and only replaces `_site/` when
everything is written, so a build that fails or is killed leaves the previous site as it
was. On Linux the swap is one atomic `renameat2(RENAME_EXCHANGE)`; elsewhere it is two
renames, and a build killed between them is repaired by the next one (the old site is
renamed back). Leftover folders of dead builds are removed by the next build; folders of
builds still running (their pid is alive) are left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from site_builder.errors import Problem, SiteError

MARKER = ".nojekyll"  # every build writes it; an existing folder without it is not ours
_LEFTOVER = re.compile(r"\.(tmp|old)-(\d+)-[A-Za-z0-9_]+$")
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows


class FileStat(NamedTuple):
    """What identifies a file the build wrote, without reading it back."""

    ino: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileStat:
        return cls(st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass
class OutputDir:
    """A folder being filled: writes files, or links in unchanged ones."""

    path: Path
    _folders: set[str] = field(default_factory=set, repr=False)

    def write(self, relative: str, data: bytes | str) -> FileStat:
        """Write one file; `relative` uses forward slashes (a URL path inside the site)."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        # One open, write, stat and close, no fsync: the swap at the end is what makes the
        # site appear, and a crash before it leaves the previous site in place anyway.
        target = self._target(relative)
        try:
            fd = os.open(target, _NEW_FILE, 0o666)
        except FileExistsError:  # never write into an existing file: it may be linked from the live site
            os.unlink(target)
            fd = os.open(target, _NEW_FILE, 0o666)
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view) :]
            stat = FileStat.of(os.fstat(fd))
        finally:
            os.close(fd)
        return stat

    def link(self, relative: str, source: Path, stat: FileStat) -> FileStat:
        """Put a file of the previous build in (whose `stat` is known) as a hard link, or copy it."""
        target = self._target(relative)
        try:
            os.link(source, target)  # same inode: its stat is the one we know
        except OSError:
            shutil.copy2(source, target)  # a file system without hard links
            stat = FileStat.of(os.stat(target))
        return stat

    def _target(self, relative: str) -> str:
        folder, _, _ = relative.rpartition("/")
        if folder not in self._folders:
            os.makedirs(os.path.join(self.path, *folder.split("/")) if folder else self.path, exist_ok=True)
            self._folders.add(folder)
        return os.path.join(self.path, *relative.split("/"))


class NewSite:
    """The next site, written into a temporary folder beside `out` (made on first use) and
    swapped into place at the end; `discard` removes it after a failure."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._target: OutputDir | None = None

    @property
    def target(self) -> OutputDir:
        if self._target is None:
            self._target = OutputDir(make_temp_dir(self.out))
        return self._target

    def swap(self) -> None:
        swap_into_place(self.target.path, self.out)

    def discard(self) -> None:
        if self._target is not None:
            discard(self._target.path)


def scan(out: Path) -> tuple[dict[str, FileStat], set[str]]:
    """Every file of a built site (relative path → stat) and every folder in it."""
    files: dict[str, FileStat] = {}
    folders: set[str] = set()
    if not out.is_dir() or out.is_symlink():
        return files, folders
    pending = [("", str(out))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    pending.append((name + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    files[name] = FileStat.of(entry.stat(follow_symlinks=False))
                else:
                    folders.add(name)  # a symlink or a device: nothing a build writes
    return files, folders


def check_replaceable(out: Path) -> None:
    """Refuse to replace a folder that is not a site we built (a mistyped --out)."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise SiteError(Problem(str(out), 0, "output exists and is not a folder; choose another --out"))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SiteError(
            Problem(
                str(out),
                0,
                f"refusing to replace this folder: it is not empty and has no {MARKER}, so it "
                "does not look like a site built by site-builder; remove it or choose another --out",
            )
        )


def clean_leftovers(out: Path) -> list[Path]:
    """Remove temporary folders of dead builds next to `out`; restore `out` if a swap was cut short."""
    removed: list[Path] = []
    parent = out.parent
    if not parent.is_dir():
        return removed
    olds: list[Path] = []
    for path in sorted(parent.iterdir()):
        match = _leftover_match(out, path)
        if match is None or _alive(int(match.group(2))):
            continue
        if match.group(1) == "old":
            olds.append(path)
        else:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for old in olds:
        if not out.exists():
            os.rename(old, out)  # killed between the two renames of a swap: put the old site back
        else:
            shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return removed


def make_temp_dir(out: Path) -> Path:
    """A new, empty folder beside `out`, named so the next build can recognise a leftover."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{out.name}.tmp-{os.getpid()}-", dir=out.parent))


def swap_into_place(new: Path, out: Path) -> None:
    """Make `new` the site at `out` and delete the previous site."""
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new)  # `new` now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f"{out.name}.old-{os.getpid()}-", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    os.rename(new, out)
    shutil.rmtree(old)


def discard(path: Path) -> None:
    """Remove a temporary folder after a failed build."""
    shutil.rmtree(path, ignore_errors=True)


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


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))

"""Which files under content/ are read: plain files of the site, never leftovers or devices.

- Editor and OS leftovers are ignored: any name starting with `.` (`.#x.md`, `._x.md`,
  `.DS_Store`), `x.md~` and `#x.md#`.
- Only regular files are opened. A FIFO, device or socket named `*.md` would hang a read or
  feed it forever (`/dev/zero`): it is skipped with a warning, never opened.
- A symlink is followed only when its target lies inside the site: a dump or page linking
  to `/etc/passwd` would otherwise be published. Git stores symlinks, so a merged pull
  request could add one. Folder symlinks are treated the same way.
- A folder that cannot be read is reported, not skipped silently.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from site_builder.core.errors import Problem
from site_builder.core.runtime.hashing import bytes_digest

# A file changed this close to the moment a run looked at it may change again within the
# same timestamp tick, unnoticed: its times are not trusted then (git's "racy clean" problem).
RACY_NS = 100_000_000  # file systems with fine timestamps (ext4, xfs, btrfs, apfs, tmpfs)
RACY_COARSE_NS = 2_000_000_000  # whole-second (or FAT's two-second) timestamps
Stat = tuple[int, int, int, int]


def stat_key(st: os.stat_result) -> Stat:
    """What tells a file changed without reading it: size, modification and change times, inode."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def racy_margin(times: Iterable[int]) -> int:
    """A timestamp tick for these file times (ns): two seconds when every one of them is a
    whole second (a file system with coarse timestamps), else RACY_NS."""
    coarse = all(t % 1_000_000_000 == 0 for t in times)
    return RACY_COARSE_NS if coarse else RACY_NS


def settled(found: Stat, now: int) -> bool:
    """Whether a file's stat, taken at `now` or later, may stand for its bytes next time: its
    times lie more than a timestamp tick before `now`, so a later change shows in them."""
    return now - max(found[1], found[2]) >= racy_margin(found[1:3])


def file_bytes(path: Path) -> bytes | None:
    """The file's bytes, or None if it cannot be read (what a cache then counts as missing)."""
    try:
        return plain_bytes(path)
    except OSError:
        return None


class NotAFile(OSError):
    """A named pipe, device or socket where a file of the site belongs."""


def plain_bytes(path: Path) -> bytes:
    """A regular file's bytes; OSError if it cannot be read, NotAFile if it is a named pipe,
    device or socket. It is opened without waiting and never read then: a named pipe as
    content/site.yaml hung every command until something wrote into it."""
    # Looked up when read: Windows has no O_NONBLOCK (and no named pipes), and needs
    # O_BINARY, or its C library turns CRLF into LF.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            kind = "a named pipe" if stat.S_ISFIFO(mode) else "a device or socket"
            raise NotAFile(errno.EINVAL, f"{kind}, not a file; put the file itself here", str(path))
        with open(fd, "rb", closefd=False) as file:
            return file.read()
    finally:
        os.close(fd)


def ignored(name: str) -> bool:
    """Dotfiles, editor backups and lock files: never content."""
    return name.startswith((".", "#")) or name.endswith(("~", "#"))


def label_of(path: Path, root: Path) -> str:
    """A path as the user sees it: relative to the site root when inside it, text always."""
    text, base = str(path), str(root)
    if text.startswith(base) and text[len(base) : len(base) + 1] == os.sep:
        shown = text[len(base) + 1 :].replace(os.sep, "/")  # what relative_to gives, 10× faster
    else:
        try:
            shown = path.relative_to(root).as_posix()
        except ValueError:
            shown = text
    return shown.encode("utf-8", "backslashreplace").decode("utf-8")


def name_text(name: str) -> str:
    """A file name as the letters its bytes spell in UTF-8, whatever the locale: Python reads
    names in the locale's encoding, and LANG=en_US.ISO-8859-1 made `café.txt` `cafÃ©.txt`
    (C without its coercion to UTF-8: `caf\\udcc3\\udca9.txt`). A byte that is not UTF-8
    stays a surrogate, as Python names it."""
    return name if name.isascii() else os.fsencode(name).decode("utf-8", "surrogateescape")


def name_path(text: str) -> str:
    """A name `name_text` gave, as the locale names the file (to open it)."""
    return text if text.isascii() else os.fsdecode(text.encode("utf-8", "surrogateescape"))


def from_root(problem: Problem, root: Path) -> Problem:
    """A problem in a file of the site named from the site's root, as every command names
    them (`content/site.yaml:3`, `themes/default/templates/tag.html:5`), whatever `--root`
    and wherever the command runs."""
    path = Path(problem.path)
    shown = label_of(path, root.resolve() if path.is_absolute() else root)
    return problem if shown == problem.path else replace(problem, path=shown)


def labels_in(folder: Path, root: Path, names: list[str]) -> list[str]:
    """`label_of` each name in `folder`, the folder's part worked out once: 13,000 pages took
    35 ms of every ingest when each path was worked out whole, and 0.12 s where the root is
    relative (`--root` left at `.`, as in CI), which only `Path.relative_to` answers."""
    prefix = label_of(folder / "-", root)[:-1]  # the folder's label, with the separator after it
    return [prefix + (name if name.isascii() else _shown(name)) for name in names]


def _shown(name: str) -> str:
    """A name by its letters, whatever the locale ("Edit this page" links the file a
    repository holds), a byte that is not UTF-8 escaped."""
    return name_text(name).encode("utf-8", "backslashreplace").decode("utf-8")


def inside(target: Path, root: Path) -> bool:
    """Whether `target`, links followed, lies in `root` (a loop of links, an unreadable path: no)."""
    try:
        return target.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def linked_in(link: Path, root: Path) -> bool:
    """Whether a symlink's target is content of the site: in `root`, and in no hidden file
    or folder of it (`.git/config` linked as a dump or a theme file published its remote's
    token, a reviewer's find)."""
    try:
        target = link.resolve().relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # a loop, or outside
        return False
    return not any(part.startswith(".") for part in target.parts)


def check_file(entry: os.DirEntry[str], root: Path, path: Path | None = None) -> Problem | None:
    """Why a listed file must not be read as content (a warning), or None for a plain file of
    the site. Its type comes with the folder listing: one system call, not two. `path`: the
    entry's, if the caller has made it; else it is made only to say what is wrong."""
    try:
        link, info = entry.is_symlink(), entry.stat()  # the stat follows a symlink
    except OSError as err:
        where = path or Path(entry.path)
        return Problem(label_of(where, root), 0, f"cannot read: {err.strerror or err}; skipped", "warning")
    regular = stat.S_ISREG(info.st_mode)
    if regular and not link:
        return None  # the common case
    where = path or Path(entry.path)
    if link and not linked_in(where, root):
        message = "a symlink to a file outside the site or in a hidden folder; skipped (not published)"
        return Problem(label_of(where, root), 0, message, "warning")
    if not regular:
        kind = "a named pipe" if stat.S_ISFIFO(info.st_mode) else "not a regular file"
        return Problem(label_of(where, root), 0, f"{kind}; skipped, never opened", "warning")
    return None


def files_in(
    folder: Path, root: Path, suffix: str, other: str | None = None
) -> tuple[list[Path], list[Problem]]:
    """The content files ending in `suffix` (in any case: `.TXT`) under `folder` and its
    subfolders, sorted, and why others were left out (`names_in` lists one folder without
    them). `other`: what to say of a file with another ending (None: nothing)."""
    found: list[Path] = []
    problems: list[Problem] = _not_a_folder(folder, root)
    if not folder.is_dir():
        return found, problems
    pending = [folder]
    seen: set[tuple[int, int]] = set()
    while pending:
        current = pending.pop()
        try:
            info = current.stat()
            if (info.st_dev, info.st_ino) in seen:
                continue  # a folder symlinked into itself
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as err:
            problems.append(
                Problem(label_of(current, root), 0, f"cannot read folder: {err.strerror}; skipped")
            )
            continue
        for entry in entries:
            if ignored(entry.name):
                continue
            path = current / entry.name  # a third cheaper than parsing `entry.path` whole
            if _is_dir(entry):
                if entry.is_symlink() and not linked_in(path, root):
                    message = (
                        "a symlink to a folder outside the site or hidden in it; skipped (not published)"
                    )
                    problems.append(Problem(label_of(path, root), 0, message, "warning"))
                    continue
                pending.append(path)
            elif entry.name.lower().endswith(suffix):
                problem = check_file(entry, root, path)
                if problem is None:
                    found.append(path)
                else:
                    problems.append(problem)
            elif other is not None:
                problems.append(Problem(label_of(path, root), 0, other, "warning"))
    return sorted(found), problems


def _not_a_folder(folder: Path, root: Path) -> list[Problem]:
    """A file (or a dangling link) where content files' folder belongs: an error, not an
    empty site."""
    if folder.is_dir() or not (folder.exists() or folder.is_symlink()):
        return []
    return [Problem(label_of(folder, root), 0, "not a folder; move it away and make a folder of this name")]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """A folder, or a symlink to one; False for a symlink loop (`check_file` then says why)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def unread_folder(label: str, where: str, suffix: str) -> Problem:
    """A sub-folder of `where` holding content files: a page moved into one vanished from
    the site without a word."""
    message = f"sub-folders are not read: move its *{suffix} files up into {where} to have them built"
    return Problem(label, 0, message, "warning")


def holds_any(folder: Path, suffix: str) -> bool:
    try:
        return any(not ignored(p.name) for p in folder.rglob(f"*{suffix}"))
    except OSError:
        return False


def md_names(papers_dir: Path) -> list[str]:
    """The names (without `.md`) of every file in the papers folder, read or not: taken for
    new slugs."""
    try:
        return [name[:-3] for name in os.listdir(papers_dir) if name.endswith(".md")]
    except OSError:
        return []


def names_in(
    folder: Path, root: Path, suffix: str
) -> tuple[list[str], dict[str, os.stat_result], list[Problem]]:
    """`files_in` for one folder, without its subfolders: the names of its content files in
    name order, each name's stat as the check saw it, and why others were left out. No Path
    is made for a plain file: for 10,000 pages, that and hashing them took 50 ms a run."""
    names: list[str] = []
    stats: dict[str, os.stat_result] = {}
    problems: list[Problem] = _not_a_folder(folder, root)
    if not folder.is_dir():
        return names, stats, problems
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        problems.append(Problem(label_of(folder, root), 0, f"cannot read folder: {err.strerror}; skipped"))
        return names, stats, problems
    for entry in entries:
        name = entry.name
        if not ignored(name) and _is_dir(entry) and holds_any(Path(entry.path), suffix):
            problems.append(unread_folder(label_of(Path(entry.path), root), label_of(folder, root), suffix))
        elif not ignored(name) and name.endswith(suffix) and _is_dir(entry):
            # Its name stays taken: a new page for its slug was `…-2.md`, without a word.
            message = (
                f"a folder named as a {suffix} file, not read: a page is a file (rename or remove the folder)"
            )
            problems.append(Problem(label_of(Path(entry.path), root), 0, message, "warning"))
        if ignored(name) or _is_dir(entry) or not name.endswith(suffix):
            continue
        problem = check_file(entry, root)
        if problem is None:
            names.append(name)
            stats[name] = entry.stat()  # cached by the entry: no system call
        else:
            problems.append(problem)
    return names, stats, problems


def repository_around(path: Path) -> Path | None:
    """The nearest folder above `path` that holds a `.git` (the git repository it lies in), or None."""
    return next((parent for parent in path.parents if (parent / ".git").exists()), None)


def site_around(folder: Path) -> Path | None:
    """The site a folder lies inside (the nearest folder above it with a content/ of a
    site's), or None: run from content/, a command said "run `init .`", which made a site
    inside the site."""
    try:
        here = folder.resolve()
    except (OSError, RuntimeError):
        return None
    for parent in here.parents:
        content = parent / "content"
        if content.is_dir() and any(
            (content / name).exists() for name in ("taxonomy.yaml", "site.yaml", "papers")
        ):
            return parent
    return None


DUMPS_READ = "dumps-read"  # in ingest's store: each dump's stat and bytes' digest as it read them
DumpsRead = dict[str, tuple[Stat, str]]


def dumps_read(root: Path, before: object = None) -> DumpsRead:
    """Each dump's label (`content/sources/…`), stat and bytes' digest, as ingest finds the
    dumps; a dump whose stat is as `before` (the last such record) holds it keeps its
    digest, unread."""
    known = before if isinstance(before, dict) else {}
    found: DumpsRead = {}
    for path in files_in(root / "content" / "sources", root, ".txt")[0]:
        label = label_of(path, root)
        with contextlib.suppress(OSError):
            stat = stat_key(path.stat())
            held = known.get(label)
            found[label] = held if held and held[0] == stat else (stat, bytes_digest(path.read_bytes()))
    return found


def unread_dumps(root: Path, read: object) -> list[str]:
    """The dumps new or changed since the last ingest (`read`: what it saved as DUMPS_READ):
    a build after `add` without `ingest` left the new day out without a word (a reviewer).
    A dump written again with the same bytes (a checkout, an editor's save) is no change.
    Nothing when no ingest saved it (a fresh clone, another version)."""
    if not isinstance(read, dict):
        return []
    return [
        label for label, (_, held) in dumps_read(root, read).items() if read.get(label, (None, ""))[1] != held
    ]

"""The output folder: build into a temporary folder beside it, then swap it into place.

A build writes `_site.tmp-<pid>-XXXX/` next to `_site/` and only touches `_site/` when
everything is written, so a build that fails or is killed leaves the previous site as it
was. A build that changed few files then renames them in one by one (output/inplace.py); one that
changed most swaps the whole folder. On Linux that swap is one atomic
`renameat2(RENAME_EXCHANGE)`; elsewhere it is two
renames, and a build killed between them is repaired by the next one (the old site is
renamed back). Leftover folders of dead builds are removed by the next build
(output/leftovers.py); folders of builds still running (their pid is alive) are left alone.

What a person keeps in the output folder survives every build: `.git` (a gh-pages
checkout), `CNAME` and whatever `keep_files:` names, as Jekyll does; after the swap they
are moved from the previous site into the new one (and rescued from a leftover folder if
a build was killed in between). A mount point (a bind-mounted `_site` in Docker CI) cannot
be renamed: its contents are swapped instead, entry by entry.

Which output folders a build may use at all (not the site's own files, not a folder no
build made) is decided before, by output/folder.py.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from site_builder.build.output.folder import (
    ALWAYS_KEPT,
    is_mount_point,
    kept_names,
)
from site_builder.build.output.inplace import (
    LiveSite,
    apply_in_place,
    can_patch,
    files_under,
    folders_of,
    worth_patching,
)
from site_builder.core.files.atomic import NEW_FILE, current_umask, exchange
from site_builder.core.runtime.hashing import BytesHasher, bytes_digest

# In a build's temporary folder until its site is complete: with the name, the proof that a
# folder beside `_site/` is a build's (a person's `_site.old-2024-06` backup is not).
STAGING_MARK = ".site_builder-staging"


class FileStat(NamedTuple):
    """What identifies a file the build wrote without reading it back, and a hash of its bytes,
    which recognises it after a copy (a CI cache restores `_site/`: new inodes and times)."""

    ino: int
    size: int
    mtime_ns: int
    digest: str = ""  # of the bytes written; "" where only the stat is known (a scan)

    @classmethod
    def of(cls, st: os.stat_result, digest: str = "") -> FileStat:
        return cls(st.st_ino, st.st_size, st.st_mtime_ns, digest)


class HashedWriter:
    """Where `OutputDir.write_from` has a file written: its bytes, hashed as they pass."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw, self.hasher = raw, BytesHasher()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.hasher.update(data)
        self._raw.write(data)  # a buffered file writes all of it


@dataclass
class OutputDir:
    """A folder being filled: writes files, or links in unchanged ones."""

    path: Path
    live: Path | None = None  # the previous site, whose unchanged files are carried over ...
    patching: bool = False  # ... or left where they are, this folder's renamed in (output/inplace.py)
    _folders: set[str] = field(default_factory=set, repr=False)

    def write(self, relative: str, data: bytes | str) -> FileStat:
        """Write one file; `relative` uses forward slashes (a URL path inside the site)."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        # One open, write, stat and close, no fsync: the swap at the end is what makes the
        # site appear, and a crash before it leaves the previous site in place anyway.
        fd = self._create(relative)
        try:
            view = memoryview(raw)
            while view:
                view = view[os.write(fd, view) :]
            stat = FileStat.of(os.fstat(fd), bytes_digest(raw))
        finally:
            os.close(fd)
        return stat

    def write_from(self, relative: str, fill: Callable[[HashedWriter], object]) -> FileStat:
        """Write one file as `fill` writes its bytes, part by part, hashed on the way as
        `write` hashes them whole: a file too large to hold (the offline copy, 300 MB at
        50,000 papers). `fill` only appends, never seeks: what it wrote is what is hashed."""
        with open(self._create(relative), "wb", buffering=1 << 20) as raw:  # closes the fd
            sink = HashedWriter(raw)
            fill(sink)
            raw.flush()
            return FileStat.of(os.fstat(raw.fileno()), sink.hasher.hexdigest())

    def _create(self, relative: str) -> int:
        """A new file at `relative`, open for writing. Never an existing one written into: it
        may be hard-linked from the live site, which must stay as it is until the swap."""
        target = self._target(relative)
        try:
            return os.open(target, NEW_FILE, 0o666)
        except FileExistsError:
            os.unlink(target)
            return os.open(target, NEW_FILE, 0o666)

    def link(self, relative: str, stat: FileStat) -> FileStat:
        """Carry the previous site's file at `relative` (whose `stat` is known) over: a hard
        link, or a copy; nothing when that site is patched, as the file is in place."""
        if self.patching:
            return stat
        assert self.live is not None, "no previous site to carry files from"
        source = os.path.join(self.live, *relative.split("/"))
        target = self._target(relative)
        try:
            os.link(source, target)  # same inode: its stat is the one we know
        except OSError:
            shutil.copy2(source, target)  # a file system without hard links
            stat = FileStat.of(os.stat(target), stat.digest)
        return stat

    def _target(self, relative: str) -> str:
        folder, _, _ = relative.rpartition("/")
        if folder not in self._folders:
            os.makedirs(os.path.join(self.path, *folder.split("/")) if folder else self.path, exist_ok=True)
            self._folders.add(folder)
        return os.path.join(self.path, *relative.split("/"))


class NewSite:
    """The next site's changed files, written into a temporary folder beside `out` (made on
    first use), then renamed into the live site, or, when most files changed, completed with
    the unchanged ones and swapped into place whole; `discard` removes it after a failure."""

    def __init__(self, out: Path, keep: Sequence[str] = ALWAYS_KEPT, live: LiveSite | None = None) -> None:
        self.out = out
        self.keep = tuple(keep)
        self.live = live  # the site as the last build left it: patched if little changes
        self._target: OutputDir | None = None

    @property
    def target(self) -> OutputDir:
        if self._target is None:
            self._target = OutputDir(make_temp_dir(self.out), self.out, patching=self.live is not None)
        return self._target

    def swap(self, built: Collection[str]) -> None:
        """Make the new site live; `built`: the path of every file it holds. Few changed files
        are renamed into the live site; otherwise the new folder replaces it whole."""
        staging = self.target.path
        # The staging folder keeps its mark while it holds only the changed files: a build
        # killed while patching left it unmarked and part-emptied, which no build removed.
        # `swap_into_place` takes the mark off once it is a whole site.
        if self.live is not None:
            written = [path for path in files_under(staging) if path != STAGING_MARK]
            needed = folders_of(built)
            if worth_patching(self.live, len(written)) and can_patch(self.live, written, needed):
                apply_in_place(staging, self.live, written, built, needed)
                remove_own(staging)
                return
            self.target.patching = False  # the unchanged files join the new folder after all
            for path in set(built).difference(written):
                self.target.link(path, FileStat(0, 0, 0))  # the manifest has its stat already
        swap_into_place(staging, self.out, self.keep)

    def discard(self) -> None:
        if self._target is not None:
            discard(self._target.path)


@dataclass
class Scan:
    """Every file of a built site (relative path → stat, and its change time) and every folder;
    `others`: what is neither (symlinks, devices), also listed with the folders."""

    files: dict[str, FileStat] = field(default_factory=dict)
    ctimes: dict[str, int] = field(default_factory=dict)
    folders: set[str] = field(default_factory=set)
    others: set[str] = field(default_factory=set)


def scan(out: Path, kept: Sequence[str] = ALWAYS_KEPT) -> Scan:
    """What the output folder holds, leaving out what a person keeps there (`kept`)."""
    found = Scan()
    if not out.is_dir() or out.is_symlink():
        return found
    skip = set(kept)
    pending = [("", str(out))]
    files, ctimes, make = found.files, found.ctimes, tuple.__new__  # 13,500 files at 10,000 papers
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if name in skip or (not prefix and entry.name.startswith(".site_builder.")):
                    continue  # kept by a person, or a mount point's own temporary folder
                if entry.is_dir(follow_symlinks=False):
                    found.folders.add(name)
                    pending.append((name + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    files[name] = make(FileStat, (st.st_ino, st.st_size, st.st_mtime_ns, ""))  # FileStat.of
                    ctimes[name] = st.st_ctime_ns
                else:
                    found.folders.add(name)  # a symlink or a device: nothing a build writes
                    found.others.add(name)
    return found


def restore_kept(old: Path, out: Path, keep: Sequence[str]) -> None:
    """Move what a person keeps from the previous site (`old`) into the new one (`out`)."""
    for rel in keep:
        source, target = old / rel, out / rel
        if (source.exists() or source.is_symlink()) and not (target.exists() or target.is_symlink()):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(source, target)


def remove_leftover(folder: Path) -> None:
    """Delete a dead build's folder as a build deletes its own (`remove_own`), so that this
    build, killed in turn, leaves it recognisable: a plain `rmtree` could take the mark and
    `index.html` first and strand the rest, which no later build would touch."""
    with contextlib.suppress(OSError):  # a file we may not delete: stays marked, for a retry
        remove_own(folder)


def make_temp_dir(out: Path) -> Path:
    """A new folder beside `out` (inside it, for a mount point), named and marked so the next
    build can recognise a leftover, with the permissions the umask gives a new folder."""
    if is_mount_point(out):
        folder = Path(tempfile.mkdtemp(prefix=f".site_builder.tmp-{os.getpid()}-", dir=out))
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f"{out.name}.tmp-{os.getpid()}-", dir=out.parent))
    os.chmod(folder, 0o777 & ~current_umask())  # mkdtemp's 0700 would hide the site from a web server
    (folder / STAGING_MARK).touch()
    return folder


def remove_own(folder: Path) -> None:
    """Delete a folder a build made (a previous site set aside, a used staging folder) so that
    a kill at any point leaves one the next build still knows for its own: marked until all
    else is gone, then empty (`_built_temp_folder`)."""
    (folder / STAGING_MARK).touch()
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name == STAGING_MARK:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
    shutil.rmtree(folder)


def swap_into_place(new: Path, out: Path, keep: Sequence[str] = ALWAYS_KEPT) -> None:
    """Make `new` the site at `out`, carry over what a person keeps, delete the previous site."""
    (new / STAGING_MARK).unlink(missing_ok=True)  # complete: a site now (`looks_built`)
    if new.parent == out:  # a mount point: swap its contents instead
        _swap_contents(new, out, keep)
        return
    if not out.exists():
        os.rename(new, out)
        return
    try:
        exchanged = exchange(new, out)
    except OSError as error:
        if error.errno != errno.EBUSY:
            raise
        _swap_contents(new, out, keep)  # a mount point not listed as one: swap its contents
        return
    if exchanged:
        restore_kept(new, out, keep)  # `new` now holds the previous site
        remove_own(new)
        return
    old = Path(tempfile.mkdtemp(prefix=f"{out.name}.old-{os.getpid()}-", dir=out.parent))
    os.rmdir(old)
    try:
        os.rename(out, old)
    except OSError as error:
        if error.errno != errno.EBUSY:
            raise
        _swap_contents(new, out, keep)
        return
    os.rename(new, out)
    restore_kept(old, out, keep)
    remove_own(old)


def _swap_contents(new: Path, out: Path, keep: Sequence[str]) -> None:
    """Replace `out`'s entries by `new`'s, one rename each (`out` is a mount point, which
    cannot itself be renamed); what a person keeps is never touched."""
    old = Path(tempfile.mkdtemp(prefix=f".site_builder.old-{os.getpid()}-", dir=out))
    (old / STAGING_MARK).touch()  # a killed swap leaves part of a site here: still ours
    kept = kept_names(keep)
    for entry in sorted(os.listdir(out)):
        if entry not in kept and not entry.startswith(".site_builder."):
            os.rename(out / entry, old / entry)
    for entry in sorted(os.listdir(new)):
        if not (out / entry).exists():
            shutil.move(new / entry, out / entry)  # a copy when `new` lies on another file system
    remove_own(new)
    remove_own(old)


def discard(path: Path) -> None:
    """Remove a temporary folder after a failed build."""
    remove_leftover(path)

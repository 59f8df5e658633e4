"""Writing files so that an interrupted run never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from site_builder.core.runtime.libc import libc_function


def atomic_write_bytes(
    path: Path, data: bytes | Sequence[bytes], durable: bool = True, replace: bool = True
) -> None:
    """Write via a temporary file in the same folder, then rename over the target.

    A killed process leaves either the old file or the new one, never half of one. `data`
    may be a list of parts, written one after another (no joined copy of a large value).
    With `durable`, the data is also fsync'd before the rename (safe against power loss);
    bulk writers pass False and call `flush_to_disk` once at the end instead. With
    `replace=False`, a file that exists by then is left alone (FileExistsError). The file
    gets the permissions the umask gives a new file.
    """
    with atomic_writer(path, durable, replace) as handle:
        for part in [data] if isinstance(data, bytes) else data:
            handle.write(part)


@contextmanager
def atomic_writer(
    path: Path, durable: bool = True, replace: bool = True, swap: bool = False
) -> Iterator[BinaryIO]:
    """`atomic_write_bytes` for a writer that streams: the file opened for writing (and
    seeking), given its name only when the block ends without an error.

    `swap` (with `replace`, not `durable`): put the new file in with renameat2's exchange
    and then delete the old one, where the system can. ext4 writes out a file renamed
    over another before the rename returns (`auto_da_alloc`, its guard for programs that
    replace files without fsync): 11-12 ms for the 17 MB of a cache file that the build
    replaces after every edit, against 5 ms for the exchange and the deletion. For files
    whose loss in a power cut costs only their recomputation."""
    fd, tmp = _new_temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if replace and swap and not durable and _swapped(tmp, path):
            Path(tmp).unlink(missing_ok=True)  # the old file, now under the temporary name
        elif replace:
            os.replace(tmp, path)
        else:
            _place_new(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _swapped(tmp: str, path: Path) -> bool:
    """`exchange(tmp, path)`; False where it cannot be (no such call, or no file at `path`)."""
    try:
        return exchange(tmp, path)
    except FileNotFoundError:
        return False


def replace_if_unchanged(path: Path, data: bytes, unchanged: Callable[[Path], bool]) -> bool:
    """Replace the file at `path` by `data` only if it still holds what the caller read, as
    `unchanged(file)` tells; False if it did not (the file is then as its writer left it).

    Checking and then renaming would overwrite a save landing between the two. On Linux the
    new file is swapped in first (renameat2's exchange) and the file it displaced is checked
    afterwards, where no save can slip in between: one that changed goes straight back. A
    save landing in the instant before it goes back is kept beside the page
    (`NAME.RANDOM.kept`), never deleted. Elsewhere the check comes just before one rename.
    Not fsync'd: the caller flushes a batch (`flush_to_disk`).

    The new file takes the old one's permissions (a private 640 note became 644), and a
    symbolic link is written through: its target is replaced and the link stays a link
    (the caller reads only links that stay inside the site)."""
    if path.is_symlink():
        path = path.resolve()
    fd, tmp = _new_temporary(path)
    try:
        with contextlib.suppress(OSError):  # gone meanwhile: the exchange below says so
            os.fchmod(fd, stat.S_IMODE(os.stat(path).st_mode))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        try:
            swapped = exchange(tmp, path)
        except FileNotFoundError:
            return False  # deleted meanwhile: the person's doing, kept so
        if not swapped:
            if not unchanged(path):
                return False
            os.replace(tmp, path)
            return True
        if unchanged(Path(tmp)):
            return True  # what was displaced is what the caller read: delete it
        exchange(tmp, path)  # a save landed: put it back
        if not _holds(tmp, data):  # and another landed meanwhile: keep that one too
            os.rename(tmp, f"{path}.{os.urandom(6).hex()}.kept")
        return False
    finally:
        Path(tmp).unlink(missing_ok=True)


def _holds(name: str, data: bytes) -> bool:
    try:
        with open(name, "rb") as handle:
            return handle.read(len(data) + 1) == data
    except OSError:
        return False


_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{12}\.tmp")  # `_new_temporary`'s names
NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _new_temporary(path: Path) -> tuple[int, str]:
    """A new file beside `path` to write it in (`.NAME.RANDOM.tmp`), and its folder if it
    has none. Opened with O_EXCL, so it is never a file or link that was there, and with the
    permissions the umask gives a new file, which the system applies: mkstemp's private
    file took a chmod and two umask calls more, a quarter of writing 5,000 new pages."""
    while True:
        tmp = os.path.join(path.parent, f".{path.name}.{os.urandom(6).hex()}.tmp")  # see _TEMPORARY
        try:
            return os.open(tmp, NEW_FILE, 0o666), tmp
        except FileExistsError:
            continue  # a leftover of the same name: draw another
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(tmp, NEW_FILE, 0o666), tmp


def current_umask() -> int:
    """The process's umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


FSYNC_EACH_UP_TO = 500  # files; more are flushed with everything else in one `os.sync`


def flush_to_disk(paths: Sequence[Path]) -> None:
    """Flush these written files and their folders' entries to disk, once after a batch of
    non-durable writes. A few files (a daily update's) are synced one by one: `os.sync`
    would also wait for everything else not yet on disk (a build's output, a restored CI
    cache: 0.3-0.5 s at 10,000 papers). Many (a first ingest's) are not: each fsync is a
    journal commit, and 10,000 of them took 5 s where one `os.sync` takes under one.

    The files are synced from several threads at once (fsync lets go of the interpreter
    lock), so that their journal commits are grouped: a day's 100 pages took 50-65 ms one
    after another, 11-17 ms at once. Their folders follow once every file is synced."""
    if len(paths) > FSYNC_EACH_UP_TO:
        os.sync()
        return
    files = list(paths)
    if len(files) > 1:
        with ThreadPoolExecutor(min(FSYNC_THREADS, len(files))) as pool:
            list(pool.map(_fsync_path, files))
    else:
        for path in files:
            _fsync_path(path)
    for folder in {path.parent for path in paths}:
        _fsync_path(folder)


FSYNC_THREADS = 16  # fsyncs in flight at once (`flush_to_disk`)


def _fsync_path(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # gone since (a person's doing), or a folder Windows cannot open
    try:
        os.fsync(fd)
    except OSError:
        pass  # a file system that cannot sync a folder
    finally:
        os.close(fd)


def remove_stale_temp_files(folder: Path, older_than: float = 0.0) -> None:
    """Delete temporary files left by a write that was killed before its rename: only files
    named as `_new_temporary` names them (a person's `.todo.tmp` is theirs), only plain files;
    with `older_than` (seconds), only those not written to for that long, where another
    process may be writing one now."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    before = time.time() - older_than
    for entry in entries:
        try:
            if not (_TEMPORARY.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)):
                continue
            if older_than and entry.stat(follow_symlinks=False).st_mtime > before:
                continue
            Path(entry.path).unlink(missing_ok=True)
        except OSError:
            continue  # gone meanwhile, or not ours to remove


def _place_new(tmp: str, path: Path) -> None:
    """Give the written file its name unless the name exists (FileExistsError): one rename
    that refuses to replace (Linux), else a hard link and an unlink."""
    if _rename_new(tmp, path):
        return
    try:
        os.link(tmp, path)  # atomic: fails if the name exists
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache
def _renameat2() -> Any:
    renameat2 = libc_function("renameat2")
    if renameat2 is not None:
        renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2


def _rename_new(tmp: str, path: Path) -> bool:
    """Rename `tmp` to `path` unless `path` exists (FileExistsError); False when the system
    cannot refuse to replace in one call (then nothing happened)."""
    return _rename_with(tmp, path, _RENAME_NOREPLACE)  # EEXIST: a FileExistsError


def _rename_with(a: Path | str, b: Path | str, flags: int) -> bool:
    """Linux renameat2 with `flags`; False when the system cannot (nothing happened)."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def exchange(a: Path | str, b: Path | str) -> bool:
    """Atomically swap two paths (Linux renameat2); False when the system cannot."""
    return _rename_with(a, b, _RENAME_EXCHANGE)

"""The C library's own calls that Python does not offer (Linux): found once, or None elsewhere."""

from __future__ import annotations

import ctypes
import functools
import sys
from typing import Any

_M_ARENA_MAX = -8  # mallopt's parameter: how many malloc arenas the process's threads share


@functools.cache
def libc_function(name: str) -> Any:
    """The C library's function `name` (errno kept for `ctypes.get_errno`), or None where
    there is no such function or no Linux C library."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        # The process's own symbols, the C library's among them: the library that serves this
        # process (its malloc is the one to tune), found without `ctypes.util.find_library`,
        # whose import and `ldconfig -p` took 7 ms of every command's start.
        return getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None


def one_malloc_arena() -> None:
    """Let every thread of this process allocate from one malloc arena (glibc).

    By default each thread that allocates gets an arena of its own, and memory freed in one
    arena is not reused by another. A build frees last run's related-papers state in the
    main thread, then scores in worker threads: with their own arenas they took 85 MB more
    at 50,000 papers, the process's peak (964 against 924 MiB). numpy's threads allocate a
    few large arrays each: a daily build is no slower, related papers from nothing about
    5 % slower (docs/performance.md). Call before starting threads."""
    mallopt = libc_function("mallopt")
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, 1)

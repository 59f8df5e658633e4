"""Worker processes that end with the run that started them."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> None:
    """In a worker process: end when the process that started it is killed (Linux).

    A run killed with SIGKILL cannot stop its workers, and a pool worker waiting for its
    next job would wait forever; the kernel's parent-death signal ends it instead.
    `parent` is the starting process's pid: if it died before the signal was armed, the
    worker has already been adopted by another process and ends at once.
    """
    if parent is None:
        parent = os.getppid()
    if os.getppid() != parent:
        os._exit(1)
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

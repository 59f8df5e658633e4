"""Ctrl-C in the main process: raised as ever, and remembered, so a run tells an interrupt
from a crash even when the interrupt was lost on its way (in a fork's handlers).

Apart from core/runtime/parallel.py (the worker processes) so that a command that starts
none, an ingest of a day's papers, does not import multiprocessing (20 ms of its start).
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import Any

_INTERRUPTED = threading.Event()


def remember_interrupts() -> None:
    """In the main process: Ctrl-C raises KeyboardInterrupt as ever, and is remembered too.
    One that lands while a fork runs its at-fork handlers is printed as "Exception ignored"
    and lost: the build ran on and published (1 Ctrl-C in 60, a reviewer)."""
    _INTERRUPTED.clear()  # a run of its own (tests call `main` many times in one process)
    if threading.current_thread() is not threading.main_thread():
        return

    def interrupted(signum: int, frame: object) -> None:
        _INTERRUPTED.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupted)
    sys.unraisablehook = _unraisable


def _unraisable(unraisable: Any) -> None:
    """An interrupt lost in an at-fork handler is remembered, not printed with a traceback."""
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        return
    sys.__unraisablehook__(unraisable)


def was_interrupted() -> bool:
    return _INTERRUPTED.is_set()

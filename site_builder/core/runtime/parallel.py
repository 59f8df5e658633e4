"""Worker processes: how many, how they start, and how they end with the run that started them."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from site_builder.core.errors import Problem, SiteError
from site_builder.core.runtime.interrupts import was_interrupted
from site_builder.core.runtime.libc import libc_function

MAX_WORKERS = 8
T = TypeVar("T")
X = TypeVar("X")
_PR_SET_PDEATHSIG = 1


def cores() -> int:
    """The processes worth running at once (at most MAX_WORKERS)."""
    return min(os.cpu_count() or 1, MAX_WORKERS)


Context = multiprocessing.context.ForkContext | multiprocessing.context.SpawnContext


class _SpawnProcess(multiprocessing.context.SpawnProcess):
    """A spawned process that starts with Ctrl-C held back until `die_with_parent` is ready
    for it: one that landed while the new Python imported printed its traceback (a Ctrl-C
    during a rebuild of `serve`, whose workers are spawned), "KeyboardInterrupt" and all.
    The starting process takes a Ctrl-C only once the new one is handed its start-up data:
    a hand-over cut short (serve's other threads take the signal, whatever the main thread
    masks) made the new process print `EOFError: Ran out of input` under "interrupted"."""

    def start(self) -> None:
        resource_tracker.ensure_running()  # first: starting it lets Ctrl-C through again
        caught: list[tuple[int, Any]] = []
        main = threading.current_thread() is threading.main_thread()  # (handlers are its alone)
        if main:
            previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append((signum, frame)))
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # inherited across exec
        try:
            super().start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            if main:
                signal.signal(signal.SIGINT, previous)
            # Handled as it would have been, now that the new process is started, or failed
            # to: the Ctrl-C that killed the resource tracker fails the start (`bad value(s)
            # in fds_to_keep`), and was lost with it, so serve ran on as after a failed build.
            if caught:
                if callable(previous):
                    previous(*caught[0])
                else:
                    signal.raise_signal(signal.SIGINT)


class _SpawnContext(multiprocessing.context.SpawnContext):
    Process = _SpawnProcess


def pool_context() -> Context:
    """fork is cheapest, but not from a process with threads (serve's HTTP server)."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return _SpawnContext()


def can_fork() -> bool:
    return pool_context().get_start_method() == "fork"


def end_if_interrupted() -> None:
    """Before a step that publishes (the swap): an interrupt lost on its way stops it here."""
    if was_interrupted():
        raise KeyboardInterrupt


def _end_quietly(signum: int, frame: object) -> None:
    os._exit(128 + signum)  # the run that started it says "interrupted", once


def die_with_parent(parent: int | None = None) -> None:
    """In a worker process: end when the process that started it is killed (Linux).

    A run killed with SIGKILL cannot stop its workers, and a pool worker waiting for its
    next job would wait forever; the kernel's parent-death signal ends it instead. Ctrl-C,
    sent to every process of the terminal's group, ends a worker without a traceback.
    `parent` is the starting process's pid: if it died before the signal was armed, the
    worker has already been adopted by another process and ends at once.
    """
    signal.signal(signal.SIGINT, _end_quietly)  # Ctrl-C reaches every worker: no tracebacks
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held back while it started
    if parent is None:
        parent = os.getppid()
    if os.getppid() != parent:
        os._exit(1)
    prctl = libc_function("prctl")  # None but on Linux
    if prctl is None:
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def send_outcome(
    sender: Connection, work: Callable[[], object], problems_of: Callable[[BaseException], list[Problem]]
) -> None:
    """In a forked process: run `work` and send the parent its outcome, one message: ("ok",
    result), ("problems", [Problem, ...]) when `problems_of` blames the input (a template,
    a page), ("os", (errno, strerror, filename, filename2, message)) for the machine's (a
    full disk, a read-only folder: the parent says it, once, as when it meets it itself; a
    worker's traceback came above the message), or ("crash", traceback) for a mistake of
    the tool's own (raised again)."""
    try:
        sender.send(("ok", work()))
    except Exception as err:
        problems = problems_of(err)
        if problems:
            sender.send(("problems", problems))
        elif isinstance(err, OSError):
            said = (err.errno, err.strerror, err.filename, err.filename2, str(err))
            sender.send(("os", said))
        else:
            sender.send(("crash", traceback.format_exc()))
            raise
    except BaseException:
        sender.send(("crash", traceback.format_exc()))
        raise


def receive_outcome(results: Connection, process: BaseProcess, what: str) -> Any:
    """What `send_outcome` sent: the result; the problems raised as a SiteError; the
    machine's error as the OSError it was; a crash, or a process that died without a word,
    as a RuntimeError naming `what` it was doing."""
    try:
        kind, value = results.recv()
    except EOFError:
        process.join()
        kind, value = "crash", f"the process died (exit code {process.exitcode})"
    if kind == "problems":
        raise SiteError(value)
    if kind == "os":  # one without a number is its message alone (not "[Errno None] None")
        code, reason, name, other, said = value
        raise OSError(code, reason, name, None, other) if code is not None else OSError(said)
    if kind != "ok":
        raise RuntimeError(f"{what} failed in a worker process:\n{value}")
    return value


def map_chunks(
    work: Callable[[Sequence[X]], list[T]],
    items: Sequence[X],
    workers: int,
    initializer: Callable[..., None] = die_with_parent,
    initargs: tuple[object, ...] = (),
) -> list[T]:
    """`work` over consecutive slices of `items` in a pool of `workers` processes, results in
    order; a few slices per worker, so one slow slice does not hold up the rest."""
    size = max(1, -(-len(items) // (workers * 4)))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(
        workers, mp_context=pool_context(), initializer=initializer, initargs=initargs
    ) as pool:
        return [item for part in pool.map(work, chunks) for item in part]

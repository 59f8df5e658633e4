"""Worker processes: how many, how they start, and how they end with the run that started them."""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from site_builder.core.libc import libc_function

MAX_WORKERS = 8
T = TypeVar("T")
X = TypeVar("X")
_PR_SET_PDEATHSIG = 1


def cores() -> int:
    """The processes worth running at once (at most MAX_WORKERS)."""
    return min(os.cpu_count() or 1, MAX_WORKERS)


Context = multiprocessing.context.ForkContext | multiprocessing.context.SpawnContext


def pool_context() -> Context:
    """fork is cheapest, but not from a process with threads (serve's HTTP server)."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def can_fork() -> bool:
    return pool_context().get_start_method() == "fork"


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
    prctl = libc_function("prctl")  # None but on Linux
    if prctl is None:
        return
    prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


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

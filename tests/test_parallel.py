"""core/runtime/parallel.py: what a forked worker sends its parent, and what it prints."""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from site_builder.core.runtime import parallel
from site_builder.core.runtime.interrupts import remember_interrupts, was_interrupted
from site_builder.core.runtime.parallel import receive_outcome, send_outcome


def _full_disk() -> object:
    raise OSError(errno.ENOSPC, "No space left on device")


def _worker(sender: Connection, work: Callable[[], object] = _full_disk) -> None:
    send_outcome(sender, work, lambda err: [])


def _unnumbered() -> object:
    raise OSError("the theme's font could not be read")


def _across_devices() -> object:
    raise OSError(errno.EXDEV, "Invalid cross-device link", "a.html", None, "b.html")


def test_a_full_disk_in_a_worker_is_the_parents_error_and_prints_no_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """A render worker that met a full disk printed its traceback (`Process ForkProcess-2:
    Traceback …`) above the build's one-line message, about half the time: the parent, not
    the worker, says it, as when it meets the full disk itself."""
    context = multiprocessing.get_context("fork")
    results, sender = context.Pipe(duplex=False)
    process = context.Process(target=_worker, args=(sender,))
    process.start()
    sender.close()
    with pytest.raises(OSError) as raised:
        receive_outcome(results, process, "rendering")
    process.join()
    assert raised.value.errno == errno.ENOSPC
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("work", "said"),
    [
        (_unnumbered, "the theme's font could not be read"),
        (_across_devices, "[Errno 18] Invalid cross-device link: 'a.html' -> 'b.html'"),
    ],
)
def test_a_workers_error_reaches_the_parent_whole(work: Callable[[], object], said: str) -> None:
    """An OSError without a number (a library's `OSError("…")`) reached the parent as
    '[Errno None] None', its message lost; one naming two files lost the second."""
    context = multiprocessing.get_context("fork")
    results, sender = context.Pipe(duplex=False)
    process = context.Process(target=_worker, args=(sender, work))
    process.start()
    sender.close()
    with pytest.raises(OSError) as raised:
        receive_outcome(results, process, "rendering")
    process.join()
    assert str(raised.value) == said


# A program that starts a spawned process (as serve's rebuilds do) and takes a Ctrl-C the
# moment the new process exists, while it is being handed its start-up data.
_CUT_SHORT = """
import os, signal, threading, time
from multiprocessing import resource_tracker
from site_builder.core.runtime.parallel import pool_context

def children():
    tasks = f"/proc/{os.getpid()}/task"
    return {pid for task in os.listdir(tasks) for pid in open(f"{tasks}/{task}/children").read().split()}

def interrupt_once_started(before):
    while not children() - before:
        time.sleep(0.0005)
    os.kill(os.getpid(), signal.SIGINT)  # taken by this thread, as serve's threads take it

if __name__ == "__main__":
    resource_tracker.ensure_running()
    threading.Thread(target=interrupt_once_started, args=(children(),), daemon=True).start()
    process = pool_context().Process(target=len, args=(b"x" * 16_000_000,))
    try:
        process.start()
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    if process.pid is not None:  # (not started, without a pid, before this was mended)
        process.join()
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the new process in /proc")
def test_ctrl_c_while_a_spawned_process_is_handed_its_data_prints_no_traceback(tmp_path: Path) -> None:
    """A Ctrl-C during a rebuild of serve, in the instant a worker was being handed its
    start-up data, made that worker print `EOFError: Ran out of input` with its traceback
    under serve's "interrupted" (1 run in several). The hand-over now completes first."""
    program = tmp_path / "cut_short.py"
    program.write_text(_CUT_SHORT, encoding="utf-8")
    for _ in range(3):  # the Ctrl-C lands at a slightly different point each time
        done = subprocess.run(
            [sys.executable, str(program)], capture_output=True, text=True, timeout=60, check=False
        )
        assert (done.stdout, done.stderr) == ("interrupted\n", "")


def test_a_ctrl_c_that_fails_a_spawned_start_is_not_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C reaches the whole process group: the resource tracker died of it while serve's
    rebuild started a worker, the start failed (`ValueError: bad value(s) in fds_to_keep`),
    and the Ctrl-C the starting process had held back went with it: serve took a failed
    build and ran on, and Ctrl-C never stopped it. The failure is stood in for here (the
    race is rare); the signal, its handler and the start-up code are the real ones."""

    def interrupted_start(process: multiprocessing.process.BaseProcess) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # held back by the start-up code
        raise ValueError("bad value(s) in fds_to_keep")

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", interrupted_start)
    remember_interrupts()
    try:
        with pytest.raises(KeyboardInterrupt) as raised:
            parallel._SpawnContext().Process(target=len, args=(b"x",)).start()  # serve's
        assert was_interrupted()
        assert isinstance(raised.value.__context__, ValueError)  # the failure, under it
    finally:
        remember_interrupts()  # forgotten again: later tests' builds must not stop at it
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.unraisablehook = sys.__unraisablehook__

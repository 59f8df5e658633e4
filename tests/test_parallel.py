"""core/runtime/parallel.py: what a forked worker sends its parent, and what it prints."""

from __future__ import annotations

import errno
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection

import pytest

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

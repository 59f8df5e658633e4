"""core/runtime/parallel.py: what a forked worker sends its parent, and what it prints."""

from __future__ import annotations

import errno
import multiprocessing
from multiprocessing.connection import Connection

import pytest

from site_builder.core.runtime.parallel import receive_outcome, send_outcome


def _full_disk() -> object:
    raise OSError(errno.ENOSPC, "No space left on device")


def _worker(sender: Connection) -> None:
    send_outcome(sender, _full_disk, lambda err: [])


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

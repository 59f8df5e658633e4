"""The C library's calls (core/runtime/libc.py): found where they exist, None (never an error) elsewhere."""

from __future__ import annotations

import sys

import pytest

from site_builder.core.runtime.libc import libc_function


def test_a_call_the_c_library_lacks_is_none_not_an_error() -> None:
    assert libc_function("no_such_call_in_any_c_library") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the calls are Linux's")
@pytest.mark.parametrize("name", ["renameat2", "prctl", "mallopt"])
def test_the_calls_the_tool_relies_on_are_found_on_linux(name: str) -> None:
    """Were one not found, its fallback would run unnoticed: a new page placed by link and
    unlink, workers outliving a killed run, every thread with a malloc arena of its own."""
    assert libc_function(name) is not None

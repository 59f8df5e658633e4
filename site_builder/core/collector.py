"""The cyclic garbage collector, paused while a stage runs.

Ingest and build make hundreds of thousands of objects that live until the stage ends
(pages, entries, what the caches remember) and form few cycles; the collector would walk
the growing heap again and again for nothing — a tenth of a cold build, half the time of
loading a cache. Reference counting still frees everything else as it goes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block; it runs again afterwards if it ran before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()

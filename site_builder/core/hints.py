"""The commands a message suggests, written to be pasted where the person ran the tool: a
site named with `--root` is named again (`site-builder --root my-site tags --explain …`),
else the suggestion failed with "no content/ folder here"."""

from __future__ import annotations

import contextlib
import contextvars
import shlex
from collections.abc import Iterator
from pathlib import Path

_ROOT_FLAG: contextvars.ContextVar[str] = contextvars.ContextVar("root_flag", default="")


@contextlib.contextmanager
def run_in(root: Path) -> Iterator[None]:
    """Within: suggest commands for the site at `root`, from the working folder."""
    try:
        here = Path.cwd().resolve() == root.resolve()
    except OSError:
        here = False
    token = _ROOT_FLAG.set("" if here else f"--root {shlex.quote(str(root))} ")
    try:
        yield
    finally:
        _ROOT_FLAG.reset(token)


def command(rest: str) -> str:
    """`site-builder REST`, as it runs from the working folder."""
    return f"site-builder {_ROOT_FLAG.get()}{rest}"

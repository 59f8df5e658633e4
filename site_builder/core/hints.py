"""The commands a message suggests, written to be pasted where the person ran the tool: a
site named with `--root` is named again (`site-builder --root my-site tags --explain …`),
else the suggestion failed with "no content/ folder here"."""

from __future__ import annotations

import contextlib
import contextvars
import shlex
from collections.abc import Iterator
from pathlib import Path

_ROOT: contextvars.ContextVar[str] = contextvars.ContextVar("root", default="")  # quoted; "" for here


@contextlib.contextmanager
def run_in(root: Path) -> Iterator[None]:
    """Within: suggest commands for the site at `root`, from the working folder."""
    try:
        here = Path.cwd().resolve() == root.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of symlinks (Python 3.11's resolve)
        here = False
    token = _ROOT.set("" if here else shlex.quote(str(root)))
    try:
        yield
    finally:
        _ROOT.reset(token)


def command(rest: str, out: Path | None = None) -> str:
    """`site-builder REST`, as it runs from the working folder (`out`: an output folder
    named with `--out`, named again)."""
    root = _ROOT.get()
    more = f" --out {shlex.quote(str(out))}" if out is not None else ""
    return f"site-builder {f'--root {root} ' if root else ''}{rest}{more}"


def init_command() -> str:
    """`site-builder init` for the site's folder, as it runs from the working folder."""
    return f"site-builder init {_ROOT.get() or '.'}"

"""The project's one exception type and the one `path:line: message` formatter.

Stages collect `Problem`s instead of stopping at the first one, so a bad dump
never hides the others; the CLI prints them and chooses the exit status.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import Literal

from site_builder.core.text import terminal_safe

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, with its place."""

    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        """`path:line: error: message` (or `warning:`), as compilers print them (editors and
        CI problem matchers read it), safe to print: a file named with ESC sequences on disk
        is shown with them escaped, never acted on by the terminal."""
        # A file name with a line break in it started a line of its own: `::warning::…`, a
        # GitHub Actions command, from a name a pull request chose (a reviewer).
        path = self.path.replace("\r", "\\r").replace("\n", "\\n")
        place = f"{path}:{self.line}" if self.line else path
        return terminal_safe(f"{place}: {self.severity}: {self.message}")


class SiteError(Exception):
    """A user's mistake (bad config, bad page, bad arguments): reported, never a traceback."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


def site_problems(err: BaseException) -> list[Problem]:
    """The problems an error reports, if it is a user's mistake (a SiteError); else none."""
    return err.problems if isinstance(err, SiteError) else []


def not_utf8(label: str, data: bytes) -> Problem:
    """A file that is not UTF-8 text, at the line of its first bad byte (an editor's
    Windows-1252 quote in a page), with how to mend it."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return Problem(label, line, f"not UTF-8 text (byte 0x{data[err.start]:02x}); re-save it as UTF-8")
    return Problem(label, 0, "not UTF-8 text; re-save it as UTF-8")


# The temporary files and folders a run writes into (`files/atomic.py`: `.NAME.RANDOM.tmp`;
# `output/sitedir.py`: `_site.tmp-PID-RANDOM`), which a person never made and cannot find.
TEMPORARY = re.compile(r"\..+\.[0-9a-f]{12}\.tmp|.+\.tmp-\d+-[a-z0-9_]{8}")


def os_problem(err: OSError) -> Problem:
    """An operating-system error (a full disk, no permission) as `path: message`; a temporary
    file or folder that could not be made is named by the folder it was to be made in."""
    where = err.filename if isinstance(err.filename, str) else "site-builder"
    if TEMPORARY.fullmatch(os.path.basename(where)):
        where = os.path.dirname(where) or "."
    where = where.encode("utf-8", "backslashreplace").decode("utf-8")
    reason = err.strerror or str(err)
    return Problem(where, 0, f"cannot write or read here: {reason}")


def say_line(*parts: object) -> None:
    """Print a line of output (as `print`), with what a terminal could act on escaped
    (`terminal_safe`): file names and a dump's text reach it as they are."""
    print(*(terminal_safe(str(part)) for part in parts))


def say_problem_line(*parts: object) -> None:
    """`say_line` to standard error, where problems go (`serve 2>log` keeps them)."""
    print(*(terminal_safe(str(part)) for part in parts), file=sys.stderr)

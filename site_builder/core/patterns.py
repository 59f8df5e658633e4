"""RE2 patterns (the taxonomy's rules): the options every rule runs with, and validation.

RE2 matches in time linear in the text, whatever the pattern (see ingest/tags/matcher.py);
`taxonomy` checks each rule with `pattern_error` as it loads, `tags.matcher` compiles them.
"""

from __future__ import annotations

import re
from typing import Any

import re2

# `\b`, `\B`, `\w` or `\W` (not an escaped backslash before a letter), with what stands
# beside it, a quantifier aside.
_CLASS = re.compile(r"(.?)(?<!\\)\\([bBwW])[*+?]?(.?)", re.DOTALL)


def options() -> Any:
    """Case-insensitive; errors are reported by us, not printed to stderr by RE2; groups do
    not capture. Only where a whole match lies is ever asked for, and a pattern with groups
    that capture makes RE2 work out each group's span too (the bindings ask for all): with
    none, tagging took about a tenth less time (docs/performance.md)."""
    opts = re2.Options()
    opts.case_sensitive = False
    opts.log_errors = False
    opts.never_capture = True
    return opts


NO_LOOKAROUNDS = "lookarounds are not supported"


def compile_pattern(pattern: str | bytes) -> Any:
    return re2.compile(pattern, options())


def pattern_error(pattern: str) -> str | None:
    """Why RE2 cannot run this pattern (with a hint for lookarounds), why it would match
    everywhere, why it would not match other alphabets' words as written, or None."""
    control = next((c for c in pattern if ord(c) < 32), None)
    if control is not None:
        return (
            f"it holds the control character {control!r}: in double quotes YAML reads \\b as a "
            "backspace; write patterns in single quotes"
        )
    try:
        compiled = compile_pattern(pattern)
    except re2.error as err:
        reason = err.args[0].decode() if err.args and isinstance(err.args[0], bytes) else str(err)
        reason = reason.removesuffix(f": {pattern}")  # said once: RE2 repeats the pattern whole
        if any(look in pattern for look in ("(?<", "(?=", "(?!")):
            reason += f"; {NO_LOOKAROUNDS}: say what must not count with `unless:`"
        elif any(f"\\{n}" in pattern for n in range(1, 10)):
            reason += "; backreferences are not supported"
        return reason
    empty = compiled.search("") or compiled.search("a")
    if empty is not None and empty.start() == empty.end():
        return "it matches the empty string, so it would match every paper; give it a word to find"
    return _ascii_classes(pattern)


def _ascii_classes(pattern: str) -> str | None:
    """Why a pattern that runs would not match where it is meant to: RE2's `\\b` and `\\w`
    know ASCII letters only, so beside another letter (`\\bÜbersetzung\\w*`, `\\bобучение`)
    a rule failed silently, where Python's are Unicode; or None."""
    for before, _, after in _CLASS.findall(pattern):
        letter = next((c for c in (before, after) if c.isalpha() and not c.isascii()), None)
        if letter is not None:
            return (
                f"\\b and \\w know ASCII letters only here, so beside {letter!r} they do not match as "
                "Python's would: drop \\b there, and write \\pL for a letter of any alphabet"
            )
    return None

"""Fast exact matching for the taxonomy's regexes, through the literals every match contains.

Case-insensitive alternations are slow in Python's `re` (no fast literal search), and a
taxonomy runs a hundred of them over every abstract. For each pattern we find
*needles*: strings of which every match must contain one, at most `offset` characters
after the match's start. Then `str.find` (fast) locates the few places where a match
can start, and the regex is tried only there. Results are identical to `finditer`; when
the analysis cannot bound a pattern, `Matcher` simply runs the regex over the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

try:  # Python ≥ 3.11 names it re._parser; this is the stdlib's own regex parser.
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

_LITERAL = sre_parse.LITERAL
_SUBPATTERN = sre_parse.SUBPATTERN
_BRANCH = sre_parse.BRANCH
_REPEATS = (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None))
_ZERO_WIDTH = (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT)
_UNBOUNDED = sre_parse.MAXREPEAT

Needles = tuple[frozenset[str], int]  # (strings, max offset of the string from the match start)


def _width(items: list[Any]) -> int | None:
    """Most characters a run of parsed items can match; None when unbounded."""
    if not items:
        return 0
    sub = sre_parse.SubPattern(sre_parse.State(), items)
    high = sub.getwidth()[1]
    return None if high >= _UNBOUNDED else high


def _sharpest(candidates: list[Needles]) -> Needles | None:
    if not candidates:
        return None
    # Rough expected number of hits: a longer needle is rarer, each extra needle adds hits.
    return min(candidates, key=lambda c: (sum(0.25 ** len(n) for n in c[0]), c[1], sorted(c[0])))


def _required(seq: Any) -> Needles | None:
    """Needles for a parsed sequence, or None if none can be proven."""
    items = list(seq)
    candidates: list[Needles] = []
    start = 0
    while start < len(items):
        op, av = items[start]
        if op is _LITERAL and av < 128:
            end = start
            while end < len(items) and items[end][0] is _LITERAL and items[end][1] < 128:
                end += 1
            offset = _width(items[:start])
            if offset is not None:
                text = "".join(chr(items[k][1]) for k in range(start, end)).casefold()
                candidates.append((frozenset([text]), offset))
            start = end
            continue
        inner: Needles | None = None
        if op is _SUBPATTERN:
            inner = _required(av[-1])
        elif op is _BRANCH:
            parts = [_required(alt) for alt in av[1]]
            if all(p is not None for p in parts):
                inner = (frozenset().union(*(p[0] for p in parts if p)), max(p[1] for p in parts if p))
        elif op in _REPEATS and av[0] >= 1:
            inner = _required(av[2])
        if inner is not None:
            offset = _width(items[:start])
            if offset is not None:
                candidates.append((inner[0], offset + inner[1]))
        start += 1
    return _sharpest(candidates)


def required_literals(pattern: re.Pattern[str]) -> Needles | None:
    """(needles, offset): every match contains a needle (casefolded) within `offset` of its start."""
    if pattern.flags & re.VERBOSE:
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError, TypeError):
        return None
    return _required(parsed)


@dataclass(frozen=True)
class Matcher:
    """A compiled rule pattern with its needles: `finditer` that skips hopeless text."""

    pattern: re.Pattern[str]
    needles: Needles | None

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Matcher:
        return cls(pattern, required_literals(pattern))

    def finditer(self, text: str, folded: str) -> Iterator[re.Match[str]]:
        """The matches `pattern.finditer(text)` gives. `folded` is `text.casefold()`."""
        if self.needles is None or len(folded) != len(text):
            yield from self.pattern.finditer(text)
            return
        needles, offset = self.needles
        hits = sorted({i for n in needles for i in _find_all(folded, n)})
        # A match containing the needle at `hit` starts in [hit - offset, hit]; try those
        # starts in increasing order, so the first success is the leftmost match, as in re.
        next_start = 0
        for hit in hits:
            start = max(next_start, hit - offset)
            while start <= hit:
                m = self.pattern.match(text, start)
                if m is not None:
                    yield m
                    next_start = max(m.end(), start + 1)
                    break
                start += 1
            else:
                next_start = max(next_start, hit + 1)

    def search(self, text: str, folded: str) -> re.Match[str] | None:
        return next(self.finditer(text, folded), None)


def _find_all(text: str, needle: str) -> Iterator[int]:
    i = text.find(needle)
    while i != -1:
        yield i
        i = text.find(needle, i + 1)

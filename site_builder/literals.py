"""Fast exact matching for the taxonomy's regexes, through the literals every match contains.

Case-insensitive alternations are slow in Python's `re` (no fast literal search), and a
taxonomy runs a hundred of them over every abstract. For each pattern we find *needles*:
strings of which every match must contain one, between `low` and `high` characters after
the match's start. One Aho-Corasick pass (`NeedleIndex`) finds every needle of every rule
in a text; each regex is then tried only at the few places where a match can start.
Results are identical to `re.finditer` (tested); a pattern the analysis cannot bound
simply runs over the whole text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ahocorasick_rs import AhoCorasick, MatchKind

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


@dataclass(frozen=True)
class Needles:
    """Every match contains one of the needles (casefolded strings); a needle at position p
    means the match starts in [p - high, p - low], its own window."""

    windows: dict[str, tuple[int, int]]  # needle → (low, high)

    @property
    def strings(self) -> frozenset[str]:
        return frozenset(self.windows)


def _widths(items: list[Any]) -> tuple[int, int] | None:
    """Fewest and most characters a run of parsed items can match; None when unbounded."""
    if not items:
        return 0, 0
    low, high = sre_parse.SubPattern(sre_parse.State(), items).getwidth()
    return None if high >= _UNBOUNDED else (low, high)


def _cost(n: Needles) -> float:
    # Rough expected number of regex attempts: a longer needle is rarer, and each hit costs
    # one attempt per possible start in its window.
    return sum(0.25 ** len(s) * (high - low + 1) for s, (low, high) in n.windows.items())


def _sharpest(candidates: list[Needles]) -> Needles | None:
    return min(candidates, key=lambda c: (_cost(c), sorted(c.windows))) if candidates else None


def _shift(inner: Needles | None, prefix: list[Any]) -> Needles | None:
    widths = _widths(prefix)
    if inner is None or widths is None:
        return None
    return Needles({s: (lo + widths[0], hi + widths[1]) for s, (lo, hi) in inner.windows.items()})


def _union(parts: list[Needles]) -> Needles:
    windows: dict[str, tuple[int, int]] = {}
    for part in parts:
        for s, (lo, hi) in part.windows.items():
            old = windows.get(s, (lo, hi))
            windows[s] = (min(lo, old[0]), max(hi, old[1]))
    return Needles(windows)


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
            text = "".join(chr(items[k][1]) for k in range(start, end)).casefold()
            found = _shift(Needles({text: (0, 0)}), items[:start])
            if found:
                candidates.append(found)
            start = end
            continue
        inner: Needles | None = None
        if op is _SUBPATTERN:
            inner = _required(av[-1])
        elif op is _BRANCH:
            parts = [_required(alt) for alt in av[1]]
            if parts and all(parts):
                inner = _union([p for p in parts if p])
        elif op in _REPEATS and av[0] >= 1:
            inner = _required(av[2])
        found = _shift(inner, items[:start])
        if found:
            candidates.append(found)
        start += 1
    return _sharpest(candidates)


def required_literals(pattern: re.Pattern[str]) -> Needles | None:
    """The needles of a pattern, or None when no literal can be proven in every match."""
    if pattern.flags & re.VERBOSE:
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError, TypeError):
        return None
    return _required(parsed)


@dataclass(frozen=True)
class Matcher:
    """A compiled rule pattern with its needles."""

    pattern: re.Pattern[str]
    needles: Needles | None

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Matcher:
        return cls(pattern, required_literals(pattern))

    def finditer(self, text: str, starts: Sequence[int] | None) -> Iterator[re.Match[str]]:
        """The matches `pattern.finditer(text)` gives, trying only the possible `starts`.

        `starts`: sorted positions where a match can begin (from NeedleIndex.starts), or
        None to scan the whole text. Trying them in increasing order makes the first
        success the leftmost match, as in re; then the scan goes on after it.
        """
        if starts is None:
            yield from self.pattern.finditer(text)
            return
        next_start = 0
        for start in starts:
            if start < next_start:
                continue
            m = self.pattern.match(text, start)
            if m is not None:
                yield m
                next_start = max(m.end(), start + 1)


@dataclass
class NeedleIndex:
    """All needles of a set of matchers, found in a text by one Aho-Corasick pass."""

    matchers: Sequence[Matcher]
    _needles: list[str] = field(init=False)
    _users: list[list[tuple[int, int, int]]] = field(init=False)  # needle → (matcher, low, high)
    _unbounded: list[int] = field(init=False)  # matchers without needles: always run
    _automaton: AhoCorasick | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        needles = sorted({n for m in self.matchers if m.needles for n in m.needles.strings})
        number = {n: i for i, n in enumerate(needles)}
        self._needles = needles
        self._users = [[] for _ in needles]
        self._unbounded = []
        for i, m in enumerate(self.matchers):
            if m.needles is None:
                self._unbounded.append(i)
                continue
            for needle, (low, high) in sorted(m.needles.windows.items()):
                self._users[number[needle]].append((i, low, high))

    def __getstate__(self) -> dict[str, Any]:  # the automaton is rebuilt in worker processes
        return {**self.__dict__, "_automaton": None}

    def starts(self, text: str) -> dict[int, list[int] | None]:
        """Matcher number → sorted positions where a match can start (None: anywhere).

        Matchers none of whose needles occur are left out: they cannot match.
        """
        folded = text.casefold()
        if len(folded) != len(text):
            return dict.fromkeys(range(len(self.matchers)))
        found: dict[int, set[int]] = defaultdict(set)
        if self._needles:
            if self._automaton is None:
                self._automaton = AhoCorasick(self._needles, matchkind=MatchKind.Standard)
            for needle, p, _ in self._automaton.find_matches_as_indexes(folded, overlapping=True):
                for number, low, high in self._users[needle]:
                    found[number].update(range(max(0, p - high), p - low + 1))
        result: dict[int, list[int] | None] = dict.fromkeys(self._unbounded)
        result.update((number, sorted(starts)) for number, starts in found.items())
        return result

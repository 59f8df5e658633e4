"""The taxonomy's rules, compiled, and matched fast and exactly through the literals they contain.

Case-insensitive alternations are slow in Python's `re` (no fast literal search), and a
taxonomy runs a hundred of them over every abstract. For each pattern we find *needles*:
strings of which every match must contain one, between `low` and `high` characters after
the match's start. One Aho-Corasick pass (`NeedleIndex`) finds every needle of every rule
in a text; each regex is then tried only at the few places where a match can start.
Results are identical to `re.finditer` (tested); a pattern the analysis cannot bound
simply runs over the whole text.

Finding needles needs a parse tree of the pattern. The standard library's own regex parser
is the only one that agrees with `re` exactly, but it is private (`re._parser`): it is
reached through `_regex_parser` alone, and when a Python lacks it every rule simply runs
over the whole text — slower, never different.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from ahocorasick_rs import AhoCorasick, MatchKind

from site_builder.config import Rule, Taxonomy


def _regex_parser() -> ModuleType | None:
    """The standard library's regex parser (private; None where this Python has no such module)."""
    try:
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - every CPython from 3.11 has it
        return None
    return _parser  # type: ignore[no-any-return]


_SRE = _regex_parser()


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
    assert _SRE is not None
    low, high = _SRE.SubPattern(_SRE.State(), items).getwidth()
    return None if high >= _SRE.MAXREPEAT else (low, high)


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


def _required(seq: Any, sre: ModuleType) -> Needles | None:
    """Needles for a parsed sequence, or None if none can be proven."""
    literal, subpattern, branch = sre.LITERAL, sre.SUBPATTERN, sre.BRANCH
    repeats = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None))
    items = list(seq)
    candidates: list[Needles] = []
    start = 0
    while start < len(items):
        op, av = items[start]
        if op is literal and av < 128:
            end = start
            while end < len(items) and items[end][0] is literal and items[end][1] < 128:
                end += 1
            text = "".join(chr(items[k][1]) for k in range(start, end)).casefold()
            found = _shift(Needles({text: (0, 0)}), items[:start])
            if found:
                candidates.append(found)
            start = end
            continue
        inner: Needles | None = None
        if op is subpattern:
            inner = _required(av[-1], sre)
        elif op is branch:
            parts = [_required(alt, sre) for alt in av[1]]
            if parts and all(parts):
                inner = _union([p for p in parts if p])
        elif op in repeats and av[0] >= 1:
            inner = _required(av[2], sre)
        found = _shift(inner, items[:start])
        if found:
            candidates.append(found)
        start += 1
    return _sharpest(candidates)


def required_literals(pattern: re.Pattern[str]) -> Needles | None:
    """The needles of a pattern, or None when no literal can be proven in every match."""
    if _SRE is None or pattern.flags & re.VERBOSE:
        return None
    try:
        parsed = _SRE.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError, TypeError):
        return None
    return _required(parsed, _SRE)


@dataclass(frozen=True)
class Matcher:
    """A compiled rule pattern with its needles."""

    pattern: re.Pattern[str]
    needles: Needles | None

    @classmethod
    def of(cls, pattern: str) -> Matcher:
        compiled = re.compile(pattern, re.IGNORECASE)
        return cls(compiled, required_literals(compiled))

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


@dataclass
class RuleMatcher:
    """Every rule of a taxonomy compiled, numbered in file order, with one needle index."""

    rules: list[Rule]
    matchers: list[Matcher]
    index: NeedleIndex

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> RuleMatcher:
        rules = taxonomy.rules
        matchers = [Matcher.of(rule.pattern) for rule in rules]
        return cls(rules, matchers, NeedleIndex(matchers))

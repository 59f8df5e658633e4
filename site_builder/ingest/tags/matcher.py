"""The taxonomy's rules, compiled for RE2: every rule runs in time linear in its text.

Python's `re` backtracks: a rule such as `(a+)+b`, or even `a.*b` over a long abstract,
can run for hours, and nothing can stop it from inside. The rules run on RE2 instead (the
`google-re2` bindings; the engine Go and Hugo use), whose matching time is linear in the
text, whatever the pattern. RE2 has no lookarounds and no backreferences; a rule says what
must not count with `unless:` patterns instead — a match lying inside a match of one of
them is not counted (`training` unless `post-training`). Matching is case-insensitive.
RE2's `\\w` and `\\b` are ASCII; `\\pL` matches any letter.

All the rules of a taxonomy also go into one FilteredRE2, which finds in one pass over a
text which rules may match it at all (those whose literal pieces, which every match must
contain, are all there); only those are then run to find and count their matches. Texts
are matched as UTF-8 bytes, encoded once: the bindings would otherwise convert offsets for
every match.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import re2

from site_builder.core.patterns import compile_pattern, options
from site_builder.core.taxonomy import Rule, Taxonomy

_UNANCHORED = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)  # see `_matches`


@dataclass
class CompiledRule:
    """One rule's pattern and its `unless` patterns, compiled (on UTF-8 bytes)."""

    pattern: Any  # re2._Regexp
    unless: tuple[Any, ...]

    @classmethod
    def of(cls, rule: Rule) -> CompiledRule:
        return cls(_compile(rule.pattern), tuple(_compile(u) for u in rule.unless))

    def spans(self, text: bytes, limit: int | None = None) -> list[tuple[int, int]]:
        """Where the counted matches are (byte offsets), leftmost first, at most `limit`."""
        found = _matches(self.pattern, text)
        if self.unless:
            blocks = self._blocks(text)
            found = (span for span in found if _container(span, blocks) is None)
        return list(itertools.islice(found, limit))

    def blocked(self, text: bytes) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """The matches `spans` leaves out, each with the `unless:` match it lies inside
        (for `tags --explain`, which says why they did not count)."""
        if not self.unless:
            return []
        blocks = self._blocks(text)
        found = ((span, _container(span, blocks)) for span in _matches(self.pattern, text))
        return [(span, inside) for span, inside in found if inside is not None]

    def _blocks(self, text: bytes) -> list[tuple[int, int]]:
        """Every match of the rule's `unless:` patterns: a match inside one does not count."""
        return [span for u in self.unless for span in _matches(u, text)]


def _matches(pattern: Any, text: bytes) -> Iterator[tuple[int, int]]:
    """The spans `pattern.finditer(text)` gives, from RE2 itself: the binding's `finditer`
    wraps every match in an object and re-checks its arguments on each step, which took
    8-11 % of tagging (docs/performance.md). Steps as `finditer` does: after an empty
    match, one byte on. The compiled RE2 is the binding's private `_regexp`: a binding
    without it gets `finditer`."""
    regexp = getattr(pattern, "_regexp", None)
    if regexp is None or _UNANCHORED is None:
        yield from (m.span() for m in pattern.finditer(text))
        return
    match, anchor = regexp.Match, _UNANCHORED
    pos, end = 0, len(text)
    while True:
        span = match(anchor, text, pos, end)[0]
        if span[0] < 0:
            return
        yield span
        if pos == end:
            return
        pos = span[1] if span[1] != pos else pos + 1


def _container(span: tuple[int, int], blocks: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first of `blocks` that `span` lies inside, or None."""
    start, end = span
    return next(((a, b) for a, b in blocks if a <= start and end <= b), None)


@dataclass
class RuleMatcher:
    """Every rule of a taxonomy compiled, numbered in file order, and one filter of them all."""

    rules: list[CompiledRule]
    any_rule: Any  # re2.Filter: which rules match a text at all

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> RuleMatcher:
        compiled = [CompiledRule.of(rule) for rule in taxonomy.rules]
        any_rule = re2.Filter()
        for rule in taxonomy.rules:
            any_rule.Add(rule.pattern.encode("utf-8"), options())
        if compiled:
            any_rule.Compile()
        return cls(compiled, any_rule)

    def candidates(self, text: bytes) -> set[int]:
        """The numbers of the rules that may match somewhere in `text`: every rule that
        does, and some whose literal pieces are all there but that do not match. Running
        each says which; the filter's own check (`potential=False`) would run each once
        more, and took half of tagging."""
        if not text or not self.rules:
            return set()
        return set(self.any_rule.Match(text, potential=True) or ())

    def __getstate__(self) -> dict[str, Any]:  # RE2 objects do not pickle: rebuilt in workers
        raise TypeError("build a RuleMatcher in each process (RuleMatcher.of)")


def _compile(pattern: str) -> Any:
    return compile_pattern(pattern.encode("utf-8"))

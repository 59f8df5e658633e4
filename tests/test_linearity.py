"""Costs that once were quadratic, bounded by counting the work done (never by a clock).

Each case runs at three sizes under a profiler hook that counts every function call,
Python's and C's. Constant set-up work cancels out in the differences: for a linear cost,
going from 2n to 4n adds about twice what going from n to 2n added; a quadratic one adds
four times as much. bench/linearity.py times the same cases at larger sizes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from bench.linearity import one_title, scheme_runs, tagged_site, taxonomy_file
from site_builder.build.pipeline import build_site
from site_builder.build.render import abstracts
from site_builder.core.patterns import compile_pattern
from site_builder.core.taxonomy import load_taxonomy


def calls(run: Callable[[], object]) -> int:
    count = 0

    def hook(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(hook)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def assert_linear(make: Callable[[int], Callable[[], object]], n: int) -> None:
    a, b, c = (calls(make(k * n)) for k in (1, 2, 4))
    assert c - b <= 2.5 * (b - a), f"work at n, 2n, 4n: {a}, {b}, {c}: grows faster than linearly"


class Scanned:
    """A compiled pattern that adds up how many characters its searches may look at."""

    def __init__(self, pattern: Any) -> None:
        self.pattern, self.chars = pattern, 0

    def search(self, text: str, pos: int = 0) -> Any:
        self.chars += len(text) - pos
        return self.pattern.search(text, pos)


def test_long_scheme_runs_before_links_are_scanned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned = Scanned(abstracts.SCHEME_RE)
    monkeypatch.setattr(abstracts, "SCHEME_RE", scanned)
    sizes = []
    for n in (20_000, 40_000):
        scanned.chars = 0
        scheme_runs(n)()
        sizes.append(scanned.chars)
    assert sizes[1] <= 2 * sizes[0] + 100, sizes
    assert sizes[1] <= 40_000  # each "://" looks back a few characters at most, not the whole run


def test_slugs_for_many_papers_with_one_title() -> None:
    assert_linear(one_title, 500)


def test_a_taxonomy_with_many_tags_loads_in_linear_work(tmp_path: Path) -> None:
    assert_linear(lambda n: lambda: load_taxonomy(taxonomy_file(tmp_path, n)), 200)


def test_a_site_with_many_distinct_tags_builds_in_linear_work(tmp_path: Path) -> None:
    def make(n: int) -> Callable[[], object]:
        root = tagged_site(tmp_path / f"site-{n}", n, 3, distinct=True)
        return lambda: build_site(root, parallel=False, cache=False)

    assert_linear(make, 40)


def test_one_page_with_very_many_tags_costs_a_bounded_amount(tmp_path: Path) -> None:
    def make(n: int) -> Callable[[], object]:
        root = tagged_site(tmp_path / f"site-{n}", 1, n, distinct=False)
        return lambda: build_site(root, parallel=False, cache=False)

    small, large = calls(make(200)), calls(make(800))
    assert large <= small * 1.2  # the site shows 50 of them; the rest cost only their parsing


def test_a_backtracking_rule_runs_in_linear_time() -> None:
    pattern = compile_pattern("(a+)+$")
    assert pattern.search(("a" * 100_000 + "!").encode()) is None  # Python's re would run for ages

"""Candidates corrected instead of scored again (related/repair.py): after days of new
papers that enter pools and push candidates out of capped postings, every corrected
paper's links, candidates (with their partial scores and cosines) and floor are those a
computation from nothing gives, and its slack is no larger."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.build.related import method as related
from site_builder.build.related import scoring as related_scoring
from site_builder.build.related.terms import TermTable
from site_builder.core.model import Page
from tests.test_related_reach import CUTS, WORDS, bench_days, drifted, random_page, small_corpus, state_of


def recorded(
    patch: pytest.MonkeyPatch,
    name: str = "repaired",
    kept: Callable[[tuple[Any, ...], Any], Any] = lambda args, result: result[0].tolist(),
) -> list[Any]:
    """What `kept` takes of each call of related/method.py's `name` (its arguments and its
    result): by default the papers each computation corrected, as `repaired` returned them."""
    seen: list[Any] = []
    called = getattr(related, name)

    def recording(*args: Any) -> Any:
        result = called(*args)
        seen.append(kept(args, result))
        return result

    patch.setattr(related, name, recording)
    return seen


def assert_as_cold(state: related.RelatedState, cold: related.RelatedState, corrected: list[int]) -> None:
    """Links in order, and every paper's candidates, their order, partial scores and
    cosines as `cold` has them wherever the state calls them exact (a paper kept while they
    moved is not); the corrected papers' floors as cold's, or their last candidate's partial
    score where that is the cut's last (no paper of the pool under it), their slack no
    larger."""
    assert state.links == cold.links and list(state.links) == list(cold.links)
    ours, theirs = state.snapshot.candidates, cold.snapshot.candidates
    assert ours.start.tolist() == theirs.start.tolist()
    exact = np.repeat(ours.exact, np.diff(ours.start))
    assert ours.doc[exact].tolist() == theirs.doc[exact].tolist()
    assert ours.partial[exact].tolist() == theirs.partial[exact].tolist()
    assert np.array_equal(ours.cosine[exact], theirs.cosine[exact], equal_nan=True)
    mine, cold_slack = state.snapshot.slack, cold.snapshot.slack
    full = np.diff(ours.start)[corrected] == related_scoring.CANDIDATES
    last = ours.partial[ours.start[np.array(corrected, np.int64) + 1] - 1] if corrected else np.zeros(0)
    floor = mine.floor[corrected]
    assert ((floor == cold_slack.floor[corrected]) | (full & (floor == last))).all()
    assert (mine.relative[corrected] <= cold_slack.relative[corrected]).all()
    assert (mine.absolute[corrected] <= cold_slack.absolute[corrected]).all()


def growing_days(
    rng: random.Random, size: int, days: list[int], drift: float, patch: pytest.MonkeyPatch
) -> int:
    """Random pages, then days of `days[i]` new papers (anywhere among the slugs, outside
    the weighing base), an older paper drifting now and then (with chance `drift`); after
    each day the state equals a computation from nothing (`assert_as_cold`). How many
    papers were corrected in all."""
    numbers = rng.sample(range(2000), size + sum(days))
    pages = {f"p{n:04}": random_page(rng, f"p{n:04}", WORDS) for n in numbers[:size]}
    in_base = dict.fromkeys(pages, True)
    fresh = iter(numbers[size:])
    table = TermTable()
    corrected = recorded(patch)

    def current() -> tuple[list[Page], list[bool]]:
        ordered = sorted(pages)
        return [pages[s] for s in ordered], [in_base[s] for s in ordered]

    state = state_of(*current()[:1], table, None, base=current()[1])
    for added in days:
        for _ in range(added):
            slug = f"p{next(fresh):04}"
            pages[slug], in_base[slug] = random_page(rng, slug, WORDS), False
        if rng.random() < drift:
            slug = rng.choice(sorted(pages))
            pages[slug] = drifted(rng, pages[slug], WORDS)
        ordered, base = current()
        state = state_of(ordered, table, state, base=base)
        assert_as_cold(state, state_of(ordered, TermTable(), None, base=base), corrected[-1])
    return sum(map(len, corrected))


@settings(max_examples=400, deadline=None)
@given(
    st.integers(0, 2**32),
    st.integers(4, 60),
    st.lists(st.integers(1, 4), min_size=2, max_size=10),
    st.sampled_from([0.0, 0.3]),
    CUTS,
)
def test_candidates_corrected_day_after_day_are_those_computed_from_nothing(
    seed: int, size: int, days: list[int], drift: float, cuts: tuple[int, int]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        small_corpus(patch, cuts)
        growing_days(random.Random(seed), size, days, drift, patch)


@pytest.mark.parametrize(("seed", "cuts"), [(1, (5, 3)), (2, (4, 2)), (3, (3, 2)), (4, (30, 12))])
def test_forty_days_of_new_papers_correct_candidates_exactly(seed: int, cuts: tuple[int, int]) -> None:
    """Forty days of one to four new papers on 40: most reached papers are corrected, not
    scored again, and every day's state is a computation from nothing's."""
    with pytest.MonkeyPatch.context() as patch:
        small_corpus(patch, cuts)
        rng = random.Random(seed)
        corrected = growing_days(rng, 40, [rng.randint(1, 4) for _ in range(40)], 0.2, patch)
    assert corrected >= 40


@pytest.mark.parametrize("seed", range(3))
def test_a_month_of_new_bench_papers_corrects_most_reached_papers_exactly(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twenty-five days of four new bench papers on 300, at the site's settings: the papers
    the new ones reach are corrected more often than scored again, as a computation from
    nothing gives them."""
    table = TermTable()
    corrected = recorded(monkeypatch)
    state, scored = None, 0
    for listed, base in bench_days(seed, 25):
        state = state_of(listed, table, state, related.Settings(), base=base)
        if corrected:  # the first computation is from nothing
            cold = state_of(listed, TermTable(), None, related.Settings(), base=base)
            assert_as_cold(state, cold, corrected[-1])
            scored += state.rescored
    assert sum(map(len, corrected)) > scored - 25 * 4

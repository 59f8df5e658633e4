"""Days that change papers' tags (related/retag.py): papers tagged again inside the weighing
base and outside it, with new papers and edits the same day; every day's state is a
computation from nothing's (links, candidates, partial scores, cosines, the corrected
papers' floors, their slack no larger), reached through the retag step, not a
computation from nothing."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import make_paper
from site_builder.build.related import method as related
from site_builder.build.related.terms import TermTable
from site_builder.core.model import Page
from tests.test_related_reach import CUTS, SMALL, WORDS, drifted, random_page, small_corpus, state_of
from tests.test_related_repair import assert_as_cold, recorded

TAGS = ["agents", "code", "moe", "rl", "vision", "safety"]


def retagged(rng: random.Random, page: Page) -> Page:
    """`page` with other tags: none to three, one of them perhaps new to the site."""
    tags = rng.sample([*TAGS, f"new{rng.randrange(3)}"], rng.randint(0, 3))
    return replace(page, tags=tuple(sorted(tags)))


Day = tuple[int, int, int, bool]  # papers added, tagged again in the base and outside it, a drift


def added_by_tags(patch: pytest.MonkeyPatch) -> list[list[int]]:
    """For each call of the retag step: the papers it reached that the text's changes had not."""
    return recorded(patch, "retagged", lambda args, result: np.setdiff1d(result.todo, args[0].todo).tolist())


def retag_days(
    rng: random.Random,
    pages: dict[str, Page],
    days: list[Day],
    patch: pytest.MonkeyPatch,
    settings: related.Settings,
    new_page: Callable[[random.Random, str], Page],
) -> tuple[int, int]:
    """`pages` (all in the weighing base), then `days`: each adds papers outside the base
    (`new_page`), tags again some papers of the base and some of the others, and may add a
    word to a paper. After each day the state is a computation from nothing's, and a day
    that changed an older paper's tags went through the retag step. How many papers the
    tags reached, and how many were scored in full, in all."""
    in_base = dict.fromkeys(pages, True)
    fresh = (f"q{i:05}" for i in rng.sample(range(100_000), sum(day[0] for day in days)))
    table = TermTable()
    corrected, by_tags = recorded(patch), added_by_tags(patch)
    reached, scored = 0, 0

    def current() -> tuple[list[Page], list[bool]]:
        ordered = sorted(pages)
        return [pages[s] for s in ordered], [in_base[s] for s in ordered]

    state = state_of(*current()[:1], table, None, settings, base=current()[1])
    for added, inside, outside, drift in days:
        was = {slug: page.tags for slug, page in pages.items()}
        for _ in range(added):
            slug = next(fresh)
            pages[slug], in_base[slug] = new_page(rng, slug), False
        for within, count in ((True, inside), (False, outside)):
            among = sorted(s for s in pages if in_base[s] == within)
            for slug in rng.sample(among, min(count, len(among))):
                pages[slug] = retagged(rng, pages[slug])
        if drift:
            slug = rng.choice(sorted(pages))
            pages[slug] = drifted(rng, pages[slug], WORDS)
        calls, repairs = len(by_tags), len(corrected)
        ordered, base = current()
        state = state_of(ordered, table, state, settings, base=base)
        fixed = corrected[-1] if len(corrected) > repairs else []
        assert_as_cold(state, state_of(ordered, TermTable(), None, settings, base=base), fixed)
        if any(pages[slug].tags != tags for slug, tags in was.items()):
            assert len(by_tags) == calls + 1  # not a computation from nothing
            reached += len(by_tags[-1])
        scored += state.rescored
    return reached, scored


def small_page(rng: random.Random, slug: str) -> Page:
    return retagged(rng, random_page(rng, slug, WORDS))


@settings(max_examples=400, deadline=None)
@given(
    st.integers(0, 2**32),
    st.integers(4, 50),
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 2), st.booleans()),
        min_size=1,
        max_size=8,
    ),
    CUTS,
)
def test_days_that_tag_papers_again_give_the_state_computed_from_nothing(
    seed: int, size: int, days: list[Day], cuts: tuple[int, int]
) -> None:
    """Random papers, then days that add papers, tag papers again inside the weighing base
    (their tags' weights move for every paper holding them) and outside it, and add a word
    to one: every day's state is a computation from nothing's."""
    rng = random.Random(seed)
    with pytest.MonkeyPatch.context() as patch:
        small_corpus(patch, cuts)
        pages = {f"p{i:04}": small_page(rng, f"p{i:04}") for i in range(size)}
        retag_days(rng, pages, days, patch, SMALL, small_page)


def bench_page(rng: random.Random, slug: str) -> Page:
    """A bench paper (its number from `rng`) with tags as `retagged` draws them."""
    paper = make_paper(rng.randrange(10**6), 3)
    return retagged(rng, Page(slug, paper.title, paper.abstract))


@pytest.mark.parametrize("seed", range(3))
def test_a_month_of_retagged_bench_papers_scores_few_papers_again(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twenty days of four new bench papers on 300 at the site's settings, each day one
    paper of the base and one of the newest month tagged again: each day's state is a
    computation from nothing's, and the tags reach a small part of the papers."""
    rng = random.Random(seed)
    pages = {f"p{i:04}": bench_page(rng, f"p{i:04}") for i in range(300)}
    days = [(4, 1, 1, False)] * 20
    reached, _ = retag_days(rng, pages, days, monkeypatch, related.Settings(), bench_page)
    assert reached < 20 * 380 // 10

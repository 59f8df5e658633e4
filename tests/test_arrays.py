"""The grouped-array helpers (core/runtime/arrays.py): each fast path gives exactly what the numpy
call it replaces gives."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from site_builder.build.related import index as related_index
from site_builder.build.related.terms import TermTable, term_counts
from site_builder.core.runtime.arrays import descending_ranks, distinct, stable_order
from tests.test_related import corpus


@given(st.lists(st.integers(0, 40)), st.sampled_from([41, 2**20, 2**50, 2**62]))
def test_stable_order_is_numpy_s_stable_argsort(keys: list[int], bound: int) -> None:
    """Equal keys keep their order, as they must where sums are taken in that order; keys
    too wide to pack beside their places (2**62) take numpy's own stable argsort."""
    key = np.array(keys, np.int64) * (bound // 41)
    assert stable_order(key, bound).tolist() == np.argsort(key, kind="stable").tolist()


@given(st.lists(st.lists(st.integers(0, 40)), max_size=8), st.sampled_from([41, 2**20, 2**62]))
def test_stable_order_of_keys_in_runs_is_the_same_order(runs: list[list[int]], bound: int) -> None:
    """`runs=True` (keys in sorted runs, as each paper's entries come) sorts another way and
    gives the same order: the related sums stay bit for bit."""
    key = np.array([k for run in runs for k in sorted(run)], np.int64) * (bound // 41)
    expected = np.argsort(key, kind="stable").tolist()
    assert stable_order(key, bound, runs=True).tolist() == expected == stable_order(key, bound).tolist()


@given(st.lists(st.integers(-(2**40), 2**40)))
def test_distinct_is_numpy_s_unique(values: list[int]) -> None:
    keys = np.array(values, np.int64)
    assert distinct(keys).tolist() == np.unique(keys).tolist()


def test_distinct_does_not_import_numpy_s_masked_arrays() -> None:
    """numpy.ma took 10 ms to import in every daily build, for one `np.unique`."""
    script = (
        "import sys, numpy as np\n"
        "from site_builder.core.runtime.arrays import distinct\n"
        "assert distinct(np.array([3, 1, 3])).tolist() == [1, 3]\n"
        "print('numpy.ma' in sys.modules)"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"


@given(st.lists(st.sampled_from([0.5, 0.25, 1e-300, 1.0, 0.3, 0.1 + 0.2, 5e-324])))
def test_descending_ranks_order_as_the_values_heaviest_first(values: list[float]) -> None:
    weight = np.array(values, np.float64)
    ranks, count = descending_ranks(weight)
    assert count == len(set(values))
    places = np.arange(len(values))
    assert np.lexsort((places, ranks)).tolist() == np.lexsort((places, -weight)).tolist()


def test_postings_are_ordered_as_by_term_weight_and_paper() -> None:
    """`Postings.of` sorts by term, heaviest first, ties by paper in one integer sort: the
    same postings as the three-key `np.lexsort` it replaced."""
    pages = sorted(corpus(per_topic=12), key=lambda p: p.slug)
    table = TermTable()
    vectors = related_index.salient_vectors(table, [table.encode(term_counts(p)) for p in pages])
    indexed = related_index.is_indexed(vectors.position)
    doc, term, weight = vectors.doc[indexed], vectors.term[indexed], vectors.weight[indexed]
    order = np.lexsort((doc, -weight, term))
    doc, term, weight = doc[order], term[order], weight[order]
    kept = np.arange(len(term)) - np.searchsorted(term, term) < related_index.POSTINGS_CAP
    doc, term, weight = doc[kept], term[kept], weight[kept]
    single = np.bincount(term, minlength=len(vectors.vocabulary))[term] < 2
    postings = related_index.Postings.of(vectors)
    assert postings.doc.tolist() == doc[~single].tolist()
    assert postings.weight.tolist() == weight[~single].tolist()
    assert len(postings.doc) > 100

"""The search data files' helpers (build/search/data.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from site_builder.build.search.data import hashed_shards


def fnv1a(name: str) -> int:
    """The definition search-engine.js `hashedShard` follows: 32-bit FNV-1a of the UTF-8 bytes."""
    value = 0x811C9DC5
    for byte in name.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40), max_size=30))
def test_names_are_hashed_all_at_once_as_one_at_a_time(names: list[str]) -> None:
    """Names of any length and script (empty, with zero bytes, outside the BMP), at once."""
    for count in (1, 4, 64):
        assert hashed_shards(names, count) == [fnv1a(name) % count for name in names]


def test_the_published_test_vector() -> None:
    assert fnv1a("a") == 0xE40C292C
    assert hashed_shards(["a"], 1 << 31) == [0xE40C292C % (1 << 31)]

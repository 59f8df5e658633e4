"""Cache keys (`hashing.digest`): different parts never share a key, equal parts always do."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from site_builder.core.hashing import digest

parts = st.lists(st.one_of(st.text(max_size=8), st.binary(max_size=8)), max_size=5).map(tuple)


@given(parts, parts)
def test_different_parts_have_different_keys(a: tuple[str | bytes, ...], b: tuple[str | bytes, ...]) -> None:
    assert (digest(*a) == digest(*b)) == (a == b)


def test_where_parts_end_and_what_they_are_count() -> None:
    keys = [
        digest("ab", "c"),
        digest("a", "bc"),
        digest("abc"),
        digest("[1]a"),  # the lengths are hashed first: text that looks like them is no lengths
        digest(b"abc"),
        digest("ab", b"c"),
        digest(),
        digest(""),
        digest("", ""),
        digest("\udcff"),  # a lone surrogate (a file name's undecodable byte) is hashed, not refused
    ]
    assert len(set(keys)) == len(keys)
    assert digest("ab", "c") == digest("ab", "c")
    assert len(digest("x")) == 32

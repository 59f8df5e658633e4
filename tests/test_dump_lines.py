"""A dump's lines: how each is cleaned (what dumps/sources.py then aligns is tested there)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.ingest.dumps.lines import DROPPED, IN_LINE_SPACE, clean, is_author_list

INVISIBLE = ["\u200b", "\u200d", "\ufeff", "\u00ad"]  # zero-width space and joiner, BOM, soft hyphen


@given(
    st.text(
        st.sampled_from(
            [
                *"aZ .,",
                "\t",
                "\x0b",
                "\x0c",
                "\x1c",
                "\x85",
                "\u2028",
                "\xa0",
                "\x00",
                "\x1b",
                "\x7f",
                "é",
                "\u0301",  # a combining accent: `e` + it is `é`
                *INVISIBLE,
            ]
        )
    )
)
def test_a_line_is_cleaned_as_the_expressions_say(raw: str) -> None:
    """Plain printable ASCII lines skip the two expressions: nothing in them is either's. A
    line of formatting characters alone (a zero-width joiner) is empty."""
    line = " ".join(DROPPED.sub("", IN_LINE_SPACE.sub(" ", unicodedata.normalize("NFC", raw))).split())
    assert clean(raw) == ("" if all(c == "\u200d" for c in line) else line)


def test_a_decomposed_paste_is_read_as_composed_letters() -> None:
    """A paste from macOS in decomposed form (NFD) rewrote pages that looked the same and
    wrote Korean as jamo, which no `grep` for its words found (a review)."""
    assert clean(unicodedata.normalize("NFD", "Étude de la rétroaction")) == "Étude de la rétroaction"
    assert clean(unicodedata.normalize("NFD", "대규모 언어 모델")) == "대규모 언어 모델"


MEMORY_ABSTRACT = "We give LLM agents a memory that persists across sessions, and show that it helps them."


@pytest.mark.parametrize(
    ("line", "abstract", "authors"),
    [
        ("Alice Smith, Bob Jones", MEMORY_ABSTRACT, True),  # no word of theirs in the abstract
        ("Alice Smith, Bob Jones", "", False),  # no abstract after them to tell
        ("Sparse Experts, Dense Models", "Sparse experts beat dense models on every benchmark.", False),
        ("Sparse Experts, Dense Models", "We route tokens to a few expert layers.", False),  # "expert"
        ("Jane Doe, Wei Zhang and María García-López", "", True),  # three names
        ("J. Doe, Wei Zhang", "", True),  # an initial
    ],
)
def test_two_names_are_authors_when_the_abstract_after_them_shares_no_word(
    line: str, abstract: str, authors: bool
) -> None:
    """A title of two capitalised pairs shares words with its abstract; two authors' names
    do not ("Alice Smith, Bob Jones" was taken for the abstract, a reviewer's page "42")."""
    assert is_author_list(line, abstract) is authors

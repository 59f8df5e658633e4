"""A dump's lines: how each is cleaned (what sources.py then aligns is tested there)."""

from hypothesis import given
from hypothesis import strategies as st

from site_builder.ingest.dump_lines import DROPPED, IN_LINE_SPACE, clean

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
                *INVISIBLE,
            ]
        )
    )
)
def test_a_line_is_cleaned_as_the_expressions_say(raw: str) -> None:
    """Plain printable ASCII lines skip the two expressions: nothing in them is either's. A
    line of formatting characters alone (a zero-width joiner) is empty."""
    line = " ".join(DROPPED.sub("", IN_LINE_SPACE.sub(" ", raw)).split())
    assert clean(raw) == ("" if all(c == "\u200d" for c in line) else line)

"""Slugs: bounded, unique, filesystem-safe, never reserved, stable."""

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.core.text import MAX_SLUG, RESERVED, Slugs, is_valid_slug, slugify


def test_typical_title() -> None:
    assert slugify("FLM-101B: An Open LLM and How to Train It with $100K Budget") == (
        "flm-101b-an-open-llm-and-how-to-train-it-with-100k-budget"
    )


def test_accents_are_folded() -> None:
    assert slugify("Café Übersicht: Naïve Bayes") == "cafe-ubersicht-naive-bayes"


def test_a_latex_text_command_gives_its_text_not_its_name() -> None:
    """`$\\texttt{LLM-Pruner}$: …` shows as "LLM-Pruner: …" but had the address
    `texttt-llm-pruner-…`; a Greek letter's name is the word a slug can hold."""
    assert slugify("$\\texttt{LLM-Pruner}$: On Pruning") == "llm-pruner-on-pruning"
    assert slugify("$\\alpha$-Tuning") == "alpha-tuning"


def test_long_titles_are_cut_at_a_word_boundary() -> None:
    slug = slugify("Scaling " * 40)
    assert len(slug) <= MAX_SLUG and not slug.endswith("-") and slug.endswith("scaling")


def test_titles_without_latin_letters_get_a_stable_hashed_slug() -> None:
    assert slugify("大型语言模型") == slugify("大型语言模型")
    assert slugify("大型语言模型").startswith("paper-")
    assert slugify("🚀🚀") != slugify("大型语言模型")


def test_reserved_names_are_avoided() -> None:
    for name in ["Index", "tags", "Search", "404", "CON", "aux"]:
        assert slugify(name) not in RESERVED
        assert is_valid_slug(slugify(name))


def test_path_like_titles_cannot_escape() -> None:
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("a/b\\c") == "a-b-c"


def test_unique_slug_appends_a_counter() -> None:
    taken = {"a-title", "a-title-2"}
    assert Slugs(taken).new("A Title") == "a-title-3"


@settings(max_examples=300)
@given(st.text(max_size=300), st.sets(st.text(alphabet="abc-", max_size=6), max_size=5))
def test_any_title_gives_a_safe_bounded_unique_slug(title: str, taken: set[str]) -> None:
    slug = Slugs(taken).new(title)
    assert is_valid_slug(slug), slug
    assert slug not in taken
    assert slugify(title) == slugify(title)

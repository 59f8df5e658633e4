"""Slugs: bounded, unique, filesystem-safe, never reserved, stable."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.core.text import (
    MAX_SLUG,
    RESERVED,
    Slugs,
    _mostly_unspelled,
    ascii_folded,
    is_valid_slug,
    slugify,
)


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


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Über die Effizienz großer Sprachmodelle", "uber-die-effizienz-grosser-sprachmodelle"),  # was groer
        ("Łódź Corpus", "lodz-corpus"),  # was odz-corpus
        ("Ærø and Øresund", "aero-and-oresund"),
        ("α-Divergences and β-VAE", "alpha-divergences-and-beta-vae"),  # as $\\alpha$ gives alpha
    ],
)
def test_letters_without_an_accent_to_drop_are_spelled_in_ascii(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_a_title_mostly_in_other_letters_keeps_its_latin_words_and_a_name_of_its_own() -> None:
    """`GPT-4 在中文医学考试中的表现` and `GPT-4 在日本語の…` were `gpt-4` and `gpt-4-2` (a review)."""
    chinese, japanese = (
        slugify("GPT-4 在中文医学考试中的表现"),
        slugify("GPT-4 在日本語の医師国家試験での性能"),
    )
    assert chinese.startswith("gpt-4-") and japanese.startswith("gpt-4-") and chinese != japanese
    assert slugify("GPT-4 在中文医学考试中的表现") == chinese  # stable
    assert slugify("Attention for 中文") == "attention-for"  # mostly Latin: as before


@settings(max_examples=500)
@given(st.text(alphabet="abZ -4αßøł中文のБ\u0301é", max_size=30))
def test_a_title_is_mostly_unspelled_as_folding_each_letter_alone_says(title: str) -> None:
    """ASCII letters, which spell themselves, are no longer folded one by one: the same count."""
    letters = [c for c in title if c.isalpha()]
    unspelled = sum(1 for c in letters if not ascii_folded(c))
    assert _mostly_unspelled(title) == (2 * unspelled > len(letters))


def test_a_tag_s_file_name_keeps_its_old_folding() -> None:
    """Spelling more letters moved a tag's page and feed (`μp-transfer`: `p-transfer.html`
    became `mup-transfer.html`), with nothing at the old address (a code review)."""
    from site_builder.build.layout import _tag_file_slugs

    assert _tag_file_slugs(["μp-transfer", "große-sprachmodelle", "ünï"]) == {
        "μp-transfer": "p-transfer",
        "große-sprachmodelle": "groe-sprachmodelle",
        "ünï": "uni",
    }


def test_a_tag_s_file_name_is_one_every_system_can_write() -> None:
    """`aux.html`, `nul.xml` and a `tags/con/` folder cannot be made on Windows, and a tag
    name of 260 letters stopped a build on Linux too ("File name too long", at a temporary
    path: a reviewer sharing a site between systems)."""
    from site_builder.build.layout import _tag_file_slugs

    long = "very-" * 52  # 260 characters
    out = _tag_file_slugs(["aux", "con", "nul", "lpt1", "com9", "agents", long.strip("-"), "x" * 80])
    assert {name: out[name] for name in ("aux", "con", "nul", "lpt1", "com9", "agents")} == {
        "aux": "aux-tag",
        "con": "con-tag",
        "nul": "nul-tag",
        "lpt1": "lpt1-tag",
        "com9": "com9-tag",
        "agents": "agents",
    }
    assert out["x" * 80] == "x" * 80  # as long as a paper's slug may be: kept
    twice = _tag_file_slugs(["a" * 80, "A" * 80])  # the second is numbered within 80 too
    assert twice == {"a" * 80: "a" * 80, "A" * 80: "a" * 78 + "-2"}
    made = out[long.strip("-")]
    assert len(made) <= 80 and made.startswith("very-very-") and is_valid_slug(made)

"""The tagger: scoring, thresholds, the never-untagged rule, explanations, and quality."""

from pathlib import Path

import pytest
import yaml

from bench.common import read_site_pages
from site_builder.config import load_taxonomy
from site_builder.ingest.tagging import Tagger, evaluate
from site_builder.text import title_key

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def small() -> object:
    return load_taxonomy(DATA / "taxonomy.yaml")


def test_title_match_alone_passes_the_threshold(small: object) -> None:
    assert Tagger.of(small).choose("Quantization for Everyone", "Nothing relevant here.") == ("compression",)


def test_abstract_matches_count_up_to_the_cap(small: object) -> None:
    # serving x1 + kv cache x2 each = 1 + 2 = 3 points: passes
    assert Tagger.of(small).choose("A System", "We serve requests and keep a KV cache.") == ("inference",)
    # one passing mention is not enough, but it is still the best tag: never untagged
    assert Tagger.of(small).choose("A System", "Models serve users.") == ("inference",)


def test_nothing_scores_gives_the_fallback(small: object) -> None:
    assert Tagger.of(small).choose("Poetry", "About poems.") == ("other",)


def test_explain_names_the_rules_that_fired(small: object) -> None:
    text = Tagger.of(small).explain("Quantization and Serving", "We quantize and serve.")
    assert "+ compression: 4 (needs 3)" in text
    assert "title: /\\bquantiz/ matched 'Quantiz'" in text
    assert "+ inference: 4 (needs 3)" in text


def _labelled(name: str) -> list[tuple[str, str, tuple[str, ...]]]:
    pages = {title_key(p.title): p for p in read_site_pages(ROOT / "content" / "papers")[0]}
    items = yaml.safe_load((DATA / "tagging" / f"{name}.yaml").read_text(encoding="utf-8"))["papers"]
    return [
        (pages[title_key(i["title"])].title, pages[title_key(i["title"])].body, tuple(i["tags"]))
        for i in items
    ]


def test_every_seed_paper_gets_between_one_and_max_tags() -> None:
    taxonomy = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    for page in read_site_pages(ROOT / "content" / "papers")[0]:
        assert 1 <= len(Tagger.of(taxonomy).choose(page.title, page.body)) <= taxonomy.max_tags


def test_default_rules_on_the_held_out_dev_set() -> None:
    """A floor under the measured quality, so a rule edit that makes tagging worse fails."""
    taxonomy = load_taxonomy(ROOT / "site_builder" / "site_template" / "taxonomy.yaml")
    quality = evaluate(Tagger.of(taxonomy), _labelled("devset"))
    assert quality.precision >= PRECISION_FLOOR and quality.recall >= RECALL_FLOOR, (
        quality.precision,
        quality.recall,
    )


PRECISION_FLOOR = 0.73
RECALL_FLOOR = 0.69

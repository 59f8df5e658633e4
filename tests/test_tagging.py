"""The tagger: scoring, thresholds, untagged papers, explanations in context, and quality."""

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from bench.common import read_site_pages
from site_builder.core.taxonomy import Taxonomy, load_taxonomy
from site_builder.core.text import title_key
from site_builder.ingest.tags.tagger import Tagger, evaluate

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def small() -> Taxonomy:
    return load_taxonomy(DATA / "taxonomy.yaml")


def test_title_match_alone_passes_the_threshold(small: Taxonomy) -> None:
    assert Tagger.of(small).choose("Quantization for Everyone", "Nothing relevant here.") == ("compression",)


def test_abstract_matches_count_up_to_the_cap(small: Taxonomy) -> None:
    # serving x1 + kv cache x2 each = 1 + 2 = 3 points: passes
    assert Tagger.of(small).choose("A System", "We serve requests and keep a KV cache.") == ("inference",)
    # one passing mention is not enough: no silent guess, the taxonomy's documented fallback
    assert Tagger.of(small).choose("A System", "Models serve users.") == ("other",)


def test_nothing_passes_gives_the_fallback_when_one_is_named(small: Taxonomy) -> None:
    assert Tagger.of(small).choose("Poetry", "About poems.") == ("other",)
    explained = Tagger.of(small).explain("A System", "Models serve users.")
    assert explained.endswith("no tag reaches its threshold: other is the taxonomy's `fallback:`")


def test_without_a_fallback_an_unplaceable_paper_is_untagged(small: Taxonomy) -> None:
    tagger = Tagger.of(replace(small, fallback=""))
    assert tagger.choose("A System", "Models serve users.") == ()
    assert "the paper is untagged" in tagger.explain("A System", "Models serve users.")


def test_a_strong_title_phrase_gives_its_tag_on_its_own() -> None:
    taxonomy = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    tagger = Tagger.of(taxonomy)
    title = "Parrot: Efficient Serving of LLM-based Applications with Semantic Variable"
    assert "inference" in tagger.choose(title, "We describe a system.")
    assert "compression" in tagger.choose("Rotated 4-bit Quantization for LLMs", "We study it.")


def test_explain_names_the_rules_that_fired(small: Taxonomy) -> None:
    text = Tagger.of(small).explain("Quantization and Serving", "We quantize and serve.")
    assert "+ compression: 4 (needs 3)" in text
    assert "«Quantiz»ation and Serving   (title, rule 1)" in text
    assert "We «quantiz»e and serve.   (abstract, rule 1)" in text
    assert "+ inference: 4 (needs 3)" in text
    assert "\\b" not in text  # phrases, not patterns


def test_explain_cuts_long_abstracts_around_the_phrase(small: Taxonomy) -> None:
    abstract = "Lorem ipsum dolor sit amet. " * 10 + "We keep a KV cache here. " + "Sed do eiusmod. " * 10
    text = Tagger.of(small).explain("A System", abstract)
    line = next(x for x in text.splitlines() if "«KV cache»" in x)
    assert line.strip().startswith("+2  …") and "…   (abstract, rule 2)" in line and len(line) < 150


def _labelled(name: str) -> list[tuple[str, str, tuple[str, ...]]]:
    # A page is found by any title it was listed under: a reader's retitle (an "Edit this
    # page" correction to this site) keeps the dumps' title among its aliases.
    pages = {
        title_key(title): p
        for p in read_site_pages(ROOT / "content" / "papers")[0]
        for title in (*p.aliases, p.title)
    }
    items = yaml.safe_load((DATA / "tagging" / f"{name}.yaml").read_text(encoding="utf-8"))["papers"]
    return [
        (pages[title_key(i["title"])].title, pages[title_key(i["title"])].body, tuple(i["tags"]))
        for i in items
    ]


def test_seed_papers_get_at_most_max_tags_and_few_are_untagged() -> None:
    taxonomy = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    tagger = Tagger.of(taxonomy)
    counts = [len(tagger.choose(p.title, p.body)) for p in read_site_pages(ROOT / "content" / "papers")[0]]
    assert max(counts) <= taxonomy.max_tags
    assert counts.count(0) < len(counts) / 20  # the rules place nearly every paper


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


def test_scores_are_those_of_every_rule_run_on_every_paper() -> None:
    """The filter only saves work: each seed paper's scores are those every rule gives when
    run over its title and abstract (no filter), and its tags are chosen from them."""
    tagger = Tagger.of(load_taxonomy(ROOT / "content" / "taxonomy.yaml"))
    compiled = iter(tagger.rules.rules)  # numbered in file order, each tag's rules in turn
    rules = [(tag.name, rule, next(compiled)) for tag in tagger.taxonomy.tags for rule in tag.rules]
    for page in read_site_pages(ROOT / "content" / "papers")[0]:
        title, abstract = page.title.encode(), page.body.encode()
        expected = {tag.name: 0.0 for tag in tagger.taxonomy.tags}
        for name, rule, run in rules:
            expected[name] += rule.title * len(run.spans(title, 1)) if rule.title else 0.0
            expected[name] += rule.abstract * len(run.spans(abstract, rule.cap)) if rule.abstract else 0.0
        explained = tagger.score_all(page.title, page.body)
        assert {s.tag: s.score for s in explained} == pytest.approx(expected), page.slug
        assert tagger.choose(page.title, page.body) == tagger.chosen(explained)


def test_explain_says_when_max_tags_keeps_a_passing_tag_out(small: Taxonomy) -> None:
    """A tag over its threshold but unmarked, with nothing to say why (a tie lost on order)."""
    tagger = Tagger.of(replace(small, max_tags=1, fallback=""))
    out = tagger.explain("Quantization for Serving", "We serve quantized models.")
    assert (
        "+ inference: 4 (needs 3)" in out and "  compression: 4 (needs 3; max_tags keeps the best 1)" in out
    )


def test_explain_shows_the_matches_unless_kept_out_when_they_cost_a_tag() -> None:
    """A paper titled "Efficient Continual Pre-training …" was explained with no word of
    its title's "Pre-training", which two training rules would have counted (5 points, over
    the threshold of 4) but for their `unless: continual pre-training`: why the tag was not
    given was not on the screen."""
    tagger = Tagger.of(load_taxonomy(ROOT / "content" / "taxonomy.yaml"))
    title = "Efficient Continual Pre-training by Mitigating the Stability Gap"
    out = tagger.explain(title, "We study the gap.")
    assert "  training: 0 (needs 4; `unless:` kept out 5)\n" in out
    inside = "not counted: inside «Continual Pre-training», which its `unless:` matches"
    shown = "Efficient Continual «Pre-training» by Mitigating the Stability Gap"
    assert f"(+3)  {shown}   (title, rule 1; {inside})" in out
    assert f"(+2)  {shown}   (title, rule 2; {inside})" in out
    assert tagger.choose(title, "We study the gap.") == ("fine-tuning",)  # the tags themselves unchanged


def test_explain_leaves_out_unless_matches_that_change_nothing() -> None:
    """`languages?` unless `language models` keeps "language models" out of multilingual on
    nearly every paper: a tag they could not have lifted over its threshold is not listed."""
    tagger = Tagger.of(load_taxonomy(ROOT / "content" / "taxonomy.yaml"))
    out = tagger.explain("Serving Large Language Models", "Large language models are served to users.")
    assert "multilingual" not in out and "not counted" not in out


def test_explain_shows_the_matches_past_a_rules_cap(small: Taxonomy) -> None:
    """Five mentions, three counted: the two the cap leaves out are said, with their points."""
    out = Tagger.of(small).explain("A System", "We serve. We serve. We serve. We serve. We serve.")
    assert "+ inference: 3 (needs 3)\n" in out
    assert (
        "(+2)  We serve. We serve. We serve. We «serve». We serve.   "
        "(abstract, rule 1; this and 1 more not counted: past its `cap: 3`)"
    ) in out


def test_explain_keeps_its_columns_for_a_negative_fraction_past_a_cap(tmp_path: Path) -> None:
    """A rule of -1.25 points past its cap is shown as "(-1.25)", seven characters: it
    pushed its line's context one column right of every other line's."""
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text(
        "threshold: 3\ntags:\n  - name: inference\n    title: Inference\n    description: Serving.\n"
        "    rules:\n      - {pattern: 'batch', abstract: 4}\n"
        "      - {pattern: 'serve', abstract: -1.25, cap: 1}\n",
        encoding="utf-8",
    )
    out = Tagger.of(load_taxonomy(taxonomy)).explain("A System", "We serve. We serve. We batch.")
    shown = [line for line in out.splitlines() if "«" in line]
    assert [line.split()[0] for line in shown] == ["+4", "-1.25", "(-1.25)"], out
    assert all(line[12:14] == "  " and line[14] != " " for line in shown), out  # one column

"""The taxonomy's rules on RE2: linear time on any input, `unless`, and a filter that never misses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.core.patterns import compile_pattern, pattern_error
from site_builder.core.taxonomy import Rule, TagDef, Taxonomy, load_taxonomy
from site_builder.ingest.tags.matcher import CompiledRule, RuleMatcher

ROOT = Path(__file__).parent.parent


def matcher(*rules: Rule) -> RuleMatcher:
    return RuleMatcher.of(Taxonomy((TagDef("t", "T", "", rules),)))


def matched(rule: CompiledRule, text: bytes, limit: int | None = None) -> list[str]:
    return [text[a:b].decode() for a, b in rule.spans(text, limit)]


def test_unless_discards_matches_inside_its_own_matches() -> None:
    rules = matcher(Rule(r"\b(pre-?)?training\b", abstract=1, unless=(r"\bpost-(pre-?)?training\b",)))
    text = b"post-training and pre-training and training, post-pretraining"
    assert matched(rules.rules[0], text) == ["pre-training", "training"]


def test_matching_ignores_case_and_counts_up_to_a_limit() -> None:
    rules = matcher(Rule(r"\bkv cache\b", abstract=1))
    assert matched(rules.rules[0], b"KV Cache, kv cache, Kv CACHE", 2) == ["KV Cache", "kv cache"]


@pytest.mark.parametrize(
    ("pattern", "hint"),
    [
        (r"(?<!post-)training", "lookarounds are not supported: say what must not count with `unless:`"),
        (r"\btrain\b(?!-free)", "lookarounds are not supported"),
        (r"(a)\1", "backreferences are not supported"),
        (r"(unclosed", "missing )"),
    ],
)
def test_patterns_re2_cannot_run_are_refused_with_a_reason(pattern: str, hint: str) -> None:
    error = pattern_error(pattern)
    assert error is not None and hint in error


CATASTROPHIC = [r"(a+)+b", r"(a|aa)*c", r"a.*b.*c.*d", r"(\w+\s?)*$", r"(x+x+)+y"]


def test_backtracking_patterns_finish_on_hostile_input_in_a_fresh_process(tmp_path: Path) -> None:
    """With Python's re these take hours on 50,000 characters; RE2 is linear. The subprocess
    and its timeout only stop a hang from stalling the suite; they do not measure speed."""
    script = tmp_path / "run.py"
    script.write_text(
        "from site_builder.core.taxonomy import Rule, TagDef, Taxonomy\n"
        "from site_builder.ingest.tags.tagger import Tagger\n"
        f"rules = tuple(Rule(p, title=1, abstract=1, cap=1000) for p in {CATASTROPHIC!r})\n"
        "tagger = Tagger.of(Taxonomy((TagDef('t', 'T', '', rules),)))\n"
        "for text in ('a' * 50000, 'x' * 50000, 'ab' * 25000 + '!'):\n"
        "    tagger.score_all(text[:300], text)\n"
        "print('done')\n",
        encoding="utf-8",
    )
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "done", run.stderr


def test_the_filter_misses_no_rule_that_matches_a_seed_abstract() -> None:
    """Candidates may include rules that do not match (tagging runs each), never leave out
    one that does; and they are far fewer than all the rules, or the filter does no work."""
    taxonomy = load_taxonomy(ROOT / "site_builder" / "site_template" / "taxonomy.yaml")
    rules = RuleMatcher.of(taxonomy)
    texts = [
        p.read_text(encoding="utf-8").encode() for p in sorted((ROOT / "content" / "papers").glob("*.md"))
    ]
    for text in texts[:120]:
        expected = {i for i, r in enumerate(rules.rules) if r.pattern.search(text)}
        candidates = rules.candidates(text)
        assert expected <= candidates
        assert len(candidates) < len(rules.rules) / 2


ALPHABET = "abcxyz qfoBAZnuetsKVcheß İı\u00e9"
PATTERNS = [
    r"\bab+c\b",
    r"(foo|bar)baz",
    r"\bq(ua)?nt\w{0,3}",
    r"\byes\b|no",
    r"a.c",
    r"\bkv cache\b",
    r"ı",
    r"é",
]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_the_filter_keeps_every_pattern_that_matches_any_text(text: str) -> None:
    rules = matcher(*(Rule(p, abstract=1) for p in PATTERNS))
    data = text.encode()
    expected = {i for i, p in enumerate(PATTERNS) if compile_pattern(p.encode()).search(data)}
    assert expected <= rules.candidates(data)
    assert all(isinstance(re2.compile(p), object) for p in PATTERNS)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_counted_matches_are_the_ones_finditer_gives_on_any_text(text: str) -> None:
    """Matches are counted straight from RE2 (`tags.matcher._matches`), not through the
    binding's `finditer`: the same spans, empty matches and multi-byte letters included."""
    data = text.encode()
    for pattern in [*PATTERNS, r"a*", r"\b", r"(x)?y?"]:
        compiled = compile_pattern(pattern.encode())
        expected = [m.span() for m in compiled.finditer(data)]
        assert CompiledRule(compiled, ()).spans(data) == expected, pattern

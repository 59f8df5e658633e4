"""The fast matcher must give exactly the matches `re.finditer` gives."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.config import load_taxonomy
from site_builder.ingest.rule_matcher import Matcher, NeedleIndex, Needles, required_literals

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(
    ("pattern", "needles"),
    [
        (r"\bLoRA\b", Needles({"lora": (0, 0)})),
        (r"\bsafe(ty|guard\w*)?\b|\bcyber\w*", Needles({"safe": (0, 0), "cyber": (0, 0)})),
        (r"\b(can|do) (LLMs?|models?)\b", Needles({"llm": (3, 4), "model": (3, 4)})),
        (r"(?<!code )\breview\b", Needles({"review": (0, 0)})),
        (r"\d+K", None),  # an unbounded prefix: no offset can be promised
        (r"x?", None),
    ],
)
def test_needles(pattern: str, needles: Needles | None) -> None:
    assert required_literals(re.compile(pattern, re.IGNORECASE)) == needles


def _spans(pattern: str, text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    matcher = Matcher.of(pattern)
    hits = NeedleIndex([matcher]).starts(text).get(0, [])
    fast = [m.span() for m in matcher.finditer(text, hits)]
    return fast, [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


def test_every_default_rule_matches_like_re_on_the_seed_abstracts() -> None:
    taxonomy = load_taxonomy(ROOT / "site_builder" / "site_template" / "taxonomy.yaml")
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "content" / "sources").glob("*.txt"))]
    lines = [line for text in texts for line in text.splitlines() if line.strip()][:150]
    for rule in (r for tag in taxonomy.tags for r in tag.rules):
        for line in lines:
            fast, slow = _spans(rule.pattern, line)
            assert fast == slow, (rule.pattern, line[:80])


PATTERNS = [r"\bab+c\b", r"(foo|bar)baz", r"\bq(ua)?nt\w{0,3}", r"(?<!x )\byes\b|no", r"a.c", r"\bkv cache\b"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(alphabet="abcxyz qfoBAZnuetsKVcheß İ", max_size=60))
def test_matcher_agrees_with_finditer_on_any_text(pattern: str, text: str) -> None:
    fast, slow = _spans(pattern, text)
    assert fast == slow

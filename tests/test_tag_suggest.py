"""Proposed rules from hand-labelled pages: weighed against the whole site, not only the labels."""

from __future__ import annotations

import re

import yaml

from site_builder.ingest.tag_suggest import Labelled, Seen, SitePages, phrases, suggest

MISSED = [  # a person tagged these `training`; the rules gave them nothing
    "Our optimizer keeps the ability to train at scale. Code: https://github.com/lab/opt",
    "A sharper optimizer, and the ability to resume. See https://github.com/lab/sharp",
    "The optimizer state halves memory; the ability to shard it. https://github.com/lab/half",
]
ELSEWHERE = [  # other pages of the site: "ability" is everywhere, "optimizer" is not
    *[f"Paper {n} on retrieval shows the ability of agents to plan." for n in range(10)],
    "An optimizer for training runs at scale.",
    *[f"Paper {n} on decoding speed." for n in range(6)],
]


def _suggest() -> list[str]:
    labelled = [Labelled("", text, frozenset({"training"})) for text in MISSED]
    seen = [Seen({}, frozenset(), phrases(text)) for text in MISSED]
    site = SitePages.of(
        [("", text, frozenset({"training"})) for text in MISSED]
        + [
            ("", text, frozenset({"training"} if "optimizer" in text else {"retrieval"}))
            for text in ELSEWHERE
        ]
    )
    return [p.line() for p in suggest(labelled, seen, "training", site)]


def test_a_phrase_common_across_the_site_or_from_a_link_is_not_proposed() -> None:
    lines = _suggest()
    assert lines[0].startswith(r"  add rule  - {pattern: '\boptimizer\b', title: 4, abstract: 1}")
    rule = lines[0].split("add rule", 1)[1].split("#", 1)[0]
    assert yaml.safe_load(f"rules:\n  {rule.strip()}\n") == {  # pastes into a tag's rules
        "rules": [{"pattern": r"\boptimizer\b", "title": 4, "abstract": 1}]
    }
    assert lines[0].endswith("finds 3 missed; in 4 of the site's 20 pages, 4 tagged training now")
    proposed = [re.search(r"pattern: '\\b(.+?)\\b'", line).group(1) for line in lines]  # type: ignore[union-attr]
    assert "ability" not in proposed  # on all three, but also on ten pages without the tag
    assert not {"github", "https", "lab", "com"} & set(proposed)


def test_the_site_counts_follow_word_boundaries_and_phrases() -> None:
    site = SitePages.of([("Optimizer", "fast optimizers and an optimizer state", frozenset())])
    assert site.firing("optimizer") == [0]
    assert site.firing("optimizer state") == [0] and site.firing("optimizers state") == []
    assert site.firing("github") == []

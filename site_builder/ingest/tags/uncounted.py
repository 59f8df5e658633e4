"""Matches a rule found that did not count, as `tags --explain` shows them: those inside a
match of the rule's `unless:` patterns, and those past its `cap:`.

Explain listed only the phrases that scored, so a paper titled "Efficient Continual
Pre-training …" showed `training: 2.75 (needs 4)` and nothing of the title's
"Pre-training", which the training rules would have counted (5 points) but for their
`unless: continual pre-training`: the one question a person correcting a tag asks ("why
not this tag?") had no answer on the screen. Scoring is not touched: this reads the same
rules again for one paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.core.taxonomy import Rule
from site_builder.ingest.tags.matcher import CompiledRule


@dataclass(frozen=True)
class Uncounted:
    """One rule's matches in one field that did not count, and the points they would have given."""

    field: str  # "title" or "abstract"
    rule: int  # the rule's place among its tag's rules, from 1
    points: float  # what counting them would have added (the cap still applied to `unless:` ones)
    spans: tuple[tuple[int, int], ...]  # the first match not counted, then the others
    inside: tuple[int, int] | None  # `unless:`: the match of the pattern it lies in; None: past the cap
    cap: int = 0


def uncounted(rules: tuple[Rule, ...], fields: dict[str, bytes]) -> list[Uncounted]:
    """Every rule's matches not counted in a paper's fields: `unless:` ones first if they
    would have changed the score, then those past the rule's cap (abstract only)."""
    found = []
    for place, rule in enumerate(rules, 1):
        compiled = CompiledRule.of(rule)
        for field, weight, cap in (("title", rule.title, 1), ("abstract", rule.abstract, rule.cap)):
            if not weight:
                continue
            text = fields[field]
            counted = compiled.spans(text)
            blocked = compiled.blocked(text)
            lost = weight * (min(len(counted) + len(blocked), cap) - min(len(counted), cap))
            if blocked and lost:
                span, inside = blocked[0]
                spans = (span, *(s for s, _ in blocked[1:]))
                found.append(Uncounted(field, place, lost, spans, inside))
            if field == "abstract" and len(counted) > cap:
                past = tuple(counted[cap:])
                found.append(Uncounted(field, place, weight * len(past), past, None, cap))
    return found

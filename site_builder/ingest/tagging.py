"""Paper → tags, from the weighted rules in content/taxonomy.yaml, with an explanation.

Deterministic and explainable on purpose: a user who disagrees with a tag runs
`site-builder tags --explain SLUG`, sees which phrases scored, and edits the rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.config import TagDef, Taxonomy
from site_builder.ingest.rule_matcher import RuleMatcher


@dataclass(frozen=True)
class Hit:
    """One rule that matched: where, how often, and the points it gave."""

    pattern: str
    field: str  # "title" or "abstract"
    matches: tuple[str, ...]
    points: float


@dataclass(frozen=True)
class TagScore:
    tag: str
    score: float
    threshold: float
    hits: tuple[Hit, ...]

    @property
    def passes(self) -> bool:
        return self.score >= self.threshold


@dataclass(frozen=True)
class Text:
    """A paper's title and abstract (as UTF-8), with the rules that match each somewhere."""

    title: bytes
    abstract: bytes
    in_title: set[int]  # rule numbers (see rule_matcher.RuleMatcher.candidates)
    in_abstract: set[int]


@dataclass
class Tagger:
    """A taxonomy with its rules compiled: scores, chooses and explains a paper's tags."""

    taxonomy: Taxonomy
    rules: RuleMatcher

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> Tagger:
        return cls(taxonomy, RuleMatcher.of(taxonomy))

    def text(self, title: str, abstract: str) -> Text:
        t, a = title.encode("utf-8", "replace"), abstract.encode("utf-8", "replace")
        return Text(t, a, self.rules.candidates(t), self.rules.candidates(a))

    def score_tag(self, tag: TagDef, text: Text, first_rule: int) -> TagScore:
        """Score one tag; its rules are numbers first_rule, first_rule + 1, … in the taxonomy."""
        hits: list[Hit] = []
        for number, rule in enumerate(tag.rules, start=first_rule):
            compiled = self.rules.rules[number]
            if rule.title and number in text.in_title:
                found = compiled.matches(text.title, 1)
                if found:
                    hits.append(Hit(rule.pattern, "title", tuple(found), rule.title))
            if rule.abstract and number in text.in_abstract:
                found = compiled.matches(text.abstract, rule.cap)
                if found:
                    hits.append(Hit(rule.pattern, "abstract", tuple(found), rule.abstract * len(found)))
        threshold = tag.threshold if tag.threshold is not None else self.taxonomy.threshold
        return TagScore(tag.name, sum(h.points for h in hits), threshold, tuple(hits))

    def score_all(self, title: str, abstract: str) -> list[TagScore]:
        """Every tag's score, best first (ties by taxonomy order)."""
        text = self.text(title, abstract)
        scores, first = [], 0
        for tag in self.taxonomy.tags:
            scores.append(self.score_tag(tag, text, first))
            first += len(tag.rules)
        order = {t.name: i for i, t in enumerate(self.taxonomy.tags)}
        return sorted(scores, key=lambda s: (-s.score, order[s.tag]))

    def choose(self, title: str, abstract: str) -> tuple[str, ...]:
        """The tags a paper gets: every tag over its threshold (best `max_tags`), never none.

        When nothing passes, the best-scoring tag is taken if it scored at all, else the
        taxonomy's fallback: every paper must be findable from the tag pages.
        """
        scores = self.score_all(title, abstract)
        chosen = [s.tag for s in scores if s.passes][: self.taxonomy.max_tags]
        if not chosen:
            if scores and scores[0].score > 0:
                chosen = [scores[0].tag]
            elif self.taxonomy.fallback:
                chosen = [self.taxonomy.fallback]
        return tuple(sorted(chosen))

    def explain(self, title: str, abstract: str) -> str:
        """A human-readable account of every tag that scored, for `site-builder tags --explain`."""
        lines = []
        chosen = set(self.choose(title, abstract))
        scores = self.score_all(title, abstract)
        for s in scores:
            if not s.hits and s.tag not in chosen:
                continue
            mark = "+" if s.tag in chosen else " "
            lines.append(f"{mark} {s.tag}: {s.score:g} (needs {s.threshold:g})")
            for h in s.hits:
                shown = ", ".join(repr(m) for m in h.matches)
                lines.append(f"      {h.points:+g}  {h.field}: /{h.pattern}/ matched {shown}")
        if not any(s.hits for s in scores):
            lines.append(f"+ {self.taxonomy.fallback}: no rule matched; fallback tag")
        return "\n".join(lines)


@dataclass(frozen=True)
class Quality:
    """Precision and recall of the rules against hand-chosen labels, overall and per tag."""

    precision: float
    recall: float
    per_tag: dict[str, tuple[float, float, int]]  # tag → (precision, recall, labelled papers)
    misses: list[tuple[str, tuple[str, ...], tuple[str, ...]]]  # (title, expected, got)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0


def evaluate(tagger: Tagger, labelled: list[tuple[str, str, tuple[str, ...]]]) -> Quality:
    """Micro-averaged precision/recall over (paper, tag) pairs for (title, abstract, tags) triples."""
    tp = fp = fn = 0
    counts: dict[str, list[int]] = {t.name: [0, 0, 0] for t in tagger.taxonomy.tags}  # tp, fp, fn
    misses = []
    for title, abstract, expected in labelled:
        got = set(tagger.choose(title, abstract))
        want = set(expected)
        for tag in got | want:
            c = counts.setdefault(tag, [0, 0, 0])
            c[0 if tag in got and tag in want else 1 if tag in got else 2] += 1
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        if got != want:
            misses.append((title, tuple(sorted(want)), tuple(sorted(got))))
    per_tag = {
        tag: (_ratio(c[0], c[0] + c[1]), _ratio(c[0], c[0] + c[2]), c[0] + c[2])
        for tag, c in sorted(counts.items())
    }
    return Quality(_ratio(tp, tp + fp), _ratio(tp, tp + fn), per_tag, misses)

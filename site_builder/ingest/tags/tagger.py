"""Paper → tags, from the weighted rules in content/taxonomy.yaml, with an explanation.

Deterministic and explainable on purpose: a user who disagrees with a tag runs
`site-builder tags --explain SLUG`, sees which phrases scored, and edits the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from site_builder.core.taxonomy import Rule, Taxonomy
from site_builder.ingest.tags.matcher import CompiledRule, RuleMatcher
from site_builder.ingest.tags.uncounted import Uncounted, uncounted


@dataclass(frozen=True)
class Hit:
    """One rule that matched: where, how often, and the points it gave."""

    pattern: str
    field: str  # "title" or "abstract"
    points: float
    spans: tuple[tuple[int, int], ...]  # where the matches are, in the field's UTF-8 bytes
    rule: int  # the rule's place among its tag's rules, from 1


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
    """A paper's title and abstract (as UTF-8), with the rules that may match each."""

    title: bytes
    abstract: bytes
    in_title: set[int]  # rule numbers (see tags.matcher.RuleMatcher.candidates)
    in_abstract: set[int]


@dataclass
class Tagger:
    """A taxonomy with its rules compiled: scores, chooses and explains a paper's tags."""

    taxonomy: Taxonomy
    rules: RuleMatcher
    owners: list[tuple[int, int]]  # rule number → (its tag's place in the taxonomy, its place in the tag)

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> Tagger:
        owners = [(t, place) for t, tag in enumerate(taxonomy.tags) for place in range(1, len(tag.rules) + 1)]
        return cls(taxonomy, RuleMatcher.of(taxonomy), owners)

    def text(self, title: str, abstract: str) -> Text:
        t, a = title.encode("utf-8", "replace"), abstract.encode("utf-8", "replace")
        return Text(t, a, self.rules.candidates(t), self.rules.candidates(a))

    def score_all(self, title: str, abstract: str) -> list[TagScore]:
        """Every tag's score, best first (ties by taxonomy order).

        Only the rules the filter says may match are run: a paper matches a few dozen of a
        taxonomy's hundreds of rules, and looping over all of them cost a third of tagging."""
        text = self.text(title, abstract)
        tags = self.taxonomy.tags
        hits: list[list[Hit]] = [[] for _ in tags]
        for number in sorted(text.in_title | text.in_abstract):  # file order: each tag's rules in order
            t, place = self.owners[number]
            rule = tags[t].rules[place - 1]
            compiled = self.rules.rules[number]
            for field, text_bytes, weight, cap, candidates in (
                ("title", text.title, rule.title, 1, text.in_title),
                ("abstract", text.abstract, rule.abstract, rule.cap, text.in_abstract),
            ):
                if not weight or number not in candidates:
                    continue
                found = compiled.spans(text_bytes, cap)
                if found:
                    hits[t].append(Hit(rule.pattern, field, weight * len(found), tuple(found), place))
        scores = [
            TagScore(
                tag.name, sum(h.points for h in found), self.taxonomy.threshold_of(tag.name), tuple(found)
            )
            for tag, found in zip(tags, hits, strict=True)
        ]
        return self._ranked(scores)

    def _ranked(self, scores: list[TagScore]) -> list[TagScore]:
        """Best first; ties in taxonomy order."""
        order = {t.name: i for i, t in enumerate(self.taxonomy.tags)}
        return sorted(scores, key=lambda s: (-s.score, order[s.tag]))

    def choose(self, title: str, abstract: str) -> tuple[str, ...]:
        """The tags a paper gets: every tag over its threshold (best `max_tags`).

        A paper no tag passes gets the taxonomy's `fallback` tag if it names one, else no
        tag: ingest and check list it as untagged, so a person can tag it or teach the rules.
        A guess below the threshold would be a silent wrong tag.
        """
        return self.chosen(self.score_all(title, abstract))

    def chosen(self, scores: list[TagScore]) -> tuple[str, ...]:
        """The tags `choose` gives for these scores (from `score_all`)."""
        chosen = [s.tag for s in scores if s.passes][: self.taxonomy.max_tags]
        if not chosen and self.taxonomy.fallback:
            chosen = [self.taxonomy.fallback]
        return tuple(sorted(chosen))

    def chosen_with(self, scores: list[TagScore], tag: str, points: float) -> tuple[str, ...]:
        """The tags `chosen` gives once `tag` scores `points` more: a rule added or taken
        away, as `tags --suggest` weighs it (the ranking and `max_tags` apply as in ingest)."""
        moved = [replace(s, score=s.score + points) if s.tag == tag else s for s in scores]
        return self.chosen(self._ranked(moved))

    def rule_points(self, rule: Rule, title: str, abstract: str) -> float:
        """The points one rule, not in the taxonomy, gives a paper (as `score_all` counts them)."""
        compiled = CompiledRule.of(rule)
        found_title = compiled.spans(title.encode("utf-8", "replace"), 1) if rule.title else []
        found_abstract = (
            compiled.spans(abstract.encode("utf-8", "replace"), rule.cap) if rule.abstract else []
        )
        return rule.title * len(found_title) + rule.abstract * len(found_abstract)

    def explain(self, title: str, abstract: str, page_tags: tuple[str, ...] | None = None) -> str:
        """Every tag that scored, with the phrases that scored shown in their sentence.

        `+` marks the tags the rules give. Phrases are shown, not patterns: a person reads
        which words counted and edits the tag's rule (numbered in its `rules:` list). Matches
        that did not count follow their rule's, their points in brackets: past its `cap:`,
        or inside an `unless:` match when that cost points (tags/uncounted.py); a tag that
        `unless:` alone kept under its threshold is shown for it.
        `page_tags`: the tags the paper's page has, said to be a person's when they differ.
        """
        fields = {"title": title.encode("utf-8", "replace"), "abstract": abstract.encode("utf-8", "replace")}
        scores = self.score_all(title, abstract)
        chosen = set(self.chosen(scores))
        lines = []
        rules = {t.name: t.rules for t in self.taxonomy.tags}
        for s in scores:
            missed = uncounted(rules[s.tag], fields)
            excluded = sum(u.points for u in missed if u.inside is not None)
            held_back = not s.passes and s.score + excluded >= s.threshold  # `unless:` is why not
            if not s.hits and s.tag not in chosen and not held_back:
                continue
            mark = "+" if s.tag in chosen else " "
            kept_out = (
                f"; max_tags keeps the best {self.taxonomy.max_tags}"
                if s.passes and s.tag not in chosen
                else f"; `unless:` kept out {excluded:g}"
                if held_back
                else ""
            )
            lines.append(f"{mark} {s.tag}: {s.score:g} (needs {s.threshold:g}{kept_out})")
            shown = [(h.rule, h.field != "title", 0, _hit_lines(h, fields[h.field])) for h in s.hits]
            shown += [(u.rule, u.field != "title", 1, [_uncounted_line(u, fields[u.field])]) for u in missed]
            lines += [line for *_, said in sorted(shown, key=lambda x: x[:3]) for line in said]
        if page_tags is not None and set(page_tags) != chosen:
            given = f"{', '.join(sorted(chosen))} (marked +)" if chosen else "no tag"
            lines.append(f"the rules give {given}; the page's tags were set by hand, and ingest keeps them")
        elif not chosen:
            lines.append("no tag reaches its threshold: the paper is untagged (ingest and check list it)")
        elif not any(s.passes for s in scores):
            lines.append(
                f"no tag reaches its threshold: {self.taxonomy.fallback} is the taxonomy's `fallback:`"
            )
        return "\n".join(lines)


def _hit_lines(h: Hit, source: bytes) -> list[str]:
    """A rule's counted matches in one field, each in context, its points on the first."""
    where = f"{h.field}, rule {h.rule}"
    return [
        f"    {f'{h.points:+g}' if n == 0 else '':>{POINTS}}  {in_context(source, span)}   ({where})"
        for n, span in enumerate(h.spans)
    ]


def _uncounted_line(u: Uncounted, source: bytes) -> str:
    """A rule's matches in one field that did not count: the first in context, the points
    they would have given in brackets, and why (the `unless:` match it lies in, or the cap)."""
    if u.inside is not None:
        excluded = " ".join(source[u.inside[0] : u.inside[1]].decode("utf-8", "replace").split())
        excluded = excluded if len(excluded) <= 60 else excluded[:59] + "…"
        why = f"inside «{excluded}», which its `unless:` matches"
    else:
        why = f"past its `cap: {u.cap}`"
    more = f"this and {len(u.spans) - 1} more " if len(u.spans) > 1 else ""
    points = f"({u.points:+g})"
    where = f"{u.field}, rule {u.rule}; {more}not counted: {why}"
    return f"    {points:>{POINTS}}  {in_context(source, u.spans[0])}   ({where})"


POINTS = 8  # the points column, wide enough for a bracketed "(-12.25)" past an indent of four
CONTEXT = 40  # characters shown either side of a matched phrase


def in_context(text: bytes, span: tuple[int, int], width: int = CONTEXT) -> str:
    """The matched phrase in «» with a few words either side, on one line."""
    start, end = span
    before = text[:start].decode("utf-8", "replace")
    phrase = text[start:end].decode("utf-8", "replace")
    after = text[end:].decode("utf-8", "replace")
    left = before[-width:].split(" ", 1)[-1] if len(before) > width else before
    right = after[:width].rsplit(" ", 1)[0] if len(after) > width else after
    opening = "…" if len(left) < len(before) else ""
    ending = "…" if len(right) < len(after) else ""
    shown = f"{opening}{left}«{phrase}»{right}{ending}"
    return " ".join(shown.split())


@dataclass(frozen=True)
class Quality:
    """Precision and recall of the rules against hand-chosen labels, overall and per tag."""

    precision: float
    recall: float
    # tag → (precision, recall, papers labelled with it); None where nothing counts: the rules
    # gave the tag to no labelled paper, or no labelled paper has it
    per_tag: dict[str, tuple[float | None, float | None, int]]
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
        tag: (
            c[0] / (c[0] + c[1]) if c[0] + c[1] else None,
            c[0] / (c[0] + c[2]) if c[0] + c[2] else None,
            c[0] + c[2],
        )
        for tag, c in sorted(counts.items())
    }
    return Quality(_ratio(tp, tp + fp), _ratio(tp, tp + fn), per_tag, misses)

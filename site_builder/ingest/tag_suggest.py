"""Rule changes proposed from hand-labelled pages, for a person to accept or not.

A person who corrects tags by hand has said which papers a tag fits. Phrases that occur
in the papers the rules missed, and rarely in papers without the tag, are candidate rules;
rules that fire on papers a person took the tag away from are candidates to weaken. Every
proposal carries its precision and recall on the labelled pages, so a person can judge it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from site_builder.ingest.tagging import Tagger, TagScore

MIN_PAGES = 2  # a phrase seen in one paper is that paper, not the tag
MIN_PRECISION = 0.75
SHOWN = 5
_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_GLUE_TEXT = """
    a an and are as at be by for from has have in is it its of on or our that the their this to
    was we were with which these those into than can also not using based via large language
    model models llm llms paper propose proposed approach method methods results show
"""
_GLUE = frozenset(_GLUE_TEXT.split())


@dataclass(frozen=True)
class Labelled:
    """A page a person confirmed: its text and the tags they gave it."""

    title: str
    abstract: str
    tags: frozenset[str]


@dataclass(frozen=True)
class Seen:
    """A labelled page as the rules see it: each tag's score, the tags chosen, its phrases."""

    scores: dict[str, TagScore]
    got: frozenset[str]
    phrases: set[str]


def examine(tagger: Tagger, labelled: list[Labelled]) -> list[Seen]:
    """Score and read every labelled page once, for the proposals of every tag."""
    seen = []
    for p in labelled:
        scores = tagger.score_all(p.title, p.abstract)
        got = frozenset(tagger.chosen(scores))
        seen.append(Seen({s.tag: s for s in scores}, got, phrases(f"{p.title} {p.abstract}")))
    return seen


@dataclass(frozen=True)
class Proposal:
    """One rule change for one tag, with its precision and recall on the labelled pages."""

    tag: str
    kind: str  # "add" a phrase rule, or "weaken" an existing rule
    what: str  # the phrase, or the rule's number and pattern
    precision: float
    recall: float
    pages: int  # labelled pages the phrase or rule fires on
    fixes: int  # pages it would fix: misses for "add", wrong tags for "weaken"

    def line(self) -> str:
        figures = f"precision {self.precision:.2f}, recall {self.recall:.2f} on {self.pages} labelled pages"
        if self.kind == "add":
            pattern = r"\b" + re.escape(self.what).replace(r"\ ", " ").replace(r"\-", "-") + r"\b"
            rule = f"- pattern: '{pattern}'  title: 4  abstract: 1"
            return f"  add rule  {rule}   # {figures}, finds {self.fixes} missed"
        return f"  weaken    {self.what}   # {figures}; fires on {self.fixes} pages a person untagged"


def phrases(text: str) -> set[str]:
    """Word runs of one to three words that neither start nor end with a glue word."""
    words = _WORD.findall(text.lower())
    found = set()
    for n in (1, 2, 3):
        for i in range(len(words) - n + 1):
            run = words[i : i + n]
            if run[0] not in _GLUE and run[-1] not in _GLUE and len(run[0]) > 2:
                found.add(" ".join(run))
    return found


def suggest(labelled: list[Labelled], seen: list[Seen], tag: str) -> list[Proposal]:
    """Phrases to add (from the papers the rules miss) and rules to weaken, best first.

    `seen`: `examine(tagger, labelled)`, computed once for every tag.
    """
    having = [tag in p.tags for p in labelled]
    total = sum(having)
    missed = [i for i, s in enumerate(seen) if having[i] and tag not in s.got]
    wrong = [i for i, s in enumerate(seen) if not having[i] and tag in s.got]
    page_phrases = [s.phrases for s in seen]
    in_missed: Counter[str] = Counter(ph for i in missed for ph in page_phrases[i])
    proposals = []
    for phrase, fixes in in_missed.items():
        if fixes < MIN_PAGES:
            continue
        fires = [i for i, found in enumerate(page_phrases) if phrase in found]
        right = sum(having[i] for i in fires)
        precision = right / len(fires)
        if precision >= MIN_PRECISION:
            proposals.append(
                Proposal(tag, "add", phrase, precision, right / total if total else 0.0, len(fires), fixes)
            )
    proposals.sort(key=lambda p: (-p.fixes, -p.precision, -p.pages, len(p.what), p.what))
    return _drop_overlaps(proposals)[:SHOWN] + _weaken(seen, tag, having, total, wrong)


def _drop_overlaps(proposals: list[Proposal]) -> list[Proposal]:
    """Keep a longer phrase only when it says more than a shorter one already kept."""
    kept: list[Proposal] = []
    for p in proposals:
        if not any(k.what in p.what and k.fixes >= p.fixes for k in kept):
            kept.append(p)
    return kept


def _weaken(seen: list[Seen], tag: str, having: list[bool], total: int, wrong: list[int]) -> list[Proposal]:
    """The tag's rules that score on pages a person took the tag away from."""
    if not wrong:
        return []
    fired: dict[int, list[int]] = {}
    patterns: dict[int, str] = {}
    for i, page in enumerate(seen):
        for hit in page.scores[tag].hits:
            if hit.points > 0:
                fired.setdefault(hit.rule, []).append(i)
                patterns[hit.rule] = hit.pattern
    out = []
    for rule, pages in sorted(fired.items()):
        pages = sorted(set(pages))
        right = sum(having[i] for i in pages)
        fixes = len(set(pages) & set(wrong))
        if fixes:
            shown = patterns[rule] if len(patterns[rule]) <= 60 else patterns[rule][:57] + "..."
            out.append(
                Proposal(
                    tag,
                    "weaken",
                    f"rule {rule} '{shown}'",
                    right / len(pages),
                    right / total if total else 0.0,
                    len(pages),
                    fixes,
                )
            )
    return sorted(out, key=lambda p: (p.precision, -p.fixes))[:SHOWN]

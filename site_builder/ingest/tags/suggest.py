"""Rule changes proposed from hand-labelled pages, for a person to accept or not.

A person who corrects tags by hand has said which papers a tag fits. Phrases that occur
in the papers the rules missed, and rarely in papers without the tag, are candidate rules;
rules that fire on papers a person took the tag away from are candidates to remove. Every
proposal carries the tag's precision and recall on the labelled pages before and after it,
measured by scoring the pages again with the change made (a phrase in a missed paper does
not find it unless its points lift the tag over the threshold), so a person can judge it.

A few labelled pages share many words by chance ("due", "ability", a GitHub link), and on
them alone such a word looks as good as the tag's own vocabulary. So each phrase is also
counted over every page of the site: how many it would fire on, and how many of those have
the tag now. Phrases are ranked by that share, and one among whose pages the tag is not at
least twice as common as on the whole site (for a tag on most pages: halfway to all of
them) says nothing about it. Two of five pages is no such evidence ("use cases", "eight"
and "seed" were proposed so): the share must clear that bar with 90 % confidence (the
lower end of its Wilson interval). Links are not text: their words are never proposed.

A rule is proposed for removal only when the labelled pages are better off without it (one
figure up, neither down), and when the pages that would lose the tag are wrong ones with
confidence: the lower end of the wrong share's Wilson interval reaches MIN_PRECISION, so at
least nine wrong tags when no right one is lost. A tag's main rule was offered for removal on one
page's word; and fitted to one half of the bundled labels on two or three wrong pages (none
right among them), each removal accepted lost right tags on the other half, which the rule
alone had placed (in the 10 of 20 folds that accepted one; recall 0.863 → 0.856 over all 20,
docs/tags.md, 2026-12-09). A removal held back so is said (a "hold"), with how many more
wrong pages would back it: left out in silence, it looked like a rule with no fault.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from site_builder.core.taxonomy import Rule
from site_builder.ingest.tags.matcher import CompiledRule
from site_builder.ingest.tags.site_phrases import SitePages, phrases
from site_builder.ingest.tags.tagger import Tagger, TagScore

MIN_PAGES = 2  # a phrase seen in one paper is that paper, not the tag
MIN_PRECISION = 0.75
MIN_LIFT = 2.0  # where a phrase occurs, the tag must be this many times as common as on the site
CONFIDENCE_Z = 1.645  # ... with 90 % confidence, one-sided (Wilson's interval)
SHOWN = 5


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
class Figures:
    """The tag's precision and recall on the labelled pages (None: no page to divide by)."""

    precision: float | None
    recall: float | None

    @classmethod
    def of(cls, having: list[bool], got: list[bool]) -> Figures:
        right = sum(h and g for h, g in zip(having, got, strict=True))
        given, wanted = sum(got), sum(having)
        return cls(right / given if given else None, right / wanted if wanted else None)

    def moved_to(self, after: Figures) -> str:
        precision = f"{shown_figure(self.precision)} → {shown_figure(after.precision)}"
        return f"precision {precision}, recall {shown_figure(self.recall)} → {shown_figure(after.recall)}"


def shown_figure(value: float | None) -> str:
    """A precision or recall as `tags` prints it: two decimals, or a dash where no page counts."""
    return "–" if value is None else f"{value:.2f}"


@dataclass(frozen=True)
class Proposal:
    """One rule change for one tag, with what it does to the tag on the labelled pages.

    The figures are the rules' own with the change made: every labelled page is scored
    again, the new rule's points added to (or the removed rule's taken from) the tag's
    score, and the tags chosen as ingest chooses them (threshold, `max_tags`)."""

    tag: str
    kind: str  # "add" a phrase rule, or "remove" an existing rule
    what: str  # the rule to paste ("add"), or the rule's number and pattern ("remove")
    before: Figures
    after: Figures
    fixes: int  # labelled pages it puts right: misses found ("add"), wrong tags gone ("remove")
    out_of: int  # the pages it could put right: every miss, every wrong tag
    breaks: int  # labelled pages it puts wrong: wrong tags given ("add"), right ones lost ("remove")
    labelled: int
    site_pages: int = 0  # "add": the site's unlabelled pages the phrase occurs in (as words) ...
    site_tagged: int = 0  # ... and how many of them have the tag now
    site_total: int = 0  # the site's unlabelled pages
    effect: tuple[int, int, int] = (0, 0, 0)  # on them: pages matched, tag gained, other tags lost
    rule: Rule | None = None  # "add": the rule itself
    phrase: str = ""  # "add": the words it matches
    place: int = 0  # "remove" (and "hold": a removal too few wrong pages back): the rule's number
    more: int = 0  # "hold": the wrong pages more, and no right one lost, that would back it

    def line(self) -> str:
        figures = f"{self.before.moved_to(self.after)} on {self.labelled} labelled pages"
        if self.kind == "add":
            did = f"finds {self.fixes} of {self.out_of} missed"
            did += f", tags {self.breaks} wrongly" if self.breaks else ""
            matched, gained, displaced = self.effect
            if not self.site_pages:
                return f"  add rule  {self.what}   # {figures}; {did}; in none of the site's other pages"
            site = f"in {matched} of the site's {self.site_total} unlabelled pages"
            site += f" ({self.site_tagged} tagged {self.tag} now): gives {gained} of them {self.tag}"
            site += f", takes {displaced} other tag{'s' if displaced != 1 else ''} off" if displaced else ""
            return f"  add rule  {self.what}   # {figures}; {did}; {site}"
        did = f"drops {self.fixes} of {self.out_of} wrong"
        did += f", loses {self.breaks} right" if self.breaks else ""
        if self.kind == "hold":  # said, so that a curator with few labels is not left guessing
            return (
                f"  not yet   {self.what}   # {did} on {self.labelled} labelled pages: too few to "
                f"propose removing it; label {self.more} more page{'s' if self.more != 1 else ''} "
                "it tags wrongly to have it proposed"
            )
        matched, lost, _ = self.effect
        site = f"scores on {matched} of the site's {self.site_total} unlabelled pages"
        site += f": takes {self.tag} off {lost}"
        return f"  remove    {self.what}   # {figures}; {did}; {site}"


def suggest(
    tagger: Tagger, labelled: list[Labelled], seen: list[Seen], tag: str, site: SitePages
) -> list[Proposal]:
    """Phrases to add (from the papers the rules miss) and rules to remove, best first.

    `seen`: `examine(tagger, labelled)`, computed once for every tag; `site`: every page.
    A phrase is proposed as a supporting rule (title 4, abstract 1 a match), or as a
    decisive one (the tag's threshold: the phrase alone places a paper) when only that
    finds more of the misses and keeps precision; a rule that puts no miss right is not
    proposed, however often its phrase occurs in them.
    """
    having = [tag in p.tags for p in labelled]
    before = Figures.of(having, [tag in s.got for s in seen])
    missed = [i for i, s in enumerate(seen) if having[i] and tag not in s.got]
    wrong = [i for i, s in enumerate(seen) if not having[i] and tag in s.got]
    page_phrases = [s.phrases for s in seen]
    base = sum(tag in tags for tags in site.tags) / max(len(site.tags), 1)  # the tag's share of the site
    needed = min(MIN_LIFT * base, (1 + base) / 2)  # its share among a phrase's pages
    in_missed: Counter[str] = Counter(ph for i in missed for ph in page_phrases[i])
    definition = tagger.taxonomy.get(tag)
    has = (
        [CompiledRule.of(r) for r in definition.rules if r.title > 0 or r.abstract > 0] if definition else []
    )
    proposals = []
    for phrase, occurs in in_missed.items():
        if occurs < MIN_PAGES or any(rule.spans(phrase.encode("utf-8"), 1) for rule in has):  # it has it
            continue
        fires = [i for i, found in enumerate(page_phrases) if phrase in found]
        if sum(having[i] for i in fires) < MIN_PRECISION * len(fires):
            continue
        on_site = site.firing(phrase)
        tagged = sum(tag in site.tags[i] for i in on_site)
        # A tag no unlabelled page has yet (new to the taxonomy) has no page to vouch for a
        # phrase other pages use: its share of 0 let any through, and `\bhow\b` was proposed
        # from 3 labelled pages as a rule that alone would tag 48 of the site's pages.
        if on_site and (not base or wilson_lower(tagged, len(on_site)) < needed):
            continue
        # Decisive only where other pages vouch for the phrase: a stock phrase of the two pages
        # it was fitted to (`able to provide`) would alone tag any later paper saying it.
        best = _strongest_needed(tagger, labelled, seen, tag, phrase, having, decisive=bool(on_site))
        if best is None:
            continue
        rule, got, fixes, breaks = best
        proposals.append(
            Proposal(
                tag,
                "add",
                _pasted(rule),
                before,
                Figures.of(having, got),
                fixes,
                len(missed),
                breaks,
                len(labelled),
                len(on_site),
                tagged,
                len(site.texts),
                rule=rule,
                phrase=phrase,
            )
        )
    proposals.sort(
        key=lambda p: (
            not p.site_pages,  # a phrase no other page has: only the pages it was fitted to vouch
            -p.fixes,
            p.breaks,
            -p.site_tagged / max(p.site_pages, 1),
            p.site_pages,
            len(p.what),
            p.what,
        )
    )
    shown = [
        replace(p, effect=site.effect(tagger, p.rule, tag)) if p.rule else p
        for p in _drop_overlaps(proposals)[:SHOWN]
    ]
    removals = [
        replace(p, effect=(*site.removal_effect(tagger, tag, p.place), 0)) if p.kind == "remove" else p
        for p in _removals(tagger, seen, tag, having, before, wrong, len(site.texts))
    ]
    return shown + removals


def wilson_lower(hits: int, n: int, z: float = CONFIDENCE_Z) -> float:
    """The lower end of the Wilson score interval of a share `hits / n`: small counts give
    wide intervals (2 of 5 → 0.14 at 90 %), so a chance share does not pass for a large one."""
    if n == 0:
        return 0.0
    share = hits / n
    centre = share + z * z / (2 * n)
    spread = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n)


def rule_pattern(phrase: str) -> str:
    """The pattern of a rule for a phrase of `words`: whole words, any case."""
    return r"\b" + re.escape(phrase).replace(r"\ ", " ").replace(r"\-", "-") + r"\b"


def _strongest_needed(
    tagger: Tagger,
    labelled: list[Labelled],
    seen: list[Seen],
    tag: str,
    phrase: str,
    having: list[bool],
    decisive: bool = True,
) -> tuple[Rule, list[bool], int, int] | None:
    """Of the two rules for a phrase (the decisive one only if `decisive`), the weaker one
    that finds the most misses while most of the pages it newly tags (MIN_PRECISION) have
    the tag: the rule, the tag on each labelled page with it, the misses it finds and the
    wrong tags it adds. None if none finds a miss."""
    threshold = tagger.taxonomy.threshold_of(tag)
    best: tuple[Rule, list[bool], int, int] | None = None
    for title, abstract in ((4.0, 1.0), (threshold, threshold))[: 2 if decisive else 1]:
        rule = Rule(rule_pattern(phrase), title=title, abstract=abstract)
        got = [
            tag
            in tagger.chosen_with(list(s.scores.values()), tag, tagger.rule_points(rule, p.title, p.abstract))
            for p, s in zip(labelled, seen, strict=True)
        ]
        new = [i for i, s in enumerate(seen) if got[i] and tag not in s.got]
        found = sum(having[i] for i in new)
        if found and found >= MIN_PRECISION * len(new) and (best is None or found > best[2]):
            best = (rule, got, found, len(new) - found)
    return best


def _pasted(rule: Rule) -> str:
    """The rule as a line that pastes into a tag's `rules:` list."""
    return f"- {{pattern: '{rule.pattern}', title: {rule.title:g}, abstract: {rule.abstract:g}}}"


def _drop_overlaps(proposals: list[Proposal]) -> list[Proposal]:
    """Keep a longer phrase only when it says more than a shorter one already kept."""
    kept: list[Proposal] = []
    for p in proposals:
        if not any(k.phrase in p.phrase and k.fixes >= p.fixes for k in kept):
            kept.append(p)
    return kept


def _removals(
    tagger: Tagger,
    seen: list[Seen],
    tag: str,
    having: list[bool],
    before: Figures,
    wrong: list[int],
    site_total: int = 0,
) -> list[Proposal]:
    """The tag's rules that score on pages a person took the tag away from, each with the
    figures the tag would have without it, when the pages it takes the tag off are surely
    wrong ones (few pages, though all wrong, do not show which right ones it alone places)."""
    if not wrong:
        return []
    points: dict[int, dict[int, float]] = {}  # rule → labelled page → its points there
    patterns: dict[int, str] = {}
    for i, page in enumerate(seen):
        for hit in page.scores[tag].hits:
            if hit.points > 0:
                points.setdefault(hit.rule, {}).setdefault(i, 0.0)
                points[hit.rule][i] += hit.points
                patterns[hit.rule] = hit.pattern
    out = []
    for rule, on_page in sorted(points.items()):
        got = [
            tag in tagger.chosen_with(list(s.scores.values()), tag, -on_page.get(i, 0.0))
            for i, s in enumerate(seen)
        ]
        fixes = sum(not got[i] for i in wrong)
        after = Figures.of(having, got)
        lost = sum(h and (tag in s.got) and not g for h, s, g in zip(having, seen, got, strict=True))
        # Most pages that lose the tag must be wrong, with confidence: on a few, the other
        # pages the rule alone places (right ones too) are missing by chance (see the module).
        sure = wilson_lower(fixes, fixes + lost) >= MIN_PRECISION
        if fixes >= MIN_PAGES and _better(before, after):
            shown = patterns[rule] if len(patterns[rule]) <= 60 else patterns[rule][:57] + "..."
            out.append(
                Proposal(
                    tag,
                    "remove" if sure else "hold",
                    f"rule {rule} '{shown}'",
                    before,
                    after,
                    fixes,
                    len(wrong),
                    lost,
                    len(seen),
                    site_total=site_total,
                    place=rule,
                    more=0 if sure else _more_wrong_needed(fixes, lost),
                )
            )
    return sorted(out, key=lambda p: (p.kind == "hold", p.breaks - p.fixes, -p.fixes))[:SHOWN]


def _more_wrong_needed(fixes: int, lost: int) -> int:
    """How many more wrong pages a rule must take the tag off (no more right ones lost) for
    its removal to be proposed: the lower end of the wrong share reaching MIN_PRECISION."""
    more = 1
    while wilson_lower(fixes + more, fixes + more + lost) < MIN_PRECISION:
        more += 1
    return more


def _better(before: Figures, after: Figures) -> bool:
    """A change that raises precision or recall and lowers neither (0.33 → 0.25 with 1.00 →
    0.50 was proposed once, and later 0.00 → 0.00 with no recall at all)."""
    pairs = [(before.precision or 0.0, after.precision or 0.0), (before.recall or 0.0, after.recall or 0.0)]
    return all(a >= b for b, a in pairs) and any(a > b for b, a in pairs)

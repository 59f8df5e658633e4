"""Rule changes proposed from hand-labelled pages, for a person to accept or not.

A person who corrects tags by hand has said which papers a tag fits. Phrases that occur
in the papers the rules missed, and rarely in papers without the tag, are candidate rules;
rules that fire on papers a person took the tag away from are candidates to weaken. Every
proposal carries its precision and recall on the labelled pages, so a person can judge it.

A few labelled pages share many words by chance ("due", "ability", a GitHub link), and on
them alone such a word looks as good as the tag's own vocabulary. So each phrase is also
counted over every page of the site: how many it would fire on, and how many of those have
the tag now. Phrases are ranked by that share, and one among whose pages the tag is not at
least twice as common as on the whole site (for a tag on most pages: halfway to all of
them) says nothing about it. Links are not text: their words are never proposed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from site_builder.ingest.tagging import Tagger, TagScore

MIN_PAGES = 2  # a phrase seen in one paper is that paper, not the tag
MIN_PRECISION = 0.75
MIN_LIFT = 2.0  # where a phrase occurs, the tag must be this many times as common as on the site
SHOWN = 5
_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_LINK = re.compile(r"(?:https?://|www\.)\S+")
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
class SitePages:
    """Every page of the site as a phrase is counted against it: its words and its tags now."""

    texts: list[str]  # each page's words, space-separated, with a space at both ends
    tags: list[frozenset[str]]
    pages_with: dict[str, set[int]]  # word → the pages holding it

    @classmethod
    def of(cls, pages: list[tuple[str, str, frozenset[str]]]) -> SitePages:
        """From (title, abstract, tags) of every page."""
        texts: list[str] = []
        pages_with: dict[str, set[int]] = {}
        for i, (title, abstract, _) in enumerate(pages):
            found = words(f"{title} {abstract}")
            texts.append(f" {' '.join(found)} ")
            for word in set(found):
                pages_with.setdefault(word, set()).add(i)
        return cls(texts, [tags for _, _, tags in pages], pages_with)

    def firing(self, phrase: str) -> list[int]:
        """The pages the phrase occurs in, as words (its rule, `\\bphrase\\b`, also matches
        inside a hyphenated word: "tuning" in "fine-tuning", which this does not count)."""
        parts = phrase.split()
        pages = set.intersection(*(self.pages_with.get(w, set()) for w in parts))
        if len(parts) > 1:
            pages = {i for i in pages if f" {phrase} " in self.texts[i]}
        return sorted(pages)


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
    site_pages: int = 0  # "add": the site's pages the phrase occurs in ...
    site_tagged: int = 0  # ... and how many of them have the tag now
    site_total: int = 0  # the site's pages

    def line(self) -> str:
        figures = f"precision {self.precision:.2f}, recall {self.recall:.2f} on {self.pages} labelled pages"
        if self.kind == "add":
            pattern = r"\b" + re.escape(self.what).replace(r"\ ", " ").replace(r"\-", "-") + r"\b"
            rule = f"- {{pattern: '{pattern}', title: 4, abstract: 1}}"  # pastes into a rules: list
            site = f"in {self.site_pages} of the site's {self.site_total} pages"
            site += f", {self.site_tagged} tagged {self.tag} now"
            return f"  add rule  {rule}   # {figures}, finds {self.fixes} missed; {site}"
        pages = "page" if self.fixes == 1 else "pages"
        return f"  weaken    {self.what}   # {figures}; fires on {self.fixes} {pages} a person untagged"


def words(text: str) -> list[str]:
    """The words of a text, lowercased, links left out."""
    return _WORD.findall(_LINK.sub(" ", text.lower()))


def phrases(text: str) -> set[str]:
    """Word runs of one to three words that neither start nor end with a glue word."""
    tokens = words(text)
    found = set()
    for n in (1, 2, 3):
        for i in range(len(tokens) - n + 1):
            run = tokens[i : i + n]
            if run[0] not in _GLUE and run[-1] not in _GLUE and len(run[0]) > 2:
                found.add(" ".join(run))
    return found


def suggest(labelled: list[Labelled], seen: list[Seen], tag: str, site: SitePages) -> list[Proposal]:
    """Phrases to add (from the papers the rules miss) and rules to weaken, best first.

    `seen`: `examine(tagger, labelled)`, computed once for every tag; `site`: every page.
    """
    having = [tag in p.tags for p in labelled]
    total = sum(having)
    missed = [i for i, s in enumerate(seen) if having[i] and tag not in s.got]
    wrong = [i for i, s in enumerate(seen) if not having[i] and tag in s.got]
    page_phrases = [s.phrases for s in seen]
    base = sum(tag in tags for tags in site.tags) / max(len(site.tags), 1)  # the tag's share of the site
    needed = min(MIN_LIFT * base, (1 + base) / 2)  # its share among a phrase's pages
    in_missed: Counter[str] = Counter(ph for i in missed for ph in page_phrases[i])
    proposals = []
    for phrase, fixes in in_missed.items():
        if fixes < MIN_PAGES:
            continue
        fires = [i for i, found in enumerate(page_phrases) if phrase in found]
        right = sum(having[i] for i in fires)
        precision = right / len(fires)
        if precision < MIN_PRECISION:
            continue
        on_site = site.firing(phrase)
        tagged = sum(tag in site.tags[i] for i in on_site)
        if tagged < needed * len(on_site):
            continue
        recall = right / total if total else 0.0
        proposals.append(
            Proposal(
                tag,
                "add",
                phrase,
                precision,
                recall,
                len(fires),
                fixes,
                len(on_site),
                tagged,
                len(site.texts),
            )
        )
    proposals.sort(
        key=lambda p: (-p.fixes, -p.site_tagged / max(p.site_pages, 1), p.site_pages, len(p.what), p.what)
    )
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

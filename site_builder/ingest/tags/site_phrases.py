"""The words and phrases of the site's pages, as a proposed tag rule is counted against them
(tags/suggest.py): which pages a phrase occurs in, and what a rule added or taken away would
do to their tags as ingest would choose them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from site_builder.core.taxonomy import Rule
from site_builder.ingest.tags.tagger import Tagger, TagScore

_WORD = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_LINK = re.compile(r"(?:https?://|www\.)\S+")
_GLUE_TEXT = """
    a an and are as at be by for from has have in is it its of on or our that the their this to
    was we were with which these those into than can also not using based via large language
    model models llm llms paper propose proposed approach method methods results show
"""
_GLUE = frozenset(_GLUE_TEXT.split())


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


@dataclass(frozen=True)
class SitePages:
    """The site's pages no person labelled, as a phrase is counted against them: their words,
    their tags now, and their text (the labelled pages are what a proposal is fitted to, so
    they cannot also vouch for it)."""

    texts: list[str]  # each page's words, space-separated, with a space at both ends
    tags: list[frozenset[str]]
    pages_with: dict[str, set[int]]  # word, and each part of a hyphenated word → its pages
    raw: list[tuple[str, str]] = field(default_factory=list)  # (title, abstract)
    scores: dict[tuple[int, int], list[TagScore]] = field(default_factory=dict)  # (tagger, page): when asked

    @classmethod
    def of(cls, pages: list[tuple[str, str, frozenset[str]]]) -> SitePages:
        """From (title, abstract, tags) of every page."""
        texts: list[str] = []
        pages_with: dict[str, set[int]] = {}
        for i, (title, abstract, _) in enumerate(pages):
            found = words(f"{title} {abstract}")
            texts.append(f" {' '.join(found)} ")
            for word in {part for w in found for part in (w, *w.split("-"))}:
                pages_with.setdefault(word, set()).add(i)
        return cls(texts, [tags for _, _, tags in pages], pages_with, [(t, a) for t, a, _ in pages])

    def firing(self, phrase: str) -> list[int]:
        """The pages the phrase occurs in, as words (its rule, `\\bphrase\\b`, also matches
        inside a hyphenated word: "tuning" in "fine-tuning", which this does not count)."""
        parts = phrase.split()
        pages = set.intersection(*(self.pages_with.get(w, set()) for w in parts))
        pages = {i for i in pages if f" {phrase} " in self.texts[i]}
        return sorted(pages)

    def effect(self, tagger: Tagger, rule: Rule, tag: str) -> tuple[int, int, int]:
        """What accepting `rule` for `tag` does to these pages, as ingest would tag them: the
        pages its pattern matches (as RE2 does: also inside "self-supervised"), those that
        newly get the tag, and the other tags it takes off (`max_tags` keeps the best)."""
        parts = [w for w in words(rule.pattern.replace("\\b", " ")) if w]
        candidates = set.intersection(*(self.pages_with.get(w, set()) for w in parts)) if parts else set()
        matched = gained = displaced = 0
        for i in sorted(candidates):
            points = tagger.rule_points(rule, *self.raw[i])
            if not points:
                continue
            matched += 1
            scores = self._scored(tagger, i)
            before, after = set(tagger.chosen(scores)), set(tagger.chosen_with(scores, tag, points))
            gained += tag in after - before
            displaced += len(before - after - {tag})
        return matched, gained, displaced

    def _scored(self, tagger: Tagger, page: int) -> list[TagScore]:
        """A page's scores under `tagger`, each page scored once for every proposal."""
        key = (id(tagger), page)
        if key not in self.scores:
            self.scores[key] = tagger.score_all(*self.raw[page])
        return self.scores[key]

    def removal_effect(self, tagger: Tagger, tag: str, place: int) -> tuple[int, int]:
        """What taking the tag's rule number `place` away does to these pages, as ingest
        would tag them: the pages it scores on, and those that then lose the tag."""
        number = next(
            n
            for n, (t, at) in enumerate(tagger.owners)
            if tagger.taxonomy.tags[t].name == tag and at == place
        )
        matched = lost = 0
        for i, (title, abstract) in enumerate(self.raw):
            text = tagger.text(title, abstract)
            if number not in text.in_title and number not in text.in_abstract:
                continue  # its pattern cannot match here
            scores = self._scored(tagger, i)
            points = sum(h.points for s in scores if s.tag == tag for h in s.hits if h.rule == place)
            if points > 0:
                matched += 1
                lost += tag in tagger.chosen(scores) and tag not in tagger.chosen_with(scores, tag, -points)
        return matched, lost

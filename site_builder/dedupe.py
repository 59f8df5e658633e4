"""Entry list → Paper list: one paper per real paper, however many dumps list it.

Two entries are the same paper when their abstracts are near-identical — whatever the
titles say (a retitled paper keeps its newest title and lists the others as aliases).
A shared title with an unrelated abstract is two papers. Candidate pairs come from an
index (title key, the abstract's opening, a bottom-k sketch of its word shingles), so the
cost grows with the number of entries, not its square.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from site_builder.model import Entry, ListingDate, Paper

QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″"})
DASHES = re.compile(r"[‐‑‒–—―−﹘﹣－]")
WORD = re.compile(r"\w+")
SHINGLE = 3
SKETCH = 4  # bottom-k hashes per abstract
OPENING = 2  # leading shingles used as keys (truncated copies share the opening)
MAX_POSTING = 64  # a key shared by more distinct abstracts than this is boilerplate
CONTAINMENT = 0.7  # shingles of the shorter abstract found in the longer one


def title_key(title: str) -> str:
    """The form under which title variants compare equal (case, quotes, dashes, spaces, final dot)."""
    text = unicodedata.normalize("NFKC", title).casefold().translate(QUOTES)
    text = DASHES.sub("-", text)
    text = " ".join(text.split())
    return text.rstrip(" .,;:!?")


def words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def shingles(tokens: tuple[str, ...]) -> list[int]:
    """Hashes of consecutive word triples, in text order (crc32: stable across runs)."""
    if len(tokens) < SHINGLE:
        return [zlib.crc32(" ".join(tokens).encode())] if tokens else []
    return [zlib.crc32(" ".join(tokens[i : i + SHINGLE]).encode()) for i in range(len(tokens) - SHINGLE + 1)]


@dataclass
class _Variant:
    """Entries with the same title key and the same abstract text: compared once."""

    key: str
    tokens: tuple[str, ...]
    shingles: frozenset[int]
    entries: list[Entry]


def near_identical(a: _Variant, b: _Variant) -> bool:
    """Same abstract up to truncation, small edits or a changed URL."""
    short, long_ = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    if not short.tokens:
        return False
    same_title = a.key == b.key
    # A truncated copy: the shorter is the start of the longer (its last word may be cut).
    n = len(short.tokens)
    if n >= 12 or same_title:
        head = short.tokens[:-1] if n > 1 else short.tokens
        if long_.tokens[: len(head)] == head:
            return True
    if len(short.shingles) < 5:
        return False
    shared = len(short.shingles & long_.shingles)
    return shared / len(short.shingles) >= CONTAINMENT


def _keys(v: _Variant, ordered: list[int]) -> Iterable[tuple[str, object]]:
    yield ("t", v.key)
    for h in ordered[:OPENING]:
        yield ("o", h)
    for h in sorted(v.shingles)[:SKETCH]:
        yield ("m", h)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


@dataclass(frozen=True)
class Merge:
    """One entry folded into a paper, and why (for the ingest summary)."""

    reason: str  # "same entry", "title variant", "abstract variant", "retitled"
    title: str  # the paper's title
    other: str  # the merged entry's title
    where: str  # file:line of the merged entry


@dataclass(frozen=True)
class DedupeResult:
    papers: list[Paper]
    merges: list[Merge]
    kept_apart: list[tuple[str, int]]  # (title, number of papers) sharing a title


def _variants(entries: list[Entry]) -> list[_Variant]:
    groups: dict[tuple[str, tuple[str, ...]], list[Entry]] = {}
    for e in sorted(entries, key=lambda e: e.source):
        tokens = words(e.abstract)
        groups.setdefault((title_key(e.title), tokens), []).append(e)
    return [_Variant(k, t, frozenset(shingles(t)), es) for (k, t), es in groups.items()]


def _clusters(variants: list[_Variant]) -> list[list[_Variant]]:
    uf = _UnionFind(len(variants))
    postings: dict[tuple[str, object], list[int]] = defaultdict(list)
    for i, v in enumerate(variants):
        for key in set(_keys(v, shingles(v.tokens))):
            postings[key].append(i)
    checked: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) > MAX_POSTING:
            continue
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                if (i, j) in checked or uf.find(i) == uf.find(j):
                    continue
                checked.add((i, j))
                if near_identical(variants[i], variants[j]):
                    uf.union(i, j)
    groups: dict[int, list[_Variant]] = defaultdict(list)
    for i, v in enumerate(variants):
        groups[uf.find(i)].append(v)
    return list(groups.values())


def _recency(e: Entry) -> tuple[ListingDate, str, int]:
    return (ListingDate.parse(e.source.listed) or ListingDate(0, 0), e.source.file, e.source.line)


def _complete(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ")", '"', "'"))


def _paper(cluster: list[_Variant], merges: list[Merge]) -> Paper:
    entries = sorted((e for v in cluster for e in v.entries), key=lambda e: e.source)
    newest = max(entries, key=_recency)
    # Longest in words, so a changed URL or a typo fix does not outrank the newest copy.
    best = max(entries, key=lambda e: (_complete(e.abstract), len(words(e.abstract)), _recency(e)))
    canonical_key = title_key(newest.title)
    aliases: dict[str, str] = {}
    for e in sorted(entries, key=_recency, reverse=True):
        k = title_key(e.title)
        if k != canonical_key:
            aliases.setdefault(k, e.title)
    for e in entries:
        if e is newest:
            continue
        if title_key(e.title) != canonical_key:
            reason = "retitled"
        elif e.abstract != newest.abstract:
            reason = "abstract variant"
        elif e.title != newest.title:
            reason = "title variant"
        else:
            reason = "same entry"
        merges.append(Merge(reason, newest.title, e.title, f"{e.source.file}:{e.source.line}"))
    return Paper(
        title=newest.title,
        abstract=best.abstract,
        sources=tuple(e.source for e in entries),
        aliases=tuple(sorted(aliases.values(), key=title_key)),
    )


def dedupe(entries: list[Entry]) -> DedupeResult:
    """Group entries into papers; papers come out in order of their first source."""
    merges: list[Merge] = []
    papers = [_paper(c, merges) for c in _clusters(_variants(entries))]
    papers.sort(key=lambda p: p.sources[0])
    by_key: dict[str, list[str]] = defaultdict(list)
    for p in papers:
        by_key[title_key(p.title)].append(p.title)
    kept_apart = sorted((titles[0], len(titles)) for titles in by_key.values() if len(titles) > 1)
    return DedupeResult(papers, merges, kept_apart)

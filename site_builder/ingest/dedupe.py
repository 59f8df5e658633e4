"""Entry list → Paper list: one paper per real paper, however many dumps list it.

Two entries are the same paper when their abstracts are near-identical — whatever the
titles say (a retitled paper keeps its newest title and lists the others as aliases).
A shared title with an unrelated abstract is two papers. Candidate pairs come from an
index — the title key, the abstract's opening, and locality-sensitive bands of a
one-permutation MinHash signature of its word triples — so the cost grows with the
number of entries, not its square, and only candidates are compared word by word.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from site_builder.core.model import Entry, Paper
from site_builder.core.text import title_key

WORD = re.compile(r"\w+")
BINS = 16  # signature size: the smallest shingle hash in each of 16 ranges of hash values
BAND = 2  # signature values per LSH band: similar abstracts share a band with high probability
# A candidate is compared word by word when its estimated Jaccard similarity reaches this
# (lower for candidates that share a title or an opening: a truncated copy is less similar).
ESTIMATE = {"b": 0.4, "t": 0.25, "o": 0.25}
MAX_POSTING = 64  # a key shared by more distinct abstracts than this is boilerplate
CONTAINMENT = 0.7  # shingles of the shorter abstract found in the longer one


def words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


class _WordHashes(dict[str, int]):
    """crc32 of each distinct word, computed once (stable across runs, unlike hash())."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


def shingle_hashes(tokens: tuple[str, ...], word_hashes: dict[str, int]) -> list[int]:
    """Hashes of consecutive word triples, in text order.

    Words are crc32'd once each; a triple is hashed as a tuple of ints, which Python hashes
    the same in every run (only str and bytes hashing is randomised), all in C.
    """
    ids = list(map(word_hashes.__getitem__, tokens))
    if len(ids) < 3:
        ids += [0] * (3 - len(ids)) if ids else []
    return list(map(hash, zip(ids, ids[1:], ids[2:], strict=False)))


_BOUNDS = [-(1 << 63) + (b << 60) for b in range(BINS)]  # BINS equal ranges of 64-bit hashes


def signature(hashes: list[int]) -> tuple[int, ...]:
    """One-permutation MinHash: the smallest hash in each of BINS ranges (-1 when empty)."""
    ordered = sorted(set(hashes))
    sig = []
    for b, low in enumerate(_BOUNDS):
        i = bisect_left(ordered, low)
        high = _BOUNDS[b + 1] if b + 1 < BINS else 1 << 63
        sig.append(ordered[i] if i < len(ordered) and ordered[i] < high else -1)
    return tuple(sig)


def estimated_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    filled = [(x, y) for x, y in zip(a, b, strict=True) if x != -1 or y != -1]
    return sum(x == y for x, y in filled) / len(filled) if filled else 0.0


@dataclass
class _Variant:
    """Entries with the same title key and the same abstract words: compared once."""

    key: str
    entries: list[Entry]
    text: str  # the abstract's words, normalised, joined by single spaces
    opening: tuple[int, ...]  # the first two shingle hashes
    sig: tuple[int, ...]


def is_truncated_copy(a: str, b: str, same_title: bool) -> bool:
    """One normalised abstract is the start of the other (its last word may be cut)."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not short or (not same_title and short.count(" ") < 11):
        return False
    head = short.rsplit(" ", 1)[0] if " " in short else short
    return long_.startswith(head) and (len(long_) == len(head) or long_[len(head)] == " ")


def near_identical(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same abstract up to small edits or a changed URL: most word triples of the shorter recur."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    n = len(short)
    if n < 7:
        return False
    triples = {short[i : i + 3] for i in range(n - 2)}
    shared = triples & {long_[i : i + 3] for i in range(len(long_) - 2)}
    return len(shared) / len(triples) >= CONTAINMENT


def _keys(v: _Variant) -> Iterator[tuple[object, ...]]:
    yield ("t", v.key)
    if v.opening:
        yield ("o", *v.opening)
    for i in range(0, BINS, BAND):
        band = v.sig[i : i + BAND]
        if -1 not in band:
            yield ("b", i, *band)


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


# What dedupe compares of an abstract: its words (normalised, joined by single spaces), the
# first two shingle hashes and the MinHash signature.
Fingerprint = tuple[str, tuple[int, ...], tuple[int, ...]]
Fingerprints = Callable[[str], Fingerprint]


def fingerprint(abstract: str, word_hashes: dict[str, int] | None = None) -> Fingerprint:
    """An abstract's fingerprint: a function of its text alone, so it may be kept between runs."""
    tokens = words(abstract)
    hashes = shingle_hashes(tokens, _WordHashes() if word_hashes is None else word_hashes)
    return " ".join(tokens), tuple(hashes[:2]), signature(hashes)


def fingerprints() -> Fingerprints:
    """`fingerprint` for one run: each distinct abstract once, one table of word hashes."""
    word_hashes = _WordHashes()
    seen: dict[str, Fingerprint] = {}

    def of(abstract: str) -> Fingerprint:
        found = seen.get(abstract)
        if found is None:
            found = seen[abstract] = fingerprint(abstract, word_hashes)
        return found

    return of


def _variants(entries: list[Entry], prints: Fingerprints) -> list[_Variant]:
    variants: dict[tuple[str, str], _Variant] = {}
    for e in sorted(entries, key=lambda e: e.source):
        text, opening, sig = prints(e.abstract)
        group = (title_key(e.title), text)
        if group in variants:
            variants[group].entries.append(e)
            continue
        variants[group] = _Variant(group[0], [e], text, opening, sig)
    return list(variants.values())


def _clusters(variants: list[_Variant]) -> list[list[_Variant]]:
    uf = _UnionFind(len(variants))
    postings: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, v in enumerate(variants):
        for key in _keys(v):
            postings[key].append(i)
    checked: set[tuple[int, int]] = set()
    for key, ids in postings.items():
        if len(ids) > MAX_POSTING:
            continue
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                if (i, j) in checked or uf.find(i) == uf.find(j):
                    continue
                checked.add((i, j))
                a, b = variants[i], variants[j]
                if is_truncated_copy(a.text, b.text, a.key == b.key) or (
                    estimated_jaccard(a.sig, b.sig) >= ESTIMATE[str(key[0])]
                    and near_identical(tuple(a.text.split(" ")), tuple(b.text.split(" ")))
                ):
                    uf.union(i, j)
    groups: dict[int, list[_Variant]] = defaultdict(list)
    for i, v in enumerate(variants):
        groups[uf.find(i)].append(v)
    return list(groups.values())


def _recency(e: Entry) -> tuple[str, str, int]:
    """How recent a listing is: ISO dates (`2025-03-12`, or `--03-12` before years are
    resolved) sort as text; undated ("") sorts oldest."""
    return (e.source.listed, e.source.file, e.source.line)


def _complete(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ")", '"', "'"))


def _paper(cluster: list[_Variant], merges: list[Merge]) -> Paper:
    entries = sorted((e for v in cluster for e in v.entries), key=lambda e: e.source)
    newest = max(entries, key=_recency)
    # Longest in words, so a changed URL or a typo fix does not outrank the newest copy.
    size = {id(e): v.text.count(" ") + 1 for v in cluster for e in v.entries}
    best = max(entries, key=lambda e: (_complete(e.abstract), size[id(e)], _recency(e)))
    key_of = {id(e): v.key for v in cluster for e in v.entries}  # a variant's entries share a title key
    canonical_key = key_of[id(newest)]
    aliases: dict[str, str] = {}
    for e in sorted(entries, key=_recency, reverse=True):
        k = key_of[id(e)]
        if k != canonical_key:
            aliases.setdefault(k, e.title)
    for e in entries:
        if e is newest:
            continue
        if key_of[id(e)] != canonical_key:
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
        aliases=tuple(aliases[k] for k in sorted(aliases)),  # each alias under its own title key
    )


def dedupe(entries: list[Entry], prints: Fingerprints | None = None) -> DedupeResult:
    """Group entries into papers; papers come out in order of their first source.

    `prints` gives an abstract's `fingerprint`, perhaps remembered from an earlier run."""
    merges: list[Merge] = []
    papers = [_paper(c, merges) for c in _clusters(_variants(entries, prints or fingerprints()))]
    papers.sort(key=lambda p: p.sources[0])
    by_key: dict[str, list[str]] = defaultdict(list)
    for p in papers:
        by_key[title_key(p.title)].append(p.title)
    kept_apart = sorted((titles[0], len(titles)) for titles in by_key.values() if len(titles) > 1)
    return DedupeResult(papers, merges, kept_apart)

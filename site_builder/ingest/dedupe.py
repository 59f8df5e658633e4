"""Entry list → Paper list: one paper per real paper, however many dumps list it.

Two entries are the same paper when their abstracts are near-identical — whatever the
titles say (a retitled paper keeps its newest title, the others its aliases, and the newest
authors given). A shared title with an unrelated abstract is two papers. Candidate pairs
come from an index — the title key, the abstract's opening, and locality-sensitive bands of
a one-permutation MinHash signature of its word triples (`fingerprints.py`) — so the cost
grows with the number of entries, not its square, and only candidates are compared word by word.

Papers are the connected components of "this pair matches", and whether a pair matches
depends on the two abstracts and the keys they share alone, never on the order entries
arrive in (a pair sharing several keys gets the lowest of their thresholds). So the index
(`DedupeIndex`) is kept between runs and extended: only a daily dump's new entries are
compared, against it and each other, with exactly the result a run from nothing gives.
Papers are then assembled from the components (cheap: most have a single entry).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from site_builder.core.model import Entry, Paper
from site_builder.core.runtime.hashing import TextKey, digest, text_key
from site_builder.core.text import title_key
from site_builder.ingest.fingerprints import BINS, Fingerprints, fingerprints, mix64
from site_builder.ingest.likeness import is_truncated_copy, near_identical, titles_allow
from site_builder.ingest.not_same import Apart, split_apart

BAND = 2  # signature values per LSH band: similar abstracts share a band with high probability
# A candidate is compared word by word when its estimated Jaccard similarity reaches this
# (lower for candidates that share a title or an opening: a truncated copy is less similar).
# A pair that shares several keys gets the lowest of their thresholds.
ESTIMATE = {"b": 0.4, "t": 0.25, "o": 0.25}
MAX_POSTING = 64  # a key shared by more distinct abstracts than this is boilerplate


@dataclass(frozen=True)
class Merge:
    """One entry folded into a paper, and why (for the ingest summary)."""

    reason: str  # "same entry", "title variant", "abstract variant", "retitled"
    title: str  # the paper's title
    other: str  # the merged entry's title
    where: str  # file:line of the merged entry


SLOTS = 2 + BINS // BAND  # keys per variant: its title key, its opening, one per band
# The threshold of each slot's key (see ESTIMATE).
SLOT_ESTIMATE = [ESTIMATE["t"], ESTIMATE["o"]] + [ESTIMATE["b"]] * (BINS // BAND)


def _key_row(key: str, opening: tuple[int, ...]) -> list[int]:
    """A variant's title and opening keys as nonzero 64-bit numbers (0: no opening). Tuples
    of ints hash the same in every run."""
    title = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return [int.from_bytes(title, "little", signed=True) or 1, (hash((-1, *opening)) or 1) if opening else 0]


def _band_keys(sigs: np.ndarray) -> np.ndarray:
    """Each variant's band keys (BAND signature values and the band's number mixed into one
    nonzero 64-bit number), 0 for a band with a missing value."""
    bands = sigs.reshape(len(sigs), BINS // BAND, BAND)
    mixed = np.broadcast_to(np.arange(BINS // BAND, dtype=np.uint64) + np.uint64(1), bands.shape[:2])
    for j in range(BAND):
        mixed = mix64(mixed, bands[:, :, j].view(np.uint64))
    keys = mixed.view(np.int64).copy()
    keys[keys == 0] = 1
    keys[(bands == -1).any(axis=2)] = 0
    return keys


class _Rebuild(Exception):
    """Kept matches may no longer hold: start the index again from nothing."""


@dataclass(eq=False)  # compared by identity: see IngestState.save
class DedupeIndex:
    """The matching graph of every entry seen, kept between runs (in ingest's state).

    Variants (entries with the same title key and the same abstract words) are numbered in
    the order they arrived, with their candidate keys and MinHash signature in arrays;
    `parent` is a union-find over them (a component's root is its lowest number). Entries
    are known by `entry_id`: an entry that is gone or changed (a dump edited or deleted, a
    date resolved differently) means the index is rebuilt, never patched."""

    entry_variant: dict[str, int] = field(default_factory=dict)
    group_variant: dict[tuple[str, str], int] = field(default_factory=dict)  # (title key, words digest)
    title_keys: list[str] = field(default_factory=list)
    keys: np.ndarray = field(default_factory=lambda: np.zeros((0, SLOTS), np.int64))
    sigs: np.ndarray = field(default_factory=lambda: np.zeros((0, BINS), np.int64))
    sizes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # words of each
    parent: list[int] = field(default_factory=list)

    def root(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def add(self, entries: list[Entry], ids: list[str], prints: Fingerprints) -> None:
        """Match the entries not yet in the index against it and each other."""
        first_new = len(self.title_keys)
        texts: dict[int, str] = {}
        rows: list[list[int]] = []
        sigs: list[tuple[int, ...]] = []
        fresh = [
            (e, entry_id)
            for e, entry_id in zip(entries, ids, strict=True)
            if entry_id not in self.entry_variant
        ]
        printed = prints([e.abstract for e, _ in fresh])
        for (e, entry_id), (text, opening, sig) in zip(fresh, printed, strict=True):
            key = title_key(e.title)
            group = (key, digest(text))
            v = self.group_variant.get(group)
            if v is None:
                v = self.group_variant[group] = len(self.title_keys)
                self.title_keys.append(key)
                self.parent.append(v)
                rows.append(_key_row(key, opening))
                sigs.append(sig)
                texts[v] = text
            self.entry_variant[entry_id] = v
        if not rows:
            return
        added = np.array(sigs, np.int64)
        self.keys = np.concatenate([self.keys, np.hstack([np.array(rows, np.int64), _band_keys(added)])])
        self.sigs = np.concatenate([self.sigs, added])
        words = [texts[v].count(" ") + 1 for v in range(first_new, len(self.title_keys))]
        self.sizes = np.concatenate([self.sizes, np.array(words, np.int64)])
        older, newer, threshold = self._candidates(first_new)
        estimate = self._estimates(older, newer)
        worth = (estimate >= threshold) | self._may_be_truncated(older, newer)
        texts.update(self._texts([a for a in older[worth].tolist() if a not in texts], entries, ids, prints))
        for a, b, least, guess in zip(
            older[worth].tolist(),
            newer[worth].tolist(),
            threshold[worth].tolist(),
            estimate[worth].tolist(),
            strict=True,
        ):
            ra, rb = self.root(a), self.root(b)
            if ra == rb:
                continue
            b_text, a_text = texts[b], texts[a]
            same_title = self.title_keys[a] == self.title_keys[b]
            shorter = int(min(self.sizes[a], self.sizes[b]))
            if not titles_allow(self.title_keys[a], self.title_keys[b], shorter):
                continue
            if is_truncated_copy(b_text, a_text, same_title) or (
                guess >= least
                and near_identical(tuple(b_text.split(" ")), tuple(a_text.split(" ")), same_title)
            ):
                self.parent[max(ra, rb)] = min(ra, rb)

    def _texts(
        self, wanted: list[int], entries: list[Entry], ids: list[str], prints: Fingerprints
    ) -> dict[int, str]:
        """The normalised words of the variants wanted, from any entry of each."""
        if not wanted:
            return {}
        first: dict[int, Entry] = {}
        for e, entry_id in zip(entries, ids, strict=True):
            first.setdefault(self.entry_variant[entry_id], e)
        variants = list(dict.fromkeys(wanted))
        printed = prints([first[v].abstract for v in variants])
        return {v: text for v, (text, _, _) in zip(variants, printed, strict=True)}

    def _estimates(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Each pair's estimated Jaccard similarity: of the signature bins either one fills,
        the share where both hold the same hash (0 when neither fills any)."""
        a, b = self.sigs[u], self.sigs[v]
        filled = ((a != -1) | (b != -1)).sum(axis=1)
        equal = ((a == b) & (a != -1)).sum(axis=1)
        estimate: np.ndarray = np.divide(equal, filled, out=np.zeros(len(u)), where=filled > 0)
        return estimate

    def _may_be_truncated(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """The pairs `is_truncated_copy` can hold for: a copy cut after its fourth word starts
        with the same two word triples (the opening key), and a shorter one needs the same title."""
        keys = self.keys
        same_opening = (keys[u, 1] == keys[v, 1]) & (keys[u, 1] != 0)
        short = (keys[u, 0] == keys[v, 0]) & (np.minimum(self.sizes[u], self.sizes[v]) < 5)
        return same_opening | short  # type: ignore[no-any-return]

    def _candidates(self, first_new: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs u < v, v new, that share a key no more than MAX_POSTING variants hold, with
        the lowest threshold of the keys they share; by (u, v). A key that held kept pairs
        and is now boilerplate raises `_Rebuild`."""
        count = len(self.keys)
        flat = self.keys.ravel()
        variant = np.repeat(np.arange(count), SLOTS)
        slot = np.tile(np.arange(SLOTS), count)
        present = flat != 0
        flat, variant, slot = flat[present], variant[present], slot[present]
        order = np.lexsort((variant, flat))  # by key, then variant
        flat, variant, slot = flat[order], variant[order], slot[order]
        starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
        sizes = np.diff(np.r_[starts, len(flat)])
        new = np.add.reduceat((variant >= first_new).astype(np.int64), starts)
        old = sizes - new
        if np.any((new > 0) & (old >= 2) & (old <= MAX_POSTING) & (sizes > MAX_POSTING)):
            raise _Rebuild
        us: list[int] = []
        vs: list[int] = []
        ts: list[float] = []
        chosen = (new > 0) & (sizes >= 2) & (sizes <= MAX_POSTING)
        for start, size in zip(starts[chosen].tolist(), sizes[chosen].tolist(), strict=True):
            members = variant[start : start + size].tolist()
            least = SLOT_ESTIMATE[int(slot[start])]
            for x in range(max(1, bisect_left(members, first_new)), size):
                us += members[:x]
                vs += [members[x]] * x
                ts += [least] * x
        pair = np.array(us, np.int64) * count + np.array(vs, np.int64)
        threshold = np.array(ts)
        order = np.lexsort((threshold, pair))  # by pair, its lowest threshold first
        pair, threshold = pair[order], threshold[order]
        first = np.r_[True, pair[1:] != pair[:-1]] if len(pair) else np.zeros(0, bool)
        return pair[first] // count, pair[first] % count, threshold[first]


@dataclass(frozen=True)
class DedupeResult:
    papers: list[Paper]
    merges: list[Merge]
    kept_apart: list[tuple[str, int]]  # (title, number of papers) sharing a title
    index: DedupeIndex  # to extend on the next run
    split: frozenset[tuple[int, str]] = frozenset()  # (correction's number, title key) that cut a paper


def entry_id(e: Entry, text_key: TextKey = text_key) -> str:
    """What identifies an entry to the index: all of it, its resolved date included."""
    s = e.source
    return digest(text_key(e.title, e.abstract), s.file, str(s.line), s.listed)


def dedupe(
    entries: list[Entry],
    prints: Fingerprints | None = None,
    earlier: DedupeIndex | None = None,
    text_key: TextKey = text_key,
    apart: Sequence[Apart] = (),
) -> DedupeResult:
    """Group entries into papers; papers come out in order of their first source.

    `prints` gives an abstract's `fingerprint`, perhaps remembered from an earlier run;
    `earlier` is a run's index, extended when every entry it holds is still here;
    `text_key`: `state.TextKeys`, which knows most entries' keys; `apart`: the pages'
    `not_same_as:` corrections, which cut papers after matching (the index never holds them)."""
    prints = prints or fingerprints()
    ids = [entry_id(e, text_key) for e in entries]
    index = earlier if earlier is not None and _extends(earlier, ids) else DedupeIndex()
    try:
        index.add(entries, ids, prints)
    except _Rebuild:
        index = DedupeIndex()
        index.add(entries, ids, prints)
    components: dict[int, dict[int, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for e, eid in zip(entries, ids, strict=True):
        v = index.entry_variant[eid]
        components[index.root(v)][v].append(e)
    groups, split = split_apart(list(components.values()), index.title_keys, apart)
    found = sorted((_paper(m, index) for m in groups), key=lambda f: f[0].sources[0])
    by_key: dict[str, list[str]] = defaultdict(list)
    for paper, _, key in found:
        by_key[key].append(paper.title)
    kept_apart = sorted((titles[0], len(titles)) for titles in by_key.values() if len(titles) > 1)
    return DedupeResult([f[0] for f in found], [m for f in found for m in f[1]], kept_apart, index, split)


def _extends(index: DedupeIndex, ids: list[str]) -> bool:
    """Every entry the index holds is among these (and these are distinct): only additions."""
    current = set(ids)
    return len(current) == len(ids) and current.issuperset(index.entry_variant)


def _recency(e: Entry) -> tuple[str, str, int]:
    """How recent a listing is: ISO dates (`2025-03-12`, or `--03-12` before years are
    resolved) sort as text; undated ("") sorts oldest."""
    return (e.source.listed, e.source.file, e.source.line)


def _complete(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ")", '"', "'"))


def _well_cased(newest: str, titles: list[str]) -> str:
    """The newest title, unless it is all one case (`llm-adapters: an adapter family …`, a
    paste that lost its capitals) and another listing of the same title (`titles`: those of
    its title key, oldest first) is in mixed case: then the latest such (`LLM-Adapters: An
    Adapter Family …`), as the authors cased it, not the paste (a reviewer's site lost it)."""
    if not _one_case(newest):
        return newest
    cased = [t for t in titles if not _one_case(t)]
    return cased[-1] if cased else newest


def _one_case(title: str) -> bool:
    """All lower case or all capitals (and some letters)."""
    return title.lower() != title.upper() and title in (title.lower(), title.upper())


def _paper(members: dict[int, list[Entry]], index: DedupeIndex) -> tuple[Paper, list[Merge], str]:
    """One component (its variants' entries) as a paper, what was merged into it, and its
    title key: the newest title, the best abstract."""
    keys = index.title_keys
    if len(members) == 1:
        ((v, only),) = members.items()
        if len(only) == 1:  # most papers: listed once
            (e,) = only
            return Paper(e.title, e.abstract, (e.source,), links=e.links, authors=e.authors), [], keys[v]
    # (entry, its title key, its words), in source order
    listed = sorted(
        ((e, keys[v], int(index.sizes[v])) for v, es in members.items() for e in es),
        key=lambda x: x[0].source,
    )
    newest, canonical_key, _ = max(listed, key=lambda x: _recency(x[0]))
    by_recency = sorted(listed, key=lambda x: _recency(x[0]))
    title = _well_cased(newest.title, [e.title for e, k, _ in by_recency if k == canonical_key])
    # The listing whose title the paper keeps: what the others are said to be merged into.
    kept = next(e for e, _, _ in reversed(by_recency) if e.title == title)
    # Longest in words, so a changed URL or a typo fix does not outrank the newest copy. (A
    # copy with a paragraph joined still wins: the join may be the abstract's own second
    # paragraph, which a copy that lost it would drop, links and all.)
    best = max(listed, key=lambda x: (_complete(x[0].abstract), x[2], _recency(x[0])))[0]
    aliases: dict[str, str] = {}
    if any(k != canonical_key for _, k, _ in listed):
        for e, k, _ in sorted(listed, key=lambda x: _recency(x[0]), reverse=True):
            if k != canonical_key:
                aliases.setdefault(k, e.title)
    merges = []
    for e, k, _ in listed:
        if e is kept:
            continue
        if k != canonical_key:
            reason = "retitled"
        elif e.abstract != kept.abstract:
            reason = "abstract variant"
        elif e.title != kept.title:
            reason = "title variant"
        else:
            reason = "same entry"
        merges.append(Merge(reason, title, e.title, f"{e.source.file}:{e.source.line}"))
    paper = Paper(
        title=title,
        abstract=best.abstract,
        sources=tuple(e.source for e, _, _ in listed),
        aliases=tuple(aliases[k] for k in sorted(aliases)),  # each alias under its own title key
        first_title=by_recency[0][0].title,
        links=tuple(dict.fromkeys(link for e, _, _ in listed for link in e.links)),
        authors=next((e.authors for e, _, _ in reversed(by_recency) if e.authors), ()),  # newest given
    )
    return paper, merges, canonical_key

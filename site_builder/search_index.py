"""Text analysis and the inverted index behind site search, in lunr.js's scoring model.

The browser searches with lunr.js; this module builds, directly and quickly, the index lunr's
Builder would build from the same terms (BM25 field vectors, term postings per field), so
that `to_lunr_json` loads in lunr.js and lunr.py alike. Tokenizing is our own and is
mirrored line for line in `themes/default/static/search-engine.js` (`words`): lunr's
default splits on hyphens only and trims differently in Python and JavaScript, while readers
search for `text-to-sql`, `gpt-4` and `lean4`. Stemming and stop words are lunr's.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from lunr.stemmer import porter_stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS

from site_builder.config import Taxonomy
from site_builder.model import Page

LUNR_VERSION = "2.3.9"  # the lunr.js schema version; package.json pins the same release
FIELDS: tuple[tuple[str, float], ...] = (("title", 10.0), ("body", 1.0), ("tags", 2.0))
"""Indexed fields and their boosts: a title match outranks an abstract-only match."""
K1, B = 1.2, 0.75  # lunr's BM25 defaults
MAX_WORD = 40  # longer "words" are URLs or junk; nobody types them

# A word is a run of letters and digits; apostrophes inside it vanish ("model's" → "models");
# hyphens and dots join words into a compound ("text-to-sql", "gpt-4", "qwen2.5").
_WORD = re.compile(r"[^\W_]+(?:[-.'’][^\W_]+)*")
_APOSTROPHE = re.compile("['’]")
_CONNECTOR = re.compile(r"[-.]")


def fold(text: str) -> str:
    """Lowercase without accents: `Schrödinger` and `schrodinger` are the same word."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def words(text: str) -> list[str]:
    """Surface words; a compound gives its parts and then the parts joined.

    `text-to-SQL` → text, to, sql, texttosql: the query `text-to-sql` (analysed the same
    way) finds it through the joined form, and `sql` alone still finds it too.
    """
    return [w for match in _WORD.findall(fold(text)) for w in split_compound(match)]


def split_compound(match: str) -> list[str]:
    parts = _CONNECTOR.split(_APOSTROPHE.sub("", match))
    if len(parts) > 1:
        parts.append("".join(parts))
    return [w for w in parts if len(w) <= MAX_WORD]


class Analyzer:
    """Words → index terms (stop words dropped, Porter-stemmed as lunr does), memoized:
    a corpus repeats its words, so each distinct word is analysed once."""

    def __init__(self) -> None:
        self.stems: dict[str, str] = {}  # every word analysed (stop words excluded) → its term
        self._terms: dict[str, list[str]] = {}  # a regex match (maybe a compound) → its terms

    def stem(self, word: str) -> str:
        stem = self.stems.get(word)
        if stem is None:
            stem = self.stems[word] = porter_stemmer.stem(word)
        return stem

    def term_counts(self, text: str) -> Counter[str]:
        """Index terms of `text` with their frequencies."""
        counts: Counter[str] = Counter()
        for match, n in Counter(_WORD.findall(fold(text))).items():
            terms = self._terms.get(match)
            if terms is None:
                words = split_compound(match)
                terms = self._terms[match] = [self.stem(w) for w in words if w not in STOP_WORDS]
            for term in terms:
                counts[term] += n
        return counts


def tag_text(page: Page, taxonomy: Taxonomy) -> str:
    """What the tags field holds: each tag's name and title, so `agents` finds the Agents tag."""
    parts = []
    for name in page.tags:
        tag = taxonomy.get(name)
        parts += [name, tag.title if tag else ""]
    return " ".join(parts)


def doc_order(pages: list[Page]) -> list[Page]:
    """Pages in document-id order: newest listing first, then by slug (input order never leaks)."""
    return sorted(pages, key=lambda p: (_newest_key(p), p.slug))


def _newest_key(page: Page) -> tuple[int, int]:
    newest = page.newest
    return (-newest.month, -newest.day) if newest else (1, 0)


@dataclass
class SearchIndex:
    """An inverted index over `docs` (doc id = position): what lunr's Builder computes."""

    docs: list[Page]
    terms: list[str]  # sorted; a term's lunr `_index` is its position
    postings: list[tuple[list[tuple[int, int]], ...]]  # per term, per field: (doc id, tf)
    lengths: list[tuple[int, ...]]  # per doc, per field: number of terms
    words: dict[str, str] = field(default_factory=dict)  # every indexed word → its term

    @property
    def fields(self) -> list[str]:
        return [name for name, _ in FIELDS]

    def average_lengths(self) -> list[float]:
        n = max(len(self.docs), 1)
        return [sum(d[f] for d in self.lengths) / n for f in range(len(FIELDS))]

    def idf(self, term: int) -> float:
        """lunr's idf: documents counted once per field they have the term in."""
        with_term = sum(len(p) for p in self.postings[term])
        x = (len(self.docs) - with_term + 0.5) / (with_term + 0.5)
        return math.log(1 + abs(x))


def term_order(term: str) -> bytes:
    """Sort key for terms and words that JavaScript's default string sort agrees with."""
    return term.encode("utf-16-be")


def build_index(pages: list[Page], taxonomy: Taxonomy) -> SearchIndex:
    analyzer = Analyzer()
    docs = doc_order(pages)
    by_term: dict[str, tuple[list[tuple[int, int]], ...]] = {}
    lengths: list[tuple[int, ...]] = []
    for doc_id, page in enumerate(docs):
        texts = (page.title, page.body, tag_text(page, taxonomy))
        counts = [analyzer.term_counts(text) for text in texts]
        lengths.append(tuple(c.total() for c in counts))
        for f, counter in enumerate(counts):
            for term, tf in counter.items():
                posting = by_term.get(term)
                if posting is None:
                    posting = by_term[term] = tuple([] for _ in FIELDS)
                posting[f].append((doc_id, tf))
    terms = sorted(by_term, key=term_order)
    return SearchIndex(docs, terms, [by_term[t] for t in terms], lengths, analyzer.stems)


def js_round(x: float) -> float:
    """lunr.js keeps 3 decimals with Math.round (half up), which Python's round() is not."""
    return math.floor(x * 1000 + 0.5) / 1000


def field_scores(index: SearchIndex) -> list[dict[int, list[tuple[int, float]]]]:
    """Per field: doc id → [(term index, BM25 score × boost)], terms ascending (lunr's vectors)."""
    avg = index.average_lengths()
    vectors: list[dict[int, list[tuple[int, float]]]] = [{} for _ in FIELDS]
    for t, posting in enumerate(index.postings):
        idf = index.idf(t)
        for f, (_, boost) in enumerate(FIELDS):
            for doc, tf in posting[f]:
                # lunr's Builder, operation for operation, so the floats agree to the last bit
                length = index.lengths[doc][f]
                score = idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / avg[f])) + tf)
                score *= boost
                vectors[f].setdefault(doc, []).append((t, js_round(score)))
    return vectors


def to_lunr_json(index: SearchIndex) -> dict[str, object]:
    """The index in lunr's serialization (what `lunr.Index.load` reads), refs = doc ids."""
    names = index.fields
    inverted = []
    for t, term in enumerate(index.terms):
        posting: dict[str, object] = {"_index": t}
        for f, name in enumerate(names):
            posting[name] = {str(doc): {} for doc, _ in index.postings[t][f]}
        inverted.append([term, posting])
    scores = field_scores(index)
    vectors = []
    for doc in range(len(index.docs)):
        for f, name in enumerate(names):
            flat = [x for pair in scores[f].get(doc, []) for x in pair]
            vectors.append([f"{name}/{doc}", flat])
    return {
        "version": LUNR_VERSION,
        "fields": names,
        "fieldVectors": vectors,
        "invertedIndex": inverted,
        "pipeline": ["stemmer"],
    }

"""Text analysis and the inverted index behind site search, in lunr.js's scoring model.

The browser searches with lunr.js; this module builds, directly and quickly, the index lunr's
Builder would build from the same terms (BM25 field vectors, term postings per field), so
that the same postings load in lunr.js (tests/lunr_reference.py turns them into lunr's own
serialization and checks them against lunr.py). Tokenizing is our own and is
mirrored line for line in `themes/default/static/search-engine.js` (`words`): lunr's
default splits on hyphens only and trims differently in Python and JavaScript, while readers
search for `text-to-sql`, `gpt-4` and `lean4`. Stemming and stop words are lunr's.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from lunr.stemmer import porter_stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS

from site_builder.build.postings import FieldPostings, encoded_postings
from site_builder.core.config import Taxonomy
from site_builder.core.model import Page, newest_date

FIELDS: tuple[tuple[str, float], ...] = (("title", 10.0), ("body", 1.0), ("tags", 2.0))
"""Indexed fields and their boosts: a title match outranks an abstract-only match."""
K1, B = 1.2, 0.75  # lunr's BM25 defaults
MAX_WORD = 40  # longer "words" are URLs or junk; nobody types them

# A word is a run of letters and digits; apostrophes inside it vanish ("model's" → "models");
# hyphens and dots join words into a compound ("text-to-sql", "gpt-4", "qwen2.5").
_WORD = re.compile(r"[^\W_]+(?:[-.'’][^\W_]+)*")
_APOSTROPHE = re.compile("['’]")
_CONNECTOR = re.compile(r"[-.]")
_ASCII_PUNCTUATION = string.punctuation  # never part of a word at a token's edge


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
    parts = compound_parts(match)
    if len(parts) > 1:
        parts.append("".join(parts))
    return [w for w in parts if len(w) <= MAX_WORD]


def compound_parts(match: str) -> list[str]:
    """`text-to-SQL` → text, to, sql: the words a compound joins, without the joined form."""
    return _CONNECTOR.split(_APOSTROPHE.sub("", match))


def phrase_terms(text: str) -> list[str]:
    """The terms of a phrase in order, as a query sees them: compounds as their parts, no
    stop words (`Mixture-of-Experts` → mixtur, expert)."""
    return [
        porter_stemmer.stem(word)
        for match in _WORD.findall(fold(text))
        for word in compound_parts(match)
        if len(word) <= MAX_WORD and word not in STOP_WORDS
    ]


class _TokenTerms(dict[str, int | tuple[int, ...] | None]):
    """Whitespace-separated token → its term id, a tuple of ids, or None (no terms: stop
    words, punctuation). A token not seen before is analysed on lookup."""

    def __init__(self, analyse: Callable[[str], int | tuple[int, ...] | None]) -> None:
        super().__init__()
        self.analyse = analyse

    def __missing__(self, token: str) -> int | tuple[int, ...] | None:
        value = self[token] = self.analyse(token)
        return value


@dataclass
class Vocabulary:
    """What analysing a corpus's tokens found: kept between builds, so a build analyses only
    the tokens and words it has not seen (about a fifth of a cold index's time at 10,000
    papers; a day adds few new ones). Pure memo: the same token always gives the same words
    and stems."""

    tokens: dict[str, tuple[str, ...]] = field(default_factory=dict)  # token (not a plain word) → its words
    stems: dict[str, str] = field(default_factory=dict)  # word → its term


class Analyzer:
    """Text → index term ids with their frequencies, memoized per whitespace-separated token.

    A corpus repeats its tokens (`model`, `LLMs,`, `(e.g.`), so each distinct token is
    folded, split into words, stop-word filtered and stemmed once (or found in `known`, what
    an earlier build analysed); a text then costs one `str.split` and one dictionary lookup
    per token, counted in C. Splitting on whitespace first finds exactly the words `words()`
    finds in the whole text: no word or compound contains whitespace, and neither folding
    nor lowercasing looks across it.
    """

    def __init__(self, known: Vocabulary | None = None) -> None:
        self.stems: dict[str, str] = {}  # every word analysed (stop words excluded) → its term
        self.term_ids: dict[str, int] = {}  # term → id, in order of first appearance
        self.terms: list[str] = []  # id → term
        self.analysed = 0  # tokens and words not found in `known`
        self._known = known or Vocabulary()
        self._token_words: dict[str, tuple[str, ...]] = {}  # every token seen, not a plain word → its words
        self._tokens = _TokenTerms(self._analyse)
        self._word_ids: dict[str, int] = {}  # word → term id
        self._multi: set[tuple[int, ...]] = set()  # the tuples among the tokens' values

    def vocabulary(self) -> Vocabulary:
        """The tokens and words seen here, for the next build (what it no longer has is dropped)."""
        return Vocabulary(self._token_words, self.stems)

    def stem(self, word: str) -> str:
        stem = self.stems.get(word)
        if stem is None:
            stem = self._known.stems.get(word)
            if stem is None:
                stem = porter_stemmer.stem(word)
                self.analysed += 1
            self.stems[word] = stem
        return stem

    def _word_id(self, word: str) -> int:
        """A word's term id (not a stop word: `_words` dropped those)."""
        term_id = self._word_ids.get(word)
        if term_id is None:
            term = self.stem(word)
            term_id = self.term_ids.get(term)
            if term_id is None:
                term_id = self.term_ids[term] = len(self.terms)
                self.terms.append(term)
            self._word_ids[word] = term_id
        return term_id

    def _words(self, token: str) -> tuple[str, ...]:
        """A token's indexed words: not stop words, not longer than MAX_WORD. A plain word
        (most tokens) is cheap to see; any other token is looked up in what an earlier build
        analysed, else split with the regular expression and remembered."""
        core = token.strip(_ASCII_PUNCTUATION)
        if core.isascii() and core.isalnum():  # one plain word, maybe with punctuation around it
            word = core.lower()
            return (word,) if len(word) <= MAX_WORD and word not in STOP_WORDS else ()
        words = self._known.tokens.get(token)
        if words is None:
            found = (w for match in _WORD.findall(fold(token)) for w in split_compound(match))
            words = tuple(word for word in found if word not in STOP_WORDS)
            self.analysed += 1
        self._token_words[token] = words
        return words

    def _analyse(self, token: str) -> int | tuple[int, ...] | None:
        ids = [self._word_id(word) for word in self._words(token)]
        if len(ids) == 1:
            return ids[0]
        if not ids:
            return None
        self._multi.add(multi := tuple(ids))
        return multi

    def count(self, tokens: list[str]) -> dict[int, int]:
        """Term id → frequency in a text, given as its whitespace-separated tokens."""
        counts: Counter[int | tuple[int, ...] | None] = Counter(map(self._tokens.__getitem__, tokens))
        counts.pop(None, None)
        for ids in counts.keys() & self._multi:
            n = counts.pop(ids)
            for term_id in ids:  # type: ignore[union-attr]  # a key in _multi is a tuple
                counts[term_id] = counts.get(term_id, 0) + n
        return counts  # type: ignore[return-value]  # only term ids are left


def tag_text(page: Page, taxonomy: Taxonomy) -> str:
    """What the tags field holds: each tag's name and title, so `agents` finds the Agents tag."""
    parts = []
    for name in page.tags:
        tag = taxonomy.get(name)
        parts += [name, tag.title if tag else ""]
    return " ".join(parts)


def doc_order(pages: list[Page]) -> list[Page]:
    """Pages in document-id order: newest listing first, then by slug (input order never leaks)."""

    def newest_first(page: Page) -> tuple[int, int, str]:
        newest = newest_date(page.sources)
        if newest is None:
            return (1, 0, page.slug)
        return (0, -newest.toordinal(), page.slug)

    return sorted(pages, key=newest_first)


@dataclass
class SearchIndex:
    """An inverted index over `docs` (doc id = position): what lunr's Builder computes.

    Postings are kept encoded, as the term shards carry them: per field, the documents with
    the term in increasing order, each as its doc-id gap doubled, odd when a term frequency
    other than 1 follows, in `postings.varints`.
    """

    docs: list[Page]
    terms: list[str]  # sorted; a term's lunr `_index` is its position
    encoded: list[tuple[str, ...]]  # per term, per field: the encoded posting
    sizes: list[tuple[int, ...]]  # per term, per field: how many documents have the term
    lengths: list[tuple[int, ...]]  # per doc, per field: number of terms
    words: dict[str, str]  # every indexed word → its term
    bodies: list[str]  # per doc: the abstract as one line of text (for snippets)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)  # for the next build's Analyzer
    analysed: int = 0  # tokens and words the vocabulary given did not hold

    @property
    def fields(self) -> list[str]:
        return [name for name, _ in FIELDS]


def term_order(term: str) -> bytes:
    """Sort key for terms and words that JavaScript's default string sort agrees with."""
    return term.encode("utf-16-be")


def build_index(pages: list[Page], taxonomy: Taxonomy, known: Vocabulary | None = None) -> SearchIndex:
    """Analyse every page once, then encode every field's postings at once (`encoded_postings`);
    `known` is what an earlier build's analysis found (`SearchIndex.vocabulary`)."""
    analyzer = Analyzer(known)
    docs = doc_order(pages)
    postings = [FieldPostings() for _ in FIELDS]
    lengths: list[tuple[int, ...]] = []
    bodies: list[str] = []
    tag_counts: dict[tuple[str, ...], dict[int, int]] = {}  # pages share their tag sets
    for page in docs:
        body = page.body.split()
        bodies.append(" ".join(body))
        tags = tag_counts.get(page.tags)
        if tags is None:
            tags = tag_counts[page.tags] = analyzer.count(tag_text(page, taxonomy).split())
        counts = (analyzer.count(page.title.split()), analyzer.count(body), tags)
        lengths.append(tuple(sum(c.values()) for c in counts))
        for field_postings, field_counts in zip(postings, counts, strict=True):
            field_postings.add(field_counts)
    order = sorted(range(len(analyzer.terms)), key=lambda t: term_order(analyzer.terms[t]))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    fields = [encoded_postings(p, rank) for p in postings]
    return SearchIndex(
        docs=docs,
        terms=[analyzer.terms[t] for t in order],
        encoded=list(zip(*(encoded for encoded, _ in fields), strict=True)),
        sizes=list(zip(*(sizes for _, sizes in fields), strict=True)),
        lengths=lengths,
        words=analyzer.stems,
        bodies=bodies,
        vocabulary=analyzer.vocabulary(),
        analysed=analyzer.analysed,
    )

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
import struct
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np
from lunr.stemmer import porter_stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS

from site_builder.build.render.tex_text import tex_text
from site_builder.build.search.analysed import AnalysedTexts, compacted, text_marks
from site_builder.build.search.arxiv import ARXIV, arxiv_word
from site_builder.build.search.earlier_postings import (
    EarlierPostings,
    Signature,
    changed_documents,
    overlaid,
    touched,
)
from site_builder.build.search.postings import WordPostings
from site_builder.core.model import Page
from site_builder.core.pages.body import split_notes
from site_builder.core.runtime.hashing import digest
from site_builder.core.taxonomy import Taxonomy
from site_builder.core.text import fold, pieces

FIELDS: tuple[tuple[str, float], ...] = (("title", 10.0), ("body", 1.0), ("tags", 2.0))
"""Indexed fields and their boosts: a title match outranks an abstract-only match."""
AUTHORS = ("authors", 2.0)  # a field after those, in an index of a site where any paper has authors
K1, B = 1.2, 0.75  # lunr's BM25 defaults
MAX_WORD = 40  # longer "words" are URLs or junk; nobody types them

# A word is a run of letters and digits; apostrophes inside it vanish ("model's" → "models");
# hyphens and dots join words into a compound ("text-to-sql", "gpt-4", "qwen2.5").
_WORD = re.compile(r"[^\W_]+(?:[-.'’][^\W_]+)*")
_APOSTROPHE = re.compile("['’]")
# A one-letter elision before a word (O'Brien, d'Alembert, l'apprentissage; not I'm or M's)
# joins like a hyphen: `brien` finds O'Brien as `sql` finds text-to-SQL (it found nothing;
# `obrien` did). Any other apostrophe vanishes ("model's" → "models"). search-engine.js `ELISION` is the same.
_ELISION = re.compile(r"(^|[-.])([^\W\d_])['’](?=[^\W\d_]{3})")
_CONNECTOR = re.compile(r"[-.]")
_ASCII_PUNCTUATION = string.punctuation  # never part of a word at a token's edge


def words(text: str) -> list[str]:
    """Surface words; a compound gives its parts and then the parts joined.

    `text-to-SQL` → text, to, sql, texttosql: the query `text-to-sql` (analysed the same
    way) finds it through the joined form, and `sql` alone still finds it too.
    """
    return [
        w for match in _WORD.findall(fold(text)) for piece in pieces(match) for w in split_compound(piece)
    ]


def split_compound(match: str) -> list[str]:
    parts = compound_parts(match)
    if len(parts) > 1:
        parts.append("".join(parts))
    return [w for w in parts if len(w) <= MAX_WORD]


def compound_parts(match: str) -> list[str]:
    """`text-to-SQL` → text, to, sql: the words a compound joins, without the joined form
    (`O'Brien` → o, brien)."""
    return _CONNECTOR.split(_APOSTROPHE.sub("", _ELISION.sub(r"\1\2-", match)))


def phrase_terms(text: str) -> list[str]:
    """The terms of a phrase in order, as a query sees them: compounds as their parts, no
    stop words (`Mixture-of-Experts` → mixtur, expert)."""
    return [
        porter_stemmer.stem(word)
        for match in _WORD.findall(fold(text))
        for piece in pieces(match)
        for word in compound_parts(piece)
        if len(word) <= MAX_WORD and word not in STOP_WORDS
    ]


# Availability statements ("Code is available at https://github.com/...", "We release our code
# and data") and web addresses say where a paper's artefacts are, not what it is about: indexed,
# they made `code`, `data`, `models` and `github` topic words of a third of the abstracts.
_AVAILABILITY = re.compile(
    r"\b(?:code|codes|source|data|datasets?|models?|weights|checkpoints?|implementations?|benchmarks?"
    r"|resources?|materials?|demos?|toolkit|project|repository|contents|results|information)\b"
    r"[^.]{0,80}?\b(?:is|are|will\s+be|shall\s+be|has\s+been|have\s+been|be)\s+"
    r"(?:made\s+|plann?ed\s+to\s+be\s+)?(?:publicly\s+|freely\s+|openly\s+|now\s+|readily\s+)?"
    r"(?:available|avaliable|released|accessible|open[- ]?sourced?|provided|public|given)\b"
    r"|\bwe\s+(?:will\s+)?(?:publicly\s+|also\s+|further\s+|fully\s+)?"
    r"(?:release|open[- ]?source|make\s+(?:\w+,?\s+){0,6}(?:publicly\s+)?available)\b"
    r"|\b(?:project\s+page|website|code\s+for\s+reproduction)\s*:|\bavailable\s+(?:at|on|from|via)\b",
    re.IGNORECASE,
)
_AVAILABILITY_HINTS = ("availab", "releas", "open-sourc", "open sourc", "page:", "website:")
STATEMENT_WORDS = 16  # an availability statement is short: longer sentences with the words are kept ...
STATEMENT_WORDS_URL = 24  # ... unless they give an address
STATEMENT_TAIL = 600  # characters at the end of an abstract where statements are looked for


def is_address(token: str) -> bool:
    """A whitespace-separated token that is a web address (`https://github.com/...`,
    `www.example.org`): the index leaves it out wherever it is."""
    return "://" in token or "www." in token


def without_statements(body: str) -> str:
    """The body without availability statements: a sentence of at most STATEMENT_WORDS words
    (STATEMENT_WORDS_URL if it gives an address) saying code, data or models are released
    or available, or where. The page, its snippets and phrase checks keep the text as
    written.

    Statements close an abstract (in the bundled corpus, all within its last 220 characters),
    so only the sentences around a hint (`availab`, `releas`, ...) in the abstract's last
    STATEMENT_TAIL characters are read, found with `str.find`: splitting every abstract into
    sentences made the index build a third slower at 10,000 papers."""
    abstract = split_notes(body)[0]
    tail = max(0, len(abstract) - STATEMENT_TAIL)
    lowered = abstract[tail:].lower()
    spans: set[tuple[int, int]] = set()
    for hint in _AVAILABILITY_HINTS:
        at = lowered.find(hint)
        while at >= 0:
            start = abstract.rfind(". ", 0, tail + at)
            end = abstract.find(". ", tail + at)
            spans.add((0 if start < 0 else start + 2, len(abstract) if end < 0 else end + 1))
            at = lowered.find(hint, at + len(hint))
    kept, last = [], 0
    for start, end in sorted(spans):
        sentence = abstract[start:end]
        n = sentence.count(" ") + 1
        if start < last or n > STATEMENT_WORDS_URL or (n > STATEMENT_WORDS and "://" not in sentence):
            continue
        if _AVAILABILITY.search(sentence):
            kept.append(abstract[last:start])
            last = end
    return "".join(kept) + body[last:] if kept else body


class _TokenWords(dict[str, int | tuple[int, ...] | None]):
    """Whitespace-separated token → its word id, a tuple of ids, or None (no words: stop
    words, punctuation). A token not seen before is analysed on lookup."""

    def __init__(self, analyse: Callable[[str], int | tuple[int, ...] | None]) -> None:
        super().__init__()
        self.analyse = analyse

    def __missing__(self, token: str) -> int | tuple[int, ...] | None:
        value = self[token] = self.analyse(token)
        return value


class Analyzer:
    """Text → (word id, frequency) pairs, memoized per whitespace-separated token.

    A corpus repeats its tokens (`model`, `LLMs,`, `(e.g.`), so each distinct token is
    folded, split into words and stop-word filtered once, and each distinct word stemmed
    once; a text then costs one `str.split` and one dictionary lookup per token, counted in
    C. Splitting on whitespace first finds exactly the words `words()` finds in the whole
    text: no word or compound contains whitespace, and neither folding nor lowercasing looks
    across it. Words are counted, not terms, because the index lists its words too; words
    become terms (`models`, `modeling` → `model`) for the whole corpus at once.
    """

    def __init__(self, known: AnalysedTexts | None = None) -> None:
        known = known or AnalysedTexts()
        self.words = list(known.words)  # word id → word (never a stop word)
        self.stems = list(known.stems)  # word id → its term
        self._word_ids = {word: n for n, word in enumerate(self.words)}
        self._tokens = _TokenWords(self._analyse)
        self._multi: set[tuple[int, ...]] = set()  # the tuples among the tokens' values

    def _word_id(self, word: str) -> int:
        word_id = self._word_ids.get(word)
        if word_id is None:
            word_id = self._word_ids[word] = len(self.words)
            self.words.append(word)
            self.stems.append(porter_stemmer.stem(word))
        return word_id

    @staticmethod
    def _words(token: str) -> tuple[str, ...]:
        """A token's indexed words: not stop words, not longer than MAX_WORD. A plain word
        (most tokens) is cheap to see; any other token is split with the regular expression."""
        if is_address(token):
            return ()
        core = token.strip(_ASCII_PUNCTUATION)
        if core.isascii() and core.isalnum():  # one plain word, maybe with punctuation around it
            word = core.lower()
            return (word,) if len(word) <= MAX_WORD and word not in STOP_WORDS else ()
        found = (
            w
            for match in _WORD.findall(fold(token))
            for piece in pieces(match)
            for w in split_compound(piece)
        )
        return tuple(word for word in found if word not in STOP_WORDS)

    def _analyse(self, token: str) -> int | tuple[int, ...] | None:
        ids = [self._word_id(word) for word in self._words(token)]
        if len(ids) == 1:
            return ids[0]
        if not ids:
            return None
        self._multi.add(multi := tuple(ids))
        return multi

    def count(self, tokens: list[str]) -> dict[int, int]:
        """Word id → frequency in a text, given as its whitespace-separated tokens."""
        counts: Counter[int | tuple[int, ...] | None] = Counter(map(self._tokens.__getitem__, tokens))
        counts.pop(None, None)
        for ids in counts.keys() & self._multi:
            n = counts.pop(ids)
            for word_id in ids:  # type: ignore[union-attr]  # a key in _multi is a tuple
                counts[word_id] = counts.get(word_id, 0) + n
        return counts  # type: ignore[return-value]  # only word ids are left

    def pairs(self, text: str) -> bytes:
        """A text's word ids, then their frequencies, as int32 bytes (`AnalysedTexts` keeps them)."""
        counts = self.count(text.split())
        return struct.pack(f"{2 * len(counts)}i", *counts, *counts.values())


def tag_text(page: Page, taxonomy: Taxonomy) -> str:
    """What the tags field holds: each tag's name and title, so `agents` finds the Agents tag."""
    parts = []
    for name in page.tags:
        tag = taxonomy.get(name)
        parts += [name, tag.title if tag else ""]
    return " ".join(parts)


def indexed_abstract(body: str) -> str:
    """The abstract field's text: the body as pages show it (`na\\"ively` is the word
    naïvely), less its availability statements."""
    return without_statements(tex_text(body))


def searched_digest(page: Page) -> str:
    """A hash of what the search files read of a page: its slug, title, tags, abstract,
    listing days, authors and arXiv id (not the rest of its file). Kept with each parsed page, so a build
    keys the search files without reading every abstract again."""
    arxiv = filter(None, [arxiv_word(page)])  # a page without an id keeps the digest it had
    return digest(page.slug, page.title, repr(page.tags), repr(page.listed), page.body, *page.authors, *arxiv)


def doc_order(pages: list[Page]) -> list[Page]:
    """Pages in document-id order: newest listing first, then by slug (input order never leaks)."""

    def newest_first(page: Page) -> tuple[int, int, str]:
        newest = page.newest
        if newest is None:
            return (1, 0, page.slug)
        return (0, -newest.toordinal(), page.slug)

    return sorted(pages, key=newest_first)


@dataclass
class SearchIndex:
    """An inverted index over `docs` (doc id = position): what lunr's Builder computes.

    Postings are kept encoded, as the term shards carry them: per field, the documents with
    the term in increasing order, each as its doc-id gap doubled, odd when a term frequency
    other than 1 follows, in `search.postings.varints`.
    """

    docs: list[Page]
    terms: list[str]  # sorted; a term's lunr `_index` is its position
    encoded: list[tuple[str, ...]]  # per term, per field: the encoded posting
    sizes: list[tuple[int, ...]]  # per term, per field: how many documents have the term
    lengths: list[tuple[int, ...]]  # per doc, per field: number of terms
    words: dict[str, str]  # every indexed word → its term
    known: AnalysedTexts = field(default_factory=AnalysedTexts)  # this corpus's texts, for the next build
    analysed: int = 0  # papers whose title and abstract were not known already
    boosts: tuple[tuple[str, float], ...] = FIELDS  # indexed, with AUTHORS and ARXIV where any has them
    postings: EarlierPostings | None = None  # what the next build may keep of these postings

    @property
    def fields(self) -> list[str]:
        return [name for name, _ in self.boosts]


def term_order(term: str) -> bytes:
    """Sort key for terms and words that JavaScript's default string sort agrees with."""
    return term.encode("utf-16-be")


def js_sorted(texts: Iterable[str]) -> list[str]:
    """Sorted as `term_order` sorts them. Python's own order (by code point) is the same
    unless a character outside the BMP is compared with one from U+E000 up, so the key is
    used only for texts that have such characters."""
    result = sorted(texts)
    if max("".join(result), default="") > "\uffff":
        result.sort(key=term_order)
    return result


def build_index(
    pages: list[Page],
    taxonomy: Taxonomy,
    known: AnalysedTexts | None = None,
    searched: dict[str, str] | None = None,
    earlier: EarlierPostings | None = None,
) -> SearchIndex:
    """Analyse each paper's title and abstract (or find them in `known`, what earlier builds
    analysed), then turn every field's words into term postings at once, in numpy.
    `searched`: each page's `searched_digest` by slug, under which `known` keeps its text key;
    `earlier`: the last build's postings, of which those no changed paper touches are kept."""
    analyzer = Analyzer(known)
    kept = known.texts if known else {}
    texts: dict[str, tuple[bytes, bytes]] = {}
    docs = doc_order(pages)
    keys, marks = text_marks(docs, known.pages if known else {}, searched)
    ids = [arxiv for _, arxiv in keys]
    named = any(page.authors for page in docs)
    boosts = (*FIELDS, *([AUTHORS] if named else []), *([ARXIV] if any(ids) else []))
    fields: tuple[list[bytes], ...] = tuple([] for _ in boosts)
    tag_pairs: dict[tuple[str, ...], tuple[str, bytes]] = {}  # pages share their tag sets
    signatures: list[Signature] = []
    analysed = 0
    for page, (key, arxiv) in zip(docs, keys, strict=True):
        found = texts.get(key) or kept.get(key)
        if found is None:
            found = (analyzer.pairs(page.title), analyzer.pairs(indexed_abstract(page.body)))
            analysed += 1
        texts[key] = found
        tagged = tag_pairs.get(page.tags)
        if tagged is None:
            said = tag_text(page, taxonomy)
            tagged = tag_pairs[page.tags] = (said, analyzer.pairs(said))
        named_by, tags = " ".join(page.authors), tagged[1]
        signatures.append((key, tagged[0], named_by, arxiv))
        # names are few and short: analysed on every build
        authors = (analyzer.pairs(named_by),) if AUTHORS in boosts else ()
        arxivs = (analyzer.pairs(arxiv),) if ARXIV in boosts else ()
        for chunks, pairs in zip(fields, (*found, tags, *authors, *arxivs), strict=True):
            chunks.append(pairs)
    postings = [WordPostings.of(chunks) for chunks in fields]
    used = np.zeros(len(analyzer.words), bool)
    for field_postings in postings:
        used[field_postings.word] = True
    words = {analyzer.words[w]: analyzer.stems[w] for w in np.flatnonzero(used).tolist()}
    terms = js_sorted(set(words.values()))
    term_id = {term: n for n, term in enumerate(terms)}
    word_term = np.array([term_id.get(stem, -1) for stem in analyzer.stems], np.int64)
    lengths = [p.lengths() for p in postings]
    names = [name for name, _ in boosts]
    changed = changed_documents(earlier, names, signatures)
    wanted = None
    if earlier is not None and changed is not None:
        wanted = touched(analyzer.pairs, analyzer.stems, earlier, changed, fields, kept)
    if wanted is None or earlier is None:
        encoded = [p.encoded(word_term, len(terms)) for p in postings]
    else:
        places = np.array(sorted(term_id[t] for t in wanted if t in term_id), np.int64)
        encoded = [
            overlaid(earlier, f, terms, places, *p.encoded(word_term, len(terms), places))
            for f, p in enumerate(postings)
        ]
    made = EarlierPostings.of(names, signatures, terms, *zip(*encoded, strict=True))
    return SearchIndex(
        docs=docs,
        terms=terms,
        encoded=list(zip(*(e for e, _ in encoded), strict=True)),
        sizes=list(zip(*(sizes for _, sizes in encoded), strict=True)),
        lengths=list(zip(*lengths, strict=True)),
        words=words,
        known=compacted(AnalysedTexts(analyzer.words, analyzer.stems, texts, marks), used),
        analysed=analysed,
        boosts=boosts,
        postings=made,
    )

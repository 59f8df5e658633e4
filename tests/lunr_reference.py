"""The test oracle for the search index: our postings turned into lunr's own serialization.

`site_builder.build.search.index` encodes postings compactly for the browser; this module
decodes them and computes lunr's BM25 field vectors operation for operation, so the tests
can load the result in lunr.py and lunr.js and compare with a stock lunr index.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from site_builder.build.search.arxiv import arxiv_word
from site_builder.build.search.index import K1, B, SearchIndex, indexed_abstract, is_address, tag_text
from site_builder.build.search.postings import DIGITS
from site_builder.core.model import Page
from site_builder.core.taxonomy import Taxonomy

LUNR_VERSION = "2.3.9"  # the lunr.js schema version; package.json pins the same release


def without_addresses(text: str) -> str:
    """The text's tokens without web addresses, as the index reads it (the builder drops
    them while analysing each distinct token)."""
    return " ".join(token for token in text.split() if not is_address(token))


def indexed_texts(page: Page, taxonomy: Taxonomy, fields: Iterable[str] = ()) -> tuple[str, ...]:
    """What each field's words are read from, written out: the title, the abstract without
    availability statements, the tags' text, and of the `fields` named after those, the
    authors' names and the arXiv id's word; none with web addresses. (`build_index` gets the
    same words faster: the analyser drops addresses token by token.)"""
    more = {"authors": " ".join(page.authors), "arxiv": arxiv_word(page)}
    texts = (page.title, indexed_abstract(page.body), tag_text(page, taxonomy))
    return tuple(
        without_addresses(text) for text in (*texts, *(more[name] for name in fields if name in more))
    )


def encode_varint(n: int) -> str:
    """One number in the search files' digits, the plain way (the builder encodes in numpy)."""
    groups = [n & 31]
    n >>= 5
    while n:
        groups.append(n & 31)
        n >>= 5
    return "".join(DIGITS[g + 32] for g in reversed(groups[1:])) + DIGITS[groups[0]]


def decode_varints(text: str) -> list[int]:
    out, n = [], 0
    for char in text:
        v = DIGITS.index(char)
        if v >= 32:
            n = n * 32 + v - 32
        else:
            out.append(n * 32 + v)
            n = 0
    return out


def decode_posting(encoded: str) -> list[tuple[int, int]]:
    """The inverse of the posting encoding: [(doc id, term frequency)]."""
    out: list[tuple[int, int]] = []
    numbers = iter(decode_varints(encoded))
    doc = -1
    for code in numbers:
        doc += code >> 1
        out.append((doc, next(numbers) if code & 1 else 1))
    return out


def postings(index: SearchIndex) -> list[tuple[list[tuple[int, int]], ...]]:
    """Per term, per field: [(doc id, term frequency)], decoded."""
    return [tuple(decode_posting(p) for p in fields) for fields in index.encoded]


def average_lengths(index: SearchIndex) -> list[float]:
    n = max(len(index.docs), 1)
    return [sum(d[f] for d in index.lengths) / n for f in range(len(index.boosts))]


def idf(index: SearchIndex, term: int) -> float:
    """lunr's idf: documents counted once per field they have the term in."""
    with_term = sum(index.sizes[term])
    x = (len(index.docs) - with_term + 0.5) / (with_term + 0.5)
    return math.log(1 + abs(x))


def js_round(x: float) -> float:
    """lunr.js keeps 3 decimals with Math.round (half up), which Python's round() is not."""
    return math.floor(x * 1000 + 0.5) / 1000


def field_scores(index: SearchIndex) -> list[dict[int, list[tuple[int, float]]]]:
    """Per field: doc id → [(term index, BM25 score × boost)], terms ascending (lunr's vectors)."""
    avg = average_lengths(index)
    vectors: list[dict[int, list[tuple[int, float]]]] = [{} for _ in index.boosts]
    for t, posting in enumerate(postings(index)):
        term_idf = idf(index, t)
        for f, (_, boost) in enumerate(index.boosts):
            for doc, tf in posting[f]:
                # lunr's Builder, operation for operation, so the floats agree to the last bit
                length = index.lengths[doc][f]
                score = term_idf * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / avg[f])) + tf)
                score *= boost
                vectors[f].setdefault(doc, []).append((t, js_round(score)))
    return vectors


def to_lunr_json(index: SearchIndex) -> dict[str, object]:
    """The index in lunr's serialization (what `lunr.Index.load` reads), refs = doc ids."""
    names = index.fields
    decoded = postings(index)
    inverted = []
    for t, term in enumerate(index.terms):
        posting: dict[str, object] = {"_index": t}
        for f, name in enumerate(names):
            posting[name] = {str(doc): {} for doc, _ in decoded[t][f]}
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

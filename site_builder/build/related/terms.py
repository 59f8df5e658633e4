"""Related papers' text analysis: a paper as counts of stemmed terms, stored compactly.

Words are stemmed with Porter's stemmer, as site search stems them, and stop words (with
the words every abstract uses: model, method, results …) are dropped; title words count
twice and once more as title terms of their own (`title:quantiz`). related/method.py scores
papers from these counts; build/cache/related.py keeps them per page between builds.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import struct
from collections import Counter
from itertools import chain

import numpy as np
import numpy.typing as npt
from lunr.stemmer import porter_stemmer

from site_builder.core.model import Page
from site_builder.core.text import CJK_RUN, fold, letter_pairs, pieces

TITLE = "title:"  # prefix of a title word's own term
_WORD = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
_STOPWORD_TEXT = """
    a about above across after again against all almost also although always am among an and
    another any are around as at based be because been before being below between both but by
    can cannot could did do does doing done due during each either enough especially etc even
    ever every few first for from further furthermore given had has have having here hence how
    however i if in including into is it its itself just large less like made make makes making
    many may more moreover most much must new not novel of often on once one only or other our
    ours out over paper per propose proposed proposes present presents provide provides rather
    recent recently same several should show shows shown significantly since so some such than
    that the their them then there therefore these they this those through thus to together
    toward towards two under up upon us use used uses using various very via was we well were
    what when where whether which while who whose why will with within without would yet you
    approach approaches method methods model models results result work existing demonstrate
    achieve achieves across address task tasks study studies introduce introduces
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# The same words as pairs of CJK letters (study, method, model, propose, this paper, we,
# results, experiments, show, performance, based on, existing …): papers sharing only 研究
# were shown as related (a code review).
_CJK_STOP_PAIRS = """
    研究 方法 模型 提出 本文 我们 我們 结果 結果 实验 實驗 表明 性能 基于 基於 进行 通过
    現有 现有 显著 問題 问题
    手法 提案 本研 実験 示す 評価 既存 性能 によ より する した して され ける おけ での ある いる
    연구 방법 모델 제안 결과 실험 성능 기존 논문 우리 통해 기반 대한 있다 한다 하는 으로 에서
"""
# ... and the Arabic, Persian and Hebrew words every abstract uses, as search folds them.
_RTL_STOPWORDS = """
    في من على الى إلى عن مع هذا هذه التي الذي الذين ان أن إن كان كانت ما لا او أو ثم قد كما بين
    عند حيث ذلك تلك هو هي نحن نقترح نقدم دراسه طريقه نموذج نماذج نتائج ورقه بحث يمكن كل عبر خلال
    و در به از که این را با است برای آن یک های ها شده می ما ان روش مدل نتایج مقاله
    של את על עם זה זו אשר כי גם או אנו אנחנו מציעים מודל מודלים תוצאות שיטה במאמר הזה
    كبير كبيره بزرگ گسترده גדול גדולים מודלי
"""
# (put as search puts a word: `التي` is تي once its article is read off, as in an abstract)
STOPWORDS |= frozenset(_CJK_STOP_PAIRS.split())
STOPWORDS |= frozenset(pieces(fold(w))[0] for w in _RTL_STOPWORDS.split())
_LETTERS = re.compile(r"[^\W\d_]{2,}")  # a word's letters: not ، ؛ ؟ beside it
_RIGHT_TO_LEFT = re.compile("[\u0590-\u05ff\u0600-\u06ff]")


class _Stems(dict[str, str]):
    """word → its term: Porter's stem, as site search uses it (`preference` and `preferences`
    are one term), or "" for a stop word. Each word is stemmed once: looking a word up is
    several times cheaper than calling even a cached function for each of a million words."""

    def __missing__(self, word: str) -> str:
        term = self[word] = "" if word in STOPWORDS else str(porter_stemmer.stem(word))
        return term


_STEMS = _Stems()


def token_terms(token: str) -> tuple[str, ...]:
    """The terms of one whitespace-separated token (most have one or none): its words, and a
    run of CJK letters as its pairs of letters, as search reads them (a Chinese paper shared
    no term with another, and was shown none, or only those sharing an English word)."""
    lowered = token.lower()
    found = tuple(t for t in map(_STEMS.__getitem__, _WORD.findall(lowered)) if t)
    if lowered.isascii():
        return found
    if _RIGHT_TO_LEFT.search(lowered):  # Arabic, Persian, Hebrew: as search reads them, no stop words
        words = (p for w in _LETTERS.findall(fold(lowered)) if _RIGHT_TO_LEFT.match(w) for p in pieces(w))
        found += tuple(w for w in words if len(w) > 1 and w not in STOPWORDS)
    if not CJK_RUN.search(lowered):
        return found
    pairs = (pair for run in CJK_RUN.findall(lowered) for pair in letter_pairs(run))
    return found + tuple(pair for pair in pairs if pair not in STOPWORDS)


class _TokenTerms(dict[str, tuple[str, ...]]):
    """Token → its terms, each token analysed once: a corpus repeats its tokens (`model`,
    `LLMs,`, `(e.g.`), and running the expression over every abstract took 0.7 s of a cold
    build at 10,000 papers. A word never spans whitespace, nor does lowercasing look
    across it, so a text's terms are its tokens' terms in order."""

    def __missing__(self, token: str) -> tuple[str, ...]:
        found = self[token] = token_terms(token)
        return found


_TOKENS = _TokenTerms()


def terms(text: str) -> list[str]:
    """Stemmed lowercased words of two or more characters that carry meaning (no stop words)."""
    return list(chain.from_iterable(map(_TOKENS.__getitem__, text.split())))


def term_counts(page: Page) -> Counter[str]:
    """How often each term occurs in a page: title words twice, and once more as title terms."""
    title = terms(page.title)
    counts = Counter(title * 2 + terms(page.body))
    counts.update(TITLE + t for t in dict.fromkeys(title))  # in order: the same bytes in every process
    return counts


Doc = tuple[bytes, bytes]  # a document's term numbers and how often each occurs, as uint32


def doc_digest(doc: Doc) -> bytes:
    """A short hash of a document's counts: what tells a later computation it is unchanged.
    Always 16 bytes (`related.method.input_digest` joins them)."""
    return hashlib.blake2b(b"".join(doc), digest_size=16).digest()


class TermTable:
    """Every term once; a document's counts as two compact strings of numbers.

    Ten thousand Counters of a hundred terms each take hundreds of megabytes at 50,000
    papers; the same counts as uint32 bytes take a tenth, and keep between builds at the
    speed of a copy (arrays pickle and load several times slower).
    """

    def __init__(self) -> None:
        self.vocabulary: list[str] = []
        self._number: dict[str, int] = {}

    def encode(self, counts: Counter[str]) -> Doc:
        number = self._number
        self.extend([term for term in counts if term not in number])
        size = f"{len(counts)}I"
        return struct.pack(size, *map(number.__getitem__, counts)), struct.pack(size, *counts.values())

    def extend(self, terms: list[str]) -> None:
        """Number `terms` (new to the table) after the others, as `encode` would have."""
        self._number.update(
            zip(terms, range(len(self.vocabulary), len(self.vocabulary) + len(terms)), strict=True)
        )
        self.vocabulary += terms

    def __getstate__(self) -> list[str]:
        return self.vocabulary

    def __setstate__(self, vocabulary: list[str]) -> None:
        self.vocabulary = vocabulary
        self._number = {t: i for i, t in enumerate(vocabulary)}


def merged_vocabulary(
    vocabulary: list[str], rank: npt.NDArray[np.int64], added: list[str]
) -> tuple[list[str], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """A table's sorted vocabulary, once `added` terms (new to it) were numbered after its own:
    the sorted terms, each table number's place among them and each old place's new one,
    given the sorted `vocabulary` and `rank` (table number → place) it had. What sorting every
    term again and renumbering give, for the cost of sorting the added ones: a day's few
    hundred, where sorting all 63,000 took 27 ms at 10,000 papers and renumbering them 20."""
    order = sorted(range(len(added)), key=added.__getitem__)
    new = [added[i] for i in order]
    # Where each added term goes: after the old terms less than it (a table holds a term
    # once, so none equals it).
    at = np.array([bisect.bisect_left(vocabulary, term) for term in new], np.int64)
    merged: list[str] = []
    last = 0
    for place, term in zip(at.tolist(), new, strict=True):
        merged += vocabulary[last:place]
        merged.append(term)
        last = place
    merged += vocabulary[last:]
    # An old term moves up by the added terms before it; the j-th added term has j of them
    # and `at[j]` old terms before it.
    moved = np.arange(len(vocabulary)) + np.searchsorted(at, np.arange(len(vocabulary)), side="right")
    ranks = np.empty(len(rank) + len(added), np.int64)
    ranks[: len(rank)] = moved[rank]
    ranks[len(rank) + np.array(order, np.int64)] = at + np.arange(len(new))
    return merged, ranks, moved

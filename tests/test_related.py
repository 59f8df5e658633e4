"""Related papers: similar abstracts find each other through the inverted index."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.build.related import index as related_index
from site_builder.build.related import method as related
from site_builder.build.related import scoring as related_scoring
from site_builder.build.related import terms as related_terms
from site_builder.build.related.index import Postings
from site_builder.build.related.method import related_pages
from site_builder.build.related.terms import TermTable, term_counts, terms
from site_builder.core.model import Page, Source

TOPICS = {
    "kv": "kv cache quantization memory serving latency eviction tokens gpu throughput",
    "agents": "web agents planning tools environment browser actions tasks planner executor",
    "math": "math reasoning chain-of-thought problems arithmetic verifier steps solutions",
}


def corpus(per_topic: int = 6) -> list[Page]:
    rng = random.Random(7)
    pages = []
    for topic, words in TOPICS.items():
        vocab = words.split()
        for i in range(per_topic):
            body = " ".join(rng.choice(vocab) for _ in range(40))
            pages.append(Page(f"{topic}-{i}", f"{topic.title()} study {i}", body))
    return pages


def test_papers_on_the_same_topic_are_related() -> None:
    found = related_pages(corpus())
    for slug, others in found.items():
        assert 1 <= len(others) <= 5
        assert slug not in others
        assert {o.split("-")[0] for o in others} == {slug.split("-")[0]}, (slug, others)


CJK_TOPICS = {  # clauses as Chinese, Japanese and Korean abstracts write them, no spaces
    "zh-agents": "智能体长期记忆机制 多智能体协作框架 智能体规划工具调用 记忆检索与反思",
    "ja-quant": "量子化による軽量化 低ビット量子化の精度 重みの量子化誤差 推論の高速化",
    "ko-data": "사전학습데이터의중복제거 품질필터링 데이터정제파이프라인 중복문서탐지",
}


def test_chinese_japanese_and_korean_papers_on_one_topic_are_related() -> None:
    """A run of CJK letters is read as its pairs of letters, as search reads it: a Chinese
    paper shared no term with another and was shown none, or only those sharing an English
    word (42 of a reviewer's 76 CJK papers had no related paper)."""
    rng = random.Random(3)
    pages = []
    for topic, text in CJK_TOPICS.items():
        clauses = text.split()
        for i in range(5):
            body = "，".join(rng.choice(clauses) for _ in range(12))
            pages.append(Page(f"{topic}-{i}", f"{clauses[i % len(clauses)]}", body))
    found = related_pages(pages)
    for slug, others in found.items():
        assert others and {o.rsplit("-", 1)[0] for o in others} == {slug.rsplit("-", 1)[0]}, (slug, others)
    # Words every abstract uses are no terms, in those languages too (papers sharing only
    # 研究, "study", were shown as related: a code review).
    assert not {"研究", "提出", "方法", "本研"} & set(terms("本研究提出一种方法"))


RTL_TOPICS = {  # Arabic with its article written on, as abstracts write it
    "ar-translation": "الترجمة الآلية اللهجات العربية الترجمة العصبية المفردات النادرة",
    "ar-retrieval": "التوليد المعزز بالاسترجاع الاسترجاع الكثيف الفهرسة المستندات الطويلة",
    "ar-agents": "الوكلاء الأدوات التخطيط متعدد الخطوات البيئات التفاعلية الوكلاء",
}


def test_arabic_papers_on_one_topic_are_related() -> None:
    """Related papers read only Latin words: an Arabic paper was linked through GPT-4 or
    LoRA, or to none (a review for a right-to-left reading group). Its words are read as
    search reads them, the article and the words every abstract uses left out."""
    rng = random.Random(5)
    pages = []
    for topic, text in RTL_TOPICS.items():
        words = text.split()
        for i in range(5):
            body = " ".join(rng.choice(words) for _ in range(30)) + " نقترح في هذه الورقة نموذج"
            pages.append(Page(f"{topic}-{i}", words[i % len(words)], body))
    found = related_pages(pages)
    for slug, others in found.items():
        assert others and {o.rsplit("-", 1)[0] for o in others} == {slug.rsplit("-", 1)[0]}, (slug, others)
    assert terms("نقترح في هذه الورقة النماذج الكبيرة للترجمة") == ["ترجمه"]
    # Stop words as search reads them, the article off (`التي` linked papers through تي), and
    # a word's letters without the punctuation beside it (a code review).
    assert terms("التي الذي الذين ورقة") == []
    assert terms("الترجمة، الترجمة؟") == ["ترجمه", "ترجمه"]


def test_result_does_not_depend_on_input_order() -> None:
    pages = corpus()
    shuffled = pages[:]
    random.Random(1).shuffle(shuffled)
    assert related_pages(pages) == related_pages(shuffled)


def test_a_paper_sharing_no_salient_terms_has_no_related_papers() -> None:
    pages = [*corpus(), Page("loner", "Zebra xylophone", "zebra xylophone quokka")]
    assert related_pages(pages)["loner"] == []


def test_no_papers_or_one_paper() -> None:
    assert related_pages([]) == {}
    assert related_pages([Page("only", "A title", "an abstract")]) == {"only": []}


def test_papers_scored_in_slices_and_threads_get_the_same_links(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = sorted(corpus(per_topic=20), key=lambda p: p.slug)
    table = TermTable()
    docs = [table.encode(term_counts(p)) for p in pages]
    slugs, tags = [p.slug for p in pages], [p.tags for p in pages]
    alone = related.related_from_table(slugs, table, docs, tags)
    monkeypatch.setattr(related_index, "CHUNK", 7)
    monkeypatch.setattr(related, "SCORED_SLICE", 5)
    threaded = related.related_from_table(slugs, table, docs, tags, workers=3, parallel_from=1)
    assert threaded == alone and list(threaded) == slugs
    assert sum(map(len, alone.values())) > len(pages)  # links to compare, not empty lists


def test_a_paper_s_links_slack_and_candidates_do_not_depend_on_the_slice_it_is_scored_in() -> None:
    """Slices are only how many papers are scored at once (`SCORED_SLICE`): a paper's
    links, its slack and its candidates (what the next computation reads) come out the
    same whichever papers share its slice."""
    pages = sorted(corpus(per_topic=20), key=lambda p: p.slug)
    table = TermTable()
    docs = [table.encode(term_counts(p)) for p in pages]
    state = related.related_state([p.slug for p in pages], table, docs, [p.tags for p in pages])
    snapshot = state.snapshot
    postings = snapshot.postings(snapshot.vectors, related_index.POSTINGS_CAP)
    assert state.topics is not None
    scoring = related_scoring.Scoring(
        snapshot.vectors, postings, state.topics, related.TOP_K, related.QUERY_TERMS
    )
    todo = np.arange(len(pages))[::2]  # as a day's reach leaves them: some papers, not all

    def scored(size: int) -> tuple[object, ...]:
        parts = [scoring.links(todo[a : a + size]) for a in range(0, len(todo), size)]
        slack = [
            np.concatenate([getattr(s, f) for _, s, _ in parts]) for f in ("relative", "absolute", "floor")
        ]
        pairs = [np.concatenate([c[i] for _, _, c in parts]) for i in (0, 1)]
        return ([link for links, _, _ in parts for link in links], *(a.tobytes() for a in slack + pairs))

    whole = scored(len(todo))
    assert any(links for _, links in whole[0])  # links to compare
    for size in (1, 3, 7):
        assert scored(size) == whole


def test_stop_words_and_short_words_are_not_terms() -> None:
    assert terms("We propose a novel LLM method for the KV cache, e.g. in 2024.") == ["llm", "kv", "cach"]


@given(st.text(st.sampled_from([*"aeLMk09-.,(", " ", "\n", "\t", "\u2009", "\xa0", "Σ", "İ", "\u212a", "é"])))
def test_a_text_s_terms_are_its_tokens_terms(text: str) -> None:
    """Terms are found token by token (each distinct token analysed once): the same terms
    as the expression run over the whole lowercased text, whatever the whitespace."""
    whole = [related_terms._STEMS[w] for w in related_terms._WORD.findall(text.lower())]
    assert terms(text) == [t for t in whole if t]


def test_inflections_of_a_word_are_one_term() -> None:
    assert set(terms("decoding decoder decoders decoded")) == {"decod"}
    assert terms("agents agent") == ["agent", "agent"]
    assert set(terms("preference preferences")) == {"prefer"}  # split in two by a suffix strip


def test_a_shared_tag_ranks_a_paper_above_one_that_only_shares_words() -> None:
    body = "speculative decoding drafts tokens verified by the target model in parallel"
    pages = [
        Page("target", "Fast speculative decoding", body, ("inference",)),
        Page("same-topic", "Draft models for decoding", body + " cheaply", ("inference",)),
        Page("other-topic", "Draft essays for students", body + " quickly", ("applications",)),
    ]
    assert related_pages(pages)["target"] == ["same-topic", "other-topic"]


@pytest.mark.parametrize(
    ("scores", "links"),
    [
        ([0.9, 0.5, 0.4, 0.35, 0.31], 5),  # strong all along: five links
        ([0.9, 0.5, 0.26, 0.26, 0.25], 3),  # a fourth and fifth need STRONG_SCORE
        ([0.27, 0.26, 0.25], 3),  # three weak but sufficient links
        ([0.24], 0),  # under MIN_SCORE: nothing rather than a weak link
    ],
)
def test_a_page_shows_three_sufficient_links_and_more_only_if_strong(scores: list[float], links: int) -> None:
    scored = [(score, f"p{i}") for i, score in enumerate(scores)]
    assert related_scoring.shown(scored) == [f"p{i}" for i in range(links)]


def salient_vectors(pages: list[Page], per_doc: int = related_index.TERMS_PER_DOC) -> list[dict[str, float]]:
    """Each page's salient terms as the index holds them (term → weight)."""
    table = TermTable()
    docs = [table.encode(term_counts(p)) for p in pages]
    return related_index.salient_vectors(table, docs, per_doc).as_dicts()


def test_vectors_keep_the_top_terms_only_and_have_unit_length() -> None:
    vectors = salient_vectors(corpus(), per_doc=4)
    for vector in vectors:
        assert len(vector) <= 4
        assert abs(sum(w * w for w in vector.values()) - 1) < 1e-9


def postings(pages: list[Page], cap: int) -> Postings:
    table = TermTable()
    docs = [table.encode(term_counts(p)) for p in pages]
    return Postings.of(related_index.salient_vectors(table, docs), cap)


def test_postings_are_capped() -> None:
    pages = [Page(f"p{i}", "shared topic", f"shared topic words number{i % 3}") for i in range(50)]
    index = postings(pages, cap=10)
    assert int(max(index.start[1:] - index.start[:-1])) == 10


def test_not_all_pairs_are_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scoring visits only postings: with a cap of 3, a paper meets at most terms × 3 others."""
    pages = [Page(f"p{i:02d}", "common words", "common words everywhere plus more text") for i in range(40)]
    visited: list[int] = []
    original = Postings.of

    def counting(vectors: related_index.Vectors, cap: int) -> Postings:
        index = original(vectors, cap)
        visited.append(len(index.doc))
        return index

    monkeypatch.setattr(Postings, "of", counting)
    found = related_pages(pages, cap=3)
    assert visited and visited[0] <= 3 * len({t for v in salient_vectors(pages) for t in v})
    assert all(len(v) <= 5 for v in found.values())


def test_term_numbers_a_cache_remembers_do_not_change_the_links() -> None:
    """A cache numbers terms in the order it first met them; the links must not depend on it."""
    pages = sorted(corpus(per_topic=10), key=lambda p: p.slug)
    counts = [term_counts(p) for p in pages]
    fresh, seasoned = TermTable(), TermTable()
    seasoned.encode(Counter({t: 1 for c in reversed(counts) for t in sorted(c, reverse=True)}))
    slugs, tags = [p.slug for p in pages], [p.tags for p in pages]
    one = related.related_from_table(slugs, fresh, [fresh.encode(c) for c in counts], tags, per_doc=4)
    other = related.related_from_table(slugs, seasoned, [seasoned.encode(c) for c in counts], tags, per_doc=4)
    assert one == other and sum(map(len, one.values())) > len(pages)


def test_candidates_are_weighed_by_tags_before_the_full_score(monkeypatch: pytest.MonkeyPatch) -> None:
    """With room to rescore one candidate only, the paper sharing the tag is the one rescored,
    though a dozen papers share more words: tags can triple a score, so choosing by words
    alone would drop the paper they rank first."""
    body = "speculative decoding drafts tokens verified by the target model in parallel"
    same_words = [
        Page(f"words-{i:02d}", "Speculative decoding drafts", f"{body} essay{i}", ("applications",))
        for i in range(12)
    ]
    same_topic = Page(
        "topic", "Decoding drafts", "speculative decoding drafts tokens in parallel", ("inference",)
    )
    target = Page("target", "Speculative decoding drafts", body, ("inference",))
    monkeypatch.setattr(related_scoring, "RESCORED", 1)
    assert related_pages([target, same_topic, *same_words])["target"] == ["topic"]
    monkeypatch.setattr(related_scoring, "CANDIDATES", 1)
    assert related_pages([target, same_topic, *same_words])["target"] != ["topic"]


def _listed(page: Page, day: str) -> Page:
    return dataclasses.replace(page, sources=(Source("d.txt", 1, day),))


def test_weights_are_counted_over_the_papers_before_the_newest_month() -> None:
    older = [_listed(p, f"2025-{1 + n % 3:02d}-10") for n, p in enumerate(corpus(per_topic=4))]
    newest = [_listed(p, "2025-04-02") for p in corpus(per_topic=1)]
    undated = Page("undated", "A title", "an abstract")
    base = related.weight_base([*older, *newest, undated])
    assert base == [True] * len(older) + [False] * len(newest) + [True]
    # A young site, whose newest month is most of it, counts every paper.
    assert related.weight_base([*older[:2], *newest]) == [True] * (2 + len(newest))
    assert related.weight_base([undated]) == [True]


def test_a_new_day_leaves_the_weights_of_older_papers_as_they_were() -> None:
    """Papers added within the newest month move no older paper's vector, so no near-tie in
    an older paper's links is reordered by the day (counted over every paper, they move)."""
    pages = [_listed(p, "2025-03-10") for p in corpus(per_topic=8)]
    month = [
        _listed(Page(f"new-{i}", f"Kv study {i}", TOPICS["kv"] + f" cache {i}"), "2025-04-01")
        for i in range(3)
    ]
    day = [
        _listed(Page(f"day-{i}", f"Math study {i}", TOPICS["math"] + " steps"), "2025-04-02")
        for i in range(3)
    ]

    def vectors(papers: list[Page], frozen: bool) -> dict[str, dict[str, float]]:
        ordered = sorted(papers, key=lambda p: p.slug)
        table = TermTable()
        docs = [table.encode(term_counts(p)) for p in ordered]
        base = related.weight_base(ordered) if frozen else None
        found = related_index.salient_vectors(table, docs, base=base).as_dicts()
        return {p.slug: v for p, v in zip(ordered, found, strict=True)}

    for frozen in (True, False):
        before, after = vectors([*pages, *month], frozen), vectors([*pages, *month, *day], frozen)
        moved = [slug for slug in before if before[slug] != after[slug]]
        assert (moved == []) == frozen, (frozen, moved)


def test_a_genre_tag_does_not_make_papers_related() -> None:
    """Two surveys are not related for being surveys: with `survey` a genre (taxonomy
    `genre: true`), the paper on the same subject ranks first; counted as a subject, the
    shared tag ranked a survey of another subject above it."""
    body = "speculative decoding drafts tokens verified by the target model in parallel"
    pages = [
        Page("target", "A survey of speculative decoding", body, ("survey",)),
        Page("same-topic", "Speculative decoding with draft models", body + " cheaply", ()),
        Page(
            "other-survey", "A survey of essays", "essays drafts verified by the target readers", ("survey",)
        ),
    ]
    assert related_pages(pages)["target"] == ["other-survey", "same-topic"]
    assert related_pages(pages, genres=frozenset({"survey"}))["target"] == ["same-topic", "other-survey"]

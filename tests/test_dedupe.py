"""Deduplication: each merge rule and each must-not-merge case, on literal entries."""

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_helpers import make_site, run_cli

from site_builder.core.model import Entry, Source
from site_builder.core.pages.pagefile import read_pages
from site_builder.core.text import title_key
from site_builder.ingest import dedupe as dedupe_module
from site_builder.ingest.dedupe import DedupeResult, dedupe
from site_builder.ingest.dumps.files import read_sources

SERVE = (
    "We present QuickServe, a serving system for large language models that batches requests "
    "by prefix and reuses the KV cache across users, improving throughput by 3x on GPUs."
)
COT = (
    "Chain-of-thought prompting helps models solve grade-school math problems, but long chains "
    "are costly. We propose ShortCoT, which learns to skip redundant reasoning steps."
)
OTHER = (
    "An unrelated paper about protein folding with language models that describes a completely "
    "different method, a different dataset and different experiments altogether."
)


def entry(title: str, abstract: str, file: str = "a.txt", line: int = 1, listed: str = "2024-03-12") -> Entry:
    return Entry(title, abstract, Source(file, line, listed))


def titles(entries: list[Entry]) -> list[tuple[str, tuple[str, ...], int]]:
    return [(p.title, p.aliases, len(p.sources)) for p in dedupe(entries).papers]


def test_title_key_unifies_case_space_quotes_dashes_and_final_period() -> None:
    variants = ["Don’t Stop — Serving LLMs.", "don't  stop - serving llms", "DON'T STOP – SERVING LLMS"]
    assert len({title_key(v) for v in variants}) == 1
    assert title_key("Efficient LLM Inference on GPUs") != title_key("Efficient LLM Inference on CPUs")


def test_identical_entries_in_several_dumps_become_one_paper_with_every_source() -> None:
    result = dedupe(
        [entry("QuickServe", SERVE, "a.txt", 5), entry("QuickServe", SERVE, "b.txt", 9, "2024-03-13")]
    )
    (paper,) = result.papers
    assert [(s.file, s.line, s.listed) for s in paper.sources] == [
        ("a.txt", 5, "2024-03-12"),
        ("b.txt", 9, "2024-03-13"),
    ]
    assert [m.reason for m in result.merges] == ["same entry"]


def test_title_variants_merge() -> None:
    result = dedupe(
        [
            entry("Don’t Stop — Serving LLMs", SERVE),
            entry("don't  stop - serving llms.", SERVE, "b.txt", listed="2024-03-13"),
        ]
    )
    assert len(result.papers) == 1
    assert result.papers[0].aliases == ()
    assert [m.reason for m in result.merges] == ["title variant"]
    # The newer listing lost its capitals: the title stays as its authors cased it.
    assert result.papers[0].title == "Don’t Stop — Serving LLMs"
    result = dedupe(
        [
            entry("Don’t Stop — Serving LLMs", SERVE),
            entry("DON'T STOP - SERVING LLMS", SERVE, "b.txt", listed="2024-03-13"),
            entry("Don't Stop: Serving LLMs", SERVE, "c.txt", listed="2024-03-14"),  # retitled
            entry("don't stop - serving llms", SERVE, "d.txt", listed="2024-03-15"),
        ]
    )
    assert result.papers[0].title == "Don’t Stop — Serving LLMs"
    # Each other listing is said merged into the one whose title is kept, the pastes included.
    assert [(m.reason, m.other, m.where) for m in result.merges] == [
        ("title variant", "DON'T STOP - SERVING LLMS", "b.txt:1"),
        ("retitled", "Don't Stop: Serving LLMs", "c.txt:1"),
        ("title variant", "don't stop - serving llms", "d.txt:1"),
    ]
    assert {m.title for m in result.merges} == {"Don’t Stop — Serving LLMs"}


def test_a_paper_keeps_the_authors_of_its_newest_listing_that_names_any() -> None:
    """Listed with authors (arXiv) and without (a Hugging Face paste, newer): it keeps them;
    two listings naming them differently: the newest's, as its title is chosen."""
    named = Entry("QuickServe", SERVE, Source("arxiv.txt", 3, "2024-03-12"), authors=("A. Lee", "B. Kim"))
    unnamed = entry("QuickServe", SERVE, "hf.txt", 7, "2024-03-14")
    revised = Entry("QuickServe", SERVE, Source("arxiv2.txt", 3, "2024-03-13"), authors=("A. Lee", "C. Wu"))
    for entries in ([named, unnamed], [unnamed, named]):
        (paper,) = dedupe(entries).papers
        assert paper.authors == ("A. Lee", "B. Kim")
    (paper,) = dedupe([revised, unnamed, named]).papers
    assert paper.authors == ("A. Lee", "C. Wu")
    (paper,) = dedupe([unnamed]).papers
    assert paper.authors == ()


def test_truncated_abstract_under_the_same_title_merges_and_the_full_one_wins() -> None:
    result = dedupe(
        [entry("QuickServe", SERVE[:90], "b.txt", listed="2024-03-14"), entry("QuickServe", SERVE, "a.txt")]
    )
    (paper,) = result.papers
    assert paper.abstract == SERVE
    assert [m.reason for m in result.merges] == ["abstract variant"]


def test_abstracts_differing_only_by_a_mirror_domain_merge() -> None:
    a = SERVE + " Weights: https://huggingface.co/org/model."
    b = SERVE + " Weights: https://huggingface.host/org/model."
    (paper,) = dedupe(
        [
            entry("QuickServe", a, "a.txt", listed="2024-03-14"),
            entry("QuickServe", b, "b.txt", listed="2024-03-13"),
        ]
    ).papers
    assert paper.abstract == a  # same length in words: the newest copy wins


def test_retitled_paper_merges_and_keeps_the_old_title_as_alias() -> None:
    result = dedupe(
        [
            entry("ShortCoT: Skipping Steps", COT, "a.txt", listed="2024-03-12"),
            entry(
                "Skip the Steps: Efficient CoT",
                COT.replace("costly", "expensive"),
                "b.txt",
                listed="2024-03-13",
            ),
        ]
    )
    (paper,) = result.papers
    assert paper.title == "Skip the Steps: Efficient CoT"
    assert paper.aliases == ("ShortCoT: Skipping Steps",)
    assert [(m.reason, m.other) for m in result.merges] == [("retitled", "ShortCoT: Skipping Steps")]


def test_same_title_with_unrelated_abstract_stays_two_papers_and_is_reported() -> None:
    result = dedupe(
        [entry("A Benchmark for Legal RAG", SERVE), entry("A Benchmark for Legal RAG", OTHER, "b.txt")]
    )
    assert len(result.papers) == 2
    assert result.kept_apart == [("A Benchmark for Legal RAG", 2)]


def test_near_identical_titles_of_different_papers_stay_distinct() -> None:
    assert (
        len(
            titles(
                [
                    entry("Efficient LLM Inference on GPUs", SERVE),
                    entry("Efficient LLM Inference on CPUs", OTHER),
                ]
            )
        )
        == 2
    )


def test_fixture_dumps_end_to_end() -> None:
    data = Path(__file__).parent / "data"
    entries = [e for r in read_sources(data / "dumps", data)[0] for e in r.entries]
    got = titles(entries)
    assert len(entries) == 9
    assert sorted(got) == sorted(
        [
            ("QUICKSERVE: Prefix‐Aware Batching for llm Serving.", (), 2),
            (
                "Skip the Steps: Efficient Chain-of-Thought",
                ("ShortCoT: Learning to Skip Reasoning Steps",),
                2,
            ),
            ("A Benchmark for Legal RAG", (), 1),
            ("A Benchmark for Legal RAG", (), 1),
            ("Rotated 4-bit Quantization for LLMs", (), 1),
            ("Rotated 8-bit Quantization for LLMs", (), 1),
            ("Title With CRLF", (), 1),
        ]
    )


def test_seed_corpus_numbers() -> None:
    root = Path(__file__).parent.parent
    entries = [e for r in read_sources(root / "content" / "sources", root)[0] for e in r.entries]
    result = dedupe(entries)
    assert len(entries) == 481
    assert len(result.papers) == 365
    flm = [p for p in result.papers if p.title.startswith("FLM-101B")]
    assert len(flm) == 1 and len(flm[0].sources) == 2
    assert "huggingface.co/CofeAI" in flm[0].abstract


WORDS = st.sampled_from(
    [
        "model",
        "language",
        "serving",
        "cache",
        "reasoning",
        "steps",
        "benchmark",
        "legal",
        "quantization",
        "agents",
        "tool",
        "data",
    ]
)
ABSTRACTS = st.lists(WORDS, min_size=15, max_size=40).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["A", "B", "C", "a."]), ABSTRACTS), min_size=1, max_size=12),
    st.randoms(),
)
def test_dedupe_is_independent_of_input_order_and_idempotent(
    pairs: list[tuple[str, str]], rnd: random.Random
) -> None:
    entries = [entry(t, a, f"{i:03}.txt", 1) for i, (t, a) in enumerate(pairs)]
    shuffled = entries[:]
    rnd.shuffle(shuffled)
    first = dedupe(entries).papers
    assert dedupe(shuffled).papers == first
    again = [entry(p.title, p.abstract, s.file, s.line) for p in first for s in p.sources]
    assert len(dedupe(again).papers) == len(first)


def outcome(result: DedupeResult) -> tuple[object, ...]:
    return (result.papers, result.merges, result.kept_apart)


ENTRIES = st.lists(st.tuples(st.sampled_from(["A", "B", "C", "a."]), ABSTRACTS), min_size=1, max_size=14)


@settings(max_examples=80, deadline=None)
@given(ENTRIES, st.integers(0, 14), st.integers(0, 3), st.sampled_from([2, 3, 64]))
def test_an_index_kept_from_an_earlier_run_gives_what_a_run_from_nothing_gives(
    pairs: list[tuple[str, str]], cut: int, dropped: int, max_posting: int
) -> None:
    """Extended with new entries, or rebuilt because entries went away or a key became
    boilerplate (MAX_POSTING made small so that happens), the result is the cold one's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dedupe_module, "MAX_POSTING", max_posting)
        entries = [entry(t, a, f"{i:03}.txt", 1) for i, (t, a) in enumerate(pairs)]
        earlier = dedupe(entries[:cut] + entries[len(entries) - dropped :]).index
        assert outcome(dedupe(entries, earlier=earlier)) == outcome(dedupe(entries))


@settings(max_examples=60, deadline=None)
@given(ENTRIES, st.randoms())
def test_which_entries_are_one_paper_does_not_depend_on_the_dumps_names(
    pairs: list[tuple[str, str]], rnd: random.Random
) -> None:
    """A pair sharing several keys is compared at the lowest of their thresholds, whichever
    key is met first: a dump whose name sorts earlier cannot change how two others merge."""
    names = [f"{i:03}.txt" for i in range(len(pairs))]
    renamed = names[:]
    rnd.shuffle(renamed)

    def groups(files: list[str]) -> set[frozenset[tuple[str, str]]]:
        entries = [entry(t, a, f, 1) for f, (t, a) in zip(files, pairs, strict=True)]
        return {frozenset((s.file, "") for s in p.sources) for p in dedupe(entries).papers}

    by_content = dict(zip(names, renamed, strict=True))
    assert {frozenset((by_content[f], x) for f, x in g) for g in groups(names)} == groups(renamed)


def test_a_new_entry_is_compared_only_with_the_entries_it_shares_a_key_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = [
        entry("QuickServe", SERVE, "a.txt"),
        entry("ShortCoT", COT, "b.txt"),
        entry("Folding", OTHER, "c.txt"),
        entry("ShortCoT", COT.replace("costly", "expensive"), "d.txt"),
    ]
    earlier = dedupe(old).index
    compared: list[tuple[str, str]] = []
    real = dedupe_module.is_truncated_copy

    def counted(a: str, b: str, same_title: bool) -> bool:
        compared.append((a[:8], b[:8]))
        return real(a, b, same_title)

    monkeypatch.setattr(dedupe_module, "is_truncated_copy", counted)
    new = entry("QuickServe v2", SERVE.replace("3x", "4x"), "e.txt", listed="2024-03-20")
    result = dedupe([*old, new], earlier=earlier)
    assert compared == [("we prese", "we prese")]  # the new copy against QuickServe, nothing else
    assert [(p.title, p.aliases) for p in result.papers if "QuickServe" in p.title] == [
        ("QuickServe v2", ("QuickServe",))
    ]
    assert result.index is earlier  # extended in place


def test_a_dump_named_to_sort_first_does_not_change_how_two_others_merge() -> None:
    """Found by search on the key-order rule this replaced: the pair (first, last) shares
    a title key (threshold 0.25) and a band (0.4); it used to be compared once, at whichever
    key came first in posting order, so the names of the dumps decided the merge."""
    first = (
        "agents language language agents cache tool data steps cache benchmark reasoning reasoning "
        "model data data quantization legal quantization tool reasoning tool legal model agents data "
        "reasoning model"
    )
    middle = (
        "agents language language agents cache tool steps steps cache benchmark model reasoning data "
        "data data quantization legal quantization data reasoning tool legal model agents serving "
        "reasoning model"
    )
    last = (
        "agents language language agents cache tool tool steps cache benchmark reasoning reasoning "
        "model data data quantization legal quantization reasoning reasoning model legal model agents "
        "data reasoning model"
    )
    listed = [("A", first), ("A", middle), ("B", last)]

    def partition(files: list[str]) -> set[frozenset[str]]:
        entries = [entry(t, a, f) for f, (t, a) in zip(files, listed, strict=True)]
        by_file = dict(zip(files, "xyz", strict=True))
        return {frozenset(by_file[s.file] for s in p.sources) for p in dedupe(entries).papers}

    assert partition(["000.txt", "001.txt", "002.txt"]) == partition(["002.txt", "001.txt", "000.txt"])


@settings(max_examples=150, deadline=None)
@given(ABSTRACTS, st.integers(1, 40), st.booleans(), st.booleans())
def test_pairs_left_out_before_comparing_words_are_never_truncated_copies(
    text: str, keep: int, cut_last_word: bool, same_title: bool
) -> None:
    """`_may_be_truncated` skips a pair only when `is_truncated_copy` cannot hold for it."""
    words = text.split(" ")[:keep]
    if cut_last_word and len(words[-1]) > 1:
        words[-1] = words[-1][:-1]
    shorter = " ".join(words)
    entries = [entry("A", text, "a.txt"), entry("A" if same_title else "B", shorter, "b.txt")]
    index = dedupe(entries).index
    if len(index.title_keys) < 2:
        return  # the same words under the same title: one variant
    one, other = np.array([0]), np.array([1])
    if dedupe_module.is_truncated_copy(text, shorter, same_title):
        assert index._may_be_truncated(one, other)[0]


def test_a_dump_that_lost_a_title_line_does_not_merge_two_papers() -> None:
    """The parser joins a title-less abstract to the one before it (with a warning): that
    joined text holds the lost paper's abstract whole, and merged a reviewer's two papers."""
    complete = [
        entry("ShortCoT: Learning to Skip Reasoning Steps", COT, "b.txt", 1),
        entry("QuickServe: Prefix-Aware Batching", SERVE, "b.txt", 3),
    ]
    lost_title = entry("ShortCoT: Learning to Skip Reasoning Steps", f"{COT}\n\n{SERVE}", "a.txt", 1)
    papers = dedupe([lost_title, *complete]).papers
    assert sorted(p.title for p in papers) == [
        "QuickServe: Prefix-Aware Batching",
        "ShortCoT: Learning to Skip Reasoning Steps",
    ]


def test_a_lost_title_between_abstracts_that_open_alike_merges_nothing() -> None:
    """Most abstracts here open "Large language models (LLMs) …": with the first word triple
    as the only check of where a much shorter abstract starts, a reviewer's lost title line
    still made "Doing More with Less" an alias of the paper before it."""
    first = (
        "Large language models (LLMs) have demonstrated human-like instruction following, and "
        "we route each instruction to the model that serves it best at the lowest cost, learning "
        "from the capability each model shows on a small set of probes."
    )
    second = (
        "Large language models (LLMs) have grown expensive to serve, so we survey methods that do "
        "more with less: pruning, quantization, distillation and early exit, with their costs "
        "measured on one benchmark suite and one hardware budget."
    )
    joined = entry("Capability Instruction Tuning", f"{first}\n\n{second}", "b.txt", 1)
    clean = [
        entry("Capability Instruction Tuning", first, "a.txt", 1),
        entry("Doing More with Less", second, "a.txt", 3),
    ]
    papers = dedupe([joined, *clean]).papers
    assert sorted(p.title for p in papers) == ["Capability Instruction Tuning", "Doing More with Less"]
    truncated = entry("Doing More with Less", second[: len(second) // 2] + "…", "c.txt", 1)
    assert len(dedupe([*clean, truncated]).papers) == 2  # a truncated copy still merges


def _words(seed: int, n: int) -> str:
    vocabulary = [
        f"{a}{b}" for a in ("lat", "ser", "mod", "tok", "gra", "rew", "ben", "ret") for b in range(40)
    ]
    rng = random.Random(seed)
    return " ".join(rng.choice(vocabulary) for _ in range(n)) + "."


def test_a_lost_title_line_does_not_merge_two_papers() -> None:
    """A dump lost the title between two papers: the second's abstract was joined to the
    first's (with a warning). The joined text holds the second abstract whole, so it was
    taken for a copy of it, and the two papers became one page (a reviewer's pastes). The
    first keeps the longest copy, as a paper whose second paragraph a dump lost must."""
    first, second = _words(1, 150), _words(2, 250)
    entries = [
        entry("First Paper", first, "a.txt", 3),
        entry("Second Paper", second, "a.txt", 5),
        entry("First Paper", f"{first}\n\n{second}", "b.txt", 3, "2024-03-13"),
    ]
    papers = dedupe(entries).papers
    assert sorted((p.title, p.abstract, len(p.sources)) for p in papers) == [
        ("First Paper", f"{first}\n\n{second}", 2),
        ("Second Paper", second, 1),
    ]


def test_a_revision_that_prepends_a_sentence_is_still_the_same_paper() -> None:
    abstract = _words(3, 200)
    revised = "We revisit this problem with new experiments across several settings. " + abstract
    assert len(dedupe([entry("A Paper", abstract), entry("A Paper", revised, "b.txt")]).papers) == 1


ZH = (
    "近年来，大型语言模型在多种自然语言处理任务上取得了显著进展。然而，它们在多智能体协作推理方面的能力仍不清楚。"
    "本文提出了一种新的框架，让多个智能体通过辩论和投票共同完成复杂的推理任务，并在数学和常识推理基准上验证了其有效性。"
)
JA = (
    "大規模言語モデルの日本語能力を評価するための新しいベンチマークを提案する。本ベンチマークは読解、要約、"
    "敬語の使い分けなど十二のタスクから構成される。実験の結果、多くのモデルの六割が敬語の扱いに課題を抱えていることが分かった。"
)


@pytest.mark.parametrize(("abstract", "old", "new"), [(ZH, "显著", "明显"), (JA, "六割", "約六割")])
def test_a_chinese_or_japanese_abstract_with_one_word_edited_is_the_same_paper(
    abstract: str, old: str, new: str
) -> None:
    """Words were runs of letters: a Chinese abstract was ten clauses, and one edited word
    kept two listings of one paper apart, two pages (a review)."""
    edited = abstract.replace(old, new)
    assert edited != abstract
    found = dedupe([entry("大型语言模型", abstract), entry("大型语言模型", edited, "b.txt")]).papers
    assert len(found) == 1
    other = ZH if abstract is JA else JA  # two papers of one title stay two
    assert len(dedupe([entry("大型语言模型", abstract), entry("大型语言模型", other, "b.txt")]).papers) == 2


def test_a_revision_that_puts_many_words_first_under_the_same_title_is_the_same_paper() -> None:
    """46 words put before the abstract in a revision, under the same title: the late
    opening read as a joined paper, and the page was split in two (a reviewer's dumps)."""
    abstract = _words(4, 200)
    revised = _words(5, 46)[:-1] + " " + abstract
    assert len(dedupe([entry("A Paper", abstract), entry("A Paper", revised, "b.txt")]).papers) == 1


def test_invisible_characters_do_not_make_a_title_another() -> None:
    """A page written before ingest dropped zero-width spaces and soft hyphens holds them in
    its title: re-ingested, its paper got a second page (a reviewer's re-ingest)."""
    assert title_key("Effi\u00adcient Trans\u200bformers\ufeff for Edge\u2060 Devices") == title_key(
        "Efficient Transformers for Edge Devices"
    )


def test_two_papers_withdrawn_with_the_same_notice_keep_their_own_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two papers withdrawn with the same one-sentence notice (17 words) read as one paper
    retitled: one page, titled after the newer, and the other paper was gone from the site,
    its title an alias. A text that short is many papers'; the same title listed twice is
    still one paper."""
    site = make_site(tmp_path / "site", "withdrawn")
    code, out, _ = run_cli(capsys, "--root", str(site), "-v", "ingest")
    assert code == 0
    pages, problems = read_pages(site / "content" / "papers")
    assert problems == []
    assert sorted((sp.page.title, sp.page.aliases, len(sp.page.sources)) for sp in pages) == [
        ("A Note on Sparse Graph Coloring", (), 1),
        ("Optimal Transport Bounds for Diffusion Sampling", (), 2),
    ]
    assert "retitled" not in out
    assert "3 entries → 2 unique papers" in out

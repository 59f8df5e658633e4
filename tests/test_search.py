"""Search index: analysis, the index and document store, the files written, and lunr.js on them.

The JavaScript side runs under Node (tests/js/search_node.js): the engine the browser uses,
on the files `build_search_assets` returns, must find what a reader expects; and the lunr
index we build directly must behave like one built by stock lunr.py.
"""

from __future__ import annotations

import dataclasses
import datetime
import itertools
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from helpers import search_in_node
from hypothesis import given
from hypothesis import strategies as st
from lunr.builder import Builder
from lunr.index import Index
from lunr.stemmer import porter_stemmer, stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.stop_word_filter import stop_word_filter
from lunr_reference import (
    decode_varints,
    encode_varint,
    indexed_texts,
    postings,
    to_lunr_json,
    without_addresses,
)

from bench.common import read_site_pages
from site_builder.build.layout import paper_path
from site_builder.build.render.theme import PACKAGE_THEME
from site_builder.build.search import analysed as analysed_module
from site_builder.build.search import assets as search
from site_builder.build.search import postings as postings_module
from site_builder.build.search.assets import CHUNK, build_search_assets, chunk_body
from site_builder.build.search.index import (
    FIELDS,
    Analyzer,
    SearchIndex,
    build_index,
    doc_order,
    js_sorted,
    phrase_terms,
    searched_digest,
    tag_text,
    term_order,
    without_statements,
    words,
)
from site_builder.build.search.postings import varints
from site_builder.build.search.synonyms import Synonyms
from site_builder.build.search.words import shared_prefixes
from site_builder.core.model import Page, Source
from site_builder.core.runtime.hashing import text_key
from site_builder.core.taxonomy import TagDef, Taxonomy, load_taxonomy

REPO = Path(__file__).resolve().parent.parent
TAXONOMY = Taxonomy(
    (
        TagDef("agents", "Agents", "LLM agents."),
        TagDef("compression", "Compression", "Quantization and pruning."),
        TagDef("code", "Code", "Code and SQL generation."),
    )
)


def page(slug: str, title: str, body: str, tags: tuple[str, ...] = (), listed: str = "2025-03-01") -> Page:
    return Page(slug, title, body, tags, (), (Source("000.txt", 7, listed),))


PAGES = [
    page(
        "agents-that-plan",
        "Agents That Plan with Tools",
        "We study LLM agents that plan multi-step tool calls on the web.",
        ("agents",),
        "2025-03-03",
    ),
    page(
        "finequant",
        "FineQuant: Weight-Only Quantization for LLMs",
        "Quantization of weights to 4 bits keeps accuracy while halving memory.",
        ("compression",),
        "2025-03-02",
    ),
    page(
        "omnisql",
        "OmniSQL: Synthesizing Text-to-SQL Data at Scale",
        "Text-to-SQL turns questions into SQL queries. GPT-4 labels the data.",
        ("code",),
        "2025-03-02",
    ),
    page(
        "theoremllama",
        "TheoremLlama: LLMs into Lean4 Experts",
        "We train models to write Lean4 proofs and try harder problems.",
        ("code",),
        "2025-02-28",
    ),
    page(
        "pruning-survey",
        "A Survey of Pruning",
        "Pruning removes weights; we compare pruning with quantization briefly.",
        ("compression",),
    ),
    page(
        "debate",
        "Multi-Agent Debate Improves Factuality",
        "Several agents debate an answer; Schrödinger's cat is not involved.",
        ("agents",),
        "Jan 5",
    ),
]


# The same papers, two of them with authors (a site with arXiv's listings among its dumps).
NAMES = {
    "agents-that-plan": ("Ada Lovelace", "Alejandro Lopez-Lira"),
    "debate": ("Grace Hopper", "Ada Lovelace", "Agent Smith"),
}
AUTHORED = [dataclasses.replace(p, authors=NAMES.get(p.slug, ())) for p in PAGES]
# Papers whose arXiv ids are known, each where a page may give it, and one citing another.
WITH_IDS = [
    dataclasses.replace(
        page(
            "tracked", "Zero-Shot Trajectory Tracing", "LLMs trace trajectories from IMU data.", ("agents",)
        ),
        links=("https://arxiv.org/abs/2403.06201",),
    ),
    dataclasses.replace(
        page("island", "Bilingual Financial Models", "Chinese and English financial analysis."),
        extra={"arxiv": "2403.06249v2"},
    ),
    dataclasses.replace(
        page("strings", "Old Strings", "A duality of strings, as in 2403.06201 and before."),
        extra={"arxiv": "hep-th/9901001"},
    ),
]


def write_assets(files: dict[str, bytes], site: Path) -> Path:
    """The search files, and lunr.min.js as the build copies it from the theme."""
    files = {**files, "assets/lunr.min.js": (PACKAGE_THEME / "static" / "lunr.min.js").read_bytes()}
    for rel, data in files.items():
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = build_search_assets(PAGES, TAXONOMY)
    return write_assets(files, tmp_path_factory.mktemp("search") / "_site")


def slugs(result: dict[str, Any]) -> list[str]:
    return [p.removeprefix("papers/").removesuffix(".html") for p in result["paths"]]


# --- analysis ---------------------------------------------------------------------------

TRICKY = [
    "Text-to-SQL",
    "GPT-4o and gpt-4",
    "Lean4",
    "Qwen2.5-7B",
    "the model's output",
    "Schrödinger",
    "e.g. i.e.",
    "snake_case",
    "Ends here.",
    "https://github.com/org/repo",
    "LLM-based (LLMs)",
    "ÉCOLE naïve café",
    "C++ and C#",
    "Ünïcödé—dash – dash",
    "日本語のテキスト",
    "x²",
    "İstanbul",
    "Straße, Łódź, Ærø, ŒUVRE, Þórr, ıŋ, GROẞE",  # letters spelled otherwise in ASCII
    "ﬁne-tuning",
    "don’t",
    "3.5-turbo",
    "a" * 45,
    "",
    # Chinese, Japanese and Korean as pairs of letters, kana marks kept, Hangul as syllables
    "GPT-4在中文上的表现：大模型推理",
    "大規模言語モデルの推論とﾓﾃﾞﾙ",
    "대형 언어 모델을 위한 LoRA-미세조정",
    "中-英 模 x中y",
    "O'Brien d’Alembert's GPT-4's e.g.'s x'²a I'm Ö'Ñeil",  # one-letter elisions
    "様々な𠮷野家の〇〆 𠮷",  # 々〆〇 and an ideograph past U+FFFF (two UTF-16 units in JS)
    "یادگیری يادگيري کارایی كارايي المعرفة المستشفى",  # Persian and Arabic letters for one another
    "النموذج بالاسترجاع والنماذج للنموذج وهو ولد ال-نموذج GPT-4 نموذج الوكلاء ﺍﻟﺘﺮﺟﻤﺔ ﻣﺴﺘﺸﻔﻰ",  # Arabic's article
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Text-to-SQL", ["text", "to", "sql", "texttosql"]),
        ("GPT-4", ["gpt", "4", "gpt4"]),
        ("Lean4", ["lean4"]),
        ("Qwen2.5", ["qwen2", "5", "qwen25"]),
        ("the model's", ["the", "models"]),
        # a one-letter elision before a word joins like a hyphen: `brien` found nothing of
        # O'Brien; a contraction or possessive (I'm, M's) stays one word
        ("I'm M's", ["im", "ms"]),
        (
            "O'Brien l’apprentissage rock'n'roll",
            ["o", "brien", "obrien", "l", "apprentissage", "lapprentissage", "rocknroll"],
        ),
        ("Schrödinger", ["schrodinger"]),
        ("e.g. end.", ["e", "g", "eg", "end"]),
        ("snake_case / input/output", ["snake", "case", "input", "output"]),
        ("大模型推理", ["大模", "模型", "型推", "推理"]),
        ("GPT-4在中文", ["gpt", "4", "gpt4", "在中", "中文"]),
        ("モデル、ﾓﾃﾞﾙ", ["モデ", "デル", "モデ", "デル"]),
        ("모델을 위한", ["모델", "델을", "위한"]),
        ("中-英 模", ["中", "英", "模"]),
        ("様々な𠮷野家", ["様々", "々な", "な𠮷", "𠮷野", "野家"]),
        # Persian yeh and keheh, alef maksura, teh marbuta: one word either way (a reviewer's
        # `يادگيري`, in Arabic letters, found nothing of `یادگیری`).
        ("یادگیری يادگيري", ["يادگيري", "يادگيري"]),
        ("کارایی المعرفة المستشفى", ["كارايي", "معرفه", "مستشفي"]),
        # Arabic's article and a conjunction before it, as light stemmers strip them (`ترجمة`
        # found nothing of `الترجمة`); `و` before three letters is the word's own (`ولد`).
        ("النموذج بالاسترجاع والنماذج ولد", ["نموذج", "استرجاع", "نماذج", "ولد"]),
        # ... but not `و` alone, which begins many words (`وكلاء` found nothing of `الوكلاء`),
        # and a PDF's presentation forms are letters first (a code review)
        ("الوكلاء وكلاء ﺍﻟﺘﺮﺟﻤﺔ", ["وكلاء", "وكلاء", "ترجمه"]),
    ],
)
def test_words_split_compounds_and_keep_them_joined(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_javascript_analyses_words_exactly_as_python() -> None:
    texts = TRICKY + [f"{p.title} {p.body}" for p in PAGES]
    assert search_in_node({"words": texts}) == [words(t) for t in texts]


def test_index_terms_are_lunr_stems_without_stop_words() -> None:
    index = build_index(PAGES, TAXONOMY)
    assert "quantiz" in index.terms and "texttosql" in index.terms and "lean4" in index.terms
    assert "the" not in index.terms and "with" not in index.terms
    assert index.words["quantization"] == "quantiz"
    assert index.terms == sorted(index.terms)


FRAGMENTS = [
    *["the", "The", "and", "model", "Models", "model's", "models’", "GPT-4", "gpt4", "e.g.", "(LLMs),"],
    *["text-to-SQL", "Qwen2.5", "Schrödinger", "İ", "ﬁne", "ΟΔΟΣ", "Σ", "x²", "a" * 41, "try", "4"],
    *["’", "'", "-", ".", "_", "¨", "\u0301", "日本", "\U00020000", "(", ")", ",", "/", "https://", "www."],
    *[" ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x1c", "\u2028"],
]


@given(st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join), max_size=4))
def test_analysing_whitespace_tokens_finds_the_words_of_the_whole_text(texts: list[str]) -> None:
    """The builder analyses each whitespace-separated token once; that must give exactly the
    words of `words()` over the whole text, less stop words, each with lunr's stem."""
    analyzer = Analyzer()  # one memo for all the texts, as in a build
    for text in [*texts, *TRICKY, "b" * 40, "c" * 41, "(d." + "d" * 40 + ")"]:
        counted = analyzer.count(text.split())
        got = Counter({analyzer.words[w]: n for w, n in counted.items()})
        assert got == Counter(w for w in words(without_addresses(text)) if w not in STOP_WORDS), text
        assert all(analyzer.stems[w] == porter_stemmer.stem(analyzer.words[w]) for w in counted)


def plain_shared_prefix(a: str, b: str, limit: int) -> int:
    """Leading characters shared, stopping before one outside the BMP: the straightforward way."""
    n = 0
    while n < min(len(a), len(b), limit) and a[n] == b[n] and a[n] <= "\uffff":
        n += 1
    return n


PREFIX_CHARACTERS = st.sampled_from(["a", "b", "é", "日", "\U00020000", "\U00020001", "\x00"])


@given(st.lists(st.tuples(st.text(PREFIX_CHARACTERS, max_size=30), st.text(PREFIX_CHARACTERS, max_size=30))))
def test_shared_prefixes_of_many_pairs_at_once_are_those_of_each_pair(pairs: list[tuple[str, str]]) -> None:
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    for limit in (0, 3, 25):
        assert shared_prefixes(a, b, limit) == [plain_shared_prefix(x, y, limit) for x, y in pairs]


@given(
    st.lists(st.text(st.sampled_from(["a", "z", "\ud7ff", "\ue000", "\uffee", "\U00010000", "\U0001f600"])))
)
def test_words_sort_as_javascript_sorts_them(texts: list[str]) -> None:
    assert js_sorted(texts) == sorted(texts, key=term_order)


# --- the index and document store ---------------------------------------------------------


def test_documents_are_numbered_newest_first_whatever_the_input_order() -> None:
    shuffled = PAGES[:]
    random.Random(4).shuffle(shuffled)
    index = build_index(shuffled, TAXONOMY)
    assert [p.slug for p in index.docs] == [
        "agents-that-plan",
        "finequant",
        "omnisql",
        "pruning-survey",
        "theoremllama",
        "debate",
    ]


def test_fields_are_title_body_and_tags_with_the_title_boosted() -> None:
    index = build_index(PAGES, TAXONOMY)
    assert [name for name, _ in FIELDS] == ["title", "body", "tags"]
    boosts = dict(FIELDS)
    assert boosts["title"] > boosts["tags"] > boosts["body"]
    agents = postings(index)[index.terms.index("agent")]
    titles, bodies, tags = ([index.docs[d].slug for d, _ in field] for field in agents)
    assert titles == ["agents-that-plan", "debate"]  # Multi-Agent → multi, agent, multiagent
    assert "debate" in bodies and tags == ["agents-that-plan", "debate"]
    assert tag_text(PAGES[1], TAXONOMY) == "compression Compression"


def test_document_store_holds_path_title_and_plain_abstract(site: Path) -> None:
    # Chunks count from the oldest paper, oldest first: doc 0 (the newest) is the last row.
    last = (len(PAGES) - 1) // CHUNK
    store = load_js(site / f"assets/search/d{last}.js")[f"d{last}"]["d"]
    assert store[(len(PAGES) - 1) % CHUNK] == [
        "papers/agents-that-plan.html",
        "Agents That Plan with Tools",
        "We study LLM agents that plan multi-step tool calls on the web.",
    ]
    meta = load_js(site / "assets/search-index.js")["index"]
    assert meta["n"] == len(PAGES)
    assert [t[0] for t in meta["tags"]] == ["agents", "compression", "code"]
    assert set(meta) == {
        "v",
        "n",
        "fields",
        "k1",
        "b",
        "terms",
        "wordShards",
        "wordTerms",
        "stems",
        "alphabet",
        "words",
        "shards",
        "shardTerms",
        "chunk",
        "slugShards",
        "slugVersions",
        "lengths",
        "tags",
        "docTags",
        "days",
        "synonyms",
        "versions",
    }


def test_a_snippet_is_the_abstract_without_the_readers_notes() -> None:
    """The popup showed `## Notes … [x](javascript:…)` as raw Markdown under a result."""
    noted = Page("noted", "Noted", "The abstract.\n\n## Notes\n\nSee [x](https://example.org).", ("agents",))
    assert json.loads(chunk_body([noted]))["d"] == [["papers/noted.html", "Noted", "The abstract."]]


def test_same_pages_give_the_same_bytes() -> None:
    shuffled = PAGES[::-1]
    a = build_search_assets(PAGES, TAXONOMY)
    b = build_search_assets(shuffled, TAXONOMY)
    assert a == b
    assert sorted(a) == [
        "assets/search-index.js",
        "assets/search/d0.js",
        "assets/search/d1.js",
        "assets/search/s0.js",
        "assets/search/t0.js",
    ]


def _versions(files: dict[str, bytes]) -> dict[str, str]:
    return {path: load_js_bytes(data)[1]["v"] for path, data in files.items()}


def test_every_file_is_versioned_and_the_index_lists_the_versions() -> None:
    a = build_search_assets(PAGES, TAXONOMY)
    versions = _versions(a)
    meta = load_js_bytes(a["assets/search-index.js"])[1]
    listed = [f"assets/search/t{n}.js" for n in range(len(meta["shards"]))]
    listed += [f"assets/search/d{n}.js" for n in range(-(-meta["n"] // CHUNK))]
    listed += [f"assets/search/w{n}.js" for n in range(len(meta["wordShards"]))]
    slugs = [f"assets/search/s{n}.js" for n in range(meta["slugShards"])]
    assert meta["slugVersions"] == "".join(versions[path] for path in slugs)  # apart: see below
    # As engines before the slug directory read it (a page's cached search-engine.js after a
    # deploy): the term shards', chunks' and word shards' versions alone (a code review).
    assert meta["versions"] == "".join(versions[path] for path in listed)
    assert len(set(versions.values())) == len(versions)  # each its own


def test_a_change_changes_the_versions_of_the_files_it_touches_only() -> None:
    a = build_search_assets(PAGES, TAXONOMY)
    oldest = len(PAGES) - 1  # doc ids count from the newest
    edited = [
        *PAGES[:oldest],
        dataclasses.replace(PAGES[oldest], title=PAGES[oldest].title + " Revisited"),
    ]
    b = build_search_assets(edited, TAXONOMY)
    changed = sorted(path for path in a if a[path] != b[path])
    docs = doc_order(edited)
    chunk = (len(docs) - 1 - docs.index(edited[oldest])) // CHUNK
    assert f"assets/search/d{chunk}.js" in changed and "assets/search-index.js" in changed
    assert any(path.startswith("assets/search/d") and path not in changed for path in a)
    va, vb = _versions(a), _versions(b)
    assert all((va[path] == vb[path]) == (path not in changed) for path in a)


def test_older_chunks_keep_their_bytes_when_newer_papers_are_added() -> None:
    """A new day adds papers at the newest end: the chunks of the older papers are the same
    files, byte for byte (what lets a daily build carry them over)."""
    newest = max(p.newest or datetime.date.min for p in PAGES)
    later = Source("new.txt", 1, (newest + datetime.timedelta(days=1)).isoformat())
    new = [
        Page(f"new-paper-{i}", f"A New Paper {i}", f"Fresh results number {i}.", sources=(later,))
        for i in range(CHUNK)
    ]
    a = build_search_assets(PAGES, TAXONOMY)
    b = build_search_assets([*PAGES, *new], TAXONOMY)
    full = [f"assets/search/d{k}.js" for k in range(len(PAGES) // CHUNK)]  # the newest may fill up
    assert full and all(a[path] == b[path] for path in full)
    assert f"assets/search/d{-(-len(PAGES) // CHUNK)}.js" in b and len(b) > len(a)


def test_letters_spelled_otherwise_in_ascii_are_found_as_typed_without_them(tmp_path: Path) -> None:
    """`Lodz` did not find "Łódź", nor `strasse` "Straße" (a review)."""
    day = Source("000.txt", 1, "2025-03-01")
    pages = [
        Page("lodz-corpus", "The Łódź Corpus", "Polish speech from Łódź.", sources=(day,)),
        Page("strassen", "Straßenverkehr Reasoning", "Die Straße und die Verkehrsregeln.", sources=(day,)),
    ]
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    found = search_in_node({"site": str(site), "queries": [{"q": "lodz"}, {"q": "łódź"}, {"q": "strasse"}]})
    assert [slugs(r) for r in found] == [["lodz-corpus"], ["lodz-corpus"], ["strassen"]]


def test_chinese_japanese_and_korean_words_are_found_inside_a_clause(tmp_path: Path) -> None:
    """Read as one word, a clause was found only by its first letters: `模型` did not find
    "大模型推理" (a review of the site in other languages). Pairs of letters find a word
    anywhere, and a phrase of several in order; the title's word is marked."""
    day = Source("000.txt", 1, "2025-03-01")
    pages = [
        Page("zh", "大模型推理的效率", "我们研究大模型推理时的显存开销。", sources=(day,)),
        Page("ja", "大規模言語モデルの推論", "モデルの推論を高速化する。", sources=(day,)),
        Page("ko", "대형 언어 모델을 위한 추론", "언어 모델을 빠르게 한다.", sources=(day,)),
        Page("en", "Model Inference", "We study model inference.", sources=(day,)),
        Page("jp-rare", "𠮷野家の調査", "牛丼の𠮷野家を調べる。", sources=(day,)),
        Page(
            "ar",
            "الترجمة الآلية بالاسترجاع",
            "نقترح إطارا للترجمة يعتمد على النماذج اللغوية.",
            sources=(day,),
        ),
    ]
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    queries = [
        {"q": q}
        for q in (
            "模型",
            "推理",
            "言語モデル",
            "モデル",
            "모델",
            "大模型推理",
            "显存",
            "模",
            "模 推",
            "𠮷",
            "ترجمة",
            "استرجاع",
            "النماذج",
            "نماذج",
        )
    ]
    found = search_in_node({"site": str(site), "queries": queries})
    assert [slugs(r) for r in found] == [
        ["zh"],
        ["zh"],
        ["ja"],
        ["ja"],
        ["ko"],
        ["zh"],
        ["zh"],
        ["zh", "ja"],
        ["zh", "ja"],
        ["jp-rare"],  # one ideograph past U+FFFF, completed too (two UTF-16 units: a code review)
        *(["ar"], ["ar"], ["ar"], ["ar"]),  # with or without the article (a reviewer's found nothing)
    ]
    # Only the letters of the matched pairs are marked, not the whole clause (a reviewer).
    assert found[0]["title"] == [["大", False], ["模型", True], ["推理的效率", False]]
    assert [text for text, marked in found[5]["title"] if marked] == ["大模型推理"]
    assert [text for text, marked in found[0]["snippet"] if marked] == ["模型"]


def test_a_saved_slug_is_found_through_the_slug_directory(tmp_path: Path) -> None:
    """saved.html finds a paper by its slug in a shard of the slug directory, which the
    engine picks by the same hash as the build: with several shards, every paper is found
    and its chunk is the only one loaded; a slug the site does not have is null, and an old
    slug of no page is null (saved.html says it is no longer on the site)."""
    day = Source("000.txt", 1, "2025-03-01")
    many = [
        Page(
            f"paper-number-{i}-on-topic-{i % 7}",
            f"Paper {i} on topic {i % 7}",
            f"Findings {i}.",
            sources=(day,),
        )
        for i in range(1030)
    ]
    files = build_search_assets(many, TAXONOMY)
    meta = load_js_bytes(files["assets/search-index.js"])[1]
    assert meta["slugShards"] == 4 and "assets/search/s3.js" in files
    site = write_assets(files, tmp_path / "_site")
    asked = [{"slug": p.slug, "title": p.title} for p in many[::97]]
    asked += [{"slug": "no-such-paper", "title": "Nothing Like It"}, {"slug": "paper-number-5", "title": ""}]
    found = search_in_node({"site": str(site), "papers": asked})
    assert found["paths"][:-2] == [paper_path(p.slug) for p in many[::97]]
    assert found["paths"][-2:] == [None, None]
    one = search_in_node({"site": str(site), "papers": asked[:1]})
    assert one["chunks"] == 1


def test_packaged_lunr_js_is_npm_s_file_byte_for_byte() -> None:
    """lunr.js ships inside the package (the theme's static files), copied from npm by
    `make vendor`: it must be exactly the release package-lock.json pins."""
    packaged = PACKAGE_THEME / "static" / "lunr.min.js"
    from_npm = REPO / "node_modules" / "lunr" / "lunr.min.js"
    assert packaged.read_bytes() == from_npm.read_bytes()
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/lunr"]["version"] == "2.3.9"
    assert packaged.read_bytes().startswith(b"/**\n * lunr - http://lunrjs.com")


def test_search_assets_are_only_our_own_data_files() -> None:
    files = build_search_assets(PAGES, TAXONOMY)
    assert "assets/lunr.min.js" not in files
    assert all(rel.startswith("assets/search") and rel.endswith(".js") for rel in files)


# --- escaping ---------------------------------------------------------------------------

HOSTILE = '</script><script>alert(1)</script> <!-- & \u2028\u2029 "quoted" \\ back'


def test_no_title_or_abstract_can_break_out_of_the_script(tmp_path: Path) -> None:
    pages = [page("hostile", HOSTILE, f"Abstract {HOSTILE}", ("agents",))]
    files = build_search_assets(pages, TAXONOMY)
    for rel, data in files.items():
        text = data.decode("utf-8")
        for char in "<>&\u2028\u2029":
            assert char not in text, (rel, char)
    site = write_assets(files, tmp_path / "_site")
    result = search_in_node({"site": str(site), "queries": [{"q": "alert script"}]})[0]
    assert slugs(result) == ["hostile"]
    assert "".join(s for s, _ in result["title"]) == HOSTILE


def load_js_bytes(data: bytes) -> tuple[str, dict[str, Any]]:
    text = data.decode("utf-8")
    name = text.split('["', 1)[1].split('"]', 1)[0]
    return name, json.loads(text.split("=", 2)[2].rstrip().rstrip(";"))


def load_js(path: Path) -> dict[str, Any]:
    name, payload = load_js_bytes(path.read_bytes())
    return {name: payload}


# --- compact encodings -------------------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=2**40)))
def test_varints_round_trip(numbers: list[int]) -> None:
    assert decode_varints(varints(numbers)) == numbers


def test_varints_write_each_number_as_the_plain_encoding_does() -> None:
    numbers = [*range(40_000), 2**20 - 1, 2**20, 2**40]
    assert varints(numbers) == "".join(encode_varint(n) for n in numbers)
    assert varints([]) == ""


def test_shards_cover_every_term_once_and_a_query_loads_only_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "SHARD_BYTES", 40)
    index = build_index(PAGES, TAXONOMY)
    ranges = search.shard_ranges(index)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(index.terms) and len(ranges) > 5
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    site = write_assets(build_search_assets(PAGES, TAXONOMY), tmp_path / "_site")
    result = search_in_node({"site": str(site), "queries": [{"q": "lean4"}]})[0]
    assert slugs(result) == ["theoremllama"]
    assert 1 <= result["loaded"] <= 2


# --- the engine under Node: what a reader gets ------------------------------------------------


@pytest.mark.parametrize(
    ("query", "tag", "expected"),
    [
        ("FineQuant: Weight-Only Quantization for LLMs", "", ["finequant"]),  # exact title
        ("agents", "", ["agents-that-plan", "debate"]),  # title matches first
        ("quant", "", ["finequant", "pruning-survey"]),  # prefix while typing
        ("quantizaton", "", ["finequant", "pruning-survey"]),  # one typo
        ("text-to-sql", "", ["omnisql"]),  # hyphenated
        ("gpt-4", "", ["omnisql"]),
        ("lean4", "", ["theoremllama"]),
        ("schrodinger", "", ["debate"]),  # accents folded
        ("try", "", ["theoremllama"]),  # lunr.js stems it `tri`, lunr.py `try`: the vocabulary decides
        ("pruning quantization", "", ["pruning-survey", "finequant"]),  # every word first
        ("", "code", ["omnisql", "theoremllama"]),  # a tag alone lists its papers
        ("weights", "compression", ["finequant", "pruning-survey"]),
        ("agents", "compression", []),
    ],
)
def test_engine_finds_the_expected_papers(site: Path, query: str, tag: str, expected: list[str]) -> None:
    result = search_in_node({"site": str(site), "queries": [{"q": query, "tag": tag}]})[0]
    assert slugs(result)[: len(expected)] == expected
    if not expected:
        assert result["total"] == 0


def test_a_tags_earlier_name_filters_by_the_tag(tmp_path: Path) -> None:
    """After `compression` was renamed `efficiency` (`aliases: [compression]`), a shared
    `?tag=compression` or a typed `tag:compression` found nothing, offering a suggestion."""
    renamed = Taxonomy(
        tuple(
            dataclasses.replace(t, name="efficiency", title="Efficiency", aliases=("compression",))
            if t.name == "compression"
            else t
            for t in TAXONOMY.tags
        )
    )
    pages = [dataclasses.replace(p, tags=renamed.current_tags(p.tags)) for p in PAGES]
    site = write_assets(build_search_assets(pages, renamed), tmp_path / "_site")
    queries = [
        {"q": "weights", "tag": "compression"},
        {"q": "weights tag:Compression"},
        {"q": "weights tag:efficiency"},
    ]
    shared, typed, named = search_in_node({"site": str(site), "queries": queries})
    assert slugs(shared)[:2] == slugs(typed)[:2] == slugs(named)[:2] == ["finequant", "pruning-survey"]
    assert shared["total"] == typed["total"] == named["total"]
    assert typed.get("suggestion") is None


def test_engine_highlights_matches_and_suggests_a_spelling(site: Path) -> None:
    found, empty = search_in_node(
        {"site": str(site), "queries": [{"q": "quantization"}, {"q": "quantizatnn memroyy"}]}
    )
    assert found["title"] == [
        ["FineQuant: Weight-Only ", False],
        ["Quantization", True],
        [" for LLMs", False],
    ]
    assert ["Quantization", True] in found["snippet"]
    assert empty["total"] == 0 and empty["suggestion"] == "quantization memory"


def test_a_word_found_by_its_stem_is_not_mended(site: Path) -> None:
    """A reviewer's `protein folding` was offered "protein feeding": the index holds `fold`
    only as a stem, and a word missing from the word list was taken for a misspelling."""
    stemmed, misspelt = search_in_node(
        {"site": str(site), "queries": [{"q": "weighted agents"}, {"q": "weightz agents"}]}
    )
    assert stemmed["total"] > 0 and stemmed["hint"] is None  # `weighted`: the stem of `weights`
    assert misspelt["hint"] == "weight agents"


def test_a_typo_of_a_form_no_paper_writes_finds_its_stem(site: Path) -> None:
    """A held-out query's `explainabilty` found nothing: no paper writes "explainability",
    so no indexed word lay one edit away, though papers write its stem `explain`. Here no
    paper writes "quantizate", one letter from `quantizatn`; they write its stem's
    `quantization`."""
    (typo,) = search_in_node({"site": str(site), "queries": [{"q": "quantizatn"}]})
    assert set(slugs(typo)) == {"finequant", "pruning-survey"}


def test_a_short_word_is_mended_by_one_edit_only(site: Path) -> None:
    """A reader's `Chen` was offered "ce", `Wang` "way" and `mamba` "mamt": two edits in a
    word of four or five letters reach too many unrelated words."""
    two, longer = search_in_node({"site": str(site), "queries": [{"q": "stxdz"}, {"q": "quantizatnn"}]})
    assert two["total"] == 0 and two["suggestion"] is None  # "study" is two edits away
    assert longer["total"] == 0 and longer["suggestion"] == "quantization"  # two in ten letters


# --- the builder against a straightforward one ------------------------------------------------


def reference_index(pages: list[Page], taxonomy: Taxonomy) -> SearchIndex:
    """The index built the plain way, as the builder did before it was optimised: `words()`
    over each whole text, lunr's stop words and stemmer, a Counter per field, postings as
    (doc id, tf) lists, encoded one number at a time at the end."""
    docs = sorted(pages, key=lambda p: ((-p.newest.month, -p.newest.day) if p.newest else (1, 0), p.slug))
    stems: dict[str, str] = {}
    by_term: dict[str, tuple[list[tuple[int, int]], ...]] = {}
    lengths = []
    for doc, p in enumerate(docs):
        counts = []
        for text in indexed_texts(p, taxonomy):
            kept = [w for w in words(text) if w not in STOP_WORDS]
            stems.update((w, porter_stemmer.stem(w)) for w in kept)
            counts.append(Counter(stems[w] for w in kept))
        lengths.append(tuple(c.total() for c in counts))
        for f, counter in enumerate(counts):
            for term, tf in counter.items():
                by_term.setdefault(term, tuple([] for _ in FIELDS))[f].append((doc, tf))
    terms = sorted(by_term, key=term_order)
    return SearchIndex(
        docs=docs,
        terms=terms,
        encoded=[tuple(reference_posting(p) for p in by_term[t]) for t in terms],
        sizes=[tuple(len(p) for p in by_term[t]) for t in terms],
        lengths=lengths,
        words=stems,
    )


def reference_posting(posting: list[tuple[int, int]]) -> str:
    """Doc-id gaps doubled, odd when a term frequency other than 1 follows; as varints."""
    numbers, previous = [], -1
    for doc, tf in posting:
        numbers += [(doc - previous) * 2] if tf == 1 else [(doc - previous) * 2 + 1, tf]
        previous = doc
    return "".join(encode_varint(n) for n in numbers)


HARD_PAGES = [
    page("tricky", " ".join(TRICKY[:8]), " ".join(TRICKY * 3), ("code", "unknown-tag"), "Apr 9"),
    page("no-date", "Model models modeling", "the the the model " * 40, (), ""),
    page("early", "GPT-4 and GPT-4o", "gpt-4 " * 300 + "e.g. e.g.", ("agents",), "Jan 1"),
]


def bundled_corpus() -> tuple[list[Page], Taxonomy]:
    pages, _ = read_site_pages(REPO / "content" / "papers", REPO)
    return pages, load_taxonomy(REPO / "content" / "taxonomy.yaml")


@pytest.mark.parametrize("corpus", ["test pages", "bundled corpus"])
def test_builder_writes_the_same_bytes_as_the_straightforward_one(
    corpus: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages, taxonomy = (PAGES + HARD_PAGES, TAXONOMY) if corpus == "test pages" else bundled_corpus()
    if not pages:
        pytest.skip("no bundled corpus")
    fast = build_index(pages, taxonomy)
    plain = reference_index(pages, taxonomy)
    assert fast.terms == plain.terms and fast.words == plain.words
    assert fast.lengths == plain.lengths and fast.sizes == plain.sizes
    assert fast.encoded == plain.encoded
    assert [p.slug for p in fast.docs] == [p.slug for p in plain.docs]
    files = build_search_assets(pages, taxonomy)
    monkeypatch.setattr(search, "build_index", reference_index)
    expected = build_search_assets(pages, taxonomy)
    assert files.keys() == expected.keys()
    assert [rel for rel in files if files[rel] != expected[rel]] == []


@pytest.mark.parametrize(("pairs", "packed"), [(1, 1 << 62), (7, 1 << 62), (1000, 1 << 62), (1000, 1)])
def test_postings_encoded_a_few_pairs_at_a_time_are_the_same(
    pairs: int, packed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The builder encodes postings in slices of terms (memory at 50,000 papers), sorting
    packed keys (or, when they would not fit, an order array); any slice size, either way,
    gives what the straightforward builder gives."""
    pages, taxonomy = bundled_corpus()
    pages += PAGES + HARD_PAGES
    monkeypatch.setattr(postings_module, "_SLICE", pairs)
    monkeypatch.setattr(postings_module, "_PACKED", packed)
    fast, plain = build_index(pages, taxonomy), reference_index(pages, taxonomy)
    assert fast.terms == plain.terms and fast.encoded == plain.encoded and fast.sizes == plain.sizes


def test_texts_analysed_by_an_earlier_build_change_nothing() -> None:
    """What earlier builds analysed is only a memo: from another corpus, from this one with
    pages since edited, or handed through several builds (its words renumbered when most are
    gone), the index is the one a cold analysis gives; only unknown texts are analysed, and
    the memo handed on holds this corpus's texts only."""
    pages, taxonomy = PAGES + HARD_PAGES, TAXONOMY
    bundled, _ = bundled_corpus()
    edited = [dataclasses.replace(p, body=p.body + " Edited: newer words, text-to-SQL!") for p in pages]
    cold = build_index(edited, taxonomy)
    chained = build_index(bundled, taxonomy).known
    for earlier in (bundled, pages, edited[:2], edited[2:3] + pages[:1]):
        known = build_index(earlier, taxonomy).known
        chained = build_index(earlier, taxonomy, chained).known
        for memo in (known, chained):
            warm = build_index(edited, taxonomy, memo)
            assert (warm.terms, warm.words, warm.encoded) == (cold.terms, cold.words, cold.encoded)
            assert (warm.sizes, warm.lengths) == (cold.sizes, cold.lengths)
            assert warm.known.texts.keys() == cold.known.texts.keys()
            assert warm.analysed == len(cold.known.texts.keys() - memo.texts.keys())
    assert len(chained.words) < len(build_index(bundled, taxonomy).known.words)  # renumbered on the way
    assert build_index(edited, taxonomy, cold.known).analysed == 0
    assert cold.analysed == len(edited)


def test_a_build_finds_each_unchanged_papers_text_key_by_its_searched_digest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given each page's `searched_digest`, a warm build hashes again only the text of a page
    whose digest changed (an edit): 10,000 abstracts took 50 ms of every build's search
    process. The index is the one a cold build gives."""
    pages, taxonomy = PAGES + HARD_PAGES, TAXONOMY
    earlier = build_index(pages, taxonomy, None, {p.slug: searched_digest(p) for p in pages}).known
    edited = [dataclasses.replace(pages[0], body=pages[0].body + " Edited: new words."), *pages[1:]]
    hashed: list[str] = []

    def counted(title: str, text: str) -> str:
        hashed.append(title)
        return text_key(title, text)

    monkeypatch.setattr(analysed_module, "text_key", counted)
    warm = build_index(edited, taxonomy, earlier, {p.slug: searched_digest(p) for p in edited})
    assert hashed == [edited[0].title]
    monkeypatch.undo()
    cold = build_index(edited, taxonomy)
    assert (warm.terms, warm.words, warm.encoded, warm.sizes) == (
        cold.terms,
        cold.words,
        cold.encoded,
        cold.sizes,
    )
    assert warm.analysed == 1 and warm.known.texts.keys() == cold.known.texts.keys()


# --- lunr compatibility ------------------------------------------------------------------------

LUNR_QUERIES = [
    "agents",
    "quantization weights",
    "sql",
    "texttosql",
    "lean4",
    "quant*",
    "agent~1",
    "plan tool",
]


def stock_lunr(
    pages: list[Page], taxonomy: Taxonomy = TAXONOMY, fields: tuple[tuple[str, float], ...] = FIELDS
) -> Index:
    """Stock lunr.py on the same words (our tokenizer, lunr's stop words and stemmer)."""
    builder = Builder()
    builder.pipeline.add(stop_word_filter, stemmer)
    builder.search_pipeline.add(stemmer)
    builder.ref("id")
    for name, boost in fields:
        builder.field(name, boost)
    for doc_id, p in enumerate(pages):
        texts = indexed_texts(p, taxonomy, [name for name, _ in fields])
        builder.add({"id": str(doc_id), **{n: words(t) for (n, _), t in zip(fields, texts, strict=True)}})
    return builder.build()


@pytest.mark.parametrize(
    ("corpus", "fields"),
    [("test pages", 3), ("bundled corpus", 3), ("pages with authors", 4), ("with arXiv ids", 5)],
)
def test_direct_index_equals_stock_lunr_py(corpus: str, fields: int) -> None:
    pages, taxonomy = {
        "test pages": lambda: (PAGES + HARD_PAGES, TAXONOMY),
        "bundled corpus": bundled_corpus,
        "pages with authors": lambda: (AUTHORED + HARD_PAGES, TAXONOMY),
        "with arXiv ids": lambda: (AUTHORED + HARD_PAGES + WITH_IDS, TAXONOMY),
    }[corpus]()
    if not pages:
        pytest.skip("no bundled corpus")
    index = build_index(pages, taxonomy)
    ours = to_lunr_json(index)
    stock = stock_lunr(index.docs, taxonomy, index.boosts).serialize()
    assert len(index.boosts) == fields
    assert ours["fields"] == stock["fields"] and ours["version"] == stock["version"] == "2.3.9"

    def postings(data: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
        return {t: {f: sorted(p[f]) for f in data["fields"]} for t, p in data["invertedIndex"]}

    def vectors(data: dict[str, Any]) -> dict[str, dict[str, float]]:
        term = {p["_index"]: t for t, p in data["invertedIndex"]}
        return {ref: {term[v[i]]: v[i + 1] for i in range(0, len(v), 2)} for ref, v in data["fieldVectors"]}

    assert postings(ours) == postings(stock)
    ours_v, stock_v = vectors(ours), vectors(stock)
    assert ours_v.keys() == stock_v.keys()
    for ref, scores in stock_v.items():
        assert ours_v[ref].keys() == scores.keys()
        for term, score in scores.items():
            assert ours_v[ref][term] == pytest.approx(score, abs=0.0011)


def test_lunr_js_and_lunr_py_load_our_index_and_agree_with_stock_lunr(tmp_path: Path) -> None:
    index = build_index(PAGES, TAXONOMY)
    data = to_lunr_json(index)
    stock = stock_lunr(index.docs)
    ours_py = Index.load(data)
    path = tmp_path / "index.json"
    path.write_text(json.dumps(data))
    ours_js = search_in_node({"lunr": str(path), "queries": LUNR_QUERIES})
    for query, js in zip(LUNR_QUERIES, ours_js, strict=True):
        expected = [(r["ref"], r["score"]) for r in stock.search(query)]
        assert expected, query
        for got in ([(r["ref"], r["score"]) for r in ours_py.search(query)], [tuple(r) for r in js]):
            assert [ref for ref, _ in got] == [ref for ref, _ in expected], query
            assert [s for _, s in got] == pytest.approx([s for _, s in expected], rel=1e-3), query


@pytest.mark.parametrize("pages", [PAGES, AUTHORED], ids=["without authors", "with authors"])
def test_index_built_from_shards_in_the_browser_scores_as_the_whole_lunr_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages: list[Page]
) -> None:
    monkeypatch.setattr(search, "SHARD_BYTES", 60)  # many shards, loaded in query order
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    whole = tmp_path / "index.json"
    whole.write_text(json.dumps(to_lunr_json(build_index(pages, TAXONOMY))))
    queries = [
        "lean4",
        "quant",
        "agents weights",
        "text-to-sql gpt-4",
        "quantizaton pruning",
        "age",
    ]
    queries += ["lovelace", "lira agent"] if pages is AUTHORED else []
    for query, (shards, full) in zip(
        queries, search_in_node({"site": str(site), "lunr": str(whole), "compare": queries}), strict=True
    ):
        assert shards, query
        assert [ref for ref, _ in shards] == [ref for ref, _ in full], query
        assert [s for _, s in shards] == pytest.approx([s for _, s in full], rel=1e-12), query


def test_an_empty_site_still_gets_a_working_search(tmp_path: Path) -> None:
    site = write_assets(build_search_assets([], TAXONOMY), tmp_path / "_site")
    result = search_in_node({"site": str(site), "queries": [{"q": "anything"}, {"q": "", "tag": "agents"}]})
    assert [r["total"] for r in result] == [0, 0]


def test_words_outside_the_basic_plane_survive_the_word_list(tmp_path: Path) -> None:
    # CJK Extension B ideographs are letters of two UTF-16 units each in JavaScript.
    pages = [page("ext-b", "\U00020000\U00020001x and \U00020000\U00020001y", "Rare \U00020000 text.")]
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    queries = [{"q": "\U00020000\U00020001y"}, {"q": "\U00020000\U00020001x"}, {"q": "\U00020000"}]
    assert [slugs(r) for r in search_in_node({"site": str(site), "queries": queries})] == [["ext-b"]] * 3


# --- ranking and query syntax: what a reader sees ---------------------------------------

RANKING_PAGES = [
    page(
        "flashattention",
        "FlashAttention-2: Faster Attention with Better Parallelism",
        "An exact attention kernel.",
        (),
        "2025-03-01",
    ),
    page(
        "flash-llm",
        "Flash-LLM: Sparse Inference on Tensor Cores",
        "Flash storage and attention to memory.",
        (),
        "2025-03-05",
    ),
    page(
        "spaced", "Kernels for Long Context", "We revisit flash attention for long inputs.", (), "2025-02-01"
    ),
    page(
        "routing",
        "Routing Queries Between LLMs",
        "A learned model routing method picks a model per query.",
        ("agents",),
        "2025-01-10",
    ),
    page(
        "vehicles",
        "Vehicle Routes with Solvers",
        "Vehicle routing problems and the model of a fleet.",
        (),
        "2024-12-01",
    ),
    page("reward-model", "Training a Reward Model", "A reward model scores answers.", (), "2025-02-20"),
    page(
        "reward-often",
        "Sparse Rewards for Agents",
        "Reward shaping: reward, reward, reward. Agents learn a policy model.",
        ("agents",),
        "2025-02-21",
    ),
    page("moe-survey", "A Survey of Mixture of Experts", "MoE survey of routing experts.", (), "2025-03-02"),
    page(
        "moe-method",
        "Faster MoE Inference",
        "Mixture-of-experts layers, served faster.",
        ("compression",),
        "2024-11-02",
    ),
    page("quant-title", "Quantization for Phones", "Small models on device.", ("compression",), "2025-01-01"),
    page(
        "quant-body",
        "Memory-Light Serving",
        "We use quantization and pruning.",
        ("compression",),
        "2025-01-02",
    ),
    page(
        "dpo-spelled",
        "Aligning Agents",
        "We apply direct preference optimization to agents.",
        ("agents",),
        "2025-01-03",
    ),
    page(
        "preference-alone",
        "Learning What Users Prefer",
        "Optimization of a preference score, one word at a time.",
        (),
        "2024-10-01",
    ),
    page(
        "dpo-scattered",
        "Direct Answers for Short Questions",
        "An optimization of ranking, with a preference for brief replies.",
        (),
        "2024-09-03",
    ),
    page(
        "experts-apart",
        "Sparse Experts for Translation",
        "A mixture of experts layer for translation.",
        (),
        "2024-09-01",
    ),
    page(
        "give-me",
        "Give Me Speed or Give Me Accuracy",
        "A trade-off study of decoding settings.",
        (),
        "2024-09-02",
    ),
    page("kv-title", "KV Caching for Fast Decoding", "We keep keys around between steps.", (), "2024-08-01"),
    page(
        "kv-both",
        "Serving Systems at Scale",
        "The KV cache, or key-value cache, of a server; a batch scheduler.",
        (),
        "2024-08-02",
    ),
    page(
        "js-words",
        "The Constructor Pattern",
        "Calling toString on __proto__ and hasOwnProperty.",
        ("code",),
        "2025-01-04",
    ),
]
RANKING_SYNONYMS = Synonyms(
    (
        ("DPO", "direct preference optimization"),
        ("MoE", "mixture of experts"),
        ("KV cache", "key-value cache"),
    )
)


@pytest.fixture(scope="module")
def ranking_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = build_search_assets(RANKING_PAGES, TAXONOMY, RANKING_SYNONYMS)
    return write_assets(files, tmp_path_factory.mktemp("ranking") / "_site")


@pytest.mark.parametrize(
    ("query", "first", "absent"),
    [
        (
            "flash attention",
            ["flashattention", "spaced", "flash-llm"],
            [],
        ),  # joined ↔ spaced before a name clash
        ("flashattention", ["flashattention", "spaced", "flash-llm"], []),
        ("model router", ["routing"], []),  # router ↔ routing, title first
        ('"reward model"', ["reward-model"], ["reward-often"]),  # a quoted phrase: side by side only
        ("reward model", ["reward-model"], []),
        ('"reward mod', ["reward-model"], []),  # a phrase being typed is not checked yet
        ("moe -survey", ["moe-method"], ["moe-survey"]),  # -word leaves papers out
        ("title:quantization", ["quant-title"], ["quant-body"]),  # only titles
        ("quant*", ["quant-title", "quant-body"], []),  # a wildcard completes the word
        ("memory -quant*", [], ["quant-body"]),  # ... and leaves every completion out
        ("DPO", ["dpo-spelled"], ["preference-alone"]),  # spelled out, and only whole
        ("constructor", ["js-words"], []),  # words that are names on Object.prototype
        ("tostring", ["js-words"], []),
        ("__proto__", ["js-words"], []),
        ("hasownproperty", ["js-words"], []),
    ],
)
def test_ranking_finds_what_the_reader_means(
    ranking_site: Path, query: str, first: list[str], absent: list[str]
) -> None:
    found = slugs(search_in_node({"site": str(ranking_site), "queries": [{"q": query}]})[0])
    assert found[: len(first)] == first, found
    assert not set(absent) & set(found), found


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        ({"q": "tag:agents reward"}, ["reward-often"]),
        ({"q": "", "tags": ["agents", "compression"]}, []),  # every tag required
        ({"q": "", "tags": ["agents"], "sort": "oldest"}, ["dpo-spelled", "routing", "reward-often"]),
        ({"q": "quantization after:2025-01-02"}, ["quant-body"]),
        ({"q": "quantization before:2025-01-02"}, ["quant-title"]),
        # A minus leaves a tag out, and turns a date round (it was dropped: the filter kept
        # what the reader wanted gone, a reviewer's `llm -tag:survey`).
        ({"q": "reward -tag:agents"}, ["reward-model"]),
        ({"q": "quantization -after:2025-01-02"}, ["quant-title"]),
        ({"q": "quantization -before:2025-01-02"}, ["quant-body"]),
        ({"q": "moe", "from": "2025-03", "to": "2025-03"}, ["moe-survey"]),
        ({"q": "routing", "sort": "newest"}, ["moe-survey", "routing", "vehicles"]),
        # By date, papers with every word first: moe-survey (newest) has only "routing"
        ({"q": "routing model", "sort": "newest", "k": 2}, ["routing", "vehicles"]),
        ({"q": "routing model", "sort": "oldest", "k": 2}, ["vehicles", "routing"]),
    ],
)
def test_filters_and_sort(ranking_site: Path, request_: dict[str, Any], expected: list[str]) -> None:
    result = search_in_node({"site": str(ranking_site), "queries": [request_]})[0]
    assert slugs(result) == expected


def test_a_paper_listed_in_two_months_is_found_in_either(tmp_path: Path) -> None:
    """Listed Dec 15 and again Jan 2: the December archive lists it, but `from=2025-12&to=2025-12`
    and `before:2026-01` found nothing (only its newest day was in the index)."""
    twice = dataclasses.replace(
        page("hospital-triage", "Hospital Triage Agents", "Agents triage patients in a hospital."),
        sources=(
            Source("a.txt", 7, "2026-01-02"),
            Source("b.txt", 9, "2025-12-15"),
            Source("c.txt", 3, "2025-11-20"),
        ),
    )
    once = page("hospital-beds", "Hospital Beds", "Forecasting hospital beds.", listed="2025-12-20")
    site = write_assets(build_search_assets([twice, once, *PAGES], TAXONOMY), tmp_path / "_site")
    requests = [
        {"q": "hospital", "from": "2025-12", "to": "2025-12"},
        {"q": "hospital before:2026-01"},
        {"q": "hospital", "from": "2026-01", "to": "2026-01"},
        {"q": "hospital", "from": "2025-11", "to": "2025-11"},
        {"q": "hospital", "from": "2025-10", "to": "2025-10"},
        {"q": "hospital after:2025-12-16", "sort": "newest"},
        {"q": "hospital", "from": "2025-12", "to": "2025-12", "sort": "newest"},
        {"q": "hospital", "from": "2025-12", "to": "2025-12", "sort": "oldest"},
    ]
    results = search_in_node({"site": str(site), "queries": requests})
    found = [slugs(r) for r in results]
    both, triage = ["hospital-beds", "hospital-triage"], ["hospital-triage"]
    assert [sorted(f) for f in found[:5]] == [both, both, triage, triage, []]
    assert found[5] == ["hospital-triage", "hospital-beds"]  # by its newest day
    # Within a range, a paper is dated and sorted by its newest day in it: "Jan 2" headed a
    # search of December (a reviewer's "Apr 11" in a search from January to March).
    assert (found[6], results[6]["listed"]) == (both, ["2025-12-20", "2025-12-15"])
    assert (found[7], results[7]["listed"]) == ([*triage, "hospital-beds"], ["2025-12-15", "2025-12-20"])
    assert sorted(results[0]["listed"]) == ["2025-12-15", "2025-12-20"]  # by relevance: in December too
    assert results[5]["listed"] == ["2026-01-02", "2025-12-20"]  # after Dec 16: Jan 2 is in it


def test_a_date_filter_that_is_not_a_date_is_left_out_and_named(ranking_site: Path) -> None:
    """`after:2026-13` was searched as the words `after 2026 13`, with no filter and no word."""
    plain, bad, typing, no_such_day = search_in_node(
        {
            "site": str(ranking_site),
            "queries": [
                {"q": "quantization"},
                {"q": "quantization after:2026-13"},
                {"q": "quantization after:20"},
                {"q": "quantization after:2025-02-30"},
            ],
        }
    )
    assert bad["paths"] == typing["paths"] == plain["paths"] and bad["matched"] == plain["matched"]
    assert bad["ignored"] == ["after:2026-13"] and typing["ignored"] == []  # one being typed: quietly
    assert no_such_day["ignored"] == ["after:2025-02-30"]  # read as Mar 2, silently, by a reviewer


def test_a_field_or_filter_with_nothing_after_it_is_no_word(tmp_path: Path) -> None:
    """`title:` (a reader about to type the word) found the papers saying "titled", and `tag:`
    those saying "tagging": the prefix was searched as a word being typed (a reviewer)."""
    pages = [
        page("titled", "A Paper Titled Plainly", "Its title says what it does, for a model of tagging."),
        page("other", "Serving Models Fast", "We serve language models with batching."),
    ]
    site = write_assets(build_search_assets(pages, TAXONOMY, Synonyms(())), tmp_path / "_site")
    queries = ["models", "title:", "tag:", "Before:", "models title:", "models tag:"]
    models, *found = search_in_node({"site": str(site), "queries": [{"q": q} for q in queries]})
    assert [r["paths"] for r in found] == [[], [], [], models["paths"], models["paths"]]
    assert all(r["ignored"] == [] for r in found)


def test_a_completion_of_the_word_is_not_its_words_side_by_side(tmp_path: Path) -> None:
    """`vit`: three papers that said only "vital" (a completion) came before the review of
    vision transformers, counted as holding the spelled-out synonym side by side. (Its words
    must be side by side: `test_a_synonym_spelled_out_counts_only_with_its_words_side_by_side`.)"""
    pages = [
        page("vit-pruning", "Pruning ViT Tokens", "We prune tokens of a ViT for faster image models."),
        page("vision-review", "A Review of Vision Models", "Vision transformers as backbones, and mixers."),
        page("vital-signs", "Forecasting Patients", "Vital signs of patients are forecast by a model."),
    ]
    synonyms = Synonyms((("ViT", "vision transformer"),))
    site = write_assets(build_search_assets(pages, TAXONOMY, synonyms), tmp_path / "_site")
    [result] = search_in_node({"site": str(site), "queries": [{"q": "vit"}]})
    assert slugs(result) == ["vit-pruning", "vision-review", "vital-signs"]


def test_british_and_american_spellings_find_each_other(tmp_path: Path) -> None:
    """`behaviour` found one paper where `behavior` found 21 (a word the index holds is not
    misspelt, so no near miss stood in for it)."""
    pages = [
        page("agent-behavior", "Specifying the Behavior of Agents", "We specify agent behavior formally."),
        page("behaviour-survey", "Behaviour of Chatbots", "A survey of chatbot behaviour in the wild."),
        page("optimizers", "Optimizing Learning Rates", "We optimize schedules and analyze their modeling."),
        page("centre", "A Data Centre Study", "Serving requests in a data centre."),
    ]
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    queries = ["behaviour", "behavior", "optimise analyse", "modelling", "center"]
    found = [
        sorted(slugs(r)) for r in search_in_node({"site": str(site), "queries": [{"q": q} for q in queries]})
    ]
    assert found == [
        ["agent-behavior", "behaviour-survey"],
        ["agent-behavior", "behaviour-survey"],
        ["optimizers"],
        ["optimizers"],
        ["centre"],
    ]


def test_a_number_with_a_dot_is_not_its_digits_joined(tmp_path: Path) -> None:
    """`2.0` put papers saying "20" (in a title, ×10) above the paper on Web 2.0, every one
    counted as holding the query: the joined digits count only where the text writes the
    number with its dot. `20` still finds both, as Pagefind's stripped punctuation does."""
    pages = [
        page("twenty", "Agents With 20 Tools", "We give agents 20 tools and 15 benchmarks."),
        page("web", "Agents for the Web", "We revisit agents for the Web 2.0 era with Gemini 1.5."),
    ]
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    dotted, gemini, joined = search_in_node(
        {"site": str(site), "queries": [{"q": "2.0"}, {"q": "agents 1.5"}, {"q": "20"}]}
    )
    assert slugs(dotted)[0] == "web" and dotted["complete"] == 1
    assert slugs(gemini)[0] == "web" and gemini["complete"] == 1
    assert sorted(slugs(joined)) == ["twenty", "web"]


LONG_COMPOUND = "retrieval-augmented-generation-for-knowledge-intensive-tasks"  # joined: 55 letters


def test_a_hyphenated_synonym_finds_the_papers_that_write_it_apart(ranking_site: Path) -> None:
    """`KV-cache` found 4 of the 10 papers `KV cache` finds: a typed compound was searched
    only joined, and the list's words-apart spelling was skipped as the one typed."""
    for query in ("mixture-of-experts", "mixture of experts"):
        found = slugs(search_in_node({"site": str(ranking_site), "queries": [{"q": query}]})[0])
        assert set(found[:2]) == {"moe-survey", "moe-method"}, (query, found)  # MoE in the title
        assert "experts-apart" in found, (query, found)


def test_a_synonym_spelled_out_counts_only_with_its_words_side_by_side(ranking_site: Path) -> None:
    """`ICL` put papers saying "context" in one place and "learning" in another (the ×10
    title boost on "learning") above papers saying in-context learning or ICL."""
    result = search_in_node({"site": str(ranking_site), "queries": [{"q": "DPO"}]})[0]
    found = slugs(result)
    assert found[0] == "dpo-spelled" and result["complete"] == 1, found
    assert "dpo-scattered" in found[1:], found  # found, as a paper with some of the words


def test_several_spellings_of_one_synonym_count_once_side_by_side(ranking_site: Path) -> None:
    """A paper writing both "KV cache" and "key-value cache" outranked one with "KV Caching"
    in its title: each spelling counted as one more pair of the query's words together."""
    found = slugs(search_in_node({"site": str(ranking_site), "queries": [{"q": "kv cache"}]})[0])
    assert found[:2] == ["kv-title", "kv-both"], found


def test_a_quoted_phrase_keeps_its_repeated_words(ranking_site: Path) -> None:
    """A pasted title `"Give Me BF16 or Give Me Death"` found nothing: its repeated words
    were dropped, and `give bf16 death` is no run of the title."""
    result = search_in_node(
        {"site": str(ranking_site), "queries": [{"q": '"Give Me Speed or Give Me Accuracy"'}]}
    )[0]
    assert slugs(result) == ["give-me"]


def test_a_suggestion_keeps_the_operators_and_mends_a_tag(ranking_site: Path) -> None:
    """`tag:agent` was offered as "Did you mean tog agent?"."""
    asked = [{"q": "rewrd tag:agent"}, {"q": "rewrd after:2027"}, {"q": "reward tag:nosuchthing"}]
    mended, dated, unknown = search_in_node({"site": str(ranking_site), "queries": asked})
    assert mended["suggestion"] == "reward tag:agents"
    assert dated["suggestion"] == "reward after:2027"
    assert unknown["total"] == 0 and unknown["suggestion"] is None


def test_a_compound_too_long_to_index_joined_keeps_every_part_in_a_phrase() -> None:
    assert phrase_terms(f"{LONG_COMPOUND} now") == [
        "retriev",
        "augment",
        "gener",
        "knowledg",
        "intens",
        "task",
        "now",
    ]


def test_a_compound_too_long_to_index_joined_is_still_found_by_its_parts(tmp_path: Path) -> None:
    pages = [
        page("long", "Long Names", f"We study {LONG_COMPOUND} at scale."),
        page("short", "Generation Tasks", "Knowledge and retrieval for generation, not intensive."),
    ]
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    queries = [{"q": f'"{LONG_COMPOUND} at scale"'}, {"q": f'"{LONG_COMPOUND} now"'}, {"q": LONG_COMPOUND}]
    quoted, wrong_tail, typed = search_in_node({"site": str(site), "queries": queries})
    assert slugs(quoted) == ["long"]
    assert slugs(wrong_tail) == []  # every word of the phrase is checked, "tasks" included
    assert slugs(typed)[0] == "long"


def test_a_word_of_one_tags_title_names_the_tag(tmp_path: Path) -> None:
    """`tag:rag` found nothing and suggested nothing, on a site whose chips read "Retrieval &
    RAG"; a word two titles share names neither."""
    taxonomy = Taxonomy(
        (
            TagDef("retrieval", "Retrieval & RAG", "Search."),
            TagDef("inference", "Inference & serving", "Serving."),
            TagDef("training", "Pre-training & scaling", "Scale."),
            TagDef("compression", "Compression & serving", "Small."),
        )
    )
    pages = [
        page("rag-paper", "Fresh Documents", "Retrieval for answers.", ("retrieval",)),
        page("serve-paper", "Fast Replies", "Batching requests.", ("inference",)),
        page("quant-paper", "Small Replies", "Fewer bits.", ("compression",)),
    ]
    site = write_assets(build_search_assets(pages, taxonomy, Synonyms()), tmp_path / "_site")
    asked = [{"q": "tag:rag"}, {"q": "tag:RAG replies"}, {"q": "tag:serving"}, {"q": "tag:scaling"}]
    rag, none, shared, scaling = search_in_node({"site": str(site), "queries": asked})
    assert slugs(rag) == ["rag-paper"] and none["total"] == 0
    assert shared["total"] == 0 and scaling["total"] == 0  # "serving": two tags; no paper in "training"


def test_an_acronym_is_its_spelled_out_words_together(tmp_path: Path) -> None:
    """`text-to-speech` put TouchTTS, which says only TTS, last: papers naming text-to-speech
    once in a list held "the words side by side", and the acronym did not count as them."""
    pages = [
        page(
            "touch", "TouchTTS: A Simple TTS Framework", "We train a TTS model on a million hours of speech."
        ),
        page("review", "A Review of Multimodal Models", "Tasks: captioning, text-to-speech, translation."),
    ]
    synonyms = Synonyms((("TTS", "text-to-speech", "speech synthesis"),))
    site = write_assets(build_search_assets(pages, TAXONOMY, synonyms), tmp_path / "_site")
    for query in ("text-to-speech", "text to speech", "TTS"):
        [result] = search_in_node({"site": str(site), "queries": [{"q": query}]})
        assert slugs(result) == ["touch", "review"], query


def test_show_more_on_a_phrase_search_reads_on(tmp_path: Path) -> None:
    """At 10,000 papers `"reward model"` said "30 results" of 161 papers holding it, and
    "Show more" never found more: only the best candidates had been read."""
    pages = [
        page(
            f"rm-{i:02d}",
            f"Paper {i}",
            f"We train a reward model for task {i}.",
            listed=f"2025-03-{1 + i % 28:02d}",
        )
        for i in range(60)
    ]
    site = write_assets(build_search_assets(pages, TAXONOMY, Synonyms()), tmp_path / "_site")
    first, more = search_in_node(
        {"site": str(site), "queries": [{"q": '"reward model"'}, {"q": '"reward model"', "more": 60}]}
    )
    assert first["total"] < 60 and first["phraseUnchecked"] == 60 - first["phraseChecked"] > 0
    assert more["total"] == 60 and more["phraseUnchecked"] == 0 and more["keptOrder"]


def test_a_title_phrase_is_looked_for_in_titles_only(tmp_path: Path) -> None:
    """`title:"code generation"` listed first a paper whose abstract, not title, held it."""
    pages = [
        page("in-title", "Code Generation at Scale", "We write programs.", (), "2025-01-01"),
        # Both words in the title, apart; side by side only in the abstract.
        page("in-abstract", "Code Cleaning for Generation", "A study of code generation.", (), "2025-01-02"),
    ]
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    titled, anywhere = search_in_node(
        {"site": str(site), "queries": [{"q": 'title:"code generation"'}, {"q": '"code generation"'}]}
    )
    assert slugs(titled) == ["in-title"]
    assert sorted(slugs(anywhere)) == ["in-abstract", "in-title"]


def test_leaving_out_a_tag_the_site_lacks_is_said(ranking_site: Path) -> None:
    """`-tag:surveys` (the tag is `survey`) left nothing out, without a word."""
    lacking, known = search_in_node(
        {"site": str(ranking_site), "queries": [{"q": "reward -tag:agent"}, {"q": "reward -tag:agents"}]}
    )
    assert lacking["unknownNotTags"] == ["agent"] and known["unknownNotTags"] == []


# --- what the index leaves out of an abstract ---------------------------------------------


def test_an_availability_statement_does_not_make_a_paper_about_code(tmp_path: Path) -> None:
    """`code generation` ranked first a paper on image generation whose abstract ends "Our code
    is available at https://github.com/...": the statement made `code` one of its topic words,
    and `generation` in its title (×10) did the rest. The page keeps the statement."""
    statement = "Our code is available at https://github.com/lab/image-gen."
    pages = [
        page(
            "programs",
            "Programs from Descriptions",
            "We study code generation for Python tasks.",
            (),
            "2025-01-01",
        ),
        page(
            "images",
            "Image Generation at Scale",
            f"We train diffusion models for images. {statement}",
            (),
            "2025-01-02",
        ),
    ]
    files = build_search_assets(pages, TAXONOMY)
    site = write_assets(files, tmp_path / "_site")
    [code_generation, github] = search_in_node(
        {"site": str(site), "queries": [{"q": "code generation"}, {"q": "github"}]}
    )
    assert slugs(code_generation) == ["programs", "images"] and code_generation["complete"] == 1
    assert github["total"] == 0  # an address is no word of the paper's
    chunk = load_js_bytes(files["assets/search/d0.js"])[1]
    assert any(statement in row[2] for row in chunk["d"])  # snippets show the abstract as written


STATEMENTS = [
    ("We prune LLMs. Code is available at https://github.com/a/b.", "We prune LLMs. "),
    ("We prune LLMs. Our code and data will be released.", "We prune LLMs. "),
    ("We prune LLMs. We release our models and code to support further research.", "We prune LLMs. "),
    ("We prune LLMs. Project page: https://a.github.io/prune", "We prune LLMs. "),
    # Topical sentences with the words stay: long ones, or saying what is available to whom.
    ("When tools are available, agents call them. We prune.", None),
    (
        "We prune LLMs. To mitigate the lack of publicly available datasets, we compile an "
        "extensive dataset of 110K GitHub issues and patches, and train both modules on it.",
        None,
    ),
    ("We share our operational experience in fixing failures.", None),
    ("We prune LLMs. Code: soon.\n\n## Notes\n\nOur code is available at the lab.", None),  # notes stay
]


def test_availability_statements_are_left_out_of_the_indexed_abstract() -> None:
    for body, left in STATEMENTS:
        assert without_statements(body) == (body if left is None else left), body


def test_a_compound_ranks_its_words_together_above_its_parts_apart(tmp_path: Path) -> None:
    """`multi-agent` listed a dozen papers on multi-turn dialogue with agents (both parts in
    their titles, ×10) above the one on a multi-agent debate: the parts counted anywhere, and
    only the first ten results were checked for the words side by side."""
    pages = [
        page(
            f"turns-{i:02d}",
            f"Multi-Turn Training of Agents {i}",
            "We train agents over multi-turn dialogue.",
        )
        for i in range(12)
    ]
    pages += [
        page(f"other-{i:02d}", f"Quantization {i}", "We quantize the weights of models.") for i in range(80)
    ]
    debate = "Language models debate in a multi-agent setting to improve the factuality of their answers."
    pages.append(page("debate", "Debate Improves Factuality", debate))
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    for query in ("multi-agent", "multiagent"):
        [result] = search_in_node({"site": str(site), "queries": [{"q": query}]})
        assert slugs(result)[0] == "debate" and result["complete"] == 1, query


def test_a_compound_written_with_a_hyphen_is_the_same_word_side_by_side(tmp_path: Path) -> None:
    """`MLLM` (a synonym of "multimodal LLM") and `"multimodal LLM"` left out papers writing
    "multi-modal LLMs": the index holds the compound joined as well, but the check for the
    words side by side read it only as its parts."""
    pages = [
        page(
            "hyphen", "Adaptive Inference", "We prune tokens of multi-modal LLMs for video.", (), "2025-01-01"
        ),
        page("apart", "Multimodal Inputs", "Multimodal inputs help; an LLM reads them.", (), "2025-01-02"),
    ]
    synonyms = Synonyms((("MLLM", "multimodal LLM"),))
    site = write_assets(build_search_assets(pages, TAXONOMY, synonyms), tmp_path / "_site")
    acronym, phrase = search_in_node(
        {"site": str(site), "queries": [{"q": "MLLM"}, {"q": '"multimodal llm"'}]}
    )
    assert slugs(acronym) == ["hyphen", "apart"] and acronym["complete"] == 1
    assert slugs(phrase) == ["hyphen"]


def test_a_compound_typed_after_a_word_is_side_by_side_with_it_in_either_spelling(tmp_path: Path) -> None:
    """`continual pre-training` put a survey saying "continual pretraining" once ahead of the
    paper with the phrase in its title (a reviewer): the pair of words read the compound only
    joined, as the survey writes it, while a text reads `pre-training` as its parts."""
    survey = page(
        "survey",
        "Towards Lifelong Learning: A Survey",
        "We survey lifelong learning: continual pretraining, fine-tuning and alignment of models.",
        (),
        "2025-01-02",
    )
    paper = page(
        "paper",
        "Efficient Continual Pre-training by Mitigating the Stability Gap",
        "Continual pre-training adapts a model to a new domain; the stability gap slows it.",
        (),
        "2025-01-01",
    )
    pages = [survey, paper] + [
        page(f"other-{i:02d}", f"Quantization {i}", "We quantize the weights of models.") for i in range(30)
    ]
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    queries = [
        {"q": q} for q in ("continual pre-training", "continual pretraining", "continual pre training")
    ]
    for query, result in zip(queries, search_in_node({"site": str(site), "queries": queries}), strict=True):
        assert slugs(result)[:2] == ["paper", "survey"], query


def test_a_synonym_spelled_out_is_marked_only_where_its_words_stand_together(tmp_path: Path) -> None:
    """`LoRA` marked "Low-Resource" and "Adaptation" in a title, and "low" and "adapting"
    in snippets (a reviewer): each word of "low-rank adaptation" was marked anywhere."""
    pages = [
        page(
            "lora",
            "Low-Resource Adaptation with LoRA",
            "We adapt models to low-resource languages; the low-rank adaptation trick keeps it cheap.",
        )
    ] + [page(f"other-{i:02d}", f"Quantization {i}", "We quantize the weights of models.") for i in range(5)]
    synonyms = Synonyms((("LoRA", "low-rank adaptation"),))
    site = write_assets(build_search_assets(pages, TAXONOMY, synonyms), tmp_path / "_site")
    [result] = search_in_node({"site": str(site), "queries": [{"q": "LoRA"}]})
    assert [text for text, marked in result["title"] if marked] == ["LoRA"]
    assert [text for text, marked in result["snippet"] if marked] == ["low-rank", "adaptation"]
    # A run cut by the snippet's window stays marked: it is marked as in the whole text (the
    # thirty words shown end at "low-rank", which was then shown unmarked).
    long = page("long", "Tuning", "quantize " * 29 + "low-rank adaptation")
    site = write_assets(build_search_assets([long, *pages[1:]], TAXONOMY, synonyms), tmp_path / "long")
    [result] = search_in_node({"site": str(site), "queries": [{"q": "LoRA quantize"}]})
    assert result["snippet"][-2:] == [["low-rank", True], [" \u2026", False]], result["snippet"][-3:]


def test_an_acronym_for_the_words_typed_counts_only_as_a_word_of_its_own(tmp_path: Path) -> None:
    """`machine translation` (a synonym of MT) counted papers evaluated on MT-Bench as saying
    it: the acronym was read inside a name, as a part of the compound."""
    pages = [
        page("bench", "Chat Models", "We evaluate chat models on MT-Bench and AlpacaEval.", (), "2025-01-03"),
        page("acronym", "Rare Languages", "We improve MT quality for rare languages.", (), "2025-01-02"),
        page("spelled", "Legal Texts", "Machine translation of legal texts.", (), "2025-01-01"),
    ]
    synonyms = Synonyms((("MT", "machine translation"),))
    site = write_assets(build_search_assets(pages, TAXONOMY, synonyms), tmp_path / "_site")
    [result] = search_in_node({"site": str(site), "queries": [{"q": "machine translation"}]})
    assert sorted(slugs(result)[:2]) == ["acronym", "spelled"] and result["complete"] == 2


def test_a_word_written_in_latex_is_found_as_the_page_shows_it(tmp_path: Path) -> None:
    """A reviewer: a page showed "naïvely" (its abstract says `na\\"ively`), but `naively`
    found nothing; the index read the LaTeX as the words "na" and "ively"."""
    pages = [
        page(
            "latex",
            "Compressed Text",
            'Text na\\"ively compressed, with 95\\% fewer tokens.',
            (),
            "2025-01-01",
        ),
        page("other", "Other Paper", "Unrelated words about routing.", (), "2025-01-02"),
    ]
    site = write_assets(build_search_assets(pages, TAXONOMY), tmp_path / "_site")
    [naively, ively] = search_in_node({"site": str(site), "queries": [{"q": "naively"}, {"q": "ively"}]})
    assert slugs(naively) == ["latex"] and slugs(ively) == []


def test_an_authors_surname_finds_their_papers_and_a_site_without_authors_has_no_such_field(
    tmp_path: Path,
) -> None:
    """Readers search by author: `lovelace` finds both of Ada Lovelace's papers, `lopez-lira`
    the one of a double-barrelled name (as `lira` does); an author's name that is also a
    topic word (`Agent Smith`) does not outrank the papers about it. A site none of whose
    papers has authors indexes no authors field: its search files are those it had."""
    site = write_assets(build_search_assets(AUTHORED, TAXONOMY), tmp_path / "_site")
    queries = [{"q": q} for q in ("lovelace", "Lopez-Lira", "lira", "hopper debate", "agent")]
    found = [slugs(r) for r in search_in_node({"site": str(site), "queries": queries})]
    assert sorted(found[0]) == ["agents-that-plan", "debate"]
    assert found[1:4] == [["agents-that-plan"], ["agents-that-plan"], ["debate"]]
    assert found[4][0] == "agents-that-plan"  # an agent in its title
    assert (
        '"fields":[["title",10.0],["body",1.0],["tags",2.0],["authors",2.0]]'
        in (site / "assets" / "search-index.js").read_text()
    )
    plain = build_search_assets(PAGES, TAXONOMY)["assets/search-index.js"].decode()
    assert '"fields":[["title",10.0],["body",1.0],["tags",2.0]]' in plain
    assert (
        plain.encode()
        == build_search_assets([dataclasses.replace(p, authors=()) for p in AUTHORED], TAXONOMY)[
            "assets/search-index.js"
        ]
    )

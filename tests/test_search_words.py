"""The word list in word shards (`assets/search/w<N>.js`): the engine loads the shards a
query consults before planning it, so a site cut into many word shards gives exactly the
results of one with a single shard; lunr.js stems the indexed words as the index did but
for the listed ones."""

from __future__ import annotations

import bisect
import itertools
import json
import subprocess
from pathlib import Path
from typing import Any

from helpers import search_in_node
from hypothesis import given, settings
from hypothesis import strategies as st
from test_search import TAXONOMY, bundled_corpus, page, slugs, write_assets

from site_builder.build.search import assets as search
from site_builder.build.search import words as search_words
from site_builder.build.search.index import build_index, js_sorted, term_order
from site_builder.build.search.js_stemmer import js_stem
from site_builder.build.search.synonyms import load_synonyms
from site_builder.core.model import Page
from site_builder.core.taxonomy import Taxonomy

REPO = Path(__file__).resolve().parent.parent

# Prefixes being typed, typos (of every kind of edit), compounds joined and apart, synonyms,
# other spellings, phrases, exclusions, fields, filters: every way planning reads words.
QUERIES = [
    "spe", "spec", "speculative dec", "speculative decoding", "quant", "quant*", "-quant* model",
    "q*", "halucination", "halucinaton detection", "retreival augmented generation", "trasnformer",
    "tarnsformer", "rtansformer", "ransformer", "multiagent", "multi-agent systems", "multi agent",
    "flash attention", "flashattention", "text-to-sql", "text to sql", "texttosql", "RLHF",
    "DPO for agents", "ICL", "KV cache", "kv-caches", '"reward model"', '"reward model" -survey',
    "title:quantization", 'abstract:"code generation"', "tag:agents planning", "-tag:survey agents",
    "after:2025-03 llm", "behaviour", "optimise", "modelling", "routing", "router", "lean4", "gpt-4",
    "chain-of-thought", "mixture of experts", "mixtureofexperts", "tokenizer", "xyzzyq",
    "visiontransformer", "vit", "agentic rl", "in-context learning", "long-context", "try", "days",
    "deploying", "quantisation", "benchmrak", "evalaution", "languagemodels", "selfattention",
    "finetuning", "the", "of the", "yield", "analyse", "centre", "dialogue",
]  # fmt: skip
REQUESTS: list[dict[str, Any]] = [{"q": q, "k": 20} for q in QUERIES]
REQUESTS += [{"q": q, "k": 20, "sort": "newest"} for q in QUERIES[:12]]
REQUESTS += [{"q": q, "k": 20, "tag": "agents"} for q in QUERIES[12:24]]


def site_with(
    pages: list[Page], taxonomy: Taxonomy, shard_bytes: int, out: Path, synonyms: Any = None
) -> Path:
    """The search files of `pages` with word shards of `shard_bytes` coded bytes."""
    index = build_index(pages, taxonomy)
    files, _ = search.search_files(index, taxonomy, synonyms, search_words.word_files(index, shard_bytes, 0))
    return write_assets(files, out)


def word_shards(site: Path) -> int:
    return len(list((site / "assets" / "search").glob("w*.js")))


def without_counts(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "words"} for r in results]


def test_many_word_shards_give_the_results_of_one(tmp_path: Path) -> None:
    """The bundled corpus cut into a hundred word shards and into one: every query of a
    varied list (each loading only the shards it consults) gives the same results,
    suggestions, snippets and highlights."""
    pages, taxonomy = bundled_corpus()
    synonyms = load_synonyms(REPO / "content" / "synonyms.yaml")
    many = site_with(pages, taxonomy, 300, tmp_path / "many", synonyms)
    one = site_with(pages, taxonomy, 10**9, tmp_path / "one", synonyms)
    assert word_shards(many) > 100 and word_shards(one) == 1
    sharded = search_in_node({"site": str(many), "queries": REQUESTS})
    assert without_counts(sharded) == without_counts(search_in_node({"site": str(one), "queries": REQUESTS}))
    loaded = [r["words"] for r in sharded]  # word shards loaded so far, by one engine
    assert (
        max(b - a for a, b in zip([0, *loaded], loaded, strict=False)) < word_shards(many) // 4
    )  # none read them all
    assert sum(r["total"] > 0 for r in sharded) > len(REQUESTS) * 3 // 4  # the queries find things
    assert sum(r["hint"] is not None for r in sharded) >= 2  # "Did you mean" read its shards too


def test_a_compound_split_across_word_shards_finds_its_parts(tmp_path: Path) -> None:
    """`multiagent`, a word the site has only apart: its halves live in two word shards
    (m…, a…), and the second is loaded once the first says `multi` is a word."""
    pages = [
        page("spaced", "Multi Agent Planning", "Each agent plans; multi means several here."),
        page("other", "Alignment of Models", "Alignment and agreement and answers about models."),
        page("more", "Memory for Machines", "Memory matters; many machines miss it."),
    ]
    site = site_with(pages, TAXONOMY, 20, tmp_path / "_site")
    meta = json.loads(
        (site / "assets" / "search-index.js").read_text().split("]=", 1)[1].rstrip().rstrip(";")
    )
    home = {w: max(i for i, bound in enumerate(meta["wordShards"]) if bound <= w) for w in ("multi", "agent")}
    assert home["multi"] != home["agent"]
    (found,) = search_in_node({"site": str(site), "queries": [{"q": "multiagent"}]})
    assert slugs(found) == ["spaced"]
    assert found["words"] >= 2 and found["words"] < word_shards(site)
    whole = site_with(pages, TAXONOMY, 10**9, tmp_path / "whole")
    assert without_counts([found]) == without_counts(
        search_in_node({"site": str(whole), "queries": [{"q": "multiagent"}]})
    )


def test_the_first_word_shard_is_loaded_for_the_first_letters_typed(tmp_path: Path) -> None:
    """A word being typed reads the shards of the words it begins, not the word list."""
    pages, taxonomy = bundled_corpus()
    site = site_with(pages, taxonomy, 300, tmp_path / "_site")
    result = search_in_node({"site": str(site), "queries": [{"q": "quant"}, {"q": "quantization pruning"}]})
    assert 1 <= result[0]["words"] <= 3
    assert result[1]["words"] < word_shards(site) // 10


def test_lunr_js_stems_the_indexed_words_as_the_port_and_as_the_index_but_listed_ones() -> None:
    """The entry point lists the words lunr.js stems otherwise than the index (lunr.py), so
    the browser stems a paper's text without the word list: the port of lunr.js's stemmer
    agrees with lunr.js on every word of the bundled corpus, and the two stemmers differ
    only on words with a `y` (the only ones the build stems again)."""
    pages, taxonomy = bundled_corpus()
    index = build_index(pages, taxonomy)
    words = [*sorted(index.words), "try", "trying", "fly", "days", "deploy", "syzygy", "yy", "yes", "sky"]
    in_js = search_in_node({"stems": words})
    assert [js_stem(w) for w in words] == in_js
    stems = dict(zip(words, in_js, strict=True))
    differ = [w for w in index.words if stems[w] != index.words[w]]
    assert differ and all("y" in w for w in differ)
    listed = search_words.word_files(index).stems
    assert len(listed.split(" ")) == len(differ)


def test_a_word_shard_changes_only_with_its_words(tmp_path: Path) -> None:
    """A paper with words of one initial only rewrites that initial's word shard (the term
    numbering each shard starts from is in the entry point)."""
    pages, taxonomy = bundled_corpus()
    before = search_words.word_files(build_index(pages, taxonomy), 300, 0)
    added = page("new", "Zymurgy Zymotic", "Zymurgy and zymotic zymology.")
    after = search_words.word_files(build_index([*pages, added], taxonomy), 300, 0)

    def shards(files: Any) -> list[tuple[str, str | None, Any]]:
        """Each shard's range of words (its bound, the next: None for the last) and bytes."""
        return list(zip(files.bounds, [*files.bounds[1:], None], files.bodies, strict=True))

    def holds_new(lo: str, hi: str | None) -> bool:
        return lo <= "zym" and (hi is None or hi >= "zyn")

    old, new = shards(before), shards(after)
    # Every other shard is the same bytes from the same bound; only the one that takes the new
    # words changes (or splits in two, when they fill it past the size).
    kept = {(lo, body) for lo, hi, body in old if not holds_new(lo, hi)}
    assert kept <= {(lo, body) for lo, _, body in new}
    assert len(new) - len(old) in (0, 1) and len(kept) == len(old) - 1


def test_an_earlier_word_list_serves_its_lunr_js_stems_and_changes_nothing() -> None:
    """A day's word list is made with the last one's lunr.js stems at hand (pure: a word's
    stem is its own); what it keeps for the next is its own words' stems only."""
    pages, taxonomy = bundled_corpus()
    other = search_words.word_files(build_index(pages[::2], taxonomy), 300, 0)
    index = build_index(
        [*pages[1::2], page("new", "Yearly Dynamics", "Many days of dynamics, yearly.")], taxonomy
    )
    fresh = search_words.word_files(index, 300, 0)
    assert search_words.word_files(index, 300, 0, known=other) == fresh
    assert fresh.js_stems == {word: js_stem(word) for word in index.words if "y" in word}
    assert {"yearly", "dynamics"} <= fresh.js_stems.keys()


def test_the_engine_says_which_word_shard_a_plan_lacked(tmp_path: Path) -> None:
    """Planning without the shards it needs is a fault, not a quiet wrong answer."""
    site = site_with([page("a", "Alpha Beta", "Gamma delta.")], TAXONOMY, 10, tmp_path / "_site")
    script = f"""
const fs = require("fs"), vm = require("vm");
const S = require({json.dumps(str(REPO / "site_builder/themes/default/static/search-engine.js"))});
const ctx = vm.createContext({{window: {{}}}});
vm.runInContext(fs.readFileSync({json.dumps(str(site / "assets/search-index.js"))}, "utf8"), ctx);
const engine = new S.Engine(ctx.window.SEARCH_DATA.index, null, (w) => w);
try {{ engine.plan("gamma"); console.log("planned"); }} catch (err) {{ console.log(err.message); }}
"""
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert "is needed but not loaded" in done.stdout


def test_a_small_word_list_stays_in_the_entry_point(tmp_path: Path) -> None:
    """Below INLINE_WORD_BYTES the words are one shard in the entry point: no word shard
    file, no round trip per initial, the same results."""
    pages, taxonomy = bundled_corpus()
    index = build_index(pages, taxonomy)
    small = search_words.word_files(index)
    assert small.inline is not None and small.bounds == [] and small.bodies == []
    inline = write_assets(search.search_files(index, taxonomy, None, small)[0], tmp_path / "inline")
    assert word_shards(inline) == 0
    sharded = site_with(pages, taxonomy, 300, tmp_path / "sharded")
    requests = REQUESTS[:30]
    assert without_counts(search_in_node({"site": str(inline), "queries": requests})) == without_counts(
        search_in_node({"site": str(sharded), "queries": requests})
    )


def test_check_finds_a_word_shard_missing_or_of_another_build(tmp_path: Path) -> None:
    pages, taxonomy = bundled_corpus()
    site = site_with(pages[:40], taxonomy, 300, tmp_path / "_site")
    assert search.search_file_problems(site) == []
    words = site / "assets" / "search" / "w1.js"
    words.write_bytes(words.read_bytes().replace(b'"v":"', b'"v":"0', 1))
    (site / "assets" / "search" / "w2.js").unlink()
    assert [(Path(p.path).name, p.message) for p in search.search_file_problems(site)] == [
        ("w1.js", "search data of another build than the index's; build again"),
        ("w2.js", "missing: the search index lists it; build again"),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="abcy\u00e9\U00020000", min_size=1, max_size=6), min_size=1, max_size=80),
    st.integers(min_value=1, max_value=60),
)
def test_every_word_and_term_is_in_the_shard_its_range_names(texts: list[str], shard_bytes: int) -> None:
    """Whatever the words and the shard size: the bounds rise, each word is in the shard
    whose range holds it (as the browser finds it), and each term is a stem of that shard
    or listed there."""
    pages = [page(f"p{n}", text, "") for n, text in enumerate(texts)]
    index = build_index(pages, TAXONOMY)
    files = search_words.word_files(index, shard_bytes, 0)
    if files.inline is not None:  # no words at all (stop words only): nothing to shard
        assert not index.words
        return
    keys = [term_order(bound) for bound in files.bounds]
    assert keys == sorted(set(keys)) and files.bounds[:1] == [""]
    shard_of = {}
    for n, body in enumerate(files.bodies):
        for word in search_node_words(json.loads(body)["w"]):
            shard_of[word] = n
    assert set(shard_of) == set(index.words)
    for word, n in shard_of.items():
        assert bisect.bisect_right(keys, term_order(word)) - 1 == n
    for term in index.terms:
        n = bisect.bisect_right(keys, term_order(term)) - 1
        payload = json.loads(files.bodies[n])
        own = {index.words[w] for w, m in shard_of.items() if m == n}
        assert term in own or term in payload.get("x", "").split(" ")


def search_node_words(coded: str) -> list[str]:
    """The words of a front-coded list (as `decodeWords` in search-engine.js reads them)."""
    out, previous = [], ""
    for entry in coded.split(" ") if coded else []:
        marker = 1
        while marker < len(entry) and not ("A" <= entry[marker] <= "Z"):
            marker += 1
        word = previous[: ord(entry[0]) - 65] + entry[1:marker]
        out.append(word)
        previous = word
    return out


def _unit_groups_by_counting(
    words: list[str], sizes: list[int], shard_bytes: int
) -> list[tuple[int, str, int]]:
    """`unit_groups` as it was written first: every beginning's size counted in a dictionary."""
    prefix_size: dict[str, int] = {}
    for word, size in zip(words, sizes, strict=True):
        for n in range(1, 1 + min(len(word), 3)):
            prefix_size[word[:n]] = prefix_size.get(word[:n], 0) + size

    def unit(word: str) -> str:
        n = 1
        while n < 3 and n < len(word) and prefix_size[word[:n]] > shard_bytes:
            n += 1
        return word[:n]

    groups = []
    for key, members in itertools.groupby(range(len(words)), lambda n: unit(words[n])):
        group = list(members)
        groups.append((group[0], key, sum(sizes[n] for n in group)))
    return groups


@settings(max_examples=300)
@given(
    st.lists(st.text(alphabet="abc\u00e9\U0001d400", min_size=1, max_size=5), unique=True, max_size=60),
    st.integers(1, 40),
    st.randoms(use_true_random=False),
)
def test_unit_groups_in_numpy_are_those_counted_by_beginning(
    words: list[str], shard_bytes: int, rnd: Any
) -> None:
    """Short words of a few letters (one outside the BMP), so that beginnings are shared and
    often too large for a shard, sorted as the word list sorts them."""
    words = js_sorted(words)
    sizes = [rnd.randint(1, 9) for _ in words]
    assert search_words.unit_groups(words, sizes, shard_bytes) == _unit_groups_by_counting(
        words, sizes, shard_bytes
    )

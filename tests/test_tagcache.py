"""Cached and parallel tagging give exactly the tags of the plain tagger."""

from pathlib import Path

import pytest

from bench.common import read_site_pages
from site_builder.core.files.store import Store
from site_builder.core.runtime.hashing import code_version, digest, text_key
from site_builder.core.taxonomy import load_taxonomy
from site_builder.ingest.tags import cache as tag_cache
from site_builder.ingest.tags.tagger import Tagger

ROOT = Path(__file__).parent.parent
TAXONOMY = ROOT / "content" / "taxonomy.yaml"


@pytest.fixture(scope="module")
def texts() -> list[tuple[str, str]]:
    return [(p.title, p.body) for p in read_site_pages(ROOT / "content" / "papers")[0]][:120]


def test_parallel_cold_and_cached_runs_agree_with_the_plain_tagger(
    texts: list[tuple[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    taxonomy = load_taxonomy(TAXONOMY)
    tagger = Tagger.of(taxonomy)
    expected = [tagger.choose(t, a) for t, a in texts]
    monkeypatch.setattr(tag_cache, "PARALLEL_FROM", 10)
    assert tag_cache.tag_texts(taxonomy, TAXONOMY.read_bytes(), texts, tmp_path) == expected
    assert tag_cache.tag_texts(taxonomy, TAXONOMY.read_bytes(), texts, tmp_path) == expected
    salt = digest(code_version(), TAXONOMY.read_bytes())
    remembered = {**Store(tmp_path).load("tags", salt), **Store(tmp_path).load("tags.new", salt)}
    assert remembered == {text_key(t, a): tags for (t, a), tags in zip(texts, expected, strict=True)}


def test_a_taxonomy_edit_invalidates_the_cache(texts: list[tuple[str, str]], tmp_path: Path) -> None:
    taxonomy = load_taxonomy(TAXONOMY)
    Store(tmp_path).save("tags", "old", {text_key(*texts[0]): ("bogus",)})
    assert tag_cache.tag_texts(taxonomy, TAXONOMY.read_bytes(), texts[:1], tmp_path) == [
        Tagger.of(taxonomy).choose(*texts[0])
    ]


def test_a_damaged_cache_is_ignored(texts: list[tuple[str, str]], tmp_path: Path) -> None:
    taxonomy = load_taxonomy(TAXONOMY)
    tag_cache.tag_texts(taxonomy, TAXONOMY.read_bytes(), texts[:3], tmp_path)
    for path in tmp_path.iterdir():
        damaged = bytearray(path.read_bytes())
        damaged[-3] ^= 0xFF  # a flipped byte
        path.write_bytes(bytes(damaged))
    assert tag_cache.tag_texts(taxonomy, TAXONOMY.read_bytes(), texts[:3], tmp_path) == [
        Tagger.of(taxonomy).choose(t, a) for t, a in texts[:3]
    ]


def test_a_cache_that_cannot_be_written_is_skipped(texts: list[tuple[str, str]], tmp_path: Path) -> None:
    taxonomy = load_taxonomy(TAXONOMY)
    for name in ("tags", "tags.new"):
        (tmp_path / name).mkdir()  # a folder where the file goes: unreadable and unwritable
    assert tag_cache.tag_texts(taxonomy, TAXONOMY.read_bytes(), texts[:3], tmp_path) == [
        Tagger.of(taxonomy).choose(t, a) for t, a in texts[:3]
    ]


def test_a_read_only_run_uses_the_cache_and_leaves_it_as_it_was(
    texts: list[tuple[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ingest --check` reads the remembered tags (a preview must not retag 10,000 papers)
    and writes nothing, not even the tags of a paper it had to tag."""
    taxonomy = load_taxonomy(TAXONOMY)
    tag_cache.tag_texts(taxonomy, TAXONOMY.read_bytes(), texts[:100], tmp_path)
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    tagged: list[int] = []
    original = tag_cache._tag_all

    def counting(tax: object, some: list[tuple[str, str]]) -> list[tuple[str, ...]]:
        tagged.append(len(some))
        return original(taxonomy, some)

    monkeypatch.setattr(tag_cache, "_tag_all", counting)
    tags = tag_cache.tag_texts(taxonomy, TAXONOMY.read_bytes(), texts, tmp_path, save=False)
    assert tags == [Tagger.of(taxonomy).choose(t, a) for t, a in texts]
    assert tagged == [len(set(texts[100:]) - set(texts[:100]))]
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before

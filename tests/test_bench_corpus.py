"""The benchmark corpus: deterministic, in the real dump format, and exactly `n` papers after ingest."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from bench.corpus import (
    EXTRA_DATE,
    MONTHS,
    dump_text,
    generate,
    listing_date,
    make_paper,
    title_variant,
    truncated,
    write_extra_dump,
)
from bench.run import BENCH_TODAY
from site_builder.commands.init import init_site
from site_builder.core.text import title_key
from site_builder.ingest.dumps.dates import resolve_one
from site_builder.ingest.dumps.sources import parse_text
from site_builder.ingest.pipeline import run_ingest


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path: Path) -> None:
    a = generate(150, 7, tmp_path / "a")
    b = generate(150, 7, tmp_path / "b")
    c = generate(150, 8, tmp_path / "c")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert (a.entries, a.duplicated, a.copies) == (b.entries, b.duplicated, b.copies)
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
    assert c.papers == 150


def test_a_paper_does_not_depend_on_the_corpus_size() -> None:
    assert make_paper(42, 3) == make_paper(42, 3)
    assert make_paper(42, 3) != make_paper(43, 3)


def test_dumps_are_in_the_real_format_and_clean(tmp_path: Path) -> None:
    corpus = generate(300, 1, tmp_path)
    assert 3 <= len(corpus.files) <= 8
    entries = 0
    for path in corpus.files:
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n\n")
        assert lines[:4] == [
            "new",
            "Get trending papers in your email inbox!",
            "Subscribe",
            "byAK and the research community",
        ]
        result = parse_text(text, path.name, path.name)
        assert result.problems == []
        assert 20 <= len(result.entries) <= 110
        assert len({title_key(e.title) for e in result.entries}) == len(result.entries)  # once per dump
        entries += len(result.entries)
    assert entries == corpus.entries
    assert corpus.duplicated >= 300 * 0.15
    assert set(corpus.copies) == {"same", "title variant", "abstract edit", "truncated", "retitled"}


@pytest.mark.parametrize("seed", range(6))
def test_title_variants_keep_the_title_key(seed: int) -> None:
    import random

    rng = random.Random(seed)
    for title in ('"Give Me BF16": Trade-Offs in LLM-Based Quantization', "Tool's Use Of Agents"):
        variant = title_variant(title, rng)
        assert variant != title
        assert title_key(variant) == title_key(title)


def test_truncated_abstract_is_a_prefix() -> None:
    import random

    abstract = make_paper(5, 1).abstract
    cut = truncated(abstract, random.Random(1))
    assert len(cut) < len(abstract)
    assert abstract.startswith(cut.rstrip(".…"))


def test_ingest_finds_exactly_the_generated_papers(tmp_path: Path) -> None:
    init_site(tmp_path / "site")
    sources = tmp_path / "site" / "content" / "sources"
    corpus = generate(200, 20250617, sources)
    result = run_ingest(tmp_path / "site")
    assert result.dedupe is not None
    assert result.entries == corpus.entries
    assert len(result.dedupe.papers) == corpus.papers == 200
    reasons = {m.reason for m in result.dedupe.merges}
    assert {"retitled", "title variant"} <= reasons
    assert result.dedupe.kept_apart == []
    # One more dump of new papers: new pages, none merged into the old ones.
    write_extra_dump(sources, 200, 100, 20250617)
    again = run_ingest(tmp_path / "site")
    assert again.dedupe is not None
    assert len(again.dedupe.papers) == 300


def test_the_bench_clock_puts_the_corpus_year_and_the_new_dump_in_one_year() -> None:
    """The daily rows add a dump of the newest month: were the corpus's `Jan 1` the coming
    one, every new dump would move related papers' weighing base (a month's first day)."""
    today = datetime.datetime.fromtimestamp(int(BENCH_TODAY), datetime.UTC).date()

    def year(listed: str) -> int:
        month, day = listed.split()
        return resolve_one("dump.txt", MONTHS.index(month) + 1, int(day), None, today)[0].year

    dumps = 197  # as many as a 10,000-paper corpus has
    dates = [listing_date((number + 0.5) / dumps) for number in range(dumps)]
    assert dates[0] == "Jan 1" and dates[-1] == "Dec 31"
    assert {year(d) for d in [*dates, EXTRA_DATE]} == {2025}


def test_dump_text_round_trips() -> None:
    text = dump_text("Mar 12", [("A: b", "Some abstract.")])
    result = parse_text(text, "x.txt", "x.txt")
    assert [(e.title, e.abstract, e.source.listed) for e in result.entries] == [
        ("A: b", "Some abstract.", "--03-12")
    ]

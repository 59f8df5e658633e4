"""Daily updates: what ingest remembers never changes what it writes or reports.

Seeded random sequences of days — new dumps, papers listed again, dumps edited or deleted,
pages edited or deleted by a person, taxonomy and site.yaml edits, damaged cache files —
and after each day the site ingested in place (its `.site-cache` warm) equals a copy of
the same content ingested with no cache at all: every page file byte for byte, and the
report; `ingest --check` before it, reading the warm cache, names the same files. A second
test counts the work: a new dump parses and plans only its own papers.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import COPY_KINDS, copy_of, dump_text, generate, make_paper
from site_builder.commands.init import init_site
from site_builder.core.errors import SiteError
from site_builder.core.files import content_files, store
from site_builder.core.files.store import INGEST_STATE, SITE_CACHE, Store
from site_builder.core.model import Page, Paper, Source
from site_builder.core.pages.pagefile import StoredPage
from site_builder.core.runtime.hashing import code_version
from site_builder.ingest import state as ingest_state
from site_builder.ingest.pipeline import run_ingest
from site_builder.ingest.state import unchanged_key
from site_builder.ingest.summary import format_summary
from tests.helpers import recorded_loads, recorded_reads
from tests.ingest_helpers import snapshot

SEED = 15
NAMES = ("dumps", "pages", "seen", "fingerprints", "unchanged")  # what ingest remembers
DAY = 86_400
START = 1_767_225_600  # 2026-01-01, the clock of the first day (SOURCE_DATE_EPOCH)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Site:
    """A site being updated day by day, and how many papers its dumps hold."""

    def __init__(self, root: Path, papers: int) -> None:
        init_site(root)
        generate(papers, SEED, root / "content" / "sources")
        self.root, self.papers, self.dumps = root, papers, 0
        self.content = root / "content"

    def pages(self) -> list[Path]:
        return sorted((self.content / "papers").glob("*.md"))

    def sources(self) -> list[Path]:
        return sorted((self.content / "sources").glob("*.txt"))


def ingest_report(root: Path, check: bool = False) -> tuple[Any, ...]:
    """What a person sees of one ingest: the summary (less timings), problems, files written
    (with `check`, the files it would write)."""
    try:
        result = run_ingest(root, check)
    except SiteError as err:
        return ("error", [p.format() for p in err.problems])
    summary = [line for line in format_summary(result, verbose=True) if not line.startswith("timings:")]
    problems = [p.format() for p in result.problems]
    return summary, problems, result.changed, result.untouched, result.failed


# --- one day's change ------------------------------------------------------------------------


def new_dump(site: Site, rnd: random.Random) -> None:
    """Today's dump: a few new papers, maybe some known ones listed again (as copies)."""
    entries = [
        (p.title, p.abstract) for p in map(_paper, range(site.papers, site.papers + rnd.randint(1, 8)))
    ]
    site.papers += len(entries)
    for _ in range(rnd.randint(0, 2)):
        kind = rnd.choice([k for k, _ in COPY_KINDS])
        entries.append(copy_of(_paper(rnd.randrange(site.papers)), kind, rnd))
    rnd.shuffle(entries)
    site.dumps += 1
    name = rnd.choice([f"day_{site.dumps:03d}.txt", f"2026-02-{site.dumps % 28 + 1:02d}-{site.dumps}.txt"])
    date = f"{rnd.choice(MONTHS)} {rnd.randint(1, 28)}"
    (site.content / "sources" / name).write_text(dump_text(date, entries), encoding="utf-8")


def edit_dump(site: Site, rnd: random.Random) -> None:
    """A dump pasted again with one entry changed: a word of an abstract, a title, or gone."""
    dump = rnd.choice(site.sources())
    blocks = dump.read_text(encoding="utf-8").split("\n\n")
    i = rnd.randrange(1, len(blocks))
    how = rnd.choice(["word", "title", "drop", "date"])
    if how == "word":
        blocks[i] = blocks[i].replace(" the ", " a ", 1) + " Revised."
    elif how == "title":
        blocks[i] = blocks[i].upper()
    elif how == "drop":
        del blocks[i]
    else:
        blocks[0] = blocks[0].rsplit("\n", 1)[0] + f"\n{rnd.choice(MONTHS)} {rnd.randint(1, 28)}"
    dump.write_text("\n\n".join(blocks), encoding="utf-8")


def delete_dump(site: Site, rnd: random.Random) -> None:
    rnd.choice(site.sources()).unlink()


def edit_page(site: Site, rnd: random.Random) -> None:
    """A person's edit: a note under the abstract, a new title, a tag added or all removed."""
    page = rnd.choice(site.pages())
    text = page.read_text(encoding="utf-8")
    how = rnd.choice(["note", "title", "tag", "untag"])
    if how == "note":
        text += f"\nA note of mine, {rnd.randrange(1000)}.\n"
    elif how == "title":
        text = text.replace("\ntitle: ", "\ntitle: My title for ", 1)
    elif how == "tag":
        text = text.replace("\ntags: [", "\ntags: [reading-list, ", 1).replace(", ]", "]")
    else:
        start = text.index("\ntags: [")
        text = text[:start] + "\ntags: []" + text[text.index("\n", start + 1) :]
    page.write_text(text, encoding="utf-8")


def delete_page(site: Site, rnd: random.Random) -> None:
    rnd.choice(site.pages()).unlink()


def edit_settings(site: Site, rnd: random.Random) -> None:
    """taxonomy.yaml's threshold (every paper's tags) or site.yaml's `year:` (new dumps' dates)."""
    if rnd.random() < 0.5:
        path, old, new = (
            site.content / "taxonomy.yaml",
            "\nthreshold: ",
            f"\nthreshold: {rnd.randint(2, 4)}\n#",
        )
    else:
        path, old, new = site.content / "site.yaml", "\nyear: ", f"\nyear: {rnd.randint(2020, 2025)}\n#"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def damage_cache(site: Site, rnd: random.Random) -> None:
    """A cache file flipped, cut short, replaced by garbage or by a folder."""
    files = sorted(p for p in (site.root / SITE_CACHE).rglob("*") if p.is_file())
    if not files:
        return
    victim = rnd.choice(files)
    data = bytearray(victim.read_bytes())
    how = rnd.choice(["flip", "cut", "garbage", "folder"])
    if how == "flip" and data:
        data[rnd.randrange(len(data))] ^= 0xFF
        victim.write_bytes(bytes(data))
    elif how == "cut":
        victim.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "garbage":
        victim.write_bytes(rnd.randbytes(64))
    else:
        victim.unlink()
        victim.mkdir()


def nothing(site: Site, rnd: random.Random) -> None:
    """A day without a dump: the scheduled ingest runs all the same."""


# Every kind of day once, and one more new dump (the usual day), in a seeded order.
DAYS = [
    new_dump,
    new_dump,
    edit_dump,
    delete_dump,
    edit_page,
    delete_page,
    edit_settings,
    damage_cache,
    nothing,
]


def _paper(index: int) -> Any:
    return make_paper(index, SEED)


# --- the tests -----------------------------------------------------------------------------


@pytest.mark.parametrize(("seed", "rewrite_from", "prints_from"), [(1, 2, 0), (2, 64, 1000)])
def test_incremental_ingest_equals_cold_after_random_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, rewrite_from: int, prints_from: int
) -> None:
    monkeypatch.setattr(store, "REWRITE_FROM", rewrite_from)  # tables rewritten often, or rarely
    monkeypatch.setattr(ingest_state, "PRINTS_TABLE_FROM", prints_from)  # fingerprints kept, or not
    rnd = random.Random(seed)
    site = Site(tmp_path / "site", 40)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START))
    ingest_report(site.root)
    for day, today in enumerate(rnd.sample(DAYS, len(DAYS)), start=1):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START + day * DAY))
        today(site, rnd)
        cold = tmp_path / f"cold{day}"
        shutil.copytree(site.content, cold / "content")  # the same content, nothing remembered
        checked = ingest_report(site.root, check=True)  # reads what is remembered, saves nothing
        warm = ingest_report(site.root)
        assert warm == ingest_report(cold), (day, today.__name__)
        assert checked[1:] == warm[1:], (day, today.__name__)  # all but "would change"/"written"
        assert snapshot(site.content) == snapshot(cold / "content"), (day, today.__name__)
        shutil.rmtree(cold)


def test_pages_made_again_from_nothing_keep_a_retitled_papers_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A paper retitled in a later dump keeps the page (and address, and feed id) its first
    title gave it; made again from nothing (a fork, `content/papers/` deleted to retag), the
    page took the new title's slug: every link and bookmark to it broke (a reviewer)."""
    site = tmp_path / "site"
    init_site(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START))
    abstract = (
        "We plan retrieval for tool-using agents over a knowledge graph, and measure it on three benchmarks."
    )
    sources = site / "content" / "sources"
    (sources / "2026-03-10.txt").write_text(f"Mar 10\n\nGraphRAG Agents: Retrieval Planning\n\n{abstract}\n")
    run_ingest(site)
    (sources / "2026-03-11.txt").write_text(
        f"Mar 11\n\nGraphRAG-Agent: Retrieval Planning for LLM Agents\n\n{abstract}\n"
    )
    run_ingest(site)
    papers = site / "content" / "papers"
    assert sorted(p.name for p in papers.glob("*.md")) == ["graphrag-agents-retrieval-planning.md"]
    kept = snapshot(papers)
    for page in papers.glob("*.md"):
        page.unlink()
    run_ingest(site)
    assert snapshot(papers) == kept


def test_a_new_dump_parses_and_plans_only_its_papers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = Site(tmp_path / "site", 80)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START))
    monkeypatch.setattr(ingest_state, "PARSE_WRITTEN_UP_TO", 50)  # 80 pages: a cold ingest
    assert not run_ingest(site.root).failed
    calls = {"dump": 0, "page": 0, "merge": 0}

    def counted(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def count(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return function(*args, **kwargs)

        return count

    monkeypatch.setattr(ingest_state, "parse_dump", counted("dump", ingest_state.parse_dump))
    monkeypatch.setattr(ingest_state, "parse_page", counted("page", ingest_state.parse_page))
    monkeypatch.setattr(ingest_state, "merge", counted("merge", ingest_state.merge))

    def ingest() -> dict[str, int]:
        calls.update(dump=0, page=0, merge=0)
        result = run_ingest(site.root)
        assert not result.failed
        return {**calls, "written": len(result.changed)}

    # A cold ingest's pages are parsed by the next run, once; each is planned once more.
    assert ingest() == {"dump": 0, "page": 80, "merge": 80, "written": 0}
    assert ingest() == {"dump": 0, "page": 0, "merge": 0, "written": 0}
    added = 6
    entries = [(p.title, p.abstract) for p in map(_paper, range(80, 80 + added))]
    (site.content / "sources" / "today.txt").write_text(dump_text("Jan 2", entries), encoding="utf-8")
    # The new pages are parsed as written; the next run plans them once against their files.
    assert ingest() == {"dump": 1, "page": added, "merge": added, "written": added}
    assert ingest() == {"dump": 0, "page": 0, "merge": added, "written": 0}
    assert ingest() == {"dump": 0, "page": 0, "merge": 0, "written": 0}


def remembered_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, papers: int) -> Site:
    """A site ingested twice: every page remembered, with the stat it was read with."""
    site = Site(tmp_path / "site", papers)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START))
    run_ingest(site.root)
    _settle()
    run_ingest(site.root)
    return site


def add_dump(site: Site, name: str, day: str, papers: range) -> None:
    """A new dump listing new papers (numbered as `_paper` numbers them) on `day`."""
    entries = [(p.title, p.abstract) for p in map(_paper, papers)]
    (site.content / "sources" / name).write_text(dump_text(day, entries), encoding="utf-8")


def test_a_daily_update_rewrites_only_what_it_learnt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = remembered_site(tmp_path, monkeypatch, 80)
    add_dump(site, "day1.txt", "Jan 2", range(80, 83))
    run_ingest(site.root)
    _settle()
    folder = site.root / INGEST_STATE

    def tables() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}

    def learnt() -> dict[str, int]:
        return {name: len(Store(folder).load(f"{name}.new", code_version()) or {}) for name in NAMES}

    before, learnt_before = tables(), learnt()
    add_dump(site, "today.txt", "Jan 3", range(83, 86))
    assert len(run_ingest(site.root).changed) == 3
    rewritten = {name for name, data in tables().items() if before.get(name) != data}
    # The tables write only what they learnt: today's dump, its pages parsed as written, and
    # yesterday's pages read and planned for the first time against their files (a day's
    # few abstracts are fingerprinted without the table). Dedupe's index is one small file
    # (4 MB at 10,000 papers: keys and signatures as arrays, no texts), rewritten as it grew.
    assert rewritten == {
        "dumps.new",
        "pages.new",
        "seen.new",
        "unchanged.new",
        "dedupe-index",
        "dumps-read",  # each dump's stat, for build to name one not ingested yet
    }
    grown = {name: count - learnt_before[name] for name, count in learnt().items()}
    assert grown == {"dumps": 1, "pages": 3, "seen": 3, "fingerprints": 0, "unchanged": 3}


def test_a_run_with_no_or_few_new_abstracts_neither_reads_nor_rewrites_the_fingerprints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables are read on first use: a run that finds nothing new to fingerprint does not
    hold that table in memory (at 50,000 papers, the memory of the run after a cold one).
    Nor does a day: the table cannot hold its new abstracts, and at 10,000 papers reading it
    took longer (48 ms) than fingerprinting them (50 µs each). Its dedupe is a cold run's."""
    monkeypatch.setattr(ingest_state, "PRINTS_TABLE_FROM", 30)  # the cold run's 40 are kept
    site = Site(tmp_path / "site", 40)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START))
    run_ingest(site.root)
    folder = site.root / INGEST_STATE
    before = {p.name: p.read_bytes() for p in folder.glob("fingerprints*")}
    remembered = [Store(folder).load(name, code_version()) or {} for name in before]
    assert sum(map(len, remembered)) == 40
    loaded = recorded_loads(monkeypatch)
    assert run_ingest(site.root).changed == []
    assert "pages" in loaded and not [name for name in loaded if name.startswith("fingerprints")]
    loaded.clear()
    # The day's papers, one a copy of a paper already on the site: merged as a cold run merges it.
    entries = [(p.title, p.abstract) for p in map(_paper, range(40, 43))]
    entries.append((_paper(5).title, _paper(5).abstract + " Code is available."))
    (site.content / "sources" / "today.txt").write_text(dump_text("Jan 2", entries), encoding="utf-8")
    cold = tmp_path / "cold"
    shutil.copytree(site.content, cold / "content")  # the same content, nothing remembered
    warm = ingest_report(site.root)
    assert "dumps" in loaded and not [name for name in loaded if name.startswith("fingerprints")]
    assert {p.name: p.read_bytes() for p in folder.glob("fingerprints*")} == before
    assert warm == ingest_report(cold)
    assert warm[0][0].endswith("→ 43 unique papers")  # 40, the 3 new, the copy merged
    assert snapshot(site.content) == snapshot(cold / "content")


def test_a_day_hashes_an_earlier_papers_abstract_only_in_its_dumps_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dedupe's entry ids, the tag cache and the memo of unchanged pages all key a paper by
    its title and abstract: a day hashed each of the site's abstracts in all three, besides
    its dump's bytes (the parse memo's key). The key is remembered with the parsed dump."""
    site = remembered_site(tmp_path, monkeypatch, 40)
    add_dump(site, "today.txt", "Jan 2", range(40, 43))
    hashed = recorded_hashes(monkeypatch)
    assert len(run_ingest(site.root).changed) == 3
    for abstract in (_paper(n).abstract.encode("utf-8") for n in (0, 17, 39)):
        assert sum(abstract in b"".join(parts) for parts in hashed) == 1  # 4 before


def recorded_hashes(monkeypatch: pytest.MonkeyPatch) -> list[list[bytes]]:
    """What each SHA-256 made from now on is given, one item per hash (read it once done)."""
    made: list[list[bytes]] = []
    sha256 = hashlib.sha256

    class Recording:
        def __init__(self, data: bytes = b"") -> None:
            self.real, self.parts = sha256(data), [bytes(data)]
            made.append(self.parts)

        def update(self, data: bytes) -> None:
            self.real.update(data)
            self.parts.append(bytes(data))

        def hexdigest(self) -> str:
            return self.real.hexdigest()

    monkeypatch.setattr(hashlib, "sha256", Recording)
    return made


def test_every_field_of_a_paper_and_its_sources_keys_what_merging_left_unchanged() -> None:
    """The memo of unchanged pages is keyed by each field by hand (a repr of the dataclass was
    slow): a field added to Paper or Source and not to the key would let a changed paper
    reuse a stale page. Each field, changed alone, must change the key."""
    source = Source("a.txt", 3, "2025-03-12")
    paper = Paper("A title", "An abstract.", (source,), ("an alias",), ("agents",))
    old = StoredPage(
        Path("content/papers/a-title.md"), Page("a-title", "A title", "An abstract."), {}, "text"
    )
    key = unchanged_key(paper, "a-title", old)
    other = {str: "other", int: 99, tuple: ("other",), bool: True}
    for f in fields(Source):
        changed = replace(source, **{f.name: other[type(getattr(source, f.name))]})
        assert unchanged_key(replace(paper, sources=(changed,)), "a-title", old) != key, f.name
    for f in fields(Paper):
        value = (replace(source, line=4),) if f.name == "sources" else other[type(getattr(paper, f.name))]
        assert unchanged_key(replace(paper, **{f.name: value}), "a-title", old) != key, f.name
    assert unchanged_key(paper, "another", old) != key
    assert unchanged_key(paper, "a-title", replace(old, text="edited")) != key
    assert unchanged_key(paper, "a-title", replace(old, digest="d1")) != unchanged_key(
        paper, "a-title", replace(old, digest="d2")
    )


def _settle() -> None:
    """Wait until files written now are a timestamp tick old (`content_files.settled`)."""
    time.sleep(content_files.RACY_NS / 1e9 + 0.05)


def test_a_page_file_with_the_stat_it_was_read_with_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest reads a page file only when its stat changed since it last read it, and reads a
    known one only to rewrite it: a day's ingest reads the pages it writes, not the site."""
    site = Site(tmp_path / "site", 40)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START))
    run_ingest(site.root)
    _settle()
    read = recorded_reads(monkeypatch, site.content / "papers")
    assert run_ingest(site.root).changed == [] and len(read) == 40  # read, and their stats recorded
    read.clear()
    assert run_ingest(site.root).changed == [] and read == []
    # A day: new papers, and a paper listed again (its page gains a source and is rewritten).
    again = _paper(7)
    entries = [(p.title, p.abstract) for p in map(_paper, range(40, 43))] + [(again.title, again.abstract)]
    (site.content / "sources" / "today.txt").write_text(dump_text("Jan 2", entries), encoding="utf-8")
    result = run_ingest(site.root)
    assert len(result.changed) == 4 and sorted(set(read)) == sorted(result.changed)
    cold = tmp_path / "cold"
    shutil.copytree(site.content, cold / "content")
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START))
    run_ingest(cold)  # the same content, ingested with nothing remembered
    assert snapshot(site.content) == snapshot(cold / "content")


def test_a_change_the_stat_did_not_show_is_kept_and_reported_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page edited within the timestamp tick ingest recorded its stat in keeps that stat.
    Ingest then believes it knows the file; when it is to rewrite the page it reads the file,
    finds other bytes, and keeps the person's text as it is, with a warning."""
    site = Site(tmp_path / "site", 40)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(START))
    run_ingest(site.root)
    _settle()
    run_ingest(site.root)  # every page's stat recorded
    paper = _paper(7)
    page = next(p for p in site.pages() if paper.title in p.read_text(encoding="utf-8"))
    edited = page.read_text(encoding="utf-8") + "\nMy note, written in the same tick.\n"
    page.write_text(edited, encoding="utf-8")
    # The stat the edit left, recorded as if it had not moved: the bytes ingest believes in.
    state = ingest_state.IngestState(site.root / INGEST_STATE)
    label, _, was = state.seen.get(page.name)
    state.seen.put(page.name, (label, content_files.stat_key(page.stat()), was))
    state.save()
    (site.content / "sources" / "today.txt").write_text(
        dump_text("Jan 2", [(paper.title, paper.abstract)]), encoding="utf-8"
    )
    result = run_ingest(site.root)
    assert page.read_text(encoding="utf-8") == edited
    assert page.name not in result.changed
    assert any(
        p.path == f"content/papers/{page.name}" and "changed while ingest ran" in p.message
        for p in result.problems
    )
    # The next run reads it (the bytes are not those recorded) and merges the note as usual.
    _settle()
    result = run_ingest(site.root)
    assert page.name in result.changed and "My note, written in the same tick." in page.read_text(
        encoding="utf-8"
    )

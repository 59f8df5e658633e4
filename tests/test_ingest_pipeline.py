"""The ingest recipe end to end, called as a library: what it read, decided and wrote."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from helpers import imported_by
from ingest_helpers import DATA, make_site, snapshot

from site_builder.build.pipeline import build_site
from site_builder.core import taxonomy as taxonomy_module
from site_builder.core.files import atomic
from site_builder.ingest.pipeline import run_ingest
from site_builder.ingest.summary import format_summary


def test_a_first_ingest_reads_dedupes_tags_and_writes_every_page(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    result = run_ingest(site)
    assert (result.files, result.entries) == (4, 9)
    assert result.dedupe is not None and len(result.dedupe.papers) == 7
    assert sorted(result.changed) == sorted(p.name for p in (site / "content" / "papers").glob("*.md"))
    assert all(u.is_new for u in result.updates)
    stages = ["recall", "config", "pages", "parse", "dedupe", "tag", "plan", "write", "remember"]
    assert list(result.timings) == stages
    assert [p.format() for p in result.problems if p.path != "content/taxonomy.yaml"] == [  # its fallback
        "content/sources/crlf_bom.txt:17: warning: title without an abstract at the end of the file: "
        "'Dangling Title At End'; skipped"
    ]


def test_an_ingest_of_a_few_papers_does_not_import_multiprocessing(tmp_path: Path) -> None:
    """Worker processes tag only thousands of papers: a first ingest of a few, like a day's,
    runs without them, and skips importing multiprocessing (20 ms of every run's start)."""
    site = make_site(tmp_path, "dumps")
    assert imported_by(site, "ingest", ("multiprocessing", "concurrent.futures.process")) == (0, [])
    assert len(list((site / "content" / "papers").glob("*.md"))) == 7


def test_the_pages_written_and_their_folder_reach_the_disk_and_nothing_else_is_waited_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest syncs what it wrote, not the whole system (`os.sync` also waited for a build's
    output or a restored CI cache)."""
    site = make_site(tmp_path, "dumps")
    synced: list[str] = []
    fsync = os.fsync

    def recording(fd: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    monkeypatch.setattr(os, "sync", lambda: pytest.fail("os.sync waits for every file system"))
    result = run_ingest(site)
    papers = (site / "content" / "papers").resolve()
    pages = [path for path in synced if path.startswith(str(papers))]  # caches sync their own files
    assert sorted(pages) == sorted([*(str(papers / name) for name in result.changed), str(papers)])


def test_many_pages_written_are_flushed_in_one_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first ingest of thousands of pages: one fsync each would be a journal commit each."""
    site = make_site(tmp_path, "dumps")
    calls: list[str] = []
    monkeypatch.setattr(atomic, "FSYNC_EACH_UP_TO", 3)
    monkeypatch.setattr(os, "sync", lambda: calls.append("sync"))
    fsync = os.fsync

    def recording(fd: int) -> None:
        if "/content/papers" in os.readlink(f"/proc/self/fd/{fd}"):
            calls.append("fsync")
        fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    assert len(run_ingest(site).changed) == 7 and calls == ["sync"]


def test_a_second_ingest_writes_nothing_and_says_so(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    before = snapshot(site / "content")
    result = run_ingest(site)
    assert result.changed == [] and not any(u.is_new for u in result.updates)
    assert snapshot(site / "content") == before
    assert "pages: 0 written (0 new), 7 unchanged" in format_summary(result)


def test_check_mode_lists_what_would_change_and_touches_nothing(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    before = snapshot(site)
    result = run_ingest(site, check=True)
    assert len(result.changed) == 7
    assert snapshot(site) == before  # no pages, and no tag cache either
    assert "pages: 7 would change (7 new), 0 unchanged" in format_summary(result)


def test_an_empty_sources_folder_says_where_dumps_go(tmp_path: Path) -> None:
    """A new site's first ingest said "0 dump file(s)" and its build "run ingest first",
    which had just run (a newcomer's walk-through)."""
    site = make_site(tmp_path)
    assert format_summary(run_ingest(site))[:2] == [
        "0 dump file(s), 0 entries → 0 unique papers",
        "content/sources/ holds no dump: add the listings' *.txt files there, then ingest again",
    ]
    report = build_site(site)
    assert report.warnings[-1].message == (
        "no pages to build: content/sources/ holds no dump; add the listings' *.txt files there and ingest"
    )


def test_a_page_no_dump_mentions_is_left_alone_and_counted(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    mine = site / "content" / "papers" / "my-own-notes.md"
    mine.write_text("---\ntitle: My own notes\n---\nThoughts.\n", encoding="utf-8")
    result = run_ingest(site)
    assert result.untouched == ["my-own-notes.md"]
    assert mine.read_text(encoding="utf-8") == "---\ntitle: My own notes\n---\nThoughts.\n"
    assert (
        "left alone: 1 page(s) not found in any dump (`-v` names them); they stay on the site until "
        "you delete them" in format_summary(result)
    )
    verbose = format_summary(result, verbose=True)  # a reviewer could not tell which, even with -v
    at = verbose.index(
        "left alone: 1 page(s) not found in any dump; they stay on the site until you delete them"
    )
    assert verbose[at + 1] == "  content/papers/my-own-notes.md"


def test_leftover_temporary_files_of_a_killed_write_are_removed(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    papers = site / "content" / "papers"
    leftover = papers / ".some-page.md.0a1b2c3d4e5f.tmp"  # as atomic writes name them
    leftover.write_text("half a page", encoding="utf-8")
    mine = papers / ".todo.tmp"  # a person's: not a name a write makes
    mine.write_text("my list", encoding="utf-8")
    run_ingest(site)
    assert not leftover.exists() and mine.read_text(encoding="utf-8") == "my list"


def test_verbose_summary_names_every_merge_and_the_stage_timings(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    lines = format_summary(run_ingest(site), verbose=True)
    assert any(line.startswith("  retitled: ") for line in lines)
    assert any(line.startswith("  abstract variant: ") for line in lines)
    assert lines[-1].startswith("timings: recall ")


def test_the_bundled_pages_are_what_an_ingest_from_nothing_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The committed corpus is the README's promise made good: delete content/papers,
    ingest, and git shows no change (27 pages once differed, in the order of their tags).
    The dumps say `Mar 12` with no year: the clock is the day the pages were written."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    repo = Path(__file__).resolve().parent.parent / "content"
    content = tmp_path / "site" / "content"
    content.mkdir(parents=True)
    shutil.copytree(repo / "sources", content / "sources")
    for name in ("site.yaml", "taxonomy.yaml", "synonyms.yaml"):
        shutil.copy(repo / name, content / name)
    run_ingest(tmp_path / "site")
    committed = {p.name: p.read_bytes() for p in (repo / "papers").glob("*.md")}
    written = {p.name: p.read_bytes() for p in (content / "papers").glob("*.md")}
    assert sorted(committed) == sorted(written)
    assert [name for name in sorted(committed) if committed[name] != written[name]] == []


def test_a_page_with_the_aliased_dates_an_earlier_ingest_wrote_is_read(tmp_path: Path) -> None:
    """An upgrade from a version that wrote `listed: &id001 …` / `*id001` stopped ingest and
    build on 18 of a reviewer's pages; now they are read, and written out in full once the
    page changes (a page whose values stay is left as it is: see the next test)."""
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", site / "content")
    page = (
        site
        / "content"
        / "papers"
        / "a-comprehensive-survey-of-small-language-models-in-the-era-of-large-language.md"
    )
    written = page.read_text(encoding="utf-8")
    assert written.count("listed: 2026-03-12}") == 2
    old = written.replace("listed: 2026-03-12}", "listed: &id001 2026-03-12}", 1).replace(
        "listed: 2026-03-12}", "listed: *id001}", 1
    )
    page.write_text(old, encoding="utf-8")
    result = run_ingest(site)
    assert not result.failed and result.changed == []
    page.write_text(old.replace("\ntags: [", "\ntags: [agents, ", 1), encoding="utf-8")  # a change
    result = run_ingest(site)
    assert not result.failed and result.changed == [page.name]
    assert "&id001" not in page.read_text(encoding="utf-8") and "*id001" not in page.read_text(
        encoding="utf-8"
    )


def test_a_page_whose_values_stay_is_left_as_a_person_wrote_it(tmp_path: Path) -> None:
    """A reviewer's comment (`discussed: 2026-01-14  # Ana led`) vanished on the next ingest,
    and `notes: |` became a quoted string with doubled blank lines: the same values, written
    again by ingest. `ingest --check` then failed CI, and the workflow committed the loss."""
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).resolve().parent.parent / "content", site / "content")
    run_ingest(site)
    page = sorted((site / "content" / "papers").glob("*.md"))[0]
    notes = "notes: |\n  Session 3 (Ana): we liked it.\n  - point one\n  - point two\n"
    head, rest = page.read_text(encoding="utf-8").split("\ngenerated:", 1)
    mine = f"{head}\n# TODO: add the slides\ndiscussed: 2026-01-14  # Ana led\n{notes}generated:{rest}"
    page.write_text(mine, encoding="utf-8")
    result = run_ingest(site)
    assert not result.failed and result.changed == [] and page.read_text(encoding="utf-8") == mine
    assert run_ingest(site, check=True).changed == []
    # When ingest does write the page (here a tag a person added), the notes stay a block.
    page.write_text(mine.replace("\ntags: [", "\ntags: [agents, ", 1), encoding="utf-8")
    result = run_ingest(site)
    assert result.changed == [page.name]
    assert notes in page.read_text(encoding="utf-8")


def test_a_persons_comments_stay_when_ingest_writes_the_page_again(tmp_path: Path) -> None:
    """A curator's comments above the first key, beside `slug:` and above `sources:` were all
    deleted, without a word, when the paper was listed again and ingest wrote its page."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    page = sorted((site / "content" / "papers").glob("*.md"))[0]
    text = page.read_text(encoding="utf-8")
    slug = next(line for line in text.split("\n") if line.startswith("slug: "))
    mine = (
        text.replace("---\n", "---\n# Ana: presented 2026-03-20, slides in drive\n", 1)
        .replace(f"{slug}\n", f"{slug}  # do not change, linked from slides\n", 1)
        .replace("\nsources:\n", "\n# we first saw it on Mar 13\nsources:  # where it was listed\n", 1)
        .replace("\ntags: [", "\ntags: [agents, ", 1)  # a hand edit: ingest writes the page
    )
    page.write_text(mine, encoding="utf-8")
    assert run_ingest(site).changed == [page.name]
    lines = page.read_text(encoding="utf-8").split("\n")
    assert lines[:2] == ["---", "# Ana: presented 2026-03-20, slides in drive"]
    assert f"{slug}  # do not change, linked from slides" in lines
    at = lines.index("sources:  # where it was listed")
    assert lines[at - 1] == "# we first saw it on Mar 13"
    assert "tags_confirmed: true" in lines  # it was written again, as a hand-tagged page
    assert run_ingest(site).changed == []  # and is then left as it is


def test_a_taxonomys_fallback_is_named_as_a_guess_at_its_line(tmp_path: Path) -> None:
    """Sites made by an earlier `init` have `fallback: evaluation`: since a fallback files
    every paper no tag reaches (not only those no rule scores), an upgrade retagged 13 of a
    reviewer's pages `evaluation` without a word. Every ingest now says what it does."""
    site = make_site(tmp_path, "dumps")  # the fixture taxonomy names `fallback: other`
    warnings = [p.format() for p in run_ingest(site).problems if p.path == "content/taxonomy.yaml"]
    assert warnings == [
        "content/taxonomy.yaml:4: warning: `fallback: other` tags every paper no rule places other, "
        "a guess; delete this line to have ingest and check list such papers as untagged instead"
    ]


def test_a_tag_typed_by_hand_that_the_taxonomy_lacks_is_named_by_ingest(tmp_path: Path) -> None:
    """Build and check warned about a misspelt hand tag; ingest, which a person runs first
    and which read the tag to keep it, said nothing."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    page = sorted((site / "content" / "papers").glob("*.md"))[0]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\ntags: [", "\ntags: [reasonng, ", 1), encoding="utf-8")
    mine = site / "content" / "papers" / "zz-my-own-notes.md"
    mine.write_text("---\ntitle: My own notes\ntags:\n  - reasonng\n---\nThoughts.\n", encoding="utf-8")
    result = run_ingest(site)
    lines = page.read_text(encoding="utf-8").split("\n")
    assert sum("reasonng" in line for line in lines) == 1  # kept: it is the person's
    tags_line = 1 + next(n for n, line in enumerate(lines) if line.startswith("tags:"))
    assert [p.format() for p in result.problems if "reasonng" in p.message] == [
        f"content/papers/{page.name}:{tags_line}: warning: tag 'reasonng' is not in content/taxonomy.yaml "
        "(used by 2 page(s); also zz-my-own-notes.md); did you mean 'reasoning'? its tag page has no "
        "description — add it to the taxonomy or fix the pages"
    ]


def test_the_taxonomy_is_parsed_again_only_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in the build: parsing it and checking its rules was 70 ms of every daily ingest."""
    site = make_site(tmp_path, "dumps")
    read: list[Path] = []
    load = taxonomy_module.load_taxonomy
    monkeypatch.setattr(
        taxonomy_module, "load_taxonomy", lambda path, label: read.append(path) or load(path, label)
    )
    run_ingest(site)
    assert run_ingest(site).changed == []
    assert len(read) == 1
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace("threshold: 3", "threshold: 99"), encoding="utf-8"
    )
    result = run_ingest(site)
    assert len(read) == 2 and result.changed  # the new threshold took the rules' tags off


def test_a_page_moved_into_a_sub_folder_is_named_not_dropped_in_silence(tmp_path: Path) -> None:
    """A reviewer filed a page (with notes) under content/papers/archive2026/: ingest wrote a
    new page for its paper, the build left theirs out, and neither said a word."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    papers = site / "content" / "papers"
    page = sorted(papers.glob("*.md"))[0]
    (papers / "archive2026").mkdir()
    page.rename(papers / "archive2026" / page.name)
    (site / "content" / "pages" / "old").mkdir(parents=True)
    (site / "content" / "pages" / "old" / "about.md").write_text(
        "---\ntitle: About\n---\nUs.\n", encoding="utf-8"
    )
    warning = (
        "content/papers/archive2026: warning: sub-folders are not read: move its *.md files up into "
        "content/papers to have them built"
    )
    assert warning in [p.format() for p in run_ingest(site).problems]
    report = build_site(site, out=tmp_path / "_site")
    shown = [w.format() for w in report.warnings]
    assert warning in shown
    assert (
        "content/pages/old: warning: sub-folders are not read: move its *.md files up into content/pages "
        "to have them built"
    ) in shown


def test_a_folder_named_as_a_page_is_named(tmp_path: Path) -> None:
    """A folder `content/papers/<slug>.md/` (a mistaken `mkdir`, an unzip) took its paper's
    name: ingest wrote the paper as `<slug>-2.md`, its address changed, and nothing said why."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    papers = site / "content" / "papers"
    page = sorted(papers.glob("*.md"))[0]
    page.unlink()
    page.mkdir()
    warning = (
        f"content/papers/{page.name}: warning: a folder named as a .md file, not read: a page is a "
        "file (rename or remove the folder)"
    )
    before = len(list(papers.glob("*.md")))
    assert warning in [p.format() for p in run_ingest(site).problems]
    assert len([p for p in papers.glob("*.md") if p.is_file()]) == before  # the paper, under another name


def test_a_dump_named_in_capitals_is_read_and_other_files_are_named(tmp_path: Path) -> None:
    """`DAY.TXT` (a Windows default) and `day` were left out without a word: their papers
    were lost unnoticed (a reviewer's pastes)."""
    root = make_site(tmp_path / "site")
    sources = root / "content" / "sources"
    dumps = sorted((DATA / "dumps").glob("*.txt"))
    shutil.copyfile(dumps[0], sources / "DAY.TXT")
    shutil.copyfile(dumps[1], sources / "day")
    result = run_ingest(root)
    assert result.files == 1 and result.entries > 0
    assert [(p.path, p.message, p.severity) for p in result.problems if p.path.endswith("day")] == [
        ("content/sources/day", "not read: dumps are files ending in .txt; rename it if it is one", "warning")
    ]


ONE_SENTENCE_ABSTRACT = (
    "We propose a retrieval augmented generation method that filters noisy documents before "
    "generation and improves answer accuracy on four open-domain question answering benchmarks."
)


def ingest_paste(root: Path, text: str) -> tuple[dict[str, str], list[str]]:
    """Ingest one dump of `text` into a new site: each page written (file name → body), and
    the problems as ingest prints them, but for the taxonomy's."""
    site = make_site(root)
    (site / "content" / "sources" / "day.txt").write_text(text, encoding="utf-8")
    problems = [p.format() for p in run_ingest(site).problems if p.path.startswith("content/sources")]
    pages = {
        p.name: p.read_text(encoding="utf-8").split("\n---\n", 1)[1].strip()
        for p in sorted((site / "content" / "papers").glob("*.md"))
    }
    return pages, problems


def test_a_title_without_an_abstract_costs_no_other_papers_page(tmp_path: Path) -> None:
    """A reviewer's paste: the page of the title without an abstract held the next paper's
    title and abstract, and that paper had no page."""
    pages, problems = ingest_paste(
        tmp_path,
        "Apr 6\nA Title With No Abstract Following It\n"
        f"Retrieval-Augmented Generation with Noisy Documents\n{ONE_SENTENCE_ABSTRACT}\n",
    )
    assert pages == {"retrieval-augmented-generation-with-noisy-documents.md": ONE_SENTENCE_ABSTRACT}
    assert problems == [
        "content/sources/day.txt:2: warning: title without an abstract (the next line reads as a title): "
        "'A Title With No Abstract Following It'; skipped"
    ]


def test_authors_and_a_vote_count_under_a_title_make_no_page(tmp_path: Path) -> None:
    """A reviewer's paste wrote `42.md`, titled "42", holding the paper's abstract; the
    paper's own page held its authors' names."""
    abstract = "We give LLM agents a memory that persists across sessions, and show that it helps them."
    pages, problems = ingest_paste(
        tmp_path, f"Apr 10\nSeventh Paper On Agent Memory\nAlice Smith, Bob Jones\n42\n{abstract}\n"
    )
    assert pages == {"seventh-paper-on-agent-memory.md": abstract} and problems == []


def test_an_abstract_pasted_twice_is_written_once(tmp_path: Path) -> None:
    pages, problems = ingest_paste(
        tmp_path, f"Apr 6\nNoisy Retrieval\n{ONE_SENTENCE_ABSTRACT}\n{ONE_SENTENCE_ABSTRACT}\n"
    )
    assert pages == {"noisy-retrieval.md": ONE_SENTENCE_ABSTRACT}
    assert problems == [
        "content/sources/day.txt:4: warning: the same paragraph again for the abstract of 'Noisy Retrieval'; "
        "dropped"
    ]


def test_a_dump_saved_twice_under_two_names_is_named(tmp_path: Path) -> None:
    """A reviewer's copy of a dump under another name: its papers were merged with the first
    file's as same entries, each page citing both files, and nothing said so."""
    root = make_site(tmp_path, "dumps")
    sources = root / "content" / "sources"
    text = (sources / "2024-03-12.txt").read_text(encoding="utf-8")
    (sources / "copy of march 12.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (sources / "part of march 12.txt").write_text(text.rsplit("\n\n", 2)[0] + "\n", encoding="utf-8")
    result = run_ingest(root)
    repeated = [p.format() for p in result.problems if "the same papers" in p.message]
    assert repeated == [
        "content/sources/copy of march 12.txt: warning: lists the same papers as "
        "content/sources/2024-03-12.txt, entry for entry: its papers cite both; delete one"
    ]  # a file holding part of another is no copy of it

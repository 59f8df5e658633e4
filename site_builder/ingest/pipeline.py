"""`ingest`, the recipe: sources → dedupe → tags → pages. Reads content/sources, writes content/papers.

The stages run in order and hand each other plain data; this module only wires them
together and writes the pages that changed (atomically); `summary.py` says what happened.
Parsing, fingerprinting and merging go through `state.IngestState`, which remembers their
results between runs by their exact inputs: a daily dump costs its own papers.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from site_builder.core.config import load_site_config
from site_builder.core.errors import Problem, SiteError
from site_builder.core.files.atomic import (
    atomic_write_bytes,
    flush_to_disk,
    remove_stale_temp_files,
    replace_if_unchanged,
)
from site_builder.core.files.content_files import DUMPS_READ, dumps_read, file_bytes, md_names
from site_builder.core.files.store import INGEST_STATE, SITE_CACHE, Store
from site_builder.core.model import Entry
from site_builder.core.pages.pagefile import StoredPage, line_of, tags_confirmed
from site_builder.core.pages.problems import untagged_warning
from site_builder.core.runtime.clock import today
from site_builder.core.runtime.collector import collector_paused
from site_builder.core.stopwatch import Stopwatch
from site_builder.core.taxonomy import Taxonomy, remember_taxonomy_read, remembered_taxonomy, unknown_tag
from site_builder.ingest.checkout import deleted_files
from site_builder.ingest.dedupe import DedupeResult, dedupe
from site_builder.ingest.dumps.date_messages import (
    clock_behind,
    clock_warning,
    pages_ahead,
    year_setting_warning,
)
from site_builder.ingest.dumps.dates import known_dates, resolve
from site_builder.ingest.dumps.files import read_sources, repeated_dumps
from site_builder.ingest.matching import arrival_day, doubled_pages, plan_pages
from site_builder.ingest.merge import PageUpdate, dates_by_hand
from site_builder.ingest.not_same import corrections, new_titles, unapplied
from site_builder.ingest.state import IngestState
from site_builder.ingest.tags.cache import tag_texts
from site_builder.ingest.tags.renames import merged_without_rules, renamed_without_alias


@dataclass
class IngestResult:
    files: int = 0
    unreadable: list[str] = field(default_factory=list)
    entries: int = 0
    dedupe: DedupeResult | None = None
    updates: list[PageUpdate] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # page files written (or, with --check, stale)
    untouched: list[str] = field(default_factory=list)  # pages no dump matched: left alone
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    check: bool = False
    renamed: Mapping[str, str] = field(default_factory=dict)  # the taxonomy's earlier tag names → now
    untagged: int = 0  # pages without a tag, written now or not
    drafts: int = 0  # pages with `draft: true`: kept and updated, left out of the site by `build`
    labelled_apart: frozenset[str] = frozenset()  # labelled pages with a tag the taxonomy lacks: not scored
    retitled: list[tuple[str, str, str]] = field(default_factory=list)  # (page, other title, title): new

    @property
    def failed(self) -> bool:
        """Some input could not be used: a file unread, an entry or a date refused."""
        return bool(self.unreadable) or any(p.severity == "error" for p in self.problems)


def run_ingest(root: Path, check: bool = False) -> IngestResult:
    """Read every dump, write every page whose text changed. Raises SiteError only for config
    and for pages it cannot read (it never overwrites what it could not read)."""
    folder = root / INGEST_STATE
    if not check and (root / "content").is_dir():
        with contextlib.suppress(OSError):  # unwritable: ingest runs unlocked, as before
            folder.mkdir(parents=True, exist_ok=True)
    # A second ingest (a person's, beside `serve`'s) waits: two writing the same pages at
    # once would each take the other's temporary files for a killed run's leftovers.
    waiting = f"{root}: another ingest of this site is running; waiting for it to end"
    with collector_paused(), Store(folder).locked(waiting):
        return _ingest(root, check)


def _ingest(root: Path, check: bool) -> IngestResult:
    content = root / "content"
    papers_dir = content / "papers"
    result = IngestResult(check=check)
    stage = Stopwatch(result.timings)
    with stage("recall"):
        state = IngestState(root / INGEST_STATE, keep=not check)  # what earlier runs parsed and planned
    with stage("config"):
        config = load_site_config(content / "site.yaml", "content/site.yaml")
        taxonomy_file = content / "taxonomy.yaml"
        taxonomy_bytes = file_bytes(taxonomy_file)
        taxonomy, taxonomy_read = remembered_taxonomy(taxonomy_file, taxonomy_bytes, state.store)
        if taxonomy.fallback:
            result.problems.append(fallback_warning(taxonomy))
    with stage("pages"):
        if not check:
            remove_stale_temp_files(papers_dir)
        existing, page_problems = state.read_pages(papers_dir, root)
        if any(p.severity == "error" for p in page_problems):
            # Never overwrite a page we could not read: the person's text would be lost.
            stop = Problem("content/papers", 0, "fix the pages above, then ingest again")
            raise SiteError([*page_problems, stop])
        result.problems += page_problems  # files left out, with the reason
    with stage("parse"):
        dumps, left_out = read_sources(content / "sources", root, state.parse_dump)
        result.problems += left_out + repeated_dumps(dumps)
        result.files = len(dumps)
        present = {entry.source.file for dump in dumps for entry in dump.entries}
        (known, titles), day = known_dates(existing, present), today()
        entries: list[Entry] = []
        by_setting: set[str] = set()
        by_clock: set[str] = set()
        line_dates: set[tuple[str, str]] = set()  # (dump, the full date of one of its date lines)
        for dump in dumps:
            result.problems += dump.problems
            result.entries += len(dump.entries)
            dated = resolve(dump.entries, known, config.year, day, titles, dump.date_lines)
            entries += dated.entries
            result.problems += [Problem(dump.path, line, why, "warning") for line, why in dated.doubtful]
            result.problems += [Problem(dump.path, line, why) for line, why in dated.errors]
            by_setting |= dated.files_dated_by("setting")
            by_clock |= dated.files_dated_by("clock")
            line_dates.update((file, full) for (file, _), (full, _) in dated.rules.items())
            if not dump.readable:
                result.unreadable.append(dump.path)
        if by_setting:
            line = _setting_line(content / "site.yaml", "year")
            result.problems.append(year_setting_warning(config.year, line, sorted(by_setting)))
        if by_clock and (behind := clock_behind(existing, day)):
            result.problems.append(clock_warning(day, *behind, sorted(by_clock)))
        result.problems += pages_ahead(existing, line_dates, day, typed=dates_by_hand)
    with stage("dedupe"):
        apart, apart_problems = corrections(existing)  # a person's `not_same_as:`
        result.dedupe = dedupe(entries, state.fingerprints, state.dedupe_index, state.text_key, apart)
        result.problems += apart_problems + unapplied(apart, result.dedupe.split, existing)
        state.dedupe_index = result.dedupe.index
    with stage("tag"):
        found = result.dedupe.papers
        texts = [(p.title, p.abstract) for p in found]
        tags = tag_texts(taxonomy, taxonomy_bytes or b"", texts, root / SITE_CACHE, not check, state.text_key)
        papers = [replace(p, tags=t) for p, t in zip(found, tags, strict=True)]
    with stage("plan"):
        state.renamed = result.renamed = taxonomy.renamed
        arrival, gone = arrival_day(papers, existing, day), functools.cache(lambda: deleted_files(papers_dir))
        taken = md_names(papers_dir)
        result.updates, untouched = plan_pages(papers, existing, taken, state.merge, arrival, gone)
        result.retitled = new_titles(papers, result.updates, existing)
        result.labelled_apart = frozenset(
            u.filename for u in result.updates if u.agrees is not None and not taxonomy.knows(u.tags)
        )
        doubled = doubled_pages(papers, result.updates, untouched)
        result.problems += doubled.values()
        result.untouched = [sp.path.name for sp in untouched if sp.path.name not in doubled]
        result.problems += [_kept_warning(update) for update in result.updates if update.kept]
        # The untagged pages this run writes: every one, every run, was 4,400 lines a day at
        # 50,000 papers, the day's few last (a reviewer); `check` lists them all.
        result.untagged = sum(1 for u in result.updates if u.untagged)
        result.untagged += sum(1 for sp in untouched if not sp.page.tags)
        result.drafts = sum(1 for sp in existing if sp.page.draft)
        result.problems += [
            untagged_warning(u.filename, u.slug, u.emptied_by_hand)
            for u in result.updates
            if u.untagged and (u.is_new or u.text != u.was)
        ]
        result.problems += [  # a person's own page without tags, which no dump lists: as check says
            untagged_warning(sp.path.name, sp.page.slug, tags_confirmed(sp.page.extra))
            for sp in untouched
            if not sp.page.tags
        ]
        result.problems += unknown_tags(result.updates, untouched, taxonomy, papers_dir)
        result.problems += renamed_without_alias(result.updates, taxonomy, taxonomy_file)
        result.problems += merged_without_rules(result.updates, taxonomy, taxonomy_file)
    with stage("write"):
        _write_pages(result, papers_dir, check)
    with stage("remember"):
        if not check:
            state.written([papers_dir / name for name in result.changed], root)
        state.save()
        if not check:
            remember_taxonomy_read(state.store, taxonomy_read, taxonomy)
            before = state.store.load(DUMPS_READ, "")  # for build to tell a dump not ingested yet
            if (read := dumps_read(root, before)) != before:
                state.store.save(DUMPS_READ, "", read)
    return result


def unknown_tags(
    updates: list[PageUpdate], untouched: list[StoredPage], taxonomy: Taxonomy, papers_dir: Path
) -> list[Problem]:
    """A warning for each tag on a page that the taxonomy lacks (typed by hand, or renamed
    there without an earlier name), at the first page's `tags:` line, as the build says it."""
    users: dict[str, list[str]] = {}
    for name, filename in [
        *((name, u.filename) for u in updates for name in u.tags),
        *((name, s.path.name) for s in untouched for name in s.page.tags),
    ]:
        users.setdefault(name, []).append(filename)
    written = {u.filename: u.text for u in updates}  # what the file holds once ingest has written
    problems = []
    for name in sorted(users):
        if taxonomy.get(name) is not None or name in taxonomy.renamed:
            continue
        files = sorted(users[name])
        problem = unknown_tag(name, [f"content/papers/{filename}" for filename in files], taxonomy)
        text = written.get(files[0], "")
        with contextlib.suppress(OSError, UnicodeDecodeError):  # a page left as it is may be unread
            text = text or (papers_dir / files[0]).read_text(encoding="utf-8")
        problems.append(replace(problem, line=line_of(text, "tags") if text else 0))
    return problems


def fallback_warning(taxonomy: Taxonomy) -> Problem:
    """A taxonomy that files every paper no rule places under one tag: a guess readers cannot
    tell from a real tag. Sites made by `init` before the default dropped it still have it."""
    return Problem(
        "content/taxonomy.yaml",
        taxonomy.fallback_line,
        f"`fallback: {taxonomy.fallback}` tags every paper no rule places {taxonomy.fallback}, a guess; "
        "delete this line to have ingest and check list such papers as untagged instead",
        "warning",
    )


def _setting_line(path: Path, key: str) -> int:
    """The line of `key:` in a settings file, for a message (0 if it cannot be read)."""
    try:
        return line_of(path.read_text(encoding="utf-8"), key)
    except (OSError, UnicodeDecodeError):
        return 0


def _kept_warning(update: PageUpdate) -> Problem:
    """Title and body come from the dumps, tags from the rules: say which changed. A kept
    `listed:` date has a reason of its own: only a page of an earlier version, with no record
    of the dates ingest gave, keeps one the dumps do not give (merge._merged_dates)."""
    edited = [field for field in update.kept if field != "listed"]
    source = " and ".join(
        name
        for name, fields in (("the dumps", {"title", "authors", "body"}), ("the rules", {"tags"}))
        if fields & set(edited)
    )
    keys = {"title": "title", "authors": "authors", "tags": "tags", "listed": "sources"}  # each one's key
    first = next((key for field, key in keys.items() if field in update.kept), "")
    said = [f"kept your edited {', '.join(edited)}; {source} now say something else"] if edited else []
    if "listed" in update.kept:
        said.append(
            "kept its listed date, which the dumps do not give: an earlier site_builder kept no "
            "record of the dates it gave, so this one is taken as your correction (said once; "
            "write the dumps' date to have the page follow them again)"
        )
    return Problem(
        f"content/papers/{update.filename}",
        line_of(update.text, first) if first else 1,  # at the field (a body's front matter: line 1)
        "; ".join(said),
        "warning",
    )


def _write_pages(result: IngestResult, papers_dir: Path, check: bool) -> None:
    """Write every page whose text changed (with `check`, only list them).

    A page is replaced only if it still holds what ingest read at the start: an edit saved
    while ingest ran is kept (and reported). A new page never replaces a file that appeared
    meanwhile.
    """
    for update in result.updates:
        if update.text == update.was:
            continue  # the page as ingest read it is the page it wants: nothing to read again
        path = papers_dir / update.filename
        current = _current(path)
        if current == update.text:
            continue
        if not check and (current != update.was or not _write_page(path, update)):
            message = "changed while ingest ran; kept as it is now — ingest again to update it"
            result.problems.append(Problem(f"content/papers/{update.filename}", 0, message, "warning"))
            continue
        result.changed.append(update.filename)
    if result.changed and not check:
        flush_to_disk([papers_dir / name for name in result.changed])


def _write_page(path: Path, update: PageUpdate) -> bool:
    """Write the page unless a person's save got there first (False): a new page never
    replaces a file that appeared, an old one only a file still holding what ingest read."""
    data = update.text.encode("utf-8")
    if update.is_new:
        try:
            atomic_write_bytes(path, data, durable=False, replace=False)
        except FileExistsError:
            return False
        return True
    return replace_if_unchanged(path, data, lambda file: _current(file) == update.was)


def _current(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return "\0unreadable"  # not what ingest read: never replaced

"""What ingest remembers between runs, so a daily dump costs its own papers, not the whole site.

Kept in `.site-cache/ingest/` through `core.files.store.Store` (checksummed, salted with the code
version: an upgrade starts afresh). Every entry is keyed by everything its result is
computed from, so it is either exactly what the work would give again or it is not used
(file times count in one place only, said below, and are checked against the bytes before
a page is rewritten):

- a parsed dump, by the dump's bytes, its name under content/sources and its label;
- a parsed page file, by the file's bytes, its name and its label; and which bytes a page
  file held, by its name, label and stat (size, times, inode), recorded only for a file
  whose times were a timestamp tick old when ingest looked (`files.content_files.settled`), so
  that a later change always shows in them. A file known so is not read: its text is read
  only if ingest is to rewrite the page, and a page is rewritten only if the file still holds
  that text (`pipeline._write_pages`), so even a change the stat missed is kept, not lost.
  After a checkout (a new stat for every file), a file git holds unmodified with the blob
  id of those bytes is known so too (checkout.py);
- an abstract's dedupe fingerprint (words, opening, MinHash signature), by the abstract;
- dedupe's index of every entry (`dedupe.DedupeIndex`), by the entries themselves: it is
  extended only when every entry it holds is still read, exactly as it was;
- "this page stays as it is": by everything `merge` reads — the paper (its title, abstract,
  sources with dates resolved by site.yaml, the pages and the clock, and its tags from the
  taxonomy), the slug, the page's file name and text.

Tags have their own cache (`tags/cache.py`). A missing, stale or damaged file only means
that part is computed again; entries no longer used are forgotten when their table is next
rewritten in full (see `files.store.Memo`). `rm -rf .site-cache` is always safe.
"""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import replace
from pathlib import Path

from site_builder.core.errors import Problem
from site_builder.core.files.content_files import Stat, label_of, settled, stat_key
from site_builder.core.files.store import PAGES_SEEN, Memo, Store
from site_builder.core.model import Entry, Paper
from site_builder.core.pages.pagefile import (
    CHANGED,
    StoredPage,
    page_file_text,
    parse_page,
    read_page,
    read_pages,
)
from site_builder.core.runtime.hashing import TextKey, code_version, digest, text_key
from site_builder.ingest.checkout import committed_blobs, git_blob
from site_builder.ingest.dedupe import DedupeIndex
from site_builder.ingest.dumps.sources import DumpResult, parse_dump
from site_builder.ingest.fingerprints import Fingerprint, fingerprints
from site_builder.ingest.merge import PageUpdate, merge

# The pages a daily dump adds are parsed right after they are written, so the next ingest
# finds them remembered; a cold ingest (thousands of pages) leaves that to the next run.
PARSE_WRITTEN_UP_TO = 1000
DEDUPE_INDEX = "dedupe-index"
# Files under a new stat before git is asked which of them it holds as committed (checkout.py).
CHECKOUT_FROM = 100
# Abstracts asked at once before their fingerprints are looked up in the table: fewer (a
# day's new papers, which the table cannot hold, and the few older ones they are compared
# with) are computed, 50 µs each, rather than the table read (48 ms at 10,000 papers).
PRINTS_TABLE_FROM = 1000


class IngestState:
    """What ingest remembers: its memos (dumps parsed, pages read, the files seen, abstracts'
    fingerprints, pages unchanged) and dedupe's index. `folder=None` remembers nothing; `keep=False` reads
    them but saves nothing (`ingest --check`)."""

    def __init__(self, folder: Path | None, keep: bool = True) -> None:
        self.store = Store(folder)
        self.salt = salt = code_version()
        if keep:
            self.store.sweep(())  # no name retired here yet: a killed save's temporary
        self.dumps = Memo(self.store, "dumps", salt)
        self.pages = Memo(self.store, "pages", salt)
        self.seen = Memo(self.store, PAGES_SEEN, salt)  # page file name → (label, stat, bytes digest)
        self._looked_ns = 0  # when this run started to look at the page files
        self._looking: dict[str, tuple[str, Stat]] = {}  # files looked at, to record once read
        self._moved = 0  # files found under a new stat
        self._blobs: dict[str, str] | None = None  # what git holds unmodified (`_committed`)
        self.prints = Memo(self.store, "fingerprints", salt)
        self.unchanged = Memo(self.store, "unchanged", salt)
        self.renamed: dict[str, str] = {}  # the taxonomy's earlier tag names (merge.merge)
        found = self.store.load(DEDUPE_INDEX, salt)
        self.dedupe_index: DedupeIndex | None = found if isinstance(found, DedupeIndex) else None
        # What was loaded, and its size: an index extended in place, or replaced, is saved.
        self._loaded = (self.dedupe_index, len(self.dedupe_index.entry_variant) if self.dedupe_index else 0)
        self.keep = keep
        self._fingerprints = fingerprints()
        self.text_key = TextKeys()  # each paper's, remembered with its dump

    def save(self) -> None:
        if self.keep:
            for memo in (self.dumps, self.pages, self.seen, self.prints, self.unchanged):
                memo.save()
            index = self.dedupe_index
            if index is not None and (index, len(index.entry_variant)) != self._loaded:
                self.store.save(DEDUPE_INDEX, self.salt, index)

    def parse_dump(self, data: bytes, label: str, file_key: str) -> DumpResult:
        """`dumps.sources.parse_dump`, remembered by the bytes, with each entry's `text_key`."""
        key = digest(file_key, label, digest(data))
        found: tuple[DumpResult, tuple[str, ...]] | None = self.dumps.get(key)
        if found is None:
            parsed = parse_dump(data, label, file_key)
            found = parsed, tuple(text_key(e.title, e.abstract) for e in parsed.entries)
            self.dumps.put(key, found)
        parsed, keys = found
        self.text_key.add(parsed.entries, keys)
        # Lists the caller may extend without touching what is remembered.
        return replace(parsed, entries=list(parsed.entries), problems=list(parsed.problems))

    def read_pages(self, papers_dir: Path, root: Path) -> tuple[list[StoredPage], list[Problem]]:
        """`pages.pagefile.read_pages`, reading only the files whose stat is not what it was when
        they were last read (`known_page`)."""
        self._looked_ns = time.time_ns()
        return read_pages(papers_dir, root, self.parse_page, self.known_page)

    def known_page(
        self, path: Path, label: str, st: os.stat_result
    ) -> tuple[StoredPage, list[Problem]] | None:
        """The page of a file with the stat it had when it was last read, parsed without
        errors, without reading it (its text is read only if asked for: `StoredPage.file_text`)."""
        found = stat_key(st)
        seen = self.seen.get(path.name)
        if seen is not None and seen[0] == label and seen[1] is not None:
            remembered = self.pages.get(digest(path.name, label, seen[2]))
            if (
                remembered is not None
                and remembered[0] is not None
                and self._as_read(path, found, seen, remembered[2])
            ):
                page, generated = remembered[0]
                return StoredPage(path, page, dict(generated), "", seen[2], unread=True), list(remembered[1])
        if settled(found, self._looked_ns):
            self._looking[path.name] = (label, found)  # recorded with its bytes' digest once read
        return None

    def _as_read(self, path: Path, found: Stat, seen: tuple[str, Stat, str], blob: str) -> bool:
        """Whether the file holds the bytes last read under its name: it has the stat it had
        then, or git holds it unmodified with their blob id (a checkout: checkout.py), which
        its stat then stands for."""
        if seen[1] == found:
            return True
        if seen[1][0] != found[0] or self._committed(path) != blob:
            return False
        if settled(found, self._looked_ns):
            self.seen.put(path.name, (seen[0], found, seen[2]))
        return True

    def _committed(self, path: Path) -> str | None:
        """The blob id git holds for the file, unmodified (checkout.py); asked of git once,
        when CHECKOUT_FROM files were found under a new stat (one edited page is read
        sooner than git lists ten thousand)."""
        self._moved += 1
        if self._blobs is None and self._moved >= CHECKOUT_FROM:
            self._blobs = committed_blobs(path.parent)
        return self._blobs.get(path.name) if self._blobs is not None else None

    def parse_page(self, data: bytes, path: Path, label: str) -> tuple[StoredPage | None, list[Problem]]:
        """`pages.pagefile.parse_page`, remembered by the bytes (the text is decoded again: it is
        what ingest compares the file with before replacing it)."""
        data_digest = digest(data)
        looked = self._looking.pop(path.name, None)
        if looked is not None and looked[0] == label:
            self.seen.put(path.name, (label, looked[1], data_digest))
        key = digest(path.name, label, data_digest)
        found = self.pages.get(key)
        if found is None:
            stored, problems = parse_page(data, path, label)
            parsed = (stored.page, stored.generated) if stored is not None else None
            self.pages.put(key, (parsed, tuple(problems), git_blob(data)))
            return (replace(stored, digest=data_digest) if stored is not None else None), problems
        parsed, problems, _ = found
        if parsed is None:
            return None, list(problems)
        page, generated = parsed
        return StoredPage(path, page, dict(generated), page_file_text(data), data_digest), list(problems)

    def written(self, paths: list[Path], root: Path) -> None:
        """Parse the pages ingest just wrote (a day's worth at most), as the next run reads them."""
        if len(paths) <= PARSE_WRITTEN_UP_TO:
            for path in paths:
                read_page(path, label_of(path, root), self.parse_page)

    def fingerprints(self, abstracts: list[str]) -> list[Fingerprint]:
        """`fingerprints.fingerprint_all`, each remembered by the abstract; a few, while the
        table is unread, computed and left out of it (PRINTS_TABLE_FROM)."""
        if len(abstracts) < PRINTS_TABLE_FROM and not self.prints.loaded:
            return self._fingerprints(abstracts)
        keys = [digest(text) for text in abstracts]
        found: list[Fingerprint | None] = [self.prints.get(key) for key in keys]
        missing = [i for i, f in enumerate(found) if f is None]
        for i, printed in zip(missing, self._fingerprints([abstracts[i] for i in missing]), strict=True):
            found[i] = printed
            self.prints.put(keys[i], printed)
        return [f for f in found if f is not None]

    def merge(
        self, paper: Paper, old: StoredPage | None, slug: str, *, added: datetime.date | None = None
    ) -> PageUpdate:
        """`merge.merge`, skipped for a page that the same inputs left as it is last time."""
        if old is None:
            return merge(paper, old, slug, self.renamed, added)
        key = unchanged_key(paper, slug, old, self.renamed, self.text_key)
        found: tuple[tuple[str, ...], bool, bool, bool | None] | None = self.unchanged.get(key)
        if found is not None:
            kept, untagged, by_hand, agrees = found
            # The page stays as it is: its text, unread if its stat was known, is not needed.
            return PageUpdate(
                old.page.slug,
                old.path.name,
                old.text,
                False,
                kept,
                old.text,
                untagged,
                by_hand,
                tags=old.page.tags,
                agrees=agrees,
            )
        update = merge(paper, old, slug, self.renamed)
        if update.text == update.was:
            self.unchanged.put(key, (update.kept, update.untagged, update.emptied_by_hand, update.agrees))
        elif update.was == CHANGED:  # not the bytes its stat stood for: read it next time
            self.seen.put(old.path.name, (None, None, ""))
        return update


class TextKeys:
    """`hashing.text_key` of a title and an abstract, known for every entry of a dump parsed
    or remembered (`IngestState.parse_dump`): dedupe's entry ids, the tag cache and the memo
    of unchanged pages key a paper by it, and a day hashed each of the site's abstracts three
    times. Known pairs are found by the strings' identity (the papers hold the entries' own
    strings): hashing an abstract to look it up in a dict costs as much as SHA-256 does."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, int], tuple[str, str, str]] = {}  # held: their ids stay theirs

    def add(self, entries: list[Entry], keys: tuple[str, ...]) -> None:
        for entry, key in zip(entries, keys, strict=True):
            self._known[id(entry.title), id(entry.abstract)] = entry.title, entry.abstract, key

    def __call__(self, title: str, abstract: str) -> str:
        found = self._known.get((id(title), id(abstract)))
        if found is not None and found[0] is title and found[1] is abstract:
            return found[2]
        return text_key(title, abstract)


def unchanged_key(
    paper: Paper,
    slug: str,
    old: StoredPage,
    renamed: dict[str, str] | None = None,
    text_key: TextKey = text_key,
) -> str:
    """What `merge` keeps "this leaves the page as it is" under: every field of the paper,
    the slug, the file's name and its text. The title and abstract by their `text_key`
    (`TextKeys` knows it: hashing the abstract was half of this key), the small tuples by
    their repr, made in C (a dataclass's repr took half of planning); the file's bytes
    digest names its text (hashing every page's text again cost more)."""
    sources = repr(tuple((s.file, s.line, s.listed, s.stated) for s in paper.sources))
    text = f"#{old.digest}" if old.digest else f"={old.text}"
    fields = repr(
        (
            paper.aliases,
            paper.tags,
            paper.first_title,
            paper.links,
            sorted((renamed or {}).items()),
            paper.authors,
        )
    )
    return digest(text_key(paper.title, paper.abstract), sources, fields, slug, old.path.name, text)

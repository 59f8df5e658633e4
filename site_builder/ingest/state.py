"""What ingest remembers between runs, so a daily dump costs its own papers, not the whole site.

Kept in `.site-cache/ingest/` through `core.store.Store` (checksummed, salted with the code
version: an upgrade starts afresh). Every entry is keyed by everything its result is
computed from, never by file times, so it is either exactly what the work would give
again or it is not used:

- a parsed dump, by the dump's bytes, its name under content/sources and its label;
- a parsed page file, by the file's bytes, its name and its label;
- an abstract's dedupe fingerprint (words, opening, MinHash signature), by the abstract;
- dedupe's index of every entry (`dedupe.DedupeIndex`), by the entries themselves: it is
  extended only when every entry it holds is still read, exactly as it was;
- "this page stays as it is": by everything `merge` reads — the paper (its title, abstract,
  sources with dates resolved by site.yaml, the pages and the clock, and its tags from the
  taxonomy), the slug, the page's file name and text.

Tags have their own cache (`tag_cache.py`). A missing, stale or damaged file only means
that part is computed again; entries no longer used are forgotten when their table is next
rewritten in full (see `store.Memo`). `rm -rf .site-cache` is always safe.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from site_builder.core.content_files import label_of
from site_builder.core.errors import Problem
from site_builder.core.hashing import code_version, digest
from site_builder.core.model import Paper
from site_builder.core.pagefile import StoredPage, page_file_text, parse_page, read_page
from site_builder.core.store import SITE_CACHE, Memo, Store
from site_builder.ingest.dedupe import DedupeIndex
from site_builder.ingest.fingerprints import Fingerprint, fingerprints
from site_builder.ingest.merge import PageUpdate, merge
from site_builder.ingest.sources import DumpResult, parse_dump

STATE_DIR = SITE_CACHE / "ingest"
# The pages a daily dump adds are parsed right after they are written, so the next ingest
# finds them remembered; a cold ingest (thousands of pages) leaves that to the next run.
PARSE_WRITTEN_UP_TO = 1000
DEDUPE_INDEX = "dedupe-index"


class IngestState:
    """The four memos and dedupe's index. `folder=None` remembers nothing; `keep=False` reads
    them but saves nothing (`ingest --check`)."""

    def __init__(self, folder: Path | None, keep: bool = True) -> None:
        self.store = Store(folder)
        self.salt = salt = code_version()
        self.dumps = Memo(self.store, "dumps", salt)
        self.pages = Memo(self.store, "pages", salt)
        self.prints = Memo(self.store, "fingerprints", salt)
        self.unchanged = Memo(self.store, "unchanged", salt)
        found = self.store.load(DEDUPE_INDEX, salt)
        self.dedupe_index: DedupeIndex | None = found if isinstance(found, DedupeIndex) else None
        # What was loaded, and its size: an index extended in place, or replaced, is saved.
        self._loaded = (self.dedupe_index, len(self.dedupe_index.entry_variant) if self.dedupe_index else 0)
        self.keep = keep
        self._fingerprints = fingerprints()

    def save(self) -> None:
        if self.keep:
            for memo in (self.dumps, self.pages, self.prints, self.unchanged):
                memo.save()
            index = self.dedupe_index
            if index is not None and (index, len(index.entry_variant)) != self._loaded:
                self.store.save(DEDUPE_INDEX, self.salt, index)

    def parse_dump(self, data: bytes, label: str, file_key: str) -> DumpResult:
        """`sources.parse_dump`, remembered by the bytes."""
        key = digest(file_key, label, digest(data))
        found: DumpResult | None = self.dumps.get(key)
        if found is None:
            found = parse_dump(data, label, file_key)
            self.dumps.put(key, found)
        # Lists the caller may extend without touching what is remembered.
        return DumpResult(found.path, list(found.entries), list(found.problems), found.readable)

    def parse_page(self, data: bytes, path: Path, label: str) -> tuple[StoredPage | None, list[Problem]]:
        """`pagefile.parse_page`, remembered by the bytes (the text is decoded again: it is
        what ingest compares the file with before replacing it)."""
        data_digest = digest(data)
        key = digest(path.name, label, data_digest)
        found = self.pages.get(key)
        if found is None:
            stored, problems = parse_page(data, path, label)
            parsed = (stored.page, stored.generated) if stored is not None else None
            self.pages.put(key, (parsed, tuple(problems)))
            return (replace(stored, digest=data_digest) if stored is not None else None), problems
        parsed, problems = found
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
        """`fingerprints.fingerprint_all`, each remembered by the abstract."""
        keys = [digest(text) for text in abstracts]
        found: list[Fingerprint | None] = [self.prints.get(key) for key in keys]
        missing = [i for i, f in enumerate(found) if f is None]
        for i, printed in zip(missing, self._fingerprints([abstracts[i] for i in missing]), strict=True):
            found[i] = printed
            self.prints.put(keys[i], printed)
        return [f for f in found if f is not None]

    def merge(self, paper: Paper, old: StoredPage | None, slug: str) -> PageUpdate:
        """`merge.merge`, skipped for a page that the same inputs left as it is last time."""
        if old is None:
            return merge(paper, old, slug)
        key = unchanged_key(paper, slug, old)
        found: tuple[tuple[str, ...], bool] | None = self.unchanged.get(key)
        if found is not None:
            kept, untagged = found
            return PageUpdate(old.page.slug, old.path.name, old.text, False, kept, old.text, untagged)
        update = merge(paper, old, slug)
        if update.text == old.text:
            self.unchanged.put(key, (update.kept, update.untagged))
        return update


def unchanged_key(paper: Paper, slug: str, old: StoredPage) -> str:
    """What `merge` keeps "this leaves the page as it is" under: every field of the paper,
    the slug, the file's name and its text. Texts are hashed as they are (a repr of every
    abstract made the keys a third slower), the small tuples by their repr, made in C (a
    dataclass's repr took half of planning); the file's bytes digest names its text
    (hashing every page's text again cost more)."""
    sources = repr(tuple((s.file, s.line, s.listed) for s in paper.sources))
    text = f"#{old.digest}" if old.digest else f"={old.text}"
    fields = repr((paper.aliases, paper.tags))
    return digest(paper.title, paper.abstract, sources, fields, slug, old.path.name, text)

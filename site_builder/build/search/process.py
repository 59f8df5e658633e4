"""The search assets, made by a forked process while the build does the rest.

The search files need only the pages, so they are made beside related papers, the plan and
the pages (`SearchBuild`); without `fork` (serve's server threads) they are made in this
process. This module imports the search modules (numpy among them) only when the files
are made: a build with nothing to make does not pay for them.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from site_builder.build.ledger import BundleFile, Previously
from site_builder.build.output.sitedir import OutputDir
from site_builder.build.search.synonyms import Synonyms
from site_builder.core.errors import site_problems
from site_builder.core.files.store import Store
from site_builder.core.model import Page
from site_builder.core.runtime.hashing import code_version, digest
from site_builder.core.runtime.parallel import die_with_parent, pool_context, receive_outcome, send_outcome
from site_builder.core.taxonomy import Taxonomy

ANALYSED_TEXTS = "search-texts"  # the store's name for the analysed titles and abstracts
CODED_WORDS = "search-words"  # … and for the last word shards (`WordFiles`), with their `words_key`
# … and each document chunk by name: what it holds (`chunk_key`), its version, its bytes' digest
CHUNK_FILES = "search-chunks"
EARLIER_POSTINGS = "search-postings"  # … and the postings last made (`EarlierPostings`)


class SearchBuild:
    """The search assets, written into the new site by a forked process when `background`
    (they need only the pages, so they are made while the pages render)."""

    def __init__(
        self,
        pages: list[Page],
        taxonomy: Taxonomy,
        synonyms: Synonyms,
        store: Store,
        background: bool,
        searched: dict[str, str] | None = None,
    ) -> None:
        self._args = (pages, taxonomy, synonyms, store)
        self._searched = searched  # each page's `searched_digest`, by slug
        self._background = background
        self._target: OutputDir | None = None
        self._reuse: dict[str, Previously] = {}
        self._process: BaseProcess | None = None
        self._results: Connection | None = None
        self._sent = False  # the child sent its outcome: it is ending of itself

    def start(self, target: OutputDir, reuse: dict[str, Previously]) -> None:
        self._target = target
        self._reuse = reuse
        context = pool_context()
        if self._background and context.get_start_method() == "fork":
            # Forked: the child inherits the pages, nothing is pickled on the way in.
            self._results, sender = context.Pipe(duplex=False)
            self._process = context.Process(
                target=_search_in_child,
                args=(sender, *self._args, target, reuse, self._searched),
                daemon=True,
            )
            self._process.start()
            sender.close()

    def result(self) -> dict[str, BundleFile]:
        """Wait for the files (or write them now): path → what was written. Errors are raised here."""
        assert self._target is not None, "start() first"
        if self._process is None or self._results is None:
            return write_search_assets(*self._args, self._target, self._reuse, self._searched)
        try:
            files: dict[str, BundleFile] = receive_outcome(
                self._results, self._process, "building the search assets"
            )
        except BaseException:
            self.close()
            raise
        # The child has sent everything; it is joined by `close`, later (the ledger closes
        # its bundles once the rest is made): tearing down its copy of the build's memory
        # took 7 ms the build waited for.
        self._sent = True
        self._results.close()
        self._results = None
        return files

    def close(self) -> None:
        """Stop the child if it still runs (the build failed elsewhere), or wait for it to end
        (it sent its files)."""
        if self._process is not None:
            if not self._sent and self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
        if self._results is not None:
            self._results.close()
            self._results = None


def _search_in_child(sender: Connection, *args: Any) -> None:
    die_with_parent()
    send_outcome(sender, lambda: write_search_assets(*args), site_problems)


def write_search_assets(
    pages: list[Page],
    taxonomy: Taxonomy,
    synonyms: Synonyms,
    store: Store,
    out: OutputDir,
    reuse: dict[str, Previously] | None = None,
    searched: dict[str, str] | None = None,
) -> dict[str, BundleFile]:
    """Write the search files, each keyed by its bytes: a file the previous build wrote with
    the same bytes (`reuse`) is hard-linked from the previous site instead. The analysis of
    each title and abstract, and the word shards, are remembered in `store` for the next
    build (with each page's text key, by its `searched_digest`, when `searched` gives them)."""
    from site_builder.build.search import assets as search  # numpy and all: only to make files
    from site_builder.build.search import index as search_index
    from site_builder.build.search import words as search_words
    from site_builder.build.search.analysed import AnalysedTexts
    from site_builder.build.search.earlier_postings import EarlierPostings

    salt = code_version()
    analysed = store.load(ANALYSED_TEXTS, salt)
    analysed = analysed if isinstance(analysed, AnalysedTexts) else AnalysedTexts()
    earlier = store.load(EARLIER_POSTINGS, salt)
    earlier = earlier if isinstance(earlier, EarlierPostings) else None
    index = search_index.build_index(pages, taxonomy, analysed, searched, earlier)
    if index.analysed or len(index.known.texts) != len(analysed.texts) or index.known.pages != analysed.pages:
        store.save(ANALYSED_TEXTS, salt, index.known)
    if index.postings != earlier:
        store.save(EARLIER_POSTINGS, salt, index.postings)
    del analysed, earlier
    index.known, index.postings = AnalysedTexts(), None  # saved: released before the files are made
    key, words = search_words.words_key(index), store.load(CODED_WORDS, salt)  # words: (key, word shards)
    stored = isinstance(words, tuple) and len(words) == 2 and isinstance(words[1], search_words.WordFiles)
    before = words[1] if stored else None
    if before is not None and words[0] == key:
        vocabulary = before
    else:  # an earlier list's lunr.js stems serve the words it had
        vocabulary = search_words.word_files(index, known=before)
        store.save(CODED_WORDS, salt, (key, vocabulary))
    reuse = reuse or {}
    chunks_before = store.load(CHUNK_FILES, salt)  # chunk name → (papers' key, version, bytes' key)
    chunks_before = chunks_before if isinstance(chunks_before, dict) else {}
    made, kept, keys = {}, {}, {}
    for name, papers in search.chunks(index):
        path, keys[name], chunk = (
            search.data_path(name),
            search.chunk_key(name, papers),
            chunks_before.get(name),
        )
        before = reuse.get(path)
        # The same papers as when the file on disk was made: the same bytes, not made again.
        if chunk is not None and chunk[0] == keys[name] and before is not None and before.key == chunk[2]:
            kept[name] = chunk[1]
            made[path] = BundleFile(before.key, out.link(path, before.stat), True)
    assets, versions = search.search_files(index, taxonomy, synonyms, vocabulary, kept)
    for path, data in assets.items():
        key = digest(data)
        before = reuse.get(path)
        if before is not None and before.key == key:
            made[path] = BundleFile(key, out.link(path, before.stat), True)
        else:
            made[path] = BundleFile(key, out.write(path, data))
    chunk_files = {
        name: (key, versions[name], made[search.data_path(name)].key) for name, key in keys.items()
    }
    if chunk_files != chunks_before:
        store.save(CHUNK_FILES, salt, chunk_files)
    return dict(sorted(made.items()))

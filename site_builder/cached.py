"""The two whole-site stages behind the build cache: related papers and search assets.

Both depend on every page, so any page edit redoes them; an unchanged site reuses them.
Related papers are kept under a hash of every page's digest, with each page's term counts
(the costly text analysis) kept per page digest, so after an edit only the edited page is
analysed again. The search assets do not depend on anything the renderer makes, so they are
built in a forked process while the main one works on the pages, and written straight into
the new site folder; without `fork` (or while serve's server threads run) they are built
in this process, after the pages.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from site_builder.buildcache import Store, code_salt, digest
from site_builder.config import SiteConfig, Taxonomy
from site_builder.errors import SiteError
from site_builder.model import Page
from site_builder.processes import die_with_parent
from site_builder.related import TermTable, related_from_table, term_counts
from site_builder.search import build_search_assets, find_lunr_js
from site_builder.sitedir import FileStat, OutputDir
from site_builder.workers import pool_context


def related_for(pages: Sequence[Page], digests: dict[str, str], store: Store) -> dict[str, list[str]]:
    """Related papers of every page (`pages` sorted by slug), reused while no page changed;
    after an edit only the edited pages' text is analysed again (term counts are kept,
    encoded, under each page's digest)."""
    salt = code_salt()
    slugs = [p.slug for p in pages]
    key = digest(*[part for slug in slugs for part in (slug, digests[slug])])
    saved = store.load("related", salt)
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == key:
        return saved[1]  # type: ignore[no-any-return]
    known = store.load("terms", salt)
    table, counted = known if _is_terms(known) else (TermTable(), {})
    docs = {}
    for page in pages:
        found = counted.get(digests[page.slug])
        docs[digests[page.slug]] = found if found is not None else table.encode(term_counts(page))
    result = related_from_table(slugs, table, [docs[digests[s]] for s in slugs])
    store.save("terms", salt, (table, docs))
    store.save("related", salt, (key, result))
    return result


def _is_terms(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], TermTable)


def search_key(
    pages: Sequence[Page], digests: dict[str, str], taxonomy_digest: str, config: SiteConfig
) -> str:
    """A hash of everything the search assets are built from."""
    lunr = find_lunr_js()
    parts = [code_salt(), repr(config), taxonomy_digest, digest(lunr.read_bytes())]
    return digest(*parts, *[part for p in pages for part in (p.slug, digests[p.slug])])


class SearchBuild:
    """The search assets being written into `target`, by a forked process when `background`."""

    def __init__(
        self, pages: list[Page], taxonomy: Taxonomy, config: SiteConfig, target: Path, background: bool
    ) -> None:
        self._args = (pages, taxonomy, config, target)
        self._process: BaseProcess | None = None
        context = pool_context()
        if background and context.get_start_method() == "fork":
            # Forked: the child inherits the pages, nothing is pickled on the way in.
            self._results, sender = context.Pipe(duplex=False)
            self._process = context.Process(target=_in_child, args=(sender, *self._args), daemon=True)
            self._process.start()
            sender.close()

    def result(self) -> dict[str, FileStat]:
        """Wait for the files (or write them now): path → what was written. Errors are raised here."""
        if self._process is None:
            return write_search_assets(*self._args)
        try:
            kind, value = self._results.recv()
        except EOFError:
            kind, value = "crash", f"the search process died (exit code {self._process.exitcode})"
        finally:
            self.close()
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "problems":
            raise SiteError(value)
        raise RuntimeError(f"building the search assets failed:\n{value}")

    def close(self) -> None:
        """Stop the child if it still runs (the build failed elsewhere)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._results.close()
            self._process = None


def _in_child(sender: Connection, *args: Any) -> None:
    die_with_parent()
    try:
        sender.send(("ok", write_search_assets(*args)))
    except SiteError as err:
        sender.send(("problems", err.problems))
    except BaseException:
        sender.send(("crash", traceback.format_exc()))
        raise


def write_search_assets(
    pages: list[Page], taxonomy: Taxonomy, config: SiteConfig, target: Path
) -> dict[str, FileStat]:
    out = OutputDir(target)
    assets = build_search_assets(pages, taxonomy, config)
    return {path: out.write(path, data) for path, data in sorted(assets.items())}

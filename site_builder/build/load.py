"""Everything a build reads: site.yaml, taxonomy.yaml and the pages, validated together.

The build reads nothing but content/ and the theme, so a page edited by hand shows up on
the next build without re-ingesting. Every problem is collected before failing once.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field, replace
from pathlib import Path

from site_builder.build.cache.pages import load_pages
from site_builder.build.render.extra_pages import ExtraPage, load_extra_pages
from site_builder.build.search.synonyms import Synonyms, load_synonyms
from site_builder.core.config import (
    EDIT_URL_ENV,
    OFFLINE_COPY_ENV,
    PLACEHOLDER_NOTE,
    SiteConfig,
    load_site_config,
)
from site_builder.core.errors import Problem, SiteError
from site_builder.core.files.content_files import DUMPS_READ, file_bytes, files_in, unread_dumps
from site_builder.core.files.store import INGEST_STATE, Store
from site_builder.core.hints import command
from site_builder.core.model import DATE, Page
from site_builder.core.runtime.clock import today
from site_builder.core.runtime.hashing import digest
from site_builder.core.taxonomy import Taxonomy, remember_taxonomy_read, remembered_taxonomy

SITE_YAML, PAPERS = "content/site.yaml", "content/papers"  # as messages name them, site-relative
Dated = tuple[str, datetime.date]  # (page file, its `date:`): a page dated after today


@dataclass(frozen=True)
class Content:
    """Everything a build reads: the site's settings, its tags and its pages."""

    config: SiteConfig
    taxonomy: Taxonomy
    pages: list[Page]  # sorted by slug
    labels: dict[str, str]  # slug → page file, as the user would type it
    warnings: list[Problem]
    digests: dict[str, str] = field(default_factory=dict)  # slug → hash of the page file
    searched: dict[str, str] = field(default_factory=dict)  # slug → hash of what search reads
    taxonomy_digest: str = ""  # of taxonomy.yaml and synonyms.yaml: what search shows of them
    taxonomy_read: str = ""  # the hash of taxonomy.yaml's bytes, if read anew (`remember_taxonomy`)
    synonyms: Synonyms = field(default_factory=Synonyms)
    root: Path = Path(".")  # the site folder: labels are relative to it
    extra_pages: tuple[ExtraPage, ...] = ()  # content/pages/*.md: an About page and the like
    drafts: int = 0  # pages with `draft: true` left out of `pages` (none when drafts are built)
    with_drafts: bool = False  # drafts are built (`build --drafts`): in `pages`, marked
    ahead: tuple[Dated, ...] = ()  # pages left out until their day (`--future` builds them)

    @functools.cached_property
    def pages_key(self) -> str:
        """A hash of every page as the build reads it: its slug, its file's digest and label,
        and its tags as read (a tag's earlier name is read as the tag's own: not in the
        file's digest). What related papers and the plan's fingerprint both count, hashed
        once (each hashed the 10,000 pages again, 8 ms apiece)."""
        digests, labels = self.digests, self.labels
        return digest(
            *[x for p in self.pages for x in (p.slug, digests[p.slug], labels.get(p.slug, ""), *p.tags, "\1")]
        )


def load_content(
    root: Path,
    base_url: str | None = None,
    store: Store | None = None,
    parallel: bool = True,
    edit_url: str | None = None,
    offline_copy: str | None = None,
    drafts: bool = False,
    future: bool = False,
) -> Content:
    """Read site.yaml, taxonomy.yaml and every page; raise one SiteError listing every problem.
    `base_url`, `edit_url` and `offline_copy` come from the command line or the environment
    (`build_site`); pages with `draft: true` are left out of `pages` unless `drafts`
    (`build --drafts`), and pages a person dated after today unless `future` (`build --future`)."""
    problems: list[Problem] = []
    config, taxonomy = SiteConfig(), Taxonomy(())
    try:
        config = load_site_config(root / "content" / "site.yaml", SITE_YAML).with_base_url(base_url)
        config = config.with_offline_copy(offline_copy, f"${OFFLINE_COPY_ENV}")
    except SiteError as err:
        problems += err.problems
    unlinked: list[Problem] = []  # CI's edit_url refused (a branch named `fix#12`): no links, a build
    try:
        config = config.with_edit_url(edit_url, f"${EDIT_URL_ENV}")
    except SiteError as err:
        unlinked = [
            replace(p, severity="warning", message=f"{p.message}; no page links “Edit this page”")
            for p in err.problems
        ]
    taxonomy_file = root / "content" / "taxonomy.yaml"
    taxonomy_bytes = file_bytes(taxonomy_file)
    taxonomy_read = ""
    try:
        taxonomy, taxonomy_read = remembered_taxonomy(taxonomy_file, taxonomy_bytes, store or Store(None))
    except SiteError as err:
        problems += err.problems
    synonyms = Synonyms()
    try:
        synonyms = load_synonyms(root / "content" / "synonyms.yaml", "content/synonyms.yaml")
    except SiteError as err:
        problems += err.problems
    extra, extra_problems = load_extra_pages(root / "content")
    problems += [p for p in extra_problems if p.severity == "error"]
    papers_dir = root / "content" / "papers"
    loaded = load_pages(papers_dir, store or Store(None), parallel)
    problems += [p for p in loaded.problems if p.severity == "error"]
    if problems:
        raise SiteError(problems)
    warnings = [p for p in [*extra_problems, *loaded.problems] if p.severity == "warning"] + unlinked
    yearless = sum(1 for page in loaded.pages if any(s.listed.startswith("--") for s in page.sources))
    if yearless:
        message = (
            f"{yearless} page(s) have listing dates without a year (written before dates had years): "
            f"they show as undated until `{command('ingest')}` gives them one"
        )
        warnings.append(Problem(PAPERS, 0, message, "warning"))
    unread = unread_dumps(root, Store(root / INGEST_STATE).load(DUMPS_READ, ""))
    if unread:
        more = f" (and {len(unread) - 1} more dump(s))" if len(unread) > 1 else ""
        message = f"new or changed since the last ingest{more}, so not on the site: run `{command('ingest')}`"
        warnings.append(Problem(unread[0], 0, message, "warning"))
    if not config.published_url:
        said = f"{PLACEHOLDER_NOTE} or pass --base-url (the Pages workflow passes the site's own)"
        warnings.append(Problem(SITE_YAML, 0, said, "warning"))
    if not loaded.pages:
        hint = (
            f"no pages to build; run `{command('ingest')}` first"
            if files_in(root / "content" / "sources", root, ".txt")[0]  # the dumps, as ingest finds them
            else "no pages to build: content/sources/ holds no dump; "
            "add the listings' *.txt files there and ingest"
        )
        warnings.append(Problem(PAPERS, 0, hint, "warning"))
    pages = sorted(loaded.pages, key=lambda p: p.slug)
    # Left out here, nothing after sees them: no page, list, count, feed, search or related link.
    published = pages if drafts else [page for page in pages if not page.draft]
    left_out, pages = len(pages) - len(published), published
    ahead = [] if future else dated_ahead(pages)
    if ahead:
        waiting = {page.slug for page, _ in ahead}
        pages = [page for page in pages if page.slug not in waiting]
    shown = extra if drafts else [page for page in extra if not page.draft]  # an About page's draft
    left_out, extra = left_out + len(extra) - len(shown), shown
    searched = loaded.searched
    if taxonomy.renamed:  # pages that still say a tag's earlier name are listed under it now
        read = as_read(pages, taxonomy)
        changed = [page for page, was in zip(read, pages, strict=True) if page is not was]
        if changed:  # what search reads of them changed too (the page cache keyed it by the file)
            from site_builder.build.search.index import searched_digest

            searched = {**searched, **{page.slug: searched_digest(page) for page in changed}}
        pages = read
    taxonomy_digest = digest(digest(taxonomy_bytes) if taxonomy_bytes is not None else "", repr(synonyms))
    return Content(
        config,
        taxonomy,
        pages,
        loaded.labels,
        warnings,
        loaded.digests,
        searched,
        taxonomy_digest,
        taxonomy_read,
        synonyms,
        root,
        tuple(extra),
        left_out,
        drafts,
        tuple((loaded.labels[page.slug], day) for page, day in ahead),
    )


def dated_ahead(pages: list[Page]) -> list[tuple[Page, datetime.date]]:
    """The pages a person dated after today (`date:`, no listing), each with its day: off
    the site until then. The clock is read only when some page has a `date:`."""
    written = [page for page in pages if DATE in page.extra]
    if not written:
        return []
    day = today()
    return [(page, ahead) for page in written if (ahead := page.dated_after(day)) is not None]


def as_read(pages: list[Page], taxonomy: Taxonomy) -> list[Page]:
    """The pages with their tags under their names now (`aliases:`: an earlier name is read
    as its tag's); a page whose tags need no change is itself."""
    out = []
    for page in pages:
        tags = taxonomy.current_tags(page.tags)
        out.append(page if tags == page.tags else replace(page, tags=tags))
    return out


def remember_taxonomy(content: Content, store: Store) -> None:
    """Keep a taxonomy read anew for the next build: once the build may write (a refused
    build writes nothing, its cache included)."""
    remember_taxonomy_read(store, content.taxonomy_read, content.taxonomy)

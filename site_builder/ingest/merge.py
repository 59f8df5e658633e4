"""Paper + the page already on disk → the page to write, keeping a person's edits.

A page records what ingest generated last time (`generated:` — short hashes of the title
and body, and the tags the rules gave), so that re-ingest can tell a person's edit from
its own earlier output: edited titles, bodies and tag choices are kept; untouched ones
follow the dumps. New papers get a permanent slug here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from site_builder.hashing import short_hash
from site_builder.model import Page, Paper, Source, listing_date
from site_builder.pagefile import StoredPage, page_text
from site_builder.text import title_key, unique_slug

URL_RE = re.compile(r"https?://[^\s<>\"'\])}]+", re.IGNORECASE)


def extract_links(text: str) -> tuple[str, ...]:
    """URLs in an abstract (code, project pages), in order, without trailing punctuation."""
    links: list[str] = []
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(".,;:!?")
        if url not in links:
            links.append(url)
    return tuple(links)


@dataclass(frozen=True)
class PageUpdate:
    """What ingest wants on disk for one paper, and what it kept of a person's edits."""

    slug: str
    filename: str  # the page's file name in content/papers (a person may have renamed it)
    text: str
    is_new: bool
    kept: tuple[str, ...] = ()  # "title", "body", "tags": hand edits that were kept over changed dumps


def _match_existing(
    paper: Paper,
    by_source: dict[tuple[str, int], StoredPage],
    by_title: dict[str, StoredPage],
    used: set[str],
) -> StoredPage | None:
    for s in paper.sources:
        hit = by_source.get((s.file, s.line))
        if hit is not None and hit.page.slug not in used:
            return hit
    for title in (paper.title, *paper.aliases):
        hit = by_title.get(title_key(title))
        if hit is not None and hit.page.slug not in used:
            return hit
    return None


def merge(paper: Paper, old: StoredPage | None, slug: str) -> PageUpdate:
    """Combine a paper from the dumps with the page already on disk, keeping hand edits."""
    generated = {
        "title": short_hash(paper.title),
        "body": short_hash(paper.abstract),
        "tags": list(paper.tags),
    }
    if old is None:
        page = Page(
            slug,
            paper.title,
            paper.abstract,
            paper.tags,
            paper.aliases,
            paper.sources,
            extract_links(paper.abstract),
        )
        return PageUpdate(slug, f"{slug}.md", page_text(page, generated), True)
    prev, was = old.page, old.generated
    kept: list[str] = []
    title = paper.title
    if was and short_hash(prev.title) != was.get("title"):
        title = prev.title
        if generated["title"] != was.get("title"):
            kept.append("title")
    body = paper.abstract
    if was and short_hash(prev.body) != was.get("body"):
        body = prev.body
        if generated["body"] != was.get("body"):
            kept.append("body")
    old_auto = set(was.get("tags") or []) if was else set(prev.tags)
    added, removed = set(prev.tags) - old_auto, old_auto - set(prev.tags)
    tags = tuple(sorted((set(paper.tags) - removed) | added))
    if (added or removed) and set(paper.tags) != old_auto:
        kept.append("tags")
    aliases = tuple(
        a
        for a in dict.fromkeys(
            (*paper.aliases, *prev.aliases, *([paper.title] if title != paper.title else []))
        )
        if a != title
    )
    page = replace(
        prev,
        title=title,
        body=body,
        tags=tags,
        aliases=aliases,
        sources=keep_dates(paper.sources, prev.sources),
        links=extract_links(body),
    )
    return PageUpdate(prev.slug, old.path.name, page_text(page, generated), False, tuple(kept))


def keep_dates(sources: tuple[Source, ...], stored: tuple[Source, ...]) -> tuple[Source, ...]:
    """The sources, with the full listing date a page already holds for the same dump line:
    a date never changes once written (and a person's correction of it stays)."""
    written = {(s.file, s.line): s.listed for s in stored if listing_date(s.listed)}
    return tuple(replace(s, listed=written.get((s.file, s.line), s.listed)) for s in sources)


def plan_pages(papers: list[Paper], existing: list[StoredPage]) -> tuple[list[PageUpdate], list[StoredPage]]:
    """Decide the page for every paper: update the page it already has, or give it a new slug.

    Returns the updates (one per paper) and the existing pages no paper matched, which
    ingest leaves alone (a person may have written them).
    """
    by_source = {(s.file, s.line): sp for sp in existing for s in sp.page.sources}
    by_title: dict[str, StoredPage] = {}
    for sp in existing:
        for t in (sp.page.title, *sp.page.aliases):
            by_title.setdefault(title_key(t), sp)
    taken = {sp.page.slug for sp in existing}
    used: set[str] = set()
    updates = []
    for paper in papers:
        old = _match_existing(paper, by_source, by_title, used)
        if old is not None:
            slug = old.page.slug
        else:
            slug = unique_slug(paper.title, taken)
            taken.add(slug)
        used.add(slug)
        updates.append(merge(paper, old, slug))
    untouched = [sp for sp in existing if sp.page.slug not in used]
    return updates, untouched

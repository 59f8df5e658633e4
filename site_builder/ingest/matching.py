"""Which page on disk a paper from the dumps is, so that ingest updates it rather than make
another: the page at one of its dump lines (when it is this paper's), else the page of its
title or an alias, else the one whose ingest-written title or abstract it has (a dump renamed
after a person edited the title, a paper listed again under a new title once its dump was
deleted: each made a second page, and the person's edits stayed on the one the dumps no
longer updated)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from typing import Protocol

from site_builder.core.errors import Problem
from site_builder.core.model import Paper, listing_date
from site_builder.core.pages.pagefile import StoredPage, line_of
from site_builder.core.runtime.hashing import short_hash
from site_builder.core.text import Slugs, title_key
from site_builder.ingest.dumps.calendar import limit_of
from site_builder.ingest.likeness import telling_words
from site_builder.ingest.merge import PageUpdate, merge
from site_builder.ingest.not_same import NOT_SAME_AS, listed_apart

# An abstract matches a page by its hash alone only if it has this many words: a short one
# ("Abstract not available.") may be many papers'.
MATCHED_BY_TEXT = 20


def _match_existing(
    paper: Paper,
    by_source: dict[tuple[str, int], StoredPage],
    by_title: dict[str, StoredPage],
    used: set[str],
) -> StoredPage | None:
    for s in paper.sources:
        hit = by_source.get((s.file, s.line))
        if hit is not None and hit.page.slug not in used and _same_paper(paper, hit) and _open_to(hit, paper):
            return hit
    for title in (paper.title, *paper.aliases):
        hit = by_title.get(title_key(title))
        if hit is not None and hit.page.slug not in used and _open_to(hit, paper):
            return hit
    return None


def _open_to(stored: StoredPage, paper: Paper) -> bool:
    """Whether a page may be this paper's: not if its `not_same_as:` lists the paper's title
    (the paper a person split off it, which still holds its listings and its alias until
    this ingest writes the page)."""
    if NOT_SAME_AS not in stored.page.extra:  # (nearly every page: no set built)
        return True
    listed = listed_apart(stored.page)
    return not any(title_key(t) in listed for t in (paper.title, *paper.aliases))


def _same_paper(paper: Paper, stored: StoredPage) -> bool:
    """Whether a page found at one of the paper's dump lines is this paper's: a line inserted
    above shifts every later entry onto another page's line. It is when a title or alias is
    the same, or what ingest generated there (`generated:`) came from this title or abstract;
    a person's edits to the page's title or body leave those hashes as they were."""
    titles = {title_key(t) for t in (paper.title, *paper.aliases)}
    if any(title_key(t) in titles for t in (stored.page.title, *stored.page.aliases)):
        return True
    generated = stored.generated
    if generated.get("body") == short_hash(paper.abstract):
        return True
    return generated.get("title") in {short_hash(t) for t in (paper.title, *paper.aliases)}


class MergePage(Protocol):
    """`merge`, or one that remembers its results between runs (`IngestState.merge`)."""

    def __call__(
        self, paper: Paper, old: StoredPage | None, slug: str, *, added: datetime.date | None = None
    ) -> PageUpdate: ...


def arrival_day(
    papers: list[Paper], existing: list[StoredPage], today: datetime.date
) -> datetime.date | None:
    """The day this ingest's new papers join: the newest day the dumps list (not one past
    the clock's grace, a mistyped year: then the clock's day). None for a site's first
    import, whose older days are all as new to it as the newest (pages a person wrote,
    dated by their `date:`, list nothing of the dumps')."""
    if not any(sp.page.newest for sp in existing if sp.page.sources):
        return None
    newest = max(
        (d for paper in papers for s in paper.sources if (d := listing_date(s.listed))), default=None
    )
    return None if newest is None else newest if newest <= limit_of(today) else today


def _late(paper: Paper, arrival: datetime.date | None) -> datetime.date | None:
    """`added:` for a new page of a paper listed only before `arrival` (a dump backfilled,
    or saved after a newer one): it joins the newest day, so a feed, which holds its newest
    day whole, has it beside that day's papers. (Dated by the clock instead, a late paper
    ingested with the newest day's own came a day after them, and a feed of that later day
    left the newest day's papers out for good.)"""
    listed = [d for s in paper.sources if (d := listing_date(s.listed))]
    return arrival if arrival is not None and listed and max(listed) < arrival else None


def plan_pages(
    papers: list[Paper],
    existing: list[StoredPage],
    file_names: Iterable[str] = (),
    merge_page: MergePage = merge,
    arrival: datetime.date | None = None,
    deleted: Callable[[], Collection[str]] = frozenset,
) -> tuple[list[PageUpdate], list[StoredPage]]:
    """Decide the page for every paper: update the page it already has, or give it a new slug.

    A new slug is never the name of a file already in the folder (`file_names`, without
    `.md`), whatever that file holds: a hand-written or renamed page is never overwritten.
    Returns the updates (one per paper) and the existing pages no paper matched, which
    ingest leaves alone (a person may have written them). `merge_page`: `merge`, or one
    that remembers its results between runs. A new page of a late paper, listed before
    `arrival` (`arrival_day`), records that day as `added:` (`_late`), unless it is a page
    a person deleted that git still holds (`deleted`: the file names git holds and the
    folder lacks): made again, it is no new paper, and was announced again in the feeds.
    """
    by_source = {(s.file, s.line): sp for sp in existing for s in sp.page.sources}
    by_title: dict[str, StoredPage] = {}
    for sp in existing:
        for t in (sp.page.title, *sp.page.aliases):
            by_title.setdefault(title_key(t), sp)
    used: set[str] = set()
    found: list[StoredPage | None] = []
    for paper in papers:
        old = _match_existing(paper, by_source, by_title, used)
        if old is not None:
            used.add(old.page.slug)
        found.append(old)
    # Only then by what ingest wrote on a page, so that no paper takes the page another paper
    # is at by its dump line or title.
    by_written = _pages_by_written_text([sp for sp in existing if sp.page.slug not in used])
    for n, paper in enumerate(papers):
        hit = None if found[n] is not None else _match_written(paper, by_written, used)
        if hit is not None:
            found[n] = hit
            used.add(hit.page.slug)
    slugs = Slugs([*(sp.page.slug for sp in existing), *file_names])
    updates = []
    for paper, old in zip(papers, found, strict=True):
        if old is not None:
            updates.append(merge_page(paper, old, old.page.slug))
        else:
            slug = slugs.new(paper.first_title or paper.title)
            added = _late(paper, arrival)
            if added and f"{slug}.md" in deleted():
                added = None
            updates.append(merge_page(paper, None, slug, added=added))
    untouched = [sp for sp in existing if sp.page.slug not in used]
    return updates, untouched


def _pages_by_written_text(pages: list[StoredPage]) -> dict[str, StoredPage]:
    """The pages by the hashes of the title and the abstract ingest last wrote on them
    (`generated:`), a hash held by one page only (two pages of one text say nothing)."""
    held = Counter(h for sp in pages for h in {sp.generated.get("title"), sp.generated.get("body")})
    found = {}
    for sp in pages:
        for key in ("title", "body"):
            value = sp.generated.get(key)
            if isinstance(value, str) and held[value] == 1:
                found[f"{key}:{value}"] = sp
    return found


def _match_written(paper: Paper, by_written: dict[str, StoredPage], used: set[str]) -> StoredPage | None:
    """The page whose ingest-written title is one of the paper's; else the one whose
    ingest-written abstract is the paper's, if their titles share a telling word: a
    withdrawal notice or "abstract not available" is many papers' (a page of notes was
    given another paper's title that way; a code review)."""
    for title in (paper.title, *paper.aliases):
        hit = by_written.get(f"title:{short_hash(title)}")
        if hit is not None and hit.page.slug not in used and _open_to(hit, paper):
            return hit
    if len(paper.abstract.split()) < MATCHED_BY_TEXT:
        return None
    hit = by_written.get(f"body:{short_hash(paper.abstract)}")
    if hit is None or hit.page.slug in used or not _open_to(hit, paper):
        return None
    mine = {w for t in (paper.title, *paper.aliases) for w in telling_words(t)}
    theirs = {w for t in (hit.page.title, *hit.page.aliases) for w in telling_words(t)}
    return hit if mine & theirs else None


def doubled_pages(
    papers: list[Paper], updates: list[PageUpdate], untouched: list[StoredPage]
) -> dict[str, Problem]:
    """A warning, by file name, for each page no paper took that is the page of a paper
    another page holds: it is listed at one of that paper's dump lines, as that paper
    (`_same_paper`). Two people ingesting one paper under two titles on two branches made
    two pages, which a merge kept (their file names differ), and ingest called the second
    "not found in any dump"."""
    problems: dict[str, Problem] = {}
    if not untouched:  # (nearly every ingest: no need to index every paper's dump lines)
        return problems
    holder = {
        (s.file, s.line): (paper, update)
        for paper, update in zip(papers, updates, strict=True)
        for s in paper.sources
    }
    for stored in untouched:
        key = next((k for s in stored.page.sources if (k := (s.file, s.line)) in holder), None)
        if key is None or not _same_paper(holder[key][0], stored):
            continue
        other, (file, line) = holder[key][1].filename, key
        problems[stored.path.name] = Problem(
            f"content/papers/{stored.path.name}",
            line_of(stored.file_text(), "sources"),
            f"the same paper as content/papers/{other} (both hold its listing at {file} line {line}), which "
            f"ingest updates; delete one page (add its slug to the other's `moved_from:` to keep "
            f"its address)",
            "warning",
        )
    return problems

"""Paper + the page already on disk → the page to write, keeping a person's edits.

A page records what ingest generated last time (`generated:` — short hashes of the title
and body, and the tags the rules gave), so that re-ingest can tell a person's edit from
its own earlier output: edited titles, bodies and tag choices are kept; untouched ones
follow the dumps. New papers get a permanent slug here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any

from site_builder.core.model import ADDED, Page, Paper, Source, listing_date, month_day
from site_builder.core.pages.body import split_notes
from site_builder.core.pages.pagefile import CONFIRMED, StoredPage, tags_confirmed
from site_builder.core.pages.pagewrite import page_text
from site_builder.core.runtime.clock import today
from site_builder.core.runtime.hashing import short_hash
from site_builder.core.text import split_url, title_key
from site_builder.ingest.dumps.calendar import ADJACENT_DAYS, latest_not_after, limit_of, nearest
from site_builder.ingest.not_same import listed_apart

URL_RE = re.compile(r"https?://[^\s<>\"'\])}{|\\^`]+", re.IGNORECASE)  # RFC 3986: no bare {}|\^`


def extract_links(text: str) -> tuple[str, ...]:
    """URLs in an abstract (code, project pages), in order, without trailing punctuation;
    not text no browser could follow (`https://[::1`)."""
    links: list[str] = []
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(".,;:!?")
        if url not in links and split_url(url) is not None:
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
    was: str | None = None  # the file's text when ingest read it (None: a new file)
    untagged: bool = False  # the page has no tag: no rule placed the paper, or ...
    emptied_by_hand: bool = False  # ... a person took its tags off (`tags_confirmed`)
    gained: tuple[str, ...] = ()  # tags the page gets now that its file lacks (the rules changed)
    lost: tuple[str, ...] = ()  # and those it loses
    tags: tuple[str, ...] = ()  # the page's tags as written
    agrees: bool | None = None  # a labelled example (tags set by hand): do the rules give its tags?
    recorded: bool = False  # an earlier version's page, its `generated:` given `dates:` now (once)


def merge(
    paper: Paper,
    old: StoredPage | None,
    slug: str,
    renamed: Mapping[str, str] = MappingProxyType({}),
    added: datetime.date | None = None,
) -> PageUpdate:
    """Combine a paper from the dumps with the page already on disk, keeping hand edits.
    `renamed`: the taxonomy's earlier tag names → the tags they name now. `added`: for a
    new page, the day it comes to the site if that is after its listing (`arrival`)."""
    generated = {
        "title": short_hash(paper.title),
        "body": short_hash(paper.abstract),
        "tags": list(paper.tags),
    }
    if (authors_hash := _authors_record(paper.authors)) is not None:  # none: no names, no record
        generated["authors"] = authors_hash
    if old is None:
        generated["dates"] = dates_record(paper.sources)
        page = Page(
            slug,
            paper.title,
            paper.abstract,
            paper.tags,
            paper.aliases,
            paper.sources,
            tuple(dict.fromkeys([*paper.links, *extract_links(paper.abstract)])),
            {ADDED: added} if added else {},
            paper.authors,
        )
        text = page_text(page, generated)
        return PageUpdate(slug, f"{slug}.md", text, True, untagged=not page.tags, tags=page.tags)
    prev, was = old.page, old.generated
    # A page without a `generated:` record was written by a person: every field is theirs.
    hand_written = not was
    kept: list[str] = []  # the fields a person edited that the dumps or rules now say otherwise
    title = _merged_title(paper, prev, was, hand_written, kept)
    body, ours = _merged_body(paper, prev, was, hand_written, kept)
    tags, extra = _merged_tags(paper, prev, was, hand_written, renamed, kept)
    sources, generated["dates"] = _merged_dates(paper, prev, was, kept)
    authors = _merged_authors(paper, prev, was, kept)
    apart = listed_apart(prev)  # a title a person split off is another paper's, no alias
    aliases = tuple(
        a
        for a in dict.fromkeys(
            (*paper.aliases, *prev.aliases, *([paper.title] if title != paper.title else []))
        )
        if a != title and not (apart and title_key(a) in apart)
    )
    page = replace(
        prev,
        title=title,
        body=body,
        tags=tags,
        aliases=aliases,
        sources=sources,
        links=merge_links(paper, prev, ours),
        extra=extra,
        authors=authors,
    )
    on_disk = old.file_text()
    if page == prev and generated == was:
        # Nothing to change: the file stays as a person wrote it, comments, `notes: |`
        # blocks and quoting included (writing the same values out again lost them).
        text = on_disk
    else:
        text = page_text(page, generated, on_disk)
        if text == on_disk:
            text = on_disk  # one string, not two equal ones: 50,000 pages' worth is 90 MB
    return PageUpdate(
        prev.slug,
        old.path.name,
        text,
        False,
        tuple(kept),
        on_disk,
        untagged=not tags,
        emptied_by_hand=not tags and tags_confirmed(extra),
        gained=tuple(t for t in tags if t not in prev.tags),
        lost=tuple(t for t in prev.tags if t not in tags),
        tags=tags,
        agrees={renamed.get(t, t) for t in tags} == set(paper.tags) if tags_confirmed(extra) else None,
        recorded=not hand_written and "dates" not in was,
    )


def _merged_title(
    paper: Paper, prev: Page, was: Mapping[str, Any], hand_written: bool, kept: list[str]
) -> str:
    """The dumps' title, unless a person edited the page's (said in `kept` when the dumps'
    title changed since)."""
    if not hand_written and short_hash(prev.title) == was.get("title"):
        return paper.title
    if not hand_written and short_hash(paper.title) != was.get("title") and paper.title != prev.title:
        kept.append("title")  # unless the dumps now say what the person wrote
    return prev.title


def _authors_record(authors: tuple[str, ...]) -> str | None:
    """What `generated: authors` holds for these names: a short hash; None (no record) for none."""
    return short_hash("\n".join(authors)) if authors else None


def _merged_authors(paper: Paper, prev: Page, was: Mapping[str, Any], kept: list[str]) -> tuple[str, ...]:
    """The dumps' authors while the page's are those ingest last wrote (or none, on a page
    no listing gave names, a person's own page included), else the person's (said in `kept`
    when the dumps' names changed since and differ from theirs)."""
    if _authors_record(prev.authors) == was.get("authors"):
        return paper.authors
    if (
        paper.authors
        and _authors_record(paper.authors) != was.get("authors")
        and paper.authors != prev.authors
    ):
        kept.append("authors")
    return prev.authors


def _merged_body(
    paper: Paper, prev: Page, was: Mapping[str, Any], hand_written: bool, kept: list[str]
) -> tuple[str, str | None]:
    """The page's body, and the abstract in it that is still ingest's (None: a person's)."""
    body_was_ours = short_hash(prev.body) == was.get("body")
    # `## Notes` added under the abstract ingest wrote: the abstract is still ingest's, to
    # follow the dumps; the notes stay as written (they froze the abstract).
    above, notes = split_notes(prev.body)
    notes_added = not body_was_ours and bool(notes) and short_hash(above) == was.get("body")
    ours = None if hand_written else prev.body if body_was_ours else above if notes_added else None
    if notes_added and not hand_written:
        return paper.abstract + prev.body[len(above) :], ours
    if hand_written or not body_was_ours:
        # Said only when the dumps now differ from the person's text too: a dump mended to
        # say what the person had written is no news (a reviewer was warned of it).
        agrees = paper.abstract.strip() in (prev.body.strip(), above.strip())
        if not hand_written and short_hash(paper.abstract) != was.get("body") and not agrees:
            kept.append("body")
        return prev.body, ours
    return paper.abstract, ours


def _merged_tags(
    paper: Paper,
    prev: Page,
    was: Mapping[str, Any],
    hand_written: bool,
    renamed: Mapping[str, str],
    kept: list[str],
) -> tuple[tuple[str, ...], dict[str, Any]]:
    """The page's tags, and its extra keys (`tags_confirmed` set or taken off)."""
    before = paper.tags if hand_written else tuple(str(t) for t in was.get("tags") or ())
    # A hand-written page without tags chose none: the rules tag it (leaving it at none
    # would make it a labelled example of "no tag" on the next ingest).
    mine = paper.tags if hand_written and not prev.tags else prev.tags
    extra = prev.extra
    said = extra.get(CONFIRMED)
    edited = set(prev.tags) != set(before) and bool(prev.tags or not hand_written)
    if said is False:
        # `tags_confirmed: false`: the person hands the page back to the rules.
        tags = paper.tags
        extra = {key: value for key, value in extra.items() if key != CONFIRMED}
    elif said is True or edited:
        # A person's labels are kept exactly as saved, the rules no longer change them (else
        # `tags --evaluate` would score a rule edit against the rule's own output). A person
        # who added or removed a tag, or wrote a page with tags the rules do not give, made
        # the page a labelled example, even once the rules come to agree with it; said on
        # the first ingest of it (on the second, `ingest --check` failed right after one).
        tags = prev.tags
        if said is not True:
            extra = {**extra, CONFIRMED: True}
    else:
        tags = merge_tags(mine, before, paper.tags)
    now = {renamed.get(t, t) for t in tags}  # a tag renamed since is the same tag
    if not hand_written and now != set(paper.tags) and set(paper.tags) != {renamed.get(t, t) for t in before}:
        kept.append("tags")
    return tags, extra


def _merged_dates(
    paper: Paper, prev: Page, was: Mapping[str, Any], kept: list[str]
) -> tuple[tuple[Source, ...], str]:
    """The page's listings, and the record of the dates ingest gave on its own.

    A written date is kept while the dump still lists the paper on that month-day. A page
    whose dates are still those (`generated: dates`) follows the dumps; one whose dates a
    person corrected keeps every date it holds."""
    given = keep_dates(paper.sources, prev.sources, follow=True)
    if was.get("dates") == dates_record(prev.sources):
        return given, dates_record(given)
    # A person's dates stay theirs: the record of ingest's own stays as it was.
    sources = keep_dates(paper.sources, prev.sources, renamed=_renamed(prev.sources, was.get("dates")))
    if "dates" in was:
        return sources, was["dates"]
    # A page of an earlier version (no record): its dates that are the dumps' are ingest's
    # own from now on, and follow the dumps; one that is not, a person's correction, stays
    # and is said once. (Taken as ingest's own as it stood, a correction made before the
    # record existed was put back to the dump's date by the second ingest, silently.)
    if sources != paper.sources:
        kept.append("listed")
    return sources, dates_record(paper.sources)


def merge_tags(mine: tuple[str, ...], before: tuple[str, ...], rules: tuple[str, ...]) -> tuple[str, ...]:
    """A page's tags after re-ingest: the page's own tags in the page's order (a person may
    have ordered, added or removed them), less what the rules dropped, plus what they added.

    `before` are the rules' tags when the page was last written; a tag a person removed
    (in `before`, not on the page) stays removed, one they added stays. A page whose tags
    are still the rules' as written takes the rules' tags as they are now, in their order:
    the page an ingest from nothing writes.
    """
    if mine == before:
        return rules
    was, have = set(before), set(mine)
    dropped = was - set(rules)
    added = [t for t in sorted(rules) if t not in was and t not in have]
    return tuple(t for t in mine if t not in dropped) + tuple(added)


def merge_links(paper: Paper, prev: Page, generated: str | None) -> tuple[str, ...]:
    """The paper's own links its listings gave (its arXiv page), those found in the dumps'
    abstract, and those a person listed.

    `generated`: the part of the page's body that is still the abstract ingest wrote (the
    body, or what is above a person's `## Notes`), else None. The listed links that occur
    in it were ingest's too, as this version or an earlier one cut them out of it (an
    earlier one kept `…/LaRA{https://…` whole): they follow the dumps (a dump that goes away
    takes its links along). Any other listed link is a person's and stays. A person's own
    Markdown links in the body are never copied: they render as the notes they are.
    """
    ours = {link for link in prev.links if link in generated} if generated is not None else set()
    theirs = [link for link in prev.links if link not in ours]
    return tuple(dict.fromkeys([*paper.links, *extract_links(paper.abstract), *theirs]))


def dates_by_hand(stored: StoredPage) -> bool:
    """Whether a page's listing dates are not the ones ingest last wrote (a person's)."""
    return stored.generated.get("dates") != dates_record(stored.page.sources)


def dates_record(sources: tuple[Source, ...]) -> str:
    """What `generated: dates` holds: a short hash of the sources' listing dates."""
    return short_hash(*[f"{s.file}\0{s.line}\0{s.listed}" for s in sources])


def keep_dates(
    sources: tuple[Source, ...],
    stored: tuple[Source, ...],
    follow: bool = False,
    renamed: Callable[[Source, Source], bool] | None = None,
) -> tuple[Source, ...]:
    """The sources, with the full listing date a page already holds for the same listing: a
    date never changes once written (and a person's correction of it stays). The same
    listing is the same dump line; or, when the dump has moved it (papers added above
    shift every line) or the dump itself moved into a folder, the page's one other source
    of that dump, or of a dump of the same name no longer among its sources, at the same
    line (a deleted dump's date is not lent to a new dump listing the paper again); or, on
    a page whose dates a person corrected, of a dump of another name at the same line that
    `renamed` says is the same listing (the dump renamed: the correction was lost).
    `follow`: keep a date only while the dump lists the paper on the same month-day (a
    dump file written over by the next day's list, or its date line corrected, relists
    the paper on its new day; a year the page holds stays)."""
    written = {(s.file, s.line): s for s in stored if listing_date(s.listed)}
    lines = {(s.file, s.line) for s in sources}
    left = [s for key, s in written.items() if key not in lines]  # stored, not matched exactly
    open_ = [s for s in sources if (s.file, s.line) not in written]
    files = {s.file for s in sources}
    new = {(s.file, s.line): s for s in sources}
    found: dict[tuple[str, int], str] = {}
    for source in open_:
        same = [s for s in left if s.file == source.file]
        if len(same) == 1 and sum(o.file == source.file for o in open_) == 1:
            found[source.file, source.line] = same[0].listed
        elif not same:
            name = PurePosixPath(source.file).name  # moved, not a new dump at the same line
            gone = [s for s in left if (s.line, PurePosixPath(s.file).name) == (source.line, name)]
            if not gone and renamed is not None:  # `feb28.txt` → `2028-02-28.txt`
                gone = [s for s in left if s.line == source.line and renamed(s, source)]
            gone = [s for s in gone if s.file not in files]
            if len(gone) == 1:
                found[source.file, source.line] = gone[0].listed
    kept = {key: s.listed for key, s in written.items()} | found
    if follow:
        kept = {key: _followed(listed, new[key]) if key in new else listed for key, listed in kept.items()}
    return tuple(replace(s, listed=kept.get((s.file, s.line)) or s.listed) for s in sources)


def _renamed(stored: tuple[Source, ...], record: Any) -> Callable[[Source, Source], bool]:
    """Whether a page's listing in a dump now gone is a new dump's at the same line: the
    dump renamed. It is when the new dump's date in its place makes the page's listings
    what ingest last wrote (`generated: dates`): the date the person corrected was that
    day. A deleted dump's listing is not the next dump's at its line (a code review)."""

    def same(gone: Source, new: Source) -> bool:
        was = tuple(replace(s, listed=new.listed) if s == gone else s for s in stored)
        return bool(dates_record(was) == record)

    return same


def _followed(written: str, source: Source) -> str:
    """The date a page holding `written` gets for a dump listing it as `source` does: the
    date line's own when it writes the year (a year corrected there, `Dec 12` → `Dec 12,
    2026`, was kept wrong on every page, and the line then warned of a date the pages did not
    hold); else the one it holds while the month-day is the same (a listing still yearless:
    nothing to compare); else the new month-day in the year that puts it nearest the date
    held, when within a month of it, as a dump's own calendar runs on (`Mar 10` corrected to
    `Mar 11` in a dump of 2025, ingested in 2026, stays in 2025; `Dec 31` written over by
    `Jan 2` is the next year's), unless the clock still gives the date held its year: then
    that year said no more than the clock does, and the dump's date stands (`Jan 29` typed
    on 2026-01-20, a year back as it lies ahead, corrected to `Jan 20`, is 2026's); else the
    dump's own date ("": the listing as the dump gives it)."""
    listed = source.listed
    if source.stated:
        return listed
    now, held = month_day(listed), listing_date(written)
    if now is None or held is None or (held.month, held.day) == now:
        return written
    near = nearest(*now, held)
    if abs((near - held).days) > ADJACENT_DAYS:
        return ""
    if near.isoformat() != listed and latest_not_after(held.month, held.day, limit_of(today())) == held:
        return listed
    return near.isoformat()

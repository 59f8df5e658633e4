"""The shape of the site, computed from the pages: order, pagination, tags and URLs.

Pure functions and plain dataclasses; render/html.py turns them into HTML and feeds.py into
XML. Every URL here is a path relative to the site root with forward slashes
(`papers/x.html`); templates prefix it with `root` (`""`, `"../"`, …), the relative way
back to the site root from the page being written, so links work at a domain root,
under a sub-path and from `file://`.

**Lists are numbered from the oldest**, so a new day never renumbers older pages: with
`p` papers a page, numbered page 1 holds the oldest `p` papers, page 2 the next `p`, and
the front page (`index.html`, `tags/<tag>.html`) holds the newest — between `p` and
`2p - 1` of them, so it is never nearly empty. A new paper changes the front page only;
every `p` new papers, the oldest `p` of the front move to a new numbered page, and the
"newer" link of the page before it is the only other change. The notes page (`reading-notes.html`,
`reading-notes/page/N.html`) lists the papers with notes so, and exists only while a paper has them.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import PurePosixPath

from site_builder.core.config import TAG_NAME, SiteConfig
from site_builder.core.errors import Problem
from site_builder.core.model import Page
from site_builder.core.pages.body import has_notes
from site_builder.core.pages.pagefile import MOVED_FROM, str_list
from site_builder.core.runtime.hashing import short_hash
from site_builder.core.taxonomy import Taxonomy, unknown_tag
from site_builder.core.text import (
    MAX_SLUG,
    WINDOWS_DEVICES,
    accents_dropped,
    hashed,
    hyphenate,
    is_valid_slug,
    numbered,
)

# tags/index.html is the tag index; Windows cannot write `aux.html` (a tag named so is `aux-tag`).
RESERVED_TAG_FILES = WINDOWS_DEVICES | {"index"}
# In every page: a site this tool built (output/folder.py reads it before replacing a folder).
GENERATOR_META = '<meta name="generator" content="site_builder">'
GENERATOR_WITHIN = 4096  # ... within its first characters (bytes, as read back)
FEED_PATH = "feed.xml"  # the site's own feed (each tag has its own, `Tag.feed_url`)
NOTES = "reading-notes"  # the notes page's name: its page, its folder of numbered pages, its feed
NOTES_FEED = f"{NOTES}.xml"  # the feed of the papers with notes (`noted_pages`)
NOTES_TITLE = "Reading notes"  # the notes page's title, and the footer's link to it
FIXED_PAGES = {  # the pages a site has once, by kind, and where they are
    "tags": "tags/index.html",
    "search": "search.html",
    "404": "404.html",
    "trends": "trends.html",
    "saved": "saved.html",
}


def root_for(path: str) -> str:
    """The relative prefix back to the site root from a file at `path` (`tags/x.html` → `../`)."""
    return "../" * path.count("/")


# The search files (build/search/assets.py writes them)
INDEX_FILE = "assets/search-index.js"
SHARD_FILE = "assets/search/t{}.js"
CHUNK_FILE = "assets/search/d{}.js"
WORD_FILE = "assets/search/w{}.js"
SLUG_FILE = "assets/search/s{}.js"
AUTHOR_FILE = "assets/search/a{}.js"
# Every name those take: what the search bundle may have made, before it says which.
SEARCH_FILES = re.compile(r"assets/search-index\.js|assets/search/[tdwsa]\d+\.js")


def paper_path(slug: str) -> str:
    return f"papers/{slug}.html"


def home_path(number: int = 0) -> str:
    """The home list: its front page (number 0), or page n counted from the oldest."""
    return "index.html" if number == 0 else f"page/{number}.html"


def notes_path(number: int = 0) -> str:
    """The list of papers with notes (`noted_pages`): its front page, or page n from the oldest."""
    return f"{NOTES}.html" if number == 0 else f"{NOTES}/page/{number}.html"


def noted_pages(ordered: Sequence[Page]) -> tuple[Page, ...]:
    """The pages a person wrote notes on (`notes:`, `## Notes`), in the order given: what the
    notes page and its feed list. Listing order, as every list: notes carry no date of their own."""
    return tuple(page for page in ordered if has_notes(page))


def notes_listings(noted: Sequence[Page], per_page: int) -> tuple[Listing, ...]:
    """The notes page and its numbered pages, as `paginate` makes any list's; none at all
    without a noted paper: a site with no notes has no page, no feed and no link to them."""
    return tuple(paginate(noted, per_page, PathOf("notes"))) if noted else ()


def moved_tags(taxonomy: Taxonomy, tags: Sequence[Tag]) -> list[tuple[str, Tag]]:
    """(earlier name, the tag it leads to) for every alias of a tag the site has."""
    by_name = {tag.name: tag for tag in tags}
    return [(alias, by_name[name]) for alias, name in sorted(taxonomy.renamed.items()) if name in by_name]


def moved_papers(pages: Sequence[Page], labels: dict[str, str]) -> list[tuple[str, Page]]:
    """(earlier slug, page) for each earlier address of a page, which leads on to it: its
    file's name (ingest names files by the first slug, so a person's new `slug:` leaves it)
    and the slugs a person listed under `moved_from:` (a slug changed twice); never an
    address a page has now, and each once (the first page in slug order keeps it)."""
    slugs = {page.slug for page in pages}
    moved: dict[str, Page] = {}
    for page in sorted(pages, key=lambda p: p.slug):
        for old in (_first_slug(page, labels), *(str_list(page.extra.get(MOVED_FROM)) or ())):
            if old not in slugs and old not in moved and is_valid_slug(old):
                moved[old] = page
    return sorted(moved.items(), key=lambda pair: pair[0])


def _first_slug(page: Page, labels: dict[str, str]) -> str:
    """The slug a page was first published under: its file's name (ingest names files by it).
    String slicing for the usual `….md`: a PurePosixPath per page cost 0.1 s of every
    10,000-paper build."""
    label = labels.get(page.slug)
    if label is None:
        return page.slug
    name = label.rpartition("/")[2]
    return name[:-3] if name.endswith(".md") and len(name) > 3 else PurePosixPath(name).stem


def moved_clashes(pages: Sequence[Page], labels: dict[str, str]) -> list[Problem]:
    """A `moved_from:` slug that cannot lead to its page: another page's address now, or an
    earlier address of another page too (`moved_papers` keeps it for the first). Such a
    redirect was dropped without a word."""
    movers = sorted((page for page in pages if MOVED_FROM in page.extra), key=lambda p: p.slug)
    if not movers:
        return []  # no page names an earlier address (20 ms of every build at 10,000 papers)
    by_slug = {page.slug: page for page in pages}
    claimed: dict[str, str] = {}
    for page in sorted(pages, key=lambda p: p.slug):
        claimed.setdefault(_first_slug(page, labels), page.slug)
    problems = []
    for page in movers:
        where = labels.get(page.slug, f"content/papers/{page.slug}.md")
        for old in str_list(page.extra.get(MOVED_FROM)) or ():
            other = by_slug[old].slug if old in by_slug else claimed.get(old, page.slug)
            if other != page.slug:
                why = "is its address now" if old in by_slug else "is its earlier address"
                message = f"'{MOVED_FROM}': {old} leads to another page ({other}): it {why}"
                problems.append(Problem(where, 0, message, "warning"))
            claimed.setdefault(old, page.slug)
    return problems


def tag_path(file_slug: str, number: int = 0) -> str:
    # `tags/<tag>/page/2.html`, not `tags/<tag>-2.html`: a tag may itself end in `-2`.
    return f"tags/{file_slug}.html" if number == 0 else f"tags/{file_slug}/page/{number}.html"


def tag_feed_path(file_slug: str) -> str:
    return f"tags/{file_slug}.xml"


@dataclass(frozen=True)
class Tag:
    """A tag as the site shows it: from the taxonomy, or only found on pages (then `known` is False)."""

    name: str
    file_slug: str  # the file name under tags/: the name itself when it is safe
    title: str
    description: str
    count: int
    known: bool
    aliases: tuple[str, ...] = ()  # its earlier names (taxonomy `aliases:`), which links may still use

    @property
    def url(self) -> str:
        return tag_path(self.file_slug)

    @property
    def feed_url(self) -> str:
        return tag_feed_path(self.file_slug)

    @property
    def label(self) -> tuple[str, str, str]:
        """What a list shows of a tag (not its count, so a new paper does not touch every list)."""
        return (self.name, self.file_slug, self.title)


@dataclass(frozen=True)
class Listing:
    """One page of a list of papers (home or a tag): the front page (number 0) or a numbered
    page counted from the oldest. It links its neighbours and never shows the number of
    pages, so adding papers leaves it as it was."""

    number: int
    pages: tuple[Page, ...]  # newest first
    path: str
    newer: str | None  # the page with newer papers (None on the front page)
    older: str | None  # the page with older papers (None on the oldest page)
    days: tuple[datetime.date, ...] = ()  # the front page: the whole list's newest days (NEW_DAYS)
    more_days: bool = False  # ... and the list has more
    front: str = ""  # the list's front page (its newest papers)
    oldest: str | None = None  # its page 1 (its oldest papers), when it has numbered pages

    @property
    def span(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and last listing days of its papers, oldest first (None: none dated)."""
        days = [day for p in self.pages if (day := p.newest)]
        return (min(days), max(days)) if days else None

    @property
    def groups(self) -> list[tuple[datetime.date | None, list[Page]]]:
        """Papers grouped by their newest listing date, as a daily-papers page shows them."""
        return [(day, list(items)) for day, items in groupby(self.pages, key=lambda p: p.newest)]


def listing_order(pages: Sequence[Page]) -> list[Page]:
    """Newest listing date first; within a day, the order of the dump; undated pages last."""

    def key(page: Page) -> tuple[int, int, str, int, str]:
        newest = page.newest
        if newest is None:
            return (1, 0, "", 0, page.slug)
        return (0, -newest.toordinal(), *page.listed_at, page.slug)

    return sorted(pages, key=key)


class PathOf:
    """The path of page `n` of a list (a small callable, so listings can be built in tests)."""

    def __init__(self, kind: str, file_slug: str = "") -> None:
        self.kind, self.file_slug = kind, file_slug

    def __call__(self, number: int) -> str:
        if self.kind == "notes":
            return notes_path(number)
        return home_path(number) if self.kind == "home" else tag_path(self.file_slug, number)


NEW_DAYS = 60  # listing days a front page names, for "N days new since your last visit"


def paginate(pages: Sequence[Page], per_page: int, path_of: PathOf) -> list[Listing]:
    """A list (newest first) as its front page, then its numbered pages, newest first.

    An empty list still gets its front page.
    """
    n = len(pages)
    numbered = max(0, n // per_page - 1)
    front = n - numbered * per_page
    paths = [path_of(k) for k in range(numbered + 1)]  # paths[0]: the front page
    days = [day for day, _ in groupby(p.newest for p in pages) if day is not None]
    older = paths[numbered] if numbered else None
    oldest = paths[1] if numbered else None
    listings = [
        Listing(
            0,
            tuple(pages[:front]),
            paths[0],
            None,
            older,
            tuple(days[:NEW_DAYS]),
            len(days) > NEW_DAYS,
            paths[0],
            oldest,
        )
    ]
    for k in range(numbered, 0, -1):
        start = front + (numbered - k) * per_page
        newer = paths[0] if k == numbered else paths[k + 1]
        older = paths[k - 1] if k > 1 else None
        page_k = tuple(pages[start : start + per_page])
        listings.append(Listing(k, page_k, paths[k], newer, older, front=paths[0], oldest=oldest))
    return listings


def build_tags(
    ordered: Sequence[Page], taxonomy: Taxonomy, labels: dict[str, str] | None = None
) -> tuple[list[Tag], dict[str, list[Page]], list[Problem]]:
    """Every taxonomy tag and every tag found on a page, with its papers (in listing order).

    Tags not in the taxonomy still get a page (title = name, no description) and a
    warning naming the first page that uses them (`labels`: slug → page file label).
    """
    members: dict[str, list[Page]] = {t.name: [] for t in taxonomy.tags}
    first_use: dict[str, str] = {}
    for page in ordered:
        for name in dict.fromkeys(page.tags):
            members.setdefault(name, []).append(page)
            first_use.setdefault(name, page.slug)
    slugs = _tag_file_slugs(sorted(members), taxonomy.renamed)
    tags: list[Tag] = []
    problems: list[Problem] = []
    for name in sorted(members):
        known = taxonomy.get(name)
        tags.append(
            Tag(
                name=name,
                file_slug=slugs[name],
                title=known.title if known else name,
                description=known.description if known else "",
                count=len(members[name]),
                known=known is not None,
                aliases=known.aliases if known else (),
            )
        )
        if known is None:
            files = [(labels or {}).get(p.slug, f"content/papers/{p.slug}.md") for p in members[name]]
            problems.append(unknown_tag(name, files, taxonomy))
    return tags, members, sorted(problems)


def _tag_file_slugs(names: Sequence[str], moved: Collection[str] = ()) -> dict[str, str]:
    """A safe, unique file name for every tag name (names from pages may be anything); not
    one of `moved`, the earlier names whose files lead to the tags that took them."""
    taken: set[str] = set(moved)
    out: dict[str, str] = {}
    safe = [n for n in names if TAG_NAME.match(n) and n not in RESERVED_TAG_FILES and len(n) <= MAX_SLUG]
    for name in safe:  # safe names keep themselves, whatever else exists
        out[name] = name
        taken.add(name)
    for name in names:
        if name in out:
            continue
        base = hyphenate(accents_dropped(name))  # `ünï` → `uni` (it was `n`)
        if not base:
            base = "tag-" + short_hash(name, length=8)
        elif len(base) > MAX_SLUG:  # a file name of 255 bytes was an OS error at a temporary path
            base = hashed(base, name)
        if base in RESERVED_TAG_FILES:
            base += "-tag"
        slug, n = base, 2
        while slug in taken:
            slug, n = numbered(base, n), n + 1
        out[name] = slug
        taken.add(slug)
    return out


def cloud_sizes(tags: Sequence[Tag], steps: int = 5) -> dict[str, int]:
    """A size step 1..steps per tag, on a log scale of its count (for the tag cloud)."""
    counts = [t.count for t in tags if t.count]
    if not counts:
        return {}
    low, high = math.log(min(counts)), math.log(max(counts))
    span = high - low or 1.0
    return {t.name: 1 + round((math.log(t.count) - low) / span * (steps - 1)) for t in tags if t.count}


def absolute(config: SiteConfig, path: str) -> str:
    """An absolute URL from base_url, for the formats that need one (feeds, sitemap, canonical)."""
    return config.base_url + ("" if path == "index.html" else path)

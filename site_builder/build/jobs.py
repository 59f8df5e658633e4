"""Every HTML page of the site as a small job, and how to render any of them.

A `SitePlan` holds what the pages show (listings, tags, paper views); a job is just
`(kind, index)`, so any process that holds the plan can render any page alone and write
it straight into the output folder (workers.py shares the jobs among processes); the
bytes written are the same whoever renders a page.

`SitePlan.key` names everything a page shows, as a hash: the ledger re-renders a page
only when its key changed. A paper page shows its page, its tags, the titles of its
related papers and of its neighbours; a listing shows its pages and every tag (the cloud,
the counts); tags a template fetches with `tag_of` are recorded as it renders (`Rendered`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import assert_never

import jinja2

from site_builder.build.archive import INDEX_PATH, Archive, build_archive, week_start
from site_builder.build.layout import (
    FIXED_PAGES,
    Listing,
    PathOf,
    Tag,
    noted_pages,
    notes_listings,
    paginate,
    paper_path,
)
from site_builder.build.ledger import Job, Rendered
from site_builder.build.output.sitedir import OutputDir
from site_builder.build.render.extra_pages import ExtraPage, menu
from site_builder.build.render.html import Renderer
from site_builder.build.render.template_errors import MAKING
from site_builder.build.render.theme import Theme
from site_builder.build.render.views import PaperView, Ref
from site_builder.build.trends import (
    SPARK_WEEKS,
    Series,
    chart,
    comparable,
    month_chart,
    quiet_periods,
    rising,
    site_weeks,
    tag_months,
    tag_trends,
    week_running,
)
from site_builder.core.config import SiteConfig
from site_builder.core.model import Page
from site_builder.core.runtime.hashing import digest, short_hash

FIXED = {**FIXED_PAGES, "archive": INDEX_PATH}
LATEST_DAYS = 7  # the days the archive index lists first
# Pages kept out of the sitemap, and `noindex`: not for search engines (the search page and the
# reading list are empty without JavaScript, and a search engine's result is no search).
UNLISTED = ("404", "saved", "search")
UNLISTED_PATHS = frozenset(FIXED[kind] for kind in UNLISTED)


@dataclass(frozen=True)
class SitePlan:
    """The HTML pages of a site: lists, tags, archives, paper pages and the fixed ones."""

    config: SiteConfig
    theme: Theme
    tags: tuple[Tag, ...]
    ordered: tuple[Page, ...]  # every page, in listing order
    members: dict[str, list[Page]]  # tag name → its pages, in listing order
    home: tuple[Listing, ...]  # the front page first
    tag_pages: tuple[tuple[Tag, Listing], ...]
    papers: tuple[PaperView, ...]
    archive: Archive
    tags_key: str = ""  # a hash of every tag with its count: what front pages show
    trends: dict[str, Series] | None = None  # tag name → papers per week
    extra: tuple[ExtraPage, ...] = ()  # content/pages/*.md
    months: dict[str, Series] | None = None  # tag name → papers per month, for long histories
    newest: datetime.date | None = None  # the newest listing date of the whole site
    assets: str = ""  # a hash of the theme's static files, in their addresses (`static_version`)
    noted: tuple[Page, ...] = ()  # the pages with notes, in listing order (`noted_pages`)
    notes: tuple[Listing, ...] = ()  # ... as the notes page and its numbered pages: none without notes
    authored: bool = False  # some paper names its authors: the search page's help says what a name links

    @property
    def notes_page(self) -> str:
        """The notes page every footer links; "" on a site with no notes (no link, no page)."""
        return self.notes[0].path if self.notes else ""

    def renderer(self, compiled: jinja2.BytecodeCache | None = None) -> Renderer:
        """The renderer of the plan's pages (one in each process that renders)."""
        return Renderer(
            self.config,
            self.theme,
            self.tags,
            compiled,
            self.menu,
            self.site_id,
            self.assets,
            self.notes_page,
        )

    @functools.cached_property
    def site_id(self) -> str:
        """A name for this site that a copy of its folder keeps: its address, title and oldest
        paper (reading.js knows a moved offline copy by it; the title alone matched any two
        sites left with the default title)."""
        oldest = self.ordered[-1].slug if self.ordered else ""
        return short_hash(self.config.base_url, self.config.title, oldest)

    @functools.cached_property
    def menu(self) -> tuple[tuple[str, str], ...]:
        """The extra pages every page's footer links: (path, title)."""
        return menu(list(self.extra))

    @functools.cached_property
    def tag_named(self) -> dict[str, Tag]:
        return {t.name: t for t in self.tags}

    @functools.cached_property
    def labels(self) -> dict[str, tuple[str, str, str]]:
        """What a list shows of each tag (never its count): the values templates look up."""
        return {t.name: t.label for t in self.tags}

    @functools.cached_property
    def shown_labels(self) -> dict[str, str]:
        """`repr` of each tag's label, as paper keys count them (an unknown name: "None")."""
        return {name: repr(label) for name, label in self.labels.items()}

    def jobs(self) -> list[Job]:
        return [
            *(("home", i) for i in range(len(self.home))),
            *(("notes", i) for i in range(len(self.notes))),
            ("tags", 0),
            *(("tag", i) for i in range(len(self.tag_pages))),
            *(("paper", i) for i in range(len(self.papers))),
            ("archive", 0),
            *(("period", i) for i in range(len(self.archive.periods))),
            ("trends", 0),
            ("saved", 0),
            ("search", 0),
            ("404", 0),
            *(("extra", i) for i in range(len(self.extra))),
        ]

    def listing(self, job: Job) -> Listing | None:
        """The list of papers a home, tag or notes page shows; None for any other page."""
        kind, i = job
        if kind in ("home", "notes"):
            return (self.home if kind == "home" else self.notes)[i]
        return self.tag_pages[i][1] if kind == "tag" else None

    def path(self, job: Job) -> str:
        kind, i = job
        if (listing := self.listing(job)) is not None:
            return listing.path
        if kind == "paper":
            return paper_path(self.papers[i].page.slug)
        if kind == "period":
            return self.archive.periods[i].path
        if kind == "extra":
            return self.extra[i].path
        return FIXED[kind]

    def indexed(self, job: Job) -> bool:
        """Whether search engines are to index the page (and the sitemap list it): not the
        UNLISTED ones, nor the page of a tag no paper has yet (a new site's 20 empty pages;
        Hugo makes none)."""
        kind, i = job
        return kind not in UNLISTED and (kind != "tag" or self.tag_pages[i][0].count > 0)

    def key(self, job: Job, salt: str, digests: dict[str, str]) -> str:
        """A hash of everything the page shows (`salt`: code, theme and settings;
        `digests`: slug → hash of the page file). Tags are counted in only where a page
        shows counts (front pages, the tag index): other pages stay as they were when a
        paper is added elsewhere."""
        kind, i = job
        if kind == "paper":
            return _paper_key(self.papers[i], salt, digests, self.shown_labels)
        parts = [salt, kind, self.path(job)]
        if kind == "home":
            listing = self.home[i]
            parts += _listing_parts(listing, digests)
            if listing.number == 0:  # the front page shows the tag cloud, and the list's days
                parts += [self.tags_key, repr((listing.days, listing.more_days))]
        elif kind == "notes":  # its papers (their files hold their notes) and its links
            parts += _listing_parts(self.notes[i], digests)
        elif kind == "tag":
            tag, listing = self.tag_pages[i]
            parts += _listing_parts(listing, digests)
            parts.append(repr(tag) if listing.number == 0 else repr(tag.label))
            if listing.number == 0:  # the front page shows the tag's chart, and the list's days
                parts += [repr(self.trend_of(tag.name)), repr((listing.days, listing.more_days))]
                parts.append(repr((self.months or {}).get(tag.name)))
        elif kind == "period":
            # Its papers' digests cover the tag chips' counts (a day or week page); their titles
            # join the key as the names the page looked up with `tag_of` (`Ledger.full_key`).
            period = self.archive.periods[i]
            parts += [repr((period.newer, period.older, period.listed))]
            for day, pages in period.days:
                parts += [str(day), *[digests[p.slug] for p in pages]]
        elif kind == "archive":  # the months by year, and the latest days with their counts
            latest = [(str(p.start), p.count) for p in self.archive.of_kind("day")[:LATEST_DAYS]]
            parts += [repr(self.archive.years), repr(latest)]
        elif kind == "trends":  # every tag's weeks, and the newest day ("up to the week of …")
            parts += [self.tags_key, repr(sorted((self.trends or {}).items())), str(self.newest)]
        elif kind == "saved":
            pass  # the same page whatever the papers: the browser fills it
        elif kind == "search":  # the tags to filter by, and the year its examples of dates name
            parts += [self.tags_key, str(self.newest.year if self.newest else ""), str(self.authored)]
        elif kind == "extra":
            parts.append(repr(self.extra[i]))  # its own text only
        else:
            parts.append(self.tags_key)
        return digest(*parts)

    def trend_of(self, name: str) -> Series | None:
        return (self.trends or {}).get(name)

    def declared(
        self, salt: str, digests: dict[str, str]
    ) -> Iterator[tuple[Job, str, str, bool, datetime.date | None]]:
        """Every page as the ledger declares it, in `jobs` order: (job, path, `key`,
        `indexed`, `newest_shown`). Paper pages, most of a site, are worked out in a loop of
        their own: asking the four methods of each of 10,000 jobs took 10 ms."""
        shown, papers = self.shown_labels, self.papers
        for job in self.jobs():
            kind, i = job
            if kind == "paper":
                view = papers[i]
                page = view.page
                yield job, paper_path(page.slug), _paper_key(view, salt, digests, shown), True, page.arrived
            else:
                indexed = self.indexed(job)
                newest = self.newest_shown(job) if indexed else None
                yield job, self.path(job), self.key(job, salt, digests), indexed, newest

    def newest_shown(self, job: Job) -> datetime.date | None:
        """The newest listing date a page shows (its sitemap `lastmod`); a paper's page, the
        later day a late dump added it, when it was (`Page.arrived`)."""
        kind, i = job
        if kind == "paper":
            return self.papers[i].page.arrived
        if (listing := self.listing(job)) is not None:
            # Newest first, undated last: the first date is the newest.
            return next((day for page in listing.pages if (day := page.newest)), None)
        if kind == "period":
            days = self.archive.periods[i].days
            return days[0][0] if days else None
        if kind == "extra":
            return None  # a person's page: no listing date says when it changed
        return self.newest

    def render(self, renderer: Renderer, job: Job) -> str:
        kind, i = job
        if kind == "home":
            return renderer.home(self.home[i], self.tags)
        if kind == "tag":
            tag, listing = self.tag_pages[i]
            series = self.trend_of(tag.name) if listing.number == 0 else None
            months = (self.months or {}).get(tag.name) if listing.number == 0 else None
            return renderer.tag(
                tag,
                listing,
                chart(series) if series and series.total else None,
                month_chart(months) if months else None,
            )
        if kind == "notes":
            return renderer.notes(self.notes[i])
        if kind == "paper":
            return renderer.paper(self.papers[i])
        if kind == "period":
            return renderer.period(self.archive.periods[i])
        if kind == "archive":
            return renderer.archive(self.archive, LATEST_DAYS)
        if kind == "tags":
            return renderer.tag_index(self.tags)
        if kind == "search":
            return renderer.search(self.tags, self.newest, self.authored)
        if kind == "trends":
            pairs = [(t, self.trend_of(t.name)) for t in self.tags]
            charts = [(t, chart(s, SPARK_WEEKS)) for t, s in pairs if s and s.total]
            trends = self.trends or {}
            return renderer.trends(charts, rising(trends), comparable(trends), self.newest)
        if kind == "saved":
            return renderer.saved()
        if kind == "404":
            return renderer.not_found()
        if kind == "extra":
            return renderer.extra_page(self.extra[i])
        assert_never(kind)


def _paper_key(view: PaperView, salt: str, digests: dict[str, str], shown: dict[str, str]) -> str:
    """`SitePlan.key` of a paper page: its file, its neighbours, its related papers and its
    tags as lists show them (`shown`: `SitePlan.shown_labels`)."""
    page = view.page
    # A Ref is its (slug, title): spread as it is (a call and a tuple per link took a
    # third of the 10,000 paper keys).
    parts = [salt, "paper", digests[page.slug], view.file, *(view.prev or _NO_REF), *(view.next or _NO_REF)]
    for ref in view.related:
        parts += ref
    parts += [shown.get(name, "None") for name in dict.fromkeys(page.tags)]
    return digest(*parts)


def make_plan(
    config: SiteConfig,
    theme: Theme,
    ordered: Sequence[Page],
    tags: Sequence[Tag],
    members: dict[str, list[Page]],
    related: dict[str, list[str]],
    extra: Sequence[ExtraPage] = (),
    files: dict[str, str] | None = None,
) -> SitePlan:
    """The plan for pages in listing order, their tags and their related papers, and the
    extra pages (`render/extra_pages.py`); `files`: each paper's page file (`Content.labels`)."""
    newest = max((day for page in ordered if (day := page.newest)), default=None)
    weeks = site_weeks(ordered)
    noted = noted_pages(ordered)
    tag_pages = tuple(
        (tag, listing)
        for tag in tags
        for listing in paginate(members[tag.name], config.per_page, PathOf("tag", tag.file_slug))
    )
    return SitePlan(
        config,
        theme,
        tuple(tags),
        tuple(ordered),
        members,
        tuple(paginate(ordered, config.per_page, PathOf("home"))),
        tag_pages,
        tuple(paper_views(ordered, related, files or {})),
        build_archive(ordered),
        digest(*map(repr, tags)),
        tag_trends(members, weeks, week_running(newest), quiet_periods(ordered, weeks, week_start)),
        tuple(extra),
        tag_months(members, newest, ordered),
        newest,
        noted=noted,
        notes=notes_listings(noted, config.per_page),
        authored=any(page.authors for page in ordered),
    )


def _listing_parts(listing: Listing, digests: dict[str, str]) -> list[str]:
    """What a page of a list shows of it: where its links lead, and its papers."""
    return [repr((listing.newer, listing.older, listing.oldest)), *[digests[p.slug] for p in listing.pages]]


def paper_views(
    ordered: Sequence[Page], related: dict[str, list[str]], files: dict[str, str]
) -> list[PaperView]:
    """Each paper with its related papers, its neighbours in listing order and its file."""
    refs = [Ref(p.slug, p.title) for p in ordered]  # one link object per paper
    ref_of = {ref.slug: ref for ref in refs}
    before: list[Ref | None] = [None, *refs][: len(refs)]
    after: list[Ref | None] = [*refs[1:], None][: len(refs)]
    return [
        PaperView(
            page,
            tuple([ref_of[s] for s in related.get(page.slug, ()) if s in ref_of]),
            prev,
            nxt,
            files.get(page.slug, f"content/papers/{page.slug}.md"),
        )
        for page, prev, nxt in zip(ordered, before, after, strict=True)
    ]


def render_batch(plan: SitePlan, renderer: Renderer, jobs: Sequence[Job], out: OutputDir) -> list[Rendered]:
    """Render and write pages in this process (workers.py shares them among processes)."""
    done = []
    for job in jobs:
        renderer.looked_up.clear()
        path = plan.path(job)
        try:
            html = plan.render(renderer, job)
        except Exception as err:
            err.add_note(f"{MAKING}{path}")  # a page's data may be what the template trips on
            raise
        stat = out.write(path, html)
        done.append(Rendered(path, stat, tuple(sorted(renderer.looked_up))))
    return done


_NO_REF = ("", "")  # no previous or next paper

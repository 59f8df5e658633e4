"""Pages → HTML strings through the theme's Jinja2 templates (pure: no files are written).

The templates come from the theme (render/theme.py): the bundled one, overlaid by the site's own.

Jinja2 runs with autoescape on and StrictUndefined (a template typo fails the build).
Abstracts render as markdown-it-py's "zero" preset with only paragraphs and linkify
enabled would render them (render/abstracts.py) — no raw HTML, headings, lists, emphasis,
escapes or entities — so an abstract shows as exactly the text it is, with blank lines
as paragraph breaks and bare http(s) URLs as links. Titles are plain text everywhere.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import secrets
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from site_builder.build.archive import INDEX_PATH, Archive, Period, day_path, month_path, week_path
from site_builder.build.layout import (
    FEED_PATH,
    FIXED_PAGES,
    NOTES_FEED,
    NOTES_TITLE,
    Listing,
    Tag,
    absolute,
    cloud_sizes,
    paper_path,
    root_for,
)
from site_builder.build.render.abstracts import is_web_url, render_abstract
from site_builder.build.render.citation import NAMED, bibtex, citation, scholarly_article
from site_builder.build.render.extra_pages import ExtraPage, page_description, page_html
from site_builder.build.render.links_out import arxiv_id, links_out
from site_builder.build.render.loader import TemplateFiles
from site_builder.build.render.notes import abstract_of, notes_text, paper_description, render_notes
from site_builder.build.render.page_text import (
    by_title,
    date_text,
    link_label,
    listing_days,
    listing_description,
    numbered_title,
    snippet,
    span_text,
    title_order,
    with_generator,
)
from site_builder.build.render.theme import Theme
from site_builder.build.render.views import PaperView, TagChip, TagLink
from site_builder.build.search.data import to_json
from site_builder.build.trends import WINDOW, Chart, Rise
from site_builder.core.config import SiteConfig
from site_builder.core.model import Page, listing_date, show_date
from site_builder.core.pages.body import has_notes, notes_markdown
from site_builder.core.text import text_dir

# --- the renderer ----------------------------------------------------------------------------


def make_env(theme: Theme, compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The templates' environment; `compiled` keeps their compiled code between builds."""
    env = jinja2.Environment(
        loader=TemplateFiles(theme.templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat per page
        bytecode_cache=compiled,
    )
    env.filters["snippet"] = snippet
    env.filters["abstract"] = abstract_of
    return env


@functools.lru_cache(maxsize=64)
def _escaped_root(root: str) -> str:
    """A page's `root` as a template shows it (a site has a handful)."""
    return str(escape(root))


class Renderer:
    """Renders every kind of page; one per build (and per worker process).

    `looked_up` collects the tags templates fetched with `tag_of` since it was last
    cleared: what a page shows beyond its own context, which the build cache must know.
    """

    def __init__(
        self,
        config: SiteConfig,
        theme: Theme,
        tags: Sequence[Tag],
        compiled: jinja2.BytecodeCache | None = None,
        menu: Sequence[tuple[str, str]] = (),
        site_id: str = "",
        assets: str = "",
        notes_page: str = "",
    ) -> None:
        self.config = config
        self.notes_page = notes_page  # the notes page every footer links, "" when no paper has notes
        self.menu = tuple(menu)  # the extra pages every footer links: (path, title)
        self.site_id = site_id  # `SitePlan.site_id`, on every page's body
        self.assets = assets  # `SitePlan.assets`: the static files' version, in their addresses
        self.env = make_env(theme, compiled)
        self.env.globals["asset"] = self._asset
        self.tags = {t.name: t for t in tags}
        self.looked_up: set[str] = set()
        self.env.filters["listing_date"] = show_date
        self.env.filters["span_text"] = span_text
        self.env.filters["listing_days"] = listing_days
        self.env.filters["iso_date"] = datetime.date.isoformat
        self.env.filters["text_dir"] = text_dir
        self.env.filters["date_text"] = date_text
        self.env.filters["day_url"] = day_path
        self.env.filters["week_url"] = week_path
        self.env.filters["month_url"] = month_path
        self.env.filters["notes_text"] = notes_text
        self.env.tests["noted"] = has_notes
        self.env.globals["tag_of"] = self._tag_of
        self.env.globals["tag_slugs"] = self._tag_slugs
        self.env.globals["paper_item"] = self._paper_item
        self.env.globals["authors_named"] = NAMED  # a paper page names as many as its citation
        # A paper as lists show it, made once (with a mark where the page's `root` goes) and
        # the tags it looked up: slug → (the page it was made from, HTML, tags).
        self._items: dict[str, tuple[Page, str, frozenset[str]]] = {}
        self._root_mark = f"\0{secrets.token_hex(8)}\0"  # no page can hold it

    def compile_all(self) -> None:
        """Compile every template of the theme now (into the environment's bytecode cache,
        if any). One that does not compile is left to fail where it is used, as before."""
        for name in self.env.list_templates(filter_func=lambda n: n.endswith((".html", ".xml", ".j2"))):
            with contextlib.suppress(jinja2.TemplateError, UnicodeDecodeError, OSError):
                self.env.get_template(name)

    def _tag_of(self, name: str) -> TagLink:
        self.looked_up.add(name)
        tag = self.tags[name]
        return TagLink(tag.name, tag.title, tag.url, tag.file_slug)

    def _tag_slugs(self, page: Page) -> str:
        """A list row's `data-tags`: the slugs of `page`'s tags, each once (case aside, as the
        `unique` filter), looked up with `tag_of`. A week page has hundreds of rows, and the
        template's loop over them took two thirds of its time."""
        first: dict[str, str] = {}
        for name in page.tags:
            first.setdefault(name.lower(), name)  # the first of names alike but for case
        return " ".join(self._tag_of(name).slug for name in first.values())

    def _paper_item(self, page: Page, root: str) -> Markup:
        """`_paper_item.html` for `page`: a paper is listed on its day, week, month and year,
        on its tags' pages and on the front pages, the same each time but for `root`, so it
        is made once a build (as Hugo's `partialCached` does) and the tags it looked up are
        counted again wherever it is shown."""
        found = self._items.get(page.slug)
        if found is None or found[0] is not page:
            outer, self.looked_up = self.looked_up, set()
            try:
                html = self.env.get_template("_paper_item.html").render(p=page, root=self._root_mark)
                found = self._items[page.slug] = (page, html, frozenset(self.looked_up))
            finally:
                self.looked_up = outer
        self.looked_up.update(found[2])
        return Markup(found[1].replace(self._root_mark, _escaped_root(root)))

    def _asset(self, name: str) -> str:
        """A static file's address from the root, under the files' version: `assets/style.css?v=…`."""
        return f"assets/{name}?v={self.assets}" if self.assets else f"assets/{name}"

    def _page(self, template: str, path: str, root: str | None = None, **context: Any) -> str:
        defaults: dict[str, Any] = {
            "title": "",
            "description": self.config.description,
            "og_type": "website",
            "current": "",
            "noindex": False,
            "feeds": [("Atom feed: " + self.config.title, FEED_PATH)],
            "menu": self.menu,
            "notes_page": self.notes_page,
            "site_id": self.site_id,
            "assets_version": self.assets,
            "edit_link": "",  # where a person edits this page's file (`edit_url`), if anywhere
        }
        defaults.update(context)
        html = self.env.get_template(template).render(
            site=self.config,
            root=root_for(path) if root is None else root,
            path=path,
            canonical=absolute(self.config, path),
            **defaults,
        )
        return with_generator(html)

    def home(self, listing: Listing, tags: Sequence[Tag]) -> str:
        title = "" if listing.number == 0 else numbered_title("Papers", listing)
        cloud = by_title([t for t in tags if t.count])
        return self._page(
            "index.html",
            listing.path,
            title=title,
            current="home",
            listing=listing,
            cloud=cloud,
            sizes=cloud_sizes(cloud),
            description=listing_description(self.config.description, listing),
        )

    def paper(self, view: PaperView) -> str:
        page = view.page
        arxiv = arxiv_id(page)
        out = links_out(page, self.config.links_out, arxiv)
        shown = {link.url for link in out}  # a found arXiv link the links out already give
        links = [(*link_label(url), url) for url in page.links if is_web_url(url) and url not in shown]
        sources = sorted(page.sources, key=lambda s: (s.file, s.line))
        sources.sort(key=lambda s: listing_date(s.listed) or datetime.date.min, reverse=True)
        abstract = abstract_of(page.body)
        description = paper_description(page, abstract)
        tags = [self._tag_of(name) for name in dict.fromkeys(page.tags)]  # no count: see TagLink
        article = scholarly_article(self.config, page, arxiv, description, [t.title for t in tags])
        return self._page(
            "paper.html",
            paper_path(page.slug),
            title=page.title,
            description=description,
            og_type="article",
            current="paper",
            noindex=page.draft,  # only `build --drafts` has a draft: a preview, not for search engines
            page=page,
            body=render_abstract(abstract),
            notes=render_notes(notes_markdown(page)),
            arxiv=arxiv,
            citation=citation(self.config, page, arxiv),
            bibtex=bibtex(page, arxiv),
            tags=tags,
            structured=Markup(to_json(article)),  # safe in a script: no `</script>`
            links_out=out,
            links=links,
            sources=sources,
            related=view.related,
            prev=view.prev,
            next=view.next,
            edit_link=self.config.edit_link(view.file),
        )

    def notes(self, listing: Listing) -> str:
        """A page of the papers with notes (`layout.noted_pages`), each with its notes' start."""
        said = f"The papers read on {self.config.title}, each with the start of its notes."
        # Its own feed first: readers and tools that take the first feed offered take it.
        feeds = [
            (f"Atom feed: {self.config.title}: reading notes", NOTES_FEED),  # the feed's own title
            ("Atom feed: " + self.config.title, FEED_PATH),
        ]
        return self._page(
            "notes.html",
            listing.path,
            title=NOTES_TITLE if listing.number == 0 else numbered_title(NOTES_TITLE, listing),
            current="reading-notes",
            listing=listing,
            description=listing_description(said, listing),
            feeds=feeds,
            notes_feed=NOTES_FEED,
        )

    def tag_index(self, tags: Sequence[Tag]) -> str:
        ordered = by_title(tags)
        return self._page(
            "tags.html",
            FIXED_PAGES["tags"],
            title="Tags",
            current="tags",
            tags=ordered,
            description=f"All {len(tags)} tags of {self.config.title}, with paper counts.",
        )

    def tag(self, tag: Tag, listing: Listing, chart: Chart | None = None, months: Chart | None = None) -> str:
        title = tag.title if listing.number == 0 else numbered_title(tag.title, listing)
        # The tag's own feed first: readers and tools that take the first feed offered take it.
        feeds = [(f"Atom feed: {tag.title}", tag.feed_url), ("Atom feed: " + self.config.title, FEED_PATH)]
        return self._page(
            "tag.html",
            listing.path,
            title=title,
            current="tags",
            tag=tag,
            listing=listing,
            chart=chart,
            months=months,
            description=listing_description(tag.description or f"Papers tagged {tag.title}.", listing),
            feeds=feeds,
            noindex=not tag.count,  # an empty page is no answer to a search (`SitePlan.indexed`)
        )

    def period(self, period: Period) -> str:
        template = "day.html" if period.kind == "day" else "period.html"
        noun = {"day": "listed on", "week": "listed in", "month": "listed in"}[period.kind]
        return self._page(
            template,
            period.path,
            title=period.title,
            current="archive",
            period=period,
            chips=self._chips(period) if period.kind in ("day", "week") else [],
            # A month lists a busy day's first titles only: its tags lead to a search of them.
            month_chips=self._chips(period) if period.kind == "month" else [],
            description=f"{period.count} {'paper' if period.count == 1 else 'papers'} {noun} {period.title}.",
        )

    def _chips(self, period: Period) -> list[TagChip]:
        """The tags a period page's papers carry, each with how many of them, by title as
        every list of tags is (`title_order`): looked up with `tag_of`, so the page's cache key
        covers their titles (`SitePlan.key`), and its papers' digests cover the counts."""
        counts: dict[str, int] = {}
        for _, pages in period.days:
            for page in pages:
                for name in dict.fromkeys(page.tags):
                    counts[name] = counts.get(name, 0) + 1
        ordered = sorted(counts, key=lambda name: title_order(self.tags[name]))
        return [TagChip(self._tag_of(name), counts[name]) for name in ordered]

    def archive(self, archive: Archive, latest: int) -> str:
        return self._page(
            "archive.html",
            INDEX_PATH,
            title="Archive",
            current="archive",
            archive=archive,
            latest=archive.of_kind("day")[:latest],
            description=f"Every month of {self.config.title}, with the number of papers listed.",
        )

    def not_found(self) -> str:
        """The 404 page, which GitHub Pages serves at any depth: its links are absolute
        paths from base_url (same origin, so the CSP still holds), on this page alone."""
        root = urlsplit(self.config.base_url).path or "/"
        return self._page("404.html", FIXED_PAGES["404"], root=root, title="Page not found", noindex=True)

    def trends(
        self,
        charts: Sequence[tuple[Tag, Chart]],
        rising: Sequence[Rise],
        comparable: bool,
        newest: datetime.date | None,
    ) -> str:
        return self._page(
            "trends.html",
            FIXED_PAGES["trends"],
            title="Trends",
            current="trends",
            charts=sorted(charts, key=lambda pair: title_order(pair[0])),
            weeks=max((len(c.rows) for _, c in charts), default=0),
            running=any(c.series.running for _, c in charts),
            rising=rising,
            window=WINDOW,
            comparable=comparable,
            newest=newest,
            description=f"Papers per week for every tag of {self.config.title}, and the tags rising fastest.",
        )

    def extra_page(self, page: ExtraPage) -> str:
        return self._page(
            "page.html",
            page.path,
            title=page.title,
            description=page.description or page_description(page) or self.config.description,
            current=page.name,
            body=page_html(page),
            edit_link=self.config.edit_link(f"content/pages/{page.name}.md"),
        )

    def saved(self) -> str:
        return self._page(
            "saved.html", FIXED_PAGES["saved"], title="Saved papers", current="saved", noindex=True
        )

    def search(self, tags: Sequence[Tag], newest: datetime.date | None = None, authored: bool = False) -> str:
        """The search page; its examples of date filters name the year of the site's newest
        papers (a reader tried `after:2025-01` on a site of 2026 papers: it left out none), or
        on a site with no dated paper a fixed one: never the build's clock. `authored`: some
        paper names its authors, so the help says where a name leads."""
        return self._page(
            "search.html",
            FIXED_PAGES["search"],
            title="Search",
            current="search",
            description=f"Search the titles, abstracts and tags of {self.config.title}.",
            noindex=True,  # UNLISTED
            tags=by_title([t for t in tags if t.count]),
            example_year=newest.year if newest else 2025,
            authored=authored,
        )

"""Pages → HTML strings through the theme's Jinja2 templates (pure: no files are written).

The templates come from the theme (theme.py): the bundled one, overlaid by the site's own.

Jinja2 runs with autoescape on and StrictUndefined (a template typo fails the build).
Abstracts render as markdown-it-py's "zero" preset with only paragraphs and linkify
enabled would render them (abstracts.py) — no raw HTML, headings, lists, emphasis,
escapes or entities — so an abstract shows as exactly the text it is, with blank lines
as paragraph breaks and bare http(s) URLs as links. Titles are plain text everywhere.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import jinja2

from site_builder.build.abstracts import is_web_url, render_abstract
from site_builder.build.layout import (
    Listing,
    Tag,
    absolute,
    cloud_sizes,
    format_date,
    iso_date,
    paper_path,
    root_for,
)
from site_builder.build.theme import Theme
from site_builder.config import SiteConfig
from site_builder.errors import Problem
from site_builder.model import ListingDate, Page, listing_date

CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")


class Ref(NamedTuple):
    """A link to a paper: enough to show its title. (Tuples: a site has tens of thousands.)"""

    slug: str
    title: str

    @property
    def url(self) -> str:
        return paper_path(self.slug)


class PaperView(NamedTuple):
    """A paper page with its neighbours: what the paper template needs besides the page."""

    page: Page
    related: tuple[Ref, ...] = ()
    prev: Ref | None = None
    next: Ref | None = None


# --- text ------------------------------------------------------------------------------------


def plain(text: str) -> str:
    return " ".join(text.split())  # the same as collapsing r"\s+" and stripping, faster


@functools.lru_cache(maxsize=1 << 16)
def snippet(text: str, limit: int = 240) -> str:
    """The start of a text, cut at a word boundary, for listings and meta descriptions.

    Remembered: a paper's snippet appears on the home page and on each of its tag pages.
    """
    flat = plain(text)
    if len(flat) <= limit:
        return flat
    cut = flat[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:.-–—")
    return cut + "…"


def link_label(url: str) -> tuple[str, str]:
    """(kind, text) for a link found in an abstract: Code, Hugging Face, arXiv or Website."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    text = (host + parts.path).rstrip("/") or url
    if host in CODE_HOSTS:
        return "Code", text
    if host == "huggingface.co":
        return "Hugging Face", text
    if host.endswith("arxiv.org"):
        return "arXiv", text
    return "Website", text


# --- the renderer ----------------------------------------------------------------------------


def template_problem(err: jinja2.TemplateError) -> Problem:
    """A template mistake (a typo under StrictUndefined, bad syntax) as `template:line: message`."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return Problem(err.filename or err.name or "template", err.lineno, f"template syntax: {err.message}")
    if isinstance(err, jinja2.TemplateNotFound):
        return Problem("themes/default/templates", 0, f"template not found: {err.name}")
    place, line = "template", 0
    tb = err.__traceback__
    while tb is not None:  # Jinja2 rewrites frames to point into the templates: take the innermost
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".j2")):
            place, line = name, tb.tb_lineno
        tb = tb.tb_next
    return Problem(place, line, f"template error: {err.message or err}")


def make_env(theme: Theme) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat per page
    )
    env.filters["snippet"] = snippet
    return env


class Renderer:
    """Renders every kind of page; one per build (and per worker process).

    `looked_up` collects the tags templates fetched with `tag_of` since it was last
    cleared: what a page shows beyond its own context, which the build cache must know.
    """

    def __init__(self, config: SiteConfig, theme: Theme, tags: Sequence[Tag]) -> None:
        self.config = config
        self.env = make_env(theme)
        self.tags = {t.name: t for t in tags}
        self.looked_up: set[str] = set()
        self.env.filters["listing_date"] = self._date_text
        self.env.filters["iso_date"] = lambda d: iso_date(d, config.year)
        self.env.globals["tag_of"] = self._tag_of

    def _tag_of(self, name: str) -> Tag:
        self.looked_up.add(name)
        return self.tags[name]

    def _date_text(self, date: ListingDate | None) -> str:
        return format_date(date, self.config.year) if date else "Undated"

    def _page(self, template: str, path: str, **context: Any) -> str:
        defaults: dict[str, Any] = {
            "title": "",
            "description": self.config.description,
            "og_type": "website",
            "current": "",
            "noindex": False,
            "feeds": [("Atom feed: " + self.config.title, "feed.xml")],
        }
        defaults.update(context)
        return self.env.get_template(template).render(
            site=self.config,
            root=root_for(path),
            path=path,
            canonical=absolute(self.config, path),
            **defaults,
        )

    def home(self, listing: Listing, tags: Sequence[Tag]) -> str:
        title = "" if listing.number == 1 else f"Page {listing.number}"
        cloud = sorted((t for t in tags if t.count), key=lambda t: (t.title.casefold(), t.name))
        return self._page(
            "index.html",
            listing.path,
            title=title,
            current="home",
            listing=listing,
            cloud=cloud,
            sizes=cloud_sizes(cloud),
        )

    def paper(self, view: PaperView) -> str:
        page = view.page
        links = [(*link_label(url), url) for url in page.links if is_web_url(url)]
        sources = sorted(page.sources, key=lambda s: (s.file, s.line))
        sources.sort(key=lambda s: listing_date(s.listed) or ListingDate(0, 0), reverse=True)
        return self._page(
            "paper.html",
            paper_path(page.slug),
            title=page.title,
            description=snippet(page.body, 200) or page.title,
            og_type="article",
            current="paper",
            page=page,
            body=render_abstract(page.body),
            tags=[self.tags[name] for name in dict.fromkeys(page.tags)],
            links=links,
            sources=sources,
            related=view.related,
            prev=view.prev,
            next=view.next,
        )

    def tag_index(self, tags: Sequence[Tag]) -> str:
        ordered = sorted(tags, key=lambda t: (t.title.casefold(), t.name))
        return self._page(
            "tags.html",
            "tags/index.html",
            title="Tags",
            current="tags",
            tags=ordered,
            description=f"All {len(tags)} tags of {self.config.title}, with paper counts.",
        )

    def tag(self, tag: Tag, listing: Listing) -> str:
        title = tag.title if listing.number == 1 else f"{tag.title} (page {listing.number})"
        feeds = [("Atom feed: " + self.config.title, "feed.xml"), (f"Atom feed: {tag.title}", tag.feed_url)]
        return self._page(
            "tag.html",
            listing.path,
            title=title,
            current="tags",
            tag=tag,
            listing=listing,
            description=tag.description or f"Papers tagged {tag.title}.",
            feeds=feeds,
        )

    def not_found(self) -> str:
        return self._page("404.html", "404.html", title="Page not found", noindex=True)

    def search(self, tags: Sequence[Tag]) -> str:
        return self._page(
            "search.html", "search.html", title="Search", current="search", tags=[t for t in tags if t.count]
        )

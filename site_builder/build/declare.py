"""What the site holds: every output declared in the build's ledger with the key of what
it shows (pipeline.py is the recipe that declares, diffs, makes and swaps them)."""

from __future__ import annotations

import datetime
import functools
import posixpath
from collections.abc import Callable, Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.build import feeds
from site_builder.build.layout import (
    FEED_PATH,
    NOTES,
    NOTES_FEED,
    NOTES_TITLE,
    Tag,
    moved_papers,
    moved_tags,
    paper_path,
    tag_feed_path,
    tag_path,
)
from site_builder.build.ledger import Ledger, RenderJob
from site_builder.build.load import SITE_YAML, Content
from site_builder.build.output.folder import NOJEKYLL
from site_builder.build.render.theme import Theme
from site_builder.build.search.process import SearchBuild
from site_builder.core.errors import Problem
from site_builder.core.files.store import Store
from site_builder.core.model import Page
from site_builder.core.pages.pagefile import line_of
from site_builder.core.runtime.hashing import code_version, digest, short_hash

if TYPE_CHECKING:
    from site_builder.build.jobs import SitePlan


def declare_search(ledger: Ledger, content: Content, store: Store, parallel: bool) -> None:
    """The search assets: one bundle, keyed by what it reads of the pages, the taxonomy (tag
    titles) and synonyms."""
    search = SearchBuild(content.pages, content.taxonomy, content.synonyms, store, parallel, content.searched)
    ledger.add("search", search_key(content), search, "the search index")


def search_key(content: Content) -> str:
    """Everything the search files are made of: each paper's slug, title, abstract, tags and
    latest listing day (`searched_digest`, kept with the parsed page), not its whole file,
    so an edit search does not see (a person's key, a link, an earlier listing) leaves them
    as they are without building them again."""
    searched = content.searched
    return digest(code_version(), content.taxonomy_digest, *[searched[page.slug] for page in content.pages])


def static_outputs(theme: Theme, root: Path) -> tuple[list[tuple[str, str, bytes, Path]], list[Problem]]:
    """The theme's static files: (output path, key, bytes, source), and the site's files left
    out (a symlink out of the site …). A few small files; their bytes alone decide what is
    copied."""
    out = []
    files, left_out = theme.static_files(root)
    for rel, source in files.items():
        data = source.read_bytes()
        out.append((f"assets/{rel}", digest(code_version(), "static", rel, digest(data)), data, source))
    return out, left_out


def unmade_image(
    root: Path,
    image: str | None,
    outputs: Collection[str],
    static: list[tuple[str, str, bytes, Path]],
    keep: Sequence[str],
) -> list[Problem]:
    """`image:` naming a file the site neither makes nor keeps, at the key's line: every
    page's og:image led nowhere and shared links unfurled without a picture, in silence
    (`image: card.png` for the picture put in themes/default/static/, which the site has at
    assets/card.png). `outputs`: every path the build declared; `keep`: `keep_paths`."""
    if not image or "://" in image or image in outputs:
        return []
    if any(image == kept or image.startswith(kept + "/") for kept in (posixpath.normpath(k) for k in keep)):
        return []  # a person's own file in the output folder (`keep_files:`)
    name = posixpath.basename(image)
    alike = [
        (path, source)
        for path, _, _, source in static
        if posixpath.basename(path).casefold() == name.casefold()
    ]
    if alike:
        path, source = alike[0]
        source, site = source.resolve(), root.resolve()
        own = f" ({source.relative_to(site).as_posix()})" if source.is_relative_to(site) else ""
        hint = f"; did you mean {path}{own}?"
    else:
        hint = f": put {name} in themes/default/static/, which the site has at assets/{name}"
    said = f"'image': {image} is no file of the built site, so link previews show no picture{hint}"
    try:
        line = line_of((root / SITE_YAML).read_text(encoding="utf-8"), "image")
    except (OSError, UnicodeDecodeError):
        line = 0
    return [Problem(SITE_YAML, line, said, "warning")]


def static_version(static: list[tuple[str, str, bytes, Path]]) -> str:
    """A hash of the theme's static files, which pages ask for them under (`style.css?v=…`):
    a browser's cached copy of the last deploy's (ten minutes on GitHub Pages) met the new
    pages, whose new controls it did not know. Of their names and bytes only: the golden
    site's pages stay as they are while the code changes."""
    return short_hash(*[part for path, _, data, _ in static for part in (path, digest(data))], length=8)


def declare_site(
    ledger: Ledger, content: Content, theme: Theme, plan: SitePlan, static: list[tuple[str, str, bytes, Path]]
) -> None:
    """Every other output: HTML pages, feeds, sitemap, robots, the marker, static files."""

    # Every page's footer links the extra pages: their titles are part of every page's key.
    salt = digest(
        code_version(),
        theme.templates_digest(),
        repr(content.config),
        repr(plan.menu),
        plan.site_id,
        plan.assets,
    )
    ledger.lookups = plan.labels
    shown: dict[str, datetime.date | None] = {}  # every HTML page but 404 → its sitemap lastmod
    # Every page's footer links the notes page while a paper has notes: part of every page's
    # key, not the feeds' or the redirects' (which have no footer), so the first note added
    # or the last removed makes every page again, and no other edit does.
    pages_salt = digest(salt, "notes page", plan.notes_page)
    for job, path, key, indexed, newest in plan.declared(pages_salt, content.digests):
        ledger.add(path, key, RenderJob(job), "the pages")
        if indexed:
            shown[path] = newest
    moved = moved_tags(content.taxonomy, plan.tags)
    for path, key, feed in feed_outputs(plan, moved, content.digests, salt):
        ledger.add(path, key, feed, "the feeds")
    # A renamed tag's numbered pages too (`tags/OLD/page/N.html`, linked and bookmarked as
    # pages that never change): each leads to the page of the same number, which lists the
    # same papers when only the name changed.
    listings: dict[str, list[tuple[int, str]]] = {}
    for tag, listing in plan.tag_pages:
        listings.setdefault(tag.name, []).append((listing.number, listing.path))
    # (path, target, title, note, description, what the description is made of)
    earlier: list[tuple[str, str, str, str, str | Callable[[], str], str]] = [
        (tag_path(alias, number), target, tag.title, "This tag is now", tag_said, tag_said)
        for alias, tag in moved
        for number, target in listings.get(tag.name, [(0, tag.url)])
        if (tag_said := tag.description or f"Papers tagged {tag.title}.")
    ]
    earlier += [
        (paper_path(old), paper_path(page.slug), page.title, "This paper is now at", describe, made_of)
        for old, page in moved_papers(plan.ordered, content.labels)
        for describe, made_of in [(functools.partial(_paper_description, page), content.digests[page.slug])]
    ]

    def lead_on(
        path: str, target: str, title: str, note: str, said: str | Callable[[], str], of: str, origin: str
    ) -> None:
        page = functools.partial(feeds.moved_page, plan.config, path, target, title, note, said)
        ledger.add(path, digest(salt, path, target, title, of), page, origin)

    for path, target, title, note, description, of in earlier:
        lead_on(path, target, title, note, description, of, "an earlier address")
    for path, target, title in folder_pages(plan, moved):
        if path not in ledger.outputs:  # a page of that name (a paper whose slug is `index`) wins
            lead_on(path, target, title, FOLDER_NOTE, "", "", "a folder's address")
    config = plan.config
    # Each day written once (a few hundred days; the repr of 11,000 dates took 10 ms).
    days: dict[datetime.date | None, str] = {None: ""}
    days.update((day, day.isoformat()) for day in set(shown.values()) if day is not None)
    sitemap_key = digest(salt, "sitemap", *[x for path in sorted(shown) for x in (path, days[shown[path]])])
    sitemaps = functools.cache(lambda: feeds.sitemaps(config, shown))  # made once, written in parts
    for name in feeds.sitemap_names(len(shown)):
        ledger.add(name, digest(sitemap_key, name), functools.partial(_part, sitemaps, name), "the sitemap")
    ledger.add("robots.txt", digest(salt, "robots"), lambda: feeds.robots(config), "robots.txt")
    ledger.add(NOJEKYLL, digest(salt, NOJEKYLL), lambda: b"", "the .nojekyll file")
    for path, key, data, source in static:
        ledger.add(path, key, functools.partial(bytes, data), f"the static file {source}")


FOLDER_NOTE = "This folder is listed on"


def _paper_description(page: Page) -> str:
    """As its page describes it; Markdown and the templates are loaded only to make one (a
    build with nothing to make does not import them)."""
    from site_builder.build.render.notes import paper_description

    return paper_description(page)


def folder_pages(plan: SitePlan, moved: Sequence[tuple[str, Tag]] = ()) -> list[tuple[str, str, str]]:
    """(path, target, title) of the pages at folders' own addresses, which a reader reaches by
    trimming a page's address (`archive/2026/`, `tags/reasoning/`, `papers/`, `page/`,
    `reading-notes/`): each leads to the page listing what the folder holds, where a server would
    otherwise answer 404. A renamed tag's folders too, under each earlier name (`moved`:
    `moved_tags`), which the rename would otherwise have taken away."""
    pages = [("papers/index.html", "archive/index.html", "Archive")]
    pages += [
        (f"archive/{year}/index.html", f"archive/index.html#year-{year}", f"Archive, {year}")
        for year, _ in plan.archive.years
    ]
    if len(plan.home) > 1:  # page/N.html trimmed to page/ (a reviewer found it a bare 404)
        pages.append(("page/index.html", "index.html", plan.config.title))
    if len(plan.notes) > 1:  # reading-notes/page/N.html trimmed to …/page/ or reading-notes/
        pages += [(f"{NOTES}/{under}index.html", plan.notes_page, NOTES_TITLE) for under in ("", "page/")]
    numbered = {tag.name: tag for tag, listing in plan.tag_pages if listing.number}  # tags/NAME/page/N.html
    folders = [(tag.url.removesuffix(".html"), tag) for tag in numbered.values()]
    folders += [(tag_path(alias).removesuffix(".html"), tag) for alias, tag in moved if tag.name in numbered]
    for folder, tag in folders:
        pages += [(f"{folder}{under}/index.html", tag.url, tag.title) for under in ("", "/page")]
    return pages


def _part(files: Callable[[], dict[str, str]], name: str) -> str:
    return files()[name]


def feed_outputs(
    plan: SitePlan, moved: Sequence[tuple[str, Tag]], digests: dict[str, str], salt: str
) -> Iterator[tuple[str, str, Callable[[], str]]]:
    """The Atom feeds, the site's and one per tag, keyed by their entries and the tags; a
    tag's feed also at each of its earlier names' addresses (`moved`: `moved_tags`), for the
    readers subscribed there."""
    config = plan.config
    specs: list[tuple[Sequence[Page], Tag | None]] = [(plan.ordered, None)]
    specs += [(plan.members[tag.name], tag) for tag in plan.tags]
    earlier: dict[str, list[str]] = {}  # a tag → its earlier names' feed paths: the same feed there
    for alias, renamed in moved:
        earlier.setdefault(renamed.name, []).append(tag_feed_path(alias))
    made: dict[str, str] = {}  # each paper's entry, made once for every feed it is in (`atom_feed`)
    for pages, tag in specs:
        entries = feeds.feed_entries(pages, config.feed_size)
        paths = [tag.feed_url, *earlier.get(tag.name, [])] if tag else [FEED_PATH]
        for path in paths:
            key = digest(salt, plan.tags_key, path, str(plan.newest), *[digests[p.slug] for p in entries])
            yield path, key, functools.partial(_feed, plan, entries, tag, path, made)
    if plan.noted:  # the notes feed: every noted paper (notes carry no date to pick the newest by)
        entries = feeds.feed_entries(plan.noted, feeds.FEED_MOST)
        key = digest(salt, plan.tags_key, NOTES_FEED, *[digests[p.slug] for p in entries])
        yield NOTES_FEED, key, functools.partial(_notes_feed, plan)


def _notes_feed(plan: SitePlan) -> str:
    config = plan.config
    return feeds.atom_feed(
        config,
        plan.noted,
        plan.tag_named,
        path=NOTES_FEED,
        html_path=plan.notes_page,
        title=f"{config.title}: reading notes",
        subtitle=f"Every paper with notes on {config.title}, each entry its notes.",
        noted=True,
    )


def _feed(plan: SitePlan, entries: Sequence[Page], tag: Tag | None, path: str, made: dict[str, str]) -> str:
    """The feed at `path`: a tag's feed at an earlier name's address is the tag's, under
    that address's id and `self` link, so a reader subscribed there sees the feed they
    subscribed to go on (a new id is a new feed to Atom readers). `made`: the entries the
    site's other feeds made (`atom_feed`)."""
    config = plan.config
    if tag is None:
        return feeds.atom_feed(config, entries, plan.tag_named, site_updated=plan.newest, made=made)
    return feeds.atom_feed(
        config,
        entries,
        plan.tag_named,
        site_updated=plan.newest,
        path=path,
        html_path=tag.url,
        title=f"{config.title}: {tag.title}",
        subtitle=tag.description or f"Papers tagged {tag.title}.",
        made=made,
    )

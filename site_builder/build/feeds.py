"""Atom feeds, sitemap.xml and robots.txt, as strings (pure: the caller writes them).

Absolute URLs come from base_url, because these formats require them. Entry ids are
`urn:uuid:` names derived from the slug only, so they stay the same across builds and when
the site moves to another base_url (a person's new `slug:` is a new entry). Dates come
from the content, never the build's clock: an entry is `published` on its first listing
date and `updated` on its newest, or on the later day a late dump added it (`added:`); a
page without a listing date (only a hand-written one can lack it) is left out of the
feeds. A feed holds whole days (`feed_entries`), and a feed with no entry at all is
`updated` at the Unix epoch: Atom requires the date, and the clock would change the file
every day. The feed names its author (`feed_author`), as Atom requires of a feed whose
entries name none; an entry whose authors are known names them, which feed readers show
in place of the feed's. The sitemap gives each URL its newest listing date as `lastmod`, and past
50,000 URLs becomes an index of several files, as the sitemaps.org protocol asks. Every
text goes through `xml_text`, which escapes markup and drops the characters XML 1.0
cannot carry, so no content string can break or inject into the XML."""

from __future__ import annotations

import datetime
import posixpath
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import quote

from site_builder.build.layout import FEED_PATH, GENERATOR_META, Tag, absolute, paper_path
from site_builder.core.config import SiteConfig
from site_builder.core.model import Page
from site_builder.core.pages.body import notes_markdown

ATOM_NS = "http://www.w3.org/2005/Atom"
ID_NAMESPACE = uuid.UUID("6f0d3f6e-3b0a-5c57-9a59-8d1f1c1e2b7a")  # fixed: ids must never change
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Text safe inside an XML element or a double-quoted attribute."""
    text = _NOT_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def entry_id(slug: str, kind: str = "paper") -> str:
    """A feed entry's id: a paper's (`paper`), or its notes' in the notes feed (`notes`), which
    a reader following both feeds must not take for the paper's entry."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{kind}/{slug}')}"


def feed_id(config: SiteConfig, path: str) -> str:
    return absolute(config, path)


EMPTY_FEED_UPDATED = datetime.date(1970, 1, 1)  # a site with no dated paper yet


# A feed holds its last day whole up to this many entries (2.2 MB of Atom): a day of 22
# papers under `feed_size: 5`, or a week's dumps backfilled in one run, lost their oldest
# papers to every reader when the bound was four times `feed_size`.
FEED_MOST = 1000


def feed_entries(pages: Sequence[Page], size: int) -> list[Page]:
    """The dated pages a feed holds, newest arrival first (`Page.arrived`: a late dump's
    papers come on the day they were added, else a reader who looks once a day never saw
    them), listing order within a day: the first `size`, and the rest of the last one's day,
    so that such a reader misses none of a day's papers (a day often lists more than
    `size`); never more than FEED_MOST (a first import of dumps without dates is all one
    day). `pages` are in listing order."""
    dated = sorted((p for p in pages if p.arrived is not None), key=_arrival, reverse=True)
    end, most = min(size, len(dated)), min(len(dated), max(size, FEED_MOST))
    while 0 < end < most and dated[end].arrived == dated[end - 1].arrived:
        end += 1
    return dated[:end]


def _arrival(page: Page) -> datetime.date:
    assert page.arrived is not None
    return page.arrived


def timestamp(day: datetime.date) -> str:
    """Noon UTC of a listing day: a feed reader shows it as that day from UTC−12 to UTC+11
    (midnight showed a paper listed on Mar 12 as Mar 11, 7 pm, in New York)."""
    return f"{day.isoformat()}T12:00:00Z"


def atom_feed(
    config: SiteConfig,
    pages: Sequence[Page],
    tags: dict[str, Tag],
    *,
    path: str = FEED_PATH,
    html_path: str = "index.html",
    title: str | None = None,
    subtitle: str | None = None,
    site_updated: datetime.date | None = None,
    noted: bool = False,
    made: dict[str, str] | None = None,
) -> str:
    """An Atom feed of the newest pages (`feed_entries`; `pages` in listing order).

    The feed's `updated` is its newest entry's, or for a feed with no entries (a tag no
    paper has yet) `site_updated`, the newest listing date of the whole site. `noted`: the
    notes feed, of every page given (up to FEED_MOST), each entry its notes. `made`: the
    entries other feeds of the same site made, by slug, added to: a paper's entry is the
    same in every feed it is in (the site's and its tags'), so it is made once (1,218
    entries of 685 papers, 59 ms, in a day's 21 feeds at 10,000 papers)."""
    entries = feed_entries(pages, FEED_MOST if noted else config.feed_size)
    newest = max((day for p in entries if (day := p.arrived)), default=site_updated)
    updated = timestamp(newest or EMPTY_FEED_UPDATED)
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM_NS}" xml:lang="{xml_text(config.language)}">',
        f"  <id>{xml_text(feed_id(config, path))}</id>",
        f"  <title>{xml_text(title or config.title)}</title>",
        f"  <subtitle>{xml_text(subtitle or config.description)}</subtitle>",
        f'  <link rel="self" type="application/atom+xml" href="{xml_text(absolute(config, path))}"/>',
        f'  <link rel="alternate" type="text/html" href="{xml_text(absolute(config, html_path))}"/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{xml_text(config.feed_author)}</name></author>",
        "  <generator>site_builder</generator>",
    ]
    made = {} if made is None else made
    body = [
        made[page.slug]
        if page.slug in made
        else made.setdefault(page.slug, _entry(config, page, tags, noted))
        for page in entries
    ]
    return "\n".join([*head, *body, "</feed>", ""])


def _entry(config: SiteConfig, page: Page, tags: dict[str, Tag], noted: bool = False) -> str:
    url = absolute(config, paper_path(page.slug))
    first, newest = page.first_listed, page.arrived
    assert first is not None and newest is not None, "undated pages are not in feeds"
    lines = [
        "  <entry>",
        f"    <id>{entry_id(page.slug, 'notes' if noted else 'paper')}</id>",
        f'    <title type="text">{xml_text(page.title)}</title>',
        f'    <link rel="alternate" type="text/html" href="{xml_text(url)}"/>',
        f"    <published>{timestamp(first)}</published>",
        f"    <updated>{timestamp(newest)}</updated>",
        *[f"    <author><name>{xml_text(name)}</name></author>" for name in page.authors],
    ]
    for name in dict.fromkeys(page.tags):
        tag = tags.get(name)
        label = tag.title if tag else name
        lines.append(f'    <category term="{xml_text(name)}" label="{xml_text(label)}"/>')
    # The abstract, as listings and the page's description show it: a reader's notes are
    # the page's, not the paper's. (Imported here: render/notes.py loads markdown-it, which a build
    # that writes no feed never needs.)
    from site_builder.build.render.links_out import arxiv_id, links_out
    from site_builder.build.render.notes import abstract_of, render_notes

    # The paper on arXiv and its PDF, when its id is known and the site links them: a feed
    # reader gets the paper in one click (the PDF as an enclosure, which readers offer).
    if found := arxiv_id(page):
        names = [name for name in ("arxiv", "arxiv-pdf") if name in config.links_out]
        for name, link in zip(names, links_out(page, names, found), strict=True):
            rel, kind = ("related", "text/html") if name == "arxiv" else ("enclosure", "application/pdf")
            label, url = xml_text(link.label), xml_text(link.url)
            lines.append(f'    <link rel="{rel}" type="{kind}" title="{label}" href="{url}"/>')

    if noted:  # the notes as the paper's page shows them: safe HTML, links to the web only
        lines.append(f'    <content type="html">{xml_text(render_notes(notes_markdown(page)))}</content>')
    else:
        lines.append(f'    <summary type="text">{xml_text(abstract_of(page.body).strip())}</summary>')
    lines.append("  </entry>")
    return "\n".join(lines)


SITEMAP = "sitemap.xml"
SITEMAP_URLS = 50_000  # the sitemaps.org protocol's limit a file (50 MB is far off at this count)
SITEMAP_PART = re.compile(r"sitemap-[1-9][0-9]*\.xml")  # the parts of a larger site's sitemap


def sitemaps(config: SiteConfig, paths: Mapping[str, datetime.date | None]) -> dict[str, str]:
    """The sitemap of the given HTML pages (relative path → newest date shown), sorted:
    `sitemap.xml` alone, or past SITEMAP_URLS URLs an index there of `sitemap-1.xml`,
    `sitemap-2.xml` ... beside it (a part may list only URLs at or below its own folder, so
    the parts sit at the site's root)."""
    urls = sorted((absolute(config, p), day) for p, day in paths.items())
    names, limit = sitemap_names(len(urls)), SITEMAP_URLS
    if len(names) == 1:
        return {SITEMAP: _urlset(urls)}
    parts = [urls[i : i + limit] for i in range(0, len(urls), limit)]
    found = {name: _urlset(part) for name, part in zip(names[1:], parts, strict=True)}
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(
            _entry_of("sitemap", absolute(config, name), max((d for _, d in part if d), default=None))
            for name, part in zip(found, parts, strict=True)
        ),
        "</sitemapindex>",
        "",
    ]
    return {SITEMAP: "\n".join(lines), **found}


def sitemap_names(urls: int) -> list[str]:
    """The files of a sitemap of this many URLs: the index (or the one file) first."""
    parts = -(-urls // SITEMAP_URLS)
    return [SITEMAP, *(f"sitemap-{n}.xml" for n in range(1, parts + 1) if parts > 1)]


def _urlset(urls: list[tuple[str, datetime.date | None]]) -> str:
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *(_entry_of("url", url, day) for url, day in urls),
        "</urlset>",
        "",
    ]
    return "\n".join(lines)


def _entry_of(element: str, url: str, day: datetime.date | None) -> str:
    lastmod = f"<lastmod>{day.isoformat()}</lastmod>" if day else ""
    return f"  <{element}><loc>{xml_text(url)}</loc>{lastmod}</{element}>"


def robots(config: SiteConfig) -> str:
    url = quote(absolute(config, SITEMAP), safe=":/?#[]@!$&'()*+,;=%~")  # no line breaks
    return f"User-agent: *\nAllow: /\n\nSitemap: {url}\n"


MOVED_POLICY = "default-src 'none'"  # a page that only sends readers on loads nothing


def moved_page(
    config: SiteConfig,
    path: str,
    target: str,
    title: str,
    note: str,
    description: str | Callable[[], str] = "",
) -> str:
    """The page at an earlier address (`path`) of a page now at `target` (a tag renamed, a
    paper given a new `slug:`): it sends readers on at once, and tells search engines where
    the page lives now, as Hugo's alias pages do. `note`: "This tag is now", or the like.
    It carries the page's title and `description` for link previews: Slack, X and Mastodon
    do not follow the refresh, and an old link unfurled as a bare title (a reviewer). Not
    `noindex` (Hugo's alias pages are): Google reads an instant refresh as a permanent
    redirect, and noindex beside a canonical is a conflicting signal (a reviewer)."""
    href = xml_text(posixpath.relpath(target, posixpath.dirname(path)))
    canonical = xml_text(absolute(config, target))
    shown = xml_text(title)
    said = xml_text(description() if callable(description) else description)
    card = (
        f'<meta property="og:type" content="website">\n<meta property="og:title" content="{shown}">\n'
        f'<meta property="og:url" content="{canonical}">\n<meta name="twitter:card" content="summary">\n'
    )
    if said:
        card += (
            f'<meta name="description" content="{said}">\n<meta property="og:description" content="{said}">\n'
        )
    return (
        f'<!DOCTYPE html>\n<html lang="{xml_text(config.language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{MOVED_POLICY}">\n'
        f"{GENERATOR_META}\n"
        f"<title>{shown}</title>\n{card}"
        f'<link rel="canonical" href="{canonical}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n</head>\n<body>\n'
        f'<p>{note} <a href="{href}">{shown}</a>.</p>\n</body>\n</html>\n'
    )

"""The words pages show around the papers: snippets, dates and spans of days, the titles and
descriptions of numbered list pages, the labels of links, the order tags are listed in, and
the generator tag every page carries.
Pure functions of their arguments (render/html.py and the templates use them)."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Sequence

from site_builder.build.layout import GENERATOR_META, GENERATOR_WITHIN, Listing, Tag
from site_builder.core.model import listing_date, show_date
from site_builder.core.text import split_url

CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")


def plain(text: str) -> str:
    return " ".join(text.split())  # the same as collapsing r"\s+" and stripping, faster


DESCRIPTION = 160  # characters of a page's meta description: what search engines show of one


@functools.lru_cache(maxsize=1 << 16)
def snippet(text: str, limit: int = 240) -> str:
    """The start of a text, cut at a word boundary, for listings and meta descriptions.

    Remembered: a paper's snippet appears on the home page and on each of its tag pages.
    """
    flat = plain(text)
    if len(flat) <= limit:
        return flat
    cut = flat[: limit + 1].rsplit(" ", 1)[0]
    if len(cut) < limit // 2:  # text without spaces to cut at (Chinese, Japanese): cut at the limit
        cut = flat[:limit]
    return cut.rstrip(",;:.-–—") + "…"


def date_text(listed: str) -> str:
    """A listing date as a reader sees it (`Mar 12, 2025`); text that is not a full date as is."""
    day = listing_date(listed)
    return show_date(day) if day else listed


def span_text(span: tuple[datetime.date, datetime.date] | None) -> str:
    """Listing days from first to last as a page names them: `Dec 19 – 25, 2025`,
    `Nov 28 – Dec 3, 2025`, `Dec 30, 2025 – Jan 2, 2026` ("" when undated)."""
    if span is None:
        return ""
    first, last = span
    if first == last:
        return show_date(last)
    if first.year != last.year:
        return f"{show_date(first)} – {show_date(last)}"
    start = show_date(first).rsplit(",", 1)[0]
    end = str(last.day) if first.month == last.month else show_date(last).rsplit(",", 1)[0]
    return f"{start} – {end}, {last.year}"


def listing_days(listing: Listing) -> str:
    """The days a page of a list holds, as its title and heading name them: `Dec 19 – 25,
    2025`, and "undated" for papers without a listing day (only hand-written pages lack one)."""
    shown = [span_text(listing.span), "undated" if _has_undated(listing) else ""]
    return " and ".join(part for part in shown if part)


def numbered_title(name: str, listing: Listing) -> str:
    """A numbered page's title: what it lists (its days), then its number."""
    days = listing_days(listing)
    return f"{name}{', ' + days if days else ''} (page {listing.number})"


def _has_undated(listing: Listing) -> bool:
    return any(page.newest is None for page in listing.pages)


def title_order(tag: Tag) -> tuple[str, str]:
    return tag.title.casefold(), tag.name


def by_title(tags: Sequence[Tag]) -> list[Tag]:
    """Tags as every list of them shows them: by title (the tags index, the home page's
    cloud, trends, search's filter; the trends page and search listed them by name)."""
    return sorted(tags, key=title_order)


def link_label(url: str) -> tuple[str, str]:
    """(kind, text) for a link found in an abstract: Code, Hugging Face, arXiv or Website.

    The host is read as a browser reads it, which takes `\\` for `/` (WHATWG URL): read
    as written, `https://evil.example\\@github.com/x` was labelled github.com/x."""
    parts = split_url(url.replace("\\", "/"))
    if parts is None:  # a page's own `links:` entry no browser could follow: shown as written
        return "Website", url
    host = (parts.hostname or "").removeprefix("www.")
    text = (host + parts.path).rstrip("/") or url
    if host in CODE_HOSTS:
        return "Code", text
    if host == "huggingface.co":
        return "Hugging Face", text
    if host.endswith("arxiv.org"):
        return "arXiv", text
    return "Website", text


def listing_description(description: str, listing: Listing) -> str:
    """A list's description, its numbered pages told apart by the days they hold: search
    engines flag pages that share one description (a reader review of the sitemap)."""
    span = listing.span
    if listing.number == 0:
        return description
    if span is None:
        return f"{description} Page {listing.number}: papers without a listing date."
    first, last = span
    days = show_date(last) if first == last else f"{show_date(first)} to {show_date(last)}"
    undated = ", and papers without a listing date" if _has_undated(listing) else ""
    return f"{description} Page {listing.number}: papers listed {days}{undated}."


# Where a generator tag goes, best first: after <head>, else <html>, else the doctype.
_OPENINGS = [re.compile(rf"<{tag}\b[^>]*>", re.IGNORECASE) for tag in ("head", "html", "!doctype")]


def with_generator(html: str) -> str:
    """The page, saying that a build made it, near its start. A theme's own base.html may
    leave the tag out; then the build refused its own output folder once `.site-cache/` was
    gone (a code review). It goes in after `<head>`, as Hugo puts its generator tag in."""
    # Where output/folder.py reads it: the first bytes. A quarter as many characters are at
    # most that many bytes (the bundled theme's tag is 368 characters in), and found there
    # the page is not encoded (3 µs a page, 40 ms of a cold 10k build).
    if html.find(GENERATOR_META, 0, GENERATOR_WITHIN // 4) >= 0:
        return html
    if GENERATOR_META.encode() in html[:GENERATOR_WITHIN].encode()[:GENERATOR_WITHIN]:
        return html
    for opening in _OPENINGS:
        if found := opening.search(html, 0, GENERATOR_WITHIN):
            return f"{html[: found.end()]}\n{GENERATOR_META}{html[found.end() :]}"
    return f"{GENERATOR_META}\n{html}"

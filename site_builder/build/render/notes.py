"""A person's notes on a paper: the `notes:` front-matter field and the page body from a
`## Notes` heading on, rendered as Markdown apart from the abstract.

The abstract above the heading stays literal text (render/abstracts.py); notes are the person's
own writing, so they get Markdown — emphasis, lists, code, `[text](url)` links — through
markdown-it-py's CommonMark rules with raw HTML off and only http(s) and mailto links: a
note can never carry a script, a `javascript:` link or a stray tag into the page.
"""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markupsafe import Markup

from site_builder.build.render.page_text import DESCRIPTION, snippet
from site_builder.build.render.tex_text import tex_text
from site_builder.core.model import Page
from site_builder.core.pages.body import notes_markdown, split_notes


class SafeMarkdown(MarkdownIt):
    """CommonMark with raw HTML off, no images (the CSP allows no remote ones, and a note
    needs none) and links to http(s) and mailto only; with `site_links`, for a page of the
    site's own at its root (render/extra_pages.py), also to the site's pages as written
    (`tags/index.html`), or from the site's root (`/tags/index.html`, as on a site at a
    domain's root: written relative, so that it works under a sub-path and from disk too;
    it was refused and shown as raw Markdown): no scheme, and not `//host` or `/\\host`."""

    def __init__(self, site_links: bool = False, linkify: bool = True) -> None:
        super().__init__("commonmark", {"html": False, "linkify": linkify})
        self.site_links = site_links
        if linkify:
            self.enable(["linkify"])
        self.disable(["image"])

    def normalizeLink(self, url: str) -> str:
        if self.site_links and url.startswith("/") and not url.startswith(("//", "/\\")):
            url = url[1:] or "index.html"
        return str(super().normalizeLink(url))

    def validateLink(self, url: str) -> bool:
        if url.lower().startswith(("http://", "https://", "mailto:")):
            return True
        head = url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        return self.site_links and ":" not in head and not url.startswith(("/", "\\"))


@functools.cache
def safe_markdown(site_links: bool = False, linkify: bool = True) -> SafeMarkdown:
    return SafeMarkdown(site_links, linkify)


# Bare addresses made links up to this many `://` in a text: linkify-it's time grows with
# their square (80 KB of `a://` in a page's notes took 36 s to build; a security review),
# and notes of 600 addresses take 0.07 s. Beyond it, only [text](url) links are links.
LINKIFIED = 1000


def abstract_of(body: str) -> str:
    """The abstract part of a page body as the site shows it (pages, snippets, descriptions,
    feeds, search results): its LaTeX as text."""
    return tex_text(split_notes(body)[0])


def paper_description(page: Page, abstract: str | None = None) -> str:
    """A paper page's meta and Open Graph description: its abstract's opening, cut at a word
    (at DESCRIPTION characters, what search results show; 200 were cut there by them).
    `abstract` is `abstract_of(page.body)` where the caller has it: a paper page shows it
    too, and cleaning it twice was 0.08 s of a cold build at 10,000 papers."""
    return snippet(abstract_of(page.body) if abstract is None else abstract, DESCRIPTION) or page.title


# What a note's Markdown shows as text: its words, code and the text of its links, not
# their addresses, marks or raw HTML (which notes show as the text it is).
_WORDS = frozenset({"text", "code_inline"})
_BLOCK_TEXT = frozenset({"code_block", "fence"})


def notes_text(page: Page) -> str:
    """A page's notes as plain text, as the notes page shows their start: the words a reader
    sees on the paper's page, without the Markdown around them (`*reading group*` reads
    `reading group`, `[the paper](https://…)` reads `the paper`). Templates escape it."""
    return markdown_text(notes_markdown(page))


def markdown_text(text: str, headings: bool = True, site_links: bool = False) -> str:
    """Markdown as the words a reader sees, on one line (`notes_text`); `headings=False`
    leaves out the headings' words (a description says what a page holds, not its title);
    `site_links`: as `safe_markdown`'s, links to the site's own pages are links."""
    parts: list[str] = []
    heading = False
    for token in safe_markdown(site_links, linkify=False).parse(text):
        if token.type in ("heading_open", "heading_close"):
            heading = token.type == "heading_open"
        elif token.type == "inline" and (headings or not heading):
            parts.append(
                "".join(
                    c.content if c.type in _WORDS else " " * c.type.endswith("break")
                    for c in token.children or ()
                )
            )
        elif token.type in _BLOCK_TEXT:
            parts.append(token.content)
    return " ".join(" ".join(parts).split())


def render_notes(text: str) -> Markup:
    """Notes as HTML: Markdown without raw HTML, images or links other than http(s)/mailto."""
    if not text:
        return Markup("")
    return Markup(safe_markdown(linkify=text.count("://") <= LINKIFIED).render(text))

"""An abstract (Markdown limited to paragraphs and bare http(s) links) → HTML, quickly.

The rules are markdown-it-py's "zero" preset with only paragraphs and linkify enabled,
no raw HTML, and only `http://`/`https://` URLs accepted as links (see `markdown()`).
Running the whole markdown-it pipeline for every abstract is most of a page's render
time, yet with so few rules the result is simple: blank lines separate paragraphs, every
character is text, and a URL becomes a link exactly where linkify-it says it ends.

`render_abstract` computes that directly: it splits paragraphs the way markdown-it's block
parser does, escapes text the way its renderer does, and asks the same linkify-it
instance, through markdown-it's own normalizers, for the links — the two passes
markdown-it makes (the inline rule at each `://`, then the core rule over what is left).
tests/test_abstracts.py holds it to byte-identical output with `markdown().render` on
every bundled page and on generated text.
"""

from __future__ import annotations

import functools
import re
import types

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_TRIM_CHARS, escapeHtml
from markdown_it.rules_inline.linkify import SCHEME_RE
from markupsafe import Markup

_SCHEME_CHAR = re.compile(r"[a-z0-9.+-]", re.IGNORECASE)  # as in markdown-it's SCHEME_RE
_LONGEST_SCHEME = len("https")  # the longest scheme that becomes a link


def is_web_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


class _Abstracts(MarkdownIt):
    """markdown-it accepting only http(s) links, whose text is shown exactly as written:
    decoding %xx or punycode hosts would let a look-alike domain (xn--pple-43d.com as
    "аpple.com") pass for another."""

    def normalizeLinkText(self, link: str) -> str:
        return link

    def validateLink(self, url: str) -> bool:
        return is_web_url(url)


@functools.cache
def markdown() -> MarkdownIt:
    """The reference renderer: markdown-it with paragraphs and http(s) linkify only."""
    md = _Abstracts("zero", {"html": False, "linkify": True})
    md.enable(["linkify"])
    matcher = _linkify(md)
    matcher.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    for schema in ("ftp:", "mailto:", "//"):
        matcher.add(schema, None)  # only http(s) URLs become links
    for schema in ("http:", "https:"):
        matcher.add(schema, {"validate": types.MethodType(_web_link_length, matcher)})
    return md


def _web_link_length(matcher: LinkifyIt, text: str, pos: int) -> int:
    """linkify-it's http(s) link, ended before a brace: abstracts carry LaTeX leftovers,
    `…/ZoomEye{https://…/ZoomEye}`, and the link took the whole of it (a 404), where the
    page's "Code" link, cut as ingest cuts URLs (RFC 3986 has no bare braces), was right."""
    length: int = LinkifyIt._validate_http(matcher, text, pos)
    braces = [at for at in (text.find("{", pos, pos + length), text.find("}", pos, pos + length)) if at >= 0]
    return min(braces) - pos if braces else length


def _linkify(md: MarkdownIt) -> LinkifyIt:
    matcher = md.linkify
    assert matcher is not None, "markdown-it without linkify-it-py"
    return matcher


def render_abstract(text: str) -> Markup:
    """An abstract as HTML: paragraphs and http(s) links, every other character as text."""
    return Markup("".join(f"<p>{_inline(content)}</p>\n" for content in paragraphs(text)))


def paragraphs(text: str) -> list[str]:
    """The text of each paragraph, as markdown-it's block parser cuts and trims it."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    found: list[str] = []
    lines: list[str] = []
    for line in text.split("\n"):
        if line.strip(" \t"):  # only spaces and tabs make a line blank
            lines.append(line)
        elif lines:
            found.append("\n".join(lines).strip(MD_TRIM_CHARS))
            lines = []
    if lines:
        found.append("\n".join(lines).strip(MD_TRIM_CHARS))
    return found


def _inline(content: str) -> str:
    if "://" not in content:  # linkify-it finds http(s) links only, and they all have "://"
        return escapeHtml(content)
    md = markdown()
    out: list[str] = []
    pending = 0  # where the text not yet turned into tokens starts
    at = content.find("://")
    while at >= 0:
        found = _link_at(md, content, pending, at)
        if found is None:
            at = content.find("://", at + 1)
            continue
        start, url, href = found
        out.append(_linkify_rest(md, content, content[pending:start]))
        out.append(f'<a href="{escapeHtml(href)}">{escapeHtml(md.normalizeLinkText(url))}</a>')
        pending = start + len(url)
        at = content.find("://", pending)
    out.append(_linkify_rest(md, content, content[pending:]))
    return "".join(out)


def _link_at(md: MarkdownIt, content: str, pending: int, at: int) -> tuple[int, str, str] | None:
    """markdown-it's inline linkify rule at the "://" at `at`: (start, url, href) or None."""
    scheme = _scheme_before(content[pending:at])
    if scheme is None:
        return None
    start = at - len(scheme.group(1))
    link = _linkify(md).match_at_start(content[start:])
    if not link:
        return None
    url = link.url.rstrip("*")  # markdown-it drops a trailing '*' (it would be emphasis)
    href = md.normalizeLink(url)
    return (start, url, href) if md.validateLink(href) else None


def _scheme_before(pending: str) -> re.Match[str] | None:
    """SCHEME_RE.search(pending) wherever it can lead to a link, in O(1) time.

    The scheme is the trailing run of scheme characters. Only `http` and `https` are
    linked, so a run longer than five characters can never make a link: it is not searched
    at all (a long run before every "://" made the full search quadratic). A shorter run is
    searched from the character before it, which finds exactly what the full search finds.
    """
    n, run = len(pending), 0
    while run <= _LONGEST_SCHEME and run < n and _SCHEME_CHAR.match(pending, n - 1 - run):
        run += 1
    if run > _LONGEST_SCHEME:
        return None
    return SCHEME_RE.search(pending, max(0, n - run - 1))


def _linkify_rest(md: MarkdownIt, content: str, text: str) -> str:
    """markdown-it's core linkify rule over text the inline rule left alone."""
    # Without "://" linkify-it cannot match (its http(s) validators want "//" after the
    # scheme), and its full test is slow: skip it then.
    if "://" not in text or not (_linkify(md).pretest(content) and _linkify(md).test(text)):
        return escapeHtml(text)
    out: list[str] = []
    last = 0
    for link in _linkify(md).match(text) or []:
        href = md.normalizeLink(link.url)
        if not md.validateLink(href):
            continue
        if link.index > last:
            out.append(escapeHtml(text[last : link.index]))
        # markdown-it's rule also labels schema-less (fuzzy) links and mailto: ones; the
        # matcher here knows only http(s) links (`markdown`), so every label is one of those.
        label = md.normalizeLinkText(link.text)
        out.append(f'<a href="{escapeHtml(href)}">{escapeHtml(label)}</a>')
        last = link.last_index
    out.append(escapeHtml(text[last:]))
    return "".join(out)

"""The fast abstract renderer gives exactly markdown-it's bytes (paragraphs + http(s) linkify).

`render_abstract` does not run markdown-it; it reproduces what markdown-it does with the
few rules enabled. These tests hold it to byte-identical output with the reference
(`abstracts.markdown().render`) on every page bundled with the project and on generated
text built from the fragments that matter: URLs and near-URLs, schemes glued to words,
brackets, trailing punctuation, blank and whitespace-only lines, odd whitespace.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bench.common import read_site_pages
from site_builder.build.render.abstracts import markdown, paragraphs, render_abstract

REPO = Path(__file__).resolve().parent.parent
PAGE_FOLDERS = [REPO / "content" / "papers", REPO / "tests" / "data" / "site" / "content" / "papers"]
FRAGMENTS = [
    "http", "https", "HTTPS", "hTtP", "://", ":", "//", "/", ".", "..", "com", "org", "example",
    "a", "x", "_", "*", "**", "(", ")", "[", "]", "{", "}", "<", ">", "&", "&amp;", '"', "'",
    "?", "#", "%", "%20", "%2e", "=", "+", "-", "~", "@", ",", ";", "!", "|", "$", "^", "`", "\\",
    " ", "  ", "    ", "\t", "\n", "\n\n", "\n \n", "\r", "\r\n", "\0", "\xa0", "\u2028", "\u3000",
    "\x1c", "\x85", "\u200b", "é", "ß", "ſ", "\u212a", "xn--", "xn--pple-43d", "www.", "ftp", "mailto",
    "1", "2024", "https://github.com/a/b", "http://x.org/a_b_(c)", "https://huggingface.co/d/e.",
    "see https://example.org/path?q=1#frag, and", "a" * 70, "https://" + "b" * 70 + ".com",
]  # fmt: skip
TEXT = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


def bundled_abstracts() -> list[str]:
    bodies = []
    for folder in PAGE_FOLDERS:
        pages, _ = read_site_pages(folder)
        bodies += [p.body for p in pages]
    return bodies


def reference(text: str) -> str:
    return markdown().render(text)


def test_every_bundled_page_renders_as_markdown_it_renders_it() -> None:
    bodies = bundled_abstracts()
    assert len(bodies) > 300
    assert sum("://" in b for b in bodies) > 10  # links are exercised too
    assert [str(render_abstract(b)) for b in bodies] == [reference(b) for b in bodies]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "one\n\n\n two \n\t\nthree",
        "\xa0",
        "line  \n   indented\n        code-like",
        "a\rb\r\nc\0d",
        "foohttps://x.com a+https://y.com (https://z.com) HTTPS://Q.COM",
        "x.https://a.com _https://b.com_ *https://c.com*",
        "https://a.com/x* https://b.com/**",
        "see\nhttps://a.com and http://\nb.com",
        "https://a.com,https://b.com https://a.com/https://b.com",
        "https://" + "a" * 100,
        "a" * 100 + "https://b.com",
        "https://xn--pple-43d.com/%41%20 https://例え.jp/パス",
        'https://x.org/"onmouseover="alert(1) <b>&amp;</b>',
        "ftp://a.org mailto:a@b.c //x.org www.x.org http:/x.org https:x.org",
    ],
)
def test_edge_cases_render_as_markdown_it_renders_them(text: str) -> None:
    assert str(render_abstract(text)) == reference(text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
@example("a+https://x.com")
@example("http\n://x.com")
def test_generated_text_renders_as_markdown_it_renders_it(text: str) -> None:
    assert str(render_abstract(text)) == reference(text)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_any_text_renders_as_markdown_it_renders_it(text: str) -> None:
    assert str(render_abstract(text)) == reference(text)


def test_paragraphs_are_cut_at_blank_lines() -> None:
    assert paragraphs("a\nb\n \t \nc\n\n\n") == ["a\nb", "c"]
    assert paragraphs("") == []


def test_a_link_ends_before_a_brace() -> None:
    """LaTeX leftovers in abstracts, `…/ZoomEye{https://…/ZoomEye}`, made one link of the
    whole (a 404 on GitHub) while the page's Code link, cut as ingest cuts URLs, was right."""
    text = "Code: https://github.com/om-ai-lab/ZoomEye{https://github.com/om-ai-lab/ZoomEye}."
    html = str(render_abstract(text))
    assert html == str(markdown().render(text))
    assert [href for href in re.findall(r'href="([^"]*)"', html)] == [
        "https://github.com/om-ai-lab/ZoomEye"
    ] * 2

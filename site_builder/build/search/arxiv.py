"""A paper's arXiv id as search indexes it: one word in a field of its own (`arxiv`), so a
reader who pastes `2401.12345`, `arXiv:2401.12345v2` or the paper's arxiv.org or Hugging
Face address finds the paper. search-engine.js (`arxivQuery`) reads a query's id the same way."""

from __future__ import annotations

from site_builder.core.model import Page

ARXIV = ("arxiv", 10.0)  # the last field, in an index of a site where any paper has an arXiv id


def arxiv_word(page: Page) -> str:
    """The page's arXiv id (render/links_out.py `arxiv_id`: its `arxiv:` field or links, not
    an id its abstract cites) as the word a query of it is read as: unversioned, the slash of an old-style id
    dropped, and its dot joined as the tokenizer joins a compound (`2401.12345` → 240112345,
    `math.AG/0112017` → mathag0112017); "" for a page without one, or whose id is no word
    (an old-style archive longer than MAX_WORD: a typo, which no reader types either)."""
    from site_builder.build.render.links_out import arxiv_id, unversioned  # markdown-it: once needed
    from site_builder.build.search.index import words

    found = arxiv_id(page)
    return (words(unversioned(found).replace("/", "")) or [""])[-1] if found else ""

"""Links out of a paper page: the arXiv id found where a person or a dump put it, and the
links in the order site.yaml asks for."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest
from helpers import default_site, read_dom
from hypothesis import given
from hypothesis import strategies as st

from site_builder.build.pipeline import build_site
from site_builder.build.render.links_out import ARXIV_ID, arxiv_id, links_out
from site_builder.commands.check_content import content_check
from site_builder.core.config import LINKS_OUT
from site_builder.core.model import Page


def page(body: str = "", links: tuple[str, ...] = (), **extra: object) -> Page:
    return Page("p", "Attention Is All You Need", body, links=links, extra=dict(extra))


@pytest.mark.parametrize(
    ("made", "found"),
    [
        (page(links=("https://arxiv.org/abs/1706.03762v5",)), "1706.03762v5"),
        (page(links=("https://arxiv.org/pdf/2312.00001",)), "2312.00001"),
        (page(links=("https://arxiv.org/abs/hep-th/9901001",)), "hep-th/9901001"),
        (page("A page field wins over the text arXiv:1111.22222", arxiv="2501.00001"), "2501.00001"),
        (page("code at https://github.com/x/y"), None),
        (page("An abstract.\n\n## Notes\n\nCompare https://arxiv.org/abs/2101.03961"), None),
        (page("version 2401.01234 of a number is no id"), None),
        (page(arxiv="not an id"), None),
        (page(arxiv="ARXIV: 2401.01234"), "2401.01234"),
        (page(arxiv="https://huggingface.co/papers/2406.06647"), "2406.06647"),
        (page(links=("https://hf.co/papers/2406.06647",)), "2406.06647"),
        (page(links=("https://huggingface.co/papers/2406.066471",)), None),  # no id has 6 digits
        (page(links=("https://huggingface.co/papers?q=2406.06647",)), None),  # a search, not its page
        (page(arxiv="arXİv:2401.01234 (İ: re's IGNORECASE takes it for i)"), "2401.01234"),
    ],
)
def test_the_arxiv_id_is_found_where_it_is_given(made: Page, found: str | None) -> None:
    assert arxiv_id(made) == found


@given(st.lists(st.sampled_from([*"arxivARXIV:/.0123 ", "İ", "ı", "K", "ſ", "org", "abs"])).map("".join))
def test_the_quick_test_never_hides_an_id(text: str) -> None:
    """A link is searched only if it holds "arx" in some case: never one the expression
    would find an id in."""
    match = ARXIV_ID.search(text)
    assert arxiv_id(page(links=(text,))) == (match.group(1) if match else None)


@pytest.mark.parametrize(
    "abstract",
    [
        "We extend the method of arXiv:2301.01234 to long documents.",
        "As in https://arxiv.org/abs/2301.01234, we route tokens.",
        "Preprint arXiv:2301.01234.",
    ],
)
def test_an_id_the_abstract_cites_is_not_the_papers(abstract: str) -> None:
    """A paper listed without an id whose abstract cites another paper got that paper's
    arXiv and PDF links; the address ingest found in the abstract (its `links:`) is the
    cited paper's too. Its links out search arXiv for its title instead."""
    cited = page(abstract, links=tuple(re.findall(r"https://\S+\d", abstract)))
    assert arxiv_id(cited) is None
    assert [link.url for link in links_out(cited, ("arxiv", "arxiv-pdf"), arxiv_id(cited))] == [
        "https://arxiv.org/search/?query=Attention+Is+All+You+Need&searchtype=title"
    ]
    listed = page(abstract, links=("https://arxiv.org/abs/2403.06201", *cited.links))  # its listing's link
    assert arxiv_id(listed) == "2403.06201"


def test_links_follow_the_configured_order() -> None:
    cited = page(arxiv="1706.03762")
    with_id = links_out(cited, LINKS_OUT, arxiv_id(cited))
    assert [link.url for link in with_id] == [
        "https://arxiv.org/abs/1706.03762",
        "https://arxiv.org/pdf/1706.03762",
        "https://huggingface.co/papers/1706.03762",  # with an id, its page there; else a search
        "https://www.semanticscholar.org/search?q=Attention+Is+All+You+Need",
        "https://scholar.google.com/scholar?q=Attention+Is+All+You+Need",
    ]
    without = links_out(page(), ("google-scholar", "arxiv-pdf", "arxiv", "huggingface"), None)
    assert [(link.label, link.url) for link in without] == [  # no id: no PDF, a title search
        # every search said as one (a reader took "Semantic Scholar" for the paper's page there)
        ("Google Scholar search", "https://scholar.google.com/scholar?q=Attention+Is+All+You+Need"),
        ("arXiv search", "https://arxiv.org/search/?query=Attention+Is+All+You+Need&searchtype=title"),
        # said as a search, as arXiv's is: "Hugging Face papers" promised the paper's page
        ("Hugging Face search", "https://huggingface.co/papers?q=Attention+Is+All+You+Need"),
    ]
    assert [link.label for link in links_out(page(), ("semantic-scholar",), None)] == [
        "Semantic Scholar search"
    ]
    assert links_out(page(), (), None) == []


@pytest.mark.parametrize("field", ["arXiv:1706.03762", "https://arxiv.org/abs/1706.03762v5", " 1706.03762 "])
def test_an_arxiv_field_written_as_arxiv_prints_it_is_read(field: str) -> None:
    """`arxiv: 'arXiv:2406.06647'` was dropped without a word: no id, no BibTeX, a title search."""
    found = arxiv_id(page(arxiv=field))
    assert found is not None and found.startswith("1706.03762")


def test_a_hugging_face_address_gives_the_paper_and_an_arxiv_field_read_as_no_id_is_said(
    tmp_path: Path,
) -> None:
    """A reader of Hugging Face's daily papers gave a page the paper's address there
    (`arxiv: 'https://huggingface.co/papers/2406.06647'`): it was dropped in silence, as was any
    `arxiv:` text with no id in it. The page linked an arXiv title search, with no PDF, no
    BibTeX and no enclosure in the feed. Hugging Face's address now gives the id (its page is
    at it), and text that names none is a warning at its line."""
    papers = default_site(tmp_path)
    for slug, field in (("hf", "https://huggingface.co/papers/2406.06647"), ("typo", "see the HF page")):
        (papers / f"{slug}.md").write_text(
            f"---\ntitle: Paper {slug}\nslug: {slug}\ntags: [inference]\narxiv: '{field}'\n"
            "sources:\n- {file: a.txt, line: 1, listed: 2025-03-02}\n---\nAn abstract.\n",
            encoding="utf-8",
        )
    report = build_site(tmp_path, out=tmp_path / "_site", base_url="https://u.github.io/r/")
    links = [
        a.attrs["href"]
        for a in read_dom(tmp_path / "_site" / "papers" / "hf.html").find_all("a", class_="link-out")
    ]
    assert links[:3] == [
        "https://arxiv.org/abs/2406.06647",
        "https://arxiv.org/pdf/2406.06647",
        "https://huggingface.co/papers/2406.06647",
    ]
    feed = feedparser.parse((tmp_path / "_site" / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith("/hf.html"))
    assert [link.href for link in entry.links if link.rel == "enclosure"] == [
        "https://arxiv.org/pdf/2406.06647"
    ]
    said = [
        "content/papers/typo.md:5: warning: 'arxiv': 'see the HF page' names no arXiv id, so the page "
        "links an arXiv title search (no PDF, no BibTeX): write the id in quotes, such as '2401.01234', "
        "or the paper's arXiv or Hugging Face address"
    ]
    assert [w.format() for w in report.warnings if "'arxiv'" in w.message] == said
    # `check` says it too (it said "site OK"): a CI log shows check's lines, not the build's.
    assert [p.format() for p in content_check(tmp_path).problems if "'arxiv'" in p.message] == said

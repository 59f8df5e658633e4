"""Citations: the paper first when its arXiv id is known, and BibTeX a citation manager reads."""

from __future__ import annotations

from dataclasses import replace

from site_builder.build.render.citation import (
    arxiv_year,
    bibtex,
    bibtex_name,
    citation,
    latex_text,
    scholarly_article,
)
from site_builder.build.render.tex_text import math_commands, tex_text
from site_builder.core.config import SiteConfig
from site_builder.core.model import Page, Source

CONFIG = SiteConfig(title="T", description="", base_url="https://example.org/x/", year=2025)
PAGE = Page("a-paper", "Attention Is All You Need", "Text.", (), (), (Source("a.txt", 3, "2025-03-12"),))


def test_a_citation_names_the_paper_before_the_listing() -> None:
    assert citation(CONFIG, PAGE, None) == (
        "Attention Is All You Need. Listed Mar 12, 2025. https://example.org/x/papers/a-paper.html"
    )
    assert citation(CONFIG, PAGE, "1706.03762v5") == (
        "Attention Is All You Need. arXiv:1706.03762v5, https://arxiv.org/abs/1706.03762v5. "
        "Listed Mar 12, 2025. https://example.org/x/papers/a-paper.html"
    )


def test_bibtex_escapes_what_latex_would_read_as_commands() -> None:
    page = Page("p", r"50% of {LLMs} & $costs_#1 ~ x^2 \ y", "", (), (), ())
    entry = bibtex(page, "2401.01234v2")
    assert entry == (
        "@misc{arxiv-2401.01234,\n"
        r"  title = {{50\% of \{LLMs\} \& \$costs\_\#1 \textasciitilde{} x\textasciicircum{}2 \textbackslash{} y}},"
        "\n  year = {2024},\n  eprint = {2401.01234},\n  archivePrefix = {arXiv},\n"
        "  url = {https://arxiv.org/abs/2401.01234}\n}"
    )
    assert bibtex(page, None) is None  # no id: nothing a manager could complete
    assert latex_text("Café — naïve") == "Café — naïve"  # UTF-8 passes: biber and modern LaTeX read it


def test_bibtex_writes_a_formula_the_title_shows_as_latex_again() -> None:
    """The page shows `$\\alpha$-Entmax` as `α-Entmax`; the copied BibTeX held the α, and
    pdflatex stopped: "Unicode character α (U+03B1) not set up for use with LaTeX"."""
    title = tex_text(r"Scaling $\alpha$-Entmax to $O(n^2)$ with $x_0 \in \mathbb{R}^d$, $\leq 5$")
    entry = bibtex(Page("p", title, "", (), (), ()), "2401.01234")
    assert entry is not None and entry.isascii()
    assert (
        r"title = {{Scaling \ensuremath{\alpha}-Entmax to O(n\textsuperscript{2}) with x\textsubscript{0} "
        r"\ensuremath{\in} R\textsuperscript{d}, \ensuremath{\leq} 5}}" in entry
    )
    # Every character a formula becomes on the page is written back as ASCII LaTeX.
    shown = "".join(math_commands())
    assert len(shown) > 100 and latex_text(shown).isascii()
    assert "omicron" not in latex_text(shown)  # LaTeX has no \omicron


def test_the_year_comes_from_the_id_in_either_style() -> None:
    assert arxiv_year("2401.01234") == 2024
    assert arxiv_year("0704.0001") == 2007
    assert arxiv_year("cs/0112017") == 2001
    assert arxiv_year("hep-th/9901001") == 1999
    assert arxiv_year("math.GT/0309136") == 2003
    old = bibtex(Page("p", "T", "", (), (), ()), "hep-th/9901001")
    assert old is not None and old.startswith("@misc{arxiv-hep-th-9901001,") and "year = {1999}" in old


def test_a_site_without_its_address_cites_no_address() -> None:
    """A reader of a copy built with the placeholder `base_url` (a `make site` read from disk)
    copied a citation pointing at https://example.org/papers/…."""
    page = Page("p", "A Paper", "", (), (), (Source("a.txt", 1, "2025-03-12"),))
    placeholder = SiteConfig(title="T", description="", year=2025)
    assert citation(placeholder, page, None) == "A Paper. Listed Mar 12, 2025."
    assert citation(CONFIG, page, None) == "A Paper. Listed Mar 12, 2025. https://example.org/x/papers/p.html"


def test_a_title_ending_in_another_script_s_question_mark_gets_no_full_stop() -> None:
    page = Page("p", "大模型能否理解中文成语？", "", (), (), (Source("a.txt", 3, "2025-03-12"),))
    assert citation(CONFIG, page, None).startswith("大模型能否理解中文成语？ Listed Mar 12, 2025.")


def test_a_paper_with_authors_is_cited_with_them_and_its_bibtex_names_them() -> None:
    named = replace(PAGE, authors=("Ashish Vaswani", "Noam Shazeer", "Niki Parmar"))
    assert citation(CONFIG, named, None).startswith(
        "Ashish Vaswani, Noam Shazeer, and Niki Parmar. Attention Is All You Need. Listed Mar 12, 2025."
    )
    assert citation(CONFIG, replace(PAGE, authors=("A. Jr.",)), None).startswith("A. Jr. Attention")
    assert citation(CONFIG, replace(PAGE, authors=("A", "B")), None).startswith("A and B. Attention")
    many = replace(PAGE, authors=tuple(f"Author {n}" for n in range(1, 31)))
    ten = ", ".join(f"Author {n}" for n in range(1, 11))
    assert citation(CONFIG, many, None).startswith(f"{ten}, et al. Attention")  # the first ten, exactly
    entry = bibtex(replace(named, authors=("Ashish Vaswani", "Noam Shazeer", "R&D Team_1")), "1706.03762")
    assert entry is not None
    authors = "  author = {Ashish Vaswani and Noam Shazeer and R\\&D Team\\_1},\n"
    assert "  title = {{Attention Is All You Need}},\n" + authors in entry
    assert "author" not in (bibtex(PAGE, "1706.03762") or "")


def test_bibtex_keeps_whole_the_names_it_would_split_or_read_as_a_surname() -> None:
    names = ("Johnson and Johnson", "Smith, Jr.", "Qwen Team", "The ATLAS Collaboration", "Meta AI")
    people = ("Ada Lovelace", "Qingyao Ai", "Alexandra Andersen", "Sandy Grouper")
    entry = bibtex(replace(PAGE, authors=names + people), "1706.03762")
    assert entry is not None
    braced = " and ".join("{" + name + "}" for name in names)
    assert (
        f"  author = {{{braced} and Ada Lovelace and Qingyao Ai and Alexandra Andersen and Sandy Grouper}},\n"
        in entry
    )
    assert bibtex_name("R&D Team") == "{R\\&D Team}"  # escaped inside the braces


def test_the_schema_org_data_names_each_author_as_a_person() -> None:
    named = replace(PAGE, authors=("Ashish Vaswani", "Noam Shazeer"))
    assert scholarly_article(CONFIG, named, None, "", [])["author"] == [
        {"@type": "Person", "name": "Ashish Vaswani"},
        {"@type": "Person", "name": "Noam Shazeer"},
    ]
    assert "author" not in scholarly_article(CONFIG, PAGE, None, "", [])

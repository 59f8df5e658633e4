"""LaTeX left in arXiv abstracts is shown as text (build/render/tex_text.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import parse
from test_render import CONFIG, TAGS, renderer

from site_builder.build.feeds import atom_feed
from site_builder.build.pipeline import build_site
from site_builder.build.render.tex_text import tex_text
from site_builder.build.render.views import PaperView
from site_builder.core.model import Page, Source

TEMPLATE = Path(__file__).parent.parent / "site_builder" / "site_template"


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("in 95\\%ile latency, by 33.5\\%", "in 95%ile latency, by 33.5%"),
        ("R\\&D on a\\_b with \\#1 and \\$5", "R&D on a_b with #1 and $5"),
        ("e.g.\\ relying on GPT-4", "e.g. relying on GPT-4"),
        ("up to 2.4\\times speedup, \\sim 3 points, \\leq 1", "up to 2.4× speedup, ~ 3 points, ≤ 1"),
        ("na\\\"ively, Poincar\\'{e}, se\\~nor", "naïvely, Poincaré, señor"),
        ("Code: \\url{https://github.com/a/b}.", "Code: https://github.com/a/b."),
        ("Working.\\url{https://github.com/a/b}", "Working. https://github.com/a/b"),
        (
            "problems.\\footnote{The code is at \\url{https://x.org}}",
            "problems. (The code is at https://x.org)",
        ),
        (
            "plans.\\footnote{The code is at https://x.org/a.git.\n",
            "plans. (The code is at https://x.org/a.git.)",
        ),
        ("a \\textit{new} and \\textbf{bold} \\emph{idea}", "a new and bold idea"),
        ("(\\eg text prompts, \\ie words)", "(e.g. text prompts, i.e. words)"),
        # An author's own command is not guessed; other backslashes are text.
        ("\\prjname can fine-tune; \\timestamp; C:\\temp", "\\prjname can fine-tune; \\timestamp; C:\\temp"),
        ("no backslash at all", "no backslash at all"),
        # TeX's quotation marks (a reader's find); a lone pair of backticks is left.
        ("into ``lean'' equivalents and ``fast''", "into \u201clean\u201d equivalents and \u201cfast\u201d"),
        ("a ``` fence and it''s", "a ``` fence and it''s"),
        (
            "``don't panic'' and ``models' outputs''",
            "\u201cdon't panic\u201d and \u201cmodels' outputs\u201d",
        ),
        # A reviewer's paths and addresses, which are not LaTeX, stay as written.
        (
            "C:\\Users\\ge\\tools\\to\\new and D:\\data\\times\\x.csv",
            "C:\\Users\\ge\\tools\\to\\new and D:\\data\\times\\x.csv",
        ),
        ("\\url{http://x.edu/\\~user}", " http://x.edu/\\~user"),
        ("50\\\\% and \\\\times", "50\\\\% and \\\\times"),
        # Formulas in titles and abstracts, as a reviewer's `$\\alpha$-tuning` title showed.
        ("Efficient $\\alpha$-Tuning and $\\Delta$-Rules", "Efficient α-Tuning and Δ-Rules"),
        ("in $O(n^2)$ time, top-$k$ and $n$-gram", "in O(n²) time, top-k and n-gram"),
        ("$\\pi_0$: a policy with an $\\ell_1$ loss, $\\times$3", "π₀: a policy with an ℓ₁ loss, ×3"),
        ("a $\\mathcal{O}(n)$ bound; $x + y = z$", "a O(n) bound; x + y = z"),
        # A number before the formula, arXiv's commonest speed-up; complexities and domains
        # (a reviewer saw `2$×$` in descriptions and feeds).
        (
            "achieves 2$\\times$ speedup and 3.5$\\times$ less memory",
            "achieves 2× speedup and 3.5× less memory",
        ),
        ("in $O(n \\log n)$ time for $x_i \\in R^d$", "in O(n log n) time for xᵢ ∈ Rᵈ"),
        ("$O(N\\log N)$, $\\log(n)$, $x\\in S$, $\\sum_i x_i$", "O(N log N), log(n), x ∈ S, ∑ᵢ xᵢ"),
        # A feed reader's view (a reviewer): a symbol and a number are a formula, not prose
        # between prices; blackboard sets, letter scripts, no space after a bracket.
        ("at most $\\leq 5$ steps", "at most ≤ 5 steps"),
        ("$\\mathbf{x} \\in \\mathbb{R}^d$", "x ∈ ℝᵈ"),
        ("$x_i^2$, $x_{t}$, $2^{-1}$", "xᵢ², xₜ, 2⁻¹"),
        ("$\\mathcal{O}(\\log n)$", "O(log n)"),
        ("$p_theta$, $W_q$", "p_theta, W_q"),  # no such script character, or not one letter
        # Prices are not formulas; a path's `\\pi_x` is not a letter. Nor is a path's `\\log2`
        # a function, and a number before a `$` is a price but before `$\\times$` (a reviewer).
        ("between $10 and $20, US$5 or $6", "between $10 and $20, US$5 or $6"),
        ("between 5$ and 10$ a month", "between 5$ and 10$ a month"),
        (
            "costs 5$-10$ an hour, 1$/2$, between $5 (small) and 10$",
            "costs 5$-10$ an hour, 1$/2$, between $5 (small) and 10$",
        ),
        (
            "C:\\runs\\exp1\\out.csv and D:\\work\\log2\\a.txt",
            "C:\\runs\\exp1\\out.csv and D:\\work\\log2\\a.txt",
        ),
        ("C:\\data\\pi_x", "C:\\data\\pi_x"),
        # A Greek letter before a bracket, how bounds and activations are written (an
        # offline reader saw `$\\Omega(n^2)$` raw); outside a formula it may be a path's.
        ("needs $\\Omega(n^2)$ time", "needs Ω(n²) time"),
        ("$\\Theta(n \\log n)$, $\\sigma(x)$ and $\\phi(x)$", "Θ(n log n), σ(x) and φ(x)"),
        ("C:\\data\\alpha(1).csv", "C:\\data\\alpha(1).csv"),
        # Escapes, sets, roots and fractions inside a formula (a reviewer saw `$90%$`,
        # `${a, b}$` and `$\\frac{1}{\\sqrt{d}}$` on a paper page, half made text).
        ("reach $90\\%$ and $\\geq 90\\%$ of $\\{a, b\\}$", "reach 90% and ≥ 90% of {a, b}"),
        ("scaled by $\\frac{1}{\\sqrt{d}}$, via $\\sqrt{N}$", "scaled by 1/√d, via √N"),
        ("$\\frac{a+b}{2}$ and $\\sqrt{d_k}$", "(a+b)/2 and √dₖ"),
        ("costs $5 {small} and $6", "costs $5 {small} and $6"),
        # … but a fraction of what stays LaTeX is left as written (a code review).
        (
            "$\\frac{\\partial L}{\\partial x}$ and $\\frac{\\alpha}{2}$",
            "$\\frac{\\partial L}{\\partial x}$ and α/2",
        ),
    ],
)
def test_latex_in_an_abstract_is_shown_as_text(written: str, shown: str) -> None:
    assert tex_text(written) == shown


PAGE = Page(
    "a-serving-paper",
    "A Serving Paper",
    "We cut 95\\%ile latency by 33.5\\% with a 2.4\\times speedup.",
    ("agents",),
    (),
    (Source("000.txt", 7, "2025-03-12"),),
)


def test_a_paper_page_its_description_and_its_feed_entry_show_the_text() -> None:
    """A reviewer found "95\\%ile" and "33.5\\%" verbatim on 12 of the 365 bundled pages."""
    dom = parse(renderer().paper(PaperView(PAGE)))
    shown = dom.find("div", class_="abstract").text()
    assert "95%ile latency by 33.5% with a 2.4× speedup" in shown and "\\" not in shown
    assert dom.find("meta", name="description").attrs["content"].startswith("We cut 95%ile")
    feed = atom_feed(CONFIG, [PAGE], {t.name: t for t in TAGS})
    assert "33.5% with a 2.4× speedup" in feed and "\\%" not in feed


def test_a_title_with_a_formula_is_shown_as_text_and_the_page_keeps_it(tmp_path: Path) -> None:
    """A reviewer's `$\\alpha$-tuning` title showed its LaTeX in the heading, the tab's title
    and search results, while its abstract's `95\\%` read "95%"."""
    root = tmp_path / "site"
    papers = root / "content" / "papers"
    papers.mkdir(parents=True)
    for name in ("site.yaml", "taxonomy.yaml", "synonyms.yaml"):
        (root / "content" / name).write_bytes((TEMPLATE / name).read_bytes())
    page = papers / "alpha-tuning.md"
    text = (
        "---\ntitle: 'Efficient $\\alpha$-Tuning of LLMs'\ntags: [fine-tuning]\n"
        "sources:\n- {file: a.txt, line: 1, listed: 2025-03-12}\n---\nWe tune 95\\% of it.\n"
    )
    page.write_text(text, encoding="utf-8")
    build_site(root)
    out = root / "_site"
    dom = parse((out / "papers" / "alpha-tuning.html").read_text(encoding="utf-8"))
    assert dom.find("h1").text() == "Efficient α-Tuning of LLMs"
    assert dom.find("title").text().startswith("Efficient α-Tuning of LLMs")
    assert "Efficient α-Tuning of LLMs" in (out / "index.html").read_text(encoding="utf-8")
    assert "Efficient α-Tuning of LLMs" in (out / "feed.xml").read_text(encoding="utf-8")
    search = "".join(p.read_text(encoding="utf-8") for p in (out / "assets" / "search").glob("*.js"))
    assert "Efficient α-Tuning of LLMs" in search and "\\\\alpha" not in search
    assert page.read_text(encoding="utf-8") == text  # the page keeps what was pasted

"""Listings pasted from elsewhere than a daily-papers page: arXiv's listing pages and its
e-mail digest (records of labelled lines), read as such; other formats named."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.commands.init import init_site
from site_builder.ingest.dumps.arxiv import author_names
from site_builder.ingest.dumps.sources import DumpResult, parse_dump
from tests.ingest_helpers import DATA, run_cli

PASTED = DATA / "pasted"
TRACKED = "Are You Being Tracked? Discover the Power of Zero-Shot Trajectory Tracing with LLMs!"
ISLAND = (
    "No Language is an Island: Unifying Chinese and English in Financial Large Language Models, "
    "Instruction Data, and Benchmarks"
)
GEMINI = "Gemini 1.5: Unlocking multimodal understanding across millions of tokens of context"


def parsed(name: str) -> DumpResult:
    return parse_dump((PASTED / name).read_bytes(), name, name)


def messages(result: DumpResult) -> list[str]:
    return [f"{p.path}:{p.line}: {p.message}" for p in result.problems]


@pytest.mark.parametrize("name", ["arxiv-new.txt", "arxiv-new-2023.txt"])
def test_an_arxiv_listing_page_gives_its_papers_without_its_labels(name: str) -> None:
    """`/list/cs.CL/new` as a browser copies it, this year's layout and the one before: the
    new submissions and cross-lists with their abstracts, under the page's date; the
    replacement, without an abstract, named. Read by shape, its labels made 14 pages
    (`Subjects: …` over an abstract, `Cornell University`, `Title: Mistral 7B`)."""
    result = parsed(name)
    titles = [e.title for e in result.entries]
    assert titles == [TRACKED, ISLAND, GEMINI] if name == "arxiv-new.txt" else [TRACKED, GEMINI]
    assert {e.source.listed for e in result.entries} == {"2024-03-12"}
    for entry in result.entries:
        assert entry.abstract.startswith(("There is a burgeoning", "While the progression", "In this report"))
        assert not any(label in entry.abstract for label in ("Authors:", "Subjects:", "arXiv:", "Total of"))
    assert result.entries[0].links == ("https://arxiv.org/abs/2403.06201",)
    assert result.entries[-1].links == ("https://arxiv.org/abs/2403.05530",)
    assert messages(result) == [
        f"{name}:36: 1 arXiv entry without an abstract (the first: arXiv:2310.06825), a replacement "
        "or a listing of titles only (/pastweek, /recent): a page needs the abstract, which the /new "
        "listing and the e-mail digest carry; skipped"
    ]


def test_the_arxiv_email_digest_gives_its_papers_whole_under_the_mailings_day() -> None:
    """The digest's records: titles and abstracts wrapped at 80 columns, joined; authors,
    categories, licence, `\\\\ ( https://arxiv.org/abs/…, 1245kb)` left out, the id kept as
    the page's link. Read by shape, it made 21 pages of its wrapped lines."""
    result = parsed("arxiv-digest.txt")
    assert [(e.title, e.source.line, e.source.listed) for e in result.entries] == [
        (TRACKED, 17, "2024-03-11"),  # `… to Mon 11 Mar 24 18:00:00 GMT`
        (ISLAND, 37, "2024-03-11"),
        (GEMINI, 57, "2024-03-11"),
    ]
    assert result.entries[1].abstract == (
        "While the progression of Large Language Models (LLMs) has notably propelled financial analysis, "
        "their application has largely been confined to singular language realms, leaving untapped the "
        "potential of bilingual Chinese-English capacity. To bridge this chasm, we introduce ICE-PIXIU, "
        "seamlessly amalgamating the ICE-INTENT model and ICE-FLARE benchmark for bilingual financial analysis."
    )
    assert [e.links for e in result.entries] == [
        ("https://arxiv.org/abs/2403.06201",),
        ("https://arxiv.org/abs/2403.06249",),
        ("https://arxiv.org/abs/2403.05530",),
    ]
    assert [p.line for p in result.problems] == [69]  # the replacement, without its abstract


def test_a_digests_records_pasted_without_its_header_are_dated_each_by_its_own_date() -> None:
    text = (PASTED / "arxiv-digest.txt").read_text().split("\n")
    result = parse_dump("\n".join(text[12:52]).encode(), "d.txt", "d.txt")
    assert [(e.title, e.source.listed) for e in result.entries] == [
        (TRACKED, "2024-03-10"),  # `Date: Sun, 10 Mar 2024 14:21:02 GMT (1245kb,D)`
        (ISLAND, "2024-03-11"),
    ]


def test_an_arxiv_listing_of_titles_only_makes_no_page_and_says_why() -> None:
    """`/list/cs.LG/pastweek` lists no abstracts: its label lines made 6 papers."""
    result = parsed("arxiv-pastweek.txt")
    assert result.entries == []
    assert [(p.line, p.message.split(" (")[0]) for p in result.problems] == [
        (9, "3 arXiv entries without an abstract")
    ]


def test_an_arxiv_paper_page_links_to_its_abstract_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The id a listing gave is the page's link: the arXiv link out goes to the paper, not to
    a title search, and the PDF link is there."""
    root = tmp_path / "site"
    init_site(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1710400000")
    (root / "content" / "sources" / "2024-03-12.txt").write_bytes((PASTED / "arxiv-new.txt").read_bytes())
    code, _, _ = run_cli(capsys, "--root", str(root), "ingest")
    assert code == 0
    page = next((root / "content" / "papers").glob("are-you-being-tracked-*.md")).read_text()
    assert "links:\n- https://arxiv.org/abs/2403.06201\n" in page
    assert "\nThere is a burgeoning discussion" in page


@pytest.mark.parametrize(
    ("name", "line", "what"),
    [
        ("bibtex.txt", 1, "a BibTeX export"),
        ("reading-list.txt", 5, "a list of links (`- [Title](https://…)`) with no abstracts"),
        ("scholar-alert.txt", 1, "a Google Scholar alert: its snippets are cut short"),
        ("semantic-scholar.txt", 2, "a Semantic Scholar feed"),
        ("openreview.txt", 16, "an OpenReview venue page"),
        ("papers-with-code.txt", 16, "a Papers with Code list"),
    ],
)
def test_a_paste_that_is_no_listing_is_named_and_makes_no_page(name: str, line: int, what: str) -> None:
    """Read by shape, each made pages of its fields and buttons (`@misc{yang_are_2024,`,
    `Save Twitter LinkedIn Facebook`, `Readers: Everyone`) and cut the papers it held."""
    result = parsed(name)
    assert (result.entries, result.readable) == ([], False)
    (problem,) = result.problems
    assert (problem.line, problem.severity) == (line, "error")
    assert problem.message.startswith(what)
    assert problem.message.endswith(
        "paste a listing of each paper's title and abstract instead (a daily-papers page, arXiv's "
        "/new list or its e-mail digest); the file is skipped"
    )


def test_an_alphaxiv_list_gives_its_papers_and_no_page_of_its_tabs_or_categories() -> None:
    """`Communities` over `Trending`, `Carnegie Mellon University` over `cs.CL` were papers."""
    result = parsed("alphaxiv.txt")
    assert [(e.title, e.source.listed) for e in result.entries] == [
        (TRACKED, "2024-03-12"),
        (ISLAND, "2024-03-11"),
    ]


def test_a_listing_that_quotes_a_citation_after_its_papers_is_still_read() -> None:
    """What a paste is shows in its first lines: a daily listing with a BibTeX entry pasted
    after its papers keeps its papers (the citation's lines are warned of), not refused
    whole as a BibTeX export."""
    papers = "".join(
        f"A Method Number {i} for Things\nWe propose method {i}, which does things well.\n" for i in range(40)
    )
    bibtex = "@misc{yang_are_2024,\n title = {Are You Being Tracked?},\n author = {Yang, Huanqi},\n}\n"
    result = parse_dump(f"Mar 12\n{papers}{bibtex}".encode(), "d.txt", "d.txt")
    assert len(result.entries) >= 40 and result.readable
    assert not any(p.severity == "error" for p in result.problems)


@pytest.mark.parametrize("name", ["arxiv-new.txt", "arxiv-new-2023.txt", "arxiv-digest.txt"])
def test_a_line_lost_or_pasted_twice_in_an_arxiv_listing_costs_at_most_its_own_paper(name: str) -> None:
    """As in any dump: a lost id line had the record before it read the next paper's
    `Title:` and labels into its abstract (two papers wrong), a `Subjects:` line pasted twice
    made a page of the replacement without an abstract, and a lost `Total of 4 entries`
    made the footer's first line its abstract."""
    text = (PASTED / name).read_text(encoding="utf-8")
    whole = {e.title: e.abstract for e in parse_dump(text.encode(), name, name).entries}
    lines = text.split("\n")
    for i in range(len(lines)):
        for mutated in (lines[:i] + lines[i + 1 :], lines[: i + 1] + lines[i:]):
            got = {e.title: e.abstract for e in parse_dump("\n".join(mutated).encode(), name, name).entries}
            spoilt = [t for t in whole if got.get(t) != whole[t]]
            invented = [t for t in got if t not in whole]
            # a digest's title line changed is that paper retitled: one spoilt, one new
            assert len(spoilt) <= 1 and len(invented) <= len(spoilt), (i + 1, lines[i], spoilt, invented)


def test_a_digest_title_wrapped_before_a_word_with_a_colon_is_read_whole() -> None:
    """The digest wraps a title at 80 columns; a continuation line `  Benchmarks: …` is the
    title's, not a label (only arXiv's own labels are): the page was titled `… via`."""
    text = (PASTED / "arxiv-digest.txt").read_text(encoding="utf-8")
    was = f"Title: {ISLAND[:67]}\n  {ISLAND[68:]}"
    assert was in text
    wrapped = (
        "Title: Unifying Chinese and English in Financial Large Language Models via\n  Benchmarks: An Island"
    )
    result = parse_dump(text.replace(was, wrapped).encode(), "d.txt", "d.txt")
    assert "Unifying Chinese and English in Financial Large Language Models via Benchmarks: An Island" in [
        e.title for e in result.entries
    ]


def test_an_arxiv_abstract_with_a_short_paragraph_keeps_its_paper_and_its_paragraphs() -> None:
    """An abstract's paragraphs are lines of their own on the /new page; a short one (`Code:
    https://…` last, a short first) is not the page's footer: the paper was skipped as having
    no abstract, or lost its last paragraph."""
    text = (PASTED / "arxiv-new.txt").read_text(encoding="utf-8")
    text = text.replace("There is a burgeoning", "We study tracking.\nThere is a burgeoning")
    text = text.replace("modeling.\n", "modeling.\nCode: https://github.com/x/ice\n")
    abstracts = {e.title: e.abstract for e in parse_dump(text.encode(), "n.txt", "n.txt").entries}
    assert abstracts[TRACKED].startswith("We study tracking. There is a burgeoning")
    assert abstracts[ISLAND].endswith("modeling. Code: https://github.com/x/ice")


def test_a_listing_whose_abstract_names_semantic_scholar_and_the_allen_institute_is_read() -> None:
    """Only Semantic Scholar's footer (`Semantic Scholar · Allen Institute for AI · …`) tells
    its feed: a daily listing with a paper about it was refused whole as such a feed."""
    text = (
        "Mar 12\n\nThe Semantic Scholar Open Data Platform\n\nWe describe the Semantic Scholar "
        "Open Data Platform, built by the Allen Institute for AI, and its APIs.\n"
    )
    result = parse_dump(text.encode(), "d.txt", "d.txt")
    assert [e.title for e in result.entries] == ["The Semantic Scholar Open Data Platform"]
    assert not any(p.severity == "error" for p in result.problems)


def test_a_listing_whose_titles_name_google_scholar_alerts_is_read() -> None:
    """Only an alert's own lines tell it (its sender, its bracketed subject, its button row):
    a daily listing with a paper titled `Google Scholar Alerts …` was refused whole as an
    alert, every paper of it lost."""
    text = (
        "Mar 12\n\nGoogle Scholar Alerts Miss Half of New Papers\n\nWe measure how many new "
        "papers reach researchers through alerts. Half never arrive; a retriever fixes it.\n\n"
        "Scholar Alert: Tracking Citations with Language Models\n\nWe track citations with "
        "language models. Recall doubles on three benchmarks.\n"
    )
    result = parse_dump(text.encode(), "d.txt", "d.txt")
    assert [e.title for e in result.entries] == [
        "Google Scholar Alerts Miss Half of New Papers",
        "Scholar Alert: Tracking Citations with Language Models",
    ]
    assert not any(p.severity == "error" for p in result.problems)


@pytest.mark.parametrize("name", ["arxiv-new.txt", "arxiv-new-2023.txt", "arxiv-digest.txt"])
def test_an_arxiv_listing_gives_each_paper_its_authors(name: str) -> None:
    """`Authors:` of the /new page (either layout) and of the digest, whose line wraps at 80
    columns (`Benyou\\n  Wang`): the names in order, one each."""
    by_title = {e.title: e.authors for e in parsed(name).entries}
    assert by_title[TRACKED] == ("Huanqi Yang", "Sijie Ji", "Rucheng Wu", "Weitao Xu")
    assert by_title[GEMINI] == ("Gemini Team Google",)
    if ISLAND in by_title:
        assert by_title[ISLAND][4:7] == ("Alejandro Lopez-Lira", "Benyou Wang", "Sophia Ananiadou")
        assert len(by_title[ISLAND]) == 10


def test_a_digests_authors_lose_their_affiliations_and_the_and_before_the_last() -> None:
    """`Jane Doe (1), John Q. Roe (1 and 2), and Ana … (2) ((1)\\n  Stanford …, (2) MIT),`:
    names, not markers, institutions, `and` or the trailing comma."""
    (entry,) = parsed("arxiv-digest-affiliations.txt").entries
    assert entry.authors == ("Jane Doe", "John Q. Roe", "Ana María López-Vidal")
    assert entry.title == "Affiliations in Author Lists Are Not Authors"


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("A. Smith, B. Jones", ("A. Smith", "B. Jones")),
        ("A. Smith and B. Jones", ("A. Smith", "B. Jones")),
        ("A. Smith, B. Jones, and C. O'Neil", ("A. Smith", "B. Jones", "C. O'Neil")),
        ("A. Smith (Stanford), B. Jones (Google DeepMind)", ("A. Smith", "B. Jones")),
        ("A. Smith; B. Jones & C. Lee,", ("A. Smith", "B. Jones", "C. Lee")),
        ("Anand Rao, Sandra Tan, et al.", ("Anand Rao", "Sandra Tan")),  # `and` inside a word stays
        ("  ", ()),
    ],
)
def test_author_names(line: str, names: tuple[str, ...]) -> None:
    assert author_names(line) == names


def test_an_arxiv_dump_ingested_gives_pages_with_their_authors_and_a_listing_without_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page of an arXiv paper lists its authors (one line, as tags are written); a page
    of a Hugging Face listing, which names none, has no `authors:` line at all."""
    root = tmp_path / "site"
    init_site(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1710400000")
    (root / "content" / "sources" / "2024-03-12.txt").write_bytes((PASTED / "arxiv-new.txt").read_bytes())
    (root / "content" / "sources" / "hf.txt").write_bytes((DATA / "dumps" / "2024-03-13.txt").read_bytes())
    code, _, _ = run_cli(capsys, "--root", str(root), "ingest")
    assert code == 0
    papers = root / "content" / "papers"
    page = next(papers.glob("are-you-being-tracked-*.md")).read_text()
    assert page.startswith(
        f"---\ntitle: {TRACKED}\nauthors: [Huanqi Yang, Sijie Ji, Rucheng Wu, Weitao Xu]\n"
    )
    others = [p.read_text() for p in papers.glob("*.md") if "arxiv.org/abs/" not in p.read_text()]
    assert others and not any("authors" in text for text in others)

"""Paper pages: YAML round-trip, stable slugs, idempotency and hand edits surviving re-ingest."""

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_helpers import make_site, snapshot

from site_builder.core.model import Page, Paper, Source
from site_builder.core.pages.pagefile import read_page
from site_builder.core.pages.pagewrite import page_text
from site_builder.ingest.merge import extract_links, merge, merge_tags
from site_builder.ingest.pipeline import IngestResult, run_ingest
from site_builder.ingest.summary import format_summary

DATA_DUMPS = Path(__file__).parent / "data" / "dumps"
HOSTILE_TITLES = [
    "---",
    "!!python/object/apply:os.system ['echo pwned']",
    "!!python/object:os.system",
    "{{ 7*7 }}",
    "<script>alert(1)</script>",
    "She said \"hi\" and 'bye'",
    "key: value: more",
    "- item",
    "&anchor *alias @at %percent #hash",
    "Emoji 🚀 and RTL עברית العربية",
    "null",
    "yes",
    "1e3",
    "  padded  ",
]


def roundtrip(tmp_path: Path, title: str, body: str) -> Page:
    paper = Paper(title, body, (Source("a.txt", 3, "2024-03-12"),), tags=("x",))
    update = merge(paper, None, "slug")
    path = tmp_path / "slug.md"
    path.write_text(update.text, encoding="utf-8")
    stored, problems = read_page(path, "slug.md")
    assert problems == [] and stored is not None
    return stored.page


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_round_trip_exactly(tmp_path: Path, title: str) -> None:
    page = roundtrip(tmp_path, title, "An abstract.")
    assert page.title == title.strip()
    assert page.sources == (Source("a.txt", 3, "2024-03-12"),)


PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))  # control characters are dropped on reading


@settings(max_examples=200, deadline=None)
@given(
    st.text(PRINTABLE, min_size=1).filter(lambda t: t.strip()),
    st.text(st.one_of(PRINTABLE, st.sampled_from("\n\t"))),
)
def test_any_title_and_abstract_round_trip(
    tmp_path_factory: pytest.TempPathFactory, title: str, body: str
) -> None:
    page = roundtrip(tmp_path_factory.mktemp("rt"), title, body)
    assert page.title == title.strip()
    assert page.body == body.strip("\n")


def test_links_are_extracted_without_trailing_punctuation() -> None:
    text = "Code: https://github.com/a/b. Data at https://huggingface.co/datasets/x/y, see (https://x.io/p)."
    assert extract_links(text) == (
        "https://github.com/a/b",
        "https://huggingface.co/datasets/x/y",
        "https://x.io/p",
    )


def test_a_link_ends_where_characters_no_url_holds_begin() -> None:
    """A LaTeX leftover, `URL{URL}`, gave the page's Code link `…/LaRA{https://…/LaRA`."""
    text = "Code: https://github.com/Alibaba-NLP/LaRA{https://github.com/Alibaba-NLP/LaRA}."
    assert extract_links(text) == ("https://github.com/Alibaba-NLP/LaRA",)
    assert extract_links("see https://x.org/a|b and https://y.org/c^d") == (
        "https://x.org/a",
        "https://y.org/c",
    )


def test_a_link_no_browser_could_follow_is_left_out() -> None:
    """An unclosed IPv6 bracket (`https://[::1`) stopped every build that showed it."""
    text = "See https://[::1 and http://[x]/ but https://github.com/a/b works."
    assert extract_links(text) == ("https://github.com/a/b",)


def test_page_text_is_stable_and_readable() -> None:
    page = Page("a-title", "A: Title", "Body.", ("code",), (), (Source("f.txt", 7, "2024-03-12"),), ())
    assert page_text(page, {"title": "t", "body": "b", "tags": ["code"]}) == (
        "---\n"
        "title: 'A: Title'\n"
        "slug: a-title\n"
        "tags: [code]\n"
        "sources:\n"
        "- {file: f.txt, line: 7, listed: 2024-03-12}\n"
        "generated: {title: t, body: b, tags: [code]}\n"
        "---\n"
        "Body.\n"
    )


def test_second_ingest_changes_no_byte(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    before = snapshot(site / "content" / "papers")
    again = run_ingest(site)
    assert again.changed == []
    assert snapshot(site / "content" / "papers") == before
    assert len(before) == 7


def _page(site: Path, slug: str) -> Path:
    return site / "content" / "papers" / f"{slug}.md"


def test_hand_edits_survive_reingest(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    text = path.read_text(encoding="utf-8")
    assert "tags: [compression]" in text
    edited = (
        text.replace("tags: [compression]", "tags: [compression, reasoning]", 1)
        .replace("generated:", "note: my reading notes\nstars: 5\ngenerated:")
        .replace("Low-bit quantization", "EDITED: Low-bit quantization")
        .replace(
            "title: Rotated 4-bit Quantization for LLMs",
            "title: Rotated 4-bit Quantization for Large Language Models",
        )
    )
    path.write_text(edited, encoding="utf-8")
    run_ingest(site)
    # Everything the person wrote stays; the listing's title becomes an alias (still searchable);
    # the tag they added makes the page a labelled example.
    assert path.read_text(encoding="utf-8") == edited.replace(
        "sources:", "aliases:\n- Rotated 4-bit Quantization for LLMs\nsources:", 1
    ).replace("stars: 5\n", "stars: 5\ntags_confirmed: true\n", 1)
    assert run_ingest(site).changed == []


def test_a_persons_keys_are_written_back_as_they_were_written(tmp_path: Path) -> None:
    """When ingest had to write a page (its abstract changed in the dumps), a reviewer's
    `zip: 01234` became 668, `readtime: 12:30` 750 and `country: NO` false: YAML 1.1 read
    them so, and they were written back from those values."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    mine = (
        "zip: 01234\nreadtime: 12:30\ncountry: NO\nversion: 1.10\n# we met on Monday\n"
        "notes: |\n  Session 3:\n  - slides\n"
    )
    head, rest = path.read_text(encoding="utf-8").split("generated:", 1)
    path.write_text(f"{head}{mine}generated:{rest}", encoding="utf-8")
    dump = site / "content" / "sources" / "2024-03-13.txt"
    dump.write_text(
        dump.read_text(encoding="utf-8").replace("within one point", "within half a point"), encoding="utf-8"
    )
    assert run_ingest(site).changed == [path.name]
    text = path.read_text(encoding="utf-8")
    assert "within half a point" in text and mine in text
    assert run_ingest(site).changed == []


def test_a_persons_tag_order_and_markdown_notes_are_left_alone(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    text = path.read_text(encoding="utf-8")
    edited = text.replace("tags: [compression]", "tags: [reasoning, compression]", 1).rstrip("\n") + (
        "\n\n## Notes\n\nSee [the code](https://example.org/code) and <https://example.org/more>.\n"
    )
    path.write_text(edited, encoding="utf-8")
    run_ingest(site)
    # Not re-sorted, and the notes' links are not copied into `links:`; the added tag makes
    # the page a labelled example.
    assert path.read_text(encoding="utf-8") == edited.replace(
        "generated:", "tags_confirmed: true\ngenerated:", 1
    )
    assert "links:" not in edited


def test_tag_removed_by_hand_stays_removed_and_new_sources_are_added(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    path.write_text(
        path.read_text(encoding="utf-8").replace("tags: [compression]", "tags: [other]", 1), encoding="utf-8"
    )
    # A new dump lists the same paper again.
    dump = site / "content" / "sources" / "2024-03-20.txt"
    abstract = next(
        line
        for line in (site / "content" / "sources" / "2024-03-13.txt").read_text().splitlines()
        if line.startswith("Low-bit")
    )
    dump.write_text(f"Mar 20\n\nRotated 4-bit Quantization for LLMs\n\n{abstract}\n", encoding="utf-8")
    run_ingest(site)
    text = path.read_text(encoding="utf-8")
    assert "tags: [other]" in text
    assert "{file: 2024-03-20.txt, line: 3, listed: 2024-03-20}" in text


def test_retitled_paper_keeps_its_slug(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    (site / "content" / "sources" / "2024-03-13.txt").rename(tmp_path / "later.txt")
    run_ingest(site)
    assert _page(site, "shortcot-learning-to-skip-reasoning-steps").exists()
    (tmp_path / "later.txt").rename(site / "content" / "sources" / "2024-03-13.txt")
    run_ingest(site)
    text = _page(site, "shortcot-learning-to-skip-reasoning-steps").read_text(encoding="utf-8")
    assert "title: 'Skip the Steps: Efficient Chain-of-Thought'" in text
    assert "aliases:\n- 'ShortCoT: Learning to Skip Reasoning Steps'" in text
    assert not _page(site, "skip-the-steps-efficient-chain-of-thought").exists()


def _papers(site: Path) -> list[str]:
    return sorted(p.stem for p in (site / "content" / "papers").glob("*.md"))


def test_a_page_whose_title_a_person_edited_is_found_after_its_dump_is_renamed(tmp_path: Path) -> None:
    """A maintainer edited a title, then renamed the dump (`feb28.txt` to `2028-02-28.txt`)
    before the next ingest: the page was no longer at the paper's dump line nor under its
    title, so ingest made a second page, and the edit stayed on the one the dumps no longer
    updated (a year-long review). What ingest wrote there (`generated:`) names the paper."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    before = _papers(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: Rotated 4-bit", "title: My Rotated 4-bit")
    )
    sources = site / "content" / "sources"
    (sources / "2024-03-13.txt").rename(sources / "mar13.txt")
    run_ingest(site)
    assert _papers(site) == before
    text = path.read_text(encoding="utf-8")
    assert "title: My Rotated 4-bit Quantization for LLMs" in text and "file: mar13.txt" in text


def test_a_paper_listed_again_under_a_new_title_after_its_dump_was_deleted_keeps_its_page(
    tmp_path: Path,
) -> None:
    """Its dump deleted, a paper listed months later under a revised title had a second page
    beside its first: the same abstract is the same paper."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    before = _papers(site)
    sources = site / "content" / "sources"
    abstract = next(
        line for line in (sources / "2024-03-13.txt").read_text().splitlines() if line.startswith("Low-bit")
    )
    (sources / "2024-03-13.txt").unlink()
    run_ingest(site)
    (sources / "2024-06-01.txt").write_text(
        f"Jun 1\n\nRotation Keeps 4-bit LLMs Accurate\n\n{abstract}\n", encoding="utf-8"
    )
    run_ingest(site)
    assert _papers(site) == before
    text = _page(site, "rotated-4-bit-quantization-for-llms").read_text(encoding="utf-8")
    assert "title: Rotation Keeps 4-bit LLMs Accurate" in text and "listed: 2024-06-01" in text


WITHDRAWN = (
    "This paper has been withdrawn by the authors due to an error in the main experiments. "
    "Please do not cite this version; a corrected version will be posted later this year."
)


def test_a_page_is_not_given_to_another_paper_of_the_same_boilerplate_abstract(tmp_path: Path) -> None:
    """A withdrawal notice is many papers' abstract: a paper listed with it took the page of
    another paper of that notice whose dump was deleted, notes and all (a code review)."""
    site = make_site(tmp_path, "dumps")
    sources = site / "content" / "sources"
    (sources / "2024-04-02.txt").write_text(
        f"Apr 2\n\nSpectral Methods for Graph Transformers\n\n{WITHDRAWN}\n", encoding="utf-8"
    )
    run_ingest(site)
    page = _page(site, "spectral-methods-for-graph-transformers")
    page.write_text(page.read_text(encoding="utf-8") + "\n## Notes\n\nMy notes on spectral transformers.\n")
    (sources / "2024-04-02.txt").unlink()
    run_ingest(site)
    (sources / "2024-05-07.txt").write_text(
        f"May 7\n\nDiffusion Policies for Robot Grasping\n\n{WITHDRAWN}\n", encoding="utf-8"
    )
    run_ingest(site)
    text = page.read_text(encoding="utf-8")
    assert "title: Spectral Methods for Graph Transformers" in text and "My notes" in text
    assert _page(site, "diffusion-policies-for-robot-grasping").exists()


def test_a_corrected_listing_day_survives_its_dump_being_renamed(tmp_path: Path) -> None:
    """A person corrected a `listed:` day; renaming the dump to its date (`2024-03-13.txt` to
    `mar13.txt`, or back) put the dump's day back, silently (a year-long review)."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    path.write_text(path.read_text(encoding="utf-8").replace("listed: 2024-03-13", "listed: 2024-03-12"))
    run_ingest(site)
    sources = site / "content" / "sources"
    (sources / "2024-03-13.txt").rename(sources / "mar13.txt")
    run_ingest(site)
    text = path.read_text(encoding="utf-8")
    assert "file: mar13.txt" in text and "listed: 2024-03-12" in text and "2024-03-13" not in text
    other = _page(site, "shortcot-learning-to-skip-reasoning-steps").read_text(encoding="utf-8")
    assert "file: mar13.txt" in other and "listed: 2024-03-13" in other  # no person's date: the dump's
    # A dump deleted and another listing the paper a week on at the same line is no rename:
    # the person's date was lent to the new listing, and the paper left its new day (a code review).
    (sources / "mar13.txt").rename(tmp_path / "mar13.txt")
    (sources / "2024-03-20.txt").write_text((tmp_path / "mar13.txt").read_text().replace("Mar 13", "Mar 20"))
    run_ingest(site)
    text = path.read_text(encoding="utf-8")
    assert "file: 2024-03-20.txt" in text and "listed: 2024-03-20" in text and "2024-03-12" not in text


def test_edited_body_is_kept_when_the_dumps_change_and_the_conflict_is_reported(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    path.write_text(
        path.read_text(encoding="utf-8").replace("Low-bit quantization", "MY NOTE. Low-bit quantization"),
        encoding="utf-8",
    )
    dump = site / "content" / "sources" / "2024-03-13.txt"
    dump.write_text(
        dump.read_text(encoding="utf-8").replace("within one point", "within half a point"), encoding="utf-8"
    )
    result = run_ingest(site)
    assert "MY NOTE." in path.read_text(encoding="utf-8")
    assert [p.format() for p in result.problems if p.path.startswith("content/papers")] == [
        "content/papers/rotated-4-bit-quantization-for-llms.md:1: warning: kept your edited body; the dumps now say something else"
    ]


def test_a_dump_mended_to_say_what_the_person_wrote_is_no_conflict(tmp_path: Path) -> None:
    """A person corrected a page's abstract and added notes; the dump was then mended to the
    same abstract, and ingest warned "the dumps now say something else" (a newcomer's find)."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    edited = path.read_text(encoding="utf-8").replace("within one point", "within half a point")
    path.write_text(edited.rstrip("\n") + "\n\n## Notes\n\nRead on Monday.\n", encoding="utf-8")
    dump = site / "content" / "sources" / "2024-03-13.txt"
    dump.write_text(
        dump.read_text(encoding="utf-8").replace("within one point", "within half a point"), encoding="utf-8"
    )
    result = run_ingest(site)
    assert not [p for p in result.problems if "kept your edited body" in p.message]
    assert "within half a point" in path.read_text(encoding="utf-8") and "Read on Monday." in path.read_text(
        encoding="utf-8"
    )


def _retitled(tmp_path: Path, mine: str) -> tuple[Path, IngestResult]:
    """A site whose page a person retitled `mine`, after which the dumps retitled the paper
    "Rotated Four-bit …": the page and the second ingest's result."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Rotated 4-bit", f"title: {mine}", 1), encoding="utf-8")
    dump = site / "content" / "sources" / "2024-03-13.txt"
    dump.write_text(
        dump.read_text(encoding="utf-8").replace("Rotated 4-bit", "Rotated Four-bit", 1), encoding="utf-8"
    )
    return path, run_ingest(site)


def test_an_edited_title_is_kept_when_the_dumps_retitle_the_paper_and_that_is_said(tmp_path: Path) -> None:
    path, result = _retitled(tmp_path, "My Rotated 4-bit")
    assert "title: My Rotated 4-bit" in path.read_text(encoding="utf-8")
    assert [p.format() for p in result.problems if p.path.startswith("content/papers")] == [
        "content/papers/rotated-4-bit-quantization-for-llms.md:2: warning: kept your edited title; "
        "the dumps now say something else"
    ]


def test_a_dump_retitled_to_the_persons_title_is_no_conflict(tmp_path: Path) -> None:
    path, result = _retitled(tmp_path, "Rotated Four-bit")
    assert not [p for p in result.problems if "kept your edited title" in p.message]
    assert "title: Rotated Four-bit" in path.read_text(encoding="utf-8")


def test_notes_added_under_the_abstract_leave_the_abstract_to_the_dumps(tmp_path: Path) -> None:
    """A reader added `## Notes` under a page's abstract; a later variant of the abstract in
    the dumps was then refused ("kept your edited body"), though nobody edited the abstract."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    notes = "\n\n## Notes\n\nSee [the code](https://example.org/code); we read it on Monday.\n"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + notes, encoding="utf-8")
    dump = site / "content" / "sources" / "2024-03-13.txt"
    dump.write_text(
        dump.read_text(encoding="utf-8").replace("within one point", "within half a point"), encoding="utf-8"
    )
    result = run_ingest(site)
    text = path.read_text(encoding="utf-8")
    assert "within half a point" in text and "within one point" not in text
    assert text.endswith(notes) and "links:" not in text  # the notes as written, their link not copied
    assert not [p for p in result.problems if "kept your edited body" in p.message]
    assert run_ingest(site).changed == []


def test_same_title_papers_get_distinct_slugs(tmp_path: Path) -> None:
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    assert _page(site, "a-benchmark-for-legal-rag").exists()
    assert _page(site, "a-benchmark-for-legal-rag-2").exists()


def test_links_follow_the_dumps_and_a_persons_links_stay(tmp_path: Path) -> None:
    source = (Source("a.txt", 3, "2024-03-12"),)
    with_link = Paper("T", "Code at https://github.com/a/b.", source, tags=("x",))
    path = tmp_path / "t.md"
    path.write_text(merge(with_link, None, "t").text, encoding="utf-8")
    stored, _ = read_page(path, "t.md")
    assert stored is not None and stored.page.links == ("https://github.com/a/b",)
    # A person lists a link of their own; then the dump that had the code link goes away.
    path.write_text(path.read_text().replace("links:\n", "links:\n- https://my.example/slides\n"))
    stored, _ = read_page(path, "t.md")
    assert stored is not None
    without = Paper("T", "Code at the authors' page.", source, tags=("x",))
    path.write_text(merge(without, stored, "t").text, encoding="utf-8")
    stored, _ = read_page(path, "t.md")
    assert stored is not None and stored.page.links == ("https://my.example/slides",)


def test_a_link_an_earlier_version_cut_differently_follows_the_dumps(tmp_path: Path) -> None:
    """An earlier extractor kept `…/LaRA{https://…` whole; on an upgraded site it was taken
    for a person's link and stayed beside the right one."""
    source = (Source("a.txt", 3, "2024-03-12"),)
    abstract = "Code: https://github.com/x/LaRA{https://github.com/x/LaRA}."
    paper = Paper("T", abstract, source, tags=("x",))
    path = tmp_path / "t.md"
    written = merge(paper, None, "t").text
    assert "- https://github.com/x/LaRA\n" in written
    path.write_text(
        written.replace(
            "- https://github.com/x/LaRA\n", "- https://github.com/x/LaRA{https://github.com/x/LaRA\n"
        ).replace("links:\n", "links:\n- https://my.example/slides\n"),
        encoding="utf-8",
    )
    stored, _ = read_page(path, "t.md")
    assert stored is not None
    mine = "- https://github.com/x/LaRA\n- https://my.example/slides\n"  # the dumps' links, then a person's
    assert merge(paper, stored, "t").text == written.replace("- https://github.com/x/LaRA\n", mine)


def test_an_entry_inserted_above_others_leaves_every_page_on_its_own_paper(tmp_path: Path) -> None:
    """Later entries shift onto other pages' dump lines: pages (and a person's edit) stay put."""
    site = make_site(tmp_path, "dumps")
    sources = site / "content" / "sources"
    entries = [
        ("Sparse Attention for Long Context Models", "We propose a sparse attention method for long inputs."),
        ("Agents That Use Tools Reliably", "We study tool use by language model agents in web tasks."),
        ("Diffusion Models for Protein Design", "We design proteins with a diffusion model over structures."),
    ]
    inserted = ("Quantized Inference on Edge Devices", "We run four-bit quantized models on phones at speed.")

    def dump(papers: list[tuple[str, str]]) -> str:
        return "Mar 12\n\n" + "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers)

    for old in sources.iterdir():
        old.unlink()
    (sources / "a.txt").write_text(dump(entries), encoding="utf-8")
    run_ingest(site)
    agents = _page(site, "agents-that-use-tools-reliably")
    agents.write_text(agents.read_text(encoding="utf-8").replace("We study", "MY EDIT. We study"))
    (sources / "a.txt").write_text(dump([inserted, *entries]), encoding="utf-8")
    run_ingest(site)
    for title, _ in [*entries, inserted]:
        slug = title.lower().replace(" ", "-")
        assert f"title: {title}\n" in _page(site, slug).read_text(encoding="utf-8"), slug
    assert "MY EDIT. We study tool use" in agents.read_text(encoding="utf-8")
    assert len(list((site / "content" / "papers").glob("*.md"))) == 4


def test_a_hand_written_page_for_a_listed_paper_keeps_its_text_and_is_no_labelled_example(
    tmp_path: Path,
) -> None:
    """A reviewer's hand page got `tags: []`, then `tags_confirmed: true`: a labelled example
    of "no tag" nobody gave."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    papers = site / "content" / "papers"
    listed = _page(site, "rotated-4-bit-quantization-for-llms")
    title = next(
        line for line in listed.read_text(encoding="utf-8").splitlines() if line.startswith("title:")
    )
    listed.unlink()
    mine = papers / "my-notes.md"
    mine.write_text(f"---\n{title}\n---\nMy own review.\n", encoding="utf-8")
    run_ingest(site)
    run_ingest(site)
    text = mine.read_text(encoding="utf-8")
    assert "My own review." in text and "tags_confirmed" not in text
    assert "tags: [compression]" in text
    assert not listed.exists()


def test_a_hand_written_page_with_its_own_tags_settles_in_one_ingest(tmp_path: Path) -> None:
    """A reader's hand page (`tags: [reasoning]`) for a listed paper got its sources on one
    ingest and `tags_confirmed: true` on the next, so `ingest --check` failed right after an
    ingest (and CI committed the page twice)."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    listed = _page(site, "rotated-4-bit-quantization-for-llms")
    title = next(
        line for line in listed.read_text(encoding="utf-8").splitlines() if line.startswith("title:")
    )
    listed.unlink()
    mine = site / "content" / "papers" / "my-notes.md"
    mine.write_text(f"---\n{title}\ntags: [reasoning]\n---\nMy own review.\n", encoding="utf-8")
    assert run_ingest(site).changed == ["my-notes.md"]
    text = mine.read_text(encoding="utf-8")
    assert "tags: [reasoning]" in text and "tags_confirmed: true" in text and "sources:" in text
    assert run_ingest(site, check=True).changed == [] and run_ingest(site).changed == []


def test_a_confirmed_pages_tags_stay_as_the_person_left_them_when_a_rule_changes(tmp_path: Path) -> None:
    """A reviewer's labelled page took a tag from a new rule, and `tags --evaluate` then
    scored that rule against its own output."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    path.write_text(
        path.read_text(encoding="utf-8").replace("tags: [compression]", "tags: [other]", 1), encoding="utf-8"
    )
    run_ingest(site)
    confirmed = path.read_text(encoding="utf-8")
    assert "tags: [other]" in confirmed and "tags_confirmed: true" in confirmed
    _add_rotation_tag(site)
    result = run_ingest(site)
    after = path.read_text(encoding="utf-8")
    assert "tags: [other]\n" in after and "tags_confirmed: true" in after
    assert (
        "generated: {title: " in after and "tags: [compression, rotation], dates: " in after
    )  # the rules' record
    assert [(p.line, p.message) for p in result.problems if p.path.endswith(path.name)] == [
        (
            after.split("\n").index("tags: [other]") + 1,
            "kept your edited tags; the rules now say something else",
        )
    ]  # at the tags' line, not the file's first


def test_tags_the_rules_change_are_written_as_an_ingest_from_nothing_writes(tmp_path: Path) -> None:
    """After a rule change, ten of a reviewer's pages kept their old tags first and the new
    one after: `[evaluation, safety, agents]` where an ingest from nothing wrote
    `[agents, evaluation, safety]`. A person's own order still stays."""
    rules = ("agents", "evaluation", "safety")
    assert merge_tags(("evaluation", "safety"), ("evaluation", "safety"), rules) == rules
    assert merge_tags(("safety", "evaluation"), ("evaluation", "safety"), rules) == (
        "safety",
        "evaluation",
        "agents",
    )
    site = make_site(tmp_path / "site", "dumps")
    run_ingest(site)
    taxonomy = site / "content" / "taxonomy.yaml"  # every paper that says "model" is also compression
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace(
            "      - {pattern: '\\bquantiz', title: 3, abstract: 1}",
            "      - {pattern: '\\bquantiz', title: 3, abstract: 1}\n      - {pattern: '\\bmodels?\\b', title: 3, abstract: 3}",
        ),
        encoding="utf-8",
    )
    run_ingest(site)
    fresh = make_site(tmp_path / "fresh", "dumps")
    shutil.copyfile(taxonomy, fresh / "content" / "taxonomy.yaml")
    run_ingest(fresh)
    assert snapshot(site / "content" / "papers") == snapshot(fresh / "content" / "papers")


def test_only_true_confirms_a_pages_tags_for_ingest_as_for_evaluate(tmp_path: Path) -> None:
    """`tags_confirmed: "yes"` (text) froze a page's tags against a rule change in ingest,
    while `tags --evaluate` did not count the page: one test decides for both now."""
    site, path, _text = _rotated_page_edited(tmp_path, "generated:", 'tags_confirmed: "yes"\ngenerated:')
    _add_rotation_tag(site)
    run_ingest(site)
    assert "tags: [compression, rotation]\n" in path.read_text(encoding="utf-8")  # the rules' tags


def test_tags_edited_with_a_rule_change_in_one_ingest_are_confirmed_as_saved(tmp_path: Path) -> None:
    """A person added a tag, and a rule edit before the same ingest dropped one the page
    had: ingest wrote the page confirmed without it, and said it kept the edited tags."""
    site, path, _text = _rotated_page_edited(tmp_path, "tags: [compression]", "tags: [compression, other]")
    taxonomy = site / "content" / "taxonomy.yaml"  # the same ingest: compression's rules no longer fire
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace("'\\bquantiz', title: 3", "'\\bquantiz', title: -30"),
        encoding="utf-8",
    )
    run_ingest(site)
    after = path.read_text(encoding="utf-8")
    assert "tags: [compression, other]\n" in after and "tags_confirmed: true" in after


def test_tags_confirmed_false_hands_a_page_back_to_the_rules(tmp_path: Path) -> None:
    """The docs said "delete that line to let the rules tag it again", which ingest read as
    a new hand edit and confirmed again: `false` says it."""
    site, path, text = _rotated_page_edited(tmp_path, "tags: [compression]", "tags: [other]")
    run_ingest(site)
    confirmed = path.read_text(encoding="utf-8")
    assert "tags_confirmed: true" in confirmed
    path.write_text(confirmed.replace("tags_confirmed: true", "tags_confirmed: false"), encoding="utf-8")
    run_ingest(site)
    assert path.read_text(encoding="utf-8") == text  # as the rules wrote it: the key is gone too


@pytest.mark.parametrize("value", ['"yes"', "1", "''", "[true]"])
def test_a_tags_confirmed_value_that_is_neither_true_nor_false_is_named(tmp_path: Path, value: str) -> None:
    site, path, _text = _rotated_page_edited(tmp_path, "generated:", f"tags_confirmed: {value}\ngenerated:")
    result = run_ingest(site)
    line = path.read_text(encoding="utf-8").split("\n").index(f"tags_confirmed: {value}") + 1
    assert [(p.line, p.severity) for p in result.problems if "'tags_confirmed' is true" in p.message] == [
        (line, "warning")
    ]


def test_a_renamed_tag_on_a_confirmed_page_is_no_disagreement(tmp_path: Path) -> None:
    """After `name: quantization` with `aliases: [compression]`, ingest said it kept the
    edited tags of every confirmed page the rules still tag the same, under the new name."""
    site, path, _text = _rotated_page_edited(tmp_path, "generated:", "tags_confirmed: true\ngenerated:")
    run_ingest(site)
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace(
            "- name: compression\n", "- name: quantization\n    aliases: [compression]\n"
        ),
        encoding="utf-8",
    )
    result = run_ingest(site)
    assert "tags: [compression]\n" in path.read_text(encoding="utf-8")
    assert [p.message for p in result.problems if p.path.endswith(path.name)] == []


def _rotated_page_edited(tmp_path: Path, old: str, new: str) -> tuple[Path, Path, str]:
    """The fixture site ingested, then one page's text edited as a person would: (site, the
    page, its text as ingest wrote it)."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    path = _page(site, "rotated-4-bit-quantization-for-llms")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return site, path, text


def _add_rotation_tag(site: Path) -> None:
    """A rule change: a new tag whose title rule fires on "rotated" papers."""
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8")
        + "  - name: rotation\n    title: Rotation\n    description: d\n    rules:\n"
        + "      - {pattern: '\\brotat\\w*', title: 4}\n",
        encoding="utf-8",
    )


def test_ingest_says_which_tags_a_rule_change_moved(tmp_path: Path) -> None:
    """A curator tightened a rule: eleven pages lost a tag, and ingest said only "11 written"."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    _add_rotation_tag(site)
    result = run_ingest(site)
    lines = format_summary(result, verbose=True)
    assert "tags changed on 2 page(s): rotation +2" in lines
    assert "  content/papers/rotated-4-bit-quantization-for-llms.md: +rotation" in lines
    quiet = format_summary(result)  # without -v: the counts, and how to see the pages
    assert "tags changed on 2 page(s): rotation +2 (`-v` names them)" in quiet
    assert not any(line.startswith("  content/papers/") for line in quiet)
    assert not any(line.startswith("tags changed") for line in format_summary(run_ingest(site)))


def test_ingest_says_a_renamed_tag_was_renamed(tmp_path: Path) -> None:
    """A reviewer renamed moe (with `aliases: [moe]`) and ingest said "mixture-of-experts
    +10, moe −10", as if a rule had moved ten papers from one tag to another."""
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    taxonomy = site / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(
        text.replace("  - name: inference\n", "  - name: serving\n    aliases: [inference]\n", 1),
        encoding="utf-8",
    )
    lines = format_summary(run_ingest(site), verbose=True)
    changed = [line for line in lines if line.startswith("tags changed")]
    assert len(changed) == 1 and changed[0].endswith(" page(s): inference → serving " + changed[0].split()[3])
    assert any(line.endswith(".md: inference → serving") for line in lines)


def _arxiv_site(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A site of arXiv's e-mail digest, ingested: the site, the digest, and the page of its
    first paper (whose authors are Huanqi Yang, Sijie Ji, Rucheng Wu and Weitao Xu)."""
    site = make_site(tmp_path)
    digest = site / "content" / "sources" / "arxiv-digest.txt"
    shutil.copyfile(Path(__file__).parent / "data" / "pasted" / "arxiv-digest.txt", digest)
    run_ingest(site)
    (page,) = (site / "content" / "papers").glob("are-you-being-tracked-*.md")
    return site, digest, page


AUTHORS = "authors: [Huanqi Yang, Sijie Ji, Rucheng Wu, Weitao Xu]\n"


def test_authors_follow_the_dumps_until_a_person_edits_them(tmp_path: Path) -> None:
    """A corrected `Authors:` line reaches the page ingest wrote; a person's own list stays,
    through a second correction too, which is said at the line, as an edited title's is."""
    site, digest, page = _arxiv_site(tmp_path)
    assert AUTHORS in page.read_text(encoding="utf-8")
    digest.write_text(digest.read_text(encoding="utf-8").replace("Weitao Xu", "Weitao Xu, Ada Lim", 1))
    assert run_ingest(site).changed
    assert "authors: [Huanqi Yang, Sijie Ji, Rucheng Wu, Weitao Xu, Ada Lim]\n" in page.read_text()
    edited = page.read_text(encoding="utf-8").replace(", Ada Lim]", ", Ada Lim, Bo Chen]", 1)
    page.write_text(edited, encoding="utf-8")
    assert run_ingest(site).changed == []
    assert page.read_text(encoding="utf-8") == edited
    digest.write_text(digest.read_text(encoding="utf-8").replace(", Ada Lim", "", 1))
    result = run_ingest(site)
    assert "Ada Lim, Bo Chen]" in page.read_text(encoding="utf-8")
    assert [p.format() for p in result.problems if p.path.startswith("content/papers")] == [
        f"content/papers/{page.name}:3: warning: kept your edited authors; the dumps now say something else"
    ]


def test_authors_a_person_adds_or_removes_stay_as_they_left_them(tmp_path: Path) -> None:
    """Names added to a page no listing names (a Hugging Face paste's) stay; so does a
    deleted `authors:` line of an arXiv paper's page."""
    site, _, page = _arxiv_site(tmp_path)
    shutil.copyfile(DATA_DUMPS / "2024-03-13.txt", site / "content" / "sources" / "2024-03-13.txt")
    run_ingest(site)
    hf = _page(site, "rotated-4-bit-quantization-for-llms")
    mine = hf.read_text(encoding="utf-8").replace("\nslug:", "\nauthors: [Jo Park]\nslug:", 1)
    hf.write_text(mine, encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8").replace(AUTHORS, "", 1), encoding="utf-8")
    without = page.read_text(encoding="utf-8")
    result = run_ingest(site)
    assert result.changed == [] and not [p for p in result.problems if p.path.startswith("content/papers")]
    assert (hf.read_text(encoding="utf-8"), page.read_text(encoding="utf-8")) == (mine, without)

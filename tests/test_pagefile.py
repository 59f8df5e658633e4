"""The page file format: front matter split and joined, pages read with their problems' lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import make_site, run_cli

from site_builder.core.model import Page, Source
from site_builder.core.pages.pagefile import line_of, read_page, read_pages, split
from site_builder.core.pages.pagewrite import join, page_text
from site_builder.ingest.pipeline import run_ingest

GENERATED = {"title": "aaaaaaaaaaaa", "body": "bbbbbbbbbbbb", "tags": ["x"]}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_split_reads_front_matter_and_body_tolerating_bom_and_crlf() -> None:
    meta, body, problems = split("\ufeff---\r\ntitle: T\r\ntags: [a]\r\n---\r\n\r\nBody text.\r\n", "p.md")
    assert problems == []
    assert meta == {"title": "T", "tags": ["a"]}
    assert body == "Body text."


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Just text", 1, "no front matter; a page starts with a line '---', then YAML, then another '---'"),
        ("---\ntitle: x\n", 1, "front matter is not closed: add a line '---' after it"),
        ("---\ntitle: ok\ntags: [a\n---\n", 3, "invalid YAML in front matter: "),
        ("---\n- a list\n---\n", 2, "front matter must be a mapping of keys to values"),
        # A value its tag cannot make was a traceback from ingest, build and check (a reviewer).
        (
            "---\ntitle: ok\nrating: !!int abc\n---\n",
            3,
            "invalid YAML in front matter: 'abc' is not a valid int",
        ),
        (
            "---\ntitle: ok\nread: !!bool maybe\n---\n",
            3,
            "invalid YAML in front matter: 'maybe' is not a valid bool",
        ),
        # A bad item in a closed bracket is not an unclosed bracket (a reviewer hunted for one).
        (
            '---\ntitle: ok\ntags: [a, "b" c]\n---\n',
            3,
            "invalid YAML in front matter: did not find expected ',' or ']'",
        ),
        (
            "---\ntags: [a,\n  b\nslug: s\n---\n",
            2,
            "invalid YAML in front matter: did not find expected ',' or ']': the '['",
        ),
    ],
)
def test_split_problems_name_the_line_in_the_file(text: str, line: int, message: str) -> None:
    _, _, problems = split(text, "p.md")
    assert len(problems) == 1
    assert (problems[0].path, problems[0].line) == ("p.md", line)
    assert problems[0].message.startswith(message)
    assert problems[0].message.endswith("never closed") == ("[a\n" in text or "[a,\n" in text)


def test_join_writes_keys_in_the_given_order_and_one_trailing_newline() -> None:
    assert join({"b": 1, "a": 2}, "\n\nBody\n\n") == "---\nb: 1\na: 2\n---\nBody\n"
    assert join({"a": 1}, "") == "---\na: 1\n---\n"


def test_page_text_puts_known_keys_first_and_a_persons_keys_after_them(tmp_path: Path) -> None:
    page = Page(
        "slug",
        "Title",
        "Body.",
        ("b", "a"),
        ("Old title",),
        (Source("d.txt", 3, "2024-03-12"),),
        ("https://x.org",),
        {"notes": "Mine.", "stars": 5},
    )
    text = page_text(page, GENERATED)
    front = text.split("---\n")[1]
    keys = [line.split(":", 1)[0] for line in front.splitlines() if line[0].isalpha()]
    assert keys == ["title", "slug", "tags", "aliases", "links", "sources", "notes", "stars", "generated"]
    assert "tags: [b, a]" in text  # a person's order is kept
    stored, problems = read_page(write(tmp_path, "slug.md", text), "slug.md")
    assert problems == [] and stored is not None
    assert stored.page == page
    assert stored.generated == GENERATED
    assert page_text(stored.page, stored.generated) == text  # idempotent


@pytest.mark.parametrize(
    ("sources", "line", "message"),
    [
        (
            "- {file: a.txt, line: 7, listed: 2025-03-12}\n- {file: b.txt, line: 7, listed: 1800-01-01}\n",
            5,
            "'listed' '1800-01-01': years run from 1970 to 2999",
        ),
        ("- {file: a.txt, line: 7, listed: Feb 30}\n", 4, "'listed' '--02-30': no year has that day"),
        ("- {file: a.txt, line: 7, listed: soon}\n", 4, "'listed' 'soon': not a date"),
    ],
)
def test_a_listing_date_no_day_can_have_is_named_at_its_line(
    tmp_path: Path, sources: str, line: int, message: str
) -> None:
    """`listed: 1800-01-01` or `Feb 30` left a page undated without a word."""
    front = f"---\ntitle: T\nsources:\n{sources}---\nBody\n"
    stored, problems = read_page(write(tmp_path, "p.md", front), "content/papers/p.md")
    assert stored is not None  # built, undated
    assert [(p.line, p.severity) for p in problems] == [(line, "warning")]
    assert problems[0].message.startswith(message)


@pytest.mark.parametrize(
    ("date", "day"),
    [
        ("2026-03-14", "2026-03-14"),
        ("'2026-03-14'", "2026-03-14"),
        ("2026-03-14T23:30:00+02:00", "2026-03-14"),  # Hugo's: the day it writes
        ("2026-03-14 09:30:00", "2026-03-14"),
    ],
)
def test_a_page_a_person_wrote_is_dated_by_its_date(tmp_path: Path, date: str, day: str) -> None:
    """A page with `date:` and no `listed:` sorted after every paper, its date ignored."""
    front = f"---\ntitle: My note\ndate: {date}\n---\nBody\n"
    stored, problems = read_page(write(tmp_path, "p.md", front), "content/papers/p.md")
    assert stored is not None and problems == []
    assert [d.isoformat() for d in stored.page.listed] == [day]


def test_a_listing_date_outranks_a_pages_date(tmp_path: Path) -> None:
    front = (
        "---\ntitle: T\ndate: 2026-01-01\nsources:\n- {file: a.txt, line: 7, listed: 2025-03-12}\n---\nB\n"
    )
    stored, problems = read_page(write(tmp_path, "p.md", front), "content/papers/p.md")
    assert stored is not None and problems == []
    assert [d.isoformat() for d in stored.page.listed] == ["2025-03-12"]


def test_a_date_that_is_no_day_is_named_at_its_line(tmp_path: Path) -> None:
    front = "---\ntitle: T\ndate: March 14\n---\nBody\n"
    stored, problems = read_page(write(tmp_path, "p.md", front), "content/papers/p.md")
    assert stored is not None  # built, undated
    message = (
        "'date' is the page's day, written as 2026-03-14; 'March 14' is not one, so the page "
        "is listed after every dated paper, and on no day, week or month page"
    )
    assert [(p.line, p.severity, p.message) for p in problems] == [(3, "warning", message)]


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("slug: s\n", 2, "'title' is missing or empty"),
        ("title: T\nslug: Not A Slug\n", 3, "'slug' 'Not A Slug' is not a valid slug"),
        ("title: T\nslug: index\n", 3, "'slug' 'index' is a name the site or Windows uses"),
        ("title: T\nslug: [a]\n", 3, "'slug' ['a'] is not a valid slug"),
        (f"title: T\nslug: {'a' * 81}\n", 3, f"'slug' '{'a' * 81}' is longer than 80 characters"),
        ("title: T\ntags: {a: 1}\n", 3, "'tags' must be a list of text values"),
        (
            "title: T\nauthors: 5\n",
            3,
            "'authors' must be a list of names, such as [Ada Lovelace, Alan Turing]",
        ),
        ("title: T\nslug: t\nauthors: {Ada: Lovelace}\n", 4, "'authors' must be a list of names"),
        ("title: T\nauthors:\n- {name: Ada}\n", 3, "'authors' must be a list of names"),
        ("title: T\nsources: [1, 2]\n", 3, "'sources' must be a list of {file, line, listed}"),
        ("title: T\nsources: 2024-03-12.txt\n", 3, "'sources' must be a list of {file, line, listed}"),
        ("title: T\nnotes: [a, b]\n", 3, "'notes' must be text: Markdown, on one line or after `notes: |`"),
        (
            "title: T\narxiv: 2401.01230\n",
            3,
            "'arxiv' must be text: an arXiv id in quotes, such as '2401.01234'",
        ),
        ("slug: s\ntitle: 2024-01-01\n", 3, "'title' must be text; YAML read datetime.date(2024, 1, 1)"),
        ("title: T\nmoved_from: [Old Name]\n", 3, "'moved_from' must be a list of the page's earlier slugs"),
        ("title: T\nmoved_from: {a: 1}\n", 3, "'moved_from' must be a list of the page's earlier slugs"),
        (
            "title: T\na: &a [x, x]\nb: &b [*a, *a]\n",
            4,
            "invalid YAML in front matter: YAML aliases of a list or mapping (*a) are not supported; "
            "write the value out",
        ),
    ],
)
def test_bad_fields_are_reported_on_their_line(tmp_path: Path, front: str, line: int, message: str) -> None:
    stored, problems = read_page(write(tmp_path, "p.md", f"---\n{front}---\nBody\n"), "content/papers/p.md")
    assert stored is None
    assert [(p.path, p.line) for p in problems] == [("content/papers/p.md", line)]
    assert problems[0].message.startswith(message)


def test_every_mistake_in_a_page_is_named_at_once(tmp_path: Path) -> None:
    """A page with three mistakes said one, then the next after each fix (as a compiler
    does not): all three now, in the order of their lines."""
    front = "slug: Not A Slug\ntags: {a: 1}\ntitle: [x]\n"
    stored, problems = read_page(write(tmp_path, "p.md", f"---\n{front}---\nBody\n"), "content/papers/p.md")
    assert stored is None
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (2, "'slug' 'Not A Slug' is not a valid slug"),
        (3, "'tags' must be a list of text values"),
        (4, "'title' must be text; YAML read ['x']"),
    ]


def test_a_page_an_earlier_ingest_wrote_with_aliased_dates_is_read(tmp_path: Path) -> None:
    """Ingest once wrote `listed: &id001 2026-03-12` … `listed: *id001` for two sources of
    one day; refusing every alias stopped ingest and build on a site made then."""
    front = (
        "title: T\nsources:\n- {file: a.txt, line: 1, listed: &id001 2026-03-12}\n"
        "- {file: b.txt, line: 5, listed: *id001}\n"
    )
    stored, problems = read_page(write(tmp_path, "p.md", f"---\n{front}---\nBody\n"), "content/papers/p.md")
    assert problems == [] and stored is not None
    assert [s.listed for s in stored.page.sources] == ["2026-03-12", "2026-03-12"]


def test_a_file_that_is_not_utf8_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_bytes(b"---\ntitle: Z\xfcrich\n---\n")
    stored, problems = read_page(path, "p.md")
    assert stored is None and [p.format() for p in problems] == [
        "p.md:2: error: not UTF-8 text (byte 0xfc); re-save it as UTF-8"  # it said no line
    ]


def test_the_slug_defaults_to_the_file_name_and_a_second_claim_is_a_problem(tmp_path: Path) -> None:
    write(tmp_path, "a-paper.md", "---\ntitle: A\n---\nBody\n")
    write(tmp_path, "b-copy.md", "---\ntitle: B\nslug: a-paper\n---\nBody\n")
    stored, problems = read_pages(tmp_path)
    assert [s.page.slug for s in stored] == ["a-paper"]
    assert [(p.line, p.message) for p in problems] == [
        (3, f"slug 'a-paper' is already used by {tmp_path}/a-paper.md")
    ]


def test_line_of_finds_a_key_or_falls_back_to_the_first_line() -> None:
    assert line_of("---\ntitle: x\ntags: []\n---\n", "tags") == 3
    assert line_of("---\ntitle: x\n---\n", "tags") == 1


def test_sources_listed_the_same_day_each_show_their_date(tmp_path: Path) -> None:
    """The writer shares one date object between such sources; YAML would write it once with
    an anchor (`&id001 2026-03-12`) and then `*id001`. A person reads the page: no anchors."""
    sources = (Source("a.txt", 1, "2026-03-12"), Source("b.txt", 9, "2026-03-12"))
    page = Page(title="T", slug="t", tags=(), sources=sources, body="Abstract.")
    text = page_text(page, {"title": "x", "body": "y", "tags": []})
    assert text.count("listed: 2026-03-12}") == 2 and "&" not in text and "*" not in text
    path = tmp_path / "t.md"
    path.write_text(text, encoding="utf-8")
    stored, problems = read_page(path, "t.md")
    assert stored is not None and not problems and stored.page.sources == sources


def test_tags_written_as_one_text_with_commas_are_a_list(tmp_path: Path) -> None:
    """`tags: agents, safety` made one tag, `agents, safety`, with a page of its own."""
    stored, problems = read_page(
        write(tmp_path, "p.md", "---\ntitle: T\ntags: agents, safety\n---\nB\n"), "p.md"
    )
    assert problems == [] and stored is not None and stored.page.tags == ("agents", "safety")


def test_one_alias_written_as_text_is_a_list_of_one(tmp_path: Path) -> None:
    stored, problems = read_page(
        write(tmp_path, "p.md", "---\ntitle: T\naliases: An Old Title, Revised\n---\nB\n"), "p.md"
    )
    assert problems == [] and stored is not None and stored.page.aliases == ("An Old Title, Revised",)


def test_a_tag_written_with_spaces_or_twice_is_one_tag(tmp_path: Path) -> None:
    """`[' code ', training, training]` gave a tag ` code ` beside `code`, with a page
    `code-2.html` of its own, and `training` twice (a reviewer)."""
    text = "---\ntitle: T\ntags: [' code ', training, training, ' ']\n---\nB\n"
    stored, problems = read_page(write(tmp_path, "p.md", text), "p.md")
    assert problems == [] and stored is not None and stored.page.tags == ("code", "training")


@pytest.mark.parametrize(("written", "read"), [("yes", True), ("1.10", 1.1), ("2024-01-01", "2024-01-01")])
def test_a_title_yaml_reads_as_another_thing_asks_for_quotes(
    tmp_path: Path, written: str, read: object
) -> None:
    """`title: yes` showed "True" on the page, and ingest wrote `title: 'True'` back."""
    page = tmp_path / "p.md"
    page.write_text(f"---\nslug: p\ntitle: {written}\n---\nBody.\n", encoding="utf-8")
    stored, problems = read_page(page, "p.md")
    assert stored is None and [(p.line, p.message.split(";")[0]) for p in problems] == [
        (3, "'title' must be text")
    ]


def test_a_title_of_digits_is_its_text(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text("---\nslug: p\ntitle: 1984\n---\nBody.\n", encoding="utf-8")
    stored, problems = read_page(page, "p.md")
    assert problems == [] and stored is not None and stored.page.title == "1984"


def test_a_page_with_an_unresolved_merge_is_refused_at_its_marker(tmp_path: Path) -> None:
    """Two people's notes merged by git with a conflict: ingest, build and check passed it,
    and the paper page showed the markers (`>>>>>>>` as seven nested quotes)."""
    page = tmp_path / "a.md"
    body = "---\ntitle: A Paper\n---\nAbstract.\n\n## Notes\n\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> 1a2b3c\n"
    page.write_text(body, encoding="utf-8")
    stored, problems = read_page(page, "content/papers/a.md")
    assert stored is None
    assert [(p.line, p.message) for p in problems] == [
        (
            8,
            "an unresolved merge conflict (git's '<<<<<<<' line): keep the side you want, delete the "
            "marker lines, then run again",
        )
    ]
    example = "---\ntitle: A Paper\n---\nAbstract.\n\n## Notes\n\n```\n<<<<<<< HEAD\nours\n=======\ntheirs\n>>>>>>> b\n```\n"
    page.write_text(example, encoding="utf-8")  # a conflict shown in a code block is an example
    stored, problems = read_page(page, "content/papers/a.md")
    assert stored is not None and problems == []
    heading = "---\ntitle: A Paper\n---\nAbstract.\n\n## Notes\n\nA heading\n=======\n\nText.\n"
    page.write_text(heading, encoding="utf-8")  # a lone `=======` underlines a Markdown heading
    stored, problems = read_page(page, "content/papers/a.md")
    assert stored is not None and problems == []


def test_one_listing_dated_twice_is_for_a_person_to_settle(tmp_path: Path) -> None:
    """Both sides of a merge kept: ingest kept the later line's date, which dropped a
    person's correction or kept it by the order of two lines."""
    page = tmp_path / "a.md"
    sources = "sources:\n- {file: d.txt, line: 15, listed: 2026-03-11}\n- {file: d.txt, line: 15, listed: 2026-03-12}\n"
    page.write_text(f"---\ntitle: A Paper\n{sources}---\nAbstract.\n", encoding="utf-8")
    stored, problems = read_page(page, "content/papers/a.md")
    assert stored is None
    assert [(p.line, p.message) for p in problems] == [
        (5, "'sources': d.txt line 15 is listed twice, as 2026-03-11 and as 2026-03-12; keep the right one")
    ]
    same = "sources:\n- {file: d.txt, line: 15, listed: 2026-03-11}\n- {file: d.txt, line: 15, listed: 2026-03-11}\n"
    page.write_text(f"---\ntitle: A Paper\n{same}---\nAbstract.\n", encoding="utf-8")
    assert read_page(page, "content/papers/a.md")[0] is not None  # the same twice: nothing to settle


@pytest.mark.parametrize(
    ("front", "authors"),
    [
        ("authors: [Ada Lovelace, '  Alan   Turing ']", ("Ada Lovelace", "Alan Turing")),
        ("authors:\n- Ada Lovelace\n- Alan Turing", ("Ada Lovelace", "Alan Turing")),
        ("authors: Ada Lovelace, Alan Turing", ("Ada Lovelace", "Alan Turing")),  # a list meant
        ("authors: []", ()),
        ("authors:", ()),
        ("slug: t", ()),
    ],
)
def test_a_pages_authors_are_read_in_any_list_form(
    tmp_path: Path, front: str, authors: tuple[str, ...]
) -> None:
    stored, problems = read_page(write(tmp_path, "t.md", f"---\ntitle: T\n{front}\n---\nBody\n"), "t.md")
    assert stored is not None and not problems
    assert stored.page.authors == authors and "authors" not in stored.page.extra


def test_a_bad_authors_value_stops_ingest_and_build_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, "dumps")
    run_ingest(site)
    page = site / "content" / "papers" / "rotated-4-bit-quantization-for-llms.md"
    page.write_text(page.read_text(encoding="utf-8").replace("\nslug:", "\nauthors: 5\nslug:", 1))
    for command in ("ingest", "build"):
        code, _, err = run_cli(capsys, "--root", str(site), command)
        assert code == 1
        assert (
            "content/papers/rotated-4-bit-quantization-for-llms.md:3: error: 'authors' must be a list of "
            "names, such as [Ada Lovelace, Alan Turing]"
        ) in err

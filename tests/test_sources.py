"""Parsing dumps: the format, and every way a real dump goes wrong."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.ingest.sources import decode, parse_text, read_dump

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
ABSTRACT = "An abstract long enough to be an abstract, about serving language models quickly."


def test_reads_titles_abstracts_lines_and_listing_date() -> None:
    result = parse_text(
        HEADER + "Mar 12\n\nFirst Paper\n\n" + ABSTRACT + "\n\nSecond Paper\n\nAnother.\n", "d.txt", "d.txt"
    )
    assert [(e.title, e.source.line, e.source.listed) for e in result.entries] == [
        ("First Paper", 11, "Mar 12"),
        ("Second Paper", 15, "Mar 12"),
    ]
    assert result.entries[0].abstract == ABSTRACT
    assert result.problems == []


def test_bom_crlf_trailing_spaces_and_blank_runs_are_tolerated() -> None:
    text = "\ufeff" + (HEADER + "Jun 7\n\n\n\n\nA Title   \n\n\n" + ABSTRACT + "   \n").replace("\n", "\r\n")
    text, problems = decode(text.encode("utf-8"), "x.txt")
    assert problems == []
    result = parse_text(text, "x.txt", "x.txt")
    assert [(e.title, e.abstract, e.source.listed) for e in result.entries] == [
        ("A Title", ABSTRACT, "Jun 7")
    ]


def test_missing_header_is_a_warning_and_entries_still_count() -> None:
    result = parse_text("A Title\n\n" + ABSTRACT + "\n", "n.txt", "n.txt")
    assert len(result.entries) == 1 and result.entries[0].source.listed == ""
    assert [p.format() for p in result.problems] == [
        "n.txt:1: warning: no listing date header (a line such as 'Mar 12' before the first title); dates left empty"
    ]


def test_unusual_header_is_recognised_by_its_lines_not_its_position() -> None:
    result = parse_text("Subscribe\n\nSeptember 3\n\nA Title\n\n" + ABSTRACT + "\n", "u.txt", "u.txt")
    assert [(e.title, e.source.listed) for e in result.entries] == [("A Title", "Sep 3")]
    assert result.problems == []


def test_a_second_date_header_starts_a_new_listing_day() -> None:
    text = HEADER + "Mar 12\n\nA\n\n" + ABSTRACT + "\n\nMar 13\n\nB\n\n" + ABSTRACT + "\n"
    assert [e.source.listed for e in parse_text(text, "m.txt", "m.txt").entries] == ["Mar 12", "Mar 13"]


def test_dangling_title_is_reported_with_its_line() -> None:
    result = parse_text(HEADER + "Mar 12\n\nA\n\n" + ABSTRACT + "\n\nLonely Title\n", "d.txt", "d.txt")
    assert len(result.entries) == 1
    assert [p.format() for p in result.problems] == [
        "d.txt:15: warning: title without an abstract at the end of the file: 'Lonely Title'"
    ]


def test_very_long_line_is_skipped_with_a_message_and_the_rest_survives() -> None:
    long_abstract = "word " * 50_000  # 250,000 characters
    text = HEADER + "Mar 12\n\nToo Long\n\n" + long_abstract + "\n\nFine\n\n" + ABSTRACT + "\n"
    result = parse_text(text, "l.txt", "l.txt")
    assert [e.title for e in result.entries] == ["Fine"]
    assert any("too long" in p.message and p.line == 13 for p in result.problems)


def test_hundred_kilobyte_abstract_is_kept() -> None:
    big = "token " * 20_000
    result = parse_text(HEADER + "Mar 12\n\nBig\n\n" + big + "\n", "b.txt", "b.txt")
    assert result.entries[0].abstract == big.strip()


@pytest.mark.parametrize(
    ("name", "readable", "message"),
    [
        ("empty.txt", True, "bad/empty.txt: warning: no papers found (empty file?)"),
        ("header_only.txt", True, "bad/header_only.txt: warning: no papers found (empty file?)"),
        (
            "binary.txt",
            False,
            "bad/binary.txt: binary file (contains NUL bytes), skipped; dumps must be text",
        ),
        (
            "latin1.txt",
            True,
            "bad/latin1.txt:3: warning: not valid UTF-8 (byte 0xe9); read as Windows-1252/Latin-1 — re-save the file as UTF-8 to be sure",
        ),
    ],
)
def test_broken_files_give_one_clear_message(name: str, readable: bool, message: str) -> None:
    path = Path(__file__).parent / "data" / "bad" / name
    result = read_dump(path, f"bad/{name}", name)
    assert result.readable is readable
    assert [p.format() for p in result.problems] == [message]


def test_latin1_text_is_decoded_not_lost() -> None:
    path = Path(__file__).parent / "data" / "bad" / "latin1.txt"
    result = read_dump(path, "bad/latin1.txt", "latin1.txt")
    assert result.entries[0].title == "Café au Lait: A Latin-1 Title"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_are_refused_without_raising(data: bytes) -> None:
    text, problems = decode(data, "x.txt")
    assert text is not None or problems


LINES = st.one_of(
    st.sampled_from(["", "new", "Subscribe", "Mar 12", "Sept 31", "   ", "\ufeff", "---"]),
    st.text(max_size=80),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]))
def test_parse_never_raises_and_every_entry_has_its_line(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    result = parse_text(text, "x.txt", "x.txt")
    numbered = text.splitlines()
    for e in result.entries:
        assert e.title and e.abstract
        assert numbered[e.source.line - 1].strip() == e.title
    for p in result.problems:
        assert p.path == "x.txt" and 0 <= p.line <= len(numbered) + 1

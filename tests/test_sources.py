"""Parsing dumps: the format, and every way a real dump goes wrong."""

import datetime
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_helpers import make_site

from site_builder.ingest.dumps.decoding import decode
from site_builder.ingest.dumps.files import read_dump
from site_builder.ingest.dumps.lines import clean
from site_builder.ingest.dumps.sources import MAX_LINE_CHARS, parse_dump, parse_text
from site_builder.ingest.pipeline import run_ingest

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
ABSTRACT = "An abstract long enough to be an abstract, about serving language models quickly."


def test_reads_titles_abstracts_lines_and_listing_date() -> None:
    result = parse_text(
        HEADER + "Mar 12\n\nFirst Paper\n\n" + ABSTRACT + "\n\nSecond Paper\n\nAnother.\n", "d.txt", "d.txt"
    )
    assert [(e.title, e.source.line, e.source.listed) for e in result.entries] == [
        ("First Paper", 11, "--03-12"),
        ("Second Paper", 15, "--03-12"),
    ]
    assert result.entries[0].abstract == ABSTRACT
    assert result.problems == []


def test_bom_crlf_trailing_spaces_and_blank_runs_are_tolerated() -> None:
    text = "\ufeff" + (HEADER + "Jun 7\n\n\n\n\nA Title   \n\n\n" + ABSTRACT + "   \n").replace("\n", "\r\n")
    text, problems, bad = decode(text.encode("utf-8"), "x.txt")
    assert problems == [] and bad == frozenset() and text is not None
    result = parse_text(text, "x.txt", "x.txt")
    assert [(e.title, e.abstract, e.source.listed) for e in result.entries] == [
        ("A Title", ABSTRACT, "--06-07")
    ]


def test_missing_header_is_a_warning_and_entries_still_count() -> None:
    result = parse_text("A Title\n\n" + ABSTRACT + "\n", "n.txt", "n.txt")
    assert len(result.entries) == 1 and result.entries[0].source.listed == ""
    assert [p.format() for p in result.problems] == [
        "n.txt:1: warning: no listing date header (a line such as 'Mar 12' before the first title); "
        "dated by the file name, or else the day each paper is first ingested"
    ]


def test_a_dump_without_a_date_line_is_said_to_keep_its_first_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dump pasted without its date line warned on every ingest for months that it was
    "dated … the day of this ingest", while its page kept the day it was first ingested
    (as it should): the warning read as if the papers moved to today each time."""
    site = make_site(tmp_path)
    (site / "content" / "sources" / "notes.txt").write_text("A Title\n\n" + ABSTRACT + "\n", encoding="utf-8")
    for day in ("2026-03-02", "2026-06-30"):
        monkeypatch.setenv(
            "SOURCE_DATE_EPOCH", str(int(datetime.datetime.fromisoformat(day + "T12:00Z").timestamp()))
        )
        result = run_ingest(site)
    assert "listed: 2026-03-02}" in (site / "content" / "papers" / "a-title.md").read_text(encoding="utf-8")
    assert [p.message for p in result.problems if p.path.endswith("notes.txt")] == [
        "no listing date header (a line such as 'Mar 12' before the first title); "
        "dated by the file name, or else the day each paper is first ingested"
    ]


def test_unusual_header_is_recognised_by_its_lines_not_its_position() -> None:
    result = parse_text("Subscribe\n\nSeptember 3\n\nA Title\n\n" + ABSTRACT + "\n", "u.txt", "u.txt")
    assert [(e.title, e.source.listed) for e in result.entries] == [("A Title", "--09-03")]
    assert result.problems == []


def test_a_second_date_header_starts_a_new_listing_day() -> None:
    text = HEADER + "Mar 12\n\nA\n\n" + ABSTRACT + "\n\nMar 13\n\nB\n\n" + ABSTRACT + "\n"
    assert [e.source.listed for e in parse_text(text, "m.txt", "m.txt").entries] == ["--03-12", "--03-13"]


def test_dangling_title_is_reported_with_its_line() -> None:
    result = parse_text(HEADER + "Mar 12\n\nA\n\n" + ABSTRACT + "\n\nLonely Title\n", "d.txt", "d.txt")
    assert len(result.entries) == 1
    assert [p.format() for p in result.problems] == [
        "d.txt:15: warning: title without an abstract at the end of the file: 'Lonely Title'; skipped"
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
            "bad/binary.txt: error: binary file (contains NUL bytes), skipped; dumps must be text",
        ),
        (
            "latin1.txt",
            True,
            "bad/latin1.txt:3: warning: not valid UTF-8 (byte 0xe9) and no UTF-8 anywhere in the file; "
            "read as Windows-1252 — re-save the file as UTF-8 to be sure",
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
    text, problems, _ = decode(data, "x.txt")
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
    numbered = re.split(r"\r\n|\r|\n", text)
    for e in result.entries:
        assert e.title and e.abstract
        assert clean(numbered[e.source.line - 1]) == e.title
    for p in result.problems:
        assert p.path == "x.txt" and 0 <= p.line <= len(numbered) + 1


# --- dumps as people paste them ---------------------------------------------------------

SEEDS = sorted((Path(__file__).parent.parent / "content" / "papers").glob("*.md"))


def seed_entries(count: int, start: int = 0) -> list[tuple[str, str]]:
    """(title, abstract) of real seed papers, abstracts on one line."""
    out = []
    for path in SEEDS[start : start + count]:
        front, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        title = next(line for line in front.splitlines() if line.startswith("title: "))[7:].strip("'\"")
        out.append((title.replace("''", "'"), " ".join(body.split())))
    return out


def dump_of(entries: list[tuple[str, str]], date: str = "Mar 12") -> list[str]:
    return ["new", "Subscribe", "byAK and the research community", date, *[x for e in entries for x in e]]


def test_a_paragraph_break_joins_the_abstract_and_shifts_nothing() -> None:
    entries = seed_entries(6)
    lines = dump_of(entries)
    _, abstract = entries[2]
    cut = abstract.index(". ", len(abstract) // 2) + 1
    at = lines.index(abstract)
    lines[at : at + 1] = [abstract[:cut], abstract[cut + 1 :]]
    result = parse_text("\n\n".join(lines), "p.txt", "p.txt")
    assert [e.title for e in result.entries] == [t for t, _ in entries]
    assert result.entries[2].abstract == abstract[:cut] + "\n\n" + abstract[cut + 1 :]
    assert [(p.line, p.severity) for p in result.problems] == [(2 * (at + 2) - 1, "warning")]
    assert "second paragraph" in result.problems[0].message


def test_a_lost_abstract_costs_one_entry_reported_at_its_title() -> None:
    entries = seed_entries(6)
    lines = dump_of(entries)
    lost = lines.index(entries[2][1])
    del lines[lost]
    result = parse_text("\n".join(lines), "l.txt", "l.txt")
    assert [e.title for e in result.entries] == [t for i, (t, _) in enumerate(entries) if i != 2]
    assert [(p.line, p.message[:29]) for p in result.problems] == [(lost, "title without an abstract (th")]


@pytest.mark.parametrize(
    "stray",
    ["Click here to view more", "View all papers", "arXiv page", "57 upvotes", "Mar 14, 2024 · 12 comments"],
)
def test_a_stray_line_between_a_title_and_its_abstract_is_not_a_paper(stray: str) -> None:
    """Read as the next paper's title (the one above having lost its abstract), the stray
    line was published as a paper, `click-here-to-view-more.md`, with the abstract of the
    title above it, which was skipped (a reviewer)."""
    entries = seed_entries(6)
    lines = dump_of(entries)
    at = lines.index(entries[2][0]) + 1
    lines.insert(at, stray)
    result = parse_text("\n".join(lines), "s.txt", "s.txt")
    assert [(e.title, e.abstract) for e in result.entries] == entries
    assert [p.format() for p in result.problems] == [
        f"s.txt:{at + 1}: warning: not a title: {stray!r}, above the abstract of the title before it; skipped"
    ]


def test_a_lost_title_joins_its_abstract_to_the_one_before_with_a_warning() -> None:
    entries = seed_entries(6)
    lines = dump_of(entries)
    lost = lines.index(entries[3][0])
    del lines[lost]
    result = parse_text("\n".join(lines), "t.txt", "t.txt")
    assert [e.title for e in result.entries] == [t for i, (t, _) in enumerate(entries) if i != 3]
    assert result.entries[2].abstract == entries[2][1] + "\n\n" + entries[3][1]
    assert [p.line for p in result.problems] == [lost + 1]


@pytest.mark.parametrize("separator", ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_separators_inside_a_line_do_not_break_it(separator: str) -> None:
    entries = seed_entries(4)
    _, abstract = entries[1]
    middle = abstract.index(" ", len(abstract) // 2)
    lines = dump_of(entries)
    lines[lines.index(abstract)] = abstract[:middle] + separator + abstract[middle + 1 :]
    result = parse_text("\n".join(lines), "s.txt", "s.txt")
    assert [(e.title, e.abstract) for e in result.entries] == entries
    assert result.problems == []


@pytest.mark.parametrize("title", ["Janus 2", "Marco 7", "Mayday 3", "Junebug 12", "Augment 4"])
def test_a_title_that_looks_like_a_date_is_a_title(title: str) -> None:
    text = HEADER + "Mar 12\n\n" + title + "\n\n" + ABSTRACT + "\n\nSecond Paper\n\n" + ABSTRACT + "\n"
    result = parse_text(text, "j.txt", "j.txt")
    assert [(e.title, e.source.listed) for e in result.entries] == [
        (title, "--03-12"),
        ("Second Paper", "--03-12"),
    ]


@pytest.mark.parametrize(
    ("line", "month"), [("Marhc 14", "Mar"), ("Janury 3, 2025", "Jan"), ("Octobr 9", "Oct")]
)
def test_a_date_line_with_a_misspelt_month_is_an_error_not_a_title(line: str, month: str) -> None:
    """`Marhc 14` was read as a title that lost its abstract, and every paper after it was
    listed on the day before, with nothing said but "title without an abstract" (a reviewer)."""
    text = HEADER + "Mar 13\n\nFirst Paper\n\n" + ABSTRACT + f"\n\n{line}\n\nSecond Paper\n\n" + ABSTRACT
    result = parse_text(text + "\n\nMar 15\n\nThird Paper\n\n" + ABSTRACT + "\n", "m.txt", "m.txt")
    assert [p.format() for p in result.problems] == [
        f"m.txt:{text.splitlines().index(line) + 1}: error: {line!r} reads as a date line with a "
        f"misspelt month ({month}?): correct it; the entries after it are skipped"
    ]
    assert [(e.title, e.source.listed) for e in result.entries] == [
        ("First Paper", "--03-13"),
        ("Third Paper", "--03-15"),
    ]


@pytest.mark.parametrize(
    ("line", "listed"),
    [
        ("Mar 12, 2025", "2025-03-12"),
        ("March 12 2025", "2025-03-12"),
        ("2025-03-12", "2025-03-12"),
        ("Sept 3", "--09-03"),
        ("Feb 29", "--02-29"),
        ("feb. 2", "--02-02"),
        ("13 Mar", "--03-13"),
        ("March 13th", "--03-13"),
        ("Friday, Mar 13", "--03-13"),
        ("Thu 2 Jan", "--01-02"),
        ("12 March 2025", "2025-03-12"),
        ("March 1st, 2025", "2025-03-01"),
        ("2025/03/12", "2025-03-12"),
        # Saved in another language (a review: every paper was dated by the clock, and `12
        # mars` became a paper).
        ("3月12日", "--03-12"),
        ("2026年3月12日", "2026-03-12"),
        ("2026년 3월 12일", "2026-03-12"),
        ("12 mars", "--03-12"),
        ("12. März 2026", "2026-03-12"),
        ("12 de marzo de 2026", "2026-03-12"),
        ("12 марта 2026 г.", "2026-03-12"),
        ("12 JUİN", "--06-12"),  # İ matches i, but folds otherwise: it stopped ingest with a traceback
        # With the weekday, as Japanese, Chinese and Korean pages print dates (a reviewer's
        # were papers of the clock's day); and numeric forms with a dot or unpadded.
        ("3月12日(木)", "--03-12"),
        ("3月12日（木曜日）", "--03-12"),
        ("2026年3月12日 星期四", "2026-03-12"),
        ("3月12日 周四", "--03-12"),
        ("3월 12일 (목)", "--03-12"),
        ("2026. 3. 12. 목요일", "2026-03-12"),
        ("2026/3/12", "2026-03-12"),
        # Arabic, Persian and Hebrew months, in any digits (a reviewer's were skipped as
        # titles without an abstract, their papers dated by the clock or the line before).
        ("١٢ مارس ٢٠٢٦", "2026-03-12"),
        ("الخميس، 19 مارس 2026", "2026-03-19"),
        ("۱۷ مارس ۲۰۲۶", "2026-03-17"),
        ("12 آذار", "--03-12"),
        ("3 كانون الثاني", "--01-03"),
        ("18 במרץ 2026", "2026-03-18"),
        ("יום חמישי, 19 במרץ 2026", "2026-03-19"),
    ],
)
def test_date_lines_with_and_without_a_year(line: str, listed: str) -> None:
    result = parse_text(f"{line}\n\nA Title\n\n{ABSTRACT}\n", "d.txt", "d.txt")
    assert [e.source.listed for e in result.entries] == [listed]


def test_a_title_of_dotted_numbers_is_a_title() -> None:
    """`2024.1.5` read as a date line lost its paper and dated the next one two years back,
    without a word (a code review): dots date a line only as Korean pages write them,
    spaced (`2026. 3. 12.`)."""
    text = f"Mar 12, 2026\n\n2024.1.5\n\n{ABSTRACT}\n\nAnother Title\n\n{ABSTRACT} More.\n"
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.source.listed) for e in result.entries] == [
        ("2024.1.5", "2026-03-12"),
        ("Another Title", "2026-03-12"),
    ]


def test_a_weekday_in_another_language_is_checked_as_an_english_one() -> None:
    result = parse_text(f"2026年3月13日 星期四\n\nA Title\n\n{ABSTRACT}\n", "d.txt", "d.txt")
    assert [p.format() for p in result.problems] == [
        "d.txt:1: warning: 四, but Mar 13, 2026 is a Friday: check the date"
    ]
    # Sunday has two names, 星期日 and 星期天: both are read.
    for line in ("2026年3月15日 星期天", "2026年3月15日 星期日"):
        assert parse_text(f"{line}\n\nA Title\n\n{ABSTRACT}\n", "d.txt", "d.txt").problems == []
    result = parse_text(f"2026年3月16日 星期天\n\nA Title\n\n{ABSTRACT}\n", "d.txt", "d.txt")
    assert [p.format() for p in result.problems] == [
        "d.txt:1: warning: 天, but Mar 16, 2026 is a Monday: check the date"
    ]
    # An Arabic one was matched and dropped (a code review).
    result = parse_text(f"الجمعة، 19 مارس 2026\n\nA Title\n\n{ABSTRACT}\n", "d.txt", "d.txt")
    assert [p.format() for p in result.problems] == [
        "d.txt:1: warning: الجمعة, but Mar 19, 2026 is a Thursday: check the date"
    ]


@pytest.mark.parametrize("line", ["Feb 30", "Apr 31", "Feb 29, 2025", "2025-13-01"])
def test_an_impossible_date_is_an_error_at_its_line(line: str) -> None:
    result = parse_text(f"new\n\n{line}\n\nA Title\n\n{ABSTRACT}\n", "d.txt", "d.txt")
    assert [p.format() for p in result.problems][:1] == [
        f"d.txt:3: error: no such date: {line!r}; the entries after it are skipped"
    ]
    assert result.entries == []


def test_one_bad_byte_costs_only_its_own_entry() -> None:
    text = (
        "Mar 12\n\nZürich Models\n\nAbstract about Zürich, on one line.\n\nBroken \xff Title\n\n" + ABSTRACT
    )
    data = text.encode("utf-8").replace("\xff".encode(), b"\xff")
    decoded, problems, bad = decode(data, "b.txt")
    assert decoded is not None and bad == frozenset({7})
    assert [p.format() for p in problems] == [
        "b.txt:7: warning: not valid UTF-8 (byte 0xff); this line's entry is skipped"
    ]
    result = parse_text(decoded, "b.txt", "b.txt", bad)
    assert [e.title for e in result.entries] == ["Zürich Models"]


POOL = seed_entries(40)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(range(len(POOL))), min_size=3, max_size=8, unique=True),
    st.sampled_from(["split", "drop-title", "drop-abstract", "separator", "none"]),
    st.integers(min_value=0, max_value=7),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
)
def test_one_damaged_line_never_shifts_the_entries_after_it(
    picks: list[int], damage: str, where: int, newline: str
) -> None:
    entries = [POOL[i] for i in picks]
    hit = where % len(entries)
    lines = dump_of(entries)
    title, abstract = entries[hit]
    if damage == "split" and ". " in abstract:
        at = lines.index(abstract)
        cut = abstract.index(". ") + 1
        lines[at : at + 1] = [abstract[:cut], abstract[cut + 1 :]]
    elif damage == "drop-title":
        lines.remove(title)
    elif damage == "drop-abstract":
        lines.remove(abstract)
    elif damage == "separator":
        lines[lines.index(abstract)] = abstract.replace(" ", "\u2028", 1)
    result = parse_text(newline.join(lines), "h.txt", "h.txt")
    found = [(e.title, e.abstract) for e in result.entries]
    titles = {t for t, _ in entries}
    assert all(t in titles for t, _ in found)  # never a title made of an abstract's sentence
    after = entries[hit + 1 :]
    assert found[len(found) - len(after) :] == after  # nothing after the damage is shifted
    if damage in ("none", "separator") or (damage == "split" and ". " not in abstract):
        assert found == entries and result.problems == []
    else:
        assert result.problems  # the damage is always reported


def test_a_two_sentence_title_with_a_final_period_starts_its_own_entry() -> None:
    """Joined to the abstract before it, such a title and its abstract made the paper before
    look like a copy of this one, and dedupe merged two papers (found at 100,000 papers)."""
    entries = seed_entries(4)
    title = "Novive: Large Language Models on historical texts. A humanities informed approach."
    entries[2] = (title, entries[2][1])
    result = parse_text("\n\n".join(dump_of(entries)), "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == entries
    assert result.problems == []


def test_a_short_paragraph_before_the_next_title_still_joins_the_abstract() -> None:
    entries = seed_entries(4)
    lines = dump_of(entries)
    at = lines.index(entries[1][1])
    lines.insert(at + 1, "Our code is available on request. The data will follow in a later version.")
    result = parse_text("\n\n".join(lines), "j.txt", "j.txt")
    assert [e.title for e in result.entries] == [t for t, _ in entries]
    assert (
        result.entries[1].abstract
        == entries[1][1] + "\n\nOur code is available on request. The data will follow in a later version."
    )
    assert [p.message[:20] for p in result.problems] == ["a second paragraph f"]


@pytest.mark.parametrize(
    "line", ["Mar 12, 1969", "Dec 31, 9999", "1900-01-01", "12 March 3000", "0000-01-01", "0000年3月12日"]
)
def test_a_year_no_listing_has_is_an_error_at_its_line(line: str) -> None:
    """The build counts days from 1970 and names weeks after a listing's: such a year is a typo."""
    result = parse_text(f"new\n\n{line}\n\nA Title\n\n{ABSTRACT}\n", "d.txt", "d.txt")
    assert [p.format() for p in result.problems][:1] == [
        f"d.txt:3: error: a year outside 1970–2999: {line!r}; the entries after it are skipped"
    ]
    assert result.entries == []


@pytest.mark.parametrize("title", ["Janus 2", "Marco 7", "May 2025", "2025/03-12", "Sun 12"])
def test_titles_that_look_a_little_like_dates_are_not_dates(title: str) -> None:
    result = parse_text(f"Mar 12\n\n{title}\n\n{ABSTRACT}\n", "d.txt", "d.txt")
    assert [e.title for e in result.entries] == [title]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_a_dump_saved_as_utf16_or_utf32_with_its_mark_reads_as_utf8(codec: str) -> None:
    """Notepad's "Unicode" was refused as binary (its NUL bytes)."""
    text = f"Mar 12\n\nÉtude: A Title\n\n{ABSTRACT}\n"
    data = ("\ufeff" + text).encode(codec) if codec.endswith("-be") else text.encode(codec)
    result = parse_dump(data, "d.txt", "d.txt")
    expected = parse_dump(text.encode("utf-8"), "d.txt", "d.txt")
    assert result.problems == [] and result.entries == expected.entries
    assert [e.title for e in result.entries] == ["Étude: A Title"]


def test_a_stray_nul_in_a_paste_costs_nothing_but_itself() -> None:
    result = parse_dump(f"Mar 12\n\nA Ti\0tle\n\n{ABSTRACT}\n".encode(), "d.txt", "d.txt")
    assert [e.title for e in result.entries] == ["A Title"]
    assert [p.format() for p in result.problems] == [
        "d.txt:3: warning: NUL bytes in the text (a paste's); dropped"
    ]


def test_a_select_all_paste_leaves_the_pages_chrome_out() -> None:
    """A reviewer's pastes of the desktop and mobile pages made 17 pages for 3 papers:
    `Upvote`/`42`, `Submitted by`/`akhaliq`, `Log In`/`Sign Up`, `· 5 authors` as titles."""
    desktop = (
        "Hugging Face\nModels\nDatasets\nSpaces\nPosts\nDocs\nPricing\nLog In\nSign Up\nDaily Papers\n"
        "Week 11, 2025\n← Previous day\nNext day →\nMar 12\n"
        "Submitted by\nakhaliq\nUpvote\n42\nFirst Paper on Serving\n· 5 authors\nPublished on Mar 12\n"
        f"{ABSTRACT}\n3 comments\nUpvote\n8\nSecond Paper on Agents\n· 12 authors\n"
        "Agents plan multi-step tool calls on the web, and we measure how often they finish the task.\n"
        "Load more\nSystem theme\nCompany\nTOS\nPrivacy\nAbout\nJobs\nWebsite\n"
    )
    mobile = (
        "Mar 12\nFirst Paper on Serving\nPublished on Mar 12\n·\n5 authors\n" + ABSTRACT + "\n▲ 42\n💬 3\n"
    )
    for text in (desktop, mobile):
        result = parse_text(text, "d.txt", "d.txt")
        assert [e.title for e in result.entries] == ["First Paper on Serving", "Second Paper on Agents"][
            : len(result.entries)
        ]
        assert len(result.entries) == (2 if text is desktop else 1) and result.problems == []
        assert result.entries[0].abstract == ABSTRACT


def test_a_papers_links_and_counts_are_left_out_of_a_paste() -> None:
    """A new user's paste made pages titled `1.2k` (the abstract of the paper after it as
    their body), `View PDF` and `Add to collection`: a GitHub link's star count, and the
    paper page's buttons."""
    text = (
        "Mar 12\nA Tiny Agent That Browses the Web\n" + ABSTRACT + "\nGitHub\n1.2k\nView PDF\n"
        "Add to collection\nSecond Paper on Agents\n"
        "Agents plan multi-step tool calls on the web, and we measure how often they finish the task.\n"
        "GitHub 3.4k\n12k\nThird Paper on Serving\n" + ABSTRACT + "\n"
    )
    result = parse_text(text, "d.txt", "d.txt")
    titles = ["A Tiny Agent That Browses the Web", "Second Paper on Agents", "Third Paper on Serving"]
    assert [e.title for e in result.entries] == titles and result.problems == []
    # Short titles of numbers stay titles (a reviewer's `4M`, and `2048` after a GitHub link).
    text = "Mar 12\n4M\n" + ABSTRACT + "\nGitHub\n2048\n" + ABSTRACT.replace("We", "Here we") + "\n"
    assert [e.title for e in parse_text(text, "d.txt", "d.txt").entries] == ["4M", "2048"]


def test_entries_before_the_first_date_line_are_said_to_be_dated_otherwise() -> None:
    """A reviewer's entries pasted above the day's date line were dated the day of the
    ingest without a word (the warning came only for a dump with no date line at all)."""
    text = f"Early Paper\n{ABSTRACT}\nMar 12\nLater Paper\n{ABSTRACT.replace('serving', 'routing')}\n"
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.source.listed) for e in result.entries] == [
        ("Early Paper", ""),
        ("Later Paper", "--03-12"),
    ]
    assert [(p.line, p.message) for p in result.problems] == [
        (
            1,
            "1 entry before the first date line; dated by the file name, or else the day each paper is "
            "first ingested",
        )
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_dump_with_an_unresolved_merge_is_refused_at_its_first_marker(newline: str) -> None:
    """Two people fixed the same abstract and git left both: the markers read as titles
    (a page titled "=======", "<<<<<<< HEAD" kept as an alias for good)."""
    text = (
        HEADER
        + f"Mar 12\n\nFirst Paper\n\n<<<<<<< HEAD\n{ABSTRACT} Mine.\n=======\n{ABSTRACT}\n>>>>>>> 1a2b3c\n"
    )
    result = parse_text(text.replace("\n", newline), "d.txt", "d.txt")
    assert result.entries == [] and not result.readable
    assert [(p.line, p.severity, p.message) for p in result.problems] == [
        (
            13,
            "error",
            "an unresolved merge conflict (git's '<<<<<<<' line): keep the side you want, delete the "
            "marker lines, then run again; the file is skipped",
        )
    ]
    half_resolved = HEADER + f"Mar 12\n\nFirst Paper\n\n{ABSTRACT}\n>>>>>>> 1a2b3c\n"
    assert [p.line for p in parse_text(half_resolved, "d.txt", "d.txt").problems] == [14]
    ruled = (
        HEADER + f"Mar 12\n\nFirst Paper\n\n{ABSTRACT}\n\n=======\n\nMar 13\n\nSecond Paper\n\n{ABSTRACT}\n"
    )
    ruled_off = parse_text(ruled, "d.txt", "d.txt")  # `=======` alone rules off a day: no conflict
    assert [e.title for e in ruled_off.entries] == [
        "First Paper",
        "Second Paper",
    ] and ruled_off.problems == []
    seven = HEADER + f"Mar 12\n\n<<<<<<<< Eight Is Not a Marker\n\n{ABSTRACT}\n"  # 8 signs: text
    assert [e.title for e in parse_text(seven, "d.txt", "d.txt").entries] == [
        "<<<<<<<< Eight Is Not a Marker"
    ]


@pytest.mark.parametrize(
    "junk",
    [
        ["Previous", "Next"],
        ["Search any paper with AI", "Submit"],
        ["👍", "37"],
        ["2025/03-12", "42"],  # no letters: not a date, and no title where none is due
        ["★ 1.2k"],
        ["Submitted by Jane Doe"],
        ["arXiv:2503.01234"],
        ["View arXiv page", "GitHub"],
        ["\u200b"],
        ["\u200d\u200e"],
    ],
)
def test_lines_a_paste_of_the_live_page_adds_are_left_out(junk: list[str]) -> None:
    """Navigation, counts, emoji, names, links and invisible "blank" lines, between entries
    or between a title and its abstract: they made pages titled "Previous", "👍" and
    "1-2k", or took the real title's place (a reviewer's pastes of the live page)."""
    extra = "\n\n".join(junk)
    text = f"Mar 12\n\n{extra}\n\nFirst Paper\n\n{extra}\n\n{ABSTRACT}\n\n{extra}\n\nSecond Paper\n\n{ABSTRACT}\n"
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [
        ("First Paper", ABSTRACT),
        ("Second Paper", ABSTRACT),
    ]
    assert result.problems == []


@pytest.mark.parametrize(
    "title",
    [
        "Attention, Please: Serving LLMs",
        "Sparse, Dense, and Attentional Representations for Text Retrieval",
        "Llama 2: Open Foundation and Fine-Tuned Chat Models",
        "Mamba",
        "Orca, Vicuna and Alpaca",
        "Sparse Experts, Dense Models",
    ],
)
def test_titles_with_commas_or_one_word_stay_titles(title: str) -> None:
    """Even one shaped like a list of names, where a title is due."""
    result = parse_text(f"Mar 12\n\n{title}\n\n{ABSTRACT}\n", "d.txt", "d.txt")
    assert [e.title for e in result.entries] == [title]


def test_invisible_characters_inside_a_line_go() -> None:
    """ "LL\u200bMs" is "LLMs" to a reader, and must be to search."""
    result = parse_text(f"Mar 12\n\n\ufeffLL\u200bMs at Sc\u00adale\n\n{ABSTRACT}\u2060\n", "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [("LLMs at Scale", ABSTRACT)]


@pytest.mark.parametrize(
    "names", ["Jane Doe, Wei Zhang and María García-López", "J. Doe, Wei Zhang", "Jane Doe et al."]
)
def test_the_authors_under_a_title_are_left_out(names: str) -> None:
    result = parse_text(f"Mar 12\n\nFirst Paper\n\n{names}\n\n{ABSTRACT}\n", "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [("First Paper", ABSTRACT)]
    assert result.problems == []


def test_a_title_shaped_like_two_names_after_a_title_without_abstract_is_a_title() -> None:
    """ "Sparse Experts, Dense Models" after a title that lost its abstract was read as the
    authors: the first title took the second's abstract without a word (a reviewer)."""
    long = ABSTRACT * 4  # a real abstract's length
    text = f"Mar 12\n\nScaling Retrieval for Long Questions\n\nSparse Experts, Dense Models\n\n{long}\n"
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [("Sparse Experts, Dense Models", long)]
    assert [p.line for p in result.problems] == [3]  # the first title's lost abstract, at its line


@pytest.mark.parametrize(
    "title",
    ["A Reply to Kaplan et al.", "Submitted by the Crowd: Peer Review at Scale", "Revisiting Chen et al."],
)
def test_titles_that_look_a_little_like_chrome_stay_titles(title: str) -> None:
    result = parse_text(
        f"Mar 12\n\nFirst Paper\n\n{ABSTRACT}\n\n{title}\n\n{ABSTRACT} More.\n", "d.txt", "d.txt"
    )
    assert [e.title for e in result.entries] == ["First Paper", title]


def test_a_hard_wrapped_dump_is_read_whole_with_one_warning() -> None:
    """An email newsletter wraps lines at 76 characters: each abstract's lines were taken for
    titles, and 4 papers made 38 pages (a reviewer's paste)."""
    import textwrap

    papers = [
        (f"Paper Number {n}: A Method for Serving Language Models Quickly and Well at Scale", ABSTRACT * 4)
        for n in range(4)
    ]
    flat = "Mar 12\n\n" + "".join(f"{t}\n\n{a}\n\n" for t, a in papers)
    wrapped = "Mar 12\n\n" + "".join(
        f"{textwrap.fill(t, 76)}\n\n{textwrap.fill(a, 76)}\n\n" for t, a in papers
    )
    result = parse_text(wrapped, "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [
        (e.title, e.abstract) for e in parse_text(flat, "d.txt", "d.txt").entries
    ]
    assert [e.title for e in result.entries] == [t for t, _ in papers]
    assert [(p.line, p.message) for p in result.problems] == [
        (
            1,
            f"lines wrapped at about {max(map(len, wrapped.splitlines()))} characters (as an email gives "
            "them): each run of lines up to a blank line is read as one title or abstract",
        )
    ]
    assert (
        result.entries[1].source.line
        == wrapped.splitlines().index(textwrap.fill(papers[1][0], 76).splitlines()[0]) + 1
    )


def test_a_dump_without_blank_lines_is_not_taken_for_a_wrapped_one() -> None:
    text = "Mar 12\n" + "".join(f"Paper {n}: Serving Models\n{ABSTRACT * 3}\n" for n in range(5))
    result = parse_text(text, "d.txt", "d.txt")
    assert len(result.entries) == 5 and result.problems == []


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_saved_without_its_mark_is_read_with_a_warning(codec: str) -> None:
    """An editor's "UTF-16 LE" without a mark was refused as a binary file."""
    text = f"Mar 12\n\nÉtude: A Title\n\n{ABSTRACT}\n"
    result = parse_dump(text.encode(codec), "d.txt", "d.txt")
    assert result.entries == parse_dump(text.encode("utf-8"), "d.txt", "d.txt").entries
    assert [p.message for p in result.problems] == [
        f"UTF-16 without a byte-order mark, read as {codec.upper()}; save dumps as UTF-8"
    ]
    assert not parse_dump(b"\x00\x01\x02\x03" * 40, "b.bin", "b.bin").readable  # binary: still refused


def test_dumps_that_are_not_wrapped_are_not_unwrapped() -> None:
    """Titles right over their abstracts, or over a line of authors, with no blank lines:
    read as wrapped, whole dumps were joined into lines and lost (a reviewer's dumps)."""
    from site_builder.ingest.dumps.lines import wrapped_width

    short = "We show that serving models quickly matters for everyone, in practice."  # under a wrap's width
    tight = "Mar 12\n\n" + "".join(
        f"Paper Number {n}: A Method for Serving Language Models Quickly\n{short}\n\n" for n in range(6)
    )
    blocks = "Mar 12\n\n" + "".join(
        f"Paper Number {n}: A Method for Serving Language Models Quickly\nJane Doe, Wei Zhang and Ann Lee\n"
        f"{ABSTRACT * 4}\n\n"
        for n in range(4)
    )
    for text in (tight, blocks):
        assert wrapped_width(text) == 0
        assert [e.title for e in parse_text(text, "d.txt", "d.txt").entries][:1] == [
            "Paper Number 0: A Method for Serving Language Models Quickly"
        ]


ONE_SENTENCE = (  # an abstract of one sentence: it may also be a title written with a final period
    "We propose a retrieval augmented generation method that filters noisy documents before "
    "generation and improves answer accuracy on four open-domain question answering benchmarks."
)


def test_a_title_without_an_abstract_before_a_one_sentence_abstract_costs_only_itself() -> None:
    """A reviewer's title with no abstract took the next title as its abstract and that
    paper's one-sentence abstract as a second paragraph: the next paper had no page."""
    text = (
        "Apr 6\nA Title With No Abstract Following It\nRetrieval-Augmented Generation with Noisy Documents\n"
        f"{ONE_SENTENCE}\nSecond Paper on Agents\n{ABSTRACT}\n"
    )
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.abstract, e.source.line) for e in result.entries] == [
        ("Retrieval-Augmented Generation with Noisy Documents", ONE_SENTENCE, 3),
        ("Second Paper on Agents", ABSTRACT, 5),
    ]
    assert [p.format() for p in result.problems] == [
        "d.txt:2: warning: title without an abstract (the next line reads as a title): "
        "'A Title With No Abstract Following It'; skipped"
    ]


@pytest.mark.parametrize("lost", [2, 3])
def test_abstracts_lost_in_a_row_cost_only_their_own_papers(lost: int) -> None:
    """A reviewer's `sed '13d;17d'`: each title became the abstract of the title before it,
    with no warning, and the paper after them lost its page."""
    lonely = [f"Lost Paper Number {n} on Serving Models" for n in range(lost)]
    text = "Mar 12\n" + "".join(f"{t}\n\n" for t in lonely) + f"Kept Paper on Agents\n\n{ABSTRACT}\n"
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [("Kept Paper on Agents", ABSTRACT)]
    assert [p.format() for p in result.problems] == [
        f"d.txt:{2 + 2 * n}: warning: title without an abstract (the next line reads as a title): "
        f"{t!r}; skipped"
        for n, t in enumerate(lonely)
    ]


def test_two_titles_at_the_end_of_a_listing_are_two_titles() -> None:
    """The second of two Title Case lines before the end (of the file, or of a day's
    listing) is not the first one's abstract: both are titles that lost theirs."""
    for end in ("", "Mar 13\n"):
        text = f"Mar 12\nAlpha Paper Title\nBeta Paper Title\n{end}"
        result = parse_text(text, "d.txt", "d.txt")
        assert result.entries == []
        assert [(p.line, p.message.split(":")[0]) for p in result.problems] == [
            (2, "title without an abstract (the next line reads as a title)"),
            (
                3,
                "title without an abstract at the end of the file"
                if not end
                else "title without an abstract before a date line",
            ),
        ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("We study sparse models.", ONE_SENTENCE),  # a first sentence, cut at its full stop
        (ABSTRACT, ONE_SENTENCE),
        ("Sparse models at scale", " ".join([ABSTRACT] * 4)),
    ],
)
def test_a_short_line_under_a_title_stays_its_abstract_where_no_title_is_due(first: str, second: str) -> None:
    """Only a line that reads as a title, over a one-sentence line that is not a title itself
    (over an abstract), is the next paper's title; else the two are paragraphs of one abstract
    — or, over a full abstract, the next title, as before."""
    text = f"Mar 12\nFirst Paper\n{first}\n{second}\nThird Paper on Serving\n{ABSTRACT}\n"
    result = parse_text(text, "d.txt", "d.txt")
    if len(second) >= 300:
        assert [e.title for e in result.entries] == [first, "Third Paper on Serving"]
        assert [p.line for p in result.problems] == [2]
    else:
        assert [(e.title, e.abstract) for e in result.entries] == [
            ("First Paper", f"{first}\n\n{second}"),
            ("Third Paper on Serving", ABSTRACT),
        ]
        assert [p.format() for p in result.problems] == [
            "d.txt:4: warning: a second paragraph for the abstract of 'First Paper'; joined to it"
        ]


def test_a_one_sentence_line_over_an_abstract_is_a_title_after_a_short_abstract() -> None:
    """A title written as a sentence with a final period, over its abstract, is still a title
    when the abstract before it is a short line without a full stop."""
    title = "We need better benchmarks for agents that browse the web on their own."
    long = " ".join([ABSTRACT] * 4)  # a real abstract's length
    text = f"Mar 12\nFirst Paper\nA short abstract without its full stop\n{title}\n{long}\n"
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [
        ("First Paper", "A short abstract without its full stop"),
        (title, long),
    ]
    assert result.problems == []


MEMORY = "We give LLM agents a memory that persists across sessions, and show that it helps them finish long tasks."


@pytest.mark.parametrize(
    "names", ["Alice Smith, Bob Jones", "Alice Smith, Bob Jones\n42", "42\nAlice Smith, Bob Jones"]
)
def test_two_authors_and_a_vote_count_under_a_title_are_left_out(names: str) -> None:
    """A reviewer's paste made a page titled "42" holding the paper's abstract, whose own
    page held the two authors' names."""
    text = f"Apr 10\nSeventh Paper On Agent Memory\n{names}\n{MEMORY}\nEighth Paper on Serving\n{ABSTRACT}\n"
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [
        ("Seventh Paper On Agent Memory", MEMORY),
        ("Eighth Paper on Serving", ABSTRACT),
    ]
    assert result.problems == []


def test_a_count_after_names_not_read_as_authors_is_not_a_title() -> None:
    """Names that do not read as an author line ("van") are taken for the abstract; the
    vote count after them is not the next title, so the paper's abstract joins its own
    entry, with a warning, and no page "42" is made."""
    names = "Ludwig van Beethoven, Bob Jones"
    text = (
        f"Apr 10\nSeventh Paper On Agent Memory\n{names}\n42\n{MEMORY}\nEighth Paper on Serving\n{ABSTRACT}\n"
    )
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [
        ("Seventh Paper On Agent Memory", f"{names}\n\n{MEMORY}"),
        ("Eighth Paper on Serving", ABSTRACT),
    ]
    assert [p.format() for p in result.problems] == [
        "d.txt:5: warning: a second paragraph for the abstract of 'Seventh Paper On Agent Memory'; joined to it"
    ]


@pytest.mark.parametrize("abstract", [ABSTRACT, " ".join([ABSTRACT] * 4), "Another."])
def test_an_abstract_pasted_twice_in_a_row_is_kept_once(abstract: str) -> None:
    """A reviewer's paragraph pasted twice was kept twice, the repeat as a second paragraph."""
    text = f"Mar 12\nFirst Paper\n{abstract}\n\n{abstract}\nSecond Paper on Agents\n{MEMORY}\n"
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [
        ("First Paper", abstract),
        ("Second Paper on Agents", MEMORY),
    ]
    assert [p.format() for p in result.problems] == [
        "d.txt:5: warning: the same paragraph again for the abstract of 'First Paper'; dropped"
    ]


def test_a_second_paragraph_pasted_twice_is_kept_once_and_other_repeats_stay() -> None:
    """Only the paragraph right before is a repeat: a paragraph that comes back later is joined."""
    second = "Our code is available on request. The data will follow in a later version."
    text = f"Mar 12\nFirst Paper\n{ABSTRACT}\n{second}\n{second}\n{ABSTRACT}\n"
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == [
        ("First Paper", f"{ABSTRACT}\n\n{second}\n\n{ABSTRACT}")
    ]
    assert [p.format() for p in result.problems] == [
        "d.txt:4: warning: a second paragraph for the abstract of 'First Paper'; joined to it",
        "d.txt:5: warning: the same paragraph again for the abstract of 'First Paper'; dropped",
        "d.txt:6: warning: a second paragraph for the abstract of 'First Paper'; joined to it",
    ]


def test_a_title_pasted_twice_in_a_row_is_kept_once_with_its_abstract() -> None:
    """Its first copy was reported as a title without an abstract."""
    result = parse_text(f"Mar 12\nFirst Paper\nFirst Paper\n{ABSTRACT}\n", "d.txt", "d.txt")
    assert [(e.title, e.abstract, e.source.line) for e in result.entries] == [("First Paper", ABSTRACT, 2)]
    assert [p.format() for p in result.problems] == [
        "d.txt:3: warning: the same title again: 'First Paper'; dropped"
    ]


def test_a_dumps_problems_come_in_the_order_of_their_lines() -> None:
    """A title orphaned by the over-long line after it was reported after that line's error."""
    text = f"Mar 12\nA Title Before a Huge Line\n{'x' * (MAX_LINE_CHARS + 1)}\nKept Paper\n{ABSTRACT}\n"
    result = parse_dump(text.encode("utf-8"), "d.txt", "d.txt")
    assert [p.line for p in result.problems] == [2, 3]
    assert [e.title for e in result.entries] == ["Kept Paper"]


CJK_ABSTRACTS = [
    "近年来，大型语言模型在多种自然语言处理任务上取得了显著进展。然而，它们在多智能体协作推理方面的能力仍不清楚。本文提出了一种新的框架，让多个智能体通过辩论和投票共同完成复杂的推理任务，并在数学和常识推理基准上验证了其有效性。",
    "本研究调查了大型语言模型在中文医学考试中的表现。我们收集了过去十年的考试题目，并评估了多个开源和闭源模型。结果表明，最好的模型的准确率达到了百分之七十五，但在药理学题目上仍有明显不足。",
    "大規模言語モデルの日本語能力を評価するための新しいベンチマークを提案する。本ベンチマークは読解、要約、敬語の使い分けなど十二のタスクから構成される。実験の結果、多くのモデルが敬語の扱いに課題を抱えていることが分かった。",
    "대규모 언어 모델의 한국어 추론 능력을 평가하기 위한 새로운 데이터셋을 소개한다. 이 데이터셋은 수학, 상식, 논리 퍼즐로 구성되어 있으며, 실험 결과 최신 모델들도 논리 퍼즐에서 어려움을 겪는 것으로 나타났다.",
]


def test_a_dump_of_chinese_japanese_and_korean_papers_is_aligned_around_a_stray_line() -> None:
    """A Chinese abstract of 150 characters ending in 。 read as a title, so one line of
    authors under a title made the next papers each other's: an abstract as a title, a lost
    paper (a review). Wide characters count as three, 。 ends a sentence, and a line of Han
    names is the authors'."""
    titles = [
        "大型语言模型的多智能体协作推理",
        "大模型在中文医学考试中的表现",
        "大規模言語モデルの日本語評価",
        "한국어 추론 데이터셋",
    ]
    entries = "".join(f"{t}\n\n{a}\n\n" for t, a in zip(titles, CJK_ABSTRACTS, strict=True))
    text = "Mar 12\n\n" + entries.replace(titles[0] + "\n\n", titles[0] + "\n\n张伟，李娜，王芳\n\n", 1)
    result = parse_text(text, "d.txt", "d.txt")
    assert [(e.title, e.abstract) for e in result.entries] == list(zip(titles, CJK_ABSTRACTS, strict=True))
    assert result.problems == []


def test_a_chinese_title_of_terms_is_no_author_list() -> None:
    """`大模型、多模态、智能体` read as authors: a paper lost, silently, and the title above it
    given the next abstract (a code review). Its abstract uses its terms; authors' names not."""
    abstract = CJK_ABSTRACTS[0].replace("大型语言模型", "大模型、多模态和智能体", 1)
    text = f"3月12日\n\n面向长文本的高效注意力机制\n\n大模型、多模态、智能体\n\n{abstract}\n\n"
    text += f"大模型在中文医学考试中的表现\n\n{CJK_ABSTRACTS[1]}\n"
    result = parse_text(text, "d.txt", "d.txt")
    assert [e.title for e in result.entries] == ["大模型、多模态、智能体", "大模型在中文医学考试中的表现"]
    assert [p.message for p in result.problems] == [
        "title without an abstract (the next line reads as a title): '面向长文本的高效注意力机制'; skipped"
    ]


def test_a_byte_order_mark_over_broken_text_is_read_with_a_warning() -> None:
    """A UTF-16 mark then an odd byte (a file cut short): read, the bad character shown."""
    data = b"\xff\xfe" + (HEADER + "Jun 7\n\nA Title\n\n" + ABSTRACT + "\n").encode("utf-16-le") + b"\x00\xd8"
    text, problems, _ = decode(data, "x.txt")
    assert text is not None and text.endswith("\ufffd")
    assert [p.format() for p in problems] == [
        "x.txt: warning: not valid UTF-16-LE after its byte-order mark; bad characters shown as \ufffd"
    ]

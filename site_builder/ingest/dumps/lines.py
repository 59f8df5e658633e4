"""A dump's lines: cleaned, and told apart — the page header, a date line, the chrome a paste
of the live page carries (navigation, counts, names), and text (titles and abstracts, which
dumps/sources.py aligns). A hard-wrapped dump (an email's) is unwrapped first.

Lines end only at `\\n`, `\\r\\n` and `\\r`; form feeds, `\\v`, U+0085 and U+2028/2029 inside
a line (common in text scraped from PDFs and JSON) are spaces, control and invisible
characters are dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from site_builder.core.text import CONTROL_CHARACTERS, INVISIBLE_CHARACTERS
from site_builder.ingest.dumps.date_lines import DATE_LINE
from site_builder.ingest.dumps.decoding import LINE_END

# Lines of the listing page's chrome: recognised wherever they appear, not only by position.
HEADER_LINES = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "byak and the research community",
        "daily papers",
    }
)
# Lines of the page's chrome that a select-all paste carries (Hugging Face Papers' desktop
# and mobile layouts, its footer and navigation), each whole on its line: never a title or
# an abstract (they made pages titled "Upvote", "· 5 authors", "Published on Mar 12").
CHROME = re.compile(
    r"""
    by\s*ak\s+and\s+the\s+research\s+community
    | submitted\s+by(\s+\S+)?
    | upvote(\s+\d+)? | [▲△⬆↑]\s*\d+                                  # votes
    | [·•]?\s*\d+\s+authors? | [·•☰]                                  # author counts, bullets
    | published\s+on\s+.{3,40} | \d+\s+comments? | 💬\s*\d+
    | log\s*in | sign\s*up | models | datasets | spaces | docs | pricing | posts | collections
    | ←\s*previous(\s+day)? | previous\s+day | next\s+day(\s*→)? | next\s*→ | daily | weekly | monthly
    | week\s+\d{1,2},?\s+\d{4} | hugging\s*face
    | system\s+theme | company | tos | privacy | about | jobs | website
    | thumbnail(\s+for\s+.*)? | load\s+more | (see|view|show)\s+(all|more)
    | previous | next | submit | search\s+any\s+paper\s+with\s+ai | view\s+arxiv\s+page
    | view\s+pdf | add\s+to\s+collection | github(\s+[\d.,]+\s*k?)?
    | paper\s+page | arxiv\s*:?\s*\d{4}\.\d{4,5}(v\d+)? | [★☆⭐]\s*[\d.,]+\s*k?     # links, stars
    | \d+(\.\d+)?\s*k                                                 # a count: 1.2k, 12k
    | (?:cs|math|stat|eess|econ|q-bio|q-fin|physics|astro-ph|cond-mat|quant-ph)\.[A-Za-z]{2}  # categories
    | bookmark | alphaxiv | sort\s+by | last\s+\d+\s+days | explore | communities | trending | hot | likes
    """,
    re.IGNORECASE | re.VERBOSE,
)
# "Submitted by Jane Doe": a name, each word capitalised (not "Submitted by the Crowd", a title).
SUBMITTED = re.compile(r"[Ss]ubmitted by (?:[A-Z][\w'.-]*|@?\w+)(?: [A-Z][\w'.-]*){0,3}")
COUNT = re.compile(r"\d+(\.\d+)?k?", re.IGNORECASE)  # a vote count: chrome only after "Upvote"
IN_LINE_SPACE = re.compile("[\t\x0b\x0c\x1c-\x1f\x85\u2028\u2029\xa0]")
LETTER = re.compile(r"[^\W\d_]")
# Control characters, and the invisible ones a paste carries (zero-width space, word joiner,
# BOM, soft hyphen): dropped from a line in one pass.
DROPPED = re.compile(f"[{CONTROL_CHARACTERS}{INVISIBLE_CHARACTERS}]")


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    kind: str  # "header", "date", "text"
    bad: bool = False  # not valid UTF-8: the entry it belongs to is skipped


def clean(raw: str) -> str:
    """A line as text: separators inside it become spaces, control characters and invisible
    ones (zero-width space, word joiner, BOM, soft hyphen) go, ends trimmed; a line of
    formatting characters alone (a zero-width joiner, a direction mark) is empty. Such a
    "blank" line made every title the next abstract's, and "LL\u200bMs" hid from search.
    Letters are composed (NFC): a paste from macOS in decomposed form rewrote pages that
    looked the same, and wrote Korean as jamo no `grep` for its words found."""
    if raw.isascii() and raw.isprintable():  # what the expressions look for is neither
        return " ".join(raw.split())
    raw = DROPPED.sub("", IN_LINE_SPACE.sub(" ", unicodedata.normalize("NFC", raw)))
    line = " ".join(raw.split())
    return "" if all(unicodedata.category(c) == "Cf" for c in line) else line


def read_lines(text: str, bad: frozenset[int] = frozenset()) -> Iterator[Line]:
    """The non-empty lines of a dump, numbered as an editor numbers them, with their kind."""
    follows = ""  # a lone "Submitted by" or "Upvote": the next line is its name or count
    for number, raw in enumerate(LINE_END.split(text.removeprefix("\ufeff")), start=1):
        line = clean(raw)
        if not line:
            continue
        chrome = (
            CHROME.fullmatch(line)
            or SUBMITTED.fullmatch(line)
            or (follows == "submitted by" and " " not in line)
            or (follows == "upvote" and COUNT.fullmatch(line))
        )
        follows = line.casefold()
        if chrome:
            continue  # as if not pasted: the lines either side stay neighbours
        if line.casefold() in HEADER_LINES:
            kind = "header"
        elif DATE_LINE.fullmatch(line):
            kind = "date"
        else:
            kind = "text"
        yield Line(number, line, kind, number in bad)


ET_AL = re.compile(r"(?:[A-Z][\w'’.-]*\s+){1,3}et\s+al\.?")  # "Jane Doe et al."
_NAME = re.compile(r"(?:[^\W\d_][\w'’.-]*\.?)")  # a word of a name: a letter first, no digits
_WIDE_NAME = r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3·・]{2,5}"
_WIDE_NAMES = re.compile(rf"{_WIDE_NAME}(?:\s*[，、,]\s*{_WIDE_NAME}){{2,}}")  # three names at least


def is_author_list(line: str, abstract: str = "") -> bool:
    """A line of two or more names, each of two to four capitalised words, separated by
    commas or "and" ("Jane Doe, Wei Zhang and Maria García"): the authors under a title
    in a paste, which took the title's place. Read so only right after a title (a title
    of that shape, "Sparse Experts, Dense Models", stays one where a title is due);
    `abstract` is the line after it, which tells two names from such a title."""
    if len(line) > 300 or ":" in line:
        return False
    if ET_AL.fullmatch(line):
        return True
    if _WIDE_NAMES.fullmatch(line):  # 张伟，李娜，王芳: names of Han, kana or Hangul
        # ... or a title's terms (大模型、多模态、智能体), which its abstract uses
        names = [n.strip() for n in re.split(r"[，、,]", line)]
        return bool(abstract) and not any(name in abstract for name in names)
    if "," not in line:
        return False
    names = [n.strip() for n in re.split(r",|\band\b|&", line) if n.strip()]
    named = len(names) >= 2 and all(
        2 <= len(words := name.split()) <= 4
        and all(_NAME.fullmatch(w) and w[0].isupper() and not any(c.isdigit() for c in w) for w in words)
        for name in names
    )
    if not named:
        return False
    # Two capitalised pairs may be a title where another title lost its abstract ("Sparse
    # Experts, Dense Models"): then three names at least, or one with an initial ("J. Doe"),
    # or two that share no word with the abstract after them, as a title's words do.
    if len(names) >= 3 or any(re.search(r"\b[A-Z]\.", name) for name in names):
        return True
    return bool(abstract) and not _words(" ".join(names)) & _words(abstract)


_WORD = re.compile(r"[^\W\d_]{3,}")  # a word of three letters or more ("Li" and "of" say nothing)


def _words(text: str) -> set[str]:
    """A text's words, in lower case and without a plural's "s" ("Models" is "model")."""
    return {w.removesuffix("s") for w in _WORD.findall(text.casefold())}


_DOCUMENT = re.compile(r"\s*<(?:!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_MARKUP = re.compile(r"\s*</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>.*>\s*$|\s*</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>\s*$")


def text_line(lines: list[Line], i: int) -> Line | None:
    """lines[i] if it is a text line (a header or date line ends what a line can belong to)."""
    return lines[i] if i < len(lines) and lines[i].kind == "text" else None


HTML_SOURCE = (
    "a web page's HTML source, not its text: copy the listing as the browser shows it; the file is skipped"
)


def html_source(lines: list[Line]) -> int | None:
    """The first line of markup, when a dump is a web page's HTML source rather than its
    text: a document's opening tag, or lines of tags making a fifth of its text (three at
    least). Read as text, its tags became papers (`<div class="date">Mar 12</div>`, a
    permanent page), dated the day of the paste (a reviewer)."""
    text = [line for line in lines if line.kind == "text"]
    for line in text[:20]:
        if _DOCUMENT.match(line.text):
            return line.number
    markup = [line.number for line in text if _MARKUP.match(line.text)]
    return markup[0] if len(markup) >= max(3, len(text) // 5) else None


# Words that say nothing of what a paper is about, for `stray_between`.
_PLAIN_TEXT = """the and for with from that this are our its into via can not all how new use using
based what when which while over under more than also has have was were these those such each
other only then their they them will one two here"""
_PLAIN_WORDS = frozenset(_PLAIN_TEXT.split())


def capitalised(text: str) -> float:
    """The share of longer words that start with a capital (high in Title Case titles)."""
    words = [w for w in text.split() if len(w) > 3 and w[0].isalpha()]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0.0


def stray_between(title: str, line: str, abstract: str) -> bool:
    """Whether a title-shaped `line` between a `title` and an `abstract` is a stray line (a
    link's text, a count: "Click here to view more", "57 upvotes") and not the next paper's
    title, the one above having lost its abstract: not in Title Case ("Kept Paper on Agents"
    is a title), and the abstract shares two words or more with the title and none with the
    line, as a paper's own title shares some. Taken as the title, the stray line was
    published with the paper's abstract (a reviewer)."""
    if capitalised(line) >= 0.6:
        return False
    said = _words(abstract) - _PLAIN_WORDS
    return len((_words(title) - _PLAIN_WORDS) & said) >= 2 and not (_words(line) - _PLAIN_WORDS) & said


WRAP_LINES = (40, 110)  # how long the lines of a hard-wrapped text are, but for each run's last
WRAPPED_RUNS = 3  # runs of WRAPPED_RUN lines or more, wrapped, make a dump a wrapped one
WRAPPED_RUN = 3
_TWO_LINES = re.compile(r"^[^\n\r]{40,110}(?:\r\n?|\n)[ \t]*[^\s][^\n\r]*$", re.MULTILINE)


def _runs(text: str) -> list[list[tuple[int, str]]]:
    """Each run of text lines up to a blank line (or a header, date or chrome line, which
    stay as they are): (index, cleaned line) of each."""
    runs: list[list[tuple[int, str]]] = [[]]
    for i, raw in enumerate(LINE_END.split(text)):
        line = clean(raw)
        if line and not (
            line.casefold() in HEADER_LINES or DATE_LINE.fullmatch(line) or CHROME.fullmatch(line)
        ):
            runs[-1].append((i, line))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _wraps(run: list[tuple[int, str]], width: int) -> bool:
    """Whether a run reads as one paragraph wrapped at `width`: no line longer, and each but
    the last as long as a greedy wrap leaves it — the next line's first word would not have
    fitted. A title over a line of authors, or over its abstract, is not (the word fits,
    or the abstract is longer than any wrapped line)."""
    low, _ = WRAP_LINES
    lines = [line for _, line in run]
    return (
        len(lines) >= 2
        and all(len(line) <= width for line in lines)
        and all(
            len(line) >= low and len(line) + 1 + len(after.split(" ", 1)[0]) > width
            for line, after in pairwise(lines)
        )
    )


def wrapped_width(text: str) -> int:
    """The width a hard-wrapped dump's lines were wrapped at (an email newsletter's 72-80
    characters), or 0 for a dump whose titles and abstracts are each on a line. Its
    abstracts read as dozens of lines, each taken for a title (a reviewer's 4 papers made
    38 pages)."""
    if not _TWO_LINES.search(text):
        return 0  # no two lines of that length without a blank between: most dumps, at once
    low, high = WRAP_LINES
    runs = _runs(text)
    # The width: the longest line of the runs that could be wrapped ones (three lines or
    # more, none longer than a wrap, but for the last none shorter).
    candidates = [
        run
        for run in runs
        if len(run) >= WRAPPED_RUN
        and all(len(line) <= high for _, line in run)
        and all(len(line) >= low for _, line in run[:-1])
    ]
    width = max((len(line) for run in candidates for _, line in run), default=0)
    wrapped = [run for run in candidates if _wraps(run, width)]
    return width if len(wrapped) >= WRAPPED_RUNS else 0


def unwrapped(text: str, width: int) -> str:
    """A dump wrapped at `width` with each wrapped run joined into its first line, the
    others left empty: every line keeps its number. Runs that are not wrapped (a title
    right over its abstract) stay as they are."""
    lines = LINE_END.split(text)
    for run in _runs(text):
        if _wraps(run, width):
            lines[run[0][0]] = " ".join(line for _, line in run)
            for i, _ in run[1:]:
                lines[i] = ""
    return "\n".join(lines)

"""What a dump's line reads as, by its shape alone: an ABSTRACT (long, sentences, a URL), a
TITLE (short, no full stop) or EITHER; dumps/sources.py aligns entries by it.

Lengths count a wide character (Han, Kana, Hangul) as three, and sentences end in any
alphabet and at `。！？`: a Chinese abstract of 150 characters was read as a title, and every
paper after it went wrong (a review)."""

from __future__ import annotations

import re
import unicodedata

from site_builder.ingest.dumps.lines import capitalised

SHORT_TITLE = 150  # a line of sentences this short, before an abstract, is a title (see starts_entry)
SENTENCE_INSIDE = re.compile(r"[a-z0-9)\]%][.!][\"')\]]*\s+[A-Z(\"']")
URL = re.compile(r"\bhttps?://|\bwww\.", re.IGNORECASE)


ABSTRACT, TITLE, EITHER = "abstract", "title", "either"


def shape(text: str) -> str:
    """What a line reads as: an ABSTRACT (long, several sentences, a URL), a TITLE (short,
    no full stop), or EITHER — one sentence with a full stop, which may be a title written
    with a final period or a piece of an abstract cut at a sentence; its neighbours decide."""
    n = len(text) if text.isascii() else _width(text)
    if n >= 300 or URL.search(text):
        return ABSTRACT
    if capitalised(text) >= 0.5:  # Title Case: "Do LLMs Dream? A Study of Sleep." is a title
        return TITLE
    if _sentence_inside(text) and n >= 60:  # two sentences, the first ending in . or !
        return ABSTRACT
    if text.endswith((".", "。", "．")) and n >= 50:
        return EITHER
    return TITLE


def _width(text: str) -> int:
    """A line's length with each wide character (Han, Kana, Hangul) counted as three: a
    150-character Chinese abstract says as much as a 450-character English one, and read as
    a title it made every paper after it the wrong one's (a review)."""
    return len(text) + 2 * sum(unicodedata.east_asian_width(c) in "WF" for c in text)


# A sentence ending inside a line, in any alphabet (`…обучения. Мы …`), or a wide full stop,
# exclamation or question mark with more after it (`…效率。我们…`).
_ANY_SENTENCE_INSIDE = re.compile(r"(\w)[.!][\"')\]]*\s+[(\"']?(\w)|[。！？][^\s。！？」』）]")


def _sentence_inside(text: str) -> bool:
    if SENTENCE_INSIDE.search(text):
        return True
    if text.isascii():
        return False
    for match in _ANY_SENTENCE_INSIDE.finditer(text):
        before, after = match.group(1), match.group(2)
        if before is None or ((before.islower() or before.isdigit()) and after.isupper()):
            return True
    return False


def starts_entry(text: str, after: str | None, first: bool) -> bool:
    """Where a title is due: is this line one (else it continues the abstract before it)?

    A title-shaped line is. A one-sentence line is when an abstract follows (a title with a
    final period), or when there is no abstract before it to continue. A longer line that
    reads as sentences still is when an abstract follows and it does not end like a
    sentence, or is short: a two-sentence title ("… historical texts. A humanities informed
    approach", with a final period in some listings). Joined to the abstract before it, such
    a title and the abstract after it would make that paper look like a copy of this one,
    and dedupe would merge the two.
    """
    kind = shape(text)
    if kind == TITLE:
        return True
    if kind == EITHER:
        return after == ABSTRACT or first
    if after != ABSTRACT or URL.search(text):
        return False
    return len(text) < SHORT_TITLE or (len(text) < 300 and not text.endswith((".", "!")))


def reads_as_title(text: str) -> bool:
    """A title-shaped line that does not end like a sentence, unless in Title Case: where an
    abstract is due, such a line followed by a one-sentence abstract is a title whose
    abstract follows, not a short abstract (a piece of an abstract cut at a sentence ends
    with its full stop, and stays one)."""
    return shape(text) == TITLE and (capitalised(text) >= 0.5 or not text.endswith("."))


def title_cased(text: str) -> bool:
    """Written as titles are and abstracts are not: in Title Case, with no final full stop."""
    return capitalised(text) >= 0.5 and not text.endswith(".")

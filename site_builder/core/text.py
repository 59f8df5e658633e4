"""Text rules shared by ingest and build: title keys and permanent, filesystem-safe slugs.

A slug is derived once from the title and then stored in the page, so URLs never change
when a paper is retitled or these rules improve. A title key is the form under which two
spellings of one title compare equal.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from urllib.parse import SplitResult, urlsplit

from site_builder.core.runtime.hashing import short_hash

MAX_SLUG = 80
# Names Windows cannot store as files, with any extension (`aux.html`).
WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", "clock$"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)
# Names the site itself uses, and those.
RESERVED = WINDOWS_DEVICES | {
    *("index", "tags", "tag", "search", "404", "page", "papers", "assets", "feed", "sitemap", "robots")
}
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: `$` also matched before a final newline ("index\n")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_QUOTES = str.maketrans({c: "'" for c in "‘’‚‛′`´"} | {c: '"' for c in "“”„‟″"})
_DASHES = re.compile(r"[‐‑‒–—―−﹘﹣－]")
# Characters a paste carries that no reader sees: zero-width space, word joiner, BOM, soft
# hyphen (ingest/dumps/lines.py drops them from dumps; title keys ignore them).
INVISIBLE_CHARACTERS = "\u200b\u2060\ufeff\u00ad"
_INVISIBLE = re.compile(f"[{INVISIBLE_CHARACTERS}]")


@functools.lru_cache(maxsize=1 << 18)
def title_key(title: str) -> str:
    """The form under which title variants compare equal (case, quotes, dashes, spaces, final dot).

    Remembered: an ingest asks it of every title three times (dates, dedupe, merge)."""
    text = unicodedata.normalize("NFKC", title).casefold().translate(_QUOTES)
    # Invisible characters (zero-width space, soft hyphen …), which ingest now drops from
    # dumps: a page written with them is the same paper's (a second page was made).
    text = _INVISIBLE.sub("", _DASHES.sub("-", text))
    text = " ".join(text.split())
    return text.rstrip(" .,;:!?")


# Chinese, Japanese and Korean letters: their texts do not put spaces between words (Korean
# not within a word and its particles), so search and related papers read a run of them as
# its overlapping pairs of letters, as search engines' CJK analysers do: `大模型推理` is 大模
# 模型 型推 推理, and the query `模型` finds it (read as one word, a clause was found only by
# its first letters). 々〆〇 beside kana and ideographs, Hangul syllables, the rarer
# ideographs past U+FFFF. search-engine.js `CJK` is the same class.
CJK_LETTERS = (
    "\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f"
)
CJK_RUN = re.compile(f"([{CJK_LETTERS}]+)")


def letter_pairs(run: str) -> list[str]:
    """A run of CJK letters as its overlapping pairs (one letter alone as itself)."""
    return [run[i : i + 2] for i in range(max(1, len(run) - 1))]


# Arabic's article and the conjunctions and prepositions written onto a word with it, as
# the light stemmers of Lucene and Larkey strip them (`النموذج`, `بالاسترجاع` are نموذج,
# استرجاع: a reader's `ترجمة` found nothing of `الترجمة`). Longest first. Not `و` alone:
# many words begin with it (وكلاء, ورقة), and `وكلاء` then found nothing of `الوكلاء`.
# search-engine.js `ARABIC_PREFIXES` is the same list.
ARABIC_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_ARABIC = re.compile("[\u0621-\u064a]")


def arabic_light(word: str) -> str:
    """A folded word without the Arabic article or the conjunction before it, if it has one."""
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def pieces(match: str) -> list[str]:
    """A word as the words search reads in it: a run of CJK letters as its pairs of letters
    (one letter alone as itself), what stands between them as a word of its own; an Arabic
    word without its article (`arabic_light`)."""
    if match.isascii():
        return [match]
    if not CJK_RUN.search(match):
        return [arabic_light(match)] if _ARABIC.match(match) else [match]
    out: list[str] = []
    for n, part in enumerate(CJK_RUN.split(match)):
        if n % 2:
            out += letter_pairs(part)
        elif part := part.strip("-.'’"):
            out.append(part)
    return out


_KANA_MARKS = "\u3099\u309a"  # (han)dakuten: デ is not テ, as é is e
# Letters Arabic and Persian writers use for one another: Persian yeh and keheh, alef
# maksura, teh marbuta (`یادگیری` and `يادگيري`, `المعرفة` and `المعرفه` are one word).
# search-engine.js `SPELLED` holds them too.
_SAME_LETTERS = str.maketrans(
    {"\u06cc": "\u064a", "\u06a9": "\u0643", "\u0649": "\u064a", "\u0629": "\u0647"}
)


def fold(text: str) -> str:
    """Lowercase without accents: `Schrödinger` and `schrodinger` are the same word, and
    `Łódź` and `lodz`, `Straße` and `strasse` (core/text.py `SPELLED_LETTERS`); composed
    again, so that a Korean syllable stays one letter (NFKD writes it as its jamo)."""
    if text.isascii():
        return text.lower()
    # (the variants after NFKD: a PDF's presentation forms, ﺍﻟﺘﺮﺟﻤﺔ, are letters only then)
    decomposed = unicodedata.normalize("NFKD", text.translate(SPELLED_LETTERS)).translate(_SAME_LETTERS)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn" or c in _KANA_MARKS)
    return unicodedata.normalize("NFC", kept).lower()


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew, Arabic, Syriac, Thaana …


def text_dir(text: str) -> str:
    """`rtl` for a text most of whose letters are written right to left, else `auto` (the
    first strong letter's): an Arabic title opening with `LoRA-Pro:` was laid out left to
    right. reading.js and search.js `textDir` are the same."""
    if text.isascii():
        return "auto"
    letters = [c for c in text if c.isalpha()]  # (not marks, digits or punctuation of those scripts)
    return "rtl" if 2 * sum(1 for c in letters if _RIGHT_TO_LEFT.match(c)) > len(letters) else "auto"


def hyphenate(text: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens (`Flash-LLM 2!` → `flash-llm-2`)."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


# Letters that do not decompose into an ASCII letter and an accent, as they are written in
# ASCII (`großer` was the slug `groer`, `Łódź` `odz`, and search for `Lodz` found nothing):
# slugs and search fold them alike (search-engine.js `SPELLED` is the same table).
SPELLED_LETTERS = str.maketrans(
    {"ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th"}
    | dict(zip("łŁøØđĐðÐıħĦŋŊ", "lLoOdDdDihHnN", strict=True))
)
# Greek letters by name, as titles use them (`α-Divergences` was the slug `divergences`,
# where `$\alpha$-…` gave `alpha-…`): for slugs only (search finds `α` as itself).
_GREEK = [
    *("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"),
    *("lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "sigma", "tau", "upsilon"),
    *("phi", "chi", "psi", "omega"),
]
_SPELLED = str.maketrans(
    {chr(0x3B1 + n): name for n, name in enumerate(_GREEK)}  # α … ω, with ς
    | {chr(0x391 + n): name for n, name in enumerate(_GREEK) if n != 17}  # Α … Ω (no capital ς)
)


def accents_dropped(text: str) -> str:
    """`Über naïve` → `Uber naive`, other non-ASCII letters left out: how tag file names
    are folded, and must stay (`ascii_folded` spells more letters, and a tag's page and
    feed would move, with nothing at the old address; a code review)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def ascii_folded(text: str) -> str:
    """`Über naïve` → `Uber naive`, `Straße` → `Strasse`, `α` → `alpha`: accents dropped,
    other letters written as in ASCII where they have a spelling, else left out."""
    return accents_dropped(text.translate(SPELLED_LETTERS).translate(_SPELLED))


# LaTeX commands whose argument is the text (`\textit{word}`, `\mathbf{x}`), as titles and
# abstracts from arXiv carry them.
TEXT_COMMANDS = re.compile(r"\\(?:text(?:it|bf|tt|sc|rm|sf)|emph|math(?:rm|bf|it|cal|bb|sf|tt))\{([^{}]*)\}")


def slugify(title: str) -> str:
    """ASCII-folded, lowercase, hyphen-separated, at most MAX_SLUG characters, never reserved.
    A LaTeX text command gives its text, not its name (`$\texttt{LLM-Pruner}$` was a slug
    `texttt-llm-pruner-…`); a Greek letter's name stays (`$\alpha$-tuning`, `alpha-tuning`)."""
    if "\\" in title:
        title = TEXT_COMMANDS.sub(r"\1", title)
    slug = hyphenate(ascii_folded(title))
    if len(slug) > MAX_SLUG:
        cut = slug[: MAX_SLUG + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[20:] else slug[:MAX_SLUG]
        slug = slug.strip("-")
    if not slug:
        # All emoji, CJK or punctuation: a stable name from the title itself.
        slug = f"paper-{short_hash(title, length=8)}"
    elif _mostly_unspelled(title):  # `GPT-4 在中文医学考试中的表现`: not `gpt-4`, `gpt-4-2` …
        slug = hashed(slug, title)
    if slug in RESERVED:
        slug = f"{slug}-paper"
    return slug


def _mostly_unspelled(title: str) -> bool:
    """Whether most of a title's letters have no spelling in ASCII (Han, Kana, Cyrillic …).
    An ASCII letter spells itself: folding each of a title's letters apart was a fifth of a
    cold ingest's plan stage (0.25 s at 10,000 papers), nearly all of it on ASCII titles."""
    if title.isascii():
        return False
    letters = [c for c in title if c.isalpha()]
    unspelled = [c for c in letters if not c.isascii() and not ascii_folded(c)]
    return 2 * len(unspelled) > len(letters)


class Slugs:
    """New permanent slugs, unique among `taken`: slugify(title), else -2, -3, …

    A counter per base name remembers the last number used, so a thousand papers with
    one title cost a thousand steps, not half a million.
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)
        self._next: dict[str, int] = {}

    def new(self, title: str) -> str:
        base = slugify(title)
        n = self._next.get(base, 1)
        slug = base if n == 1 else numbered(base, n)
        while slug in self.taken:
            n += 1
            slug = numbered(base, n)
        self._next[base] = n + 1
        self.taken.add(slug)
        return slug


def numbered(base: str, n: int) -> str:
    """`base-N`, cut to fit MAX_SLUG."""
    suffix = f"-{n}"
    return base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix


def hashed(base: str, text: str) -> str:
    """`base` cut to fit MAX_SLUG with a hash of `text` after it: a name for what `base`
    alone does not tell apart."""
    return f"{base[: MAX_SLUG - 9].rstrip('-')}-{short_hash(text, length=8)}"


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_RE.match(slug)) and len(slug) <= MAX_SLUG and slug not in RESERVED


# C0 but tab and newline, DEL, C1 (CSI, OSC … act on terminals as ESC sequences do), and
# the bidi embeddings, overrides and isolates (they reorder the text after them on screen:
# `exe.txt` shown for `txt.exe`); marks (LRM, RLM) stay, as text in any script needs them.
CONTROL_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")


def printable(text: str) -> str:
    """Text without control characters (NUL, ESC, CR, C1, bidi overrides …): YAML escapes
    can carry them into a page, and they have no business in HTML, feeds or a terminal."""
    return CONTROL.sub("", text) if CONTROL.search(text) else text


def terminal_safe(text: str) -> str:
    """Text to print: every character a terminal could act on (ESC, BEL, CR, C1, bidi
    controls …) written as its escape (`\\x1b`), lines kept. File names reach messages as
    they are on disk, and a dump's text reaches `tags --explain`."""
    if text.isprintable() or all(line.isprintable() for line in text.split("\n")):
        return text  # in C: a character loop in Python cost 0.2 s of a 10k site's warnings
    return "".join(
        c if c.isprintable() or c == "\n" else c.encode("unicode_escape").decode("ascii") for c in text
    )


# git's conflict markers, each a line of its own: `<<<<<<< HEAD`, `=======`, `>>>>>>> branch`
# (and `||||||| base` in diff3 style). A merge left unresolved in a dump made pages titled
# "=======", and in a page published the markers as text.
CONFLICT_LINE = re.compile(r"(?:<{7}|>{7}|\|{7})(?: .*)?|={7}")
# A fenced code block (``` or ~~~ to the same fence): markers in it are an example, not a
# conflict (notes on a paper about merge resolution).
_FENCED = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
CONFLICT_MESSAGE = (
    "an unresolved merge conflict (git's {marker!r} line): keep the side you want, "
    "delete the marker lines, then run again"
)


def first_conflict(lines: Iterable[tuple[int, str]]) -> tuple[int, str] | None:
    """(line number, marker) of the first merge-conflict marker among numbered lines, or
    None. A lone `=======` counts only beside a side marker: in Markdown it may underline a
    heading, in a dump rule off a day."""
    markers = [
        (number, line) for number, line in lines if line[:1] in "<=>|" and CONFLICT_LINE.fullmatch(line)
    ]
    if not any(line[0] != "=" for _, line in markers):
        return None
    number, line = markers[0]
    return number, line[:7]


def conflict_marker(text: str) -> tuple[int, str] | None:
    """`first_conflict` of a file's text, markers shown in a fenced code block aside."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text and "|||||||" not in text:
        return None  # the usual case, in C: no side marker, no conflict
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # lines as a dump's and an editor's
    text = _FENCED.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return first_conflict(enumerate(text.split("\n"), start=1))


def some_of(names: Sequence[str], shown: int = 3) -> str:
    """The first `shown` names, and how many more: what a message lists of a long list."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def split_url(url: str) -> SplitResult | None:
    """`urlsplit`, with its host checked, or None for text no browser could follow
    (`https://[::1`, a bracketed host that is no IPv6 address): one such link in an
    abstract stopped every build."""
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018  # a bracketed host is checked when it is read
    except ValueError:
        return None
    return parts

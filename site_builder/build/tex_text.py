"""The LaTeX an arXiv abstract carries, as a reader should see it: `95\\%`, `e.g.\\ `,
`2.4\\times`, `na\\"ively`, `\\url{…}` are shown as `95%`, `e.g. `, `2.4×`, `naïvely` and the
address. arXiv's listings keep the author's source text, so dumps do too; pages keep it as
pasted (a person may fix it), and only what the site shows is cleaned. An unknown command
(an author's own `\\prjname`) is left as written: guessing its text would be wrong.
"""

from __future__ import annotations

import re
import unicodedata

# Escaped characters: `\%` is a percent sign (and `\ ` a plain space after `e.g.\`).
_ESCAPED = re.compile(r"(?<!\\)\\([%&_#$ {}])")
# Accents over a letter, with or without braces: \"a, \'{e}, \^o.
_ACCENT = re.compile(r"""(?<![\\/])\\(["'`^~])\{?([A-Za-z])\}?""")  # not in a path or an address
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303"}
# Commands whose argument is the text (`\textit{word}`, `\url{https://…}`).
_TEXT_COMMANDS = re.compile(r"\\(?:text(?:it|bf|tt|sc|rm|sf)|emph|math(?:rm|bf|it))\{([^{}]*)\}")
_FOOTNOTE = re.compile(r"\s*\\footnote\{([^{}]*)\}")
_URL = re.compile(r"\s*\\url\{([^{}]*)\}")  # an address, apart from the word before it
# Symbols, as words that end where a letter does not follow (`2.4\times speedup`).
_SYMBOLS = {
    "times": "×",
    "pm": "±",
    "approx": "≈",
    "sim": "~",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "cdot": "·",
    "to": "→",
    "rightarrow": "→",
    "infty": "∞",
    "eg": "e.g.",
    "ie": "i.e.",
    "etal": "et al.",
    "ldots": "…",
    "dots": "…",
}
# A symbol stands where text or a formula goes on (`2.4\times speedup`, `$\times$`, `\sim3`),
# not inside a Windows path (`C:\data\times\x.csv`, `tools\to\new`).
_SYMBOL = re.compile(
    r"(?<!\\)\\(" + "|".join(sorted(_SYMBOLS, key=len, reverse=True)) + r")(?=[\s\d$),;:~]|$)"
)


def tex_text(text: str) -> str:
    """The text with LaTeX escapes, accents, text commands and common symbols as characters."""
    if "\\" not in text:
        return text  # nearly every abstract
    text = _URL.sub(r" \1", text)
    text = _FOOTNOTE.sub(lambda m: f" ({m.group(1)})", text)
    text = _TEXT_COMMANDS.sub(r"\1", text)
    text = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]), text)
    text = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(1)], text)
    return _ESCAPED.sub(r"\1", text)

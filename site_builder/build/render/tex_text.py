"""The LaTeX an arXiv abstract carries, as a reader should see it: `95\\%`, `e.g.\\ `,
`2.4\\times`, `na\\"ively`, `\\url{…}`, `$\\alpha$-tuning`, `$O(n^2)$` are shown as `95%`,
`e.g. `, `2.4×`, `naïvely`, the address, `α-tuning` and `O(n²)`, in abstracts and titles. A
pair of dollar signs around prose (`$5 and $10`) is a price, not a formula. arXiv's listings
keep the author's source text, so dumps do too; pages keep it as pasted (a person may fix
it), and only what the site shows is cleaned. An unknown command (an author's own
`\\prjname`) is left as written: guessing its text would be wrong.
"""

from __future__ import annotations

import re
import unicodedata

from site_builder.core.text import TEXT_COMMANDS

# Escaped characters: `\%` is a percent sign (and `\ ` a plain space after `e.g.\`).
_ESCAPED = re.compile(r"(?<!\\)\\([%&_#$ {}])")
# Accents over a letter, with or without braces: \"a, \'{e}, \^o.
_ACCENT = re.compile(r"""(?<![\\/])\\(["'`^~])\{?([A-Za-z])\}?""")  # not in a path or an address
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303"}
# A footnote, closed or cut off with the abstract (arXiv's listing ends mid-footnote).
# (The spaces before one are taken only from after a word: `\s*` at every start of a long
# run of spaces was quadratic, 514 s for a page of 200,000 spaces.)
_FOOTNOTE = re.compile(r"(?:^|(?<=\S))\s*\\footnote\{([^{}]*?)(?:\}|\Z)")
_URL = re.compile(r"(?:^|(?<=\S))\s*\\url\{([^{}]*)\}")  # an address, apart from the word before it
# Greek letters, as titles name methods and quantities (`$\\alpha$-tuning`, `$\\pi_0$`): lower
# case from U+03B1 in order (final sigma included), capitals from U+0391.
_LOWER = [
    *("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"),
    *("lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "varsigma", "sigma", "tau", "upsilon"),
    *("phi", "chi", "psi", "omega"),
]
_CAPITALS = ["Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"]
_GREEK = {name: chr(0x3B1 + i) for i, name in enumerate(_LOWER)} | {
    name: chr(0x391 + _LOWER.index(name.lower())) for name in _CAPITALS
}
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
    **_GREEK,
    "varepsilon": "ε",
    "vartheta": "ϑ",
    "varphi": "φ",
    "ell": "ℓ",
}
# A symbol stands where text or a formula goes on (`2.4\times speedup`, `$\times$`, `\sim3`),
# not inside a Windows path (`C:\data\times\x.csv`, `tools\to\new`).
_SYMBOL = re.compile(
    r"(?<!\\)\\("
    + "|".join(sorted(_SYMBOLS, key=len, reverse=True))
    + r")(?=[\s\d$),;:~]|$)"
    # ... or opens a formula and takes an index there (`$\pi_0$`, `$\ell_1$`)
    + r"|(?<=\$)\\("
    + "|".join(sorted(_SYMBOLS, key=len, reverse=True))
    + r")(?=[_^])"
)


# Inline math whose text is now plain (`$α$-tuning`, `$O(n^2)$`, `$k$`): its dollar signs go.
# Only a span that opens and closes on a non-space and holds no space-separated prose, so
# prices (`$100 budget and $5`) are left alone.
_MATH = re.compile(r"(?<![\\$\w])\$([^\s$\\](?:[^$\\]{0,30}[^\s$\\])?)\$(?![A-Za-z$])")
# A symbol alone in a formula right after a number: `2$\times$ faster`, the commonest way an
# abstract writes a speed-up (a number before a `$` is otherwise a price: `5$-10$`).
_NUMBER_SYMBOL = re.compile(r"(?<=[\d.])\$\\(times|sim|approx|pm|cdot)\$(?![A-Za-z$])")
# The names of functions and sets a complexity or a domain is written with, inside a formula
# only (`$O(n \log n)$`, `$x_i \in R^d$`): outside one, `\log` may be a folder of a path.
_FUNCTIONS = {"log": "log", "ln": "ln", "exp": "exp", "max": "max", "min": "min"}
_SETS = {"in": "∈", "sum": "∑", "subset": "⊂", "subseteq": "⊆"}
_FUNCTION = re.compile(
    r"\\(" + "|".join(sorted({**_FUNCTIONS, **_SETS}, key=len, reverse=True)) + r")(?![A-Za-z])"
)
_FORMULA = re.compile(r"(?<![\\$\w])\$([^$\n]{1,60}?)\$(?![A-Za-z$])")
# Inside a formula a symbol is one before anything but a letter: `$\Omega(n^2)$`, `$\sigma(x)$`
# (outside one, `\alpha(` may be a path's folder).
_FORMULA_SYMBOL = re.compile(
    r"(?<!\\)\\(" + "|".join(sorted(_SYMBOLS, key=len, reverse=True)) + r")(?![A-Za-z])"
)
# Sub- and superscripts Unicode has a character for: digits, signs, and most letters (a
# letter it lacks leaves the script as written, `x_q`).
_SUPERSCRIPT = dict(
    zip("0123456789+-abcdefghijklmnoprstuvwxyz", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", strict=True)
)
_SUBSCRIPT = dict(zip("0123456789+-aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
_SCRIPT = re.compile(r"([\^_])(?:\{([0-9+-]{1,3}|[a-z])\}|([0-9+-]{1,3}|[a-z](?![A-Za-z])))")
# Blackboard bold, as sets are named (`\mathbb{R}^d`): the letters Unicode has.
_BLACKBOARD = re.compile(r"\\mathbb\{([RNZQCP])\}")
_DOUBLE_STRUCK = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ"}


def math_commands() -> dict[str, str]:
    """Each character this module writes for a formula → LaTeX that prints it in running
    text (`α` → `\\ensuremath{\\alpha}`, `²` → `\\textsuperscript{2}`): a citation's BibTeX
    must give back what the page's title turned into characters."""
    found: dict[str, str] = {}
    for name, shown in (*_SYMBOLS.items(), *_SETS.items()):
        if len(shown) == 1 and not shown.isascii():  # (LaTeX has no \\omicron: it is an o)
            found.setdefault(shown, "o" if name == "omicron" else f"\\ensuremath{{\\{name}}}")
    found |= {shown: f"\\textsuperscript{{{c}}}" for c, shown in _SUPERSCRIPT.items()}
    found |= {shown: f"\\textsubscript{{{c}}}" for c, shown in _SUBSCRIPT.items()}
    found["√"] = "\\ensuremath{\\surd}"  # a root's argument follows it (`_SQRT`)
    # ℝ as R: \mathbb needs a package a reader's document may not load.
    return found | {shown: letter for letter, shown in _DOUBLE_STRUCK.items()}


def _math(match: re.Match[str]) -> str:
    inner = match.group(1)
    if " " in inner.strip() and not re.search(r"[=^_<>+≤≥×±≈≠∈→∞·∑⊂⊆√/{}α-ωΑ-Ω]", inner):
        return match.group(0)  # prose between two dollar signs, not a formula
    return _scripts(inner)


def _scripts(inner: str) -> str:
    """`n^2`, `x_0`, `x_i`, `R^d` as `n²`, `x₀`, `xᵢ`, `Rᵈ`: digits, signs, one letter."""
    return _SCRIPT.sub(_script, inner)


def _script(match: re.Match[str]) -> str:
    table = _SUPERSCRIPT if match[1] == "^" else _SUBSCRIPT
    script = match[2] or match[3]
    return "".join(table[c] for c in script) if all(c in table for c in script) else match[0]


# Roots and fractions of plain arguments (`\sqrt{d}`, `\frac{1}{\sqrt{d}}`), as `√d` and `1/√d`.
_SQRT = re.compile(r"\\sqrt\{([^{}]{1,20})\}")
_FRAC = re.compile(r"\\[dt]?frac\{([^{}]{1,20})\}\{([^{}]{1,20})\}")


def _operand(text: str) -> str:
    """An argument as it reads after `√` or around `/`: bracketed unless one plain term."""
    return text if re.fullmatch(r"[\w.√]+", text) else f"({text})"


def _formula(match: re.Match[str]) -> str:
    r"""A formula's symbols as characters (`\Omega(n)` is `Ω(n)`), escapes as what they escape
    (`$90\%$` was `$90%$`), roots and fractions (`1/√d`), and one naming a function or a set
    as text: `n\log n` is `n log n`, `x\in S` `x ∈ S`; one naming none is left to `_MATH`."""
    inner = _FORMULA_SYMBOL.sub(lambda m: _SYMBOLS[m[1]], _ESCAPED.sub(r"\1", match.group(1)))
    rooted = _FRAC.sub(
        lambda m: f"{_operand(m[1])}/{_operand(m[2])}", _SQRT.sub(lambda m: "√" + _operand(m[1]), inner)
    )
    if "\\" not in rooted:  # `$\frac{\partial L}{\partial x}$` stays LaTeX, not `(\partial L)/(…)`
        inner = rooted
    if "\\" not in inner or not _FUNCTION.search(inner):
        return f"${inner}$"
    inner = _FUNCTION.sub(
        lambda m: f" {_FUNCTIONS[m[1]]}" if m[1] in _FUNCTIONS else f" {_SETS[m[1]]} ", inner
    )
    inner = re.sub(r"([(\[])\s+", r"\1", re.sub(r"\s+", " ", inner))  # `O(\log n)`: no space after (
    return _scripts(re.sub(r"\s+([_^])", r"\1", inner).strip())


# TeX's quotation marks: ``lean'' is “lean” (a reader saw them raw), ``don't panic'' too.
# Only a pair on one short phrase; a lone `` or '' (code, a prime) stays.
_QUOTED = re.compile(r"(?<!`)``(?!`)([^`\n]{1,200}?)''(?!')")


def tex_text(text: str) -> str:
    """The text with LaTeX escapes, accents, text commands, quotation marks and common
    symbols as characters."""
    if "``" in text:
        text = _QUOTED.sub("\u201c\\1\u201d", text)
    if "\\" not in text and "$" not in text:
        return text  # nearly every abstract
    # Each expression runs only on a text holding the characters it must match: most start
    # with a look-behind, so the engine tries them at every character (20-60 µs an abstract
    # each; the same abstract is shown four times a build).
    if "\\url{" in text:
        text = _URL.sub(r" \1", text)
    if "\\footnote{" in text:
        text = _FOOTNOTE.sub(lambda m: f" ({m.group(1).rstrip()})", text)
    text = _BLACKBOARD.sub(lambda m: _DOUBLE_STRUCK[m[1]], text)
    text = TEXT_COMMANDS.sub(r"\1", text)
    if "\\" in text:
        text = _ACCENT.sub(lambda m: unicodedata.normalize("NFC", m.group(2) + _ACCENTS[m.group(1)]), text)
    if "$\\" in text:
        text = _NUMBER_SYMBOL.sub(lambda m: _SYMBOLS[m[1]], text)
    if "\\" in text:
        text = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(1) or m.group(2)], text)
    if "$" in text:
        text = _MATH.sub(_math, _FORMULA.sub(_formula, text))
    return _ESCAPED.sub(r"\1", text) if "\\" in text else text

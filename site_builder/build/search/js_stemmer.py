"""lunr.js's Porter stemmer (lunr 2.3.9, `lunr.stemmer`), ported line for line.

The index stems with lunr.py, whose Porter stemmer differs from lunr.js's on some words
(`deploy`: `deploi` in Python, `deploy` in JavaScript; `try`: `try` and `tri`). The browser
stems a word with lunr.js unless it knows the index's stem, so the search files list the
words whose stems differ (`search.words._stemmed_otherwise`) and the browser needs no word list to
stem a paper's text exactly as the index did. A test runs this port against lunr.js.
"""

from __future__ import annotations

import re

_STEP2 = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize", "bli": "ble",
    "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize", "ation": "ate",
    "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful", "ousness": "ous", "aliti": "al",
    "iviti": "ive", "biliti": "ble", "logi": "log",
}  # fmt: skip
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}
_C = "[^aeiou]"  # consonant
_V = "[aeiouy]"  # vowel
_CS = _C + "[^aeiouy]*"  # consonant sequence
_VS = _V + "[aeiou]*"  # vowel sequence
_MGR0 = re.compile("^(" + _CS + ")?" + _VS + _CS)
_MEQ1 = re.compile("^(" + _CS + ")?" + _VS + _CS + "(" + _VS + ")?$")
_MGR1 = re.compile("^(" + _CS + ")?" + _VS + _CS + _VS + _CS)
_S_V = re.compile("^(" + _CS + ")?" + _V)
_STEP1A_1 = re.compile(r"^(.+?)(ss|i)es$")
_STEP1A_2 = re.compile(r"^(.+?)([^s])s$")
_STEP1B_1 = re.compile(r"^(.+?)eed$")
_STEP1B_2 = re.compile(r"^(.+?)(ed|ing)$")
_LAST = re.compile(r".$")
_STEP1B_3 = re.compile(r"(at|bl|iz)$")
_DOUBLE = re.compile(r"([^aeiouylsz])\1$")
_CVC = re.compile("^" + _CS + _V + "[^aeiouwxy]$")
_STEP1C = re.compile(r"^(.+?[^aeiou])y$")
_STEP2_RE = re.compile(
    r"^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness"
    r"|fulness|ousness|aliti|iviti|biliti|logi)$"
)
_STEP3_RE = re.compile(r"^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$")
_STEP4_1 = re.compile(r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$")
_STEP4_2 = re.compile(r"^(.+?)(s|t)(ion)$")
_STEP5_1 = re.compile(r"^(.+?)e$")
_STEP5_2 = re.compile(r"ll$")


def js_stem(word: str) -> str:
    """What `lunr.stemmer` returns for `word` (a lower-case word of the index)."""
    w = word
    if len(w) < 3:
        return w
    first = w[0]
    if first == "y":
        w = "Y" + w[1:]
    if _STEP1A_1.search(w):
        w = _STEP1A_1.sub(r"\1\2", w, count=1)
    elif _STEP1A_2.search(w):
        w = _STEP1A_2.sub(r"\1\2", w, count=1)
    if m := _STEP1B_1.search(w):
        if _MGR0.search(m.group(1)):
            w = _LAST.sub("", w, count=1)
    elif m := _STEP1B_2.search(w):
        stem = m.group(1)
        if _S_V.search(stem):
            w = stem
            if _STEP1B_3.search(w):
                w += "e"
            elif _DOUBLE.search(w):
                w = _LAST.sub("", w, count=1)
            elif _CVC.search(w):
                w += "e"
    if m := _STEP1C.search(w):
        w = m.group(1) + "i"
    if (m := _STEP2_RE.search(w)) and _MGR0.search(m.group(1)):
        w = m.group(1) + _STEP2[m.group(2)]
    if (m := _STEP3_RE.search(w)) and _MGR0.search(m.group(1)):
        w = m.group(1) + _STEP3[m.group(2)]
    if m := _STEP4_1.search(w):
        if _MGR1.search(m.group(1)):
            w = m.group(1)
    elif m := _STEP4_2.search(w):
        stem = m.group(1) + m.group(2)
        if _MGR1.search(stem):
            w = stem
    if m := _STEP5_1.search(w):
        stem = m.group(1)
        if _MGR1.search(stem) or (_MEQ1.search(stem) and not _CVC.search(stem)):
            w = stem
    if _STEP5_2.search(w) and _MGR1.search(w):
        w = _LAST.sub("", w, count=1)
    if first == "y":
        w = "y" + w[1:]
    return w

"""Whether two normalised abstracts are one paper's: a truncated copy, or near-identical
(most word triples of the shorter recur in the longer), and what a short one must also
show. Pure functions of the two texts and whether their titles are the same; `dedupe.py`
asks them of the candidate pairs its index finds.
"""

from __future__ import annotations

from site_builder.ingest.fingerprints import words

CONTAINMENT = 0.7  # shingles of the shorter abstract found in the longer one
SHORTER = 0.6  # an abstract under this share of the other's length must share its opening,
OPENING_OFFSETS = 12  # its opening words may start at any of the other's first this many words
OPENING_WORDS = 12  # ... so many of them, in order: most abstracts here open "Large language models (LLMs)"
# Opening words found this far into the other abstract: another paper's abstract comes
# first (a sentence or two prepended in a revision starts sooner).
JOINED_AFTER = 40
# Under two titles, a text shorter than this identifies no paper alone (abstracts run to
# 150-250 words): a withdrawal notice or a placeholder is many papers'.
IDENTIFYING = 20


def is_truncated_copy(a: str, b: str, same_title: bool) -> bool:
    """One normalised abstract is the start of the other (its last word may be cut)."""
    short, long_ = (a, b) if (len(a), a) <= (len(b), b) else (b, a)  # the same either way round
    head = short[: short.rfind(" ")] if " " in short else short
    if not short or not long_.startswith(head):  # first: most pairs differ in a few characters
        return False
    if not same_title and short.count(" ") < 11:
        return False
    return len(long_) == len(head) or long_[len(head)] == " "


def near_identical(a: tuple[str, ...], b: tuple[str, ...], same_title: bool = False) -> bool:
    """Same abstract up to small edits or a changed URL: most word triples of the shorter recur.

    A much shorter one must also start where the longer starts, its first dozen words in
    order: a dump that lost a title line joins that paper's abstract to the one before it,
    and the joined text contains the lost paper's abstract whole (a reviewer's two papers
    became one; a first word triple was not enough, as most abstracts here share theirs)."""
    short, long_ = (a, b) if (len(a), a) <= (len(b), b) else (b, a)  # the same either way round
    n = len(short)
    if n < 7:
        return False
    k = min(OPENING_WORDS, n)
    if n < SHORTER * len(long_):  # its opening words, in order, where the longer starts
        if not any(long_[i : i + k] == short[:k] for i in range(OPENING_OFFSETS)):
            return False
    elif not same_title and _opens_late(short[:k], long_):
        return False  # under one title it is a revision that put sentences first
    triples = {short[i : i + 3] for i in range(n - 2)}
    shared = triples & {long_[i : i + 3] for i in range(len(long_) - 2)}
    return len(shared) / len(triples) >= CONTAINMENT


def _opens_late(opening: tuple[str, ...], long_: tuple[str, ...]) -> bool:
    """Whether the longer text holds these opening words only far from its start: another
    paper's abstract with this one joined after it (a dump lost the title between them).
    Merged, the two papers were one page and one of them was gone."""
    first, k = opening[0], len(opening)
    at = [i for i, word in enumerate(long_) if word == first and long_[i : i + k] == opening]
    return bool(at) and at[0] >= JOINED_AFTER


def titles_allow(title_a: str, title_b: str, shorter_words: int) -> bool:
    """Whether two listings' titles let their abstracts make them one paper: always for one
    title or an abstract of IDENTIFYING words; for a shorter one, only titles that share a
    telling word (a retitled paper keeps its name). Two papers withdrawn with one notice
    were one page under the newer title, and the other paper was gone from the site."""
    if title_a == title_b or shorter_words >= IDENTIFYING:
        return True
    return bool(telling_words(title_a) & telling_words(title_b))


# Words too common in paper titles to say two are of one paper.
_COMMON_WORDS = (
    "the and for with from via into towards toward using over under its are our new can how what why "
    "when does not all one two large language model models llm llms learning neural network networks "
    "data based efficient deep study approach method methods through their"
)
_COMMON = frozenset(_COMMON_WORDS.split())


def telling_words(title: str) -> set[str]:
    """A title's words that may tell its paper: not short, not common in titles."""
    return {w for w in words(title) if (len(w) >= 3 or not w.isascii()) and w not in _COMMON}

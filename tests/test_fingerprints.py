"""Fingerprints: the words found, and the numpy batch against a plain one-text-at-a-time reference."""

import unicodedata
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.ingest import fingerprints as fp

MASK = (1 << 64) - 1


def reference(abstract: str) -> fp.Fingerprint:
    """One abstract's fingerprint the slow way: plain integers, one triple at a time."""
    tokens = tuple(fp.WORD.findall(unicodedata.normalize("NFKC", abstract).casefold()))
    ids = [zlib.crc32(w.encode("utf-8")) for w in tokens]
    if 0 < len(ids) < 3:
        ids += [0] * (3 - len(ids))

    def mix(state: int, value: int) -> int:
        mixed = ((state ^ value) * int(fp._MIX)) & MASK
        return mixed ^ (mixed >> 31)

    hashes = []
    for a, b, c in zip(ids, ids[1:], ids[2:], strict=False):
        h = mix(mix(mix(int(fp._SEED), a), b), c)
        h = h - (1 << 64) if h >> 63 else h  # as a signed 64-bit number
        hashes.append(-2 if h == -1 else h)
    sig = [-1] * fp.BINS
    for h in hashes:
        b = ((h + (1 << 63)) >> 60) & (fp.BINS - 1)
        sig[b] = h if sig[b] == -1 else min(sig[b], h)
    return " ".join(tokens), tuple(hashes[:2]), tuple(sig)


TEXTS = st.lists(
    st.text(alphabet=st.sampled_from("ab cdé-É.ﬁ1_ \n"), max_size=60)
    | st.sampled_from(["", "one", "one two", "one two three", "Large Language Models (LLMs) are large."]),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.sampled_from([1, 3, 2048]))
def test_a_batch_gives_each_text_what_it_alone_gives(texts: list[str], slice_size: int) -> None:
    """However the texts are sliced, each gets the reference fingerprint (padding of one- and
    two-word texts, empty texts, several texts per slice, non-ASCII words included)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fp, "_SLICE", slice_size)
        assert fp.fingerprint_all(texts) == [reference(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80) | st.text(max_size=40))
def test_words_of_ascii_text_are_found_as_the_pattern_finds_them(text: str) -> None:
    """ASCII text takes a shortcut (lowercase, non-word characters to spaces, split)."""
    expected = tuple(fp.WORD.findall(unicodedata.normalize("NFKC", text).casefold()))
    assert fp.words(text) == expected


def test_one_runs_fingerprints_give_each_distinct_abstract_once() -> None:
    calls: list[list[str]] = []
    real = fp.fingerprint_all

    def counted(abstracts: list[str], word_hashes: dict[str, int] | None = None) -> list[fp.Fingerprint]:
        calls.append(list(abstracts))
        return real(abstracts, word_hashes)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fp, "fingerprint_all", counted)
        prints = fp.fingerprints()
        first = prints(["a b c d", "e f g", "a b c d"])
        again = prints(["e f g", "h i j"])
    assert calls == [["a b c d", "e f g"], ["h i j"]]
    assert first[0] == first[2] == reference("a b c d") and again[0] == first[1]

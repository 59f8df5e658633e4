"""What earlier builds analysed of each title and abstract, kept so that a build analyses
only the texts it has not seen (`index.build_index`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from site_builder.build.search.arxiv import arxiv_word
from site_builder.core.model import Page
from site_builder.core.runtime.hashing import text_key


@dataclass
class AnalysedTexts:
    """Titles and abstracts analysed by earlier builds, kept so that a build analyses only the
    texts it has not seen (a one-page edit: one). Pure memo: a text always gives the same
    words, and each word the same stem; only the numbering of words is this memo's own.

    A text's analysis is its word ids and then their frequencies, as int32 bytes: ten thousand
    papers' titles and abstracts keep in about 16 MB and load in milliseconds."""

    words: list[str] = field(default_factory=list)  # word id → the word
    stems: list[str] = field(default_factory=list)  # word id → its term
    texts: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # text key → title, body
    # A page's `searched_digest` → its text key and arXiv word: hashing 10,000 abstracts for
    # their keys and reading their ids took 50 ms of the search process's CPU in every build.
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)


def text_marks(
    docs: list[Page], seen: dict[str, tuple[str, str]], searched: dict[str, str] | None
) -> tuple[list[tuple[str, str]], dict[str, tuple[str, str]]]:
    """Each page's text key and arXiv word, and them by its `searched_digest` (which hashes
    its title, abstract and arXiv word: the same digest, the same two), found in `seen`."""
    pairs, marks = [], {}
    for page in docs:
        mark = searched.get(page.slug) if searched else None
        found = seen.get(mark) if mark else None
        if found is None:
            found = (text_key(page.title, page.body), arxiv_word(page))
        pairs.append(found)
        if mark:
            marks[mark] = found
    return pairs, marks


def compacted(known: AnalysedTexts, used: npt.NDArray[np.bool_]) -> AnalysedTexts:
    """The memo, its words renumbered once fewer than half of them are still used (words of
    edited or removed papers): it keeps the size of the corpus it serves."""
    if 2 * int(used.sum()) >= len(known.words):
        return known
    kept = np.flatnonzero(used)
    number = np.full(len(known.words), -1, np.int32)
    number[kept] = np.arange(len(kept), dtype=np.int32)

    def renumbered(pairs: bytes) -> bytes:
        flat = np.frombuffer(pairs, np.int32).copy()
        flat[: len(flat) // 2] = number[flat[: len(flat) // 2]]
        return flat.tobytes()

    texts = {key: (renumbered(title), renumbered(body)) for key, (title, body) in known.texts.items()}
    words, stems = [known.words[w] for w in kept.tolist()], [known.stems[w] for w in kept.tolist()]
    return AnalysedTexts(words, stems, texts, known.pages)

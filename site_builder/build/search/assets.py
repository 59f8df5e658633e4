"""Pages → the site's search assets: a small index entry point and lazily loaded shards.

The build writes what `search_files` returns, made in a forked process (search/process.py;
`build_search_assets` is the same in one call, for tests and benches); lunr.min.js itself is
a static file of the theme. Every data file is a script that
assigns into the global `SEARCH_DATA` (no `fetch()`, so search works from `file://`):

- `assets/search-index.js` — loaded when a reader first focuses the search box: where the
  word shards and term shards start, field lengths and tags per paper, and the few words
  lunr.js stems otherwise than the index.
- `assets/search/w<N>.js` — word shards: the indexed words of a contiguous alphabetical
  range, each with its stem (prefix and typo matching happen on words, before stemming).
  A query loads the shards of the words it consults (`word_files`).
- `assets/search/t<N>.js` — term shards: the postings of a contiguous range of terms.
  A query loads only the shards holding its terms.
- `assets/search/d<N>.js` — document chunks: path, title and abstract of `CHUNK` papers,
  loaded for the results on screen (snippets need the abstract). Chunks are numbered from
  the oldest paper (as the lists are, layout.py): a new day adds chunks and leaves the
  older ones byte for byte as they were, so a build carries them over.
- `assets/search/a<N>.js` — the author directory (search/authors.py), on a site where some
  paper has authors: each author's papers, in shards by a hash of the name.
- `assets/search/s<N>.js` — the slug directory: each paper's slug with its place counted
  from the oldest, in shards by a hash of the slug (`slug_shard`), so saved.html finds a
  saved paper's chunk with one small file instead of scanning its day's chunks.

Each data file carries its own version, a hash of what it holds, and the index lists the
versions of every shard and chunk: a stale file (an old copy in a cache) is never mixed
in, and a file whose content did not change keeps its bytes.

`search-engine.js` turns the loaded postings into lunr's serialization (BM25 scores
computed exactly as lunr's Builder does) and hands it to `lunr.Index.load`.
"""

from __future__ import annotations

import datetime
import itertools
import json
import re
from pathlib import Path
from typing import Any

from site_builder.build.layout import (
    AUTHOR_FILE,
    CHUNK_FILE,
    INDEX_FILE,
    SHARD_FILE,
    SLUG_FILE,
    WORD_FILE,
    paper_path,
)
from site_builder.build.search.analysed import AnalysedTexts
from site_builder.build.search.authors import author_directory
from site_builder.build.search.data import (
    VERSION_LENGTH,
    data_version,
    hashed_shard_count,
    hashed_shards,
    js_data,
    to_json,
)
from site_builder.build.search.index import (
    K1,
    B,
    SearchIndex,
    build_index,
    phrase_terms,
)
from site_builder.build.search.postings import varints
from site_builder.build.search.synonyms import Synonyms
from site_builder.build.search.words import WordFiles, word_files
from site_builder.core.errors import Problem
from site_builder.core.model import Page
from site_builder.core.runtime.hashing import digest
from site_builder.core.taxonomy import Taxonomy

SHARD_BYTES = 24_000  # encoded postings per term shard: a few kB gzipped
CHUNK = 5  # papers per document chunk: a result on screen costs one chunk


def build_search_assets(
    pages: list[Page], taxonomy: Taxonomy, synonyms: Synonyms | None = None
) -> dict[str, bytes]:
    """Relative output path → bytes, for every search file (the analysed texts are not kept)."""
    index = build_index(pages, taxonomy)
    index.known = AnalysedTexts()  # released before the files are made (memory at 50k)
    return search_files(index, taxonomy, synonyms)[0]


def search_files(
    index: SearchIndex,
    taxonomy: Taxonomy,
    synonyms: Synonyms | None = None,
    vocabulary: WordFiles | None = None,
    kept_chunks: dict[str, str] | None = None,
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Relative output path → bytes, for every search file of `index`, and each data file's
    version by name. `vocabulary`: `word_files(index)`, if the caller has it (remembered
    under `words_key(index)`). `kept_chunks`: chunk name → version, for the document chunks
    the caller keeps as they are (`chunks` and `chunk_key` say what each one holds): they
    are not made again (two thousand chunks of abstracts at 10,000 papers took 0.3 s)."""
    shards = shard_ranges(index)
    vocabulary = vocabulary if vocabulary is not None else word_files(index)
    meta = meta_payload(index, taxonomy, shards, vocabulary)
    meta["synonyms"] = synonym_terms(synonyms or Synonyms())
    bodies = {
        f"t{n}": to_json({"p": encode_postings(index, start, end)}) for n, (start, end) in enumerate(shards)
    }
    versions = {name: data_version(name, body) for name, body in bodies.items()}
    for name, pages in chunks(index):
        if kept_chunks is not None and name in kept_chunks:
            versions[name] = kept_chunks[name]
        else:
            bodies[name] = chunk_body(pages)
            versions[name] = data_version(name, bodies[name])
    for n, body in enumerate(vocabulary.bodies):
        bodies[f"w{n}"] = body
        versions[f"w{n}"] = data_version(f"w{n}", body)
    meta["versions"] = "".join(versions.values())  # term shards, chunks, then word shards
    for n, places in enumerate(slug_directory(index)):
        bodies[f"s{n}"] = to_json({"s": places})
        versions[f"s{n}"] = data_version(f"s{n}", bodies[f"s{n}"])
    # Apart: a search-engine.js cached from before they were (ten minutes on GitHub Pages)
    # reads `versions` as it always did, and searches on.
    meta["slugVersions"] = "".join(versions[f"s{n}"] for n in range(meta["slugShards"]))
    # The author directory (search.html?author=), only on a site where some paper has authors.
    authors = author_directory(index)
    for n, keys in enumerate(authors):
        bodies[f"a{n}"] = to_json({"a": keys})
        versions[f"a{n}"] = data_version(f"a{n}", bodies[f"a{n}"])
    if authors:
        meta["authorShards"] = len(authors)
        meta["authorVersions"] = "".join(versions[f"a{n}"] for n in range(len(authors)))
    index_body = to_json(meta)
    files = {INDEX_FILE: js_data("index", data_version("index", index_body), index_body)}
    files.update((data_path(name), js_data(name, versions[name], body)) for name, body in bodies.items())
    return files, versions


def chunks(index: SearchIndex) -> list[tuple[str, list[Page]]]:
    """The document chunks by name, each with its papers. Chunk k holds the papers k × CHUNK …
    k × CHUNK + CHUNK - 1 counted from the oldest, oldest first: doc id d (newest first) is
    row (n - 1 - d) % CHUNK of chunk (n - 1 - d) // CHUNK."""
    oldest_first = index.docs[::-1]
    return [(f"d{n // CHUNK}", oldest_first[n : n + CHUNK]) for n in range(0, len(oldest_first), CHUNK)]


def slug_directory(index: SearchIndex) -> list[dict[str, int]]:
    """Each slug-directory shard: slug → the paper's place counted from the oldest (its
    chunk's number times CHUNK plus its row), which a new day leaves as it was."""
    n = len(index.docs)
    shards: list[dict[str, int]] = [{} for _ in range(hashed_shard_count(n))]
    homes = hashed_shards([page.slug for page in index.docs], len(shards))
    for doc, (page, home) in enumerate(zip(index.docs, homes, strict=True)):
        shards[home][page.slug] = n - 1 - doc
    return shards


def chunk_body(pages: list[Page]) -> str:
    """A chunk's JSON: each paper's path, title and abstract as one line of text (for
    snippets): the abstract without a reader's notes, whose Markdown showed raw in results
    (the notes are still searched: the index reads the whole body)."""
    from site_builder.build.render.notes import abstract_of  # markdown-it: only when a chunk is made

    return to_json(
        {"d": [[paper_path(p.slug), p.title, " ".join(abstract_of(p.body).split())] for p in pages]}
    )


def chunk_key(name: str, pages: list[Page]) -> str:
    """Everything a chunk's file is made of (with the code: keys are kept under its version)."""
    return digest(name, *[part for p in pages for part in (p.slug, p.title, p.body)])


def data_path(name: str) -> str:
    """Where the data file of this name goes (`index`, `t<N>`, `d<N>`, `w<N>`, `s<N>` or `a<N>`)."""
    if name == "index":
        return INDEX_FILE
    files = {"t": SHARD_FILE, "d": CHUNK_FILE, "w": WORD_FILE, "s": SLUG_FILE, "a": AUTHOR_FILE}
    return files[name[0]].format(name[1:])


# --- encoding ---------------------------------------------------------------------------


_DATA_HEAD = re.compile(r'\(window\.SEARCH_DATA=window\.SEARCH_DATA\|\|\{\}\)\["(\w+)"\]=\{"v":"(\w+)",')


def search_file_problems(out: Path) -> list[Problem]:
    """What `check` finds wrong with a built site's search files: an index that does not
    read, or a shard, chunk, word or slug shard it lists that is missing, cut short or of another build (its
    version). Each data file's head and end are read, not its whole JSON."""
    index = out / INDEX_FILE
    names: list[str] = []
    versions = ""
    try:
        text = index.read_text(encoding="utf-8")
        meta = json.loads(text.split("]=", 1)[1].rstrip().removesuffix(";")) if _DATA_HEAD.match(text) else {}
        if isinstance(meta, dict):
            names = [f"t{n}" for n in range(len(meta["shards"]))]
            names += [f"d{n}" for n in range(-(-int(meta["n"]) // int(meta["chunk"])))]
            names += [f"w{n}" for n in range(len(meta["wordShards"]))]
            names += [f"s{n}" for n in range(int(meta["slugShards"]))]
            names += [f"a{n}" for n in range(int(meta.get("authorShards", 0)))]
            versions = str(meta["versions"]) + str(meta["slugVersions"]) + str(meta.get("authorVersions", ""))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, IndexError):
        names = []
    if not names or len(versions) != VERSION_LENGTH * len(names):
        if not index.exists():
            return []  # `check` lists it as missing
        return [Problem(str(index), 0, "not the search index a build writes (damaged?); build again")]
    problems = []
    for n, name in enumerate(names):
        path = out / data_path(name)
        expected = versions[n * VERSION_LENGTH : (n + 1) * VERSION_LENGTH]
        try:
            with path.open("rb") as handle:
                start = handle.read(256).decode("utf-8", "replace")
                handle.seek(max(0, path.stat().st_size - 3))
                end = handle.read()
        except OSError:
            problems.append(Problem(str(path), 0, "missing: the search index lists it; build again"))
            continue
        found = _DATA_HEAD.match(start)
        if found is None or found.group(1) != name or not end.endswith(b"};\n"):
            problems.append(
                Problem(str(path), 0, "not the search data a build writes (damaged?); build again")
            )
        elif found.group(2) != expected:
            problems.append(
                Problem(str(path), 0, "search data of another build than the index's; build again")
            )
    return problems


def encode_postings(index: SearchIndex, start: int, end: int) -> str:
    """Terms start…end-1: fields joined by ',', terms by ';' (see `SearchIndex` for a posting)."""
    return ";".join(",".join(fields) for fields in index.encoded[start:end])


def shard_ranges(index: SearchIndex) -> list[tuple[int, int]]:
    """Contiguous term ranges of about SHARD_BYTES encoded postings each."""
    ranges, start, size = [], 0, 0
    for t, sizes in enumerate(index.sizes):
        size += sum(sizes) * 2 + 3
        if size >= SHARD_BYTES:
            ranges.append((start, t + 1))
            start, size = t + 1, 0
    if start < len(index.terms) or not ranges:
        ranges.append((start, len(index.terms)))
    return ranges


def meta_payload(
    index: SearchIndex, taxonomy: Taxonomy, shards: list[tuple[int, int]], vocabulary: WordFiles
) -> dict[str, Any]:
    tag_names = _tag_order(index, taxonomy)
    tag_id = {name: i for i, name in enumerate(tag_names)}
    doc_tags: list[int] = []
    for page in index.docs:
        doc_tags += [len(page.tags)] + [tag_id[t] for t in page.tags]
    return {
        "n": len(index.docs),
        "fields": [[name, boost] for name, boost in index.boosts],
        "k1": K1,
        "b": B,
        "terms": len(index.terms),
        "wordShards": vocabulary.bounds,
        "wordTerms": vocabulary.bases,
        **({"words": vocabulary.inline} if vocabulary.inline is not None else {}),
        "stems": vocabulary.stems,
        "alphabet": vocabulary.alphabet,
        "shards": [start for start, _ in shards],
        # Each term shard's first term: the engine asks for the shard of a typed word's stem
        # while its word shard is still on the way (the term's number needs that).
        "shardTerms": ["", *(index.terms[start] for start, _ in shards[1:])],
        "chunk": CHUNK,
        "slugShards": hashed_shard_count(len(index.docs)),
        "lengths": varints([n for lengths in index.lengths for n in lengths]),
        "tags": [[name, _tag_title(name, taxonomy)] for name in tag_names],
        "docTags": varints(doc_tags),
        "days": varints(day_gaps(index.docs)),
        **_earlier_days(index.docs),
        **_moved_tags(tag_names, taxonomy),
    }


def _moved_tags(tag_names: list[str], taxonomy: Taxonomy) -> dict[str, Any]:
    """`moved`: each earlier name of a tag (`aliases:`) with its name now, so that a shared
    `search.html?tag=OLD`, or `tag:OLD` typed, filters by the tag; left out when none."""
    shown = set(tag_names)
    moved = sorted([alias, name] for alias, name in taxonomy.renamed.items() if name in shown)
    return {"moved": moved} if moved else {}


def day_gaps(docs: list[Page]) -> list[int]:
    """Each paper's latest listing day (days since 1970-01-01, plus 1; 0 when undated), the
    first as it is and every other as its distance from the one before: papers are numbered
    newest first, so the gaps are small and never negative."""
    days = []
    for page in docs:
        newest = page.newest
        days.append(newest.toordinal() - _EPOCH + 1 if newest else 0)
    return [days[0]] + [a - b for a, b in itertools.pairwise(days)] if days else []


_EPOCH = datetime.date(1970, 1, 1).toordinal()


def _earlier_days(docs: list[Page]) -> dict[str, str]:
    """`earlier`: the other listing days of papers listed on several (a month filter finds a
    paper in every month the archive lists it in), as runs of (distance from the last such
    paper's number, how many days, each day's distance back from the one before, starting
    from its newest); left out when no paper was listed twice."""
    runs: list[int] = []
    last = 0
    for doc, page in enumerate(docs):
        if len(page.listed) > 1:
            runs += [doc - last, len(page.listed) - 1]
            runs += [(later - earlier).days for later, earlier in itertools.pairwise(page.listed)]
            last = doc
    return {"earlier": varints(runs)} if runs else {}


def synonym_terms(synonyms: Synonyms) -> list[list[str]]:
    """Each group as its entries' terms (space-separated), as the engine matches a query's
    words; entries without terms and groups left with one entry are dropped."""
    out = []
    for group in synonyms.groups:
        entries = list(dict.fromkeys(" ".join(terms) for phrase in group if (terms := phrase_terms(phrase))))
        if len(entries) > 1:
            out.append(entries)
    return out


def _tag_order(index: SearchIndex, taxonomy: Taxonomy) -> list[str]:
    """Tags found on pages: the taxonomy's order, then tags it does not know, by name."""
    used = {t for page in index.docs for t in page.tags}
    known = [t.name for t in taxonomy.tags if t.name in used]
    return known + sorted(used - set(known))


def _tag_title(name: str, taxonomy: Taxonomy) -> str:
    tag = taxonomy.get(name)
    return tag.title if tag else name

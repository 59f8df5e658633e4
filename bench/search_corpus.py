"""A deterministic synthetic corpus of N paper pages, recombined from the seed dumps.

Titles are real titles, some spliced from two papers; abstracts join the opening sentences
of one real abstract to the closing sentences of another, so the vocabulary and the term
statistics stay those of real listings. A fixed random seed makes every run identical.
"""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

from site_builder.core.model import MONTHS, Page, Source
from site_builder.core.taxonomy import Taxonomy, load_taxonomy
from site_builder.core.text import Slugs
from site_builder.ingest.dumps.sources import parse_text
from site_builder.ingest.tags.tagger import Tagger

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "content" / "sources"
TAXONOMY = ROOT / "site_builder" / "site_template" / "taxonomy.yaml"
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


@cache
def seed_papers(seeds: Path = SEEDS) -> tuple[tuple[str, str], ...]:
    """(title, abstract) of every distinct seed paper, in file order."""
    seen: dict[str, str] = {}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig")
        for entry in parse_text(text, path.name, path.name).entries:
            seen.setdefault(entry.title, entry.abstract)
    return tuple(seen.items())


def _title(rng: random.Random, pool: tuple[tuple[str, str], ...]) -> str:
    first = rng.choice(pool)[0]
    if rng.random() < 0.5:
        return first
    second = rng.choice(pool)[0]
    if ":" in first and ":" in second:
        return first.split(":", 1)[0] + ":" + second.split(":", 1)[1]
    a, b = first.split(), second.split()
    return " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :])


def _abstract(rng: random.Random, pool: tuple[tuple[str, str], ...]) -> tuple[str, int, int]:
    """An abstract made of two seed papers' halves, and the indices of those two papers."""
    a, b = rng.randrange(len(pool)), rng.randrange(len(pool))
    head, tail = SENTENCE.split(pool[a][1]), SENTENCE.split(pool[b][1])
    text = " ".join(head[: max(1, (len(head) + 1) // 2)] + tail[len(tail) // 2 :])
    return text, a, b


def synthetic_pages(count: int, seed: int = 20250617, taxonomy: Taxonomy | None = None) -> list[Page]:
    """`count` pages with unique slugs, tags from the default taxonomy and a listing date."""
    rng = random.Random(seed)
    pool = seed_papers()
    taxonomy = taxonomy or load_taxonomy(TAXONOMY)
    # Tagging every synthetic page would dominate the run; a page takes its halves' tags.
    tagger = Tagger.of(taxonomy)
    seed_tags = [tagger.choose(t, a) for t, a in pool]
    slugs = Slugs()
    pages = []
    for i in range(count):
        title = _title(rng, pool)
        abstract, a, b = _abstract(rng, pool)
        slug = slugs.new(title)
        listed = f"{MONTHS[rng.randrange(12)]} {rng.randint(1, 28)}"
        source = Source(f"synthetic/{i // 500:03d}.txt", 6 + 2 * (i % 500), listed)
        tags = tuple(sorted(set(seed_tags[a]) | set(seed_tags[b])))[: taxonomy.max_tags]
        pages.append(Page(slug=slug, title=title, body=abstract, tags=tags, sources=(source,)))
    return pages


def default_taxonomy() -> Taxonomy:
    return load_taxonomy(TAXONOMY)

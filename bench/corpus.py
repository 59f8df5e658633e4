"""A deterministic synthetic corpus of listing dumps, recombined from the seed dumps.

`generate(n, seed, out_dir)` writes `n` unique papers as dump files in the real input
format (the five header lines, then blank-line separated title / abstract lines), about
75 entries per dump, listing dates spread over one year. About a quarter of the papers
are listed again in one to three later dumps, some of those copies changed the way real
re-listings are: a title variant (case, curly quotes, en dash, trailing period), a
truncated abstract, a one-word edit, a new title. Ingest must fold every copy back into
its paper, so the ground truth is exactly `n` unique papers.

How the text is made, and why:
- A title is a made-up method name (unique per paper, e.g. `Ravolu`) with a description
  taken, or spliced, from two seed titles: unique title keys by construction.
- An abstract is an opening, middle and closing sentences drawn from the seed abstracts,
  plus a sentence naming the method and sometimes a code URL. About 40 % of the content
  words are then swapped for other content words drawn from the seeds by frequency, and
  numbers for random numbers. Recombining whole sentences alone would make every sentence
  occur in ~100 papers at 50k, so word shingles (what dedupe keys on) would collide far
  more often than in real abstracts; the swaps keep the word statistics and make most
  shingles unique to their paper, as they are in real listings.

Paper `i` depends only on (seed, i), so `write_extra_dump` can add papers n, n+1, …
that are new to a corpus of n papers.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from site_builder.core.model import MONTHS
from site_builder.core.text import title_key
from site_builder.ingest.dumps.sources import parse_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "content" / "sources"
HEADER = ("new", "Get trending papers in your email inbox!", "Subscribe", "byAK and the research community")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
TOKEN = re.compile(r"(\w+)")
DUMP_SIZE = (50, 100)  # entries per dump, inclusive
DUPLICATED = 0.25  # share of papers listed in more than one dump
EXTRA_COPIES = (1, 3)  # further listings of a duplicated paper
RELIST_DUMPS = 12  # a paper is listed again within this many dumps (about two weeks)
SWAP = 0.4  # share of content words replaced
# Kinds of repeated listing, with their weights.
COPY_KINDS = (("same", 55), ("title variant", 20), ("abstract edit", 10), ("truncated", 8), ("retitled", 7))
_STOP_TEXT = """
    that with this from these those which their have been such into also more than both while
    when where other only over each most many much very well what will were they them then
    there here however between within without across about among using based
"""
STOP = frozenset(_STOP_TEXT.split())  # content words are the others of four letters or more
CONSONANTS, VOWELS = "bdfgklmnprstvz", "aeiou"
SYLLABLES = [c + v for c in CONSONANTS for v in VOWELS]  # 70
NAME_SPACE = len(SYLLABLES) ** 3  # 343,000 three-syllable names; more use four syllables
NAME_SUFFIXES = ("", "", "", "Net", "-LM", "Bench", "-R1", "Agent", "Former", "-V")
NAMING = (
    "We call our approach {name}.",
    "We name the resulting framework {name}.",
    "We refer to this method as {name}.",
    "The resulting system, {name}, is simple to implement.",
    "We release {name} to the community.",
)
CODE = (
    "Code is available at {url}.",
    "Our code and data are publicly available at {url}.",
    "Project page: {url}.",
    "The code is released at {url}.",
)
OWNERS = ("ai-lab", "nlp-group", "ml-research", "opensource", "vision-lab", "agents-team", "sys-lab")


@dataclass(frozen=True)
class _Pools:
    """What the seed dumps offer: sentences by position, title parts, content words, lengths."""

    openings: tuple[tuple[str, ...], ...]  # each sentence split into separators and words
    middles: tuple[tuple[str, ...], ...]
    closings: tuple[tuple[str, ...], ...]
    descriptions: tuple[str, ...]
    content_words: tuple[str, ...]  # with repetition: sampling follows word frequency
    sentence_counts: tuple[int, ...]


@dataclass(frozen=True)
class Paper:
    """One synthetic paper: its index, canonical title and full abstract."""

    index: int
    name: str
    title: str
    abstract: str


@dataclass
class Corpus:
    """What `generate` wrote. `papers` is the ground truth: ingest must find exactly that many."""

    out_dir: Path
    papers: int
    entries: int
    files: list[Path]
    duplicated: int  # papers listed in more than one dump
    copies: Counter[str] = field(default_factory=Counter)  # repeated listings by kind


# --- the seed pools -------------------------------------------------------------------------------


@cache
def seed_entries(seeds: Path = SEEDS) -> tuple[tuple[str, str], ...]:
    """(title, abstract) of every distinct seed paper, in file order."""
    seen: dict[str, str] = {}
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8-sig")
        for entry in parse_text(text, path.name, path.name).entries:
            seen.setdefault(entry.title, entry.abstract)
    if not seen:
        raise FileNotFoundError(f"no seed dumps in {seeds}")
    return tuple(seen.items())


def _pieces(sentence: str) -> tuple[str, ...]:
    """Separators at even indices, words at odd ones (re.split with a capture group)."""
    return tuple(TOKEN.split(sentence))


def _is_content(word: str) -> bool:
    return len(word) >= 4 and word.isalpha() and word.lower() not in STOP and word[1:].islower()


@cache
def _pools(seeds: Path = SEEDS) -> _Pools:
    openings, middles, closings, descriptions, words, counts = [], [], [], [], [], []
    for title, abstract in seed_entries(seeds):
        description = title.split(":", 1)[1].strip() if ":" in title else title
        descriptions.append(description)
        sentences = [s for s in SENTENCE.split(abstract) if "http" not in s and len(s.split()) >= 4]
        counts.append(max(3, len(SENTENCE.split(abstract))))
        if len(sentences) < 3:
            middles += [_pieces(s) for s in sentences]
            continue
        openings.append(_pieces(sentences[0]))
        closings.append(_pieces(sentences[-1]))
        middles += [_pieces(s) for s in sentences[1:-1]]
        words += [w.lower() for w in TOKEN.findall(abstract) if _is_content(w)]
    return _Pools(
        tuple(openings), tuple(middles), tuple(closings), tuple(descriptions), tuple(words), tuple(counts)
    )


# --- one paper ------------------------------------------------------------------------------------


def method_name(index: int, seed: int) -> str:
    """A pronounceable name unique to `index` (a bijection on each name length), e.g. `Ravolu`."""
    syllables = 3 if index < NAME_SPACE else 4
    space = len(SYLLABLES) ** syllables
    # 7919 is prime and shares no factor with 70**k, so this permutes 0 … space-1.
    number = (index * 7919 + seed) % space
    parts = []
    for _ in range(syllables):
        number, digit = divmod(number, len(SYLLABLES))
        parts.append(SYLLABLES[digit])
    return "".join(parts).capitalize()


def _rng(seed: int, index: int, purpose: str) -> random.Random:
    return random.Random(f"{seed}/{index}/{purpose}")  # str seeds hash with SHA-512: stable


def _description(rng: random.Random, pools: _Pools) -> str:
    first = rng.choice(pools.descriptions)
    if rng.random() < 0.5:
        return first
    a, b = first.split(), rng.choice(pools.descriptions).split()
    return " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :])


def _title(rng: random.Random, name: str, pools: _Pools) -> str:
    description = _description(rng, pools)
    form = rng.random()
    if form < 0.6:
        return f"{name}: {description}"
    if form < 0.85:
        return f"{description} with {name}"
    return f"{description} ({name})"


def _perturb(pieces: Sequence[str], rng: random.Random, words: Sequence[str]) -> str:
    out = list(pieces)
    for i in range(1, len(out), 2):
        word = out[i]
        if word.isdigit():
            if rng.random() < 0.5:
                low = 10 ** (len(word) - 1) if len(word) > 1 else 0
                out[i] = str(rng.randint(low, 10 ** len(word) - 1))
        elif _is_content(word) and rng.random() < SWAP:
            new = rng.choice(words)
            out[i] = new.capitalize() if word[0].isupper() else new
    return "".join(out)


def _abstract(rng: random.Random, name: str, pools: _Pools) -> str:
    count = rng.choice(pools.sentence_counts)
    chosen = [rng.choice(pools.openings)]
    chosen += [rng.choice(pools.middles) for _ in range(count - 2)]
    chosen.append(rng.choice(pools.closings))
    sentences = [_perturb(s, rng, pools.content_words) for s in chosen]
    if rng.random() < 0.7:
        sentences.insert(rng.randint(1, len(sentences) - 1), rng.choice(NAMING).format(name=name))
    if rng.random() < 0.27:
        url = f"https://github.com/{rng.choice(OWNERS)}/{name.lower()}"
        sentences.append(rng.choice(CODE).format(url=url))
    return " ".join(sentences)


def make_paper(index: int, seed: int) -> Paper:
    """Paper `index` of the corpus made with `seed`: the same whatever the corpus size."""
    pools = _pools()
    rng = _rng(seed, index, "paper")
    name = method_name(index, seed) + rng.choice(NAME_SUFFIXES)
    return Paper(index, name, _title(rng, name, pools), _abstract(rng, name, pools))


# --- repeated listings ------------------------------------------------------------------------------


def title_variant(title: str, rng: random.Random) -> str:
    """The same title as another dump might spell it: same `title_key`, different text."""
    options = ["lower", "upper", "period"]
    if "'" in title or '"' in title:
        options.append("quotes")
    if "-" in title:
        options.append("dash")
    match rng.choice(options):
        case "lower":
            return title.lower()
        case "upper":
            return title.upper()
        case "period":
            return title + "."
        case "quotes":
            return re.sub(r'"([^"]*)"', "“\\1”", title).replace("'", "’")
        case _:
            return title.replace("-", "–", 1)


def truncated(abstract: str, rng: random.Random) -> str:
    """The abstract cut off part-way (as listing pages do), sometimes with an ellipsis."""
    cut = abstract.rfind(" ", 0, int(len(abstract) * rng.uniform(0.4, 0.85)))
    if cut <= 0:
        return abstract
    return abstract[:cut] + rng.choice(("…", "...", ""))


def edited(abstract: str, rng: random.Random, words: Sequence[str]) -> str:
    """One content word changed: a typo fix between two listings."""
    pieces = list(TOKEN.split(abstract))
    spots = [i for i in range(1, len(pieces), 2) if _is_content(pieces[i])]
    if not spots:
        return abstract + " "
    i = rng.choice(spots)
    new = rng.choice(words)
    while new == pieces[i].lower():
        new = rng.choice(words)
    pieces[i] = new
    return "".join(pieces)


def copy_of(paper: Paper, kind: str, rng: random.Random) -> tuple[str, str]:
    """(title, abstract) of a repeated listing of `paper`, changed according to `kind`."""
    pools = _pools()
    if kind == "title variant":
        return title_variant(paper.title, rng), paper.abstract
    if kind == "abstract edit":
        return paper.title, edited(paper.abstract, rng, pools.content_words)
    if kind == "truncated":
        return paper.title, truncated(paper.abstract, rng)
    if kind == "retitled":
        # A new description under the same method name: the title key changes, the abstract does not.
        for _ in range(20):
            title = _title(rng, paper.name, pools)
            if title_key(title) != title_key(paper.title):
                return title, paper.abstract
        return f"{paper.title} revisited", paper.abstract
    return paper.title, paper.abstract


def _schedule(n: int, seed: int) -> list[list[tuple[int, str]]]:
    """Dumps in date order, each a list of (paper index, listing kind); papers first listed in index order.

    Every paper has one "first" listing; DUPLICATED of them are listed again, each copy in a
    different dump one to RELIST_DUMPS dumps later (or earlier, near the end of the year).
    """
    rng = random.Random(f"{seed}/schedule/{n}")
    per_paper = 1 + DUPLICATED * sum(EXTRA_COPIES) / 2
    dumps: list[list[tuple[int, str]]] = []
    first = 0
    while first < n:
        take = max(1, round(rng.randint(*DUMP_SIZE) / per_paper))
        dumps.append([(i, "first") for i in range(first, min(n, first + take))])
        first += take
    kinds = [k for k, _ in COPY_KINDS]
    weights = [w for _, w in COPY_KINDS]
    for home, dump in enumerate(list(dumps)):
        for index, kind in list(dump):
            if kind != "first" or rng.random() >= DUPLICATED:
                continue
            later = list(range(home + 1, min(len(dumps), home + RELIST_DUMPS + 1)))
            earlier = list(range(max(0, home - RELIST_DUMPS), home))
            targets = later if len(later) >= EXTRA_COPIES[1] else later + earlier
            for target in rng.sample(targets, min(len(targets), rng.randint(*EXTRA_COPIES))):
                dumps[target].append((index, rng.choices(kinds, weights)[0]))
    for dump in dumps:
        rng.shuffle(dump)
    return dumps


def listing_date(when: float) -> str:
    """A point in the year (0 … 1) as a listing date such as `Mar 12` (a non-leap year)."""
    days = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    day = min(int(when * 365), 364)
    for month, length in enumerate(days):
        if day < length:
            return f"{MONTHS[month]} {day + 1}"
        day -= length
    raise AssertionError("unreachable")


def dump_text(date: str, entries: Sequence[tuple[str, str]]) -> str:
    """A dump file's text: header, date, then title / abstract lines, blank-line separated."""
    lines = [*HEADER, date]
    for title, abstract in entries:
        lines += [title, abstract]
    return "\n\n".join(lines) + "\n"


def generate(n: int, seed: int, out_dir: Path) -> Corpus:
    """Write dumps holding `n` unique papers into `out_dir` (created); return what was written."""
    if n < 1:
        raise ValueError("n must be at least 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    papers = [make_paper(i, seed) for i in range(n)]
    if len({title_key(p.title) for p in papers}) != n:
        raise AssertionError("synthetic titles are not unique; the name scheme is broken")
    rng = random.Random(f"{seed}/files/{n}")
    corpus = Corpus(out_dir, n, 0, [], 0)
    copied: set[int] = set()
    schedule = _schedule(n, seed)
    for number, dump in enumerate(schedule):
        entries = []
        for index, kind in dump:
            paper = papers[index]
            if kind == "first":
                entries.append((paper.title, paper.abstract))
                continue
            copied.add(index)
            corpus.copies[kind] += 1
            entries.append(copy_of(paper, kind, _rng(seed, index, f"copy{number}")))
        date = listing_date((number + 0.5) / len(schedule))
        path = out_dir / f"{number:05d}_{rng.getrandbits(64):016x}.txt"
        path.write_text(dump_text(date, entries), encoding="utf-8")
        corpus.files.append(path)
        corpus.entries += len(entries)
    corpus.duplicated = len(copied)
    return corpus


EXTRA_DATE = "Dec 31"  # the new dumps' date line: the last day of the corpus's year


def write_extra_dump(out_dir: Path, first: int, count: int, seed: int, date: str = EXTRA_DATE) -> Path:
    """One more dump holding papers first … first+count-1: new to a corpus of `first` papers."""
    entries = [(p.title, p.abstract) for p in (make_paper(i, seed) for i in range(first, first + count))]
    path = out_dir / f"zz_extra_{first}_{count}.txt"
    path.write_text(dump_text(date, entries), encoding="utf-8")
    return path

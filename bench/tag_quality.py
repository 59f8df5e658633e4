"""Tag quality against two independent labellers: precision over A∪B, recall over A∩B.

    .venv/bin/python -m bench.tag_quality [--misses] [--taxonomy PATH]

Labels are in tests/data/tagging/ (tags-a1/b1: half 1, used to tune the rules; tags-a2/b2:
half 2, held out); abstracts come from the bundled pages in content/papers. A tag counts as
right when either labeller gave it, and as missed when both gave it and the rules did not:
the measure issue 17 sets.
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_builder.core.pages.pagefile import read_pages
from site_builder.core.taxonomy import load_taxonomy
from site_builder.ingest.tags.tagger import Tagger

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "tagging"


@dataclass(frozen=True)
class Judged:
    slug: str
    title: str
    abstract: str
    either: frozenset[str]  # A ∪ B
    both: frozenset[str]  # A ∩ B


def _labels(path: Path) -> dict[str, set[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {p["slug"]: set(p.get("tags") or ()) for p in data["papers"]}


def judged_half(half: int, papers_dir: Path = ROOT / "content" / "papers") -> list[Judged]:
    a, b = _labels(DATA / f"tags-a{half}.yaml"), _labels(DATA / f"tags-b{half}.yaml")
    pages = {s.page.slug: s.page for s in read_pages(papers_dir)[0]}
    return [
        Judged(
            slug,
            pages[slug].title,
            pages[slug].body,
            frozenset(a[slug] | b[slug]),
            frozenset(a[slug] & b[slug]),
        )
        for slug in sorted(a)
        if slug in b and slug in pages
    ]


@dataclass
class Score:
    tp_either: Counter[str]
    got: Counter[str]
    tp_both: Counter[str]
    both: Counter[str]
    untagged: int

    @staticmethod
    def ratio(num: int, den: int) -> float:
        return num / den if den else 1.0

    def precision(self, tag: str | None = None) -> float:
        if tag is None:
            return self.ratio(sum(self.tp_either.values()), sum(self.got.values()))
        return self.ratio(self.tp_either[tag], self.got[tag])

    def recall(self, tag: str | None = None) -> float:
        if tag is None:
            return self.ratio(sum(self.tp_both.values()), sum(self.both.values()))
        return self.ratio(self.tp_both[tag], self.both[tag])


def score(tagger: Tagger, judged: list[Judged], misses: bool = False) -> Score:
    s = Score(Counter(), Counter(), Counter(), Counter(), 0)
    for j in judged:
        got = set(tagger.choose(j.title, j.abstract))
        s.untagged += not got
        for tag in got:
            s.got[tag] += 1
            s.tp_either[tag] += tag in j.either
        for tag in j.both:
            s.both[tag] += 1
            s.tp_both[tag] += tag in got
        if misses and (got - j.either or j.both - got):
            extra, missed = sorted(got - j.either), sorted(j.both - got)
            print(f"  {j.slug[:60]:<60} +{extra} -{missed}")
    return s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taxonomy", type=Path, default=ROOT / "content" / "taxonomy.yaml")
    parser.add_argument("--misses", action="store_true", help="list each paper's wrong and missed tags")
    args = parser.parse_args()
    tagger = Tagger.of(load_taxonomy(args.taxonomy))
    results = {}
    for half, name in ((1, "half 1 (tuned)"), (2, "half 2 (held out)")):
        if args.misses:
            print(f"{name}: +wrong -missed")
        results[name] = score(tagger, judged_half(half), args.misses)
    print("| set | papers untagged | precision (A∪B) | recall (A∩B) |")
    print("|---|---|---|---|")
    for name, s in results.items():
        print(f"| {name} | {s.untagged} | {s.precision():.3f} | {s.recall():.3f} |")
    print()
    print("| tag | " + " | ".join(f"{n} P | {n} R | n" for n in ("half 1", "half 2")) + " |")
    print("|---|" + "---|---|---|" * 2)
    tags = sorted({t.name for t in tagger.taxonomy.tags})
    for tag in tags:
        cells = [f"{s.precision(tag):.2f} | {s.recall(tag):.2f} | {s.both[tag]}" for s in results.values()]
        print(f"| {tag} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

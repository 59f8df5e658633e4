"""Related papers against exhaustive reader judgments, next to a plain tf-idf cosine baseline.

    .venv/bin/python -m bench.related_quality [--show] [--time N] [--recall N]

Judgments are in tests/data/related/ (related-a: used to tune, related-b: held out, related-c:
held out, written 2026-12-06 by a judge who saw neither the site nor the code): for
each target paper, every related paper in the bundled corpus with a grade (2 = same
problem or method, 1 = overlapping); a paper not listed is unrelated. Reported: precision
of the shown related papers (the fraction graded 1 or 2), nDCG@5 (gain = grade), and how
many links are shown per target.
"""

from __future__ import annotations

import argparse
import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from bench.common import ndcg
from site_builder.build.related import index as related_index
from site_builder.build.related import method as related
from site_builder.build.related import scoring as related_scoring
from site_builder.build.related import tags as related_tags
from site_builder.build.related.method import related_pages
from site_builder.build.related.terms import TermTable, term_counts
from site_builder.core.model import Page
from site_builder.core.pages.pagefile import read_pages

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "related"
K = 5


def site_genres() -> frozenset[str]:
    """The bundled taxonomy's genre tags, which the site's related papers do not count."""
    from site_builder.core.taxonomy import load_taxonomy

    return load_taxonomy(ROOT / "content" / "taxonomy.yaml").genres


def site_related(pages: Sequence[Page]) -> dict[str, list[str]]:
    """Related papers as the bundled site shows them."""
    return related_pages(pages, genres=site_genres())


Judgments = dict[str, dict[str, int]]  # target slug → {related slug: grade}
Ranker = Callable[[Sequence[Page]], dict[str, list[str]]]


def load_judgments(name: str) -> Judgments:
    data = yaml.safe_load((DATA / f"related-{name}.yaml").read_text(encoding="utf-8"))
    return {t["slug"]: {s: int(g) for s, g in (t.get("related") or {}).items()} for t in data["targets"]}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


_ENGLISH_STOP_TEXT = """
    a an and are as at be by for from has have in is it its of on or that the this to was were
    which with we our these their can also not than such into using based
"""
_ENGLISH_STOP = frozenset(_ENGLISH_STOP_TEXT.split())


def tfidf_baseline(pages: Sequence[Page], k: int = K) -> dict[str, list[str]]:
    """Plain tf-idf cosine over title + abstract, all pairs: the baseline the issue names."""
    docs = [Counter(w for w in _words(f"{p.title} {p.body}") if w not in _ENGLISH_STOP) for p in pages]
    df: Counter[str] = Counter(t for d in docs for t in d)
    n = len(docs)
    vectors = []
    for d in docs:
        v = {t: c * math.log(n / df[t]) for t, c in d.items()}
        norm = math.sqrt(sum(w * w for w in v.values())) or 1.0
        vectors.append({t: w / norm for t, w in v.items()})
    out = {}
    for i, v in enumerate(vectors):
        sims = [
            (-sum(w * vectors[j].get(t, 0.0) for t, w in v.items()), pages[j].slug)
            for j in range(n)
            if j != i
        ]
        out[pages[i].slug] = [s for _, s in sorted(sims)[:k]]
    return out


def measure(related: dict[str, list[str]], judged: Judgments) -> tuple[float, float, float]:
    """(precision of shown links, mean nDCG@5, mean links shown per target)."""
    shown = good = 0
    gains = []
    for target, grades in judged.items():
        links = related.get(target, [])[:K]
        shown += len(links)
        good += sum(grades.get(s, 0) >= 1 for s in links)
        gains.append(ndcg(links, grades, K))
    return (good / shown if shown else 0.0, sum(gains) / len(gains), shown / len(judged))


def bench_pages(n: int) -> list[Page]:
    """n synthetic papers from the bench corpus, tagged by the default taxonomy."""
    from bench.corpus import make_paper
    from site_builder.core.taxonomy import load_taxonomy
    from site_builder.ingest.tags.tagger import Tagger

    tagger = Tagger.of(load_taxonomy(ROOT / "content" / "taxonomy.yaml"))
    papers = [make_paper(i, 1) for i in range(n)]
    return [Page(f"p{p.index:06d}", p.title, p.abstract, tagger.choose(p.title, p.abstract)) for p in papers]


def exact_related(pages: Sequence[Page], k: int = K) -> dict[str, list[str]]:
    """The links related_pages would show if it scored every pair of papers that share a
    salient term: the reference its candidate search approximates. Quadratic; a few
    thousand papers at most."""
    ordered = sorted(pages, key=lambda p: p.slug)
    table = TermTable()
    docs = [table.encode(term_counts(p)) for p in ordered]
    base = related.weight_base(ordered)
    vectors = related_index.salient_vectors(table, docs, base=base).as_dicts()
    topics = related_tags.TagSimilarity.of(related.subject_tags(ordered, site_genres()), base)
    having: dict[str, list[int]] = defaultdict(list)
    for doc, vector in enumerate(vectors):
        for term in vector:
            having[term].append(doc)
    out = {}
    for doc, vector in enumerate(vectors):
        others = sorted({o for term in vector for o in having[term]} - {doc})
        scored = sorted(
            (-_cosine(vector, vectors[o]) * (1 + related_scoring.TAG_WEIGHT * topics(doc, o)), o)
            for o in others
        )
        best = [(-s, o) for s, o in scored[:k] if -s >= related_scoring.MIN_SCORE]
        out[ordered[doc].slug] = [ordered[o].slug for o in related_scoring.shown(best)]
    return out


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return math.fsum([a[t] * b[t] for t in a.keys() & b.keys()])


def measure_recall(n: int) -> None:
    """Print the share of exact_related's links that related_pages finds on n bench papers."""
    pages = bench_pages(n)
    found, exact = site_related(pages), exact_related(pages)
    hits = sum(len(set(found[s]) & set(links)) for s, links in exact.items())
    total = sum(len(links) for links in exact.values())
    print(f"candidate search at {n} papers finds {hits / total:.3f} of the links all pairs would show")


def time_related(n: int, repeat: int = 3) -> None:
    """Time the related stage (term counts + ranking, as a cold build does) on n synthetic papers."""
    pages = bench_pages(n)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        site_related(pages)
        times.append(time.perf_counter() - start)
    every = ", ".join(f"{t:.2f}" for t in times)
    print(f"related stage at {n} papers: best {min(times):.2f} s of {repeat} ({every})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each target's links with their grades")
    parser.add_argument(
        "--time", type=int, metavar="N", help="also time related papers on N bench-corpus papers"
    )
    parser.add_argument(
        "--recall",
        type=int,
        metavar="N",
        help="also measure how many of the links that scoring all pairs shows are found, on N bench papers",
    )
    args = parser.parse_args()
    if args.time:
        time_related(args.time)
    if args.recall:
        measure_recall(args.recall)
    pages = [s.page for s in read_pages(ROOT / "content" / "papers")[0]]
    rankers: dict[str, Ranker] = {
        "site_builder related": site_related,
        "tf-idf cosine baseline": tfidf_baseline,
    }
    results = {name: rank(pages) for name, rank in rankers.items()}
    print("| judged set | ranker | precision of shown | nDCG@5 | links shown per paper |")
    print("|---|---|---|---|---|")
    for set_name, label in (("a", "A (tuned)"), ("b", "B (held out)"), ("c", "C (held out)")):
        judged = load_judgments(set_name)
        for name, links in results.items():
            p, g, n = measure(links, judged)
            print(f"| {label} | {name} | {p:.3f} | {g:.3f} | {n:.1f} |")
            if args.show and name == "site_builder related":
                for target, grades in judged.items():
                    shown = links.get(target, [])[:K]
                    print(f"    {target[:50]}: " + ", ".join(f"{grades.get(s, 0)}:{s[:30]}" for s in shown))


if __name__ == "__main__":
    main()

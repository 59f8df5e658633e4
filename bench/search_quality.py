"""Search quality: `python -m bench.search_quality [--sets a b]`.

Runs the judged queries of tests/data/search/search-<set>.yaml through the real search
engine (search-engine.js under Node, on the files the build writes for content/papers) and
through a plain BM25 baseline (rank_bm25's BM25Okapi over title + abstract), and reports
nDCG@10, P@5, "first result relevant" and "a relevant paper in the top 3", overall and per
class of query. Relevant means a judgment of 1 or 2; nDCG uses the grades as gains.
Writes bench/results/search-quality.json.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml
from rank_bm25 import BM25Okapi

from bench.common import ndcg, read_site_pages
from site_builder.build.search.assets import build_search_assets
from site_builder.build.search.synonyms import load_synonyms
from site_builder.core.model import Page
from site_builder.core.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
JUDGED = ROOT / "tests" / "data" / "search"
WORK = ROOT / "bench" / "work" / "quality-site"
NODE_SCRIPT = ROOT / "tests" / "js" / "search_node.js"
RESULTS = ROOT / "bench" / "results" / "search-quality.json"
CLASSES = ("ordinary", "multi-concept", "typo-prefix")


def load_judged(name: str) -> list[dict[str, Any]]:
    data = yaml.safe_load((JUDGED / f"search-{name}.yaml").read_text(encoding="utf-8"))
    return list(data["queries"])


def write_site(pages: list[Page]) -> Path:
    """The search files of the bundled corpus, as the build writes them."""
    taxonomy = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    files = build_search_assets(pages, taxonomy, load_synonyms(ROOT / "content" / "synonyms.yaml"))
    for rel, data in files.items():
        (WORK / rel).parent.mkdir(parents=True, exist_ok=True)
        (WORK / rel).write_bytes(data)
    return WORK


def engine_rankings(site: Path, queries: list[str]) -> list[list[str]]:
    request = {"site": str(site), "queries": [{"q": q, "k": 10} for q in queries]}
    out = subprocess.run(
        ["node", str(NODE_SCRIPT)], input=json.dumps(request), capture_output=True, text=True, check=True
    )
    return [
        [p.removeprefix("papers/").removesuffix(".html") for p in r["paths"]] for r in json.loads(out.stdout)
    ]


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def bm25_rankings(pages: list[Page], queries: list[str]) -> list[list[str]]:
    """The baseline: BM25Okapi's defaults over lowercased \\w+ tokens of title and abstract."""
    bm25 = BM25Okapi([_tokens(p.title + " " + p.body) for p in pages])
    out = []
    for q in queries:
        scores = bm25.get_scores(_tokens(q))
        order = sorted(range(len(pages)), key=lambda i: (-scores[i], pages[i].slug))
        out.append([pages[i].slug for i in order[:10] if scores[i] > 0])
    return out


def measures(ranking: list[str], grades: dict[str, int]) -> dict[str, float]:
    gains = [grades.get(slug, 0) for slug in ranking[:10]]
    return {
        "ndcg10": ndcg(ranking, grades, 10),
        "p5": sum(g > 0 for g in gains[:5]) / 5,
        "first": float(bool(gains) and gains[0] > 0),
        "top3": float(any(g > 0 for g in gains[:3])),
    }


def summary(per_query: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out = {}
    for cls in ("all", *CLASSES):
        rows = [r for r in per_query if cls in ("all", r["class"])]
        out[cls] = {k: sum(r[k] for r in rows) / len(rows) for k in ("ndcg10", "p5", "first", "top3")}
        out[cls]["n"] = len(rows)
    return out


def evaluate(name: str, pages: list[Page], site: Path) -> dict[str, Any]:
    judged = load_judged(name)
    queries = [q["query"] for q in judged]
    runs = {"engine": engine_rankings(site, queries), "bm25": bm25_rankings(pages, queries)}
    result: dict[str, Any] = {}
    for ranker, rankings in runs.items():
        per_query = []
        for q, ranking in zip(judged, rankings, strict=True):
            row = {"id": q["id"], "query": q["query"], "class": q["class"], "top10": ranking}
            row.update(measures(ranking, {str(k): int(v) for k, v in q["judgments"].items()}))
            per_query.append(row)
        result[ranker] = {"summary": summary(per_query), "queries": per_query}
    return result


def table(name: str, result: dict[str, Any]) -> str:
    lines = [
        f"Set {name.upper()}: engine vs BM25 baseline",
        "",
        "| class | n | nDCG@10 | P@5 | first relevant | relevant in top 3 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    eng, base = result["engine"]["summary"], result["bm25"]["summary"]
    for cls in ("all", *CLASSES):
        e, b = eng[cls], base[cls]
        cells = [f"{e[k]:.3f} / {b[k]:.3f}" for k in ("ndcg10", "p5", "first", "top3")]
        lines.append(f"| {cls} | {e['n']:.0f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sets", nargs="*", default=["a", "b", "c", "d", "e"], help="judged sets to evaluate"
    )
    parser.add_argument("--show", action="store_true", help="print each query's measures")
    args = parser.parse_args(argv)
    pages, _ = read_site_pages(ROOT / "content" / "papers", ROOT)
    site = write_site(pages)
    results = {}
    for name in args.sets:
        results[name] = result = evaluate(name, pages, site)
        print(table(name, result) + "\n")
        if args.show:
            for e, b in zip(result["engine"]["queries"], result["bm25"]["queries"], strict=True):
                print(f"{e['id']} {e['ndcg10']:.2f} (bm25 {b['ndcg10']:.2f}) {e['query']!r}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

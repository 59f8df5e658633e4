"""Costs that must grow linearly: each case timed at n, 2n and 4n.

    python -m bench.linearity [--scale 1.0]

A linear cost doubles when n doubles (ratio ≈ 2); a quadratic one quadruples. The cases
are the ones that once were quadratic:

- an abstract with long runs of URL-scheme letters before "://" (markdown-it's linkify
  rescanned the run at every "://");
- new slugs for many papers with one title (each tried -2, -3, … from the start);
- taxonomy.yaml with many tags (each new tag compared with every earlier one);
- a site whose pages carry many distinct tags, and one page with very many tags (every
  list item and feed entry repeats a paper's tags on each of its tag pages);
- a taxonomy rule written to backtrack, `(a+)+$`, on a long run of "a" (RE2 is linear).

tests/test_linearity.py checks the same cases by counting the work done (function calls),
not time.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from site_builder.build.pipeline import build_site
from site_builder.build.render.abstracts import render_abstract
from site_builder.core.patterns import compile_pattern
from site_builder.core.taxonomy import load_taxonomy
from site_builder.core.text import Slugs

SITE_YAML = "title: Linearity\nbase_url: https://example.org/\n"
TAXONOMY = "tags:\n  - name: topic\n    rules:\n      - {pattern: 'topic', title: 3}\n"


def scheme_runs(n: int) -> Callable[[], object]:
    text = ("x" * 200 + "://y ") * (n // 205)
    return lambda: render_abstract(text)


def one_title(n: int) -> Callable[[], object]:
    def run() -> None:
        slugs = Slugs()
        for _ in range(n):
            slugs.new("Attention Is All You Need")

    return run


def taxonomy_file(folder: Path, n: int) -> Path:
    lines = ["tags:"]
    for i in range(n):
        lines += [
            f"  - name: tag-{i}",
            f"    title: Tag {i}",
            "    rules:",
            f"      - {{pattern: 'word{i}', title: 3}}",
        ]
    path = folder / f"taxonomy-{n}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def many_tags(n: int) -> Callable[[], object]:
    folder = Path(tempfile.mkdtemp(prefix="linearity-"))
    path = taxonomy_file(folder, n)
    return lambda: load_taxonomy(path)


def tagged_site(folder: Path, pages: int, tags_per_page: int, distinct: bool) -> Path:
    """A site of `pages` pages; each carries `tags_per_page` tags, its own or shared."""
    (folder / "content" / "papers").mkdir(parents=True)
    (folder / "content" / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (folder / "content" / "taxonomy.yaml").write_text(TAXONOMY, encoding="utf-8")
    for i in range(pages):
        names = [f"t{i}-{j}" if distinct else f"t{j}" for j in range(tags_per_page)]
        text = (
            f"---\ntitle: Paper {i}\ntags: [{', '.join(names)}]\n"
            f"sources:\n  - {{file: a.txt, line: {i + 1}, listed: 2025-03-12}}\n---\nAbstract {i}.\n"
        )
        (folder / "content" / "papers" / f"paper-{i}.md").write_text(text, encoding="utf-8")
    return folder


def distinct_tags(n: int) -> Callable[[], object]:
    root = tagged_site(Path(tempfile.mkdtemp(prefix="linearity-")), n // 4, 4, distinct=True)
    return lambda: build_site(root, parallel=False, cache=False)


def one_page_many_tags(n: int) -> Callable[[], object]:
    root = tagged_site(Path(tempfile.mkdtemp(prefix="linearity-")), 1, n, distinct=False)
    return lambda: build_site(root, parallel=False, cache=False)


def backtracking_rule(n: int) -> Callable[[], object]:
    pattern, text = compile_pattern("(a+)+$"), ("a" * n + "!").encode()
    return lambda: pattern.search(text)


CASES: list[tuple[str, Callable[[int], Callable[[], object]], int]] = [
    ("abstract: scheme runs before '://' (chars)", scheme_runs, 50_000),
    ("slugs: papers with one title", one_title, 2_000),
    ("taxonomy.yaml: tags", many_tags, 2_500),
    ("build: pages × 4 distinct tags (tags)", distinct_tags, 1_000),
    ("build: one page with n tags", one_page_many_tags, 2_500),
    ("rule (a+)+$ on 'a'×n", backtracking_rule, 1_000_000),
]


def best_of(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every n")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    print(f"{'case':46} {'n':>9} {'time':>9} {'×2n':>6} {'×4n':>6}")
    for name, make, base in CASES:
        n = max(4, int(base * args.scale))
        times = [best_of(make(k * n), args.repeat) for k in (1, 2, 4)]
        ratios = [t / times[0] if times[0] else float("nan") for t in times[1:]]
        print(f"{name:46} {n:>9} {times[0]:>8.3f}s {ratios[0]:>6.2f} {ratios[1]:>6.2f}")
    print("ratio ≈ 2 and 4: linear; ≈ 4 and 16: quadratic")


if __name__ == "__main__":
    main()

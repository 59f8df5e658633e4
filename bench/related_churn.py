"""How many older papers' related links a new day changes: a site's pages with and without
each of its newest dumps' papers, in one process (docs/performance-log.md, "Weights a day does
not move").

    python -m bench.related_churn SITE [--days 3] [--prefix zz_extra]

A day's papers are those every source of which is that dump; the dumps are the site's
files under content/sources whose names start with the prefix (the bench's extra dumps),
the last `--days` of them in name order.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.common import read_site_pages
from bench.related_quality import site_related
from site_builder.core.model import Page


def only_in(pages: list[Page], dump: str) -> set[str]:
    """The slugs of the papers that dump alone lists."""
    return {p.slug for p in pages if p.sources and all(s.file == dump for s in p.sources)}


def churn(pages: list[Page], dumps: list[str], day: str) -> tuple[int, int, int]:
    """(older papers, those whose links change when `day`'s papers are added, those of them
    that show a new paper), with the papers of dumps after `day` left out."""
    later = set().union(*(only_in(pages, d) for d in dumps if d > day))
    new = only_in(pages, day)
    before = [p for p in pages if p.slug not in new | later]
    old, now = site_related(before), site_related(before + [p for p in pages if p.slug in new])
    changed = [slug for slug in old if old[slug] != now[slug]]
    return len(before), len(changed), sum(1 for slug in changed if set(now[slug]) & new)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--prefix", default="zz_extra")
    args = parser.parse_args()
    pages, _ = read_site_pages(args.site / "content" / "papers", args.site)
    dumps = sorted({s.file for p in pages for s in p.sources if s.file.startswith(args.prefix)})
    for day in dumps[-args.days :]:
        started = time.perf_counter()
        older, changed, shown = churn(pages, dumps, day)
        print(
            f"{day}: {older} older papers; links changed: {changed} "
            f"({shown} show a new paper) [{time.perf_counter() - started:.1f} s]"
        )


if __name__ == "__main__":
    main()

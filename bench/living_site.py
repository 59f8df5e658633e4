"""A site's life, simulated: one dump a day, ingested and built on that day's clock.

    python -m bench.living_site [--days 365] [--per-day 5] [--start 2025-06-01]

Every day writes a dump with the day's header (`Dec 31`, no year) and a few seed papers,
sets SOURCE_DATE_EPOCH to that day, runs ingest and build, and records how many output
files the day added, changed and removed. tests/test_living_site.py runs a short stretch
across a new year; the full year's figures go into docs/performance-log.md.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.build.pipeline import build_site
from site_builder.core.model import MONTHS
from site_builder.core.pages.pagefile import read_pages
from site_builder.ingest.pipeline import run_ingest

ROOT = Path(__file__).resolve().parents[1]
SEED_PAGES = ROOT / "content" / "papers"
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"


def seed_papers() -> list[tuple[str, str]]:
    """(title, abstract) of every seed paper, in a fixed order."""
    stored, _ = read_pages(SEED_PAGES)
    return sorted((s.page.title, " ".join(s.page.body.split())) for s in stored)


@dataclass
class Day:
    date: datetime.date
    added: int = 0
    changed: int = 0
    removed: int = 0
    files: int = 0
    reingest_changed: int = 0  # pages a second ingest on the same day rewrote (must be 0)

    @property
    def written(self) -> int:
        return self.added + self.changed


@dataclass
class Life:
    root: Path
    days: list[Day] = field(default_factory=list)


def new_site(root: Path, per_page: int = 5) -> None:
    (root / "content" / "sources").mkdir(parents=True)
    (root / "content" / "papers").mkdir()
    shutil.copyfile(ROOT / "content" / "taxonomy.yaml", root / "content" / "taxonomy.yaml")
    (root / "content" / "site.yaml").write_text(
        f"title: A Living Site\nbase_url: https://example.org/living/\nper_page: {per_page}\nfeed_size: 10\n",
        encoding="utf-8",
    )


def dump_text(day: datetime.date, papers: list[tuple[str, str]]) -> str:
    body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers)
    return f"{HEADER}{MONTHS[day.month - 1]} {day.day}\n\n{body}"


@contextmanager
def clock(day: datetime.date) -> Iterator[None]:
    """SOURCE_DATE_EPOCH at noon UTC of `day`, for the ingest of that day."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(
        int(datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC).timestamp())
    )
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def fingerprints(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
        for p in out.rglob("*")
        if p.is_file()
    }


def live(root: Path, start: datetime.date, days: int, per_day: int, parallel: bool = False) -> Life:
    """Run `days` days of a site's life in `root` (which must not exist yet)."""
    new_site(root)
    pool = seed_papers()
    life = Life(root)
    before: dict[str, str] = {}
    for n in range(days):
        day = start + datetime.timedelta(days=n)
        papers = [pool[(n * per_day + k) % len(pool)] for k in range(per_day)]
        papers = [(f"{title} (day {n + 1})" if n * per_day >= len(pool) else title, a) for title, a in papers]
        (root / "content" / "sources" / f"dump-{n + 1:04d}.txt").write_text(
            dump_text(day, papers), encoding="utf-8"
        )
        record = Day(day)
        with clock(day):
            run_ingest(root)
            record.reingest_changed = len(run_ingest(root).changed)
        build_site(root, out=root / "_site", parallel=parallel)
        after = fingerprints(root / "_site")
        record.added = len(after.keys() - before.keys())
        record.removed = len(before.keys() - after.keys())
        record.changed = sum(1 for k in after.keys() & before.keys() if after[k] != before[k])
        record.files = len(after)
        life.days.append(record)
        before = after
    return life


def summary(life: Life) -> dict[str, object]:
    later = life.days[7:] or life.days
    written = [d.written for d in later]
    return {
        "days": len(life.days),
        "first": life.days[0].date.isoformat(),
        "last": life.days[-1].date.isoformat(),
        "files_at_end": life.days[-1].files,
        "written_per_day_median": statistics.median(written),
        "written_per_day_max": max(written),
        "written_per_day_p90": sorted(written)[int(0.9 * (len(written) - 1))],
        "reingest_changed_total": sum(d.reingest_changed for d in life.days),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=5)
    parser.add_argument("--start", type=datetime.date.fromisoformat, default=datetime.date(2025, 6, 1))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        life = live(Path(work) / "site", args.start, args.days, args.per_day, parallel=True)
        print(json.dumps(summary(life), indent=2))
        for d in life.days[:: max(1, len(life.days) // 12)]:
            print(f"{d.date}: +{d.added} ~{d.changed} -{d.removed} of {d.files} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())

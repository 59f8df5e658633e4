"""The golden site: tests/data/golden/content, ingested and built, compared byte for byte.

`make golden` (python -m tests.golden) rewrites tests/data/golden/expected/ from the current
code, on purpose, after a change that is meant to change the output; the diff of that
commit then shows exactly what changed for a reader. test_golden.py fails on any other change.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from site_builder.build.pipeline import build_site
from site_builder.ingest.pipeline import run_ingest

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"
EXPECTED = GOLDEN / "expected"


EPOCH = "1735732800"  # 2025-01-01 12:00 UTC: the day the golden dumps were "first ingested"


def make_golden(work: Path) -> dict[str, Path]:
    """Ingest and build the golden site in `work`: {"papers": folder, "site": folder}."""
    root = work / "golden"
    shutil.copytree(GOLDEN / "content", root / "content")
    (root / "content" / "papers").mkdir(exist_ok=True)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        run_ingest(root)
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    build_site(root, out=root / "_site", parallel=False, cache=False)
    return {"papers": root / "content" / "papers", "site": root / "_site"}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path → bytes)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def main() -> int:
    import tempfile

    with tempfile.TemporaryDirectory() as work:
        made = make_golden(Path(work))
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for name, folder in made.items():
            shutil.copytree(folder, EXPECTED / name)
    files = sum(len(tree(EXPECTED / name)) for name in ("papers", "site"))
    print(
        f"wrote {files} files to {EXPECTED.relative_to(Path.cwd()) if EXPECTED.is_relative_to(Path.cwd()) else EXPECTED}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

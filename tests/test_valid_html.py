"""Every page of a built site is valid HTML, as html-validate (npm) reads the standard.

Five of its rules are off or eased, each for a reason: `require-sri` (every script and
stylesheet is the site's own, from the same origin), checkboxes sharing a name (the search
page's tag filters are one multi-valued field), `wcag/h32` (the header's search form has
one field: Enter submits it, and the popup answers as one types), `no-redundant-for` (a
label naming the control it wraps is allowed, and older screen readers use it) and
`long-title` (a paper's page is titled with the paper's title, however long).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

VALIDATOR = REPO / "node_modules" / ".bin" / "html-validate"
CONFIG = Path(__file__).parent / "data" / "htmlvalidate.json"


def _problems(files: list[Path]) -> list[str]:
    if not VALIDATOR.exists():
        pytest.fail(f"{VALIDATOR} is missing: run `make test` (it runs npm ci)")
    done = subprocess.run(
        [str(VALIDATOR), "-c", str(CONFIG), "-f", "json", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        pytest.fail(f"html-validate failed: {done.stderr}")
    return [
        f"{Path(result['filePath']).name}:{m['line']}: {m['ruleId']}: {m['message']}"
        for result in json.loads(done.stdout or "[]")
        for m in result["messages"]
    ]


def test_every_page_kind_is_valid_html(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    kinds = {"index.html", "404.html", "search.html", "saved.html", "trends.html", "reading-notes.html"}
    assert kinds <= {p.name for p in pages if p.parent == built_site}
    assert any(p.parent.name == "tags" for p in pages) and any(p.parent.name == "papers" for p in pages)
    assert _problems(pages) == []


def test_the_validator_finds_what_it_is_here_for(tmp_path: Path) -> None:
    """A figure whose caption is not its first or last child: the chart's old mistake."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>'
        "<figure><svg></svg><figcaption>c</figcaption><details><summary>s</summary></details>"
        "</figure></body></html>\n",
        encoding="utf-8",
    )
    assert any("element-permitted-order" in p for p in _problems([page]))

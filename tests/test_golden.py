"""The golden site: any change to what a reader gets shows up here, file by file.

If a change is meant to alter the output, run `make golden` and commit the new expected
files with it: the diff is the review of what readers will see.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import EXPECTED, make_golden, tree


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_golden(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name", ["papers", "site"])
def test_output_is_the_golden_output_byte_for_byte(made: dict[str, Path], name: str) -> None:
    expected, actual = tree(EXPECTED / name), tree(made[name])
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    changed = sorted(p for p in expected.keys() & actual.keys() if expected[p] != actual[p])
    assert not (missing or extra or changed), (
        f"{name}: missing {missing[:5]}, extra {extra[:5]}, changed {changed[:5]} "
        "— if this change is intended, run `make golden` and commit tests/data/golden/expected"
    )


def test_the_golden_site_is_not_empty() -> None:
    assert len(tree(EXPECTED / "papers")) >= 7
    assert {"index.html", "feed.xml", "sitemap.xml", "assets/search-index.js"} <= tree(
        EXPECTED / "site"
    ).keys()

"""Which page on disk a paper is: here, a page that another page of the same paper doubles."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from ingest_helpers import make_site

from site_builder.ingest.pipeline import run_ingest
from site_builder.ingest.summary import format_summary

ABSTRACT = (
    "We align language models to human preferences from a handful of pairwise comparisons, "
    "using an uncertainty-aware reward model that asks annotators only about the pairs it "
    "cannot yet rank, and match full preference tuning with five percent of the labels."
)


def dump(day: str, title: str) -> str:
    return f"{day}\n\n{title}\n\n{ABSTRACT}\n"


def test_two_branches_pages_of_one_paper_are_named_after_a_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alice ingests the paper's Mar 12 listing, Bob its Mar 13 one under a new title, each on
    a branch; the merge keeps both pages (their names differ). Ingest called Bob's page "not
    found in any dump" and the build published the paper twice, without a word."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773446400")  # 2026-03-14
    alice, bob = make_site(tmp_path / "alice"), make_site(tmp_path / "bob")
    (alice / "content/sources/2026-03-12.txt").write_text(
        dump("Mar 12", "Efficient Preference Alignment with Few Comparisons")
    )
    (bob / "content/sources/2026-03-13.txt").write_text(
        dump("Mar 13", "FewPref: Efficient Preference Alignment with Few Comparisons")
    )
    assert not run_ingest(alice).failed and not run_ingest(bob).failed
    for folder in ("sources", "papers"):  # the merge: both branches' files
        for path in (bob / "content" / folder).iterdir():
            shutil.copy(path, alice / "content" / folder)
    result = run_ingest(alice)
    doubled = "fewpref-efficient-preference-alignment-with-few-comparisons.md"
    text = (alice / "content/papers" / doubled).read_text()
    line = text.splitlines().index("sources:") + 1
    assert [p.format() for p in result.problems if "same paper" in p.message] == [
        f"content/papers/{doubled}:{line}: warning: the same paper as content/papers/"
        "efficient-preference-alignment-with-few-comparisons.md (both hold its listing at "
        "2026-03-13.txt line 3), which ingest updates; delete one page (add its slug to the "
        "other's `moved_from:` to keep its address)"
    ]
    assert not any(line.startswith("left alone") for line in format_summary(result))
    (alice / "content/papers" / doubled).unlink()  # as the warning says: then one page, quietly
    result = run_ingest(alice)
    assert not [p for p in result.problems if "same paper" in p.message] and result.changed == []


def test_the_day_late_papers_join_is_the_dumps_newest_within_the_clocks_grace() -> None:
    """A dump's mistyped year (`Mar 20, 2025` on a 2024 clock) made late papers `added:` on
    a day to come (a code review); a first import has no late papers."""
    from site_builder.core.model import Page, Paper, Source
    from site_builder.core.pages.pagefile import StoredPage
    from site_builder.ingest.matching import arrival_day

    def paper(day: str) -> Paper:
        return Paper("T", "A", (Source("d.txt", 1, day),))

    site = [StoredPage(Path("p.md"), Page("p", "T", "", sources=(Source("d.txt", 1, "2024-03-11"),)))]
    today = datetime.date(2024, 3, 17)
    assert arrival_day([paper("2024-03-13"), paper("2024-03-15")], site, today) == datetime.date(2024, 3, 15)
    assert arrival_day([paper("2024-03-13"), paper("2024-03-19")], site, today) == datetime.date(2024, 3, 19)
    assert arrival_day([paper("2024-03-13"), paper("2025-03-20")], site, today) == today
    assert arrival_day([paper("2024-03-13")], [], today) is None

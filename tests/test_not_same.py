"""`not_same_as:`: a person splits a false merge (a benchmark and its "-v2" successor listed
with its predecessor's abstract) and it stays split; bad values are said at their line."""

import random
import shutil
from pathlib import Path

import pytest
from ingest_helpers import DATA, make_site, run_cli, snapshot

from site_builder.core.model import Entry, Source
from site_builder.core.pages.pagefile import StoredPage, read_pages
from site_builder.ingest.dedupe import dedupe
from site_builder.ingest.not_same import corrections

OLD = "RepoBench: Evaluating Code Agents on Whole Repositories"
NEW = "RepoBench-v2: Harder Repository Tasks for Code Agents"
MERGED = "repobench-evaluating-code-agents-on-whole-repositories.md"  # the first title's slug
SPLIT_OFF = "repobench-evaluating-code-agents-on-whole-repositories-2.md"
OPENING = (  # both listings' abstract, but for its last words
    "We introduce a benchmark of 1,200 tasks drawn from real open-source repositories, in which a "
    "code agent must read the repository, locate the relevant files, edit them and pass the "
    "project's own test suite. Current agents solve fewer than"
)
NOTE = "Our reading group: week 3, the v2 tasks."


def ingest(capsys: pytest.CaptureFixture[str], site: Path, *flags: str) -> tuple[int, str, str]:
    return run_cli(capsys, "--root", str(site), *flags, "ingest")


def pages(site: Path) -> dict[str, StoredPage]:
    found, problems = read_pages(site / "content" / "papers")
    assert problems == []
    return {sp.path.name: sp for sp in found}


def mark(site: Path, value: str, note: bool = True) -> Path:
    """The merged page with `not_same_as: VALUE` (and the group's note under the abstract)."""
    path = site / "content" / "papers" / MERGED
    text = path.read_text(encoding="utf-8").replace("generated:", f"not_same_as: {value}\ngenerated:", 1)
    path.write_text(text + (f"\n{NOTE}\n" if note else ""), encoding="utf-8")
    return path


@pytest.fixture
def merged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A site whose ingest merged RepoBench into RepoBench-v2 (its cache warm)."""
    site = make_site(tmp_path / "site", "successor")
    assert ingest(capsys, site)[0] == 0
    (page,) = [sp.page for sp in pages(site).values() if sp.page.aliases]
    assert (page.title, page.aliases) == (NEW, (OLD,))
    return site


def test_the_summary_names_a_merge_under_another_title_and_the_remedy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Said only as "merged: 1 retitled", the merge took RepoBench off the site unseen."""
    site = make_site(tmp_path / "site", "successor")
    _, out, _ = ingest(capsys, site)
    assert (
        "merged under another title: 1 page(s) took in a listing under another title; if it is "
        "another paper, list that title under `not_same_as:` in the page (docs/living-site.md)\n"
        f"  content/papers/{MERGED}: {OLD!r} → {NEW!r}\n"
    ) in out
    _, again, _ = ingest(capsys, site)
    assert "merged under another title" not in again  # said the run it happens, not every day


def test_the_summary_names_a_new_listing_that_takes_over_a_page_day_by_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The daily case: RepoBench has its page, then a later dump lists RepoBench-v2 with the
    old abstract and the page takes the new title. It was said only as "merged: 1 retitled",
    by `ingest` and `ingest --check` alike: the summary named only titles a page took in as
    aliases, not a page that took on a new title itself."""
    site = make_site(tmp_path / "site")
    sources = site / "content" / "sources"
    shutil.copyfile(DATA / "successor" / "2025-03-12.txt", sources / "2025-03-12.txt")
    ingest(capsys, site)
    shutil.copyfile(DATA / "successor" / "2025-04-02.txt", sources / "2025-04-02.txt")
    said = f"  content/papers/{MERGED}: {OLD!r} → {NEW!r}\n"
    assert said in run_cli(capsys, "--root", str(site), "ingest", "--check")[1]
    assert said in ingest(capsys, site)[1]
    assert "merged under another title" not in ingest(capsys, site)[1]


def test_a_false_merge_split_by_hand_is_two_pages_and_keeps_the_persons_edits(
    merged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mark(merged, "['repobench: evaluating code agents on whole repositories']")  # case, colon: any
    code, out, err = ingest(capsys, merged)
    assert (code, err.count("not_same_as")) == (0, 0)
    assert "2 dump file(s), 4 entries → 4 unique papers" in out
    assert "pages: 2 written (1 new)" in out
    found = pages(merged)
    kept, split = found[MERGED].page, found[SPLIT_OFF].page
    assert (kept.title, kept.aliases, [(s.file, s.line) for s in kept.sources]) == (
        NEW,
        (),
        [("2025-04-02.txt", 11)],
    )
    assert kept.body.endswith(f"fewer than a fifth of the tasks.\n\n{NOTE}")  # the v2 abstract, the note
    assert kept.extra["not_same_as"] == ["repobench: evaluating code agents on whole repositories"]
    assert (split.title, split.aliases, [(s.file, s.line, s.listed) for s in split.sources]) == (
        OLD,
        (),
        [("2025-03-12.txt", 11, "2025-03-12")],
    )
    assert split.body.endswith("fewer than a third of the tasks.")
    assert split.tags
    assert run_cli(capsys, "--root", str(merged), "build")[0] == 0
    site = merged / "_site" / "papers"
    older = (site / SPLIT_OFF.replace(".md", ".html")).read_text(encoding="utf-8")
    newer = (site / MERGED.replace(".md", ".html")).read_text(encoding="utf-8")
    assert f'<h1 class="paper-title" dir="auto">{OLD}</h1>' in older
    assert f'<h1 class="paper-title" dir="auto">{NEW}</h1>' in newer
    assert "Also listed as" not in newer and NOTE in newer
    before = snapshot(merged / "content")
    code, out, _ = ingest(capsys, merged)
    assert "pages: 0 written (0 new), 4 unchanged" in out
    assert snapshot(merged / "content") == before


def test_a_split_holds_on_a_warm_cache_as_on_a_cold_one(
    merged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The kept index joined the two listings; a run that extends it splits as one from nothing."""
    mark(merged, f"[{OLD!r}]")
    cold = tmp_path / "cold"
    shutil.copytree(merged / "content", cold / "content")  # the same pages, nothing remembered
    assert (merged / ".site-cache").is_dir() and not (cold / ".site-cache").exists()
    warm_out, cold_out = ingest(capsys, merged)[1], ingest(capsys, cold)[1]
    assert warm_out == cold_out
    assert snapshot(merged / "content") == snapshot(cold / "content")
    assert SPLIT_OFF in pages(merged)
    day = merged / "content" / "sources" / "2025-04-09.txt"  # v2 listed again, a new day
    day.write_text(
        (merged / "content" / "sources" / "2025-04-02.txt")
        .read_text(encoding="utf-8")
        .replace("Apr 2, 2025", "Apr 9, 2025"),
        encoding="utf-8",
    )
    shutil.copyfile(day, cold / "content" / "sources" / day.name)
    assert ingest(capsys, merged)[1] == ingest(capsys, cold)[1]
    assert snapshot(merged / "content") == snapshot(cold / "content")
    found = pages(merged)
    assert [s.file for s in found[MERGED].page.sources] == ["2025-04-02.txt", "2025-04-09.txt"]
    assert [s.file for s in found[SPLIT_OFF].page.sources] == ["2025-03-12.txt"]


def test_removing_the_key_and_the_split_off_page_merges_the_paper_again(
    merged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = mark(merged, f"[{OLD!r}]")
    ingest(capsys, merged)
    path.write_text(path.read_text(encoding="utf-8").replace(f"not_same_as: [{OLD!r}]\n", ""), "utf-8")
    (merged / "content" / "papers" / SPLIT_OFF).unlink()
    code, out, _ = ingest(capsys, merged)
    assert code == 0
    assert "4 entries → 3 unique papers" in out
    page = pages(merged)[MERGED].page
    assert (page.title, page.aliases, len(page.sources)) == (NEW, (OLD,), 2)
    assert page.body.endswith(NOTE)
    assert SPLIT_OFF not in pages(merged)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "5",
            f"error: 'not_same_as' must be a list of the titles merged into this paper that are another "
            f"paper, such as [{OLD!r}]; 5 is not, so it is ignored",
        ),
        (
            "[[a, b]]",
            f"error: 'not_same_as' must be a list of the titles merged into this paper that are another "
            f"paper, such as [{OLD!r}]; [['a', 'b']] is not, so it is ignored",
        ),
        (
            "['RepoBench: Evaluating Code Agents on Whole Repository']",
            "warning: 'not_same_as': no listing titled 'RepoBench: Evaluating Code Agents on Whole "
            "Repository' is merged into this page's paper, so nothing was split; check the title "
            "against the page's `aliases:` as ingest wrote them (case, quotes, dashes and a final "
            "full stop do not matter; other punctuation does)",
        ),
        (
            f"[{NEW.upper()!r}]",
            f"warning: 'not_same_as' lists this page's own title {NEW.upper()!r}, which stays this "
            "page's; list the title merged into it that is another paper instead: one of its "
            f"`aliases:` ({OLD!r})",
        ),
    ],
    ids=["a number", "a list in a list", "a typo", "its own title"],
)
def test_a_not_same_as_that_splits_nothing_is_said_at_its_line(
    merged: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    mark(merged, value, note=False)
    code, out, err = ingest(capsys, merged)
    assert f"content/papers/{MERGED}:10: {message}\n" in err  # the line of `not_same_as:`
    assert code == (1 if message.startswith("error") else 0)
    assert "4 entries → 3 unique papers" in out  # nothing split
    assert SPLIT_OFF not in pages(merged)
    assert pages(merged)[MERGED].page.extra["not_same_as"] is not None  # the person's line stays


def entry(title: str, abstract: str, line: int, listed: str) -> Entry:
    return Entry(title, abstract, Source(f"{listed}.txt", line, listed))


def test_a_split_does_not_depend_on_the_order_entries_arrive_in(merged: Path) -> None:
    """A third listing that joins both (RepoBench again with the v2 wording) stays with the v2."""
    mark(merged, f"[{OLD!r}]")
    apart, problems = corrections(list(pages(merged).values()))
    assert problems == []
    old, new = (f"{OPENING} {fewer} of the tasks." for fewer in ("a third", "a fifth"))
    entries = [
        entry(OLD, old, 11, "2025-03-12"),
        entry(NEW, new, 11, "2025-04-02"),
        entry(NEW, new + " Code is released.", 3, "2025-04-05"),
        entry(OLD, old, 7, "2025-04-06"),
    ]
    seen = set()
    for seed in range(6):
        random.Random(seed).shuffle(entries)
        papers = dedupe(entries, apart=apart).papers
        seen.add(tuple((p.title, p.aliases, tuple((s.file, s.line) for s in p.sources)) for p in papers))
    assert seen == {
        (
            (OLD, (), (("2025-03-12.txt", 11), ("2025-04-06.txt", 7))),
            (NEW, (), (("2025-04-02.txt", 11), ("2025-04-05.txt", 3))),
        )
    }


def test_a_title_written_without_its_colon_is_warned_of_without_saying_punctuation_does_not_matter(
    merged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The warning said "case and punctuation do not matter" of a title that missed only its
    colon: dedupe's title key keeps a colon, so the person was told the one difference did not
    matter, and the split never came."""
    mark(merged, "['RepoBench Evaluating Code Agents on Whole Repositories']", note=False)
    _, _, err = ingest(capsys, merged)
    assert (
        f"content/papers/{MERGED}:10: warning: 'not_same_as': no listing titled 'RepoBench Evaluating "
        "Code Agents on Whole Repositories' is merged into this page's paper, so nothing was split; "
        "check the title against the page's `aliases:` as ingest wrote them (case, quotes, dashes "
        "and a final full stop do not matter; other punctuation does)\n"
    ) in err
    assert SPLIT_OFF not in pages(merged)


def test_a_split_whose_other_paper_is_no_longer_listed_is_not_warned_of(
    merged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its dump removed, the split-off paper has no listing: the warning sent the person to the
    page's `aliases:` (which the split had emptied) to check a title that was right."""
    mark(merged, f"[{OLD!r}]")
    ingest(capsys, merged)
    (merged / "content" / "sources" / "2025-03-12.txt").unlink()
    code, out, err = ingest(capsys, merged)
    assert (code, "not_same_as" in err) == (0, False)
    assert "1 dump file(s), 2 entries → 2 unique papers" in out
    assert pages(merged)[SPLIT_OFF].page.title == OLD  # a person's page: never deleted
    assert pages(merged)[MERGED].page.extra["not_same_as"] == [OLD]
    _, _, again = ingest(capsys, merged)
    assert "not_same_as" not in again


def test_a_title_merged_into_another_page_is_warned_of_on_the_page_that_lists_it(
    merged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The key put on the wrong page: RepoBench is merged into the v2 page, not this one. It
    splits nothing, and the warning stays (a title that is only another page's alias is not
    apart: the false merge is still there)."""
    other = merged / "content" / "papers" / "reward-models-that-explain-their-scores.md"
    other.write_text(
        other.read_text(encoding="utf-8").replace("generated:", f"not_same_as: [{OLD!r}]\ngenerated:", 1),
        encoding="utf-8",
    )
    _, out, err = ingest(capsys, merged)
    assert (
        "content/papers/reward-models-that-explain-their-scores.md:7: warning: 'not_same_as': no "
        f"listing titled {OLD!r} is merged into this page's paper, so nothing was split"
    ) in err
    assert "4 entries → 3 unique papers" in out

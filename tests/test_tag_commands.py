"""The tag workflow a person follows: untagged papers listed, explain, hand corrections, evaluate, suggest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.ingest_helpers import DATA, make_site, run_cli

LEGAL = "a-benchmark-for-legal-rag"  # the small taxonomy has no rule that places it


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The fixture dumps, ingested with the small taxonomy minus its fallback tag."""
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text((DATA / "taxonomy.yaml").read_text(encoding="utf-8").replace("fallback: other\n", ""))
    root = make_site(tmp_path / "site", "dumps", taxonomy=taxonomy)
    run_cli(capsys, "--root", str(root), "ingest")
    return root


def _set_tags(page: Path, tags: str) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"^tags: .*$", f"tags: {tags}", text, count=1, flags=re.M), encoding="utf-8")


def test_ingest_lists_a_paper_no_rule_places(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taxonomy = tmp_path / "taxonomy.yaml"
    taxonomy.write_text((DATA / "taxonomy.yaml").read_text(encoding="utf-8").replace("fallback: other\n", ""))
    root = make_site(tmp_path / "site", "dumps", taxonomy=taxonomy)
    code, out, err = run_cli(capsys, "--root", str(root), "ingest")
    assert code == 0
    assert f"content/papers/{LEGAL}.md:1: warning: untagged: no tag's rules reach their threshold" in err
    assert re.search(r"^untagged: [1-9] page\(s\) without a tag \(listed above\)$", out, re.M)
    assert "tags: []" in (root / "content" / "papers" / f"{LEGAL}.md").read_text(encoding="utf-8")
    # Listed when written, not on every run: 4,400 lines a day buried the day's few at 50,000
    # papers (a reviewer); the count stays, and `check` lists them all.
    code, out, err = run_cli(capsys, "--root", str(root), "ingest")
    assert code == 0 and "warning: untagged" not in err
    assert re.search(
        r"^untagged: [1-9] page\(s\) without a tag \(`.* check` lists them\)$",
        out,
        re.M,
    ), out
    assert (
        f"content/papers/{LEGAL}.md:1: warning: untagged" in run_cli(capsys, "--root", str(root), "check")[2]
    )


def test_each_ingest_says_how_the_rules_fare_on_the_pages_tagged_by_hand(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Corrections teach only if someone sees them: the summary (CI's log too) counts the
    labelled examples and how many the rules agree with, and names the commands to go on."""
    code, out, _ = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 0 and "labelled examples" not in out  # none yet: nothing said
    papers = [
        p for p in sorted((site / "content" / "papers").glob("*.md")) if "tags: []" not in p.read_text()
    ]
    _set_tags(papers[0], "[]")  # its tags taken away: the rules now disagree with the page
    agreed = papers[1]
    text = agreed.read_text(encoding="utf-8")  # its tags confirmed as the rules gave them
    agreed.write_text(text.replace("---\n", "---\ntags_confirmed: true\n", 1), encoding="utf-8")
    for _ in range(2):  # the first ingest of the edits, and one that finds nothing changed
        code, out, _ = run_cli(capsys, "--root", str(site), "ingest")
        line = next(line for line in out.splitlines() if line.startswith("labelled examples"))
        assert line == (
            "labelled examples: 2 page(s) tagged by hand (of those the dumps list); the rules give "
            f"1 of them the same tags (`site-builder --root {site} tags --evaluate` scores every "
            f"labelled page, `site-builder --root {site} tags --suggest` proposes rule changes)"
        )
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--evaluate")
    assert code == 0 and out.startswith("2 hand-labelled pages:")


def test_check_lists_untagged_pages_without_failing(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "--root", str(site), "build")[0] == 0
    code, out, err = run_cli(capsys, "--root", str(site), "check")
    assert code == 0 and re.search(r"site OK; [1-9] warning\(s\) listed above", out)
    assert f"content/papers/{LEGAL}.md:1: warning: untagged" in err


def test_check_names_tags_the_taxonomy_lacks_with_the_nearest_one(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelt hand tag (or one the taxonomy renamed) made a page of its own, and `check`
    said "site OK" without a word."""
    papers = sorted((site / "content" / "papers").glob("rotated-*.md"))
    for page in papers:
        _set_tags(page, "[Reasonng]")
    run_cli(capsys, "--root", str(site), "ingest")
    assert run_cli(capsys, "--root", str(site), "build")[0] == 0
    code, _, err = run_cli(capsys, "--root", str(site), "check")
    warning = next(line for line in err.splitlines() if "'Reasonng'" in line)
    first, other = (papers[1], papers[0]) if papers[1].name in warning.split(":")[0] else papers
    assert code == 0 and re.match(rf"content/papers/{first.name}:\d+: warning: ", warning)
    assert f"(used by 2 page(s); also {other.name})" in warning
    assert "did you mean 'reasoning'?" in warning


def test_check_lists_a_page_untagged_by_hand_and_leaves_the_builds_cache_as_it_is(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Untagged pages are read through the build's page cache, which only the build writes
    (a check run with another --root would otherwise relabel it, and the build parse again)."""
    assert run_cli(capsys, "--root", str(site), "build")[0] == 0
    _set_tags(site / "content" / "papers" / "rotated-4-bit-quantization-for-llms.md", "[]")
    cache = site / ".site-cache" / "build"
    before = {path.name: path.read_bytes() for path in cache.iterdir()}
    code, _, err = run_cli(capsys, "--root", str(site), "check")
    assert code == 0 and "rotated-4-bit-quantization-for-llms.md:1: warning: untagged" in err
    assert {path.name: path.read_bytes() for path in cache.iterdir()} == before


def test_check_before_ingest_says_a_person_took_a_pages_tags_off(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tags: []` on a page the rules tag, checked before the next ingest: check said "no
    tag's rules reach their threshold" of a page `tags --explain` shows at 19.5 points."""
    assert run_cli(capsys, "--root", str(site), "build")[0] == 0
    _set_tags(site / "content" / "papers" / "rotated-4-bit-quantization-for-llms.md", "[]")
    _, _, err = run_cli(capsys, "--root", str(site), "check")
    assert "rotated-4-bit-quantization-for-llms.md:1: warning: untagged: you took its tags off;" in err
    legal = f"content/papers/{LEGAL}.md:1: warning: untagged: no tag's rules reach their threshold"
    assert legal in err  # a page the rules do not place is still said to be one


@pytest.mark.parametrize(
    "query", ["rotated-4-bit", "Rotated 4-bit Quantization for LLMs", "4-bit quantization"]
)
def test_explain_finds_a_page_by_title_or_part_of_its_slug(
    site: Path, capsys: pytest.CaptureFixture[str], query: str
) -> None:
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--explain", query)
    assert code == 0
    assert out.startswith("Rotated 4-bit Quantization for LLMs\npage tags: compression\n")
    assert "Rotated 4-bit «Quantiz»ation for LLMs   (title, rule 1)" in out


def test_explain_says_when_a_pages_tags_were_set_by_hand(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reviewer's hand-tagged page was explained as "untagged (ingest and check list it)"."""
    _set_tags(site / "content" / "papers" / "rotated-4-bit-quantization-for-llms.md", "[other]")
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--explain", "rotated-4-bit")
    assert code == 0 and out.startswith("Rotated 4-bit Quantization for LLMs\npage tags: other\n")
    assert out.rstrip().endswith(
        "the rules give compression (marked +); the page's tags were set by hand, and ingest keeps them"
    )
    assert "untagged" not in out


def test_explain_reads_the_abstract_as_ingest_does_not_a_persons_notes(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reviewer's notes on an untagged page ("compare with the quantization paper") were
    quoted as matches, and explain marked tags (+) that ingest never gives."""
    page = site / "content" / "papers" / f"{LEGAL}.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n## Notes\n\nCompare with the quantization paper.\n",
        encoding="utf-8",
    )
    code, out, _ = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 0 and "tags: []" in page.read_text(encoding="utf-8")
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--explain", LEGAL)
    assert code == 0
    assert "Notes" not in out and "quantiz" not in out.lower()
    assert "+ compression" not in out


def test_explain_asks_for_more_when_a_query_fits_several_pages(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, "--root", str(site), "tags", "--explain", "rotated")
    assert code != 0
    assert "'rotated' fits 2 pages (rotated-4-bit-quantization-for-llms, rotated-8-bit" in err
    code, _, err = run_cli(capsys, "--root", str(site), "tags", "--explain", "zebra crossings")
    assert (code, err) == (1, "content/papers: error: no page's slug or title contains 'zebra crossings'\n")


def test_evaluate_names_a_labels_file_without_its_papers_list(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.yaml"
    labels.write_text("- title: A Paper\n  tags: [agents]\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "--root", str(site), "tags", "--evaluate", str(labels))
    assert (code, err) == (1, f"{labels}:1: error: expected `papers:` with a list of {{title, tags}}\n")


def test_a_hand_correction_becomes_a_labelled_example_that_evaluate_scores(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    papers = site / "content" / "papers"
    _, out, _ = run_cli(capsys, "--root", str(site), "tags", "--evaluate")
    assert out.startswith("no hand-labelled pages yet")
    _set_tags(papers / f"{LEGAL}.md", "[reasoning]")  # a person places the untagged paper
    run_cli(capsys, "--root", str(site), "ingest")
    page = (papers / f"{LEGAL}.md").read_text(encoding="utf-8")
    assert "tags: [reasoning]" in page and "tags_confirmed: true" in page
    assert run_cli(capsys, "--root", str(site), "ingest")[1].count("0 written") == 1  # idempotent
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--evaluate")
    assert code == 0
    assert out.startswith("1 hand-labelled pages: precision –, recall 0.000 (micro)")
    assert "  reasoning      P    –  R 0.00  (1 labelled)" in out  # the rules gave it to no labelled page
    assert re.search(r"^  not on any labelled page, by hand or by the rules: \w", out, re.M)
    assert "  A Benchmark for Legal RAG: missed reasoning" in out.splitlines()


def test_suggest_for_a_tag_without_rules_says_where_the_pasted_line_goes(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A person who deleted a tag's rules to write them again was told to paste a proposal
    "under that tag's `rules:`", which it no longer had."""
    papers = site / "content" / "papers"
    for page in papers.glob("*.md"):
        if "legal" in page.name or "quickserve" in page.name:
            _set_tags(page, "[reasoning]" if "legal" in page.name else "[inference, reasoning]")
    taxonomy = site / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    start = text.index("    rules:", text.index("- name: reasoning"))
    end = text.index("  - name:", start)
    taxonomy.write_text(text[:start] + text[end:], encoding="utf-8")  # its rules deleted, nothing else
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--suggest", "reasoning")
    assert code == 0 and "add rule  - {pattern:" in out, out
    assert (
        "\nreasoning:\n  (reasoning has no `rules:` yet: add `rules:` under its `name: reasoning` first)\n"
        in out
    )


def test_suggest_proposes_a_phrase_from_the_pages_the_rules_miss(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    papers = site / "content" / "papers"
    assert run_cli(capsys, "--root", str(site), "tags", "--suggest")[1].startswith(
        "no hand-labelled pages yet"
    )
    for page in papers.glob("*.md"):
        if "legal" in page.name or "quickserve" in page.name:
            _set_tags(page, "[reasoning]" if "legal" in page.name else "[inference, reasoning]")
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--suggest", "reasoning")
    assert code == 0
    assert "reasoning:" in out
    proposal = re.search(
        r"add rule  (- \{pattern: '\\b[a-z -]+\\b', title: \d+, abstract: \d+\})   # precision – → 1\.00, "
        r"recall 0\.00 → (\d\.\d\d) on 3 labelled pages; finds (\d) of 3 missed",
        out,
    )
    assert proposal, out
    # Accepted as it is pasted, the rule does what the proposal said.
    taxonomy = site / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    at = text.index("- name: reasoning")
    at = text.index("rules:\n", at) + len("rules:\n")
    taxonomy.write_text(text[:at] + f"      {proposal.group(1)}\n" + text[at:], encoding="utf-8")
    _, evaluated, _ = run_cli(capsys, "--root", str(site), "tags", "--evaluate")
    assert f"  reasoning      P 1.00  R {proposal.group(2)}  (3 labelled)" in evaluated


def test_a_page_left_behind_by_a_taxonomy_edit_is_not_called_hand_tagged(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a rule change and before ingest, a page with the old rules' tags was explained
    as "set by hand, and ingest keeps them": the next ingest changed them."""
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace("'\\bquantiz'", "'\\bquantum'"), encoding="utf-8"
    )
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--explain", "rotated-4-bit")
    assert code == 0 and "page tags: compression" in out and "set by hand" not in out
    # Nor left unexplained: the page's tags are no longer the rules' (a reviewer).
    assert out.endswith(
        "the page's tags are an earlier ingest's: the rules now give no tag; "
        f"`site-builder --root {site} ingest` tags it again\n"
    ), out


def test_a_page_whose_abstract_a_person_edited_is_not_called_stale(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sentence added to an abstract made `--explain` say the page's tags were an earlier
    ingest's, run after run: ingest tags the dumps' text and never changed them (a reviewer)."""
    page = site / "content" / "papers" / "rotated-4-bit-quantization-for-llms.md"
    page.write_text(page.read_text(encoding="utf-8") + "We add chain-of-thought reasoning steps.\n")
    run_cli(capsys, "--root", str(site), "ingest")
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--explain", "rotated-4-bit")
    assert code == 0 and "+ reasoning" in out and "earlier ingest" not in out, out
    assert out.rstrip().endswith("so the marks above (read from the page) may differ from its tags")


def test_tags_not_in_the_taxonomy_are_named_not_scored(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A renamed tag left on hand-labelled pages was scored R 0.00, and --suggest proposed
    removing the new name's rules; a labels file with no matching title scored 1.000."""
    _set_tags(site / "content" / "papers" / "rotated-4-bit-quantization-for-llms.md", "[quantisation]")
    _, out, _ = run_cli(capsys, "--root", str(site), "tags", "--evaluate")
    left_out = (
        "  not scored: 1 labelled page(s) with tags not in the taxonomy: quantisation (1); "
        "misspelt, renamed or removed? fix the pages' tags"
    )
    assert left_out in out
    assert "quantisation " not in out.split("not scored")[0]
    suggested = run_cli(capsys, "--root", str(site), "tags", "--suggest")[1]
    assert left_out in suggested
    assert suggested.startswith("0 hand-labelled pages. Proposals only."), suggested  # none fitted to
    # Ingest's own count of the labelled pages says the same: the page is not one the rules
    # disagree with (it was counted so, beside evaluate's "not scored"), and with none scored
    # it says so ("the rules give 0 of the 0 scored the same tags", a new user read twice).
    line = next(
        li for li in run_cli(capsys, "--root", str(site), "ingest")[1].splitlines() if "labelled" in li
    )
    assert line.startswith(
        "labelled examples: 1 page(s) tagged by hand (of those the dumps list); none scored: 1 with "
        "tags not in the taxonomy (listed above) ("
    ), line
    # A misspelt tag beside a right one: the page is not scored at all. Scored as labelled
    # `compression` alone, the rules' right `reasoning` counted against them (a reviewer).
    _set_tags(site / "content" / "papers" / f"{LEGAL}.md", "[compression, reasonning]")
    _, out, _ = run_cli(capsys, "--root", str(site), "tags", "--evaluate")
    assert out.startswith("0 hand-labelled pages: precision –, recall – (micro)"), out
    assert (
        "not scored: 2 labelled page(s) with tags not in the taxonomy: quantisation (1), reasonning (1)"
        in out
    )
    labels = tmp_path / "labels.yaml"
    # A title no page has, a misspelt tag: mistakes in the file, each at its line (a reviewer's
    # misspelt tag made its paper an example of no tag, and the figures came out 1.000).
    title = (site / "content" / "papers" / f"{LEGAL}.md").read_text(encoding="utf-8").split("\n")[1][7:]
    labels.write_text(
        f"papers:\n- {{title: No Such Paper, tags: [reasoning]}}\n- {{title: {title}, tags: [reasoninng]}}\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(capsys, "--root", str(site), "tags", "--evaluate", str(labels))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{labels}:2: error: 'No Such Paper' is no page's title in content/papers",
        f"{labels}:3: error: tag 'reasoninng' is not in content/taxonomy.yaml; did you mean 'reasoning'?",
    ]
    labels.write_text("papers:\n- {title: Rotated 4-bit Quantization for LLMs}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "--root", str(site), "tags", "--evaluate", str(labels))
    assert code == 1 and "each paper needs a 'title' and a list of 'tags'" in err  # not "no tags"
    # In block style each mistake is named at its own line, not at the paper's `- title:`.
    labels.write_text(f"papers:\n  - title: {title}\n    tags:\n      - compression\n      - reasoninng\n")
    err = run_cli(capsys, "--root", str(site), "tags", "--evaluate", str(labels))[2]
    assert err.startswith(f"{labels}:5: error: tag 'reasoninng' is not in"), err
    # A paper the rules leave untagged: no tag given, so no precision (it said 1.000).
    labels.write_text(f"papers:\n- {{title: {title}, tags: [reasoning]}}\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--evaluate", str(labels))
    assert code == 0 and "1 labelled papers: precision –, recall 0.000 (micro)" in out, out
    # Retitled by a person, the page is still named by the dumps' title, kept as its alias
    # (a reviewer's labels file of dumps' titles was refused line by line).
    page = site / "content" / "papers" / "rotated-4-bit-quantization-for-llms.md"
    old = "Rotated 4-bit Quantization for LLMs"
    page.write_text(page.read_text(encoding="utf-8").replace(f"title: {old}\n", "title: Rotated INT4 LLMs\n"))
    run_cli(capsys, "--root", str(site), "ingest")
    assert f"aliases:\n- {old}\n" in page.read_text(encoding="utf-8")
    labels.write_text(f"papers:\n- {{title: {old}, tags: [compression]}}\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "--root", str(site), "tags", "--evaluate", str(labels))
    assert code == 0 and err == "" and out.startswith("1 labelled papers:"), err


def test_a_page_a_person_untagged_is_warned_as_such(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tags: []` on a page the rules tag was warned "no tag's rules reach their threshold"."""
    _set_tags(site / "content" / "papers" / "rotated-4-bit-quantization-for-llms.md", "[]")
    mine = "content/papers/rotated-4-bit-quantization-for-llms.md:1: warning: untagged: you took its tags off"
    _, _, err = run_cli(capsys, "--root", str(site), "ingest")
    assert f"{mine}; add a tag by hand" in err
    legal = f"content/papers/{LEGAL}.md:1: warning: untagged: no tag's rules reach their threshold"
    assert legal not in err  # said when ingest wrote it, not again
    # Check says it too: it said "no tag's rules reach their threshold" of a page `tags
    # --explain` shows scoring 19.5. (The next ingest, writing nothing, counts it.)
    assert f"{mine};" not in run_cli(capsys, "--root", str(site), "ingest")[2]
    assert run_cli(capsys, "--root", str(site), "build")[0] == 0
    _, out, err = run_cli(capsys, "--root", str(site), "check")
    assert f"{mine};" in err and legal in err
    # The summary says what the list holds: 868 untagged pages buried any other warning at 10k.
    assert re.fullmatch(
        r"site OK; \d+ warning\(s\) listed above \(4 untagged page\(s\), \d+ other\)\n", out
    ), out


@pytest.mark.parametrize("command", [["--explain", "legal"], ["--evaluate"], ["--suggest"]])
def test_a_page_that_cannot_be_read_stops_the_tag_commands_as_it_stops_ingest(
    site: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Left out silently, a labelled page dropped out of `--evaluate`, and `--explain` said
    no page had the title of a page with a typo in its front matter."""
    (site / "content" / "papers" / f"{LEGAL}.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    code, _, err = run_cli(capsys, "--root", str(site), "tags", *command)
    assert code == 1
    assert err.startswith(f"content/papers/{LEGAL}.md:2: error: invalid YAML in front matter")


def test_a_persons_own_page_without_tags_is_listed_untagged_not_a_no_tag_example(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading notes no dump lists, with no `tags:`: `--evaluate` counted them as a page
    labelled "no tag" (every rule that matched was scored wrong), and ingest said nothing."""
    notes = site / "content" / "papers" / "our-notes-on-quantization.md"
    notes.write_text("---\ntitle: Our Notes on Quantization\n---\nWe read about 4-bit quantization.\n")
    _, _, err = run_cli(capsys, "--root", str(site), "ingest")
    assert "content/papers/our-notes-on-quantization.md:1: warning: untagged" in err
    _, out, _ = run_cli(capsys, "--root", str(site), "tags", "--evaluate")
    assert out.startswith("no hand-labelled pages yet")


def test_suggest_takes_a_tags_earlier_name_as_evaluate_does(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace(
            "- name: reasoning\n", "- name: thinking\n    aliases: [reasoning]\n"
        )
    )
    _set_tags(site / "content" / "papers" / f"{LEGAL}.md", "[thinking]")
    code, _, err = run_cli(capsys, "--root", str(site), "tags", "--suggest", "reasoning")
    assert code == 0 and "no tag named" not in err
    code, _, err = run_cli(capsys, "--root", str(site), "tags", "--suggest", "Thinkng")
    assert code == 1 and "no tag named 'Thinkng'; did you mean 'thinking'? tags: " in err, err


def test_explain_names_a_tags_new_name_beside_the_old_one_a_page_still_says(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a rename, a hand-tagged page saying the old name was explained as
    "page tags: moe" right above "+ mixture-of-experts" (a reviewer)."""
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace(
            "- name: reasoning\n", "- name: thinking\n    aliases: [reasoning]\n"
        )
    )
    _set_tags(site / "content" / "papers" / f"{LEGAL}.md", "[reasoning]")
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--explain", LEGAL)
    assert code == 0 and "\npage tags: reasoning (now thinking)\n" in out


def test_suggest_for_a_tag_new_to_the_taxonomy_says_why_it_has_nothing_yet(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tag just added to the taxonomy, given by hand to some pages: no other page has it,
    so none can vouch for a phrase (a common word was proposed as a rule that alone would
    tag most of the site); `--suggest` says so, rather than nothing, or such a rule."""
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8")
        + "  - name: law\n    title: Law\n    description: Legal questions and statutes.\n",
        encoding="utf-8",
    )
    _set_tags(site / "content" / "papers" / f"{LEGAL}.md", "[law]")
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--suggest", "law")
    assert code == 0
    assert out.rstrip().endswith(
        "law: no page but the labelled ones has it yet, so no other page can vouch for a phrase they "
        "share (only one no other page uses is proposed); tag more of its papers by hand"
    )


def test_ingest_check_does_not_say_it_wrote_the_untagged_page_it_would_write(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ingest --check` writes nothing, yet its untagged line said "the 1 written now listed
    above" beside "pages: 1 would change": a CI log read as if the check had written a page."""
    (site / "content" / "sources" / "2024-03-15.txt").write_text(
        "Mar 15, 2024\nCrop Rotation Schedules for Alpine Farms\n"
        "We study crop rotation on alpine farms over ten seasons. Yields rise when legumes follow "
        "barley, and soil nitrogen stays higher through the winter months.\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(capsys, "--root", str(site), "ingest", "--check")
    assert code == 1 and "crop-rotation-schedules-for-alpine-farms.md:1: warning: untagged" in err
    assert "pages: 1 would change (1 new)" in out
    assert re.search(
        r"^untagged: [0-9]+ page\(s\) without a tag \(the 1 it would write listed above; `.* check` lists them all\)$",
        out,
        re.M,
    ), out
    assert "written now" not in out
    code, out, _ = run_cli(capsys, "--root", str(site), "ingest")  # the real run still says so
    assert re.search(
        r"^untagged: [0-9]+ page\(s\) without a tag \(the 1 written now listed above; ", out, re.M
    ), out


def test_suggest_says_which_removal_it_holds_back_and_how_many_more_labels_would_do(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A curator who took inference off three pages that `serving` in the title alone gave it
    (and kept it on one the KV cache gives it) was told "nothing to propose": the removal is
    held back for too few wrong pages, which `--suggest` now says, with what would do."""
    papers = site / "content" / "papers"
    pages = [(f"serving-reasoning-{n}", f"Serving Reasoning Traces {n}", "reasoning") for n in (1, 2, 3)]
    pages.append(("kv-cache-reuse", "KV Cache Reuse Across Requests", "inference"))
    for slug, title, tag in pages:
        body = "We study reasoning traces." if tag == "reasoning" else "We reuse keys and values."
        (papers / f"{slug}.md").write_text(
            f"---\ntitle: {title}\nslug: {slug}\ntags: [{tag}]\n---\n{body}\n", encoding="utf-8"
        )
    code, out, _ = run_cli(capsys, "--root", str(site), "tags", "--suggest", "inference")
    assert code == 0
    assert (
        "\ninference:\n"
        r"  not yet   rule 1 '\bserv(e|ing)\b'   # drops 3 of 3 wrong on 4 labelled pages: too few to "
        "propose removing it; label 6 more pages it tags wrongly to have it proposed\n"
    ) in out, out
    assert out.rstrip().endswith(
        "nothing to propose: no phrase does better than the rules on the "
        "hand-labelled pages (or too few of them to tell)"
    ), out

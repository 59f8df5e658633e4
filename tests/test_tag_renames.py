"""A tag renamed in the taxonomy without `aliases:`: ingest says so, once, where to add it."""

from pathlib import Path

import pytest
from ingest_helpers import make_site, run_cli


def _renamed(site: Path, new: str) -> None:
    """The taxonomy's `inference` tag given another `name:` line (`new`), as a person does."""
    taxonomy = site / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(text.replace("  - name: inference\n", new, 1), encoding="utf-8")


def test_a_tag_renamed_without_its_old_name_is_said_at_its_name_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A new user renamed a tag by its `name:` line; ingest printed "tags changed on 1 page(s):
    inference −1, serving +1", and the next build removed tags/inference.html and its feed,
    which readers had bookmarked, without a word: `aliases:` keeps them."""
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    _renamed(site, "  - name: serving\n")
    code, out, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 0 and "tags changed on 1 page(s): inference −1, serving +1" in out
    assert (
        "content/taxonomy.yaml:6: warning: tag 'inference' left the taxonomy and 'serving' took its "
        "1 page(s): if that is a rename, add `aliases: [inference]` to 'serving', so links to "
        "tags/inference.html and its feed lead to it; the next build removes them otherwise"
    ) in err.splitlines()
    assert "left the taxonomy" not in run_cli(capsys, "--root", str(site), "ingest")[2]  # said once


def test_a_rename_with_its_alias_and_a_rule_change_say_nothing_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    _renamed(site, "  - name: serving\n    aliases: [inference]\n")
    code, out, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 0 and "inference → serving 1" in out and "left the taxonomy" not in err
    taxonomy = site / "content" / "taxonomy.yaml"  # a tag more: papers gain it, lose none
    rule = "  - name: rotation\n    title: R\n    description: d\n    rules: [{pattern: rotat, title: 4}]\n"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + rule, encoding="utf-8")
    code, out, err = run_cli(capsys, "--root", str(site), "ingest")
    assert "rotation +2" in out and "left the taxonomy" not in err


def _merged_into_inference(site: Path, rules: str) -> None:
    """The taxonomy's `compression` tag merged into `inference` as a person does it: its entry
    deleted, its name under `inference`'s `aliases:`, and its rules moved there or not."""
    taxonomy = site / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    start = text.index("  - name: compression\n")
    end = text.index("  - name: other\n")
    text = text[:start] + text[end:]
    text = text.replace(
        "    description: Serving systems, batching, KV cache.\n    rules:\n",
        "    description: Serving systems, batching, KV cache.\n    aliases: [compression]\n    rules:\n"
        + rules,
        1,
    )
    taxonomy.write_text(text, encoding="utf-8")


def test_a_merge_whose_rules_stayed_behind_is_said_at_the_tag_merged_into(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tag merged into another by `aliases:` alone (its rules deleted with it): its papers
    lost it and did not get the other tag, so the tag page its old address now leads to did
    not list them, and ingest said only "compression −2"."""
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    _merged_into_inference(site, "")
    code, out, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 0 and "compression −2" in out
    assert (
        "content/taxonomy.yaml:6: warning: 'compression' is an alias of 'inference' now, but 2 "
        "page(s) its rules tagged 'compression' lose it without getting 'inference' (its rules left "
        "with it; `-v` names them): to merge its papers into 'inference', move 'compression''s "
        "rules under 'inference''s `rules:` and ingest again"
    ) in err.splitlines()


def test_a_merge_with_its_rules_moved_says_nothing_of_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    _merged_into_inference(site, "      - {pattern: '\\bquantiz', title: 3, abstract: 1}\n")
    code, out, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 0 and "compression → inference 2" in out and "is an alias of" not in err

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

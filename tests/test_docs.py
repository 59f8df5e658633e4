"""The README documents every command, option, setting and make target (docs stay honest)."""

import argparse
import datetime
import re
from dataclasses import fields
from pathlib import Path

import pytest
from helpers import copy_site
from ingest_helpers import run_cli

from site_builder.cli import _parser
from site_builder.core.config import SiteConfig

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```", 2)[1]
    assert "make site" in first_block and "make test" in first_block


def test_every_command_and_option_is_documented() -> None:
    parser = _parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        assert f"site-builder {name}" in README or f"`{name}`" in README, name
        for action in command._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in README, f"{name} {option}"
    for action in parser._actions:
        for option in action.option_strings:
            if option.startswith("--") and option not in ("--help", "--version"):
                assert option in README, option


def test_every_site_setting_is_documented_with_its_default() -> None:
    for f in fields(SiteConfig):
        assert re.search(rf"^\| `{f.name}` \|", README, re.M), f.name


def test_every_make_target_is_documented() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY: (.+)$", makefile, re.M)
    assert phony
    for target in set(phony.group(1).split()) - {"ingest", "build"}:  # documented as commands
        assert f"make {target}" in README, target


def test_readme_shows_the_home_page_a_paper_page_and_search_results() -> None:
    """Screenshots the issues ask of the README (build: home and paper page; search: its
    results), each a committed file under docs/."""
    shown = re.findall(r"!\[[^\]]+\]\((docs/[^)]+\.png)\)", README)
    for name in ("screenshot-home.png", "screenshot-paper.png", "screenshot-search.png"):
        assert f"docs/{name}" in shown, name
    assert all((ROOT / path).is_file() for path in shown)


def _quoted(doc: str, start: str) -> list[str]:
    """The inline code spans of `doc` (single or double backquotes, across a line break) that
    begin with a match of `start`, their whitespace made single spaces."""
    spans = [m.group(2) for m in re.finditer(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", doc, re.S)]
    return [" ".join(span.split()) for span in spans if re.match(start, span.strip())]


def _as_pattern(quoted: str) -> str:
    """A quoted line as a pattern of what the tool prints: any number where it names one, and
    anything where it says `…`."""
    return ".*".join(r"\d+".join(map(re.escape, re.split(r"\d+", part))) for part in quoted.split("…"))


def test_the_build_lines_docs_quote_on_drafts_and_pages_dated_ahead_are_the_ones_build_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/living-site.md quotes what `build` says of a draft and of a page dated ahead; a
    reader greps a CI log for it. They had lost the backquotes build prints around the flags."""
    site = copy_site(tmp_path / "site")
    papers = site / "content" / "papers"
    draft = papers / "agents-that-plan-with-tools.md"
    draft.write_text(
        draft.read_text(encoding="utf-8").replace("\ntitle:", "\ndraft: true\ntitle:", 1), "utf-8"
    )
    (papers / "march-plans.md").write_text(
        "---\ntitle: March plans\ndate: 2027-03-01\n---\nWe meet.\n", "utf-8"
    )
    noon = datetime.datetime(2027, 2, 27, 12, tzinfo=datetime.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(noon.timestamp())))
    code, out, _ = run_cli(capsys, "--root", str(site), "build", "--out", str(tmp_path / "out"))
    assert code == 0
    doc = (ROOT / "docs" / "living-site.md").read_text(encoding="utf-8")
    quoted = _quoted(doc, r"built \d+ papers|\d+ page\(s\) dated after today")
    assert len(quoted) == 2, quoted
    for line in quoted:
        assert re.search(_as_pattern(line), out), (
            f"docs/living-site.md quotes {line!r}; build printed:\n{out}"
        )

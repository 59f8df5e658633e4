"""The README documents every command, option, setting and make target (docs stay honest)."""

import argparse
import re
from dataclasses import fields
from pathlib import Path

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

"""What ingest, build and check all say about a page file, said one way: a page no rule
tags, and a warning placed on the line of the front-matter key it concerns."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from site_builder.core.errors import Problem
from site_builder.core.files.content_files import name_path
from site_builder.core.hints import command
from site_builder.core.pages.pagefile import line_of

UNTAGGED = "untagged:"


def untagged_warning(filename: str, slug: str, by_hand: bool = False) -> Problem:
    """A page no rule places: listed on every ingest and check, never given a guessed tag.
    (`by_hand`: a person took its tags off, and it says `tags_confirmed: true`.)"""
    why = "you took its tags off" if by_hand else "no tag's rules reach their threshold"
    return Problem(
        f"content/papers/{filename}",
        1,
        f"{UNTAGGED} {why}; add a tag by hand, or see `{command(f'tags --explain {slug}')}`",
        "warning",
    )


def on_key_line(problem: Problem, root: Path, key: str) -> Problem:
    """A page's warning (its path from the site's `root`), placed on the line of `key` in
    its front matter; where it was if the file cannot be read."""
    try:
        text = (root / name_path(problem.path)).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return problem
    return replace(problem, line=line_of(text, key))

"""content/synonyms.yaml → the words and phrases search treats as one (acronyms, spellings).

A site without the file gets the defaults shipped in site_template/synonyms.yaml; an empty
list turns synonyms off. Problems are `path:line` errors, like every config file's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_builder.core.errors import Problem, SiteError
from site_builder.core.files.yamlfile import key_line, load_file

DEFAULT_SYNONYMS = Path(__file__).resolve().parents[2] / "site_template" / "synonyms.yaml"
EXAMPLE = "- [DPO, direct preference optimization]"


@dataclass(frozen=True)
class Synonyms:
    """Groups of words or phrases a query for any one of them also finds the others by."""

    groups: tuple[tuple[str, ...], ...] = ()


def load_synonyms(path: Path, label: str | None = None) -> Synonyms:
    """Read a synonyms file (the shipped defaults if it does not exist); SiteError listing every problem."""
    shown = label or str(path)
    if not path.exists():
        path, shown = DEFAULT_SYNONYMS, str(DEFAULT_SYNONYMS)
    data, node = load_file(path, shown)
    if data is None:
        return Synonyms()
    if not isinstance(data, list):
        raise SiteError(
            Problem(shown, key_line(node), f"expected a list of synonym groups, like `{EXAMPLE}`")
        )
    groups, problems = [], []
    for i, item in enumerate(data):
        line = key_line(node, i)
        if not isinstance(item, list) or not all(isinstance(x, str) for x in item):
            problems.append(
                Problem(shown, line, f"a synonym group is a list of words or phrases, like `{EXAMPLE}`")
            )
            continue
        phrases = tuple(dict.fromkeys(x.strip() for x in item if x.strip()))
        if len(phrases) < 2:
            problems.append(
                Problem(shown, line, f"a synonym group needs two or more different entries: {item!r}")
            )
            continue
        groups.append(phrases)
    if problems:
        raise SiteError(problems)
    return Synonyms(tuple(groups))

"""The folder tree shows the pipeline: stages over a core, data flowing one way.

The package's top level holds only the CLI; `core/` imports neither stage, and `build/`
never imports `ingest/` (they meet only in the page files), so either stage runs alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "site_builder"


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_top_level_holds_only_the_cli() -> None:
    assert sorted(p.name for p in PACKAGE.glob("*.py")) == ["__init__.py", "__main__.py", "cli.py"]


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        ("core", ("site_builder.ingest", "site_builder.build", "site_builder.commands", "site_builder.cli")),
        ("build", ("site_builder.ingest", "site_builder.commands", "site_builder.cli")),
        ("ingest", ("site_builder.build", "site_builder.commands", "site_builder.cli")),
    ],
)
def test_data_flows_one_way(folder: str, forbidden: tuple[str, ...]) -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted((PACKAGE / folder).rglob("*.py"))
        for name in sorted(imported(path))
        if name.startswith(forbidden)
    ]
    assert wrong == []


def test_no_folder_holds_more_than_a_dozen_modules() -> None:
    """STYLE: once a flat folder passes a dozen modules, it is grouped by stage, so that a
    reader guesses the file from the question. Every folder of the package is held to it."""
    folders = sorted({path.parent for path in PACKAGE.rglob("*.py")})
    crowded = {
        str(folder.relative_to(PACKAGE)): count
        for folder in folders
        if (count := sum(1 for path in folder.glob("*.py") if path.name != "__init__.py")) > 12
    }
    assert crowded == {}


def test_every_folder_of_modules_says_what_its_group_is() -> None:
    """Each folder is a package whose `__init__.py` docstring says what the group holds (a
    folder without one would import as a namespace package, and say nothing)."""
    folders = sorted({path.parent for path in PACKAGE.rglob("*.py")})
    unexplained = [
        str(folder.relative_to(PACKAGE))
        for folder in folders
        if not (folder / "__init__.py").is_file()
        or not ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
    ]
    assert unexplained == []

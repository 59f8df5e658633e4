"""A site's template overrides read against the theme they extend: blocks that show nothing.

Jinja2 drops, without a word, a `{% block %}` a child template fills that no template it
extends has. An override copied from one release's theme meets the next release's templates
after an upgrade: a `base.html` without `{% block head %}` took the search page's stylesheet
and every paper page's citation and Open Graph tags off the site; a `paper.html` filling a
block its `base.html` has no more showed none of it. Both built, and `check` said "site OK".
Here each such block is named, at the site's own file, with what to do.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from site_builder.build.overrides.features import dropped_features, own_templates
from site_builder.build.render.theme import PACKAGE_THEME, Theme
from site_builder.core.errors import Problem
from site_builder.core.files.content_files import label_of


@dataclass(frozen=True)
class Shape:
    """What a template is made of, for this check: the template it extends (None: none, or
    one named by a variable), and its blocks by name with their lines; `filled`: the blocks
    of a child template whose content is its own (not nested inside another of its blocks)."""

    parent: str | None
    blocks: dict[str, int]
    filled: dict[str, int]


def override_problems(theme: Theme, root: Path) -> list[Problem]:
    """Warnings for every block a template fills that nothing it extends has, when the site
    overrides one of the two; a warning for each theme script or relied-on id an override
    lacks that the bundled template has (features.py); and an error for each of the site's
    templates that does not parse (`check` says it: the next build stops at it). None without
    overrides: the bundled theme is whole (a test says so)."""
    own = own_templates(theme)
    if not own:
        return []
    shapes, problems = _shapes(theme, own, root)
    lacking: dict[tuple[str, str], list[str]] = {}  # (the site's template, block) → bundled fillers
    for name in sorted(shapes):
        ancestors = _ancestors(name, shapes)
        if not ancestors or (name not in own and not own.intersection(ancestors)):
            continue  # extends nothing, or the bundled theme's own: whole
        known = {block for a in ancestors for block in shapes[a].blocks}
        for block, line in sorted(shapes[name].filled.items(), key=lambda item: item[1]):
            if block in known:
                continue
            if name in own:
                where = label_of(theme.templates[name], root)
                problems.append(_unshown(where, name, block, line, ancestors, known, own))
            else:
                mine = next(a for a in ancestors if a in own)
                lacking.setdefault((mine, block), []).append(name)
    for (mine, block), fillers in lacking.items():
        problems.append(_lacking(label_of(theme.templates[mine], root), mine, block, fillers))
    return problems + [found.problem for found in dropped_features(theme, root)]


def _shapes(theme: Theme, own: set[str], root: Path) -> tuple[dict[str, Shape], list[Problem]]:
    """Every template's shape; the site's templates that do not parse, as errors."""
    import jinja2  # only for a site with templates of its own: a build with nothing to make needs none

    from site_builder.build.render.template_errors import template_problem

    shapes: dict[str, Shape] = {}
    problems: list[Problem] = []
    for name, path in theme.templates.items():
        if not name.endswith(".html"):
            continue
        try:
            shapes[name] = _shape(path.read_text(encoding="utf-8"), name, str(path))
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError, RecursionError, SyntaxError) as err:
            found = template_problem(err)
            if name in own and found is not None:
                problems.append(Problem(label_of(Path(found.path), root), found.line, found.message))
    return shapes, problems


def _shape(source: str, name: str | None = None, filename: str | None = None) -> Shape:
    import jinja2
    from jinja2 import nodes

    tree = jinja2.Environment(trim_blocks=True, lstrip_blocks=True).parse(source, name, filename)
    extends = next(iter(tree.find_all(nodes.Extends)), None)
    parent = extends.template.value if extends and isinstance(extends.template, nodes.Const) else None
    every = list(tree.find_all(nodes.Block))
    inner = {id(b) for block in every for b in block.find_all(nodes.Block)}
    return Shape(
        parent if isinstance(parent, str) else None,
        {b.name: b.lineno for b in every},
        {b.name: b.lineno for b in every if id(b) not in inner},
    )


def _ancestors(name: str, shapes: dict[str, Shape]) -> list[str]:
    """The templates `name` extends, nearest first; empty when it extends none, or one that
    is missing or does not parse (the build names that)."""
    chain: list[str] = []
    parent = shapes[name].parent
    while parent is not None and parent not in chain and parent != name:
        if parent not in shapes:
            return []
        chain.append(parent)
        parent = shapes[parent].parent
    return chain


def _unshown(
    where: str, name: str, block: str, line: int, ancestors: list[str], known: set[str], own: set[str]
) -> Problem:
    """A block of the site's `name` that no template it extends has: at the block."""
    message = (
        f"{{% block {block} %}} is in no template {name} extends ({' → '.join(ancestors)}), so "
        f"nothing in it is shown on any page; the blocks there are {', '.join(sorted(known))}"
    )
    mine = [a for a in ancestors if a in own and block in _bundled_blocks(a)]
    if mine:  # the site's base.html lacks a block the bundled one has
        at = _bundled_blocks(mine[0])[block]
        fix = f"add {{% block {block} %}}{{% endblock %}} to your {mine[0]}"
        fix += f", where the bundled one has it (line {at})"
    else:
        fix = "is it a block an earlier theme had, or one renamed since?"
    return Problem(where, line, f"{message}: {fix}", "warning")


def _lacking(where: str, mine: str, block: str, fillers: list[str]) -> Problem:
    """A block the bundled `fillers` fill that the site's `mine`, which they extend, lacks."""
    at = _bundled_blocks(mine).get(block)
    one = len(fillers) == 1
    which = f"{fillers[0]} fills: what it puts" if one else f"{', '.join(fillers)} fill: what they put"
    message = (
        f"has no {{% block {block} %}}, which the bundled {which} there is left out of "
        f"{'its' if one else 'their'} pages; add {{% block {block} %}}{{% endblock %}} to this file"
        + (f", where the bundled {mine} has it (line {at})" if at else "")
    )
    return Problem(where, 0, message, "warning")


@functools.cache
def _bundled_blocks(name: str) -> dict[str, int]:
    """The blocks of the bundled template `name` with their lines (none if it has none):
    read and parsed once, not again for every block a problem names (callers only read it)."""
    path = PACKAGE_THEME / "templates" / name
    return _shape(path.read_text(encoding="utf-8")).blocks if path.is_file() else {}

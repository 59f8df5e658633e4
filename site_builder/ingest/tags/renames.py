"""A tag renamed in the taxonomy without its old name under `aliases:`, told at the ingest
that moves its pages.

Renaming a tag's `name:` looks, to ingest, like one tag removed and another added: its pages
are retagged and the next build drops the old tag page and feed, which readers bookmarked and
subscribed to. `aliases: [old]` keeps those addresses (docs/tags.md), but a person who does
not know it learns of the loss only from a reader. This is the one run that can tell: the
old name's pages all moved to one new name. So too a tag merged into another by its name
under the other's `aliases:` while its rules left with it: the papers they placed lose it,
and get the tag it was merged into only if that tag's own rules give it them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from site_builder.core.errors import Problem, SiteError
from site_builder.core.files.yamlfile import key_line, load_file
from site_builder.core.taxonomy import Taxonomy
from site_builder.ingest.merge import PageUpdate


def renamed_without_alias(updates: Sequence[PageUpdate], taxonomy: Taxonomy, path: Path) -> list[Problem]:
    """A warning, at the new tag's `name:` line in the taxonomy file (`path`), for each tag
    that left the taxonomy while one tag took exactly its pages."""
    lost: dict[str, set[str]] = {}
    gained: dict[str, set[str]] = {}
    for update in updates:
        for name in update.lost:
            lost.setdefault(name, set()).add(update.filename)
        for name in update.gained:
            gained.setdefault(name, set()).add(update.filename)
    problems = []
    for old, pages in sorted(lost.items()):
        if taxonomy.get(old) is not None or old in taxonomy.renamed:
            continue  # still a tag, or already an alias: its addresses stay
        for new in sorted(name for name, moved in gained.items() if moved == pages):
            problems.append(
                Problem(
                    "content/taxonomy.yaml",
                    _name_line(path, taxonomy, new),
                    f"tag {old!r} left the taxonomy and {new!r} took its {len(pages)} page(s): if "
                    f"that is a rename, add `aliases: [{old}]` to {new!r}, so links to "
                    f"tags/{old}.html and its feed lead to it; the next build removes them otherwise",
                    "warning",
                )
            )
    return problems


def merged_without_rules(updates: Sequence[PageUpdate], taxonomy: Taxonomy, path: Path) -> list[Problem]:
    """A warning, at the `name:` line of the tag an old name is now an alias of, for the
    pages the old tag's rules had given it that lose it now without getting that tag: a
    merge whose rules were not moved (docs/tags.md) takes the papers out of both tags."""
    left: dict[str, list[str]] = {}
    renamed = taxonomy.renamed
    for update in updates:
        for old in update.lost:
            new = renamed.get(old)
            if new is not None and taxonomy.get(old) is None and new not in update.tags:
                left.setdefault(old, []).append(update.filename)
    problems = []
    for old, pages in sorted(left.items()):
        new = renamed[old]
        problems.append(
            Problem(
                "content/taxonomy.yaml",
                _name_line(path, taxonomy, new),
                f"{old!r} is an alias of {new!r} now, but {len(pages)} page(s) its rules tagged "
                f"{old!r} lose it without getting {new!r} (its rules left with it; `-v` names "
                f"them): to merge its papers into {new!r}, move {old!r}'s rules under {new!r}'s "
                "`rules:` and ingest again",
                "warning",
            )
        )
    return problems


def _name_line(path: Path, taxonomy: Taxonomy, name: str) -> int:
    """The line of tag `name`'s `name:` in the taxonomy file (read again: a rename is rare)."""
    names = [tag.name for tag in taxonomy.tags]
    try:
        return key_line(load_file(path)[1], "tags", names.index(name), "name")
    except (ValueError, SiteError):  # not a tag of the file, or it changed since: the file alone
        return 0

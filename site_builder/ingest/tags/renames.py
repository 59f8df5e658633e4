"""A tag renamed in the taxonomy without its old name under `aliases:`, told at the ingest
that moves its pages.

Renaming a tag's `name:` looks, to ingest, like one tag removed and another added: its pages
are retagged and the next build drops the old tag page and feed, which readers bookmarked and
subscribed to. `aliases: [old]` keeps those addresses (docs/tags.md), but a person who does
not know it learns of the loss only from a reader. This is the one run that can tell: the
old name's pages all moved to one new name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from site_builder.core.errors import Problem
from site_builder.core.taxonomy import Taxonomy
from site_builder.ingest.merge import PageUpdate


def renamed_without_alias(updates: Sequence[PageUpdate], taxonomy: Taxonomy, data: bytes) -> list[Problem]:
    """A warning, at the new tag's `name:` line in `data` (the taxonomy file), for each tag
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
                    _name_line(data.decode("utf-8-sig", errors="replace"), new),
                    f"tag {old!r} left the taxonomy and {new!r} took its {len(pages)} page(s): if "
                    f"that is a rename, add `aliases: [{old}]` to {new!r}, so links to "
                    f"tags/{old}.html and its feed lead to it; the next build removes them otherwise",
                    "warning",
                )
            )
    return problems


def _name_line(text: str, name: str) -> int:
    """The line of the tag's `name:` in the taxonomy file (0 if not found)."""
    pattern = rf"""^[ \t]*(?:-[ \t]*)?name:[ \t]*["']?{re.escape(name)}["']?[ \t]*(?:#.*)?$"""
    found = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 0

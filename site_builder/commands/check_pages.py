"""What `check` says of a built site against the page files and the taxonomy: the pages it
lacks, holds no file for any more or built before they changed, and the tag feeds the next
build will remove (a tag renamed without `aliases:`). Warnings, each naming `site-builder build`.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path

from site_builder.core.errors import Problem
from site_builder.core.hints import command


def unbuilt_pages(
    out: Path,
    files: set[str],
    pages: Mapping[str, str],
    drafts: frozenset[str],
    named: bool,
    edited: tuple[Path, int] = (Path(), 0),
) -> list[Problem]:
    """Pages (`pages`: slug → page file) the built site at `out` (`files`: `site_files`)
    lacks, and paper pages it has that no page file makes any more: `check` said "site OK"
    of a site built before the day's ingest, its new papers missing (a new user ran ingest,
    then check). With `edited` (the folder the page files are named from, and how many the
    last build did not read as they are now), also the pages changed since their paper page
    was built: a title edited, then check, said "site OK" while the site showed the old one."""
    built = {
        rel[len("papers/") : -len(".html")]
        for rel in files
        if rel.startswith("papers/")
        and rel.endswith(".html")
        and rel.count("/") == 1
        and not rel.startswith("papers/.")  # as `glob("*.html")` read them
    } - {"index"}  # the folder's pointer
    missing = sorted(pages[slug] for slug in pages.keys() - built - drafts)
    root, reread = edited  # new pages, which are `missing`, or changed ones
    # A page file that is there but does not read (its error is said) is not gone.
    unread = {
        slug for slug in built - pages.keys() if os.path.exists(root / "content" / "papers" / f"{slug}.md")
    }
    gone = sorted(str(out / "papers" / f"{slug}.html") for slug in built - pages.keys() - drafts - unread)
    changed = _changed_since_built(out, root, pages, built - drafts) if reread > len(missing) else []
    problems = []
    for found, what in (
        (missing, "page(s) not in the built site yet"),
        (gone, "paper page(s) in the built site whose page file is gone"),
        (changed, "page(s) changed since the site was built"),
    ):
        if found:
            more = f" and {len(found) - 1} more" if len(found) > 1 else ""
            message = (
                f"{len(found)} {what} (this one{more}); run `{command('build', out if named else None)}`"
            )
            problems.append(Problem(found[0], 0, message, "warning"))
    return problems


def _changed_since_built(out: Path, root: Path, pages: Mapping[str, str], built: set[str]) -> list[str]:
    """The page files (`pages`: slug → file, under `root`) of `built` modified at or after
    their paper page: asked only once the last build's record of the pages says one changed,
    so a file touched, and built since, is not named, and a check with no change (or new
    pages only, as after the day's ingest) stats none. (Paths as text: a Path made per
    file took 250 ms at 10,000 pages; as text, 110 ms, on the 2-core test machine.)"""
    changed, top, papers = [], os.path.join(root, ""), os.path.join(out, "papers", "")
    for slug in built & pages.keys():
        try:
            if os.stat(top + pages[slug]).st_mtime_ns >= os.stat(f"{papers}{slug}.html").st_mtime_ns:
                changed.append(pages[slug])
        except OSError:  # gone meanwhile: the next check says so
            continue
    return sorted(changed)


def dropped_tag_feeds(out: Path, kept: Collection[str], named: bool) -> list[Problem]:
    """The tag feeds of the built site at `out` the next build will not make (`kept`: the
    feed paths it will): a tag renamed without `aliases:` was warned of at the one ingest
    that moved its pages, and the next build dropped the old tag's page and feed, which
    readers follow, without a word."""
    try:
        names = sorted(os.listdir(out / "tags"))
    except OSError:  # no tags folder: no feed to lose (a missing file is said elsewhere)
        return []
    problems = []
    build = command("build", out if named else None)
    for name in names:
        rel = f"tags/{name}"
        if not name.endswith(".xml") or rel in kept or not os.path.isfile(out / rel):
            continue
        old = name.removesuffix(".xml")
        message = (
            f"no tag, alias or page has the tag '{old}' any more: `{build}` removes its page and "
            f"this feed, which readers may follow; if it was renamed, add `aliases: [{old}]` to its "
            "new tag in content/taxonomy.yaml to keep them"
        )
        problems.append(Problem(str(out / rel), 0, message, "warning"))
    return problems

"""`site-builder check`: validate a built site the way a reader and a crawler would meet it.

Every internal href/src/action in every HTML file must resolve to a file inside the site
(fragments to an id in the target page), with relative URLs only, so the site works at a
domain root, under a sub-path and from `file://`; no inline script, style or event handler
(the Content-Security-Policy would block them); feeds and sitemap must be well-formed XML;
every sitemap URL and feed entry must point at a page that exists, and every paper page must
be in the sitemap; the search index must be there.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote

from site_builder.build.cache import CACHE_DIR
from site_builder.build.layout import INDEX_FILE as SEARCH_INDEX
from site_builder.build.output.earlier import built_by_another_version
from site_builder.build.overrides.blocks import override_problems
from site_builder.build.overrides.features import dropped_features
from site_builder.build.render.theme import Theme, find_theme
from site_builder.build.search.assets import search_file_problems
from site_builder.commands import check_html
from site_builder.commands.check_content import ContentFindings, content_check, unmade_image_of
from site_builder.commands.check_html import (
    PageFacts,
    ParsedPage,
    as_linked,
    base_path_of,
    html_text,
    in_folders,
    known_pages,
    on_its_own,
)
from site_builder.commands.check_pages import dropped_tag_feeds, unbuilt_pages
from site_builder.commands.check_xml import local_path, xml_problems
from site_builder.core.config import PLACEHOLDER_BASE_URL, PLACEHOLDER_NOTE, normalize_base_url
from site_builder.core.errors import Problem
from site_builder.core.files.content_files import label_of
from site_builder.core.files.store import SITE_CACHE, Store
from site_builder.core.hints import command
from site_builder.core.text import split_url

REQUIRED = (
    "index.html",
    "404.html",
    "search.html",
    "tags/index.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    ".nojekyll",
    SEARCH_INDEX,
)


def run_check(
    root: Path,
    out: Path | None,
    base_url: str | None,
    strict: bool,
    report: Callable[[Sequence[Problem], Path], None],
    say: Callable[[str], None],
) -> bool:
    """`site-builder check`: the site at `out` (default ROOT/_site) and the content; its
    problems reported, its verdict said. True when it failed (an error)."""
    store, site = Store(root / SITE_CACHE / "check"), out or root / "_site"
    store.sweep(("parsed-html",))  # page-facts under its first name (2026-12-04)
    found, theme = content_check(root), find_theme(root)
    # The theme's overrides too: blocks they leave unshown, a template the next build stops at.
    found = found._replace(problems=[*found.problems, *override_problems(theme, root)])
    named, drafts = out is not None, found.drafts | found.ahead  # off the site by choice
    built = (site / "index.html").is_file()
    lost = _lost_ids(theme, root) if built else {}
    if built and built_by_another_version(root / CACHE_DIR, site):
        return _report(report, say, root, [_another_version(site, named), *found.problems], found, site)
    problems = [  # a page's warnings are listed, not failed: a person decides
        *check_site(
            site,
            base_url,
            strict,
            store,
            named=named,
            drafts=drafts,
            page_files=found.files,
            edited=(root, found.reread),
            lost_ids=lost,
        ),
        *found.problems,
    ]
    if built:
        if found.feeds is not None:
            problems += dropped_tag_feeds(site, found.feeds, named)
        problems += unmade_image_of(root, site, found.config, theme)
    return _report(report, say, root, problems, found, site)


def _lost_ids(theme: Theme, root: Path) -> dict[str, str]:
    """Each id the site's own template lacks and the bundled one has (an override kept from an
    earlier release), with what a link's error to it adds: that template, not only the page
    the link points at."""
    lost: dict[str, list[str]] = {}
    for dropped in dropped_features(theme, root):
        if dropped.element_id is not None:
            where = label_of(Path(dropped.problem.path), root.resolve())  # as its warning shows it
            lost.setdefault(dropped.element_id, []).append(where)
    return {
        id_: f"; the site's own {', '.join(wheres)} has no such element, which the bundled one has "
        "(see its warning)"
        for id_, wheres in lost.items()
    }


def _another_version(site: Path, named: bool) -> Problem:
    """A site the release before an upgrade built: what it lacks or holds otherwise is no
    damage (`check` named its missing reading script a theme's fault), and it is not checked."""
    fix = f"run `{command('build', site if named else None)}`, then check again"
    message = "built by another version of site_builder (before an upgrade?), whose files this version "
    return Problem(str(site), 0, message + f"does not check; {fix}")


def _report(
    report: Callable[[Sequence[Problem], Path], None],
    say: Callable[[str], None],
    root: Path,
    problems: list[Problem],
    found: ContentFindings,
    site: Path,
) -> bool:
    """The problems reported and the verdict said, with the pages left out on purpose (drafts,
    pages dated ahead) counted; True when it failed (an error)."""
    from site_builder.core.pages.problems import UNTAGGED

    report(problems, root)
    errors = sum(1 for p in problems if p.severity == "error")
    if errors:  # said on stdout too: a CI log showed the lines alone, which read as warnings
        say(f"check failed: {errors} error(s), {len(problems) - errors} warning(s) listed above")
        return True
    # What the list holds, by kind: 868 untagged pages buried any other warning at 10k.
    untagged = sum(1 for p in problems if p.message.startswith(UNTAGGED))
    kinds = f" ({untagged} untagged page(s), {len(problems) - untagged} other)" if untagged else ""
    say(f"site OK; {len(problems)} warning(s) listed above{kinds}" if problems else "site OK")
    for pages, slugs, flag, why in (
        ("draft page(s)", found.drafts, "--drafts", "(draft: true)"),
        ("page(s) dated after today", found.ahead, "--future", "until their day"),
    ):
        built = sum(1 for slug in slugs if (site / "papers" / f"{slug}.html").is_file())  # a preview
        if len(slugs) > built:
            say(f"{len(slugs) - built} {pages} left out of the site {why}")
        if built:
            say(f"{built} {pages} built, as `build {flag}` previews them: build without it to publish")
    return False


def check_site(
    out: Path,
    base_url: str | None = None,
    strict: bool = False,
    store: Store | None = None,
    named: bool = False,
    drafts: frozenset[str] = frozenset(),
    page_files: Mapping[str, str] | None = None,
    edited: tuple[Path, int] = (Path(), 0),
    lost_ids: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Every problem found in the built site at `out` (empty when it is fine).

    `base_url`: the address the site is published at; the site must have been built for it.
    `strict` (CI): a site still built for the placeholder base_url fails unless `base_url`
    was given — its feeds, sitemap and canonical links would point at example.org.
    `store`: where what each HTML file holds and needs is remembered by its place and bytes,
    so the next check parses only the files that changed (a daily update changes a fifth).
    `named`: `out` was named with `--out` (a hint to build it names it too).
    `drafts`: the slugs of pages with `draft: true`, which a link may name though the site
    leaves them out. `page_files`: each page's file by its slug (`content_check`), to name
    the pages the site lacks or holds no more (`unbuilt_pages`); `edited`: the site folder
    the page files are named from, and how many of them the last build did not read as they
    are now (new or changed since), to name the changed ones. `lost_ids`: the ids the site's
    own templates dropped (`_lost_ids`), with what a link's error to one adds.
    """
    if not (out / "index.html").is_file():
        return [
            Problem(
                str(out),
                0,
                f"no built site here (no index.html); run `{command('build', out if named else None)}`",
            )
        ]
    problems = [Problem(str(out / name), 0, "missing") for name in REQUIRED if not (out / name).is_file()]
    files = site_files(out)
    problems += size_problems(out, files)
    if page_files is not None:
        problems += unbuilt_pages(out, files, page_files, drafts, named, edited)
    pages, unreadable = known_pages(out, [r for r in files if r.endswith(".html")], store or Store(None))
    problems += unreadable
    problems += _check_base_url(out, pages.get("index.html"), base_url, strict)
    problems += search_file_problems(out)
    problems += _contract_problems(out, pages.get("index.html"))
    base_path = base_path_of(pages.get("index.html"))
    checked: dict[tuple[str, str], str] = {}  # (folder, URL with a path) → what is wrong with it
    for rel, facts in pages.items():
        if not _fine(facts, pages, files):  # a page with something to say: every link, as written
            page = check_html.parse_html(html_text(out / rel))
            problems += _check_page(out, rel, page, (pages, drafts, lost_ids or {}), base_path, checked)
    base = pages["index.html"].canonical if "index.html" in pages else ""
    # The sitemap lists the pages that name their canonical address as their own: not one
    # whose canonical page is another (a tag's earlier name), nor a page naming none (an
    # about.html a theme adds, a kept verification file: the build did not make them).
    own = {
        rel
        for rel, facts in pages.items()
        if facts.canonical and local_path(base, facts.canonical) in (None, rel)
    }
    problems += xml_problems(out, sorted((r for r in files if r.endswith(".xml")), key=in_folders), base, own)
    return sorted(problems)


PAGES_LIMIT = 1_000_000_000  # GitHub Pages publishes a site of up to 1 GB
FILE_LIMIT = 100_000_000  # and git, and GitHub's web views, take files up to 100 MB


def size_problems(out: Path, files: set[str]) -> list[Problem]:
    """A warning from four fifths of GitHub Pages' 1 GB on (a site of 50,000 papers was at
    79 % and nothing said so; a reviewer), and one for a file over 100 MB."""
    sizes = {}
    for rel in files:
        with contextlib.suppress(OSError):
            sizes[rel] = os.stat(out / rel).st_size
    total, problems = sum(sizes.values()), []
    if total >= PAGES_LIMIT * 4 // 5:
        share = f"{total / 1e6:,.0f} MB in {len(sizes):,} files, {total / PAGES_LIMIT:.0%}"
        message = f'{share} of the 1 GB GitHub Pages publishes (docs/deploying.md, "Size")'
        problems.append(Problem(str(out), 0, message, "warning"))
    problems += [
        Problem(str(out / rel), 0, f"{size / 1e6:,.0f} MB: GitHub takes files up to 100 MB", "warning")
        for rel, size in sorted(sizes.items())
        if size > FILE_LIMIT
    ]
    return problems


def _fine(facts: PageFacts, pages: dict[str, PageFacts], files: set[str]) -> bool:
    if not (facts.alone_ok and facts.targets <= files):
        return False
    return all(fragment in pages[target].ids for target, fragment in facts.fragments if target in pages)


def site_files(out: Path) -> set[str]:
    """The site path of every file under `out`, in one walk (folders linked to are not entered,
    as `Path.rglob` does not enter them: a link into one is checked on the file system)."""
    found: set[str] = set()
    for folder, _dirs, names in os.walk(out):
        prefix = os.path.relpath(folder, out)
        prefix = "" if prefix == "." else prefix.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in names if os.path.isfile(os.path.join(folder, name)))
    return found


def _check_base_url(out: Path, home: PageFacts | None, base_url: str | None, strict: bool) -> list[Problem]:
    built_for = home.canonical if home else ""
    where = str(out / "index.html")
    if base_url is not None and built_for and built_for != normalize_base_url(base_url):
        return [
            Problem(
                where, 0, f"built for {built_for}, not {normalize_base_url(base_url)}; build with --base-url"
            )
        ]
    if base_url is None and built_for == PLACEHOLDER_BASE_URL:
        # An error in CI, where the site is published; a warning on a laptop (read from disk).
        message = f"{PLACEHOLDER_NOTE}, or build and check with --base-url"
        return [Problem(where, 0, message, "error" if strict else "warning")]
    return []


# What a theme must keep (docs/theming.md), as the home page shows it: without them search
# and the saved papers stop working, with no error anywhere.
CONTRACT = (
    ("site-search-input", "", "the header's search box (#site-search-input)"),
    ("search-popup", "", "the search popup (#search-popup)"),
    ("", "assets/search.js", "the search script (assets/search.js)"),
    ("", "assets/reading.js", "the reading script (assets/reading.js: saved papers, read marks)"),
)


def _contract_problems(out: Path, home: PageFacts | None) -> list[Problem]:
    if home is None:
        return []
    missing = [
        what
        for id_, target, what in CONTRACT
        if (id_ and id_ not in home.ids) or (target and target not in home.targets)
    ]
    return [
        Problem(str(out / "index.html"), 0, f"{what} is missing: a theme must keep it (docs/theming.md)")
        for what in missing
    ]


def _check_page(
    out: Path,
    rel: str,
    page: ParsedPage,
    known: tuple[dict[str, PageFacts], frozenset[str], Mapping[str, str]],
    base_path: str,
    checked: dict[tuple[str, str], str],
) -> list[Problem]:
    """`known`: the site's pages, the slugs of the drafts it leaves out, and the ids its own
    templates dropped (`check_site`'s `lost_ids`)."""
    where = str(out / rel)
    problems = [Problem(where, line, message) for line, message in page.offences]
    for line, tag, attr, written in page.refs:
        url, at = as_linked(rel, written, base_path)
        if url and url[0] not in "#?":  # the same from any page of its folder: asked once
            folder = os.path.dirname(at)
            message = checked.get((folder, url))
            if message is None:
                message = checked[(folder, url)] = _check_ref(out, at, url, page, known)
        else:
            message = _check_ref(out, at, url, page, known)
        if message:
            problems.append(Problem(where, line, f"<{tag} {attr}={written!r}>: {message}"))
    return problems


def _check_ref(
    out: Path,
    rel: str,
    url: str,
    page: ParsedPage,
    known: tuple[dict[str, PageFacts], frozenset[str], Mapping[str, str]],
) -> str:
    pages, drafts, lost = known
    message, target, fragment = on_its_own(url, rel, page.ids)
    if message or not target:
        parts = split_url(url) if message and lost else None
        if parts is not None and not parts.path and parts.fragment:  # an id missing in this page
            message += lost.get(unquote(parts.fragment), "")
        return message
    path = out / target
    if path.is_dir():
        return "points at a folder; link the file (folder URLs do not work from file://)"
    if not path.is_file():  # a draft's page: off the site until it is published, not broken
        folder, _, name = Path(target).as_posix().rpartition("/")
        return (
            "" if folder == "papers" and name.removesuffix(".html") in drafts else "no such file in the site"
        )
    linked = pages.get(Path(target).as_posix())
    if fragment and linked is not None and unquote(fragment) not in linked.ids:
        return f"no element with id {fragment!r} in {target}" + lost.get(unquote(fragment), "")
    return ""

"""`build`, the recipe: gather → diff → make → swap.

1. **Gather**: read content/ (load.py) and the theme; compute related papers and the site's
   layout; declare every output in the ledger with the key of what it shows.
2. **Diff** the ledger against the manifest of the previous build (ledger.py).
3. **Make** the misses into a temporary folder beside the output (pages by the render
   workers, the search assets by a process of their own started as early as possible),
   and hard-link the hits from the previous site.
4. **Swap** the new folder into place (sitedir.py): a build that fails or is killed leaves
   the previous site as it was. With nothing changed, nothing is written at all.

Cached or not, serial or parallel, the bytes are the same. What only planning and making
need (the templates, Markdown, numpy for related papers and search) is imported when a
stage needs it: a build with nothing to make does not load it (0.1 s at start-up).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.build import feeds
from site_builder.build.cache import CACHE_DIR
from site_builder.build.cache.manifest import Manifest, PlanSummary, Previous
from site_builder.build.cache.related import cached_related
from site_builder.build.layout import (
    FEED_PATH,
    Tag,
    build_tags,
    listing_order,
    moved_clashes,
    moved_papers,
    moved_tags,
    paper_path,
    tag_feed_path,
    tag_path,
)
from site_builder.build.ledger import Job, Ledger, Rendered, RenderJob, RenderPages
from site_builder.build.load import Content, load_content, remember_taxonomy
from site_builder.build.output_folder import (
    NOJEKYLL,
    check_output,
    keep_paths,
    looks_built,
    refuse_kept_outputs,
    refuse_strangers,
)
from site_builder.build.search_build import SearchBuild
from site_builder.build.sitedir import NewSite, OutputDir, clean_leftovers
from site_builder.build.theme import Theme, find_theme
from site_builder.core.collector import collector_paused
from site_builder.core.errors import Problem
from site_builder.core.hashing import code_version, digest
from site_builder.core.model import Page
from site_builder.core.pagefile import MOVED_FROM, line_of
from site_builder.core.parallel import cores
from site_builder.core.stopwatch import Stopwatch
from site_builder.core.store import Store

if TYPE_CHECKING:
    from site_builder.build.cache.templates import CompiledTemplates
    from site_builder.build.jobs import SitePlan

STAGES = ("load", "related", "plan", "render", "write", "search", "carry", "swap")


@dataclass
class BuildReport:
    """What a build did: counts, size, warnings and how long each stage took."""

    out: Path
    papers: int = 0
    html_pages: int = 0
    tags: int = 0
    feeds: int = 0
    files: int = 0
    bytes: int = 0
    reused: int = 0  # files carried over unchanged from the previous build
    related_scored: int = 0  # papers whose related links were computed (the rest kept theirs)
    unchanged: bool = False  # nothing to write: the output already was this site
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    def summary(self, verbose: bool = False) -> list[str]:
        cached = " (unchanged)" if self.unchanged else f" ({self.reused} unchanged)" if self.reused else ""
        lines = [
            f"built {self.papers} papers into {self.out}: {self.html_pages} HTML pages, "
            f"{self.tags} tags, {self.feeds} feeds, {self.files} files{cached}, {_size(self.bytes)} "
            f"in {self.seconds:.2f} s"
        ]
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s)")
        if verbose:
            lines += [f"  {stage:<8} {secs:8.3f} s" for stage, secs in self.timings.items()]
            lines.append(f"  related papers scored for {self.related_scored} of {self.papers} papers")
        return lines


def build_site(
    root: Path,
    out: Path | None = None,
    base_url: str | None = None,
    parallel: bool = True,
    cache: bool = True,
) -> BuildReport:
    """Build the site in `root` into `out` (default ROOT/_site); raise SiteError on bad input.

    `cache=False` neither reads nor writes ROOT/.site-cache/build (every file is made anew).
    """
    store = Store(root / CACHE_DIR if cache else None)
    waiting = f"{root}: another build of this site is running; waiting for it to end"
    with collector_paused(), store.locked(waiting):
        return _build(root, out if out is not None else root / "_site", base_url, parallel, store)


def _build(root: Path, out: Path, base_url: str | None, parallel: bool, store: Store) -> BuildReport:
    report = BuildReport(out)
    stage = Stopwatch(report.timings)
    ledger = Ledger()
    site: NewSite | None = None
    try:
        # 1. gather
        with stage("load"):
            content = load_content(root, base_url, store, parallel)
            report.warnings += content.warnings
            theme = find_theme(root)
            keep = keep_paths(content.config.keep_files)
            previous = Previous.load(store, out, keep)
            own = [root / "content", root / "themes", *theme.template_dirs, *theme.static_dirs]
            check_output(out, own, root, built_here=bool(previous.entries), keep=keep)
            clean_leftovers(out, keep)
            remember_taxonomy(content, store)
            site = NewSite(out, keep, previous.live)
            # The search assets need only the pages: start them first, beside the rest.
            declare_search(ledger, content, store, parallel)
            ledger.start_bundles(previous, lambda: site.target)
        with stage("related"):
            workers = cores() if parallel else 1
            genres = content.taxonomy.genres
            related = cached_related(
                content.pages, content.digests, store, content.pages_key, workers, genres
            )
            report.related_scored = related.scored
        with stage("plan"):
            static, left_out = static_outputs(theme, root)
            report.warnings += left_out  # said on every build, not kept with the plan
            fingerprint = plan_fingerprint(ledger, content, theme, related.key, static)
            summary = previous.plan if previous.untouched else None
            if summary is not None and summary.fingerprint == fingerprint:
                # Everything declared would be what the previous build declared, and its
                # folder is untouched: nothing to plan, nothing to make.
                _report_plan(report, summary)
                plan, diff = None, None
            else:
                warned = len(report.warnings)
                plan = plan_site(content, theme, related.links, report)
                declare_site(ledger, content, theme, plan, static)
                summary = PlanSummary(
                    fingerprint,
                    report.papers,
                    report.html_pages,
                    report.tags,
                    report.feeds,
                    tuple(report.warnings[warned:]),
                )
                # 2. diff
                diff = ledger.diff(previous)
            refuse_kept_outputs(root, keep, ledger.outputs if plan is not None else previous.entries)
            if not previous.entries and looks_built(out):  # a copied site: all of it, not its top
                refuse_strangers(out, ledger.outputs, keep)
        if plan is None or diff is None or diff.unchanged:
            report.unchanged = True
            manifest = Manifest(str(out.resolve()), dict(previous.entries), dict(previous.bundles))
            replanned = plan is not None and previous.plan != summary
            if previous.untouched and (previous.recognised or replanned):
                # So the next such build skips the plan, and trusts the files recognised by
                # their bytes (a restored `_site/`) without reading them again.
                manifest.save_kept(store, previous, summary)
        else:
            # 3. make
            from site_builder.build.cache.templates import CompiledTemplates

            compiled = CompiledTemplates.load(store)
            manifest, report.reused = ledger.make(
                diff, previous, site.target, _renderer(plan, parallel, compiled), stage
            )
            compiled.save(store)
            manifest.plan = summary
            # 4. swap
            with stage("swap"):
                site.swap(manifest.entries)
            manifest.save(store, previous.written)
    except BaseException:
        ledger.close_bundles()
        if site is not None:
            site.discard()
        raise
    report.files = len(manifest.entries)
    report.bytes = sum(e.stat.size for e in manifest.entries.values())
    for name in STAGES:
        report.timings.setdefault(name, 0.0)
    return report


def plan_site(content: Content, theme: Theme, related: dict[str, list[str]], report: BuildReport) -> SitePlan:
    """Every HTML page of the site, in listing order, with its tags and related papers."""
    from site_builder.build.jobs import make_plan

    ordered = listing_order(content.pages)
    tags, members, tag_warnings = build_tags(ordered, content.taxonomy, content.labels)
    report.warnings += [on_tags_line(p, content.root) for p in tag_warnings]
    report.warnings += [on_line(p, content.root, MOVED_FROM) for p in moved_clashes(ordered, content.labels)]
    plan = make_plan(content.config, theme, ordered, tags, members, related, content.extra_pages)
    report.papers, report.tags = len(ordered), len(tags)
    report.html_pages, report.feeds = len(plan.jobs()), 1 + len(tags)
    return plan


def _report_plan(report: BuildReport, summary: PlanSummary) -> None:
    report.papers, report.html_pages = summary.papers, summary.html_pages
    report.tags, report.feeds = summary.tags, summary.feeds
    report.warnings += summary.warnings


def plan_fingerprint(
    ledger: Ledger,
    content: Content,
    theme: Theme,
    related: str,
    static: list[tuple[str, str, bytes, Path]],
) -> str:
    """A hash of everything the plan and the outputs it declares depend on: the code, the
    templates, the settings, the taxonomy, every page file (name, label and bytes:
    `Content.pages_key`), the related papers, the static files and what is declared
    already (the search assets). Equal fingerprints declare the same outputs with the
    same keys."""
    parts = [code_version(), theme.templates_digest(), repr(content.config), content.taxonomy_digest]
    parts.append(repr(content.extra_pages))
    parts += [part for path, output in ledger.outputs.items() for part in (path, output.key)]
    parts += [part for path, key, _, _ in static for part in (path, key)]
    parts.append(content.pages_key)
    parts.append(related)  # `RelatedLinks.key`
    return digest(*parts)


# --- what the site holds: the ledger entries ----------------------------------------------------


def declare_search(ledger: Ledger, content: Content, store: Store, parallel: bool) -> None:
    """The search assets: one bundle, keyed by what it reads of the pages, the taxonomy (tag
    titles) and synonyms."""
    search = SearchBuild(content.pages, content.taxonomy, content.synonyms, store, parallel)
    ledger.add("search", search_key(content), search, "the search index")


def search_key(content: Content) -> str:
    """Everything the search files are made of: each paper's slug, title, abstract, tags and
    latest listing day (`searched_digest`, kept with the parsed page), not its whole file,
    so an edit search does not see (a person's key, a link, an earlier listing) leaves them
    as they are without building them again."""
    searched = content.searched
    return digest(code_version(), content.taxonomy_digest, *[searched[page.slug] for page in content.pages])


def static_outputs(theme: Theme, root: Path) -> tuple[list[tuple[str, str, bytes, Path]], list[Problem]]:
    """The theme's static files: (output path, key, bytes, source), and the site's files left
    out (a symlink out of the site …). A few small files; their bytes alone decide what is
    copied."""
    out = []
    files, left_out = theme.static_files(root)
    for rel, source in files.items():
        data = source.read_bytes()
        out.append((f"assets/{rel}", digest(code_version(), "static", rel, digest(data)), data, source))
    return out, left_out


def declare_site(
    ledger: Ledger, content: Content, theme: Theme, plan: SitePlan, static: list[tuple[str, str, bytes, Path]]
) -> None:
    """Every other output: HTML pages, feeds, sitemap, robots, the marker, static files."""

    # Every page's footer links the extra pages: their titles are part of every page's key.
    salt = digest(
        code_version(), theme.templates_digest(), repr(content.config), repr(plan.menu), plan.site_id
    )
    ledger.lookups = plan.labels
    shown: dict[str, datetime.date | None] = {}  # every HTML page but 404 → its sitemap lastmod
    for job, path, key, indexed, newest in plan.declared(salt, content.digests):
        ledger.add(path, key, RenderJob(job), "the pages")
        if indexed:
            shown[path] = newest
    moved = moved_tags(content.taxonomy, plan.tags)
    for path, key, feed in feed_outputs(plan, moved, content.digests, salt):
        ledger.add(path, key, feed, "the feeds")
    # A renamed tag's numbered pages too (`tags/OLD/page/N.html`, linked and bookmarked as
    # pages that never change): each leads to the page of the same number, which lists the
    # same papers when only the name changed.
    listings: dict[str, list[tuple[int, str]]] = {}
    for tag, listing in plan.tag_pages:
        listings.setdefault(tag.name, []).append((listing.number, listing.path))
    earlier = [
        (tag_path(alias, number), target, tag.title, "This tag is now")
        for alias, tag in moved
        for number, target in listings.get(tag.name, [(0, tag.url)])
    ]
    earlier += [
        (paper_path(old), paper_path(page.slug), page.title, "This paper is now at")
        for old, page in moved_papers(plan.ordered, content.labels)
    ]
    for path, target, title, note in earlier:
        ledger.add(
            path,
            digest(salt, path, target, title),
            functools.partial(feeds.moved_page, plan.config, path, target, title, note),
            "an earlier address",
        )
    config = plan.config
    # Each day written once (a few hundred days; the repr of 11,000 dates took 10 ms).
    days: dict[datetime.date | None, str] = {None: ""}
    days.update((day, day.isoformat()) for day in set(shown.values()) if day is not None)
    sitemap_key = digest(salt, "sitemap", *[x for path in sorted(shown) for x in (path, days[shown[path]])])
    sitemaps = functools.cache(lambda: feeds.sitemaps(config, shown))  # made once, written in parts
    for name in feeds.sitemap_names(len(shown)):
        ledger.add(name, digest(sitemap_key, name), functools.partial(_part, sitemaps, name), "the sitemap")
    ledger.add("robots.txt", digest(salt, "robots"), lambda: feeds.robots(config), "robots.txt")
    ledger.add(NOJEKYLL, digest(salt, NOJEKYLL), lambda: b"", "the .nojekyll file")
    for path, key, data, source in static:
        ledger.add(path, key, functools.partial(bytes, data), f"the static file {source}")


def _part(files: Callable[[], dict[str, str]], name: str) -> str:
    return files()[name]


def feed_outputs(
    plan: SitePlan, moved: Sequence[tuple[str, Tag]], digests: dict[str, str], salt: str
) -> Iterator[tuple[str, str, Callable[[], str]]]:
    """The Atom feeds, the site's and one per tag, keyed by their entries and the tags; a
    tag's feed also at each of its earlier names' addresses (`moved`: `moved_tags`), for the
    readers subscribed there."""
    config = plan.config
    specs: list[tuple[Sequence[Page], Tag | None]] = [(plan.ordered, None)]
    specs += [(plan.members[tag.name], tag) for tag in plan.tags]
    earlier: dict[str, list[str]] = {}  # a tag → its earlier names' feed paths: the same feed there
    for alias, renamed in moved:
        earlier.setdefault(renamed.name, []).append(tag_feed_path(alias))
    for pages, tag in specs:
        entries = feeds.feed_entries(pages, config.feed_size)
        paths = [tag.feed_url, *earlier.get(tag.name, [])] if tag else [FEED_PATH]
        for path in paths:
            key = digest(salt, plan.tags_key, path, str(plan.newest), *[digests[p.slug] for p in entries])
            yield path, key, functools.partial(_feed, plan, entries, tag)


def _feed(plan: SitePlan, entries: Sequence[Page], tag: Tag | None) -> str:
    config = plan.config
    if tag is None:
        return feeds.atom_feed(config, entries, plan.tag_named, site_updated=plan.newest)
    return feeds.atom_feed(
        config,
        entries,
        plan.tag_named,
        site_updated=plan.newest,
        path=tag.feed_url,
        html_path=tag.url,
        title=f"{config.title}: {tag.title}",
        subtitle=tag.description or f"Papers tagged {tag.title}.",
    )


def _renderer(plan: SitePlan, parallel: bool, compiled: CompiledTemplates) -> RenderPages:
    from site_builder.build.workers import render_jobs

    def render(jobs: Sequence[Job], target: OutputDir) -> list[Rendered]:
        return render_jobs(plan, jobs, target, parallel, compiled)

    return render


def on_tags_line(problem: Problem, root: Path) -> Problem:
    """A tag warning, placed on the line of `tags:` in its page's front matter."""
    return on_line(problem, root, "tags")


def on_line(problem: Problem, root: Path, key: str) -> Problem:
    """A page's warning, placed on the line of `key` in its front matter."""
    try:
        text = (root / problem.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return problem
    return replace(problem, line=line_of(text, key))


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.1f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"

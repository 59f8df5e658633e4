"""`build`, the recipe: gather → diff → make → swap.

1. **Gather**: read content/ (load.py) and the theme; compute related papers and the site's
   layout; declare every output in the ledger with the key of what it shows.
2. **Diff** the ledger against the manifest of the previous build (ledger.py).
3. **Make** the misses into a temporary folder beside the output (pages by the render
   workers, the search assets by a process of their own started as early as possible),
   and hard-link the hits from the previous site.
4. **Swap** the new folder into place (output/sitedir.py): a build that fails or is killed leaves
   the previous site as it was. With nothing changed, nothing is written at all.

Cached or not, serial or parallel, the bytes are the same. What only planning and making
need (the templates, Markdown, numpy for related papers and search) is imported when a
stage needs it: a build with nothing to make does not load it (0.1 s at start-up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.build.cache import CACHE_DIR
from site_builder.build.cache.manifest import Manifest, PlanSummary, Previous
from site_builder.build.cache.related import RelatedLinks, cached_related
from site_builder.build.declare import (
    declare_search,
    declare_site,
    static_outputs,
    static_version,
    unmade_image,
)
from site_builder.build.layout import (
    build_tags,
    listing_order,
    moved_clashes,
)
from site_builder.build.ledger import Diff, Job, Ledger, Rendered, RenderPages
from site_builder.build.load import Content, load_content, remember_taxonomy
from site_builder.build.offline.site_zip import declare_offline_copy
from site_builder.build.output.earlier import earlier_files
from site_builder.build.output.folder import (
    check_output,
    keep_paths,
    looks_built,
    refuse_kept_outputs,
    refuse_strangers,
)
from site_builder.build.output.leftovers import clean_leftovers, unmarked_leftovers
from site_builder.build.output.sitedir import NewSite, OutputDir
from site_builder.build.overrides.blocks import override_problems
from site_builder.build.render.theme import Theme, find_theme
from site_builder.build.report import BuildReport
from site_builder.core.files.store import Store
from site_builder.core.pages.pagefile import MOVED_FROM
from site_builder.core.pages.problems import on_key_line
from site_builder.core.runtime.collector import collector_paused
from site_builder.core.runtime.hashing import code_version, digest
from site_builder.core.runtime.parallel import cores, end_if_interrupted
from site_builder.core.stopwatch import Stopwatch

if TYPE_CHECKING:
    from site_builder.build.cache.templates import CompiledTemplates
    from site_builder.build.jobs import SitePlan

# The names an earlier version kept in the build's folder and this one no longer uses,
# swept at the start of a build (`Store.sweep`): the analysed tokens, before 2026-12-03.
RETIRED = ("search-vocabulary",)
STAGES = ("load", "related", "plan", "render", "write", "search", "carry", "swap")


def build_site(
    root: Path,
    out: Path | None = None,
    base_url: str | None = None,
    parallel: bool = True,
    cache: bool = True,
    edit_url: str | None = None,
    offline_copy: str | None = None,
    drafts: bool = False,
    future: bool = False,
) -> BuildReport:
    """Build the site in `root` into `out` (default ROOT/_site); raise SiteError on bad input.

    `base_url` replaces site.yaml's; `edit_url` and `offline_copy` (`true`, `false`) are used
    when site.yaml gives none (CI's).
    `drafts`: build the pages with `draft: true` too (marked), else leave them out.
    `future`: build the pages a person dated after today too, else leave them out until then.
    `cache=False` neither reads nor writes ROOT/.site-cache/build (every file is made anew).
    """
    store = Store(root / CACHE_DIR if cache else None)
    waiting = f"{root}: another build of this site is running; waiting for it to end"
    with collector_paused(), store.locked(waiting):
        store.sweep(RETIRED)
        given = (base_url, edit_url, offline_copy)
        return _build(
            root, out if out is not None else root / "_site", given, parallel, store, (drafts, future)
        )


def _build(
    root: Path,
    out: Path,
    urls: tuple[str | None, str | None, str | None],
    parallel: bool,
    store: Store,
    previews: tuple[bool, bool],
) -> BuildReport:
    """The recipe, top to bottom, over one output ledger; a failure at any step leaves the
    previous site as it was (the new folder is discarded, the bundles stopped)."""
    report = BuildReport(out)
    stage = Stopwatch(report.timings)
    ledger = Ledger()
    site: NewSite | None = None
    try:
        # 1. gather
        with stage("load"):
            given = _gather(root, out, urls, parallel, store, report, previews)
            site = NewSite(out, given.keep, given.previous.live)
            # The search assets need only the pages: start them first, beside the rest.
            declare_search(ledger, given.content, store, parallel)
            ledger.start_bundles(given.previous, lambda: site.target)
        with stage("related"):
            related = _related(given.content, store, parallel)
            report.related_scored, report.related_corrected = related.scored, related.corrected
        with stage("plan"):
            plan, summary = _plan(root, ledger, given, related, report)
            # 2. diff
            diff = ledger.diff(given.previous) if plan is not None else None
            _refuse_foreign_outputs(root, out, ledger, given, planned=plan is not None)
        if plan is None or diff is None or diff.unchanged:
            report.unchanged = True
            manifest = _kept_manifest(out, store, given.previous, summary, planned=plan is not None)
        else:
            # 3. make
            manifest, report.reused = _make(ledger, diff, given.previous, site, plan, parallel, store, stage)
            manifest.plan = summary
            # 4. swap
            with stage("swap"):
                end_if_interrupted()
                site.swap(manifest.entries)
            manifest.save(store, given.previous.written)
    except BaseException:
        ledger.close_bundles()
        if site is not None:
            site.discard()
        raise
    _count_outputs(report, manifest)
    return report


@dataclass
class _Gathered:
    """What the gather step read, which every later step needs."""

    content: Content
    theme: Theme
    keep: tuple[str, ...]  # what the output folder keeps (`keep_paths`)
    previous: Previous
    earlier: frozenset[str]  # the files an earlier version built there (output/earlier.py)


def _gather(
    root: Path,
    out: Path,
    urls: tuple[str | None, str | None, str | None],
    parallel: bool,
    store: Store,
    report: BuildReport,
    previews: tuple[bool, bool],
) -> _Gathered:
    """Read the content, the theme and the previous build, and check the output folder is
    one a build may replace before anything is made. `urls`: the base and edit URLs given,
    and whether to make the offline copy; `previews`: whether drafts and pages dated ahead
    are built (`--drafts`, `--future`)."""
    base_url, edit_url, offline_copy = urls
    content = load_content(root, base_url, store, parallel, edit_url, offline_copy, *previews)
    report.warnings, report.drafts = report.warnings + content.warnings, content.drafts
    report.ahead = content.ahead
    theme = find_theme(root)
    keep = keep_paths(content.config.keep_files)
    previous = Previous.load(store, out, keep)
    own = [root / "content", root / "themes", *theme.template_dirs, *theme.static_dirs]
    # Only a folder no manifest of this version names is looked at, once after an upgrade.
    earlier = frozenset() if previous.entries or store.folder is None else earlier_files(store.folder, out)
    check_output(out, own, root, built_here=bool(previous.entries), keep=keep, earlier=earlier)
    clean_leftovers(out, keep)
    report.warnings += unmarked_leftovers(out)  # said on every build, not kept with the plan
    remember_taxonomy(content, store)
    return _Gathered(content, theme, keep, previous, earlier)


def _related(content: Content, store: Store, parallel: bool) -> RelatedLinks:
    """Every paper's related papers, on every core when parallel: a stage of its own, timed."""
    workers = cores() if parallel else 1
    genres = content.taxonomy.genres
    return cached_related(content.pages, content.digests, store, content.pages_key, workers, genres)


def _plan(
    root: Path, ledger: Ledger, given: _Gathered, related: RelatedLinks, report: BuildReport
) -> tuple[SitePlan | None, PlanSummary]:
    """Declare every output in the ledger, and the plan's summary; no plan (None) when the
    previous build declared the same and its folder is untouched: nothing to make."""
    static, left_out = static_outputs(given.theme, root)
    # Said on every build, not kept with the plan.
    report.warnings += [*given.theme.template_problems, *left_out]
    fingerprint = plan_fingerprint(ledger, given.content, given.theme, related.key, static)
    summary = given.previous.plan if given.previous.untouched else None
    if summary is not None and summary.fingerprint == fingerprint:
        # Everything declared would be what the previous build declared, and its
        # folder is untouched: nothing to plan, nothing to make.
        _report_plan(report, summary)
        return None, summary
    warned = len(report.warnings)
    # Kept with the plan (its fingerprint has the templates); one that does not parse is the
    # render's to report, as an error.
    report.warnings += [p for p in override_problems(given.theme, root) if p.severity == "warning"]
    plan = replace(
        plan_site(given.content, given.theme, related.links, report), assets=static_version(static)
    )
    declare_site(ledger, given.content, given.theme, plan, static)
    config = given.content.config
    report.warnings += unmade_image(root, config.image, ledger.outputs, static, given.keep)
    declare_offline_copy(ledger, given.content.config, plan.newest)  # last: keyed by all the others
    summary = PlanSummary(
        fingerprint,
        report.papers,
        report.html_pages,
        report.tags,
        report.feeds,
        tuple(report.warnings[warned:]),
    )
    return plan, summary


def _refuse_foreign_outputs(root: Path, out: Path, ledger: Ledger, given: _Gathered, planned: bool) -> None:
    """Refuse, before anything is written, to replace a kept file or a site this build did
    not make (a copied site: all of it is checked, not only its top)."""
    made = ledger.outputs if planned else given.previous.entries
    refuse_kept_outputs(root, given.keep, made)
    if not given.previous.entries and (looks_built(out) or given.earlier):
        refuse_strangers(out, ledger.outputs, given.keep, given.earlier)


def _kept_manifest(
    out: Path, store: Store, previous: Previous, summary: PlanSummary, planned: bool
) -> Manifest:
    """The previous build's manifest, as nothing changed; saved again only when that lets
    the next build skip the plan or trust the files it recognised."""
    manifest = Manifest(str(out.resolve()), dict(previous.entries), dict(previous.bundles))
    replanned = planned and previous.plan != summary
    if previous.untouched and (previous.recognised or replanned):
        # So the next such build skips the plan, and trusts the files recognised by
        # their bytes (a restored `_site/`) without reading them again.
        manifest.save_kept(store, previous, summary)
    return manifest


def _make(
    ledger: Ledger,
    diff: Diff,
    previous: Previous,
    site: NewSite,
    plan: SitePlan,
    parallel: bool,
    store: Store,
    stage: Stopwatch,
) -> tuple[Manifest, int]:
    """Make the misses into the new folder and carry the hits over: the manifest, and how
    many files were reused. The compiled templates are loaded only here: a build with
    nothing to make does not import them."""
    from site_builder.build.cache.templates import CompiledTemplates

    compiled = CompiledTemplates.load(store)
    made = ledger.make(diff, previous, site.target, _renderer(plan, parallel, compiled), stage)
    compiled.save(store)
    return made


def _count_outputs(report: BuildReport, manifest: Manifest) -> None:
    """The output's files and bytes, and a zero for every stage that did not run: `-v`
    lists them all, in STAGES order when none ran."""
    report.files = len(manifest.entries)
    report.bytes = sum(e.stat.size for e in manifest.entries.values())
    for name in STAGES:
        report.timings.setdefault(name, 0.0)


def plan_site(content: Content, theme: Theme, related: dict[str, list[str]], report: BuildReport) -> SitePlan:
    """Every HTML page of the site, in listing order, with its tags and related papers."""
    from site_builder.build.jobs import make_plan
    from site_builder.build.render.links_out import unread_arxiv_fields

    ordered = listing_order(content.pages)
    tags, members, tag_warnings = build_tags(ordered, content.taxonomy, content.labels)
    report.warnings += [on_key_line(p, content.root, "tags") for p in tag_warnings]
    report.warnings += [
        on_key_line(p, content.root, MOVED_FROM) for p in moved_clashes(ordered, content.labels)
    ]
    unread = unread_arxiv_fields(content.pages, content.labels)
    report.warnings += [on_key_line(p, content.root, "arxiv") for p in unread]
    plan = make_plan(
        content.config, theme, ordered, tags, members, related, content.extra_pages, content.labels
    )
    report.papers, report.tags = len(ordered), len(tags)
    report.html_pages, report.feeds = len(plan.jobs()), 1 + len(tags) + bool(plan.noted)
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
    parts.append(f"drafts={content.with_drafts}")  # `--drafts` or not: drafts in the pages or out
    parts.append(repr(content.extra_pages))
    parts += [part for path, output in ledger.outputs.items() for part in (path, output.key)]
    parts += [part for path, key, _, _ in static for part in (path, key)]
    parts.append(content.pages_key)
    parts.append(related)  # `RelatedLinks.key`
    return digest(*parts)


def _renderer(plan: SitePlan, parallel: bool, compiled: CompiledTemplates) -> RenderPages:
    from site_builder.build.workers import render_jobs

    def render(jobs: Sequence[Job], target: OutputDir) -> list[Rendered]:
        return render_jobs(plan, jobs, target, parallel, compiled)

    return render

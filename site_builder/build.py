"""`site-builder build`: content/ → the static site, one named stage after another.

load (site.yaml, taxonomy.yaml, content/papers/*.md) → related → render → feeds → search →
write → swap. Everything is written into a temporary folder beside the output, which
replaces the output only at the end (see sitedir.py): a build that fails or is killed
leaves the previous site as it was. The build reads nothing but content/ and the theme,
so a page edited by hand shows up on the next build without re-ingesting.

The build cache (ROOT/.site-cache/build/, see buildcache.py) makes a rebuild cheap: pages
whose files did not change are not parsed again, related papers and search assets are
reused while no page changed, and every output file whose key (a hash of all it shows) is
unchanged is hard-linked from the previous site instead of rendered. With nothing changed
at all, nothing is written. Cached or not, serial or parallel, the bytes are the same.

Pages are rendered by a pool of worker processes when there are many (`parallel`, see
plan.py), while a forked process builds the search assets; each writes its own files.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from site_builder import feeds
from site_builder.buildcache import CACHE_DIR, Store, code_salt, digest
from site_builder.cached import SearchBuild, related_for, search_key
from site_builder.config import SiteConfig, Taxonomy, load_site_config, load_taxonomy
from site_builder.errors import Problem, SiteError
from site_builder.manifest import Previous, full_key, save
from site_builder.model import Page
from site_builder.outputs import Outputs
from site_builder.pagecache import load_pages
from site_builder.plan import SitePlan, make_plan
from site_builder.render import Theme, find_theme
from site_builder.sitedir import MARKER, check_replaceable, clean_leftovers, discard, swap_into_place
from site_builder.views import Tag, build_tags, listing_order
from site_builder.workers import render_jobs

STAGES = ("load", "related", "render", "feeds", "search", "write", "swap")


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
        return lines


@dataclass(frozen=True)
class Content:
    """Everything a build reads: the site's settings, its tags and its pages."""

    config: SiteConfig
    taxonomy: Taxonomy
    pages: list[Page]  # sorted by slug
    labels: dict[str, str]  # slug → page file, as the user would type it
    warnings: list[Problem]
    digests: dict[str, str] = field(default_factory=dict)  # slug → hash of the page file
    taxonomy_digest: str = ""


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
    collecting = gc.isenabled()
    # A build makes millions of objects that live until it ends and form few cycles; the
    # cyclic collector would walk the growing heap again and again for nothing (a tenth
    # of a cold build, half the time of loading the cache). It runs again afterwards.
    gc.disable()
    try:
        return _build_site(root, out, base_url, parallel, cache)
    finally:
        if collecting:
            gc.enable()


def _build_site(
    root: Path, out: Path | None, base_url: str | None, parallel: bool, cache: bool
) -> BuildReport:
    out = out if out is not None else root / "_site"
    report = BuildReport(out)
    stage = _Stopwatch(report.timings)
    store = Store(root / CACHE_DIR if cache else None)
    with stage("load"):
        content = load_content(root, base_url, store, parallel)
        check_replaceable(out)
        theme = find_theme(root)
        clean_leftovers(out)
        outputs = Outputs(out, Previous.load(store, out))
    report.warnings += content.warnings
    try:
        _build_into(outputs, content, theme, report, stage, store, parallel)
        if not report.unchanged:
            with stage("swap"):
                swap_into_place(outputs.target.path, out)
            save(store, outputs.manifest())
    except BaseException:
        if outputs.started:
            discard(outputs.target.path)
        raise
    report.files, report.bytes, report.reused = outputs.files, outputs.bytes, outputs.reused
    for name in STAGES:
        report.timings.setdefault(name, 0.0)
    return report


def load_content(
    root: Path, base_url: str | None = None, store: Store | None = None, parallel: bool = True
) -> Content:
    """Read site.yaml, taxonomy.yaml and every page; raise one SiteError listing every problem."""
    problems: list[Problem] = []
    config, taxonomy = SiteConfig(), Taxonomy(())
    try:
        config = load_site_config(root / "content" / "site.yaml")
        config = config.with_base_url(_checked_base_url(base_url))
    except SiteError as err:
        problems += err.problems
    taxonomy_file = root / "content" / "taxonomy.yaml"
    try:
        taxonomy = load_taxonomy(taxonomy_file)
    except SiteError as err:
        problems += err.problems
    papers_dir = root / "content" / "papers"
    loaded = load_pages(papers_dir, store or Store(None), parallel)
    problems += [p for p in loaded.problems if p.severity == "error"]
    if problems:
        raise SiteError(problems)
    warnings = [p for p in loaded.problems if p.severity == "warning"]
    if not loaded.pages:
        hint = "no pages to build; run `site-builder ingest` first"
        warnings.append(Problem(str(papers_dir), 0, hint, "warning"))
    pages = sorted(loaded.pages, key=lambda p: p.slug)
    taxonomy_digest = digest(taxonomy_file.read_bytes()) if taxonomy_file.is_file() else ""
    return Content(config, taxonomy, pages, loaded.labels, warnings, loaded.digests, taxonomy_digest)


def _checked_base_url(base_url: str | None) -> str | None:
    if base_url is None or (base_url.startswith(("http://", "https://")) and base_url.split()[0] == base_url):
        return base_url
    message = f"expected an absolute http(s) URL such as https://user.github.io/repo/, got {base_url!r}"
    raise SiteError(Problem("--base-url", 0, message))


def _build_into(
    outputs: Outputs,
    content: Content,
    theme: Theme,
    report: BuildReport,
    stage: _Stopwatch,
    store: Store,
    parallel: bool,
) -> None:
    config, digests = content.config, content.digests
    salt = digest(code_salt(), templates_digest(theme), repr(config))
    # The search assets need only the pages: when they changed, start them first, beside the rest.
    skey = search_key(content.pages, digests, content.taxonomy_digest, config)
    search_paths = outputs.previous.group("search", skey)
    search = None
    if search_paths is None:
        search = SearchBuild(content.pages, content.taxonomy, config, outputs.target.path, parallel)
    try:
        with stage("related"):
            related = related_for(content.pages, digests, store)
        ordered = listing_order(content.pages)
        tags, members, tag_warnings = build_tags(ordered, content.taxonomy, content.labels)
        report.warnings += [_with_line(p, "tags") for p in tag_warnings]
        report.papers, report.tags = len(ordered), len(tags)
        with stage("render"):
            plan = make_plan(config, theme, ordered, tags, members, related)
            jobs = plan.jobs()
            keys = {plan.path(job): plan.key(job, salt, digests) for job in jobs}
            misses = [
                job
                for job in jobs
                if not outputs.reusable(plan.path(job), keys[plan.path(job)], plan.tag_named)
            ]
        report.html_pages = len(jobs)
        with stage("feeds"):
            feed_paths = _declare_feeds(outputs, plan, ordered, members, salt, digests)
            report.feeds = len(feed_paths)
            html_paths = [plan.path(job) for job in jobs]
            others = _declare_others(outputs, plan, theme, salt, html_paths)
        every = {*html_paths, *feed_paths, *others, *(search_paths or ())}
        if search is None and not misses and outputs.all_unchanged(every):
            report.unchanged = True
            outputs.entries = dict(outputs.previous.entries)
            return
        with stage("render"):
            _render(outputs, plan, jobs, misses, keys, parallel)
        with stage("feeds"):
            outputs.place(feed_paths)
        with stage("search"):
            search_paths = _place_search(outputs, skey, search, search_paths)
        with stage("write"):
            outputs.place(others, skip=search_paths)  # a static file named like a search file loses
    finally:
        if search is not None:
            search.close()


def _place_search(
    outputs: Outputs, key: str, search: SearchBuild | None, previous: tuple[str, ...] | None
) -> tuple[str, ...]:
    """The search assets: as written by `search`, or the previous build's (unchanged)."""
    if search is not None:
        written = search.result()
        for path, stat in written.items():
            outputs.add(path, key, stat)
        paths = tuple(sorted(written))
    else:
        assert previous is not None
        for path in previous:
            outputs.keep(path)
        paths = previous
    outputs.groups["search"] = (key, paths)
    return paths


def _render(
    outputs: Outputs,
    plan: SitePlan,
    jobs: list[tuple[str, int]],
    misses: list[tuple[str, int]],
    keys: dict[str, str],
    parallel: bool,
) -> None:
    missing = set(misses)
    for job in jobs:
        if job not in missing:
            outputs.keep(plan.path(job))
    for done in render_jobs(plan, misses, outputs.target, parallel):
        key = full_key(keys[done.path], done.looked_up, plan.tag_named)
        outputs.add(done.path, key, done.stat, done.looked_up)


def _declare_feeds(
    outputs: Outputs,
    plan: SitePlan,
    ordered: Sequence[Page],
    members: dict[str, list[Page]],
    salt: str,
    digests: dict[str, str],
) -> list[str]:
    """The Atom feeds: the site's and one per tag, keyed by their entries and the tags."""
    config = plan.config
    by_name = plan.tag_named
    specs: list[tuple[str, Sequence[Page], Tag | None]] = [("feed.xml", ordered, None)]
    specs += [(tag.feed_url, members[tag.name], tag) for tag in plan.tags]
    for path, pages, tag in specs:
        entries = pages[: config.feed_size]
        key = digest(salt, plan.tags_key, path, *[digests[p.slug] for p in entries])
        if tag is None:
            outputs.declare(path, key, lambda e=entries: feeds.atom_feed(config, e, by_name))
        else:
            outputs.declare(
                path,
                key,
                lambda e=entries, t=tag: feeds.atom_feed(
                    config,
                    e,
                    by_name,
                    path=t.feed_url,
                    html_path=t.url,
                    title=f"{config.title}: {t.title}",
                    subtitle=t.description or f"Papers tagged {t.title}.",
                ),
            )
    return [path for path, _, _ in specs]


def _declare_others(
    outputs: Outputs, plan: SitePlan, theme: Theme, salt: str, html_paths: list[str]
) -> list[str]:
    """sitemap.xml, robots.txt, the .nojekyll marker and the theme's static files."""
    config = plan.config
    pages = [p for p in html_paths if p != "404.html"]
    outputs.declare("sitemap.xml", digest(salt, "sitemap", *pages), lambda: feeds.sitemap(config, pages))
    outputs.declare("robots.txt", digest(salt, "robots"), lambda: feeds.robots(config))
    outputs.declare(MARKER, digest(salt, MARKER), lambda: b"")
    paths = ["sitemap.xml", "robots.txt", MARKER]
    for rel, source in theme.static_files().items():
        data = source.read_bytes()  # a few small files; they alone decide what is copied
        outputs.declare(f"assets/{rel}", digest(code_salt(), "static", rel, digest(data)), lambda d=data: d)
        paths.append(f"assets/{rel}")
    return paths


def templates_digest(theme: Theme) -> str:
    """A hash of every template the theme could use (static files do not reach the pages)."""
    files = sorted({p for d in theme.template_dirs for p in d.rglob("*") if p.is_file()})
    return digest(*[part for path in files for part in (str(path), path.read_bytes())])


def _with_line(problem: Problem, key: str) -> Problem:
    """The problem, placed on the line of `key:` in its page's front matter."""
    try:
        lines = Path(problem.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return problem
    line = next((i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:")), 0)
    return replace(problem, line=line)


class _Stopwatch:
    """Adds the time spent in each `with stage(name):` block to `timings[name]`."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.1f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"

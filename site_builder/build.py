"""`site-builder build`: content/ → the static site, one named stage after another.

load (site.yaml, taxonomy.yaml, content/papers/*.md) → related → render → feeds → search →
write → swap. Everything is written into a temporary folder beside the output, which
replaces the output only at the end (see sitedir.py): a build that fails or is killed
leaves the previous site as it was. The build reads nothing but content/ and the theme,
so a page edited by hand shows up on the next build without re-ingesting.

Pages are rendered by a pool of worker processes when there are many (`parallel`, see
plan.py); each worker writes its own files, and the output is the same bytes either way.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from site_builder import feeds
from site_builder.config import SiteConfig, Taxonomy, load_site_config, load_taxonomy
from site_builder.errors import Problem, SiteError
from site_builder.model import Page
from site_builder.pages import read_pages
from site_builder.plan import make_plan, render_all
from site_builder.related import related_pages
from site_builder.render import Theme, find_theme
from site_builder.search import build_search_assets
from site_builder.sitedir import (
    MARKER,
    OutputDir,
    check_replaceable,
    clean_leftovers,
    discard,
    make_temp_dir,
    swap_into_place,
)
from site_builder.views import Tag, build_tags, listing_order


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
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    def summary(self, verbose: bool = False) -> list[str]:
        lines = [
            f"built {self.papers} papers into {self.out}: {self.html_pages} HTML pages, "
            f"{self.tags} tags, {self.feeds} feeds, {self.files} files, {_size(self.bytes)} "
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


def build_site(
    root: Path, out: Path | None = None, base_url: str | None = None, parallel: bool = True
) -> BuildReport:
    """Build the site in `root` into `out` (default ROOT/_site); raise SiteError on bad input."""
    out = out if out is not None else root / "_site"
    report = BuildReport(out)
    stage = _Stopwatch(report.timings)
    with stage("load"):
        content = load_content(root, base_url)
        check_replaceable(out)
        theme = find_theme(root)
    report.warnings += content.warnings
    with stage("related"):
        related = related_pages(content.pages)
    clean_leftovers(out)
    target = OutputDir(make_temp_dir(out))
    try:
        _build_into(target, content, theme, related, report, stage, parallel)
        with stage("swap"):
            swap_into_place(target.path, out)
    except BaseException:
        discard(target.path)
        raise
    report.files, report.bytes = target.files, target.bytes
    return report


def load_content(root: Path, base_url: str | None = None) -> Content:
    """Read site.yaml, taxonomy.yaml and every page; raise one SiteError listing every problem."""
    problems: list[Problem] = []
    config, taxonomy = SiteConfig(), Taxonomy(())
    try:
        config = load_site_config(root / "content" / "site.yaml")
        config = config.with_base_url(_checked_base_url(base_url))
    except SiteError as err:
        problems += err.problems
    try:
        taxonomy = load_taxonomy(root / "content" / "taxonomy.yaml")
    except SiteError as err:
        problems += err.problems
    papers_dir = root / "content" / "papers"
    stored, page_problems = read_pages(papers_dir)
    problems += [p for p in page_problems if p.severity == "error"]
    if problems:
        raise SiteError(problems)
    warnings = [p for p in page_problems if p.severity == "warning"]
    if not stored:
        hint = "no pages to build; run `site-builder ingest` first"
        warnings.append(Problem(str(papers_dir), 0, hint, "warning"))
    pages = sorted((s.page for s in stored), key=lambda p: p.slug)
    labels = {s.page.slug: str(s.path) for s in stored}
    return Content(config, taxonomy, pages, labels, warnings)


def _checked_base_url(base_url: str | None) -> str | None:
    if base_url is None or (base_url.startswith(("http://", "https://")) and base_url.split()[0] == base_url):
        return base_url
    message = f"expected an absolute http(s) URL such as https://user.github.io/repo/, got {base_url!r}"
    raise SiteError(Problem("--base-url", 0, message))


def _build_into(
    target: OutputDir,
    content: Content,
    theme: Theme,
    related: dict[str, list[str]],
    report: BuildReport,
    stage: _Stopwatch,
    parallel: bool,
) -> None:
    config = content.config
    ordered = listing_order(content.pages)
    tags, members, tag_warnings = build_tags(ordered, content.taxonomy, content.labels)
    report.warnings += [_with_line(p, "tags") for p in tag_warnings]
    report.papers, report.tags = len(ordered), len(tags)
    with stage("render"):
        plan = make_plan(config, theme, ordered, tags, members, related)
        html_paths = render_all(plan, target, parallel)
    report.html_pages = len(html_paths)
    with stage("feeds"):
        xml = _feeds(config, ordered, tags, members)
    with stage("search"):
        search_files = build_search_assets(content.pages, content.taxonomy, content.config)
    with stage("write"):
        for path, text in xml.items():
            target.write(path, text)
        target.write("sitemap.xml", feeds.sitemap(config, [p for p in html_paths if p != "404.html"]))
        target.write("robots.txt", feeds.robots(config))
        target.write(MARKER, b"")
        for rel, source in theme.static_files().items():
            target.write(f"assets/{rel}", source.read_bytes())
        for rel, data in sorted(search_files.items()):
            target.write(rel, data)
    report.feeds = len(xml)


def _with_line(problem: Problem, key: str) -> Problem:
    """The problem, placed on the line of `key:` in its page's front matter."""
    try:
        lines = Path(problem.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return problem
    line = next((i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:")), 0)
    return replace(problem, line=line)


def _feeds(
    config: SiteConfig, ordered: Sequence[Page], tags: Sequence[Tag], members: dict[str, list[Page]]
) -> dict[str, str]:
    by_name = {t.name: t for t in tags}
    out = {"feed.xml": feeds.atom_feed(config, ordered, by_name)}
    for tag in tags:
        out[tag.feed_url] = feeds.atom_feed(
            config,
            members[tag.name],
            by_name,
            path=tag.feed_url,
            html_path=tag.url,
            title=f"{config.title}: {tag.title}",
            subtitle=tag.description or f"Papers tagged {tag.title}.",
        )
    return out


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

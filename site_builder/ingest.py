"""`ingest`: parse → dedupe → tag → pages. Reads content/sources, writes content/papers.

The stages run in order and hand each other plain data; this module only wires them
together, writes the pages that changed (atomically) and summarises what happened.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from site_builder.config import load_taxonomy, load_yaml
from site_builder.dedupe import DedupeResult, dedupe, title_key
from site_builder.errors import Problem, SiteError
from site_builder.output import atomic_write_text, flush_to_disk, remove_stale_temp_files
from site_builder.pages import PageUpdate, plan_pages, read_pages
from site_builder.sources import read_sources
from site_builder.tagcache import tag_texts
from site_builder.tagging import evaluate, explain


@dataclass
class IngestResult:
    files: int = 0
    unreadable: list[str] = field(default_factory=list)
    entries: int = 0
    dedupe: DedupeResult | None = None
    updates: list[PageUpdate] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # page files written (or, with --check, stale)
    untouched: list[str] = field(default_factory=list)  # pages no dump matched: left alone
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    check: bool = False


def run_ingest(root: Path, check: bool = False) -> IngestResult:
    """Read every dump, write every page whose text changed. Raises SiteError only for config."""
    content = root / "content"
    result = IngestResult(check=check)
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.timings[stage] = now - clock
        clock = now

    taxonomy = load_taxonomy(content / "taxonomy.yaml", "content/taxonomy.yaml")
    lap("config")
    dumps = read_sources(content / "sources", root)
    result.files = len(dumps)
    for dump in dumps:
        result.problems += dump.problems
        result.entries += len(dump.entries)
        if not dump.readable:
            result.unreadable.append(dump.path)
    lap("parse")
    result.dedupe = dedupe([e for d in dumps for e in d.entries])
    lap("dedupe")
    found = result.dedupe.papers
    taxonomy_bytes = (content / "taxonomy.yaml").read_bytes()
    texts = [(p.title, p.abstract) for p in found]
    cache = None if check else root / ".site-cache"
    tags = tag_texts(taxonomy, taxonomy_bytes, texts, cache)
    papers = [replace(p, tags=t) for p, t in zip(found, tags, strict=True)]
    lap("tag")
    papers_dir = content / "papers"
    if not check:
        remove_stale_temp_files(papers_dir)
    existing, page_problems = read_pages(papers_dir, root)
    if page_problems:
        # Never overwrite a page we could not read: the person's text would be lost.
        stop = Problem("content/papers", 0, "fix the pages above, then ingest again")
        raise SiteError([*page_problems, stop])
    result.updates, untouched = plan_pages(papers, existing)
    result.untouched = [sp.path.name for sp in untouched]
    for update in result.updates:
        if update.kept:
            what = ", ".join(update.kept)
            result.problems.append(
                Problem(
                    f"content/papers/{update.filename}",
                    1,
                    f"kept your edited {what}; the dumps now say something else",
                    "warning",
                )
            )
    lap("plan")
    for update in result.updates:
        path = papers_dir / update.filename
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != update.text:
            result.changed.append(update.filename)
            if not check:
                atomic_write_text(path, update.text, durable=False)
    if result.changed and not check:
        flush_to_disk()
    lap("write")
    return result


def format_summary(result: IngestResult, verbose: bool = False) -> list[str]:
    """The lines `ingest` prints: counts, merges by reason, what was written."""
    d = result.dedupe
    papers = len(d.papers) if d else 0
    lines = [f"{result.files} dump file(s), {result.entries} entries → {papers} unique papers"]
    if d:
        reasons = Counter(m.reason for m in d.merges)
        if reasons:
            lines.append("merged: " + ", ".join(f"{n} {r}" for r, n in sorted(reasons.items())))
        for title, count in d.kept_apart:
            lines.append(f"kept apart: {count} papers share the title {title!r} but not the abstract")
        if verbose:
            lines += [
                f"  {m.reason}: {m.where} {m.other!r} → {m.title!r}"
                for m in d.merges
                if m.reason != "same entry"
            ]
    changed = set(result.changed)  # a set: this line was O(N²) at 50,000 pages
    new = sum(1 for u in result.updates if u.is_new and u.filename in changed)
    verb = "would change" if result.check else "written"
    unchanged = len(result.updates) - len(result.changed)
    lines.append(f"pages: {len(result.changed)} {verb} ({new} new), {unchanged} unchanged")
    if result.untouched:
        lines.append(f"left alone: {len(result.untouched)} page(s) not found in any dump")
    warnings = sum(1 for p in result.problems if p.severity == "warning")
    errors = len(result.problems) - warnings
    if warnings or errors:
        lines.append(f"problems: {errors} error(s), {warnings} warning(s) (listed above)")
    if verbose:
        lines.append("timings: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result.timings.items()))
    return lines


def explain_tags(root: Path, slug: str) -> str:
    """Why a page has its tags: the rule hits per tag, for `site-builder tags --explain`."""
    content = root / "content"
    taxonomy = load_taxonomy(content / "taxonomy.yaml", "content/taxonomy.yaml")
    stored, _ = read_pages(content / "papers", root)
    wanted = slug.removesuffix(".md").removesuffix(".html").rsplit("/", 1)[-1]
    match = next((s for s in stored if wanted in (s.page.slug, s.path.stem)), None)
    if match is None:
        raise SiteError(Problem(f"content/papers/{wanted}.md", 0, "no such page"))
    page = match.page
    lines = [
        f"{page.title}",
        f"page tags: {', '.join(page.tags) or '(none)'}",
        explain(taxonomy, page.title, page.body),
    ]
    return "\n".join(lines)


def evaluate_tags(root: Path, labels_path: Path) -> str:
    """Precision/recall of the taxonomy rules against a labelled YAML file of titles and tags.

    The file is `papers: [{title: ..., tags: [...]}]`; abstracts come from the site's pages.
    """
    content = root / "content"
    taxonomy = load_taxonomy(content / "taxonomy.yaml", "content/taxonomy.yaml")
    data, _ = load_yaml(labels_path)
    items = data.get("papers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SiteError(Problem(str(labels_path), 1, "expected `papers:` with a list of {title, tags}"))
    pages = {title_key(s.page.title): s.page for s in read_pages(content / "papers", root)[0]}
    labelled, missing = [], []
    for item in items:
        page = pages.get(title_key(str(item.get("title", ""))))
        if page is None:
            missing.append(str(item.get("title")))
            continue
        labelled.append((page.title, page.body, tuple(item.get("tags") or ())))
    q = evaluate(taxonomy, labelled)
    lines = [f"{len(labelled)} labelled papers: precision {q.precision:.3f}, recall {q.recall:.3f} (micro)"]
    lines += [f"  {tag:<14} P {p:.2f}  R {r:.2f}  ({n} labelled)" for tag, (p, r, n) in q.per_tag.items()]
    lines += [f"  miss: {t[:70]!r} want {list(w)} got {list(g)}" for t, w, g in q.misses]
    lines += [f"  not found in content/papers: {t!r}" for t in missing]
    return "\n".join(lines)

"""Paper ⇄ content/papers/<slug>.md: front matter, permanent slugs, merge with hand edits.

A page records what ingest generated last time (`generated:` — short hashes of the title
and body, and the tags the rules gave), so that re-ingest can tell a person's edit from
its own earlier output: edited titles, bodies and tag choices are kept; untouched ones
follow the dumps.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from site_builder import frontmatter
from site_builder.dedupe import title_key
from site_builder.errors import Problem
from site_builder.model import Page, Paper, Source
from site_builder.slugs import is_valid_slug, unique_slug

KNOWN_KEYS = ("title", "slug", "tags", "aliases", "links", "sources", "generated")
URL_RE = re.compile(r"https?://[^\s<>\"'\])}]+", re.IGNORECASE)


def extract_links(text: str) -> tuple[str, ...]:
    """URLs in an abstract (code, project pages), in order, without trailing punctuation."""
    links: list[str] = []
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(".,;:!?")
        if url not in links:
            links.append(url)
    return tuple(links)


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


# --- reading pages ----------------------------------------------------------------------------


@dataclass
class StoredPage:
    """A page file as found on disk: the Page, plus what ingest generated for it last time."""

    path: Path
    page: Page
    generated: dict[str, Any] = field(default_factory=dict)


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.split("\n")[:500], start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _str_list(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return tuple(str(v) for v in value)
    return None


def _sources(value: Any) -> tuple[Source, ...] | None:
    if value is None:
        return ()
    if not isinstance(value, list):
        return None
    out = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            return None
        line = item.get("line", 0)
        out.append(Source(item["file"], line if isinstance(line, int) else 0, str(item.get("listed") or "")))
    return tuple(out)


def read_page(path: Path, label: str) -> tuple[StoredPage | None, list[Problem]]:
    """Parse one page file; problems name `label:line` (label: the path as the user sees it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        return None, [Problem(label, 0, f"not UTF-8 text ({err.reason}); re-save it as UTF-8")]
    except OSError as err:
        return None, [Problem(label, 0, f"cannot read: {err.strerror}")]
    meta, body, _, problems = frontmatter.split(text, label)
    if problems:
        return None, problems
    title = meta.get("title")
    if not isinstance(title, str | int | float) or not str(title).strip():
        return None, [
            Problem(label, _line_of(text, "title") if "title" in meta else 2, "'title' is missing or empty")
        ]
    slug = meta.get("slug", path.stem)
    if not isinstance(slug, str) or not is_valid_slug(slug):
        return None, [
            Problem(
                label,
                _line_of(text, "slug"),
                f"'slug' {slug!r} is not a valid slug: use lowercase letters, digits and single hyphens",
            )
        ]
    fields: dict[str, Any] = {}
    for key in ("tags", "aliases", "links"):
        parsed = _str_list(meta.get(key))
        if parsed is None:
            return None, [Problem(label, _line_of(text, key), f"'{key}' must be a list of text values")]
        fields[key] = parsed
    sources = _sources(meta.get("sources"))
    if sources is None:
        return None, [
            Problem(label, _line_of(text, "sources"), "'sources' must be a list of {file, line, listed}")
        ]
    generated = meta.get("generated")
    page = Page(
        slug=slug,
        title=str(title).strip(),
        body=body,
        tags=fields["tags"],
        aliases=fields["aliases"],
        sources=sources,
        links=fields["links"],
        extra={k: v for k, v in meta.items() if k not in KNOWN_KEYS},
    )
    return StoredPage(path, page, generated if isinstance(generated, dict) else {}), []


def read_pages(papers_dir: Path, root: Path | None = None) -> tuple[list[StoredPage], list[Problem]]:
    """Every *.md page under papers_dir, sorted by file name; a bad page is a problem, not a stop."""
    stored: list[StoredPage] = []
    problems: list[Problem] = []
    if not papers_dir.is_dir():
        return stored, problems
    seen: dict[str, str] = {}
    for path in sorted(papers_dir.glob("*.md")):
        label = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        page, found = read_page(path, label)
        problems += found
        if page is None:
            continue
        if page.page.slug in seen:
            problems.append(
                Problem(
                    label,
                    _line_of(path.read_text(encoding="utf-8"), "slug"),
                    f"slug '{page.page.slug}' is already used by {seen[page.page.slug]}",
                )
            )
            continue
        seen[page.page.slug] = label
        stored.append(page)
    return stored, problems


def load_pages(papers_dir: Path, root: Path | None = None) -> tuple[list[Page], list[Problem]]:
    """The pages `build` renders, sorted by slug."""
    stored, problems = read_pages(papers_dir, root)
    return sorted((s.page for s in stored), key=lambda p: p.slug), problems


# --- writing pages ----------------------------------------------------------------------------


def page_text(page: Page, generated: dict[str, Any]) -> str:
    """The file text of a page: known keys in a fixed order, a person's keys after them."""
    meta: dict[str, Any] = {"title": page.title, "slug": page.slug, "tags": frontmatter.flow(list(page.tags))}
    if page.aliases:
        meta["aliases"] = list(page.aliases)
    if page.links:
        meta["links"] = list(page.links)
    meta["sources"] = [
        frontmatter.flow_map({"file": s.file, "line": s.line, "listed": s.listed}) for s in page.sources
    ]
    meta.update(page.extra)
    meta["generated"] = frontmatter.flow_map(
        {
            "title": generated["title"],
            "body": generated["body"],
            "tags": frontmatter.flow(list(generated["tags"])),
        }
    )
    return frontmatter.dump(meta, page.body)


@dataclass(frozen=True)
class PageUpdate:
    """What ingest wants on disk for one paper, and what it kept of a person's edits."""

    slug: str
    filename: str  # the page's file name in content/papers (a person may have renamed it)
    text: str
    is_new: bool
    kept: tuple[str, ...] = ()  # "title", "body", "tags": hand edits that were kept over changed dumps


def _match_existing(
    paper: Paper,
    by_source: dict[tuple[str, int], StoredPage],
    by_title: dict[str, StoredPage],
    used: set[str],
) -> StoredPage | None:
    for s in paper.sources:
        hit = by_source.get((s.file, s.line))
        if hit is not None and hit.page.slug not in used:
            return hit
    for title in (paper.title, *paper.aliases):
        hit = by_title.get(title_key(title))
        if hit is not None and hit.page.slug not in used:
            return hit
    return None


def merge(paper: Paper, old: StoredPage | None, slug: str) -> PageUpdate:
    """Combine a paper from the dumps with the page already on disk, keeping hand edits."""
    generated = {
        "title": short_hash(paper.title),
        "body": short_hash(paper.abstract),
        "tags": list(paper.tags),
    }
    if old is None:
        page = Page(
            slug,
            paper.title,
            paper.abstract,
            paper.tags,
            paper.aliases,
            paper.sources,
            extract_links(paper.abstract),
        )
        return PageUpdate(slug, f"{slug}.md", page_text(page, generated), True)
    prev, was = old.page, old.generated
    kept: list[str] = []
    title = paper.title
    if was and short_hash(prev.title) != was.get("title"):
        title = prev.title
        if generated["title"] != was.get("title"):
            kept.append("title")
    body = paper.abstract
    if was and short_hash(prev.body) != was.get("body"):
        body = prev.body
        if generated["body"] != was.get("body"):
            kept.append("body")
    old_auto = set(was.get("tags") or []) if was else set(prev.tags)
    added, removed = set(prev.tags) - old_auto, old_auto - set(prev.tags)
    tags = tuple(sorted((set(paper.tags) - removed) | added))
    if (added or removed) and set(paper.tags) != old_auto:
        kept.append("tags")
    aliases = tuple(
        a
        for a in dict.fromkeys(
            (*paper.aliases, *prev.aliases, *([paper.title] if title != paper.title else []))
        )
        if a != title
    )
    page = replace(
        prev,
        title=title,
        body=body,
        tags=tags,
        aliases=aliases,
        sources=paper.sources,
        links=extract_links(body),
    )
    return PageUpdate(prev.slug, old.path.name, page_text(page, generated), False, tuple(kept))


def plan_pages(papers: list[Paper], existing: list[StoredPage]) -> tuple[list[PageUpdate], list[StoredPage]]:
    """Decide the page for every paper: update the page it already has, or give it a new slug.

    Returns the updates (one per paper) and the existing pages no paper matched, which
    ingest leaves alone (a person may have written them).
    """
    by_source = {(s.file, s.line): sp for sp in existing for s in sp.page.sources}
    by_title: dict[str, StoredPage] = {}
    for sp in existing:
        for t in (sp.page.title, *sp.page.aliases):
            by_title.setdefault(title_key(t), sp)
    taken = {sp.page.slug for sp in existing}
    used: set[str] = set()
    updates = []
    for paper in papers:
        old = _match_existing(paper, by_source, by_title, used)
        if old is not None:
            slug = old.page.slug
        else:
            slug = unique_slug(paper.title, taken)
            taken.add(slug)
        used.add(slug)
        updates.append(merge(paper, old, slug))
    untouched = [sp for sp in existing if sp.page.slug not in used]
    return updates, untouched

"""`site-builder tags`: explain why a page has its tags; measure the rules against hand labels."""

from __future__ import annotations

from pathlib import Path

from site_builder.config import load_taxonomy
from site_builder.errors import Problem, SiteError
from site_builder.ingest.tagging import Tagger, evaluate
from site_builder.pagefile import read_pages
from site_builder.text import title_key
from site_builder.yamlfile import key_line, load_file


def explain_tags(root: Path, slug: str) -> str:
    """Why a page has its tags: the rule hits per tag, for `site-builder tags --explain`."""
    content = root / "content"
    tagger = Tagger.of(load_taxonomy(content / "taxonomy.yaml", "content/taxonomy.yaml"))
    stored, _ = read_pages(content / "papers", root)
    wanted = slug.removesuffix(".md").removesuffix(".html").rsplit("/", 1)[-1]
    match = next((s for s in stored if wanted in (s.page.slug, s.path.stem)), None)
    if match is None:
        raise SiteError(Problem(f"content/papers/{wanted}.md", 0, "no such page"))
    page = match.page
    lines = [
        f"{page.title}",
        f"page tags: {', '.join(page.tags) or '(none)'}",
        tagger.explain(page.title, page.body),
    ]
    return "\n".join(lines)


def _label_ok(item: object) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("title"), str):
        return False
    tags = item.get("tags") or []
    return isinstance(tags, list) and all(isinstance(t, str) for t in tags)


def evaluate_tags(root: Path, labels_path: Path) -> str:
    """Precision/recall of the taxonomy rules against a labelled YAML file of titles and tags.

    The file is `papers: [{title: ..., tags: [...]}]`; abstracts come from the site's pages.
    """
    content = root / "content"
    tagger = Tagger.of(load_taxonomy(content / "taxonomy.yaml", "content/taxonomy.yaml"))
    data, node = load_file(labels_path)
    items = data.get("papers") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SiteError(Problem(str(labels_path), 1, "expected `papers:` with a list of {title, tags}"))
    problems = [
        Problem(
            str(labels_path), key_line(node, "papers", i), "each paper needs a 'title' and a list of 'tags'"
        )
        for i, item in enumerate(items)
        if not _label_ok(item)
    ]
    if problems:
        raise SiteError(problems)
    pages = {title_key(s.page.title): s.page for s in read_pages(content / "papers", root)[0]}
    labelled, missing = [], []
    for item in items:
        page = pages.get(title_key(str(item.get("title", ""))))
        if page is None:
            missing.append(str(item.get("title")))
            continue
        labelled.append((page.title, page.body, tuple(item.get("tags") or ())))
    q = evaluate(tagger, labelled)
    lines = [f"{len(labelled)} labelled papers: precision {q.precision:.3f}, recall {q.recall:.3f} (micro)"]
    lines += [f"  {tag:<14} P {p:.2f}  R {r:.2f}  ({n} labelled)" for tag, (p, r, n) in q.per_tag.items()]
    lines += [f"  miss: {t[:70]!r} want {list(w)} got {list(g)}" for t, w, g in q.misses]
    lines += [f"  not found in content/papers: {t!r}" for t in missing]
    return "\n".join(lines)

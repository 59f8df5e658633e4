"""What `check` says of `content/` itself: errors ingest and build would stop on (site.yaml,
taxonomy.yaml, the pages), pages without a tag, tags the taxonomy lacks, and what checking
the built site against the content needs (the drafts, the pages dated ahead, each page's file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from site_builder.core.errors import Problem, SiteError
from site_builder.core.files.store import SITE_CACHE, Store, tracked

if TYPE_CHECKING:
    from site_builder.build.render.theme import Theme
    from site_builder.core.config import SiteConfig


class ContentFindings(NamedTuple):
    """What `content_check` found: problems, and what checking the built site against the
    content needs."""

    problems: list[Problem]
    drafts: frozenset[str]  # the slugs of the pages with `draft: true`
    files: dict[str, str]  # every page's file by its slug
    reread: int = 0  # page files the last build did not read as they are now (new or changed since)
    feeds: frozenset[str] | None = None  # the tag feeds a build makes; None: unknown (a broken taxonomy)
    ahead: frozenset[str] = frozenset()  # the slugs of the pages dated after today (`--future`)
    config: SiteConfig | None = None  # site.yaml as read; None: it does not load (a problem above)


def content_check(root: Path) -> ContentFindings:
    """What a person should look at in `content/`: errors in site.yaml, taxonomy.yaml and
    pages (ingest and build would stop on them, so check fails too, though the site was
    built before), and warnings for paper pages: pages with no tag (to place by hand), and tags
    the taxonomy lacks (misspelt, or renamed or removed there).
    The pages are read through the build's cache of parsed pages, left as it is: after a
    build, only their file times are looked at (a third of the time of parsing 10,000).
    With them, what checking the built site against the content needs (`ContentFindings`)."""
    from site_builder.core.config import load_site_config

    config: SiteConfig | None = None
    try:
        config = load_site_config(root / "content" / "site.yaml", "content/site.yaml")
    except SiteError as err:
        settings = err.problems
    else:
        settings = []
    if tracked(root / SITE_CACHE):
        message = (
            "tracked by git: its caches are code the tool would run (a pull request could plant some), "
            "so none is read; untrack it: git rm -r --cached .site-cache"
        )
        settings.append(Problem(str(SITE_CACHE), 0, message))
    found = _page_warnings(root)
    return found._replace(problems=[*settings, *found.problems], config=config)


def _page_warnings(root: Path) -> ContentFindings:
    from site_builder.build.cache import CACHE_DIR
    from site_builder.build.cache.pages import load_pages
    from site_builder.build.layout import build_tags, listing_order, tag_feed_path
    from site_builder.build.load import as_read, dated_ahead
    from site_builder.build.render.links_out import unread_arxiv_fields
    from site_builder.core.pages.pagefile import tags_confirmed
    from site_builder.core.pages.problems import on_key_line, untagged_warning
    from site_builder.core.taxonomy import load_taxonomy

    papers = root / "content" / "papers"
    if not papers.is_dir():
        return ContentFindings([], frozenset(), {})
    loaded = load_pages(papers, Store(root / CACHE_DIR), remember=False)
    drafts = frozenset(page.slug for page in loaded.pages if page.draft)
    untagged = [  # a person took them off: the page says so, or the rules gave it tags
        untagged_warning(name, p.slug, tags_confirmed(p.extra) or _rules_tagged(papers / name))
        for p in loaded.pages
        if not p.tags
        for name in [Path(loaded.labels[p.slug]).name]
    ]
    # A page the next ingest and build would stop at (broken front matter): check said
    # "site OK" of the site built before it (a reviewer). With them, what `build` warns of a
    # page (a `date:` that is no day, an `arxiv:` naming no id), which check never said.
    page_problems = [
        *loaded.problems,
        *[on_key_line(p, root, "arxiv") for p in unread_arxiv_fields(loaded.pages, loaded.labels)],
    ]
    try:
        taxonomy = load_taxonomy(root / "content" / "taxonomy.yaml", "content/taxonomy.yaml")
    except SiteError as err:
        return ContentFindings(
            [*page_problems, *untagged, *err.problems], drafts, loaded.labels, loaded.reparsed
        )
    tags, _, unknown = build_tags(listing_order(as_read(loaded.pages, taxonomy)), taxonomy, loaded.labels)
    feeds = frozenset(tag_feed_path(name) for name in [*(t.file_slug for t in tags), *taxonomy.renamed])
    found = [*page_problems, *untagged, *[on_key_line(p, root, "tags") for p in unknown]]
    ahead = frozenset(page.slug for page, _ in dated_ahead(loaded.pages))
    return ContentFindings(found, drafts, loaded.labels, loaded.reparsed, feeds, ahead)


def _rules_tagged(path: Path) -> bool:
    """Ingest's record says the rules gave the page tags: a person took them off since, and
    no ingest has confirmed it yet (check said "no tag's rules reach their threshold" of it).
    Read only for the few untagged pages."""
    from site_builder.core.pages.pagefile import read_page

    stored, _ = read_page(path, str(path))
    return bool(stored and stored.generated.get("tags"))


def unmade_image_of(root: Path, site: Path, config: SiteConfig | None, theme: Theme) -> list[Problem]:
    """What `build` warns of an `image:` the built site lacks (`declare.unmade_image`), said
    by `check` too: a CI log shows check's lines, and it said "site OK". `config`: site.yaml
    as `content_check` read it (None when it does not load: it says why); `theme`: the
    site's, as `check` found it for its overrides."""
    from site_builder.build.declare import static_outputs, unmade_image
    from site_builder.build.output.folder import keep_paths

    if config is None:
        return []
    image = config.image
    if not image or "://" in image or (site / image).is_file():
        return []
    static, _ = static_outputs(theme, root)
    return unmade_image(root, image, (), static, keep_paths(config.keep_files))

"""Pages a person writes that are not papers: `content/pages/<name>.md` becomes `<name>.html`
at the site's root (an About page, a reading group's rules), linked from every page's
footer — what Hugo's and Zola's `content/about.md` or MkDocs' `docs/about.md` give.

Front matter: `title:` (required), `description:` (the meta description; else its opening words),
`weight:` (the footer's order, then the title) and `draft: true` (left out, as a paper's
draft is, unless `build --drafts`). The body is Markdown with the notes' rules
(render/notes.py: no raw HTML, no images), except that links may also lead to the site's own
pages (`tags/index.html`): the page sits at the root, so they resolve as written; one written
from the root (`/tags/index.html`) is made relative.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from site_builder.build.layout import FEED_PATH, FIXED_PAGES, NOTES
from site_builder.core.errors import Problem, not_utf8
from site_builder.core.files.content_files import label_of, names_in
from site_builder.core.model import DRAFT, draft_problem
from site_builder.core.pages.pagefile import line_of, page_file_text, split
from site_builder.core.text import SLUG_RE

FOLDER = "pages"  # under content/
# Names a page cannot take: the site's own pages and folders at its root.
RESERVED = frozenset(
    {"index", "sitemap", "robots", "papers", "tags", "archive", "page", "assets", FEED_PATH.split(".")[0]}
    | {NOTES}  # the notes page (`layout.noted_pages`), and its folder
    | {path.split("/")[0].split(".")[0] for path in FIXED_PAGES.values()}
)


@dataclass(frozen=True)
class ExtraPage:
    name: str  # the file's name without `.md`: the page is `<name>.html`
    title: str
    description: str
    weight: int
    body: str  # Markdown
    draft: bool = False  # `draft: true`: left out of the site unless drafts are built

    @property
    def path(self) -> str:
        return f"{self.name}.html"


def page_html(page: ExtraPage) -> Markup:
    # Imported only now: a build whose pages did not change loads no Markdown at all.
    from site_builder.build.render.notes import LINKIFIED, safe_markdown

    linkify = page.body.count("://") <= LINKIFIED  # as a paper's notes (render/notes.py)
    return Markup(safe_markdown(site_links=True, linkify=linkify).render(page.body))


def page_description(page: ExtraPage) -> str:
    """The meta and link-preview description of a page with no `description:`: its own
    opening words, as a paper page's are its abstract's (it had the site's description, the
    same on every such page, which search engines report as duplicates); "" for a page of
    headings alone."""
    from site_builder.build.render.notes import markdown_text
    from site_builder.build.render.page_text import DESCRIPTION, snippet

    return snippet(markdown_text(page.body, headings=False, site_links=True), DESCRIPTION)


def load_extra_pages(content: Path) -> tuple[list[ExtraPage], list[Problem]]:
    """Every `content/pages/*.md` (by name), and the problems of those that cannot be read,
    named from the site's folder (`content/pages/about.md`)."""
    folder = content / FOLDER
    if not folder.is_dir():
        return [], []
    # Listed as the papers are: a named pipe hung the build, a symlink out of the site was
    # published, a folder or a dangling link named `*.md` stopped it ("cannot write or read").
    names, _, problems = names_in(folder, content.parent, ".md")
    pages: list[ExtraPage] = []
    for name in names:
        shown = label_of(folder / name, content.parent)
        try:
            data = (folder / name).read_bytes()
        except OSError as err:  # a file without read permission
            problems.append(Problem(shown, 0, f"cannot read: {err.strerror}"))
            continue
        try:  # as a paper page's: CR or CRLF line ends read as LF (a CR-only page had "no front matter")
            text = page_file_text(data)
        except UnicodeDecodeError:
            problems.append(not_utf8(shown, data))
            continue
        page, found = _page(name[: -len(".md")], text, shown)
        problems += found
        if page is not None:
            pages.append(page)
    return pages, problems


def _page(name: str, text: str, shown: str) -> tuple[ExtraPage | None, list[Problem]]:
    if not SLUG_RE.match(name) or name in RESERVED:
        why = (
            "a name the site uses for its own pages"
            if name in RESERVED
            else "not a lowercase-hyphenated name"
        )
        return None, [Problem(shown, 1, f"'{name}' is {why}; rename the file (about.md makes about.html)")]
    meta, body, problems = split(text, shown)
    if problems:
        return None, problems
    title, description, weight = meta.get("title"), meta.get("description", ""), meta.get("weight", 0)
    if title is not None and not isinstance(title, str):
        message = f"'title' must be text; YAML read {title!r}: put the title in quotes"
        return None, [Problem(shown, line_of(text, "title"), message)]
    if not isinstance(title, str) or not title.strip():
        return None, [Problem(shown, line_of(text, "title"), "'title' is missing or empty")]
    if not isinstance(description, str):
        return None, [Problem(shown, line_of(text, "description"), "'description' must be text")]
    if not isinstance(weight, int) or isinstance(weight, bool):
        return None, [
            Problem(shown, line_of(text, "weight"), "'weight' must be a whole number (the footer's order)")
        ]
    if (problem := draft_problem(meta)) is not None:  # as a paper page's: never published by a typo
        return None, [Problem(shown, line_of(text, DRAFT), problem)]
    draft = meta.get(DRAFT) is True
    return ExtraPage(name, title.strip(), description.strip(), weight, body.strip("\n"), draft), []


def menu(pages: list[ExtraPage]) -> tuple[tuple[str, str], ...]:
    """The footer's links: (path, title), by weight, then title."""
    return tuple((p.path, p.title) for p in sorted(pages, key=lambda p: (p.weight, p.title.casefold())))

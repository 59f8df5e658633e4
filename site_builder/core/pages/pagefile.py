"""A paper page file (content/papers/<slug>.md): YAML front matter, then the body.

The one place that knows the file format: `read_page` parses a file into a `Page` (every
problem as `path:line: message`), `page_text` writes one. The known keys come first in a
fixed order, a person's own keys after them, so the same page always gives the same bytes
and re-ingesting changes nothing.
"""

from __future__ import annotations

import datetime
import io
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from site_builder.core.errors import Problem, not_utf8
from site_builder.core.files import yamlfile
from site_builder.core.files.content_files import labels_in, names_in
from site_builder.core.model import (
    ADDED,
    DATE,
    DRAFT,
    FIRST_YEAR,
    LAST_YEAR,
    MONTHS,
    Page,
    Source,
    added_day,
    date_problem,
    draft_problem,
    listing_date,
    month_day,
    month_number,
)
from site_builder.core.pages import frontmatter
from site_builder.core.runtime.hashing import digest
from site_builder.core.text import (
    CONFLICT_MESSAGE,
    MAX_SLUG,
    RESERVED,
    conflict_marker,
    is_valid_slug,
    printable,
)

CONFIRMED = "tags_confirmed"  # front-matter key: a person set or checked this page's tags


def tags_confirmed(extra: Mapping[str, object]) -> bool:
    """`tags_confirmed: true` on a page: ingest keeps its tags and `tags` counts it as a
    labelled example (one test for both: `"yes"` in quotes froze a page's tags, yet
    `--evaluate` did not count it)."""
    return extra.get(CONFIRMED) is True


KNOWN_KEYS = ("title", "authors", "slug", "tags", "aliases", "links", "sources", "generated")
# A person's keys the build reads (kept in Page.extra), and how to write them.
MOVED_FROM = "moved_from"  # a person's key: earlier slugs whose addresses lead to the page
LIST_OF = {"authors": "names, such as [Ada Lovelace, Alan Turing]"}  # what a known list holds
TEXT_KEYS = {
    "notes": "Markdown, on one line or after `notes: |` on the lines below it",
    "arxiv": "an arXiv id in quotes, such as '2401.01234' (unquoted, YAML reads a number)",
}


def page_lines(text: str) -> tuple[list[str], int | None]:
    """A page's lines (a BOM dropped, CRLF read as LF), and the number of the line closing
    the front matter its first line opens (None: no front matter, or never closed)."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    if lines[0].strip() != "---":
        return lines, None
    return lines, next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)


def split(text: str, path: str) -> tuple[dict[str, Any], str, list[Problem]]:
    """A page's text → (front matter, body, problems)."""
    lines, end = page_lines(text)
    if lines[0].strip() != "---":
        hint = "a page starts with a line '---', then YAML, then another '---'"
        return {}, "\n".join(lines), [Problem(path, 1, f"no front matter; {hint}")]
    if end is None:
        problem = Problem(path, 1, "front matter is not closed: add a line '---' after it")
        return {}, "\n".join(lines), [problem]
    meta = frontmatter.parse(lines[1:end])  # the shape ingest writes, read fast; else YAML
    try:
        if meta is None:
            meta = yamlfile.parse("\n".join(lines[1:end]))
    except yaml.YAMLError as err:
        return {}, "", [yamlfile.yaml_problem(err, path, 2, " in front matter")]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return {}, "", [Problem(path, 2, "front matter must be a mapping of keys to values")]
    return meta, "\n".join(lines[end + 1 :]).strip("\n"), []


CHANGED = "\0changed since it was looked at"  # a text no page file holds (`StoredPage.file_text`)


@dataclass
class StoredPage:
    """A page file as found on disk: the Page, plus what ingest generated for it last time."""

    path: Path
    page: Page
    generated: dict[str, Any] = field(default_factory=dict)
    text: str = ""  # the file as read: ingest replaces it only if it still says this
    digest: str = ""  # of the file's bytes, when the reader hashed them: names `text` cheaply
    unread: bool = False  # known by the file's stat, not read: `text` is read when asked for

    def file_text(self) -> str:
        """The file's text as read; a page known by its stat is read now. If its bytes are
        no longer those `digest` names (changed since it was looked at), a text no file
        holds: ingest then keeps the file as it is and says it changed meanwhile."""
        if self.unread:
            try:
                data = self.path.read_bytes()
                self.text = page_file_text(data) if digest(data) == self.digest else CHANGED
            except (OSError, UnicodeDecodeError):
                self.text = CHANGED
            self.unread = False
        return self.text


ParsePage = Callable[[bytes, Path, str], tuple[StoredPage | None, list[Problem]]]
# A page a reader knows by its file's stat without reading it (`read_pages`), or None.
KnownPage = Callable[[Path, str, os.stat_result], tuple[StoredPage, list[Problem]] | None]


def written_value(text: str, key: str) -> str:
    """A front-matter key's value as written on its line (a comment after it left out)."""
    line = text.split("\n")[line_of(text, key) - 1]
    return line.partition(":")[2].split(" #")[0].strip() if line.startswith(f"{key}:") else ""


def line_of(text: str, key: str) -> int:
    """The line where front-matter key `key:` starts (1 when it cannot be found)."""
    for number, line in enumerate(text.split("\n")[:500], start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def slug_taken(label: str, path: Path, slug: str, first: str) -> Problem:
    """The problem of a second page file that claims a slug `first` already has."""
    try:
        line = line_of(path.read_text(encoding="utf-8"), "slug")
    except (OSError, UnicodeDecodeError):
        line = 1
    return Problem(label, line, f"slug '{slug}' is already used by {first}")


def str_list(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        return (printable(value),)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return tuple(printable(str(v)) for v in value)
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
        out.append(Source(item["file"], line if isinstance(line, int) else 0, _listed(item.get("listed"))))
    return tuple(out)


def _listed(value: Any) -> str:
    """A listing date as written in a page: a YAML date, an ISO string, or (pages written
    before dates had years) `Mar 12`, read as the yearless `--03-12`."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value or "").strip()
    parts = text.split()
    if len(parts) == 2 and parts[0][:3].title() in MONTHS and parts[1].isdigit():
        return f"--{month_number(parts[0]):02d}-{int(parts[1]):02d}"
    return text


def _bad_listing(listed: str) -> str | None:
    """Why a page's listing date is none: a full date outside the years a listing may have,
    or a yearless one no year has; None for a date, a yearless one ingest will complete, or none."""
    if not listed or listing_date(listed) is not None:
        return None
    parts = month_day(listed)
    if parts is not None and listed.startswith("--"):
        leap = datetime.date(2000, 1, 1)  # Feb 29 exists in some years
        try:
            leap.replace(month=parts[0], day=parts[1])
            return None
        except ValueError:
            return "no year has that day"
    if re.fullmatch(r"\d{4,}-\d{2}-\d{2}", listed):
        return f"years run from {FIRST_YEAR} to {LAST_YEAR}"
    return "not a date (2025-03-12)"


# Every list item and feed entry shows a paper's tags, and every tag has pages listing its
# papers: without a bound, one page with n tags costs n² work and output.
MAX_TAGS = 50


def shown_page(stored: StoredPage, label: str) -> tuple[Page, list[Problem]]:
    """The page as the site shows it: at most MAX_TAGS tags (the file keeps all of them)."""
    tags = tuple(dict.fromkeys(stored.page.tags))
    if len(tags) <= MAX_TAGS:
        return stored.page, []
    message = f"{len(tags)} tags; the site shows the first {MAX_TAGS}"
    problem = Problem(label, line_of(stored.text, "tags"), message, "warning")
    return replace(stored.page, tags=tags[:MAX_TAGS]), [problem]


def page_file_text(data: bytes) -> str:
    """A page file's bytes as `Path.read_text` gives them: UTF-8, universal newlines."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8").read()


def parse_page(data: bytes, path: Path, label: str) -> tuple[StoredPage | None, list[Problem]]:
    """`read_page` of the file `path` whose bytes are `data` (read once: what was parsed is
    exactly what a caller hashed)."""
    try:
        text = page_file_text(data)
    except UnicodeDecodeError:
        return None, [not_utf8(label, data)]
    conflict = conflict_marker(text)
    if conflict is not None:  # read on, it would publish the markers or fail as bad YAML
        return None, [Problem(label, conflict[0], CONFLICT_MESSAGE.format(marker=conflict[1]))]
    meta, body, problems = split(text, label)
    if problems:
        return None, problems
    errors: list[Problem] = []  # every field's mistake at once, as a compiler lists them

    def wrong(key: str, message: str, line: int | None = None) -> None:
        errors.append(Problem(label, line_of(text, key) if line is None else line, message))

    title = meta.get("title")
    # YAML reads `yes` as True, `1.10` as 1.1, `007` as 7 and `12:30` as 750: text only, or
    # a whole number written as it reads (`1984`).
    as_read = isinstance(title, str) or (
        isinstance(title, int) and not isinstance(title, bool) and written_value(text, "title") == str(title)
    )
    if "title" in meta and title is not None and not as_read:
        wrong("title", f"'title' must be text; YAML read {title!r}: put the title in quotes")
    elif not as_read or not printable(str(title)).strip():
        wrong("title", "'title' is missing or empty", None if "title" in meta else 2)
    slug = meta.get("slug", path.stem)
    if not isinstance(slug, str) or not is_valid_slug(slug):
        if isinstance(slug, str) and slug in RESERVED:  # `index`: the site's own name
            reason = "is a name the site or Windows uses for a file of its own: choose another"
        elif isinstance(slug, str) and len(slug) > MAX_SLUG:
            reason = f"is longer than {MAX_SLUG} characters: shorten it"
        else:
            reason = "is not a valid slug: use lowercase letters, digits and single hyphens"
        wrong("slug", f"'slug' {slug!r} {reason}")
    fields: dict[str, tuple[str, ...]] = {}
    for key in ("tags", "aliases", "links", "authors"):
        value = meta.get(key)
        if key in ("tags", "authors") and isinstance(value, str):  # `tags: agents, safety`: a list meant
            value = [part.strip() for part in value.split(",") if part.strip()]
        parsed = str_list(value)
        if parsed is None:
            wrong(key, f"'{key}' must be a list of {LIST_OF.get(key, 'text values')}")
        elif key == "tags":  # `[' code ', training, training]` means code and training
            parsed = tuple(dict.fromkeys(stripped for tag in parsed if (stripped := tag.strip())))
        elif key == "authors":  # names as the site shows them: no stray spaces, no empty ones
            parsed = tuple(name for written in parsed if (name := " ".join(written.split())))
        fields[key] = parsed or ()
    sources = _sources(meta.get("sources"))
    if sources is None:
        wrong("sources", "'sources' must be a list of {file, line, listed}")
    dated: dict[tuple[str, int], str] = {}
    for number, source in enumerate(sources or ()):
        # The same listing twice, dated two ways (both sides of a merge kept): which date is
        # the person's correction is theirs to say; ingest kept whichever came last.
        other = dated.setdefault((source.file, source.line), source.listed)
        if other != source.listed:
            message = (
                f"'sources': {source.file} line {source.line} is listed twice, as {other} and as "
                f"{source.listed}; keep the right one"
            )
            wrong("sources", message, line_of(text, "sources") + 1 + number)
    warnings = []
    for number, source in enumerate(sources or ()):
        if (why := _bad_listing(source.listed)) is not None:
            # A year out of range or a day no year has left the page undated without a word.
            line = line_of(text, "sources") + 1 + number  # each source on a line, as ingest writes them
            message = f"'listed' {source.listed!r}: {why}; the page shows no date from it until corrected"
            warnings.append(Problem(label, line, message, "warning"))
    if CONFIRMED in meta and not isinstance(meta[CONFIRMED], bool):
        # `"yes"` in quotes, `1`, an empty value: read as neither, without a word, while
        # ingest said it kept the tags (a reviewer's page lost its only tag).
        message = (
            f"'{CONFIRMED}' is true (your tags stay as they are) or false (the rules tag the page "
            f"again), unquoted; {meta[CONFIRMED]!r} is neither, so it is ignored (tags you change "
            "by hand are kept, and the page confirmed, all the same)"
        )
        warnings.append(Problem(label, line_of(text, CONFIRMED), message, "warning"))
    if ADDED in meta and added_day(meta[ADDED]) is None:
        message = (
            f"'{ADDED}' is the day the paper came to the site, written as 2026-03-12; "
            f"{meta[ADDED]!r} is not one, so feeds place the paper by its listing"
        )
        warnings.append(Problem(label, line_of(text, ADDED), message, "warning"))
    if (why := date_problem(meta, sources or ())) is not None:
        warnings.append(Problem(label, line_of(text, DATE), why, "warning"))
    for key, hint in TEXT_KEYS.items():
        if key in meta and not isinstance(meta[key], str):
            wrong(key, f"'{key}' must be text: {hint}")
    if (problem := draft_problem(meta)) is not None:
        wrong(DRAFT, problem)
    moved = str_list(meta.get(MOVED_FROM))
    if moved is None or not all(map(is_valid_slug, moved)):
        wrong(MOVED_FROM, f"'{MOVED_FROM}' must be a list of the page's earlier slugs, such as [old-slug]")
    generated = meta.get("generated")
    if generated is not None and not _generated_ok(generated):
        wrong(
            "generated",
            "'generated' is ingest's record {title, body, tags, dates}; restore it, or delete the line",
        )
    if errors or sources is None:
        return None, sorted(errors, key=lambda problem: problem.line)
    page = Page(
        slug=slug,
        title=printable(str(title)).strip(),
        body=printable(body),
        tags=fields["tags"],
        aliases=fields["aliases"],
        sources=sources,
        links=fields["links"],
        extra={k: v for k, v in meta.items() if k not in KNOWN_KEYS},
        authors=fields["authors"],
    )
    return StoredPage(path, page, generated if isinstance(generated, dict) else {}, text), warnings


def read_page(
    path: Path, label: str, parse: ParsePage = parse_page
) -> tuple[StoredPage | None, list[Problem]]:
    """Parse one page file; problems name `label:line` (label: the path as the user sees it).

    `parse`: `parse_page`, or one that remembers its results between runs."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return None, [Problem(label, 0, f"cannot read: {err.strerror}")]
    return parse(data, path, label)


def _generated_ok(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    tags = value.get("tags", [])
    return (
        all(isinstance(value.get(k, ""), str) for k in ("title", "body", "dates", "authors"))
        and isinstance(tags, list)
        and all(isinstance(t, str) for t in tags)
    )


def read_pages(
    papers_dir: Path, root: Path | None = None, parse: ParsePage = parse_page, known: KnownPage | None = None
) -> tuple[list[StoredPage], list[Problem]]:
    """Every *.md page under papers_dir, sorted by file name; a bad page is a problem, not a stop.

    `parse`: `parse_page`, or one that remembers its results between runs; `known`: what
    such a reader knows of a file by its stat alone (a file it answers for is not read)."""
    stored: list[StoredPage] = []
    names, stats, problems = names_in(papers_dir, root or papers_dir, ".md")
    labels = labels_in(papers_dir, root, names) if root else [str(papers_dir / name) for name in names]
    seen: dict[str, str] = {}
    for name, label in zip(names, labels, strict=True):
        path = papers_dir / name
        hit = known(path, label, stats[name]) if known is not None else None
        page, found = hit if hit is not None else read_page(path, label, parse)
        problems += found
        if page is None:
            continue
        if page.page.slug in seen:
            problems.append(slug_taken(label, path, page.page.slug, seen[page.page.slug]))
            continue
        seen[page.page.slug] = label
        stored.append(page)
    return stored, problems

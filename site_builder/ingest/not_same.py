"""A person's `not_same_as:` on a page: titles dedupe merged into the page's paper that are
another paper (a benchmark and its "-v2" successor listed with the old abstract).

Read from the pages (`corrections`), applied to dedupe's components (`split_apart`): the
matching graph itself is never changed (it is kept between runs and cannot un-merge), the
components are cut after it, so a warm ingest gives what a cold one gives and removing the
key merges the paper again. What did not apply is said (`unapplied`), and merges under
another title a run makes are named in its summary (`new_titles`) so a false one is seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from site_builder.core.errors import Problem
from site_builder.core.model import Entry, Page, Paper
from site_builder.core.pages.pagefile import StoredPage, line_of
from site_builder.core.text import title_key

if TYPE_CHECKING:
    from site_builder.ingest.merge import PageUpdate

NOT_SAME_AS = "not_same_as"  # a person's key: titles merged into this page's paper that are another

Group = dict[int, list[Entry]]  # one component: its variants' numbers → their entries


@dataclass(frozen=True)
class Apart:
    """One page's correction: entries under `titles` never join the paper of its listings."""

    page: str  # content/papers/<file>, for messages
    line: int  # of `not_same_as:`
    titles: tuple[str, ...]  # as written (not the page's own title)
    keys: frozenset[str]  # their title keys
    own: frozenset[str]  # the title keys of the page's other titles: its paper's
    sources: frozenset[tuple[str, int]]  # the page's listings (file, line): its paper's


def listed_apart(page: Page) -> frozenset[str]:
    """The title keys a page's `not_same_as:` lists (none when it is missing or malformed),
    but its own title's: that one stays the page's (`corrections` says so)."""
    value = page.extra.get(NOT_SAME_AS)
    if value is None:
        return frozenset()
    return frozenset(title_key(t) for t in _titles(value) or ()) - {title_key(page.title)}


def _titles(value: object) -> list[str] | None:
    """The titles of a `not_same_as:` value: a list of texts, or one text; None otherwise."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(t, str) and title_key(t) for t in items):
        return None
    return list(dict.fromkeys(items))


def corrections(existing: list[StoredPage]) -> tuple[list[Apart], list[Problem]]:
    """The pages' corrections, by file name, and what is wrong with any of them."""
    found: list[Apart] = []
    problems: list[Problem] = []
    for sp in sorted(existing, key=lambda sp: sp.path.name):
        if NOT_SAME_AS not in sp.page.extra:
            continue
        label = f"content/papers/{sp.path.name}"
        line = line_of(sp.file_text(), NOT_SAME_AS)
        page = sp.page
        titles = _titles(page.extra[NOT_SAME_AS])
        example = page.aliases[0] if page.aliases else "Title of the other paper"
        if titles is None:
            message = (
                f"'{NOT_SAME_AS}' must be a list of the titles merged into this paper that are "
                f"another paper, such as [{example!r}]; {page.extra[NOT_SAME_AS]!r} is not, so it is ignored"
            )
            problems.append(Problem(label, line, message))
            continue
        own_key = title_key(page.title)
        for title in titles:
            if title_key(title) == own_key:
                others = ", ".join(repr(a) for a in page.aliases)
                instead = f"one of its `aliases:` ({others})" if others else "the title of the other paper"
                message = (
                    f"'{NOT_SAME_AS}' lists this page's own title {title!r}, which stays this page's; "
                    f"list the title merged into it that is another paper instead: {instead}"
                )
                problems.append(Problem(label, line, message, "warning"))
        titles = [t for t in titles if title_key(t) != own_key]
        keys = frozenset(title_key(t) for t in titles)
        own = frozenset(title_key(t) for t in (page.title, *page.aliases)) - keys
        sources = frozenset((s.file, s.line) for s in page.sources)
        if titles:
            found.append(Apart(label, line, tuple(titles), keys, own, sources))
    return found, problems


def split_apart(
    groups: list[Group], title_keys: list[str], apart: Sequence[Apart]
) -> tuple[list[Group], frozenset[tuple[int, str]]]:
    """The components with each correction's titles cut out of its page's paper (a component
    holding one of the page's other titles or listings), as a paper of their own; and which
    (correction's number, title key) cut something. Depends on the components alone, never
    on the order their entries were matched in."""
    if not apart:
        return groups, frozenset()
    out: list[Group] = []
    applied: set[tuple[int, str]] = set()
    for group in groups:
        pieces = [group]
        for n, correction in enumerate(apart) if len(group) > 1 else ():
            cut: list[Group] = []
            for piece in pieces:
                listed = {v: es for v, es in piece.items() if title_keys[v] in correction.keys}
                rest = {v: es for v, es in piece.items() if title_keys[v] not in correction.keys}
                if listed and rest and _holds_page(rest, title_keys, correction):
                    cut += [rest, listed]
                    applied.update((n, title_keys[v]) for v in listed)
                else:
                    cut.append(piece)
            pieces = cut
        out += pieces
    return out, frozenset(applied)


def _holds_page(group: Group, title_keys: list[str], correction: Apart) -> bool:
    """Whether a component is the paper of the correction's page: one of the page's other
    titles, or one of its listings, is among its entries."""
    return any(title_keys[v] in correction.own for v in group) or any(
        (e.source.file, e.source.line) in correction.sources for es in group.values() for e in es
    )


def unapplied(
    apart: Sequence[Apart], applied: frozenset[tuple[int, str]], existing: list[StoredPage]
) -> list[Problem]:
    """A warning for each listed title that cut nothing and is no other page's title: a typo,
    or a title merged into another paper (the key belongs on that paper's page; `not_same_as:`
    would otherwise do nothing without a word). A title that is another page's is apart
    already (the split-off page of a paper no dump lists now): warned of on every run, it
    sent the person to check a right title against `aliases:` the split had emptied."""
    problems: list[Problem] = []
    if not apart:
        return problems
    titled: dict[str, set[str]] = {}  # a title key → the pages with that title
    for sp in existing:
        titled.setdefault(title_key(sp.page.title), set()).add(f"content/papers/{sp.path.name}")
    for n, correction in enumerate(apart):
        for title in correction.titles:
            elsewhere = titled.get(title_key(title), set()) - {correction.page}
            if (n, title_key(title)) not in applied and not elsewhere:
                message = (
                    f"'{NOT_SAME_AS}': no listing titled {title!r} is merged into this page's paper, "
                    "so nothing was split; check the title against the page's `aliases:` as ingest "
                    "wrote them (case, quotes, dashes and a final full stop do not matter; other "
                    "punctuation does)"
                )
                problems.append(Problem(correction.page, correction.line, message, "warning"))
    return problems


def new_titles(
    papers: list[Paper], updates: list[PageUpdate], existing: list[StoredPage]
) -> list[tuple[str, str, str]]:
    """(file name, other title, title) for each title this run merges into a page that the
    page did not hold: a paper listed again under a new title, or a false merge. A page
    that takes on a new title is said as its old title → the new one: day by day, that is
    how a successor listed with its predecessor's abstract arrives."""
    before = {sp.path.name: sp.page for sp in existing}
    found = []
    for paper, update in zip(papers, updates, strict=True):
        if not paper.aliases:
            continue
        page = before.get(update.filename)
        if page is None or update.is_new:
            found += [(update.filename, a, paper.title) for a in paper.aliases]
            continue
        held = {title_key(t) for t in (page.title, *page.aliases)}
        title = page.title if "title" in update.kept else paper.title  # a person's title stays
        came = [t for t in (paper.title, *paper.aliases) if title_key(t) not in held and t != title]
        if title_key(title) not in held:  # the page takes on a new title: its old one → it
            came.insert(0, page.title)
        found += [(update.filename, other, title) for other in came]
    return found

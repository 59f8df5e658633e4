"""`site-builder tags`: explain a page's tags; measure the rules on hand-labelled pages; suggest changes."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

from site_builder.core.errors import Problem, SiteError
from site_builder.core.files.yamlfile import key_line, load_file
from site_builder.core.hints import command
from site_builder.core.model import Page
from site_builder.core.pages.body import split_notes
from site_builder.core.pages.pagefile import CONFIRMED, StoredPage, read_pages, tags_confirmed
from site_builder.core.runtime.hashing import short_hash
from site_builder.core.taxonomy import load_taxonomy, nearest_name, nearest_tag
from site_builder.core.text import hyphenate, some_of, title_key
from site_builder.ingest.tags.site_phrases import SitePages
from site_builder.ingest.tags.suggest import Labelled, examine, shown_figure, suggest
from site_builder.ingest.tags.tagger import Quality, Tagger, evaluate


def site_pages(root: Path) -> list[StoredPage]:
    """The site's pages; a page that cannot be read stops the command with its problem, as
    it stops ingest (left out, a labelled page silently left `--evaluate`, and `--explain`
    said no page had the title of a page with a typo in its front matter)."""
    stored, problems = read_pages(root / "content" / "papers", root)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise SiteError(errors)
    return stored


def _tagger(root: Path) -> Tagger:
    return Tagger.of(load_taxonomy(root / "content" / "taxonomy.yaml", "content/taxonomy.yaml"))


def find_page(stored: list[StoredPage], query: str) -> StoredPage:
    """The page a person means: its slug, a part of its slug, or (part of) its title.

    An exact slug wins; otherwise the query must pick out exactly one page, and a query
    that fits several lists them so the person can be more precise.
    """
    wanted = query.strip().removesuffix(".md").removesuffix(".html").rsplit("/", 1)[-1]
    exact = [s for s in stored if wanted in (s.page.slug, s.path.stem)]
    if exact:
        return exact[0]
    key, part = title_key(query), hyphenate(query)
    found = [s for s in stored if title_key(s.page.title) == key]
    found = found or [s for s in stored if part and part in s.page.slug]
    found = found or [s for s in stored if key and key in title_key(s.page.title)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise SiteError(Problem("content/papers", 0, f"no page's slug or title contains {query!r}"))
    names = some_of([s.page.slug for s in found], 8)
    raise SiteError(Problem("content/papers", 0, f"{query!r} fits {len(found)} pages ({names}); say more"))


def explain_tags(root: Path, query: str) -> str:
    """Why a page has its tags: the phrases that scored, in context, per tag."""
    found = find_page(site_pages(root), query)
    page = found.page
    by_hand = page.tags if is_hand_labelled(found) else None  # else the rules' (maybe stale) tags
    tagger = _tagger(root)
    renamed = tagger.taxonomy.renamed  # a page may still say a tag's earlier name (by hand)
    shown = [f"{t} (now {renamed[t]})" if t in renamed else t for t in page.tags]
    lines = [
        f"{page.title}",
        f"page tags: {', '.join(shown) or '(none)'}",
        tagger.explain(page.title, abstract(page), by_hand),
    ]
    now = tagger.choose(page.title, abstract(page))
    if by_hand is None and set(tagger.taxonomy.current_tags(page.tags)) != set(now):
        if _text_is_ingests(found):  # the taxonomy changed since: the `+` marks disagree
            lines.append(
                f"the page's tags are an earlier ingest's: the rules now give {', '.join(now) or 'no tag'}; "
                f"`{command('ingest')}` tags it again"
            )
        else:  # ingest tags the dumps' text, not a person's edit of it
            lines.append(
                "the page's title or abstract was edited by hand: ingest tags the paper by the dumps' "
                "text, so the marks above (read from the page) may differ from its tags"
            )
    return "\n".join(lines)


def _text_is_ingests(stored: StoredPage) -> bool:
    """The page's title and abstract are as ingest last wrote them (`generated:`)."""
    was = stored.generated
    body = stored.page.body
    return short_hash(stored.page.title) == was.get("title") and was.get("body") in (
        short_hash(body),
        short_hash(split_notes(body)[0]),
    )


def abstract(page: Page) -> str:
    """What the rules read of a page, as ingest tags it: the abstract, not a person's notes
    under `## Notes` (explain quoted them as matches, and scored tags ingest never gives)."""
    return split_notes(page.body)[0]


def is_hand_labelled(stored: StoredPage) -> bool:
    """A person set or confirmed the page's tags: they differ from the rules' (`generated:`),
    the page has no such record and has tags (a person wrote it and tagged it), or it says
    `tags_confirmed: true`. A person's page without tags chose none: no label ("no tag"
    counted against every rule that matched it)."""
    rules = stored.generated.get("tags") if stored.generated else None
    edited = bool(stored.page.tags) if rules is None else set(map(str, rules)) != set(stored.page.tags)
    return edited or tags_confirmed(stored.page.extra)


def hand_labelled(stored: list[StoredPage]) -> list[Labelled]:
    """Pages whose tags a person set or confirmed: the examples the rules are measured on.

    A page counts when its tags differ from the rules' (the `generated:` record), when it
    has no such record (a person wrote it), or when it says `tags_confirmed: true`.
    """
    return [
        Labelled(s.page.title, abstract(s.page), frozenset(s.page.tags))
        for s in stored
        if is_hand_labelled(s)
    ]


NO_LABELS = (
    "no hand-labelled pages yet: add or remove a tag in a page's front matter, "
    f"or set `{CONFIRMED}: true` on a page whose tags are right"
)


def evaluate_pages(root: Path) -> str:
    """Precision/recall of the rules, per tag, on every hand-labelled page of the site."""
    labelled = hand_labelled(site_pages(root))
    if not labelled:
        return NO_LABELS
    tagger = _tagger(root)
    known, unknown = _known_tags(tagger, labelled)
    q = evaluate(tagger, _triples(known))
    left_out = _unknown_lines(unknown, len(labelled) - len(known), "pages' tags")
    return "\n".join([_quality_lines(q, len(known), "hand-labelled pages"), *left_out])


def suggest_rules(root: Path, tag: str | None) -> str:
    """Proposed rule changes per tag, from the hand-labelled pages (see ingest/tags/suggest.py)."""
    tagger = _tagger(root)
    stored = site_pages(root)
    labelled = hand_labelled(stored)
    names = [t.name for t in tagger.taxonomy.tags]
    tag = (
        tagger.taxonomy.renamed.get(tag, tag) if tag is not None else None
    )  # an earlier name, as --evaluate reads it
    if tag is not None and tag not in names:
        near = nearest_name(tag, names)
        hint = f"did you mean '{near}'? " if near else ""
        message = f"no tag named {tag!r}; {hint}tags: {', '.join(names)}"
        raise SiteError(Problem("content/taxonomy.yaml", 0, message))
    if not labelled:
        return NO_LABELS
    known, unknown = _known_tags(tagger, labelled)
    lines = [  # the pages proposals are fitted to: those not left out below
        f"{len(known)} hand-labelled pages. Proposals only. To accept one, in content/taxonomy.yaml:",
        "  add rule: paste the line under that tag's `rules:`, indented as the rules there;",
        "  remove: delete that tag's rule of that number (its first rule is 1);",
        f"then run `{command('ingest')}` and check with `{command('tags --evaluate')}`.",
    ]
    left_out = _unknown_lines(unknown, len(labelled) - len(known), "pages' tags")
    labelled, seen = known, examine(tagger, known)
    others = [s for s in stored if not is_hand_labelled(s)]  # what a proposal was not fitted to
    site = SitePages.of([(s.page.title, abstract(s.page), frozenset(s.page.tags)) for s in others])
    unvouched = []  # tags the rules miss that no unlabelled page has yet: no page vouches for a phrase
    on_site = {t for s in others for t in tagger.taxonomy.current_tags(s.page.tags)}
    ruled = {t.name: bool(t.rules) for t in tagger.taxonomy.tags}
    proposed = False
    for name in [tag] if tag else names:
        proposals = suggest(tagger, labelled, seen, name, site)
        proposed = proposed or any(p.kind != "hold" for p in proposals)  # "hold": a note, not a proposal
        if proposals:
            lines.append(f"{name}:")
            if not ruled[name]:  # nothing to paste under: say where the line goes
                lines.append(f"  ({name} has no `rules:` yet: add `rules:` under its `name: {name}` first)")
            lines += [p.line() for p in proposals]
        elif name not in on_site and any(
            name in p.tags and name not in s.got for p, s in zip(labelled, seen, strict=True)
        ):
            unvouched.append(name)
    if not proposed:
        lines.append(
            "nothing to propose: no phrase does better than the rules on the hand-labelled pages "
            "(or too few of them to tell)"
        )
    lines += [
        f"{name}: no page but the labelled ones has it yet, so no other page can vouch for a phrase "
        "they share (only one no other page uses is proposed); tag more of its papers by hand"
        for name in unvouched
    ]
    return "\n".join([*lines, *left_out])


def _quality_lines(q: Quality, n: int, what: str) -> str:
    # No tag given (or labelled) at all: the micro figure is no figure, not 1.000.
    given = any(p is not None for p, _, _ in q.per_tag.values())
    labelled = any(r is not None for _, r, _ in q.per_tag.values())
    precision = f"{q.precision:.3f}" if given else "–"
    recall = f"{q.recall:.3f}" if labelled else "–"
    lines = [f"{n} {what}: precision {precision}, recall {recall} (micro)"]
    unseen = [tag for tag, (p, r, _) in q.per_tag.items() if p is None and r is None]
    width = max([14, *(len(tag) for tag in q.per_tag)])  # columns in line for any tag name
    lines += [
        f"  {tag:<{width}} P {shown_figure(p):>4}  R {shown_figure(r):>4}  ({m} labelled)"
        for tag, (p, r, m) in q.per_tag.items()
        if tag not in unseen
    ]
    if unseen:
        lines.append(f"  not on any labelled page, by hand or by the rules: {', '.join(unseen)}")
    lines += [_disagreement(title, set(wanted), set(got)) for title, wanted, got in q.misses]
    return "\n".join(lines)


def _disagreement(title: str, wanted: set[str], got: set[str]) -> str:
    """A labelled paper the rules tag otherwise: the tags they miss and the ones they add."""
    shown = title if len(title) <= 70 else title[:69] + "…"
    said = [f"missed {', '.join(sorted(wanted - got))}" if wanted - got else ""]
    said += [f"added {', '.join(sorted(got - wanted))}" if got - wanted else ""]
    return f"  {shown}: " + "; ".join(part for part in said if part)


def _label_ok(item: object) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("title"), str):
        return False
    tags = item.get("tags")  # required: an entry without it is not "a paper with no tags"
    return isinstance(tags, list) and all(isinstance(t, str) for t in tags)


def evaluate_tags(root: Path, labels_path: Path) -> str:
    """Precision/recall of the taxonomy rules against a labelled YAML file of titles and tags.

    The file is `papers: [{title: ..., tags: [...]}]`; abstracts come from the site's pages.
    """
    tagger = _tagger(root)
    data, node = load_file(labels_path, pipe=True)  # `--evaluate <(…)` too
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
    stored = [s.page for s in site_pages(root)]
    # A page's earlier titles name it too (the dumps' title, kept as an alias when a person
    # retitled the page), as search and --explain read them; its title wins a clash.
    pages = {title_key(alias): page for page in stored for alias in page.aliases}
    pages |= {title_key(page.title): page for page in stored}
    taxonomy = tagger.taxonomy
    known = {t.name for t in taxonomy.tags} | set(taxonomy.renamed)
    labelled: list[Labelled] = []
    for i, item in enumerate(items):
        # A title no page has, or a misspelt tag, is a mistake in the file, said at its line:
        # dropped quietly, a misspelt tag made the paper an example of no tag at all, and the
        # figures came out 1.000 (a reviewer).
        page = pages.get(title_key(str(item["title"])))
        if page is None:
            line = key_line(node, "papers", i, "title")
            problems.append(
                Problem(str(labels_path), line, f"{item['title']!r} is no page's title in content/papers")
            )
        for j, tag in enumerate(item["tags"]):
            if tag not in known:
                near = nearest_tag(tag, taxonomy)
                hint = f"; did you mean '{near}'?" if near else ""
                line = key_line(node, "papers", i, "tags", j)  # the tag's own line, in a block list
                problems.append(
                    Problem(str(labels_path), line, f"tag {tag!r} is not in content/taxonomy.yaml{hint}")
                )
        if page is not None:
            labelled.append(Labelled(page.title, abstract(page), frozenset(item["tags"])))
    if problems:
        raise SiteError(problems)
    labelled, _ = _known_tags(tagger, labelled)
    q = evaluate(tagger, _triples(labelled))
    return _quality_lines(q, len(labelled), "labelled papers")


def _known_tags(tagger: Tagger, labelled: list[Labelled]) -> tuple[list[Labelled], Counter[str]]:
    """The labelled pages whose tags are all the taxonomy's (an earlier name read as its
    tag's), and how often each other tag was given. A page with another tag is not scored:
    misspelt (`reasonning`, `Inference`), it meant a tag the rules then gave "wrongly", and
    reasoning's precision fell from 0.93 to 0.72 over four such pages (a reviewer); renamed
    or removed without an earlier name, it is a label the rules cannot be held to."""
    taxonomy = tagger.taxonomy
    names = frozenset(t.name for t in taxonomy.tags)
    labelled = [replace(p, tags=frozenset(taxonomy.current_tags(tuple(sorted(p.tags))))) for p in labelled]
    unknown: Counter[str] = Counter(t for p in labelled for t in p.tags if t not in names)
    return [p for p in labelled if taxonomy.knows(p.tags)], unknown


def _triples(labelled: list[Labelled]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(title, abstract, tags) as `evaluate` takes them."""
    return [(p.title, p.abstract, tuple(sorted(p.tags))) for p in labelled]


def _unknown_lines(unknown: Counter[str], left_out: int, where: str) -> list[str]:
    if not unknown:
        return []
    named = ", ".join(f"{tag} ({n})" for tag, n in sorted(unknown.items()))
    return [
        f"  not scored: {left_out} labelled page(s) with tags not in the taxonomy: {named}; "
        f"misspelt, renamed or removed? fix the {where}"
    ]

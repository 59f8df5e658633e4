"""What `ingest` prints when it is done: counts, merges by reason, what was written, which
tags pages gained and lost, how the rules fare on pages tagged by hand. Apart from the
recipe (`pipeline.py`), which it only reads the result of; `serve` prints it too."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING

from site_builder.core.hints import command
from site_builder.core.pages.problems import UNTAGGED

if TYPE_CHECKING:
    from site_builder.ingest.merge import PageUpdate
    from site_builder.ingest.pipeline import IngestResult


def _tag_changes(result: IngestResult, verbose: bool) -> list[str]:
    """Which tags pages gained and lost (a rule or the taxonomy changed): a curator sees what
    an edit did to the site, not only how many pages it wrote."""
    moved = [u for u in result.updates if u.gained or u.lost]
    if not moved:
        return []
    counts: Counter[tuple[str, str]] = Counter()  # (tag, "+" or "−"), or ("old → new", "") → pages
    changes = {u.filename: _page_tag_changes(u, result.renamed) for u in moved}
    for change in changes.values():
        counts.update(change)
    shown = ", ".join(f"{tag} {sign}{n}" for (tag, sign), n in sorted(counts.items()))
    lines = [f"tags changed on {len(moved)} page(s): {shown}" + ("" if verbose else " (`-v` names them)")]
    if verbose:
        lines += [
            f"  content/papers/{name}: " + " ".join(f"{sign}{tag}" for tag, sign in change)
            for name, change in sorted(changes.items())
        ]
    return lines


def _page_tag_changes(update: PageUpdate, renamed: Mapping[str, str]) -> list[tuple[str, str]]:
    """A page's tag changes as (tag, "+") and (tag, "−"), and ("old → new", "") for a tag the
    taxonomy renamed: a rename read as one tag lost and another gained (a reviewer)."""
    pairs = {old: new for old in update.lost if (new := renamed.get(old)) in update.gained}
    return [
        *((f"{old} → {new}", "") for old, new in pairs.items()),
        *((t, "+") for t in update.gained if t not in pairs.values()),
        *((t, "−") for t in update.lost if t not in pairs),
    ]


def _labelled_lines(result: IngestResult) -> list[str]:
    """How the rules fare on the pages tagged by hand (corrections teach only if someone sees
    them, in CI's log too), counted as `tags --evaluate` scores them: a page with a tag the
    taxonomy lacks is named apart, not counted as the rules disagreeing (a reviewer)."""
    labelled = [u for u in result.updates if u.agrees is not None]
    if not labelled:
        return []
    scored = [u for u in labelled if u.filename not in result.labelled_apart]
    apart = len(labelled) - len(scored)
    agreed = sum(bool(u.agrees) for u in scored)
    of = f"the {len(scored)} scored" if apart else "them"
    aside = f"; {apart} with tags not in the taxonomy are not scored (listed above)" if apart else ""
    said = f"the rules give {agreed} of {of} the same tags{aside}"  # "0 of the 0 scored": none
    said = said if scored else f"none scored: {apart} with tags not in the taxonomy (listed above)"
    return [
        f"labelled examples: {len(labelled)} page(s) tagged by hand (of those the dumps list); {said} "
        f"(`{command('tags --evaluate')}` scores every labelled page, `{command('tags --suggest')}` "
        "proposes rule changes)"
    ]


def _upgrade_lines(result: IngestResult, changed: set[str]) -> list[str]:
    """Why an upgrade's first ingest rewrites every page a release before `generated: dates`
    wrote: a diff over every committed page said only `pages: N written`."""
    recorded = sum(1 for u in result.updates if u.recorded and u.filename in changed)
    if not recorded:
        return []
    verb = "would record" if result.check else "now record"
    return [
        f"upgrade: {recorded} page(s) an earlier site_builder wrote {verb} their listing dates "
        "(`dates:` in `generated:`), once; commit them with the upgrade"
    ]


SHOWN_RETITLED = 3  # without `-v`: a first import merges many titles, a daily run a few


def _retitled_lines(result: IngestResult, verbose: bool) -> list[str]:
    """The titles this run merged into a page that held none of them: said only as "merged:
    1 retitled", a false merge (a benchmark and its "-v2" listed with the old abstract) took
    the older paper off the site without a word a person would read."""
    if not result.retitled:
        return []
    pages = len({name for name, _, _ in result.retitled})
    shown = result.retitled if verbose else result.retitled[:SHOWN_RETITLED]
    more = len(result.retitled) - len(shown)
    return [
        f"merged under another title: {pages} page(s) took in a listing under another title; if it "
        "is another paper, list that title under `not_same_as:` in the page (docs/living-site.md)",
        *(f"  content/papers/{name}: {other!r} → {title!r}" for name, other, title in shown),
        *([f"  … and {more} more (`-v` names them)"] if more else []),
    ]


def format_summary(result: IngestResult, verbose: bool = False) -> list[str]:
    """The lines `ingest` prints: counts, merges by reason, what was written."""
    d = result.dedupe
    papers = len(d.papers) if d else 0
    lines = [f"{result.files} dump file(s), {result.entries} entries → {papers} unique papers"]
    if not result.files and not result.updates and not result.untouched:
        lines.append("content/sources/ holds no dump: add the listings' *.txt files there, then ingest again")
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
    lines += _retitled_lines(result, verbose)
    changed = set(result.changed)  # a set: this line was O(N²) at 50,000 pages
    new = sum(1 for u in result.updates if u.is_new and u.filename in changed)
    verb = "would change" if result.check else "written"
    unchanged = len(result.updates) - len(result.changed)
    drafts = f", {result.drafts} draft(s) (`build` leaves them out)" if result.drafts else ""
    lines.append(f"pages: {len(result.changed)} {verb} ({new} new), {unchanged} unchanged{drafts}")
    lines += _upgrade_lines(result, changed)
    if result.untouched:
        shown = "" if verbose else " (`-v` names them)"
        lines.append(
            f"left alone: {len(result.untouched)} page(s) not found in any dump{shown}; "
            "they stay on the site until you delete them"
        )
        if verbose:  # a dump removed or fixed leaves its pages: a person decides what goes
            lines += [f"  content/papers/{name}" for name in sorted(result.untouched)]
    lines += _tag_changes(result, verbose)
    lines += _labelled_lines(result)
    listed = sum(1 for p in result.problems if p.message.startswith(UNTAGGED))
    if result.untagged:
        check = f"`{command('check')}` lists them"
        written = "it would write" if result.check else "written now"  # --check writes nothing
        which = f"the {listed} {written} listed above; {check} all" if listed else check
        shown = "listed above" if listed >= result.untagged else which
        lines.append(f"untagged: {result.untagged} page(s) without a tag ({shown})")
    warnings = sum(1 for p in result.problems if p.severity == "warning")
    errors = len(result.problems) - warnings
    if warnings or errors:
        lines.append(f"problems: {errors} error(s), {warnings} warning(s) (listed above)")
    if verbose:
        lines.append("timings: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in result.timings.items()))
    return lines

"""What a build did, as `build` prints it: counts, size, what was left out, warnings and
the stages' times."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.core.errors import Problem

if TYPE_CHECKING:
    from site_builder.build.load import Dated


@dataclass
class BuildReport:
    """What a build did: counts, size, warnings and how long each stage took."""

    out: Path
    papers: int = 0
    drafts: int = 0  # pages with `draft: true` left out
    ahead: tuple[Dated, ...] = ()  # pages left out until their day (`--future` builds them)
    html_pages: int = 0
    tags: int = 0
    feeds: int = 0
    files: int = 0
    bytes: int = 0
    reused: int = 0  # files carried over unchanged from the previous build
    related_scored: int = 0  # papers whose related links were computed (the rest kept theirs)
    related_corrected: int = 0  # papers whose related candidates were corrected instead
    unchanged: bool = False  # nothing to write: the output already was this site
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    def summary(self, verbose: bool = False) -> list[str]:
        cached = " (unchanged)" if self.unchanged else f" ({self.reused} unchanged)" if self.reused else ""
        lines = [
            f"built {self.papers} papers{_left_out(self.drafts)} into {self.out}: "
            f"{self.html_pages} HTML pages, "
            f"{self.tags} tags, {self.feeds} feeds, {self.files} files{cached}, {_size(self.bytes)} "
            f"in {self.seconds:.2f} s"
        ]
        if self.ahead:
            lines.append(_waiting(self.ahead))
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s)")
        if verbose:
            lines += [f"  {stage:<8} {secs:8.3f} s" for stage, secs in self.timings.items()]
            corrected = self.related_corrected
            more = f" ({corrected} more corrected from their kept candidates)" if corrected else ""
            lines.append(f"  related papers scored for {self.related_scored} of {self.papers} papers{more}")
        return lines


def _left_out(drafts: int) -> str:
    """What the summary says of the drafts left out (nothing when none were)."""
    if not drafts:
        return ""
    many = drafts > 1
    return f" ({drafts} draft{'s' if many else ''} left out: `--drafts` builds {'them' if many else 'it'})"


def _waiting(ahead: tuple[Dated, ...]) -> str:
    """What the summary says of the pages dated ahead: the first few, with their days."""
    named = ", ".join(f"{label} ({day.isoformat()})" for label, day in ahead[:3])
    more = f" and {len(ahead) - 3} more" if len(ahead) > 3 else ""
    said = f"{len(ahead)} page(s) dated after today left out until their day"
    return f"{said}: {named}{more} (`--future` builds them)"


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.1f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"

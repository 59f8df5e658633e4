"""The plain data passed between pipeline stages.

sources → Entry; dedupe → Paper; tagging fills Paper.tags; pages → content/papers/*.md;
build loads those files back as Page.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, order=True)
class ListingDate:
    """A listing date as the dumps give it: month and day, no year (we never invent one)."""

    month: int  # 1..12
    day: int  # 1..31

    def __str__(self) -> str:
        return f"{MONTHS[self.month - 1]} {self.day}"

    @classmethod
    def parse(cls, text: str) -> ListingDate | None:
        """`"Mar 12"` → ListingDate(3, 12); anything else → None."""
        parts = text.split()
        if len(parts) != 2 or not parts[1].isdigit():
            return None
        name = parts[0][:3].title()
        if name not in MONTHS:
            return None
        day = int(parts[1])
        return cls(MONTHS.index(name) + 1, day) if 1 <= day <= 31 else None


@dataclass(frozen=True, order=True)
class Source:
    """Where one occurrence of a paper was read: dump file (relative to content/sources), line."""

    file: str
    line: int
    listed: str = ""  # "Mar 12", or "" when the dump had no listing date


@dataclass(frozen=True)
class Entry:
    """One title/abstract pair read from a dump."""

    title: str
    abstract: str
    source: Source


@dataclass(frozen=True)
class Paper:
    """One unique paper after deduplication."""

    title: str
    abstract: str
    sources: tuple[Source, ...]
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """A paper page as stored in content/papers/<slug>.md: what `build` renders."""

    slug: str
    title: str
    body: str  # the abstract (Markdown), possibly edited by hand
    tags: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    links: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # front-matter keys a person added

    @property
    def listed(self) -> tuple[ListingDate, ...]:
        """Distinct listing dates, newest first."""
        dates = {d for s in self.sources if (d := listing_date(s.listed))}
        return tuple(sorted(dates, reverse=True))

    @property
    def newest(self) -> ListingDate | None:
        return newest_date(self.sources)


@functools.lru_cache(maxsize=4096)
def listing_date(text: str) -> ListingDate | None:
    """`ListingDate.parse`, remembered: a site has a few hundred distinct listing dates."""
    return ListingDate.parse(text)


def newest_date(sources: Iterable[Source]) -> ListingDate | None:
    """The newest listing date among the sources (None when none is dated)."""
    return max((d for s in sources if (d := listing_date(s.listed))), default=None)

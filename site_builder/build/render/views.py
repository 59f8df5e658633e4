"""What templates are given besides the pages: links to papers, a paper page's neighbours,
tags as lists show them (render/html.py passes them to the templates; build/jobs.py makes the
paper views)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from site_builder.build.layout import paper_path
from site_builder.core.model import Page


class Ref(NamedTuple):
    """A link to a paper: enough to show its title. (Tuples: a site has tens of thousands.)"""

    slug: str
    title: str

    @property
    def url(self) -> str:
        return paper_path(self.slug)


class PaperView(NamedTuple):
    """A paper page with its neighbours: what the paper template needs besides the page."""

    page: Page
    related: tuple[Ref, ...] = ()
    prev: Ref | None = None
    next: Ref | None = None
    file: str = ""  # the page's file from the site's folder: where "Edit this page" leads


@dataclass(frozen=True)
class TagLink:
    """What `tag_of(name)` gives a template: a tag's name, title and page, not its count (a
    list showing every tag's count would change whenever any paper is added)."""

    name: str
    title: str
    url: str
    slug: str = ""  # its file name under tags/, safe in a URL and an attribute: what filters name it by


@dataclass(frozen=True)
class TagChip:
    """A tag at the top of a day or week page: the tag and how many of the page's papers carry it."""

    tag: TagLink
    count: int

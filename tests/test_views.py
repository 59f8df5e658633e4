"""The shape of the site: order, pagination, tag files and relative roots."""

from __future__ import annotations

import pytest

from site_builder.build.layout import (
    PathOf,
    build_tags,
    cloud_sizes,
    listing_order,
    paginate,
    root_for,
    tag_path,
)
from site_builder.core.model import Page, Source
from site_builder.core.taxonomy import TagDef, Taxonomy


def page(slug: str, *sources: tuple[str, int, str], tags: tuple[str, ...] = ()) -> Page:
    return Page(slug, slug.title(), "body", tags, (), tuple(Source(*s) for s in sources))


@pytest.mark.parametrize(
    ("path", "root"),
    [
        ("index.html", ""),
        ("page/2.html", "../"),
        ("papers/x.html", "../"),
        ("tags/a/page/3.html", "../../../"),
    ],
)
def test_root_for(path: str, root: str) -> None:
    assert root_for(path) == root


def test_listing_order_newest_first_then_dump_order_then_undated() -> None:
    pages = [
        page("undated"),
        page("b-old", ("a.txt", 3, "2025-03-01")),
        page("z-new-late", ("b.txt", 9, "2025-03-12")),
        page("a-new-early", ("b.txt", 2, "2025-03-12")),
        page("relisted", ("a.txt", 1, "2025-03-01"), ("c.txt", 5, "2025-03-12")),
        page("next-year", ("d.txt", 1, "2026-01-03")),
        page("yearless", ("e.txt", 1, "--12-31")),
    ]
    assert [p.slug for p in listing_order(pages)] == [
        "next-year",  # Jan 3 of the next year comes before every March of this one
        "a-new-early",
        "z-new-late",
        "relisted",
        "b-old",
        "undated",
        "yearless",  # a date without its year (a page not yet re-ingested) counts as undated
    ]


def test_pages_are_numbered_from_the_oldest_and_the_front_holds_the_newest() -> None:
    pages = [page(f"p{i}") for i in range(11)]  # p0 is the newest
    listings = paginate(pages, 3, PathOf("home"))
    assert [
        (lst.number, lst.path, [p.slug for p in lst.pages], lst.newer, lst.older) for lst in listings
    ] == [
        (0, "index.html", ["p0", "p1", "p2", "p3", "p4"], None, "page/2.html"),
        (2, "page/2.html", ["p5", "p6", "p7"], "index.html", "page/1.html"),
        (1, "page/1.html", ["p8", "p9", "p10"], "page/2.html", None),
    ]
    assert paginate([], 3, PathOf("tag", "x"))[0].path == "tags/x.html"
    assert tag_path("x", 2) == "tags/x/page/2.html"


@pytest.mark.parametrize("total", [0, 1, 5, 6, 7, 20, 101])
def test_the_front_page_holds_between_one_and_two_pages_of_papers(total: int) -> None:
    listings = paginate([page(f"p{i}") for i in range(total)], 5, PathOf("home"))
    front = listings[0]
    assert front.number == 0 and (5 <= len(front.pages) <= 9 or len(front.pages) == total)
    assert all(len(lst.pages) == 5 for lst in listings[1:])
    assert sum(len(lst.pages) for lst in listings) == total


def test_a_new_paper_leaves_every_numbered_page_as_it_was() -> None:
    before = paginate([page(f"old{i}") for i in range(23)], 5, PathOf("home"))
    after = paginate([page("new"), *[page(f"old{i}") for i in range(23)]], 5, PathOf("home"))
    assert before[1:] == after[1:]  # 24 papers: the front grows from 8 to 9, nothing else moves
    grown = paginate(
        [page(f"n{i}") for i in range(2)] + [page(f"old{i}") for i in range(23)], 5, PathOf("home")
    )
    assert [lst.path for lst in grown] == [
        "index.html",
        "page/4.html",
        "page/3.html",
        "page/2.html",
        "page/1.html",
    ]
    # 25 papers: a new page 4 takes the front's oldest five; the old pages keep their papers,
    # and only page 3 changes at all — its "newer" link now points at page 4, not the front.
    assert [lst.pages for lst in grown[2:]] == [lst.pages for lst in before[1:]]
    assert grown[3:] == before[2:]
    assert (before[1].newer, grown[2].newer) == ("index.html", "page/4.html")


def test_tags_from_pages_get_safe_unique_file_names() -> None:
    taxonomy = Taxonomy(
        (TagDef("agents", "Agents", "Acting."), TagDef("index", "Index", ""), TagDef("empty", "E", ""))
    )
    pages = [
        page(
            "a", tags=("agents", "Machine Learning", "machine-learning", "../../etc", "日本", "index", "ünï")
        ),
    ]
    tags, members, problems = build_tags(pages, taxonomy, {"a": "content/papers/a.md"})
    files = {t.name: t.file_slug for t in tags}
    assert files["agents"] == "agents"
    assert files["machine-learning"] == "machine-learning"
    assert files["Machine Learning"] == "machine-learning-2"
    assert files["../../etc"] == "etc"
    assert files["日本"].startswith("tag-")
    assert files["ünï"] == "uni"  # folded as paper slugs are (it was `n`)
    assert files["index"] == "index-tag"  # tags/index.html is the tag index
    assert len(set(files.values())) == len(files)
    assert {t.name: t.count for t in tags}["empty"] == 0
    assert members["agents"] == pages
    assert [p.message.split(" is not")[0] for p in problems] == [
        "tag '../../etc'",
        "tag 'Machine Learning'",
        "tag 'machine-learning'",
        "tag 'ünï'",
        "tag '日本'",
    ]
    assert all(p.severity == "warning" and p.path == "content/papers/a.md" for p in problems)


def test_cloud_sizes_span_one_to_five() -> None:
    taxonomy = Taxonomy(())
    pages = [page(f"p{i}", tags=("big",) if i else ("big", "small")) for i in range(40)]
    tags, _, _ = build_tags(pages, taxonomy)
    assert cloud_sizes(tags) == {"big": 5, "small": 1}

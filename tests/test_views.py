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
from site_builder.config import TagDef, Taxonomy
from site_builder.model import Page, Source


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
        page("b-old", ("a.txt", 3, "Mar 1")),
        page("z-new-late", ("b.txt", 9, "Mar 12")),
        page("a-new-early", ("b.txt", 2, "Mar 12")),
        page("relisted", ("a.txt", 1, "Mar 1"), ("c.txt", 5, "Mar 12")),
    ]
    assert [p.slug for p in listing_order(pages)] == [
        "a-new-early",
        "z-new-late",
        "relisted",
        "b-old",
        "undated",
    ]


def test_pagination() -> None:
    pages = [page(f"p{i}") for i in range(7)]
    listings = paginate(pages, 3, PathOf("home"))
    assert [(lst.number, lst.path, len(lst.pages)) for lst in listings] == [
        (1, "index.html", 3),
        (2, "page/2.html", 3),
        (3, "page/3.html", 1),
    ]
    assert paginate([], 3, PathOf("tag", "x"))[0].path == "tags/x.html"
    assert tag_path("x", 2) == "tags/x/page/2.html"


def test_pager_window() -> None:
    pages = [page(f"p{i}") for i in range(100)]
    listing = paginate(pages, 5, PathOf("home"))[9]
    assert listing.window() == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert paginate(pages, 50, PathOf("home"))[0].window() == [1, 2]


def test_tags_from_pages_get_safe_unique_file_names() -> None:
    taxonomy = Taxonomy(
        (TagDef("agents", "Agents", "Acting."), TagDef("index", "Index", ""), TagDef("empty", "E", ""))
    )
    pages = [
        page("a", tags=("agents", "Machine Learning", "machine-learning", "../../etc", "日本", "index")),
    ]
    tags, members, problems = build_tags(pages, taxonomy, {"a": "content/papers/a.md"})
    files = {t.name: t.file_slug for t in tags}
    assert files["agents"] == "agents"
    assert files["machine-learning"] == "machine-learning"
    assert files["Machine Learning"] == "machine-learning-2"
    assert files["../../etc"] == "etc"
    assert files["日本"].startswith("tag-")
    assert files["index"] == "index-tag"  # tags/index.html is the tag index
    assert len(set(files.values())) == len(files)
    assert {t.name: t.count for t in tags}["empty"] == 0
    assert members["agents"] == pages
    assert [p.message.split(" is not")[0] for p in problems] == [
        "tag '../../etc'",
        "tag 'Machine Learning'",
        "tag 'machine-learning'",
        "tag '日本'",
    ]
    assert all(p.severity == "warning" and p.path == "content/papers/a.md" for p in problems)


def test_cloud_sizes_span_one_to_five() -> None:
    taxonomy = Taxonomy(())
    pages = [page(f"p{i}", tags=("big",) if i else ("big", "small")) for i in range(40)]
    tags, _, _ = build_tags(pages, taxonomy)
    assert cloud_sizes(tags) == {"big": 5, "small": 1}

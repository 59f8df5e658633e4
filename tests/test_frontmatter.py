"""core.pages.frontmatter: what it accepts it reads exactly as YAML does; anything else it declines."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.core.files import yamlfile
from site_builder.core.model import Page, Source
from site_builder.core.pages import frontmatter
from site_builder.core.pages.pagefile import read_pages
from site_builder.core.pages.pagewrite import front_matter, page_text

REPO = Path(__file__).resolve().parent.parent

# Values that YAML reads as something else, or not at all, next to ordinary ones.
TRICKY = [
    *["yes", "No", "on", "~", "null", "true", "1.5", "1e3", "0x1F", "012", "12:30", ".inf", "2025-02-31"],
    *["2025-9-3", "2025-03-12", "--03-12", "Mar 12", "a: b", "a:b", "a #b", "C#", "end:", "- x", "-x"],
    *["'quoted'", "it's", "'a''b'", "'broken", '"double"', "[x]", "{x}", "a, b", "a,b", "*ref", "&anchor"],
    *["!tag", "|", ">", "%x", "@x", "`x", "?x", "x ", " x", "x\ty", "Schrödinger", "日本語", "x\u2028y"],
    *["\u00a0x", "a\x85b", "<<", "=", "", "LLMs (2024)", "Qwen2.5: A Model", "Step-by-Step", "A/B"],
    *["...", "--- x", "...x", "a---", "\U0001ee67", "x ?", "?", "-", ": x", "a #", "#", "'"],
]
SCALAR = st.one_of(st.sampled_from(TRICKY), st.text(st.characters(codec="utf-8"), max_size=12))


def page_of(
    title: str,
    tags: list[str],
    aliases: list[str],
    links: list[str],
    sources: tuple[Source, ...],
    authors: list[str] | None = None,
) -> Page:
    return Page(
        authors=tuple(authors or ()),
        title=title,
        slug="a-slug",
        tags=tuple(tags),
        aliases=tuple(aliases),
        links=tuple(links),
        sources=sources,
        body="Abstract.",
    )


def assert_same_as_yaml(text: str) -> None:
    fast = frontmatter.parse(text.split("\n"))
    if fast is None:
        return  # declined: YAML decides, errors included
    assert fast == yamlfile.parse(text), text
    assert list(fast) == list(yamlfile.parse(text))  # keys in the file's order too


@settings(max_examples=400)
@given(
    title=SCALAR,
    slug=SCALAR,
    tags=st.lists(SCALAR, max_size=3),
    aliases=st.lists(SCALAR, max_size=2),
    file=SCALAR,
    line=st.sampled_from(["7", "0", "012", "1_000", "x", "-1"]),
    listed=SCALAR,
    authors=st.lists(SCALAR, max_size=3),
)
def test_hand_mangled_front_matter_is_read_as_yaml_reads_it_or_declined(
    title: str,
    slug: str,
    tags: list[str],
    aliases: list[str],
    file: str,
    line: str,
    listed: str,
    authors: list[str],
) -> None:
    lines = [
        f"title: {title}",
        f"authors: [{', '.join(authors)}]",
        f"slug: {slug}",
        f"tags: [{', '.join(tags)}]",
    ]
    if aliases:
        lines += ["aliases:", *(f"- {a}" for a in aliases)]
    lines += ["sources:", f"- {{file: {file}, line: {line}, listed: {listed}}}"]
    record = f"title: {title}, body: {slug}, tags: [{', '.join(tags)}]"
    lines.append(
        f"generated: {{{record}, dates: {listed}, authors: {file}}}"
        if authors
        else f"generated: {{{record}}}"
    )
    assert_same_as_yaml("\n".join(lines))


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=300)
@given(
    title=st.one_of(st.sampled_from(TRICKY), TEXT),
    tags=st.lists(st.sampled_from(["agents", "fine-tuning", "moe", "yes", "Data"]), max_size=3, unique=True),
    aliases=st.lists(TEXT, max_size=2),
    links=st.lists(st.sampled_from(["https://github.com/a/b", "https://x.org/a?b=c#d"]), max_size=2),
    listed=st.one_of(
        st.dates(datetime.date(1990, 1, 1), datetime.date(2100, 1, 1)).map(str), st.just("--03-12")
    ),
    authors=st.lists(st.one_of(st.sampled_from(TRICKY), TEXT), max_size=3),
)
def test_pages_ingest_writes_are_read_fast_and_as_yaml_reads_them(
    title: str, tags: list[str], aliases: list[str], links: list[str], listed: str, authors: list[str]
) -> None:
    sources = (Source("00001_dump.txt", 12, listed), Source("b.txt", 3, ""))
    page = page_of(title, tags, aliases, links, sources, authors)
    generated = {"title": "7f387ec64e14", "body": "0123456789ab", "tags": list(tags)}
    text = page_text(page, generated | ({"authors": "a0b1c2d3e4f5"} if authors else {}))
    front = text.split("---\n")[1]
    assert_same_as_yaml(front.rstrip("\n"))


def test_the_bundled_pages_are_all_read_fast() -> None:
    """Every page ingest wrote here takes the fast path (the point of it), and agrees with YAML."""
    pages = sorted((REPO / "content" / "papers").glob("*.md"))
    declined = []
    for path in pages:
        lines = path.read_text(encoding="utf-8").split("\n")
        end = lines.index("---", 1)
        fast = frontmatter.parse(lines[1:end])
        if fast is None:
            declined.append(path.name)
        else:
            assert fast == yamlfile.parse("\n".join(lines[1:end])), path.name
    assert len(pages) > 300 and len(declined) <= len(pages) // 20, declined


def test_what_it_does_not_know_it_declines() -> None:
    for text in [
        "title: A\nnotes: mine",  # a person's key
        "title: A\n# a comment",
        "title: A\n\nslug: b",  # a blank line
        "title: A\ntitle: B",  # a key twice: YAML reports it
        'title: "double quoted"',
        "title: >\n  folded",
        "aliases:\nslug: b",  # a list key with nothing under it (null)
        "sources:\n- {file: a.txt, line: 1, listed: 2025-02-31}",  # not a real date
        "  title: indented",
    ]:
        assert frontmatter.parse(text.split("\n")) is None, text


# --- writing ------------------------------------------------------------------------------


def assert_written_as_yaml_writes(meta: dict[str, Any]) -> bool:
    """`write` gives YAML's bytes or declines; True when it wrote."""
    fast = frontmatter.write(meta)
    if fast is None:
        return False
    assert fast == yamlfile.dump(meta), meta
    return True


@settings(max_examples=400)
@given(
    title=SCALAR,
    tags=st.lists(SCALAR, max_size=3),
    aliases=st.lists(SCALAR, max_size=2),
    links=st.lists(SCALAR, max_size=2),
    file=SCALAR,
    listed=st.one_of(SCALAR, st.dates().map(str)),
    hashes=st.tuples(SCALAR, SCALAR),
    authors=st.lists(SCALAR, max_size=3),
)
def test_pages_are_written_as_yaml_writes_them_or_left_to_yaml(
    title: str,
    tags: list[str],
    aliases: list[str],
    links: list[str],
    file: str,
    listed: str,
    hashes: tuple[str, str],
    authors: list[str],
) -> None:
    sources = (Source(file, 12, listed), Source("b.txt", 0, "2025-03-12"))
    page = page_of(title, tags, aliases, links, sources, authors)
    record = {"title": hashes[0], "body": hashes[1], "tags": tags} | (
        {"authors": hashes[0]} if authors else {}
    )
    assert_written_as_yaml_writes(front_matter(page, record))


def test_the_bundled_pages_are_all_written_fast_and_byte_for_byte() -> None:
    pages, _ = read_pages(REPO / "content" / "papers")
    assert len(pages) > 300
    for stored in pages:
        meta = front_matter(stored.page, stored.generated)
        assert assert_written_as_yaml_writes(meta), stored.path.name
        assert page_text(stored.page, stored.generated) == stored.text, stored.path.name


def test_what_it_cannot_be_sure_of_it_leaves_to_yaml() -> None:
    page = Page(title="T", slug="t", tags=(), sources=(Source("a.txt", 1, "2025-03-12"),), body="")
    generated = {"title": "x", "body": "y", "tags": []}
    assert assert_written_as_yaml_writes(front_matter(page, generated))
    for changed in [
        replace(page, extra={"notes": "mine"}),  # a person's key
        replace(page, title="-x"),  # plain for YAML's emitter; not a case this module decides
        replace(page, title="line\nbreak"),
        replace(page, title=" padded"),
        replace(page, sources=()),
    ]:
        assert frontmatter.write(front_matter(changed, generated)) is None, changed
    assert frontmatter.write({"title": "T", "tags": ["a"]}) is None  # a block list, not [a]

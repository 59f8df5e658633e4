"""A person's front-matter comments, put back into the text ingest writes (core/pages/comments.py)."""

from __future__ import annotations

from site_builder.core.pages.comments import carried, found_in
from site_builder.core.pages.pagefile import split


def test_comments_are_found_by_the_key_they_stand_above_or_beside() -> None:
    lines = [
        "# first",
        "title: 'A # in quotes is the title'",
        "slug: a-paper  # keep",
        "  # inside a block, above the next key",
        "tags: [a]",
        "# last",
    ]
    found = found_in(lines)
    assert found.above == {
        "title": ["# first"],
        "tags": ["# inside a block, above the next key"],
        None: ["# last"],
    }
    assert found.beside == {"slug": "# keep"}


def test_a_comment_goes_back_where_it_stood() -> None:
    was = "---\n# mine\ntitle: Old\nslug: s  # do not change\ntags: [a]\n# end\n---\nBody.\n"
    text = "---\ntitle: New\nslug: s\ntags: [a, b]\n---\nBody.\n"
    assert (
        carried(text, was)
        == "---\n# mine\ntitle: New\nslug: s  # do not change\ntags: [a, b]\n# end\n---\nBody.\n"
    )
    assert carried(text, text) == text  # nothing to carry


def test_a_comment_a_value_cannot_keep_beside_it_goes_above_its_key() -> None:
    """Beside the first line of a value written on two lines, a comment would end the value."""
    was = "---\ntitle: Old  # from the dump\n---\n"
    text = "---\ntitle: a title written\n  on two lines\n---\n"
    out = carried(text, was)
    assert out == "---\n# from the dump\ntitle: a title written\n  on two lines\n---\n"
    assert split(out, "") == split(text, "")


def test_a_persons_own_key_keeps_its_comments_once() -> None:
    was = "---\ntitle: T\nnotes: x  # mine\n# after notes\n---\n"
    text = "---\ntitle: U\nnotes: x  # mine\n# after notes\n---\n"
    assert carried(text, was) == text


def test_a_comment_beside_a_list_item_stays_beside_it() -> None:
    """`- {file: …, listed: 2024-03-13}  # the dump says Mar 14`, where a curator explains a
    corrected date, was dropped when the page was written again (a reviewer)."""
    item = "- {file: a.txt, line: 3, listed: 2024-03-13}"
    was = (
        f"---\ntitle: Old\nsources:\n{item}  # the dump says Mar 14\nlinks:\n- https://x.org/y  # code\n---\n"
    )
    text = f"---\ntitle: New\nsources:\n{item}\n- {{file: b.txt, line: 5, listed: 2024-03-20}}\n---\n"
    assert carried(text, was) == (
        f"---\ntitle: New\nsources:\n{item}  # the dump says Mar 14\n"
        "- {file: b.txt, line: 5, listed: 2024-03-20}\n# code\n---\n"  # its item gone: kept, at its key
    )


def test_a_repeated_comment_stays_where_a_known_key_had_it() -> None:
    """The copy a person's own key carries is the later one: the one above `title:` stays."""
    was = "---\n# TODO\ntitle: Old\nnotes: x\n# TODO\n---\n"
    text = "---\ntitle: New\nnotes: x\n# TODO\n---\n"
    assert carried(text, was) == "---\n# TODO\ntitle: New\nnotes: x\n# TODO\n---\n"

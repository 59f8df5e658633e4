"""A site's template overrides against the theme they extend (build/overrides/blocks.py): a
block that shows nothing is named by build and check, at the site's own file."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_site, read_dom

from site_builder.build.overrides.blocks import override_problems
from site_builder.build.render.theme import PACKAGE_THEME, find_theme
from site_builder.cli import main

BUNDLED = PACKAGE_THEME / "templates"

# What a base.html made from an earlier theme, without `{% block head %}`, gets said of it.
NO_HEAD = (
    "themes/default/templates/base.html: warning: has no {% block head %}, which the bundled "
    "paper.html, search.html fill: what they put there is left out of their pages; add "
    "{% block head %}{% endblock %} to this file, where the bundled base.html has it (line 37)"
)


def _override(root: Path, name: str, text: str) -> None:
    path = root / "themes" / "default" / "templates" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _site_with_old_base(tmp_path: Path) -> Path:
    """The fixture site with its own base.html, the bundled one less `{% block head %}`, as
    a base.html copied from a theme before that block was added would be."""
    root = copy_site(tmp_path / "site")
    base = (BUNDLED / "base.html").read_text()
    assert base.splitlines()[36] == "{% block head %}{% endblock %}"
    _override(root, "base.html", base.replace("{% block head %}{% endblock %}\n", "", 1))
    return root


def test_a_base_without_a_block_the_bundled_pages_fill_is_named_by_build_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The search page lost its stylesheet, and every paper page its citation and Open Graph
    tags, with nothing said by build or check ("site OK")."""
    root = _site_with_old_base(tmp_path)
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 0
    assert NO_HEAD in capsys.readouterr().err.splitlines()
    # What the warning is about: the page a reader gets has no stylesheet for the search form.
    styles = [
        n.attrs.get("href", "")
        for n in read_dom(root / "_site" / "search.html").find_all("link", rel="stylesheet")
    ]
    assert styles and not [href for href in styles if "search.css" in href]
    assert main(["--root", str(root), "build"]) == 0  # nothing to make: still said
    assert NO_HEAD in capsys.readouterr().err.splitlines()
    assert main(["--root", str(root), "check"]) == 0  # a warning: the site is whole, if plainer
    assert NO_HEAD in capsys.readouterr().err.splitlines()


def test_a_block_the_base_has_not_is_named_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A paper.html override filling `{% block sidebar %}`, which no base.html has (one an
    earlier theme had, say): its aside was on no page, and nothing said so."""
    root = copy_site(tmp_path / "site")
    paper = (BUNDLED / "paper.html").read_text()
    _override(
        root, "paper.html", paper + "{% block sidebar %}\n<aside>Our reading group</aside>\n{% endblock %}\n"
    )
    line = paper.count("\n") + 1
    expected = (
        f"themes/default/templates/paper.html:{line}: warning: {{% block sidebar %}} is in no "
        "template paper.html extends (base.html), so nothing in it is shown on any page; the "
        "blocks there are content, head, scripts: is it a block an earlier theme had, or one renamed since?"
    )
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 0
    assert expected in capsys.readouterr().err.splitlines()
    assert not any("Our reading group" in p.read_text() for p in (root / "_site" / "papers").glob("*.html"))
    assert main(["--root", str(root), "check"]) == 0
    assert expected in capsys.readouterr().err.splitlines()


def test_the_site_s_own_base_and_paper_both_lacking_the_block_are_told_the_fix(tmp_path: Path) -> None:
    root = _site_with_old_base(tmp_path)
    _override(root, "paper.html", (BUNDLED / "paper.html").read_text())
    said = [p.format() for p in override_problems(find_theme(root), root)]
    assert said == [
        "themes/default/templates/paper.html:2: warning: {% block head %} is in no template paper.html "
        "extends (base.html), so nothing in it is shown on any page; the blocks there are content, "
        "scripts: add {% block head %}{% endblock %} to your base.html, where the bundled one has it (line 37)",
        NO_HEAD.replace(
            "paper.html, search.html fill: what they put", "search.html fills: what it puts"
        ).replace("of their pages", "of its pages"),
    ]


def test_a_copy_of_every_bundled_template_is_whole(tmp_path: Path) -> None:
    """The bundled theme copied whole into a site, as docs/theming.md suggests for one file:
    no block of it is unshown (the check has nothing to say of a theme that works)."""
    root = tmp_path / "site"
    for path in sorted(BUNDLED.rglob("*.html")):
        _override(root, path.relative_to(BUNDLED).as_posix(), path.read_text())
    assert override_problems(find_theme(root), root) == []


def test_check_fails_on_an_override_the_next_build_stops_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A template edited after the last build into one that does not parse: check said
    "site OK" of the site built before it, and the next build (CI's) stopped."""
    root = copy_site(tmp_path / "site")
    assert main(["--root", str(root), "build"]) == 0
    _override(root, "tags.html", '{% extends "base.html" %}\n{% block content %}\n{% if %}\n{% endblock %}\n')
    capsys.readouterr()
    assert main(["--root", str(root), "check"]) == 1
    said = capsys.readouterr()
    assert (
        "themes/default/templates/tags.html:3: error: template syntax: Expected an expression, "
        "got 'end of statement block'"
    ) in said.err.splitlines()
    assert "check failed" in said.out + said.err


# The 2026-12-02 release's base.html and paper.html, as `git show 5af8453a:…` gives them.
OLD_TEMPLATES = Path(__file__).parent / "data" / "upgrade" / "2026-12-02-templates"
NO_READING = (
    "themes/default/templates/base.html: warning: does not load the theme's reading.js, which "
    "the bundled base.html loads (line 36): pages made from this file lose what it does (the "
    "reader's own layer, kept in this browser's localStorage: saved papers (with export and "
    'import as JSON, and a list shared as a link, on saved.html), read marks, "new since your '
    'last visit" marks, the copy-citation button); add '
    '`<script src="{{ root }}{{ asset("reading.js") }}" defer></script>` where the bundled '
    f"base.html has it, and compare this file with the bundled base.html, {BUNDLED / 'base.html'}, "
    "which your copy came from"
)
NO_NOTES_HEADING = (
    'themes/default/templates/paper.html: warning: has no element with id="notes-heading", which '
    'the bundled paper.html has (line 89: `<h2 id="notes-heading">Notes</h2>`): links to '
    "#notes-heading from other pages (_noted_item.html, _paper_item.html) land at the top of the "
    "page, not at that element, and `check` fails at each; compare this file with the bundled "
    f"paper.html, {BUNDLED / 'paper.html'}, which your copy came from, and keep the element"
)


def _site_with_old_copies(tmp_path: Path) -> Path:
    """The fixture site (a paper of it has notes) keeping its edited copies of the 2026-12-02
    base.html and paper.html, as a site made then would after an upgrade."""
    root = copy_site(tmp_path / "site")
    base = (OLD_TEMPLATES / "base.html").read_text()
    assert "· Built with site_builder" in base
    _override(root, "base.html", base.replace("· Built with site_builder", "· Our reading group, Fridays"))
    paper = (OLD_TEMPLATES / "paper.html").read_text()
    _override(root, "paper.html", _retitled(paper))
    return root


def _retitled(paper: str) -> str:
    """A paper.html with its sources heading reworded, as a person edits a copy."""
    edited = paper.replace(">Sources</h2>", ">Where it was listed</h2>")
    assert edited != paper
    return edited


def test_old_copies_of_base_and_paper_are_named_with_what_readers_lose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """They built without a word while no page loaded reading.js (saved list, read marks,
    notes gone), and check blamed a link on another page; now build and check name each file."""
    root = _site_with_old_copies(tmp_path)
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 0
    said = capsys.readouterr().err.splitlines()
    assert NO_READING in said and NO_NOTES_HEADING in said
    # What the warnings are about: the paper with notes loads no reading.js and has no notes.
    page = read_dom(root / "_site" / "papers" / "how-well-do-judges-judge.html")
    assert not [s for s in page.find_all("script") if "reading.js" in s.attrs.get("src", "")]
    assert not page.find_all(id="notes-heading")
    assert main(["--root", str(root), "check"]) == 1
    said = capsys.readouterr().err.splitlines()
    assert NO_READING in said and NO_NOTES_HEADING in said
    anchors = [line for line in said if "no element with id 'notes-heading'" in line]
    assert anchors and all(
        line.endswith(
            "; the site's own themes/default/templates/paper.html has no such element, which the "
            "bundled one has (see its warning)"
        )
        for line in anchors
    )


def test_a_site_without_overrides_is_told_nothing_of_its_templates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_site(tmp_path / "site")
    assert override_problems(find_theme(root), root) == []
    capsys.readouterr()
    assert main(["--root", str(root), "build"]) == 0
    assert "themes/default/templates" not in capsys.readouterr().err


def test_an_override_keeping_the_scripts_and_ids_is_told_nothing(tmp_path: Path) -> None:
    """Edited, its footer changed and the theme's script tags moved into a partial of its own:
    every page still loads them, so there is nothing to say."""
    root = tmp_path / "site"
    base = (BUNDLED / "base.html").read_text()
    tags = '<script src="{{ root }}{{ asset("search.js") }}" defer></script>\n'
    tags += '<script src="{{ root }}{{ asset("reading.js") }}" defer></script>\n'
    assert tags in base
    base = base.replace(tags, '{% include "_scripts.html" %}\n').replace("Built with", "Made with")
    assert "Made with" in base
    _override(root, "base.html", base)
    _override(root, "_scripts.html", tags)
    paper = (BUNDLED / "paper.html").read_text()
    _override(root, "paper.html", _retitled(paper))
    assert override_problems(find_theme(root), root) == []

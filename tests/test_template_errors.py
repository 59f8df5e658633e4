"""Template mistakes, the bundled theme's or an override's: reported at their place."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from test_render import CONFIG, TAGS

from site_builder.build.render import Renderer
from site_builder.build.template_errors import template_problem
from site_builder.build.theme import find_theme


def test_template_typos_fail_with_their_place(tmp_path: Path) -> None:
    templates = tmp_path / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "tags.html").write_text("line one\n{{ tagz }}\n")
    with pytest.raises(jinja2.UndefinedError) as caught:
        Renderer(CONFIG, find_theme(tmp_path), TAGS).tag_index(TAGS)
    problem = template_problem(caught.value)
    assert (problem.path, problem.line, problem.message) == (
        str(templates / "tags.html"),
        2,
        "template error: 'tagz' is undefined",
    )
    (templates / "tags.html").write_text("{% if %}")
    with pytest.raises(jinja2.TemplateSyntaxError) as syntax:
        Renderer(CONFIG, find_theme(tmp_path), TAGS).tag_index(TAGS)
    assert template_problem(syntax.value).line == 1


def test_a_missing_include_is_named_where_it_is_included(tmp_path: Path) -> None:
    """`{% include "missing.html" %}` said only `themes/default/templates: template not
    found: missing.html`, not which template asked for it."""
    templates = tmp_path / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "tags.html").write_text("one\ntwo\n{% include 'missing.html' %}\n")
    with pytest.raises(jinja2.TemplateNotFound) as caught:
        Renderer(CONFIG, find_theme(tmp_path), TAGS).tag_index(TAGS)
    problem = template_problem(caught.value)
    assert (problem.path, problem.line, problem.message) == (
        str(templates / "tags.html"),
        3,
        "template not found: missing.html",
    )

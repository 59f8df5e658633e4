"""Template mistakes, the bundled theme's or an override's: reported at their place."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from test_render import CONFIG, TAGS

from site_builder.build.render.html import Renderer
from site_builder.build.render.template_errors import template_problem
from site_builder.build.render.theme import find_theme


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("line one\n{{ tagz }}\n", 2, "template error: 'tagz' is undefined"),
        ("{% if %}", 1, "template syntax: Expected an expression, got 'end of statement block'"),
        # It said only `themes/default/templates: template not found`, not who asked for it.
        ("one\ntwo\n{% include 'missing.html' %}\n", 3, "template not found: missing.html"),
    ],
)
def test_a_template_mistake_is_named_at_its_place(tmp_path: Path, text: str, line: int, message: str) -> None:
    templates = tmp_path / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "tags.html").write_text(text)
    with pytest.raises(jinja2.TemplateError) as caught:
        Renderer(CONFIG, find_theme(tmp_path), TAGS).tag_index(TAGS)
    problem = template_problem(caught.value)
    assert problem is not None
    assert (problem.path, problem.line, problem.message) == (str(templates / "tags.html"), line, message)


@pytest.mark.parametrize(
    "text",
    [
        "{% if 1 %}" * 100 + "x" + "{% endif %}" * 100,  # Python's limit on the code Jinja2 makes
        "{{ " + "(" * 400 + "1" + ")" * 400 + " }}",  # the parser's recursion
    ],
)
def test_a_template_nested_too_deeply_is_named(tmp_path: Path, text: str) -> None:
    """A hundred nested `{% if %}` in an override stopped the build with a traceback (a
    fuzzer's find): IndentationError from Python, or RecursionError from Jinja2's parser."""
    templates = tmp_path / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "tags.html").write_text(text)
    with pytest.raises((SyntaxError, RecursionError)) as caught:
        Renderer(CONFIG, find_theme(tmp_path), TAGS).tag_index(TAGS)
    problem = template_problem(caught.value)
    assert problem is not None
    assert (problem.path, problem.line) == (str(templates / "tags.html"), 0)
    assert problem.message.startswith("template syntax: blocks or expressions nested too deeply")


def test_a_template_that_includes_itself_is_named_at_its_line(tmp_path: Path) -> None:
    templates = tmp_path / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "tags.html").write_text("one\n{% include 'tags.html' %}\n")
    with pytest.raises(RecursionError) as caught:
        Renderer(CONFIG, find_theme(tmp_path), TAGS).tag_index(TAGS)
    problem = template_problem(caught.value)
    assert problem is not None
    assert (problem.path, problem.line) == (str(templates / "tags.html"), 2)
    assert problem.message == "template error: it includes or calls itself without end"


def test_a_template_file_not_in_utf8_is_named(tmp_path: Path) -> None:
    """An override saved in Windows-1252 (`café`): named, with the page it was making."""
    templates = tmp_path / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "tags.html").write_bytes(b"<p>caf\xe9</p>\n")
    with pytest.raises(UnicodeDecodeError) as caught:
        Renderer(CONFIG, find_theme(tmp_path), TAGS).tag_index(TAGS)
    problem = template_problem(caught.value)
    assert problem is not None
    assert (problem.path, problem.line) == (str(templates / "tags.html"), 0)
    assert problem.message == "template file is not UTF-8 text (invalid continuation byte)"

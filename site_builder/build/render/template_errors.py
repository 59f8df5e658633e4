"""A mistake in a template — the bundled theme's or a site's override — as a message at
its place (`themes/default/templates/paper.html:13: template error: …`), never a traceback:
the build reports it and keeps the previous site."""

from __future__ import annotations

import jinja2

from site_builder.core.errors import Problem

MAKING = "while making "  # the note a page's failed rendering carries (jobs.render_batch)
TOO_DEEP = "template syntax: blocks or expressions nested too deeply to compile (about 90 levels at most)"
TEMPLATE_SUFFIXES = (".html", ".xml", ".j2")


def template_problem(err: BaseException) -> Problem | None:
    """A template mistake as `template:line: message`: bad syntax, a typo under
    StrictUndefined, and any error raised while a template runs (`"%d" % text`, an include
    of itself without end, a file that is not UTF-8). None when no template is to blame:
    the error is the tool's own, and is not hidden."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return Problem(err.filename or err.name or "template", err.lineno, f"template syntax: {err.message}")
    if (compiling := _compiling(err)) is not None:
        return Problem(compiling, 0, TOO_DEEP)
    place, line, blamed = "template", 0, isinstance(err, jinja2.TemplateError)
    if isinstance(err, jinja2.TemplateNotFound):  # named by the template that includes it, if any
        place = "themes/default/templates"
    tb = err.__traceback__
    while tb is not None:  # Jinja2 rewrites frames to point into the templates: take the innermost
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(TEMPLATE_SUFFIXES):
            place, line, blamed = name, tb.tb_lineno, True
        elif isinstance(err, UnicodeDecodeError) and isinstance(tb.tb_frame.f_locals.get("filename"), str):
            place, line, blamed = tb.tb_frame.f_locals["filename"], 0, True  # the loader's file
        tb = tb.tb_next
    if not blamed:
        return None
    if isinstance(err, jinja2.TemplateNotFound):
        message = f"template not found: {err.name}"
    elif isinstance(err, jinja2.TemplateError):
        message = f"template error: {err.message or err}"
    elif isinstance(err, RecursionError):
        message = "template error: it includes or calls itself without end"
    elif isinstance(err, UnicodeDecodeError):
        message = f"template file is not UTF-8 text ({err.reason})"
    else:
        message = f"template error: {type(err).__name__}: {err}"
    # Which page it was making: a mistake that one page's data trips (a key it lacks).
    made = [note for note in getattr(err, "__notes__", ()) if note.startswith(MAKING)]
    return Problem(place, line, f"{message} ({made[0]})" if made else message)


def _compiling(err: BaseException) -> str | None:
    """The template Jinja2 was reading or compiling when it ran out of nesting: Python's
    own limit on the code it makes (100 blocks deep: an IndentationError in the template's
    name) or the parser's recursion (300 brackets deep). A hundred nested `{% if %}` in a
    theme override stopped the build with a traceback (a fuzzer's find)."""
    if isinstance(err, SyntaxError) and (err.filename or "").endswith(TEMPLATE_SUFFIXES):
        return err.filename
    if not isinstance(err, RecursionError):
        return None
    tb, found = err.__traceback__, None
    while tb is not None:  # the outermost Jinja2 step that names the file: `_parse`, `compile`
        code, local = tb.tb_frame.f_code, tb.tb_frame.f_locals
        if found is None and code.co_filename.endswith("environment.py") and "jinja2" in code.co_filename:
            name = local.get("filename")
            found = name if isinstance(name, str) and name.endswith(TEMPLATE_SUFFIXES) else None
        tb = tb.tb_next
    return found

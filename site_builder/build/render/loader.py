"""The theme's templates as Jinja2 loads them: only the files `Theme.templates` lists.

Apart from theme.py, which a build with nothing to make also reads: Jinja2 is imported only
where pages are made.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2


class TemplateFiles(jinja2.BaseLoader):
    """The theme's templates by name (`Theme.templates`): only the files the theme lists,
    never whatever a path under its folders leads to (a symlink out of the site)."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.files.get(template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        filename = str(path)  # named so: template_errors finds a file that is not UTF-8 by it
        return path.read_text(encoding="utf-8"), filename, lambda: True  # auto_reload is off

    def list_templates(self) -> list[str]:
        return sorted(self.files)

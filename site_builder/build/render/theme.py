"""Where templates and static files come from: the bundled theme, overlaid by the site's own.

The default theme ships inside the package (`site_builder/themes/default/`), lunr.min.js
included, so an installed tool needs nothing else. A site overrides any file of it by
putting a file with the same relative path under `ROOT/themes/default/templates/` or
`ROOT/themes/default/static/`: files there win, the rest come from the bundled theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from site_builder.core.errors import Problem
from site_builder.core.files.content_files import files_in
from site_builder.core.runtime.hashing import digest

PACKAGE_THEME = Path(__file__).resolve().parents[2] / "themes" / "default"


@dataclass(frozen=True)
class Theme:
    """Where templates and static files are looked up, first match wins."""

    template_dirs: tuple[Path, ...]
    static_dirs: tuple[Path, ...]
    # Every template (relative name → file), the site's overriding the bundled ones, and why
    # any of the site's was left out: `find_theme` reads them as static files are read.
    templates: dict[str, Path] = field(default_factory=dict)
    template_problems: tuple[Problem, ...] = ()

    def static_files(self, root: Path | None = None) -> tuple[dict[str, Path], list[Problem]]:
        """Every static file (relative path → file), the site's own overriding the bundled ones,
        and why any of the site's was left out."""
        return overlaid(self.static_dirs, root)

    def templates_digest(self) -> str:
        """A hash of every template the theme could use (static files do not reach the pages),
        by name: a site or tool moved to another folder renders the same pages."""
        return digest(*[part for name, path in self.templates.items() for part in (name, path.read_bytes())])


def overlaid(folders: tuple[Path, ...], root: Path | None) -> tuple[dict[str, Path], list[Problem]]:
    """The files of the folders (relative path → file), the first folder's winning, and why
    any of the site's own were left out.

    The site's files are taken as content is (core/files/content_files.py): no leftovers,
    devices or symlinks out of the site (`root`), which would be published; each left out
    is said. A template linked to /etc/passwd was built into every page (a fuzzer's find),
    where the same link among static files was refused."""
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for folder in reversed(folders):
        if root is not None and not folder.is_relative_to(PACKAGE_THEME):
            paths, left_out = files_in(folder, root, "")
            problems += left_out
        else:
            paths = [p for p in sorted(folder.rglob("*")) if p.is_file()]
        for path in paths:
            found[path.relative_to(folder).as_posix()] = path
    return dict(sorted(found.items())), problems


def find_theme(root: Path) -> Theme:
    """The bundled theme, overlaid by ROOT/themes/default/ when the site has one."""
    bases = [PACKAGE_THEME]
    local = (root / "themes" / "default").resolve()
    if local.is_dir() and local != PACKAGE_THEME:
        bases.insert(0, local)
    template_dirs = tuple(b / "templates" for b in bases if (b / "templates").is_dir())
    templates, problems = overlaid(template_dirs, root)
    return Theme(
        template_dirs,
        tuple(b / "static" for b in bases if (b / "static").is_dir()),
        templates,
        tuple(problems),
    )

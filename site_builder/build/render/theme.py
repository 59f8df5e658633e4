"""Where templates and static files come from: the bundled theme, overlaid by the site's own.

The default theme ships inside the package (`site_builder/themes/default/`), lunr.min.js
included, so an installed tool needs nothing else. A site overrides any file of it by
putting a file with the same relative path under `ROOT/themes/default/templates/` or
`ROOT/themes/default/static/`: files there win, the rest come from the bundled theme.
"""

from __future__ import annotations

from dataclasses import dataclass
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

    def static_files(self, root: Path | None = None) -> tuple[dict[str, Path], list[Problem]]:
        """Every static file (relative path → file), the site's own overriding the bundled ones,
        and why any of the site's was left out.

        The site's files are taken as content is (core/files/content_files.py): no leftovers, devices or
        symlinks out of the site (`root`), which would be published; each left out is said."""
        found: dict[str, Path] = {}
        problems: list[Problem] = []
        for folder in reversed(self.static_dirs):
            if root is not None and folder != PACKAGE_THEME / "static":
                paths, left_out = files_in(folder, root, "")
                problems += left_out
            else:
                paths = [p for p in sorted(folder.rglob("*")) if p.is_file()]
            for path in paths:
                found[path.relative_to(folder).as_posix()] = path
        return dict(sorted(found.items())), problems

    def templates_digest(self) -> str:
        """A hash of every template the theme could use (static files do not reach the pages)."""
        files = sorted({p for d in self.template_dirs for p in d.rglob("*") if p.is_file()})
        return digest(*[part for path in files for part in (str(path), path.read_bytes())])


def find_theme(root: Path) -> Theme:
    """The bundled theme, overlaid by ROOT/themes/default/ when the site has one."""
    bases = [PACKAGE_THEME]
    local = (root / "themes" / "default").resolve()
    if local.is_dir() and local != PACKAGE_THEME:
        bases.insert(0, local)
    return Theme(
        tuple(b / "templates" for b in bases if (b / "templates").is_dir()),
        tuple(b / "static" for b in bases if (b / "static").is_dir()),
    )

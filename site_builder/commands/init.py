"""`site-builder init DIR`: a new, empty site with the default taxonomy and settings."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_builder.errors import Problem, SiteError

DEFAULTS = Path(__file__).resolve().parent.parent / "site_template"


def init_site(target: Path) -> list[str]:
    """Create DIR/content/{sources,papers,taxonomy.yaml,site.yaml}; refuse to touch an existing site."""
    content = target / "content"
    if content.exists():
        raise SiteError(Problem(str(content), 0, "a site already exists here; nothing was changed"))
    if target.exists() and not target.is_dir():
        raise SiteError(Problem(str(target), 0, "exists and is not a folder"))
    (content / "sources").mkdir(parents=True)
    (content / "papers").mkdir()
    for name in ("taxonomy.yaml", "site.yaml"):
        shutil.copyfile(DEFAULTS / name, content / name)
    return [
        f"created a new site in {target}",
        f"  put listing dumps (*.txt) in {content / 'sources'}",
        f"  then run: site-builder --root {target} ingest && site-builder --root {target} build",
    ]

"""The same corpus as a Hugo site, for `make bench`'s side-by-side figures.

Hugo (the Debian package) renders what the site_builder theme renders in kind, with the
minimal theme in bench/hugo_theme/: one page per paper (title, tags, abstract as
Markdown, previous/next), tag pages and a tag index with counts, a paginated home page
with the same page size and a tag cloud, RSS feeds (site and per tag, as many entries as
our Atom feeds), sitemap and robots.txt. Related papers and search are not rendered:
Hugo has no equivalent of either without extra tooling.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from site_builder.core.config import SiteConfig
from site_builder.core.model import Page

THEMES_DIR = Path(__file__).resolve().parent  # holds hugo_theme/
THEME = "hugo_theme"
YEAR = 2024  # Hugo wants full dates to order pages; a leap year takes every "Feb 29"


def find_or_install(program: str, package: str) -> str | None:
    """Path of `program`, installing Debian's `package` with apt-get when missing and allowed."""
    found = shutil.which(program)
    if found or os.environ.get("BENCH_NO_INSTALL"):
        return found
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return None
    print(f"bench: {program} not found; installing the Debian package {package!r}", flush=True)
    if not _apt("install", "-y", "-qq", package):
        _apt("update", "-qq")
        _apt("install", "-y", "-qq", package)
    return shutil.which(program)


def _apt(*args: str) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(["apt-get", *args], env=env, capture_output=True, check=False)
    return done.returncode == 0


def hugo_version(hugo: str) -> str:
    out = subprocess.run([hugo, "version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"v\d+\.\d+\.\d+\S*", out)
    return match.group(0) if match else out.strip()


def config_text(config: SiteConfig) -> str:
    """config.toml: ugly, relative URLs like ours; same page size and feed length."""
    return "\n".join(
        [
            f"baseURL = {json.dumps(config.base_url or 'https://example.org/')}",
            f"title = {json.dumps(config.title)}",
            'languageCode = "en"',
            f'theme = "{THEME}"',
            "uglyURLs = true",
            "relativeURLs = true",
            "enableRobotsTXT = true",
            f"paginate = {config.per_page}",  # Hugo < 0.128
            f"rssLimit = {config.feed_size}",
            "[pagination]",  # Hugo >= 0.128
            f"  pagerSize = {config.per_page}",
            "[services.rss]",
            f"  limit = {config.feed_size}",
            "[taxonomies]",
            '  tag = "tags"',
            "",
        ]
    )


def page_date(page: Page) -> str:
    """The newest listing date, as a full date in YEAR (Hugo sorts by it, newest first)."""
    newest = page.newest
    return date(YEAR, newest.month, newest.day).isoformat() if newest else f"{YEAR}-01-01"


def page_text(page: Page) -> str:
    """A content file: JSON front matter (no quoting pitfalls), then the abstract."""
    meta = {"title": page.title, "slug": page.slug, "tags": list(page.tags), "date": page_date(page)}
    return json.dumps(meta, ensure_ascii=False) + "\n\n" + page.body.strip() + "\n"


def write_site(pages: Sequence[Page], config: SiteConfig, site_dir: Path) -> None:
    """A Hugo site folder holding `pages` under content/papers/."""
    papers = site_dir / "content" / "papers"
    papers.mkdir(parents=True, exist_ok=True)
    (site_dir / "config.toml").write_text(config_text(config), encoding="utf-8")
    for page in pages:
        (papers / f"{page.slug}.md").write_text(page_text(page), encoding="utf-8")


def build_command(hugo: str, site_dir: Path, destination: Path, cache_dir: Path) -> list[str]:
    """A cold build: fresh destination and cache folders, the theme straight from bench/."""
    return [
        hugo,
        "--source",
        str(site_dir),
        "--destination",
        str(destination),
        "--cacheDir",
        str(cache_dir),
        "--themesDir",
        str(THEMES_DIR),
        "--quiet",
    ]

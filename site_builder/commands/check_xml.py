"""`check`'s reading of the site's XML: feeds and sitemap well-formed, and pointing at pages.

Every sitemap URL (in every file its index names) and every feed entry must be a page
that exists, and every HTML page but the unlisted ones must be in the sitemap.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

from site_builder.build.feeds import SITEMAP, SITEMAP_URLS
from site_builder.build.jobs import UNLISTED_PATHS
from site_builder.core.errors import Problem

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def xml_problems(out: Path, xml_files: list[str], base: str, html: set[str]) -> list[Problem]:
    """What is wrong with the XML files (site paths) of the site in `out`; `base`: its
    base_url as its home page gives it; `html`: its HTML pages."""
    problems: list[Problem] = []
    docs: dict[str, ET.Element] = {}
    for rel in xml_files:
        path = out / rel
        try:
            docs[rel] = ET.parse(path).getroot()
        except ET.ParseError as err:
            problems.append(Problem(str(path), err.position[0], f"not well-formed XML: {err}"))
    problems += _check_sitemap(out, docs, base, html)
    for rel, root in sorted(docs.items()):
        if root.tag == f"{ATOM}feed":
            problems += _check_feed(out, rel, root, base)
    return problems


def local_path(base: str, url: str) -> str | None:
    """The site path of an absolute URL under base_url (`index.html` for the base itself)."""
    if not base or not url.startswith(base):
        return None
    rest = unquote(url[len(base) :])
    return rest or "index.html"


def _check_sitemap(out: Path, docs: dict[str, ET.Element], base: str, html: set[str]) -> list[Problem]:
    """Every URL of the sitemap (or of every file its index names) is a page of the site,
    no file holds more than the protocol allows, and every page but the unlisted is there."""
    if SITEMAP not in docs:
        return []
    problems: list[Problem] = []
    listed: set[str] = set()
    files = [SITEMAP]
    if docs[SITEMAP].tag == f"{SITEMAP_NS}sitemapindex":
        files = []
        for loc in docs[SITEMAP].iter(f"{SITEMAP_NS}loc"):
            url = (loc.text or "").strip()
            rel = local_path(base, url)
            if rel is None or rel not in docs or "/" in rel:
                message = f"{url}: not a sitemap file at the site's root"
                problems.append(Problem(str(out / SITEMAP), 0, message))
            else:
                files.append(rel)
    for name in files:
        urls = [(loc.text or "").strip() for loc in docs[name].iter(f"{SITEMAP_NS}loc")]
        if len(urls) > SITEMAP_URLS:
            problems.append(Problem(str(out / name), 0, f"{len(urls)} URLs, more than {SITEMAP_URLS} a file"))
        for url in urls:
            rel = local_path(base, url)
            if rel is None or not (out / rel).is_file():
                problems.append(Problem(str(out / name), 0, f"{url}: no such page in the site"))
            else:
                listed.add(rel)
    for rel in sorted(html - listed - UNLISTED_PATHS):
        problems.append(Problem(str(out / SITEMAP), 0, f"{rel} is not listed"))
    return problems


def _check_feed(out: Path, rel: str, root: ET.Element, base: str) -> list[Problem]:
    where = str(out / rel)
    problems: list[Problem] = []
    if not (root.findtext(f"{ATOM}updated") or "").strip():
        problems.append(Problem(where, 0, "the feed has no <updated> date (Atom requires one)"))
    ids: set[str] = set()
    for entry in root.iter(f"{ATOM}entry"):
        entry_id = entry.findtext(f"{ATOM}id") or ""
        if not entry_id or entry_id in ids:
            problems.append(Problem(where, 0, f"entry id {entry_id!r} is missing or repeated"))
        ids.add(entry_id)
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        href = link.get("href", "") if link is not None else ""
        target = local_path(base, href)
        if target is None or not (out / target).is_file():
            problems.append(Problem(where, 0, f"entry link {href!r} is not a page of this site"))
    return problems

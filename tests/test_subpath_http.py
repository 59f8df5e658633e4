"""The bundled site served under /some-repo/, as GitHub Pages serves a project site:
every page, asset, feed link and the search files answer 200 over HTTP."""

import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import served_under_subpath

from site_builder.build.pipeline import build_site

ROOT = Path(__file__).parent.parent
BASE_URL = "https://user.github.io/some-repo/"
ATOM = "{http://www.w3.org/2005/Atom}"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.links.append(value)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    out = tmp_path_factory.mktemp("pages") / "_site"
    build_site(ROOT, out=out, base_url=BASE_URL)
    with served_under_subpath(out) as url:
        yield out, url


def test_every_link_and_asset_resolves_under_the_subpath(served: tuple[Path, str]) -> None:
    site, url = served
    targets: set[str] = set()
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        page_url = url + page.relative_to(site).as_posix()
        assert _status(page_url) == 200, page_url
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            absolute = urljoin(page_url, link)
            if absolute.startswith(BASE_URL):  # canonical and Open Graph URLs
                absolute = url + absolute[len(BASE_URL) :]
            if urlsplit(absolute).netloc == urlsplit(url).netloc:
                targets.add(absolute.split("#", 1)[0].split("?", 1)[0])
    assert len(pages) > 400
    broken = sorted(t for t in targets if _status(t) != 200)
    assert broken == []
    assert all(t.startswith(url) for t in targets)


def test_feed_and_sitemap_links_point_at_pages_that_exist(served: tuple[Path, str]) -> None:
    site, url = served
    feeds = [site / "feed.xml", *sorted((site / "tags").glob("*.xml"))]
    links = [link.get("href", "") for feed in feeds for link in ET.parse(feed).getroot().iter(f"{ATOM}link")]
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    links += [loc.text or "" for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert links and all(link.startswith(BASE_URL) for link in links)
    for link in sorted(set(links)):
        assert _status(url + link[len(BASE_URL) :]) == 200, link


def test_search_files_are_served(served: tuple[Path, str]) -> None:
    site, url = served
    for path in ["assets/search.js", "assets/lunr.min.js", "assets/search-index.js"]:
        assert _status(url + path) == 200, path
    shards = sorted((site / "assets" / "search").glob("*.js"))
    assert shards and all(_status(url + s.relative_to(site).as_posix()) == 200 for s in shards)

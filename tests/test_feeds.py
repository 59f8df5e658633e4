"""Atom feeds, sitemap and robots.txt: well-formed whatever the content, stable ids, no clock."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from dataclasses import replace

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.build import feeds
from site_builder.build.feeds import SITEMAP, atom_feed, entry_id, robots, sitemaps, xml_text
from site_builder.build.layout import Tag
from site_builder.core.config import SiteConfig
from site_builder.core.model import Page, Source

ATOM = "{http://www.w3.org/2005/Atom}"
sm = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CONFIG = SiteConfig(title="Feeds & <Co>", base_url="https://example.org/r/", feed_size=2, year=2024)
TAGS = {"agents": Tag("agents", "agents", "Agents & Co", "", 1, True)}


def page(
    slug: str, listed: str = "2024-03-12", title: str = "T", body: str = "B", tags: tuple[str, ...] = ()
) -> Page:
    listings = listed.split() if listed else []
    return Page(slug, title, body, tags, (), tuple(Source("a.txt", n + 1, d) for n, d in enumerate(listings)))


def test_a_paper_s_entry_is_made_once_for_every_feed_it_is_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The site's feed and its tags' feeds share their entries (`made`): each paper's is made
    once, and every feed is the one made alone."""
    pages = [page("new", "2024-03-13", tags=("agents",)), page("old", "2024-03-02", tags=("agents",))]
    alone = [atom_feed(CONFIG, pages, TAGS), atom_feed(CONFIG, pages[1:], TAGS, path="tags/agents.xml")]
    made: list[str] = []
    entry = feeds._entry
    monkeypatch.setattr(
        feeds, "_entry", lambda config, p, *rest: made.append(p.slug) or entry(config, p, *rest)
    )
    shared: dict[str, str] = {}
    together = [
        atom_feed(CONFIG, pages, TAGS, made=shared),
        atom_feed(CONFIG, pages[1:], TAGS, path="tags/agents.xml", made=shared),
    ]
    assert together == alone
    assert made == ["new", "old"]


def test_an_entry_shows_its_listing_day_in_the_readers_time_zone() -> None:
    """Entries were timed at midnight UTC: a feed reader in New York showed a paper listed
    on Mar 13 as Mar 12, 8 pm, and every reader west of Greenwich saw each day's papers
    under the day before. At noon UTC the day holds from UTC-12 to UTC+11."""
    parsed = feedparser.parse(atom_feed(CONFIG, [page("new", "2024-03-13 2024-03-01")], TAGS))
    entry = parsed.entries[0]
    for field, day in (("published", datetime.date(2024, 3, 1)), ("updated", datetime.date(2024, 3, 13))):
        moment = datetime.datetime.fromisoformat(entry[field])
        for hours in range(-12, 12):
            local = moment.astimezone(datetime.timezone(datetime.timedelta(hours=hours)))
            assert local.date() == day, (field, hours, local)


def test_feed_fields() -> None:
    pages = [
        page("new", "2024-03-13 2024-03-01", tags=("agents", "unknown")),
        page("old", "2024-03-02"),
        page("oldest", "2024-02-01"),
    ]
    xml = atom_feed(CONFIG, pages, TAGS)
    root = ET.fromstring(xml)
    assert root.findtext(f"{ATOM}id") == "https://example.org/r/feed.xml"
    assert root.findtext(f"{ATOM}title") == "Feeds & <Co>"
    assert root.findtext(f"{ATOM}updated") == "2024-03-13T12:00:00Z"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.org/r/feed.xml"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "https://example.org/r/"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2  # feed_size
    first = entries[0]
    assert first.findtext(f"{ATOM}id") == entry_id("new")
    assert first.find(f"{ATOM}link").get("href") == "https://example.org/r/papers/new.html"
    assert first.findtext(f"{ATOM}updated") == "2024-03-13T12:00:00Z"
    assert first.findtext(f"{ATOM}published") == "2024-03-01T12:00:00Z"  # first listed
    assert [(c.get("term"), c.get("label")) for c in first.findall(f"{ATOM}category")] == [
        ("agents", "Agents & Co"),
        ("unknown", "unknown"),
    ]
    parsed = feedparser.parse(xml)
    assert not parsed.bozo and parsed.version == "atom10"


def test_an_entry_links_the_paper_on_arxiv_and_its_pdf_when_its_id_is_known() -> None:
    """A feed reader's user could not get the PDF in one click (a reviewer)."""
    # its id as an arXiv listing records it (a link), not one its abstract cites (the "unknown")
    known = replace(page("known"), links=("https://arxiv.org/abs/2401.01234v2",))
    pages = [known, page("unknown", "2024-03-11", body="We extend arXiv:2301.01234.")]
    parsed = feedparser.parse(atom_feed(CONFIG, pages, TAGS))
    assert not parsed.bozo
    known, unknown = parsed.entries
    assert [(link.rel, link.href) for link in known.links] == [
        ("alternate", "https://example.org/r/papers/known.html"),
        ("related", "https://arxiv.org/abs/2401.01234v2"),
        ("enclosure", "https://arxiv.org/pdf/2401.01234v2"),
    ]
    assert known.enclosures[0].type == "application/pdf"
    assert [link.rel for link in unknown.links] == ["alternate"]
    # A site that links no PDF (links_out in site.yaml) puts none in its feeds either.
    arxiv_only = SiteConfig(title="T", base_url="https://example.org/r/", links_out=("arxiv",))
    links = feedparser.parse(atom_feed(arxiv_only, pages[:1], TAGS)).entries[0].links
    assert [link.rel for link in links] == ["alternate", "related"]


def test_an_entry_summarises_the_abstract_without_the_readers_notes() -> None:
    body = "The abstract.\n\n## Notes\n\nRead for week 12, see [a link](https://example.org/x)."
    entry = ET.fromstring(atom_feed(CONFIG, [page("a", body=body)], TAGS)).find(f"{ATOM}entry")
    assert entry is not None and entry.findtext(f"{ATOM}summary") == "The abstract."


def test_the_feeds_author_is_the_site_unless_one_is_named() -> None:
    """Every entry inherits the feed's author, which readers show beside each paper: the
    default named this tool (`site_builder`), now the site's title."""

    def author(config: SiteConfig) -> str | None:
        return feedparser.parse(atom_feed(config, [page("a")], {})).feed.get("author")

    assert author(SiteConfig(title="Our Reading Group")) == "Our Reading Group"
    assert author(SiteConfig(title="Our Reading Group", author="Ada L.")) == "Ada L."


def test_dates_come_from_the_listings_and_undated_pages_stay_out() -> None:
    xml = atom_feed(SiteConfig(), [page("a", "2025-12-31"), page("b", ""), page("c", "--03-12")], {})
    root = ET.fromstring(xml)
    assert [e.findtext(f"{ATOM}id") for e in root.iter(f"{ATOM}entry")] == [entry_id("a")]
    assert {e.text for e in root.iter(f"{ATOM}updated")} == {"2025-12-31T12:00:00Z"}


def test_an_empty_feed_is_dated_by_the_site_or_else_the_epoch_never_the_clock() -> None:
    """A new site's feeds had no <updated>: invalid Atom (RFC 4287 4.1.1), and `check` passed them."""
    root = ET.fromstring(atom_feed(SiteConfig(), [], {}, site_updated=datetime.date(2026, 1, 2)))
    assert root.findtext(f"{ATOM}updated") == "2026-01-02T12:00:00Z"
    undated = atom_feed(SiteConfig(), [page("b", "")], {})
    assert ET.fromstring(undated).findtext(f"{ATOM}updated") == "1970-01-01T12:00:00Z"
    assert not feedparser.parse(undated).bozo


def test_a_feed_ends_with_a_whole_listing_day() -> None:
    """feed_size 50 held 50 of a day's 85 papers: a reader looking daily never saw 35."""
    pages = [
        page("a", "2024-03-13"),
        page("b", "2024-03-12"),
        page("c", "2024-03-12"),
        page("d", "2024-03-11"),
    ]
    ids = [
        e.findtext(f"{ATOM}id") for e in ET.fromstring(atom_feed(CONFIG, pages, TAGS)).iter(f"{ATOM}entry")
    ]
    assert ids == [entry_id("a"), entry_id("b"), entry_id("c")]  # feed_size 2, and the rest of the 12th
    assert feeds.feed_entries(pages, 1) == pages[:1]
    assert feeds.feed_entries(pages, 10) == pages
    assert feeds.feed_entries([page("u", ""), *pages], 0) == []
    # A big day is held whole (22 papers under feed_size 5 lost 2 to every reader, a
    # reviewer's month of days); an import of undated dumps, all one day, up to FEED_MOST.
    assert len(feeds.feed_entries([page(f"p{n}", "2024-03-12") for n in range(22)], 5)) == 22
    one_day = [page(f"p{n}", "2024-03-12") for n in range(feeds.FEED_MOST + 5)]
    assert len(feeds.feed_entries(one_day, 2)) == feeds.FEED_MOST


def test_entry_ids_depend_on_the_slug_only() -> None:
    assert entry_id("a-paper") == entry_id("a-paper") != entry_id("b-paper")
    one = ET.fromstring(atom_feed(CONFIG, [page("a-paper")], TAGS))
    moved = ET.fromstring(
        atom_feed(SiteConfig(base_url="https://elsewhere.net/"), [page("a-paper", title="New")], {})
    )
    assert one.find(f"{ATOM}entry").findtext(f"{ATOM}id") == moved.find(f"{ATOM}entry").findtext(f"{ATOM}id")
    assert entry_id("a-paper") == "urn:uuid:04e45d24-413a-5eed-9582-856305f57f59"  # never changes


HOSTILE = "<script>alert(1)</script> ]]> </title> & \"q\" 'a' \x00\x0b\x1b\ufffe {{ 7*7 }}"


def test_hostile_text_stays_text_in_feeds() -> None:
    xml = atom_feed(CONFIG, [page("h", title=HOSTILE, body=HOSTILE, tags=(HOSTILE,))], {})
    entry = ET.fromstring(xml).find(f"{ATOM}entry")
    clean = "<script>alert(1)</script> ]]> </title> & \"q\" 'a'  {{ 7*7 }}"
    assert entry.findtext(f"{ATOM}title") == clean
    assert entry.findtext(f"{ATOM}summary") == clean
    assert entry.find(f"{ATOM}category").get("term") == clean
    assert not feedparser.parse(xml).bozo


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_well_formed_xml(text: str) -> None:
    config = SiteConfig(title=text, description=text, author=text)
    ET.fromstring(atom_feed(config, [page("x", title=text, body=text, tags=(text,))], {}))
    ET.fromstring(f'<a b="{xml_text(text)}">{xml_text(text)}</a>')


def test_sitemap() -> None:
    day = datetime.date(2025, 3, 12)
    files = sitemaps(CONFIG, {"tags/index.html": day, "index.html": day, "papers/a&b.html": None})
    assert list(files) == [SITEMAP]
    root = ET.fromstring(files[SITEMAP])
    urls = [(u.findtext(f"{sm}loc"), u.findtext(f"{sm}lastmod")) for u in root]
    assert urls == [
        ("https://example.org/r/", "2025-03-12"),
        ("https://example.org/r/papers/a&b.html", None),
        ("https://example.org/r/tags/index.html", "2025-03-12"),
    ]


def test_a_sitemap_past_the_protocols_limit_is_an_index_of_files_at_the_root(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """sitemaps.org: at most 50,000 URLs a file, and a file lists only URLs at or below its
    own folder (here, two URLs a file)."""
    monkeypatch.setattr(feeds, "SITEMAP_URLS", 2)
    days = {f"papers/p{n}.html": datetime.date(2025, 3, n) for n in range(1, 5)} | {"index.html": None}
    files = sitemaps(CONFIG, days)
    assert list(files) == [SITEMAP, "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = ET.fromstring(files[SITEMAP])
    assert index.tag == f"{sm}sitemapindex"
    assert [(e.findtext(f"{sm}loc"), e.findtext(f"{sm}lastmod")) for e in index] == [
        ("https://example.org/r/sitemap-1.xml", "2025-03-01"),  # the home page (undated here), p1
        ("https://example.org/r/sitemap-2.xml", "2025-03-03"),
        ("https://example.org/r/sitemap-3.xml", "2025-03-04"),
    ]
    listed = [u.findtext(f"{sm}loc") for name in list(files)[1:] for u in ET.fromstring(files[name])]
    assert all(len(ET.fromstring(files[name])) <= 2 for name in list(files)[1:])
    assert listed == sorted(f"https://example.org/r/{p}".replace("index.html", "") for p in days)


@pytest.mark.parametrize(
    ("base", "line"),
    [
        ("https://example.org/r/", "Sitemap: https://example.org/r/sitemap.xml"),
        (
            "https://example.org/a b\nDisallow: /\n",
            "Sitemap: https://example.org/a%20b%0ADisallow:%20/%0Asitemap.xml",
        ),
    ],
)
def test_robots_cannot_be_given_extra_lines(base: str, line: str) -> None:
    text = robots(SiteConfig(base_url=base))
    assert text.splitlines() == ["User-agent: *", "Allow: /", "", line]


def test_the_author_earlier_inits_wrote_counts_as_unset() -> None:
    """Sites made before the change say `author: site_builder` in site.yaml: upgraded, their
    feeds still credited the tool with every paper (a reviewer's upgrade)."""
    config = SiteConfig(title="Our Reading Group", author="site_builder")
    assert feedparser.parse(atom_feed(config, [page("a")], {})).feed.get("author") == "Our Reading Group"


def test_an_entry_names_its_authors_where_known_and_the_feed_names_its_own() -> None:
    """Feed readers show an entry's `<author>` in place of the feed's: the paper's authors
    when a listing named them; an entry without any leaves the feed's author to stand."""
    named = replace(page("named", "2024-03-13"), authors=("Ada <Lovelace>", "Alan Turing"))
    xml = atom_feed(CONFIG, [named, page("unnamed", "2024-03-12")], TAGS)
    root = ET.fromstring(xml)
    first, second = root.findall(f"{ATOM}entry")
    assert [a.findtext(f"{ATOM}name") for a in first.findall(f"{ATOM}author")] == [
        "Ada <Lovelace>",
        "Alan Turing",
    ]
    assert second.findall(f"{ATOM}author") == []
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Feeds & <Co>"  # Atom: a feed names one
    parsed = feedparser.parse(xml)
    assert not parsed.bozo
    assert [a.name for a in parsed.entries[0].authors] == ["Ada <Lovelace>", "Alan Turing"]

"""site.yaml → a frozen SiteConfig, validated once, with `path:line` errors (taxonomy.yaml:
core/taxonomy.py).

Unknown keys are errors with a "did you mean" (as Zola and MkDocs do): a typo in a
config file should fail loudly, not silently fall back to a default.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import yaml

from site_builder.core.errors import Problem, SiteError
from site_builder.core.files.yamlfile import key_line, load_file
from site_builder.core.model import FIRST_YEAR, LAST_YEAR
from site_builder.core.text import ascii_folded, hyphenate

TAG_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")  # \Z: `$` also matched before a final newline
# A BCP 47 language tag's shape, as HTML `lang` and XML `xml:lang` take it: letters, then
# subtags of 1-8 letters or digits (en, en-GB, zh-Hans-CN, de-CH-1996).
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")  # BCP 47: ISO 639 language first
PLACEHOLDER_BASE_URL = "https://example.org/"  # the default, until a site sets its own
# What `build` and `check` say of a site still built for it (each adds how to mend it).
PLACEHOLDER_NOTE = (
    f"base_url is still the placeholder {PLACEHOLDER_BASE_URL}: feeds, the sitemap, canonical and "
    "og:url links point there (and copied citations name no address); set base_url in content/site.yaml"
)
BASE_URL = re.compile(r"https?://[^\s/]+(?:/\S*)?")
BASE_URL_EXAMPLE = "https://user.github.io/repo/"
EDIT_URL_EXAMPLE = "https://github.com/user/repo/edit/main/"
EDIT_URL_ENV = "SITE_BUILDER_EDIT_URL"  # the Pages workflow's edit_url: the repository it builds
OFFLINE_COPY_ENV = "SITE_BUILDER_OFFLINE_COPY"  # the Pages workflow's offline_copy: true
# The links out a paper page can show (build/render/links_out.py makes them).
LINKS_OUT = ("arxiv", "arxiv-pdf", "huggingface", "semantic-scholar", "google-scholar")


@dataclass(frozen=True)
class SiteConfig:
    """content/site.yaml. Every key is optional."""

    title: str = "Daily Papers"
    """Shown in the header, the <title> of every page and the feeds."""
    description: str = "Research papers from daily listings, deduplicated and tagged."
    """One line under the title on the home page; the feed subtitle."""
    base_url: str = PLACEHOLDER_BASE_URL
    """Absolute URL of the published site, used only where a format needs one
    (feeds, sitemap, canonical links). `build --base-url` overrides it."""
    language: str = "en"
    """The `lang` of every page."""
    per_page: int = 25
    """Papers per page on the home page and tag pages."""
    feed_size: int = 50
    """Entries in each Atom feed."""
    year: int | None = None
    """The year for dumps that give month and day only and have no date in their file name
    (for importing old dumps); without it, ingest infers the year (see ingest/dumps/dates.py)."""
    author: str | None = None
    """The feeds' author name (every entry inherits it); None: the site's title. It named
    this tool, which feed readers then showed as the author of every paper."""
    keep_files: tuple[str, ...] = ()
    """Paths in the output folder that builds never remove, besides `.git` and `CNAME`."""
    links_out: tuple[str, ...] = ("arxiv", "arxiv-pdf", "huggingface", "semantic-scholar")
    """The links out on every paper page, in this order (see LINKS_OUT for the names)."""
    edit_url: str | None = None
    """Where a person edits the site's files: a URL to which a page file's path from the
    site's folder (`content/papers/<slug>.md`) is appended, such as EDIT_URL_EXAMPLE. Paper
    pages and a site's own pages link "Edit this page" there, so that a reader who sees a
    wrong tag can correct it (and the page becomes a labelled example). None: the build's
    `edit_url` argument ($SITE_BUILDER_EDIT_URL, which the Pages workflow sets to the
    repository it builds), else no link; "": no link even then."""

    offline_copy: bool | None = None
    """A zip of the whole site to download and read from disk (`<name>.zip`, its files under
    one folder `<name>/`, linked from every page's footer). None: as the build's
    `offline_copy` argument says ($SITE_BUILDER_OFFLINE_COPY, which the Pages workflow sets
    to true), else none; a person's true or false wins over it. Off by default: zipping
    the site costs every build that changes it a few seconds at 10,000 papers."""

    image: str | None = None
    """A picture for link previews (Open Graph's `og:image`, X's large card): a file of the
    built site, such as `assets/card.png` (put it in `themes/default/static/`), or an
    absolute http(s) URL. None: previews show the page's words only."""

    @property
    def image_url(self) -> str:
        """`image` as an absolute URL, as link previews need it ("" with none)."""
        if not self.image or "://" in self.image:
            return self.image or ""
        return self.base_url + quote(self.image, safe="/")

    @property
    def feed_author(self) -> str:
        """`author`, else the title; `site_builder`, the default earlier `init`s wrote into
        every site.yaml, counts as unset (it is no one's name)."""
        return self.author if self.author and self.author != "site_builder" else self.title

    @property
    def published_url(self) -> str:
        """`base_url`, or "" while it is the placeholder: where the site can be read by others."""
        return "" if self.base_url == PLACEHOLDER_BASE_URL else self.base_url

    def with_base_url(self, base_url: str | None) -> SiteConfig:
        """These settings with `base_url` replaced (`build --base-url`); SiteError if it is not a URL."""
        if not base_url:
            return self
        error = base_url_error(base_url)
        if error:
            raise SiteError(Problem("--base-url", 0, error))
        return replace(self, base_url=normalize_base_url(base_url))

    def with_edit_url(self, edit_url: str | None, where: str) -> SiteConfig:
        """These settings with `edit_url` from `where` (the environment), unless site.yaml
        gives one: a person's choice, "" included, wins over CI's guess."""
        if self.edit_url is not None or not edit_url:
            return self
        error = base_url_error(edit_url, EDIT_URL_EXAMPLE)
        if error:
            raise SiteError(Problem(where, 0, error))
        return replace(self, edit_url=normalize_base_url(edit_url))

    def with_offline_copy(self, value: str | None, where: str) -> SiteConfig:
        """These settings with `offline_copy` from `where` (the environment: `true`, `false`,
        `1`, `0`, `yes`, `no` or empty), unless site.yaml sets it."""
        if self.offline_copy is not None or value is None or not value.strip():
            return self
        said = value.strip().lower()
        if said not in ("true", "false", "1", "0", "yes", "no"):
            raise SiteError(Problem(where, 0, f"expected true or false, got {value!r}"))
        return replace(self, offline_copy=said in ("true", "1", "yes"))

    @property
    def offline_copy_name(self) -> str:
        """The offline copy's folder and file name (without `.zip`), from the title, or "" when
        there is none: `Daily Papers` → `daily-papers`."""
        if not self.offline_copy:
            return ""
        return hyphenate(ascii_folded(self.title))[:60].strip("-") or "site"

    def edit_link(self, file: str) -> str:
        """Where to edit `file` (a path from the site's folder), or "" with no `edit_url`."""
        return self.edit_url + quote(file, safe="/") if self.edit_url else ""  # a `%` in a name too


def normalize_base_url(url: str) -> str:
    """The URL as every format writes it: a folder (a final `/`), its host in ASCII (IDNA, as
    browsers send it) and its path percent-encoded (a sitemap's URLs must be escaped).
    `url` has passed `base_url_error`."""
    parts = urlsplit(url if url.endswith("/") else url + "/")
    host = parts.hostname or ""
    ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    netloc = ascii_host + (f":{parts.port}" if parts.port is not None else "")
    return urlunsplit((parts.scheme.lower(), netloc, quote(parts.path, safe=_PATH_SAFE), "", ""))


_PATH_SAFE = "/%:@!$&'()*+,;=~"  # characters a path keeps as they are (`%`: already escaped)


def _relative_path(value: object) -> bool:
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        return False
    parts = value.replace("\\", "/").split("/")
    # `.` and `*.html` were taken and kept nothing: a path names one file or folder, no pattern.
    literal = not any(c in value for c in "*?[") and "." not in parts
    return literal and not value.startswith("/") and ".." not in parts and "" not in parts


def base_url_error(value: object, example: str = BASE_URL_EXAMPLE) -> str | None:
    """Why `value` cannot be a base_url (or an `edit_url`), or None when it can: the address
    of a folder, to which a page's path is appended."""
    if not (isinstance(value, str) and BASE_URL.fullmatch(value) and value.isprintable()):
        return f"expected an absolute http(s) URL such as {example}, got {value!r}"
    try:
        value.encode("utf-8")
        parts = urlsplit(value)
        host, _ = parts.hostname or "", parts.port  # a port that is not a number raises
        if not host.isascii():
            host.encode("idna")
    except UnicodeError:
        return f"{value!r} has a host name that is not a valid international domain name"
    except ValueError as err:
        return f"{value!r} is not a URL: {err}"
    if parts.query or value.rstrip("/").endswith("?"):
        return f"{value!r} has a query (?…): give the address of a folder, such as {example}"
    if parts.fragment or "#" in value:
        return f"{value!r} has a fragment (#…): give the address of a folder, such as {example}"
    if parts.path.startswith("//"):  # the 404 page links by this path: `//host/…` is another site
        return f"{value!r} has an empty folder name after its host (//): write one slash"
    if parts.path.lower().endswith((".html", ".htm")):
        folder = value[: value.rindex("/") + 1]
        return f"{value!r} names a page: give its folder, {folder}"
    if parts.username is not None or not host:
        return f"expected an absolute http(s) URL such as {example}, got {value!r}"
    return None


def unknown_keys(
    data: dict[str, Any], allowed: list[str], path: Path, node: yaml.Node | None, *at: str | int
) -> list[Problem]:
    problems = []
    for key in sorted(set(data) - set(allowed), key=str):
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; known keys: {', '.join(allowed)}"
        problems.append(Problem(str(path), key_line(node, *at, key), f"unknown key '{key}'{suggestion}"))
    return problems


# --- site.yaml ----------------------------------------------------------------------------


def load_site_config(path: Path, label: str | None = None) -> SiteConfig:
    """Read site.yaml (a missing file means all defaults); raise SiteError listing every problem.

    `label` is how messages name the file (e.g. relative to the site root)."""
    if not path.exists():
        return SiteConfig()
    data, node = load_file(path, label)
    path = Path(label) if label else path
    if data is None:
        return SiteConfig()
    if not isinstance(data, dict):
        raise SiteError(Problem(str(path), 1, "expected a mapping of keys to values"))
    allowed = [f.name for f in fields(SiteConfig)]
    problems = unknown_keys(data, allowed, path, node)
    values: dict[str, Any] = {}
    for f in fields(SiteConfig):
        if f.name not in data:
            continue
        value = data[f.name]
        line = key_line(node, f.name)
        error = _check_site_value(f.name, value)
        if error:
            problems.append(Problem(str(path), line, f"'{f.name}': {error}"))
        else:
            values[f.name] = value
    if problems:
        raise SiteError(problems)
    for name in ("base_url", "edit_url"):
        if values.get(name):
            values[name] = normalize_base_url(values[name])
    for name in ("keep_files", "links_out"):
        if name in values:
            values[name] = tuple(values[name])
    return SiteConfig(**values)


def _check_site_value(name: str, value: Any) -> str | None:
    if name in ("per_page", "feed_size"):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            return f"expected a whole number of at least 1, got {value!r}"
    elif name == "year":
        if value is not None and (not isinstance(value, int) or not FIRST_YEAR <= value <= LAST_YEAR):
            return f"expected a year from {FIRST_YEAR} to {LAST_YEAR}, such as 2025, got {value!r}"
    elif name == "base_url":
        return base_url_error(value)
    elif name == "edit_url":
        return None if value is None or value == "" else base_url_error(value, EDIT_URL_EXAMPLE)
    elif name == "keep_files":
        if not isinstance(value, list) or not all(_relative_path(v) for v in value):
            return (
                "expected a list of paths of files or folders inside the output folder (no patterns), "
                f"such as [.git, CNAME], got {value!r}"
            )
    elif name == "links_out":
        return _links_out_error(value)
    elif name == "image":
        text = value if isinstance(value, str) else ""
        file = "://" not in text and _relative_path(text) and not text.endswith("/")
        if value is not None and not (file or (BASE_URL.fullmatch(text) and text.isprintable())):
            return (
                "expected a file of the built site such as assets/card.png (from themes/default/static/), "
                f"or an absolute https URL, got {value!r}"
            )
    elif name == "offline_copy":
        if value is not None and not isinstance(value, bool):
            return f"expected true or false (null: as SITE_BUILDER_OFFLINE_COPY says), got {value!r}"
    elif name == "author" and value is None:
        return None
    elif not isinstance(value, str):
        return f"expected text, got {value!r}"
    elif name == "language" and not LANGUAGE_TAG.fullmatch(value):
        return (
            f"expected a language tag such as en, en-GB or zh-Hans (BCP 47: a hyphen, not _), got {value!r}"
        )
    elif name == "title" and not value.strip():
        return "expected the site's name: it is every page's <title>"
    elif name == "author" and not value.strip():
        return "expected the name feed readers show as every entry's author (null: the site's title)"
    return None


def _links_out_error(value: Any) -> str | None:
    known = ", ".join(LINKS_OUT)
    if not isinstance(value, list):
        return f"expected a list of links out such as [arxiv, huggingface], got {value!r}"
    for item in value:
        if item not in LINKS_OUT:
            hint = difflib.get_close_matches(str(item), LINKS_OUT, n=1)
            suggestion = f"did you mean '{hint[0]}'?" if hint else f"choose from {known}"
            return f"unknown link {item!r}; {suggestion}"
    if len(set(value)) != len(value):
        return f"a link is listed twice in {value!r}"
    return None


# --- taxonomy.yaml ------------------------------------------------------------------------

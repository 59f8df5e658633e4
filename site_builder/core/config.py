"""site.yaml and taxonomy.yaml → frozen dataclasses, validated once, with `path:line` errors.

Unknown keys are errors with a "did you mean" (as Zola and MkDocs do): a typo in a
config file should fail loudly, not silently fall back to a default.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import yaml

from site_builder.core.errors import Problem, SiteError
from site_builder.core.model import FIRST_YEAR, LAST_YEAR
from site_builder.core.patterns import pattern_error
from site_builder.core.yamlfile import key_line, load_file

TAG_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PLACEHOLDER_BASE_URL = "https://example.org/"  # the default, until a site sets its own
BASE_URL = re.compile(r"https?://[^\s/]+(?:/\S*)?")
# The links out a paper page can show (build/links_out.py makes them).
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
    (for importing old dumps); without it, ingest infers the year (see ingest/dates.py)."""
    author: str = "site_builder"
    """The feeds' author name."""
    keep_files: tuple[str, ...] = ()
    """Paths in the output folder that builds never remove, besides `.git` and `CNAME`."""
    links_out: tuple[str, ...] = ("arxiv", "arxiv-pdf", "huggingface", "semantic-scholar")
    """The links out on every paper page, in this order (see LINKS_OUT for the names)."""

    def with_base_url(self, base_url: str | None) -> SiteConfig:
        """These settings with `base_url` replaced (`build --base-url`); SiteError if it is not a URL."""
        if not base_url:
            return self
        error = base_url_error(base_url)
        if error:
            raise SiteError(Problem("--base-url", 0, error))
        return replace(self, base_url=normalize_base_url(base_url))


@dataclass(frozen=True)
class Rule:
    """A case-insensitive regex that adds points to a tag's score."""

    pattern: str  # an RE2 regular expression, matched case-insensitively (ingest/rule_matcher.py)
    title: float = 0.0  # points when it matches the title
    abstract: float = 0.0  # points per match in the abstract, counted up to `cap` times
    cap: int = 3
    unless: tuple[str, ...] = ()  # a match inside a match of one of these does not count


@dataclass(frozen=True)
class TagDef:
    name: str
    title: str
    description: str
    rules: tuple[Rule, ...] = ()
    threshold: float | None = None  # None: the taxonomy's default
    genre: bool = False
    """What kind of paper it is (a survey), not what it is about: related papers do not
    count it, for two surveys are not related for being surveys."""


@dataclass(frozen=True)
class Taxonomy:
    """content/taxonomy.yaml: the tags, their descriptions and the rules that assign them."""

    tags: tuple[TagDef, ...]
    threshold: float = 3.0
    max_tags: int = 4
    fallback: str = ""  # the tag a paper gets when no tag reaches its threshold (a guess)
    fallback_line: int = 0  # where taxonomy.yaml names it (ingest warns there)

    def threshold_of(self, name: str) -> float:
        """The points tag `name` needs: its own threshold, else the taxonomy's."""
        tag = self.get(name)
        return tag.threshold if tag is not None and tag.threshold is not None else self.threshold

    @property
    def genres(self) -> frozenset[str]:
        """The tags that name a kind of paper (`TagDef.genre`)."""
        return frozenset(tag.name for tag in self.tags if tag.genre)

    @property
    def rules(self) -> list[Rule]:
        """Every rule of every tag, in file order (a rule's number is its place here)."""
        return [rule for tag in self.tags for rule in tag.rules]

    def get(self, name: str) -> TagDef | None:
        return self._by_name.get(name)

    @functools.cached_property
    def _by_name(self) -> dict[str, TagDef]:
        return {t.name: t for t in self.tags}


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
    return not value.startswith("/") and ".." not in parts and "" not in parts


def base_url_error(value: object) -> str | None:
    """Why `value` cannot be a base_url, or None when it can: the address of the folder the
    site is published in, to which every format appends a page's path."""
    if not (isinstance(value, str) and BASE_URL.fullmatch(value) and value.isprintable()):
        return f"expected an absolute http(s) URL such as https://user.github.io/repo/, got {value!r}"
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
        return f"{value!r} has a query (?…): give the address of the site's folder, such as https://user.github.io/repo/"
    if parts.fragment or "#" in value:
        return f"{value!r} has a fragment (#…): give the address of the site's folder, such as https://user.github.io/repo/"
    if parts.path.startswith("//"):  # the 404 page links by this path: `//host/…` is another site
        return f"{value!r} has an empty folder name after its host (//): write one slash"
    if parts.path.lower().endswith((".html", ".htm")):
        folder = value[: value.rindex("/") + 1]
        return f"{value!r} names a page: give its folder, {folder}"
    if parts.username is not None or not host:
        return f"expected an absolute http(s) URL such as https://user.github.io/repo/, got {value!r}"
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
    if "base_url" in values:
        values["base_url"] = normalize_base_url(values["base_url"])
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
    elif name == "keep_files":
        if not isinstance(value, list) or not all(_relative_path(v) for v in value):
            return f"expected a list of paths inside the output folder, such as [.git, CNAME], got {value!r}"
    elif name == "links_out":
        return _links_out_error(value)
    elif not isinstance(value, str):
        return f"expected text, got {value!r}"
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


def load_taxonomy(path: Path, label: str | None = None) -> Taxonomy:
    """Read taxonomy.yaml; raise SiteError listing every problem (bad regex, unknown key, …)."""
    shown = Path(label) if label else path
    if not path.exists():
        raise SiteError(Problem(str(shown), 0, "no taxonomy; `site-builder init` writes the default one"))
    data, node = load_file(path, label)
    path = shown
    if not isinstance(data, dict) or not isinstance(data.get("tags"), list) or not data["tags"]:
        raise SiteError(Problem(str(path), 1, "expected a mapping with a non-empty 'tags' list"))
    problems = unknown_keys(data, ["threshold", "max_tags", "fallback", "tags"], path, node)
    tags: list[TagDef] = []
    names: dict[str, int] = {}  # tag name → the line it is first listed at
    for i, raw in enumerate(data["tags"]):
        tag = _parse_tag(raw, path, node, i, problems)
        if tag is not None:
            line = key_line(node, "tags", i)
            if tag.name in names:
                message = f"tag '{tag.name}' listed twice (first at line {names[tag.name]})"
                problems.append(Problem(str(path), line, message))
            tags.append(tag)
            names.setdefault(tag.name, line)
    threshold = data.get("threshold", Taxonomy.threshold)
    max_tags = data.get("max_tags", Taxonomy.max_tags)
    fallback = data.get("fallback", "")
    if not isinstance(threshold, int | float) or isinstance(threshold, bool):
        problems.append(Problem(str(path), key_line(node, "threshold"), "'threshold': expected a number"))
    if not isinstance(max_tags, int) or isinstance(max_tags, bool) or max_tags < 1:
        problems.append(
            Problem(str(path), key_line(node, "max_tags"), "'max_tags': expected a whole number ≥ 1")
        )
    if fallback and fallback not in names:
        problems.append(
            Problem(str(path), key_line(node, "fallback"), f"'fallback': no tag named '{fallback}'")
        )
    if problems:
        raise SiteError(problems)
    line = key_line(node, "fallback") if fallback else 0
    return Taxonomy(tuple(tags), float(threshold), int(max_tags), str(fallback), line)


def _parse_tag(
    raw: Any, path: Path, node: yaml.Node | None, i: int, problems: list[Problem]
) -> TagDef | None:
    line = key_line(node, "tags", i)
    if not isinstance(raw, dict):
        problems.append(Problem(str(path), line, "each tag must be a mapping with name, title, description"))
        return None
    problems += unknown_keys(
        raw, ["name", "title", "description", "threshold", "genre", "rules"], path, node, "tags", i
    )
    name = raw.get("name")
    if not isinstance(name, str) or not TAG_NAME.match(name):
        problems.append(
            Problem(str(path), line, f"tag name {name!r}: use lowercase letters, digits and hyphens")
        )
        return None
    rules = []
    raw_rules = raw.get("rules") or []
    if not isinstance(raw_rules, list):
        problems.append(Problem(str(path), line, f"tag '{name}': 'rules' must be a list of rules"))
        raw_rules = []
    for j, rule in enumerate(raw_rules):
        if isinstance(rule, dict):  # a misspelt key, at its own line, with a "did you mean"
            problems += unknown_keys(rule, RULE_KEYS, path, node, "tags", i, "rules", j)
        parsed = _parse_rule(rule, path, key_line(node, "tags", i, "rules", j), problems)
        if parsed is not None:
            rules.append(parsed)
    threshold = raw.get("threshold")
    if threshold is not None and (not isinstance(threshold, int | float) or isinstance(threshold, bool)):
        problems.append(Problem(str(path), line, f"tag '{name}': 'threshold' must be a number"))
        threshold = None
    genre = raw.get("genre", False)
    if not isinstance(genre, bool):
        problems.append(
            Problem(
                str(path), key_line(node, "tags", i, "genre"), f"tag '{name}': 'genre' must be true or false"
            )
        )
        genre = False
    return TagDef(
        name=name,
        title=str(raw.get("title") or name),
        description=str(raw.get("description") or ""),
        rules=tuple(rules),
        threshold=float(threshold) if threshold is not None else None,
        genre=genre,
    )


RULE_KEYS = [f.name for f in fields(Rule)]
MAX_CAP = 1000  # matches counted per rule and abstract: far more than any real rule wants


def _parse_rule(raw: Any, path: Path, line: int, problems: list[Problem]) -> Rule | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("pattern"), str):
        problems.append(Problem(str(path), line, "a rule needs a 'pattern' (a regular expression)"))
        return None
    unless = raw.get("unless", [])
    unless = [unless] if isinstance(unless, str) else unless
    if not isinstance(unless, list) or not all(isinstance(u, str) for u in unless):
        problems.append(Problem(str(path), line, "rule 'unless' must be a pattern or a list of patterns"))
        return None
    for pattern in [raw["pattern"], *unless]:
        error = pattern_error(pattern)
        if error:
            problems.append(Problem(str(path), line, f"bad regular expression {pattern!r}: {error}"))
            return None
    weights = {k: raw.get(k, 0) for k in ("title", "abstract")}
    for key, value in weights.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            problems.append(Problem(str(path), line, f"rule '{key}' weight must be a number, got {value!r}"))
            return None
    if not any(weights.values()):
        message = "a rule needs a 'title' or 'abstract' weight (points); without one it never scores"
        problems.append(Problem(str(path), line, message))
        return None
    cap = raw.get("cap", Rule.cap)
    if not isinstance(cap, int) or isinstance(cap, bool) or not 1 <= cap <= MAX_CAP:
        problems.append(Problem(str(path), line, f"rule 'cap' must be a whole number from 1 to {MAX_CAP}"))
        return None
    return Rule(raw["pattern"], float(weights["title"]), float(weights["abstract"]), cap, tuple(unless))

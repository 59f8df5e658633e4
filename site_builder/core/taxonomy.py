"""taxonomy.yaml → a frozen Taxonomy: the tags, their rules and settings, validated once with
`path:line` errors (an unknown key gets a "did you mean", as in site.yaml)."""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from site_builder.core.config import TAG_NAME, unknown_keys
from site_builder.core.errors import Problem, SiteError
from site_builder.core.files.content_files import file_bytes
from site_builder.core.files.store import Store
from site_builder.core.files.yamlfile import key_line, load_file
from site_builder.core.hints import init_command
from site_builder.core.patterns import NO_LOOKAROUNDS, pattern_error
from site_builder.core.runtime.hashing import code_version, digest
from site_builder.core.text import ascii_folded, hyphenate, some_of

# The comment by which the default taxonomy of the releases before 2026-12-03 is known.
_FIRST_DEFAULT = "# Patterns are Python regular expressions"
DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "site_template" / "taxonomy.yaml"
_REMEMBERED = "taxonomy"  # a store's name for the last taxonomy read, with its bytes' hash


@dataclass(frozen=True)
class Rule:
    """A case-insensitive regex that adds points to a tag's score."""

    pattern: str  # an RE2 regular expression, matched case-insensitively (ingest/tags/matcher.py)
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
    aliases: tuple[str, ...] = ()
    """Earlier names of the tag: pages that still say one are listed under this tag, and
    the old tag page and feed addresses lead here (as Hugo's and Zola's `aliases`)."""


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

    @functools.cached_property
    def renamed(self) -> dict[str, str]:
        """Each tag's earlier name (`TagDef.aliases`) → its name now."""
        return {alias: tag.name for tag in self.tags for alias in tag.aliases}

    def current_tags(self, tags: tuple[str, ...]) -> tuple[str, ...]:
        """A page's tags under their names now (an earlier name read as the tag's own)."""
        renamed = self.renamed
        if not renamed or not any(t in renamed for t in tags):
            return tags
        return tuple(dict.fromkeys(renamed.get(t, t) for t in tags))

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

    def knows(self, tags: Iterable[str]) -> bool:
        """Whether every one of a page's tags, under its name now, is one of these: a
        labelled page with another (misspelt, removed) is not scored (`tags --evaluate`, and
        ingest's count of labelled examples)."""
        return all(self.get(self.renamed.get(t, t)) is not None for t in tags)

    @functools.cached_property
    def _by_name(self) -> dict[str, TagDef]:
        return {t.name: t for t in self.tags}


def remembered_taxonomy(path: Path, data: bytes | None, store: Store) -> tuple[Taxonomy, str]:
    """`load_taxonomy` of `path` (holding `data`), kept in `store` under a hash of the bytes:
    parsing the YAML and checking every rule with RE2 took 70 ms of every build and ingest.
    With it, the hash to keep a taxonomy read anew under (`remember_taxonomy_read`): only
    when the file still holds the bytes hashed after it was read (a problem raises)."""
    key = digest(data) if data is not None else ""
    found = store.load(_REMEMBERED, code_version()) if data is not None else None
    if isinstance(found, tuple) and len(found) == 2 and found[0] == key and isinstance(found[1], Taxonomy):
        return found[1], ""
    taxonomy = load_taxonomy(path, "content/taxonomy.yaml")
    return taxonomy, key if data is not None and file_bytes(path) == data else ""


def remember_taxonomy_read(store: Store, key: str, taxonomy: Taxonomy) -> None:
    """Keep a taxonomy `remembered_taxonomy` read anew (`key`: the hash it gave, "" for none)."""
    if key:
        store.save(_REMEMBERED, code_version(), (key, taxonomy))


def unknown_tag(name: str, files: Sequence[str], taxonomy: Taxonomy) -> Problem:
    """A tag no taxonomy entry defines, at the first of the pages that use it (`files`,
    site-relative), naming the others, with the taxonomy's nearest tag (a misspelt or
    renamed tag is the usual cause). Ingest and build both say it, in these words."""
    others = [Path(f).name for f in files[1:]]
    also = f"; also {some_of(others)}" if others else ""
    near = nearest_tag(name, taxonomy)
    hint = f"did you mean '{near}'? " if near else ""
    return Problem(
        files[0],
        0,
        f"tag {name!r} is not in content/taxonomy.yaml (used by {len(files)} page(s){also}); "
        f"{hint}its tag page has no description — add it to the taxonomy or fix the pages",
        "warning",
    )


def nearest_tag(name: str, taxonomy: Taxonomy) -> str | None:
    """The taxonomy's tag a misspelt name most likely means, if one is close."""
    return nearest_name(name, [t.name for t in taxonomy.tags])


def nearest_name(name: str, names: Iterable[str]) -> str | None:
    """The one of `names` a misspelt (or otherwise cased) name most likely means, if one is close."""
    folded = {n.casefold(): n for n in names}
    near = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.75)
    return folded[near[0]] if near else None


def _did_you_mean(name: str, names: Iterable[str]) -> str:
    near = nearest_name(name, names)
    return f"; did you mean '{near}'?" if near else ""


def _is_threshold(value: object) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0
    )


def _not_a_threshold(value: object, given: str) -> str:
    """What is wrong with a threshold as read (`"3"` quoted is text, `0` gives `given` to
    every paper), after "a number above 0": the message said the same of every value."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return f"not {value!r}"
        return f"not {value!r}, which in quotes is text: write the number without quotes"
    if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
        return f"not {value} (at 0 or below every paper would get {given})"
    return f"not {value!r}"


def load_taxonomy(path: Path, label: str | None = None) -> Taxonomy:
    """Read taxonomy.yaml; raise SiteError listing every problem (bad regex, unknown key, …)."""
    shown = Path(label) if label else path
    if not path.exists():
        raise SiteError(Problem(str(shown), 0, f"no taxonomy; `{init_command()}` writes the default one"))
    data, node = load_file(path, label)
    source, path = path, shown
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
    problems += _alias_clashes(tags, names, path, node)
    threshold = data.get("threshold", Taxonomy.threshold)
    max_tags = data.get("max_tags", Taxonomy.max_tags)
    fallback = data.get("fallback", "")
    if not _is_threshold(threshold):
        message = f"'threshold': expected a number above 0, {_not_a_threshold(threshold, 'every tag')}"
        problems.append(Problem(str(path), key_line(node, "threshold"), message))
    if not isinstance(max_tags, int) or isinstance(max_tags, bool) or max_tags < 1:
        problems.append(
            Problem(str(path), key_line(node, "max_tags"), "'max_tags': expected a whole number ≥ 1")
        )
    if fallback and fallback not in names:
        message = f"'fallback': no tag named '{fallback}'{_did_you_mean(str(fallback), names)}"
        problems.append(Problem(str(path), key_line(node, "fallback"), message))
    if problems:
        raise SiteError([*problems, *_first_default(path, source, problems)])
    line = key_line(node, "fallback") if fallback else 0
    return Taxonomy(tuple(tags), float(threshold), int(max_tags), str(fallback), line)


# A tag split in two was given its old name under both parts' `aliases:`, and told only that
# it was an alias already.
SPLIT = (
    ": an earlier name leads to one tag; for a tag split in two, keep it under the part most"
    " of its papers go to (its page and feed lead there) and delete it here"
)


def _alias_clashes(
    tags: list[TagDef], names: dict[str, int], path: Path, node: yaml.Node | None
) -> list[Problem]:
    """An earlier name may lead to one tag only, and not be a tag's name now (or `index`,
    the tag index's file)."""
    problems: list[Problem] = []
    owner: dict[str, str] = {}  # alias → the tag it leads to
    for i, tag in enumerate(tags):
        for alias in tag.aliases:
            clash = "the tag index" if alias == "index" else None
            clash = clash or (f"tag '{alias}' (line {names[alias]})" if alias in names else None)
            clash = clash or (f"an alias of '{owner[alias]}'{SPLIT}" if alias in owner else None)
            if clash:
                where = key_line(node, "tags", i, "aliases")
                problems.append(
                    Problem(str(path), where, f"tag '{tag.name}': alias '{alias}' is already {clash}")
                )
            owner.setdefault(alias, tag.name)
    return problems


def _first_default(path: Path, source: Path, problems: list[Problem]) -> list[Problem]:
    """After an upgrade, the first releases' default taxonomy (rules with lookarounds, which
    RE2 refuses) stopped ingest, build and check at a bad pattern per rule, with no word that
    the file was the tool's own default, nor where this release's is."""
    if not any(NO_LOOKAROUNDS in p.message for p in problems):
        return []
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    line = next((n for n, text in enumerate(lines, 1) if text.startswith(_FIRST_DEFAULT)), 0)
    if not line:
        return []
    message = "this is the default taxonomy of a site_builder release before 2026-12-03, whose rules used "
    message += f"lookarounds: copy this release's default over it ({DEFAULT_TAXONOMY}), or rewrite the "
    return [Problem(str(path), line, message + "rules named above with `unless:`")]


def _parse_tag(
    raw: Any, path: Path, node: yaml.Node | None, i: int, problems: list[Problem]
) -> TagDef | None:
    line = key_line(node, "tags", i)
    if not isinstance(raw, dict):
        problems.append(Problem(str(path), line, "each tag must be a mapping with name, title, description"))
        return None
    problems += unknown_keys(
        raw, ["name", "title", "description", "threshold", "genre", "aliases", "rules"], path, node, "tags", i
    )
    name = raw.get("name")
    if "name" not in raw:
        problems.append(
            Problem(str(path), line, "a tag needs a 'name': lowercase letters, digits and hyphens")
        )
        return None
    if not isinstance(name, str) or not TAG_NAME.match(name):
        message = f"tag name {name!r}: use lowercase letters, digits and hyphens{_written_as_name(name)}"
        problems.append(Problem(str(path), key_line(node, "tags", i, "name"), message))
        return None
    rules = []
    raw_rules = raw.get("rules") or []
    if not isinstance(raw_rules, list):
        problems.append(Problem(str(path), line, f"tag '{name}': 'rules' must be a list of rules"))
        raw_rules = []
    for j, rule in enumerate(raw_rules):
        if isinstance(rule, dict):  # a misspelt key, at its own line, with a "did you mean"
            problems += unknown_keys(rule, RULE_KEYS, path, node, "tags", i, "rules", j)
        parsed = _parse_rule(rule, path, node, ("tags", i, "rules", j), problems)
        if parsed is not None:
            rules.append(parsed)
    threshold = raw.get("threshold")
    if threshold is not None and not _is_threshold(threshold):
        why = _not_a_threshold(threshold, "the tag")
        message = f"tag '{name}': 'threshold' must be a number above 0, {why}"
        problems.append(Problem(str(path), key_line(node, "tags", i, "threshold"), message))
        threshold = None
    genre = raw.get("genre", False)
    if not isinstance(genre, bool):
        problems.append(
            Problem(
                str(path), key_line(node, "tags", i, "genre"), f"tag '{name}': 'genre' must be true or false"
            )
        )
        genre = False
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and TAG_NAME.match(a) for a in aliases):
        where = key_line(node, "tags", i, "aliases")
        problems.append(Problem(str(path), where, f"tag '{name}': {_aliases_problem(aliases)}"))
        aliases = []
    return TagDef(
        name=name,
        title=str(raw.get("title") or name),
        description=str(raw.get("description") or ""),
        rules=tuple(rules),
        threshold=float(threshold) if threshold is not None else None,
        genre=genre,
        aliases=tuple(aliases),
    )


def _aliases_problem(aliases: object) -> str:
    """What is wrong with `aliases:`, naming the entry: "must be a list of tag names" was said
    of `[Agents]`, a list whose one name had a capital."""
    if not isinstance(aliases, list):
        return "'aliases' must be a list of tag names, as `aliases: [old-name]`"
    bad = next(a for a in aliases if not (isinstance(a, str) and TAG_NAME.match(a)))
    if not isinstance(bad, str):
        return f"alias {bad!r} is not a tag name: write earlier names as `aliases: [old-name]`"
    fixed = _written_as_name(bad)
    return f"alias {bad!r}: as tag names, use lowercase letters, digits and hyphens{fixed}"


def _written_as_name(value: object) -> str:
    """` ('agents')`: how a name with capitals or spaces is written as a tag name, or ''."""
    fixed = hyphenate(ascii_folded(value)) if isinstance(value, str) else ""  # as slugs fold
    return f" ('{fixed}')" if fixed and TAG_NAME.match(fixed) else ""


RULE_KEYS = [f.name for f in fields(Rule)]
MAX_CAP = 1000  # matches counted per rule and abstract: far more than any real rule wants


def _parse_rule(
    raw: Any, path: Path, node: yaml.Node | None, where: tuple[str | int, ...], problems: list[Problem]
) -> Rule | None:
    """One rule of a tag (`where`: its keys in the file); a problem is said at the line of
    the key it is about (a weight of `four` was said at the rule's `- pattern:` line)."""
    line = key_line(node, *where)
    if not isinstance(raw, dict) or not isinstance(raw.get("pattern"), str):
        problems.append(Problem(str(path), line, "a rule needs a 'pattern' (a regular expression)"))
        return None
    written = raw.get("unless", [])
    unless = [written] if isinstance(written, str) else written
    if not isinstance(unless, list) or not all(isinstance(u, str) for u in unless):
        message = "rule 'unless' must be a pattern or a list of patterns"
        problems.append(Problem(str(path), key_line(node, *where, "unless"), message))
        return None
    # Each pattern's place: `pattern`, `unless`, or the item of an `unless:` list.
    places: list[tuple[tuple[str | int, ...], str]] = [(("pattern",), raw["pattern"])]
    places += [(("unless", k) if isinstance(written, list) else ("unless",), u) for k, u in enumerate(unless)]
    for keys, pattern in places:
        error = pattern_error(pattern)
        if error:
            # As written (repr doubled every backslash: `\\b`), but for a control character
            shown = pattern if pattern.isprintable() else repr(pattern)[1:-1]
            shown = shown if len(shown) <= 80 else shown[:77] + "…"
            at = key_line(node, *where, *keys)
            problems.append(Problem(str(path), at, f"bad regular expression '{shown}': {error}"))
            return None
    weights = {k: raw.get(k, 0) for k in ("title", "abstract")}
    for key, value in weights.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            at = key_line(node, *where, key)
            problems.append(Problem(str(path), at, f"rule '{key}' weight must be a number, got {value!r}"))
            return None
    if not any(weights.values()):
        if "title" in raw or "abstract" in raw:
            message = "the rule's 'title' and 'abstract' weights are both 0: it never scores; give one points"
        else:
            message = "a rule needs a 'title' or 'abstract' weight (points); without one it never scores"
        problems.append(Problem(str(path), line, message))
        return None
    cap = raw.get("cap", Rule.cap)
    if not isinstance(cap, int) or isinstance(cap, bool) or not 1 <= cap <= MAX_CAP:
        message = f"rule 'cap' must be a whole number from 1 to {MAX_CAP}"
        problems.append(Problem(str(path), key_line(node, *where, "cap"), message))
        return None
    return Rule(raw["pattern"], float(weights["title"]), float(weights["abstract"]), cap, tuple(unless))

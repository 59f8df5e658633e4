"""Reading and writing the front matter ingest writes without PyYAML: the same data and bytes, faster.

Thousands of pages are parsed on a cold build and after a cold ingest, and PyYAML spends
about a millisecond on each even with LibYAML, in its Python constructors. The pages ingest
writes have a fixed shape (`pages.pagewrite.page_text`): a few known keys, plain or single-quoted
scalars, one-line flow lists and maps. `parse` reads exactly that shape and declines
(returns None) at the first line it is not sure of: a person's own key, a comment, a
double-quoted or multi-line string, a value YAML would read as anything but the string
(`yes`, `1.5`, `null`), a character YAML treats specially. The caller then parses with
YAML, which also reports every error with its line. What `parse` accepts it reads as YAML
does: tests/test_frontmatter.py checks that on generated and mangled front matter.

`write` is the other direction, for the same shape: every scalar plain or single-quoted as
LibYAML's emitter would write it (plain when YAML reads it back as the same string and no
character stops it, quoted when something certainly does), else None and YAML writes.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any

import yaml

from site_builder.core.files.yamlfile import is_flow

_RESOLVER = yaml.resolver.Resolver()  # the implicit types LibYAML's safe loader gives plain scalars
_STR = "tag:yaml.org,2002:str"
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # a plain scalar never starts with these
_FLOW_SPECIAL = frozenset(",[]{}:#?'\"")  # kept out of plain scalars inside [] and {} entirely
_INT = re.compile(r"0|[1-9][0-9]{0,8}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_SOURCE = re.compile(r"- \{file: ([^,{}]*), line: ([^,{}]*), listed: ([^,{}]*)\}")
_GENERATED = re.compile(
    r"\{title: ([^,{}]*), body: ([^,{}]*), tags: (\[[^{}]*\])"
    r"(?:, dates: ([^,{}]*))?(?:, authors: ([^,{}]*))?\}"
)
_SCALARS = ("title", "slug")  # key: scalar
_RECORD = ["title", "body", "tags"]  # `generated:`, then maybe `dates`, then maybe `authors`
_RECORDS = (_RECORD, [*_RECORD, "dates"], [*_RECORD, "authors"], [*_RECORD, "dates", "authors"])
_LISTS = ("aliases", "links")  # key:, then "- scalar" lines
_FLOW_LISTS = ("authors", "tags")  # key: [scalar, scalar]


def parse(lines: list[str]) -> dict[str, Any] | None:
    """The front matter's lines (between the `---` lines) as YAML reads them, or None."""
    meta: dict[str, Any] = {}
    items: list[Any] | None = None  # the block list being read (aliases, links, sources)
    is_sources = False
    for line in lines:
        if line.startswith("- "):
            if items is None:
                return None
            item = _source(line) if is_sources else _block_scalar(line[2:])
            if item is None:
                return None
            items.append(item)
            continue
        key, colon, value = line.partition(":")
        if not colon or key in meta or items == []:  # `key:` with nothing under it is null in YAML
            return None
        items = None
        if key in _SCALARS and value.startswith(" "):
            found: Any = _block_scalar(value[1:])
        elif key in _FLOW_LISTS and value.startswith(" "):
            found = _flow_list(value[1:])
        elif key == "generated" and value.startswith(" "):
            found = _generated(value[1:])
        elif (key in _LISTS or key == "sources") and not value:
            found = items = []
            is_sources = key == "sources"
        else:
            return None
        if found is None:
            return None
        meta[key] = found
    if items is not None and not items:
        return None  # `key:` with nothing under it is null in YAML
    return meta


def _block_scalar(text: str) -> str | None:
    """A scalar on its own (after `key: ` or `- `): plain or single-quoted."""
    if text.startswith("'"):
        return _single_quoted(text)
    if (
        not text
        or text[0] in _INDICATORS
        or text != text.strip(" ")
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or not text.isprintable()
    ):
        return None
    return text if _resolves_to_str(text) else None


def _single_quoted(text: str) -> str | None:
    inner = text[1:-1]
    if len(text) < 2 or not text.endswith("'") or "'" in inner.replace("''", "") or not inner.isprintable():
        return None
    return inner.replace("''", "'")


def _flow_scalar(text: str) -> str | None:
    """A scalar inside `[...]` or `{...}`: single-quoted, or plain with none of the characters
    special there."""
    if text.startswith("'"):
        return _single_quoted(text)
    if not text or text[0] in _INDICATORS or text != text.strip(" ") or not text.isprintable():
        return None
    if not _FLOW_SPECIAL.isdisjoint(text):
        return None
    return text if _resolves_to_str(text) else None


def _flow_list(text: str) -> list[str] | None:
    if not (text.startswith("[") and text.endswith("]")):
        return None
    if text == "[]":
        return []
    values = [_flow_scalar(part) for part in text[1:-1].split(", ")]
    return None if None in values else values  # type: ignore[return-value]


def _source(line: str) -> dict[str, Any] | None:
    match = _SOURCE.fullmatch(line)
    if match is None:
        return None
    file, line_number, listed = match.groups()
    name = _flow_scalar(file)
    if name is None or not _INT.fullmatch(line_number):
        return None
    date = _date(listed)
    when = date if date is not None else _flow_scalar(listed)
    if when is None:
        return None
    return {"file": name, "line": int(line_number), "listed": when}


def _date(text: str) -> datetime.date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return datetime.date(*map(int, match.groups()))
    except ValueError:
        return None  # not a real date: YAML's reading reports it


def _generated(text: str) -> dict[str, Any] | None:
    match = _GENERATED.fullmatch(text)
    if match is None:
        return None
    title, body, tags = _flow_scalar(match[1]), _flow_scalar(match[2]), _flow_list(match[3])
    dates = _flow_scalar(match[4]) if match[4] is not None else ""
    authors = _flow_scalar(match[5]) if match[5] is not None else ""
    if title is None or body is None or tags is None or dates is None or authors is None:
        return None
    found: dict[str, Any] = {"title": title, "body": body, "tags": tags}
    if match[4] is not None:
        found["dates"] = dates
    if match[5] is not None:
        found["authors"] = authors
    return found


def _resolves_to_str(text: str) -> bool:
    return bool(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR)  # type: ignore[no-untyped-call]


# --- writing ------------------------------------------------------------------------------

_PLAIN_BLOCKERS = frozenset("#,[]{}&*!|>'\"%@`")  # a scalar starting with one is never plain
_FLOW_BLOCKERS = frozenset(",?[]{}:")  # anywhere, they keep a scalar in [] or {} from being plain


def write(meta: dict[str, Any]) -> str | None:
    """`files.yamlfile.dump(meta)` for front matter in the shape `parse` reads, or None when any
    value is one whose style only YAML's emitter can tell (the caller then dumps with YAML).
    Scalars are written plain or single-quoted exactly when LibYAML's emitter would."""
    out = []
    for key, value in meta.items():
        if key in _SCALARS and isinstance(value, str):
            text = _written(value, flow=False)
            if text is None:
                return None
            out.append(f"{key}: {text}\n")
        elif key in _FLOW_LISTS and isinstance(value, list) and is_flow(value):
            text = _written_list(value)
            if text is None:
                return None
            out.append(f"{key}: {text}\n")
        elif key in _LISTS and isinstance(value, list) and not is_flow(value) and value:
            items = [_written(item, flow=False) for item in value]
            if None in items:
                return None
            out.append(f"{key}:\n" + "".join(f"- {item}\n" for item in items))
        elif key == "sources" and isinstance(value, list) and not is_flow(value) and value:
            lines = [_written_source(source) for source in value]
            if None in lines:
                return None
            out.append("sources:\n" + "".join(f"- {line}\n" for line in lines))
        elif key == "generated" and is_flow(value) and list(value) in _RECORDS:
            parts = [_written(value["title"], flow=True), _written(value["body"], flow=True)]
            tags = _written_list(value["tags"]) if is_flow(value["tags"]) else None
            more = [
                (name, _written(value[name], flow=True)) for name in ("dates", "authors") if name in value
            ]
            if None in parts or tags is None or any(text is None for _, text in more):
                return None
            rest = "".join(f", {name}: {text}" for name, text in more)
            out.append(f"generated: {{title: {parts[0]}, body: {parts[1]}, tags: {tags}{rest}}}\n")
        else:
            return None
    return "".join(out)


def _written(value: Any, flow: bool) -> str | None:
    """A string as LibYAML writes it (with allow_unicode, no wrapping), when that is certain.
    Short strings (dump names, tags, dates) recur on thousands of pages: worked out once."""
    if isinstance(value, str) and len(value) <= _RECURRING:
        return _written_short(value, flow)
    return _written_any(value, flow)


_RECURRING = 40  # characters: longer strings (titles, abstracts) seldom recur


@functools.lru_cache(maxsize=4096)
def _written_short(value: str, flow: bool) -> str | None:
    return _written_any(value, flow)


def _written_any(value: Any, flow: bool) -> str | None:
    if not isinstance(value, str) or not value or not value.isprintable() or value != value.strip(" "):
        return None
    if max(value) > "\uffff":
        return None  # LibYAML writes characters outside the BMP escaped, in double quotes
    marker = value.startswith(("---", "..."))  # the emitter never writes these plain
    if not marker and value[0] != "'" and (_flow_scalar if flow else _block_scalar)(value) == value:
        return value
    never_plain = (
        marker
        or not _resolves_to_str(value)
        or value[0] in _PLAIN_BLOCKERS
        or value[:2] in ("- ", "? ", ": ")
        or value in ("-", "?", ":")
        or " #" in value
        or ": " in value
        or value.endswith(":")
        or (flow and not _FLOW_BLOCKERS.isdisjoint(value))
    )
    if not never_plain:
        return None  # plain or not: only the emitter's own analysis knows
    return "'" + value.replace("'", "''") + "'"


def _written_list(values: list[Any]) -> str | None:
    items = [_written(v, flow=True) for v in values]
    return None if None in items else "[" + ", ".join(items) + "]"  # type: ignore[arg-type]


def _written_source(source: Any) -> str | None:
    if not is_flow(source) or list(source) != ["file", "line", "listed"]:
        return None
    file, line, listed = source["file"], source["line"], source["listed"]
    name = _written(file, flow=True)
    if name is None or type(line) is not int or line < 0:
        return None
    if type(listed) is datetime.date:
        when: str | None = listed.isoformat()
    else:
        when = _written(listed, flow=True)
    if when is None:
        return None
    return f"{{file: {name}, line: {line}, listed: {when}}}"

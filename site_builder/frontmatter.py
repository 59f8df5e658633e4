"""Markdown files with YAML front matter: split, parse (safely, with line numbers) and write.

Written YAML is fixed-order and unwrapped so that the same data always gives the same
bytes (idempotent ingest) and any title round-trips exactly through `safe_load`.
"""

from __future__ import annotations

from typing import Any

import yaml

from site_builder.errors import Problem


class _Flow(list[Any]):
    """A list written on one line: `tags: [a, b]`."""


class _FlowMap(dict[str, Any]):
    """A mapping written on one line: `- {file: x.txt, line: 7, listed: Mar 12}`."""


# LibYAML (C) when PyYAML has it: parsing and writing thousands of pages is most of
# ingest's time otherwise. Both produce the same text for what we write.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_SafeDumper):  # type: ignore[valid-type,misc]
    pass


def _flow_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _flow_map(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # YAML folds these into spaces inside plain and single-quoted scalars; escape them.
    style = '"' if any(c in data for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Flow, _flow_list)
_Dumper.add_representer(_FlowMap, _flow_map)


def flow(values: list[Any]) -> list[Any]:
    return _Flow(values)


def flow_map(values: dict[str, Any]) -> dict[str, Any]:
    return _FlowMap(values)


def dump(meta: dict[str, Any], body: str) -> str:
    """Front matter + body as the file text; keys keep the order of `meta`."""
    text = yaml.dump(
        meta,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=2**31 - 1,
        default_flow_style=False,
    )
    body = body.strip("\n")
    return f"---\n{text}---\n{body}\n" if body else f"---\n{text}---\n"


def split(text: str, path: str) -> tuple[dict[str, Any], str, int, list[Problem]]:
    """Parse a page: (front matter, body, line where the body starts, problems)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        hint = "a page starts with a line '---', then YAML, then another '---'"
        return {}, text, 1, [Problem(path, 1, f"no front matter; {hint}")]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return {}, text, 1, [Problem(path, 1, "front matter is not closed: add a line '---' after it")]
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=_SafeLoader)  # a safe loader: no arbitrary objects
    except yaml.YAMLError as err:
        # Where the construct began (an unclosed bracket) beats where the parser gave up.
        mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(err, "problem", None) or "cannot parse"
        return {}, "", end + 2, [Problem(path, line, f"invalid YAML in front matter: {reason}")]
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return {}, "", end + 2, [Problem(path, 2, "front matter must be a mapping of keys to values")]
    return meta, "\n".join(lines[end + 1 :]).strip("\n"), end + 2, []

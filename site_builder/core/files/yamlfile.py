"""YAML in and out: safe loading with line numbers, one error-to-line rule, fixed-form writing.

Everything the tool reads as YAML (site.yaml, taxonomy.yaml, a page's front matter, label
files) goes through `parse` or `load_file`, so every problem carries the same kind of
place. Written YAML keeps the caller's key order and never wraps lines, so the same data
always gives the same bytes and any string round-trips exactly through `safe_load`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from site_builder.core.errors import Problem, SiteError, not_utf8
from site_builder.core.files.content_files import plain_bytes
from site_builder.core.text import CONFLICT_MESSAGE, conflict_marker

# LibYAML (C) when PyYAML has it: parsing and writing thousands of pages is most of
# ingest's time otherwise. Both give the same data and text for what we read and write.
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_ESCAPE = (
    "a surrogate escape (\\udXXX) is not a character: write the character itself, or "
    "\\U0001F680 for one past \\uFFFF"
)


class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader, stricter where YAML is lenient, each mistake an error with its place:
    a date that does not exist (`2025-02-31`), a key given twice (YAML would keep the last
    silently), a surrogate escape (`"\\ud83d\\ude80"`, JSON's way to write 🚀), which LibYAML
    refuses and the pure-Python parser read: one answer whichever PyYAML is installed."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value its tag cannot make (`!!int abc`, `!!bool maybe`) is a mistake at its
        line, not a traceback from the constructor (a reviewer's `rating: !!int abc`)."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, TypeError, OverflowError):
            kind = str(node.tag).rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid {kind}", node.start_mark
            ) from None

    def construct_yaml_timestamp(self, node: yaml.Node) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as err:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a real date ({err})", node.start_mark
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str | int | float | bool):
                continue  # a mapping or list as a key: YAML's own rules apply
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    def construct_yaml_str(self, node: yaml.Node) -> str:
        text: str = super().construct_yaml_str(node)
        if _SURROGATE.search(text):  # every string of every page passes here: no Python loop
            raise yaml.constructor.ConstructorError(None, None, SURROGATE_ESCAPE, node.start_mark)
        return text


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _SafeLoader.construct_yaml_timestamp)
_SafeLoader.add_constructor("tag:yaml.org,2002:str", _SafeLoader.construct_yaml_str)
_SafeLoader.add_constructor("tag:yaml.org,2002:map", _SafeLoader.construct_yaml_map)


def yaml_problem(err: yaml.YAMLError, label: str, first_line: int, what: str) -> Problem:
    """A parse error as `label:line: invalid YAML…`; `first_line` is the file line of the
    text's first line (1 for a whole file, 2 for front matter after its `---`)."""
    # Where the construct began (an unclosed bracket or quote) beats where the parser gave
    # up; but a block (a list, a mapping) begins far above a wrong line in it: that line.
    context = getattr(err, "context", None) or ""
    began = None if context.startswith("while parsing a block") else getattr(err, "context_mark", None)
    mark = began or getattr(err, "problem_mark", None)
    line = mark.line + first_line if mark is not None else first_line
    reason = getattr(err, "problem", None) or "cannot parse"
    gave_up = getattr(err, "problem_mark", None)
    if began is not None and (bracket := _OPENED.get(context)) and gave_up is not None:
        if gave_up.line > began.line:  # read on past its line: unclosed; else a bad item in it
            reason += f": the {bracket} on this line is never closed"
        else:
            line = gave_up.line + first_line
    if reason.startswith("mapping values are not allowed"):  # LibYAML's words, or PyYAML's
        reason += f"; {_COLON_HINT}"
    if "tab character" in reason and gave_up is not None:  # said at the line above the tab's
        line = gave_up.line + first_line
        reason += "; indent with spaces, not tabs"
    return Problem(label, line, f"invalid YAML{what}: {reason}")


# YAML's words for the mistake people make most when they edit a title by hand (`title: Gemma:
# Open Models`) name no fix; the one that works, quoting, is what ingest writes itself.
_COLON_HINT = "a value with ': ' in it needs quotes, as in title: 'Gemma: Open Models'"


_OPENED = {"while parsing a flow sequence": "'['", "while parsing a flow mapping": "'{'"}


def parse(text: str) -> Any:
    """Parse YAML text with a safe loader (no arbitrary objects); raises yaml.YAMLError."""
    _refuse_aliases(text)
    return yaml.load(text, Loader=_SafeLoader)


def _refuse_aliases(text: str) -> None:
    """YAML aliases (`*name`) of a list or a mapping are refused: nested ones expand
    exponentially (a reviewer's seven lines made an 84 MB page on rewrite), and no setting or
    page needs them. An alias of a plain value costs only that value, and earlier versions
    of ingest wrote them into pages (`listed: &id001 2026-03-12` … `listed: *id001`): those
    are read, and ingest writes the values out."""
    if "*" not in text or "&" not in text:
        return  # an alias needs an anchor to name: no scan for the usual file
    try:
        tokens = list(yaml.scan(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:  # the parse after says where: this scan only reads tokens, and
        return  # gave up far below an unclosed `[` (30 lines down, in another tag)
    plain: set[str] = set()  # anchors of plain values
    anchor: str | None = None  # an anchor whose node has not begun yet
    for token in tokens:
        if isinstance(token, yaml.AnchorToken):
            anchor = token.value
            continue
        if anchor is not None and not isinstance(token, yaml.TagToken):
            if isinstance(token, yaml.ScalarToken):
                plain.add(anchor)
            else:
                plain.discard(anchor)  # named again, for a list or a mapping
            anchor = None
        if isinstance(token, yaml.AliasToken) and token.value not in plain:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"YAML aliases of a list or mapping (*{token.value}) are not supported; write the value out",
                token.start_mark,
            )


def load_file(path: Path, label: str | None = None, pipe: bool = False) -> tuple[Any, yaml.Node | None]:
    """A YAML file's data and its node tree (for `key_line`); SiteError if it cannot be read.
    `pipe`: it may be a pipe (a file named on the command line: `<(…)`); a file of the site
    is never read from one."""
    shown = label or str(path)
    try:
        raw = path.read_bytes() if pipe else plain_bytes(path)
        text = raw.decode("utf-8-sig")
    except OSError as err:
        raise SiteError(Problem(shown, 0, f"cannot read: {err.strerror}")) from None
    except UnicodeDecodeError:
        raise SiteError(not_utf8(shown, raw)) from None
    conflict = conflict_marker(text)  # else "invalid YAML: could not find expected ':'"
    if conflict is not None:
        raise SiteError(Problem(shown, conflict[0], CONFLICT_MESSAGE.format(marker=conflict[1])))
    loader = _SafeLoader(text)
    try:  # one parse (LibYAML's when there is one) gives both the nodes and the data
        _refuse_aliases(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        raise SiteError(yaml_problem(err, shown, 1, "")) from None
    finally:
        loader.dispose()
    return data, node


def key_line(node: yaml.Node | None, *keys: str | int) -> int:
    """1-based line of the value at `keys` inside a composed YAML node, or 0."""
    line = node.start_mark.line + 1 if node is not None else 0
    for key in keys:
        if isinstance(node, yaml.MappingNode):
            found = next(((k, v) for k, v in node.value if k.value == key), None)
            if found is None:
                return line
            line, node = found[0].start_mark.line + 1, found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


# --- writing ------------------------------------------------------------------------------


class _Flow(list[Any]):
    """A list written on one line: `tags: [a, b]`."""


class _FlowMap(dict[str, Any]):
    """A mapping written on one line: `- {file: x.txt, line: 7, listed: 2026-03-12}`."""


class _Dumper(_SafeDumper):  # type: ignore[valid-type,misc]
    def ignore_aliases(self, data: Any) -> bool:
        """Every value written out in full: two sources listed the same day share one date
        object, which YAML would otherwise write once as `&id001 2026-03-12` and then as
        `*id001`, a puzzle for the person reading the page."""
        return True


def _flow_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _flow_map(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # YAML folds these into spaces inside plain and single-quoted scalars; escape them.
    # Text of several lines (`notes: |`) stays a block of lines, as a person writes it
    # (the emitter falls back to quotes where a block cannot hold it: trailing spaces).
    style = '"' if any(c in data for c in "\x85\u2028\u2029") else "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(_Flow, _flow_list)
_Dumper.add_representer(_FlowMap, _flow_map)


def flow(values: list[Any]) -> list[Any]:
    """A list that `dump` writes on one line."""
    return _Flow(values)


def flow_map(values: dict[str, Any]) -> dict[str, Any]:
    """A mapping that `dump` writes on one line."""
    return _FlowMap(values)


def is_flow(value: Any) -> bool:
    """Whether `dump` writes this list or mapping on one line (`flow`, `flow_map`)."""
    return isinstance(value, _Flow | _FlowMap)


def dump(data: dict[str, Any]) -> str:
    """YAML text for a mapping, keys in the order given, no line wrapping."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=2**31 - 1,
        default_flow_style=False,
    )

"""A person's `#` comments in a page's front matter, carried into the text ingest writes again.

Ingest writes its own keys (`title:`, `slug:`, `sources:` …) in a fixed shape, and copies a
person's keys as they wrote them, with the comment lines after each. Every other comment
went with the old text: a note above the first key, one beside `slug:`, one above
`sources:` (a curator's notes were gone, without a word, after a paper was listed again).
Here a comment line goes back above the key it stood above, and a comment beside a key's
line beside that key's new line, or above it when that would change what the page says.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import yaml

from site_builder.core.pages.pagefile import page_lines, split

_KEY = re.compile(r"^([A-Za-z0-9_][^:#]*?):(?:[ \t]|$)")  # a key at the left margin
_COMMENT_LINE = re.compile(r"^[ \t]*#")
_BESIDE = re.compile(r"[ \t]+#")  # where a comment after a value may start


@dataclass
class Comments:
    """A front matter's comments: each run of comment lines by the key it stood above (None:
    after the last key), and the comment beside each key's first line."""

    above: dict[str | None, list[str]] = field(default_factory=dict)
    beside: dict[str, str] = field(default_factory=dict)
    # A list item's comment (`- {file: …, listed: 2024-03-13}  # the dump says Mar 14`), by
    # the item's text without it, with the key the item is under.
    items: dict[str, tuple[str, str | None]] = field(default_factory=dict)


def found_in(lines: list[str]) -> Comments:
    """The comments of front matter `lines` (those between the `---` lines): above a key,
    beside a key, beside a list item."""
    comments = Comments()
    waiting: list[str] = []
    section: str | None = None  # the key the lines are under
    for line in lines:
        if _COMMENT_LINE.match(line):
            waiting.append(line.strip())
            continue
        key = _KEY.match(line)
        if key is None:
            if "#" in line and (after := _beside(line)):
                comments.items[line[: line.rindex(after)].strip()] = (after, section)
            continue
        section = key.group(1).strip()
        if waiting:
            comments.above.setdefault(key.group(1).strip(), []).extend(waiting)
            waiting = []
        if "#" in line and (after := _beside(line)):
            comments.beside[key.group(1).strip()] = after
    if waiting:
        comments.above[None] = waiting
    return comments


def _beside(line: str) -> str | None:
    """The comment after a one-line `key: value`: the first ` #` whose removal leaves what
    YAML reads the same (a `#` inside quotes is part of the value)."""
    try:
        whole = yaml.safe_load(line)
    except yaml.YAMLError:
        return None
    for start in _BESIDE.finditer(line):
        try:
            if yaml.safe_load(line[: start.start()]) == whole:
                return line[start.start() :].strip()
        except yaml.YAMLError:
            continue
    return None


def carried(text: str, was: str) -> str:
    """`text`, a page ingest writes, with the comments of the front matter it `was` that
    `text` lacks; `text` as it is if no placing of them reads back as the same values."""
    old, old_end = page_lines(was)
    if old_end is None or not any("#" in line for line in old[1:old_end]):
        return text
    new, end = page_lines(text)
    if end is None:
        return text
    comments = found_in(old[1:old_end])
    kept = Counter(line.strip() for line in new[1:end] if _COMMENT_LINE.match(line))
    # A person's own key keeps its comments: not twice. Those come after the known keys,
    # so a repeated comment is taken from the last place it stood.
    for run in reversed(comments.above.values()):
        run[:] = [line for line in reversed(run) if not _taken(kept, line)][::-1]
    present = {line.strip() for line in new[1:end]}
    for item, (note, section) in comments.items.items():  # an item gone: its comment above its key
        if item not in present:
            comments.above.setdefault(section, []).append(note)
    wanted = split(text, "")
    for beside in (True, False):
        front = _placed(new[1:end], comments, beside)
        out = "\n".join([new[0], *front, *new[end:]])
        if out == text or split(out, "") == wanted:
            return out
    return text


def _taken(kept: Counter[str], line: str) -> bool:
    if kept[line] > 0:
        kept[line] -= 1
        return True
    return False


def _placed(lines: list[str], comments: Comments, beside: bool) -> list[str]:
    """Front matter `lines` with `comments` put back: above their keys (a key gone: at the
    end), and beside their keys' lines when `beside`, else above them."""
    out: list[str] = []
    keys = {m.group(1).strip() for line in lines if (m := _KEY.match(line))}
    for line in lines:
        key = _KEY.match(line)
        name = key.group(1).strip() if key else ""
        if key is None:
            note = comments.items.get(line.strip(), ("", None))[0] or None
        else:
            out += comments.above.get(name, [])
            note = comments.beside.get(name)
        if note is None or note in line:
            out.append(line)
        elif beside:
            out.append(f"{line}  {note}")
        else:
            out += [note, line]
    out += [line for name, run in comments.above.items() if name not in keys for line in run]
    return out

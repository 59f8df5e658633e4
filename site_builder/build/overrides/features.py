"""A site's template overrides read against the bundled templates they replace: the theme's
scripts and the element ids other pages or scripts rely on, which an override kept from an
earlier release may lack.

The 2026-12-02 release's `base.html` loads no `reading.js`, and its `paper.html` has no
`id="notes-heading"`: a site that kept edited copies of them built without a word, its
readers' saved list, read marks and notes gone, and `check` named only what broke elsewhere
(the missing script, a link on another page). Here each is named at the site's own file.
What counts is read from the bundled theme, not kept by hand: the scripts its templates load,
and of its templates' literal ids, those its scripts name or another template links to.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from site_builder.build.render.theme import PACKAGE_THEME, Theme
from site_builder.core.errors import Problem
from site_builder.core.files.content_files import label_of

BUNDLED = PACKAGE_THEME / "templates"
SCRIPT_TAG = re.compile(r"<script\b[^>]*\bsrc=[^>]*>")  # its src may hold {{ asset("x.js") }}
JS_NAME = re.compile(r"[\w.-]+\.js\b")
LITERAL_ID = re.compile(r"\bid=([\"'])([A-Za-z][\w-]*)\1")
LINKED_ID = re.compile(r"\.html#([A-Za-z][\w-]*)\"")  # a link to an element of another page
QUOTED = re.compile(r"[\"']#?([A-Za-z][\w-]*)[\"']")  # getElementById("x"), querySelector("#x")
REFERENCED = re.compile(r"\{%-?\s*(?:extends|include|import|from)\s+[\"']([^\"']+)[\"']")
JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)


@dataclass(frozen=True)
class Relied:
    """What one bundled template has that more than itself needs: the theme's scripts it
    loads (name → the line of its tag), and its ids (id → its line, and who relies on it:
    the scripts that look it up, the templates that link to it from another page)."""

    scripts: dict[str, int]
    ids: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]]


@dataclass(frozen=True)
class Dropped:
    """A script or id an override lacks; `element_id` is None for a script."""

    problem: Problem
    element_id: str | None


def own_templates(theme: Theme) -> set[str]:
    """The templates the site has of its own."""
    return {name for name, path in theme.templates.items() if not path.is_relative_to(PACKAGE_THEME)}


def dropped_features(theme: Theme, root: Path) -> list[Dropped]:
    """A warning at each of the site's templates for every script or relied-on id the bundled
    template of its name has and the site's (with what it extends and includes) has not."""
    own = own_templates(theme)
    if not own:  # the bundled theme: whole, and nothing read
        return []
    relied, found = _bundled_reliance(), list[Dropped]()
    for name in sorted(own & relied.keys()):
        text = _page_text(name, theme, set())
        where, bundled = label_of(theme.templates[name], root), relied[name]
        scripts = {js for tag in SCRIPT_TAG.findall(text) for js in JS_NAME.findall(tag)}
        ids = {match[1] for match in LITERAL_ID.findall(text)}
        for js, line in bundled.scripts.items():
            if js not in scripts:
                found.append(Dropped(_no_script(where, name, js, line), None))
        for id_, (line, by_scripts, by_links) in bundled.ids.items():
            if id_ not in ids:
                found.append(Dropped(_no_id(where, name, id_, line, by_scripts, by_links), id_))
    return found


def _page_text(name: str, theme: Theme, seen: set[str]) -> str:
    """The template's source with those it extends, includes and imports (the site's own or
    the bundled), Jinja2 comments left out: what a page made from it can have."""
    path = theme.templates.get(name)
    if path is None or name in seen:
        return ""
    seen.add(name)
    try:
        source = JINJA_COMMENT.sub("", path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):  # the build names an unreadable template
        return ""
    return "\n".join([source, *(_page_text(other, theme, seen) for other in REFERENCED.findall(source))])


@functools.cache
def _bundled_reliance() -> dict[str, Relied]:
    """Each bundled template that has something relied on, read once."""
    sources = {
        p.relative_to(BUNDLED).as_posix(): p.read_text(encoding="utf-8") for p in BUNDLED.rglob("*.html")
    }
    named: dict[str, set[str]] = {}  # an id → the scripts that name it
    for js in sorted((PACKAGE_THEME / "static").glob("*.js")):
        if not js.name.endswith(".min.js"):  # third-party code: none of the theme's ids
            for word in QUOTED.findall(js.read_text(encoding="utf-8")):
                named.setdefault(word, set()).add(js.name)
    linked: dict[str, set[str]] = {}  # an id → the templates that link to it on another page
    for name, source in sources.items():
        for id_ in LINKED_ID.findall(source):
            linked.setdefault(id_, set()).add(name)
    relied: dict[str, Relied] = {}
    for name, source in sorted(sources.items()):
        scripts = {
            js: _line(source, match.start())
            for match in SCRIPT_TAG.finditer(source)
            for js in JS_NAME.findall(match[0])
        }
        ids = {
            match[2]: (
                _line(source, match.start()),
                tuple(sorted(named.get(match[2], ()))),
                tuple(sorted(linked.get(match[2], set()) - {name})),
            )
            for match in LITERAL_ID.finditer(source)
            if named.get(match[2]) or linked.get(match[2], set()) - {name}
        }
        if scripts or ids:
            relied[name] = Relied(scripts, ids)
    return relied


def _line(source: str, at: int) -> int:
    return source.count("\n", 0, at) + 1


def _compare(name: str) -> str:
    return f"compare this file with the bundled {name}, {BUNDLED / name}, which your copy came from"


def _no_script(where: str, name: str, js: str, line: int) -> Problem:
    tag = _bundled_line(name, line)
    message = (
        f"does not load the theme's {js}, which the bundled {name} loads (line {line}): pages made "
        f"from this file lose what it does{_what_script_does(js)}; add `{tag}` where the bundled "
        f"{name} has it, and {_compare(name)}"
    )
    return Problem(where, 0, message, "warning")


def _no_id(
    where: str, name: str, id_: str, line: int, by_scripts: tuple[str, ...], by_links: tuple[str, ...]
) -> Problem:
    lost = []
    if by_links:
        lost.append(
            f"links to #{id_} from other pages ({', '.join(by_links)}) land at the top of the page, "
            "not at that element, and `check` fails at each"
        )
    if by_scripts:
        lost.append(f"what {' and '.join(by_scripts)} does with it stops working on these pages")
    message = (
        f'has no element with id="{id_}", which the bundled {name} has (line {line}: '
        f"`{_bundled_line(name, line)}`): {'; '.join(lost)}; {_compare(name)}, and keep the element"
    )
    return Problem(where, 0, message, "warning")


def _bundled_line(name: str, line: int) -> str:
    return (BUNDLED / name).read_text(encoding="utf-8").splitlines()[line - 1].strip()


@functools.cache
def _what_script_does(js: str) -> str:
    """What a reader gets from the theme's script, as its opening comment says up to its first
    `;` or full stop, in brackets ("" without one)."""
    source = (PACKAGE_THEME / "static" / js).read_text(encoding="utf-8")
    opening = re.match(r"\s*/\*(.*?)\*/", source, re.DOTALL)
    if opening is None:
        return ""
    words = " ".join(part.strip(" *") for part in opening[1].splitlines()).strip()
    said = re.split(r";|\.(?:\s|$)", words, maxsplit=1)[0].strip()
    if len(said) > 1 and said[1].islower():
        said = said[0].lower() + said[1:]
    return f" ({said})" if said else ""

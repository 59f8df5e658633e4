"""A page's file text as ingest writes it: the known keys in a fixed order and shape, then a
person's keys as they wrote them, then ingest's record (`generated:`), then the body."""

from __future__ import annotations

import datetime
import re
from typing import Any

from site_builder.core.files import yamlfile
from site_builder.core.model import Page, listing_date
from site_builder.core.pages import frontmatter
from site_builder.core.pages.comments import carried
from site_builder.core.pages.pagefile import KNOWN_KEYS, page_lines, split


def join(meta: dict[str, Any], body: str) -> str:
    """Front matter + body as the file text; keys keep the order of `meta`."""
    return _file(_written(meta), body)  # the shape ingest writes, without YAML's emitter; else YAML


def _file(front: str, body: str) -> str:
    body = body.strip("\n")
    return f"---\n{front}---\n{body}\n" if body else f"---\n{front}---\n"


def page_text(page: Page, generated: dict[str, Any], was: str = "") -> str:
    """The file text of a page: known keys in a fixed order, a person's keys after them.

    A person's key whose value is as the file `was` held it is copied as they wrote it:
    written again from its value, YAML 1.1 had turned `zip: 01234` into 668, `12:30` into
    750 and `country: NO` into false. If the copy would not read back as the same values
    (an alias of an anchor elsewhere), every key is written from its value. A person's
    comments elsewhere in the front matter are put back where they stood (`comments.py`)."""
    meta = front_matter(page, generated)
    return carried(_with_own_lines(meta, page, was), was) if was else join(meta, page.body)


def _with_own_lines(meta: dict[str, Any], page: Page, was: str) -> str:
    own = _own_lines(was, page.extra) if page.extra else {}
    if not own:
        return join(meta, page.body)
    head = _written({k: v for k, v in meta.items() if k not in page.extra and k != "generated"})
    mine = "".join(own[k] if k in own else _written({k: v}) for k, v in page.extra.items())
    out = _file(head + mine + _written({"generated": meta["generated"]}), page.body)
    read, _, problems = split(out, "")
    if problems or {k: v for k, v in read.items() if k not in KNOWN_KEYS} != page.extra:
        return join(meta, page.body)
    return out


_TOP_KEY = re.compile(r"^(?!-)([A-Za-z0-9_][^:#]*?):(?:[ \t]|$)")


def _own_lines(text: str, extra: dict[str, Any]) -> dict[str, str]:
    """The lines of each of a person's keys in a page's front matter, as written (from its
    key to the next key at the left margin), for the keys whose value `extra` still holds."""
    lines, end = page_lines(text)
    if end is None:
        return {}
    starts = [(i, m.group(1).strip()) for i in range(1, end) if (m := _TOP_KEY.match(lines[i]))]
    found: dict[str, str] = {}
    for n, (i, key) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else end
        if key in extra and key not in KNOWN_KEYS:
            found[key] = "".join(line + "\n" for line in lines[i:stop])
    return {key: found[key] for key in extra if key in found}  # in the page's order of them


def _written(meta: dict[str, Any]) -> str:
    text = frontmatter.write(meta)
    return yamlfile.dump(meta) if text is None else text


def front_matter(page: Page, generated: dict[str, Any]) -> dict[str, Any]:
    """What a page's front matter holds, in the order and styles it is written in."""
    meta: dict[str, Any] = {"title": page.title}
    if page.authors:  # a page no listing gave names keeps the shape it always had
        meta["authors"] = yamlfile.flow(list(page.authors))
    meta |= {"slug": page.slug, "tags": yamlfile.flow(list(page.tags))}
    if page.aliases:
        meta["aliases"] = list(page.aliases)
    if page.links:
        meta["links"] = list(page.links)
    meta["sources"] = [
        yamlfile.flow_map({"file": s.file, "line": s.line, "listed": _listed_value(s.listed)})
        for s in page.sources
    ]
    meta.update(page.extra)
    record = {
        "title": generated["title"],
        "body": generated["body"],
        "tags": yamlfile.flow(list(generated["tags"])),
    }
    for name in ("dates", "authors"):  # the authors' only when the dumps gave some
        if name in generated:
            record[name] = generated[name]
    meta["generated"] = yamlfile.flow_map(record)
    return meta


def _listed_value(listed: str) -> datetime.date | str:
    """How a listing date is written: a YAML date (`2025-03-12`, unquoted) when it is one."""
    date = listing_date(listed)
    return date if date is not None else listed

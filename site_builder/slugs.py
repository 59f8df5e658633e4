"""Permanent, filesystem-safe slugs for paper pages.

A slug is derived once from the title and then stored in the page, so URLs never
change when a paper is retitled or the slug rules improve.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_SLUG = 80
# Names the site itself uses, and names Windows cannot store as files.
RESERVED = frozenset(
    ["index", "tags", "tag", "search", "404", "page", "papers", "assets", "feed", "sitemap"]
    + ["robots", "con", "prn", "aux", "nul", "clock$"]
    + [f"com{i}" for i in range(10)]
    + [f"lpt{i}" for i in range(10)]
)
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(title: str) -> str:
    """ASCII-folded, lowercase, hyphen-separated, at most MAX_SLUG characters, never reserved."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[: MAX_SLUG + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[20:] else slug[:MAX_SLUG]
        slug = slug.strip("-")
    if not slug:
        # All emoji, CJK or punctuation: a stable name from the title itself.
        digest = hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]
        slug = f"paper-{digest}"
    if slug in RESERVED:
        slug = f"{slug}-paper"
    return slug


def unique_slug(title: str, taken: set[str]) -> str:
    """slugify(title), with -2, -3, … appended until it is not in `taken` (compared casefolded)."""
    base = slugify(title)
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: MAX_SLUG - len(suffix)].rstrip("-") + suffix
        n += 1
    return slug


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_RE.match(slug)) and len(slug) <= MAX_SLUG and slug not in RESERVED

"""Which folder a build may put its site in, and what in it belongs to a person.

A build replaces its output folder's contents, so it refuses one that is, holds or lies
inside the site's own files (the root, content/, themes/), and a folder holding files no
build made: Jekyll's "destination directory cannot be or contain the source directory".
What a person keeps there (`.git`, `CNAME`, `keep_files:`) survives every build, and a kept
path the build also makes is refused, since the build's file would replace the person's.
A folder something is mounted on cannot be renamed (`is_mount_point`): output/sitedir.py
swaps its contents instead.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path

from site_builder.build.feeds import SITEMAP_PART
from site_builder.build.layout import GENERATOR_META, GENERATOR_WITHIN, NOTES, NOTES_FEED, SEARCH_FILES
from site_builder.core.errors import Problem, SiteError
from site_builder.core.pages.pagefile import line_of
from site_builder.core.text import some_of

# A build's temporary folder inside the output: `tempfile.mkdtemp`'s name (eight of
# [a-z0-9_]) after the pid (output/sitedir.py makes them).
TEMPORARY_INSIDE = re.compile(r"\.site_builder\.(?:tmp|old)-(\d+)-[a-z0-9_]{8}$")

NOJEKYLL = ".nojekyll"  # every build writes it: GitHub Pages then serves the files as they are
GENERATOR = GENERATOR_META.encode()  # in every page: a site we built
ALWAYS_KEPT = (".git", "CNAME")

# What a build puts at the top of its output folder (tests/test_sitedir.py checks it against
# a real build): anything else in a folder no manifest names is a person's.
SITE_NAMES = frozenset(
    {
        NOJEKYLL,
        "404.html",
        "archive",
        "assets",
        "feed.xml",
        "index.html",
        "page",
        "papers",
        NOTES,
        f"{NOTES}.html",
        NOTES_FEED,
        "robots.txt",
        "saved.html",
        "search.html",
        "sitemap.xml",
        "tags",
        "trends.html",
    }
)


def check_output(
    out: Path,
    own: Sequence[Path],
    root: Path,
    built_here: bool,
    keep: Sequence[str] = ALWAYS_KEPT,
    earlier: Collection[str] = frozenset(),
) -> None:
    """Refuse an output folder whose replacement would lose what a person owns.

    `own`: the site's own folders (content/, themes/); `root`: the site folder;
    `built_here`: the last build's manifest names this folder; `keep`: what builds keep in it;
    `earlier`: the files an earlier version's build made here (output/earlier.py).
    A folder no manifest names is taken for a site only if its home page says this tool
    built it and it holds nothing a build does not make or keep: one `index.html` copied
    into a web root does not make the web root a site.
    """
    target, site = resolved(out), resolved(root)
    shown = str(out)
    if target == site or site.is_relative_to(target):
        raise SiteError(
            Problem(shown, 0, "the output folder cannot be or contain the site folder; choose another --out")
        )
    for folder in own:
        mine = resolved(folder)
        if target.is_relative_to(mine) or mine.is_relative_to(target):
            message = f"the output folder cannot be, hold or lie inside {folder}; choose another --out"
            raise SiteError(Problem(shown, 0, message))
    if out.is_symlink():
        message = "the output folder is a symbolic link, which a build would replace; "
        message += "give its target as --out"
        raise SiteError(Problem(shown, 0, message))
    if out.exists() and not out.is_dir():
        raise SiteError(Problem(shown, 0, "output exists and is not a folder; choose another --out"))
    if not out.is_dir() or built_here:
        return
    kept = kept_names(keep)
    names = sorted(e.name for e in out.iterdir() if e.name not in kept and not _temporary(e.name))
    if looks_built(out) or earlier:
        # A page from content/pages (`about.html`) sits at the top too, saying who made it.
        strangers = [
            name
            for name in names
            if name not in SITE_NAMES
            and name not in earlier
            and not SITEMAP_PART.fullmatch(name)
            and not _built_file(out, name)
        ]
        if strangers:
            message = (
                f"refusing to replace this folder: it holds {some_of(strangers)}, which no build makes; "
            )
            message += "move them out, name them in keep_files:, or choose another --out"
            raise SiteError(Problem(shown, 0, message))
    elif names:
        message = f"refusing to replace this folder: it holds {some_of(names)} and no build made it "
        message += "(a site one of this tool's first versions built looks so too once .site-cache is gone: "
        message += "delete that one, a build makes it again); "
        message += "empty it, or choose another --out"
        raise SiteError(Problem(shown, 0, message))


def _temporary(name: str) -> bool:
    """A build's own folder inside the output (`.site_builder.tmp-PID-…`, `.old-`): not a
    person's, whose `.site_builder-notes.txt` was taken for one and deleted, nor one named
    `.site_builder.tmp-keep` (its files were deleted: a fuzzer's find)."""
    return TEMPORARY_INSIDE.match(name) is not None


def strangers(
    out: Path, made: Collection[str], keep: Sequence[str], earlier: Collection[str] = frozenset()
) -> list[str]:
    """Files in a folder no build here made, but a copy of a built site (`looks_built`) or
    an earlier version's (`earlier`: the files it made), that this build neither makes nor
    keeps: a person's logo in `assets/`, a page of their own in `papers/`. Its top level
    alone was looked at, and a build deleted them. (The search files, made in a bundle whose
    names come later, are known by their form.)"""
    found = []
    for folder, dirs, files in os.walk(out):
        where = Path(folder).relative_to(out).as_posix()
        prefix = "" if where == "." else where + "/"
        dirs[:] = [d for d in dirs if not (prefix == "" and (d in kept_names(keep) or _temporary(d)))]
        for name in files:
            rel = prefix + name
            if rel not in made and rel not in earlier and not _kept(rel, keep) and not _built_file(out, rel):
                found.append(rel)
    return sorted(found)


_TAG_FEED = re.compile(r"tags/[^/]+\.xml")  # `layout.tag_feed_path`


def _built_file(out: Path, rel: str) -> bool:
    """A file an earlier build made that this one no longer makes (the page of a paper
    deleted since, when `.site-cache` was removed too; the notes feed once the last note
    went): its page says so, or it is named as only builds name files. A person's logo or
    page of their own is neither. (The marker, robots.txt, sitemap.xml and feed.xml are
    made by every build: never asked.)"""
    if SEARCH_FILES.fullmatch(rel) or SITEMAP_PART.fullmatch(rel) or _TAG_FEED.fullmatch(rel):
        return True
    if rel == NOTES_FEED:  # made only while a paper has notes
        return True
    if rel.endswith(".zip") and "/" not in rel:
        return _zip_says_built(out / rel)
    return rel.endswith(".html") and _says_built(out / rel)


def _zip_says_built(path: Path) -> bool:
    """An offline copy (build/offline/site_zip.py) an earlier build made, with `.site-cache` removed
    since or never written: the home page in its one folder says this tool built it."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(f"{path.stem}/index.html") as page:
            return GENERATOR in page.read(GENERATOR_WITHIN)
    except (OSError, KeyError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error):
        return False


def _says_built(page: Path) -> bool:
    try:
        with page.open("rb") as handle:
            return GENERATOR in handle.read(GENERATOR_WITHIN)
    except OSError:
        return False


def _kept(rel: str, keep: Sequence[str]) -> bool:
    return any(_within(rel, kept) for kept in keep)


def _within(path: str, rel: str) -> bool:
    """Whether output `path` is the kept path `rel`, or lies in it."""
    return path == rel or path.startswith(rel.rstrip("/") + "/")


def refuse_kept_outputs(root: Path, keep: Sequence[str], made: Iterable[str]) -> None:
    """A `keep_files:` path the build also makes: the person's copy would be replaced, so
    nothing is written until the setting changes."""
    clashes = kept_and_made(keep, made)
    if not clashes:
        return
    config = root / "content" / "site.yaml"
    try:
        line = line_of(config.read_text(encoding="utf-8"), "keep_files")
    except (OSError, UnicodeDecodeError):
        line = 0
    problems = [
        Problem(
            "content/site.yaml",
            line,
            f"'keep_files': {rel} "
            + ("is a file every build makes" if rel == path else f"holds files the build makes ({path} …)")
            + ", so a build would replace yours; remove it from keep_files",
        )
        for rel, path in clashes.items()
    ]
    raise SiteError(problems)


def refuse_strangers(
    out: Path, made: Collection[str], keep: Sequence[str], earlier: Collection[str] = frozenset()
) -> None:
    found = strangers(out, made, keep, earlier)
    if found:
        message = (
            f"refusing to replace this folder: it holds {some_of(found)}, which this build does not make; "
        )
        message += "move them out, name them in keep_files:, or empty the folder"
        raise SiteError(Problem(str(out), 0, message))


def kept_and_made(keep: Sequence[str], made: Iterable[str]) -> dict[str, str]:
    """Each kept path (`keep_files:`) that is, or holds, a file the build makes → one such
    file: the build would replace the person's copy."""
    found: dict[str, str] = {}
    for path in made:
        for rel in keep:
            if rel not in found and _within(path, rel):
                found[rel] = path
    return found


def looks_built(out: Path) -> bool:
    """A site this tool built: its home page says so (as every page does)."""
    return _says_built(out / "index.html")


def resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def kept_names(keep: Sequence[str]) -> set[str]:
    """The entries at the top of the output folder that hold what a person keeps."""
    return {rel.split("/", 1)[0] for rel in keep}


def keep_paths(keep_files: Sequence[str]) -> tuple[str, ...]:
    """What a build never removes from the output folder: .git, CNAME and `keep_files`."""
    return tuple(dict.fromkeys([*ALWAYS_KEPT, *keep_files]))


def is_mount_point(path: Path) -> bool:
    """A folder something is mounted on, bind mounts included (which `os.path.ismount`
    misses when both sides are on one file system): it cannot be renamed."""
    if os.path.ismount(path):
        return True
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as handle:
            points = {_unescape_mount(line.split(" ")[4]) for line in handle if line.count(" ") >= 5}
    except OSError:
        return False
    return str(resolved(path)) in points


def _unescape_mount(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)

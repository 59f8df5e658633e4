"""`site-builder init DIR`: a complete new site repository, ready to push to GitHub.

It writes content/ (site.yaml, taxonomy.yaml, sources/ and papers/, each with a .gitkeep
so that a clone has them), a .gitignore, a GitHub
Pages workflow that installs the tool with pip and builds the site (on push and daily), a
requirements.txt naming the tool, and a README with the two commands. It never overwrites
a file that exists: what is there already is kept and said so.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from urllib.request import url2pathname

from site_builder import __version__
from site_builder.core.errors import Problem, SiteError
from site_builder.core.files.content_files import files_in, repository_around, site_around

TEMPLATE = Path(__file__).resolve().parent.parent / "site_template"
# Where each file of the new site comes from (dotfiles are stored without their dot, so
# that packaging tools do not drop them).
FILES = {
    "content/site.yaml": "site.yaml",
    "content/taxonomy.yaml": "taxonomy.yaml",
    "content/synonyms.yaml": "synonyms.yaml",
    ".gitignore": "gitignore",
    ".github/workflows/pages.yml": "github/workflows/pages.yml",
    ".github/workflows/check.yml": "github/workflows/check.yml",
    "README.md": "README.md",
}
FOLDERS = ("content/sources", "content/papers")


def installed_from() -> dict[str, Any]:
    """What pip recorded of where this copy of the tool came from (PEP 610's direct_url.json:
    `url`, and `vcs_info.commit_id` for a git install); empty when it recorded nothing."""
    try:
        raw = metadata.distribution("site_builder").read_text("direct_url.json")
        info = json.loads(raw) if raw else {}
    except (metadata.PackageNotFoundError, ValueError):
        info = {}
    return info if isinstance(info, dict) else {}


def tool_requirement() -> str:
    """requirements.txt for the new site: how this copy of the tool was installed, when pip
    recorded a URL the site's CI can install from (a git repository or an archive)."""
    info = installed_from()
    url = _reachable(str(info.get("url", "")))
    vcs = info.get("vcs_info")
    sub = info.get("subdirectory")
    part = f"#subdirectory={sub}" if isinstance(sub, str) and sub else ""  # the package in a folder
    if vcs and url.startswith(("https://", "http://")):
        commit = vcs.get("commit_id", "")
        return f"site_builder @ git+{url}{'@' + commit if commit else ''}{part}\n"
    if url.startswith(("https://", "http://")) and not vcs:
        return f"site_builder @ {url}{part}\n"
    cloned = _clone_of(url) if url.startswith("file://") else None
    if cloned is not None:  # a local clone of a repository CI can reach: its origin, this commit
        folder, origin, commit = cloned
        return (
            f"# From your clone at {folder}: CI installs this commit from its origin, so push it there.\n"
            f"site_builder @ git+{origin}@{commit}{part}\n"
        )
    # Not `site_builder==VERSION`: no index holds it today, but anyone may claim the name on
    # PyPI, and a site that never edited the line would then run their code in CI.
    return (
        "# The site_builder this site is built with. It was installed here from a local folder or file, so\n"
        "# point this line at where CI can get it, e.g.:\n"
        "#   site_builder @ git+https://github.com/<you>/site_builder@<commit>\n"
        f"site_builder @ https://example.invalid/set-where-ci-gets-site_builder-{__version__}\n"
    )


def _outer_repository(folder: Path) -> Path | None:
    """The git repository a new site's folder lies inside (not at its root): the tool's own
    clone, where a newcomer ran `init my-papers` (a reviewer), or any other."""
    outer = repository_around(folder)
    return outer if outer is not None and not (folder / ".git").exists() else None


def _clone_of(url: str) -> tuple[str, str, str] | None:
    """(folder, origin's https address, HEAD commit) of the git clone a `file://` install
    came from; None when it is none, or its origin is no address CI reaches. (From a local
    clone, as the README installs, `init` wrote a placeholder and a newcomer was left to
    find the address and the commit: not `--version`'s code hash.)"""
    folder = url2pathname(urlsplit(url).path)

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", folder, *args], capture_output=True, timeout=10)
        return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else ""

    try:
        origin, commit = _reachable(git("remote", "get-url", "origin")), git("rev-parse", "HEAD")
    except (OSError, subprocess.SubprocessError):  # no git here
        return None
    if not origin.startswith("https://") or not re.fullmatch(r"[0-9a-f]{40}", commit):
        return None
    return folder, origin, commit


SCP_LIKE = re.compile(r"^[^@/:]+@([^/:]+):/*(.+)$")  # git@host:owner/repo, as git writes it
SSH_HOSTS = {"ssh.github.com": "github.com", "altssh.gitlab.com": "gitlab.com"}  # SSH over 443


def _reachable(url: str) -> str:
    """The address CI installs from: a repository cloned over SSH as its https address (a
    runner holds no SSH key, and `git+ssh://git@…` failed the install), without the SSH port
    or user (`ssh://git@host:2222/o/r` is `https://host/o/r`); any address without a user
    or token in it."""
    found = SCP_LIKE.match(url)
    if found:
        host, path = found[1], found[2]
    elif url.startswith("ssh://"):
        parts = urlsplit(url)
        host, path = parts.hostname or "", parts.path.lstrip("/")
    elif "@" in (parts := urlsplit(url)).netloc and parts.hostname:
        # A user and token in an https address (a clone made with one) would be committed
        # into requirements.txt, and pushed (a reviewer): the address without them.
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    else:
        return url
    return f"https://{SSH_HOSTS.get(host, host)}/{path}" if host and path else url


TAXONOMY = "content/taxonomy.yaml"
# Files a site seldom edits, which versions improve.
UPGRADED = (".github/workflows/pages.yml", ".github/workflows/check.yml", ".gitignore")


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _kept_line(target: Path, rel: str, ours: str) -> str:
    """A kept file; for the workflow and .gitignore, whether this version writes them otherwise
    (an upgraded site's workflow may lack the cache or the commit of the pages ingest wrote)."""
    if rel in UPGRADED:
        try:
            same = (target / rel).read_text(encoding="utf-8") == ours
        except (OSError, UnicodeDecodeError):
            same = True  # not ours to judge
        if not same:
            return f"  kept {rel} (it exists, and differs from this version's: {TEMPLATE / FILES[rel]})"
    if rel == TAXONOMY and _text(target / rel) not in ("", ours):  # yours; new rules are worth a look
        return f"  kept {rel} (yours; to compare for new rules, this version's: {TEMPLATE / FILES[rel]})"
    return f"  kept {rel} (it exists)"


def _title(target: Path) -> str:
    """The README's title: the folder's name, as text even when the name's bytes are not
    UTF-8 (`init $'bad\\xff'` stopped half-way with a traceback, a fuzzer's find)."""
    name = target.resolve().name or "Daily Papers"
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def init_site(target: Path) -> list[str]:
    """Create the site repository's files in `target`; keep every file that already exists."""
    if target.exists() and not target.is_dir():
        raise SiteError(Problem(str(target), 0, "exists and is not a folder; choose another DIR"))
    site = site_around(target)
    here = target.resolve()
    if site is not None and any(here.is_relative_to(site / name) for name in ("content", "themes", "_site")):
        # In another site's content/ (`init .` where a command said so): a site there is
        # never read, and its files land among the other site's own; in its _site/, the next
        # build deletes it.
        message = f"is inside the site {site}; make a new site outside its content/, themes/ and _site/"
        raise SiteError(Problem(str(target), 0, message))
    made: list[str] = []
    kept: list[str] = []
    try:
        for folder in FOLDERS:
            (target / folder).mkdir(parents=True, exist_ok=True)
        contents = {rel: (TEMPLATE / source).read_text(encoding="utf-8") for rel, source in FILES.items()}
        contents["README.md"] = contents["README.md"].replace("{title}", _title(target))
        contents["requirements.txt"] = tool_requirement()
        for folder in FOLDERS:  # git keeps no empty folder: a clone would lack them
            if not any((target / folder).iterdir()):
                contents[f"{folder}/.gitkeep"] = ""
        for rel, text in contents.items():
            path = target / rel
            if path.exists() or path.is_symlink():
                kept.append(rel)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("x", encoding="utf-8") as handle:  # "x": never replace a file
                handle.write(text)
            made.append(rel)
    except OSError as err:
        where = err.filename if isinstance(err.filename, str) else str(target)
        raise SiteError(Problem(where, 0, f"cannot create the site: {err.strerror}")) from None
    # A site made by an earlier version lacks a newer file (check.yml): added, not "created".
    first = f"added to the site in {target}" if made and kept else f"created a site in {target}"
    lines = [first if made else f"{target} already has every file of a site"]
    lines += [f"  wrote {rel}" for rel in made]
    lines += [_kept_line(target, rel, contents[rel]) for rel in kept]
    shown = shlex.quote(str(target))  # pasted into a shell: a folder named "my site ü"
    sources = target / "content" / "sources"
    dumps = len(files_in(sources, target, ".txt")[0])  # as ingest finds them: no dotfiles, no links out
    first = f"next: put listing dumps (*.txt) in {sources}, then"
    if any((target / "content" / "papers").glob("*.md")):  # a site in use, upgraded (a reviewer)
        first = "next: ingest and build, as every day:"
    elif dumps:  # `init .` in a site that has its dumps: ingesting them is next (a reviewer)
        first = f"next: ingest the {dumps} dump(s) in {sources} and build the site:"
    lines += [first, f"  site-builder --root {shown} ingest && site-builder --root {shown} build"]
    if (outer := _outer_repository(here)) is not None:
        lines.append(
            f"note: {target} is inside the git repository {outer}, and GitHub runs only the "
            f"workflows in {outer / '.github'}: make the site a repository of its own "
            f"(git init {shown}), or make it outside {outer}"
        )
    # Said again on `init .` while the file still holds the placeholder: CI cannot install it.
    requirements = _text(target / "requirements.txt")
    if (clone := CLONE_NOTE.match(requirements)) is not None:
        lines.append(
            f"before pushing: push commit {clone[2][:12]} of site_builder to {clone[1]}: "
            f"{target / 'requirements.txt'} installs it from there"
        )
    if "example.invalid/set-where-ci-gets-site_builder" in requirements:
        lines.append(
            f"before pushing: point {target / 'requirements.txt'} at where CI can install "
            "site_builder from (this copy came from a local folder or file)"
        )
    elif (found := BY_NAME.search(requirements)) is not None:
        number = requirements.count("\n", 0, found.start()) + 1
        lines.append(
            f"{target / 'requirements.txt'}:{number}: `{found.group(0).strip()}` installs site_builder "
            "by name from PyPI, where anyone may claim the name: point it at a git URL "
            "(site_builder @ git+https://github.com/<you>/site_builder@<commit>)"
        )
    return lines


CLONE_NOTE = re.compile(r"# From your clone at .*\nsite_builder @ git\+(\S+?)@([0-9a-f]{40})")
# An earlier `init` wrote `site_builder==0.1.0`: a name any package may take on PyPI.
BY_NAME = re.compile(r"^[ \t]*site[-_.]?builder[ \t]*(?:[=<>!~]=?[^\n@]*)?$", re.IGNORECASE | re.MULTILINE)

"""Which file changes `serve` acts on: not a dotfile or editor leftover, not a temporary file
made and gone within one batch, not a page ingest just wrote; and which of them call for an
ingest before the build."""

from __future__ import annotations

from pathlib import Path

import watchfiles

from site_builder.core.files.content_files import ignored


def file_mark(path: Path) -> tuple[int, int] | None:
    """A file's modification time and size, None when it is gone."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def transient(changes: set[tuple[watchfiles.Change, str]]) -> set[Path]:
    """Files made and gone again within one batch: an editor's or `sed -i`'s temporary file
    (`sedNriTEr`), which serve named as a change."""
    added = {p for change, p in changes if change == watchfiles.Change.added}
    deleted = {p for change, p in changes if change == watchfiles.Change.deleted}
    return {Path(p) for p in added & deleted if not Path(p).exists()}


def needs_ingest(root: Path, paths: list[Path]) -> bool:
    """Whether a change reaches the pages ingest writes: a dump, or the files ingest reads
    besides them (the taxonomy's rules tag the pages; site.yaml's `year:` dates them)."""
    content = (root / "content").resolve()
    sources = content / "sources"
    settings = {content / "taxonomy.yaml", content / "site.yaml"}
    return any(p.resolve().is_relative_to(sources) or p.resolve() in settings for p in paths)


def content_change(change: watchfiles.Change, path: str) -> bool:
    """A change worth a rebuild: not to a dotfile or editor leftover, which ingest and build
    ignore (ingest's own temporary files among them: each set off a second, empty build)."""
    return not ignored(Path(path).name)

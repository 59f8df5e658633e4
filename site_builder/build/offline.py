"""The offline copy (`offline_copy:` in site.yaml): the whole site in one zip, to download,
unzip and read from disk, search, tags, archives and the saved list included.

It holds every other file of the site as built (`index.html`, `assets/…`, `404.html` too),
under one folder named after the site (`daily-papers/index.html` …), so that unzipping does
not spill files into the Downloads folder; never itself, nor what a person keeps in the
output folder (`.git`, `CNAME`, `keep_files:`). Its bytes are the same for the same site:
names sorted, deflated at a fixed level, every file dated the site's newest listing day
(a date the pages give, not the clock), Unix permissions 644.

It is an output like the others, declared in the ledger (ledger.py, `FromSite`) and listed in
the manifest, but made last, once every other file is made or carried over, from the files
themselves, written as it is made (ziparchive.py): a file at a time, each read once, never
the whole zip in memory (300 MB at 50,000 papers). Its key is every other output's key (with the tag labels templates look up,
which join a page's key): a build that changes no file of the site carries the zip over
untouched; any change makes it again. It is no page: not in the sitemap, not in search.
"""

from __future__ import annotations

import datetime
import functools
import os
from collections.abc import Callable, Mapping, Sequence

from site_builder.build.cache.manifest import Previous, WrittenFile
from site_builder.build.ledger import FromSite, Ledger
from site_builder.build.output.sitedir import FileStat, OutputDir
from site_builder.build.ziparchive import Sink, ZipWriter
from site_builder.core.config import SiteConfig
from site_builder.core.runtime.hashing import code_version, digest

LEVEL = 6  # zlib's default: level 9 took a third longer for a zip 2 % smaller (10,000 papers)
FIRST_DAY = datetime.date(1980, 1, 1)  # the oldest date a zip can hold
ORIGIN = "the offline copy"


def offline_copy_path(config: SiteConfig) -> str:
    """The zip's path in the site (`daily-papers.zip`), or "" when the site has none."""
    name = config.offline_copy_name
    return f"{name}.zip" if name else ""


def declare_offline_copy(ledger: Ledger, config: SiteConfig, newest: datetime.date | None) -> None:
    """Declare the zip, keyed by every output declared so far: call it last. `newest`: the
    site's newest listing day, every file's date in the zip."""
    path = offline_copy_path(config)
    if not path:
        return
    day = max(newest or FIRST_DAY, FIRST_DAY)
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    looked_up = digest(*[repr(item) for item in sorted(ledger.lookups.items())])
    outputs = sorted(ledger.outputs.items())
    key = digest(
        code_version(),
        ORIGIN,
        config.offline_copy_name,
        repr(stamp),
        looked_up,
        *[part for name, output in outputs for part in (name, output.key)],
    )
    make = functools.partial(_zip_built, config.offline_copy_name, stamp, path)
    ledger.add(path, key, FromSite(make), ORIGIN)


def _zip_built(
    folder: str,
    stamp: tuple[int, int, int, int, int, int],
    path: str,
    target: OutputDir,
    files: Mapping[str, WrittenFile],
    previous: Previous,
) -> FileStat:
    where = functools.partial(on_disk, target)
    return target.write_from(path, lambda sink: zip_site(sink, folder, stamp, sorted(files), where))


def zip_site(
    sink: Sink,
    folder: str,
    stamp: tuple[int, int, int, int, int, int],
    paths: Sequence[str],
    where: Callable[[str], str],
) -> ZipWriter:
    """Write the zip of the files at `paths` (sorted; `where` says where each one's bytes
    are), each under `folder/`, into `sink`, a file at a time."""
    writer = ZipWriter(sink, stamp, LEVEL)
    for relative in paths:
        writer.add(f"{folder}/{relative}", where(relative))
    writer.close()
    return writer


def on_disk(target: OutputDir, relative: str) -> str:
    """Where the site's file at `relative` is while a build makes the site: in the new folder
    when made (or carried into it), else still in the live site (a site patched in place)."""
    made = os.path.join(target.path, *relative.split("/"))
    if target.live is None or os.path.isfile(made):
        return made
    return os.path.join(target.live, *relative.split("/"))

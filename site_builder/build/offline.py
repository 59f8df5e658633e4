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
themselves. Its key is every other output's key (with the tag labels templates look up,
which join a page's key): a build that changes no file of the site carries the zip over
untouched; any change makes it again. It is no page: not in the sitemap, not in search.
"""

from __future__ import annotations

import datetime
import functools
import io
import os
import zipfile
from collections.abc import Mapping, Sequence

from site_builder.build.ledger import FromSite, Ledger
from site_builder.build.output.sitedir import OutputDir
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
    ledger.add(path, key, FromSite(functools.partial(_zip_built, config.offline_copy_name, stamp)), ORIGIN)


def _zip_built(
    folder: str, stamp: tuple[int, int, int, int, int, int], target: OutputDir, paths: Sequence[str]
) -> bytes:
    return zip_site(folder, stamp, {path: on_disk(target, path) for path in paths})


def zip_site(folder: str, stamp: tuple[int, int, int, int, int, int], files: Mapping[str, str]) -> bytes:
    """The zip of `files` (site path → where its bytes are), each under `folder/`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as archive:
        for relative in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{relative}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, wherever it is made (the default depends on the system)
            info.external_attr = 0o100644 << 16  # a plain file, rw-r--r--
            with open(files[relative], "rb") as handle:
                archive.writestr(info, handle.read(), compresslevel=LEVEL)
    return buffer.getvalue()


def on_disk(target: OutputDir, relative: str) -> str:
    """Where the site's file at `relative` is while a build makes the site: in the new folder
    when made (or carried into it), else still in the live site (a site patched in place)."""
    made = os.path.join(target.path, *relative.split("/"))
    if target.live is None or os.path.isfile(made):
        return made
    return os.path.join(target.live, *relative.split("/"))

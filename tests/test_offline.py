"""The offline copy (`offline_copy:`): one zip of the built site, linked from every page."""

from __future__ import annotations

import io
import os
import random
import shutil
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers import copy_site, tree
from ingest_helpers import run_cli

from site_builder.build.offline import site_zip as offline
from site_builder.build.pipeline import build_site
from site_builder.commands.check import check_site
from site_builder.core.errors import SiteError

ZIP = "fixture-papers.zip"  # the fixture site's title, `Fixture Papers`
PUBLISHED = f'data-published="https://example.org/some-repo/{ZIP}"'  # the copy's link, from disk
LINK = f'<a href="{ZIP}" {PUBLISHED} download>Download this site for offline reading (zip)</a>'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """The fixture site with `offline_copy: true`."""
    root = copy_site(tmp_path / "site")
    set_offline(root, "true")
    return root


def set_offline(root: Path, value: str) -> None:
    config = root / "content" / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + f"offline_copy: {value}\n", encoding="utf-8")


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_the_zip_is_made_and_linked_with_the_setting_on_and_not_without_it(
    site: Path, tmp_path: Path
) -> None:
    report = build_site(site)
    out = site / "_site"
    assert (out / ZIP).is_file() and report.files == len(tree(out))
    home = (out / "index.html").read_text(encoding="utf-8")
    assert LINK in home and "unzip it and open <code>index.html</code>" in home
    assert (
        f'<a href="../{ZIP}" {PUBLISHED} download>'
        in (out / "papers" / "agents-that-plan-with-tools.html").read_text()
    )
    # A file, not a page: in no sitemap and no search file; `check` finds the links good.
    assert ZIP not in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert not [p for p in (out / "assets").rglob("*") if p.is_file() and ZIP.encode() in p.read_bytes()]
    assert [p for p in check_site(out) if p.severity == "error"] == []
    for value in ("false", None):  # off, and unset (the default)
        plain = copy_site(tmp_path / f"plain-{value}")
        if value:
            set_offline(plain, value)
        build_site(plain)
        assert not list((plain / "_site").glob("*.zip"))
        assert "offline reading" not in (plain / "_site" / "index.html").read_text(encoding="utf-8")


def test_the_zip_holds_every_other_file_as_built_under_one_folder(site: Path, tmp_path: Path) -> None:
    build_site(site)
    built = tree(site / "_site")
    data = built.pop(ZIP)
    assert members(data) == {f"fixture-papers/{path}": raw for path, raw in built.items()}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert {i.date_time for i in infos} == {(2025, 3, 12, 0, 0, 0)}  # the newest listing day
    # The same site built anew elsewhere, without a cache: the same bytes.
    again = tmp_path / "again"
    build_site(site, out=again, cache=False)
    assert (again / ZIP).read_bytes() == data


def test_a_rebuild_with_nothing_changed_keeps_the_zip_and_an_edit_remakes_it(site: Path) -> None:
    build_site(site)
    zipped = site / "_site" / ZIP
    before, stat = zipped.read_bytes(), os.stat(zipped)
    assert build_site(site).unchanged
    # Another file changed and put back by a build: the zip, keyed by the files, is carried.
    (site / "_site" / "robots.txt").write_text("changed", encoding="utf-8")
    assert not build_site(site).unchanged
    after = os.stat(zipped)
    assert (after.st_ino, after.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)  # not rewritten
    page = site / "content" / "papers" / "agents-that-plan-with-tools.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAn edit for the offline copy.\n", encoding="utf-8")
    build_site(site)
    edited = members(zipped.read_bytes())
    assert zipped.read_bytes() != before
    paper = edited["fixture-papers/papers/agents-that-plan-with-tools.html"]
    assert paper == (site / "_site" / "papers" / "agents-that-plan-with-tools.html").read_bytes()
    assert b"An edit for the offline copy." in paper


def test_a_failed_zip_leaves_the_previous_site_and_its_zip(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(site)
    before = tree(site / "_site")
    page = site / "content" / "papers" / "agents-that-plan-with-tools.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nNot published.\n", encoding="utf-8")

    def killed(*args: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(offline, "zip_site", killed)
    with pytest.raises(KeyboardInterrupt):
        build_site(site)
    assert tree(site / "_site") == before
    assert not [p for p in site.iterdir() if p.name.startswith("_site.")]  # no leftover folder


def test_a_build_without_its_cache_takes_the_zip_for_its_own(site: Path) -> None:
    """`.site-cache/` is always safe to delete: the next build did not refuse the folder
    for a zip no manifest named."""
    build_site(site)
    shutil.rmtree(site / ".site-cache")
    build_site(site)
    assert (site / "_site" / ZIP).is_file()
    # A zip of a person's is still a stranger (another folder inside, no page of ours).
    shutil.rmtree(site / ".site-cache")
    with zipfile.ZipFile(site / "_site" / "notes.zip", "w") as archive:
        archive.writestr("notes/index.html", "<p>mine</p>")
    with pytest.raises(SiteError, match=r"notes\.zip, which no build makes"):
        build_site(site)


def test_a_bad_value_is_an_error_at_its_line(site: Path, tmp_path: Path) -> None:
    config = site / "content" / "site.yaml"
    text = config.read_text(encoding="utf-8").replace("offline_copy: true", "offline_copy: sometimes")
    config.write_text(text, encoding="utf-8")
    line = text.splitlines().index("offline_copy: sometimes") + 1
    with pytest.raises(SiteError) as err:
        build_site(site)
    assert err.value.problems[0].format() == (
        f"content/site.yaml:{line}: error: 'offline_copy': expected true or false "
        "(null: as SITE_BUILDER_OFFLINE_COPY says), got 'sometimes'"
    )
    plain = copy_site(tmp_path / "plain")
    with pytest.raises(SiteError) as err:
        build_site(plain, offline_copy="maybe")
    assert (
        err.value.problems[0].format()
        == "$SITE_BUILDER_OFFLINE_COPY: error: expected true or false, got 'maybe'"
    )


def test_the_environment_turns_it_on_unless_site_yaml_says_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the Pages workflow does: SITE_BUILDER_OFFLINE_COPY=true."""
    monkeypatch.setenv("SITE_BUILDER_OFFLINE_COPY", "true")
    on, off = copy_site(tmp_path / "on"), copy_site(tmp_path / "off")
    set_offline(off, "false")
    for root in (on, off):
        code, _, err = run_cli(capsys, "--root", str(root), "build")
        assert code == 0, err
    assert (on / "_site" / ZIP).is_file()
    assert not list((off / "_site").glob("*.zip"))


def test_an_incremental_zip_copies_the_unchanged_entries_and_is_the_zip_a_cold_build_makes(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each build after the first deflates only the files that changed, copying the rest still
    compressed from the previous zip; the bytes are those of a cold build all the same."""
    made: list[tuple[int, int]] = []  # (entries, entries copied) of each zip made
    zip_site = offline.zip_site

    def counting(*args: Any, **kwargs: Any) -> Any:
        writer = zip_site(*args, **kwargs)
        made.append((writer.count, writer.copied))
        return writer

    monkeypatch.setattr(offline, "zip_site", counting)
    build_site(site)
    assert made[-1][1] == 0  # nothing to copy from
    papers, static = site / "content" / "papers", site / "themes" / "default" / "static"
    page = papers / "agents-that-plan-with-tools.md"
    text = page.read_text(encoding="utf-8")
    steps = [
        lambda: page.write_text(text + "\nAn edit for the offline copy.\n", encoding="utf-8"),
        lambda: (papers / "planning-again.md").write_text(
            text.replace("Agents That Plan with Tools", "Planning Again").replace(
                "slug: agents-that-plan-with-tools", "slug: planning-again"
            ),
            encoding="utf-8",
        ),
        lambda: (static.mkdir(parents=True, exist_ok=True), (static / "extra.css").write_text("p {}\n")),
        lambda: (papers / "paged-attention-revisited.md").unlink(),
    ]
    for step in steps:
        step()
        build_site(site)
        entries, copied = made[-1]
        assert 0 < copied < entries, made  # the files that changed deflated, the rest copied
        built = tree(site / "_site")
        assert members(built.pop(ZIP)) == {f"fixture-papers/{path}": raw for path, raw in built.items()}
    assert made[1][0] - made[1][1] < made[1][0] / 4  # a one-page edit: a few files deflated
    cold = tmp_path / "cold"
    build_site(site, out=cold, cache=False)
    assert made[-1][1] == 0 and (cold / ZIP).read_bytes() == (site / "_site" / ZIP).read_bytes()


def test_nothing_is_copied_from_a_zip_not_as_the_last_build_wrote_it(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(site)
    zipped = site / "_site" / ZIP
    data = zipped.read_bytes()
    with zipfile.ZipFile(zipped, "a") as archive:  # a file added to it by hand
        archive.writestr("fixture-papers/mine.html", "<p>mine</p>")
    copied: list[int] = []
    zip_site = offline.zip_site
    monkeypatch.setattr(offline, "zip_site", lambda *a: copied.append(zip_site(*a).copied))
    page = site / "content" / "papers" / "agents-that-plan-with-tools.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    build_site(site)
    assert copied == [0]
    built = tree(site / "_site")
    assert members(built.pop(ZIP)) == {f"fixture-papers/{path}": raw for path, raw in built.items()}
    assert len(zipped.read_bytes()) > len(data) // 2


def test_the_zip_is_written_as_it_is_made_never_held_whole(tmp_path: Path) -> None:
    """A site of 50,000 papers zips to 300 MB: its zip is written a part at a time, each
    file read once. Four static files of 6 MB that do not compress make a zip of 24 MB; the
    build's peak of memory is what it is without the zip (zipfile's zip in memory, and the
    copy of it written, took 35 MB more)."""
    peaks = []
    for value in ("false", "true"):
        root = copy_site(tmp_path / value)
        set_offline(root, value)
        static = root / "themes" / "default" / "static"
        static.mkdir(parents=True)
        rng = random.Random(5)
        for number in range(4):
            (static / f"noise-{number}.bin").write_bytes(rng.randbytes(6 << 20))
        tracemalloc.start()
        try:
            build_site(root)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert os.path.getsize(tmp_path / "true" / "_site" / ZIP) > 24 << 20
    without, with_zip = peaks
    assert with_zip < without + (10 << 20), f"{(with_zip - without) / (1 << 20):.1f} MiB more"

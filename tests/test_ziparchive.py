"""The offline copy's zip writer (build/offline/ziparchive.py): zipfile's bytes, written in one pass,
entries copied still compressed from an earlier zip of its own, ZIP64 where zipfile has it."""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from site_builder.build.offline import ziparchive
from site_builder.build.offline.ziparchive import EarlierZip, ZipWriter

STAMP = (2025, 3, 12, 0, 0, 0)


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files read in parts of 4 KiB, compressed bytes past 16 KiB in a temporary file: what a
    file of megabytes meets, with files of kilobytes."""
    monkeypatch.setattr(ziparchive, "CHUNK", 4096)
    monkeypatch.setattr(ziparchive, "SPOOL", 16384)


def reference(files: dict[str, bytes]) -> bytes:
    """What zipfile writes for these entries, set as the offline copy sets them (what
    offline.py did before it had a writer of its own)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name], compresslevel=6)
    return buffer.getvalue()


def on_disk(folder: Path, files: dict[str, bytes]) -> dict[str, str]:
    where = {}
    for number, (name, data) in enumerate(sorted(files.items())):
        path = folder / f"{number}.bin"
        path.write_bytes(data)
        where[name] = str(path)
    return where


def written(
    files: dict[str, str], earlier: str | None = None, sizes: dict[str, int] | None = None, **limit: int
) -> tuple[bytes, ZipWriter]:
    sink = io.BytesIO()
    writer = ZipWriter(sink, STAMP, 6, **limit)
    with EarlierZip(earlier) if earlier else open(os.devnull, "rb") as old:
        for name in sorted(files):
            size = (sizes or {}).get(name)
            if not (isinstance(old, EarlierZip) and size is not None and writer.copy(name, size, old)):
                writer.add(name, files[name])
    writer.close()
    return sink.getvalue(), writer


def sample_files() -> dict[str, bytes]:
    rng = random.Random(7)
    words = [bytes(rng.choice(b"abcdefgh ") for _ in range(rng.randint(2, 9))) for _ in range(400)]
    return {
        "site/index.html": b"<html>" + b" ".join(rng.choice(words) for _ in range(5000)) + b"</html>",
        "site/empty.txt": b"",
        "site/caf\u00e9/r\u00e9sum\u00e9.html": b"a name that is not ASCII",
        # Past a read of CHUNK bytes: deflated in parts, as zipfile deflates it whole.
        "site/assets/big.js": b"\n".join(rng.choice(words) for _ in range(20_000)),
        # Past SPOOL compressed: held in a temporary file, not in memory.
        "site/assets/noise.bin": rng.randbytes(ziparchive.SPOOL + 12345),
    }


def test_the_bytes_are_the_ones_zipfile_writes(tmp_path: Path) -> None:
    files = sample_files()
    data, writer = written(on_disk(tmp_path, files))
    assert data == reference(files)
    assert (writer.count, writer.copied) == (len(files), 0)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {i.filename: archive.read(i) for i in archive.infolist()} == files
        assert archive.getinfo("site/caf\u00e9/r\u00e9sum\u00e9.html").flag_bits & 0x800


def test_entries_are_copied_compressed_from_an_earlier_zip_with_the_same_bytes_as_deflated(
    tmp_path: Path,
) -> None:
    files = sample_files()
    before = tmp_path / "before.zip"
    before.write_bytes(written(on_disk(tmp_path, files))[0])
    files["site/index.html"] += b"<!-- changed -->"
    files["site/new.html"] = b"<p>new</p>"
    del files["site/empty.txt"]
    where = on_disk(_fresh(tmp_path / "now"), files)
    same = {
        name: len(data) for name, data in files.items() if name not in ("site/index.html", "site/new.html")
    }
    data, writer = written(where, str(before), same)
    assert data == reference(files)
    assert writer.copied == len(same) == 3
    # The earlier zip's size is checked: an entry that does not hold as many bytes is deflated.
    data, writer = written(where, str(before), {**same, "site/assets/big.js": 5})
    assert data == reference(files) and writer.copied == 2


def _fresh(folder: Path) -> Path:
    folder.mkdir()
    return folder


def test_nothing_is_copied_from_a_zip_not_of_its_making(tmp_path: Path) -> None:
    files = {"site/a.html": b"<p>a</p>" * 50, "site/b.html": b"<p>b</p>" * 50}
    where, sizes = on_disk(tmp_path, files), {name: len(data) for name, data in files.items()}
    foreign = tmp_path / "foreign.zip"
    with zipfile.ZipFile(foreign, "w", zipfile.ZIP_STORED) as archive:  # stored, not deflated
        for name, data in files.items():
            archive.writestr(name, data)
    commented = tmp_path / "commented.zip"
    commented.write_bytes(reference(files)[:-2] + b"\x02\x00hi")  # a zip comment: not ours
    cut = tmp_path / "cut.zip"
    cut.write_bytes(reference(files)[:-30])
    garbage = tmp_path / "garbage.zip"
    garbage.write_bytes(b"PK")
    for earlier in (foreign, commented, cut, garbage):
        data, writer = written(where, str(earlier), sizes)
        assert (data, writer.copied) == (reference(files), 0), earlier.name
    # A local header that disagrees with the central directory (another CRC-32): deflated anew.
    good = bytearray(reference(files))
    good[14] ^= 0xFF  # the first local header's CRC-32
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bytes(good))
    data, writer = written(where, str(bad), sizes)
    assert data == reference(files) and writer.copied == 1


def test_zip64_past_65535_entries_as_zipfile_writes_it(tmp_path: Path) -> None:
    """A 50,000-paper site has about 65,000 files."""
    count = 65_600
    source = tmp_path / "one.txt"
    source.write_bytes(b"x")
    files = {f"site/p/{n:06}.html": b"x" for n in range(count)}
    sink = io.BytesIO()
    writer = ZipWriter(sink, STAMP, 6)
    for name in sorted(files):
        writer.add(name, str(source))
    writer.close()
    data = sink.getvalue()
    assert data == reference(files)
    assert b"PK\x06\x06" in data[-100:]  # the ZIP64 end record
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len(archive.infolist()) == count
    (tmp_path / "many.zip").write_bytes(data)
    with EarlierZip(str(tmp_path / "many.zip")) as earlier:
        found = [earlier.find(name.encode()) for name in sorted(files)[::1000]]
    assert all(entry is not None and entry.size == 1 for entry in found)


def test_zip64_sizes_and_offsets_past_the_limit_as_zipfile_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offsets and sizes past 2 GiB, with the limit lowered to 1,000 bytes (in zipfile too)."""
    rng = random.Random(3)
    files = {f"site/{n}.bin": rng.randbytes(rng.choice((10, 600, 3000))) for n in range(12)}
    where, sizes = on_disk(tmp_path, files), {name: len(data) for name, data in files.items()}
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1000)
    expected = reference(files)
    data, _ = written(where, limit=1000)
    assert data == expected
    (tmp_path / "before.zip").write_bytes(data)
    again, writer = written(where, str(tmp_path / "before.zip"), sizes, limit=1000)
    assert again == expected and writer.copied == len(files)
    monkeypatch.undo()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {i.filename: archive.read(i) for i in archive.infolist()} == files
        assert max(i.header_offset for i in archive.infolist()) > 1000
    if shutil.which("unzip"):  # another reader, where there is one
        (tmp_path / "z64.zip").write_bytes(data)
        run = subprocess.run(["unzip", "-tq", str(tmp_path / "z64.zip")], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr

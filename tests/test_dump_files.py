"""The dump files under content/sources, as ingest reads them (`ingest/dumps/files.py`)."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from ingest_helpers import make_site, not_utf8_env, run_cli

from site_builder.ingest.dumps.files import MAX_FILE_BYTES
from site_builder.ingest.pipeline import run_ingest

DUMP = "Mar 12, 2026\n\nA Paper on Tables\n\nWe read tables with a small model and it works well.\n"


def test_a_dump_named_in_decomposed_letters_is_the_same_dump(tmp_path: Path) -> None:
    """`März.txt` copied from a Mac (or through a zip) is `Ma\\u0308rz.txt`: every page of the
    dump was written again, its `file:` looking the same (a reviewer sharing a site)."""
    site = make_site(tmp_path / "site")
    dump = "Mar 12, 2026\n\nA Paper on Tables\n\nWe read tables with a small model and it works well.\n"
    composed = site / "content" / "sources" / "März.txt"
    composed.write_text(dump, encoding="utf-8")
    assert run_ingest(site).changed == ["a-paper-on-tables.md"]
    composed.rename(site / "content" / "sources" / unicodedata.normalize("NFD", "März.txt"))
    result = run_ingest(site)
    assert not result.failed and result.changed == []
    page = (site / "content" / "papers" / "a-paper-on-tables.md").read_text(encoding="utf-8")
    assert "file: März.txt," in page and unicodedata.is_normalized("NFC", page)


def test_a_dump_is_named_by_its_letters_whatever_the_locale(tmp_path: Path) -> None:
    """Under a locale that is not UTF-8, Python reads file names in its encoding: with
    LANG=en_US.ISO-8859-1, `Café 中文.txt` went into the pages as `file: "CafÃ© ä¸­æ\\x96\\x87.txt"`
    (the site showing it so), and an ingest under the other locale wrote them all again;
    under C (ASCII) the dump was skipped as "not valid UTF-8"."""
    site = make_site(tmp_path / "site")
    dump = "Mar 12, 2026\n\nA Paper on Tables\n\nWe read tables with a small model and it works well.\n"
    (site / "content" / "sources" / "Café 中文.txt").write_text(dump, encoding="utf-8")
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "-q", "ingest"]
    run = subprocess.run(command, capture_output=True, env=not_utf8_env(), check=False)
    assert run.returncode == 0, run.stderr.decode("ascii", "replace")
    page = (site / "content" / "papers" / "a-paper-on-tables.md").read_text(encoding="utf-8")
    assert "file: Café 中文.txt," in page
    assert run_ingest(site).changed == []  # and under UTF-8, the same pages


def test_a_dump_over_the_size_limit_is_refused_at_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file of 64 MiB or more is no paste (a log, a disk image saved as .txt): refused
    by its size, before a byte of it is read, and the other dumps are ingested."""
    site = make_site(tmp_path / "site")
    sources = site / "content" / "sources"
    (sources / "2026-03-12.txt").write_text(DUMP, encoding="utf-8")
    with open(sources / "huge.txt", "wb") as huge:
        huge.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    code, _, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 1
    assert (
        f"content/sources/huge.txt: error: file is {MAX_FILE_BYTES + 1:,} bytes; "
        f"dumps over {MAX_FILE_BYTES:,} bytes are refused"
    ) in err.splitlines()
    assert "Traceback" not in err
    assert (site / "content" / "papers" / "a-paper-on-tables.md").is_file()

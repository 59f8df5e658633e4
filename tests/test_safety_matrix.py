"""Nothing a person owns is lost, overwritten or leaked: one test per class of problem.

Each test tries an ordinary or hostile action the way a person would (the CLI, real files,
real FIFOs, symlinks, mounts) and checks what they would notice: their files, the exit
status and the `path:line: message`. The classes follow the data-safety issue:

 1 output folder that is or holds the site      8 symlinks leaving the site
 2 ingest writing over a person's file          9 dotfiles and editor leftovers
 3 an edit saved while ingest runs             10 one invalid byte in a dump
 4 files a person keeps in _site/              11 errors instead of tracebacks
 5 a taxonomy rule written to backtrack        12 the site honours the umask
 6 quadratic costs (see test_linearity.py)     13 smaller gaps
 7 FIFOs, devices and sockets
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from ingest_helpers import make_site, run_cli, snapshot

from site_builder.core.files import atomic
from site_builder.core.patterns import compile_pattern
from site_builder.core.taxonomy import Rule, TagDef, Taxonomy
from site_builder.ingest import pipeline as ingest_pipeline
from site_builder.ingest.tags.matcher import RuleMatcher
from site_builder.ingest.tags.tagger import Tagger

DUMP = """Mar 12

QuickServe: Prefix-Aware Batching for LLM Serving

We present QuickServe, a serving system that batches requests by prefix and reuses the KV cache.

ShortCoT: Learning to Skip Reasoning Steps

Chain-of-thought prompting helps models solve math problems; we learn to skip redundant steps.
"""
QUICKSERVE = "quickserve-prefix-aware-batching-for-llm-serving.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = make_site(tmp_path / "site")
    (root / "content" / "sources" / "2025-03-12.txt").write_text(DUMP, encoding="utf-8")
    (root / "content" / "site.yaml").write_text("title: Papers\nbase_url: https://example.org/\n")
    return root


def cli(capsys: pytest.CaptureFixture[str], site: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *args, "--root", str(site))


def run(site: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """`site-builder ARGS` as a separate process (for what must not hang or needs raw bytes)."""
    command = [sys.executable, "-m", "site_builder", *args, "--root", os.fsencode(site)]
    return subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # type: ignore[arg-type]


def no_traceback(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    return err


@pytest.fixture
def tiny_mount(tmp_path: Path) -> Iterator[Path]:
    """A 64 kB tmpfs: a full disk, for real. Skipped where mounting is not allowed."""
    point = tmp_path / "small"
    point.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(point)], capture_output=True
    ).returncode:
        pytest.skip("cannot mount a tmpfs here (not root)")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


# 1 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("out", [".", "content", "content/papers", "..", "themes-inside", "themes"])
def test_1_an_output_folder_that_is_or_holds_the_site_is_refused(
    site: Path, capsys: pytest.CaptureFixture[str], out: str
) -> None:
    (site / ".nojekyll").write_text("")  # common at a GitHub Pages root: must not make it look built
    (site / "notes.txt").write_text("mine")
    before = snapshot(site)
    target = site / out if out != "themes-inside" else site / "content" / "papers" / "_site"
    code, _, err = cli(capsys, site, "build", "--out", str(target))
    assert code == 1 and "cannot be" in err, err
    assert snapshot(site) == before


def test_1_a_full_folder_no_build_made_is_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = site / "docs"
    docs.mkdir()
    (docs / "thesis.tex").write_text("years of work")
    code, _, err = cli(capsys, site, "build", "--out", str(docs))
    assert code == 1 and "refusing to replace this folder: it holds thesis.tex" in err
    assert (docs / "thesis.tex").read_text() == "years of work"


# 2 ------------------------------------------------------------------------------------------


def test_2_ingest_never_writes_over_a_file_it_did_not_write(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    papers = site / "content" / "papers"
    mine = "---\ntitle: My reading notes\n---\nWhat I think of prefix batching.\n"
    (papers / QUICKSERVE).write_text(mine)  # a hand-written page where the new paper's page would go
    code, _, err = cli(capsys, site, "ingest")
    assert code == 0, err
    assert (papers / QUICKSERVE).read_text() == mine
    new = [p for p in papers.glob("quickserve-*.md") if p.name != QUICKSERVE]
    assert len(new) == 1 and "QuickServe" in new[0].read_text()


# 3 ------------------------------------------------------------------------------------------


def test_3_an_edit_saved_while_ingest_runs_is_kept(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli(capsys, site, "ingest")[0] == 0
    page = site / "content" / "papers" / QUICKSERVE
    (site / "content" / "sources" / "2025-03-13.txt").write_text(DUMP.replace("Mar 12", "Mar 13"))
    real_plan = ingest_pipeline.plan_pages
    edited = page.read_text().replace("reuses the KV cache.", "reuses the KV cache. My note.")

    def plan_while_a_person_saves(*args: object, **kwargs: object) -> object:
        page.write_text(edited)  # saved after ingest read the pages, before it writes them
        return real_plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_pipeline, "plan_pages", plan_while_a_person_saves)
    code, _, err = cli(capsys, site, "ingest")
    assert code == 0
    assert page.read_text() == edited
    assert f"content/papers/{QUICKSERVE}" in err and "changed while ingest ran" in err


@pytest.mark.parametrize("how", ["an editor's rename", "an append in place"])
def test_3_a_save_landing_as_ingest_replaces_the_page_is_kept(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The worst moment: after ingest's last look at the file, as it swaps its page in."""
    assert cli(capsys, site, "ingest")[0] == 0
    page = site / "content" / "papers" / QUICKSERVE
    (site / "content" / "sources" / "2025-03-13.txt").write_text(DUMP.replace("Mar 12", "Mar 13"))
    real_exchange = atomic.exchange
    saved: list[str] = []

    def save_then_exchange(a: Path | str, b: Path | str) -> bool:
        if Path(b) == page and not saved:
            if how == "an editor's rename":
                edited = page.read_text().replace("reuses the KV cache.", "reuses the KV cache. Mine.")
                (site / "copy.md").write_text(edited)
                os.replace(site / "copy.md", page)
            else:
                with page.open("a") as handle:
                    handle.write("My note.\n")
            saved.append(page.read_text())
        return real_exchange(a, b)

    monkeypatch.setattr(atomic, "exchange", save_then_exchange)
    code, _, err = cli(capsys, site, "ingest")
    assert code == 0 and saved
    assert page.read_text() == saved[0]
    assert "changed while ingest ran" in err
    assert sorted(p.name for p in page.parent.iterdir() if not p.name.endswith(".md")) == []


# 4 ------------------------------------------------------------------------------------------


def test_4_a_build_keeps_git_cname_and_keep_files(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "site.yaml").write_text(
        "title: P\nbase_url: https://example.org/\nkeep_files: [keybase.txt]\n"
    )
    assert cli(capsys, site, "ingest")[0] == 0
    assert cli(capsys, site, "build")[0] == 0
    out = site / "_site"
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (out / "CNAME").write_text("papers.example.org\n")
    (out / "keybase.txt").write_text("proof")
    (out / "stray.html").write_text("a page no build made")
    assert cli(capsys, site, "build")[0] == 0
    assert (out / ".git" / "HEAD").exists() and (out / "CNAME").exists() and (out / "keybase.txt").exists()
    assert not (out / "stray.html").exists()  # the build's own folder: what it did not make goes


def test_4_a_kept_file_the_build_also_makes_stops_the_build(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reviewer's own robots.txt, named in keep_files, was replaced by the built one."""
    assert cli(capsys, site, "ingest")[0] == 0
    assert cli(capsys, site, "build")[0] == 0
    out = site / "_site"
    (out / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (site / "content" / "site.yaml").write_text(
        "title: P\nbase_url: https://example.org/\nkeep_files: [robots.txt]\n"
    )
    code, _, err = cli(capsys, site, "build")
    assert code == 1
    assert err.strip() == (
        "content/site.yaml:3: error: 'keep_files': robots.txt is a file every build makes, "
        "so a build would replace yours; remove it from keep_files"
    )
    assert (out / "robots.txt").read_text() == "User-agent: *\nDisallow: /private/\n"


# 5 ------------------------------------------------------------------------------------------


def test_5_a_backtracking_rule_cannot_hang_ingest(site: Path) -> None:
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text(
        "tags:\n  - name: slow\n    rules:\n      - {pattern: '(a+)+$', abstract: 3}\n"
        "  - name: serving\n    rules:\n      - {pattern: 'serving', title: 4}\n"
    )
    (site / "content" / "sources" / "2025-03-14.txt").write_text(
        "Mar 14\n\nA Paper of Many As\n\n" + "a" * 150_000 + "!\n"
    )
    result = run(site, "ingest", timeout=120)  # Python's re would run for longer than the universe
    assert result.returncode == 0, no_traceback(result)
    page = site / "content" / "papers" / "a-paper-of-many-as.md"
    assert "tags: []" in page.read_text()


def test_5_lookarounds_are_refused_with_a_way_out(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    taxonomy = site / "content" / "taxonomy.yaml"
    taxonomy.write_text("tags:\n  - name: a\n    rules:\n      - {pattern: 'agent(?!ic)', title: 3}\n")
    code, _, err = cli(capsys, site, "ingest")
    assert code == 1 and "content/taxonomy.yaml:4:" in err and "unless:" in err


# 6 is tests/test_linearity.py: work counted at n, 2n and 4n.

# 7 ------------------------------------------------------------------------------------------


def test_7_fifos_devices_and_sockets_are_never_opened(site: Path) -> None:
    papers, sources = site / "content" / "papers", site / "content" / "sources"
    os.mkfifo(papers / "pipe.md")
    os.mkfifo(sources / "pipe.txt")
    (papers / "zero.md").symlink_to("/dev/zero")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sources / "s.txt"))
    try:
        said = ""
        for command in ("ingest", "build", "check"):
            result = run(site, command, timeout=120)  # opening a FIFO would block for ever
            err = no_traceback(result)
            assert result.returncode == 0, err
            said += err
        err = said
        assert "content/papers/pipe.md: warning: a named pipe; skipped, never opened" in err
        assert "content/papers/zero.md" in err
    finally:
        sock.close()


# 8 ------------------------------------------------------------------------------------------


def test_8_a_symlink_leaving_the_site_is_not_read_or_published(site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Mar 12\n\nThe Secret Title\n\nroot:x:0:0:root:/root:/bin/bash and more secret text.\n")
    sources = site / "content" / "sources"
    (sources / "leak.txt").symlink_to(secret)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "more.txt").write_text(secret.read_text())
    (sources / "folder").symlink_to(outside, target_is_directory=True)
    (sources / "inside.txt").symlink_to(sources / "2025-03-12.txt")  # inside the site: fine
    result = run(site, "ingest")
    err = no_traceback(result)
    assert "content/sources/leak.txt: warning: a symlink to a file outside the site" in err
    assert "content/sources/folder" in err
    assert "Secret" not in "".join(p.read_text() for p in (site / "content" / "papers").glob("*.md"))


def test_8_a_theme_file_linked_out_of_the_site_is_not_published(site: Path, tmp_path: Path) -> None:
    """A template override linked to /etc/passwd was built into the 404 page (base.html: into
    every page), where the same link among static files was refused (a fuzzer's find)."""
    secret = tmp_path / "secret.html"
    secret.write_text("root:x:0:0:root:/root:/bin/bash")
    theme = site / "themes" / "default"
    for folder, name in (("templates", "404.html"), ("templates", "base.html"), ("static", "style.css")):
        (theme / folder).mkdir(parents=True, exist_ok=True)
        (theme / folder / name).symlink_to(secret)
    assert run(site, "ingest").returncode == 0
    result = run(site, "build")
    err = no_traceback(result)
    assert result.returncode == 0, err
    for name in ("templates/404.html", "templates/base.html", "static/style.css"):
        assert f"themes/default/{name}: warning: a symlink to a file outside the site" in err
    built = site / "_site"
    assert not [p for p in built.rglob("*") if p.is_file() and b"root:x:0:0" in p.read_bytes()]
    assert "<!DOCTYPE html>" in (built / "404.html").read_text(encoding="utf-8")  # the bundled page


def test_8_a_symlink_into_a_hidden_folder_of_the_site_is_not_read_or_published(site: Path) -> None:
    """`.git/config` linked as a dump made a page of the remote's address and token; linked
    among a theme's static files, it was copied into the site (a security review)."""
    git = site / ".git"
    git.mkdir(exist_ok=True)
    (git / "config").write_text(
        'Mar 12\n\n[remote "origin"]\n\nurl = https://u:ghp_SECRET@github.com/x/y.git\n'
    )
    (site / "content" / "sources" / "leak.txt").symlink_to(Path("../../.git/config"))
    static = site / "themes" / "default" / "static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "leak.txt").symlink_to(Path("../../../.git/config"))
    err = no_traceback(run(site, "ingest"))
    assert (
        "content/sources/leak.txt: warning: a symlink to a file outside the site or in a hidden folder" in err
    )
    err = no_traceback(run(site, "build"))
    assert (
        "themes/default/static/leak.txt: warning: a symlink to a file outside the site or in a hidden" in err
    )
    published = [*site.joinpath("_site").rglob("*"), *site.joinpath("content", "papers").glob("*.md")]
    assert not [p for p in published if p.is_file() and b"ghp_SECRET" in p.read_bytes()]


# 9 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [".#x.md", "._x.md", "x.md~", "#x.md#", ".hidden.md", ".todo.tmp"])
def test_9_dotfiles_and_editor_leftovers_are_ignored(
    site: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = b"\x00\x05binary resource fork \xff"
    (site / "content" / "papers" / name).write_bytes(junk)
    (site / "content" / "sources" / name.replace(".md", ".txt")).write_bytes(junk)
    assert cli(capsys, site, "ingest")[0] == 0
    code, _, err = cli(capsys, site, "build")
    assert code == 0, err
    assert (site / "content" / "papers" / name).read_bytes() == junk


def test_9_a_folder_named_like_a_temporary_file_is_left_alone(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    papers = site / "content" / "papers"
    for name in (".work.tmp", ".x.md.0123456789ab.tmp"):
        (papers / name).mkdir(parents=True)
        (papers / name / "draft.txt").write_text("mine")
    code, _, err = cli(capsys, site, "ingest")
    assert code == 0, err
    assert (papers / ".work.tmp" / "draft.txt").read_text() == "mine"
    assert (papers / ".x.md.0123456789ab.tmp" / "draft.txt").read_text() == "mine"


# 10 -----------------------------------------------------------------------------------------


def test_10_one_invalid_byte_costs_only_its_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = DUMP.replace("QuickServe: Prefix", "Zürich QuickServe: Prefix").encode()
    dump = dump.replace(b"Chain-of-thought", b"Chain-of-\xff-thought")
    (site / "content" / "sources" / "2025-03-12.txt").write_bytes(dump)
    code, _, err = cli(capsys, site, "ingest")
    assert code == 0, err
    assert "content/sources/2025-03-12.txt:9:" in err
    titles = "".join(p.read_text(encoding="utf-8") for p in (site / "content" / "papers").glob("*.md"))
    assert "Zürich QuickServe" in titles and "ZÃ¼rich" not in titles


# 11 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("site.yaml", 'title: "\\ud83d"\n', "content/site.yaml:1:"),
        ("taxonomy.yaml", "tags:\n  - name: a\n    rules: 5\n", "content/taxonomy.yaml:"),
        (
            "taxonomy.yaml",
            "tags:\n  - name: a\n    rules:\n      - {pattern: a, title: 1, cap: 9223372036854775808}\n",
            "cap",
        ),
    ],
)
def test_11_bad_settings_are_messages_not_tracebacks(
    site: Path, capsys: pytest.CaptureFixture[str], file: str, text: str, message: str
) -> None:
    (site / "content" / file).write_text(text, encoding="utf-8")
    code, _, err = cli(capsys, site, "ingest")
    assert code == 1 and message in err, err


def test_11_a_surrogate_pair_escape_is_a_message(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "site.yaml").write_text(
        'base_url: https://example.org/\ntitle: "Papers \\ud83d\\ude80"\n'
    )
    code, _, err = cli(capsys, site, "build")
    assert code == 1 and "content/site.yaml:2: error: invalid YAML" in err, err


def test_11_a_surrogate_escape_is_a_message_without_libyaml_too(site: Path) -> None:
    """PyYAML without its C part (a source install, another platform's wheel) read
    `\\ud83d\\ude80` as 🚀 where LibYAML refuses it: the same file built on one machine and
    failed on another. Both refuse it now, at its line."""
    (site / "content" / "site.yaml").write_text(
        'base_url: https://example.org/\ntitle: "Papers \\ud83d\\ude80"\n'
    )
    code = "import sys; sys.modules['yaml._yaml'] = None; from site_builder.cli import run; run()"
    done = subprocess.run(
        [sys.executable, "-c", code, "--root", str(site), "build"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "content/site.yaml:2: error: invalid YAML" in done.stderr, done.stderr
    assert "a surrogate escape (\\udXXX) is not a character" in done.stderr
    assert "Traceback" not in done.stderr


def test_11_raw_byte_names_and_arguments(site: Path) -> None:
    (site / "content" / "sources" / os.fsdecode(b"bad-\xff.txt")).write_text(DUMP)
    result = run(site, "ingest")
    err = no_traceback(result)
    assert "the file name is not valid UTF-8; rename the file" in err
    command = [
        sys.executable,
        "-m",
        "site_builder",
        "build",
        "--base-url",
        b"https://x.org/\xff/",
        "--root",
        site,
    ]
    result = subprocess.run(command, capture_output=True, timeout=120, check=False)  # type: ignore[arg-type]
    assert result.returncode in (1, 2) and "base" in no_traceback(result)


def test_11_a_broken_generated_record_is_a_page_error(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, site, "ingest")[0] == 0
    page = site / "content" / "papers" / QUICKSERVE
    page.write_text(page.read_text().replace("generated:", "generated: 5\nold_generated:"))
    code, _, err = cli(capsys, site, "ingest")
    assert code == 1 and f"content/papers/{QUICKSERVE}:" in err and "'generated'" in err


def test_11_a_full_disk_is_a_message(
    site: Path, tiny_mount: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    small = tiny_mount / "site"
    shutil.copytree(site / "content", small / "content")
    with open(tiny_mount / "filler", "wb", buffering=0) as filler:  # fill what is left of the disk
        try:
            while True:
                filler.write(b"x" * 512)
        except OSError:
            pass
    result = run(small, "ingest")
    err = no_traceback(result)
    assert result.returncode == 1 and "No space left on device" in err
    assert cli(capsys, site, "ingest")[0] == 0
    code, _, err = cli(capsys, site, "build", "--out", str(tiny_mount / "_site"))
    assert code == 1 and "No space left on device" in err, err


def test_11_a_read_only_papers_folder_is_a_message(site: Path, tmp_path: Path) -> None:
    """The folder that cannot be written is named: the message named a temporary file that
    no one can find (`content/papers/.a-page.md.5c1e0f3b2a9d.tmp`, `_site.tmp-4711-x1y2z3a4`),
    as a checkout owned by root, built by CI's own user, showed it."""
    papers = site / "content" / "papers"
    if subprocess.run(
        ["mount", "--bind", "-o", "ro", str(papers), str(papers)], capture_output=True
    ).returncode:
        pytest.skip("cannot bind-mount read-only here")
    try:
        result = run(site, "ingest")
        err = no_traceback(result)
        assert (
            result.returncode == 1
            and f"{papers}: error: cannot write or read here: Read-only file system" in err
        )
    finally:
        subprocess.run(["umount", str(papers)], check=True)
    assert run(site, "ingest").returncode == 0
    subprocess.run(["mount", "--bind", "-o", "ro", str(site), str(site)], check=True)
    try:
        result = run(site, "build")
        err = no_traceback(result)
        assert (
            result.returncode == 1
            and f"{site}: error: cannot write or read here: Read-only file system" in err
        )
    finally:
        subprocess.run(["umount", str(site)], check=True)


def test_11_evaluate_with_malformed_labels_and_init_below_a_file(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.yaml"
    labels.write_text("papers:\n  - slug: 5\n    tags: a\n  - 7\n")
    code, _, err = cli(capsys, site, "tags", "--evaluate", str(labels))
    assert code == 1 and str(labels) in err and "Traceback" not in err
    (tmp_path / "file").write_text("x")
    code, _, err = run_cli(capsys, "init", str(tmp_path / "file" / "site"))
    assert code in (1, 2) and "file" in err


# 12 -----------------------------------------------------------------------------------------


def test_12_the_published_site_honours_the_umask(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, site, "ingest")[0] == 0
    old = os.umask(0o022)
    try:
        assert cli(capsys, site, "build")[0] == 0
    finally:
        os.umask(old)
    out = site / "_site"
    assert out.stat().st_mode & 0o777 == 0o755
    assert (out / "index.html").stat().st_mode & 0o777 == 0o644
    assert all(p.stat().st_mode & 0o004 for p in (site / "content" / "papers").glob("*.md"))


# 13 -----------------------------------------------------------------------------------------


def test_13_an_impossible_date_is_an_error_at_its_line(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "content" / "sources" / "feb.txt").write_text(
        "Feb 31\n\nA Title Here\n\nAn abstract that is long enough.\n"
    )
    code, _, err = cli(capsys, site, "ingest", "--check")
    assert code == 1 and "content/sources/feb.txt:1:" in err


def test_13_base_url_with_a_newline_is_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "site.yaml").write_text('title: P\nbase_url: "https://example.org/\\nX: y"\n')
    code, _, err = cli(capsys, site, "build")
    assert code == 1 and "content/site.yaml:2:" in err


def test_13_control_characters_never_reach_the_html(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = site / "content" / "papers" / "hand.md"
    page.write_text(
        '---\ntitle: "Bell\\a NUL\\0 ESC\\e end"\nsources:\n  - {file: a.txt, line: 1, listed: 2025-03-12}\n---\nBody\x1b[31m red\n'
    )
    assert cli(capsys, site, "build")[0] == 0
    html = (site / "_site" / "papers" / "hand.html").read_text(encoding="utf-8")
    assert "Bell NUL ESC end" in html and not any(c in html for c in "\x00\x07\x1b")


def test_13_a_duplicate_yaml_key_is_an_error(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "site.yaml").write_text("title: A\ntitle: B\n")
    code, _, err = cli(capsys, site, "build")
    assert code == 1 and "content/site.yaml:2:" in err and "given twice" in err


def test_13_an_unreadable_source_folder_is_reported(site: Path) -> None:
    sub = site / "content" / "sources" / "old"
    sub.mkdir()
    (sub / "a.txt").write_text(DUMP)
    sub.chmod(0)
    try:
        if os.access(sub, os.R_OK):
            pytest.skip("root reads every folder")
        err = no_traceback(run(site, "ingest"))
        assert "content/sources/old: cannot read folder" in err
    finally:
        sub.chmod(0o755)


def test_13_rule_matching_agrees_with_the_engine_on_non_ascii_case() -> None:
    words = [
        "ılık",
        "ILIK",
        "İstanbul",
        "istanbul",
        "Straße",
        "STRASSE",
        "Ölçüm",
        "ölçüm",
        "K",
        "k",
        "Σίσυφος",
    ]
    patterns = ["ılık", "istanbul", "straße", "ölçüm", "k", "σίσυφος"]
    tag = TagDef("t", "T", "", tuple(Rule(p, 1.0) for p in patterns))
    taxonomy = Taxonomy((tag,))
    matcher, tagger = RuleMatcher.of(taxonomy), Tagger.of(taxonomy)
    for word in words:
        found = {p for p in patterns if compile_pattern(p.encode()).search(word.encode())}
        assert found <= {patterns[i] for i in matcher.candidates(word.encode())}, word
        (score,) = tagger.score_all(word, "")
        assert {hit.pattern for hit in score.hits} == found, word


def test_13_a_same_size_edit_with_its_mtime_restored_is_repaired(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(capsys, site, "ingest")[0] == 0
    assert cli(capsys, site, "build")[0] == 0
    home = site / "_site" / "index.html"
    built = home.read_bytes()
    st = home.stat()
    home.write_bytes(built.replace(b"<title>", b"<TITLE>", 1))
    os.utime(home, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cli(capsys, site, "build")[0] == 0
    assert home.read_bytes() == built


def test_13_a_symlink_loop_costs_only_itself(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A reviewer's `ln -s loop.txt loop.txt` in sources stopped the whole ingest."""
    (site / "content" / "sources" / "loop.txt").symlink_to("loop.txt")
    code, _, err = cli(capsys, site, "ingest")
    assert code == 0
    assert "content/sources/loop.txt: warning: cannot read: Too many levels of symbolic links; skipped" in err
    assert (site / "content" / "papers" / QUICKSERVE).exists()


@pytest.mark.parametrize("folder", ["sources", "papers"])
def test_13_a_file_where_a_content_folder_belongs_is_an_error(
    site: Path, capsys: pytest.CaptureFixture[str], folder: str
) -> None:
    path = site / "content" / folder
    shutil.rmtree(path)
    path.write_text("not a folder")
    code, _, err = cli(capsys, site, "ingest")
    assert code == 1
    assert f"content/{folder}: error: not a folder; move it away and make a folder of this name" in err
    assert path.read_text() == "not a folder"

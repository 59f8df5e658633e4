"""The command line as a user meets it: messages, exit codes, init, ingest --check."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import make_site, not_utf8_env, run_cli, snapshot

from site_builder.commands import init
from site_builder.commands.init import init_site


def test_ingest_prints_a_summary_and_exits_0_with_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, "dumps")
    code, out, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 0
    assert out.splitlines() == [
        "4 dump file(s), 9 entries → 7 unique papers",
        "merged: 1 abstract variant, 1 retitled",
        "kept apart: 2 papers share the title 'A Benchmark for Legal RAG' but not the abstract",
        "merged under another title: 1 page(s) took in a listing under another title; if it is another "
        "paper, list that title under `not_same_as:` in the page (docs/living-site.md)",
        "  content/papers/shortcot-learning-to-skip-reasoning-steps.md: 'ShortCoT: Learning to Skip "
        "Reasoning Steps' → 'Skip the Steps: Efficient Chain-of-Thought'",
        "pages: 7 written (7 new), 0 unchanged",
        "problems: 0 error(s), 2 warning(s) (listed above)",
    ]
    assert err.splitlines() == [
        "content/taxonomy.yaml:4: warning: `fallback: other` tags every paper no rule places other, a guess; "
        "delete this line to have ingest and check list such papers as untagged instead",
        "content/sources/crlf_bom.txt:17: warning: title without an abstract at the end of the file: "
        "'Dangling Title At End'; skipped",
    ]


def test_unreadable_file_exits_1_but_good_files_still_go_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, "dumps", "bad")
    code, _, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 1
    assert (
        "content/sources/binary.txt: error: binary file (contains NUL bytes), skipped; dumps must be text"
        in err.splitlines()
    )
    assert "content/sources/latin1.txt:3: warning: not valid UTF-8" in err
    assert "Traceback" not in err
    pages = {p.name for p in (site / "content" / "papers").glob("*.md")}
    assert "cafe-au-lait-a-latin-1-title.md" in pages
    assert "some-title-without-header.md" in pages
    assert len(pages) == 9


def test_check_writes_nothing_and_fails_when_pages_are_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, "dumps")
    code, out, err = run_cli(capsys, "--root", str(site), "ingest", "--check")
    assert code == 1
    # Pasted where it was run: a site named with --root is named again.
    assert f"7 page(s) out of date; run `site-builder --root {site} ingest`" in err
    assert list((site / "content" / "papers").iterdir()) == []
    run_cli(capsys, "--root", str(site), "ingest")
    before = snapshot(site / "content")
    code, out, err = run_cli(capsys, "--root", str(site), "ingest", "--check")
    assert code == 0 and "0 would change" in out
    assert snapshot(site / "content") == before


def test_a_suggested_command_runs_where_it_is_pasted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new user ran `site-builder --root my-site ingest` and was told to see
    `site-builder tags --explain …`, which failed pasted there ("no content/ folder here")."""
    site = make_site(tmp_path / "my site", "dumps")
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "--root", "my site", "ingest", "--check")
    assert code == 1 and "out of date; run `site-builder --root 'my site' ingest`" in err
    code, _, err = run_cli(capsys, "--root", "my site", "check", "--out", "no where")
    assert "run `site-builder --root 'my site' build --out 'no where'`" in err  # --out named too
    monkeypatch.chdir(site)
    code, _out, err = run_cli(capsys, "ingest", "--check")
    assert code == 1 and "out of date; run `site-builder ingest`" in err
    monkeypatch.chdir(tmp_path)
    (site / "content" / "taxonomy.yaml").unlink()
    code, _, err = run_cli(capsys, "--root", "my site", "ingest")
    assert "`site-builder init 'my site'` writes the default one" in err  # init takes the folder


def test_a_broken_page_stops_ingest_before_anything_is_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    page = site / "content" / "papers" / "title-with-crlf.md"
    page.write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 1
    assert err.startswith("content/papers/title-with-crlf.md:2: error: invalid YAML in front matter")
    assert page.read_text(encoding="utf-8") == "---\ntitle: [unclosed\n---\nbody\n"


def test_a_title_retyped_with_a_colon_is_refused_with_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A person retitling a page by hand writes `title: Persona-Plug: Personalized LLMs`, and
    likewise a site description; YAML's "mapping values are not allowed in this context"
    named no fix (a new user's first edit). The message now says to quote the value."""
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    page = site / "content" / "papers" / "title-with-crlf.md"
    text = page.read_text(encoding="utf-8")
    edited = re.sub(r"(?m)^title: .*$", "title: Persona-Plug: Personalized LLMs", text, count=1)
    page.write_text(edited, encoding="utf-8")
    hint = "; a value with ': ' in it needs quotes, as in title: 'Gemma: Open Models'"
    code, _, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 1 and page.read_text(encoding="utf-8") == edited
    first = err.splitlines()[0]
    assert first.startswith(
        "content/papers/title-with-crlf.md:2: error: invalid YAML in front matter: mapping"
    )
    assert first.endswith(hint), first
    page.write_text(text, encoding="utf-8")
    (site / "content" / "site.yaml").write_text("title: Papers\ndescription: Reading group: LLMs\n")
    code, _, err = run_cli(capsys, "--root", str(site), "build")
    assert code == 1 and err.startswith("content/site.yaml:2: error: invalid YAML: mapping")
    assert err.splitlines()[0].endswith(hint)


def test_check_fails_on_a_page_the_next_build_would_stop_at(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check` said "site OK" (exit 0) of the site built before a page's front matter broke,
    which stops the next ingest and build (a reviewer)."""
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    assert run_cli(capsys, "--root", str(site), "build")[0] == 0
    page = site / "content" / "papers" / "title-with-crlf.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        .replace("\ntags: [", "\ntags: [training, ", 1)
        .replace("]\n", "\n", 1)
    )
    code, out, err = run_cli(capsys, "--root", str(site), "check")
    assert code == 1 and "check failed: 1 error(s)" in out, (out, err)
    assert "content/papers/title-with-crlf.md:" in err and "invalid YAML in front matter" in err


def test_every_command_names_a_file_of_the_site_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """From the site's root, whatever `--root`: ingest said `content/site.yaml:1`, build
    `SITE/content/site.yaml:1`, for the same file."""
    site = make_site(tmp_path, "dumps")
    (site / "content" / "site.yaml").write_text("title: [x]\n", encoding="utf-8")
    said = {command: run_cli(capsys, "--root", str(site), command)[2] for command in ("ingest", "build")}
    assert (
        said["ingest"] == said["build"] == "content/site.yaml:1: error: 'title': expected text, got ['x']\n"
    )


def test_bad_taxonomy_is_reported_with_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(tmp_path, "dumps")
    tax = site / "content" / "taxonomy.yaml"
    tax.write_text(
        "tags:\n  - name: a\n    rules:\n      - {pattern: '(unclosed', title: 1}\n  - name: b\n    titel: B\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 1
    assert err.splitlines() == [
        "content/taxonomy.yaml:4: error: bad regular expression '(unclosed': missing )",
        "content/taxonomy.yaml:6: error: unknown key 'titel'; did you mean 'title'?",
    ]


def test_init_creates_a_site_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mysite"
    code, out, _ = run_cli(capsys, "init", str(target))
    assert code == 0 and "next: put listing dumps (*.txt) in" in out
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == [
        ".github/workflows/check.yml",
        ".github/workflows/pages.yml",
        ".gitignore",
        "README.md",
        "content/papers/.gitkeep",  # git keeps no empty folder: a clone would lack both
        "content/site.yaml",
        "content/sources/.gitkeep",
        "content/synonyms.yaml",
        "content/taxonomy.yaml",
        "requirements.txt",
    ]
    assert (target / "content" / "sources").is_dir() and (target / "content" / "papers").is_dir()
    if (target / "requirements.txt").read_text(encoding="utf-8").startswith("#"):  # a local install
        assert "before pushing: point" in out and "requirements.txt at where CI can install" in out
    (target / "README.md").write_text("My own words.\n", encoding="utf-8")
    workflow = target / ".github" / "workflows" / "pages.yml"
    workflow.write_text("# an earlier version's workflow\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "init", str(target))
    assert code == 0 and "kept README.md (it exists)" in out
    assert "kept .gitignore (it exists)\n" in out  # as this version writes it
    assert "kept .github/workflows/pages.yml (it exists, and differs from this version's: " in out
    assert (target / "README.md").read_text(encoding="utf-8") == "My own words.\n"
    # The placeholder is named again while it stays (an `init .` said nothing of it).
    local = (target / "requirements.txt").read_text(encoding="utf-8").startswith("#")
    assert ("before pushing: point" in out) == local
    code, out, _ = run_cli(capsys, "--root", str(target), "ingest")
    assert code == 0 and "0 dump file(s), 0 entries → 0 unique papers" in out
    assert run_cli(capsys, "--root", str(target), "build")[0] == 0  # .gitkeep is no page
    (target / ".github" / "workflows" / "check.yml").unlink()  # a site made before it existed
    out = run_cli(capsys, "init", str(target))[1]
    assert out.startswith(f"added to the site in {target}\n  wrote .github/workflows/check.yml\n")
    (target / "content" / "sources" / "Mar-12.TXT").write_text("Mar 12\n", encoding="utf-8")
    (target / "content" / "sources" / ".Mar-13.txt.swp.txt").write_text("x\n", encoding="utf-8")  # not a dump
    out = run_cli(capsys, "init", str(target))[
        1
    ]  # `init .` in a site with its dumps, counted as ingest finds them
    assert f"next: ingest the 1 dump(s) in {target / 'content' / 'sources'} and build the site:" in out
    # A site in use, upgraded: not a new site's next step; its own taxonomy is named to compare.
    (target / "content" / "papers" / "a-paper.md").write_text("---\ntitle: A Paper\n---\nText.\n")
    taxonomy = target / "content" / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    out = run_cli(capsys, "init", str(target))[1]
    assert "next: ingest and build, as every day:" in out and "next: ingest the 1 dump(s)" not in out
    assert "  kept content/taxonomy.yaml (yours; to compare for new rules, this version's: " in out


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(capsys, "frobnicate")[0] == 2
    code, _, err = run_cli(capsys, "--root", str(tmp_path / "nowhere"), "ingest")
    assert code == 2 and "no content/ folder here" in err
    code, _, err = run_cli(capsys, "--root", str(tmp_path / "site"), "init", str(tmp_path / "new"))
    assert code == 2 and "init makes its site in DIR" in err  # it made DIR, and said nothing of --root
    assert not (tmp_path / "new").exists() and not (tmp_path / "site").exists()
    (tmp_path / "loop").symlink_to(tmp_path / "loop")  # a traceback from Path.resolve (a fuzzer's find)
    for command in ("ingest", "build", "check"):
        code, _, err = run_cli(capsys, "--root", str(tmp_path / "loop"), command)
        assert code == 2 and "no content/ folder here" in err


def test_a_root_or_init_folder_that_is_a_file_and_opposite_options_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("x")
    code, _, err = run_cli(capsys, "--root", str(file), "build")
    assert (code, err) == (2, f"{file}: not a folder; pass the site's folder as --root\n")
    code, _, err = run_cli(capsys, "init", str(file))
    assert (code, err) == (1, f"{file}: error: exists and is not a folder; choose another DIR\n")
    assert file.read_text() == "x"
    code, _, err = run_cli(capsys, "-q", "build", "-v")
    assert code == 2 and err == "site-builder: error: -q/--quiet and -v/--verbose are opposites; give one\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["serve", "--port", "99999"],
            "argument --port: expected a port number from 1 to 65535 (0: any), got '99999'",
        ),
        (
            ["serve", "--port", "-5"],
            "argument --port: expected a port number from 1 to 65535 (0: any), got '-5'",
        ),
        (["build", "--base-url", "not-a-url"], "argument --base-url: expected an absolute http(s) URL"),
        (["build", "--base-url", ""], "argument --base-url: expected an absolute http(s) URL"),
        (["check", "--base-url", "not-a-url"], "argument --base-url: expected an absolute http(s) URL"),
        (["tags", "--explain", " "], "argument --explain: give a title, or part of a title or slug"),
    ],
)
def test_bad_arguments_are_usage_errors_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    """A reviewer's `serve --port 99999` was a traceback, a bad --base-url exit 1."""
    site = make_site(tmp_path, "dumps")
    code, _, err = run_cli(capsys, "--root", str(site), *args)
    assert code == 2 and message in err, err


def test_a_reader_that_leaves_early_is_no_error(tmp_path: Path) -> None:
    """`site-builder ... | head` said `cannot write or read here: Broken pipe`, exit 1."""
    site = make_site(tmp_path, "dumps")
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "ingest", "-v"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader is gone before the first line
        err = process.stderr.read().decode()
        code = process.wait(timeout=60)
    assert code == 0 and "Broken pipe" not in err, err


def test_a_terminal_that_is_not_utf8_gets_the_report_not_a_traceback(tmp_path: Path) -> None:
    """Under LANG=en_US.ISO-8859-1, ingest wrote the pages, then stopped on its summary's `→`
    with UnicodeEncodeError, a traceback and exit 1 (and `serve` on its `—`, `tags --explain`
    on a title in Chinese): a letter the terminal cannot show is escaped, as on stderr."""
    site = make_site(tmp_path, "dumps")
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "ingest"]
    run = subprocess.run(command, capture_output=True, env=not_utf8_env(), check=False)
    err = run.stderr.decode("ascii", "replace")
    assert run.returncode == 0 and "Traceback" not in err, err
    assert re.search(rb"^\d+ dump file\(s\), \d+ entries \\u2192 \d+ unique papers$", run.stdout, re.M)


def test_tags_explain_shows_the_rules_that_fired(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    code, out, _ = run_cli(
        capsys, "--root", str(site), "tags", "--explain", "rotated-4-bit-quantization-for-llms"
    )
    assert code == 0
    assert "+ compression: 4 (needs 3)" in out
    assert "Rotated 4-bit «Quantiz»ation for LLMs   (title, rule 1)" in out


def test_python_dash_m_runs_the_cli(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "site_builder", "--version"], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0 and run.stdout.startswith("site-builder ")
    # Which code exactly: every upgrade a reviewer tried said only 0.1.0.
    assert re.fullmatch(
        r"site-builder \d+\.\d+\.\d+\S* \((git [0-9a-f]{12}, )?code [0-9a-f]{12}\)\n", run.stdout
    )


def test_the_command_leaves_at_once_with_its_output_and_status(tmp_path: Path) -> None:
    """`run` ends the process without the interpreter's teardown: what was printed into a
    pipe or a file (fully buffered) still arrives, the files are complete, and the exit
    status is the command's."""
    site = make_site(tmp_path, "dumps")
    command = [sys.executable, "-m", "site_builder", "--root", str(site)]
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    ingest = subprocess.run(
        [*command, "ingest", "-v"], capture_output=True, text=True, env=buffered, check=False
    )
    assert ingest.returncode == 0 and ingest.stdout.splitlines()[-1].startswith("timings: ")  # its last line
    with open(tmp_path / "build.txt", "w", encoding="utf-8") as log:
        built = subprocess.run(
            [*command, "build"], stdout=log, stderr=subprocess.PIPE, env=buffered, check=False
        )
    assert built.returncode == 0
    assert (tmp_path / "build.txt").read_text(encoding="utf-8").startswith("built ")
    assert (site / "_site" / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    usage = subprocess.run([*command, "biuld"], capture_output=True, text=True, env=buffered, check=False)
    assert usage.returncode == 2 and "did you mean 'build'" in usage.stderr
    (site / "content" / "site.yaml").write_text("per_page: [\n", encoding="utf-8")
    failed = subprocess.run([*command, "build"], capture_output=True, text=True, env=buffered, check=False)
    assert failed.returncode == 1 and "site.yaml:2: error: invalid YAML" in failed.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["-q", "--root", "{site}", "ingest"],
        ["ingest", "-q", "--root", "{site}"],
        ["--root", "{site}", "ingest", "-q"],
    ],
)
def test_global_options_work_before_or_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    site = make_site(tmp_path, "dumps")
    code, out, _ = run_cli(capsys, *[a.replace("{site}", str(site)) for a in args])
    assert code == 0 and out == ""  # quiet wherever -q stands


def test_a_mistyped_command_gets_a_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "biuld")
    assert code == 2
    assert err.splitlines()[-1] == "site-builder: error: unknown command 'biuld'; did you mean 'build'?"


def test_build_warns_while_base_url_is_the_placeholder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    code, _, err = run_cli(capsys, "--root", str(site), "build")
    assert (
        code == 0
        and "content/site.yaml: warning: base_url is still the placeholder https://example.org/" in err
    )
    code, _, err = run_cli(capsys, "--root", str(site), "build", "--base-url", "https://me.github.io/p/")
    assert code == 0 and "placeholder" not in err


def test_check_on_a_laptop_warns_of_the_placeholder_base_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    run_cli(capsys, "--root", str(site), "build")
    code, out, err = run_cli(capsys, "--root", str(site), "check")
    assert code == 0 and "_site/index.html: warning: base_url is still the placeholder" in err
    assert out.startswith("site OK; ") and "warning(s) listed above" in out
    monkeypatch.setenv("CI", "true")
    code, _, err = run_cli(capsys, "--root", str(site), "check")
    assert code == 1 and "_site/index.html: error: base_url is still the placeholder" in err


def test_check_fails_on_settings_that_ingest_and_build_would_refuse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The built site may be fine, but the next ingest and build would stop: a reviewer saw
    `check` say "site OK" over a taxonomy with a broken rule and a site.yaml with `per_page: ten`."""
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    run_cli(capsys, "--root", str(site), "build")
    settings = site / "content" / "site.yaml"
    settings.write_text("title: Papers\nper_page: ten\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "--root", str(site), "check")
    assert code == 1 and "content/site.yaml:2: error: 'per_page': expected a whole number" in err
    assert out.startswith("check failed: 1 error(s)")
    settings.unlink()
    taxonomy = site / "content" / "taxonomy.yaml"
    text = taxonomy.read_text(encoding="utf-8")
    taxonomy.write_text(
        text.replace("rules:\n", "rules:\n      - {pattern: '(unclosed', title: 1}\n", 1), encoding="utf-8"
    )
    code, out, err = run_cli(capsys, "--root", str(site), "check")
    assert (
        code == 1 and "content/taxonomy.yaml:" in err and ": error: bad regular expression '(unclosed'" in err
    )
    assert out.startswith("check failed: 1 error(s)")


def test_edit_this_page_leads_to_the_page_file_in_the_repository_ci_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader who sees a wrong tag can correct it where it lives: the Pages workflow sets
    $SITE_BUILDER_EDIT_URL, and each paper page links its own file there (the file it is
    in, which a `slug:` can make another name), as does a page of the site's own."""
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    (site / "content" / "pages").mkdir()
    (site / "content" / "pages" / "about.md").write_text(
        "---\ntitle: About\n---\nA reading group.\n", encoding="utf-8"
    )
    code, _, err = run_cli(capsys, "--root", str(site), "build")
    assert code == 0, err
    paper = sorted((site / "_site" / "papers").glob("*.html"))[0]
    assert "Edit this page" not in paper.read_text(encoding="utf-8")  # no repository known
    monkeypatch.setenv("SITE_BUILDER_EDIT_URL", "https://github.com/me/papers/edit/main")
    code, _, _ = run_cli(capsys, "--root", str(site), "build")
    edit = "https://github.com/me/papers/edit/main/content/"
    assert code == 0
    assert f'<a href="{edit}papers/{paper.stem}.md">Edit this page</a>' in paper.read_text(encoding="utf-8")
    assert f'<a href="{edit}pages/about.md">Edit this page</a>' in (site / "_site" / "about.html").read_text()
    # The file renamed, its `slug:` kept: the page (otherwise unchanged) links the new file.
    old = site / "content" / "papers" / f"{paper.stem}.md"
    assert f"\nslug: {paper.stem}\n" in old.read_text(encoding="utf-8")
    old.rename(site / "content" / "papers" / "renamed.md")
    code, _, err = run_cli(capsys, "--root", str(site), "build")
    assert code == 0, err
    assert f'"{edit}papers/renamed.md"' in paper.read_text(encoding="utf-8")
    # A value CI made that is no folder's URL (a branch named `fix#12`): said, and no links,
    # rather than a failed build.
    monkeypatch.setenv("SITE_BUILDER_EDIT_URL", "https://github.com/me/papers/edit/fix#12/")
    code, _, err = run_cli(capsys, "--root", str(site), "build")
    assert code == 0, err
    assert (
        "$SITE_BUILDER_EDIT_URL: warning: 'https://github.com/me/papers/edit/fix#12/' has a fragment" in err
    )
    assert "no page links “Edit this page”" in err and "Edit this page" not in paper.read_text(
        encoding="utf-8"
    )


def test_edit_this_page_names_the_file_by_its_letters_whatever_the_locale(tmp_path: Path) -> None:
    """Under LANG=en_US.ISO-8859-1 a page file `résumé.md` was linked as `rÃ©sumÃ©.md`
    (`r%C3%83%C2%A9sum…`), a file the repository does not hold."""
    site = make_site(tmp_path, "dumps")
    page = "---\ntitle: My CV notes\nslug: cv-notes\ntags: [agents]\n---\nNotes on a CV.\n"
    (site / "content" / "papers" / "résumé.md").write_text(page, encoding="utf-8")
    env = {**not_utf8_env(), "SITE_BUILDER_EDIT_URL": "https://github.com/me/papers/edit/main/"}
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "-q", "build"]
    run = subprocess.run(command, capture_output=True, env=env, check=False)
    assert run.returncode == 0, run.stderr.decode("ascii", "replace")
    built = (site / "_site" / "papers" / "cv-notes.html").read_text(encoding="utf-8")
    assert '"https://github.com/me/papers/edit/main/content/papers/r%C3%A9sum%C3%A9.md"' in built


def test_the_base_url_variable_is_used_and_its_errors_name_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad $SITE_BUILDER_BASE_URL was reported as `argument --base-url`, an option no one gave."""
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    monkeypatch.setenv("SITE_BUILDER_BASE_URL", "me.github.io/papers")
    code, _, err = run_cli(capsys, "--root", str(site), "build")
    assert code == 2 and err.startswith("site-builder: error: $SITE_BUILDER_BASE_URL: expected an absolute")
    monkeypatch.setenv("SITE_BUILDER_BASE_URL", "https://me.github.io/papers")
    code, _, err = run_cli(capsys, "--root", str(site), "build")
    assert code == 0 and "placeholder" not in err
    assert "https://me.github.io/papers/feed.xml" in (site / "_site" / "feed.xml").read_text()
    code, _, err = run_cli(capsys, "--root", str(site), "build", "--base-url", "https://other.org/x/")
    assert code == 0 and "https://other.org/x/feed.xml" in (site / "_site" / "feed.xml").read_text()


def test_a_profiled_run_writes_its_profile(tmp_path: Path) -> None:
    """`python -m cProfile -o FILE -m site_builder …` (bench.run --profile): the run's quick
    exit must not skip the profiler's write at exit."""
    prof = tmp_path / "run.prof"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(prof),
            "-m",
            "site_builder",
            "init",
            str(tmp_path / "site"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert prof.stat().st_size > 0
    assert (tmp_path / "site" / "content" / "taxonomy.yaml").is_file()


def test_init_names_a_requirement_that_installs_the_tool_by_name(tmp_path: Path) -> None:
    """Early sites hold `site_builder==0.1.0`: a name anyone may claim on PyPI, which CI
    would then install (a reviewer's upgrade; only the placeholder was named)."""
    site = tmp_path / "site"
    init_site(site)
    (site / "requirements.txt").write_text("# the tool\nsite_builder==0.1.0\n", encoding="utf-8")
    lines = init_site(site)
    assert lines[-1] == (
        f"{site / 'requirements.txt'}:2: `site_builder==0.1.0` installs site_builder by name from PyPI, "
        "where anyone may claim the name: point it at a git URL "
        "(site_builder @ git+https://github.com/<you>/site_builder@<commit>)"
    )
    (site / "requirements.txt").write_text("site_builder @ git+https://github.com/x/site_builder@abc\n")
    assert "by name" not in "\n".join(init_site(site))


@pytest.mark.parametrize(
    ("record", "line"),
    [
        # Cloned over SSH: CI has no key; the same repository over https (a reviewer's install
        # line failed on the runner).
        (
            {
                "url": "ssh://git@github.com/alice/site_builder.git",
                "vcs_info": {"vcs": "git", "commit_id": "c4"},
            },
            "site_builder @ git+https://github.com/alice/site_builder.git@c4",
        ),
        (
            {"url": "git@github.com:alice/site_builder.git", "vcs_info": {"vcs": "git", "commit_id": "c4"}},
            "site_builder @ git+https://github.com/alice/site_builder.git@c4",
        ),
        # A port, another user, SSH over port 443, a path with a leading slash (a reviewer).
        (
            {
                "url": "ssh://git@gitlab.example.com:2222/g/r.git",
                "vcs_info": {"vcs": "git", "commit_id": "c4"},
            },
            "site_builder @ git+https://gitlab.example.com/g/r.git@c4",
        ),
        (
            {"url": "ssh://git@ssh.github.com:443/o/r.git", "vcs_info": {"vcs": "git", "commit_id": "c4"}},
            "site_builder @ git+https://github.com/o/r.git@c4",
        ),
        (
            {"url": "ssh://alice@host.example/o/r.git", "vcs_info": {"vcs": "git", "commit_id": "c4"}},
            "site_builder @ git+https://host.example/o/r.git@c4",
        ),
        (
            {"url": "git@github.com:/o/r.git", "vcs_info": {"vcs": "git", "commit_id": "c4"}},
            "site_builder @ git+https://github.com/o/r.git@c4",
        ),
        # The package in a folder of the repository: pip's `subdirectory` kept.
        (
            {
                "url": "https://github.com/alice/tools.git",
                "vcs_info": {"vcs": "git", "commit_id": "c4"},
                "subdirectory": "site_builder",
            },
            "site_builder @ git+https://github.com/alice/tools.git@c4#subdirectory=site_builder",
        ),
        (
            {"url": "https://example.org/site_builder-0.1.0.tar.gz", "archive_info": {}},
            "site_builder @ https://example.org/site_builder-0.1.0.tar.gz",
        ),
        (  # a token in the address is never written into the site (committed, pushed)
            {"url": "https://me:ghp_SECRET@github.com/me/site_builder.git", "vcs_info": {"commit_id": "c5"}},
            "site_builder @ git+https://github.com/me/site_builder.git@c5",
        ),
    ],
)
def test_init_requires_the_tool_from_where_ci_can_install_it(
    monkeypatch: pytest.MonkeyPatch, record: dict[str, Any], line: str
) -> None:
    monkeypatch.setattr(init, "installed_from", lambda: record)
    assert init.tool_requirement() == line + "\n"


def test_init_asks_for_a_url_when_the_tool_came_from_a_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        init, "installed_from", lambda: {"url": "file:///home/a/site_builder", "dir_info": {}}
    )
    assert "point this line at where CI can get it" in init.tool_requirement()


def test_init_requires_a_local_clones_commit_from_its_origin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Installed from a clone, as the README says, `init` wrote a placeholder, and a newcomer
    had to find the tool's address and a commit (`--version` shows a code hash, no commit)."""
    clone = tmp_path / "my tools" / "site_builder"
    clone.mkdir(parents=True)
    git = ["git", "-C", str(clone), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "tool"], check=True)
    subprocess.run(
        [*git, "remote", "add", "origin", "https://alice:ghp_SECRET@github.com/alice/site_builder.git"],
        check=True,
    )
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    monkeypatch.setattr(init, "installed_from", lambda: {"url": clone.as_uri(), "dir_info": {}})
    assert init.tool_requirement().splitlines() == [
        f"# From your clone at {clone}: CI installs this commit from its origin, so push it there.",
        f"site_builder @ git+https://github.com/alice/site_builder.git@{commit}",
    ]
    out = run_cli(capsys, "init", str(tmp_path / "site"))[1]
    assert (
        f"before pushing: push commit {commit[:12]} of site_builder to https://github.com/alice/site_builder.git: "
        in out
    )
    assert "point" not in out  # no placeholder to point elsewhere


def test_every_command_names_the_encoding_of_what_it_reads_and_writes(tmp_path: Path) -> None:
    """A text file or a program's output read in the locale's encoding is read otherwise on
    Windows (cp1252): `init` read git's answers so, and stopped with UnicodeDecodeError on
    a byte cp1252 lacks. Python's EncodingWarning, made an error, finds every such call.
    (Run outside the repository, whose egg-info would hide the install's record from init.)"""
    env = {**os.environ, "PYTHONWARNDEFAULTENCODING": "1", "PYTHONWARNINGS": "error::EncodingWarning"}
    site = tmp_path / "site"
    paste = b"Mar 12, 2026\nCaf\xc3\xa9 Models: a Paper\nWe study caf\xc3\xa9 models with care and report results.\n"
    for args, stdin in [
        (["init", str(site)], b""),
        (["--root", str(site), "add"], paste),
        (["--root", str(site), "ingest"], b""),
        (["--root", str(site), "build"], b""),
        (["--root", str(site), "check"], b""),
        (["--root", str(site), "tags", "--explain", "cafe-models-a-paper"], b""),
    ]:
        command = [sys.executable, "-m", "site_builder", *args]
        run = subprocess.run(command, input=stdin, capture_output=True, env=env, cwd=tmp_path, check=False)
        err = run.stderr.decode("utf-8", "replace")
        assert run.returncode == 0 and "Traceback" not in err, (args, err)


def _cli(*args: str, cwd: Path | None = None, **streams: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "site_builder", *args],
        cwd=cwd,
        text=True,
        capture_output=not streams,
        **streams,
    )


def test_closed_output_streams_neither_fail_nor_raise(tmp_path: Path) -> None:
    """`build >&-` did its work, then failed on its summary with a traceback; `ingest 2>&-`
    exited 1 with no word; `--version | head -0` raised BrokenPipeError."""
    site = make_site(tmp_path / "site", "dumps")
    closed = _cli(
        "--root", str(site), "ingest", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, close_fds=True
    )
    assert closed.returncode == 0, closed.stderr
    script = (
        f"import subprocess, sys; sys.exit(subprocess.call([sys.executable, '-m', 'site_builder', '--root', {str(site)!r}, "
        "'build'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(), close_fds=True))"
    )
    assert subprocess.run([sys.executable, "-c", script]).returncode == 0
    for args in (("build",), ("ingest",)):
        done = subprocess.run(
            f"{sys.executable} -m site_builder --root {site} {args[0]} >&- 2>&-",
            shell=True,
            capture_output=True,
        )
        assert done.returncode == 0, args
    head = subprocess.run(
        f"{sys.executable} -m site_builder --version | head -c 0", shell=True, capture_output=True, text=True
    )
    assert "Traceback" not in head.stderr


def test_a_command_run_inside_a_site_names_the_site(tmp_path: Path) -> None:
    """From content/ a command said "run `site-builder init .`", which made a site inside
    the site (content/content/, a README among the sources)."""
    site = make_site(tmp_path / "my site", "dumps")
    (site / "content" / "site.yaml").write_text("title: T\n", encoding="utf-8")
    inside = _cli("build", cwd=site / "content")
    assert inside.returncode == 2
    assert inside.stderr.strip() == f". is inside the site {site}: run it there, or pass --root '{site}'"
    nested = _cli("init", str(site / "content" / "sub"))
    assert nested.returncode == 1 and "is inside the site" in nested.stderr
    assert not (site / "content" / "sub" / "content").exists()
    empty = _cli("init", "")
    assert empty.returncode == 2 and "a folder is needed" in empty.stderr
    made = _cli("init", str(tmp_path / "new site ü"))
    assert f"--root '{tmp_path / 'new site ü'}' ingest" in made.stdout  # pastes into a shell whole


def test_init_refuses_a_folder_a_build_would_delete(tmp_path: Path) -> None:
    """`init _site/inner` succeeded, and the next build removed it without a word."""
    site = make_site(tmp_path / "site", "dumps")
    (site / "content" / "site.yaml").write_text("title: T\n", encoding="utf-8")
    refused = _cli("init", str(site / "_site" / "inner"))
    assert refused.returncode == 1 and "_site/" in refused.stderr


def test_problems_become_annotations_in_github_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitHub reads `::add-matcher::` and then each problem line through the matcher's
    pattern: an error and a warning, with and without a line, come out as annotations."""
    site = make_site(tmp_path, "dumps", "bad")
    code, _, plain = run_cli(capsys, "--root", str(site), "ingest", "--check")
    assert "::add-matcher::" not in plain
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, _, err = run_cli(capsys, "--root", str(site), "ingest", "--check")
    lines = err.splitlines()
    assert code == 1 and lines[0].startswith("::add-matcher::") and lines[1:] == plain.splitlines()
    matcher = json.loads(Path(lines[0].removeprefix("::add-matcher::")).read_text(encoding="utf-8"))
    (pattern,) = matcher["problemMatcher"][0]["pattern"]
    found = {}
    for line in lines[1:]:
        if m := re.match(pattern["regexp"], line):
            found[m[pattern["file"]]] = (m[pattern["line"]], m[pattern["severity"]], m[pattern["message"]])
    assert found["content/sources/binary.txt"] == (
        None,
        "error",
        "binary file (contains NUL bytes), skipped; dumps must be text",
    )
    line, severity, message = found["content/sources/latin1.txt"]
    assert (line, severity) == ("3", "warning") and message.startswith("not valid UTF-8")


def test_init_in_a_folder_whose_name_is_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`init $'bad\\xff'` wrote half a site and stopped with UnicodeEncodeError (a fuzzer's find)."""
    target = tmp_path / "bad\udcff"  # the byte 0xff, as Python names it
    code, _, err = run_cli(capsys, "init", str(target))
    assert code == 0 and "Traceback" not in err
    assert (target / "README.md").read_text(encoding="utf-8").startswith("# bad\ufffd")
    assert (target / "content" / "taxonomy.yaml").is_file()


def test_init_inside_another_git_repository_says_its_workflows_would_not_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A newcomer ran `init my-papers` in the tool's clone: a site in a repository's
    subfolder, whose workflows GitHub never runs, without a word (a reviewer)."""
    outer = tmp_path / "tool"
    subprocess.run(["git", "init", "-q", str(outer)], check=True)
    out = run_cli(capsys, "init", str(outer / "my-papers"))[1]
    assert (
        f"note: {outer / 'my-papers'} is inside the git repository {outer}, and GitHub runs only the "
        f"workflows in {outer / '.github'}: " in out
    )
    subprocess.run(["git", "init", "-q", str(outer / "own")], check=True)  # a repository of its own
    assert "note:" not in run_cli(capsys, "init", str(outer / "own"))[1]


def test_build_names_a_dump_added_since_the_last_ingest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`add`, then `build` without `ingest`: "built … (unchanged)" and `check` "site OK", with
    the new day nowhere and nothing said (a newcomer's review)."""
    site = make_site(tmp_path, "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    assert "since the last ingest" not in run_cli(capsys, "--root", str(site), "build")[2]
    dump = site / "content" / "sources" / "2024-03-14.txt"
    dump.write_text("Mar 14\n\nA New Paper on Serving\n\nWe serve models faster than before, by far.\n")
    err = run_cli(capsys, "--root", str(site), "build")[2]
    assert (
        "content/sources/2024-03-14.txt: warning: new or changed since the last ingest, so not on the site: "
        f"run `site-builder --root {site} ingest`"
    ) in err
    run_cli(capsys, "--root", str(site), "ingest")
    assert "since the last ingest" not in run_cli(capsys, "--root", str(site), "build")[2]
    # Written again with the same bytes (a checkout, an editor's save): no change (a reviewer).
    dump.write_bytes(dump.read_bytes())
    os.utime(dump, ns=(1, 1))
    assert "since the last ingest" not in run_cli(capsys, "--root", str(site), "build")[2]

"""Hostile and broken input through ingest: no traceback, every good entry kept, nothing escapes."""

import contextlib
import io
from pathlib import Path

import pytest
from ingest_helpers import DATA, make_site, run_cli

from site_builder.cli import main
from site_builder.core.pages.pagefile import read_pages
from site_builder.core.text import MAX_SLUG, RESERVED, is_valid_slug, printable
from site_builder.ingest.dumps.files import read_dump

HOSTILE = DATA / "hostile"


def hostile_titles() -> list[str]:
    result = read_dump(HOSTILE / "hostile.txt", "hostile.txt", "hostile.txt")
    return [e.title for e in result.entries]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    site = make_site(tmp_path_factory.mktemp("hostile"), "hostile")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--root", str(site), "ingest"])
    return site, code, err.getvalue()


def test_problems_name_each_file_and_nothing_crashes(ingested: tuple[Path, int, str]) -> None:
    _, code, err = ingested
    assert code == 1  # the binary file could not be read
    assert "Traceback" not in err
    lines = err.splitlines()
    assert (
        "content/sources/binary.txt: error: binary file (contains NUL bytes), skipped; dumps must be text"
        in lines
    )
    assert "content/sources/empty.txt: warning: no papers found (empty file?)" in lines
    assert "content/sources/header_only.txt: warning: no papers found (empty file?)" in lines
    assert any(
        line.startswith("content/sources/dangling.txt:15: warning: title without an abstract")
        for line in lines
    )
    assert any(line.startswith("content/sources/latin1.txt:11: warning: not valid UTF-8") for line in lines)
    assert not any(
        line.startswith("content/sources/hostile.txt:") for line in lines
    )  # hostile text, well formed


def test_every_good_entry_has_a_page_whose_title_round_trips(ingested: tuple[Path, int, str]) -> None:
    site, _, _ = ingested
    stored, problems = read_pages(site / "content" / "papers", site)
    assert problems == []
    titles = {s.page.title for s in stored} | {a for s in stored for a in s.page.aliases}
    expected = [*hostile_titles(), "CRLF Paper", "Naïve Latin-1 Title", "Good Paper In Dangling File"]
    for title in expected:
        assert title.strip() in titles, title
    # NFC and NFD spellings of the same title with different abstracts: two papers, two slugs.
    cafe = [s for s in stored if s.page.title.startswith("Caf")]
    assert len(cafe) == 2 and len({s.page.slug for s in cafe}) == 2


def test_slugs_are_safe_bounded_unique_and_files_stay_inside(ingested: tuple[Path, int, str]) -> None:
    site, _, _ = ingested
    papers = site / "content" / "papers"
    files = sorted(papers.rglob("*"))
    assert all(f.parent == papers and f.suffix == ".md" for f in files)
    stems = [f.stem for f in files]
    assert len(stems) == len(set(stems))
    for stem in stems:
        assert is_valid_slug(stem) and len(stem) <= MAX_SLUG and stem not in RESERVED
    assert not (site / "etc").exists() and not (site / "content" / "etc").exists()


def test_huge_abstract_is_kept_whole(ingested: tuple[Path, int, str]) -> None:
    site, _, _ = ingested
    page = (site / "content" / "papers" / "a-paper-with-a-huge-abstract.md").read_text(encoding="utf-8")
    assert page.count("long words for a big abstract") == 3500


def test_pathological_inputs_are_refused_quickly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site(tmp_path, "dumps")
    sources = site / "content" / "sources"
    with (sources / "one-huge-line.txt").open("w") as handle:
        handle.write("Mar 1\nA title\n")
        handle.write("x" * 50_000_000)
        handle.write("\n")
    (sources / "blank-lines.txt").write_text(
        "\n" * 1_000_000 + "Mar 2\nLate Title\nIts abstract after a million blank lines.\n"
    )
    code, _out, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 1  # an entry could not be used
    assert "content/sources/one-huge-line.txt:3: error: line of 50,000,000 characters is too long" in err
    assert (
        "content/sources/one-huge-line.txt:2: warning: title without an abstract (its abstract was too long)"
        in err
    )
    assert (site / "content" / "papers" / "late-title.md").exists()


def test_nothing_a_terminal_acts_on_reaches_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A dump named with ESC sequences (`ESC]0;…BEL ESC[2J`) retitled and cleared a
    reviewer's terminal through ingest's warning; C1 controls (CSI U+009B) and CR from a
    dump reached `tags --explain`; bidi overrides reordered a title on the page."""
    site = make_site(tmp_path / "site", "dumps")
    sources = site / "content" / "sources"
    named = sources / "2025-03-12 \x1b]0;PWNED\x07\x1b[2J.txt"
    named.write_bytes(b"Mar 12\nBad \xff Title Line\nAn abstract line.\n")
    title = "Terminal \x9b2J\x9d0;PWNED\x9c Escape \u202etxt.exe Test"
    abstract = "Reasoning with chain-of-thought \x9b31m in a long enough abstract. " * 6
    (sources / "c1.txt").write_text(f"Mar 12\n{title}\n{abstract}\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "--root", str(site), "ingest")
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b]0;PWNED\\x07\\x1b[2J.txt:2: warning:" in err  # escaped, and still findable
    page = read_pages(site / "content" / "papers", site)[0]
    texts = [s.page.title + s.page.body for s in page]
    assert not any(c in text for text in texts for c in "\x9b\x9d\x9c\r\u202e")
    assert "Terminal 2J0;PWNED Escape txt.exe Test" in {s.page.title for s in page}
    code, out, err = run_cli(capsys, "--root", str(site), "tags", "--explain", "Terminal 2J0")
    assert code == 0 and not any(c in out for c in "\x1b\x9b\x9d\r")
    assert printable("a page's title\r\rover \x9b2J it") == "a page's titleover 2J it"  # YAML can carry them


def test_a_link_no_browser_could_follow_stops_no_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`https://[::1` in an abstract became the page's link, and every later build stopped
    with a traceback (a fuzzer's find): ingest leaves it out. A person's own `links:` entry
    of the kind is built as written, and `check` names it at its page."""
    site = make_site(tmp_path / "site")
    (site / "content" / "sources" / "a.txt").write_text(
        "Mar 12, 2025\nA Study of Agents\nWe propose agents, see https://[::1 for details.\n",
        encoding="utf-8",
    )
    assert run_cli(capsys, "--root", str(site), "ingest")[0] == 0
    page = site / "content" / "papers" / "a-study-of-agents.md"
    assert "[::1" not in page.read_text(encoding="utf-8").split("\n---\n")[0]  # front matter
    hand = site / "content" / "papers" / "hand.md"
    hand.write_text(
        "---\ntitle: A Hand Page\ntags: [agents]\nlinks:\n- http://[x]/\n---\nAn abstract of mine.\n",
        encoding="utf-8",
    )
    code, _, err = run_cli(capsys, "--root", str(site), "build")
    assert code == 0 and "Traceback" not in err
    html = (site / "_site" / "papers" / "hand.html").read_text(encoding="utf-8")
    assert 'href="http://[x]/"' in html
    code, out, err = run_cli(capsys, "--root", str(site), "check")
    assert code == 1 and "Traceback" not in err
    assert "_site/papers/hand.html" in out + err and "not a URL a browser can follow" in out + err


def test_a_line_break_in_a_file_name_starts_no_line_of_its_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page a pull request named `b⏎::warning::INJECTED.md` made ingest print a line that
    began `::warning::`, a command GitHub Actions obeys (a reviewer)."""
    site = make_site(tmp_path / "site", "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    (site / "content" / "papers" / "b\n::warning::INJECTED.md").write_text("---\ntitle: [broken\n---\n")
    code, out, err = run_cli(capsys, "--root", str(site), "ingest")
    assert code == 1 and "content/papers/b\\n::warning::INJECTED.md:2: error:" in err
    assert not any(line.startswith("::") for line in (out + err).splitlines())


def test_a_slug_or_tag_with_a_final_line_break_is_refused(tmp_path: Path) -> None:
    """`slug: "index\\n"` passed the check (`$` matches before a final newline) and built
    `papers/index\\n.html`, around the reserved names, a newline in its sitemap entry."""
    from site_builder.core.config import TAG_NAME
    from site_builder.core.text import is_valid_slug

    assert not is_valid_slug("index\n") and not is_valid_slug("a-paper\n") and is_valid_slug("a-paper")
    assert not TAG_NAME.match("agents\n") and TAG_NAME.match("agents")


def test_a_cache_file_git_tracks_is_never_loaded_and_check_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Caches are pickles: one a pull request added under `.site-cache/` (`git add -f`) ran
    its code on the maintainer's next build (a security review)."""
    import os
    import pickle
    import subprocess

    from site_builder.core.files import store
    from site_builder.core.files.store import _MAGIC, _Checksum

    site = make_site(tmp_path / "site", "dumps")
    run_cli(capsys, "--root", str(site), "ingest")
    planted = tmp_path / "planted.txt"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {planted}",))

    body = pickle.dumps(Payload())
    cache = site / ".site-cache" / "ingest" / "dumps-read"
    cache.write_bytes(_MAGIC + b"\n" + _Checksum(body).digest() + body)
    git = ["git", "-C", str(site), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", ".site-cache/ingest/dumps-read"], check=True)
    store.tracked.cache_clear()
    assert run_cli(capsys, "--root", str(site), "build")[0] == 0
    assert not planted.exists()
    code, _, err = run_cli(capsys, "--root", str(site), "check")
    assert code == 1 and ".site-cache: error: tracked by git: its caches are code the tool would run" in err
    subprocess.run([*git, "rm", "-q", "-r", "--cached", ".site-cache"], check=True)
    store.tracked.cache_clear()
    assert "tracked by git" not in run_cli(capsys, "--root", str(site), "check")[2]

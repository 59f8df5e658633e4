"""A site's life under random ordinary actions: nothing a person owns is ever lost.

A hypothesis state machine adds and mangles dumps, edits and hand-writes pages, changes
settings (sometimes wrongly) and litters the output folder, running ingest and build in
between. After every step:

- the tool never ends in a traceback (an exception fails the run);
- outside the output folder, only pages the tool owns change: dumps, settings, the
  taxonomy and hand-written pages keep their bytes;
- a note a person added to a page is still in it;
- what a person keeps in the output folder (.git, CNAME) survives every build.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from ingest_helpers import DATA

from site_builder.cli import main
from site_builder.core.files import content_files

TITLES = [
    "Sparse Mixture of Experts at Scale",
    "Retrieval Helps Small Models Reason",
    "A Benchmark for Legal Question Answering",
    "Quantized Attention Kernels for Long Contexts",
    "Agents That Plan with World Models",
    "Direct Preference Optimization Revisited",
]
ABSTRACT = "We study {t} with careful experiments on several benchmarks and release the code and data."
MONTHS = ["Jan", "Mar", "Jun", "Dec"]


def dump_text(day: int, month: str, titles: list[str]) -> str:
    body = "".join(f"{t}\n\n{ABSTRACT.format(t=t.lower())}\n\n" for t in titles)
    return f"{month} {day}\n\n{body}"


class SiteLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="site-life-"))
        content = self.root / "content"
        (content / "sources").mkdir(parents=True)
        (content / "papers").mkdir()
        shutil.copyfile(DATA / "taxonomy.yaml", content / "taxonomy.yaml")
        (content / "site.yaml").write_text("title: Life\nbase_url: https://example.org/\n")
        self.dumps = 0
        self.notes: dict[str, str] = {}  # page file name → the note a person added
        self.hand: dict[str, bytes] = {}  # hand-written page → its bytes
        self.kept: dict[str, bytes] = {}  # what a person keeps in _site/
        self.owned_before: dict[str, bytes] = {}

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def cli(self, *args: str) -> int:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            return main([*args, "--root", str(self.root)])

    def person_files(self) -> dict[str, bytes]:
        """Every file outside the output folder that the tool does not own."""
        found = {}
        for path in (self.root / "content").rglob("*"):
            rel = path.relative_to(self.root).as_posix()
            if path.is_file() and not (rel.startswith("content/papers/") and rel.endswith(".md")):
                found[rel] = path.read_bytes()
        return found

    @initialize()
    def first_dump(self) -> None:
        self.add_dump(TITLES[:3], 12, "Mar")

    @rule(
        titles=st.lists(st.sampled_from(TITLES), min_size=1, max_size=4),
        day=st.integers(1, 28),
        month=st.sampled_from(MONTHS),
    )
    def add_dump(self, titles: list[str], day: int, month: str) -> None:
        self.dumps += 1
        path = self.root / "content" / "sources" / f"{self.dumps:03d}.txt"
        path.write_text(dump_text(day, month, titles), encoding="utf-8")

    @rule(drop=st.integers(0, 12), extra=st.sampled_from(["", "\n\nstray line", "\x0c", "\ufffd\udcff"]))
    def mangle_a_dump(self, drop: int, extra: str) -> None:
        dumps = sorted((self.root / "content" / "sources").glob("*.txt"))
        lines = dumps[-1].read_text(encoding="utf-8", errors="surrogateescape").split("\n")
        del lines[drop % len(lines)]
        data = ("\n".join(lines) + extra).encode("utf-8", "surrogateescape")
        dumps[-1].write_bytes(data)

    @rule(
        which=st.integers(0, 50),
        note=st.sampled_from(["My note.", "Read with the group **twice**.", "See [x](https://x.org)."]),
    )
    def add_a_note(self, which: int, note: str) -> None:
        pages = sorted(p for p in (self.root / "content" / "papers").glob("*.md") if p.name not in self.hand)
        if not pages:
            return
        page = pages[which % len(pages)]
        page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{note}\n", encoding="utf-8")
        self.notes[page.name] = note

    @rule(which=st.integers(0, 50))
    def fix_a_word(self, which: int) -> None:
        """An edit that keeps the file's size: its stat may show it only by the times."""
        pages = sorted(p for p in (self.root / "content" / "papers").glob("*.md") if p.name not in self.hand)
        texts = [(p, p.read_text(encoding="utf-8")) for p in pages]
        texts = [(p, t) for p, t in texts if "careful" in t]
        if not texts:
            return
        page, text = texts[which % len(texts)]
        page.write_text(text.replace("careful", "CAREFUL", 1), encoding="utf-8")
        self.notes.setdefault(page.name + "#fix", "CAREFUL")

    @rule(title=st.sampled_from(TITLES))
    def hand_write_a_page(self, title: str) -> None:
        name = f"mine-{len(self.hand)}.md"
        path = self.root / "content" / "papers" / name
        path.write_text(f"---\ntitle: {title} (my summary)\ntags: [my-topic]\n---\nWhat I think.\n")
        self.hand[name] = path.read_bytes()

    @rule(
        text=st.sampled_from(
            ["title: Life 2\nbase_url: https://example.org/\n", "title: [unclosed\n", "title: A\ntitle: B\n"]
        )
    )
    def edit_settings(self, text: str) -> None:
        (self.root / "content" / "site.yaml").write_text(text)

    @rule(name=st.sampled_from(["CNAME", ".git/HEAD", "stray.html"]))
    def put_a_file_in_the_output(self, name: str) -> None:
        out = self.root / "_site"
        if not (out / "index.html").exists():
            return
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"kept " + name.encode())
        if name != "stray.html":
            self.kept[name] = path.read_bytes()

    @rule()
    def ingest(self) -> None:
        before = self.person_files()
        assert self.cli("ingest") in (0, 1)
        assert self.person_files() == before

    @rule()
    def build(self) -> None:
        before = self.person_files()
        code = self.cli("build")
        assert code in (0, 1)
        assert self.person_files() == before
        if code == 0:
            for name, data in self.kept.items():
                assert (self.root / "_site" / name).read_bytes() == data, name

    @invariant()
    def notes_and_hand_written_pages_survive(self) -> None:
        papers = self.root / "content" / "papers"
        for name, note in self.notes.items():
            assert note in (papers / name.removesuffix("#fix")).read_text(encoding="utf-8"), name
        for name, data in self.hand.items():
            assert (papers / name).read_bytes() == data, name


class SiteLifeTrustingEveryStat(SiteLife):
    """The same life with no racy margin: ingest and build trust a file's stat the moment
    they saw it, so an edit in the same timestamp tick goes unseen by the stat. Nothing
    may be lost all the same: a page is rewritten only if its bytes are those recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.margins = content_files.RACY_NS, content_files.RACY_COARSE_NS
        content_files.RACY_NS = content_files.RACY_COARSE_NS = 0

    def teardown(self) -> None:
        content_files.RACY_NS, content_files.RACY_COARSE_NS = self.margins
        super().teardown()


SiteLife.TestCase.settings = settings(
    max_examples=20, stateful_step_count=10, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# Longer lives: a page is known by its stat from its third ingest on (written, read, known).
SiteLifeTrustingEveryStat.TestCase.settings = settings(
    max_examples=25, stateful_step_count=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
test_a_site_life_loses_nothing = SiteLife.TestCase
test_a_site_life_trusting_every_stat_loses_nothing = SiteLifeTrustingEveryStat.TestCase

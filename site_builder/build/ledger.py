"""The output ledger: every file the site will hold, declared once as `(path, key, make)`.

A build declares all its outputs here (pages, feeds, sitemap, robots, static files, the
search assets) with a key — a hash of everything the output shows — and a way to make it.
`diff` sets the ledger against the manifest of the previous build: an output whose key is
unchanged and whose file is still exactly as written is a *hit*, carried over (hard-linked
into the new folder, or left where it is when the site is patched in place: output/inplace.py);
the rest are *misses*, made anew. When every output is a hit and the folder holds nothing
else, there is nothing to do at all. A path declared twice is an error, whoever declared it.

Four kinds of `make`:
- a callable returning the file's bytes, made in this process;
- a `RenderJob`, an HTML page made by the render workers, many at a time (workers.py);
- a `Bundle`, several files made together by one process (the search assets), whose
  paths are known once they are made (or, for a hit, from the manifest);
- `FromSite`, a file made from all the others once they are made or carried over (the
  offline copy, offline.py), in this process, last.

A page's template may look up a few values by name (a tag's count); the names it looked
up are kept with its manifest entry, and their current values join its key on the next
build (`lookups`). No stage knows about this cache: they declare, the ledger decides.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol

from site_builder.build.cache.manifest import Manifest, Previous, WrittenFile
from site_builder.build.output.sitedir import FileStat, OutputDir
from site_builder.core.errors import Problem, SiteError
from site_builder.core.runtime.hashing import digest
from site_builder.core.stopwatch import Stopwatch

PageKind = Literal[
    "home", "notes", "tag", "paper", "period", "archive", "tags", "search", "404", "trends", "saved", "extra"
]
Job = tuple[PageKind, int]  # (kind of page, index): see jobs.py


class Rendered(NamedTuple):
    """A page written by a render worker: where, what is on disk, the names it looked up."""

    path: str
    stat: FileStat
    looked_up: tuple[str, ...]


class RenderJob(NamedTuple):
    """An HTML page for the render workers (a tuple: a site declares ten thousand)."""

    job: Job


class BundleFile(NamedTuple):
    """A file of a bundle: its own key (a hash of its bytes), what is on disk, and whether it
    was carried over from the previous site (a hard link) rather than written."""

    key: str
    stat: FileStat
    carried: bool = False


class Previously(NamedTuple):
    """A bundle file of the previous build, still exactly as written: its key and stat."""

    key: str
    stat: FileStat


class Bundle(Protocol):
    """Files made together, beside the rest of the build (see search.process.SearchBuild). A file
    whose key equals its previous one (`reuse`, by path) is carried over, not written."""

    def start(self, target: OutputDir, reuse: dict[str, Previously]) -> None: ...

    def result(self) -> dict[str, BundleFile]: ...

    def close(self) -> None: ...


class FromSite(NamedTuple):
    """A file made from every other file of the site, last: `make(target, files, previous)`
    gets the new site's folder, every other file as the new manifest has it (path → key and
    stat; offline.py finds where each one is) and the previous build, whose own copy it may
    draw on; it writes the file itself (`OutputDir.write_from`) and returns its stat."""

    make: Callable[[OutputDir, Mapping[str, WrittenFile], Previous], FileStat]


Make = Callable[[], bytes | str] | RenderJob | Bundle | FromSite
RenderPages = Callable[[Sequence[Job], OutputDir], list[Rendered]]


class Output(NamedTuple):
    """One ledger entry: a file (or, for a Bundle, the name of a set of files). A tuple: a
    frozen dataclass took twice as long to make, for each of 13,500 outputs."""

    path: str
    key: str
    make: Make
    origin: str = ""  # who declared it, for the message when a path is declared twice

    @property
    def bundle(self) -> Bundle | None:
        """The set of files this entry names, or None when it is one file."""
        make = self.make
        return None if callable(make) or isinstance(make, (RenderJob, FromSite)) else make

    @property
    def is_bundle(self) -> bool:
        return self.bundle is not None


@dataclass
class Ledger:
    """Every output of one build, by path."""

    lookups: Mapping[str, Any] = field(default_factory=dict)  # name → value a template may look up
    outputs: dict[str, Output] = field(default_factory=dict)
    _started: set[str] = field(default_factory=set)  # bundles being made already
    # Names looked up together → a hash of their values in `_values_of` (the `lookups` then).
    _values: dict[tuple[str, ...], str] = field(default_factory=dict)
    _values_of: Mapping[str, Any] | None = None

    def add(self, path: str, key: str, make: Make, origin: str = "") -> None:
        if path in self.outputs:
            raise SiteError(_twice(path, self.outputs[path].origin, origin))
        self.outputs[path] = Output(path, key, make, origin)

    def full_key(self, key: str, looked_up: tuple[str, ...]) -> str:
        """A page's key with the current values of the names its template looked up: the key
        and a hash of the values, side by side. 10,000 pages look up 1,900 distinct sets of
        names, so each set's values are hashed once, not once per page (hashing every page's
        key again took 40 ms of each diff at 10,000 papers)."""
        if not looked_up:
            return key
        if self._values_of is not self.lookups:
            self._values, self._values_of = {}, self.lookups
        values = self._values.get(looked_up)
        if values is None:
            values = self._values[looked_up] = digest(*[repr(self.lookups.get(n)) for n in looked_up])
        return f"{key} {values}"

    def start_bundles(self, previous: Previous, target: Callable[[], OutputDir]) -> None:
        """Start making the bundles declared so far that the previous build lacks, now,
        beside whatever the build does next (`target` makes the new site's folder)."""
        for output in self.outputs.values():
            bundle = output.bundle
            if bundle is not None and output.path not in self._started and not self._is_hit(output, previous):
                bundle.start(target(), _reusable(output, previous))
                self._started.add(output.path)

    def close_bundles(self) -> None:
        """Stop any bundle still being made (the build failed); let those that are done end."""
        for path in self._started:
            bundle = self.outputs[path].bundle
            if bundle is not None:
                bundle.close()

    def diff(self, previous: Previous) -> Diff:
        """Which outputs the previous build already holds (hits) and which must be made."""
        hits: list[Output] = []
        misses: list[Output] = []
        for output in self.outputs.values():
            (hits if self._is_hit(output, previous) else misses).append(output)
        # With something to make, the folder is not unchanged: no need to list its files.
        unchanged = (
            not misses
            and previous.untouched
            and {p for o in hits for p in self._paths(o, previous)} == previous.entries.keys()
        )
        return Diff(hits, misses, unchanged)

    def _is_hit(self, output: Output, previous: Previous) -> bool:
        if output.is_bundle:
            return previous.bundle(output.path, output.key) is not None
        entry = previous.entries.get(output.path)
        return entry is not None and entry.key == self.full_key(output.key, entry.looked_up)

    def _paths(self, output: Output, previous: Previous) -> tuple[str, ...]:
        if output.is_bundle:
            return previous.bundles[output.path][1]
        return (output.path,)

    def make(
        self,
        diff: Diff,
        previous: Previous,
        target: OutputDir,
        render_pages: RenderPages,
        stage: Stopwatch,
    ) -> tuple[Manifest, int]:
        """Make the misses into `target` and carry the hits over: the new manifest, and how
        many files were carried over."""
        manifest = Manifest(str(previous.out.resolve()))
        carried = 0
        bundles = [o for o in diff.misses if o.is_bundle]
        self.start_bundles(previous, lambda: target)  # those declared after the early start
        try:
            with stage("render"):
                jobs = {o.make.job: o for o in diff.misses if isinstance(o.make, RenderJob)}
                for done in render_pages(list(jobs), target):
                    key = self.full_key(self.outputs[done.path].key, done.looked_up)
                    manifest.entries[done.path] = WrittenFile(key, done.stat, done.looked_up)
            with stage("write"):
                for output in diff.misses:
                    if callable(output.make) and not isinstance(output.make, (RenderJob, FromSite)):
                        stat = target.write(output.path, output.make())
                        manifest.entries[output.path] = WrittenFile(output.key, stat)
            with stage("search"):
                for output in bundles:
                    made = output.bundle.result() if output.bundle is not None else {}
                    self._add_bundle(manifest, output, made)
                    carried += sum(f.carried for f in made.values())
            with stage("carry"):
                for output in diff.hits:
                    carried += self._carry(output, previous, target, manifest)
            last = [o for o in diff.misses if isinstance(o.make, FromSite)]
            if last:  # a stage of its own only where there is one (the offline copy is opt-in)
                with stage("zip"):
                    for output in last:
                        assert isinstance(output.make, FromSite)
                        stat = output.make.make(target, manifest.entries, previous)
                        manifest.entries[output.path] = WrittenFile(output.key, stat)
        finally:
            self.close_bundles()
        return manifest, carried

    def _add_bundle(self, manifest: Manifest, output: Output, made: dict[str, BundleFile]) -> None:
        for path, file in made.items():
            if path in self.outputs:
                raise SiteError(_twice(path, self.outputs[path].origin, output.origin))
            manifest.entries[path] = WrittenFile(file.key, file.stat)
        manifest.bundles[output.path] = (output.key, tuple(sorted(made)))

    def _carry(self, output: Output, previous: Previous, target: OutputDir, manifest: Manifest) -> int:
        """Carry a hit over: its files' entries as the previous build left them. A file left in
        place or hard-linked keeps its entry itself (a day carries 13,000 files at 10,000
        papers: a new entry for each, and asking twice whether each is a bundle, were most
        of the stage)."""
        if output.is_bundle:
            paths = previous.bundles[output.path][1]
            for path in paths:
                if path in self.outputs:
                    raise SiteError(_twice(path, self.outputs[path].origin, output.origin))
            manifest.bundles[output.path] = previous.bundles[output.path]
        else:
            paths = (output.path,)
        for path in paths:
            entry = previous.entries[path]
            stat = target.link(path, entry.stat)
            manifest.entries[path] = (
                entry if stat is entry.stat else WrittenFile(entry.key, stat, entry.looked_up)
            )
        return len(paths)


def _reusable(output: Output, previous: Previous) -> dict[str, Previously]:
    """The files of the previous build's bundle of that name still exactly as written."""
    paths = previous.bundles.get(output.path, ("", ()))[1]
    return {
        path: Previously(entry.key, entry.stat)
        for path in paths
        if (entry := previous.entries.get(path)) is not None
    }


@dataclass(frozen=True)
class Diff:
    hits: list[Output]
    misses: list[Output]
    unchanged: bool  # nothing to make, and the output folder is exactly the previous build


def _twice(path: str, first: str, second: str) -> Problem:
    both = " and by ".join(o for o in (first, second) if o) or "two outputs"
    return Problem(path, 0, f"this output is made twice: by {both}; rename one of them")

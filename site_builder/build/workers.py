"""Processes that share a build's work: rendering pages, and the search assets beside it.

With `fork` (Linux, macOS, and no threads running), pages are rendered by the main process
and `cores - 1` forked helpers together, each taking the next batch of jobs from a shared
counter until none are left, so a core is never idle while pages remain, whatever else
runs (the search assets are built meanwhile by another forked process, `SearchBuild`).
Each process writes its own files and reports what it wrote. Without `fork` (serve's
server threads), a pool of spawned processes renders the pages, each getting the plan
once, and the search assets are built in this process. Every helper ends with the build
that started it, even one killed with SIGKILL.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import Any

import jinja2

from site_builder.build.jobs import SitePlan, render_batch
from site_builder.build.ledger import BundleFile, Job, Previously, Rendered
from site_builder.build.render import Renderer, template_problem
from site_builder.build.search import chunk_key, chunks, data_path, front_coded, search_files, words_key
from site_builder.build.search_index import AnalysedTexts, build_index
from site_builder.build.sitedir import OutputDir
from site_builder.build.synonyms import Synonyms
from site_builder.core.config import Taxonomy
from site_builder.core.errors import Problem, SiteError
from site_builder.core.hashing import code_version, digest
from site_builder.core.model import Page
from site_builder.core.parallel import Context, cores, die_with_parent, pool_context
from site_builder.core.store import Store

# Below this many pages a forked helper costs more than it saves. Measured on 10k-site pages,
# serial against main + one helper: 200 pages about even, 300 pages 0.48-0.77 s → 0.33-0.46 s,
# 1,100 pages (a daily update's) 1.32-1.54 s → 0.93-1.12 s.
PARALLEL_MIN = 300
SPAWNED_MIN = 1500  # a spawned process imports the package and unpickles the plan first
BATCH = 50  # pages per batch a process takes at a time: small enough to end together


def render_jobs(
    plan: SitePlan,
    jobs: Sequence[Job],
    target: OutputDir,
    parallel: bool = True,
    compiled: jinja2.BytecodeCache | None = None,
) -> list[Rendered]:
    """Render and write the given pages of the plan, loading the templates' code from
    `compiled` where it has it. Template mistakes → SiteError."""
    workers = cores()
    with template_errors():
        context = pool_context()
        forks = context.get_start_method() == "fork"
        renderer = Renderer(plan.config, plan.theme, plan.tags, compiled)
        if not parallel or workers < 2 or len(jobs) < (PARALLEL_MIN if forks else SPAWNED_MIN):
            return render_batch(plan, renderer, jobs, target)
        renderer.compile_all()  # before the helpers start, so that none compiles them again
        batches = [list(jobs[i : i + BATCH]) for i in range(0, len(jobs), BATCH)]
        if forks:
            return _render_with_helpers(plan, renderer, batches, target, workers - 1, context)
        return _render_in_pool(plan, batches, target, workers, context, compiled)


@contextmanager
def template_errors() -> Iterator[None]:
    """A mistake in a (possibly user-overridden) template is reported, not a traceback."""
    try:
        yield
    except jinja2.TemplateError as err:
        raise SiteError(template_problem(err)) from None


# --- forked helpers sharing a counter --------------------------------------------------------


def _render_with_helpers(
    plan: SitePlan,
    renderer: Renderer,
    batches: list[list[Job]],
    target: OutputDir,
    helpers: int,
    context: Context,
) -> list[Rendered]:
    taken = context.Value("i", 0)  # the next batch to render, for all processes
    started = []
    collected = 0
    try:
        for _ in range(helpers):
            results, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_helper, args=(sender, plan, renderer, batches, taken, target.path), daemon=True
            )
            process.start()
            sender.close()
            started.append((process, results))
        done = _take_batches(plan, renderer, batches, taken, target)
        for process, results in started:
            done += _collect(process, results)
            collected += 1
        return done
    finally:
        with taken.get_lock():
            taken.value = len(batches)  # after a failure, helpers take nothing more
        for process, _ in started[collected:]:
            process.terminate()  # it may be blocked sending results nobody will read
        for process, results in started:
            process.join()
            results.close()


def _take_batches(
    plan: SitePlan, renderer: Renderer, batches: list[list[Job]], taken: Synchronized[int], out: OutputDir
) -> list[Rendered]:
    done: list[Rendered] = []
    while True:
        with taken.get_lock():
            number = taken.value
            taken.value = number + 1
        if number >= len(batches):
            return done
        done += render_batch(plan, renderer, batches[number], out)


def _helper(
    sender: Connection,
    plan: SitePlan,
    renderer: Renderer,  # the parent's, with its compiled templates: forked, never pickled
    batches: list[list[Job]],
    taken: Synchronized[int],
    folder: Path,
) -> None:
    die_with_parent()
    try:
        sender.send(("ok", _take_batches(plan, renderer, batches, taken, OutputDir(folder))))
    except jinja2.TemplateError as err:
        with taken.get_lock():
            taken.value = len(batches)
        sender.send(("problem", template_problem(err)))
    except BaseException:
        sender.send(("crash", traceback.format_exc()))
        raise


def _collect(process: BaseProcess, results: Connection) -> list[Rendered]:
    try:
        kind, value = results.recv()
    except EOFError:
        process.join()
        kind, value = "crash", f"a render process died (exit code {process.exitcode})"
    if kind == "problem":
        raise SiteError(value)
    if kind != "ok":
        raise RuntimeError(f"rendering failed in a worker process:\n{value}")
    return value  # type: ignore[no-any-return]


# --- a spawned pool, when forking is not possible --------------------------------------------


def _render_in_pool(
    plan: SitePlan,
    batches: list[list[Job]],
    target: OutputDir,
    workers: int,
    context: Context,
    compiled: jinja2.BytecodeCache | None,
) -> list[Rendered]:
    done: list[Rendered] = []
    work = [(target.path, batch) for batch in batches]
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_init, initargs=(plan, compiled)
    ) as pool:
        for rendered, problem in pool.map(_worker_render, work):
            if problem is not None:
                raise SiteError(problem)
            done += rendered
    return done


_worker: tuple[SitePlan, Renderer] | None = None


def _worker_init(plan: SitePlan, compiled: jinja2.BytecodeCache | None) -> None:
    global _worker
    die_with_parent()
    _worker = (plan, Renderer(plan.config, plan.theme, plan.tags, compiled))


def _worker_render(batch: tuple[Path, list[Job]]) -> tuple[list[Rendered], Problem | None]:
    """In a pool worker: render and write a batch of pages → (what was written, template problem)."""
    assert _worker is not None
    plan, renderer = _worker
    try:
        return render_batch(plan, renderer, batch[1], OutputDir(batch[0])), None
    except jinja2.TemplateError as err:
        return [], template_problem(err)


# --- the search assets, beside the pages -----------------------------------------------------

ANALYSED_TEXTS = "search-texts"  # the store's name for the analysed titles and abstracts
CODED_WORDS = "search-words"  # … and for the last coded word list, with its `words_key`
# … and each document chunk by name: what it holds (`chunk_key`), its version, its bytes' digest
CHUNK_FILES = "search-chunks"


class SearchBuild:
    """The search assets, written into the new site by a forked process when `background`
    (they need only the pages, so they are made while the pages render)."""

    def __init__(
        self, pages: list[Page], taxonomy: Taxonomy, synonyms: Synonyms, store: Store, background: bool
    ) -> None:
        self._args = (pages, taxonomy, synonyms, store)
        self._background = background
        self._target: OutputDir | None = None
        self._reuse: dict[str, Previously] = {}
        self._process: BaseProcess | None = None
        self._results: Connection | None = None

    def start(self, target: OutputDir, reuse: dict[str, Previously]) -> None:
        self._target = target
        self._reuse = reuse
        context = pool_context()
        if self._background and context.get_start_method() == "fork":
            # Forked: the child inherits the pages, nothing is pickled on the way in.
            self._results, sender = context.Pipe(duplex=False)
            self._process = context.Process(
                target=_search_in_child, args=(sender, *self._args, target, reuse), daemon=True
            )
            self._process.start()
            sender.close()

    def result(self) -> dict[str, BundleFile]:
        """Wait for the files (or write them now): path → what was written. Errors are raised here."""
        assert self._target is not None, "start() first"
        if self._process is None or self._results is None:
            return write_search_assets(*self._args, self._target, self._reuse)
        try:
            kind, value = self._results.recv()
        except EOFError:
            kind, value = "crash", f"the search process died (exit code {self._process.exitcode})"
        finally:
            self.close()
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "problems":
            raise SiteError(value)
        raise RuntimeError(f"building the search assets failed:\n{value}")

    def close(self) -> None:
        """Stop the child if it still runs (the build failed elsewhere)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
        if self._results is not None:
            self._results.close()
            self._results = None


def _search_in_child(sender: Connection, *args: Any) -> None:
    die_with_parent()
    try:
        sender.send(("ok", write_search_assets(*args)))
    except SiteError as err:
        sender.send(("problems", err.problems))
    except BaseException:
        sender.send(("crash", traceback.format_exc()))
        raise


def write_search_assets(
    pages: list[Page],
    taxonomy: Taxonomy,
    synonyms: Synonyms,
    store: Store,
    out: OutputDir,
    reuse: dict[str, Previously] | None = None,
) -> dict[str, BundleFile]:
    """Write the search files, each keyed by its bytes: a file the previous build wrote with
    the same bytes (`reuse`) is hard-linked from the previous site instead. The analysis of
    each title and abstract, and the coded word list, are remembered in `store` for the next
    build."""
    salt = code_version()
    known = store.load(ANALYSED_TEXTS, salt)
    known = known if isinstance(known, AnalysedTexts) else AnalysedTexts()
    index = build_index(pages, taxonomy, known)
    if index.analysed or len(index.known.texts) != len(known.texts):
        store.save(ANALYSED_TEXTS, salt, index.known)
    del known
    index.known = AnalysedTexts()  # saved: released before the files are made (memory at 50k)
    key, remembered = words_key(index), store.load(CODED_WORDS, salt)
    if isinstance(remembered, tuple) and len(remembered) == 2 and remembered[0] == key:
        coded = remembered[1]
    else:
        coded = front_coded(index)
        store.save(CODED_WORDS, salt, (key, coded))
    reuse = reuse or {}
    remembered = store.load(CHUNK_FILES, salt)
    remembered = remembered if isinstance(remembered, dict) else {}
    made, kept, keys = {}, {}, {}
    for name, papers in chunks(index):
        path, keys[name], known = data_path(name), chunk_key(name, papers), remembered.get(name)
        before = reuse.get(path)
        # The same papers as when the file on disk was made: the same bytes, not made again.
        if known is not None and known[0] == keys[name] and before is not None and before.key == known[2]:
            kept[name] = known[1]
            made[path] = BundleFile(before.key, out.link(path, before.stat), True)
    assets, versions = search_files(index, taxonomy, synonyms, coded, kept)
    for path, data in assets.items():
        key = digest(data)
        before = reuse.get(path)
        if before is not None and before.key == key:
            made[path] = BundleFile(key, out.link(path, before.stat), True)
        else:
            made[path] = BundleFile(key, out.write(path, data))
    chunk_files = {name: (key, versions[name], made[data_path(name)].key) for name, key in keys.items()}
    if chunk_files != remembered:
        store.save(CHUNK_FILES, salt, chunk_files)
    return dict(sorted(made.items()))

"""Processes that share the rendering of a build's pages.

With `fork` (Linux, macOS, and no threads running), pages are rendered by the main process
and `cores - 1` forked helpers together, each taking the next batch of jobs from a shared
queue until none are left, so a core is never idle while pages remain, whatever else
runs (the search assets are built meanwhile by another forked process,
`search.process.SearchBuild`). The lists of papers come first in the queue, and the main
process takes from its front while the helpers take from its back: a paper as lists show
it is made once per process (`Renderer._paper_item`), and lists taken turn about had each
process make most of them (18,090 for 10,000 papers, a second of CPU in a cold build).
Each process writes its own files and reports what it wrote. Without `fork` (serve's
server threads), a pool of spawned processes renders the pages, each getting the plan
once, and the search assets are built in this process. Every helper ends with the build
that started it, even one killed with SIGKILL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import SynchronizedArray
from pathlib import Path

import jinja2

from site_builder.build.jobs import SitePlan, render_batch
from site_builder.build.ledger import Job, Rendered
from site_builder.build.output.sitedir import OutputDir
from site_builder.build.render.html import Renderer
from site_builder.build.render.template_errors import template_problem
from site_builder.core.errors import Problem, SiteError
from site_builder.core.runtime.parallel import (
    Context,
    cores,
    die_with_parent,
    pool_context,
    receive_outcome,
    send_outcome,
)

# Below this many pages a forked helper costs more than it saves. Measured on 10k-site pages,
# serial against main + one helper: 200 pages about even, 300 pages 0.48-0.77 s → 0.33-0.46 s,
# 1,100 pages (a daily update's) 1.32-1.54 s → 0.93-1.12 s.
PARALLEL_MIN = 300
SPAWNED_MIN = 1500  # a spawned process imports the package and unpickles the plan first
BATCH = 50  # pages per batch a process takes at a time: small enough to end together
LISTS = frozenset({"home", "tag", "period"})  # the pages that show papers as lists show them


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
        renderer = plan.renderer(compiled)
        if not parallel or workers < 2 or len(jobs) < (PARALLEL_MIN if forks else SPAWNED_MIN):
            return render_batch(plan, renderer, jobs, target)
        renderer.compile_all()  # before the helpers start, so that none compiles them again
        # The lists' batches first, then the rest's, else as given: no batch holds both, so
        # a helper taking the batches from the back never makes a list page beside papers'.
        lists = [job for job in jobs if job[0] in LISTS]
        rest = [job for job in jobs if job[0] not in LISTS]
        batches = [part[i : i + BATCH] for part in (lists, rest) for i in range(0, len(part), BATCH)]
        if forks:
            return _render_with_helpers(plan, renderer, batches, target, workers - 1, context)
        return _render_in_pool(plan, batches, target, workers, context, compiled)


@contextmanager
def template_errors() -> Iterator[None]:
    """A mistake in a (possibly user-overridden) template is reported, not a traceback."""
    try:
        yield
    except Exception as err:
        problem = template_problem(err)
        if problem is None:
            raise
        raise SiteError(problem) from None


# --- forked helpers sharing a counter --------------------------------------------------------


def _render_with_helpers(
    plan: SitePlan,
    renderer: Renderer,
    batches: list[list[Job]],
    target: OutputDir,
    helpers: int,
    context: Context,
) -> list[Rendered]:
    # The batches not yet taken, for all processes: [first, last + 1).
    taken = context.Array("i", [0, len(batches)])
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
        done = _take_batches(plan, renderer, batches, taken, target, from_end=False)
        for process, results in started:
            done += receive_outcome(results, process, "rendering")
            collected += 1
        return done
    finally:
        _take_none(taken)  # after a failure, helpers take nothing more
        for process, _ in started[collected:]:
            process.terminate()  # it may be blocked sending results nobody will read
        for process, results in started:
            process.join()
            results.close()


def _take_batches(
    plan: SitePlan,
    renderer: Renderer,
    batches: list[list[Job]],
    taken: SynchronizedArray[int],
    out: OutputDir,
    from_end: bool,
) -> list[Rendered]:
    """Render batches until none are left, taking the first untaken one, or `from_end` the last."""
    done: list[Rendered] = []
    while True:
        with taken.get_lock():
            if taken[0] >= taken[1]:
                return done
            if from_end:
                taken[1] = number = taken[1] - 1
            else:
                number = taken[0]
                taken[0] = number + 1
        done += render_batch(plan, renderer, batches[number], out)


def _take_none(taken: SynchronizedArray[int]) -> None:
    """Leave no batch to take: the other processes stop after the one they are rendering."""
    with taken.get_lock():
        taken[0] = taken[1]


def _helper(
    sender: Connection,
    plan: SitePlan,
    renderer: Renderer,  # the parent's, with its compiled templates: forked, never pickled
    batches: list[list[Job]],
    taken: SynchronizedArray[int],
    folder: Path,
) -> None:
    die_with_parent()

    def blamed(err: BaseException) -> list[Problem]:
        problem = template_problem(err)
        if problem is not None:
            _take_none(taken)
        return [problem] if problem is not None else []

    out = OutputDir(folder)
    send_outcome(sender, lambda: _take_batches(plan, renderer, batches, taken, out, from_end=True), blamed)


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
    _worker = (plan, plan.renderer(compiled))


def _worker_render(batch: tuple[Path, list[Job]]) -> tuple[list[Rendered], Problem | None]:
    """In a pool worker: render and write a batch of pages → (what was written, template problem)."""
    assert _worker is not None
    plan, renderer = _worker
    try:
        return render_batch(plan, renderer, batch[1], OutputDir(batch[0])), None
    except Exception as err:
        problem = template_problem(err)
        if problem is None:
            raise
        return [], problem

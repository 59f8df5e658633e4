"""Processes that share a build's work: rendering pages, and the search assets beside it.

With `fork` (Linux, macOS, and no threads running), pages are rendered by the main process
and `cores - 1` forked helpers together, each taking the next batch of jobs from a shared
counter until none are left, so a core is never idle while pages remain, whatever else
runs (the search assets are built meanwhile by another forked process, cached.py). Each
process writes its own files and reports what it wrote. Without `fork` (serve's server
threads), a pool of spawned processes renders the pages, each getting the plan once.
Every helper ends with the build that started it, even one killed with SIGKILL.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

import jinja2

from site_builder.errors import Problem, SiteError
from site_builder.plan import Job, Rendered, SitePlan, render_batch
from site_builder.processes import die_with_parent
from site_builder.render import Renderer, template_problem
from site_builder.sitedir import OutputDir

PARALLEL_MIN = 1500  # below this many pages, starting worker processes costs more than it saves
CHUNK = 100  # pages per batch a process takes at a time


def render_jobs(
    plan: SitePlan, jobs: Sequence[Job], target: OutputDir, parallel: bool = True
) -> list[Rendered]:
    """Render and write the given pages of the plan. Template mistakes → SiteError."""
    cores = min(os.cpu_count() or 1, 8)
    with template_errors():
        if not parallel or cores < 2 or len(jobs) < PARALLEL_MIN:
            return render_batch(plan, Renderer(plan.config, plan.theme, plan.tags), jobs, target)
        context = pool_context()
        batches = [list(jobs[i : i + CHUNK]) for i in range(0, len(jobs), CHUNK)]
        if context.get_start_method() == "fork":
            return _render_with_helpers(plan, batches, target, cores - 1, context)
        return _render_in_pool(plan, batches, target, cores, context)


def pool_context() -> multiprocessing.context.BaseContext:
    """fork is cheapest, but not from a process with threads (serve's HTTP server)."""
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    return multiprocessing.get_context("fork" if forkable else "spawn")


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
    batches: list[list[Job]],
    target: OutputDir,
    helpers: int,
    context: multiprocessing.context.BaseContext,
) -> list[Rendered]:
    taken = context.Value("i", 0)  # the next batch to render, for all processes
    started = []
    collected = 0
    try:
        for _ in range(helpers):
            results, sender = context.Pipe(duplex=False)
            process = context.Process(
                target=_helper, args=(sender, plan, batches, taken, target.path), daemon=True
            )
            process.start()
            sender.close()
            started.append((process, results))
        done = _take_batches(plan, batches, taken, target)
        for process, results in started:
            done += _collect(process, results, target)
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
    plan: SitePlan, batches: list[list[Job]], taken: Synchronized[int], out: OutputDir
) -> list[Rendered]:
    renderer = Renderer(plan.config, plan.theme, plan.tags)
    done: list[Rendered] = []
    while True:
        with taken.get_lock():
            number = taken.value
            taken.value = number + 1
        if number >= len(batches):
            return done
        done += render_batch(plan, renderer, batches[number], out)


def _helper(
    sender: Connection, plan: SitePlan, batches: list[list[Job]], taken: Synchronized[int], folder: Path
) -> None:
    die_with_parent()
    try:
        sender.send(("ok", _take_batches(plan, batches, taken, OutputDir(folder))))
    except jinja2.TemplateError as err:
        with taken.get_lock():
            taken.value = len(batches)
        sender.send(("problem", template_problem(err)))
    except BaseException:
        sender.send(("crash", traceback.format_exc()))
        raise


def _collect(
    process: multiprocessing.process.BaseProcess, results: Connection, target: OutputDir
) -> list[Rendered]:
    try:
        kind, value = results.recv()
    except EOFError:
        process.join()
        kind, value = "crash", f"a render process died (exit code {process.exitcode})"
    if kind == "problem":
        raise SiteError(value)
    if kind != "ok":
        raise RuntimeError(f"rendering failed in a worker process:\n{value}")
    target.add(len(value), sum(r.stat.size for r in value))
    return value  # type: ignore[no-any-return]


# --- a spawned pool, when forking is not possible --------------------------------------------


def _render_in_pool(
    plan: SitePlan,
    batches: list[list[Job]],
    target: OutputDir,
    workers: int,
    context: multiprocessing.context.BaseContext,
) -> list[Rendered]:
    done: list[Rendered] = []
    work = [(target.path, batch) for batch in batches]
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init, initargs=(plan,)) as pool:
        for rendered, problem in pool.map(_worker_render, work):
            if problem is not None:
                raise SiteError(problem)
            target.add(len(rendered), sum(r.stat.size for r in rendered))
            done += rendered
    return done


_worker: tuple[SitePlan, Renderer] | None = None


def _worker_init(plan: SitePlan) -> None:
    global _worker
    die_with_parent()
    _worker = (plan, Renderer(plan.config, plan.theme, plan.tags))


def _worker_render(batch: tuple[Path, list[Job]]) -> tuple[list[Rendered], Problem | None]:
    """In a pool worker: render and write a batch of pages → (what was written, template problem)."""
    assert _worker is not None
    plan, renderer = _worker
    try:
        return render_batch(plan, renderer, batch[1], OutputDir(batch[0])), None
    except jinja2.TemplateError as err:
        return [], template_problem(err)

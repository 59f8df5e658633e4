"""Command line: argument parsing, exit codes and printing reports; no pipeline logic here.

Exit status: 0 success (warnings allowed), 1 when some input could not be used or a
build failed, 2 for usage errors. Problems go to stderr as `path:line: message`.
The global options (`--root`, `-q`, `-v`) work before or after the command name.
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import shlex
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from site_builder import __version__
from site_builder.core.errors import Problem, SiteError, os_problem, say_line
from site_builder.core.files.content_files import from_root, site_around
from site_builder.core.hints import command, run_in
from site_builder.core.runtime.interrupts import remember_interrupts, was_interrupted
from site_builder.core.runtime.libc import one_malloc_arena

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
NO_FILE = Path("\0")  # `--evaluate` given without a file: the hand-labelled pages
COMMANDS = ("init", "ingest", "build", "serve", "check", "tags")
BASE_URL_ENV = "SITE_BUILDER_BASE_URL"


class _Parser(argparse.ArgumentParser):
    """argparse, with a "did you mean" for a mistyped command."""

    def error(self, message: str) -> NoReturn:
        if "invalid choice" in message:
            typed = message.split("'", 2)[1] if message.count("'") >= 2 else ""
            hint = difflib.get_close_matches(typed, COMMANDS, n=1)
            if hint:
                message = f"unknown command {typed!r}; did you mean {hint[0]!r}?"
        super().error(message)


ROOT_HELP = "the site folder (default: .)"
DRAFTS_HELP = "build pages with `draft: true` too, marked Draft (a preview); by default they are left out"
FUTURE_HELP = "build pages whose `date:` is after today too; by default each is left out until its day"


def _global_options(parser: argparse.ArgumentParser, default: bool, root_help: str = ROOT_HELP) -> None:
    """--root, -q and -v; on a command's own parser they only override what was given before it."""
    if default:
        parser.add_argument("--root", type=Path, default=None, help=ROOT_HELP)  # None: "."
        parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
        parser.add_argument("-v", "--verbose", action="store_true", help="print details and timings")
        return
    parser.add_argument("--root", type=Path, default=argparse.SUPPRESS, help=root_help)
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only problems"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="print details and timings"
    )


class _Version(argparse.Action):
    """`--version`: the release, and which code exactly (releases are rare, fixes daily): the
    git commit pip installed, when it recorded one, and a fingerprint of the package's files."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from site_builder.commands.init import installed_from
        from site_builder.core.runtime.hashing import package_fingerprint

        commit = str(installed_from().get("vcs_info", {}).get("commit_id", ""))
        where = f"git {commit[:12]}, " if commit else ""
        sys.stdout.write(f"site-builder {__version__} ({where}code {package_fingerprint()})\n")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="site-builder",
        description="Turn dumps of daily-papers listings into a searchable static site.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and which code it is, and exit")
    _global_options(parser, default=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)

    def command(name: str, help: str) -> argparse.ArgumentParser:
        found = sub.add_parser(name, help=help, description=help)
        # `init DIR` names its folder: a --root beside it only confused its help.
        _global_options(found, default=False, root_help=argparse.SUPPRESS if name == "init" else ROOT_HELP)
        return found

    init = command("init", "create a new site repository in DIR")
    init.add_argument(
        "dir", type=_folder, metavar="DIR", help="the new site's folder (an existing site: add what it lacks)"
    )

    add = command("add", "save pasted listings into content/sources/, each named by its date")
    add.add_argument(
        "files", nargs="*", type=Path, metavar="FILE", help="a listing to add (none, or -: standard input)"
    )

    ingest = command(
        "ingest", "read the dumps in content/sources (*.txt, sub-folders too), write content/papers/*.md"
    )
    ingest.add_argument("--check", action="store_true", help="write nothing; exit 1 if any page would change")

    build = command("build", "render content/ into the static site")
    build.add_argument("--out", type=Path, help="output folder (default: ROOT/_site)")
    build.add_argument(
        "--base-url",
        type=_base_url,
        default=None,  # else $SITE_BUILDER_BASE_URL (`_environment_base_url`)
        help=f"absolute URL of the published site (overrides site.yaml; default: ${BASE_URL_ENV})",
    )
    build.add_argument("--serial", action="store_true", help="render in one process")
    build.add_argument("--drafts", action="store_true", help=DRAFTS_HELP)
    build.add_argument("--future", action="store_true", help=FUTURE_HELP)

    serve = command("serve", "ingest and build, serve on 127.0.0.1, ingest and rebuild on change")
    serve.add_argument("--port", type=_port, help="the port on 127.0.0.1 (default: 8000 if free; 0: any)")
    serve.add_argument("--out", type=Path, help="output folder (default: ROOT/_site)")
    serve.add_argument("--drafts", action="store_true", help=DRAFTS_HELP)
    serve.add_argument("--future", action="store_true", help=FUTURE_HELP)

    check = command("check", "validate a built site: links, feeds, sitemap, search")
    check.add_argument("--out", type=Path, help="the built site (default: ROOT/_site)")
    check.add_argument(
        "--base-url",
        type=_base_url,
        default=None,  # else $SITE_BUILDER_BASE_URL (`_environment_base_url`)
        help="the URL the site must have been built for; with CI set, a site built for the "
        "placeholder fails unless this names it",
    )

    tags = command("tags", "explain, measure and improve the taxonomy rules")
    what = tags.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--explain",
        metavar="TITLE-OR-SLUG",
        type=_nonempty_text,
        help="why a page gets its tags: phrases in context",
    )
    what.add_argument(
        "--evaluate",
        metavar="FILE",
        type=Path,
        nargs="?",
        const=NO_FILE,
        help="precision/recall per tag on hand-labelled pages (or on a labels FILE, YAML: "
        "`papers: [{title: ..., tags: [...]}]`, abstracts read from the site's pages)",
    )
    what.add_argument(
        "--suggest", metavar="TAG", nargs="?", const="", help="propose rule changes from hand-labelled pages"
    )
    return parser


def _base_url(text: str) -> str:
    """`--base-url` (or $SITE_BUILDER_BASE_URL): a usage error, exit 2, unless a URL."""
    from site_builder.core.config import base_url_error

    error = base_url_error(text)
    if error:
        raise argparse.ArgumentTypeError(error)
    return text


def _nonempty_text(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("give a title, or part of a title or slug")
    return text


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:  # 0: any free one (serve says which)
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535 (0: any), got {text!r}")
    return int(text)


# Read by GitHub Actions, which then shows each `path:line: error: …` line as an annotation
# on the run's page and at that line of the file (README: "What happens to bad input").
PROBLEM_MATCHER = Path(__file__).with_name("problem-matcher.json")


def _report(problems: Sequence[Problem], root: Path | None = None) -> None:
    if problems and os.environ.get("GITHUB_ACTIONS") == "true":  # registered again: the same owner
        print(f"::add-matcher::{PROBLEM_MATCHER}", file=sys.stderr)
    for problem in problems:
        print((from_root(problem, root) if root is not None else problem).format(), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    one_malloc_arena()  # before any thread starts
    _no_blas_threads()
    _open_closed_streams()
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # argparse exits 2 on usage errors, 0 on --help
        return int(stop.code or 0)
    except BrokenPipeError:  # `--version | head -0`: the reader left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:  # `--help > /dev/full`
        _report([os_problem(err)])
        return EXIT_FAIL
    if args.quiet and args.verbose:
        print("site-builder: error: -q/--quiet and -v/--verbose are opposites; give one", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "init" and args.root is not None:  # it made ./DIR, --root unread (a reviewer)
        print(
            "site-builder: error: init makes its site in DIR; --root names a site for the other commands",
            file=sys.stderr,
        )
        return EXIT_USAGE
    args.root = args.root or Path(".")
    if hasattr(args, "base_url") and args.base_url is None and (from_env := os.environ.get(BASE_URL_ENV)):
        try:  # checked here, so that its error names the variable, not --base-url
            args.base_url = _base_url(from_env)
        except argparse.ArgumentTypeError as err:
            print(f"site-builder: error: ${BASE_URL_ENV}: {err}", file=sys.stderr)
            return EXIT_USAGE
    say = (lambda *a: None) if args.quiet else say_line
    remember_interrupts()
    try:
        with run_in(args.root):
            code = _run(args, say)
        if was_interrupted() and args.command != "serve":  # Ctrl-C is how serve stops
            raise KeyboardInterrupt
        return code
    except SiteError as err:
        _report(err.problems, None if args.command == "init" else args.root)
        return EXIT_FAIL
    except BrokenPipeError:  # `site-builder ... | head`: the reader left; not our error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as err:  # a full disk, a read-only folder, a file that vanished: not a traceback
        _report([os_problem(err)])
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception:
        if not was_interrupted():  # a worker ended by Ctrl-C: a broken pool, not a bug
            raise
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _folder(text: str) -> Path:
    """A folder given on the command line: `init ""` (an unset `$DIR`) made a site in the
    current folder, as Path("") is "."."""
    if not text.strip():
        raise argparse.ArgumentTypeError("a folder is needed, not an empty name")
    return Path(text)


def _no_blas_threads() -> None:
    """Keep numpy's OpenBLAS from starting a thread per core when it is imported (unless
    the variable says otherwise). Nothing here calls BLAS (no matrix products), but each
    thread it starts spins for about 0.1 s of CPU after the import: on two cores, that
    took a core from the search process and the build for every build that loads numpy."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _open_closed_streams() -> None:
    """A command run with stdout or stderr closed (`>&-`, a cron job's) writes there into
    nothing: it did its work, then failed on its summary with a traceback, or on a warning
    with exit 1 and no word."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or stream.closed:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 (the process's)
    # A letter stdout's encoding lacks (`→` under LANG=en_US.ISO-8859-1) is escaped, as on
    # stderr: ingest wrote its pages, then stopped on its summary with a traceback, exit 1.
    if isinstance(sys.stdout, io.TextIOWrapper) and sys.stdout.errors in ("strict", "surrogateescape"):
        sys.stdout.reconfigure(errors="backslashreplace")


def run() -> NoReturn:
    """The `site-builder` command: `main`, then out of the process at once.

    Once a command has returned, every file it wrote is closed and every helper process
    and thread it started has ended; what is left is the interpreter tearing down what the
    command built (10,000 pages), about 50 ms of every run for nothing. So exit directly,
    after flushing the output, unless something is still running (then exit the usual way,
    which waits for it) or a profiler or coverage tool is watching (it writes at exit)."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that left; a closed stream
        sys.exit(code)
    processes = sys.modules.get("multiprocessing")  # never imported: never started a process
    if code == EXIT_INTERRUPTED and processes is not None and processes.active_children():
        # Ctrl-C as workers started: one waiting on a lock a killed sibling held hung the exit
        for child in processes.active_children():
            child.kill()
            child.join(5)
        sys.exit(code)  # the usual way: their locks are removed, not left to the tracker
    if threading.active_count() > 1 or (processes is not None and processes.active_children()):
        sys.exit(code)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # `python -m cProfile -o …` (bench.run --profile), coverage: they write at exit
    os._exit(code)


def _run(args: argparse.Namespace, say: Callable[..., None]) -> int:
    root: Path = args.root
    if args.command == "init":
        from site_builder.commands.init import init_site

        for line in init_site(args.dir):
            say(line)
        return EXIT_OK
    if not (root / "content").is_dir():
        site = site_around(root)
        if site is not None:  # in content/ or a folder below: `init .` here made a site in the site
            message = (
                f"{root} is inside the site {site}: run it there, or pass --root {shlex.quote(str(site))}"
            )
        elif root.exists() and not root.is_dir():
            message = f"{root}: not a folder; pass the site's folder as --root"
        else:
            init = f"site-builder init {shlex.quote(str(root))}"
            message = f"{root}: no content/ folder here; run `{init}` or pass --root"
        print(message, file=sys.stderr)
        return EXIT_USAGE
    if args.command == "add":
        from site_builder.commands.add import STDIN, add_inputs

        if (not args.files or STDIN in args.files) and sys.stdin.isatty():
            print(
                "paste the listing, then press Ctrl-D on a line of its own (Ctrl-Z, Enter on Windows)",
                file=sys.stderr,
            )
        added = add_inputs(root, args.files, sys.stdin.buffer.read)
        for one in added:
            _report(one.problems)  # named as given (`<stdin>`, a path): not from the site
            if one.line:
                say(one.line)
        if any(one.saved and not one.already for one in added):
            say(f"next: {command('ingest')}, then {command('build')}")
        return EXIT_FAIL if any(one.refused for one in added) else EXIT_OK
    if args.command == "ingest":
        from site_builder.ingest.pipeline import run_ingest
        from site_builder.ingest.summary import format_summary

        result = run_ingest(root, check=args.check)
        _report(result.problems, root)
        for line in format_summary(result, verbose=args.verbose):
            say(line)
        if args.check and result.changed:
            print(f"{len(result.changed)} page(s) out of date; run `{command('ingest')}`", file=sys.stderr)
            return EXIT_FAIL
        return EXIT_FAIL if result.failed else EXIT_OK
    if args.command == "build":
        from site_builder.build.pipeline import build_site
        from site_builder.core.config import EDIT_URL_ENV, OFFLINE_COPY_ENV

        edit, offline = (os.environ.get(name) for name in (EDIT_URL_ENV, OFFLINE_COPY_ENV))  # CI's
        report = build_site(
            root, args.out, args.base_url, not args.serial, True, edit, offline, args.drafts, args.future
        )
        _report(report.warnings, root)
        for line in report.summary(verbose=args.verbose):
            say(line)
        return EXIT_OK
    if args.command == "serve":
        from site_builder.commands.serve import serve

        detail = "quiet" if args.quiet else "verbose" if args.verbose else ""
        serve(root, port=args.port, out=args.out, detail=detail, drafts=args.drafts, future=args.future)
        return EXIT_OK
    if args.command == "check":
        from site_builder.commands.check import run_check

        in_ci = os.environ.get("CI", "").lower() in ("true", "1", "yes")
        return EXIT_FAIL if run_check(root, args.out, args.base_url, in_ci, _report, say) else EXIT_OK
    if args.command == "tags":
        from site_builder.commands import tags as tag_commands

        if args.explain is not None:
            say(tag_commands.explain_tags(root, args.explain))
        elif args.suggest is not None:
            say(tag_commands.suggest_rules(root, args.suggest or None))
        elif args.evaluate == NO_FILE:
            say(tag_commands.evaluate_pages(root))
        else:
            say(tag_commands.evaluate_tags(root, args.evaluate))
        return EXIT_OK
    return EXIT_USAGE

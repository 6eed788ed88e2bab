"""The command line: exit codes, the summary line, errors, and output that survives a failure."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import REPO, snapshot
from newsarchive.cli import main


def run(site, *args):
    return main([*args, "--content", str(site.content), "--config", str(site.config), "--output", str(site.output)],
                root=REPO)


def test_build_is_the_default_command_and_prints_a_summary(site, capsys):
    site.pair(2023, "visit", "2023-01-01")
    assert run(site) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"built \d+ files \(.*article 2.*\); load \d+ ms, render \d+ ms, write \d+ ms, "
                        r"search \d+ ms\n", out), out
    assert (site.output / "pagefind" / "en" / "pagefind-entry.json").exists()


def test_content_errors_exit_1_and_leave_the_previous_output_intact(site, capsys):
    site.pair(2023, "visit", "2023-01-01")
    assert run(site, "build") == 0
    before = snapshot(site.output)
    site.item(2023, "broken", "en", 'title: "B"\ndate: 2023-02-30\nbogus: 1')
    site.item(2023, "visit", "zh", 'title: "甲"\ndate: 2023-01-02\ntranslated_from: en')
    capsys.readouterr()
    assert run(site, "build") == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "content/news/2023/broken.en.md:3: date: '2023-02-30' is not a valid date",
        "content/news/2023/broken.en.md:4: bogus: unknown field",
        "content/news/2023/visit.zh.md:3: date: the Chinese version says 2023-01-02 and the English version "
        "(content/news/2023/visit.en.md) says 2023-01-01: make them agree, or leave date out of the Chinese version "
        "(a translation takes it from its original)",
        f"3 errors; nothing was written, {site.output} is unchanged",
    ]
    assert snapshot(site.output) == before
    assert [p.name for p in site.root.iterdir() if p.name.startswith("output.")] == []


def test_template_error_names_the_template_line_and_keeps_output(site, tmp_path, capsys):
    from newsarchive.pipeline import Project, build
    import shutil
    site.pair(2023, "visit", "2023-01-01")
    site.build()
    before = snapshot(site.output)
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    (templates / "terms.html").write_text("{% extends 'base.html' %}\n{% block main %}\n{{ no_such_value }}\n"
                                          "{% endblock %}\n")
    broken = Project(root=REPO, content=site.content, templates=templates, theme=REPO / "theme",
                     config_file=site.config)
    from newsarchive.render import TemplateFailure
    with pytest.raises(TemplateFailure, match=r"terms.html:3: template: 'no_such_value' is undefined"):
        build(broken, site.output, search=False)
    assert snapshot(site.output) == before


def test_usage_errors_exit_2(site, capsys):
    assert run(site, "build", "--no-such-option") == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err


def test_refuses_to_replace_a_folder_it_did_not_make(site, capsys):
    site.pair(2023, "visit", "2023-01-01")
    site.output.mkdir()
    (site.output / "precious.txt").write_text("keep me")
    assert run(site) == 2
    assert "was not made by this generator" in capsys.readouterr().err
    assert (site.output / "precious.txt").read_text() == "keep me"


def test_removed_items_disappear_from_the_next_build(site):
    site.pair(2023, "visit", "2023-01-01")
    site.item(2023, "gone", "en", 'title: "Gone"\ndate: 2023-01-05')
    assert run(site) == 0
    (site.content / "news/2023/gone.en.md").unlink()
    assert run(site) == 0
    assert not (site.output / "en/news/2023/gone").exists()


@pytest.mark.parametrize("command", [[], ["build"], ["serve"]])
def test_help(command):
    result = subprocess.run([sys.executable, "build.py", *command, "--help"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0
    assert "usage: build.py" in result.stdout
    if command == ["serve"]:
        assert "--port" in result.stdout and "--host" in result.stdout
    if command == ["build"]:
        assert "--base-url" in result.stdout and "--drafts" in result.stdout

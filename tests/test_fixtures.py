"""Tests never depend on the editors' archive: they build from tests/fixtures/, and a guard fails
any test that reads ``content/`` or ``site.yaml`` (see ``LiveArchiveGuard`` in conftest.py)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, GUARD, LIVE_SOURCES, REPO, SAMPLE, SAMPLE_CONFIG
from generated_archive import generate
from newsarchive.content import load_content


def test_no_fixture_resolves_into_the_live_archive():
    live = [p.resolve() for p in LIVE_SOURCES]
    fixtures = [SAMPLE, SAMPLE_CONFIG, *FIXTURES.rglob("*"), *(REPO / "tests" / "bad-input").rglob("*")]
    for path in fixtures:
        resolved = path.resolve()
        assert not any(resolved == l or resolved.is_relative_to(l) for l in live), path


def test_the_guard_notices_a_read_of_the_live_archive():
    GUARD.take()
    try:
        (REPO / "site.yaml").read_bytes()     # the audit event fires before the open, so even
    except OSError:                          # a missing file is noticed
        pass
    assert GUARD.take() == [str(REPO / "site.yaml")]
    load_content(SAMPLE, REPO)
    assert GUARD.take() == []


def test_a_broken_or_changed_live_archive_changes_no_test_result(tmp_path):
    """A copy of the project whose content/ an editor has just changed (an item added, one removed,
    one broken) and whose site.yaml is invalid: the content and site tests still pass there."""
    copy = tmp_path / "project"
    skip = shutil.ignore_patterns(".git", ".venv", "node_modules", "output", "output.*", ".cache", "__pycache__",
                                  ".pytest_cache")
    shutil.copytree(REPO, copy, ignore=lambda folder, names: (
        skip(folder, names) | ({"content", "site.yaml"} if Path(folder) == REPO else set())))
    shutil.copytree(SAMPLE, copy / "content")    # the editors' archive of the copy, then their changes
    news = copy / "content" / "news"
    removed = sorted(news.glob("*/*.md"))[0]
    removed.unlink()
    generate(tmp_path / "extra", 1)
    shutil.copytree(tmp_path / "extra" / "news", news, dirs_exist_ok=True)
    (news / "2024").mkdir(exist_ok=True)
    (news / "2024" / "broken.en.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (copy / "site.yaml").write_text("page_size: many\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-m", "not browser and not standards",
         "tests/test_content.py", "tests/test_site.py", "tests/test_bilingual.py", "tests/test_stages.py"],
        cwd=copy, capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout.splitlines()[-1] and "failed" not in result.stdout.splitlines()[-1]

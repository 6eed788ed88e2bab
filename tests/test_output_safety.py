"""The output folder under stress: one build at a time, leftovers of killed builds removed, the
usual permissions, a full disk, a bug, and a search bundle that is complete or not swapped in."""
from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import uuid

import pytest

from conftest import REPO, SAMPLE, SAMPLE_CONFIG, snapshot
from newsarchive.cli import EXIT_BUSY, EXIT_INTERNAL, main
from newsarchive.output import MARKER, OutputLock
from newsarchive.search import SearchIndexError, verify_bundle


def cli(site, *extra, output=None):
    return main(["build", "--content", str(site.content), "--config", str(site.config),
                 "--output", str(output or site.output), "--no-cache", *extra], root=REPO)


def test_a_second_build_into_the_same_output_is_refused_while_one_runs(site, capsys):
    site.pair(2023, "visit", "2023-01-01")
    assert cli(site) == 0
    before = snapshot(site.output)
    with OutputLock(site.output):    # another build holds the output (a real flock)
        assert cli(site) == EXIT_BUSY
    err = capsys.readouterr().err
    assert f"error: {site.output} is being written by pid {os.getpid()}" in err
    assert snapshot(site.output) == before
    assert cli(site) == 0                          # free again once the other one is done
    assert not (site.output.parent / ".output.lock").exists()


def test_folders_left_by_killed_builds_are_removed_and_others_kept(site):
    site.pair(2023, "visit", "2023-01-01")
    new = site.root / "output.new-a1b2c3d4"
    (new / "en").mkdir(parents=True)
    (new / MARKER).write_text("")
    old = site.root / "output.old-e5f6g7h8"
    (old / "site").mkdir(parents=True)
    (old / "site" / MARKER).write_text("")
    mine = site.root / "output.new-notours"       # not named as the generator names them
    mine.mkdir()
    unmarked = site.root / "output.new-zzzzzzzz"   # named so, but holds someone's files
    unmarked.mkdir()
    (unmarked / "notes.txt").write_text("keep me")
    assert cli(site) == 0
    assert not new.exists() and not old.exists()
    assert mine.exists() and (unmarked / "notes.txt").exists()


def test_the_output_folder_is_readable_by_a_web_server(site):
    site.pair(2023, "visit", "2023-01-01")
    assert cli(site) == 0
    assert stat.S_IMODE(site.output.stat().st_mode) == 0o755


def test_a_bug_exits_with_its_own_code_and_says_so(site, capsys, monkeypatch):
    """Fault injection: the planner raises as a bug would."""
    site.pair(2023, "visit", "2023-01-01")
    assert cli(site) == 0
    before = snapshot(site.output)
    import newsarchive.pipeline as pipeline
    monkeypatch.setattr(pipeline, "plan_site", lambda *a: {}["no such key"])
    assert cli(site) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback" in err and "KeyError" in err
    assert "a bug in newsarchive, not because of your content" in err and err.rstrip().endswith("is unchanged")
    assert snapshot(site.output) == before


def test_every_search_bundle_is_complete(site):
    """Pagefind used to be stopped while still writing (3 of 40 small builds had empty files)."""
    site.pair(2023, "visit", "2023-01-01", countries="[BE]")
    site.item(2024, "only", "en", 'title: "Only English"\ndate: 2024-01-01')
    for n in range(20):
        site.build(search=True)
        for lang in ("en", "zh"):
            bundle = site.output / "pagefind" / lang
            verify_bundle(bundle, (lang,))
            assert not [p for p in bundle.rglob("*") if p.is_file() and p.stat().st_size == 0], n


def test_an_incomplete_bundle_is_refused(site, tmp_path):
    site.pair(2023, "visit", "2023-01-01")
    site.build(search=True)
    bundle = tmp_path / "bundle"
    shutil.copytree(site.output / "pagefind" / "zh", bundle)
    verify_bundle(bundle, ("zh",))
    with pytest.raises(SearchIndexError, match="no index for en"):
        verify_bundle(bundle, ("en", "zh"))
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    (bundle / f"pagefind.{entry['languages']['zh']['hash']}.pf_meta").unlink()
    with pytest.raises(SearchIndexError, match=r"names pagefind\.zh_.*\.pf_meta for 'zh', which is missing"):
        verify_bundle(bundle, ("zh",))
    (bundle / "pagefind-entry.json").write_bytes(b"")
    with pytest.raises(SearchIndexError, match=r"1 empty file \(pagefind-entry\.json\); is the disk full\?"):
        verify_bundle(bundle, ("zh",))


def test_a_full_disk_is_a_one_line_error_and_the_old_site_stays(small_disk, tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    output = small_disk / "output"
    args = ["build", "--content", str(content), "--config", str(SAMPLE_CONFIG), "--output", str(output), "--no-cache"]
    assert main(args, root=REPO) == 0
    before = snapshot(output)
    capsys.readouterr()
    free = os.statvfs(small_disk)
    (small_disk / "filler").write_bytes(b"\0" * max(0, free.f_bavail * free.f_frsize - 300_000))   # 300 KB left
    assert main(args, root=REPO) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert str(small_disk) in err[0] and ("no space left" in err[0] or "is the disk full?" in err[0]), err
    assert err[0].endswith(f"nothing was written, {output} is unchanged")
    assert snapshot(output) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "output"]


def test_a_terminated_preview_releases_its_output(site):
    """SIGTERM (a CI cancelling, kill) stops `serve` as Ctrl-C does: the lock file is gone."""
    site.pair(2023, "visit", "2023-01-01")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--content", str(site.content), "--config",
         str(site.config), "--output", str(site.output), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in process.stdout:
            if line.startswith("serving "):
                break
        assert (site.root / ".output.lock").is_file()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
    assert not (site.root / ".output.lock").exists()

"""Nothing lost, nothing unsafe: sanitising and its opt-out, escaping, paths that cannot leave
their folders, reproducible output, the build cache, and Ctrl-C in the middle of a build."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time

import pytest
from pathlib import Path
from lxml import html

from conftest import REPO, SAMPLE, SAMPLE_CONFIG, UNSTABLE, snapshot
from generated_archive import generate
from newsarchive.cli import main
from newsarchive.content import load_content
from newsarchive.errors import ContentErrors
from newsarchive.pipeline import Project, build

UNSAFE_BODY = ('<script>alert(1)</script><iframe src="https://e.org/"></iframe>'
               '<img src="https://e.org/a.png" alt="A" onerror="x()"> [js](javascript:alert(1)) '
               '[web](https://e.org/) [mail](mailto:a@e.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |')


def test_raw_html_is_sanitised_unless_the_site_opts_out(site):
    site.item(2023, "x", "en", 'title: "T"\ndate: 2023-01-01', body=UNSAFE_BODY)
    site.build()
    page = site.read("en/news/2023/x/")
    for gone in ("<script>alert", "<iframe", "onerror", "javascript:"):
        assert gone not in page
    for kept in ('<img src="https://e.org/a.png" alt="A">', '<a href="https://e.org/">web</a>', '<a href="mailto:a@e.org">',
                 "<table>"):
        assert kept in page
    assert "<script>alert" not in site.read("en/feed.xml").replace("&lt;script&gt;", "")
    site.configure(unsafe_html="true")
    site.build()
    page = site.read("en/news/2023/x/")
    assert "<script>alert(1)</script>" in page and 'onerror="x()"' in page


def test_unsafe_html_setting_must_be_a_flag(site, capsys):
    site.item(2023, "x", "en", 'title: "T"\ndate: 2023-01-01')
    site.configure(unsafe_html="sometimes")
    assert main(["build", "--content", str(site.content), "--config", str(site.config),
                 "--output", str(site.output), "--no-cache"], root=REPO) == 1
    assert f"{site.config}:3: unsafe_html: must be true or false, not 'sometimes'" in capsys.readouterr().err


def test_front_matter_is_text_in_json_ld_and_meta_tags(site):
    title = 'A & B "quoted" </script><script>alert(1)</script>'
    site.item(2023, "x", "en", f"title: '{title}'\ndate: 2023-01-01\nsummary: '<b>&amp;</b>'")
    site.build()
    text = site.read("en/news/2023/x/")
    doc = html.fromstring(text.encode())
    (ld,) = doc.xpath('//script[@type="application/ld+json"]/text()')
    assert json.loads(ld)["headline"] == title and "</script>" not in ld
    assert doc.xpath('//meta[@property="og:title"]/@content') == [title]
    assert doc.xpath('//meta[@name="description"]/@content') == ["<b>&amp;</b>"]
    assert len(doc.xpath("//script")) == len(doc.xpath("//script[@src or @type='application/ld+json']"))


@pytest.mark.parametrize("field, value, message", [
    ("tags", '["../../etc"]', "tags: unknown tag '../../etc'"),
    ("tags", '["/etc/passwd"]', "tags: unknown tag '/etc/passwd'"),
    ("tags", '["a\\\\b"]', "tags: unknown tag 'a\\b'"),
    ("tags", '["vis\\0its"]', "tags: contains the control character U+0000, which cannot be published"),
    ("countries", '["../x"]', "countries: unknown country code '../x'"),
    ("countries", '["B/E"]', "countries: unknown country code 'B/E'"),
    ("countries", '["/BE"]', "countries: unknown country code '/BE'"),
])
def test_path_like_values_are_rejected(site, field, value, message):
    site.item(2023, "x", "en", f'title: "T"\ndate: 2023-01-01\n{field}: {value}')
    with pytest.raises(ContentErrors) as caught:
        load_content(site.content, site.root)
    (error,) = caught.value.errors
    assert str(error).startswith(f"content/news/2023/x.en.md:4: {message}"), str(error)


def test_file_names_that_would_make_odd_paths_are_rejected(site):
    news = site.content / "news"
    (news / "2023").mkdir(parents=True)
    (news / "2023" / "..en.md").write_text("hidden: a name starting with a dot is not content")
    for name in ("a..b.en.md", "a\\b.en.md", "Caps.en.md", "2023.en.md", "x.en.md.en.md"):
        (news / "2023" / name).write_text('---\ntitle: "T"\ndate: 2023-01-01\n---\n', encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_content(site.content, site.root)
    assert sorted(e.path for e in caught.value.errors) == sorted(
        f"content/news/2023/{n}" for n in ("a..b.en.md", "a\\b.en.md", "Caps.en.md", "2023.en.md", "x.en.md.en.md"))
    assert all(e.field == "path" for e in caught.value.errors)


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "content")
    project = Project.at(REPO, content=tmp_path / "content", config_file=SAMPLE_CONFIG)
    build(project, tmp_path / "one")
    second = int(time.time())
    while int(time.time()) == second:   # a build time, if one slipped in, differs in the next second
        time.sleep(0.01)
    build(project, tmp_path / "two")
    one, two = snapshot(tmp_path / "one", UNSTABLE), snapshot(tmp_path / "two", UNSTABLE)
    assert one.keys() == two.keys() and len(one) > 100
    assert [name for name in one if one[name] != two[name]] == []
    assert any(name.startswith("pagefind/zh/fragment/") for name in one)


def test_the_build_cache_is_used_and_never_stale(site):
    def cli(*extra):
        return main(["build", "--content", str(site.content), "--config", str(site.config),
                     "--output", str(site.output), "--cache-dir", str(site.root / "cache"), *extra], root=REPO)

    site.pair(2023, "visit", "2023-01-01")
    assert cli() == 0
    first = snapshot(site.output, ("pagefind/",))
    assert (site.root / "cache" / "content.json").is_file()
    assert cli() == 0
    assert snapshot(site.output, ("pagefind/",)) == first
    path = site.content / "news/2023/visit.en.md"
    path.write_text(path.read_text().replace("Body text.", "Changed text."), encoding="utf-8")
    assert cli() == 0
    assert "Changed text." in site.read("en/news/2023/visit/")
    (site.root / "cache" / "content.json").write_bytes(b"not a cache")
    assert cli() == 0 and "Changed text." in site.read("en/news/2023/visit/")


def _catches(pid: int, sig: int) -> bool:
    """The process has a handler of its own for ``sig`` (``SigCgt`` in /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
    return bool(caught & (1 << (sig - 1)))


MOMENTS = {   # when Ctrl-C is pressed: a condition on the running build, never a delay
    # build.py's first step: catching SIGTERM; it imports the engine next (a Ctrl-C before Python
    # itself has started is Python's to report)
    "importing": lambda pid, root: _catches(pid, signal.SIGTERM),
    "rendering": lambda pid, root: any(p.name.startswith("output.new-") for p in root.iterdir()),
    "indexing": lambda pid, root: any((p / "pagefind").is_dir() for p in root.iterdir() if p.name.startswith("output.new-")),
}


@pytest.mark.parametrize("moment", MOMENTS)
def test_ctrl_c_during_a_build_leaves_the_previous_output_exactly_as_it_was(tmp_path, moment):
    """Ctrl-C while the build starts, renders or indexes: the old site, byte for byte, and
    'nothing was written'. (Ctrl-C or a termination during the swap: tests/test_hostile.py.)"""
    generate(tmp_path / "content", 200)
    command = [sys.executable, str(REPO / "build.py"), "build", "--content", str(tmp_path / "content"),
               "--config", str(SAMPLE_CONFIG), "--output", str(tmp_path / "output"), "--no-cache"]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-3000:]
    before = snapshot(tmp_path / "output")
    (tmp_path / "content/news/2009/item-00003.en.md").unlink()   # an English-only item: the next build differs
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while not MOMENTS[moment](process.pid, tmp_path) and process.poll() is None:
        time.sleep(0.005)
    assert process.poll() is None, "the build ended before the moment came"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()[-2000:]
    assert b"Traceback" not in err and b"nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]   # no half-built folder left
    assert snapshot(tmp_path / "output") == before


def test_one_body_leaves_nothing_in_the_next():
    """Bodies share one Markdown converter per thread (reset between them): footnotes, abbreviations
    and heading ids of one body must not appear in, or shift, the next."""
    from newsarchive.markup import render_markdown

    first = render_markdown("## Visit\n\nText[^1] about the UN.\n\n[^1]: A note.\n\n*[UN]: United Nations\n")
    second = render_markdown("## Visit\n\nThe UN again.\n")
    assert "A note." in first and 'title="United Nations"' in first
    assert second == render_markdown("## Visit\n\nThe UN again.\n")
    assert "note" not in second and "United Nations" not in second and 'id="visit"' in second

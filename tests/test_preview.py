"""The live preview: what it watches, serve-time script injection, reload and the error overlay."""
from __future__ import annotations

import json
import os
import shutil
import time
import urllib.request

import pytest

from conftest import REPO
from newsarchive.pipeline import Builder, Project
from newsarchive.preview import Preview
from newsarchive.serve import LiveState, serve_in_thread


@pytest.fixture
def live_site(site):
    """A tiny site built, served with live reload and watched, as ``build.py serve`` runs it."""
    site.pair(2023, "visit", "2023-02-24")
    live = LiveState()
    server = serve_in_thread(site.output, live=live)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    preview = Preview(Builder(site.project, site.output, base_url=base), live, log=lambda line: None, search=False)
    assert preview.initial_build()
    preview.start()
    site.base, site.preview = base, preview
    yield site
    preview.stop()
    server.shutdown()
    server.server_close()


def test_watches_sources_but_not_output_or_editor_temp_files(live_site):
    preview = live_site.preview
    news = live_site.content / "news" / "2023"
    assert preview.relevant(str(news / "visit.en.md"))
    assert preview.relevant(str(live_site.config))
    for ignored in (live_site.output / "en" / "index.html", news / ".visit.en.md.swp", news / "visit.en.md~",
                    news / ".#visit.en.md", live_site.root / "unrelated.txt"):
        assert not preview.relevant(str(ignored)), ignored


def test_reload_script_is_injected_when_serving_only(live_site):
    served = urllib.request.urlopen(live_site.base + "en/").read().decode()
    assert '<script src="/__live/reload.js"></script></body>' in served
    assert "__live" not in live_site.read("en/")
    assert not any("__live" in p.read_text() for p in live_site.output.rglob("*.html"))


@pytest.mark.browser
def test_saving_a_file_reloads_the_open_page(live_site, page):
    page.goto(live_site.base + "en/news/2023/visit/")
    assert page.locator("h1").inner_text() == "English visit"
    page.wait_for_selector("html[data-live-generation]", state="attached")  # the event stream is open
    path = live_site.content / "news/2023/visit.en.md"
    path.write_text(path.read_text().replace('title: "English visit"', 'title: "Edited live"'), encoding="utf-8")
    page.wait_for_function("() => document.querySelector('h1').textContent === 'Edited live'", timeout=10000)


@pytest.mark.browser
def test_an_added_photo_shows_in_the_open_tab(live_site, page):
    from photos import make_photos

    page.goto(live_site.base + "en/news/2023/visit/")
    page.wait_for_selector("html[data-live-generation]", state="attached")
    make_photos(live_site.content / "news" / "2023" / "visit", big=False)
    path = live_site.content / "news/2023/visit.en.md"
    path.write_text(path.read_text() + "\n![A test card](gps.jpg \"Added while the tab was open\")\n", encoding="utf-8")
    page.wait_for_selector("figure.body-figure img", timeout=15000)
    assert page.locator("figure.body-figure figcaption").inner_text() == "Added while the tab was open"
    page.locator("figure.body-figure img").scroll_into_view_if_needed()
    page.wait_for_function("() => document.querySelector('figure.body-figure img').naturalWidth > 0", timeout=10000)
    assert page.evaluate("() => document.querySelector('figure.body-figure img').currentSrc").endswith("-800.webp")


@pytest.mark.browser
def test_a_broken_file_shows_the_overlay_and_fixing_it_clears_it(live_site, page):
    page.goto(live_site.base + "zh/news/2023/visit/")
    page.wait_for_selector("html[data-live-generation]", state="attached")
    path = live_site.content / "news/2023/visit.zh.md"
    good = path.read_text()
    path.write_text(good.replace("date: 2023-02-24", "date: 2023-02-30"), encoding="utf-8")
    overlay = page.locator("#live-errors")
    overlay.wait_for(timeout=10000)
    assert "content/news/2023/visit.zh.md:3: date: '2023-02-30' is not a valid date" in overlay.inner_text()
    path.write_text(good.replace('title: "中文 visit"', 'title: "修好了"'), encoding="utf-8")
    page.wait_for_function("() => document.querySelector('h1').textContent === '修好了'", timeout=10000)
    assert page.locator("#live-errors").count() == 0


@pytest.mark.browser
def test_a_page_opened_while_content_is_broken_shows_the_overlay(live_site, page):
    path = live_site.content / "news/2023/visit.en.md"
    path.write_text(path.read_text().replace("date: 2023-02-24", "date: 2023-02-24\nbogus: 1"), encoding="utf-8")
    live_site.preview.rebuild()
    page.goto(live_site.base + "en/")
    assert "bogus: unknown field" in page.locator("#live-errors").inner_text(timeout=10000)


def test_search_index_is_refreshed_in_the_background(site):
    site.pair(2023, "visit", "2023-02-24")
    logs = []
    preview = Preview(Builder(site.project, site.output), LiveState(), log=logs.append, search=True)
    assert preview.initial_build()
    def pages():
        try:
            return {lang: json.loads((site.output / "pagefind" / lang / "pagefind-entry.json").read_text())
                    ["languages"][lang]["page_count"] for lang in ("en", "zh")}
        except FileNotFoundError:   # between the two renames that swap the new index in
            return None

    assert pages() == {"en": 1, "zh": 1}
    preview.start()
    try:
        site.item(2024, "bologna", "en", 'title: "Rector of Bologna visits"\ndate: 2024-05-02')
        deadline = time.monotonic() + 30
        while pages() != {"en": 2, "zh": 2} and time.monotonic() < deadline:   # zh: its page + a record
            time.sleep(0.1)
        assert pages() == {"en": 2, "zh": 2}, logs
    finally:
        preview.stop()
    assert sorted(p.name for p in site.output.iterdir() if p.name.startswith("pagefind")) == ["pagefind"]
    assert sorted(p.name for p in (site.output / "pagefind").iterdir()) == ["en", "zh"]


def wait_for(condition, timeout: float = 15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s")


def break_template(site):
    (site.templates / "article.html").write_text(
        (site.templates / "article.html").read_text().replace("{% block main %}", "{% block main %}{{ 1 // 0 }}", 1))


def set_front(site, old: str, new: str):
    path = site.content / "news/2023/visit.en.md"
    path.write_text(path.read_text().replace(old, new), encoding="utf-8")


BREAKAGES = {   # what an editor or a crash does -> what the overlay must say
    "template dividing by zero": (break_template, "article.html:"),
    "explicit YAML tag": (lambda s: set_front(s, "date: 2023-02-24", "date: !!timestamp nope"),
                          "visit.en.md:3: date: the explicit YAML tag !!timestamp is not allowed"),
    "lone surrogate": (lambda s: set_front(s, 'title: "English visit"', 'title: "\\ud800"'),
                       "visit.en.md:2: title: contains a lone surrogate"),
    "link loop": (lambda s: (s.content / "news/2023/loop.en.md").symlink_to("loop.en.md"),
                  "loop.en.md:1: file: is a symbolic link loop"),
    "600 nested lists": (lambda s: set_front(s, "Body text.", "- " * 600 + "a"),
                         "visit.en.md:6: body: lists or quotes are nested too deeply"),
    "FIFO": (lambda s: os.mkfifo(s.content / "news/2023/pipe.en.md"), "pipe.en.md:1: file: is a FIFO"),
    "a link to a misspelt item": (lambda s: set_front(s, "Body text.", "See [it](../2023/vist.zh.md)."),
                                  "visit.en.md:6: body: link to ../2023/vist.zh.md: no such news item; did you mean "
                                  "'../2023/visit.zh.md'?"),
}


@pytest.fixture
def watched(site, tmp_path):
    """A preview with its own copy of the templates, watching and rebuilding on its thread."""
    site.templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", site.templates)
    site.pair(2023, "visit", "2023-02-24")
    project = Project(root=REPO, content=site.content, templates=site.templates, theme=REPO / "theme",
                      config_file=site.config)
    live, logs = LiveState(), []
    preview = Preview(Builder(project, site.output), live, log=logs.append, search=False)
    site.live, site.logs, site.preview = live, logs, preview
    yield site
    preview.stop()


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_the_preview_survives_anything_and_recovers_on_the_next_save(watched, breakage):
    site = watched
    break_it, expected = BREAKAGES[breakage]
    pristine = {p: p.read_bytes() for p in [*site.content.rglob("*.md"), *site.templates.rglob("*")] if p.is_file()}
    assert site.preview.initial_build()
    good = site.read("en/news/2023/visit/")
    site.preview.start()
    break_it(site)
    errors = wait_for(lambda: site.live.errors)
    assert any(expected in e for e in errors), (errors, site.logs)
    assert site.read("en/news/2023/visit/") == good                    # the last good pages stay
    for path, data in pristine.items():                                 # the fix ...
        path.write_bytes(data)
    for extra in ("loop.en.md", "pipe.en.md"):
        (site.content / "news/2023" / extra).unlink(missing_ok=True)
    set_front(site, 'title: "English visit"', 'title: "Edited"')     # ... and the next save
    wait_for(lambda: not site.live.errors and "Edited" in site.read("en/news/2023/visit/"))


@pytest.mark.parametrize("breakage", ["explicit YAML tag", "FIFO", "template dividing by zero"])
def test_the_preview_starts_on_broken_content_and_builds_once_it_is_fixed(watched, breakage):
    site = watched
    break_it, expected = BREAKAGES[breakage]
    pristine = {p: p.read_bytes() for p in site.templates.rglob("*") if p.is_file()}
    break_it(site)
    assert not site.preview.initial_build()
    assert any(expected in e for e in site.live.errors), site.live.errors
    site.preview.start()
    for path, data in pristine.items():
        path.write_bytes(data)
    (site.content / "news/2023/pipe.en.md").unlink(missing_ok=True)
    set_front(site, "date: !!timestamp nope", "date: 2023-02-24")
    set_front(site, 'title: "English visit"', 'title: "Fixed"')
    wait_for(lambda: not site.live.errors and (site.output / "en/news/2023/visit/index.html").is_file()
             and "Fixed" in site.read("en/news/2023/visit/"))
    assert (site.output / ".newsarchive-output").is_file()   # a complete, staged build


def test_an_unexpected_failure_shows_as_an_internal_error_and_the_preview_goes_on(watched, monkeypatch):
    """Fault injection: the planner raises as a bug would. The overlay says so, the terminal has
    the traceback, and once the bug is gone the next save rebuilds."""
    site = watched
    assert site.preview.initial_build()
    site.preview.start()
    import newsarchive.pipeline as pipeline
    real = pipeline.plan_site
    monkeypatch.setattr(pipeline, "plan_site", lambda *a: 1 / 0)
    set_front(site, 'title: "English visit"', 'title: "Boom"')
    errors = wait_for(lambda: site.live.errors)
    assert errors[0].startswith("internal error (a bug in newsarchive, not in your files): ZeroDivisionError")
    assert any("Traceback" in line for line in site.logs)
    monkeypatch.setattr(pipeline, "plan_site", real)
    set_front(site, 'title: "Boom"', 'title: "Edited"')
    wait_for(lambda: not site.live.errors and "Edited" in site.read("en/news/2023/visit/"))


@pytest.mark.browser
def test_an_open_tab_follows_its_item_when_the_file_moves(live_site, page):
    page.goto(live_site.base + "en/news/2023/visit/")
    page.wait_for_selector("html[data-live-generation]", state="attached")
    news = live_site.content / "news" / "2023"
    for lang in ("en", "zh"):   # renamed by hand, as an editor's file manager does
        os.rename(news / f"visit.{lang}.md", news / f"the-visit.{lang}.md")
    page.wait_for_url(live_site.base + "en/news/2023/the-visit/", timeout=15000)
    assert page.locator("h1").inner_text() == "English visit"

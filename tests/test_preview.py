"""The live preview: what it watches, serve-time script injection, reload and the error overlay."""
from __future__ import annotations

import json
import time
import urllib.request

import pytest

from newsarchive.pipeline import Builder
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
    entry = site.output / "pagefind" / "pagefind-entry.json"

    def pages():
        try:
            return {lang: v["page_count"] for lang, v in json.loads(entry.read_text())["languages"].items()}
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

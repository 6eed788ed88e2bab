"""Incremental rebuilds: a page is rendered again only when something it is made from changed."""
from __future__ import annotations

import os
import re
import shutil
import time

import pytest

from conftest import REPO, SAMPLE_CONFIG, UNSTABLE, snapshot
from generated_archive import generate
from newsarchive.errors import ContentErrors
from newsarchive import pipeline
from newsarchive.pipeline import Builder, Project


def make(site):
    for n, date in enumerate(("2021-03-01", "2022-05-01", "2023-02-24"), start=1):
        site.pair(int(date[:4]), f"item-{n}", date, tags="[visits]", countries="[BE]" if n == 3 else "[]")
    site.item(2020, "other", "en", 'title: "Other"\ndate: 2020-01-01\ntags: [agreements]')
    builder = Builder(site.project, site.output)
    builder.build(search=False)
    return builder


def test_a_second_build_with_no_change_renders_nothing(site):
    builder = make(site)
    before = {p: p.stat().st_mtime_ns for p in site.output.rglob("*.html")}
    report = builder.update()
    assert report.rendered == 0 and report.planned > 50
    assert {p: p.stat().st_mtime_ns for p in site.output.rglob("*.html")} == before


def test_editing_one_article_renders_only_the_pages_that_show_it(site):
    builder = make(site)
    path = site.content / "news/2022/item-2.en.md"
    path.write_text(path.read_text().replace("Body text.", "A new body."), encoding="utf-8")
    report = builder.update()
    changed = report.pages
    # its page, its translation (links to it), its neighbours (show its title) ...
    assert changed["article"] == 4   # item-2 en, item-2 zh, item-1 en, item-3 en
    # ... and the listings, feeds and archives it appears in; never unrelated tags or countries
    # en news page 1 holds it (two items a page); tag "visits" page 1; the en feed and the visits feed
    assert changed["news"] == 1 and changed["tag"] == 1 and changed["feed"] == 2
    assert changed["country"] == 0 and changed["search"] == 0
    assert "A new body." in site.read("en/news/2022/item-2/")
    assert report.rendered < report.planned / 3
    assert builder.update().rendered == 0


def test_new_and_removed_articles(site):
    builder = make(site)
    site.item(2024, "fresh", "zh", 'title: "新"\ndate: 2024-06-01\ncountries: [VN]')
    builder.update()
    assert (site.output / "zh/news/2024/fresh/index.html").exists()
    assert (site.output / "zh/countries/vn/index.html").exists()
    assert "zh/news/2024/fresh/" in site.read("sitemap.xml")
    (site.content / "news/2024/fresh.zh.md").unlink()
    builder.update()
    assert not (site.output / "zh/news/2024").exists()
    assert not (site.output / "zh/countries/vn").exists()
    assert "fresh" not in site.read("sitemap.xml")


def test_a_template_change_renders_everything(site, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(REPO / "templates", templates)
    project = Project(root=REPO, content=site.content, templates=templates, theme=REPO / "theme",
                      config_file=site.config)
    site.pair(2023, "visit", "2023-01-01")
    builder = Builder(project, site.output)
    builder.build(search=False)
    footer = templates / "base.html"
    footer.write_text(footer.read_text().replace("{{ t('footer_note') }}", "{{ t('footer_note') }}!"))
    report = builder.update()
    assert report.rendered == report.planned
    assert "!</p>" in site.read("en/")


def test_content_errors_in_an_update_write_nothing(site):
    builder = make(site)
    before = site.read("en/news/")
    site.item(2023, "bad", "en", 'title: "Bad"\ndate: 2023-02-31')
    with pytest.raises(ContentErrors, match="2023-02-31"):
        builder.update()
    assert site.read("en/news/") == before
    (site.content / "news/2023/bad.en.md").unlink()
    assert builder.update().rendered == 0


def test_unchanged_files_are_not_read_again(site):
    builder = make(site)
    files = sorted(site.content.rglob("*.md"))
    long_ago = time.time_ns() - 3600 * 10**9
    for f in files:                 # saved an hour ago: their stat signature can be trusted
        os.utime(f, ns=(long_ago, long_ago))
    builder.update()                # reads them once more: utime changed their ctime
    reads = builder.cache.reads
    assert builder.update().rendered == 0 and builder.cache.reads == reads
    files[0].write_text(files[0].read_text().replace("Body text.", "Body, text."), encoding="utf-8")
    assert builder.update().rendered > 0 and builder.cache.reads == reads + 1


def test_settings_and_tag_names_are_read_again_when_they_change(site):
    builder = make(site)
    site.configure(missing_translations="hide")
    builder.update()
    assert "Other" not in site.read("zh/news/")
    tags = site.content / "tags.yaml"
    tags.write_text(tags.read_text().replace("zh: 来访", "zh: 访问"), encoding="utf-8")
    builder.update()
    assert "访问" in site.read("zh/tags/visits/")


# --- builds that take unchanged pages and search indexes from the previous output -------------

def cli_build(content, output, cache, *extra):
    """``build.py build`` in this process; returns the summary line."""
    import contextlib
    import io

    from newsarchive.cli import main
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["build", "--content", str(content), "--config", str(SAMPLE_CONFIG), "--output", str(output),
                     "--cache-dir", str(cache), *extra], root=REPO)
    assert code == 0, out.getvalue()
    return out.getvalue()


@pytest.fixture
def archive(tmp_path):
    generate(tmp_path / "content", 40, photos_every=9, photo_size=(600, 400))
    return tmp_path


def test_a_build_after_one_edit_is_byte_identical_to_a_cold_build(archive):
    content, output, cache = archive / "content", archive / "output", archive / "cache"
    cli_build(content, output, cache)
    first = snapshot(output)
    summary = cli_build(content, output, cache)
    assert summary.startswith("nothing changed"), summary
    assert snapshot(output) == first                       # not even the search index was rebuilt
    edited = content / "news/2006/item-00000.en.md"       # a bilingual item with photos
    edited.write_text(edited.read_text(encoding="utf-8").replace("\n\n", "\n\nA sentence the editor added.\n\n", 1),
                      encoding="utf-8")
    summary = cli_build(content, output, cache)
    kept = int(re.search(r"; (\d+) unchanged pages kept", summary)[1])
    rendered = sum(int(n) for n in re.findall(r"(?:article|news|tag|year|month|home|feed|country|institution"
                                              r"|tags|countries|institutions|archive|sitemap) (\d+)", summary))
    assert kept > 5 * rendered, summary
    assert summary.rstrip().endswith("search index of en rebuilt, of zh kept"), summary   # what Chinese search reads is as it was
    cli_build(content, archive / "reference", archive / "cache-2", "--no-cache")
    assert snapshot(output, UNSTABLE) == snapshot(archive / "reference", UNSTABLE)
    assert "A sentence the editor added." in (output / "en/news/2006/item-00000/index.html").read_text()


def test_a_build_never_keeps_what_a_preview_changed_in_place_or_someone_deleted(archive, monkeypatch):
    content, output, cache = archive / "content", archive / "output", archive / "cache"
    cli_build(content, output, cache)
    edited = content / "news/2007/item-00001.zh.md"
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original.replace("\n\n", "\n\n预览时加的一句。\n\n", 1), encoding="utf-8")
    preview = Builder(Project.at(REPO, content=content, config_file=SAMPLE_CONFIG), output)
    preview.build(search=False)
    preview.update()                                   # writes in place, as the preview does
    edited.write_text(original, encoding="utf-8")      # the editor takes it back, the preview has stopped
    (output / "en/tags/index.html").unlink()           # and someone deletes a page
    cli_build(content, output, cache)
    cli_build(content, archive / "reference", archive / "cache-2", "--no-cache")
    assert snapshot(output, UNSTABLE) == snapshot(archive / "reference", UNSTABLE)
    later(monkeypatch)   # no input is within the racy margin: only the output's damage can tell
    cli_build(content, output, cache)
    assert cli_build(content, output, cache).startswith("nothing changed")
    (output / "zh/index.html").unlink()                # a page deleted from an output left as it was
    shutil.rmtree(output / "pagefind/zh")              # and a language's search index
    assert not cli_build(content, output, cache).startswith("nothing changed")
    assert snapshot(output, UNSTABLE) == snapshot(archive / "reference", UNSTABLE)


def later(monkeypatch, times: int = 1) -> None:
    """Builds take their stamp 3 s (per call) later than the clock says: as if they ran that long
    after the files were written, past any file system's timestamp granularity, without waiting."""
    real = time.time_ns
    monkeypatch.setattr(pipeline.time, "time_ns", lambda: real() + times * 3_000_000_000)


def test_a_build_with_no_file_written_since_the_last_loads_nothing(site, tmp_path, monkeypatch):
    site.pair(2023, "visit", "2023-01-01")
    cache = tmp_path / "cache" / "content.json"
    later(monkeypatch)   # builds from now on run well after the files were written
    Builder(site.project, site.output, cache_file=cache).build(search=False)
    assert Builder(site.project, site.output, cache_file=cache).build(search=False).unchanged   # by comparing pages
    builder = Builder(site.project, site.output, cache_file=cache)
    report = builder.build(search=False)
    assert report.unchanged and builder._cache is None      # not even the parse cache was read
    path = site.content / "news/2023/visit.en.md"
    path.write_text(path.read_text().replace("Body text.", "Body texT."), encoding="utf-8")   # the same size
    report = Builder(site.project, site.output, cache_file=cache).build(search=False)
    assert not report.unchanged and "Body texT." in site.read("en/news/2023/visit/")
    later(monkeypatch, 2)
    Builder(site.project, site.output, cache_file=cache).build(search=False)
    report = Builder(site.project, site.output, cache_file=cache).build(search=True)   # other options
    assert not report.unchanged and report.indexed == ("en", "zh")


def test_fingerprints_cover_every_field_and_refuse_what_they_cannot_read():
    from dataclasses import dataclass

    from newsarchive.fingerprint import Fingerprinter
    from newsarchive.model import Page
    from newsarchive.plan import Pagination

    @dataclass(frozen=True)
    class Later:            # a record someone adds to a context one day, with no __repr__ of its own
        shown: str
        added: tuple = ()

    def fingerprint(context):
        return Fingerprinter("site").page(Page("news", "en", ("news",), "en/news/", "listing.html", context))

    base = {"pagination": Pagination(1, 3, None, "en/news/page/2/"), "later": Later("a")}
    assert fingerprint(base) == fingerprint(dict(base))
    assert fingerprint(base) != fingerprint({**base, "pagination": Pagination(1, 3, None, "en/news/page/3/")})
    assert fingerprint(base) != fingerprint({**base, "later": Later("a", ("b",))})
    with pytest.raises(TypeError, match="holds a object, which fingerprint.py cannot fingerprint"):
        fingerprint({"thing": object()})

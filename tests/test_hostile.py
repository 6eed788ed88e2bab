"""Trust nothing on disk: editors' names escaped everywhere (search UI included, in Chromium),
caches that are data and are checked before use, photos and dates of any shape, and the output
folder under signals, full disks, links and umasks."""
from __future__ import annotations

import errno
import json
import os
import pickle
import re
import shutil
import signal
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html

from conftest import CHROMIUM, REPO, SAMPLE, SAMPLE_CONFIG, TinySite, snapshot
from newsarchive import cachefile, images, media, output as output_module
from newsarchive.cli import EXIT_BUSY, EXIT_INTERRUPTED, main
from newsarchive.loadcache import LoadCache, cache_version
from newsarchive.output import MARKER, OutputLock, remove_leftovers
from photos import png_with_huge_text, save_pattern

EVIL_TAG = 'Tag <img src=x onerror=alert("tag")> & "quotes" \'too\''
EVIL_INSTITUTION = "Inst <svg onload=alert('inst')> <b>bold</b>"
EVIL_PHOTO = 'x" onerror="alert(document.domain)" data-x=".png'
ODD_PHOTOS = ("a b.png", "a#b.png", "a?b.png", "50%.png", "comma,name.png")


def cli(site, *extra, output=None):
    return main(["build", "--content", str(site.content), "--config", str(site.config),
                 "--output", str(output or site.output), *extra], root=REPO)


def hostile_site(root: Path) -> TinySite:
    """HTML, quotes and ampersands in every vocabulary name, a title and a caption; photos named with
    quotes, spaces, '#', '?', '%' and commas."""
    site = TinySite(root)
    (site.content / "tags.yaml").write_text(
        f"evil: {json.dumps({'en': EVIL_TAG, 'zh': '标签 <img src=x onerror=alert(2)>'}, ensure_ascii=False)}\n",
        encoding="utf-8")
    (site.content / "institutions.yaml").write_text(
        f"evil-inst: {json.dumps({'en': EVIL_INSTITUTION, 'zh': '机构 <svg onload=alert(4)>', 'country': 'BE'}, ensure_ascii=False)}\n",
        encoding="utf-8")
    folder = site.content / "news" / "2023" / "visit"
    save_pattern(folder / EVIL_PHOTO, (640, 480))
    for name in ODD_PHOTOS:
        save_pattern(folder / name, (500, 300))
    refs = "\n\n".join(f"![odd {n}]({name.replace('%', '%25').replace(' ', '%20').replace('#', '%23').replace('?', '%3F')})"
                       for n, name in enumerate(ODD_PHOTOS))
    front = (f'title: "Visit <img src=x onerror=alert(5)>"\ndate: 2023-01-01\ntags: [evil]\ninstitutions: [evil-inst]\n'
             f'countries: [BE]\nimage: {json.dumps(EVIL_PHOTO)}\nimage_alt: "Alt \\" onerror=alert(6)"\n'
             f'image_caption: "Caption <script>alert(7)</script>"\n')
    site.item(2023, "visit", "en", front, f"Body about Belgium.\n\n{refs}\n")
    site.item(2023, "only", "zh", 'title: "只有中文 <img src=x onerror=alert(8)>"\ndate: 2023-01-02\ntags: [evil]\n'
                                  'institutions: [evil-inst]\ncountries: [BE]', "比利时 中文正文。")
    return site


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    site = hostile_site(tmp_path_factory.mktemp("hostile"))
    with site.served_with_search():
        yield site


RAW = (b"<img src=x onerror", b"<svg onload", b"<script>alert", b"<b>bold", b'x" onerror="alert')


def markup_problems(doc) -> list[str]:
    """Event handlers, foreign elements and scripts of our own kinds only."""
    problems = [f"{el.tag} {name}" for el in doc.iter() if isinstance(el.tag, str)
                for name in el.attrib if name.lower().startswith("on") or name == "data-x"]
    problems += [f"<{el.tag}>" for el in doc.iter("b", "iframe", "object", "embed")]
    problems += [f"script {el.get('src') or el.get('type')}" for el in doc.iter("script")
                 if el.get("type") != "application/ld+json" and "/static/" not in el.get("src", "")
                 and "/pagefind/" not in el.get("src", "")]
    return problems


def test_no_name_reaches_a_page_feed_or_record_as_markup(hostile):
    pages = [p for p in hostile.output.rglob("*.html") if "pagefind" not in p.parts]
    feeds = list(hostile.output.rglob("*.xml"))
    assert len(pages) > 25 and len(feeds) > 5
    raw = {p.relative_to(hostile.output).as_posix(): [r for r in RAW if r in p.read_bytes()] for p in pages + feeds}
    assert {path: hits for path, hits in raw.items() if hits} == {}
    for page in pages:
        assert markup_problems(lxml_html.fromstring(page.read_bytes())) == [], page
    from lxml import etree
    for feed in feeds:
        for content in etree.parse(str(feed)).iter("{http://www.w3.org/2005/Atom}content"):
            assert markup_problems(lxml_html.fromstring(content.text or "<p></p>")) == [], feed
    article = hostile.read("en/news/2023/visit/")
    assert "Tag &lt;img" in article and "Caption &lt;script&gt;" in article


def test_every_media_address_in_a_page_reaches_its_file(hostile):
    """Names with quotes, spaces, '#', '?', '%' and commas are percent-encoded in src, srcset and
    links; each address decodes to a file of the output (a '#' used to cut the address)."""
    page = lxml_html.fromstring(hostile.read("en/news/2023/visit/"))
    addresses = page.xpath("//img/@src") + page.xpath("//a/@href")
    for srcset in page.xpath("//img/@srcset | //source/@srcset"):
        candidates = [c.strip().split(" ") for c in srcset.split(", ")]
        assert all(len(c) == 2 and c[1].endswith("w") for c in candidates), srcset   # a valid srcset
        addresses += [url for url, _ in candidates]
    media_addresses = [a for a in addresses if "/media/" in a]
    assert len(media_addresses) > 20
    for address in media_addresses:
        path = unquote(urlsplit(address).path)
        assert "#" not in address and "?" not in address and " " not in address, address
        assert (hostile.output / path.lstrip("/")).is_file(), address
    assert page.xpath("//img/@onerror") == [] and page.xpath("//img[@data-x]") == []


@pytest.mark.browser
@pytest.mark.parametrize("lang, query", [("en", "visit"), ("zh", "比利时")])
def test_search_shows_hostile_names_as_text_and_runs_no_script(hostile, page, lang, query):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{hostile.base}{lang}/search/?q={query}")
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__result-link').length >= 1 && "
                           "document.querySelectorAll('.pagefind-ui__filter-label').length >= 4")
    labels = page.eval_on_selector_all(".pagefind-ui__filter-label", "els => els.map(e => e.textContent)")
    inside = page.eval_on_selector_all(".pagefind-ui__filter-label *, .pagefind-ui__result-title *, "
                                       ".pagefind-ui__result-excerpt *", "els => els.map(e => e.tagName.toLowerCase())")
    name = EVIL_TAG if lang == "en" else "标签 <img src=x onerror=alert(2)>"
    assert any(label.startswith(name) for label in labels), labels
    assert set(inside) <= {"a", "mark", "span"}, inside   # the title link, highlights, the date
    page.goto(f"{hostile.base}en/news/2023/visit/")
    page.wait_for_load_state("load")
    assert dialogs == [] and not [t for t in page.troubles if "HTTP 404" in t], (dialogs, page.troubles)


def test_a_base_url_that_needs_escaping_is_refused(site, capsys):
    site.pair(2023, "visit", "2023-01-01")
    assert cli(site, "--no-cache", "--base-url", 'https://example.org/a"b/') == 2
    assert "holds a space, quote" in capsys.readouterr().err
    site.config.write_text("base_url: 'https://example.org/x y/'\n", encoding="utf-8")
    assert cli(site, "--no-cache") == 1
    assert "base_url: 'https://example.org/x y/' holds a space, quote" in capsys.readouterr().err


# --- caches are data -------------------------------------------------------------------------
class Boom:
    """A pickle that runs a command when it is loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_cache_that_would_run_code_is_only_data(site, tmp_path):
    site.pair(2023, "visit", "2023-01-01")
    cache = tmp_path / "cache"
    assert cli(site, "--cache-dir", str(cache)) == 0
    marker = tmp_path / "ran"
    crafted = pickle.dumps(Boom(marker))
    files = [p for p in cache.rglob("*") if p.is_file() and "media" not in p.parts]
    assert {p.suffix for p in files} == {".json"} and len(files) >= 3   # the index, a shard, the output state
    for file in files + [cache / "content.pickle", cache / "content.pickle.d" / "x.pickle"]:
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(crafted)
    (site.content / "news/2023/visit.en.md").write_text(
        '---\ntitle: "English visit"\ndate: 2023-01-01\n---\n\nEdited.\n', encoding="utf-8")
    assert cli(site, "--cache-dir", str(cache)) == 0
    assert not marker.exists() and "Edited." in site.read("en/news/2023/visit/")


def test_a_changed_cache_is_not_trusted_and_publishes_nothing_a_clean_build_would_not(site, tmp_path):
    site.pair(2023, "visit", "2023-01-01")
    cache = tmp_path / "cache"
    assert cli(site, "--cache-dir", str(cache)) == 0
    shard = next((cache / "content.json.d").iterdir())
    raw = shard.read_bytes()
    assert b"<p>Body text.</p>" in raw
    shard.write_bytes(raw.replace(b"<p>Body text.</p>", b"<p>Body text.</p><script>alert(1)</script>"))
    # the same bytes signed with another key: a cache from another machine, or someone else's CI
    foreign = cachefile.dumps("parse-shard", cache_version(), json.loads(raw.split(b"\n", 1)[1])["data"])
    (site.content / "news/2023/visit.en.md").touch()   # the output state no longer vouches for it
    assert cli(site, "--cache-dir", str(cache)) == 0
    assert "<script>" not in site.read("en/news/2023/visit/")
    assert LoadCache.saved(cache / "content.json").entries != {}   # rewritten, signed, by that build
    shard.write_bytes(foreign.replace(b"<p>Body text.</p>", b"<script>alert(2)</script>"))
    assert LoadCache.saved(cache / "content.json").entries.get(str(site.content / "news/2023/visit.en.md")) is None


def test_caches_are_void_when_a_library_that_shapes_them_changes(monkeypatch):
    from newsarchive import loadcache
    before = cache_version()
    real = loadcache.package_version
    monkeypatch.setattr(loadcache, "package_version", lambda name: "99" if name == "nh3" else real(name))
    assert cache_version() != before     # a sanitiser fix makes HTML already cached void


def test_a_tampered_processed_photo_is_encoded_again(site, tmp_path):
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01\nimage: p.png\nimage_alt: "A test card"')
    save_pattern(site.content / "news/2023/visit/p.png", (900, 600))
    cache = tmp_path / "cache"
    assert cli(site, "--cache-dir", str(cache)) == 0
    cold = snapshot(site.output, ("pagefind/",))
    processed = [p for p in (cache / "media").rglob("*.jpg")]
    assert processed
    for p in processed:
        p.write_bytes(b"<html><script>alert(1)</script></html>")   # HTML bytes under a photo's name
    (site.content / "news/2023/visit.en.md").touch()
    assert cli(site, "--cache-dir", str(cache)) == 0
    assert snapshot(site.output, ("pagefind/",)) == cold
    published = [p for p in (site.output / "media").rglob("*.jpg")]
    assert published and all(p.read_bytes()[:3] == b"\xff\xd8\xff" for p in published)


# --- photos and dates of any shape ------------------------------------------------------------
def test_photos_that_broke_the_build_are_errors_or_fit(site, capsys, monkeypatch):
    folder = site.content / "news/2023/visit"
    folder.mkdir(parents=True)
    (folder / "ztxt.png").write_bytes(png_with_huge_text())
    save_pattern(folder / "tall.png", (800, 20_000))
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01\nimage: tall.png\nimage_alt: "An infographic"',
              "![text chunk](ztxt.png)\n")
    monkeypatch.chdir(site.root)
    assert cli(site, "--no-cache") == 1
    err = capsys.readouterr().err
    assert "content/news/2023/visit.en.md:8: body: ztxt.png is damaged, truncated or holds more than a photo does" in err
    assert "tall.png" not in err and "Traceback" not in err
    (folder / "ztxt.png").unlink()
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01\nimage: tall.png\nimage_alt: "An infographic"')
    assert cli(site, "--no-cache") == 0
    widths = sorted(int(p.stem.rsplit("-", 1)[1]) for p in (site.output / "media/2023/visit").glob("*.webp"))
    assert widths == [400, 655] and images.output_widths(800, 20_000)[-1] * 20_000 // 800 <= images.MAX_SIDE


def test_check_finds_a_damaged_photo_as_build_does(site, capsys, monkeypatch):
    folder = site.content / "news/2023/visit"
    folder.mkdir(parents=True)
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10)
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01\nimage: broken.jpg\nimage_alt: "Broken"')
    monkeypatch.chdir(site.root)
    code = main(["check", "--content", str(site.content), "--config", str(site.config)], root=site.root)
    assert code == 1
    assert "content/news/2023/visit.en.md:4: error: image: broken.jpg is damaged, truncated or holds more" in capsys.readouterr().out


_PARENT = os.getpid()


def _dies_in_a_worker(source, cache):
    if os.getpid() != _PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return images.process(source, cache)


def test_a_killed_photo_worker_is_reported_as_lack_of_memory(site, capsys, monkeypatch):
    """Photo workers are spawned; here they are forked, so that they run this test's ``process``,
    which dies as the kernel's out-of-memory killer makes a process die."""
    import multiprocessing
    for n in range(3):
        save_pattern(site.content / f"news/2023/visit/p{n}.png", (500, 300))
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01',
              "\n\n".join(f"![p{n}](p{n}.png)" for n in range(3)))
    monkeypatch.setattr(media, "process", _dies_in_a_worker)
    fork = multiprocessing.get_context("fork")
    monkeypatch.setattr(media.multiprocessing, "get_context", lambda kind: fork)
    monkeypatch.setattr(media, "cores", lambda: 2)
    before = snapshot(site.output) if site.output.exists() else None
    assert cli(site, "--no-cache") == 1
    err = capsys.readouterr().err
    assert "error: a photo worker process was killed (this machine has" in err and "Traceback" not in err
    assert err.rstrip().endswith("is unchanged") and before is None and not site.output.exists()


def test_translations_mark_keeps_old_mac_line_ends(site):
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01')
    path = site.content / "news/2023/visit.zh.md"
    path.write_bytes(b'---\rtitle: "\xe4\xb8\xad\xe6\x96\x87"\rdate: 2023-01-01\rtranslated_from: en\r---\r\rBody.\r')
    code = main(["translations", "--content", str(site.content), "--config", str(site.config), "--mark", str(path)],
                root=REPO)
    assert code == 0
    marked = path.read_bytes()
    assert b"\n" not in marked and re.search(rb'\rsource_digest: "[0-9a-f]{16}"\r---\r', marked)


def test_new_refuses_a_year_the_archive_cannot_hold(site, capsys):
    code = main(["new", "--content", str(site.content), "--title", "Old", "--date", "0999-05-01"], root=REPO)
    assert code == 2 and "is not in a year this archive can hold (1000 to 9999)" in capsys.readouterr().err
    assert not (site.content / "news" / "999").exists()


# --- the output folder under faults ----------------------------------------------------------
def _stop(signum, frame):
    raise KeyboardInterrupt   # as build.py does: a termination stops the build as Ctrl-C does


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_a_termination_during_the_swap_leaves_the_new_site_and_says_so(site, capsys, monkeypatch, exchange):
    site.pair(2023, "visit", "2023-01-01")
    assert cli(site, "--no-cache") == 0
    site.pair(2023, "second", "2023-02-01")
    previous = signal.signal(signal.SIGTERM, _stop)
    real_exchange, real_rename = output_module.exchange, os.rename

    def exchange_then_terminated(a, b):
        done = real_exchange(a, b) if exchange else False
        if done:
            os.kill(os.getpid(), signal.SIGTERM)
        return done

    def rename_then_terminated(src, dst):
        real_rename(src, dst)
        if str(dst).endswith("/site"):   # between the two renames
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(output_module, "exchange", exchange_then_terminated)
    monkeypatch.setattr(output_module.os, "rename", rename_then_terminated)
    try:
        assert cli(site, "--no-cache") == EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGTERM, previous)
    err = capsys.readouterr().err
    assert f"interrupted after the new site was in place; {site.output} is complete" in err
    assert (site.output / "en/news/2023/second/index.html").is_file()
    assert sorted(p.name for p in site.root.iterdir()) == ["content", "output", "site.yaml"]


def test_a_build_killed_between_two_renames_gets_its_old_site_back(site):
    site.pair(2023, "visit", "2023-01-01")
    assert cli(site, "--no-cache") == 0
    before = snapshot(site.output)
    old = site.root / "output.old-a1b2c3d4"
    old.mkdir()
    os.rename(site.output, old / "site")      # as a kill -9 between the renames leaves it
    remove_leftovers(site.output)
    assert snapshot(site.output) == before and not old.exists()


def test_a_half_removed_old_site_is_removed_by_the_next_build(site):
    """kill -9 while the old site was being removed: what is left still carries the marker."""
    site.pair(2023, "visit", "2023-01-01")
    assert cli(site, "--no-cache") == 0
    half = site.root / "output.new-e5f6g7h8"
    shutil.copytree(site.output, half)
    shutil.rmtree(half / "en")   # part of it gone already
    assert (half / MARKER).is_file()
    assert cli(site, "--no-cache") == 0
    assert not half.exists()


def test_the_tree_removal_leaves_the_marker_to_the_end(tmp_path, monkeypatch):
    folder = tmp_path / "output.old-a1b2c3d4"
    for part in ("site/en/news", "site/zh", "site/pagefind/en"):
        (folder / part).mkdir(parents=True)
        (folder / part / "index.html").write_text("x")
    (folder / "site" / MARKER).write_text("")
    left_at_marker = []
    real_unlink = Path.unlink

    def unlink(self, missing_ok=False):
        if self.name == MARKER:   # everything but the markers is gone by now
            left_at_marker.append(sorted(p.name for p in folder.rglob("*") if p.is_file() and p.name != MARKER))
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)
    output_module.remove_tree(folder)
    assert not folder.exists() and left_at_marker and all(left == [] for left in left_at_marker)


def test_a_full_cache_disk_after_the_swap_says_the_new_site_is_in_place(site, capsys, monkeypatch, tmp_path):
    from newsarchive import pipeline
    site.pair(2023, "visit", "2023-01-01")

    def full(self, path):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pipeline.OutputState, "save", full)
    assert cli(site, "--cache-dir", str(tmp_path / "cache")) == 0
    err = capsys.readouterr().err
    assert "warning: the new site is in place and complete, but what it holds could not be kept" in err
    assert f"cannot write {tmp_path / 'cache'}: no space left on the device" in err
    assert (site.output / "en/news/2023/visit/index.html").is_file()


def test_a_full_cache_disk_while_photos_encode_names_the_cache(small_disk, site, capsys):
    for n in range(2):
        save_pattern(site.content / f"news/2023/visit/p{n}.png", (1600, 1200), noise=True)
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01', "\n\n".join(f"![p{n}](p{n}.png)" for n in range(2)))
    assert cli(site, "--cache-dir", str(small_disk / "cache")) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"error: cannot write {small_disk / 'cache' / 'media'}: no space left"), err
    assert err[0].endswith("is unchanged")
    assert list((small_disk / "cache" / "media").glob("*.partial-*")) == []


def test_an_output_given_as_a_link_updates_its_target(site, capsys):
    site.pair(2023, "visit", "2023-01-01")
    webroot = site.root / "webroot"
    webroot.mkdir()
    link = site.root / "public"
    link.symlink_to(webroot)
    assert cli(site, "--no-cache", output=link) == 0
    assert link.is_symlink() and (webroot / "en/news/2023/visit/index.html").is_file()
    assert cli(site, "--no-cache", output=link) == 0 and link.is_symlink()
    with OutputLock(webroot):   # one lock for both spellings
        assert cli(site, "--no-cache", output=link) == EXIT_BUSY
    assert "is being written by" in capsys.readouterr().err


def test_the_site_is_readable_by_others_under_any_umask(site):
    site.pair(2023, "visit", "2023-01-01")
    save_pattern(site.content / "news/2023/visit/p.png", (500, 300))
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01', "![p](p.png)")
    command = (f"umask 077; exec {sys.executable} {REPO / 'build.py'} build --content {site.content} "
               f"--config {site.config} --output {site.output} --cache-dir {site.root / 'cache'}")
    for _ in range(2):   # the second build takes pages from the first
        done = subprocess.run(["sh", "-c", command], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        modes = {p.relative_to(site.output).as_posix(): stat.S_IMODE(p.stat().st_mode)
                 for p in [site.output, *site.output.rglob("*")]}
        assert {p: oct(m) for p, m in modes.items() if m & 0o044 != 0o044} == {}
        assert {p: oct(m) for p, m in modes.items() if (site.output / p).is_dir() and m & 0o011 != 0o011} == {}
        (site.content / "news/2023/visit.en.md").write_text(
            '---\ntitle: "Visit"\ndate: 2023-01-01\n---\n\n![p](p.png)\n\nEdited.\n', encoding="utf-8")


def test_serve_says_why_it_cannot_write_instead_of_a_traceback(site, tmp_path):
    site.pair(2023, "visit", "2023-01-01")
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,ro", "tmpfs", str(readonly)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a read-only tmpfs here: {done.stderr.decode().strip()}")
    try:
        process = subprocess.run(
            [sys.executable, str(REPO / "build.py"), "serve", "--content", str(site.content), "--config",
             str(site.config), "--output", str(readonly / "output"), "--port", "0"],
            capture_output=True, text=True, timeout=120)
    finally:
        subprocess.run(["umount", "-l", str(readonly)], check=False)
    assert process.returncode == 1 and "Traceback" not in process.stderr
    assert f"error: cannot write {readonly}: Read-only file system" in process.stderr


# --- names in messages and ids ---------------------------------------------------------------
def test_github_annotations_cannot_be_forged_by_a_file_name(site, capsys):
    folder = site.content / "news/2023"
    folder.mkdir(parents=True)
    (folder / "a,line=1,title=forged::x.en.md").write_text('---\ntitle: "T"\ndate: 2023-01-01\n---\n', encoding="utf-8")
    code = main(["check", "--content", str(site.content), "--config", str(site.config), "--format", "github"],
                root=REPO)
    assert code == 1
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("::")]
    assert lines and all(re.fullmatch(r"::(error|warning) file=[^,:]*,line=\d+::.*", line) for line in lines), lines
    assert any("a%2Cline=1%2Ctitle=forged%3A%3Ax.en.md" in line for line in lines)


def test_a_reference_that_differs_only_in_normalisation_says_so(site, capsys, monkeypatch):
    nfd = unicodedata.normalize("NFD", "café.png")
    save_pattern(site.content / "news/2023/visit" / nfd, (300, 200))
    site.item(2023, "visit", "en", f'title: "Visit"\ndate: 2023-01-01\nimage: "{unicodedata.normalize("NFC", "café.png")}"\n'
                                   'image_alt: "A café"')
    monkeypatch.chdir(site.root)
    assert cli(site, "--no-cache") == 1
    err = capsys.readouterr().err
    assert "looks the same" in err and "Unicode NFD in the file name, NFC here" in err and "did you mean" not in err


def test_a_body_cannot_take_the_page_s_own_ids(site):
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01',
              "## Main\n\n[back up](#main)\n\n## Main\n\n<p id=\"search\">x</p>\n\n## Related heading {#related-heading}\n")
    site.build()
    page = lxml_html.fromstring(site.read("en/news/2023/visit/"))
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), sorted(ids)
    assert page.xpath("//main/@id") == ["main"] and page.xpath("//a[text()='back up']/@href") == ["#main-1"]


def test_every_id_a_template_writes_is_reserved_from_bodies():
    from newsarchive.markup import PAGE_IDS
    written = set()
    for template in (REPO / "templates").glob("*.html"):
        written |= set(re.findall(r'\bid="([a-z][a-z0-9_-]*)"', template.read_text(encoding="utf-8")))
    written |= set(re.findall(r'\.id = "([a-z][a-z0-9_-]*)";', (REPO / "theme/static/search.js").read_text()))
    assert written and written <= PAGE_IDS, written - PAGE_IDS

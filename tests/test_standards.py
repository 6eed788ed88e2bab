"""Every page held to public standards by tools others wrote, on the sample archive and on a
generated archive of 200 items (most bilingual, some in one language only).

W3C Nu HTML Checker (npm vnu-jar on the system Java), lychee offline with fragments, the
sitemaps.org schema, RFC 4287 for every Atom feed (plus feedparser), and axe-core in Chromium.
The tools come from `make checkers` (npm) and '.[test]' (PyPI); outside CI a missing one skips.
"""
from __future__ import annotations

import re
import subprocess
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from conftest import REPO, SAMPLE_CONFIG, _free_port, need_tool, venv_tool
from generated_archive import generate
from newsarchive.pipeline import Project, build
from newsarchive.serve import serve_in_thread

pytestmark = pytest.mark.standards

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SITEMAP_XSD = REPO / "node_modules" / "sitemap" / "schema" / "sitemap.xsd"
XHTML_LINK_XSD = Path(__file__).with_name("schemas") / "xhtml-link.xsd"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def vnu(folder: Path) -> subprocess.CompletedProcess:
    """The W3C Nu HTML Checker over every HTML file under ``folder``; its findings go to stderr."""
    return subprocess.run([need_tool("java"), "-jar", need_tool(VNU), "--skip-non-html", "--Werror",
                           "--format", "gnu", str(folder)], capture_output=True, text=True)


def lychee(root: Path, base: str, *inputs: str) -> subprocess.CompletedProcess:
    """lychee offline over ``inputs``: root-relative links and links under ``base`` resolve in ``root``."""
    return subprocess.run([venv_tool("lychee"), "--offline", "--no-progress", "--include-fragments",
                           "--root-dir", str(root), "--index-files", "index.html",
                           "--remap", f"{base} file://{root}/", *inputs], capture_output=True, text=True)


class Archive:
    def __init__(self, name: str, output: Path, base: str):
        self.name, self.output, self.base = name, output, base

    def files(self, pattern: str) -> list[Path]:
        return sorted(self.output.rglob(pattern))


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Archive:
    """200 generated items, 20 of them with photos, built with search, at the sample config's public base URL."""
    root = tmp_path_factory.mktemp("generated")
    generate(root / "content", 200, photos_every=10, photo_size=(1200, 800))   # 20 items with two photos each
    output = root / "output"
    build(Project.at(REPO, content=root / "content", config_file=SAMPLE_CONFIG), output)
    return Archive("generated", output, "https://news.example.edu/")


@pytest.fixture(scope="session", params=["sample", "generated"])
def archive(request, sample) -> Archive:
    if request.param == "sample":
        return Archive("sample", sample.output, sample.base)
    return request.getfixturevalue("generated")


def test_html_is_valid_with_no_warnings(archive):
    result = vnu(archive.output)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr[:5000]
    assert len(archive.files("*.html")) > 50


def test_vnu_does_find_errors_and_warnings(tmp_path):
    """The HTML check above can fail: an unclosed element and a redundant role (a warning)."""
    (tmp_path / "bad.html").write_text('<!doctype html><html lang="en"><title>t</title>'
                                       '<nav role="navigation"><p><span></p></nav></html>')
    result = vnu(tmp_path)
    assert result.returncode != 0
    assert "error:" in result.stderr and "navigation" in result.stderr, result.stderr


def test_no_broken_links_or_fragments(archive):
    out = archive.output
    result = lychee(out, archive.base, f"{out}/**/*.html", f"{out}/**/*.xml")
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    total = re.search(r"(\d+) Total", result.stdout + result.stderr)
    assert total and int(total.group(1)) > 500, result.stdout[-500:]


def test_lychee_does_find_broken_links(tmp_path):
    """The link check above can fail: a dead link, a dead fragment and a dead absolute URL."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><title>t</title><a href="/gone/">a</a>'
        '<a href="/#nowhere">b</a><a href="https://example.org/missing/">c</a></html>')
    result = lychee(tmp_path, "https://example.org/", str(tmp_path / "index.html"))
    assert result.returncode != 0 and "3 Errors" in result.stdout + result.stderr


def _sitemap_schema() -> etree.XMLSchema:
    wrapper = f"""<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" schemaLocation="{need_tool(SITEMAP_XSD)}"/>
      <xsd:import namespace="http://www.w3.org/1999/xhtml" schemaLocation="{XHTML_LINK_XSD}"/>
    </xsd:schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


def test_sitemap_is_valid_and_alternates_are_reciprocal(archive):
    doc = etree.parse(str(archive.output / "sitemap.xml"))
    schema = _sitemap_schema()
    assert schema.validate(doc), schema.error_log
    entries = {}
    for url in doc.xpath("s:url", namespaces=SITEMAP_NS):
        loc = url.xpath("s:loc/text()", namespaces=SITEMAP_NS)[0]
        entries[loc] = {l.get("hreflang"): l.get("href") for l in url.xpath("x:link", namespaces=SITEMAP_NS)}
    assert len(entries) == len(archive.files("index.html")) - len(archive.files("pagefind/**/index.html"))
    for loc, alternates in entries.items():
        assert alternates.get("x-default") in entries, loc
        for lang, href in alternates.items():
            assert href in entries, (loc, href)
            if lang != "x-default":
                assert entries[href] == alternates, (loc, href)   # each version lists the same set
        assert loc in alternates.values(), loc


def test_sitemap_schema_rejects_a_bad_sitemap(tmp_path):
    bad = etree.fromstring(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                           b'xmlns:xhtml="http://www.w3.org/1999/xhtml"><url><loc>https://e.org/</loc>'
                           b'<xhtml:link rel="alternate" href="https://e.org/zh/"/><priority>2</priority></url></urlset>')
    schema = _sitemap_schema()
    assert not schema.validate(bad)
    assert len(schema.error_log) == 2   # hreflang missing, priority out of range


def _rfc3339(text: str) -> bool:
    if not RFC3339.match(text):
        return False
    datetime.fromisoformat(text.replace("Z", "+00:00"))
    return True


def atom_problems(path: Path, url: str) -> list[str]:
    """The RFC 4287 musts this project relies on, for one feed."""
    root = etree.parse(str(path)).getroot()
    problems = []

    def one(node, xpath: str, what: str):
        found = node.xpath(xpath, namespaces=ATOM)
        if len(found) != 1:
            problems.append(f"{what}: {len(found)} found, one required")
            return None
        return found[0]

    if root.tag != "{http://www.w3.org/2005/Atom}feed":
        return [f"root is {root.tag}"]
    if one(root, "a:id/text()", "feed id") != url:
        problems.append("feed id is not the feed's URL")
    one(root, "a:title", "feed title")
    updated = one(root, "a:updated/text()", "feed updated")
    if updated and not _rfc3339(updated):
        problems.append(f"feed updated '{updated}' is not RFC 3339")
    if one(root, 'a:link[@rel="self"]/@href', "self link") != url:
        problems.append("self link is not the feed's URL")
    feed_author = bool(root.xpath("a:author/a:name/text()", namespaces=ATOM))
    ids = []
    for n, entry in enumerate(root.xpath("a:entry", namespaces=ATOM)):
        ids.append(one(entry, "a:id/text()", f"entry {n} id"))
        one(entry, "a:title", f"entry {n} title")
        entry_updated = one(entry, "a:updated/text()", f"entry {n} updated")
        if entry_updated and not _rfc3339(entry_updated):
            problems.append(f"entry {n} updated '{entry_updated}' is not RFC 3339")
        if not feed_author and not entry.xpath("a:author/a:name/text()", namespaces=ATOM):
            problems.append(f"entry {n} has no author, nor has the feed")
        if not entry.xpath('a:link[@rel="alternate" or not(@rel)]', namespaces=ATOM) and not entry.xpath(
                "a:content", namespaces=ATOM):
            problems.append(f"entry {n} has neither an alternate link nor content")
    if len(set(ids)) != len(ids):
        problems.append("entry ids repeat")
    return problems


def test_every_feed_meets_rfc_4287_and_parses(archive):
    feeds = [f for f in archive.files("*.xml") if f.name == "feed.xml"]
    assert len(feeds) > 10
    for feed in feeds:
        url = archive.base + feed.relative_to(archive.output).as_posix()
        assert atom_problems(feed, url) == [], feed
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert len(parsed.entries) == len(etree.parse(str(feed)).getroot().xpath("a:entry", namespaces=ATOM))


def test_feed_check_finds_missing_requirements(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><id>https://e.org/feed.xml</id>'
                    '<updated>2024-01-01</updated><entry><id>x</id><id>y</id></entry></feed>')
    assert atom_problems(feed, "https://e.org/feed.xml") == [
        "feed title: 0 found, one required",
        "feed updated '2024-01-01' is not RFC 3339",
        "self link: 0 found, one required",
        "self link is not the feed's URL",
        "entry 0 id: 2 found, one required",
        "entry 0 title: 0 found, one required",
        "entry 0 updated: 0 found, one required",
        "entry 0 has no author, nor has the feed",
        "entry 0 has neither an alternate link nor content",
    ]


AXE_PAGES = ["{L}/", "{L}/news/", "{L}/news/2023/cqu-belgian-ambassador-visit/", "{L}/tags/student-exchange/",
             "{L}/countries/be/", "{L}/archive/", "{L}/search/", "{L}/tags/", "{L}/countries/", "{L}/institutions/",
             "", "no/such/page/"]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("template", AXE_PAGES)
def test_no_serious_accessibility_violations(page, sample, lang, template, scheme):
    """axe-core on every kind of page, in the light and the dark theme (contrast included)."""
    from axe_playwright_python.sync_playwright import Axe

    if lang == "zh" and "{L}" not in template:
        pytest.skip("the chooser and the 404 page are bilingual: checked once")
    page.emulate_media(color_scheme=scheme)
    page.goto(sample.base + template.format(L=lang))
    if template.endswith("search/"):   # check the search UI as readers meet it: with results
        page.fill(".pagefind-ui__search-input", "比利时" if lang == "zh" else "Belgium")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    results = Axe().run(page)
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.browser
@pytest.mark.parametrize("url", ["en/news/2006/item-00000/", "zh/news/2006/item-00000/", "zh/news/2006/01/"])
def test_pages_with_photos_have_no_serious_accessibility_violations(page, generated, url):
    from axe_playwright_python.sync_playwright import Axe

    port = _free_port()
    server = serve_in_thread(generated.output, port=port)
    try:
        page.goto(f"http://127.0.0.1:{port}/{url}")
        assert page.locator("img[srcset]").count() >= 1
        results = Axe().run(page)
    finally:
        server.shutdown()
        server.server_close()
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


@pytest.mark.browser
def test_search_results_show_the_lead_photo(page, generated):
    port = _free_port()
    server = serve_in_thread(generated.output, port=port)
    try:
        page.goto(f"http://127.0.0.1:{port}/en/search/")
        page.fill(".pagefind-ui__search-input", "generated test card")   # the caption of the photos
        page.wait_for_selector(".pagefind-ui__result-thumb img", timeout=15000)
        sources = page.eval_on_selector_all(".pagefind-ui__result-thumb img", "els => els.map(e => e.src)")
        page.fill(".pagefind-ui__search-input", "Belgium")   # items with and without photos
        page.wait_for_function("() => (document.querySelector('.pagefind-ui__message') || {}).textContent"
                               "?.includes('Belgium') && document.querySelectorAll('.pagefind-ui__result').length >= 5 && "
                               "!document.querySelector('.pagefind-ui__results .pagefind-ui__loading')")
        boxes = page.eval_on_selector_all(".pagefind-ui__result-thumb", "els => els.map(e => [e.offsetWidth > 0, !!e.querySelector('img')])")
    finally:
        server.shutdown()
        server.server_close()
    assert any("/media/" in src and src.endswith(".jpg") for src in sources), sources
    # A result without a photo shows no empty box in its place.
    assert [shown for shown, photo in boxes] == [photo for shown, photo in boxes] and not all(p for _, p in boxes)


def test_axe_finds_violations(page, tmp_path):
    """The accessibility check above can fail: an image without alt text and an unlabelled input."""
    from axe_playwright_python.sync_playwright import Axe

    (tmp_path / "index.html").write_text('<!doctype html><html><title>t</title><img src="x.png">'
                                         '<input type="text"></html>')
    port = _free_port()
    server = serve_in_thread(tmp_path, port=port)
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        impacts = {v["id"]: v["impact"] for v in Axe().run(page).response["violations"]}
    finally:
        server.shutdown()
        server.server_close()
    assert impacts.get("image-alt") == "critical" and "label" in impacts

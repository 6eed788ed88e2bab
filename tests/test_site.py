"""The built site: the URL contract, alternates, the switcher, feeds, sitemap and metadata."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree, html

ITEMS = {  # (year, slug): what the sample archive says about it
    (2018, "cqu-japan-consul-general-meeting"): ("JP",),
    (2020, "btbu-online-international-exchange"): (),
    (2022, "cumtb-foreign-affairs-meeting"): (),
    (2023, "cqu-belgian-ambassador-visit"): ("BE",),
    (2025, "vnu-belgium-academic-exchange"): ("VN", "BE"),
}
LANGS = ("en", "zh")


def contract_urls(lang: str) -> list[str]:
    """Every URL the issue's contract names, for one language of the sample archive (two items a page)."""
    urls = [f"{lang}/", f"{lang}/news/", f"{lang}/news/page/2/", f"{lang}/news/page/3/", f"{lang}/archive/",
            f"{lang}/tags/", f"{lang}/tags/student-exchange/", f"{lang}/tags/student-exchange/page/2/",
            f"{lang}/countries/", f"{lang}/search/", f"{lang}/feed.xml", f"{lang}/tags/student-exchange/feed.xml"]
    for (year, slug), countries in ITEMS.items():
        urls += [f"{lang}/news/{year}/{slug}/", f"{lang}/news/{year}/"]
        urls += [f"{lang}/countries/{c.lower()}/" for c in countries]
        urls += [f"{lang}/countries/{c.lower()}/feed.xml" for c in countries]
    urls += [f"{lang}/news/2023/02/", f"{lang}/news/2025/04/", f"{lang}/news/2018/01/"]
    return urls


def local_file(output: Path, url_path: str) -> Path:
    path = output / url_path.lstrip("/")
    return path / "index.html" if url_path.endswith("/") or url_path == "" else path


def html_pages(output: Path) -> dict[str, Path]:
    """URL path -> file, for every HTML page except 404 and Pagefind's own files."""
    pages = {}
    for path in output.rglob("*.html"):
        rel = path.relative_to(output).as_posix()
        if rel.startswith("pagefind/") or rel == "404.html":
            continue
        pages["/" + rel.removesuffix("index.html")] = path
    return pages


def parse(path: Path):
    return html.fromstring(path.read_bytes())


@pytest.mark.parametrize("lang", LANGS)
def test_every_contract_url_exists(sample, lang):
    missing = [u for u in contract_urls(lang) if not local_file(sample.output, u).is_file()]
    assert not missing


def test_site_wide_files_exist(sample):
    for url in ("", "sitemap.xml", "robots.txt", "404.html", "static/style.css",
                "pagefind/en/pagefind-ui.js", "pagefind/en/pagefind-entry.json",
                "pagefind/zh/pagefind-ui.js", "pagefind/zh/pagefind-entry.json"):
        assert local_file(sample.output, url).is_file(), url
    robots = (sample.output / "robots.txt").read_text()
    assert f"Sitemap: {sample.base}sitemap.xml" in robots


def test_every_page_declares_its_language(sample):
    for url, path in html_pages(sample.output).items():
        expected = url.split("/")[1] if url != "/" else "en"
        assert parse(path).get("lang") == expected, url


def _alternates(doc) -> dict[str, str]:
    return {link.get("hreflang"): urlsplit(link.get("href")).path
            for link in doc.xpath('//head/link[@rel="alternate"][@hreflang]')}


def test_hreflang_alternates_resolve_and_are_reciprocal(sample):
    pages = html_pages(sample.output)
    checked = 0
    for url, path in pages.items():
        doc = parse(path)
        alternates = _alternates(doc)
        assert alternates.pop("x-default") == "/", url
        if url == "/":
            assert alternates == {"en": "/en/", "zh": "/zh/"}
            continue
        own = doc.get("lang")
        assert alternates[own] == url, url
        for lang, target in alternates.items():
            assert target in pages, f"{url} -> {target}"
            back = _alternates(parse(pages[target]))
            assert back.get(own) == url, f"{target} does not point back to {url}"
            checked += 1
    assert checked > 100


def _switch_link(doc):
    (link,) = doc.xpath('//nav[contains(@class,"lang-switch")]/a')
    return link


def test_switcher_leads_to_the_same_page_in_the_other_language(sample):
    pages = html_pages(sample.output)
    for url, path in pages.items():
        if url == "/":
            continue
        doc = parse(path)
        link = _switch_link(doc)
        target = urlsplit(link.get("href")).path
        assert target in pages, url
        other = link.get("hreflang")
        assert other != doc.get("lang") and parse(pages[target]).get("lang") == other
        # Every sample page exists in both languages, so the switch is exact and reciprocal.
        assert _alternates(doc)[other] == target
        assert urlsplit(_switch_link(parse(pages[target])).get("href")).path == url


def test_article_page_content(sample):
    en = parse(local_file(sample.output, "en/news/2023/cqu-belgian-ambassador-visit/"))
    zh = parse(local_file(sample.output, "zh/news/2023/cqu-belgian-ambassador-visit/"))
    assert en.xpath("string(//h1)") == "Ambassador of Belgium to China H.E. dr. Jan Hoogmartens visits CQU"
    assert en.xpath("string(//time)") == "24 February 2023"
    assert zh.xpath("string(//time)") == "2023年2月24日"
    assert "Belgium" in en.xpath('string(//dl[@class="article-terms"])')
    assert "比利时" in zh.xpath('string(//dl[@class="article-terms"])')
    assert "外交来访" in zh.xpath('string(//dl[@class="article-terms"])')
    assert "Diplomatic visits" in en.xpath('string(//dl[@class="article-terms"])')
    assert "来源：重庆大学新闻网" in zh.xpath('string(//footer[@class="article-footer"])')   # no space after ：
    assert zh.xpath('//a[@class="translation-link"]/@href') == ["/en/news/2023/cqu-belgian-ambassador-visit/"]
    # previous/next within the language
    assert en.xpath('//nav[@class="neighbours"]//a[@rel="prev"]/@href') == ["/en/news/2022/cumtb-foreign-affairs-meeting/"]
    assert en.xpath('//nav[@class="neighbours"]//a[@rel="next"]/@href') == ["/en/news/2025/vnu-belgium-academic-exchange/"]


def test_article_metadata_for_search_engines_and_sharing(sample):
    url = "zh/news/2025/vnu-belgium-academic-exchange/"
    doc = parse(local_file(sample.output, url))
    assert doc.xpath('//link[@rel="canonical"]/@href') == [sample.base + url]
    assert doc.xpath('//meta[@property="og:type"]/@content') == ["article"]
    assert doc.xpath('//meta[@property="og:locale"]/@content') == ["zh_CN"]
    assert doc.xpath('//meta[@property="og:locale:alternate"]/@content') == ["en_GB"]
    assert doc.xpath('//meta[@name="description"]/@content')[0].startswith("越南河内国家大学")
    (ld,) = [json.loads(s) for s in doc.xpath('//script[@type="application/ld+json"]/text()')]
    assert ld["@type"] == "NewsArticle" and ld["inLanguage"] == "zh" and ld["datePublished"] == "2025-04-01"
    assert ld["translationOfWork"]["@id"] == sample.base + "en/news/2025/vnu-belgium-academic-exchange/"
    assert ld["about"] == ["越南", "比利时"]
    en = parse(local_file(sample.output, "en/news/2025/vnu-belgium-academic-exchange/"))
    (ld_en,) = [json.loads(s) for s in en.xpath('//script[@type="application/ld+json"]/text()')]
    assert ld_en["workTranslation"]["@id"] == sample.base + url


def test_listings_are_newest_first_and_paginated(sample):
    first = parse(local_file(sample.output, "en/news/"))
    links = first.xpath('//ol[@class="items"]//h2/a/@href')
    assert links == ["/en/news/2025/vnu-belgium-academic-exchange/", "/en/news/2023/cqu-belgian-ambassador-visit/"]
    assert first.xpath('//nav[@class="pager"]/a[@rel="next"]/@href') == ["/en/news/page/2/"]
    last = parse(local_file(sample.output, "en/news/page/3/"))
    assert last.xpath('//ol[@class="items"]//h2/a/@href') == ["/en/news/2018/cqu-japan-consul-general-meeting/"]
    assert last.xpath('//nav[@class="pager"]/a[@rel="prev"]/@href') == ["/en/news/page/2/"]
    assert parse(local_file(sample.output, "zh/news/")).xpath('//nav[@class="pager"]//*[@aria-current="page"]/@aria-label') == ["第 1 页，共 3 页"]


def test_indexes_name_terms_in_the_page_language(sample):
    countries = parse(local_file(sample.output, "zh/countries/")).xpath('string(//div[@class="region-grid"])')
    assert "比利时" in countries and "越南" in countries and "日本" in countries
    tags = parse(local_file(sample.output, "en/tags/")).xpath('//ul[@class="terms term-grid"]/li/a/span[@class="term-name"]/text()')
    assert tags[0] == "Student exchange"  # the most used tag first
    month = parse(local_file(sample.output, "zh/news/2023/02/"))
    assert month.xpath("string(//h1)") == "2023年2月的新闻"
    archive = parse(local_file(sample.output, "en/archive/"))
    assert "2025" in archive.xpath("string(//table)")   # a year × month table; each count names its month
    assert archive.xpath('//table//a[@href="/en/news/2023/02/"]/@aria-label') == ["February 2023: 1 item"]


@pytest.mark.parametrize("feed_url", ["en/feed.xml", "zh/feed.xml", "zh/countries/be/feed.xml",
                                      "en/tags/student-exchange/feed.xml"])
def test_feeds_parse_and_carry_atom_requirements(sample, feed_url):
    data = local_file(sample.output, feed_url).read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    root = etree.fromstring(data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.xpath("a:id/text()", namespaces=ns) == [sample.base + feed_url]
    assert root.xpath('a:link[@rel="self"]/@href', namespaces=ns) == [sample.base + feed_url]
    assert root.xpath("a:author/a:name/text()", namespaces=ns)
    entries = root.xpath("a:entry", namespaces=ns)
    assert entries
    for entry in entries:
        for element in ("a:id", "a:title", "a:updated", "a:content"):
            assert entry.xpath(element, namespaces=ns), element
    if feed_url == "zh/countries/be/feed.xml":
        assert [e.title for e in parsed.entries] == ["比利时国事访问期间，越南国家大学与比利时伙伴举办系列学术交流活动",
                                                     "比利时驻华大使扬·霍赫马滕斯博士访问重庆大学"]


def test_sitemap_lists_every_page_with_its_alternates(sample):
    root = etree.fromstring((sample.output / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    listed = {}
    for url in root.xpath("s:url", namespaces=ns):
        loc = urlsplit(url.xpath("s:loc/text()", namespaces=ns)[0]).path
        listed[loc] = {link.get("hreflang"): urlsplit(link.get("href")).path
                       for link in url.xpath("x:link", namespaces=ns)}
    pages = html_pages(sample.output)
    assert set(listed) == set(pages)
    for url, path in pages.items():
        assert listed[url] == _alternates(parse(path)), url


def test_search_indexes_article_bodies_only_with_one_bundle_per_language(sample):
    for lang in ("en", "zh"):
        entry = json.loads((sample.output / "pagefind" / lang / "pagefind-entry.json").read_text())
        assert set(entry["languages"]) == {lang}
        assert entry["languages"][lang]["page_count"] == 5
    search = parse(local_file(sample.output, "zh/search/"))
    assert search.xpath("//div[@id='search']/@data-bundle") == ["/pagefind/zh/"]
    article = parse(local_file(sample.output, "zh/news/2023/cqu-belgian-ambassador-visit/"))
    (body,) = article.xpath("//*[@data-pagefind-body]")
    assert not body.xpath(".//nav") and body.xpath(".//h1")
    filters = sorted({f.split(":")[0] for f in article.xpath("//@data-pagefind-filter")})
    assert filters == ["国家", "年份", "机构", "标签"]
    assert "国家:比利时" in article.xpath("//@data-pagefind-filter")


def test_no_external_resources(sample):
    for url, path in html_pages(sample.output).items():
        doc = parse(path)
        for ref in doc.xpath("//script/@src | //link[@rel='stylesheet' or @rel='icon']/@href | //img/@src"):
            assert not urlsplit(ref).netloc, f"{url} loads {ref}"


def test_catalogues_have_the_same_keys():
    from conftest import REPO
    from newsarchive.i18n import load_catalogues
    catalogues = load_catalogues(REPO / "theme" / "i18n")
    assert catalogues["en"].strings.keys() == catalogues["zh"].strings.keys()

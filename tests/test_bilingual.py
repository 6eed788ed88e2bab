"""Bilingual behaviour on tiny sites: untranslated items, fallbacks, drafts and base paths."""
from __future__ import annotations

import json

import pytest
from lxml import html


def doc(site, url):
    return html.fromstring(site.read(url).encode())


def switch(d):
    (link,) = d.xpath('//nav[contains(@class,"lang-switch")]/a')
    return link.get("href")


def hreflangs(d):
    return sorted(d.xpath('//head/link[@rel="alternate"]/@hreflang'))


def test_untranslated_item_says_so_and_links_to_the_other_news_list(site):
    site.pair(2023, "both", "2023-01-01")
    site.item(2023, "english-only", "en", 'title: "Only in English"\ndate: 2023-02-01')
    site.build()
    page = doc(site, "en/news/2023/english-only/")
    assert switch(page) == "/zh/news/"
    notice = page.xpath('string(//p[@class="notice"])')   # said to the reader who came for Chinese, in Chinese
    assert "本文暂无中文版本。" in notice and page.xpath('//p[@class="notice"]/@lang') == ["zh"]
    assert page.xpath('//p[@class="notice"]/a/@href') == ["/zh/news/"]
    assert hreflangs(page) == ["en", "x-default"]
    assert not (site.output / "zh/news/2023/english-only").exists()
    # the translated item links both ways
    assert switch(doc(site, "en/news/2023/both/")) == "/zh/news/2023/both/"
    assert hreflangs(doc(site, "zh/news/2023/both/")) == ["en", "x-default", "zh"]


def test_a_chinese_only_item_tells_the_english_reader_in_english(site):
    site.item(2023, "zh-only", "zh", 'title: "仅中文"\ndate: 2023-02-01')
    site.build()
    page = doc(site, "zh/news/2023/zh-only/")
    assert "This item is not available in English." in page.xpath('string(//p[@class="notice"])')
    assert switch(page) == "/en/news/"


def test_switcher_falls_back_to_the_nearest_existing_page(site):
    site.configure(missing_translations="hide")
    for n in range(1, 4):   # three English items, one Chinese: /en/news/page/2/ has no Chinese twin
        site.item(2023, f"item-{n}", "en", f'title: "Item {n}"\ndate: 2023-01-0{n}\ntags: [agreements]')
    site.item(2023, "item-1", "zh", 'title: "一"\ndate: 2023-01-01\ntags: [agreements]')
    site.build()
    page2 = doc(site, "en/news/page/2/")
    assert switch(page2) == "/zh/news/"
    assert "本页暂无中文版本。" in page2.xpath('string(//p[@class="notice"])')
    assert switch(doc(site, "en/tags/agreements/page/2/")) == "/zh/tags/agreements/"
    assert switch(doc(site, "en/news/2023/01/")) == "/zh/news/2023/01/"


def test_tag_without_items_in_a_language_falls_back_to_the_tag_index(site):
    site.configure(missing_translations="hide")
    site.item(2023, "a", "en", 'title: "A"\ndate: 2023-01-01\ntags: [visits]')
    site.item(2023, "b", "zh", 'title: "乙"\ndate: 2023-01-02')
    site.build()
    assert switch(doc(site, "en/tags/visits/")) == "/zh/tags/"
    assert not (site.output / "zh/tags/visits").exists()


def test_drafts_are_left_out_unless_asked_for(site):
    site.item(2023, "ready", "en", 'title: "Ready"\ndate: 2023-01-01')
    site.item(2023, "wip", "en", 'title: "WIP"\ndate: 2023-01-02\ndraft: true')
    site.build()
    assert not (site.output / "en/news/2023/wip").exists()
    assert "WIP" not in site.read("en/news/") and "wip" not in site.read("sitemap.xml")
    site.build(drafts=True)
    assert (site.output / "en/news/2023/wip/index.html").exists()


def test_base_path_prefixes_every_link(site):
    site.pair(2023, "visit", "2023-01-01", countries="[BE]")
    site.build(base_url="https://example.org/archive")
    page = doc(site, "en/news/2023/visit/")
    links = page.xpath("//a/@href | //link/@href | //script/@src")
    internal = [l for l in links if not l.startswith(("http", "#"))]
    assert internal and all(l.startswith("/archive/") for l in internal), internal
    assert page.xpath('//link[@rel="canonical"]/@href') == ["https://example.org/archive/en/news/2023/visit/"]


def test_front_matter_is_escaped_everywhere(site):
    title = 'Tom & "Jerry" <script>alert(1)</script>'
    site.item(2023, "x", "en", f"title: '{title.replace(chr(39), chr(39) * 2)}'\ndate: 2023-01-01\n"
                               f"summary: '</script><b>bold</b>'")
    site.build()
    page = site.read("en/news/2023/x/")
    assert "<script>alert(1)" not in page and "<b>bold</b>" not in page
    assert doc(site, "en/news/2023/x/").xpath("string(//h1)") == title
    assert "<script>alert" not in site.read("en/feed.xml")


def test_empty_archive_builds(site):
    site.build()
    assert "There are no news items here yet." in site.read("en/news/")
    assert (site.output / "zh/index.html").exists()


def _one_english_only_item(site):
    site.pair(2023, "both", "2023-01-01", countries="[BE]")
    site.item(2024, "bologna", "en", 'title: "Rector of Bologna visits"\ndate: 2024-05-02\n'
                                     'countries: [IT]\ntags: [visits]\nsummary: "A visit from Italy."')


def test_missing_translations_are_linked_by_default(site):
    _one_english_only_item(site)
    site.build()
    news = doc(site, "zh/news/")
    (foreign,) = news.xpath('//li[contains(@class,"foreign")]')
    link = foreign.xpath('.//h2/a')[0]
    assert (link.get("href"), link.get("hreflang"), link.get("lang"), link.text) == (
        "/en/news/2024/bologna/", "en", "en", "Rector of Bologna visits")
    assert foreign.xpath('string(.//span[@class="only-in"])') == "仅有英文版"
    assert foreign.xpath('.//p[@class="item-meta"]/a/@href') == ["/zh/countries/it/"]   # Chinese country page
    assert foreign.xpath('string(.//p[@class="item-meta"]/a)') == "意大利"
    # every listing that would hold the item holds it: home, country, tag, year, month; counts include it
    for url in ("zh/", "zh/countries/it/", "zh/tags/visits/", "zh/news/2024/", "zh/news/2024/05/"):
        assert doc(site, url).xpath('//*[contains(@class,"foreign")]//a/@href')[0] == "/en/news/2024/bologna/", url
    assert "2 条" in doc(site, "zh/news/").xpath('string(//p[@class="listing-meta"])')
    # no Chinese page is made for the item itself
    assert not (site.output / "zh/news/2024/bologna").exists()
    # the feed has it, in its own language; the sitemap lists the listing pages it made
    feed = site.read("zh/feed.xml")
    assert '<entry xml:lang="en">' in feed and 'hreflang="en" href="https://example.org/en/news/2024/bologna/"' in feed
    assert "https://example.org/zh/countries/it/" in site.read("sitemap.xml")
    # English listings are unchanged: the item is not foreign there
    assert not doc(site, "en/news/").xpath('//li[contains(@class,"foreign")]')


def test_missing_translations_can_be_hidden(site):
    _one_english_only_item(site)
    site.configure(missing_translations="hide")
    site.build()
    assert "bologna" not in site.read("zh/news/") + site.read("zh/") + site.read("zh/feed.xml")
    assert not (site.output / "zh/countries/it").exists() and not (site.output / "zh/news/2024").exists()
    assert "https://example.org/zh/countries/it/" not in site.read("sitemap.xml")
    assert "1 条" in doc(site, "zh/news/").xpath('string(//p[@class="listing-meta"])')


def test_search_records_follow_the_policy(site):
    from newsarchive.pipeline import Builder
    from newsarchive.searchtext import tokens

    _one_english_only_item(site)
    builder = Builder(site.project, site.output)
    builder.build(search=False)
    (records,) = builder.state.records.values()
    (record,) = json.loads(records)
    assert record["url"] == "/en/news/2024/bologna/#main" and record["language"] == "zh"
    assert record["meta"]["title"] == "Rector of Bologna visits（仅有英文版）"
    assert record["filters"] == {"国家": ["意大利"], "标签": ["来访"], "年份": ["2024"]}
    words = record["content"].split()   # the page's text as search tokens (searchtext.py), its summary and country among them
    assert set(tokens("意大利", "A visit from Italy.")) <= set(words)
    assert not (site.output / "zh/search/records.json").exists()   # handed to Pagefind, never published
    # translating the item ends its foreign listing at the next update
    site.item(2024, "bologna", "zh", 'title: "博洛尼亚大学校长来访"\ndate: 2024-05-02\ncountries: [IT]\n'
                                     'tags: [visits]\ntranslated_from: en')
    builder.update()
    assert builder.state.records == {}
    assert not doc(site, "zh/news/").xpath('//li[contains(@class,"foreign")]')


def test_missing_translations_setting_is_checked(site):
    from newsarchive.config import load_config
    from newsarchive.errors import ContentErrors

    site.configure(missing_translations="show")
    with pytest.raises(ContentErrors) as caught:
        load_config(site.config)
    assert str(caught.value.errors[0]) == f"{site.config}:3: missing_translations: must be one of link, hide, not 'show'"

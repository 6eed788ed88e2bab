"""Readers, second pass, in the pages themselves: their language first, Chinese headlines with
word boundaries, an archive of thousands walked by year and month, the map's key, the 404 page's
one heading, institutions in the menu."""
from __future__ import annotations

import re

from lxml import html as lxml_html

from newsarchive.charts import map_key, world_shapes
from newsarchive.headlines import headline_html, words


def doc(site, url):
    return lxml_html.fromstring(site.read(url))


def test_the_readers_language_leads_the_home_page_and_every_first_page(site):
    site.pair(2024, "older", "2024-01-01", tags="[visits]")
    site.item(2024, "newest-english", "en", 'title: "Newest, English only"\ndate: 2024-03-01\ntags: [visits]\n'
                                            'summary: "An English summary."')
    site.build()
    home = doc(site, "zh/")
    assert home.xpath('string(//section[contains(@class,"top-story")]//h2)') == "中文 older"
    assert home.xpath('//section[contains(@class,"top-story")][contains(@class,"foreign")]') == []
    for url in ("zh/news/", "zh/tags/visits/"):
        items = doc(site, url).xpath('//ol[@class="items"]/li')
        assert "foreign" not in items[0].get("class"), url                  # the reader's own item first
        foreign = [li for li in items if "foreign" in li.get("class")]
        assert foreign and not foreign[0].xpath('.//p[@class="item-summary"]'), url   # no English summary
    # on the English side nothing moves: the newest item is English
    assert doc(site, "en/").xpath('string(//section[contains(@class,"top-story")]//h2)') == "Newest, English only"


def test_a_missing_translation_is_announced_in_the_missing_language(site):
    site.item(2024, "english-only", "en", 'title: "English only"\ndate: 2024-03-01')
    site.build()
    (notice,) = doc(site, "en/news/2024/english-only/").xpath('//p[@class="notice"]')
    assert notice.get("lang") == "zh" and notice.xpath("string(a)") == "浏览中文新闻"


def test_chinese_headlines_carry_their_word_boundaries():
    # names written phonetically stay whole; words are never cut; nothing is lost or unescaped
    assert "霍赫马滕斯" in words("比利时驻华大使扬·霍赫马滕斯博士访问重庆大学")
    assert "阿卜杜拉赫曼诺夫" in words("乌兹别克斯坦撒马尔罕国立大学校长阿卜杜拉赫曼诺夫来访")
    for title in ("召开国际合作伙伴会议", "鲁汶大学代表团来访 VUB 合作 2023年", "“中比合作”项目<b>", "2023年"):
        markup = str(headline_html(title, "zh"))
        assert lxml_html.fragment_fromstring(markup).text_content() == title
        pieces = markup.removeprefix('<span class="words">').removesuffix("</span>").split("<wbr>")
        for piece in pieces:
            assert piece not in ("召", "开", "国", "际", "伙", "伴"), (title, pieces)
        assert "2023<wbr>" not in markup and "<b>" not in markup
    assert str(headline_html("English <b>", "en")) == "English &lt;b&gt;"


def test_headlines_are_marked_up_where_readers_see_them(site):
    site.pair(2024, "a", "2024-01-01")
    site.item(2024, "b", "zh", 'title: "霍赫马滕斯教授召开国际合作伙伴会议"\ndate: 2024-02-01')
    site.build()
    for url in ("zh/", "zh/news/", "zh/news/2024/", "zh/news/2024/b/", "en/news/"):
        page = site.read(url)
        assert "霍赫马滕斯<wbr>教授<wbr>召开<wbr>国际<wbr>合作伙伴<wbr>会议" in page, url
    assert "<wbr>" not in site.read("zh/feed.xml") and "<title>霍赫马滕斯教授召开" in site.read("zh/news/2024/b/")


def test_a_year_is_headlines_under_a_month_index_with_steps_to_its_neighbours(site):
    for year, month in ((2021, 5), (2023, 1), (2023, 1), (2023, 7), (2024, 2)):
        slug = f"i{year}{month}-{len(list(site.content.rglob('*.en.md')))}"
        site.pair(year, slug, f"{year}-{month:02d}-10", summary='"A summary."')
    site.build()
    page = doc(site, "en/news/2023/")
    assert page.xpath('//nav[@class="month-index"]//a/@href') == ["#m7", "#m1"]
    assert page.xpath('string((//nav[@class="month-index"]//a)[2])') == "Jan 2"
    assert page.xpath('//section[@class="period"]/h2/@id') == ["m7", "m1"]
    assert len(page.xpath('//ol[@class="headlines"]/li')) == 3 and not page.xpath('//p[@class="item-summary"]')
    steps = page.xpath('//nav[@class="year-steps"]')[0]
    assert steps.xpath("a/@href") == ["/en/news/2021/", "/en/news/2024/"]   # years without items are skipped
    assert page.xpath('//section[@class="period"]//p[@class="more-link"]/a/@href') == ["/en/news/2023/07/",
                                                                                    "/en/news/2023/01/"]
    assert doc(site, "en/news/2024/").xpath('//nav[@class="year-steps"]/a/@href') == ["/en/news/2023/"]
    month = doc(site, "zh/news/2023/07/")
    assert month.xpath('//nav[@class="year-steps"]/a/@href') == ["/zh/news/2023/01/", "/zh/news/2024/02/"]
    assert month.xpath('string(//nav[@class="year-steps"]/a[1])') == "← 2023年1月"
    assert month.xpath('//p[@class="item-summary"]')   # a month gives its items in full


def test_every_news_page_states_the_period_it_covers_and_a_terms_list_is_walked_by_year(site):
    for n, day in enumerate(("2021-03-01", "2022-05-01", "2022-06-01", "2023-01-01", "2023-02-01")):
        site.pair(int(day[:4]), f"i{n}", day, tags="[visits]")
    site.build()
    meta = doc(site, "en/news/page/2/").xpath('string(//p[@class="listing-meta"])')
    assert "Page 2 of 3" in meta and "May 2022 – June 2022" in meta, meta
    assert "2022年5月至2022年6月" in doc(site, "zh/news/page/2/").xpath('string(//p[@class="listing-meta"])')
    by_year = doc(site, "en/tags/visits/page/2/").xpath('//nav[contains(@class,"by-year")]')[0]
    assert by_year.xpath(".//a/@href") == ["/en/tags/visits/", "/en/tags/visits/page/2/",
                                           "/en/tags/visits/page/3/"]
    assert by_year.xpath('.//a[@aria-current]/text()') == ["2022"]
    assert not doc(site, "en/news/").xpath('//nav[contains(@class,"by-year")]')   # the news list has its year row


def test_the_map_tells_apart_partners_of_similar_weight_and_has_a_key():
    counts = {"BE": 152, "FR": 130, "DE": 101, "JP": 117}
    shades = {s.code: s.shade for s in world_shapes(counts)}
    assert (shades["DE"], shades["BE"]) == (1, 4) and shades["CN"] == 0
    assert [(k.shade, k.low, k.high) for k in map_key(counts)] == [(1, 101, 101), (2, 117, 117), (3, 130, 130),
                                                                  (4, 152, 152)]
    assert [k.shade for k in map_key({"BE": 3})] == [4]


def test_the_countries_page_shows_the_maps_key(site):
    site.pair(2024, "a", "2024-01-01", countries="[GB, GR]")
    site.pair(2024, "b", "2024-01-02", countries="[GB]")
    site.build()
    page = doc(site, "en/countries/")
    assert page.xpath('//span[@class="map-key"]//span[contains(@class,"swatch")]/@class') == ["swatch shade-1",
                                                                                             "swatch shade-4"]
    assert re.sub(r"\s+", " ", page.xpath('string(//span[@class="map-key"])')).strip() == "Items: 1 2"
    # the United Kingdom and Greece are in Europe, not an unknown region
    assert "Unknown Region" not in page.text_content()


def test_the_404_page_has_one_heading_in_both_languages(site):
    site.pair(2024, "a", "2024-01-01")
    site.build()
    page = lxml_html.fromstring((site.output / "404.html").read_text(encoding="utf-8"))
    (h1,) = page.xpath("//h1")
    assert h1.xpath("span/@lang") == ["en", "zh"]
    assert [s.xpath("string(h2)") for s in page.xpath("//section[@class='choice']")] == ["Page not found", "页面不存在"]

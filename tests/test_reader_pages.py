"""What readers get besides the story: related items, breadcrumbs, the menu's section, reading
time, numbered pages, narrowing, overviews with a map and charts, the 404 page, and Chinese
typography in the markup (full-width colons and brackets)."""
from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from newsarchive import geography
from newsarchive.charts import world_shapes, year_bars
from newsarchive.indexes import build_indexes
from newsarchive.plan import Pagination
from newsarchive.render import reading_minutes

INSTITUTIONS = """\
ku-leuven: {en: "KU Leuven", zh: "鲁汶大学", country: BE}
vub: {en: "Vrije Universiteit Brussel", zh: "布鲁塞尔自由大学", country: BE}
chongqing-university: {en: "Chongqing University", zh: "重庆大学", country: CN}
"""


def doc(site, url):
    return lxml_html.fromstring(site.read(url))


def _related(site, url):
    return doc(site, url).xpath('//section[@class="related"]//li/a/@href')


def test_related_items_share_institutions_then_countries_then_tags_newer_first(site):
    (site.content / "institutions.yaml").write_text(INSTITUTIONS, encoding="utf-8")
    site.pair(2023, "subject", "2023-05-01", institutions="[ku-leuven]", countries="[BE]", tags="[visits]")
    site.pair(2023, "same-tag", "2023-06-01", tags="[visits]")
    site.pair(2022, "same-country", "2022-01-01", countries="[BE]")
    site.pair(2021, "same-institution-old", "2021-01-01", institutions="[ku-leuven]")
    site.pair(2020, "same-institution-older", "2020-01-01", institutions="[ku-leuven]")
    site.pair(2023, "nothing-shared", "2023-07-01", countries="[NL]")
    site.build()
    assert _related(site, "en/news/2023/subject/") == [
        "/en/news/2021/same-institution-old/", "/en/news/2020/same-institution-older/",
        "/en/news/2022/same-country/", "/en/news/2023/same-tag/"]
    assert _related(site, "zh/news/2023/subject/")[0] == "/zh/news/2021/same-institution-old/"
    # an item sharing nothing has no related items, and no empty section
    assert _related(site, "en/news/2023/nothing-shared/") == []
    assert 'class="related"' not in site.read("en/news/2023/nothing-shared/")


def test_related_items_are_found_by_index_near_the_item(site):
    """Each of an item's terms' lists is read only around the item's place in it: with 300 items
    under one tag, the related items of the oldest are among the oldest."""
    for n in range(300):
        site.pair(2000 + n // 30, f"item-{n:03d}", f"{2000 + n // 30}-01-{1 + n % 28:02d}", tags="[visits]")
    site.build()
    related = _related(site, "en/news/2000/item-000/")
    assert len(related) == 4 and all(u.startswith("/en/news/2000/") for u in related)


def test_related_reads_a_bounded_window():
    from newsarchive import indexes as indexes_module

    class Seen(tuple):
        reads = 0

        def __getitem__(self, key):
            part = tuple.__getitem__(self, key)
            Seen.reads += len(part) if isinstance(key, slice) else 1
            return part

    from test_stages import article, content   # 3,000 articles under one tag
    articles = [article(f"item-{n}", "en", f"{2000 + n // 300}-01-{1 + n % 28:02d}", tags=("visits",)) for n in range(3000)]
    idx = build_indexes(content(*articles))
    by_tag = idx.languages["en"].by_term["tag"]
    by_tag["visits"] = Seen(by_tag["visits"])
    assert len(idx.related(articles[1500])) == 4
    assert Seen.reads <= 2 * indexes_module._NEAR + 1


def test_pages_are_numbered_with_gaps():
    assert Pagination(1, 1, None, None).numbers() == (1,)
    assert Pagination(1, 20, None, None).numbers() == (1, 2, 3, None, 20)
    assert Pagination(10, 20, None, None).numbers() == (1, None, 8, 9, 10, 11, 12, None, 20)
    assert Pagination(5, 20, None, None).numbers() == (1, 2, 3, 4, 5, 6, 7, None, 20)   # no "…" for one number
    assert Pagination(20, 20, None, None).numbers() == (1, None, 18, 19, 20)


def test_listings_have_numbered_pages_and_the_news_can_be_narrowed(site):
    for n in range(9):
        site.pair(2020 + n % 3, f"item-{n}", f"{2020 + n % 3}-03-{1 + n:02d}", countries="[BE]" if n % 2 else "[NL]",
                  tags="[visits]")
    site.build()
    page = doc(site, "en/news/page/3/")
    numbers = page.xpath('//nav[@class="pager"]//ol/li')
    assert [li.text_content().strip() for li in numbers] == ["1", "2", "3", "4", "5"]
    assert page.xpath('//nav[@class="pager"]//a[text()="1"]/@href') == ["/en/news/"]
    assert page.xpath('//nav[@class="pager"]//*[@aria-current="page"]/text()') == ["3"]
    narrow = doc(site, "en/news/").xpath('//nav[@class="narrow"]')[0]
    hrefs = narrow.xpath(".//a/@href")
    assert {"/en/news/2022/", "/en/news/2021/", "/en/news/2020/", "/en/countries/be/", "/en/countries/nl/",
            "/en/tags/visits/"} <= set(hrefs)
    for href in hrefs:   # plain links to pages that exist
        assert (site.output / href.strip("/") / "index.html").exists(), href


def test_every_page_has_breadcrumbs_and_the_menu_marks_its_section(site):
    (site.content / "institutions.yaml").write_text(INSTITUTIONS, encoding="utf-8")
    for n in range(5):
        site.pair(2023, f"item-{n}", f"2023-02-{1 + n:02d}", countries="[BE]", tags="[visits]",
                  institutions="[ku-leuven]")
    site.build()
    expected = {  # url: (breadcrumbs' links, the menu item marked)
        "en/news/2023/item-1/": (["/en/", "/en/news/", "/en/news/2023/"], "/en/news/"),
        "en/news/page/2/": (["/en/"], "/en/news/"),
        "en/news/2023/": (["/en/", "/en/news/"], "/en/news/"),
        "en/news/2023/02/": (["/en/", "/en/news/", "/en/news/2023/"], "/en/news/"),
        "en/tags/visits/page/2/": (["/en/", "/en/tags/"], "/en/tags/"),
        "zh/countries/be/": (["/zh/", "/zh/countries/"], "/zh/countries/"),
        "zh/institutions/ku-leuven/": (["/zh/", "/zh/institutions/"], "/zh/institutions/"),   # a menu entry of its own
        "en/archive/": (["/en/"], "/en/archive/"),
        "en/": ([], "/en/"),
    }
    for url, (crumbs, section) in expected.items():
        page = doc(site, url)
        assert page.xpath('//nav[@class="breadcrumbs"]//a/@href') == crumbs, url
        assert page.xpath('//nav[@class="site-nav"]//a[@aria-current]/@href') == [section], url
    article = doc(site, "en/news/2023/item-1/")
    assert article.xpath('string(//nav[@class="breadcrumbs"]//*[@aria-current="page"])') == "English item-1"
    assert article.xpath('//nav[@class="breadcrumbs"]//a/text()') == ["Home", "News", "2023"]


def test_reading_time_counts_chinese_characters_and_english_words(site):
    site.item(2023, "long", "en", 'title: "Long"\ndate: 2023-01-01', body=" ".join(["word"] * 920))
    site.item(2023, "long", "zh", 'title: "长"\ndate: 2023-01-01\ntranslated_from: en', body="合作" * 800)
    site.build()
    assert doc(site, "en/news/2023/long/").xpath('string(//*[@class="reading-time"])') == "4 min read"
    assert doc(site, "zh/news/2023/long/").xpath('string(//*[@class="reading-time"])') == "阅读约 4 分钟"


def test_reading_minutes_is_at_least_one():
    assert reading_minutes("Short.") == 1
    assert reading_minutes("合作，" * 400 + " KU Leuven " * 115) == 3   # 800 characters and 230 words


def test_chinese_pages_use_full_width_colons_and_brackets(site):
    (site.content / "institutions.yaml").write_text(INSTITUTIONS, encoding="utf-8")
    site.pair(2023, "visit", "2023-02-24", countries="[BE]", tags="[visits]", institutions="[ku-leuven]",
              source='"重庆大学新闻网"', source_url="https://news.cqu.edu.cn/x", updated="2023-02-25")
    site.build()
    for page in sorted(site.output.glob("zh/**/index.html")):
        body = lxml_html.fromstring(page.read_text(encoding="utf-8")).xpath("//body")[0]
        for node in body.xpath(".//text()"):   # a space after a full-width colon or comma, or before a bracket
            assert not re.search(r"[：，。（] (?!\s)|(?<=\S) （", node), (page, node)
        assert not re.search(r"\(\d+ 条\)", body.text_content()), page
    article = doc(site, "zh/news/2023/visit/")
    assert "来源：重庆大学新闻网" in article.xpath('string(//footer[@class="article-footer"])')
    assert "（原文）" in article.xpath('string(//footer[@class="article-footer"])')


def test_countries_are_grouped_by_continent_on_a_map_from_a_data_package(site):
    site.pair(2023, "a", "2023-01-01", countries="[BE, CN]")
    site.pair(2023, "b", "2023-02-01", countries="[BE, KE]")
    site.build()
    page = doc(site, "en/countries/")
    regions = [(s.xpath("string(h2)"), s.xpath('.//span[@class="term-name"]/text()'))
               for s in page.xpath('//div[@class="region-grid"]/section')]
    assert regions == [("Asia (1 item)", ["China"]), ("Europe (2 items)", ["Belgium"]), ("Africa (1 item)", ["Kenya"])]
    svg = page.xpath('//figure[@class="world-map"]/svg')[0]
    assert svg.get("aria-hidden") == "true"       # the list below carries the same links and figures
    shaded = {a.get("href"): a.xpath("string(path/@class)") for a in svg.xpath(".//a")}
    assert shaded == {"/en/countries/be/": "shade-4", "/en/countries/cn/": "shade-1", "/en/countries/ke/": "shade-1"}
    assert all(a.get("tabindex") == "-1" for a in svg.xpath(".//a"))
    assert len(svg.xpath(".//path")) > 150        # every country's outline, from pygal_maps_world
    zh = doc(site, "zh/countries/")
    assert zh.xpath('string(//div[@class="region-grid"]/section[1]/h2)') == "亚洲（1 条）"


def test_geography_comes_from_the_data_packages():
    assert geography.continent_of("BE") == "150" and geography.continent_of("CN") == "142"
    assert geography.continent_of("US") == "003" and geography.continent_of("BR") == "005"
    assert geography.continent_of("QQ") == geography.OTHER
    # the table writes some codes as patterns ("^GB$|^UK$"): every code of every row is placed
    assert geography.continent_of("GB") == geography.continent_of("GR") == "150"
    import csv
    table = geography._package_file("country_converter", "country_data.tsv")
    with open(table, encoding="utf-8", newline="") as f:
        rows = [row for row in csv.DictReader(f, delimiter="\t") if row["Continent_7"] in geography.CONTINENTS]
    from babel import Locale
    named = set(Locale("en").territories)
    for row in rows:
        if row["ISO2"] in named:
            assert geography.continent_of(row["ISO2"]) != geography.OTHER, row["name_short"]
    world = geography.world_map()
    assert {"BE", "CN", "US", "BR", "KE", "AU"} <= set(world.outlines) and "AQ" not in world.outlines
    assert all(re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", d) for d in world.outlines.values())
    shades = {s.code: s.shade for s in world_shapes({"BE": 100, "CN": 10, "US": 1})}
    assert (shades["BE"], shades["CN"], shades["US"], shades["FR"]) == (4, 3, 1, 0)   # log scale


def test_charts_of_items_per_year_have_a_text_equivalent(site):
    site.pair(2019, "a", "2019-01-01", countries="[BE]")
    site.pair(2021, "b", "2021-01-01", countries="[BE]")
    site.pair(2021, "c", "2021-02-01", countries="[BE]")
    site.build()
    # a country's chart leads to where its own list reaches each year (this fixture's pages hold 2)
    to_the_year = ["/en/news/2019/", "/en/news/2021/"]
    links = {"en/": to_the_year, "en/archive/": to_the_year,
             "en/countries/be/": ["/en/countries/be/page/2/", "/en/countries/be/"]}
    for url in ("en/", "en/archive/", "en/countries/be/"):
        chart = doc(site, url).xpath('//div[@class="chart"]')[0]
        svg = chart.xpath("figure/svg")[0]   # a picture for the eye and the pointer; the table is for everyone
        assert svg.get("aria-hidden") == "true", url
        assert [a.get("href") for a in svg.xpath(".//a")] == links[url]   # bars link
        assert {a.get("tabindex") for a in svg.xpath(".//a")} == {"-1"}
        title = chart.xpath("string(figure/svg/title)")
        assert "2019 1, 2020 0, 2021 2" in title, (url, title)
        assert len(svg.xpath(".//rect")) == 3          # 2020 too, as an empty bar
        rows = [(r.xpath("string(th)"), r.xpath("string(td)")) for r in chart.xpath(".//table/tbody/tr")]
        assert rows == [("2021", "2"), ("2020", "0"), ("2019", "1")], url
        assert chart.xpath(".//table//a/@href") == links[url][::-1]
    bars = year_bars([(2019, 1), (2021, 2)])
    assert [b.height for b in bars] == [56.0, 0.0, 112.0]


def test_the_archive_is_a_year_by_month_table(site):
    site.pair(2023, "a", "2023-02-01")
    site.pair(2023, "b", "2023-02-11")
    site.pair(2021, "c", "2021-12-01")
    site.build()
    table = doc(site, "en/archive/").xpath("//table[@class='archive-table']")[0]
    assert [th.text_content() for th in table.xpath("thead/tr/th")][:3] == ["Year", "Jan", "Feb"]
    rows = table.xpath("tbody/tr")
    assert [r.xpath("string(th)") for r in rows] == ["2023", "2021"]
    assert rows[0].xpath("td[2]/a/@href") == ["/en/news/2023/02/"] and rows[0].xpath("string(td[2])") == "2"
    assert rows[0].xpath("string(td[last()])") == "2" and rows[1].xpath("td[12]/a/@href") == ["/en/news/2021/12/"]


def test_the_404_page_has_the_header_search_and_latest_items(site):
    site.pair(2023, "a", "2023-01-01")
    site.item(2024, "only-english", "en", 'title: "Only in English"\ndate: 2024-01-01')
    site.build()
    page = lxml_html.fromstring((site.output / "404.html").read_text(encoding="utf-8"))
    assert page.xpath("//header[@class='site-header']//a[@class='brand']/@href") == ["/"]
    assert page.xpath("//form[@role='search']/@action") == ["/en/search/", "/zh/search/"]
    assert page.xpath("//section[@lang='en']//ul/li/a/@href") == ["/en/news/2024/only-english/", "/en/news/2023/a/"]
    assert page.xpath("//section[@lang='zh']//ul/li/a/@href")[0] == "/en/news/2024/only-english/"


def test_articles_carry_a_share_button_that_needs_javascript_and_the_address_for_print(site):
    site.pair(2023, "a", "2023-01-01")
    site.build()
    page = doc(site, "en/news/2023/a/")
    button = page.xpath("//button[@class='share-button']")[0]
    assert button.get("hidden") is not None   # shown by share.js; without JavaScript there is nothing to press
    assert page.xpath("//script/@src")[-1] == "/static/share.js"
    assert page.xpath("string(//p[@class='print-url'])") == "https://example.org/en/news/2023/a/"


@pytest.mark.parametrize("foreign_lang", ["en"])
def test_items_in_the_other_language_carry_a_badge_and_a_quieter_title(site, foreign_lang):
    site.pair(2023, "a", "2023-01-01")
    site.item(2022, "only-english", "en", 'title: "Only in English"\ndate: 2022-01-01')
    site.build()
    item = doc(site, "zh/news/").xpath('//li[contains(@class, "foreign")]')[0]
    assert item.xpath('string(.//span[@class="only-in"])') == "仅有英文版"
    assert item.xpath(".//h2/a/@lang") == [foreign_lang]
    css = (site.project.theme / "static" / "style.css").read_text(encoding="utf-8")
    assert re.search(r"\.item\.foreign \.item-title \{[^}]*font-weight: 500", css)

"""Search finds what every reader types, and nothing that is not there (newsarchive/searchtext.py,
theme/static/searchtext.js): the two sides fold and tokenise alike, in Chromium; traditional
characters, full-width Latin and digits, names with and without their accents, Latin names inside
Chinese items, hyphenated words; absent words find nothing, whatever was searched before;
excerpts come from the body around the match; the page's own behaviour."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SAMPLE, TinySite
from newsarchive.searchtext import fold, t2s_pairs, tokens

pytestmark = pytest.mark.browser

ITEMS = [   # (slug, lang, title, body)
    ("belgium", "zh", "比利时大使来访", "比利时驻华大使访问我校，双方就经济发展开展交流，人们期待合作。"),
    ("atm", "zh", "自助银行", "校园新增ＡＴＭ，纪念１９３９年建校。"),
    ("leuven", "en", "KU Leuven delegation", "A delegation from KU Leuven and the VUB visited the campus."),
    ("names", "en", "Visitors from Poland and Sweden", "Jöran Svensson, Zoë Van Acker and guests from Łódź came."),
    ("latin", "zh", "访问团", "Maximilian Abdurakhmanov率团访问，VUB合作项目启动。"),
    ("hyphen", "en", "A co-operation agreement", "The co-operation covers student exchange and re-entry."),
]


@pytest.fixture(scope="module")
def searched(tmp_path_factory):
    """The items above and 24 more (so that pages of results show), built with search and served."""
    site = TinySite(tmp_path_factory.mktemp("search-text"))
    site.configure(missing_translations="link")
    for n, (slug, lang, title, body) in enumerate(ITEMS):
        site.item(2020 + n % 5, slug, lang, f'title: "{title}"\ndate: {2020 + n % 5}-0{1 + n % 9}-1{n % 9}\n'
                                           f'countries: [{["BE", "CN", "PL", "SE", "UZ", "NL"][n]}]', body)
    for n in range(24):
        site.pair(2010 + n % 12, f"filler-{n}", f"{2010 + n % 12}-0{1 + n % 9}-0{1 + n % 9}",
                  countries="[BE]" if n % 2 else "[UZ]")
    with site.served_with_search():
        yield site


RUN = """async (query) => {
  const pf = window.__pf || (window.__pf = await import(document.getElementById('search').dataset.bundle + 'pagefind.js'));
  const r = await window.searchText.find(pf, query);
  const data = await Promise.all(r.results.map(x => x.data()));
  return data.map(d => new URL(d.url, location.href).pathname).sort();
}"""


@pytest.fixture
def api(searched, page):
    def search(lang: str, query: str) -> list[str]:
        if not page.url.startswith(f"{searched.base}{lang}/search/"):
            page.goto(f"{searched.base}{lang}/search/")
            page.wait_for_function("() => window.searchText && document.querySelector('.pagefind-ui__search-input')")
        return page.evaluate(RUN, query)
    return search


def test_the_browser_folds_and_tokenises_as_the_build_does(searched, page):
    """Every text of the sample archive and of the cases above: the same folded text and tokens
    on both sides (one stemmer in Python, another in the browser, one table of characters)."""
    texts = [t for _, _, title, body in ITEMS for t in (title, body)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.rglob("*.md"))]
    texts += ["比利時 經濟發展 開展 人們 國際合作", "ＫＵ Ｌｅｕｖｅｎ １９３９年 ＡＴＭ", "Łódź Zoë Jöran İstanbul Straße Æsir Øresund",
              "co-operation re-entry state-of-the-art", "university organization generously agreed dying 2023 x9 a8b",
              "𠮷野家 🎓 Ⅻ ﬁne ＃ｔａｇ"]
    page.goto(f"{searched.base}en/search/")
    page.wait_for_function("() => window.searchText")
    page.evaluate("() => window.searchText.ready('中 a')")   # the table and the stemmer
    page.evaluate("pairs => window.searchText.addPairs(pairs)", t2s_pairs())   # the whole table, as fold() has it
    browser_side = page.evaluate("texts => texts.map(t => [window.searchText.fold(t), window.searchText.pageTokens(t)])",
                                 texts)
    for text, (folded, found) in zip(texts, browser_side):
        assert folded == fold(text), text[:60]
        assert found == tokens(text), text[:60]


@pytest.mark.parametrize("lang, query, expected", [
    ("zh", "比利時", ["/zh/news/2020/belgium/"]),                 # traditional
    ("zh", "經濟發展", ["/zh/news/2020/belgium/"]),
    ("zh", "開展 人們", ["/zh/news/2020/belgium/"]),
    ("zh", "ATM", ["/zh/news/2021/atm/"]),                       # ASCII where the page is full-width
    ("zh", "1939年", ["/zh/news/2021/atm/"]),
    ("en", "ＫＵ Ｌｅｕｖｅｎ", ["/en/news/2022/leuven/"]),          # full-width where the page is ASCII
    ("en", "ＶＵＢ", ["/en/news/2022/leuven/", "/zh/news/2024/latin/"]),
    ("en", "Jöran Svensson", ["/en/news/2023/names/"]),          # diacritics as written
    ("en", "Zoe", ["/en/news/2023/names/"]),                     # and without them
    ("en", "Lodz", ["/en/news/2023/names/"]),
    ("en", "Łódź", ["/en/news/2023/names/"]),
    ("en", "Maximilian", ["/zh/news/2024/latin/"]),              # a Latin name in a Chinese-only item
    ("en", "Abdurakhmanov", ["/zh/news/2024/latin/"]),
    ("zh", "VUB 合作", ["/zh/news/2024/latin/"]),
    ("en", "co-operation", ["/en/news/2020/hyphen/"]),            # hyphenated, as written and joined
    ("en", "cooperation", ["/en/news/2020/hyphen/"]),
    ("en", "exchanges", ["/en/news/2020/hyphen/"]),               # a stem
])
def test_what_readers_type_finds_every_page(api, lang, query, expected):
    assert [url for url in api(lang, query) if "filler" not in url] == expected


@pytest.mark.parametrize("lang, query", [("zh", "坦克"), ("zh", "说出"), ("zh", "日元"), ("en", "article"),
                                         ("en", "adversely"), ("en", "at"), ("en", "Belgium tank")])
def test_a_word_no_page_holds_finds_nothing_whatever_was_searched_before(api, lang, query):
    assert api(lang, query) == []
    for other in ["比利时", "交流", "大使", "合作", "人们", "经济", "1939", "VUB", "访问"] * 6:   # 54 other searches
        api(lang, other)
    assert api(lang, query) == []


def test_the_same_query_finds_the_same_after_fifty_others(api):
    first = api("zh", "比利时 合作")
    for other in ["校园", "建校", "大使", "代表团", "期待", "ATM", "启动", "项目", "访问", "交流"] * 5:
        api("zh", other)
    assert api("zh", "比利时 合作") == first and first


def _search_page(searched, page, lang: str, query: str):
    page.goto(f"{searched.base}{lang}/search/?q={query}")
    page.wait_for_function("() => document.querySelector('.pagefind-ui__result') && "
                           "!document.querySelector('.pagefind-ui__results .pagefind-ui__loading')")


def test_excerpts_come_from_the_body_around_every_match(searched, page):
    _search_page(searched, page, "zh", "VUB 合作")
    excerpt = page.inner_html(".pagefind-ui__result-excerpt")
    assert "访问团" not in excerpt                                   # not the headline
    assert "<mark>VUB</mark>" in excerpt and "<mark>合作</mark>" in excerpt   # both scripts marked
    _search_page(searched, page, "en", "Lodz")
    excerpt = page.inner_html(".pagefind-ui__result-excerpt")
    assert "<mark>Łódź</mark>" in excerpt and "Visitors from Poland" not in excerpt   # shown as written
    _search_page(searched, page, "zh", "比利時")
    assert page.inner_html(".pagefind-ui__result-excerpt").count("<mark>比利时</mark>") == 1


def test_the_page_shows_ten_results_ordered_filters_and_a_natural_count(searched, page):
    _search_page(searched, page, "zh", "中文")   # the 24 fillers' titles
    assert len(page.query_selector_all(".pagefind-ui__result")) == 10
    assert page.inner_text(".pagefind-ui__message") == "找到 24 条与“中文”相关的新闻"
    page.click(".filters-toggle") if page.is_visible(".filters-toggle") else None
    page.wait_for_selector(".pagefind-ui__filter-value", state="attached")

    def shown(name):   # the values of a filter, as laid out (CSS order)
        return page.evaluate("""name => {
          const block = [...document.querySelectorAll('.pagefind-ui__filter-block')]
            .find(b => b.querySelector('.pagefind-ui__filter-name').textContent.trim() === name);
          block.open = true;
          return [...block.querySelectorAll('.pagefind-ui__filter-value')]
            .map(el => [Number(el.style.order), el.querySelector('input').value])
            .sort((a, b) => a[0] - b[0]).map(v => v[1]);
        }""", name)
    years = shown("年份")
    assert years == sorted(years, reverse=True) and len(years) == 12
    assert shown("国家") == ["比利时", "乌兹别克斯坦"]   # pinyin: bǐlìshí before wūzībiékèsītǎn; none at 0
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.pagefind-ui__button')).fontSize)")
    assert size >= 15, size


def test_without_javascript_the_notice_is_on_the_first_screen(searched, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(f"{searched.base}zh/search/")
    notice = tab.locator("p.notice")
    box = notice.bounding_box()
    assert box and box["y"] + box["height"] <= 844 and tab.locator("p.notice a").count() == 4
    context.close()


@pytest.mark.parametrize("lang, query", [("zh", "比利时 合作"), ("en", "Belgium")])
def test_a_cold_query_transfers_at_most_350_kb(sample, browser, lang, query):
    context = browser.new_context()
    tab = context.new_page()
    sizes = []
    tab.on("requestfinished", lambda r: sizes.append(r))
    tab.goto(f"{sample.base}{lang}/search/?q={query}")
    tab.wait_for_function("() => document.querySelector('.pagefind-ui__result') && "
                          "!document.querySelector('.pagefind-ui__results .pagefind-ui__loading')")
    total = sum(r.sizes()["responseBodySize"] for r in sizes)   # every download, as sent
    context.close()
    assert total <= 350 * 1024, total

"""In Debian's Chromium through Playwright: search in both languages, filters, the language switcher."""
from __future__ import annotations

import re
import warnings

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import _free_port
from newsarchive.serve import serve_in_thread

pytestmark = pytest.mark.browser

RESULT = ".pagefind-ui__result-link"


def _type_query(page, url, query) -> str | None:
    """Open ``url`` and type ``query``; None once results show, else what went wrong."""
    page.troubles.clear()
    page.goto(url)
    page.fill(".pagefind-ui__search-input", query)
    try:
        page.wait_for_selector(RESULT, timeout=15000)
        return None
    except PlaywrightTimeout:
        return (f"no result after 15 s; the search box says {page.inner_text('#search')!r}; "
                f"the tab saw: {page.troubles or 'nothing amiss'}")


def search(page, sample, lang, query):
    """Type a query on a language's search page; return the result links once they settle.

    A page that shows no result is loaded once more, with a warning carrying what the tab saw:
    once in CI (never in 40 runs on a development machine) the first search of a session showed
    nothing, and a second load tells a passing hiccup in the browser from an index that lacks the item."""
    url = f"{sample.base}{lang}/search/"
    trouble = _type_query(page, url, query)
    if trouble:
        again = _type_query(page, url, query)
        if again:
            pytest.fail(f"{query!r} on /{lang}/search/, twice: {trouble} / then: {again}")
        warnings.warn(f"{query!r} on /{lang}/search/ showed results only when loaded again: {trouble}")
    page.wait_for_function(
        "n => document.querySelector('.pagefind-ui__message') && "
        "document.querySelector('.pagefind-ui__message').textContent.trim().length > 0", arg=None)
    settled(page)   # Pagefind loads result fragments one by one
    return sorted(set(page.eval_on_selector_all(RESULT, "els => els.map(e => e.pathname)")))


def test_chinese_search_finds_items_available_in_english_only(page, one_sided):
    assert search(page, one_sided, "zh", "意大利") == ["/en/news/2024/bologna/"]
    assert "仅有英文版" in page.inner_text(RESULT)
    assert search(page, one_sided, "zh", "比利时") == ["/zh/news/2023/both/"]
    assert search(page, one_sided, "en", "Bologna") == ["/en/news/2024/bologna/"]
    assert page.locator(".pagefind-ui__result").count() == 1   # the English index holds it once


BELGIUM_ITEMS = ["news/2023/cqu-belgian-ambassador-visit/", "news/2025/vnu-belgium-academic-exchange/"]


def test_chinese_search_finds_belgium_items(page, sample):
    assert search(page, sample, "zh", "比利时") == [f"/zh/{u}" for u in BELGIUM_ITEMS]


def test_chinese_search_finds_words_inside_sentences(page, sample):
    # 签署 stands mid-sentence in the Vietnam item ("…与比利时机构签署了六项合作协议").
    assert "/zh/news/2025/vnu-belgium-academic-exchange/" in search(page, sample, "zh", "签署")
    assert search(page, sample, "zh", "大使") == ["/zh/news/2023/cqu-belgian-ambassador-visit/"]


def test_english_search_finds_belgium_items(page, sample):
    assert search(page, sample, "en", "Belgium") == [f"/en/{u}" for u in BELGIUM_ITEMS]


def test_chinese_page_shows_chinese_interface_and_filter_names(page, sample):
    search(page, sample, "zh", "合作")
    # Pagefind draws each filter once its part of the index has loaded, not with the results
    page.wait_for_function("document.querySelectorAll('.pagefind-ui__filter-name').length >= 4", timeout=15000)
    names = page.eval_on_selector_all(".pagefind-ui__filter-name", "els => els.map(e => e.textContent.trim())")
    assert sorted(names) == sorted(["国家", "标签", "年份", "机构"])
    assert "比利时" in page.text_content(".pagefind-ui__filter-panel")
    # The box has a visible label of its own words, not the page heading's again.
    assert page.get_by_label("搜索词", exact=True).evaluate("e => e.classList.contains('pagefind-ui__search-input')")


def test_filtering_by_country_narrows_the_results(page, sample):
    before = search(page, sample, "en", "university")
    assert len(before) >= 3
    page.click("summary:has-text('Country')")
    page.check("input[type=checkbox][value='Japan']")
    # One result remains (sub-results of it share the link class, so count the result items).
    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result').length === 1")
    after = set(page.eval_on_selector_all(RESULT, "els => els.map(e => e.pathname)"))
    assert after == {"/en/news/2018/cqu-japan-consul-general-meeting/"}


def test_header_search_form_runs_the_query(page, sample):
    page.goto(f"{sample.base}en/")
    page.fill("#header-q", "Belgium")
    page.press("#header-q", "Enter")
    page.wait_for_selector(RESULT, timeout=15000)
    assert page.input_value(".pagefind-ui__search-input") == "Belgium"


def test_language_switcher_opens_the_translation(page, sample):
    page.goto(f"{sample.base}en/news/2023/cqu-belgian-ambassador-visit/")
    page.click("nav.lang-switch a")
    page.wait_for_url("**/zh/news/2023/cqu-belgian-ambassador-visit/")
    assert page.locator("h1").inner_text() == "比利时驻华大使扬·霍赫马滕斯博士访问重庆大学"
    assert page.evaluate("document.documentElement.lang") == "zh"
    page.click("nav.lang-switch a")
    page.wait_for_url("**/en/news/2023/cqu-belgian-ambassador-visit/")


def test_pages_work_without_javascript(browser, sample):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(f"{sample.base}zh/")
    tab.click("text=全部新闻")
    tab.wait_for_url("**/zh/news/")
    assert tab.locator("ol.items > li").count() == 2
    tab.goto(f"{sample.base}zh/search/")
    assert "搜索需要 JavaScript" in tab.inner_text("main")
    context.close()


def test_phone_layout_has_no_horizontal_scroll(browser, sample):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    for url in ("en/", "zh/news/2025/vnu-belgium-academic-exchange/", "zh/search/"):
        tab.goto(sample.base + url)
        assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    context.close()


# --- Chinese names and words, whichever way two segmenters split them -------------------------

NAMES = {   # slug -> (title, body): phonetic names and a country name in several sentence positions
    "westbrook": ("韦斯特布鲁克教授率团来访", "韦斯特布鲁克教授率团访问学校，双方就联合培养进行了交流。"),
    "northgate": ("诺斯盖特大学校长来访", "诺斯盖特大学校长一行来访，韦斯特布鲁克陪同参观了实验室。"),
    "kazakhstan": ("哈萨克斯坦驻华大使会见校领导", "哈萨克斯坦驻华大使会见校领导，双方同意进一步加强合作。"),
    "nigeria-agreement": ("学校与尼日利亚高校签署协议", "学校与尼日利亚高校签署协议，校长高洋出席。"),
    "nigeria-students": ("尼日利亚留学生代表团访问重庆大学", "来自尼日利亚的留学生参加了开学典礼。"),
}


@pytest.fixture(scope="module")
def names_site(tmp_path_factory):
    from conftest import TinySite

    site = TinySite(tmp_path_factory.mktemp("names"))
    for n, (slug, (title, body)) in enumerate(NAMES.items(), start=1):
        site.item(2024, slug, "zh", f'title: "{title}"\ndate: 2024-03-0{n}', body=body)
    port = _free_port()
    site.base = f"http://127.0.0.1:{port}/"
    site.build(search=True, base_url=site.base)
    server = serve_in_thread(site.output, port=port)
    yield site
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("query", ["韦斯特布鲁克", "诺斯盖特", "哈萨克斯坦", "尼日利亚", "一步", "高洋", "斯特布", "盖", "访",
                                   "尼日利亚留学生代表团访问重庆大学"])
def test_chinese_search_finds_every_page_holding_the_string_and_only_those(page, names_site, query):
    expected = sorted(f"/zh/news/2024/{slug}/" for slug, texts in NAMES.items() if any(query in t for t in texts))
    assert search(page, names_site, "zh", query) == expected


def test_an_exact_chinese_title_comes_first(page, names_site):
    search(page, names_site, "zh", "尼日利亚留学生代表团访问重庆大学")
    first = page.eval_on_selector(RESULT, "e => e.pathname")
    assert first == "/zh/news/2024/nigeria-students/"
    assert not re.search(r"z[0-9]{5}", page.inner_text("#search"))   # index tokens are not shown to readers


def test_the_address_follows_the_query_and_a_shared_address_searches(page, sample):
    search(page, sample, "zh", "比利时")
    assert page.evaluate("() => new URLSearchParams(location.search).get('q')") == "比利时"
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    page.wait_for_selector(RESULT, timeout=15000)
    assert page.input_value(".pagefind-ui__search-input") == "比利时"


def test_results_show_their_date_and_no_interface_labels(page, sample):
    search(page, sample, "en", "Belgium")
    dates = page.eval_on_selector_all(".pagefind-ui__result-excerpt .result-date", "els => els.map(e => e.textContent)")
    assert sorted(dates) == ["1 April 2025", "24 February 2023"]
    excerpts = " ".join(page.eval_on_selector_all(".pagefind-ui__result-excerpt", "els => els.map(e => e.textContent)"))
    assert "Belgium" in excerpts and "Countries" not in excerpts and "Tags" not in excerpts
    assert page.locator(".pagefind-ui__result-tag").count() == 0   # the date is not repeated as a tag
    search(page, sample, "zh", "比利时")
    excerpts = " ".join(page.eval_on_selector_all(".pagefind-ui__result-excerpt", "els => els.map(e => e.textContent)"))
    assert "比利时" in excerpts and "标签" not in excerpts and "国家 比利时" not in excerpts   # 国家 also occurs in text


def test_chinese_excerpts_are_cut_around_the_query_and_read_as_chinese(page, sample):
    search(page, sample, "zh", "签署")
    excerpts = page.eval_on_selector_all(".pagefind-ui__result-excerpt", "els => els.map(e => e.textContent)")
    assert excerpts
    for excerpt in excerpts:
        text = excerpt.split(" · ", 1)[1]   # after the date
        assert "签署" in text and 40 <= len(text) <= 100, excerpt   # about 90 characters, as long as English
        assert not re.search(r"z[0-9]{5}|[\u4e00-\u9fff]\. ", text), excerpt   # no tokens; 。 not ". "
    marks = page.eval_on_selector_all(".pagefind-ui__result-excerpt mark", "els => els.map(e => e.textContent)")
    assert marks and set(marks) == {"签署"}


def settled(page) -> None:
    """Wait until Pagefind has filled in every result it drew as a placeholder."""
    page.wait_for_function("() => document.querySelector('.pagefind-ui__result') && "
                           "!document.querySelector('.pagefind-ui__results .pagefind-ui__loading')")


def newest_first(page) -> None:
    """Wait until the results on the page are drawn newest first."""
    page.wait_for_function("""() => {
        const years = [...document.querySelectorAll('.pagefind-ui__result-link')]
            .map(a => Number((a.pathname.match(/\\/news\\/([0-9]{4})\\//) || [])[1]));
        return years.length >= 3 && years.every((y, i) => i === 0 || years[i - 1] >= y);
    }""", timeout=15000)


def _result_years(page):
    paths = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.pathname)")
    return [int(re.search(r"/news/([0-9]{4})/", p).group(1)) for p in paths]


def test_results_can_be_ordered_newest_first_and_the_order_is_in_the_address(page, sample):
    search(page, sample, "en", "university")
    page.select_option("select[name=order]", "date")
    page.wait_for_function("() => new URLSearchParams(location.search).get('sort') === 'date'")
    page.wait_for_selector(RESULT, timeout=15000)
    newest_first(page)   # the new order is drawn (or this times out)
    settled(page)
    years = _result_years(page)
    assert len(years) >= 3 and years == sorted(years, reverse=True)
    assert page.input_value(".pagefind-ui__search-input") == "university"   # the query survives the change
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    page.wait_for_selector(RESULT, timeout=15000)
    newest_first(page)
    settled(page)
    assert page.input_value("select[name=order]") == "date" and _result_years(page) == years


def test_filters_are_in_the_address_and_a_shared_address_applies_them(page, sample):
    search(page, sample, "en", "university")
    page.click("summary:has-text('Country')")
    page.check("input[type=checkbox][value='Japan']")
    page.wait_for_function("() => new URLSearchParams(location.search).getAll('Country').join() === 'Japan'")
    shared = page.url
    assert "q=university" in shared
    page.goto("about:blank")
    page.goto(shared)
    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result').length === 1", timeout=15000)
    assert page.eval_on_selector(RESULT, "e => e.pathname") == "/en/news/2018/cqu-japan-consul-general-meeting/"
    assert page.is_checked("input[type=checkbox][value='Japan']")
    assert page.inner_text(".filters-toggle") == "Filters (1)"


def test_on_a_phone_the_filters_fold_away_behind_a_button(browser, sample):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(f"{sample.base}zh/search/?q=大学")
    tab.wait_for_selector(".pagefind-ui__filter-panel", state="attached", timeout=15000)
    assert not tab.is_visible(".pagefind-ui__filter-panel")
    tab.click(".filters-toggle")
    tab.wait_for_selector(".pagefind-ui__filter-panel", state="visible", timeout=5000)   # once the panel is drawn open
    assert tab.get_attribute(".filters-toggle", "aria-expanded") == "true"
    context.close()
    wide = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = wide.new_page()
    tab.goto(f"{sample.base}zh/search/?q=大学")
    tab.wait_for_selector(".pagefind-ui__filter-panel", timeout=15000)
    assert not tab.is_visible(".filters-toggle")   # on a wide screen the filters stand beside the results
    wide.close()

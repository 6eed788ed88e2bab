"""Times with timezones, ``updated``, institutions and ``source_url``: each form and each error."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from lxml import html as lxml_html

from conftest import REPO
from newsarchive.cli import main
from newsarchive.content import load_content
from newsarchive.errors import ContentErrors

SHANGHAI = ZoneInfo("Asia/Shanghai")
REL = "content/news/2023"
INSTITUTIONS = """\
ku-leuven: {en: "KU Leuven", zh: "鲁汶大学", country: BE, url: "https://www.kuleuven.be/"}
vub: {en: "Vrije Universiteit Brussel", zh: "布鲁塞尔自由大学", country: BE}
chongqing-university: {en: "Chongqing University", zh: "重庆大学", country: CN, url: "https://www.cqu.edu.cn/"}
"""


def errors_of(site, zone=timezone.utc) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_content(site.content, site.root, zone=zone)
    return [str(e) for e in caught.value.errors]


def one(site, front: str, zone=SHANGHAI):
    site.item(2023, "x", "en", f'title: "T"\n{front}')
    (article,) = load_content(site.content, site.root, zone=zone).articles
    return article


@pytest.mark.parametrize("written, at, timed", [
    ("2023-02-24", datetime(2023, 2, 24, tzinfo=SHANGHAI), False),
    ("2023-02-24 10:30", datetime(2023, 2, 24, 10, 30, tzinfo=SHANGHAI), True),
    ('"2023-02-24 10:30:15"', datetime(2023, 2, 24, 10, 30, 15, tzinfo=SHANGHAI), True),
    ("2023-02-24T10:30+01:00", datetime(2023, 2, 24, 17, 30, tzinfo=SHANGHAI), True),
    ("2023-02-24T02:30:00Z", datetime(2023, 2, 24, 10, 30, tzinfo=SHANGHAI), True),
])
def test_every_date_form_is_read_in_the_site_timezone(site, written, at, timed):
    article = one(site, f"date: {written}")
    assert article.published.at == at and article.published.timed is timed
    assert article.published.at.utcoffset().total_seconds() == 8 * 3600   # kept in the site's timezone


@pytest.mark.parametrize("written, message", [
    ("2023-02-24T10:30", "is not a date or time in one of the forms"),        # T needs an offset
    ("2023-02-24 10:30+08:00", "is not a date or time in one of the forms"),  # a space reads the site's zone
    ("2023-02-24 25:00", "is not a valid date or time"),
    ("10:30", "is not a date or time in one of the forms"),
    ("2023-02-24T10:30+24:00", "has an offset of a day or more"),
])
def test_other_date_forms_are_errors_with_the_line(site, written, message):
    site.item(2023, "x", "en", f'title: "T"\ndate: {written}')
    (error,) = errors_of(site, SHANGHAI)
    assert error.startswith(f"{REL}/x.en.md:3: date: ") and message in error


def test_a_time_the_clocks_skip_is_an_error(site):
    site.item(2023, "x", "en", 'title: "T"\ndate: 2023-03-12 02:30')
    assert errors_of(site, ZoneInfo("America/New_York")) == [
        f"{REL}/x.en.md:3: date: '2023-03-12 02:30' does not exist in America/New_York (the clocks skip it); "
        "give the time with its offset"]


def test_the_year_is_the_year_in_the_site_timezone(site):
    site.item(2023, "x", "en", 'title: "T"\ndate: 2024-01-01T01:00+09:00')   # 2024-01-01 00:00 in Shanghai
    assert errors_of(site, SHANGHAI) == [f"{REL}/x.en.md:3: date: is in 2024 but the file is in the folder 2023"]
    site.item(2023, "x", "en", 'title: "T"\ndate: 2024-01-01T00:30+09:00')   # 2023-12-31 23:30 in Shanghai
    assert load_content(site.content, site.root, zone=SHANGHAI).articles[0].date.isoformat() == "2023-12-31"


def test_updated_follows_the_same_forms_and_is_not_before_the_date(site):
    article = one(site, "date: 2023-02-24 10:30\nupdated: 2023-02-25")
    assert article.updated.at == datetime(2023, 2, 25, tzinfo=SHANGHAI) and not article.updated.timed
    site.item(2023, "x", "en", 'title: "T"\ndate: 2023-02-24 10:30\nupdated: 2023-02-24 09:00')
    assert errors_of(site, SHANGHAI) == [f"{REL}/x.en.md:4: updated: is before the item's date"]


def test_translations_must_agree_on_the_time_too(site):
    site.item(2023, "x", "en", 'title: "T"\ndate: 2023-02-24 10:30')
    site.item(2023, "x", "zh", 'title: "T"\ndate: 2023-02-24T10:30+08:00\ntranslated_from: en')   # the same instant
    load_content(site.content, site.root, zone=SHANGHAI)
    site.item(2023, "x", "zh", 'title: "T"\ndate: 2023-02-24 11:30\ntranslated_from: en')
    assert errors_of(site, SHANGHAI) == [
        f"{REL}/x.zh.md:3: date: the Chinese version says 2023-02-24 11:30:00+08:00 and the English version "
        f"({REL}/x.en.md) says 2023-02-24 10:30:00+08:00: make them agree, or leave date out of the Chinese version "
        f"(a translation takes it from its original)"]


def test_pages_feeds_and_sitemap_show_times_as_given(site):
    site.configure(timezone="Asia/Shanghai")
    site.item(2023, "early", "en", 'title: "Early"\ndate: 2023-02-24 08:05')
    site.item(2023, "late", "en", 'title: "Late"\ndate: 2023-02-24 21:40\nupdated: 2023-03-01 09:00')
    site.item(2023, "late", "zh", 'title: "晚"\ndate: 2023-02-24 21:40\nupdated: 2023-03-01 09:00\ntranslated_from: en')
    site.item(2023, "day", "en", 'title: "Day"\ndate: 2023-02-24')
    site.build()
    page = site.read("en/news/2023/late/")
    assert '<time datetime="2023-02-24T21:40:00+08:00"' in page and "24 February 2023, 21:40" in page
    assert "Updated:" in page and "1 March 2023, 09:00" in page
    assert "2023年2月24日 21:40" in site.read("zh/news/2023/late/") and "更新于" in site.read("zh/news/2023/late/")
    assert '<time datetime="2023-02-24"' in site.read("en/news/2023/day/")   # no time given, none shown
    titles = lxml_html.fromstring(site.read("en/news/")).xpath("//h2[@class='item-title']/a/text()")
    assert titles[:2] == ["Late", "Early"]     # sorted by time within the day (listings show the date)
    feed = (site.output / "en" / "feed.xml").read_text()
    assert "<published>2023-02-24T21:40:00+08:00</published>" in feed
    assert "<updated>2023-03-01T09:00:00+08:00</updated>" in feed
    assert "<published>2023-02-24T00:00:00+08:00</published>" in feed
    sitemap = (site.output / "sitemap.xml").read_text()
    assert "<lastmod>2023-03-01T09:00:00+08:00</lastmod>" in sitemap and "<lastmod>2023-02-24</lastmod>" in sitemap


def test_timezone_setting_is_checked(site, capsys):
    site.configure(timezone="Asia/Shangai")
    site.pair(2023, "x", "2023-01-01")
    assert main(["build", "--content", str(site.content), "--config", str(site.config), "--output",
                 str(site.output)], root=REPO) == 1
    assert ("timezone: 'Asia/Shangai' is not an IANA timezone name such as Asia/Shanghai; did you mean "
            "'Asia/Shanghai'?") in capsys.readouterr().err


# --- institutions ----------------------------------------------------------------------------

def test_institutions_get_pages_grouped_by_country_feeds_filters_and_mentions(site):
    (site.content / "institutions.yaml").write_text(INSTITUTIONS, encoding="utf-8")
    site.pair(2023, "visit", "2023-02-24", institutions="[ku-leuven, chongqing-university]", countries="[BE]")
    site.pair(2024, "talk", "2024-03-01", institutions="[ku-leuven]")
    site.build()
    overview = lxml_html.fromstring(site.read("en/institutions/"))
    groups = [(s.xpath("string(h2)"), s.xpath('.//li/a/span[@class="term-name"]/text()')) for s in overview.xpath("//section")]
    assert groups == [("Belgium", ["KU Leuven"]), ("China", ["Chongqing University"])]
    assert overview.xpath("//section[2]/h2/a") == []     # no item is about China: no country page to link
    page = site.read("zh/institutions/ku-leuven/")
    assert "关于鲁汶大学的新闻" in page and 'href="https://www.kuleuven.be/"' in page and "比利时" in page
    about = lxml_html.fromstring(page).xpath("//dl[@class='term-about']")[0].text_content()
    assert "中文 talk" in about and "中文 visit" in about and "2024" in about and "2023" in about
    assert (site.output / "en" / "institutions" / "ku-leuven" / "feed.xml").is_file()
    assert "KU Leuven" in site.read("en/countries/be/")          # a country lists its institutions
    article = site.read("en/news/2023/visit/")
    assert 'data-pagefind-filter="Institution:KU Leuven"' in article
    ld = json.loads(lxml_html.fromstring(article).xpath("//script[@type='application/ld+json']/text()")[0])
    assert ld["mentions"] == [{"@type": "Organization", "name": "KU Leuven", "url": "https://www.kuleuven.be/"},
                              {"@type": "Organization", "name": "Chongqing University",
                               "url": "https://www.cqu.edu.cn/"}]


def test_unknown_and_disagreeing_institutions_are_errors(site):
    (site.content / "institutions.yaml").write_text(INSTITUTIONS, encoding="utf-8")
    site.item(2023, "x", "en", 'title: "T"\ndate: 2023-01-01\ninstitutions: [ku-leuvem]')
    site.item(2023, "y", "en", 'title: "T"\ndate: 2023-01-01\ninstitutions: [vub]')
    site.item(2023, "y", "zh", 'title: "T"\ndate: 2023-01-01\ninstitutions: [ku-leuven]\ntranslated_from: en')
    assert errors_of(site) == [
        f"{REL}/x.en.md:4: institutions: unknown institution 'ku-leuvem'; did you mean 'ku-leuven'? "
        "(institutions are defined in institutions.yaml)",
        f"{REL}/y.zh.md:4: institutions: the Chinese version says [ku-leuven] and the English version ({REL}/y.en.md) "
        f"says [vub]: make them agree, or leave institutions out of the Chinese version (a translation takes it from "
        f"its original)"]


def test_institutions_file_errors_name_their_line(site):
    (site.content / "institutions.yaml").write_text(
        'ok: {en: A, zh: 甲, country: BE}\nBad Slug: {en: A, zh: 甲, country: BE}\n'
        'no-zh: {en: A, country: BE}\nlower: {en: A, zh: 甲, country: be, url: "ftp://x"}\n'
        'typo: {en: A, zh: 甲, country: BE, site: "https://x"}\n', encoding="utf-8")
    assert errors_of(site) == [
        "content/institutions.yaml:2: Bad Slug: an institution slug uses only a-z, 0-9 and single hyphens",
        "content/institutions.yaml:3: no-zh: must give a name in each of en, zh, as {en: …, zh: …, country: BE}",
        "content/institutions.yaml:4: lower: country must be an ISO 3166-1 alpha-2 code such as BE, not 'be'; "
        "did you mean 'BE'?",
        "content/institutions.yaml:4: lower: url 'ftp://x' is not an http:// or https:// address",
        "content/institutions.yaml:5: typo: unknown key 'site'"]


# --- source_url ------------------------------------------------------------------------------

def test_source_url_links_the_source_and_is_based_on(site):
    site.item(2023, "x", "en", 'title: "T"\ndate: 2023-01-01\nsource: "CQU News"\n'
              'source_url: "https://news.cqu.edu.cn/item/1"')
    site.build()
    page = site.read("en/news/2023/x/")
    assert '<a href="https://news.cqu.edu.cn/item/1" rel="external">CQU News</a>' in page
    ld = json.loads(lxml_html.fromstring(page).xpath("//script[@type='application/ld+json']/text()")[0])
    assert ld["isBasedOn"] == "https://news.cqu.edu.cn/item/1"
    site.item(2023, "x", "en", 'title: "T"\ndate: 2023-01-01\nsource_url: "javascript:alert(1)"')
    assert errors_of(site) == [f"{REL}/x.en.md:4: source_url: 'javascript:alert(1)' is not an http:// or https:// address"]


def test_new_creates_the_media_folder(site, capsys):
    assert main(["new", "--title", "Visit", "--content", str(site.content), "--date", "2023-05-01"], root=REPO) == 0
    assert (site.content / "news" / "2023" / "visit").is_dir()
    load_content(site.content, site.root)     # the skeleton is valid as written

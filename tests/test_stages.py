"""Fast unit tests of the pure stages (urls, indexes, plan, fingerprints) on records made in memory:
no files are read or written, so each runs in milliseconds."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timezone

import pytest

from newsarchive import urls
from newsarchive.config import Config
from newsarchive.fingerprint import Fingerprinter
from newsarchive.indexes import build_indexes
from newsarchive.model import Article, Content, Moment, Tag
from newsarchive.plan import SEARCH_RECORDS, plan_site

TAGS = {"visits": Tag("visits", {"en": "Visits", "zh": "来访"}),
        "agreements": Tag("agreements", {"en": "Agreements", "zh": "协议"})}
CONFIG = Config(title={"en": "T", "zh": "T"}, description={"en": "D", "zh": "D"}, author={"en": "A", "zh": "A"},
                page_size=2)


def article(slug: str, lang: str, day: str, *, tags=(), countries=(), draft=False, translated_from=None,
            body="<p>Body.</p>") -> Article:
    d = date.fromisoformat(day)
    return Article(path=f"content/news/{d.year}/{slug}.{lang}.md", file=f"/c/news/{d.year}/{slug}.{lang}.md",
                   lang=lang, year=d.year, slug=slug, title=f"{slug} ({lang})",
                   published=Moment(datetime.combine(d, time(), timezone.utc), False), updated=None, summary="",
                   tags=tuple(tags), countries=tuple(countries), institutions=(), source="", source_url="", image=None,
                   refs=(), translated_from=translated_from, draft=draft,
                   body_html=body, digest="0" * 16, source_digest=None, stamp=f"{slug}{lang}{body}"[:16])


def pair(slug: str, day: str, **kw) -> tuple[Article, Article]:
    return article(slug, "en", day, **kw), article(slug, "zh", day, translated_from="en", **kw)


def content(*articles: Article) -> Content:
    return Content(articles=tuple(articles), tags=TAGS)


# --- urls -----------------------------------------------------------------------------------

def test_urls_are_site_relative_and_paginated_under_page():
    a = article("visit", "zh", "2023-02-24")
    assert urls.article(a) == "zh/news/2023/visit/"
    assert urls.news("en") == "en/news/" and urls.news("en", 3) == "en/news/page/3/"
    assert urls.country("en", "BE", 2) == "en/countries/be/page/2/"
    assert urls.country_feed("zh", "BE") == "zh/countries/be/feed.xml"
    assert urls.month("en", 2023, 2) == "en/news/2023/02/"
    assert urls.output_path("") == "index.html"
    assert urls.output_path("en/news/") == "en/news/index.html"
    assert urls.output_path("sitemap.xml") == "sitemap.xml"


# --- indexes --------------------------------------------------------------------------------

def test_listings_are_newest_first_with_neighbours_in_the_same_language():
    old, new = pair("old", "2022-05-01"), pair("new", "2023-01-01")
    only_en = article("only-en", "en", "2022-12-01")
    index = build_indexes(content(*old, *new, only_en)).languages["en"]
    assert [a.slug for a in index.articles] == ["new", "only-en", "old"]
    assert index.older[(2023, "new")].slug == "only-en"
    assert index.newer[(2022, "old")].slug == "only-en" and index.older[(2022, "old")] is None


def test_missing_translations_are_listed_in_the_original_language_only_when_linked():
    both, only_en = pair("both", "2023-01-01"), article("only-en", "en", "2023-02-01")
    hidden = build_indexes(content(*both, only_en), link_missing=False).languages["zh"]
    assert [a.slug for a in hidden.listed] == ["both"] and hidden.foreign == ()
    linked = build_indexes(content(*both, only_en), link_missing=True).languages["zh"]
    assert [(a.slug, a.lang) for a in linked.listed] == [("only-en", "en"), ("both", "zh")]
    assert [a.slug for a in linked.articles] == ["both"]   # an article page exists only in its own language


def test_drafts_are_left_out_unless_asked_for():
    items = (*pair("done", "2023-01-01"), *pair("draft", "2023-02-01", draft=True))
    assert [a.slug for a in build_indexes(content(*items)).languages["en"].articles] == ["done"]
    assert len(build_indexes(content(*items), drafts=True).languages["en"].articles) == 2


def test_terms_are_ordered_by_count_then_name_and_months_newest_first():
    items = (*pair("a", "2023-01-05", tags=("visits",), countries=("BE",)),
             *pair("b", "2023-03-01", tags=("visits", "agreements"), countries=("VN", "BE")),
             *pair("c", "2021-03-01", tags=("agreements",), countries=("VN",)))
    index = build_indexes(content(*items)).languages["en"]
    assert list(index.by_tag) == ["agreements", "visits"]        # two each: by name
    assert list(index.by_country) == ["BE", "VN"]
    assert list(index.by_month) == [(2023, 3), (2023, 1), (2021, 3)]
    assert list(index.by_year) == [2023, 2021]


def test_a_stale_translation_is_one_whose_original_changed():
    en, zh = pair("x", "2023-01-01")
    en = replace(en, digest="1" * 16)
    indexes = build_indexes(content(en, replace(zh, source_digest="1" * 16)))
    assert not indexes.is_stale(indexes.versions[(2023, "x")]["zh"])
    indexes = build_indexes(content(en, replace(zh, source_digest="2" * 16)))
    assert indexes.is_stale(indexes.versions[(2023, "x")]["zh"])


# --- plan -----------------------------------------------------------------------------------

def plan(*articles: Article, config: Config = CONFIG, link_missing: bool = True):
    return plan_site(build_indexes(content(*articles), link_missing=link_missing), config)


def test_the_plan_has_every_page_once_with_one_url_each():
    pages = plan(*pair("a", "2023-01-01", tags=("visits",), countries=("BE",)),
                 *pair("b", "2023-02-01"), *pair("c", "2022-02-01"))
    by_url = {p.url: p for p in pages}
    assert len(by_url) == len(pages)
    for url in ("", "en/", "zh/", "en/news/", "en/news/page/2/", "en/news/2023/a/", "zh/news/2022/c/",
                "en/tags/visits/", "en/tags/visits/feed.xml", "en/countries/be/", "en/news/2023/02/",
                "en/archive/", "en/search/", "sitemap.xml", "robots.txt", "404.html"):
        assert url in by_url, url
    assert "en/news/page/3/" not in by_url
    # an article is built from itself, its translation and its neighbours in its language
    assert by_url["en/news/2023/a/"].sources == ("content/news/2022/c.en.md", "content/news/2023/a.en.md",
                                                 "content/news/2023/a.zh.md", "content/news/2023/b.en.md")


def test_alternates_pair_the_same_page_and_the_switch_falls_back_to_the_nearest_parent():
    only_en = article("only-en", "en", "2023-02-01", countries=("IT",))
    pages = {p.url: p for p in plan(*pair("both", "2023-01-01"), only_en, link_missing=False)}
    both = pages["en/news/2023/both/"]
    assert both.context["alternates"] == (("en", "en/news/2023/both/"), ("zh", "zh/news/2023/both/"))
    (switch,) = both.context["switch"]
    assert (switch.lang, switch.url, switch.exact) == ("zh", "zh/news/2023/both/", True)
    (switch,) = pages["en/news/2023/only-en/"].context["switch"]
    assert (switch.url, switch.exact, switch.kind) == ("zh/news/", False, "news")
    (switch,) = pages["en/countries/it/"].context["switch"]
    assert (switch.url, switch.exact) == ("zh/countries/", False)


def test_search_records_carry_items_of_the_other_language_and_are_not_in_the_sitemap():
    pages = plan(*pair("both", "2023-01-01"), article("only-en", "en", "2023-02-01"))
    (records,) = [p for p in pages if p.kind == SEARCH_RECORDS]
    assert records.lang == "zh" and [a.slug for a in records.context["items"]] == ["only-en"]
    (sitemap,) = [p for p in pages if p.kind == "sitemap"]
    assert all(not url.endswith(".json") for url, _, _ in sitemap.context["entries"])


def test_feeds_are_dated_by_their_newest_item_and_hold_at_most_feed_size():
    items = [x for n in range(5) for x in pair(f"i{n}", f"2023-0{n + 1}-01")]
    feed = {p.url: p for p in plan(*items, config=replace(CONFIG, feed_size=3))}["en/feed.xml"]
    assert feed.context["updated"].date() == date(2023, 5, 1) and len(feed.context["items"]) == 3


# --- fingerprints ---------------------------------------------------------------------------

def fingerprints(*articles: Article, site: str = "site") -> dict[str, str]:
    fp = Fingerprinter(site)
    return {p.url: fp.page(p) for p in plan(*articles)}


def test_a_fingerprint_changes_exactly_where_a_page_shows_the_change():
    items = [*pair("a", "2023-01-01", tags=("visits",)), *pair("b", "2023-02-01"), *pair("c", "2021-01-01")]
    before = fingerprints(*items)
    assert fingerprints(*items) == before                            # stable
    items[2] = replace(items[2], body_html="<p>New.</p>", stamp="changed")   # b (en) edited
    after = fingerprints(*items)
    changed = {url for url in before if before[url] != after[url]}
    assert "en/news/2023/b/" in changed and "en/news/2023/a/" in changed   # a shows b as its neighbour
    assert "en/news/" in changed and "en/feed.xml" in changed
    assert "zh/news/2023/b/" in changed                                # the translation links to it
    assert "en/news/2021/c/" not in changed and "en/tags/visits/" not in changed
    assert "zh/news/2021/c/" not in changed


def test_a_change_to_templates_or_settings_changes_every_fingerprint():
    items = pair("a", "2023-01-01")
    one, two = fingerprints(*items, site="one"), fingerprints(*items, site="two")
    assert all(one[url] != two[url] for url in one)


LATER = Moment(datetime(2023, 1, 2, 9, 30, tzinfo=timezone.utc), True)


@pytest.mark.parametrize("field, value", [("title", "Other"), ("published", LATER), ("updated", LATER),
                                          ("tags", ("visits",))])
def test_any_change_to_an_article_changes_its_page(field, value):
    en, zh = pair("a", "2023-01-01")
    before = fingerprints(en, zh)["en/news/2023/a/"]
    changed = replace(en, stamp="x" * 16, **{field: value})
    assert fingerprints(changed, zh if field != "published" else replace(zh, published=value))["en/news/2023/a/"] != before

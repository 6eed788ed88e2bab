"""Loading content, and every validation error with its file, line, field and message."""
from __future__ import annotations

import os

from datetime import date

import pytest

from newsarchive.content import load_content
from newsarchive.errors import ContentErrors

REL = "content/news/2023"


def errors_of(site) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_content(site.content, site.root)
    return [str(e) for e in caught.value.errors]


def test_valid_pair_loads_complete_records(site):
    site.pair(2023, "visit", "2023-02-24", tags="[visits]", countries="[BE]", summary='"Short."')
    content = load_content(site.content, site.root)
    en, zh = sorted(content.articles, key=lambda a: a.lang)
    assert (en.lang, en.year, en.slug, en.date) == ("en", 2023, "visit", date(2023, 2, 24))
    assert en.tags == ("visits",) and en.countries == ("BE",) and en.summary == "Short."
    assert zh.translated_from == "en" and en.translated_from is None
    assert "<p>Body text.</p>" in en.body_html
    assert content.tags["visits"].names == {"en": "Visits", "zh": "来访"}


def test_sample_archive_loads():
    from conftest import REPO, SAMPLE
    content = load_content(SAMPLE, REPO)
    assert len(content.articles) == 10
    assert {a.lang for a in content.articles} == {"en", "zh"}


@pytest.mark.parametrize("front, expected", [
    ('title: "T"\ndate: 2023-02-30', "3: date: '2023-02-30' is not a valid date"),
    ('title: "T"\ndate: 24/02/2023', "3: date: '24/02/2023' is not a date or time in one of the forms YYYY-MM-DD, "
                                         "YYYY-MM-DD HH:MM (in the site's timezone) or YYYY-MM-DDTHH:MM+08:00"),
    ('title: [a, b]\ndate: 2023-02-24', "2: title: must be text, not a list"),
    ('title: ""\ndate: 2023-02-24', "2: title: must not be empty"),
    ('date: 2023-02-24', "3: title: is required"),  # reported where the front matter ends
    ('title: "T"\ndate: 2023-02-24\ntitel: x', "4: titel: unknown field; did you mean 'title'?"),
    ('title: "T"\ndate: 2023-02-24\ntags: [visit]', "4: tags: unknown tag 'visit'; did you mean 'visits'? "
                                                    "(tags are defined in tags.yaml)"),
    ('title: "T"\ndate: 2023-02-24\ntags: visits', "4: tags: must be a list of tag slugs, not text"),
    ('title: "T"\ndate: 2023-02-24\ncountries: [be]', "4: countries: unknown country code 'be'; did you mean 'BE'?"),
    ('title: "T"\ndate: 2023-02-24\ncountries: [EU]', "4: countries: unknown country code 'EU'"),
    ('title: "T"\ndate: 2023-02-24\ndraft: "yes"', "4: draft: must be true or false, not 'yes'"),
    ('title: "T"\ndate: 2023-02-24\ntranslated_from: en', "4: translated_from: names this file's own language 'en'; "
                                                          "it must name the original's language"),
    ('title: "T"\ndate: 2022-02-24', "3: date: is in 2022 but the file is in the folder 2023"),
    ('title: "T"\ndate: 2023-02-24\ntitle: "U"', "4: title: appears twice (first on line 2)"),
    ('title: "T\ndate: 2023-02-24', "2: title: unclosed quoted text (a quote opened here is never closed)"),
    # found by the property tests (tests/test_properties.py)
    ('title: "T"\n"": x\ndate: 2023-02-24', "3: '': a key must be a name (letters, digits, '_' or '-')"),
    ('title: "T"\ndate: 2023-02-24\nsummary: "a\x1bb"', "4: file: contains the control character U+001B, "
                                                        "which YAML does not allow"),
])
def test_each_field_error_names_file_line_and_field(site, front, expected):
    site.item(2023, "item", "en", front)
    errors = errors_of(site)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{REL}/item.en.md:{expected}"), errors


def test_all_errors_are_reported_at_once(site):
    site.item(2023, "one", "en", 'title: "T"\ndate: 2023-13-01\ncountries: [XX]')
    site.item(2023, "two", "en", 'title: 5\ndate: 2023-01-01\nfoo: bar')
    assert errors_of(site) == [
        f"{REL}/one.en.md:3: date: '2023-13-01' is not a valid date",
        f"{REL}/one.en.md:4: countries: unknown country code 'XX'",
        f"{REL}/two.en.md:2: title: must be text, not a number",
        f"{REL}/two.en.md:4: foo: unknown field",
    ]


def test_duplicate_slug_across_years(site):
    site.item(2022, "visit", "en", 'title: "A"\ndate: 2022-01-01')
    site.item(2023, "visit", "en", 'title: "B"\ndate: 2023-01-01')
    assert errors_of(site) == [
        f"{REL}/visit.en.md:1: path: duplicate slug 'visit': content/news/2022/visit.en.md uses it already; "
        f"a slug names one item"]


def test_translations_must_agree_on_what_both_give_and_the_file_changed_last_is_named(site):
    en = site.item(2023, "visit", "en", 'title: "A"\ndate: 2023-02-24\ntags: [visits]\ncountries: [BE]')
    zh = site.item(2023, "visit", "zh", 'title: "甲"\ndate: 2023-02-25\ntags: [agreements]\ncountries: [BE, VN]\n'
                                        'translated_from: en')
    os.utime(en, ns=(10**18, 10**18))
    os.utime(zh, ns=(2 * 10**18, 2 * 10**18))    # the translation changed last
    leave = "make them agree, or leave {} out of the Chinese version (a translation takes it from its original)"
    assert errors_of(site) == [
        f"{REL}/visit.zh.md:3: date: the Chinese version says 2023-02-25 and the English version ({REL}/visit.en.md) "
        f"says 2023-02-24: " + leave.format("date"),
        f"{REL}/visit.zh.md:4: tags: the Chinese version says [agreements] and the English version ({REL}/visit.en.md) "
        f"says [visits]: " + leave.format("tags"),
        f"{REL}/visit.zh.md:5: countries: the Chinese version says [BE, VN] and the English version "
        f"({REL}/visit.en.md) says [BE]: " + leave.format("countries"),
    ]
    os.utime(en, ns=(3 * 10**18, 3 * 10**18))    # now the original changed last: it is the one named
    assert errors_of(site)[0] == (f"{REL}/visit.en.md:3: date: the English version says 2023-02-24 and the Chinese "
                                  f"version ({REL}/visit.zh.md) says 2023-02-25: " + leave.format("date"))


def test_a_translation_takes_the_shared_fields_it_leaves_out_from_its_original(site):
    site.item(2023, "visit", "en", 'title: "A"\ndate: 2023-02-24 10:30\ntags: [visits]\ncountries: [BE]\n'
                                   'image: p.png\nimage_alt: "The gate"\nimage_credit: "CQU"')
    from photos import save_pattern
    save_pattern(site.content / "news/2023/visit/p.png", (500, 300))
    site.item(2023, "visit", "zh", 'title: "甲"\ntranslated_from: en\nimage_alt: "校门"')
    site.build()
    page = site.read("zh/news/2023/visit/")
    assert "2023年2月24日 10:30" in page and 'alt="校门"' in page and "CQU" in page and "来访" in page
    assert "/zh/countries/be/" in page
    site.item(2023, "orphan", "zh", 'title: "乙"\ntranslated_from: en')
    assert errors_of(site) == [f"{REL}/orphan.zh.md:3: translated_from: the original orphan.en.md does not exist"]


def test_translation_order_of_tags_does_not_matter(site):
    site.item(2023, "visit", "en", 'title: "A"\ndate: 2023-02-24\ntags: [visits, agreements]')
    site.item(2023, "visit", "zh", 'title: "甲"\ndate: 2023-02-24\ntags: [agreements, visits]')
    assert len(load_content(site.content, site.root).articles) == 2


def test_translated_from_needs_the_original(site):
    site.item(2023, "visit", "zh", 'title: "甲"\ndate: 2023-02-24\ntranslated_from: en')
    assert errors_of(site) == [f"{REL}/visit.zh.md:4: translated_from: the original visit.en.md does not exist"]


def test_item_in_one_language_only_is_valid(site):
    site.item(2023, "only-zh", "zh", 'title: "甲"\ndate: 2023-02-24')
    assert [a.lang for a in load_content(site.content, site.root).articles] == ["zh"]


@pytest.mark.parametrize("name, expected", [
    ("2023/visit.fr.md", "content/news/2023/visit.fr.md:1: path: unknown language 'fr'; use one of en, zh"),
    ("2023/Visit_1.en.md", "content/news/2023/Visit_1.en.md:1: path: slug 'Visit_1' must use only a-z, 0-9 "
                           "and single hyphens, and not be a number"),
    ("2023/02.en.md", "content/news/2023/02.en.md:1: path: slug '02' must use only a-z, 0-9 and single hyphens, "
                      "and not be a number"),
    ("visit.en.md", "content/news/visit.en.md:1: path: news items live at news/<year>/<slug>.<lang>.md"),
])
def test_file_names_are_checked(site, name, expected):
    path = site.content / "news" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('---\ntitle: "T"\ndate: 2023-01-01\n---\nBody\n', encoding="utf-8")
    assert errors_of(site) == [expected]


@pytest.mark.parametrize("data, expected", [
    (b"", "1: file: is empty; a news item needs front matter and a body"),
    (b"title: T\n", "1: front matter: the file must begin with a '---' line"),
    (b"---\ntitle: T\n", "1: front matter: no closing '---' line"),
    ("---\ntitle: \"Caf\u00e9\"\n---\n".encode("cp1252"), "2: file: is not UTF-8 (byte 0xe9); save it as UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "1: file: is binary, not UTF-8 Markdown text"),
])
def test_unreadable_files(site, data, expected):
    (site.content / "news" / "2023").mkdir()
    (site.content / "news" / "2023" / "bad.en.md").write_bytes(data)
    assert errors_of(site) == [f"{REL}/bad.en.md:{expected}"]


def test_bom_and_crlf_are_read(site):
    path = site.item(2023, "bom", "en", 'title: "T"\ndate: 2023-01-01')
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    (article,) = load_content(site.content, site.root).articles
    assert article.title == "T" and "<p>Body text.</p>" in article.body_html


def test_tag_vocabulary_errors(site):
    (site.content / "tags.yaml").write_text("visits: {en: Visits}\nBad Tag: {en: X, zh: Y}\n", encoding="utf-8")
    assert errors_of(site) == [
        "content/tags.yaml:1: visits: must give a name in each of en, zh, as {en: …, zh: …}",
        "content/tags.yaml:2: Bad Tag: a tag slug uses only a-z, 0-9 and single hyphens",
    ]


def test_editor_temp_files_are_ignored(site):
    site.item(2023, "visit", "en", 'title: "T"\ndate: 2023-01-01')
    (site.content / "news" / "2023" / ".#visit.en.md").write_text("junk")
    (site.content / "news" / "2023" / "visit.en.md~").write_text("junk")
    assert len(load_content(site.content, site.root).articles) == 1


def test_raw_html_is_sanitised(site):
    site.item(2023, "x", "en", 'title: "T"\ndate: 2023-01-01',
              body='<script>alert(1)</script><img src="https://e.org/a.png" alt="A" onerror="x()"> [l](javascript:alert(1))\n\n'
                   '| a | b |\n|---|---|\n| 1 | 2 |')
    html = load_content(site.content, site.root).articles[0].body_html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert '<img src="https://e.org/a.png" alt="A">' in html and "<table>" in html


def test_a_broken_original_does_not_orphan_its_translation(site):
    site.item(2023, "visit", "en", 'title: "A"\ndate: 2023-02-30')
    site.item(2023, "visit", "zh", 'title: "甲"\ndate: 2023-02-24\ntranslated_from: en')
    assert errors_of(site) == [f"{REL}/visit.en.md:3: date: '2023-02-30' is not a valid date"]


@pytest.mark.parametrize("front, where, message", [
    ("title: Ghent University: a visit", "2: title:", 'the value holds \': \' (a colon and a space), which YAML reads as '
     'the start of another field: put it in quotes, title: "Ghent University: a visit"'),
    ("title: 'Ghent University's visit'", "2: title:", "an apostrophe inside single quotes ends the text there"),
    ("title: Partners #1", "2: title:", "'#' after a space starts a YAML comment, so the title would end at 'Partners' "
     "and lose '#1': put the title in quotes"),
    ("title:\u00a0Partners", "2: title:", "holds a non-breaking space (U+00A0) after 'title:', where YAML needs an "
     "ordinary space"),
    ('title: "P"\ntags: [visits,\u00a0agreements]', "3: tags:", "holds a non-breaking space (U+00A0) in the list"),
    ("title：“中文”", "2: title:", "is followed by a full-width colon '：'; write an ASCII colon and a space"),
    ('title:"P"', "2: title:", 'needs a space after the colon: title: "P"'),
    ('title: "P"\n  summary: x', "3: summary:", "is indented: every field starts at the beginning of its line"),
    ('title: "P"\ntags: [visits, agreements', "3: tags:", "the list opened with '[' here is never closed with ']'"),
    ('title: "P"\ntags: 【visits】', "3: tags:", "must be a list of tag slugs, not text: write it with ASCII brackets"),
    ('title: "P"\nsummary: One line\n  and: two', "4: summary:", "this line goes on with the value of the field above"),
])
def test_yaml_slips_are_said_plainly_at_their_line(site, front, where, message):
    site.item(2023, "slip", "en", front + "\ndate: 2023-01-01")
    errors = errors_of(site)
    assert any(e.startswith(f"{REL}/slip.en.md:{where} {message}") for e in errors), errors

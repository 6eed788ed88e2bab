"""Editors' commands: check, translations (and --mark), new; stale notices and links between items."""
from __future__ import annotations

from datetime import date

import pytest

from conftest import REPO
from newsarchive.cli import main


def run(site, *args):
    return main([*args, "--content", str(site.content), "--config", str(site.config)], root=REPO)


def test_check_reports_links_images_and_translations(site, capsys):
    site.pair(2023, "visit", "2023-02-24")
    site.item(2023, "links", "en", 'title: "Links"\ndate: 2023-03-01',
              body="See [the visit](visit.zh.md) and [a typo](../2023/vist.en.md).\n\n"
                   "Also [a page](/en/news/2023/visit/) and [nothing](/en/news/2023/nope/), [web](https://example.org).")
    assert run(site, "check") == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        "content/news/2023/links.en.md:1: warning: no zh translation",
        "content/news/2023/links.en.md:6: error: body: link to ../2023/vist.en.md: no such news item; did you mean "
        "'../2023/visit.en.md'?",
        "content/news/2023/links.en.md:8: error: body: link to /en/news/2023/nope/: no page of this site has that "
        "address; did you mean '/en/news/2023/'?",
        "content/news/2023/visit.zh.md:1: warning: translation records no source_digest; once it matches its "
        "original, run: .venv/bin/python build.py translations --mark content/news/2023/visit.zh.md",
    ]
    assert out.err.strip() == "2 errors, 2 warnings"


def test_images_without_alt_text_are_build_errors_that_check_reports(site, capsys):
    site.item(2023, "links", "en", 'title: "Links"\ndate: 2023-03-01',
              body='Text.\n\n![](photo.jpg)\n\n<img src="x.png">\n\n![A photo](https://example.org/ok.jpg)')
    assert run(site, "check") == 1
    assert capsys.readouterr().out.splitlines() == [
        "content/news/2023/links.en.md:8: error: body: image 'photo.jpg' has no alt text: write ![what it shows](photo.jpg)",
        "content/news/2023/links.en.md:10: error: body: image 'x.png' has no alt text: write ![what it shows](x.png)"]
    assert run(site, "build") == 1


def test_check_counts_lines_as_the_loader_does_with_old_mac_line_ends(site, capsys):
    path = site.item(2023, "cr", "en", 'title: "A"\ndate: 2023-02-24\nfoo: 1', body="Text.\n\n![](photo.jpg)")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    assert run(site, "check") == 1
    assert capsys.readouterr().out.splitlines() == [   # the body's errors come with the front matter's
        "content/news/2023/cr.en.md:4: error: foo: unknown field",
        "content/news/2023/cr.en.md:9: error: body: image 'photo.jpg' has no alt text: write ![what it shows](photo.jpg)"]
    path.write_bytes(path.read_bytes().replace(b"foo: 1\r", b""))
    assert run(site, "check") == 1
    assert capsys.readouterr().out.splitlines() == [
        "content/news/2023/cr.en.md:8: error: body: image 'photo.jpg' has no alt text: write ![what it shows](photo.jpg)"]


def test_check_reports_build_errors_with_did_you_mean_and_github_annotations(site, capsys):
    site.item(2023, "visit", "en", 'title: "A"\ndate: 2023-02-24\ntag: [visits]')
    assert run(site, "check", "--format", "github") == 1
    assert capsys.readouterr().out.splitlines() == [
        "::error file=content/news/2023/visit.en.md,line=4::tag: unknown field; did you mean 'tags'?"]


def test_links_to_content_paths_become_page_links(site):
    site.pair(2023, "visit", "2023-02-24")
    site.item(2024, "later", "en", 'title: "L"\ndate: 2024-01-01', body="[Earlier](../2023/visit.zh.md#top)")
    site.build(base_url="https://example.org/sub/")
    assert 'href="../../../../zh/news/2023/visit/#top"' in site.read("en/news/2024/later/")


def test_stale_translation_is_tracked_marked_and_shown(site, capsys):
    site.pair(2023, "visit", "2023-02-24")
    translation = site.content / "news/2023/visit.zh.md"
    assert run(site, "translations", "--mark", str(translation)) == 0
    assert "source_digest: " in translation.read_text()
    site.build()
    assert "原文在翻译之后已有更新" not in site.read("zh/news/2023/visit/")
    original = site.content / "news/2023/visit.en.md"
    original.write_text(original.read_text().replace("Body text.", "Corrected body."), encoding="utf-8")
    capsys.readouterr()
    assert run(site, "translations") == 0
    assert "  stale: content/news/2023/visit.zh.md (its original content/news/2023/visit.en.md changed" \
           in capsys.readouterr().out
    site.build()
    page = site.read("zh/news/2023/visit/")
    assert "本文的英文原文在翻译之后已有更新。" in page and 'href="/en/news/2023/visit/" hreflang="en">阅读原文' in page
    assert run(site, "translations", "--mark", str(translation)) == 0
    site.build()
    assert "原文在翻译之后已有更新" not in site.read("zh/news/2023/visit/")


def test_translations_lists_missing_languages_per_year(site, capsys):
    site.item(2022, "old", "zh", 'title: "旧"\ndate: 2022-01-01')
    site.item(2023, "new", "en", 'title: "New"\ndate: 2023-01-01')
    assert run(site, "translations") == 0
    assert capsys.readouterr().out.splitlines() == [
        "2023", "  missing zh: content/news/2023/new.en.md (New)",
        "2022", "  missing en: content/news/2022/old.zh.md (旧)",
        "2 missing translations, 0 stale, 0 untracked"]


def test_mark_keeps_crlf_and_replaces_an_old_digest(site):
    site.pair(2023, "visit", "2023-02-24")
    path = site.content / "news/2023/visit.zh.md"
    path.write_bytes(path.read_bytes().replace(b"translated_from: en\n", b"translated_from: en\nsource_digest: \""
                                               b"0000000000000000\"\n").replace(b"\n", b"\r\n"))
    assert run(site, "translations", "--mark", str(path)) == 0
    data = path.read_bytes()
    assert data.count(b"source_digest:") == 1 and b"0000000000000000" not in data
    assert data.count(b"\r\n") == data.count(b"\n")   # every line end is still CRLF


def test_new_writes_a_draft_that_cannot_go_live_with_its_placeholders(site, capsys):
    assert run(site, "new", "--title", "Délégation from Ghent visits CQU", "--date", "2024-05-06",
               "--tags", "visits", "--countries", "BE,NL") == 0
    en = site.content / "news/2024/delegation-from-ghent-visits-cqu.en.md"
    assert "draft: true" in en.read_text() and "countries: [BE, NL]" in en.read_text()
    assert not en.with_name(en.name.replace(".en.", ".zh.")).exists()   # a translation is started from it later
    site.build()
    assert not (site.output / "en/news/2024/delegation-from-ghent-visits-cqu/index.html").exists()   # a draft
    capsys.readouterr()
    assert run(site, "check") == 0
    en.write_text(en.read_text().replace("draft: true", "# draft: true"), encoding="utf-8")   # published as it is
    assert run(site, "check") == 1
    assert ("content/news/2024/delegation-from-ghent-visits-cqu.en.md:14: error: body: still holds the placeholder "
            "'TODO: write the news item here.' that build.py new wrote") in capsys.readouterr().out
    assert run(site, "build") == 1
    en.write_text(en.read_text().replace("TODO: write the news item here.", "The delegation visited."), encoding="utf-8")
    assert run(site, "check") == 0
    assert run(site, "new", "--title", "Délégation from Ghent visits CQU", "--date", "2024-05-06") == 1
    assert "not overwriting" in capsys.readouterr().err


def test_a_translation_starts_from_its_original(site, capsys):
    from photos import save_pattern
    site.item(2024, "ghent", "en", 'title: "Ghent delegation"\ndate: 2024-05-06 10:00\ntags: [visits]\n'
                                   'countries: [BE]\nsummary: "They came."\nimage: p.png\nimage_alt: "The delegation"',
              "The delegation visited the campus.")
    save_pattern(site.content / "news/2024/ghent/p.png", (500, 300))
    assert run(site, "new", "--translate", "ghent", "--lang", "zh") == 0
    zh = site.content / "news/2024/ghent.zh.md"
    text = zh.read_text()
    assert "translated_from: en" in text and "draft: true" in text and 'source_digest: "' in text
    assert "TODO: translate from English: Ghent delegation" in text and "The delegation visited the campus." in text
    assert "date:" not in text and "tags:" not in text   # taken from the original
    site.build()   # a draft is no page
    assert not (site.output / "zh/news/2024/ghent/index.html").exists()
    zh.write_text("---\ntitle: \"根特代表团来访\"\ntranslated_from: en\n" + text.split("translated_from: en\n", 1)[1]
                  .replace("draft: true", "").replace("TODO: translate from English: They came.", "他们来了。")
                  .replace("TODO: translate from English: The delegation", "代表团")
                  .replace("TODO: translate from English: replace the text below with its translation.\n\n", "")
                  .replace("The delegation visited the campus.", "代表团参观了校园。"), encoding="utf-8")
    capsys.readouterr()
    assert run(site, "check") == 0, capsys.readouterr().out
    site.build()
    page = site.read("zh/news/2024/ghent/")
    assert "2024年5月6日 10:00" in page and 'alt="代表团"' in page and "来访" in page
    assert run(site, "translations") == 0 and "0 missing translations, 0 stale, 0 untracked" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--title", "比利时大使来访", "--lang", "zh"], "has no Latin letters to make a slug from; give one with --slug"),
    (["--title", "X", "--tags", "visit"], "unknown tag 'visit'; did you mean 'visits'?"),
    (["--title", "X", "--countries", "be"], "unknown country code 'be'; did you mean 'BE'?"),
    (["--translate", "gent", "--lang", "zh"], "there is no item 'gent'; did you mean 'ghent'?"),
])
def test_new_refuses_what_would_be_invalid(site, capsys, args, message):
    site.item(2024, "ghent", "en", 'title: "Ghent delegation"\ndate: 2024-05-06')
    assert run(site, "new", *args) == 1
    assert message in capsys.readouterr().err


def test_new_chinese_only_with_slug(site):
    assert run(site, "new", "--title", "比利时大使来访", "--lang", "zh", "--slug", "belgian-ambassador") == 0
    assert (site.content / f"news/{date.today().year}/belgian-ambassador.zh.md").exists()
    assert not (site.content / f"news/{date.today().year}/belgian-ambassador.en.md").exists()


def test_a_stale_translation_shows_what_changed_in_its_original(site, capsys):
    import subprocess

    def git(*args):
        subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=site.root, check=True,
                       capture_output=True)

    site.pair(2023, "visit", "2023-02-24")
    translation, original = site.content / "news/2023/visit.zh.md", site.content / "news/2023/visit.en.md"
    assert run(site, "translations", "--mark", str(translation)) == 0
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "translated")
    original.write_text(original.read_text().replace("Body text.", "Body text.\n\nA second paragraph."), encoding="utf-8")
    git("commit", "-qam", "the original grew")
    original.write_text(original.read_text().replace('"English visit"', '"English visit, corrected"'), encoding="utf-8")
    capsys.readouterr()
    assert run(site, "translations") == 0
    out = capsys.readouterr().out
    assert "      -English visit" in out and "      +English visit, corrected" in out and "      +A second paragraph." in out
    assert run(site, "check", "--format", "github") == 0
    annotation = next(line for line in capsys.readouterr().out.splitlines() if "stale translation" in line)
    assert annotation.startswith("::warning file=content/news/2023/visit.zh.md,line=1::") and "%0A+A second paragraph." in annotation

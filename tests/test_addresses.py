"""Published addresses: a project site under a sub-path works end to end, and no address the site
published disappears silently (moves keep old addresses, removals leave notices, check --since
names what vanished), and feed entries keep their identity when an item moves."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import feedparser
import pytest
from lxml import html as lxml_html

from conftest import CHROMIUM, REPO, SAMPLE, SAMPLE_CONFIG, _free_port, need_tool
from newsarchive.cli import main
from newsarchive.serve import serve_in_thread


def run(*args, root=REPO):
    return main([str(a) for a in args], root=root)


def test_a_project_site_under_a_sub_path_passes_the_site_checks_and_searches_in_chromium(tmp_path, browser):
    """The README's project-site form: built, checked by .ci/check-site (W3C, lychee as the host
    serves it) and served under /news-archive/, where search works and results lead to pages."""
    need_tool("java")
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    (content / "news/2024").mkdir()
    (content / "news/2024/linking.en.md").write_text(
        '---\ntitle: "Links written as site addresses"\ndate: 2024-01-01\n---\n\n'
        "See [the visit](/en/news/2023/cqu-belgian-ambassador-visit/) and [the news](/en/news/).\n", encoding="utf-8")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/news-archive"   # without its trailing slash, as users write it
    host = tmp_path / "host"
    env = {**os.environ, "CONTENT": str(content), "CONFIG": str(SAMPLE_CONFIG), "OUTPUT": str(host / "news-archive")}
    done = subprocess.run(["bash", str(REPO / ".ci/check-site"), base], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    page_html = (host / "news-archive/en/news/2024/linking/index.html").read_text(encoding="utf-8")
    assert 'href="/news-archive/en/news/2023/cqu-belgian-ambassador-visit/"' in page_html
    # the link check sees what the host sees: a link without the base path is broken
    (host / "news-archive/en/index.html").write_text(page_html.replace("</main>", '<a href="/en/news/">x</a></main>'),
                                                    encoding="utf-8")
    broken = subprocess.run(["bash", str(REPO / ".ci/check-links"), str(host / "news-archive"), base],
                            capture_output=True, text=True)
    assert broken.returncode != 0 and "/en/news" in broken.stdout + broken.stderr
    server = serve_in_thread(host, port=port)
    context = browser.new_context()
    tab = context.new_page()
    failures = []
    tab.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    try:
        tab.goto(f"{base}/zh/search/?q=比利时")
        tab.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        links = tab.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.pathname)")
        assert links and all(link.startswith("/news-archive/") for link in links), links
        tab.click(".pagefind-ui__result-link")
        tab.wait_for_url(f"{base}/**")
        assert tab.locator("h1").inner_text() and failures == [], failures
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_site_addresses_in_a_body_carry_the_base_path(site):
    site.pair(2023, "visit", "2023-01-01")
    site.item(2024, "links", "en", 'title: "Links"\ndate: 2024-01-01',
              "[a](/en/news/2023/visit/) [b](/sub/en/news/) [c](//example.org/x) [d](https://example.org/)")
    site.build(base_url="https://example.org/sub/")
    hrefs = lxml_html.fromstring(site.read("en/news/2024/links/")).xpath("//div[@class='article-body']//a/@href")
    assert hrefs == ["/sub/en/news/2023/visit/", "/sub/en/news/", "//example.org/x", "https://example.org/"]


def feed_entries(site, lang="en"):
    feed = feedparser.parse((site.output / lang / "feed.xml").read_bytes())
    return {entry.id: entry.title for entry in feed.entries}


def test_a_moved_item_keeps_its_old_address_and_its_feed_entry(site, capsys):
    site.pair(2023, "visit", "2023-01-01", countries="[BE]")
    site.pair(2023, "other", "2023-03-01")
    (site.content / "news/2023/visit").mkdir()
    (site.content / "news/2023/visit/agreement.pdf").write_bytes(b"%PDF-1.4\n")
    site.item(2023, "other", "en", 'title: "English other"\ndate: 2023-03-01',
              "[the visit](../2023/visit.en.md) and [the agreement](../2023/visit/agreement.pdf)")
    site.build()
    before = feed_entries(site)
    assert run("move", "--content", site.content, "--config", site.config, "2023/visit", "2024/the-visit",
               "--date", "2024-01-01") == 0
    out = capsys.readouterr().out
    assert "old address /en/news/2023/visit/ kept" in out and "relinked" in out
    assert not (site.content / "news/2023/visit.en.md").exists() and (site.content / "news/2024/the-visit/agreement.pdf").exists()
    assert run("check", "--content", site.content, "--config", site.config) == 0
    site.build()
    old = lxml_html.fromstring(site.read("en/news/2023/visit/"))
    assert old.xpath("//meta[@http-equiv='refresh']/@content") == ["0; url=/en/news/2024/the-visit/"]
    assert old.xpath("//link[@rel='canonical']/@href") == ["https://example.org/en/news/2024/the-visit/"]
    assert old.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert "English visit" in site.read("en/news/2024/the-visit/")
    assert "redirect" not in site.read("sitemap.xml") and "2023/visit/" not in site.read("sitemap.xml")
    assert feed_entries(site) == before   # the same entries, the same ids: nothing new to a feed reader
    assert 'href="../../../../en/news/2024/the-visit/"' in site.read("en/news/2023/other/")
    # the month it left has no item now: its page leads to the year, which still has one
    assert "url=/en/news/2023/" in site.read("en/news/2023/01/")
    assert '"/en/news/2023/01/": "/en/news/2023/"' in (site.content / "redirects.yaml").read_text()


def test_a_move_to_another_year_needs_the_date_there(site, capsys):
    site.pair(2023, "visit", "2023-01-01")
    assert run("move", "--content", site.content, "--config", site.config, "2023/visit", "2024/visit") == 2
    assert "give its date there with --date 2024-MM-DD" in capsys.readouterr().err
    assert (site.content / "news/2023/visit.en.md").exists()


@pytest.fixture
def committed(site):
    """A tiny archive in git, one item the only one about Japan; published as its first commit."""
    site.pair(2023, "visit", "2023-01-01", countries="[BE]", tags="[visits]")
    site.pair(2022, "japan", "2022-05-01", countries="[JP]", tags="[visits]")

    def git(*args):
        subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=site.root, check=True,
                       capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "published")
    site.git = git
    return site


def test_check_since_names_every_address_an_item_deleted_by_hand_took_away(committed, capsys):
    site = committed
    for lang in ("en", "zh"):
        (site.content / f"news/2022/japan.{lang}.md").unlink()
    assert run("check", "--content", site.content, "--config", site.config, "--since", "HEAD") == 1
    out = capsys.readouterr().out
    for address in ("/en/news/2022/japan/", "/zh/news/2022/japan/", "/en/countries/jp/", "/zh/countries/jp/feed.xml",
                    "/en/news/2022/", "/en/news/2022/05/"):
        assert f"{address} " in out, address
    assert "/en/tags/visits/" not in out    # the other item keeps it
    assert "build.py remove" in out and "redirects.yaml" in out


def test_remove_keeps_every_address_as_a_notice_or_a_redirect(committed, capsys):
    site = committed
    assert run("remove", "--content", site.content, "--config", site.config, "2022/japan") == 0
    assert "redirects.yaml" in capsys.readouterr().out
    assert not (site.content / "news/2022/japan.en.md").exists()
    assert run("check", "--content", site.content, "--config", site.config, "--since", "HEAD") == 0
    site.build()
    for lang, text in (("en", "removed from the archive"), ("zh", "已从档案中删除")):
        notice = site.read(f"{lang}/news/2022/japan/")
        assert text in notice and '<meta name="robots" content="noindex">' in notice
        assert f"url=/{lang}/countries/" in site.read(f"{lang}/countries/jp/")
    capsys.readouterr()
    site.git("add", "-A")
    site.git("commit", "-qm", "removed")
    site.pair(2023, "visit", "2023-01-01", tags="[visits]")   # no item names Belgium any more
    assert run("check", "--content", site.content, "--config", site.config, "--since", "HEAD") == 1
    assert "/en/countries/be/ (country) was published and is gone" in capsys.readouterr().out


def test_old_addresses_that_lead_nowhere_or_take_a_page_are_errors(site, capsys, monkeypatch):
    site.pair(2023, "visit", "2023-01-01")
    site.item(2023, "other", "en", 'title: "Other"\ndate: 2023-02-01\naliases: ["/en/news/2023/visit/"]')
    (site.content / "redirects.yaml").write_text(
        '"/en/news/2019/gone/": "/en/news/2019/nowhere/"\n"/en/tags/": removed\n"/en/x?y": removed\n', encoding="utf-8")
    monkeypatch.chdir(site.root)
    assert run("build", "--content", site.content, "--config", site.config, "--output", site.output, "--no-cache") == 1
    err = capsys.readouterr().err
    assert "content/news/2023/other.en.md:4: aliases: /en/news/2023/visit/ is the address of content/news/2023/visit.en.md" in err
    assert "content/redirects.yaml:3: /en/x?y: '/en/x?y' is not an address of this site" in err
    os.remove(site.content / "news/2023/other.en.md")
    (site.content / "redirects.yaml").write_text('"/en/news/2019/gone/": "/en/news/2019/nowhere/"\n"/en/tags/": removed\n',
                                                 encoding="utf-8")
    assert run("build", "--content", site.content, "--config", site.config, "--output", site.output, "--no-cache") == 1
    err = capsys.readouterr().err
    assert "content/redirects.yaml:1: /en/news/2019/gone/: leads to /en/news/2019/nowhere/, which is no page" in err
    assert "content/redirects.yaml:2: /en/tags/: /en/tags/ is the address of a page of this site (tags)" in err

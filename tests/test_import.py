"""build.py import: article pages (one in GBK) paired by hreflang, a feed with a summary-only entry
and a duplicate id, WordPress exports from WPML and Polylang with attachments, captions, drafts and
pages, served by a local HTTP server. The archive made only by importing builds, with both
languages paired, photos processed and old addresses redirecting; a second import does nothing."""
from __future__ import annotations

import io

import pytest
from lxml import html as lxml_html

from newsarchive.cli import main
from newsarchive.serve import serve_in_thread

EN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Belgian ambassador visits - International Office</title>
<meta property="og:title" content="Belgian Ambassador Visits the University">
<meta property="og:site_name" content="International Office">
<meta property="article:published_time" content="2023-02-24T10:30:00+08:00">
<link rel="canonical" href="{base}en/news/belgian-ambassador-visits.html">
<link rel="alternate" hreflang="zh-CN" href="{base}zh/news/belgian-ambassador-visits.html"></head>
<body><nav><a href="/">Home</a> &gt; <a href="/news/">Spot News</a></nav><div class="crumbs">Spot News / Home &gt; Spot News &gt; Content</div>
<article><h1>Belgian Ambassador Visits the University</h1>
<p>On 24 February, Dr Jan Hoogmartens, Ambassador of Belgium to China, and his delegation visited the university.
The president met the guests, and both sides discussed cooperation between universities of the two countries.</p>
<figure><img src="/images/visit.jpg" alt="The ambassador and the president"><figcaption>The ambassador meets the president</figcaption></figure>
<p>They also talked about student exchange, joint research and training. After the meeting the delegation
visited the library and the laboratories of the university, and met students from Belgium.</p></article>
<aside class="related"><h3>Related news</h3><ul><li><a href="/x">Other news</a></li></ul></aside>
<div class="share">Share: WeChat Weibo</div><footer>Copyright</footer></body></html>"""

ZH_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="gbk">
<title>比利时驻华大使来访 - 国际交流处</title>
<meta property="article:published_time" content="2023-02-24T10:30:00+08:00">
<meta property="og:site_name" content="国际交流处">
<link rel="canonical" href="{base}zh/news/belgian-ambassador-visits.html">
<link rel="alternate" hreflang="en" href="{base}en/news/belgian-ambassador-visits.html"></head>
<body><nav><a href="/">首页</a> &gt; <a href="/news/">新闻</a></nav>
<article><h1>比利时驻华大使来访</h1><p class="date">2023-02-24</p>
<p>2月24日，比利时驻华大使扬·霍赫马滕斯博士一行访问我校。校长会见了来宾，双方就两国高校之间的国际合作与交流进行了深入讨论。</p>
<figure><img src="/images/visit.jpg" alt="大使与校长合影"><figcaption>大使与校长会面</figcaption></figure>
<p>双方还就学生交流、联合研究和人才培养等议题交换了意见。会后，大使一行参观了学校图书馆和实验室，并与比利时留学生座谈。</p>
</article><div class="share">分享到：微信 微博</div><footer>版权所有</footer></body></html>"""

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>International Office news</title><language>en</language>
<item><title>Agreement signed with KU Leuven</title><guid>urn:news:1</guid><link>{base}en/news/leuven.html</link>
<pubDate>Mon, 06 Mar 2023 09:00:00 GMT</pubDate><category>Agreements</category>
<description><![CDATA[<p>The university signed a cooperation agreement with KU Leuven in Belgium on 6 March. The
agreement covers student exchange, joint supervision of doctoral students and joint research in engineering,
and it will run for five years. Both universities will set up a committee to follow its work and meet every
year. The agreement follows two years of talks between the two international offices, and the first students
will take part in the exchange from September.</p><script>alert(1)</script>]]></description></item>
<item><title>Summary only</title><guid>urn:news:2</guid><link>{base}en/news/belgian-ambassador-visits.html</link>
<pubDate>Fri, 24 Feb 2023 02:30:00 GMT</pubDate><description>A short summary.</description></item>
<item><title>Duplicate</title><guid>urn:news:1</guid><link>{base}en/news/other.html</link>
<pubDate>Mon, 06 Mar 2023 09:00:00 GMT</pubDate><description>Same id again.</description></item>
</channel></rss>"""

WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old news site</title><link>{base}</link><wp:base_site_url>{base}</wp:base_site_url>
{items}
</channel></rss>"""

POST = """<item><title>{title}</title><link>{base}{path}</link>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date>2022-05-10 09:00:00</wp:post_date>
<wp:post_date_gmt>2022-05-10 01:00:00</wp:post_date_gmt><wp:post_name>{name}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_type>{kind}</wp:post_type><wp:post_parent>0</wp:post_parent>
<category domain="category" nicename="visits"><![CDATA[Visits]]></category>
<category domain="post_tag" nicename="misc"><![CDATA[Misc]]></category>
{extra}</item>"""

ATTACHMENT = """<item><title>{name}</title><link>{base}?attachment_id={id}</link>
<wp:post_id>{id}</wp:post_id><wp:post_parent>{parent}</wp:post_parent><wp:status>inherit</wp:status>
<wp:post_type>attachment</wp:post_type><wp:attachment_url>{base}wp-content/uploads/{folder}/{name}</wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value>{alt}</wp:meta_value></wp:postmeta></item>"""


def _meta(key, value):
    return f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value>{value}</wp:meta_value></wp:postmeta>"


def _photo(path, colour):
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())


def _wxr(base, plugin):
    body = ('[caption id="attachment_11" align="aligncenter" width="900"]<img src="{base}wp-content/uploads/2022/05/'
            'photo.jpg" alt="{alt}"> {caption}[/caption]\n\n{text}')
    en_text = ("Professor Zoë Van Acker of Ghent University led a delegation from Belgium to the university to "
               "discuss exchange.\n\nThe visit ended with a plan for joint courses.")
    zh_text = "根特大学佐伊·范阿克教授率比利时代表团访问我校，商讨交流事宜。\n\n访问结束时双方制定了联合课程计划。"
    if plugin == "wpml":
        extra_en = _meta("_wpml_import_language_code", "en") + _meta("_wpml_import_translation_group", "77") + \
            _meta("_thumbnail_id", "11")
        extra_zh = _meta("_wpml_import_language_code", "zh-hans") + _meta("_wpml_import_translation_group", "77")
    else:
        group = '<category domain="post_translations" nicename="pll_1"><![CDATA[a:2:{s:2:"en";i:10;s:2:"zh";i:20;}]]></category>'
        extra_en = '<category domain="language" nicename="en"><![CDATA[English]]></category>' + group
        extra_zh = '<category domain="language" nicename="zh"><![CDATA[中文]]></category>' + group
    items = [
        POST.format(title="Ghent delegation visits", base=base, path="2022/05/10/ghent-delegation/", id=10,
                    name="ghent-delegation", status="publish", kind="post", extra=extra_en,
                    body=body.format(base=base, alt="Guests from Ghent", caption="The delegation arrives", text=en_text)),
        POST.format(title="根特大学代表团来访", base=base, path="zh/2022/05/10/ghent-delegation-zh/", id=20,
                    name="ghent-delegation-zh", status="publish", kind="post", extra=extra_zh,
                    body=body.format(base=base, alt="根特来宾", caption="代表团抵达", text=zh_text)),
        ATTACHMENT.format(base=base, id=11, parent=10, folder="2022/05", name="photo.jpg", alt="Guests from Ghent"),
        # the same file name in another post's folder never overwrites this one's
        POST.format(title="A draft about exchange", base=base, path="?p=30", id=30, name="draft", status="draft",
                    kind="post", extra=_meta("_wpml_import_language_code", "en") if plugin == "wpml" else
                    '<category domain="language" nicename="en"><![CDATA[English]]></category>',
                    body="Students from Belgium will come in September.\n\n<img src=\"" + base +
                         "wp-content/uploads/2022/06/photo.jpg\" alt=\"Students\">"),
        POST.format(title="About us", base=base, path="about/", id=40, name="about", status="publish", kind="page",
                    extra="", body="A page."),
    ]
    return WXR.format(base=base, items="\n".join(items))


@pytest.fixture
def old_site(tmp_path):
    """The old sites, served: pages in both languages (Chinese in GBK), a feed, two WordPress exports
    and their uploads, photos made by Pillow (test cards, not news photos)."""
    root = tmp_path / "old"
    server = serve_in_thread(root.mkdir() or root)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    (root / "en/news").mkdir(parents=True)
    (root / "zh/news").mkdir(parents=True)
    (root / "en/news/belgian-ambassador-visits.html").write_text(EN_PAGE.format(base=base), encoding="utf-8")
    (root / "zh/news/belgian-ambassador-visits.html").write_bytes(ZH_PAGE.format(base=base).encode("gbk"))
    _photo(root / "images/visit.jpg", (40, 90, 160))
    _photo(root / "wp-content/uploads/2022/05/photo.jpg", (160, 90, 40))
    _photo(root / "wp-content/uploads/2022/06/photo.jpg", (40, 160, 90))
    (root / "feed.xml").write_text(FEED.format(base=base), encoding="utf-8")
    (root / "wpml.xml").write_text(_wxr(base, "wpml"), encoding="utf-8")
    (root / "polylang.xml").write_text(_wxr(base, "polylang"), encoding="utf-8")
    (root / "pages.txt").write_text(f"{base}en/news/belgian-ambassador-visits.html\n"
                                    f"{base}zh/news/belgian-ambassador-visits.html\n", encoding="utf-8")
    yield type("Old", (), {"base": base, "root": root})
    server.shutdown()
    server.server_close()


def _import(site, *args, capsys):
    code = main(["import", "--content", str(site.content), "--config", str(site.config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_pages_are_imported_paired_with_their_photos_and_build(site, old_site, capsys):
    code, out, _ = _import(site, old_site.base + "pages.txt", capsys=capsys)
    assert code == 0, out
    en = (site.content / "news/2023/belgian-ambassador-visits.en.md").read_text(encoding="utf-8")
    zh = (site.content / "news/2023/belgian-ambassador-visits.zh.md").read_text(encoding="utf-8")
    assert 'title: "Belgian Ambassador Visits the University"' in en and "date: 2023-02-24T10:30+08:00" in en
    assert "draft: true" in en and 'source: "International Office"' in en
    assert f'source_url: "{old_site.base}en/news/belgian-ambassador-visits.html"' in en
    assert "countries: [BE, CN]" in en and "countries: [BE, CN]" in zh   # suggested, the same in both
    assert "image: visit.jpg" in en and 'image_caption: "The ambassador meets the president"' in en
    assert 'image_caption: "大使与校长会面"' in zh
    for text in (en, zh):   # main text only: no menus, breadcrumbs, share buttons or related boxes
        assert "Spot News" not in text and "Share" not in text and "分享" not in text and "Related" not in text
    assert "霍赫马滕斯" in zh and "2023-02-24\n" not in zh.split("---", 2)[2]   # GBK read; the date line gone
    assert (site.content / "news/2023/belgian-ambassador-visits/visit.jpg").is_file()
    assert "new: news/2023/belgian-ambassador-visits.en.md" in out
    site.build(drafts=True)
    page = lxml_html.fromstring(site.read("zh/news/2023/belgian-ambassador-visits/"))
    assert page.xpath("//link[@hreflang='en']/@href")   # paired
    assert page.xpath("//*[contains(@class,'lead-photo')]//img")
    # a second run writes nothing
    code, out, _ = _import(site, old_site.base + "pages.txt", capsys=capsys)
    assert "wrote 0 new items, updated 0, 2 unchanged, 0 conflicts" in out


def test_an_edited_item_is_never_overwritten_and_a_changed_source_updates_the_others(site, old_site, capsys):
    _import(site, old_site.base + "pages.txt", capsys=capsys)
    en = site.content / "news/2023/belgian-ambassador-visits.en.md"
    en.write_text(en.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    for lang in ("en", "zh"):
        page = old_site.root / f"{lang}/news/belgian-ambassador-visits.html"
        page.write_bytes(page.read_bytes().replace(b"</article>", "<p>补充。Added.</p></article>".encode("gbk")))
    code, out, _ = _import(site, old_site.base + "pages.txt", capsys=capsys)
    assert "updated: news/2023/belgian-ambassador-visits.zh.md" in out
    assert "conflict: news/2023/belgian-ambassador-visits.en.md: edited here" in out
    assert "draft: false" in en.read_text(encoding="utf-8")


def test_a_feed_takes_full_entries_and_fetches_summary_only_ones_once(site, old_site, capsys):
    code, out, _ = _import(site, old_site.base + "feed.xml", capsys=capsys)
    assert code == 0
    leuven = (site.content / "news/2023/leuven.en.md").read_text(encoding="utf-8")
    assert "KU Leuven in Belgium" in leuven and "<script>" not in leuven and "alert" not in leuven
    assert "tags to map in content/import-tags.yaml: Agreements" in out
    assert "urn:news:1" in out and "another entry's too" in out   # the duplicate id, named
    visit = (site.content / "news/2023/belgian-ambassador-visits.en.md").read_text(encoding="utf-8")
    assert "delegation visited the university" in visit   # from the linked page, not the summary
    # map the tag, and a second run takes only what is new: nothing
    (site.content / "import-tags.yaml").write_text('"Agreements": agreements\n', encoding="utf-8")
    code, out, _ = _import(site, old_site.base + "feed.xml", capsys=capsys)
    assert "wrote 0 new items" in out
    site.build(drafts=True)


@pytest.mark.parametrize("plugin", ["wpml", "polylang"])
def test_a_wordpress_export_is_paired_and_its_old_addresses_redirect(site, old_site, plugin, capsys):
    (site.content / "import-tags.yaml").write_text('"Visits": visits\n"Misc": "-"\n', encoding="utf-8")
    code, out, _ = _import(site, old_site.base + f"{plugin}.xml", capsys=capsys)
    assert code == 0, out
    en = (site.content / "news/2022/ghent-delegation.en.md").read_text(encoding="utf-8")
    zh = (site.content / "news/2022/ghent-delegation.zh.md").read_text(encoding="utf-8")
    assert "tags: [visits]" in en and "tags: [visits]" in zh
    assert 'aliases: ["/2022/05/10/ghent-delegation/"]' in en and 'aliases: ["/zh/2022/05/10/ghent-delegation-zh/"]' in zh
    assert "image: photo.jpg" in en and 'image_caption: "The delegation arrives"' in en
    assert "[caption" not in en + zh and "Zoë Van Acker" in en
    draft = next(p for p in (site.content / "news/2022").glob("*.en.md") if "draft" in p.name or "exchange" in p.name)
    text = draft.read_text(encoding="utf-8")
    assert "draft: true" in text and "photo.jpg" in text
    assert "About us" in out and "not a news item" in out   # the page is reported, not imported
    assert "names 'Ghent University', not in institutions.yaml; to add it: ghent-university:" in out
    assert "names '根特大学', not in institutions.yaml" in out
    site.build(drafts=True)
    old = site.read("2022/05/10/ghent-delegation/")
    assert "en/news/2022/ghent-delegation/" in old   # the old WordPress address leads to the new one
    assert lxml_html.fromstring(site.read("en/news/2022/ghent-delegation/")).xpath("//link[@hreflang='zh']")
    code, out, _ = _import(site, old_site.base + f"{plugin}.xml", capsys=capsys)
    assert "wrote 0 new items, updated 0" in out


def test_bad_inputs_are_named_and_the_rest_is_imported(site, old_site, capsys, tmp_path):
    (old_site.root / "broken.xml").write_text('<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/">'
                                              "<channel><item>", encoding="utf-8")
    (old_site.root / "empty.html").write_text("<!doctype html><html><body><nav>menu</nav></body></html>",
                                              encoding="utf-8")
    (old_site.root / "images/visit.jpg").write_bytes(b"<html>not a photo</html>")
    code, out, _ = _import(site, old_site.base + "broken.xml", old_site.base + "empty.html",
                           old_site.base + "missing.html", old_site.base + "pages.txt", capsys=capsys)
    assert code == 0
    assert "broken.xml: not a WordPress export that can be read" in out
    assert "empty.html: no article found" in out and "missing.html: cannot download" in out
    assert "photo" in out and "not a photo that can be read" in out
    assert (site.content / "news/2023/belgian-ambassador-visits.en.md").is_file()
    assert not list(site.content.rglob("*.importing"))
    site.build(drafts=True)


def test_a_dry_run_writes_nothing(site, old_site, capsys):
    code, out, _ = _import(site, old_site.base + "pages.txt", "--dry-run", capsys=capsys)
    assert code == 0 and "would write 2 new items" in out
    assert not (site.content / "news/2023").exists() and not (site.content / "imports.yaml").exists()


def test_a_page_on_the_web_cannot_make_the_import_read_local_files(site, old_site, capsys, tmp_path):
    secret = tmp_path / "secret.jpg"
    _photo(secret, (1, 2, 3))
    page = old_site.root / "en/news/belgian-ambassador-visits.html"
    page.write_text(page.read_text(encoding="utf-8").replace('src="/images/visit.jpg"', f'src="file://{secret}"'),
                    encoding="utf-8")
    code, out, _ = _import(site, old_site.base + "en/news/belgian-ambassador-visits.html", capsys=capsys)
    assert "cannot name a file on this machine" in out
    assert not list(site.content.rglob("*.jpg"))

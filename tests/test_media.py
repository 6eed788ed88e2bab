"""Photos and documents of news items: processing, markup, publishing, caching and errors."""
from __future__ import annotations

import json
import re
import shutil

import pytest
from lxml import html as lxml_html
from PIL import Image

from conftest import REPO, snapshot
from newsarchive.cli import main
from newsarchive.pipeline import Builder
from photos import GPS_TEXT, make_bad_files, make_photos

BODY = """The delegation arrived in the morning.

![The delegation at the gate](orient6.jpg "Guests at the east gate")

A scan with GPS tags ![a small inline scan](gps.jpg) sits inside this sentence.

![CMYK print scan](cmyk.jpg)

![Logo with transparency](alpha.png "A logo")

![A 16-bit grey card](deep.png)

![The first frame of an animation](animated.gif)

![A tiny icon](tiny.png)

![A very large photo](photo-folder/big.jpg)

![Turned the other way](orient8.jpg)

Read [the agreement](agreement.pdf) or see [the full-size photo](gps.jpg)."""


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    """A bilingual item whose media folder holds every awkward kind of photo, built once."""
    from conftest import TinySite
    site = TinySite(tmp_path_factory.mktemp("photos"))
    media = site.content / "news" / "2023" / "photo-folder"
    make_photos(media)
    (media / "agreement.pdf").write_bytes(b"%PDF-1.4\n% test document\n")
    (media / "unused.jpg").write_bytes((media / "tiny.png").read_bytes())
    lead = ('image: orient6.jpg\nimage_alt: "The delegation at the gate"\nimage_caption: "Guests arrive"\n'
            'image_credit: "Test card"')
    site.item(2023, "photo-folder", "en", f'title: "Photos"\ndate: 2023-05-10 09:30\n{lead}', body=BODY)
    site.item(2023, "photo-folder", "zh", f'title: "照片"\ndate: 2023-05-10 09:30\ntranslated_from: en\n{lead}',
              body=BODY)
    builder = Builder(site.project, site.output, cache_file=site.root / "cache" / "content.json")
    site.first = builder.build(search=False)
    site.second = builder.build(search=False)
    site.builder = builder
    return site


def _page(site, url):
    return lxml_html.fromstring(site.read(url))


def _published(site) -> list:
    return sorted(p for p in (site.output / "media").rglob("*") if p.is_file())


def test_every_photo_is_published_oriented_stripped_and_in_srgb(photo_site):
    files = _published(photo_site)
    photos = [p for p in files if p.suffix in (".webp", ".jpg", ".png")]
    assert photos
    for path in photos:
        with Image.open(path) as im:
            assert im.mode in ("RGB", "RGBA"), path
            assert not im.getexif() and "icc_profile" not in im.info and "exif" not in im.info, path
        assert GPS_TEXT not in path.read_bytes()
    def size(stem):
        (path,) = [p for p in photos if p.name.startswith(stem) and p.suffix == ".jpg" and "-400." in p.name]
        return Image.open(path).size
    assert size("orient6.") == (400, 600) and size("orient8.") == (400, 600)   # turned upright: portrait
    def colour(stem, xy):   # the test card: red left half, blue right half, white bar on top
        path = next(p for p in photos if p.name.startswith(stem) and p.name.endswith("-400.jpg"))
        r, g, b = Image.open(path).convert("RGB").getpixel(xy)
        return "white" if min(r, g, b) > 200 else "red" if r > 150 else "blue" if b > 150 else (r, g, b)
    # orientation 6 is turned clockwise: the top bar goes right, the red half to the top
    assert (colour("orient6.", (150, 100)), colour("orient6.", (150, 500)), colour("orient6.", (396, 300))) == (
        "red", "blue", "white")
    # orientation 8 is turned anticlockwise: the bar goes left, the red half to the bottom
    assert (colour("orient8.", (200, 100)), colour("orient8.", (200, 500)), colour("orient8.", (3, 300))) == (
        "blue", "red", "white")
    deep = next(p for p in photos if p.name.startswith("deep.") and p.suffix == ".jpg")
    assert 110 < Image.open(deep).convert("L").getpixel((10, 10)) < 146    # 16-bit half grey stays half grey
    assert any(p.name.startswith("alpha.") and p.suffix == ".png" for p in photos)   # transparency kept
    assert not any(p.name.startswith("alpha.") and p.suffix == ".jpg" for p in photos)
    assert [p.name for p in photos if p.name.startswith("tiny.")] == sorted(
        p.name for p in photos if p.name.startswith("tiny.") and "-12." in p.name)   # never upscaled
    big = sorted(int(re.search(r"-(\d+)\.jpg$", p.name)[1]) for p in photos if p.name.startswith("big.") and p.suffix == ".jpg")
    assert big == [400, 800, 1200, 1600]
    with Image.open(next(p for p in photos if p.name.startswith("animated."))) as im:
        assert getattr(im, "n_frames", 1) == 1


def test_originals_and_unused_files_are_not_published_and_documents_are_as_they_are(photo_site):
    names = [p.name for p in _published(photo_site)]
    assert "gps.jpg" not in names and "orient6.jpg" not in names and not any("unused" in n for n in names)
    pdf = photo_site.output / "media" / "2023" / "photo-folder" / "agreement.pdf"
    assert pdf.read_bytes() == b"%PDF-1.4\n% test document\n"


def test_pictures_have_srcset_sizes_dimensions_and_lazy_loading_except_the_lead(photo_site):
    page = _page(photo_site, "en/news/2023/photo-folder/")
    imgs = page.xpath("//article//img")
    assert len(imgs) == 10    # the lead and nine in the body
    for img in imgs:
        assert img.get("srcset") and img.get("sizes") and img.get("width") and img.get("height") and img.get("alt")
        (source,) = img.xpath("ancestor::picture[1]//source")   # lxml nests img in the void <source>
        assert source.get("type") == "image/webp" and ".webp " in source.get("srcset")
    lead = page.xpath("//figure[@class='lead-photo']//img")[0]
    assert lead.get("loading") is None and lead.get("fetchpriority") == "high"
    assert lead.get("data-pagefind-meta") == "image[src], image_alt[alt]"    # search results show it
    assert (lead.get("width"), lead.get("height")) == ("600", "900")
    assert all(img.get("loading") == "lazy" for img in imgs if img is not lead)
    caption = page.xpath("//figure[@class='lead-photo']/figcaption")[0].text_content()
    assert "Guests arrive" in caption and "Photo: Test card" in caption
    figures = page.xpath("//div[@class='article-body']//figure")
    assert len(figures) == 8 and figures[0].xpath("string(figcaption)") == "Guests at the east gate"
    inline = page.xpath("//div[@class='article-body']//p/picture//img")
    assert [img.get("alt") for img in inline] == ["a small inline scan"]    # inside a sentence: not a figure
    links = {a.text_content(): a.get("href") for a in page.xpath("//div[@class='article-body']//a")}
    assert links["the agreement"] == "/media/2023/photo-folder/agreement.pdf"
    assert re.fullmatch(r"/media/2023/photo-folder/gps\.[0-9a-f]{10}-1000\.jpg", links["the full-size photo"])
    for src in page.xpath("//img/@src | //img/@srcset | //source/@srcset"):
        for url in re.findall(r"(/media/\S+)", src):
            assert (photo_site.output / url.lstrip("/")).is_file(), url


def test_the_lead_photo_gives_open_graph_json_ld_and_listing_thumbnails(photo_site):
    page = _page(photo_site, "zh/news/2023/photo-folder/")
    og = page.xpath("//meta[@property='og:image']/@content")[0]
    assert og.startswith("https://example.org/media/2023/photo-folder/orient6.") and og.endswith("-600.jpg")
    assert page.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]
    ld = json.loads(page.xpath("//script[@type='application/ld+json']/text()")[0])
    assert ld["image"]["url"].endswith(".jpg") and ld["image"]["caption"] == "Guests arrive"
    for url in ("zh/news/", "en/news/2023/05/"):   # sizes as style.css draws them: 10rem, 6.5rem on a phone
        thumb = _page(photo_site, url).xpath("//li[contains(@class, 'with-thumb')]//img")[0]
        assert thumb.get("loading") == "lazy" and thumb.get("sizes") == "(max-width: 30rem) 6.5rem, 10rem"
    # the home page leads with the latest story and its photo, loaded at once (it is the first screen)
    (lead,) = _page(photo_site, "en/").xpath("//section[contains(@class, 'top-story')]//img")
    assert lead.get("loading") != "lazy" and lead.get("width") and lead.get("height")
    feed = (photo_site.output / "en" / "feed.xml").read_text()
    assert "/media/2023/photo-folder/" in feed and "orient6.jpg&#34;" not in feed


def test_a_second_build_encodes_no_photo(photo_site):
    assert photo_site.first.encoded == 9 and photo_site.second.encoded == 0


def test_a_changed_photo_is_encoded_again_and_the_page_follows(photo_site, tmp_path):
    import shutil
    from conftest import TinySite
    site = TinySite(tmp_path)
    shutil.copytree(photo_site.content, site.content, dirs_exist_ok=True)
    builder = Builder(site.project, site.output)
    builder.build(search=False)
    before = site.read("en/news/2023/photo-folder/")
    make = Image.new("RGB", (640, 480), (0, 128, 0))
    make.save(site.content / "news" / "2023" / "photo-folder" / "tiny.png")
    report = builder.update()
    assert report.encoded == 1 and report.pages["article"] == 2
    after = site.read("en/news/2023/photo-folder/")
    assert after != before and 'width="640"' in after
    stale = [p for p in (site.output / "media").rglob("tiny.*-12.*")]
    assert not stale      # the old copies are removed from the output


def test_an_added_photo_shows_after_an_update(site):
    site.pair(2023, "visit", "2023-02-24")
    builder = Builder(site.project, site.output)
    builder.build(search=False)
    make_photos(site.content / "news" / "2023" / "visit", big=False)
    site.item(2023, "visit", "en", 'title: "English visit"\ndate: 2023-02-24',
              body="Text.\n\n![A guest](gps.jpg)")
    builder.update()
    assert "<figure" in site.read("en/news/2023/visit/") and list((site.output / "media").rglob("gps.*-400.webp"))


# Photos that are damaged, not images, too large or SVG in disguise (tests/photos.make_bad_files); the
# test below adds references to missing files and fixes the item one kind of error at a time.
BROKEN = """Text.

![Cut off](truncated.jpg)

![Words](text.jpg)

![Huge](bomb.png)

![Vector](disguised.png)"""


def test_every_bad_media_reference_is_an_error_with_file_and_line_and_the_output_stays(site, capsys):
    site.pair(2023, "good", "2023-01-01")
    args = ["--content", str(site.content), "--config", str(site.config), "--output", str(site.output), "--no-cache"]
    assert main(["build", *args], root=REPO) == 0
    before = snapshot(site.output)
    make_bad_files(site.content / "news" / "2023" / "bad")
    (site.content / "news" / "2023" / "bad" / "page.html").write_text("<script>alert(1)</script>")
    site.item(2023, "bad", "en", 'title: "Bad"\ndate: 2023-03-01\nimage: drawing.svg\nimage_alt: "x"', body=BROKEN + "\n\n![Not there](missing.jpg)\n\n![](bad/text.jpg)\n\n[a page](page.html)")
    site.item(2023, "bad", "zh", 'title: "坏"\ndate: 2023-03-01\nimage: text.jpg\nimage_caption: "说明"\n'
              'translated_from: en', body="正文。")
    site.item(2023, "other", "en", 'title: "Other"\ndate: 2023-03-02\nimage_credit: "Someone"')
    capsys.readouterr()
    assert main(["build", *args], root=REPO) == 1
    err = capsys.readouterr().err.splitlines()[:-1]
    en, zh, other = "content/news/2023/bad.en.md", "content/news/2023/bad.zh.md", "content/news/2023/other.en.md"
    assert [line.replace(str(site.root) + "/", "") for line in err] == [
        f"{en}:4: image: drawing.svg: SVG is not accepted (it can carry script); export it as PNG",
        f"{en}:20: body: image 'bad/text.jpg' has no alt text: write ![what it shows](bad/text.jpg)",
        f"{en}:22: body: page.html: files of this kind are not published (they could run script on the site); "
        "link a csv, doc, docx, gif, heic, heif, jpeg, jpg, m4a, mp3, mp4, odp, ods, odt, ogg, pdf, png, ppt, pptx, tif, "
        "tiff, txt, webm, webp, xls, xlsx, zip file, or write a web address with https://",
        f"{zh}:4: image_alt: is required with 'image': describe the photo for readers who cannot see it",
        f"{other}:4: image_credit: is only used with 'image'",
    ]
    # the front matter is right now; the files themselves are wrong
    site.item(2023, "bad", "en", 'title: "Bad"\ndate: 2023-03-01', body=BROKEN + "\n\n![Not there](missing.jpg)")
    site.item(2023, "bad", "zh", 'title: "坏"\ndate: 2023-03-01\ntranslated_from: en\nimage: missing.png\n'
              'image_alt: "不存在"', body="正文。")
    site.item(2023, "other", "en", 'title: "Other"\ndate: 2023-03-02')
    assert main(["build", *args], root=REPO) == 1
    err = capsys.readouterr().err.splitlines()[:-1]
    assert err == [
        f"{en}:16: body: missing.jpg is not in the item's media folder content/news/2023/bad/",
        f"{zh}:5: image: missing.png is not in the item's media folder content/news/2023/bad/",
    ]
    site.item(2023, "bad", "en", 'title: "Bad"\ndate: 2023-03-01', body=BROKEN)
    site.item(2023, "bad", "zh", 'title: "坏"\ndate: 2023-03-01\ntranslated_from: en', body="正文。")
    assert main(["build", *args], root=REPO) == 1
    err = capsys.readouterr().err.splitlines()[:-1]
    assert err == [
        f"{en}:8: body: truncated.jpg is damaged, truncated or holds more than a photo does (image file is truncated (0 bytes not processed))",
        f"{en}:10: body: text.jpg is not an image Pillow can read (or is damaged)",
        f"{en}:12: body: bomb.png has more than 100 million pixels; make it smaller",
        f"{en}:14: body: disguised.png is SVG, which is not accepted (it can carry script); export it as PNG",
    ]
    assert snapshot(site.output) == before


def test_check_warns_about_media_no_item_uses(site, capsys):
    site.pair(2023, "visit", "2023-02-24")
    make_photos(site.content / "news" / "2023" / "visit", big=False)
    make_photos(site.content / "news" / "2023" / "gone", big=False)
    site.item(2023, "visit", "en", 'title: "E"\ndate: 2023-02-24\nimage: gps.jpg\nimage_alt: "A card"')
    assert main(["check", "--content", str(site.content), "--config", str(site.config)], root=REPO) == 0
    out = capsys.readouterr().out.splitlines()
    assert "content/news/2023/visit/tiny.png:1: warning: no item uses this file, so it is not published" in out
    assert ("content/news/2023/gone/tiny.png:1: warning: no news item gone in 2023: this media folder belongs "
            "to none, and is not published") in out
    assert not any("visit/gps.jpg" in line for line in out)


def test_a_photo_file_too_large_is_refused_before_it_is_read(site):
    from newsarchive.errors import ContentErrors
    folder = site.content / "news" / "2023" / "huge"
    folder.mkdir(parents=True)
    with open(folder / "huge.jpg", "wb") as f:
        f.truncate(61 * 2**20)        # sparse: no disk is used
    site.item(2023, "huge", "en", 'title: "Huge"\ndate: 2023-01-01\nimage: huge.jpg\nimage_alt: "A huge file"')
    with pytest.raises(ContentErrors) as caught:
        site.build()
    assert [str(e) for e in caught.value.errors] == [
        "content/news/2023/huge.en.md:4: image: huge.jpg is 61 MiB; a photo may be at most 60 MiB"]


def test_iphone_heic_photos_work_like_jpeg(site, capsys):
    """A HEIC photo (made with pillow-heif's encoder, rotated by EXIF, with GPS in its EXIF) as the
    lead photo, in the body, linked, and under a .jpg name: published oriented, without metadata."""
    from photos import save_heic
    folder = site.content / "news/2023/visit"
    save_heic(folder / "IMG_0001.HEIC", (800, 600), orientation=6)
    shutil.copy(folder / "IMG_0001.HEIC", folder / "renamed.jpg")
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01\nimage: IMG_0001.HEIC\nimage_alt: "A test card"',
              "![the same](renamed.jpg)\n\n[the original](IMG_0001.HEIC)")
    site.build()
    published = list((site.output / "media/2023/visit").iterdir())
    assert published and not [p for p in published if p.suffix.lower() in (".heic", ".heif")]
    for path in published:
        assert GPS_TEXT not in path.read_bytes()
        with Image.open(path) as im:
            assert im.size[1] > im.size[0] and not im.getexif(), path   # turned upright, no EXIF left
    page = site.read("en/news/2023/visit/")
    assert 'href="/media/2023/visit/IMG_0001.' in page and ".jpg" in page


def test_an_original_too_big_for_git_gets_a_warning(site, capsys, monkeypatch):
    from newsarchive import media
    monkeypatch.setattr(media, "LARGE_ORIGINAL", 50_000)
    from newsarchive import checks
    monkeypatch.setattr(checks, "LARGE_ORIGINAL", 50_000)
    from photos import save_pattern
    save_pattern(site.content / "news/2023/visit/big.png", (600, 400), noise=True)   # about 700 KB
    site.item(2023, "visit", "en", 'title: "Visit"\ndate: 2023-01-01\nimage: big.png\nimage_alt: "Noise"')
    assert main(["check", "--content", str(site.content), "--config", str(site.config)], root=REPO) == 0
    assert "big.png is 0.7 MB: only its processed copies are published, but git keeps the original" in capsys.readouterr().out
    assert main(["build", "--content", str(site.content), "--config", str(site.config), "--output", str(site.output),
                 "--no-cache"], root=REPO) == 0
    assert "warning: content/news/2023/visit/big.png is 0.7 MB" in capsys.readouterr().err.replace(str(site.root) + "/", "")

"""The reader's view in Chromium: a phone's first screen, the compact header, the footer at the
bottom, the chooser's aligned choices, print, the share button, and pages without JavaScript."""
from __future__ import annotations

import re

import pytest

from conftest import SAMPLE_CONFIG, built_and_served
from generated_archive import article_urls, generate
from photos import save_heic

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """14 generated items, each with a lead photo (a generated test card), served without search."""
    root = tmp_path_factory.mktemp("reader")
    generate(root / "content", 14, photos_every=1, photo_size=(1200, 800))
    # and a phone photo (HEIC, portrait) leading an item with a table wider than a phone
    save_heic(root / "content/news/2025/portrait/portrait.heic", (900, 1350))
    rows = "\n".join("| " + " | ".join(f"Partner university {r}-{c}" for c in range(6)) + " |" for r in range(4))
    (root / "content/news/2025/portrait.en.md").write_text(
        '---\ntitle: "A portrait photo and a wide table"\ndate: 2025-06-01\nimage: portrait.heic\n'
        'image_alt: "A test card, taller than wide"\n---\n\nFirst paragraph.\n\n'
        "| " + " | ".join(f"Column {c}" for c in range(6)) + " |\n|" + "---|" * 6 + "\n" + rows + "\n", encoding="utf-8")
    with built_and_served(root / "content", SAMPLE_CONFIG, root / "output", search=False) as base:
        yield type("Served", (), {"base": base, "output": root / "output"})


def _tab(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, **options)
    return context, context.new_page()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_phones_first_screen_shows_headline_date_and_first_paragraph(browser, sample, photos, lang):
    context, tab = _tab(browser, PHONE)
    try:
        for base, output in ((sample.base, sample.output), (photos.base, photos.output)):
            for url in article_urls(output, lang)[:6]:
                tab.goto(base + url)
                header = tab.locator(".site-header").bounding_box()
                h1 = tab.locator("h1").bounding_box()
                date = tab.locator(".article-meta time").first.bounding_box()
                first = tab.locator(".article-body > *").first.bounding_box()
                assert header["height"] <= 100, (url, header)       # name, language, menu: two rows
                assert h1["y"] < date["y"] < first["y"], url
                assert first["y"] + first["height"] <= PHONE["height"], (url, first)   # the whole first paragraph
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_page_is_wider_than_a_phone(browser, sample, photos, lang):
    context, tab = _tab(browser, PHONE)
    wide = []
    try:
        kinds = ("", "news/", "news/page/2/", "archive/", "tags/", "countries/", "countries/be/", "institutions/",
                 "news/2023/", "search/")
        urls = [(sample.base, f"{lang}/{kind}") for kind in kinds]
        urls += [(photos.base, url) for url in (f"{lang}/", f"{lang}/news/", article_urls(photos.output, lang)[0],
                                                 "en/news/2025/portrait/")]
        for base, url in urls:
            tab.goto(base + url)
            width = tab.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide.append((url, width))
    finally:
        context.close()
    assert wide == []


def test_the_lead_photo_follows_the_first_paragraph_on_a_phone_and_precedes_it_on_a_desk(browser, photos):
    url = photos.base + article_urls(photos.output, "en")[0]
    for viewport, photo_first in ((PHONE, False), (DESK, True)):
        context, tab = _tab(browser, viewport)
        tab.goto(url)
        photo = tab.locator(".lead-photo").bounding_box()
        first = tab.locator(".article-body > *").first.bounding_box()
        context.close()
        assert (photo["y"] < first["y"]) == photo_first, viewport


def test_a_portrait_lead_photo_leaves_room_on_a_desk_and_a_wide_table_scrolls_by_itself(browser, photos):
    context, tab = _tab(browser, {"width": 1366, "height": 768})
    try:
        tab.goto(photos.base + "en/news/2025/portrait/")
        tab.wait_for_function("document.querySelector('.lead-photo img').complete")
        photo = tab.locator(".lead-photo img").bounding_box()
        assert photo["height"] <= 0.7 * 768 + 1, photo
        assert tab.evaluate("getComputedStyle(document.querySelector('.lead-photo img')).objectFit") == "contain"
        assert tab.evaluate("document.querySelector('.lead-photo img').currentSrc").endswith(".webp")
        tab.set_viewport_size(PHONE)
        scroller = tab.locator(".article-body .table-scroll")
        box = scroller.bounding_box()
        assert box["width"] <= PHONE["width"] and tab.evaluate(
            "(() => { const s = document.querySelector('.article-body .table-scroll'); "
            "return s.scrollWidth > s.clientWidth && s.tabIndex === 0; })()")   # scrolls, by keyboard too
    finally:
        context.close()


@pytest.mark.parametrize("url", ["en/tags/", "zh/archive/", "en/institutions/"])
def test_the_footer_sits_at_the_bottom_of_a_short_page(browser, sample, url):
    context, tab = _tab(browser, {"width": 1366, "height": 1400})
    tab.goto(sample.base + url)
    footer = tab.locator(".site-footer").bounding_box()
    height = tab.evaluate("document.documentElement.scrollHeight")
    context.close()
    assert height == 1400 and abs(footer["y"] + footer["height"] - 1400) < 1, (footer, height)


@pytest.mark.parametrize("url,parts", [("", [".choice h1", ".choice p:not(:has(a))", ".choice-link"]),
                                       ("no/such/page/", [".choice > :first-child", ".inline-search", ".plain-list"])])
def test_the_language_choices_are_aligned(browser, sample, url, parts):
    context, tab = _tab(browser, DESK)
    tab.goto(sample.base + url)
    tops = {part: [round(box["y"]) for box in (tab.locator(part).nth(i).bounding_box() for i in range(2))]
            for part in parts}
    context.close()
    assert all(a == b for a, b in tops.values()), tops


def test_print_leaves_out_navigation_and_prints_the_address(browser, sample):
    context, tab = _tab(browser, DESK)
    tab.goto(sample.base + "en/news/2023/cqu-belgian-ambassador-visit/")
    tab.emulate_media(media="print")
    hidden = [sel for sel in (".site-header", ".site-footer", ".breadcrumbs", ".neighbours", ".share-button")
              if tab.locator(sel).count() and tab.locator(sel).first.is_visible()]
    address = tab.locator(".print-url")
    shown = address.is_visible() and address.inner_text()
    context.close()
    assert hidden == [] and shown == sample.base + "en/news/2023/cqu-belgian-ambassador-visit/", (hidden, shown)


def test_share_copies_the_link_where_there_is_no_share_sheet(browser, sample):
    context, tab = _tab(browser, DESK, permissions=["clipboard-read", "clipboard-write"])
    tab.add_init_script("delete Navigator.prototype.share")
    url = sample.base + "zh/news/2023/cqu-belgian-ambassador-visit/"
    tab.goto(url)
    tab.click(".share-button")
    tab.wait_for_function("document.querySelector('.share-status').textContent !== ''")
    copied = tab.evaluate("navigator.clipboard.readText()")
    status = tab.inner_text(".share-status")
    context.close()
    assert copied == url and status == "已复制本页链接。"


def test_share_opens_the_share_sheet_where_there_is_one(browser, sample):
    """The Web Share API is the browser's own; headless Chromium on Linux has none, so the page is
    given one that records what it was asked to share."""
    context, tab = _tab(browser, DESK)
    tab.add_init_script("navigator.share = d => { window.shared = d; return Promise.resolve(); }")
    tab.goto(sample.base + "en/news/2023/cqu-belgian-ambassador-visit/")
    tab.click(".share-button")
    shared = tab.evaluate("window.shared")
    context.close()
    assert shared == {"title": "Ambassador of Belgium to China H.E. dr. Jan Hoogmartens visits CQU",
                      "url": sample.base + "en/news/2023/cqu-belgian-ambassador-visit/"}


def test_without_javascript_pages_work_and_nothing_waits_for_it(browser, sample):
    context, tab = _tab(browser, PHONE, java_script_enabled=False)
    requests = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(sample.base + "en/news/2023/cqu-belgian-ambassador-visit/")
    share_shown = tab.locator(".share-button").is_visible()
    tab.goto(sample.base + "en/news/")
    tab.click(".narrow a[href$='/countries/be/']")
    at = tab.url
    tab.go_back()
    tab.click(".pager-numbers a >> text=2")
    paged = tab.url
    context.close()
    assert not share_shown
    assert at == sample.base + "en/countries/be/" and paged == sample.base + "en/news/page/2/"
    assert all(r.startswith(sample.base) for r in requests), [r for r in requests if not r.startswith(sample.base)]


def test_chinese_typography(browser, sample):
    """Headings tighter than the body, no one-character last line in a headline, emphasis by dots
    rather than a slanted upright font, no justification or letter-spacing, and curly quotes drawn
    from the Chinese font, not from the Latin one first in the list (asked of Chromium itself)."""
    context, tab = _tab(browser, PHONE)
    tab.goto(sample.base + "zh/news/2023/cqu-belgian-ambassador-visit/")
    tab.evaluate("""() => { const p = document.querySelector('.article-body p');
                            p.insertAdjacentHTML('beforeend', '<em id="e">强调</em><span id="q">“”</span>'); }""")
    found = tab.evaluate("""() => {
        const h1 = document.querySelector('h1'), p = document.querySelector('.article-body p');
        const range = document.createRange(); range.selectNodeContents(h1);
        const lines = [...range.getClientRects()].reduce((rows, r) => {
            const row = rows.find(x => Math.abs(x.top - r.top) < 4);
            if (row) row.width += r.width; else rows.push({top: r.top, width: r.width});
            return rows; }, []);
        const size = parseFloat(getComputedStyle(h1).fontSize);
        const em = getComputedStyle(document.getElementById('e'));
        return {h1Leading: parseFloat(getComputedStyle(h1).lineHeight) / size,
                bodyLeading: parseFloat(getComputedStyle(p).lineHeight) / parseFloat(getComputedStyle(p).fontSize),
                lastLine: lines[lines.length - 1].width / size, lines: lines.length,
                emStyle: em.fontStyle, emphasis: em.textEmphasisStyle,
                align: getComputedStyle(p).textAlign, spacing: getComputedStyle(p).letterSpacing};
    }""")
    cdp = context.new_cdp_session(tab)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    quote = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#q"})["nodeId"]
    fonts = [f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": quote})["fonts"]]
    context.close()
    assert found["h1Leading"] <= 1.45 and found["bodyLeading"] >= 1.75, found
    assert found["lines"] >= 2 and found["lastLine"] >= 3, found      # at least three characters on the last line
    assert found["emStyle"] == "normal" and "dot" in found["emphasis"], found
    assert found["align"] in ("start", "left") and found["spacing"] == "normal", found
    assert fonts and all("CJK" in f for f in fonts), fonts


# Every line break inside the elements a selector finds: the characters either side of it and
# whether a <wbr> stands between them (where headlines.py marks a boundary between two words).
LINE_BREAKS = """(selector) => {
    const out = [];
    let wrapped = 0;
    for (const el of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
        let previous = null, wbr = false, lines = 1;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            if (n.nodeType === 1) { if (n.tagName === 'WBR') wbr = true; continue; }
            for (let i = 0; i < n.data.length; i++) {
                const range = document.createRange(); range.setStart(n, i); range.setEnd(n, i + 1);
                const rect = range.getClientRects()[0];
                if (!rect) continue;
                if (previous && rect.top > previous.top + rect.height / 2) {
                    lines++;
                    out.push({before: previous.ch, after: n.data[i], wbr, text: el.textContent});
                }
                previous = {ch: n.data[i], top: rect.top}; wbr = false;
            }
        }
        if (lines > 1) wrapped++;
    }
    return {breaks: out, wrapped};
}"""
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desk"])
def test_chinese_headlines_never_break_inside_a_word(browser, sample, photos, viewport):
    """Real headlines (the sample's), as h1, top story, listing titles, related items and the
    narrow column of a year page, wrapped by Chromium at a phone's and a desk's width."""
    context, tab = _tab(browser, viewport)
    inside, wrapped = [], 0
    try:
        pages = [(sample.base, u) for u in ("zh/", "zh/news/", "zh/news/2023/", "zh/countries/be/")]
        pages += [(sample.base, u) for u in article_urls(sample.output, "zh")]
        pages += [(photos.base, u) for u in article_urls(photos.output, "zh")[:3]]
        for base, url in pages:
            tab.goto(base + url)
            found = tab.evaluate(LINE_BREAKS, "h1:not(.visually-hidden), .item-title, .top-story h2, .related-item > a, "
                                              ".headlines a")
            wrapped += found["wrapped"]
            inside += [(url, b["text"], b["before"] + "|" + b["after"]) for b in found["breaks"]
                       if HAN.match(b["before"]) and HAN.match(b["after"]) and not b["wbr"]]
    finally:
        context.close()
    assert wrapped >= 5          # the headlines do wrap here: the test looks at real line breaks
    assert inside == []


def test_headline_links_have_the_headings_leading_and_chinese_pages_space_latin_and_digits(browser, sample):
    context, tab = _tab(browser, PHONE)
    tab.goto(sample.base + "zh/news/")
    found = tab.evaluate("""() => {
        const title = document.querySelector('.item-title'), link = title.querySelector('a');
        const style = getComputedStyle(link);
        return {leading: parseFloat(style.lineHeight) / parseFloat(style.fontSize),
                colour: style.color, text: getComputedStyle(document.body).color,
                underline: style.textDecorationLine,
                autospace: getComputedStyle(document.querySelector('.item-meta')).textAutospace};
    }""")
    context.close()
    assert 1.35 <= found["leading"] <= 1.45, found          # not the body's 1.8
    assert found["colour"] == found["text"] and found["underline"] == "none", found   # dark, no underline
    assert found["autospace"] == "normal", found             # dates outside the body too


def test_related_items_sit_in_rows_of_their_own_height_with_sharp_thumbnails(browser, photos):
    url = photos.base + article_urls(photos.output, "en")[0]
    for viewport, most in ((DESK, 420), (PHONE, 520)):
        context, tab = _tab(browser, viewport, device_scale_factor=2)
        tab.goto(url)
        tab.locator(".related").scroll_into_view_if_needed()
        found = tab.evaluate("""() => {
            const items = [...document.querySelectorAll('.related-item')];
            return {count: items.length,
                    gaps: items.map(li => li.getBoundingClientRect().bottom
                                    - Math.max(...[...li.children].map(c => c.getBoundingClientRect().bottom))),
                    titles: items.map(li => Math.round(li.querySelector(':scope > a').getBoundingClientRect().top)),
                    height: document.querySelector('.related-items').getBoundingClientRect().height,
                    drawn: [...document.querySelectorAll('.related-thumb img')].map(i => i.getBoundingClientRect().width),
                    background: getComputedStyle(document.querySelector('.related-thumb img')).backgroundColor};
        }""")
        tab.wait_for_function("() => [...document.querySelectorAll('.related-thumb img')].every(i => i.currentSrc)")
        chosen = tab.evaluate("() => [...document.querySelectorAll('.related-thumb img')].map(i => i.currentSrc)")
        context.close()
        assert found["count"] >= 3, found
        assert max(found["gaps"]) <= 2, found                      # no row stretched past its item
        assert found["height"] <= most, found                      # four items, not 1,500 px on a phone
        assert found["background"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), found   # no white box
        assert all(w <= 110 for w in found["drawn"]), found        # drawn as sizes="6.5rem" says ...
        assert all(re.search(r"-400\.\w+$", src) for src in chosen), chosen   # ... so 2x takes 400 px
        if viewport is DESK:
            rows = found["titles"]
            assert rows[0] == rows[1], found                       # titles of one row level


def test_focus_rings_are_whole_in_rows_that_scroll_and_pages_end_clear_of_the_footer(browser, sample):
    context, tab = _tab(browser, PHONE)
    tab.goto(sample.base + "en/news/")
    clipped = tab.evaluate("""() => [...document.querySelectorAll('.site-nav a, .narrow a')].filter(a => a.getClientRects().length).filter(a => {
        const row = a.closest('ul').getBoundingClientRect(), box = a.getBoundingClientRect();
        const style = getComputedStyle(a);
        a.focus();   // the ring drawn inside the link (offset -3px) is within the scrolling row's height
        const ring = parseFloat(getComputedStyle(a).outlineOffset) + parseFloat(getComputedStyle(a).outlineWidth);
        return box.top - Math.max(ring, 0) < row.top - 0.5 || box.bottom + Math.max(ring, 0) > row.bottom + 0.5;
    }).map(a => a.textContent)""")
    space = {}
    for url in ("en/news/", "zh/news/2023/", "en/countries/be/"):
        tab.goto(sample.base + url)
        space[url] = tab.evaluate("""() => {
            const last = document.querySelector('main').lastElementChild.previousElementSibling
                         || document.querySelector('main').lastElementChild;
            return document.querySelector('.site-footer').getBoundingClientRect().top - last.getBoundingClientRect().bottom;
        }""")
    context.close()
    assert clipped == []
    assert all(gap >= 24 for gap in space.values()), space


def test_a_row_that_scrolls_shows_there_is_more_until_its_end(browser, photos):
    """The years row of a 15-year archive on a phone fades at its edge, and stops fading at its end."""
    context, tab = _tab(browser, PHONE)
    tab.goto(photos.base + "en/news/")
    row = tab.locator(".narrow-row ul").first
    assert row.evaluate("ul => ul.scrollWidth > ul.clientWidth")
    tab.wait_for_function("() => getComputedStyle(document.querySelector('.narrow-row ul')).getPropertyValue('--more') === '40px'")
    row.evaluate("ul => ul.scrollLeft = ul.scrollWidth")
    tab.wait_for_function("() => getComputedStyle(document.querySelector('.narrow-row ul')).getPropertyValue('--more') === '0px'")
    context.close()


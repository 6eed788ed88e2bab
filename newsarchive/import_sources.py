"""What ``build.py import`` reads: article pages, RSS/Atom feeds and WordPress exports (WXR), each
made into ``Found`` records, the same for every kind of source. Nothing here writes; importing.py
pairs, names and writes what is found.

Article pages go through trafilatura (main text only: no menus, breadcrumbs, share buttons or
related boxes; any encoding it can detect, GBK included), feeds through feedparser, exports
through the standard library's XML parser (which resolves no external entity). HTML written by
other people (feed entries, WordPress posts) becomes Markdown through markdownify and is then
sanitised like every editor's text when the site is built.
"""
from __future__ import annotations

import hashlib
import re
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

MAX_DOWNLOAD = 50 * 1024 * 1024    # bytes of one page, feed or photo
TIMEOUT = 30                        # seconds for one download
USER_AGENT = "newsarchive-import/1"
MIN_ARTICLE = 40                    # characters of main text below which a page holds no article


class SourceError(Exception):
    """An input that cannot be read as what it claims to be; the message names it."""


@dataclass
class Photo:
    location: str          # an address, or a local file
    alt: str = ""
    caption: str = ""


@dataclass
class Found:
    """One news item as a source gives it."""
    key: str                        # what identifies it in its source: an address, a feed id, a WordPress post
    origin: str                     # the input it came from (for messages)
    lang: str | None
    title: str
    when: datetime | None
    body: str                       # Markdown; photos as ![alt](location "caption")
    photos: list[Photo] = field(default_factory=list)
    source: str = ""
    source_url: str = ""
    alternates: dict[str, str] = field(default_factory=dict)   # language -> key of its other version
    old_address: str = ""           # a path of the old site, to keep as an alias
    tags: list[str] = field(default_factory=list)              # the source's own categories and tags
    draft: bool = False
    group: str = ""                 # a translation group the source names (WPML, Polylang)


@dataclass
class Report:
    items: list[Found] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)    # "input: entry: why"
    other: list[str] = field(default_factory=list)      # pages and other kinds of post, reported


def is_address(text: str) -> bool:
    return urlsplit(text).scheme in ("http", "https") and bool(urlsplit(text).netloc)


def fetch(location: str, base: Path | None = None) -> bytes:
    """The bytes of an address (http or https only) or of a local file, at most MAX_DOWNLOAD."""
    if is_address(location):
        request = urllib.request.Request(location, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                data = response.read(MAX_DOWNLOAD + 1)
        except (OSError, ValueError) as e:
            raise SourceError(f"{location}: cannot download: {getattr(e, 'reason', e)}") from None
    else:
        if urlsplit(location).scheme not in ("", "file"):
            raise SourceError(f"{location}: only http://, https:// addresses and files are read")
        path = Path(urlsplit(location).path if location.startswith("file:") else location)
        if base is not None and not path.is_absolute():
            path = base / path
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_DOWNLOAD + 1)
        except OSError as e:
            raise SourceError(f"{location}: cannot read: {e.strerror}") from None
    if len(data) > MAX_DOWNLOAD:
        raise SourceError(f"{location}: larger than {MAX_DOWNLOAD // 2**20} MB")
    return data


def kind_of(data: bytes) -> str:
    """"wxr", "feed", "page" or "list", from the content itself."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        if b"wordpress.org/export" in data[:20000].lower():
            return "wxr"
        return "feed"
    if b"<html" in head or b"<!doctype html" in head or b"<body" in head or b"<article" in head:
        return "page"
    return "list"


# -- article pages ---------------------------------------------------------------------------

_DATE_ONLY = re.compile(r"^\s*(发布(时间|日期)[:：]?\s*)?\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*$")


def _meta(tree, *names: str) -> str:
    for name in names:
        found = tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content')
        if found and found[0].strip():
            return found[0].strip()
    return ""


def _moment(text: str) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        found = re.search(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", text)
        return datetime(int(found[1]), int(found[2]), int(found[3])) if found else None


def _language(tree, fallback: str | None) -> str | None:
    declared = (tree.xpath("string(/html/@lang)") or "").lower()
    if declared.startswith("zh"):
        return "zh"
    if declared.startswith("en"):
        return "en"
    return fallback


def _lang_code(hreflang: str) -> str | None:
    hreflang = hreflang.lower()
    return "zh" if hreflang.startswith("zh") else "en" if hreflang.startswith("en") else None


def read_page(data: bytes, location: str, lang: str | None) -> Found:
    """An article page: its main text, title, time, photos with captions, site and alternates."""
    import trafilatura
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(trafilatura.utils.decode_file(data))
    except (ValueError, lxml_html.etree.ParserError) as e:
        raise SourceError(f"{location}: not a page that can be read: {e}") from None
    address = location if is_address(location) else (
        _meta(tree, "og:url") or (tree.xpath("string(//link[@rel='canonical']/@href)") or "").strip())
    base_for_files = None if is_address(location) else Path(location).parent
    metadata = trafilatura.extract_metadata(data)
    text = trafilatura.extract(data, output_format="markdown", include_images=True, include_tables=True,
                               include_comments=False, favor_precision=True, url=address or None)
    if not text or len(text.strip()) < MIN_ARTICLE:
        raise SourceError(f"{location}: no article found in the page")
    title = (_meta(tree, "og:title") or (metadata.title if metadata else "") or "").strip()
    when = _moment(_meta(tree, "article:published_time", "pubdate", "publishdate", "PubDate")) or \
        _moment(tree.xpath("string(//time/@datetime)")) or _moment(metadata.date if metadata else "")
    def resolve(src: str) -> str:   # an image's address, or its file beside a saved page
        src = src.strip()
        if is_address(src) or base_for_files is None:
            return urljoin(address or "", src)
        return str(base_for_files / urlsplit(src).path.lstrip("/"))

    captions = {}
    for figure in tree.xpath("//figure[.//img]"):
        caption = " ".join(figure.xpath("string(.//figcaption)").split())
        for src in figure.xpath(".//img/@src"):
            captions[resolve(src)] = caption
    photos: list[Photo] = []

    def photo(match: re.Match) -> str:
        location_of = resolve(match["src"])
        photos.append(Photo(location_of, match["alt"].strip(), captions.get(location_of, "")))
        return f"\x00photo{len(photos) - 1}\x00"

    body = re.sub(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)\)", photo, text)
    lines = body.strip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip("# ").strip() == title
                     or _DATE_ONLY.match(lines[0])):
        lines.pop(0)
    alternates = {}
    for link in tree.xpath("//link[@rel='alternate'][@hreflang][@href] | //a[@hreflang][@href]"):
        code = _lang_code(link.get("hreflang"))
        if code:
            alternates[code] = urljoin(address or location, link.get("href").strip()) if address else \
                str((Path(location).parent / link.get("href").strip()).resolve())
    return Found(key=address or str(Path(location).resolve()), origin=location, lang=_language(tree, lang),
                 title=title, when=when, body="\n".join(lines).strip(), photos=photos,
                 source=(metadata.sitename if metadata and metadata.sitename else _meta(tree, "og:site_name")) or "",
                 source_url=address if is_address(address or "") else "", alternates=alternates)


# -- feeds -----------------------------------------------------------------------------------

SUMMARY_ONLY = 400   # an entry with less text than this and a link is taken from its page


def html_to_markdown(html: str, base: str = "") -> tuple[str, list[Photo]]:
    """Markdown of an HTML fragment written elsewhere, its photos taken out as placeholders."""
    import markdownify
    from lxml import html as lxml_html

    photos: list[Photo] = []
    if not html.strip():
        return "", photos
    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return "", photos
    for bad in root.xpath("//script | //style | //iframe | //object | //embed | //form"):
        bad.drop_tree()
    for figure in list(root.xpath("//figure[.//img]")) + list(root.xpath("//img[not(ancestor::figure)]")):
        img = figure if figure.tag == "img" else figure.xpath(".//img")[0]
        caption = " ".join(figure.xpath("string(.//figcaption)").split()) if figure.tag == "figure" else ""
        src = urljoin(base, (img.get("src") or "").strip()) if base else (img.get("src") or "").strip()
        photos.append(Photo(src, (img.get("alt") or "").strip(), caption))
        marker = lxml_html.Element("p")
        marker.text = f"PHOTO{len(photos) - 1}MARK"
        marker.tail = figure.tail
        figure.getparent().replace(figure, marker)
    text = markdownify.markdownify(lxml_html.tostring(root, encoding="unicode"), heading_style="ATX",
                                   strip=["span", "font"])
    text = re.sub(r"PHOTO(\d+)MARK", lambda m: f"\x00photo{m[1]}\x00", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip(), photos


def read_feed(data: bytes, location: str, lang: str | None, report: Report, fetch_page) -> None:
    import feedparser

    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        raise SourceError(f"{location}: not a feed that can be read: {feed.bozo_exception}")
    site = feed.feed.get("title", "")
    feed_lang = _lang_code(feed.feed.get("language", "") or "") or lang
    seen: set[str] = set()
    for n, entry in enumerate(feed.entries, start=1):
        key = entry.get("id") or entry.get("link") or ""
        name = f"{location}: entry {n} ({entry.get('title', '')[:60]!r})"
        if not key:
            report.skipped.append(f"{name}: no id or link")
            continue
        if key in seen:
            report.skipped.append(f"{name}: its id {key!r} is another entry's too; the first is taken")
            continue
        seen.add(key)
        html = entry.content[0].value if entry.get("content") else entry.get("summary", "")
        link = entry.get("link", "")
        when = None
        for stamp in ("published_parsed", "updated_parsed"):
            if entry.get(stamp):
                when = datetime(*entry[stamp][:6], tzinfo=timezone.utc)
                break
        text_length = len(re.sub(r"<[^>]+>", "", html).strip())
        if text_length < SUMMARY_ONLY and is_address(link):
            try:
                page = read_page(fetch_page(link), link, feed_lang)
            except SourceError as e:
                report.skipped.append(f"{name}: {e}")
                continue
            page.key, page.origin = key, location
            page.title = page.title or entry.get("title", "")
            page.when = page.when or when
            page.tags = [t.get("term", "") for t in entry.get("tags", []) if t.get("term")]
            report.items.append(page)
            continue
        body, photos = html_to_markdown(html, link)
        if not body:
            report.skipped.append(f"{name}: no text")
            continue
        report.items.append(Found(key=key, origin=location, lang=_lang_code(entry.get("language", "") or "") or feed_lang,
                                  title=entry.get("title", ""), when=when, body=body, photos=photos, source=site,
                                  source_url=link if is_address(link) else "",
                                  tags=[t.get("term", "") for t in entry.get("tags", []) if t.get("term")]))


# -- WordPress exports -----------------------------------------------------------------------

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
EXCERPT = "{http://wordpress.org/export/1.2/excerpt/}encoded"
_CAPTION = re.compile(r"\[caption[^\]]*\](?P<inner>.*?)\[/caption\]", re.S)
_SHORTCODE = re.compile(r"\[/?[a-z_][\w-]*(?:\s[^\]]*)?\]")


def _wp(item, name: str) -> str:
    return (item.findtext(WP + name) or "").strip()


def _postmeta(item) -> dict[str, str]:
    return {(m.findtext(WP + "meta_key") or ""): (m.findtext(WP + "meta_value") or "")
            for m in item.findall(WP + "postmeta")}


def _captions_to_figures(html: str) -> str:
    """``[caption]<img …> Text[/caption]`` and block-editor figures as <figure> with <figcaption>."""
    def figure(match: re.Match) -> str:
        inner = match["inner"]
        img = re.search(r"<img\b[^>]*>", inner)
        if not img:
            return inner
        text = re.sub(r"<[^>]+>", "", inner.replace(img[0], "")).strip()
        return f"<figure>{img[0]}<figcaption>{text}</figcaption></figure>"
    html = _CAPTION.sub(figure, html)
    html = re.sub(r"<!--\s*/?wp:[^>]*-->", "", html)   # block-editor comments
    return _SHORTCODE.sub("", html)


def _paragraphs(html: str) -> str:
    """WordPress stores paragraphs as blank lines (wpautop): made into <p> before conversion."""
    if re.search(r"<p[\s>]", html):
        return html
    return "".join(f"<p>{part.strip()}</p>" for part in re.split(r"\n\s*\n", html) if part.strip())


def read_wxr(data: bytes, location: str, lang: str | None, report: Report, uploads: Path | None) -> None:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise SourceError(f"{location}: not a WordPress export that can be read: {e}") from None
    channel = root.find("channel")
    if channel is None:
        raise SourceError(f"{location}: not a WordPress export: no <channel>")
    site = channel.findtext("title") or ""
    site_url = (channel.findtext(WP + "base_site_url") or channel.findtext("link") or "").rstrip("/")
    items = channel.findall("item")
    attachments: dict[str, list] = {}
    by_id = {}
    for item in items:
        by_id[_wp(item, "post_id")] = item
        if _wp(item, "post_type") == "attachment":
            attachments.setdefault(_wp(item, "post_parent"), []).append(item)
    for item in items:
        kind, status, post_id = _wp(item, "post_type"), _wp(item, "status"), _wp(item, "post_id")
        title = item.findtext("title") or ""
        name = f"{location}: post {post_id} ({title[:60]!r})"
        if kind == "attachment":
            continue
        if kind != "post":
            report.other.append(f"{name}: a {kind or 'thing'} ({status}), not a news item: not imported")
            continue
        if status not in ("publish", "draft", "pending", "future", "private"):
            report.other.append(f"{name}: {status or 'no status'}: not imported")
            continue
        meta = _postmeta(item)
        categories = item.findall("category")
        post_lang = meta.get("_wpml_import_language_code") or next(
            (c.get("nicename") for c in categories if c.get("domain") == "language"), None) or lang
        post_lang = _lang_code(post_lang or "") or lang
        group = meta.get("_wpml_import_translation_group", "")
        translations = next((c.get("nicename") for c in categories if c.get("domain") == "post_translations"), "")
        alternates = {}
        for code, other_id in re.findall(r's:\d+:"([a-z_-]+)";i:(\d+);', "".join(
                c.text or "" for c in categories if c.get("domain") == "post_translations")):
            if other_id != post_id and _lang_code(code):
                alternates[_lang_code(code)] = f"wp:{other_id}"
        group = group or translations
        when = None
        try:   # the site's local time, with the zone its difference from post_date_gmt gives
            gmt, local = _wp(item, "post_date_gmt"), _wp(item, "post_date")
            if local and not local.startswith("0000"):
                when = datetime.fromisoformat(local)
                if gmt and not gmt.startswith("0000"):
                    offset = when - datetime.fromisoformat(gmt)
                    if abs(offset) <= timedelta(hours=14):
                        when = when.replace(tzinfo=timezone(offset))
        except ValueError:
            report.skipped.append(f"{name}: its date {_wp(item, 'post_date')!r} cannot be read; not imported")
            continue
        html = _captions_to_figures(_paragraphs(item.findtext(CONTENT) or ""))
        link = (item.findtext("link") or "").strip()
        body, photos = html_to_markdown(html, link or site_url)
        known = {p.location for p in photos}
        # the post's attachments: from the uploads folder when one is given, else from their address
        for attachment in attachments.get(post_id, []):
            address = _wp(attachment, "attachment_url")
            if address and address not in known:
                photos.append(Photo(address, (_postmeta(attachment).get("_wp_attachment_image_alt") or "").strip(),
                                    (attachment.findtext(EXCERPT) or "").strip()))
        if uploads is not None:
            for photo in photos:
                found = re.search(r"/wp-content/uploads/(.+)$", urlsplit(photo.location).path)
                if found and (uploads / found[1]).is_file():
                    photo.location = str(uploads / found[1])
        thumbnail = meta.get("_thumbnail_id")
        if thumbnail and thumbnail in by_id:
            address = _wp(by_id[thumbnail], "attachment_url")
            lead = next((p for p in photos if p.location.endswith(urlsplit(address).path.rsplit("/", 1)[-1])), None)
            if lead is not None:
                photos.remove(lead)
                photos.insert(0, lead)
        tags = [c.text or "" for c in categories if c.get("domain") in ("category", "post_tag") and c.text]
        report.items.append(Found(
            key=f"wp:{post_id}", origin=location, lang=post_lang, title=title, when=when, body=body or "",
            photos=photos, source=site, source_url=link if is_address(link) and status == "publish" else "",
            alternates=alternates, old_address=urlsplit(link).path if is_address(link) else "", tags=tags,
            draft=status != "publish", group=group))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

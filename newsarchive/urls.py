"""The only place URLs and output paths are made.

Every function returns a site-relative URL path without a leading slash ("en/news/"); templates
prefix the base path (links) or the base URL (canonical, feeds, sitemap).
"""
from __future__ import annotations

from urllib.parse import quote, unquote

from .model import Article
from .terms import KINDS


def paginated(first: str, page: int) -> str:
    return first if page == 1 else f"{first}page/{page}/"


def chooser() -> str:
    return ""


def home(lang: str) -> str:
    return f"{lang}/"


def news(lang: str, page: int = 1) -> str:
    return paginated(f"{lang}/news/", page)


def article(a: Article) -> str:
    return f"{a.lang}/news/{a.year}/{a.slug}/"


def year(lang: str, y: int) -> str:
    return f"{lang}/news/{y}/"


def month(lang: str, y: int, m: int) -> str:
    return f"{lang}/news/{y}/{m:02d}/"


def archive(lang: str) -> str:
    return f"{lang}/archive/"


def terms(lang: str, kind: str) -> str:
    """The overview of a kind of term: ``en/tags/``, ``en/institutions/``."""
    return f"{lang}/{KINDS[kind].plural}/"


def term(lang: str, kind: str, term: str, page: int = 1) -> str:
    return paginated(f"{terms(lang, kind)}{KINDS[kind].segment(term)}/", page)


def term_feed(lang: str, kind: str, term_: str) -> str:
    return f"{term(lang, kind, term_)}feed.xml"


def tags(lang: str) -> str:
    return terms(lang, "tag")


def tag(lang: str, slug: str, page: int = 1) -> str:
    return term(lang, "tag", slug, page)


def countries(lang: str) -> str:
    return terms(lang, "country")


def country(lang: str, code: str, page: int = 1) -> str:
    return term(lang, "country", code, page)


def search(lang: str) -> str:
    return f"{lang}/search/"


def search_bundle(lang: str) -> str:
    """The folder of a language's search index (Pagefind's bundle); a search page loads only its own."""
    return f"pagefind/{lang}/"


def search_records(lang: str) -> str:
    """Extra search records for ``lang``'s index; handed to Pagefind, never published."""
    return f"{lang}/search/records.json"


def feed(lang: str) -> str:
    return f"{lang}/feed.xml"


def country_feed(lang: str, code: str) -> str:
    return term_feed(lang, "country", code)


def media(item: tuple[int, str], name: str) -> str:
    """A file published from an item's media folder (shared by its languages). The name is
    percent-encoded: editors name files as they like (spaces, quotes, ``#``, ``?``, accents), and
    a URL holds none of those as they are (output_path decodes it again)."""
    return f"media/{item[0]}/{item[1]}/{quote(name, safe='')}"


SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOT_FOUND = "404.html"
STATIC = "static/"


def output_path(url: str) -> str:
    """The file a URL is served from, relative to the output folder (percent-encoding decoded)."""
    path = unquote(url)
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path

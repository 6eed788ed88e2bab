"""Typed, frozen site configuration, read from ``site.yaml``; every error reported at once."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import ContentError, ContentErrors
from .files import read_regular, unreadable
from .yamlread import compose, construct, mapping_items, short

LANGUAGES = ("en", "zh")
LANGUAGE_NAMES = {"en": "English", "zh": "Chinese"}   # in messages to editors


@dataclass(frozen=True)
class Config:
    """Site settings. Every key of ``site.yaml`` is one field here."""

    base_url: str = "http://127.0.0.1:8000/"
    """Absolute URL the site is published at, ending in a slash; its path prefixes every link."""
    title: dict = None  # type: ignore[assignment]
    """Site title per language."""
    description: dict = None  # type: ignore[assignment]
    """One-sentence site description per language (home meta description and feeds)."""
    author: dict = None  # type: ignore[assignment]
    """Publisher named in feeds and JSON-LD, per language."""
    page_size: int = 10
    """Items per page in paginated listings."""
    home_size: int = 6
    """Latest items shown on each language's home page."""
    feed_size: int = 20
    """Items in each Atom feed."""
    unsafe_html: bool = False
    """Keep raw HTML in Markdown exactly as written, scripts and event handlers included. By
    default it is sanitised (nh3): tables, images and http/https/mailto links stay; scripts,
    iframes, event handlers and javascript: URLs go. Only for sites whose editors are all trusted."""
    timezone: str = "UTC"
    """IANA name of the timezone that dates without an offset are read in (``2023-02-24 10:30``),
    that articles show times in, and whose calendar decides an item's year and month folder."""
    missing_translations: str = "link"
    """What a language shows of items not translated into it: ``link`` lists them in its listings,
    feeds and search, marked as available in the other language only and linking to the original;
    ``hide`` leaves them out."""

    @property
    def base_path(self) -> str:
        """The path part of ``base_url`` ("/" or "/sub/"), prefixed to every internal link."""
        return urlsplit(self.base_url).path or "/"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_base_url(self, base_url: str) -> "Config":
        problem = base_url_problem(base_url)
        if problem:
            raise ValueError(problem)
        return replace(self, base_url=_normalise_base_url(base_url))


_PER_LANGUAGE = {"title", "description", "author"}
_CHOICES = {"missing_translations": ("link", "hide")}
_FLAGS = {"unsafe_html"}
_DEFAULT_TEXT = {
    "title": {"en": "News archive", "zh": "新闻档案"},
    "description": {"en": "News archive", "zh": "新闻档案"},
    "author": {"en": "News archive", "zh": "新闻档案"},
}


def _normalise_base_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


_URL_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f\"'<>\\`{}|^]")


def base_url_problem(url) -> str | None:
    """Why ``url`` cannot be the address a site is published at, or None. It is written into every
    page, feed and the sitemap: an absolute http(s) address with a host, no query, fragment or
    user name, and none of the characters that need escaping in HTML or a URL (quotes, spaces,
    angle brackets, backslashes)."""
    text = str(url)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{short(url)} is not an absolute http(s) URL such as https://owner.github.io/news-archive/"
    if _URL_UNSAFE.search(text):
        return f"{short(url)} holds a space, quote, angle bracket or other character a web address cannot hold as it is"
    if parts.query or parts.fragment or "?" in text or "#" in text or "@" in parts.netloc:
        return f"{short(url)} must be the site's address alone, without a query, fragment or user name"
    return None


def _is_zone(value) -> bool:
    if not isinstance(value, str) or not value or value.startswith(("/", ".")) or ".." in value:
        return False
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def load_config(path: Path | None) -> Config:
    """Read ``site.yaml`` (or use the defaults when ``path`` is None or missing)."""
    values: dict = {k: dict(v) for k, v in _DEFAULT_TEXT.items()}
    if path is None or not path.exists():
        return Config(**values)
    name = str(path)
    try:
        text = read_regular(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentErrors([ContentError(name, 1, "file", "is not UTF-8; save it as UTF-8")]) from None
    except OSError as exc:
        raise ContentErrors([ContentError(name, 1, "file", unreadable(exc))]) from None
    loader, node = compose(text, name)
    if node is None:
        return Config(**values)
    known = {f.name: f for f in fields(Config)}
    items, errors = mapping_items(node, name, 1, "config")
    for key, line, value_node in items:
        if key not in known:
            hint = difflib.get_close_matches(key, known, n=1)
            errors.append(ContentError(name, line, key, "unknown setting" + (f"; did you mean '{hint[0]}'?" if hint else "")))
            continue
        try:
            value = construct(loader, value_node)
        except ValueError as exc:
            errors.append(ContentError(name, line, key, str(exc)))
            continue
        if key in _PER_LANGUAGE:
            if not isinstance(value, dict) or set(value) != set(LANGUAGES) or not all(isinstance(v, str) and v for v in value.values()):
                errors.append(ContentError(name, line, key, f"must map each of {', '.join(LANGUAGES)} to a text"))
                continue
        elif key == "base_url":
            problem = base_url_problem(value)
            if problem:
                errors.append(ContentError(name, line, key, problem))
                continue
            value = _normalise_base_url(str(value))
        elif key == "timezone":
            if not _is_zone(value):
                hint = difflib.get_close_matches(str(value), sorted(available_timezones()), n=1)
                errors.append(ContentError(name, line, key, f"{short(value)} is not an IANA timezone name such as "
                              f"Asia/Shanghai" + (f"; did you mean '{hint[0]}'?" if hint else "")))
                continue
        elif key in _FLAGS:
            if not isinstance(value, bool):
                errors.append(ContentError(name, line, key, f"must be true or false, not {short(value)}"))
                continue
        elif key in _CHOICES:
            if value not in _CHOICES[key]:
                errors.append(ContentError(name, line, key, f"must be one of {', '.join(_CHOICES[key])}, not {short(value)}"))
                continue
        elif not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.append(ContentError(name, line, key, f"must be a whole number of at least 1, not {short(value)}"))
            continue
        values[key] = value
    if errors:
        raise ContentErrors(errors)
    return Config(**values)

"""Frozen records that flow through a build. Data only: no file access, no rendering."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping


@dataclass(frozen=True, repr=False)
class Article:
    """One language version of one news item, validated and complete.

    Its repr names the file and the digest of its bytes: short, and it changes whenever anything
    in the file changes, which is what page fingerprints (fingerprint.py) rely on."""

    path: str              # content file as shown in messages (relative to the working folder)
    file: str              # the same file, absolute
    lang: str              # "en" or "zh"
    year: int
    slug: str
    title: str
    date: date
    summary: str
    tags: tuple[str, ...]
    countries: tuple[str, ...]
    source: str            # the publisher the item came from (front matter "source")
    translated_from: str | None
    draft: bool
    body_html: str
    digest: str            # digest of what a translator translates (title, summary, body)
    source_digest: str | None  # on a translation: the original's digest when it was translated
    stamp: str             # digest of the whole file: changes whenever anything in it changes

    def __repr__(self) -> str:
        return f"Article({self.path}@{self.stamp})"

    @property
    def item(self) -> tuple[int, str]:
        """The identity shared by an item's language versions."""
        return (self.year, self.slug)

    @property
    def original_first(self) -> tuple[bool, str]:
        """Sort key over an item's versions: the original (names no original) first, then by language."""
        return (self.translated_from is not None, self.lang)


@dataclass(frozen=True)
class Tag:
    slug: str
    names: Mapping[str, str]   # language -> display name


@dataclass(frozen=True)
class Content:
    """Everything loaded from ``content/``."""

    articles: tuple[Article, ...]
    tags: Mapping[str, Tag]


@dataclass(frozen=True)
class Page:
    """One file to write: what it is, where it goes, how to render it, and what it is made from."""

    kind: str                    # article, news, tag, tags, country, countries, year, month, archive, ...
    lang: str | None             # None for language-neutral files (chooser, sitemap, robots)
    key: tuple                   # identity shared by the same page in both languages
    url: str                     # site-relative URL path, "" for the root ("en/news/")
    template: str
    context: Mapping[str, Any] = field(hash=False, compare=False)
    sources: tuple[str, ...] = ()  # content files the page is built from

"""Frozen records that flow through a build. Data only: no file access, no rendering."""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime as dt
from typing import Any, Mapping


@dataclass(frozen=True, order=True)
class Moment:
    """When something happened: an aware datetime in the site's timezone, and whether the editor
    gave a time (``2023-02-24 10:30``) or only a date (then ``at`` is midnight)."""

    at: dt.datetime
    timed: bool

    @property
    def date(self) -> dt.date:
        return self.at.date()

    @property
    def year(self) -> int:
        return self.at.year


@dataclass(frozen=True)
class LeadImage:
    """The photo at the head of an article (front matter ``image`` and its companions)."""

    name: str              # file in the item's media folder
    alt: str
    caption: str
    credit: str


@dataclass(frozen=True)
class MediaRef:
    """A file of the item's media folder that an article uses, and where it says so."""

    name: str
    line: int
    field: str             # "image" (the lead photo) or "body"
    image: bool            # shown as a picture (processed) rather than linked (published as it is)


@dataclass(frozen=True, repr=False)
class Article:
    """One language version of one news item, validated and complete. Every field is parsed from
    the file's bytes (with the site's vocabularies and settings), so the file and the digest of
    its bytes stand for it in page fingerprints (fingerprint.py) and in its short repr."""

    path: str              # content file as shown in messages (relative to the working folder)
    file: str              # the same file, absolute
    lang: str              # "en" or "zh"
    year: int
    slug: str
    title: str
    published: Moment      # front matter "date"
    updated: Moment | None
    summary: str
    tags: tuple[str, ...]
    countries: tuple[str, ...]
    institutions: tuple[str, ...]
    source: str            # the publisher the item came from (front matter "source")
    source_url: str        # the original's address, or ""
    image: LeadImage | None
    refs: tuple[MediaRef, ...]   # media files the article uses (lead photo, body images and links)
    translated_from: str | None
    draft: bool
    body_html: str
    digest: str            # digest of what a translator translates (title, summary, body)
    source_digest: str | None  # on a translation: the original's digest when it was translated
    stamp: str             # digest of the whole file: changes whenever anything in it changes
    aliases: tuple[str, ...] = ()   # addresses the item had before it moved (urls.py form), oldest first
    links: tuple[tuple[str, int], ...] = ()   # (target, line) of its body's links to items and site pages

    def __repr__(self) -> str:
        return f"Article({self.path}@{self.stamp})"

    @property
    def date(self) -> dt.date:
        """The day of publication in the site's timezone."""
        return self.published.date

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
class Institution:
    slug: str
    names: Mapping[str, str]   # language -> display name
    country: str               # ISO 3166-1 alpha-2
    url: str                   # its website, or ""


@dataclass(frozen=True)
class Content:
    """Everything loaded from ``content/``."""

    articles: tuple[Article, ...]
    tags: Mapping[str, Tag]
    institutions: Mapping[str, Institution] = field(default_factory=dict)
    media: Mapping[tuple, Mapping[str, Any]] = field(default_factory=dict)  # item -> file name -> MediaFile
    redirects: tuple = ()        # addresses.Redirect of content/redirects.yaml


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

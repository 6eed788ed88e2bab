"""Per-language listings, tags, countries, years and months, translations and neighbours.

Pure functions of the loaded content: no files, no rendering.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .config import LANGUAGES
from .model import Article, Content
from .terms import KINDS, TERM_KINDS, terms_of


@dataclass(frozen=True)
class LanguageIndex:
    lang: str
    articles: tuple[Article, ...]                        # this language's articles, newest first
    listed: tuple[Article, ...]                          # what its listings show: articles + foreign, newest first
    foreign: tuple[Article, ...]                         # items listed here in another language only
    by_term: Mapping[str, Mapping[str, tuple[Article, ...]]]  # kind -> term -> listed items, most used first
    by_year: Mapping[int, tuple[Article, ...]]           # newest year first
    by_month: Mapping[tuple[int, int], tuple[Article, ...]]
    older: Mapping[tuple, Article | None]                # item -> the next older item in this language
    newer: Mapping[tuple, Article | None]

    @property
    def by_tag(self) -> Mapping[str, tuple[Article, ...]]:
        return self.by_term["tag"]

    @property
    def by_country(self) -> Mapping[str, tuple[Article, ...]]:
        return self.by_term["country"]


@dataclass(frozen=True)
class Indexes:
    languages: Mapping[str, LanguageIndex]
    versions: Mapping[tuple, Mapping[str, Article]]      # item -> language -> article
    group_of: Mapping[str, Mapping[str, str]] = None     # kind -> term -> the term it is grouped under  # type: ignore[assignment]
    # language -> kind -> (term, item) -> its place in languages[language].by_term[kind][term]; kept
    # here, not on LanguageIndex, which pages carry (their fingerprints would walk it)
    positions: Mapping[str, Mapping[str, Mapping[tuple, int]]] = None  # type: ignore[assignment]

    def related(self, article: Article, limit: int = 4) -> tuple[Article, ...]:
        """Items of ``article``'s language listing that share the most institutions, then countries,
        then tags with it, newer first. Found by index: each of its terms' lists (newest first) is
        read only around the article's own place in it (``_NEAR`` either side), so the cost does not
        grow with the archive."""
        index, positions = self.languages[article.lang], self.positions[article.lang]
        found: dict[tuple, Article] = {}
        for kind in RELATED_BY:
            # Candidates that share this kind outrank any that share only later kinds: once there
            # are enough, later kinds' lists need not be read.
            if len(found) >= limit:
                break
            for term in terms_of(article, KINDS[kind]):
                listed = index.by_term[kind].get(term, ())
                where = positions[kind].get((term, article.item))
                if where is not None:
                    for other in listed[max(0, where - _NEAR):where + _NEAR + 1]:
                        if other.item != article.item:
                            found.setdefault(other.item, other)
        shared = [(set(terms_of(article, KINDS[kind])), KINDS[kind]) for kind in RELATED_BY]

        def rank(other: Article):
            return (*(len(terms.intersection(terms_of(other, kind))) for terms, kind in shared),
                    other.published.at, other.slug)
        return tuple(sorted(found.values(), key=rank, reverse=True)[:limit])

    def translation(self, article: Article) -> Article | None:
        """The other language's version of an item, if it is published."""
        for lang, a in self.versions[article.item].items():
            if lang != article.lang:
                return a
        return None

    def original(self, article: Article) -> Article | None:
        """The published original a translation names, if any."""
        return self.versions[article.item].get(article.translated_from) if article.translated_from else None

    def is_stale(self, article: Article) -> bool:
        """A translation whose original changed after the digest it recorded."""
        original = self.original(article)
        return bool(original and article.source_digest and original.digest != article.source_digest)


def _newest_first(articles) -> tuple[Article, ...]:
    return tuple(sorted(articles, key=lambda a: (a.published.at, a.slug), reverse=True))


def _group(articles: tuple[Article, ...], keys_of) -> dict:
    groups: dict = {}
    for a in articles:
        for key in keys_of(a):
            groups.setdefault(key, []).append(a)
    return {k: tuple(v) for k, v in groups.items()}


def _by_count(groups: dict) -> dict:
    """Most items first, then by key, so that the order is stable."""
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))


RELATED_BY = ("institution", "country", "tag")   # what related items share, in order of weight
_NEAR = 12   # related items: how far from an article's own place each of its terms' lists is read


def _positions(by_term: Mapping[str, tuple[Article, ...]]) -> dict[tuple, int]:
    return {(term, a.item): i for term, items in by_term.items() for i, a in enumerate(items)}


def _language_index(lang: str, articles: tuple[Article, ...], foreign: tuple[Article, ...]) -> LanguageIndex:
    ordered = _newest_first(articles)
    listed = _newest_first(articles + foreign)
    older = {a.item: (ordered[i + 1] if i + 1 < len(ordered) else None) for i, a in enumerate(ordered)}
    newer = {a.item: (ordered[i - 1] if i > 0 else None) for i, a in enumerate(ordered)}
    return LanguageIndex(
        lang=lang,
        articles=ordered,
        listed=listed,
        foreign=_newest_first(foreign),
        by_term={kind.name: _by_count(_group(listed, lambda a, k=kind: terms_of(a, k))) for kind in TERM_KINDS},
        by_year=dict(sorted(_group(listed, lambda a: (a.year,)).items(), reverse=True)),
        by_month=dict(sorted(_group(listed, lambda a: ((a.date.year, a.date.month),)).items(), reverse=True)),
        older=older,
        newer=newer,
    )


def _missing_in(lang: str, versions: Mapping[tuple, Mapping[str, Article]]) -> tuple[Article, ...]:
    """Items with no published version in ``lang``: each by its original (or its only) version."""
    missing = []
    for item_versions in versions.values():
        if lang not in item_versions:
            missing.append(min(item_versions.values(), key=lambda a: a.original_first))
    return tuple(missing)


def build_indexes(content: Content, drafts: bool = False, link_missing: bool = False) -> Indexes:
    """Per-language indexes. With ``link_missing``, items missing in a language are listed there too,
    in the language they exist in (the ``missing_translations: link`` policy)."""
    published = tuple(a for a in content.articles if drafts or not a.draft)
    versions: dict[tuple, dict[str, Article]] = {}
    for a in published:
        versions.setdefault(a.item, {})[a.lang] = a
    languages = {lang: _language_index(lang, tuple(a for a in published if a.lang == lang),
                                       _missing_in(lang, versions) if link_missing else ())
                 for lang in LANGUAGES}
    return Indexes(
        languages=languages,
        versions=versions,
        group_of={"institution": {slug: i.country for slug, i in content.institutions.items()}},
        positions={lang: {kind: _positions(terms) for kind, terms in index.by_term.items()}
                   for lang, index in languages.items()},
    )

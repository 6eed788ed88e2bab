"""Every page to write, as data: its template, its context and the content files it is built from.

Pure: no files are read or written here. Each page has a key shared with the same page in the
other language; alternates (hreflang, the sitemap, the language switcher) come from those keys.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime, timezone

from . import urls
from .addresses import REMOVED
from .config import LANGUAGES, Config
from .geography import CONTINENTS, OTHER, continent_of
from .indexes import Indexes, LanguageIndex
from .model import Article, Page
from .terms import KINDS, TERM_KINDS, TermKind


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    newer_url: str | None   # the page before (newer items), if any
    older_url: str | None   # the page after (older items), if any
    first_url: str = ""     # page 1; page n is urls.paginated(first_url, n)

    def numbers(self, around: int = 2) -> tuple[int | None, ...]:
        """The page numbers a pager shows: the first, the last, and ``around`` either side of this
        one, with None where numbers are left out (1 … 4 5 6 7 8 … 20)."""
        shown = sorted({1, self.pages} | set(range(max(1, self.page - around), min(self.pages, self.page + around) + 1)))
        found: list[int | None] = []
        for n in shown:
            if found and n - found[-1] == 2:   # a gap of one number: show it rather than "…"
                found.append(n - 1)
            elif found and n - found[-1] > 2:
                found.append(None)
            found.append(n)
        return tuple(found)


@dataclass(frozen=True)
class Switch:
    """Where the language switcher leads: the same page when it exists, else its nearest parent."""

    lang: str
    url: str
    exact: bool
    kind: str               # the kind of page switched to when not exact (for the message)


@dataclass(frozen=True)
class Crumb:
    """One step of a page's breadcrumbs: ``label`` is what the step is ("home", "news", "year", or
    the plural of a kind of term, named by the interface string of that key), ``value`` what
    names it when no string does (the year)."""

    label: str
    value: object
    url: str


# The menu item each kind of page belongs to (the menu marks it on every page of its section).
SECTIONS = {"home": "home", "news": "news", "article": "news", "year": "news", "month": "news",
            "archive": "archive", "search": "search", "tags": "tags", "tag": "tags",
            "countries": "countries", "country": "countries", "institutions": "institutions",
            "institution": "institutions"}


def _crumbs(kind: str, lang: str, key: tuple) -> tuple[Crumb, ...]:
    """Home › News › 2023 › (this page): the pages above one, by what its URL says it is under."""
    dated = kind in ("article", "year", "month")
    return _trail("article" if kind == "month" else kind, lang, key[1] if dated else None)


@lru_cache(maxsize=None)
def _trail(kind: str, lang: str, year: int | None) -> tuple[Crumb, ...]:
    """One tuple per trail, shared by the pages that have it (their fingerprints walk it once)."""
    if kind == "home":
        return ()
    trail = [Crumb("home", None, urls.home(lang))]
    if year is not None:
        trail.append(Crumb("news", None, urls.news(lang)))
        if kind != "year":
            trail.append(Crumb("year", year, urls.year(lang, year)))
    elif kind in KINDS:
        trail.append(Crumb(KINDS[kind].plural, None, urls.terms(lang, kind)))
    return tuple(trail)


@dataclass(frozen=True)
class _Draft:
    kind: str
    lang: str | None
    key: tuple
    parent: tuple | None
    url: str
    template: str
    context: dict
    sources: tuple[str, ...]


SEARCH_RECORDS = "search-records"
"""The kind of page that holds a language's extra search records (items listed there in another
language only). It is handed to the search indexer, not written to the site."""


def _paths(articles) -> tuple[str, ...]:
    return tuple(sorted({a.path for a in articles if a is not None}))


def _chunks(items: tuple, size: int) -> list[tuple]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [()]


def _media(items, media) -> dict:
    """The processed media of the items a page shows (its fingerprint then follows them)."""
    if media is None:
        return {}
    return {a.item: media.of(a.item) for a in items if a is not None and a.refs}


def _listing(kind: str, lang: str, key: tuple, parent: tuple, url_of, items: tuple[Article, ...],
             size: int, extra: dict, media=None) -> list[_Draft]:
    """A paginated listing: page 1 at ``url_of(1)``, further pages under ``page/N/``."""
    chunks = _chunks(items, size)
    drafts = []
    # a long list of a term is walked by year: each year links to the page its newest item is on
    year_pages: dict[int, str] = {}
    if kind != "news" and len(chunks) > 1:
        for n, chunk in enumerate(chunks, start=1):
            for a in chunk:
                year_pages.setdefault(a.date.year, url_of(n))
    by_year = tuple((year, url) for year, url in year_pages.items())
    for n, chunk in enumerate(chunks, start=1):
        if n == 1:
            chunk = reader_first(chunk, lang)
        pagination = Pagination(
            page=n, pages=len(chunks),
            newer_url=url_of(n - 1) if n > 1 else None,
            older_url=url_of(n + 1) if n < len(chunks) else None,
            first_url=url_of(1),
        )
        drafts.append(_Draft(
            kind=kind, lang=lang, key=key + (n,), parent=parent if n == 1 else key + (1,), url=url_of(n),
            template="listing.html", context={"items": chunk, "total": len(items), "pagination": pagination,
                                                   "media": _media(chunk, media), "by_year": by_year, **extra},
            sources=_paths(chunk),
        ))
    return drafts


def _feed(lang: str, key: tuple, url: str, page_url: str, items: tuple[Article, ...], config: Config,
          extra: dict, media=None) -> _Draft:
    items = items[: config.feed_size]
    return _Draft(kind="feed", lang=lang, key=key, parent=None, url=url, template="feed.xml",
                  context={"items": items, "page_url": page_url, "updated": _updated(items),
                           "media": _media(items, media), **extra},
                  sources=_paths(items))


def _updated(items: tuple[Article, ...]) -> datetime:
    """A feed's update time comes from its content, so that builds are reproducible."""
    return max(((a.updated or a.published).at for a in items), default=datetime(1970, 1, 1, tzinfo=timezone.utc))


NOT_FOUND_LATEST = 5   # the 404 page lists the latest items of each language
FACET_SIZE = 12   # the news list can be narrowed to this many countries and tags (the most used)


def _per_year(items) -> tuple[tuple[int, int], ...]:
    """(year, number of items), oldest year first (charts read left to right)."""
    counts: dict[int, int] = {}
    for a in items:
        counts[a.date.year] = counts.get(a.date.year, 0) + 1
    return tuple(sorted(counts.items()))


def _facets(index: LanguageIndex) -> dict:
    """What the news list can be narrowed to with plain links: years, and the most used countries
    and tags, with their counts."""
    return {"years": tuple((year, len(items)) for year, items in index.by_year.items()),
            "country": tuple((c, len(items)) for c, items in list(index.by_country.items())[:FACET_SIZE]),
            "tag": tuple((t, len(items)) for t, items in list(index.by_tag.items())[:FACET_SIZE]),
            "more": {"country": len(index.by_country) > FACET_SIZE, "tag": len(index.by_tag) > FACET_SIZE}}


def _step(periods: list, i: int):
    """The period at ``i`` of a list (newest first), or None past either end."""
    return periods[i] if 0 <= i < len(periods) else None


def _month_counts(index: LanguageIndex, year: int):
    """((year, month), number of items) of one year, newest month first."""
    return tuple((key, len(items)) for key, items in index.by_month.items() if key[0] == year)


def reader_first(items: tuple[Article, ...], lang: str) -> tuple[Article, ...]:
    """The items with the newest one in the reader's language first (a lead slot never goes to
    an item the reader may not read while one in their language is at hand), the rest in order."""
    own = next((i for i, a in enumerate(items) if a.lang == lang), 0)
    return (items[own],) + items[:own] + items[own + 1:] if items else items


def _language_pages(index: LanguageIndex, indexes: Indexes, config: Config, media) -> list[_Draft]:
    lang = index.lang
    size = config.page_size
    all_items = index.listed
    per_year = _per_year(all_items)
    home = reader_first(all_items, lang)[: config.home_size]
    pages = [
        _Draft("home", lang, ("home",), None, urls.home(lang), "home.html",
               {"items": home, "index": index, "per_year": per_year, "media": _media(home, media)},
               _paths(home)),
        _Draft("search", lang, ("search",), ("home",), urls.search(lang), "search.html", {}, ()),
        _Draft("archive", lang, ("archive",), ("home",), urls.archive(lang), "archive.html",
               {"index": index, "per_year": per_year}, ()),
        _feed(lang, ("feed",), urls.feed(lang), urls.news(lang), all_items, config, {"term_kind": None, "term": None},
              media),
    ]
    pages += _listing("news", lang, ("news",), ("home",), lambda n: urls.news(lang, n), all_items, size,
                      {"term_kind": None, "term": None, "facets": _facets(index)}, media)
    if index.foreign:
        pages.append(_Draft(SEARCH_RECORDS, lang, (SEARCH_RECORDS,), None, urls.search_records(lang),
                            "search-records.json", {"items": index.foreign}, _paths(index.foreign)))
    for a in index.articles:
        translation = indexes.translation(a)
        older, newer = index.older[a.item], index.newer[a.item]
        related = indexes.related(a)
        pages.append(_Draft("article", lang, ("article",) + a.item, ("news", 1), urls.article(a), "article.html",
                            {"article": a, "translation": translation, "older": older, "newer": newer,
                             "related": related, "stale": indexes.is_stale(a),
                             "media": _media((a,) + related, media)},
                            _paths((a, translation, older, newer) + related)))
    years, months = list(index.by_year), list(index.by_month)   # newest first
    for i, (year, items) in enumerate(index.by_year.items()):
        # headlines only, under a month index: a year of thousands stays a page a reader can walk
        pages.append(_Draft("year", lang, ("year", year), ("archive",), urls.year(lang, year), "period.html",
                            {"year": year, "month": None, "items": items, "media": {},
                             "newer": _step(years, i - 1), "older": _step(years, i + 1),
                             "months": tuple((m, n) for (y, m), n in _month_counts(index, year))},
                            _paths(items)))
    for i, ((year, month), items) in enumerate(index.by_month.items()):
        pages.append(_Draft("month", lang, ("month", year, month), ("year", year), urls.month(lang, year, month),
                            "period.html", {"year": year, "month": month, "items": items, "media": _media(items, media),
                                            "newer": _step(months, i - 1), "older": _step(months, i + 1)},
                            _paths(items)))
    for kind in TERM_KINDS:
        pages += _term_pages(kind, index, indexes, config, media)
    return pages


def _members(index: LanguageIndex, indexes: Indexes, kind: str) -> dict[str, tuple[tuple[str, int], ...]]:
    """For each term of ``kind``, the terms of other kinds grouped under it, with their counts
    (a country's institutions)."""
    members: dict[str, list] = {}
    for member_kind, group_of in indexes.group_of.items():
        if KINDS[member_kind].grouped_by == kind:
            for term, items in index.by_term[member_kind].items():
                members.setdefault(group_of[term], []).append((term, len(items)))
    return {term: tuple(found) for term, found in members.items()}


def _term_pages(term_kind: TermKind, index: LanguageIndex, indexes: Indexes, config: Config,
                media) -> list[_Draft]:
    kind, plural, grouped_by = term_kind.name, term_kind.plural, term_kind.grouped_by
    lang = index.lang
    terms = index.by_term[kind]
    groups = None
    # the group terms that have pages of their own here (an institution's country may have none)
    with_pages = tuple(sorted(index.by_term[grouped_by])) if grouped_by else ()
    if grouped_by:   # the overview in groups, the group with most items first
        by_group: dict[str, list] = {}
        for term, items in terms.items():
            by_group.setdefault(indexes.group_of[kind][term], []).append((term, items))
        groups = tuple(sorted(((g, tuple(members)) for g, members in by_group.items()),
                              key=lambda g: (-sum(len(items) for _, items in g[1]), g[0])))
    if kind == "country":   # the overview in continents, as on a map
        by_region: dict[str, list] = {}
        for term, items in terms.items():
            by_region.setdefault(continent_of(term), []).append((term, items))
        regions = tuple((r, len({a.item for _, items in by_region[r] for a in items}), tuple(by_region[r]))
                        for r in (*CONTINENTS.values(), OTHER) if r in by_region)
    else:
        regions = None
    pages = [_Draft(plural, lang, (plural,), ("home",), urls.terms(lang, kind), "terms.html",
                    {"terms": terms, "term_kind": kind, "groups": groups, "regions": regions,
                     "with_pages": with_pages}, ())]
    members = _members(index, indexes, kind)
    for term, items in terms.items():
        extra = {"term_kind": kind, "term": term}
        feed_url = urls.term_feed(lang, kind, term)
        about = {"feed_url": feed_url, "latest": items[0], "first": items[-1],
                 "per_year": _per_year(items), "members": members.get(term, ()),
                 "with_pages": with_pages}
        pages += _listing(kind, lang, (kind, term), (plural,), lambda n, t=term: urls.term(lang, kind, t, n),
                          items, config.page_size, {**extra, **about}, media)
        pages.append(_feed(lang, (kind + "-feed", term), feed_url, urls.term(lang, kind, term), items, config, extra,
                           media))
    return pages


def _lastmod(page: Page):
    """When an article last changed, as its editor says (``updated``, else ``date``)."""
    if page.kind != "article":
        return None
    a = page.context["article"]
    return a.updated or a.published


def _switch(draft: _Draft, other: str, by_key: dict, parents: dict) -> Switch:
    key = draft.key
    while key is not None and (key, other) not in by_key:
        key = parents.get(key)
    if key is None:
        key = ("home",)
    target = by_key[(key, other)]
    return Switch(lang=other, url=target.url, exact=key == draft.key, kind=target.kind)


def _language_of(url: str) -> str | None:
    first = url.split("/", 1)[0]
    return first if first in LANGUAGES else None


def _old_addresses(indexes: Indexes, redirects) -> list[Page]:
    """A page at each old address: an item's aliases lead to the item; redirects.yaml's addresses
    to their target, or to a notice that the page was removed."""
    pages = []
    for lang, index in indexes.languages.items():
        for a in index.articles:
            pages += [Page("redirect", lang, ("redirect", alias), alias, "redirect.html",
                           {"target": urls.article(a)}, (a.path,)) for alias in a.aliases]
    for r in redirects:
        if r.target == REMOVED:
            pages.append(Page("removed", _language_of(r.address), ("removed", r.address), r.address, "removed.html",
                              {}, ()))
        else:
            pages.append(Page("redirect", _language_of(r.address), ("redirect", r.address), r.address,
                              "redirect.html", {"target": r.target}, ()))
    return pages


def plan_site(indexes: Indexes, config: Config, media=None, redirects=()) -> tuple[Page, ...]:
    """Every page of the site, complete with alternates and language-switch targets. ``media``
    (a media.MediaSet) gives the processed photos and documents of the items pages show;
    ``redirects`` (addresses.Redirect) the old addresses kept by content/redirects.yaml."""
    drafts: list[_Draft] = []
    for lang in LANGUAGES:
        drafts += _language_pages(indexes.languages[lang], indexes, config, media)
    by_key = {(d.key, d.lang): d for d in drafts}
    parents = {d.key: d.parent for d in drafts}
    # one tuple per key, shared by the language versions of the page
    alternates = {key: tuple((lang, by_key[(key, lang)].url) for lang in LANGUAGES if (key, lang) in by_key)
                  for key in parents}
    pages: list[Page] = []
    for d in drafts:
        context = d.context
        if d.template.endswith(".html"):
            context = {**context, "alternates": alternates[d.key], "section": SECTIONS.get(d.kind),
                       "crumbs": _crumbs(d.kind, d.lang, d.key),
                       "switch": tuple(_switch(d, other, by_key, parents) for other in LANGUAGES if other != d.lang)}
        pages.append(Page(d.kind, d.lang, d.key, d.url, d.template, context, d.sources))
    homes = tuple((lang, urls.home(lang)) for lang in LANGUAGES)
    html_pages = tuple(p for p in pages if p.template.endswith(".html"))
    all_paths = _paths(a for index in indexes.languages.values() for a in index.articles)
    pages += [
        Page("chooser", None, ("chooser",), urls.chooser(), "chooser.html", {"alternates": homes}, ()),
        Page("404", None, ("404",), urls.NOT_FOUND, "404.html",
             {"alternates": (), "latest": {lang: indexes.languages[lang].listed[:NOT_FOUND_LATEST] for lang in LANGUAGES}},
             _paths(a for lang in LANGUAGES for a in indexes.languages[lang].listed[:NOT_FOUND_LATEST])),
        Page("robots", None, ("robots",), urls.ROBOTS, "robots.txt", {}, ()),
    ]
    sitemap_entries = ((urls.chooser(), homes, None),) + tuple(
        (p.url, p.context["alternates"], _lastmod(p)) for p in html_pages)
    pages.append(Page("sitemap", None, ("sitemap",), urls.SITEMAP, "sitemap.xml",
                      {"entries": sitemap_entries}, all_paths))
    return tuple(pages + _old_addresses(indexes, redirects))

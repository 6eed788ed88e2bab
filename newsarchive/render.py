"""The Jinja environment (autoescaping, StrictUndefined) and the rendering of one planned page.

Template context (every page): ``page`` (the planned Page), ``lang`` (its language, "en" for the
language-neutral chooser and 404), ``url``, ``kind``, ``config``, plus the page's own context from
the plan (see plan.py). Functions: ``t(key, **values)``, ``count(key, n)``, ``href(url)`` (link
with the base path), ``abs_url(url)``, ``urls`` (the urls module), ``autonym(lang)``,
``in_lang(lang, key)``, ``month_name(year, month)``, ``term_kinds`` and ``kinds_by_name`` (terms.py),
``institution(slug)``, ``picture(...)``, ``body(article, media)``, ``search_tokens(*texts)`` (searchtext.py),
``label(key)`` (a label and the space after it, none after a full-width colon), ``month_label`` and
``month_short`` (a month's name on its own), ``year_bars``, ``chart_box``, ``world_shapes`` and
``map_size`` (charts.py); filters ``long_date`` (a date), ``long_moment``, ``iso_date``,
``iso_moment``, ``rfc3339``, ``sort_time``, ``country_name``, ``tag_name``, ``term_name(kind)``,
``reading_minutes`` (of a text), ``excerpt_source`` (the text search keeps for excerpts).
"""
from __future__ import annotations

import re
from datetime import timezone
from pathlib import Path
from typing import Mapping

import jinja2
from markupsafe import Markup
from jinja2 import pass_context

from . import urls
from .config import Config
from .i18n import LANGUAGE_INFO, Catalogue
from .charts import chart_box, map_key, map_size, world_shapes, year_bars
from .figures import ARTICLE_SIZES, RELATED_SIZES, THUMB_SIZES, body_html, picture_html
from .model import Institution, Moment, Page, Tag
from .terms import KINDS, TERM_KINDS
from .searchtext import token_text
from .headlines import headline_html
from .yamlread import BAD_CHARACTER


FULL_WIDTH_PUNCTUATION = ("：", "，", "。", "；", "！", "？", "、")


def _lang(ctx) -> str:
    return ctx["lang"]


def make_environment(templates: Path, config: Config, catalogues: dict[str, Catalogue],
                     tags: Mapping[str, Tag], institutions: Mapping[str, Institution] | None = None) -> jinja2.Environment:
    institutions = institutions or {}
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    @pass_context
    def t(ctx, key: str, **values) -> str:
        return catalogues[_lang(ctx)].text(key, **values)

    @pass_context
    def label(ctx, key: str) -> str:
        """A label followed by what it labels: a space after a Latin colon, none after a full-width
        one, which holds its own space (发布日期：2023年)."""
        text = catalogues[_lang(ctx)].text(key)
        return text if text.endswith(FULL_WIDTH_PUNCTUATION) else text + " "

    @pass_context
    def count(ctx, key: str, n: int, **values) -> str:
        return catalogues[_lang(ctx)].count(key, n, **values)

    @pass_context
    def long_date(ctx, d) -> str:
        return catalogues[_lang(ctx)].date(d)

    @pass_context
    def short_day(ctx, d) -> str:
        return catalogues[_lang(ctx)].day(d)

    @pass_context
    def long_moment(ctx, m: Moment) -> str:
        """The day, and the time when the editor gave one."""
        return catalogues[_lang(ctx)].moment(m.at, m.timed)

    @pass_context
    def month_name(ctx, year: int, month: int) -> str:
        return catalogues[_lang(ctx)].month(year, month)

    @pass_context
    def month_label(ctx, month: int) -> str:
        return catalogues[_lang(ctx)].month_alone(month)

    @pass_context
    def month_short(ctx, month: int) -> str:
        return catalogues[_lang(ctx)].month_alone(month, "abbreviated")

    @pass_context
    def country_name(ctx, code: str) -> str:
        return catalogues[_lang(ctx)].country(code)

    @pass_context
    def tag_name(ctx, slug: str) -> str:
        return tags[slug].names[_lang(ctx)]

    vocabularies = {"tags": tags, "institutions": institutions}

    @pass_context
    def term_name(ctx, term: str, kind: str) -> str:
        """A term's display name in the page's language, whatever its kind."""
        source = KINDS[kind].names
        if source == "cldr":
            return catalogues[_lang(ctx)].country(term)
        return vocabularies[source][term].names[_lang(ctx)]

    def picture(pic, alt: str, lazy: bool = True, thumb: bool = False, css_class: str = "", search_image=False,
                related=False):
        sizes = RELATED_SIZES if related else THUMB_SIZES if thumb else ARTICLE_SIZES
        return picture_html(pic, alt, config.base_path, sizes=sizes, lazy=lazy,
                            css_class=css_class, search_image=search_image)

    def body(article, media) -> Markup:
        """The article's body with its photos as pictures and figures, and media links published."""
        return body_html(article.body_html, article.slug, media.get(article.item, {}), config.base_path)

    env.globals.update(
        picture=picture, body=body, search_tokens=token_text,
        year_bars=year_bars, chart_box=chart_box(), world_shapes=world_shapes, map_key=map_key, map_size=map_size,
        t=t, label=label, count=count, urls=urls, config=config, languages=tuple(catalogues),
        href=lambda url: config.base_path + url,
        abs_url=lambda url: config.base_url + url,
        month_name=month_name, month_label=month_label, month_short=month_short, term_kinds=TERM_KINDS, kinds_by_name=KINDS, institution=lambda slug: institutions[slug],
        autonym=lambda lang: catalogues[lang].text("autonym"),
        in_lang=lambda lang, key, **values: catalogues[lang].text(key, **values),
        og_locale=lambda lang: LANGUAGE_INFO[lang].og_locale,
    )
    env.filters.update(
        long_date=long_date, short_day=short_day, long_moment=long_moment, country_name=country_name, tag_name=tag_name, term_name=term_name,
        iso_date=lambda d: d.isoformat(),
        iso_moment=iso_moment, rfc3339=rfc3339, sort_time=sort_time, reading_minutes=reading_minutes,
        pagefind_attribute=pagefind_attribute, first_address=first_address, excerpt_source=excerpt_source,
        headline=lambda a: headline_html(a.title, a.lang),
    )
    return env


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
EXCERPT_SOURCE = 3000   # characters of a body kept for search excerpts (a match further on shows its start)


def excerpt_source(text: str) -> str:
    """The part of an item's text that search keeps to cut excerpts from."""
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_SOURCE else text[:EXCERPT_SOURCE]


def first_address(article) -> str:
    """The address an item was first published at: its oldest alias of the article form
    (``L/news/YYYY/slug/``; an alias from another site's addresses does not count), else its own."""
    return next((alias for alias in article.aliases if _ARTICLE_ADDRESS.fullmatch(alias)), urls.article(article))


_ARTICLE_ADDRESS = re.compile(r"[a-z]{2}/news/[0-9]{4}/[a-z0-9-]+/")


def pagefind_attribute(name: str) -> str:
    """A name as a ``data-pagefind-filter="Key:value"`` attribute must hold it for Pagefind to
    read the name itself: Pagefind decodes such a value twice (its HTML rewriter, then its
    normalisation), after the template's autoescaping encoded it once; so it is encoded once more
    here, as plain text (not Markup), for autoescaping still to apply. A test holds names with
    ``&``, ``<`` and quotes to what the search page then shows."""
    return str(name).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


HAN_PER_MINUTE = 400     # characters of Chinese read in a minute (silent reading of news)
WORDS_PER_MINUTE = 230   # words of English


def reading_minutes(text: str) -> int:
    """Minutes to read a text (an article's body without its markup): Chinese by characters,
    other text by words, at least one."""
    han = len(text) - len(_HAN_RUN.sub("", text))
    if han:   # what is left between Chinese runs is mostly punctuation: count words with a letter or digit
        words = sum(1 for w in _HAN_RUN.sub(" ", text).split() if any(c.isalnum() for c in w))
    else:
        words = len(text.split())
    return max(1, round(han / HAN_PER_MINUTE + words / WORDS_PER_MINUTE))


def rfc3339(m) -> str:
    """A full RFC 3339 timestamp with the offset (feeds): of a Moment or an aware datetime."""
    return (m.at if isinstance(m, Moment) else m).isoformat(timespec="seconds")


def iso_moment(m: Moment) -> str:
    """ISO 8601 as precise as the editor was: the date, or the date and time with its offset."""
    return rfc3339(m) if m.timed else m.date.isoformat()


def sort_time(m: Moment) -> str:
    """A UTC timestamp that sorts as text (search results by date)."""
    return m.at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class TemplateFailure(Exception):
    """A template could not render a page; the message names the template file and line."""


def _template_location(exc: BaseException, templates: str) -> str:
    """The innermost template frame of a rendering error, as ``templates/x.html:12``."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}"
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(templates):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where or templates


def render_page(env: jinja2.Environment, page: Page) -> bytes:
    try:
        template = env.get_template(page.template)
        text = template.render(page=page, lang=page.lang or "en", url=page.url, kind=page.kind, **page.context)
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:   # anything a template does wrong ({{ 1 // 0 }} too) is the template's error
        templates = env.loader.searchpath[0]  # type: ignore[union-attr]
        what = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        raise TemplateFailure(f"{_template_location(exc, templates)}: template: {what} (rendering /{page.url})") from exc
    bad = BAD_CHARACTER.search(text)
    if bad:   # content checks keep these out; a page or feed holding one would be invalid
        raise RuntimeError(f"/{page.url} would contain U+{ord(bad[0]):04X}, which no page or feed may hold")
    return text.encode("utf-8")

"""Pictures in pages: ``<picture>`` markup with WebP and fallback ``srcset``, ``sizes``, ``width``
and ``height`` (no layout shift), and the rewriting of an article body's media references.

In a body, an image alone in its paragraph becomes a ``<figure>`` (its Markdown title is the
caption); an image inside text stays inline. Links to media files lead to their published copy.
"""
from __future__ import annotations

import re
from html import escape, unescape
from typing import Mapping

from markupsafe import Markup

from .content import attributes, local_media
from .fields import media_name
from .media import Attachment, Picture

ARTICLE_SIZES = "(min-width: 48rem) 46rem, 100vw"
THUMB_SIZES = "(max-width: 30rem) 6.5rem, 10rem"   # as style.css draws listing thumbnails
RELATED_SIZES = "6.5rem"                            # ... and related items' (beside their titles)


def picture_html(picture: Picture, alt: str, base_path: str, *, sizes: str = ARTICLE_SIZES, lazy: bool = True,
                 css_class: str = "", search_image: bool = False) -> Markup:
    """``search_image`` makes this the picture search results show (Pagefind's ``image`` meta)."""
    def srcset(ext: str) -> str:   # URLs are percent-encoded (urls.media): no space or comma splits them
        return escape(", ".join(f"{base_path}{url} {w}w" for url, w in picture.srcset(ext)))
    src = escape(base_path + picture.url(picture.best(800), picture.fallback))
    loading = ' loading="lazy" decoding="async"' if lazy else ' fetchpriority="high"'
    cls = f' class="{escape(css_class)}"' if css_class else ""
    meta = ' data-pagefind-meta="image[src], image_alt[alt]"' if search_image else ""
    sizes = escape(sizes)
    return Markup(
        f'<picture{cls}><source type="image/webp" srcset="{srcset("webp")}" sizes="{sizes}">'
        f'<img src="{src}" srcset="{srcset(picture.fallback)}" sizes="{sizes}" width="{picture.width}" '
        f'height="{picture.height}" alt="{escape(alt)}"{loading}{meta}></picture>')


_FIGURE = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>")
_IMG = re.compile(r"<img\b(?P<attrs>[^>]*)>")
_HREF = re.compile(r'(<a\b[^>]*?\bhref=")(?P<target>[^"]*)(")')
_TABLE_OPEN = re.compile(r"<table\b[^>]*>")
_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")(?P<target>/[^"]*)(")')


def body_html(html: str, slug: str, media: Mapping[str, Picture | Attachment], base_path: str) -> Markup:
    """An article body with its media references made into pictures, figures and links."""
    def resolve(target: str):
        name = local_media(target, slug)
        if name is None:
            return None
        try:
            return media.get(media_name(name, slug))
        except ValueError:
            return None

    def image(attrs: dict) -> str | None:
        found = resolve(attrs.get("src", ""))
        if not isinstance(found, Picture):
            return None
        return picture_html(found, attrs.get("alt", ""), base_path)

    def figure(match: re.Match) -> str:
        attrs = attributes(match[1][4:])
        pic = image(attrs)
        if pic is None:
            return match[0]
        caption = f"<figcaption>{escape(attrs['title'])}</figcaption>" if attrs.get("title") else ""
        return f'<figure class="body-figure">{pic}{caption}</figure>'

    def inline(match: re.Match) -> str:
        return image(attributes(match["attrs"])) or match[0]

    def link(match: re.Match) -> str:
        found = resolve(match["target"])
        if isinstance(found, Picture):    # the widest processed copy, never the original
            url = found.url(found.widths[-1], found.fallback)
        elif isinstance(found, Attachment):
            url = found.url
        else:
            return f"{match[1]}{escape(site_address(unescape(match['target']), base_path))}{match[3]}"
        return f"{match[1]}{escape(base_path + url)}{match[3]}"

    html = _FIGURE.sub(figure, html)
    html = _IMG.sub(inline, html)
    # a wide table scrolls within the column (by keyboard too) instead of widening the page
    html = _TABLE_OPEN.sub(lambda m: f'<div class="table-scroll" tabindex="0">{m[0]}', html).replace("</table>", "</table></div>")
    html = _SRC.sub(lambda m: f"{m[1]}{escape(site_address(unescape(m['target']), base_path))}{m[3]}", html)
    return Markup(_HREF.sub(link, html))


def site_address(target: str, base_path: str) -> str:
    """A link an editor wrote as a site address (``/en/news/2023/visit/``) under the base path the
    site is published at (``/news-archive/en/news/…`` on a GitHub Pages project site); anything
    else as it is. An address that already starts with the base path is left alone."""
    if not target.startswith("/") or target.startswith("//") or base_path == "/" or target.startswith(base_path):
        return target
    return base_path + target[1:]

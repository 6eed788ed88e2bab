"""Markdown body to safe HTML: Python-Markdown, then nh3 removes scripts and event handlers.

Python-Markdown has weak spots that hostile or broken input finds: constructs it scans quadratically
(markupcost.py: 20 KB of '[' took 74 s) and nested lists and quotes, which recurse (600 levels raise
RecursionError). Bodies past a scanning budget are refused before rendering, and too deep nesting
is reported; both as a ``MarkupError`` with the body's line.
"""
from __future__ import annotations

import re
import threading

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

from .markupcost import too_costly

_EXTENSIONS = ["extra", "sane_lists", "toc"]
_EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode, "permalink": False}}

# Tables, images and links survive; scripts, iframes, event handlers and javascript: URLs do not.
_URL_SCHEMES = {"http", "https", "mailto"}
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"id", "class", "title", "lang", "dir"}

class MarkupError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line, self.message = line, message


def _check_cost(text: str) -> None:
    """Refuse a body that would cost Python-Markdown minutes (markupcost.py)."""
    found = too_costly(text)
    if found:
        raise MarkupError(*found)


_local = threading.local()


def _converter() -> markdown.Markdown:
    """This thread's converter. Building one (loading its extensions) cost a fifth of Python-Markdown's
    time per item; ``reset()`` between bodies clears what one body leaves (footnotes, abbreviations,
    the table of contents' ids)."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    return md


def render_markdown(text: str, sanitize: bool = True) -> str:
    """Convert one Markdown body to HTML, sanitised unless the site opted out (``unsafe_html``)."""
    _check_cost(text)
    try:
        html = _converter().reset().convert(text)
    except RecursionError:
        _local.md = None   # a converter that stopped half-way is not reused
        first = len(text) - len(text.lstrip("\n"))   # where the body's text starts
        raise MarkupError(1 + first, "lists or quotes are nested too deeply to render (hundreds of levels)") from None
    if sanitize:
        html = nh3.clean(html, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES, link_rel=None)
    return unique_ids(html)


# Ids the page around a body holds (templates/): a body's heading "Main" would otherwise get the
# id of the page's own <main id="main">, and the skip link would lead into the story.
PAGE_IDS = frozenset({"main", "header-q", "related-heading", "search", "search-input", "top-story", "more-news",
                      "browse", "archive-table-caption", "country-institutions"})
_ID = re.compile(r'(<[a-zA-Z][^>]*?\sid=")([^"]*)(")')


def unique_ids(html: str) -> str:
    """Make every id in a body unique, and none of the page's own (PAGE_IDS): a repeated or taken
    id gets a number (``main-1``), and the body's links to it (``#main``) follow."""
    seen: set[str] = set()
    renamed: dict[str, str] = {}

    def fix(match: re.Match) -> str:
        old = new = match[2]
        n = 0
        while new in PAGE_IDS or new in seen:
            n += 1
            new = f"{old}-{n}"
        seen.add(new)
        if new != old:
            renamed.setdefault(old, new)
        return match[1] + new + match[3]

    if ' id="' not in html:
        return html
    html = _ID.sub(fix, html)
    for old, new in renamed.items():
        html = html.replace(f'href="#{old}"', f'href="#{new}"')
    return html

"""Markdown body to safe HTML: Python-Markdown, then nh3 removes scripts and event handlers."""
from __future__ import annotations

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

_EXTENSIONS = ["extra", "sane_lists", "toc"]
_EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode, "permalink": False}}

# Tables, images and links survive; scripts, iframes, event handlers and javascript: URLs do not.
_URL_SCHEMES = {"http", "https", "mailto"}
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"id", "class", "title", "lang", "dir"}


def render_markdown(text: str, sanitize: bool = True) -> str:
    """Convert one Markdown body to HTML, sanitised unless the site opted out (``unsafe_html``)."""
    html = markdown.markdown(text, extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    if not sanitize:
        return html
    return nh3.clean(html, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES, link_rel=None)

"""Markdown body to safe HTML: Python-Markdown, then nh3 removes scripts and event handlers.

Python-Markdown has two weak spots that hostile or broken input finds: every '[' scans ahead for
its closing ']' (20 KB of '[' took 74 s), and nested lists and quotes recurse (600 levels raise
RecursionError). Bodies past a scanning budget are refused before rendering, and too deep nesting
is reported; both as a ``MarkupError`` with the body's line.
"""
from __future__ import annotations

import re
import threading

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

_EXTENSIONS = ["extra", "sane_lists", "toc"]
_EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode, "permalink": False}}

# Tables, images and links survive; scripts, iframes, event handlers and javascript: URLs do not.
_URL_SCHEMES = {"http", "https", "mailto"}
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"id", "class", "title", "lang", "dir"}

# Characters Python-Markdown may scan for closing brackets in one body: about 1.5 s of its time.
# A real item with a hundred links costs a few thousand.
BRACKET_BUDGET = 5_000_000
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


class MarkupError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(f"{line}: {message}")
        self.line, self.message = line, message


def bracket_cost(paragraph: str) -> int:
    """How many characters Python-Markdown scans looking for the ']' of every '[': up to the
    matching ']', or to the end of the paragraph for a '[' never closed."""
    cost, opened = 0, []
    for match in re.finditer(r"(?<!\\)[\[\]]", paragraph):
        if match[0] == "[":
            opened.append(match.start())
        elif opened:
            cost += match.start() - opened.pop()
    return cost + sum(len(paragraph) - at for at in opened)


def _check_cost(text: str) -> None:
    """Refuse a body whose brackets would cost more than the budget, naming its costliest paragraph."""
    if "[" not in text:
        return
    total, worst, start = 0, (0, 0), 0
    for end, after in [(m.start(), m.end()) for m in _PARAGRAPHS.finditer(text)] + [(len(text), len(text))]:
        cost = bracket_cost(text[start:end])
        total += cost
        worst = max(worst, (cost, -start))
        start = after
    if total > BRACKET_BUDGET:
        raise MarkupError(text.count("\n", 0, -worst[1]) + 1,
                          "the '[' without a matching ']' in this paragraph (and perhaps others) would make the "
                          "item take minutes to render; close them or write them as \\[")


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
    if not sanitize:
        return html
    return nh3.clean(html, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES, link_rel=None)

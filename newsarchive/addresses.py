"""Published addresses that must keep working: old addresses of moved items (front matter
``aliases``), and ``content/redirects.yaml`` for addresses whose page is gone (an item removed, a
country no item names any more), each leading to another page or to a "removed" notice.

Static hosts cannot answer 301: an old address gets a page of its own that sends the reader on
(``meta refresh``, ``rel=canonical``, ``noindex``), as Hugo's aliases and Jekyll's
``redirect_from`` do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .discovery import display
from .errors import ContentError, ContentErrors
from .files import read_text
from .yamlread import clip, compose, construct, mapping_items, short

REDIRECTS_FILE = "redirects.yaml"
REMOVED = "removed"
MAX_ALIASES = 20
_ADDRESS = re.compile(r"/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+)*/?")
_RESERVED = ("static/", "pagefind/", "media/")   # folders of files, not pages


@dataclass(frozen=True)
class Redirect:
    """An address of ``redirects.yaml``: ``target`` is another address of the site (a URL path
    without its leading slash, as urls.py makes them) or REMOVED."""

    address: str
    target: str
    file: str      # redirects.yaml as messages name it
    line: int


def address_problem(value) -> str | None:
    """Why ``value`` cannot be an old address of this site, or None."""
    if not isinstance(value, str):
        return f"{short(value)} is not an address such as /en/news/2022/old-slug/"
    if not _ADDRESS.fullmatch(value) or "/../" in value + "/" or "/./" in value + "/":
        return (f"{short(value)} is not an address of this site such as /en/news/2022/old-slug/ (a path from the "
                f"site's root: no host, query or fragment)")
    if unquote(value).lstrip("/").startswith(_RESERVED):
        return f"{short(value)} is in a folder of files ({', '.join('/' + r for r in _RESERVED)}), not of pages"
    return None


def as_url(address: str) -> str:
    """An address as urls.py writes URLs: no leading slash; a folder (no file extension) ends in '/'."""
    path = address.lstrip("/")
    last = path.rsplit("/", 1)[-1]
    return path if (not path or path.endswith("/") or "." in last) else path + "/"


def load_redirects(root: Path, project: Path) -> tuple[Redirect, ...]:
    """``redirects.yaml`` (optional): ``/en/news/2022/old/: /en/news/2023/new/`` or ``: removed``."""
    path = root / REDIRECTS_FILE
    name = display(path, project)
    if not path.exists():
        return ()
    loader, node = compose(read_text(path, name), name)
    items, errors = mapping_items(node, name, 1, "redirects")
    found = []
    for key, line, value_node in items:
        try:
            value = construct(loader, value_node)
        except ValueError as exc:
            errors.append(ContentError(name, line, clip(key), str(exc)))
            continue
        problem = address_problem(key)
        if problem is None and value != REMOVED:
            problem = address_problem(value)
            if problem:
                problem = f"leads to {problem}; write another address of this site, or '{REMOVED}'"
        if problem:
            errors.append(ContentError(name, line, clip(key), problem))
            continue
        found.append(Redirect(as_url(key), REMOVED if value == REMOVED else as_url(value), name, line))
    if errors:
        raise ContentErrors(errors)
    return tuple(found)

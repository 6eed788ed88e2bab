"""Addresses that were published and are gone: ``check --since REV`` reads, from git, the items
that were changed, moved or deleted since REV (the archive as it was last published), works out
every address each of them gave the site then (its page, its year and month, its terms' pages
and feeds, its old addresses), and reports those that no page, old address or redirect keeps.

Only the changed files are read from git, so the check costs what the change costs. Pages that
are numbered (``page/3/``) come and go with the archive's length and are not kept.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

import frontmatter

from . import urls
from .addresses import REDIRECTS_FILE, address_problem, as_url
from .config import LANGUAGES
from .discovery import NEWS_DIR, display
from .fields import parse_moment
from .terms import TERM_KINDS
from .yamlread import compose, construct, mapping_items


class HistoryError(Exception):
    """git cannot say what the archive was at the revision asked for."""


@dataclass(frozen=True)
class Vanished:
    file: str        # the item's file (as it was named then), as messages name it
    address: str     # urls.py form
    what: str        # "item", "year", "month", a term kind, or "alias"


def _git(cwd: Path, *args: str, binary: bool = False):
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise HistoryError(f"git could not run: {exc}") from None
    if done.returncode != 0:
        raise HistoryError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return done.stdout if binary else done.stdout.decode("utf-8", "surrogateescape")


def _front_matter(data: bytes, name: str) -> dict:
    """The front matter of an old version, read leniently (it was published; only some fields matter)."""
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        handler = frontmatter.YAMLHandler()
        front, _ = handler.split(text)
        loader, node = compose(front, name)
        items, _errors = mapping_items(node, name, 1, "front matter")
        values = {}
        for key, _line, value_node in items:
            try:
                values[key] = construct(loader, value_node)
            except ValueError:
                continue
        return values
    except Exception:   # noqa: BLE001 - an old version that cannot be read gave no addresses we can name
        return {}


def _addresses(values: dict, year: int, slug: str, lang: str, zone: tzinfo, listed_in: tuple[str, ...]) -> list[tuple[str, str]]:
    """(address, what) an item gave the site: its page, the year, month and term pages (and
    feeds) of every language it was listed in, and its old addresses."""
    if values.get("draft") is True:
        return []
    found = [(f"{lang}/news/{year}/{slug}/", "item")]
    try:
        month = parse_moment(values.get("date"), zone).at.month
    except (ValueError, TypeError):
        month = None
    for listing in listed_in:
        found.append((urls.year(listing, year), "year"))
        if month:
            found.append((urls.month(listing, year, month), "month"))
        for kind in TERM_KINDS:
            terms = values.get(kind.plural) or []
            for term in terms if isinstance(terms, list) else []:
                if isinstance(term, str) and term and "/" not in term and ".." not in term:
                    found.append((urls.term(listing, kind.name, term), kind.name))
                    found.append((urls.term_feed(listing, kind.name, term), kind.name + " feed"))
    for alias in values.get("aliases") or []:
        if isinstance(alias, str) and address_problem(alias) is None:
            found.append((as_url(alias), "alias"))
    return found


def vanished_addresses(content: Path, project: Path, rev: str, addresses: set[str], zone: tzinfo,
                       link_missing: bool) -> list[Vanished]:
    """The addresses items changed since ``rev`` gave the site then, that ``addresses`` (every page
    of the site now, old addresses included) does not hold."""
    top = Path(_git(content, "rev-parse", "--show-toplevel").strip())
    _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    news = (content / NEWS_DIR).resolve().relative_to(top.resolve()).as_posix()
    changed = _git(top, "diff", "--name-status", "--no-renames", "-z", rev, "--", news)
    fields = changed.split("\0")
    old_paths = [path for status, path in zip(fields[::2], fields[1::2]) if status in ("D", "M", "T")]
    vanished = []
    for path in old_paths:
        parts = path[len(news) + 1:].split("/")
        if len(parts) != 2 or not parts[0].isdigit() or parts[1].count(".") != 2 or not parts[1].endswith(".md"):
            continue
        slug, lang, _ = parts[1].split(".")
        if lang not in LANGUAGES:
            continue
        data = _git(top, "show", f"{rev}:{path}", binary=True)
        shown = display(top / path, project)
        listed_in = (lang,)
        if link_missing:   # listed in the other languages that had no version of it then
            others = [other for other in LANGUAGES if other != lang]
            listed_in += tuple(other for other in others
                               if not _exists(top, rev, f"{news}/{parts[0]}/{slug}.{other}.md"))
        for address, what in _addresses(_front_matter(data, shown), int(parts[0]), slug, lang, zone, listed_in):
            if address not in addresses:
                vanished.append(Vanished(shown, address, what))
    return sorted(set(vanished), key=lambda v: (v.file, v.address))


def _exists(top: Path, rev: str, path: str) -> bool:
    try:
        _git(top, "cat-file", "-e", f"{rev}:{path}")
        return True
    except HistoryError:
        return False


def how_to_keep(v: Vanished) -> str:
    """The message for an address that vanished."""
    kept_by = ("build.py move records it in the item's aliases; or add it to "
               f"content/{REDIRECTS_FILE} as '/{v.address}: /<another address>/' or '/{v.address}: removed'")
    if v.what == "item":
        return (f"/{v.address} was published and is gone (the item was moved, renamed or removed without "
                f"keeping it): {kept_by}; build.py remove does that for a removed item")
    return (f"/{v.address} ({v.what}) was published and is gone since this item changed: add it to "
            f"content/{REDIRECTS_FILE} as '/{v.address}: /<another address>/' or '/{v.address}: removed' "
            f"(build.py move and build.py remove do it for you)")

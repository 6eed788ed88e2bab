"""``build.py move`` and ``build.py remove``: change an item's place, or take it out, without
breaking an address the site published.

``move 2023/old-slug 2024/new-slug`` moves both language files and the media folder, records the
old address in each file's ``aliases`` (a page there leads to the new one) and fixes other items'
links to it. ``remove 2023/slug [--to 2024/other]`` deletes the files and the media folder and
records the item's addresses in ``content/redirects.yaml``, as removed or leading to the
replacement. Either way, other addresses the site loses with the change (a year, a month, a
country no item names any more) get a line in redirects.yaml leading to the nearest page that is
left. The site is planned before and after, so what is recorded is exactly what was lost.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from . import urls
from .addresses import REDIRECTS_FILE, REMOVED
from .config import LANGUAGES
from .discovery import NEWS_DIR, slug_problem
from .errors import ContentErrors
from .files import decode_text
from .model import Page
from .terms import KINDS


class MoveError(Exception):
    pass


KEPT_KINDS = {"article", "year", "month", "redirect", "removed", *KINDS}


def _kind(page: Page) -> str:
    """A page's kind, a term's feed as its term kind's (``country-feed``)."""
    return page.key[0] if page.kind == "feed" else page.kind


def published(pages) -> dict[str, Page]:
    """The pages whose addresses the site keeps: items, years, months, terms and their feeds, old
    addresses; not numbered pages (``page/3/``), which come and go with the archive's length."""
    return {p.url: p for p in pages if _kind(p).removesuffix("-feed") in KEPT_KINDS and "/page/" not in p.url}


def parse_item(text: str) -> tuple[int, str]:
    match = re.fullmatch(r"([0-9]{4})/([a-z0-9-]+)", text.strip().strip("/"))
    if not match:
        raise MoveError(f"'{text}' is not an item; name it as YEAR/SLUG, such as 2023/cqu-belgian-ambassador-visit")
    return int(match[1]), match[2]


def _files(news: Path, item: tuple[int, str]) -> dict[str, Path]:
    return {lang: news / f"{item[0]:04d}" / f"{item[1]}.{lang}.md" for lang in LANGUAGES
            if (news / f"{item[0]:04d}" / f"{item[1]}.{lang}.md").is_file()}


_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)


def set_field(text: str, key: str, value: str) -> str:
    """``text`` (a news file, line ends normalised) with front matter ``key`` set to the YAML
    ``value``: its lines replaced where it is, else added at the end of the front matter."""
    closing = list(_CLOSING.finditer(text))[1]
    front, rest = text[:closing.start()], text[closing.start():]
    lines = front.split("\n")
    at = next((i for i, line in enumerate(lines) if re.match(rf"{re.escape(key)}[ \t]*:", line)), None)
    if at is None:
        return front + f"{key}: {value}\n" + rest
    end = at + 1
    while end < len(lines) and lines[end][:1] in (" ", "\t", "-") and lines[end].strip():
        end += 1
    return "\n".join(lines[:at] + [f"{key}: {value}"] + lines[end:]) + rest


def _read(path: Path) -> tuple[str, str]:
    """A news file's text (line ends normalised) and the line end it uses."""
    raw = path.read_bytes()
    newline = "\r\n" if b"\r\n" in raw else "\r" if b"\r" in raw else "\n"
    return decode_text(raw, str(path)), newline


def _write(path: Path, text: str, newline: str) -> None:
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))


def nearest(page: Page, left: set[str]) -> str:
    """Where a lost page's address should lead: the page above it that is left."""
    lang = page.lang or "en"
    kind = _kind(page).removesuffix("-feed")
    if kind in KINDS:
        return urls.terms(lang, kind)
    if page.kind == "month" and urls.year(lang, page.key[1]) in left:
        return urls.year(lang, page.key[1])
    return urls.news(lang)


def record_redirects(content: Path, entries: dict[str, str], why: str) -> list[str]:
    """Append ``address: target`` lines to redirects.yaml (made if missing); returns the lines."""
    if not entries:
        return []
    path = content / REDIRECTS_FILE
    text = path.read_text(encoding="utf-8") if path.exists() else (
        "# Addresses the site published and keeps: each leads to another page of the site, or to a\n"
        "# notice that it was removed. build.py move and build.py remove add lines here.\n")
    if text and not text.endswith("\n"):
        text += "\n"
    lines = [f"{json.dumps('/' + a, ensure_ascii=False)}: "
             f"{json.dumps(t if t == REMOVED else '/' + t, ensure_ascii=False)}   # {why}" for a, t in sorted(entries.items())]
    path.write_text(text + "\n".join(lines) + "\n", encoding="utf-8")
    return lines


def lost_addresses(before: dict[str, Page], after_urls: set[str], skip: set[str]) -> dict[str, str]:
    """For each kept address of ``before`` that the site no longer has, where it should lead."""
    return {url: nearest(page, after_urls) for url, page in before.items()
            if url not in after_urls and url not in skip}


def move(content: Path, old: tuple[int, str], new: tuple[int, str], date: str | None, plan_now) -> list[str]:
    """Move an item; returns what was done, a line each. ``plan_now()`` plans the site as the
    content folder holds it (pipeline.plan, without drafts)."""
    news = content / NEWS_DIR
    files = _files(news, old)
    if not files:
        raise MoveError(f"there is no item {old[0]}/{old[1]} ({NEWS_DIR}/{old[0]}/{old[1]}.en.md or .zh.md)")
    if slug_problem(new[1]):
        raise MoveError(slug_problem(new[1]))
    taken = [p for p in news.glob(f"*/{new[1]}.*.md")] if new[1] != old[1] else list(_files(news, new).values())
    if taken and new != old:
        raise MoveError(f"{taken[0]} exists: a slug names one item")
    if new == old and date is None:
        raise MoveError("the item would stay where it is; give another YEAR/SLUG or --date")
    if date is not None and not date.startswith(f"{new[0]:04d}-"):
        raise MoveError(f"--date {date} is not in {new[0]}, the year the item moves to")
    if new[0] != old[0] and date is None:
        raise MoveError(f"the item moves to {new[0]}: give its date there with --date {new[0]}-MM-DD")
    before = published(plan_now())
    done = []
    old_media, new_media = news / f"{old[0]:04d}" / old[1], news / f"{new[0]:04d}" / new[1]
    moved = {}
    for lang, path in files.items():
        text, newline = _read(path)
        aliases = _aliases_of(text)
        old_address = f"/{lang}/news/{old[0]:04d}/{old[1]}/"
        if new != old and old_address not in aliases:
            aliases.append(old_address)
            text = set_field(text, "aliases", json.dumps(aliases, ensure_ascii=False))
        if date is not None:
            text = set_field(text, "date", date)
        target = news / f"{new[0]:04d}" / f"{new[1]}.{lang}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        _write(target, text, newline)
        if target != path:
            path.unlink()
        moved[path] = target
        done.append(f"moved {path} -> {target}" + (f" (old address {old_address} kept)" if new != old else ""))
    if old_media.is_dir() and old_media != new_media:
        new_media.parent.mkdir(parents=True, exist_ok=True)
        old_media.rename(new_media)
        done.append(f"moved {old_media}/ -> {new_media}/")
    done += _relink(news, old, new)
    after = _after(plan_now)
    lost = lost_addresses(before, after, set())
    done += [f"kept in {REDIRECTS_FILE}: {line}" for line in
             record_redirects(content, lost, f"left when {old[0]}/{old[1]} moved to {new[0]}/{new[1]}")]
    return done


def remove(content: Path, item: tuple[int, str], to: tuple[int, str] | None, plan_now) -> list[str]:
    """Remove an item, keeping its addresses as a "removed" notice or leading to ``to``."""
    news = content / NEWS_DIR
    files = _files(news, item)
    if not files:
        raise MoveError(f"there is no item {item[0]}/{item[1]}")
    if to is not None and not _files(news, to):
        raise MoveError(f"there is no item {to[0]}/{to[1]} to lead to")
    before_pages = plan_now()
    before = published(before_pages)
    exists = {p.url for p in before_pages}
    own_files = {f"{item[0]:04d}/{item[1]}.{lang}.md" for lang in LANGUAGES}

    def lead_to(lang: str) -> str:   # the replacement in this language, else in the other, else a notice
        for choice in (lang, *(other for other in LANGUAGES if other != lang)):
            if to and f"{choice}/news/{to[0]:04d}/{to[1]}/" in exists:
                return f"{choice}/news/{to[0]:04d}/{to[1]}/"
        return REMOVED

    entries = {url: lead_to(page.lang or "en") for url, page in before.items()   # its addresses, old ones too
               if (page.kind == "article" and page.key[1:] == item)
               or (page.kind == "redirect" and page.sources and page.sources[0].endswith(tuple(own_files)))}
    done = []
    for path in files.values():
        path.unlink()
        done.append(f"removed {path}")
    media = news / f"{item[0]:04d}" / item[1]
    if media.is_dir():
        shutil.rmtree(media)
        done.append(f"removed {media}/")
    why = f"{item[0]}/{item[1]} removed" + (f" for {to[0]}/{to[1]}" if to else "")
    record_redirects(content, entries, why)
    after = _after(plan_now)
    lost = lost_addresses(before, after, set(entries))
    lines = record_redirects(content, lost, f"left when {why}")
    done += [f"kept in {REDIRECTS_FILE}: /{a} -> {t if t == REMOVED else '/' + t}" for a, t in sorted(entries.items())]
    done += [f"kept in {REDIRECTS_FILE}: {line}" for line in lines]
    return done


def _after(plan_now) -> set[str]:
    """The site's addresses after the change; errors found then say the change was made."""
    try:
        return {p.url for p in plan_now()}
    except ContentErrors as exc:
        exc.after = True
        raise


def _aliases_of(text: str) -> list[str]:
    from .yamlread import compose, construct, mapping_items
    import frontmatter
    front, _ = frontmatter.YAMLHandler().split(text)
    loader, node = compose(front, "item")
    items, _ = mapping_items(node, "item", 1, "front matter")
    for key, _line, value in items:
        if key == "aliases":
            found = construct(loader, value)
            return [a for a in found if isinstance(a, str)] if isinstance(found, list) else []
    return []


def _relink(news: Path, old: tuple[int, str], new: tuple[int, str]) -> list[str]:
    """Other items' links to the moved item's files (``../2023/old.en.md``) follow it."""
    if old == new:
        return []
    pattern = re.compile(rf"(\.\./)?{old[0]:04d}/{re.escape(old[1])}\.(?P<lang>[a-z]+)\.md\b")
    done = []
    for path in sorted(news.glob("*/*.md")):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        changed = pattern.sub(lambda m: f"{m[1] or ''}{new[0]:04d}/{new[1]}.{m['lang']}.md", text)
        if changed != text:
            path.write_text(changed, encoding="utf-8", errors="surrogateescape")
            done.append(f"relinked {path}")
    return done

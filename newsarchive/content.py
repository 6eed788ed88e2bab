"""Reading news items: front matter with line numbers, the body, and the checks between files.

``load_content`` returns complete, frozen records or raises ``ContentErrors`` carrying every
problem found, each with its file, line and field. Field rules are in fields.py, finding files in
discovery.py, the vocabularies in vocabularies.py and the parse cache in loadcache.py.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from datetime import timezone, tzinfo
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import frontmatter

from .config import LANGUAGE_NAMES
from .discovery import NEWS_DIR, article_files, display
from .errors import ContentError, ContentErrors
from .fields import FIELDS, FILE_EXTENSIONS, IMAGE_FIELDS, INSTITUTIONS_FILE, TAGS_FILE, FieldContext, \
    did_you_mean, extension, image_problem, media_name
from .files import decode_text, unreadable
from .addresses import REDIRECTS_FILE, load_redirects
from .loadcache import LoadCache, Parsed
from .markup import MarkupError, render_markdown
from .model import Article, Content, LeadImage, MediaRef
from .vocabularies import load_institutions, load_tags
from .yamladvice import comment_cut
from .yamlread import BAD_CHARACTER, character_problem, clip, compose, construct, mapping_items, short

__all__ = ["load_content", "LoadCache", "TAGS_FILE", "INSTITUTIONS_FILE", "NEWS_DIR", "content_digest",
           "resolve_content_link", "link_content_paths", "media_folder"]

# Limits no real news item reaches; past them a file is refused, so that no file can make a
# build take minutes or all the memory.
MAX_FILE_BYTES = 10 * 1024 * 1024


_CONTENT_LINK = re.compile(r'href="(?P<target>[^"#:]+\.md)(?P<fragment>#[^"]*)?"')


CONTENT_PATH_RE = re.compile(r"(?P<year>[0-9]{4})/(?P<slug>[^/.]+)\.(?P<lang>[a-z]+)\.md")


def resolve_content_link(target: str, year: str | int) -> tuple[str, str, str] | None:
    """``../2023/slug.en.md`` (relative to ``news/<year>/``) -> (year, slug, lang), or None."""
    parts: list[str] = [str(year)]
    for piece in target.split("/"):
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    match = CONTENT_PATH_RE.fullmatch("/".join(parts))
    return (match["year"], match["slug"], match["lang"]) if match else None


def link_content_paths(html: str, year: str | int) -> str:
    """Rewrite links to other items' Markdown files into links to their pages. The result is
    relative to the article's own page (``L/news/Y/slug/``), so it holds under any base path."""
    def replace(match: re.Match) -> str:
        found = resolve_content_link(match["target"], year)
        if not found:
            return match[0]
        y, slug, lang = found
        return f'href="../../../../{lang}/news/{y}/{slug}/{match["fragment"] or ""}"'
    return _CONTENT_LINK.sub(replace, html)


def content_digest(title: str, summary: str, body: str) -> str:
    """The digest of what a translator translates: title, summary and body."""
    return hashlib.sha256("\x1f".join((title, summary, body.strip())).encode()).hexdigest()[:16]


def _load_article(data: bytes, file: Path, name: str, year: str, slug: str, lang: str,
                  tags, institutions, zone: tzinfo, sanitize: bool = True) -> Parsed:
    errors: list[ContentError] = []
    if len(data) > MAX_FILE_BYTES:
        raise ContentErrors([ContentError(name, 1, "file", f"is {len(data) / 2**20:.1f} MiB; a news item may be "
                                                           f"at most {MAX_FILE_BYTES // 2**20} MiB")])
    text = decode_text(data, name)
    handler = frontmatter.YAMLHandler()
    if not text.strip():
        raise ContentErrors([ContentError(name, 1, "file", "is empty; a news item needs front matter and a body")])
    if not handler.detect(text):
        raise ContentErrors([ContentError(name, 1, "front matter", "the file must begin with a '---' line")])
    try:
        fm_text, body = handler.split(text)
    except ValueError:
        raise ContentErrors([ContentError(name, 1, "front matter", "no closing '---' line")]) from None
    # fm_text starts right after the opening '---', so YAML line 0 is file line 1.
    loader, node = compose(fm_text, name)
    items, errors = mapping_items(node, name, 1, "front matter")
    ctx = FieldContext(tags=tags, institutions=institutions, lang=lang, slug=slug, timezone=zone)
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, line, value_node in items:
        lines[key] = line
        spec = FIELDS.get(key)
        if spec is None:
            errors.append(ContentError(name, line, key, f"unknown field{did_you_mean(key, FIELDS)}"))
            continue
        try:
            values[key] = spec.check(construct(loader, value_node), ctx)
        except ValueError as exc:
            errors.append(ContentError(name, line, key, str(exc)))
            continue
        cut = _comment_cut(fm_text, value_node) if key in TEXT_FIELDS else None
        if cut:
            errors.append(ContentError(name, line, key, f"'#' after a space starts a YAML comment, so the {key} would "
                                                        f"end at '{clip(values[key], 40)}' and lose '#{clip(cut, 40)}': "
                                                        f"put the {key} in quotes"))
    end_line = fm_text.count("\n") + 1
    translation = "translated_from" in lines
    for key, spec in FIELDS.items():
        if spec.required and key not in lines and not (translation and key in INHERITED):
            errors.append(ContentError(name, end_line, key, "is required"))
    if "date" in values and values["date"].year != int(year):
        errors.append(ContentError(name, lines["date"], "date",
                                   f"is in {values['date'].year} but the file is in the folder {year}"))
    if "date" in values and "updated" in values and values["updated"].at < values["date"].at:
        errors.append(ContentError(name, lines["updated"], "updated", "is before the item's date"))
    for key in IMAGE_FIELDS:
        if key in lines and "image" not in lines and not translation:   # a translation describes its original's
            errors.append(ContentError(name, lines[key], key, "is only used with 'image'"))
    if "image" in values and "image_alt" not in lines:
        errors.append(ContentError(name, lines["image"], "image_alt",
                                   "is required with 'image': describe the photo for readers who cannot see it"))
    body_line = text.count("\n", 0, len(text) - len(body)) + 1   # the file's line where the body starts
    bad = BAD_CHARACTER.search(body)
    if bad:
        errors.append(ContentError(name, body_line + body.count("\n", 0, bad.start()), "body",
                                   character_problem(bad[0])))
    else:   # the body is rendered, and its problems reported, whatever the front matter's
        try:
            body_html = render_markdown(body, sanitize)
        except MarkupError as exc:
            errors.append(ContentError(name, body_line + exc.line - 1, "body", exc.message))
        else:
            refs, links, problems = _body_refs(body_html, body, body_line, slug)
            errors += [ContentError(name, line, "body", problem) for line, problem in problems]
    if errors:
        raise ContentErrors(errors)
    image = None
    if "image" in values:
        image = LeadImage(values["image"], values["image_alt"], values.get("image_caption", ""),
                          values.get("image_credit", ""))
        refs = (MediaRef(image.name, lines["image"], "image", True),) + refs
    title, summary = values["title"], values.get("summary", "")
    placeholder = None if values.get("draft") else _placeholder(values, body)
    if placeholder:
        where, at, text = placeholder
        raise ContentErrors([ContentError(name, lines[where] if where != "body" else body_line + at, where,
                                          f"still holds the placeholder '{clip(text, 60)}' that build.py new wrote: "
                                          f"write the item (or keep draft: true until it is done)")])
    article = Article(
        path=name, file=str(file.absolute()), lang=lang, year=int(year), slug=slug, title=title,
        published=values.get("date"), updated=values.get("updated"),
        summary=summary, tags=values.get("tags", ()), countries=values.get("countries", ()),
        institutions=values.get("institutions", ()), source=values.get("source", ""),
        source_url=values.get("source_url", ""), image=image, refs=refs,
        translated_from=values.get("translated_from"),
        draft=values.get("draft", False), body_html=link_content_paths(body_html, year),
        digest=content_digest(title, summary, body), source_digest=values.get("source_digest"),
        stamp=hashlib.sha256(data).hexdigest()[:16], aliases=values.get("aliases", ()), links=links,
    )
    if translation and image is None:   # it may describe its original's photo in its own language
        return Parsed(article, lines, {key: values[key] for key in IMAGE_FIELDS if key in values})
    return Parsed(article, lines)


# What a translation takes from its original when it leaves it out: front matter key -> Article field.
INHERITED = {"date": "published", "updated": "updated", "tags": "tags", "countries": "countries",
             "institutions": "institutions", "image": "image"}
AGREED = ("date", "tags", "countries", "institutions")   # given in both, these must agree


def _cross_checks(loaded: list[Parsed], present: set[tuple[int, str, str]],
                  mtimes: dict[str, int]) -> tuple[list[Parsed], list[ContentError]]:
    """Checks between files: unique slugs, and translations, which take what they leave out of
    the shared fields from their original (INHERITED) and must agree with it on what they give.
    Returns the files with what they inherit, and the errors.

    ``present`` holds (year, slug, lang) of every file found, loaded or not, so that a file with
    errors of its own does not also make its translation look orphaned; ``mtimes`` each file's
    modification time, so that a disagreement is reported on the file changed last."""
    errors: list[ContentError] = []
    by_slug: dict[str, Parsed] = {}
    by_item: dict[tuple, dict[str, Parsed]] = {}
    for entry in loaded:
        a = entry.article
        first = by_slug.setdefault(a.slug, entry)
        if first.article.year != a.year:
            errors.append(ContentError(a.path, 1, "path", f"duplicate slug '{a.slug}': {first.article.path} "
                                                          f"uses it already; a slug names one item"))
            continue
        by_item.setdefault(a.item, {})[a.lang] = entry
    complete = []
    for versions in by_item.values():
        for entry in versions.values():
            a = entry.article
            original = versions.get(a.translated_from) if a.translated_from else None
            if a.translated_from and (a.year, a.slug, a.translated_from) not in present:
                errors.append(ContentError(a.path, entry.lines["translated_from"], "translated_from",
                                           f"the original {a.slug}.{a.translated_from}.md does not exist"))
            if original is not None and not original.article.translated_from:
                entry = _inherit(entry, original, mtimes, errors)
            if entry.article.published is not None:   # else its original, which has errors, gives its date
                complete.append(entry)
        if len(versions) == 2 and not any(v.article.translated_from for v in versions.values()):
            # two versions, neither naming the other as its original: both give everything, and agree
            first, second = sorted(versions.values(), key=lambda e: e.article.lang)
            _agree(first, second, mtimes, errors)
    return complete, errors


def _inherit(entry: Parsed, original: Parsed, mtimes: dict[str, int], errors: list) -> Parsed:
    a, o = entry.article, original.article
    changes = {field: getattr(o, field) for key, field in INHERITED.items() if key not in entry.lines and key != "image"}
    _agree(entry, original, mtimes, errors)
    if "image" not in entry.lines and o.image is not None:
        texts = entry.image_texts   # the translation may describe the photo in its own language
        changes["image"] = replace(o.image, alt=texts.get("image_alt", o.image.alt),
                                   caption=texts.get("image_caption", o.image.caption),
                                   credit=texts.get("image_credit", o.image.credit))
        changes["refs"] = (MediaRef(o.image.name, entry.lines["translated_from"], "image", True),) + a.refs
    elif "image" not in entry.lines:
        for key in entry.image_texts:
            errors.append(ContentError(a.path, entry.lines[key], key, f"is only used with 'image' (neither this file "
                                                                      f"nor its original {o.path} has one)"))
    inherited = replace(a, **changes) if changes else a
    if inherited.updated and inherited.published and inherited.updated.at < inherited.published.at:
        errors.append(ContentError(a.path, entry.lines.get("updated", 1), "updated", "is before the item's date"))
    return Parsed(inherited, entry.lines, entry.image_texts)


def _agree(one: Parsed, other: Parsed, mtimes: dict[str, int], errors: list) -> None:
    """Shared fields both give must agree; the file changed last is the one reported."""
    for key in AGREED:
        if key not in one.lines or key not in other.lines:
            continue
        field = INHERITED[key]
        mine, theirs = getattr(one.article, field), getattr(other.article, field)
        if (set(mine) if key != "date" else mine) == (set(theirs) if key != "date" else theirs):
            continue
        later, earlier = (one, other) if mtimes.get(one.article.path, 0) >= mtimes.get(other.article.path, 0) else (other, one)
        translation = one if one.article.translated_from else other if other.article.translated_from else later
        errors.append(ContentError(
            later.article.path, later.lines[key], key,
            f"the {LANGUAGE_NAMES[later.article.lang]} version says {_show(getattr(later.article, field))} and the "
            f"{LANGUAGE_NAMES[earlier.article.lang]} version ({earlier.article.path}) says "
            f"{_show(getattr(earlier.article, field))}: make them agree"
            + (f", or leave {key} out of the {LANGUAGE_NAMES[translation.article.lang]} version (a translation takes "
               f"it from its original)" if translation.article.translated_from else "")))


TEXT_FIELDS = ("title", "summary", "image_alt", "image_caption", "image_credit", "source")


def _comment_cut(text: str, node) -> str | None:
    """What a plain one-line value lost to a YAML comment on its line (``title: Partners #1``)."""
    if getattr(node, "style", "x") not in (None, "") or node.start_mark.line != node.end_mark.line:   # plain: None or 
        return None
    return comment_cut(text.split("\n")[node.end_mark.line], node.end_mark.column)


# What build.py new writes where an editor or translator has work to do: a line starting "TODO:".
PLACEHOLDER = "TODO:"
_PLACEHOLDER_LINE = re.compile(r"^[ \t>*-]*TODO:.*$", re.MULTILINE)


def _placeholder(values: dict, body: str) -> tuple[str, int, str] | None:
    """(field, line within the body, text) of a placeholder left in an item, or None."""
    for key in ("title", "summary", "image_alt", "image_caption"):
        if str(values.get(key, "")).startswith(PLACEHOLDER):
            return key, 0, values[key]
    found = _PLACEHOLDER_LINE.search(body)
    return ("body", body.count("\n", 0, found.start()), found[0].strip()) if found else None


def _show(value) -> str:
    if isinstance(value, tuple):
        return f"[{', '.join(value)}]"
    return value.at.isoformat(" ") if value.timed else value.date.isoformat()


_LOCAL_REF = re.compile(r'<(?P<tag>img|a)\b(?P<attrs>[^>]*)>')
_ATTR = re.compile(r'(?P<key>[a-z-]+)="(?P<value>[^"]*)"')


def attributes(attrs: str) -> dict[str, str]:
    """The attributes of a tag as Python-Markdown and nh3 write them (double quotes, escaped)."""
    return {m["key"]: unescape(m["value"]) for m in _ATTR.finditer(attrs)}


def local_media(target: str, slug: str) -> str | None:
    """The media file a body's ``src`` or ``href`` names, or None when it names something else
    (an address, a page, a fragment, another item's Markdown file)."""
    if not target or ":" in target or target.startswith(("/", "#", "?")) or target.endswith(".md"):
        return None
    path = unquote(target.split("#")[0].split("?")[0])
    if path.startswith(slug + "/"):
        path = path[len(slug) + 1:]
    path = path[2:] if path.startswith("./") else path
    return path if "/" not in path and "." in path.strip(".") else None


def _body_refs(html: str, body: str, body_line: int, slug: str):
    """The media files a rendered body uses, each with its line in the file; its links to other
    items (``../2023/x.en.md``) and to pages of the site (``/en/news/``), each with its line (they
    are checked once the site is planned); and the problems."""
    refs: dict[str, MediaRef] = {}
    links: dict[tuple[str, int], None] = {}
    problems = []
    for match in _LOCAL_REF.finditer(html):
        attrs = attributes(match["attrs"])
        is_image = match["tag"] == "img"
        target = attrs.get("src" if is_image else "href", "")
        name = local_media(target, slug)
        at = next((at for at in (body.find("(" + target), body.find(target), body.find(name or target)) if at >= 0), -1)
        line = body_line + body.count("\n", 0, at) if at >= 0 else body_line
        if is_image and not attrs.get("alt", "").strip():
            problems.append((line, f"image {short(target)} has no alt text: write ![what it shows]({target})"))
        if not is_image and ":" not in target and (target.split("#")[0].endswith(".md")
                                                   or (target.startswith("/") and not target.startswith("//"))):
            links[(target, line)] = None
        if name is None:
            continue
        try:
            name = media_name(name, slug)
        except ValueError as exc:
            problems.append((line, str(exc)))
            continue
        problem = image_problem(name) if is_image else (
            None if extension(name) in FILE_EXTENSIONS else
            f"{name}: files of this kind are not published (they could run script on the site); "
            f"link a {', '.join(sorted(FILE_EXTENSIONS))} file, or write a web address with https://")
        if problem:
            problems.append((line, problem))
        elif name not in refs or (is_image and not refs[name].image):
            refs[name] = MediaRef(name, line, "body", is_image)
    return tuple(refs.values()), tuple(links), problems


def media_folder(news: Path, project: Path, item: tuple[int, str]) -> str:
    return display(news / str(item[0]) / item[1], project) + "/"


def _same_looking(name: str, files) -> str:
    """A hint for a file whose name looks exactly like ``name`` but is encoded otherwise (an
    accented letter as one character or as a letter and a combining accent, as macOS writes
    names): "did you mean" would show two identical names."""
    same = next((f for f in files if unicodedata.normalize("NFC", f) == unicodedata.normalize("NFC", name)), None)
    if same is None:
        return ""
    return (f"; the folder has a file whose name looks the same, '{same}', but its accented letters are encoded "
            f"differently (Unicode {_form(same)} in the file name, {_form(name)} here): retype the name here, or "
            f"rename the file")


def _form(text: str) -> str:
    return "NFC" if unicodedata.is_normalized("NFC", text) else "NFD" if unicodedata.is_normalized("NFD", text) else "mixed"


def _media_errors(loaded: list[Parsed], media: dict, news: Path, project: Path) -> list[ContentError]:
    """Every file an article uses must be in its item's media folder."""
    errors = []
    for entry in loaded:
        a = entry.article
        files = media.get(a.item, {})
        for ref in a.refs:
            if ref.name not in files:
                hint = _same_looking(ref.name, files) or did_you_mean(ref.name, files)
                errors.append(ContentError(a.path, ref.line, ref.field,
                                           f"{ref.name} is not in the item's media folder "
                                           f"{media_folder(news, project, a.item)}{hint}"))
    return errors


def load_content(root: Path, project: Path | None = None, cache: LoadCache | None = None,
                 sanitize: bool = True, zone: tzinfo = timezone.utc, progress=None) -> Content:
    """Load and check every file under ``root`` (the content folder); raise every error at once.
    ``sanitize=False`` keeps raw HTML in Markdown as written (the ``unsafe_html`` setting).
    ``progress(done, total)`` is called as files are parsed (in worker processes when many)."""
    project = project or root.parent  # paths in messages are shown relative to it
    cache = cache or LoadCache()
    errors: list[ContentError] = []
    try:
        tags = cache.memo("tags", (root / TAGS_FILE,), lambda: load_tags(root, project))
    except ContentErrors as exc:
        errors.extend(exc.errors)
        tags = None
    try:
        institutions = cache.memo("institutions", (root / INSTITUTIONS_FILE,), lambda: load_institutions(root, project))
    except ContentErrors as exc:
        errors.extend(exc.errors)
        institutions = None
    try:
        redirects = cache.memo("redirects", (root / REDIRECTS_FILE,), lambda: load_redirects(root, project))
    except ContentErrors as exc:
        errors.extend(exc.errors)
        redirects = ()
    media: dict = {}
    loaded: list[Parsed] = []
    present: set[tuple[int, str, str]] = set()
    mtimes: dict[str, int] = {}
    news = root / NEWS_DIR
    if not news.is_dir():
        errors.append(ContentError(display(news, project), 1, "folder", "the news folder is missing"))
    else:
        requests = []
        # what parsing depends on besides a file's bytes (the parse cache compares it)
        vocabularies = hashlib.sha256(repr((tags, institutions, sanitize, str(zone))).encode()).hexdigest()
        for found in article_files(news, project, errors, media):
            present.add((int(found.year), found.slug, found.lang))
            mtimes[found.name] = found.mtime_ns
            options = f"{vocabularies} {found.name}"
            parse = (lambda data, f=found: _load_article(data, Path(f.file), f.name, f.year, f.slug, f.lang,
                                                         tags, institutions, zone, sanitize))
            requests.append((found, options, parse))
        for (found, _, _), result in zip(requests, cache.load_many(requests, progress)):
            if isinstance(result, ContentErrors):
                errors.extend(result.errors)
            elif isinstance(result, OSError):   # removed or replaced between listing and reading
                errors.append(ContentError(found.name, 1, "file", unreadable(result)))
            else:
                loaded.append(result)
        seen = {found.file for found, _, _ in requests}
        cache.keep_only(seen)
        errors.extend(_media_errors(loaded, media, news, project))
    loaded, problems = _cross_checks(loaded, present, mtimes)
    errors.extend(problems)
    errors.extend(_alias_errors(loaded, redirects, display(root / REDIRECTS_FILE, project)))
    if errors:
        raise ContentErrors(errors)
    return Content(articles=tuple(entry.article for entry in loaded), tags=tags, institutions=institutions,
                   media=media, redirects=redirects)


def _alias_errors(loaded: list[Parsed], redirects, redirects_name: str) -> list[ContentError]:
    """An old address belongs to one item, and is no item's address now; redirects.yaml may not
    send an item's own address elsewhere."""
    current = {f"{e.article.lang}/news/{e.article.year}/{e.article.slug}/": e.article for e in loaded}
    errors, claimed = [], {}
    for entry in loaded:
        a = entry.article
        for alias in a.aliases:
            line = entry.lines.get("aliases", 1)
            if alias in current:
                errors.append(ContentError(a.path, line, "aliases", f"/{alias} is the address of "
                                           f"{current[alias].path}; an old address cannot be a page of the site"))
            elif claimed.setdefault(alias, a.path) != a.path:
                errors.append(ContentError(a.path, line, "aliases", f"/{alias} is an old address of "
                                           f"{claimed[alias]} already"))
    for r in redirects:
        if r.address in current:
            errors.append(ContentError(redirects_name, r.line, "/" + r.address, f"is the address of "
                                       f"{current[r.address].path}; remove this line, or move the item"))
        elif r.address in claimed:
            errors.append(ContentError(redirects_name, r.line, "/" + r.address, f"is an old address of "
                                       f"{claimed[r.address]} (its aliases) already"))
    return errors

"""Reading ``content/``: front matter with line numbers, and every check of every field.

This is the only module that checks input. It returns complete, frozen records or raises
``ContentErrors`` carrying every problem found, each with its file, line and field.
"""
from __future__ import annotations

import difflib
import errno
import hashlib
import os
import stat
import pickle
import re
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, NamedTuple

import frontmatter
from babel import Locale

from .config import LANGUAGES
from .errors import ContentError, ContentErrors
from .files import kind_of, read_regular, unreadable
from .markup import MarkupError, render_markdown
from .model import Article, Content, Tag
from .yamlread import BAD_CHARACTER, character_problem, clip, compose, construct, mapping_items, short

NEWS_DIR = "news"
TAGS_FILE = "tags.yaml"

# Every pattern is matched whole (fullmatch) and in ASCII: "$" also matches before a final newline,
# and \d matches look-alike digits (２０２３, ٢٠٢٣) that int() reads as 2023.
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEAR_RE = re.compile(r"[0-9]{4}")
_FILE_RE = re.compile(r"(?P<slug>[^.]+)\.(?P<lang>[^.]+)\.md")

# Limits no real news item reaches; past them a file is refused, so that no file can make a
# build take minutes or all the memory.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TAGS = 20
MAX_COUNTRIES = 50

# ISO 3166-1 alpha-2: CLDR's two-letter territories less its groupings and user-assigned codes.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"}
COUNTRY_CODES = frozenset(
    code for code in Locale("en").territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
)


@dataclass(frozen=True)
class _Field:
    check: Callable[[Any, "_Context"], Any]
    required: bool = False


@dataclass
class _Context:
    """What field checks need to know: the tag vocabulary and where to report."""

    tags: dict[str, Tag] | None   # None when the vocabulary itself failed to load
    lang: str


def _did_you_mean(word: str, choices) -> str:
    hint = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{hint[0]}'?" if hint else ""


def _text(value, _ctx):
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {_type_name(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _date(value, _ctx):
    if not isinstance(value, str) or not _DATE_RE.fullmatch(value):
        raise ValueError(f"{short(value)} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a valid date") from None


def _text_list(value, what, limit):
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ValueError(f"must be a list of {what}, not {_type_name(value)}")
    if len(value) > limit:
        raise ValueError(f"lists {len(value)} {what}; an item may have at most {limit}")
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"must be a list of {what}; {short(item)} is {_type_name(item)}")
    seen = set()
    for item in value:
        if item in seen:
            raise ValueError(f"lists {short(item)} twice")
        seen.add(item)
    return tuple(value)


def _tags(value, ctx):
    tags = _text_list(value, "tag slugs", MAX_TAGS)
    for tag in tags if ctx.tags is not None else ():
        if tag not in ctx.tags:
            raise ValueError(f"unknown tag '{clip(tag)}'{_did_you_mean(tag, ctx.tags)} (tags are defined in {TAGS_FILE})")
    return tags


def _countries(value, ctx):
    codes = _text_list(value, "ISO 3166-1 alpha-2 country codes", MAX_COUNTRIES)
    for code in codes:
        if code not in COUNTRY_CODES:
            if code.upper() in COUNTRY_CODES:
                hint = f"; did you mean '{code.upper()}'?"
            else:
                hint = _did_you_mean(code, COUNTRY_CODES)
            raise ValueError(f"unknown country code '{clip(code)}'{hint}")
    return codes


def _translated_from(value, ctx):
    if value not in LANGUAGES:
        raise ValueError(f"must be one of {', '.join(LANGUAGES)}, not {short(value)}")
    if value == ctx.lang:
        raise ValueError(f"names this file's own language '{value}'; it must name the original's language")
    return value


def _source_digest(value, _ctx):
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-f]{16}", value):
        raise ValueError(f"{short(value)} is not a digest; set it with: python build.py translations --mark FILE")
    return value


def _draft(value, _ctx):
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {short(value)}")
    return value


FIELDS: dict[str, _Field] = {
    "title": _Field(_text, required=True),
    "date": _Field(_date, required=True),
    "summary": _Field(_text),
    "tags": _Field(_tags),
    "countries": _Field(_countries),
    "source": _Field(_text),
    "translated_from": _Field(_translated_from),
    "source_digest": _Field(_source_digest),
    "draft": _Field(_draft),
}


def _type_name(value) -> str:
    return {list: "a list", dict: "a mapping", int: "a number", float: "a number", bool: "true/false",
            str: "text", type(None): "empty"}.get(type(value), type(value).__name__)


# --- files -------------------------------------------------------------------------------


def read_text(path: Path, name: str) -> str:
    """A content file's text as the loader reads it (its line numbers are the loader's)."""
    try:
        return _decode(read_regular(path), name)
    except OSError as exc:
        raise ContentErrors([ContentError(name, 1, "file", unreadable(exc))]) from None



def _decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (a BOM allowed) and normalise line ends; any other encoding is an error."""
    if b"\x00" in data:
        raise ContentErrors([ContentError(name, 1, "file", "is binary, not UTF-8 Markdown text")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentErrors([ContentError(
            name, line, "file", f"is not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8")]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_tags(root: Path, project: Path) -> dict[str, Tag]:
    path = root / TAGS_FILE
    name = _display(path, project)
    if not path.exists():
        raise ContentErrors([ContentError(name, 1, "file", "the tag vocabulary is missing")])
    loader, node = compose(read_text(path, name), name)
    items, errors = mapping_items(node, name, 1, "tags")
    tags = {}
    for slug, line, value_node in items:
        try:
            value = construct(loader, value_node)
        except ValueError as exc:
            errors.append(ContentError(name, line, clip(slug), str(exc)))
            continue
        if not SLUG_RE.fullmatch(slug):
            errors.append(ContentError(name, line, clip(slug), "a tag slug uses only a-z, 0-9 and single hyphens"))
        elif not isinstance(value, dict) or set(value) != set(LANGUAGES) or not all(
                isinstance(v, str) and v.strip() for v in value.values()):
            errors.append(ContentError(name, line, slug, f"must give a name in each of {', '.join(LANGUAGES)}, "
                                                         f"as {{en: …, zh: …}}"))
        else:
            tags[slug] = Tag(slug, {lang: value[lang].strip() for lang in LANGUAGES})
    if errors:
        raise ContentErrors(errors)
    return tags


def _display(path: Path, project: Path) -> str:
    """A path as an editor reads it: from the working folder if it is inside, else from ``project``."""
    for base in (Path.cwd(), project):
        try:
            return path.absolute().relative_to(base.absolute()).as_posix()
        except ValueError:
            continue
    return str(path)


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


@dataclass(frozen=True)
class _Loaded:
    article: Article
    lines: dict[str, int]   # field -> line, for cross-file messages


def _load_article(data: bytes, file: Path, name: str, year: str, slug: str, lang: str,
                  tags: dict[str, Tag] | None, sanitize: bool = True) -> _Loaded:
    errors: list[ContentError] = []
    if len(data) > MAX_FILE_BYTES:
        raise ContentErrors([ContentError(name, 1, "file", f"is {len(data) / 2**20:.1f} MiB; a news item may be "
                                                           f"at most {MAX_FILE_BYTES // 2**20} MiB")])
    text = _decode(data, name)
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
    ctx = _Context(tags=tags, lang=lang)
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, line, value_node in items:
        lines[key] = line
        spec = FIELDS.get(key)
        if spec is None:
            errors.append(ContentError(name, line, key, f"unknown field{_did_you_mean(key, FIELDS)}"))
            continue
        try:
            values[key] = spec.check(construct(loader, value_node), ctx)
        except ValueError as exc:
            errors.append(ContentError(name, line, key, str(exc)))
    end_line = fm_text.count("\n") + 1
    for key, spec in FIELDS.items():
        if spec.required and key not in lines:
            errors.append(ContentError(name, end_line, key, "is required"))
    if "date" in values and values["date"].year != int(year):
        errors.append(ContentError(name, lines["date"], "date",
                                   f"is in {values['date'].year} but the file is in the folder {year}"))
    body_line = text.count("\n", 0, len(text) - len(body)) + 1   # the file's line where the body starts
    bad = BAD_CHARACTER.search(body)
    if bad:
        errors.append(ContentError(name, body_line + body.count("\n", 0, bad.start()), "body",
                                   character_problem(bad[0])))
    if errors:
        raise ContentErrors(errors)
    try:
        body_html = render_markdown(body, sanitize)
    except MarkupError as exc:
        raise ContentErrors([ContentError(name, body_line + exc.line - 1, "body", exc.message)]) from None
    title, summary = values["title"], values.get("summary", "")
    article = Article(
        path=name, file=str(file.absolute()), lang=lang, year=int(year), slug=slug, title=title, date=values["date"],
        summary=summary, tags=values.get("tags", ()), countries=values.get("countries", ()),
        source=values.get("source", ""), translated_from=values.get("translated_from"),
        draft=values.get("draft", False), body_html=link_content_paths(body_html, year),
        digest=content_digest(title, summary, body), source_digest=values.get("source_digest"),
        stamp=hashlib.sha256(data).hexdigest()[:16],
    )
    return _Loaded(article, lines)


def _is_ignored(name: str) -> bool:
    """Hidden files and editors' temporary files are not content."""
    return name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


class _Found(NamedTuple):
    """A Markdown file found under news/, with the stat signature that tells whether it changed."""
    file: str
    name: str
    year: str
    slug: str
    lang: str
    signature: tuple[int, int, int, int]    # mtime_ns, ctime_ns, size, inode

    @property
    def mtime_ns(self) -> int:
        return self.signature[0]


def _article_files(news: Path, project: Path, errors: list[ContentError]):
    """Yield every Markdown file under news/ as a _Found, in a stable order; report misplaced ones.

    Walks with os.scandir and strings, and stats each file once: on a 2,000-file archive this runs
    on every live rebuild, and the stat is what lets unchanged files go unread."""
    root = news.resolve()
    prefix = _display(news, project)
    visited: set[tuple[int, int]] = set()   # folders walked, so that a link back up is not walked again

    def walk(folder: str, rel: list[str]):
        try:
            st = os.stat(folder)
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            errors.append(ContentError("/".join([prefix, *rel]), 1, "folder", unreadable(exc)))
            return
        if (st.st_dev, st.st_ino) in visited:
            errors.append(ContentError("/".join([prefix, *rel]), 1, "folder",
                                       "is a link to a folder it is inside (a loop); remove it"))
            return
        visited.add((st.st_dev, st.st_ino))
        folders = []
        for entry in entries:
            name = "/".join([prefix, *rel, entry.name])
            if not entry.name.isprintable():   # a line break in a name would break every message and the sitemap
                shown = "/".join([prefix, *rel, entry.name.encode("unicode_escape").decode("ascii")])
                errors.append(ContentError(shown, 1, "path", "the name holds a line break or control character; "
                                                             "rename it"))
                continue
            try:
                is_dir = entry.is_dir()
                if entry.name.startswith(".") if is_dir else _is_ignored(entry.name):
                    continue
                if entry.is_symlink() and not _inside(entry.path, root, errors, name):
                    continue
            except OSError as exc:
                errors.append(ContentError(name, 1, "file", unreadable(exc)))
                continue
            if is_dir:
                folders.append(entry)
                continue
            if not entry.name.endswith(".md"):
                continue
            found = _check_place(entry, name, [*rel, entry.name], errors)
            if found is not None:
                yield found
        for entry in folders:
            yield from walk(entry.path, [*rel, entry.name])

    yield from walk(str(news), [])


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name a news item (file names, URLs), or None when it can."""
    if not SLUG_RE.fullmatch(slug) or slug.isdigit():
        return f"slug '{slug}' must use only a-z, 0-9 and single hyphens, and not be a number"
    return None


def _check_place(entry: os.DirEntry, name: str, rel: list[str], errors: list[ContentError]) -> _Found | None:
    match = _FILE_RE.fullmatch(entry.name)
    if len(rel) != 2 or not _YEAR_RE.fullmatch(rel[0]) or not match:
        errors.append(ContentError(name, 1, "path", f"news items live at {NEWS_DIR}/<year>/<slug>.<lang>.md"))
        return None
    slug, lang = match["slug"], match["lang"]
    if lang not in LANGUAGES:
        errors.append(ContentError(name, 1, "path", f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}"))
        return None
    problem = slug_problem(slug)
    if problem:
        errors.append(ContentError(name, 1, "path", problem))
        return None
    try:
        st = entry.stat()
    except OSError as exc:   # removed between listing and stat, a dangling link, a link loop
        errors.append(ContentError(name, 1, "file", unreadable(exc)))
        return None
    if not stat.S_ISREG(st.st_mode):
        errors.append(ContentError(name, 1, "file", f"is {kind_of(st.st_mode)}, not a file; remove it"))
        return None
    return _Found(entry.path, name, rel[0], slug, lang, (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino))


def _inside(link: str, root: Path, errors: list[ContentError], name: str) -> bool:
    """A symbolic link inside content/ must point inside it; one that points outside is refused."""
    try:
        target = Path(link).resolve(strict=True)
    except RuntimeError:   # Python 3.11 reports a link loop so
        raise OSError(errno.ELOOP, "link loop") from None
    if target.is_relative_to(root):
        return True
    errors.append(ContentError(name, 1, "file", "is a link to outside content/; refused"))
    return False


def _cross_checks(loaded: list[_Loaded], present: set[tuple[int, str, str]]) -> list[ContentError]:
    """Checks between files: unique slugs, and translations that agree with each other.

    ``present`` holds (year, slug, lang) of every file found, loaded or not, so that a file with
    errors of its own does not also make its translation look orphaned."""
    errors: list[ContentError] = []
    by_slug: dict[str, _Loaded] = {}
    by_item: dict[tuple, dict[str, _Loaded]] = {}
    for entry in loaded:
        a = entry.article
        first = by_slug.setdefault(a.slug, entry)
        if first.article.year != a.year:
            errors.append(ContentError(a.path, 1, "path", f"duplicate slug '{a.slug}': {first.article.path} "
                                                          f"uses it already; a slug names one item"))
            continue
        by_item.setdefault(a.item, {})[a.lang] = entry
    for versions in by_item.values():
        for entry in versions.values():
            a = entry.article
            if a.translated_from and (a.year, a.slug, a.translated_from) not in present:
                errors.append(ContentError(a.path, entry.lines["translated_from"], "translated_from",
                                           f"the original {a.slug}.{a.translated_from}.md does not exist"))
        if len(versions) < 2:
            continue
        # Report on the translation: the version that names its original, else the later language.
        ordered = sorted(versions.values(), key=lambda e: e.article.original_first)
        original, translation = ordered[0], ordered[-1]
        for fld in ("date", "tags", "countries"):
            mine, theirs = getattr(translation.article, fld), getattr(original.article, fld)
            if (set(mine) if fld != "date" else mine) != (set(theirs) if fld != "date" else theirs):
                errors.append(ContentError(
                    translation.article.path, translation.lines.get(fld, 1), fld,
                    f"{_show(mine)} disagrees with {_show(theirs)} in its translation {original.article.path}"))
    return errors


def _show(value) -> str:
    return f"[{', '.join(value)}]" if isinstance(value, tuple) else str(value)


class LoadCache:
    """What loads keep between them, so that a live rebuild re-reads only what changed.

    A file is parsed again only when its bytes (or the tag vocabulary) changed, and read again only
    when its stat signature changed or it was modified so recently that a second write within the
    file system's timestamp granularity could hide behind the same signature ("racy" files, as git
    calls them). Settings and catalogues are parsed again only when their files' bytes change.
    The live preview keeps one; a plain build starts without."""

    RACY_NS = 50_000_000     # files modified less than this before they were read are read again

    def __init__(self):
        self.entries: dict[str, tuple] = {}   # file -> (signature, read_ns, bytes, options, result)
        self.reads = 0                        # news files read so far (the benchmark and tests show it)
        self._memo: dict[str, tuple] = {}

    def load(self, found: _Found, tags, sanitize: bool = True) -> _Loaded:
        """The parsed file. Besides its bytes, parsing depends on the tag vocabulary, ``sanitize``
        and the name messages show for the file (relative to the working folder)."""
        options = (tags, sanitize, found.name)
        cached = self.entries.get(found.file)
        if (cached is not None and cached[0] == found.signature and found.mtime_ns < cached[1] - self.RACY_NS
                and cached[3] == options):
            result = cached[4]
        else:
            read_ns = time.time_ns()
            data = read_regular(found.file)
            self.reads += 1
            if cached is not None and cached[2] == data and cached[3] == options:
                result = cached[4]
            else:
                try:
                    result = _load_article(data, Path(found.file), found.name, found.year, found.slug, found.lang,
                                           tags, sanitize)
                except ContentErrors as exc:
                    result = exc
            self.entries[found.file] = (found.signature, read_ns, data, options, result)
        if isinstance(result, ContentErrors):
            raise result
        return result

    # --- kept on disk between builds (CI restores the folder) ---------------------------------
    def save(self, path: Path) -> None:
        """Write the parsed files (not the failures) to ``path``, replacing it whole."""
        entries = {f: e for f, e in self.entries.items() if isinstance(e[4], _Loaded)}
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(pickle.dumps({"version": _code_version(), "entries": entries}))
        partial.replace(path)

    @classmethod
    def saved(cls, path: Path) -> "LoadCache":
        """The cache saved at ``path`` by this same code, or an empty one. Saved entries are used
        only for files whose bytes and tag vocabulary are what they were."""
        cache = cls()
        try:
            data = pickle.loads(path.read_bytes())
            if data["version"] == _code_version():
                cache.entries = {f: (None, 0, *rest) for f, (_sig, _read, *rest) in data["entries"].items()}
        except Exception:   # missing, unreadable or from other code: start afresh  # noqa: BLE001
            pass
        return cache

    def keep_only(self, files: set[str]) -> None:
        """Forget files that are gone."""
        for file in self.entries.keys() - files:
            del self.entries[file]

    def memo(self, key: str, files: tuple[Path, ...], make: Callable[[], Any]) -> Any:
        """``make()``, kept while the bytes of ``files`` stay the same (errors are not kept)."""
        stamp = tuple(f.read_bytes() if f.is_file() else None for f in files)
        cached = self._memo.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        value = make()
        self._memo[key] = (stamp, value)
        return value


def _code_version() -> str:
    """Saved caches hold this package's objects: they are valid only for the same code."""
    h = hashlib.sha256(sys.version.encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        h.update(module.name.encode() + module.read_bytes())
    return h.hexdigest()


def load_content(root: Path, project: Path | None = None, cache: LoadCache | None = None,
                 sanitize: bool = True) -> Content:
    """Load and check every file under ``root`` (the content folder); raise every error at once.
    ``sanitize=False`` keeps raw HTML in Markdown as written (the ``unsafe_html`` setting)."""
    project = project or root.parent  # paths in messages are shown relative to it
    cache = cache or LoadCache()
    errors: list[ContentError] = []
    try:
        tags = cache.memo("tags", (root / TAGS_FILE,), lambda: load_tags(root, project))
    except ContentErrors as exc:
        errors.extend(exc.errors)
        tags = None
    loaded: list[_Loaded] = []
    present: set[tuple[int, str, str]] = set()
    news = root / NEWS_DIR
    if not news.is_dir():
        errors.append(ContentError(_display(news, project), 1, "folder", "the news folder is missing"))
    else:
        seen: set[str] = set()
        for found in _article_files(news, project, errors):
            seen.add(found.file)
            present.add((int(found.year), found.slug, found.lang))
            try:
                loaded.append(cache.load(found, tags, sanitize))
            except ContentErrors as exc:
                errors.extend(exc.errors)
            except OSError as exc:  # removed or replaced between listing and reading
                errors.append(ContentError(found.name, 1, "file", unreadable(exc)))
        cache.keep_only(seen)
    errors.extend(_cross_checks(loaded, present))
    if errors:
        raise ContentErrors(errors)
    return Content(articles=tuple(entry.article for entry in loaded), tags=tags)

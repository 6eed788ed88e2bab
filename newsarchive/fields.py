"""The rules for each front matter field: what it accepts, and the message when it does not.

Each check takes the YAML value and a ``FieldContext`` and returns the value the article keeps, or
raises ValueError with a message that reads after "file:line: field: ".
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Callable, Mapping
from urllib.parse import urlsplit

from babel import Locale

from .addresses import MAX_ALIASES, address_problem, as_url
from .config import LANGUAGES
from .model import Institution, Moment, Tag
from .yamlread import clip, short

TAGS_FILE = "tags.yaml"
INSTITUTIONS_FILE = "institutions.yaml"

# Limits no real news item reaches; past them a file is refused.
MAX_TAGS = 20
MAX_COUNTRIES = 50
MAX_INSTITUTIONS = 50

# ISO 3166-1 alpha-2: CLDR's two-letter territories less its groupings and user-assigned codes.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ"}
COUNTRY_CODES = frozenset(
    code for code in Locale("en").territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
)

# Every pattern is matched whole (fullmatch) and in ASCII: \d would match look-alike digits.
_MOMENT_RE = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:(?P<sep>[T ])(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?"
    r"(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?")
MOMENT_FORMS = "YYYY-MM-DD, YYYY-MM-DD HH:MM (in the site's timezone) or YYYY-MM-DDTHH:MM+08:00"
MIN_YEAR, MAX_YEAR = 1000, 9999   # year folders have four digits

# Photos the build processes; anything else an item links to is published as it is, if it is of
# a kind that cannot run script on the site's origin.
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png", "webp", "gif", "tif", "tiff", "heic", "heif"})
FILE_EXTENSIONS = IMAGE_EXTENSIONS | frozenset({
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "txt", "csv", "zip",
    "mp3", "m4a", "ogg", "mp4", "webm"})
_MEDIA_NAME_RE = re.compile(r"[^/\\\x00-\x1f]+")


@dataclass
class FieldContext:
    """What field checks need to know: the vocabularies (None when one failed to load), the file's
    language and item slug, and the site's timezone."""

    tags: Mapping[str, Tag] | None
    institutions: Mapping[str, Institution] | None
    lang: str
    slug: str
    timezone: tzinfo


@dataclass(frozen=True)
class Field:
    check: Callable[[Any, FieldContext], Any]
    required: bool = False


def did_you_mean(word: str, choices) -> str:
    hint = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{hint[0]}'?" if hint else ""


def type_name(value) -> str:
    return {list: "a list", dict: "a mapping", int: "a number", float: "a number", bool: "true/false",
            str: "text", type(None): "empty"}.get(type(value), type(value).__name__)


def _text(value, _ctx):
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {type_name(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def parse_moment(value, zone: tzinfo) -> Moment:
    """A date, or a date and time, as an aware datetime in ``zone`` (the site's timezone)."""
    match = _MOMENT_RE.fullmatch(value) if isinstance(value, str) else None
    if not match or (match["sep"] == "T" and not match["zone"]) or (match["sep"] == " " and match["zone"]):
        raise ValueError(f"{short(value)} is not a date or time in one of the forms {MOMENT_FORMS}")
    try:
        day = date.fromisoformat(match["date"])
        clock = time(int(match["hour"] or 0), int(match["minute"] or 0), int(match["second"] or 0))
    except ValueError:
        raise ValueError(f"'{value}' is not a valid {'date' if match['hour'] is None else 'date or time'}") from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(f"'{value}' is not in a year this archive can hold ({MIN_YEAR} to {MAX_YEAR})")
    try:
        if match["zone"]:
            offset = timedelta() if match["zone"] == "Z" else (
                (1 if match["zone"][0] == "+" else -1) * timedelta(hours=int(match["zone"][1:3]), minutes=int(match["zone"][4:])))
            if abs(offset) >= timedelta(hours=24):
                raise ValueError(f"'{value}' has an offset of a day or more")
            at = datetime.combine(day, clock, timezone(offset)).astimezone(zone)
        else:
            at = datetime.combine(day, clock, zone)
            if at.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != at.replace(tzinfo=None):
                raise ValueError(f"'{value}' does not exist in {zone} (the clocks skip it); give the time with its offset")
        at.astimezone(timezone.utc)   # feeds and search sort by UTC: it must exist there too
    except OverflowError:
        raise ValueError(f"'{value}' is out of the range of dates this archive can hold") from None
    if not MIN_YEAR <= at.year <= MAX_YEAR:
        raise ValueError(f"'{value}' falls in the year {at.year} in the site's timezone, which this archive cannot "
                         f"hold ({MIN_YEAR} to {MAX_YEAR})")
    return Moment(at, timed=match["hour"] is not None)


def _moment(value, ctx):
    return parse_moment(value, ctx.timezone)


def _text_list(value, what, limit):
    if value is None:
        return ()
    if not isinstance(value, list):
        hint = ""
        if isinstance(value, str):
            hint = (": write it with ASCII brackets, [a, b], not 【 】 or ［ ］" if re.search("[【】［］〔〕]", value)
                    else f", written [{value}]" if value.strip() else "")
        raise ValueError(f"must be a list of {what}, not {type_name(value)}{hint}")
    if len(value) > limit:
        raise ValueError(f"lists {len(value)} {what}; an item may have at most {limit}")
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"must be a list of {what}; {short(item)} is {type_name(item)}")
    seen = set()
    for item in value:
        if item in seen:
            raise ValueError(f"lists {short(item)} twice")
        seen.add(item)
    return tuple(value)


def _slugs(value, known, what: str, limit: int, file: str):
    slugs = _text_list(value, f"{what} slugs", limit)
    for slug in slugs if known is not None else ():
        if slug not in known:
            raise ValueError(f"unknown {what} '{clip(slug)}'{did_you_mean(slug, known)} ({what}s are defined in {file})")
    return slugs


def _tags(value, ctx):
    return _slugs(value, ctx.tags, "tag", MAX_TAGS, TAGS_FILE)


def _institutions(value, ctx):
    return _slugs(value, ctx.institutions, "institution", MAX_INSTITUTIONS, INSTITUTIONS_FILE)


def _countries(value, ctx):
    codes = _text_list(value, "ISO 3166-1 alpha-2 country codes", MAX_COUNTRIES)
    for code in codes:
        if code not in COUNTRY_CODES:
            if code.upper() in COUNTRY_CODES:
                hint = f"; did you mean '{code.upper()}'?"
            else:
                hint = did_you_mean(code, COUNTRY_CODES)
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
        raise ValueError(f"{short(value)} is not a digest; set it with: .venv/bin/python build.py translations --mark FILE")
    return value


def _aliases(value, _ctx):
    """Addresses the item was published at before it moved (``build.py move`` records them)."""
    addresses = _text_list(value, "addresses", MAX_ALIASES)
    for address in addresses:
        problem = address_problem(address)
        if problem:
            raise ValueError(problem)
    return tuple(as_url(address) for address in addresses)


def _flag(value, _ctx):
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {short(value)}")
    return value


def is_web_address(text: str) -> bool:
    """An absolute http:// or https:// address with a host, and no spaces or control characters."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"[\s\x00-\x1f\x7f]", text)


def _source_url(value, _ctx):
    text = _text(value, _ctx)
    if not is_web_address(text):
        raise ValueError(f"{short(value)} is not an http:// or https:// address")
    return text


def media_name(value: str, slug: str) -> str:
    """A file in the item's media folder, as the body or ``image`` names it: ``arrival.jpg``, or
    ``<slug>/arrival.jpg`` (the path from the Markdown file, which editors' previews follow)."""
    name = value[len(slug) + 1:] if value.startswith(slug + "/") else value
    name = name[2:] if name.startswith("./") else name
    if not _MEDIA_NAME_RE.fullmatch(name) or name.startswith("."):
        raise ValueError(f"{short(value)} is not a file name in the item's media folder {slug}/")
    return name


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def image_problem(name: str) -> str | None:
    ext = extension(name)
    if ext == "svg":
        return f"{name}: SVG is not accepted (it can carry script); export it as PNG"
    if ext not in IMAGE_EXTENSIONS:
        return f"{name} is not a photo; use a {', '.join(sorted(IMAGE_EXTENSIONS))} file"
    return None


def _image(value, ctx):
    name = media_name(_text(value, ctx), ctx.slug)
    problem = image_problem(name)
    if problem:
        raise ValueError(problem)
    return name


FIELDS: dict[str, Field] = {
    "title": Field(_text, required=True),
    "date": Field(_moment, required=True),
    "updated": Field(_moment),
    "summary": Field(_text),
    "tags": Field(_tags),
    "countries": Field(_countries),
    "institutions": Field(_institutions),
    "image": Field(_image),
    "image_alt": Field(_text),
    "image_caption": Field(_text),
    "image_credit": Field(_text),
    "source": Field(_text),
    "source_url": Field(_source_url),
    "translated_from": Field(_translated_from),
    "source_digest": Field(_source_digest),
    "draft": Field(_flag),
    "aliases": Field(_aliases),
}

IMAGE_FIELDS = ("image_alt", "image_caption", "image_credit")   # only with ``image``; image_alt required

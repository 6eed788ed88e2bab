"""``build.py import``: news published elsewhere brought into the archive as items.

Sources (import_sources.py) give ``Found`` records; here they are paired across languages (only
from what a source states: a page's hreflang alternates, WPML's translation group, Polylang's
translation set, or an explicit list of pairs; never from a guess), named (a slug from the source
address or the English title, a folder by year), given tags through a mapping file the editor
keeps (``content/import-tags.yaml``), countries and institutions found in the text (suggestions:
imported items are drafts an editor confirms), their photos downloaded into the item's own media
folder and checked with Pillow, and their old address kept as an alias.

What was written is recorded in ``content/imports.yaml`` (source key -> file and digest of the
bytes written), so that an import run again writes nothing that has not changed, updates only
items nobody edited here, and reports the others as conflicts.
"""
from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from babel import Locale

from .addresses import address_problem
from .discovery import NEWS_DIR, slug_problem
from .files import read_text
from .import_sources import Found, Photo, Report, SourceError, digest, fetch, is_address, kind_of, read_feed, \
    read_page, read_wxr
from .progress import Progress
from .scaffold import slugify

STATE_FILE = "imports.yaml"
TAG_MAP_FILE = "import-tags.yaml"
LANGS = ("en", "zh")


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    photos: int = 0
    redirects: int = 0
    problems: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------------

def read_sources(sources: list[str], lang: str | None, uploads: Path | None, say) -> Report:
    report = Report()
    pending = list(sources)
    while pending:
        location = pending.pop(0)
        try:
            data = fetch(location)
            kind = kind_of(data)
            say(f"reading {location} ({kind})")
            if kind == "page":
                report.items.append(read_page(data, location, lang))
            elif kind == "feed":
                read_feed(data, location, lang, report, fetch)
            elif kind == "wxr":
                read_wxr(data, location, lang, report, uploads)
            else:   # a list of pages, one address or file a line
                text = data.decode("utf-8", "replace")
                base = Path(location).parent if not is_address(location) else None
                for line in text.splitlines():
                    line = line.strip()
                    if line and not line.startswith("#"):
                        pending.append(line if is_address(line) or base is None else str(base / line))
        except SourceError as e:
            report.skipped.append(str(e))
    return report


# -- pairing ---------------------------------------------------------------------------------

def _norm(key: str) -> str:
    return key.rstrip("/").replace("://www.", "://")


def pair(items: list[Found], pairs_file: Path | None) -> list[dict[str, Found]]:
    """Groups of one item per language: what the sources say belongs together, and nothing else."""
    by_key = {_norm(i.key): i for i in items}
    partner: dict[str, str] = {}
    if pairs_file is not None:
        for line in read_text(pairs_file, str(pairs_file)).splitlines():
            parts = line.split()
            if len(parts) == 2 and not line.lstrip().startswith("#"):
                a, b = (_norm(str(Path(p).resolve()) if not is_address(p) else p) for p in parts)
                partner[a], partner[b] = b, a
    for item in items:
        for other_lang, other in item.alternates.items():
            other = _norm(other)
            if other_lang != item.lang and other in by_key and by_key[other].lang == other_lang:
                partner.setdefault(_norm(item.key), other)
                partner.setdefault(other, _norm(item.key))
    groups: dict[str, list[Found]] = {}
    for item in items:
        if item.group:
            groups.setdefault(item.group, []).append(item)
    for members in groups.values():
        langs = {m.lang for m in members}
        if len(members) == 2 and len(langs) == 2:
            a, b = (_norm(m.key) for m in members)
            partner.setdefault(a, b)
            partner.setdefault(b, a)
    done: set[str] = set()
    units = []
    for item in items:
        key = _norm(item.key)
        if key in done:
            continue
        unit = {item.lang or "en": item}
        done.add(key)
        other = partner.get(key)
        if other and other not in done and other in by_key and by_key[other].lang not in unit:
            unit[by_key[other].lang] = by_key[other]
            done.add(other)
        units.append(unit)
    return units


# -- naming and vocabulary -------------------------------------------------------------------

def _slug(unit: dict[str, Found]) -> str:
    for item in unit.values():
        last = unquote(urlsplit(item.source_url or item.key).path.rstrip("/").rsplit("/", 1)[-1])
        last = re.sub(r"\.(s?html?|php|aspx?)$", "", last, flags=re.I)
        candidate = slugify(last)
        if candidate and not candidate.isdigit() and not slug_problem(candidate) and len(candidate) >= 4:
            return candidate
    english = unit.get("en")
    if english and slugify(english.title) and not slug_problem(slugify(english.title)):
        return slugify(english.title)[:60].strip("-")
    return "item-" + digest(next(iter(unit.values())).key)[:8]


@lru_cache(maxsize=1)   # read once per import, not once per item
def _country_names() -> dict[str, str]:
    names = {}
    for locale in ("en", "zh"):
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha() and len(name) >= 2:
                names[name] = code
    return names


def suggestions(text: str, institutions: dict) -> tuple[list[str], list[str]]:
    """Countries (by their CLDR names, both languages) and institutions (by their names in
    institutions.yaml) the text names."""
    countries = []
    for name, code in _country_names().items():
        pattern = re.escape(name) if not name.isascii() else rf"\b{re.escape(name)}\b"
        if re.search(pattern, text) and code not in countries:
            countries.append(code)
    found = [slug for slug, inst in institutions.items()
             if any(name and name in text for name in inst.names.values())]
    for slug in found:
        country = institutions[slug].country
        if country and country not in countries:
            countries.append(country)
    return sorted(countries), found


_NEW_INSTITUTION = re.compile(
    r"\b(?:University of(?: [A-Z][\w'-]+){1,3}|(?:[A-Z][\w'-]+ ){1,3}(?:University|College|Institute of Technology))\b"
    )
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,8}")


def new_institutions(text: str, institutions: dict) -> list[str]:
    """Names that look like a university's and are in no entry of institutions.yaml: proposed to
    the editor as entries to add (never written there by the import)."""
    import rjieba

    known = {name for inst in institutions.values() for name in inst.names.values()}
    names = [m[0].strip() for m in _NEW_INSTITUTION.finditer(text)]
    words = rjieba.cut(text)   # Chinese: a word before 大学 or 学院 (by jieba's boundaries), or one ending so
    for previous, word in zip([""] + words, words):
        if word in ("大学", "学院") and _HAN_WORD.fullmatch(previous) and previous not in ("我校", "本校", "该校"):
            names.append(previous + word)
        elif word.endswith(("大学", "学院")) and len(word) > 2:
            names.append(word)
    found = []
    for name in names:
        if name not in found and not any(name in k or k in name for k in known):
            found.append(name)
    return found[:5]


def _tag_map(content: Path) -> dict[str, str]:
    path = content / TAG_MAP_FILE
    if not path.exists():
        return {}
    data = yaml.safe_load(read_text(path, str(path))) or {}
    return {str(k): ("" if v is None else str(v)) for k, v in data.items()} if isinstance(data, dict) else {}


# -- photos ----------------------------------------------------------------------------------

def _photo_name(location: str, taken: set[str]) -> str:
    base = unquote(urlsplit(location).path.rsplit("/", 1)[-1]) or "photo"
    stem, dot, ext = base.rpartition(".")
    stem, ext = (stem, ext) if dot else (base, "jpg")
    stem = slugify(stem) or "photo"
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:5] or "jpg"
    name, n = f"{stem}.{ext}", 2
    while name in taken:
        name, n = f"{stem}-{n}.{ext}", n + 1
    taken.add(name)
    return name


def _check_photo(data: bytes) -> str | None:
    """Why these bytes are not a photo Pillow can read, or None."""
    from PIL import Image
    try:
        import pillow_heif
        pillow_heif.register_heif_opener()
    except ImportError:
        pass
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.verify()
        return None
    except Exception as e:   # noqa: BLE001 - any decoder failure: not a usable photo
        return f"not a photo that can be read ({type(e).__name__})"


# -- writing ---------------------------------------------------------------------------------

def _quote(text: str) -> str:
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def _markdown_body(item: Found, names: dict[int, str], skip: int | None) -> str:
    def photo(match: re.Match) -> str:
        n = int(match[1])
        if n == skip or n not in names:
            return ""
        p = item.photos[n]
        caption = f' "{p.caption.replace(chr(34), chr(39))}"' if p.caption else ""
        alt = (p.alt or item.title).replace("]", ")").replace("[", "(")
        return f"![{alt}]({names[n]}{caption})"
    text = re.sub(r"\x00photo(\d+)\x00", photo, item.body)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def run(content: Path, sources: list[str], *, lang: str | None = None, dry_run: bool = False,
        publish: bool = False, pairs_file: Path | None = None, uploads: Path | None = None,
        institutions: dict | None = None, say=print) -> Outcome:
    institutions = institutions or {}
    report = read_sources(sources, lang, uploads, say)
    outcome = Outcome(problems=list(report.skipped))
    outcome.problems += report.other
    state_path = content / STATE_FILE
    state = (yaml.safe_load(read_text(state_path, str(state_path))) or {}) if state_path.exists() else {}
    if not isinstance(state, dict):
        state = {}
    tag_map = _tag_map(content)
    unknown_tags: set[str] = set()
    seen: set[str] = set()
    items = []
    for item in report.items:
        if item.key in seen:
            continue
        seen.add(item.key)
        if item.lang not in LANGS:
            outcome.problems.append(f"{item.origin}: {item.title[:60]!r}: its language is not stated; "
                                    f"give it with --lang en or --lang zh")
            continue
        if not item.title.strip():
            outcome.problems.append(f"{item.origin}: {item.key}: no title; not imported")
            continue
        if item.when is None:
            outcome.problems.append(f"{item.origin}: {item.title[:60]!r}: no publication date; not imported")
            continue
        items.append(item)
    used_paths: set[str] = set()
    units = pair(items, pairs_file)
    progress = Progress("importing items")
    for done, unit in enumerate(units):
        progress(done, len(units))
        first = unit.get("en") or next(iter(unit.values()))
        known = next((state[i.key]["file"] for i in unit.values() if i.key in state
                      and isinstance(state[i.key], dict) and "file" in state[i.key]), None)
        if known and re.fullmatch(r"\d{4}", Path(known).parent.name) \
                and not slug_problem(Path(known).name.split(".")[0]):   # named as before, whatever the source says now
            year, slug = Path(known).parent.name, Path(known).name.split(".")[0]
        else:
            year, slug = str(first.when.year), _slug(unit)
            base, n = slug, 2
            while f"{year}/{slug}" in used_paths or any((content / NEWS_DIR / year).glob(f"{slug}.*.md")):
                slug, n = f"{base}-{n}", n + 1
        used_paths.add(f"{year}/{slug}")
        text = " ".join(i.title + " " + i.body for i in unit.values())
        countries, found_institutions = suggestions(text, institutions)
        tags = []
        for i in unit.values():
            for name in i.tags:
                mapped = tag_map.get(name)
                if mapped is None or mapped == "":
                    unknown_tags.add(name)
                elif mapped != "-" and mapped not in tags:
                    tags.append(mapped)
        media = content / NEWS_DIR / year / slug
        taken: set[str] = set()
        names_by_lang: dict[str, dict[int, str]] = {}
        photo_files: dict[str, bytes] = {}
        by_location: dict[str, str] = {}
        for code, item in unit.items():
            names = names_by_lang[code] = {}
            for n, photo in enumerate(item.photos):
                if photo.location in by_location:
                    names[n] = by_location[photo.location]
                    continue
                if is_address(item.origin) and not is_address(photo.location):
                    outcome.problems.append(f"{item.origin}: {item.title[:60]!r}: photo {photo.location}: a source "
                                            f"on the web cannot name a file on this machine; left out")
                    continue
                if dry_run:
                    names[n] = by_location[photo.location] = _photo_name(photo.location, taken)
                    continue
                try:
                    data = fetch(photo.location)
                except SourceError as e:
                    outcome.problems.append(f"{item.origin}: {item.title[:60]!r}: photo {e}; left out")
                    continue
                problem = _check_photo(data)
                if problem:
                    outcome.problems.append(f"{item.origin}: {item.title[:60]!r}: photo {photo.location}: "
                                            f"{problem}; left out")
                    continue
                name = _photo_name(photo.location, taken)
                existing = media / name
                if existing.exists() and existing.read_bytes() != data:   # an editor's file of that name
                    name = _photo_name(photo.location, taken)
                names[n] = by_location[photo.location] = name
                photo_files[name] = data
        lead = next(((code, n) for code, item in unit.items() for n in range(len(item.photos))
                     if n in names_by_lang[code]), None)
        lead_name = names_by_lang[lead[0]][lead[1]] if lead else None
        when = first.when
        stamp = when.strftime("%Y-%m-%d") if when.tzinfo is None and not (when.hour or when.minute) else \
            when.isoformat(timespec="minutes")
        for code, item in unit.items():
            skip = next((n for n, name in names_by_lang[code].items() if name == lead_name), None)
            lines = [f"title: {_quote(item.title)}", f"date: {stamp}"]
            if item.draft or not publish:
                lines.append("draft: true   # imported: remove this line when an editor has checked the item")
            lines.append(f"tags: [{', '.join(tags)}]")
            lines.append(f"countries: [{', '.join(countries)}]")
            if found_institutions:
                lines.append(f"institutions: [{', '.join(found_institutions)}]")
            if lead_name:
                p = item.photos[skip] if skip is not None else None
                lines += [f"image: {lead_name}", f"image_alt: {_quote((p.alt if p else '') or item.title)}"]
                if p and p.caption:
                    lines.append(f"image_caption: {_quote(p.caption)}")
            if item.source:
                lines.append(f"source: {_quote(item.source)}")
            if item.source_url:
                lines.append(f"source_url: {_quote(item.source_url)}")
            alias = item.old_address
            if alias and not address_problem(alias) and alias.strip("/"):
                lines.append(f"aliases: [{_quote(alias)}]")
            text_out = "---\n" + "\n".join(lines) + "\n---\n\n" + _markdown_body(item, names_by_lang[code], skip)
            path = content / NEWS_DIR / year / f"{slug}.{code}.md"
            relative = path.relative_to(content).as_posix()
            recorded = state.get(item.key) if isinstance(state.get(item.key), dict) else None
            new_digest = digest(text_out)
            if recorded and path.exists():
                current = digest(path.read_text(encoding="utf-8"))
                if new_digest == recorded.get("digest"):
                    outcome.unchanged += 1
                    continue
                if current != recorded.get("digest"):
                    outcome.conflicts.append(f"{relative}: edited here and changed at its source ({item.key}); "
                                             f"left as it is")
                    continue
                outcome.updated.append(relative)
            elif recorded and not path.exists():
                outcome.unchanged += 1   # removed here on purpose: not brought back
                continue
            elif path.exists():
                outcome.conflicts.append(f"{relative}: already exists and was not imported; left as it is")
                continue
            else:
                outcome.written.append(relative)
            if not dry_run:
                path.parent.mkdir(parents=True, exist_ok=True)
                media.mkdir(parents=True, exist_ok=True)
                for name, data in photo_files.items():
                    if not (media / name).exists():
                        (media / name).write_bytes(data)
                        outcome.photos += 1
                temporary = path.with_name(path.name + ".importing")
                temporary.write_text(text_out, encoding="utf-8")
                temporary.replace(path)
                state[item.key] = {"file": relative, "digest": new_digest}
            outcome.redirects += "\naliases: " in text_out
        for name in new_institutions(text, institutions):
            proposal = slugify(name) or "new-institution"
            outcome.suggestions.append(f"{year}/{slug}: names {name!r}, not in institutions.yaml; to add it: "
                                       f"{proposal}: {{en: \"…\", zh: \"…\", country: ??}}")
        if countries or found_institutions:
            outcome.suggestions.append(f"{year}/{slug}: countries {', '.join(countries) or '-'}; institutions "
                                       f"{', '.join(found_institutions) or '-'} (found in the text: confirm)")
    progress(len(units), len(units))
    new_tags = sorted(t for t in unknown_tags if t not in tag_map)
    outcome.unmapped = sorted(unknown_tags)
    if not dry_run:
        if new_tags:
            with open(content / TAG_MAP_FILE, "a", encoding="utf-8") as f:
                if f.tell() == 0:
                    f.write("# The source's categories and tags -> a tag slug of tags.yaml, or - to drop it.\n"
                            "# build.py import writes the ones it meets unmapped; map them and import again.\n")
                for name in new_tags:
                    f.write(f"{_quote(name)}: \n")
        if state:
            temporary = state_path.with_name(STATE_FILE + ".importing")
            temporary.write_text("# What build.py import wrote: source -> file and digest (do not edit)\n" +
                                 yaml.safe_dump(state, allow_unicode=True, sort_keys=True), encoding="utf-8")
            temporary.replace(state_path)
    return outcome


def summary(outcome: Outcome, dry_run: bool) -> str:
    verb = "would write" if dry_run else "wrote"
    lines = [f"{verb} {len(outcome.written)} new items, updated {len(outcome.updated)}, "
             f"{outcome.unchanged} unchanged, {len(outcome.conflicts)} conflicts; {outcome.photos} photos, "
             f"{outcome.redirects} old addresses kept as aliases in what was written"]
    lines += [f"  new: {p}" for p in outcome.written]
    lines += [f"  updated: {p}" for p in outcome.updated]
    lines += [f"  conflict: {c}" for c in outcome.conflicts]
    lines += [f"  needs attention: {p}" for p in outcome.problems]
    if outcome.unmapped:
        lines.append(f"  tags to map in content/{TAG_MAP_FILE}: {', '.join(outcome.unmapped)}")
    lines += [f"  suggestion: {s}" for s in outcome.suggestions]
    return "\n".join(lines)

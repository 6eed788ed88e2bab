"""The archive's vocabularies: ``tags.yaml`` (required) and ``institutions.yaml`` (optional).

Each maps a slug to its names in every language; an institution also has its country and,
optionally, its website. Every problem is reported with its file and line.
"""
from __future__ import annotations

from pathlib import Path

from .config import LANGUAGES
from .discovery import SLUG_RE, display
from .errors import ContentError, ContentErrors
from .fields import COUNTRY_CODES, INSTITUTIONS_FILE, TAGS_FILE, did_you_mean, is_web_address
from .files import read_text
from .model import Institution, Tag
from .yamlread import clip, compose, construct, mapping_items, short

_NAMES = f"must give a name in each of {', '.join(LANGUAGES)}"


def _entries(path: Path, project: Path, what: str, noun: str, required: bool):
    """(name shown, [(slug, line, value)], errors) for a vocabulary file mapping slugs to mappings."""
    name = display(path, project)
    if not path.exists():
        if required:
            raise ContentErrors([ContentError(name, 1, "file", f"the {what} is missing")])
        return name, [], []
    loader, node = compose(read_text(path, name), name)
    if node is None:
        return name, [], []
    items, errors = mapping_items(node, name, 1, what)
    entries = []
    for slug, line, value_node in items:
        try:
            value = construct(loader, value_node)
        except ValueError as exc:
            errors.append(ContentError(name, line, clip(slug), str(exc)))
            continue
        if not SLUG_RE.fullmatch(slug):
            errors.append(ContentError(name, line, clip(slug), f"{noun} slug uses only a-z, 0-9 and single hyphens"))
        elif not isinstance(value, dict):
            errors.append(ContentError(name, line, slug, f"{_NAMES}, as {{en: …, zh: …}}"))
        else:
            entries.append((slug, line, value))
    return name, entries, errors


def _names(value: dict) -> dict[str, str] | None:
    if all(isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGUAGES):
        return {lang: value[lang].strip() for lang in LANGUAGES}
    return None


def load_tags(root: Path, project: Path) -> dict[str, Tag]:
    name, entries, errors = _entries(root / TAGS_FILE, project, "tag vocabulary", "a tag", required=True)
    tags = {}
    for slug, line, value in entries:
        names = _names(value)
        if names is None or set(value) != set(LANGUAGES):
            errors.append(ContentError(name, line, slug, f"{_NAMES}, as {{en: …, zh: …}}"))
        else:
            tags[slug] = Tag(slug, names)
    if errors:
        raise ContentErrors(errors)
    return tags


_INSTITUTION_KEYS = set(LANGUAGES) | {"country", "url"}


def load_institutions(root: Path, project: Path) -> dict[str, Institution]:
    """``institutions.yaml``: ``ku-leuven: {en: KU Leuven, zh: 鲁汶大学, country: BE, url: https://…}``."""
    name, entries, errors = _entries(root / INSTITUTIONS_FILE, project, "institutions", "an institution", required=False)
    found = {}
    for slug, line, value in entries:
        problems = [f"unknown key '{clip(str(key))}'{did_you_mean(str(key), _INSTITUTION_KEYS)}"
                    for key in value if key not in _INSTITUTION_KEYS]
        names = _names(value)
        if names is None:
            problems.append(f"{_NAMES}, as {{en: …, zh: …, country: BE}}")
        country = value.get("country")
        if country not in COUNTRY_CODES:
            hint = f"; did you mean '{country.upper()}'?" if isinstance(country, str) and country.upper() in COUNTRY_CODES else ""
            problems.append(f"country must be an ISO 3166-1 alpha-2 code such as BE, not {short(country)}{hint}")
        url = value.get("url", "")
        if url and not (isinstance(url, str) and is_web_address(url)):
            problems.append(f"url {short(url)} is not an http:// or https:// address")
        if problems:
            errors += [ContentError(name, line, slug, problem) for problem in problems]
        else:
            found[slug] = Institution(slug, names, country, url)
    if errors:
        raise ContentErrors(errors)
    return found

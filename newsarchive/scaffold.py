"""``build.py new``: a news item to write, or a translation to make, in the right folder.

What ``new`` writes is a draft (``draft: true``, as Hugo's archetypes are), and every place left
for an editor or translator starts with "TODO:", which ``check`` and ``build`` refuse in an item
that is not a draft: unfinished work cannot go live by accident.
"""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import frontmatter

from .config import LANGUAGE_NAMES, LANGUAGES
from .content import PLACEHOLDER
from .discovery import NEWS_DIR, slug_problem
from .fields import COUNTRY_CODES, did_you_mean
from .files import read_text
from .model import Article


class ScaffoldError(Exception):
    pass


def slugify(title: str) -> str:
    """ASCII, lower-case, hyphens: "Ambassador of Belgium visits CQU" -> "ambassador-of-belgium-visits-cqu"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].strip("-")


def value_problems(tags: list[str], countries: list[str], vocabulary, institutions=(), known_institutions=()) -> list[str]:
    """What is wrong with values given on the command line, with "did you mean" as front matter has."""
    problems = [f"unknown tag '{t}'{did_you_mean(t, vocabulary)} (tags are defined in tags.yaml)"
                for t in tags if t not in vocabulary]
    for code in countries:
        if code not in COUNTRY_CODES:
            hint = f"; did you mean '{code.upper()}'?" if code.upper() in COUNTRY_CODES else did_you_mean(code, COUNTRY_CODES)
            problems.append(f"unknown country code '{code}'{hint}")
    problems += [f"unknown institution '{i}'{did_you_mean(i, known_institutions)} (institutions are defined in "
                 f"institutions.yaml)" for i in institutions if i not in known_institutions]
    return problems


def _front(lines: list[str]) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def new_item(content: Path, title: str, *, lang: str | None, day: date, tags: list[str], countries: list[str],
             slug: str | None, vocabulary) -> list[Path]:
    """Write a draft in ``lang`` (English by default), in the folder of ``day``'s year."""
    problems = value_problems(tags, countries, vocabulary)
    if not title.strip():
        problems.append("the title is empty")
    slug = slug or slugify(title)
    if not slug:
        problems.append("the title has no Latin letters to make a slug from; give one with --slug")
    elif problem := slug_problem(slug):
        problems.append(problem)
    if problems:
        raise ScaffoldError("; ".join(problems))
    lang = lang or LANGUAGES[0]
    folder = content / NEWS_DIR / f"{day.year:04d}"
    path = folder / f"{slug}.{lang}.md"
    existing = sorted(str(p) for p in (content / NEWS_DIR).glob(f"*/{slug}.*.md"))
    if existing:
        raise ScaffoldError(f"not overwriting: {', '.join(existing)} already exists; to translate it, run: "
                            f"build.py new --translate {slug} --lang <language>")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / slug).mkdir(exist_ok=True)   # its media folder: photos and documents of the item
    lines = [f"title: {json.dumps(title.strip(), ensure_ascii=False)}", f"date: {day.isoformat()}",
             f"tags: [{', '.join(tags)}]", f"countries: [{', '.join(countries)}]",
             "draft: true   # remove this line when the item is ready to publish",
             "# summary: \"One sentence for listings, feeds and search results.\"",
             "# institutions: []   # slugs from institutions.yaml",
             f"# image: photo.jpg   # a file in {NEWS_DIR}/{day.year}/{slug}/, with image_alt (and image_caption, image_credit)",
             "# source: \"Who published it first\"",
             "# source_url: \"https://… (the original)\""]
    path.write_text(_front(lines) + f"{PLACEHOLDER} write the news item here.\n", encoding="utf-8")
    return [path]


def translate_item(content: Path, original: Article, lang: str) -> Path:
    """A draft translation of ``original`` into ``lang``: it names its original and the digest of
    the text it is made from, takes every shared field from it (date, tags, countries,
    institutions, photo), and holds the original's title, summary, photo description and body,
    each marked "TODO: translate", for the translator to replace."""
    if lang == original.lang:
        raise ScaffoldError(f"{original.path} is in {LANGUAGE_NAMES[lang]} already; give the language to translate into")
    path = Path(original.file).with_name(f"{original.slug}.{lang}.md")
    if path.exists():
        raise ScaffoldError(f"not overwriting: {path} already exists")
    todo = f"{PLACEHOLDER} translate from {LANGUAGE_NAMES[original.lang]}: "
    lines = [f"title: {json.dumps(todo + original.title, ensure_ascii=False)}",
             f"translated_from: {original.lang}", f"source_digest: \"{original.digest}\"",
             "draft: true   # remove this line when the translation is ready to publish"]
    if original.summary:
        lines.append(f"summary: {json.dumps(todo + original.summary, ensure_ascii=False)}")
    if original.image:
        lines.append(f"image_alt: {json.dumps(todo + original.image.alt, ensure_ascii=False)}")
        if original.image.caption:
            lines.append(f"image_caption: {json.dumps(todo + original.image.caption, ensure_ascii=False)}")
    lines.append(f"# date, tags, countries, institutions and the photo come from {Path(original.file).name}")
    _, body = frontmatter.YAMLHandler().split(read_text(original.file, original.path))
    text = f"{todo}replace the text below with its translation.\n\n{body.strip()}\n"
    path.write_text(_front(lines) + text, encoding="utf-8")
    return path

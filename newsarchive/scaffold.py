"""``build.py new``: a skeleton news item with valid front matter, in the right folder."""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

from .config import LANGUAGES
from .discovery import NEWS_DIR, slug_problem
from .fields import COUNTRY_CODES


class ScaffoldError(Exception):
    pass


def slugify(title: str) -> str:
    """ASCII, lower-case, hyphens: "Ambassador of Belgium visits CQU" -> "ambassador-of-belgium-visits-cqu"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80].strip("-")


def new_item(content: Path, title: str, *, lang: str | None, day: date, tags: list[str], countries: list[str],
             slug: str | None, vocabulary: set[str]) -> list[Path]:
    """Write the skeleton(s); both languages unless ``lang`` is given, the second a translation."""
    problems = [f"unknown tag '{t}'" for t in tags if t not in vocabulary]
    problems += [f"unknown country code '{c}'" for c in countries if c not in COUNTRY_CODES]
    if not title.strip():
        problems.append("the title is empty")
    slug = slug or slugify(title)
    if not slug:
        problems.append("the title has no Latin letters to make a slug from; give one with --slug")
    elif problem := slug_problem(slug):
        problems.append(problem)
    if problems:
        raise ScaffoldError("; ".join(problems))
    langs = [lang] if lang else list(LANGUAGES)
    folder = content / NEWS_DIR / str(day.year)
    paths = [folder / f"{slug}.{code}.md" for code in langs]
    existing = [str(p) for p in paths if p.exists()] + [str(p) for p in folder.parent.glob(f"*/{slug}.*.md")
                                                         if p not in paths]
    if existing:
        raise ScaffoldError(f"not overwriting: {', '.join(sorted(set(existing)))} already exists")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / slug).mkdir(exist_ok=True)   # its media folder: photos and documents of the item
    for code, path in zip(langs, paths):
        lines = [f"title: {json.dumps(title.strip(), ensure_ascii=False)}", f"date: {day.isoformat()}",
                 f"tags: [{', '.join(tags)}]", f"countries: [{', '.join(countries)}]",
                 "# summary: \"One sentence for listings, feeds and search results.\"",
                 "# institutions: []   # slugs from institutions.yaml",
                 f"# image: photo.jpg   # a file in {NEWS_DIR}/{day.year}/{slug}/, with image_alt (and image_caption, image_credit)",
                 "# source: \"Who published it first\"",
                 "# source_url: \"https://… (the original)\""]
        if code != langs[0]:
            lines.append(f"translated_from: {langs[0]}")
        body = "Write the news item here." if code == langs[0] else f"Translate {paths[0].name} here."
        path.write_text("---\n" + "\n".join(lines) + f"\n---\n\n{body}\n", encoding="utf-8")
    return paths

"""A generated archive of N items for the checker tests and the benchmark, from the sample's texts
(the frozen copy in tests/fixtures/sample/).

Items are spread over 2006–2025. Most are bilingual; every 7th exists in English only and every
13th in Chinese only, so that listings also carry items in the other language
(``missing_translations: link``).
"""
from __future__ import annotations

import shutil
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "sample" / "content"


def _front_and_body(path: Path) -> tuple[list[str], str]:
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    lines = [l for l in head.splitlines() if not l.startswith(("date:", "source_digest:"))]
    return lines, body


def generate(content: Path, items: int, *, one_language: bool = True) -> None:
    """Write ``items`` news items (and the tag vocabulary) into the content folder ``content``."""
    sample = sorted((SAMPLE / "news").glob("*/*.en.md"))
    (content / "news").mkdir(parents=True, exist_ok=True)
    for name in ("tags.yaml", "institutions.yaml"):
        shutil.copy(SAMPLE / name, content / name)
    for n in range(items):
        source = sample[n % len(sample)]
        year, month, day = 2006 + n % 20, 1 + n % 12, 1 + n % 28
        langs = ("en", "zh")
        if one_language and n % 7 == 3:
            langs = ("en",)
        elif one_language and n % 13 == 5:
            langs = ("zh",)
        for lang in langs:
            lines, body = _front_and_body(source.with_name(source.name.replace(".en.", f".{lang}.")))
            if len(langs) == 1:
                lines = [l for l in lines if not l.startswith("translated_from:")]
            lines = [l[:-1] + f' ({n})"' if l.startswith("title:") else l for l in lines]
            path = content / "news" / str(year) / f"item-{n:05d}.{lang}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + f"\ndate: {year}-{month:02d}-{day:02d}\n---\n{body}", encoding="utf-8")

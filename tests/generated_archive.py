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


def _photo(path: Path, n: int, k: int, size: tuple[int, int]) -> None:
    """A generated test card (never presented as a news photo): colours vary by item."""
    from PIL import Image, ImageDraw
    im = Image.new("RGB", size, ((n * 37) % 256, (n * 91 + k * 50) % 256, (n * 53) % 256))
    draw = ImageDraw.Draw(im)
    for i in range(0, size[0], max(1, size[0] // 12)):
        draw.line((i, 0, size[0] - i, size[1]), fill=(255 - (n % 256), 200, 90), width=max(1, size[0] // 200))
    im.save(path, "JPEG", quality=85)


def _with_photos(lines: list[str], body: str, n: int, lang: str) -> tuple[list[str], str]:
    alt = "生成的测试图（不是新闻照片）" if lang == "zh" else "Generated test card (not a news photo)"
    lines = lines + ["image: card-1.jpg", f'image_alt: "{alt} {n}"']
    first, _, rest = body.strip("\n").partition("\n\n")
    return lines, f"\n{first}\n\n![{alt} {n}b](card-2.jpg \"{alt}\")\n\n{rest}\n"


def generate(content: Path, items: int, *, one_language: bool = True, photos_every: int = 0,
             photo_size: tuple[int, int] = (2400, 1600)) -> None:
    """Write ``items`` news items (and the vocabularies) into the content folder ``content``.
    With ``photos_every`` k, every k-th item has a media folder with two generated test cards of
    ``photo_size``: a lead photo and a figure in the body."""
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
        with_photos = photos_every and n % photos_every == 0
        if with_photos:
            media = content / "news" / str(year) / f"item-{n:05d}"
            media.mkdir(parents=True, exist_ok=True)
            for k in (1, 2):
                _photo(media / f"card-{k}.jpg", n, k, photo_size)
        for lang in langs:
            lines, body = _front_and_body(source.with_name(source.name.replace(".en.", f".{lang}.")))
            if with_photos:
                lines, body = _with_photos(lines, body, n, lang)
            if len(langs) == 1:
                lines = [l for l in lines if not l.startswith("translated_from:")]
            lines = [l[:-1] + f' ({n})"' if l.startswith("title:") else l for l in lines]
            path = content / "news" / str(year) / f"item-{n:05d}.{lang}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + f"\ndate: {year}-{month:02d}-{day:02d}\n---\n{body}", encoding="utf-8")


def article_urls(output: Path, lang: str) -> list[str]:
    """The URL paths of a built site's ``lang`` articles, in order (year and month pages left out)."""
    return sorted(page.parent.relative_to(output).as_posix() + "/"
                  for page in (output / lang / "news").glob("20*/*/index.html") if not page.parent.name.isdigit())

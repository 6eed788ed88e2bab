"""A generated archive for the build benchmark, in this generator's layout and in Hugo's.

Items are spread over 2006–2025 (several a day at 10,000 items). Each has a headline told apart by
its words, a body of 300–1,500 English words or Chinese characters made of varied sentences that
name people, institutions, countries and cities, tags, countries and institutions from the
vocabularies written beside them, and a source. One in ten exists in one language only (half
English, half Chinese); with ``photos_every`` k, every k-th item has a lead photo with a caption:
a generated test card, never presented as a news photo.

Hugo gets the same items as page bundles (``news/<year>/<slug>/index.<lang>.md``, the photo beside
them, hard-linked) with a ``months`` taxonomy standing for this generator's month pages.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

from vocabulary import COUNTRIES, INSTITUTIONS, SENTENCES, TITLES, fill

COUNTRY_CODES = {"Nigeria": "NG", "Kazakhstan": "KZ", "Belgium": "BE", "Brazil": "BR", "Egypt": "EG", "Poland": "PL",
                 "Kenya": "KE", "Uzbekistan": "UZ", "Argentina": "AR", "New Zealand": "NZ", "Sweden": "SE"}
INSTITUTION_COUNTRIES = {"KU Leuven": "BE", "Ghent University": "BE", "University of Warsaw": "PL",
                         "Cairo University": "EG", "University of Sao Paulo": "BR", "University of Nairobi": "KE",
                         "Uppsala University": "SE", "University of Auckland": "NZ", "University of Lagos": "NG"}
TAGS = [("visits", "来访", "Visits"), ("agreements", "合作协议", "Agreements"), ("student-exchange", "学生交流", "Student exchange"),
        ("research", "科研合作", "Research cooperation"), ("scholarships", "奖学金", "Scholarships"),
        ("conferences", "学术会议", "Conferences"), ("alumni", "校友", "Alumni"), ("online", "线上交流", "Online exchange"),
        ("summer-schools", "暑期学校", "Summer schools"), ("language-teaching", "语言教学", "Language teaching"),
        ("joint-degrees", "联合学位", "Joint degrees"), ("experts", "外国专家", "Foreign experts")]
ALT = ("生成的测试图（不是新闻照片）", "Generated test card (not a news photo)")


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


def _body(rng: random.Random, length: int) -> tuple[str, str]:
    """Paragraphs of 2–5 sentences until the Chinese has ``length`` characters and the English
    ``length`` words (each side grows until it is long enough)."""
    zh, en, zh_len, en_len = [], [], 0, 0
    while zh_len < length or en_len < length:
        sentences = [fill(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(2, 5))]
        if zh_len < length:
            zh.append("".join(s[0] for s in sentences))
            zh_len += len(zh[-1])
        if en_len < length:
            en.append(" ".join(s[1] for s in sentences))
            en_len += len(en[-1].split())
    return "\n\n".join(zh), "\n\n".join(en)


def _card(path: Path, n: int, size: tuple[int, int]) -> None:
    from PIL import Image, ImageDraw
    im = Image.new("RGB", size, ((n * 37) % 256, (n * 91) % 256, (n * 53) % 256))
    draw = ImageDraw.Draw(im)
    for i in range(0, size[0], size[0] // 12):
        draw.line((i, 0, size[0] - i, size[1]), fill=(255 - n % 256, 200, 90), width=4)
    im.save(path, "JPEG", quality=85)


def _vocabularies(content: Path) -> None:
    content.mkdir(parents=True, exist_ok=True)
    (content / "tags.yaml").write_text("".join(f"{slug}: {{en: {en}, zh: {zh}}}\n" for slug, zh, en in TAGS),
                                       encoding="utf-8")
    (content / "institutions.yaml").write_text("".join(
        f'{_slug(en)}: {{en: "{en}", zh: "{zh}", country: {INSTITUTION_COUNTRIES[en]}}}\n' for zh, en in INSTITUTIONS),
        encoding="utf-8")


def generate(root: Path, items: int, *, seed: int = 1, photos_every: int = 10,
             photo_size: tuple[int, int] = (1600, 1067)) -> dict:
    """Write ``root/content`` (this generator) and ``root/hugo-content`` (Hugo). Returns what the
    benchmark edits: ``{"edit": path of a bilingual English item}``."""
    rng = random.Random(seed)
    content, hugo = root / "content", root / "hugo-content"
    _vocabularies(content)
    titles: set[tuple[str, str]] = set()
    edit = None
    for n in range(items):
        year = 2006 + n * 20 // items
        day_of_year = rng.randint(0, 364)
        month, day = 1 + day_of_year // 31 % 12, 1 + day_of_year % 28
        date = f"{year}-{month:02d}-{day:02d}"
        title = fill(rng, rng.choice(TITLES))
        for _ in range(100):
            if title not in titles:
                break
            title = fill(rng, rng.choice(TITLES))
        titles.add(title)
        zh_body, en_body = _body(rng, rng.randint(300, 1500))
        institutions = rng.sample(INSTITUTIONS, rng.randint(1, 2))
        countries = sorted({INSTITUTION_COUNTRIES[i[1]] for i in institutions} | {COUNTRY_CODES[rng.choice(COUNTRIES)[1]]})
        tags = sorted(rng.sample([t[0] for t in TAGS], rng.randint(1, 3)))
        slug = f"item-{n:05d}"
        langs = ("en", "zh") if n % 10 else (("en",) if n % 20 == 0 else ("zh",))
        photo = bool(photos_every) and n % photos_every == 1
        folder, bundle = content / "news" / str(year), hugo / "news" / str(year) / slug
        folder.mkdir(parents=True, exist_ok=True)
        bundle.mkdir(parents=True, exist_ok=True)
        if photo:
            (folder / slug).mkdir(exist_ok=True)
            _card(folder / slug / "card.jpg", n, photo_size)
            os.link(folder / slug / "card.jpg", bundle / "card.jpg")
        for lang in langs:
            i = 0 if lang == "zh" else 1
            front = [f'title: "{title[i]}"', f"date: {date}",
                     f"tags: [{', '.join(tags)}]", f"countries: [{', '.join(countries)}]",
                     f"institutions: [{', '.join(_slug(x[1]) for x in institutions)}]",
                     f'summary: "{(zh_body if i == 0 else en_body).split("。" if i == 0 else ". ")[0]}"',
                     f'source: "{"国际合作与交流处" if i == 0 else "International Office"}"']
            if len(langs) == 2 and lang == "zh":
                front.append("translated_from: en")
            if photo:
                front += ["image: card.jpg", f'image_alt: "{ALT[i]} {n}"', f'image_caption: "{title[i]}"']
            body = zh_body if i == 0 else en_body
            (folder / f"{slug}.{lang}.md").write_text("---\n" + "\n".join(front) + "\n---\n\n" + body + "\n",
                                                     encoding="utf-8")
            hugo_front = front + [f'months: ["{year}-{month:02d}"]']
            (bundle / f"index.{lang}.md").write_text("---\n" + "\n".join(hugo_front) + "\n---\n\n" + body + "\n",
                                                    encoding="utf-8")
            if edit is None and len(langs) == 2 and lang == "en" and n > items // 2:
                edit = folder / f"{slug}.{lang}.md"
    return {"edit": edit}

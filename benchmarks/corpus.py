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

PEOPLE = [("韦斯特布鲁克", "Westbrook"), ("诺斯盖特", "Northgate"), ("高洋", "Gao Yang"), ("马丁内斯", "Martinez"),
          ("伊万诺娃", "Ivanova"), ("奥卡福", "Okafor"), ("哈特菲尔德", "Hatfield"), ("罗森伯格", "Rosenberg"),
          ("范德堡", "Vanderburg"), ("卡瓦略", "Carvalho"), ("彼得罗夫", "Petrov"), ("阿德巴约", "Adebayo"),
          ("科瓦尔斯基", "Kowalski"), ("林德奎斯特", "Lindqvist"), ("萨利赫", "Saleh"), ("德拉克洛瓦", "Delacroix")]
INSTITUTIONS = [("鲁汶大学", "KU Leuven", "BE"), ("根特大学", "Ghent University", "BE"),
                ("华沙大学", "University of Warsaw", "PL"), ("开罗大学", "Cairo University", "EG"),
                ("圣保罗大学", "University of Sao Paulo", "BR"), ("内罗毕大学", "University of Nairobi", "KE"),
                ("乌普萨拉大学", "Uppsala University", "SE"), ("奥克兰大学", "University of Auckland", "NZ"),
                ("拉各斯大学", "University of Lagos", "NG"), ("阿尔法拉比哈萨克国立大学", "Al-Farabi Kazakh National University", "KZ"),
                ("撒马尔罕国立大学", "Samarkand State University", "UZ"), ("布宜诺斯艾利斯大学", "University of Buenos Aires", "AR"),
                ("重庆大学", "Chongqing University", "CN"), ("北京工商大学", "Beijing Technology and Business University", "CN")]
COUNTRIES = [("尼日利亚", "Nigeria", "NG"), ("哈萨克斯坦", "Kazakhstan", "KZ"), ("比利时", "Belgium", "BE"),
             ("巴西", "Brazil", "BR"), ("埃及", "Egypt", "EG"), ("波兰", "Poland", "PL"), ("肯尼亚", "Kenya", "KE"),
             ("乌兹别克斯坦", "Uzbekistan", "UZ"), ("阿根廷", "Argentina", "AR"), ("新西兰", "New Zealand", "NZ"),
             ("瑞典", "Sweden", "SE"), ("越南", "Vietnam", "VN"), ("日本", "Japan", "JP"), ("德国", "Germany", "DE")]
CITIES = [("安特卫普", "Antwerp"), ("阿拉木图", "Almaty"), ("拉各斯", "Lagos"), ("克拉科夫", "Krakow"),
          ("蒙巴萨", "Mombasa"), ("撒马尔罕", "Samarkand"), ("哥德堡", "Gothenburg")]
TOPICS = [("联合培养", "joint training"), ("人工智能", "artificial intelligence"), ("材料科学", "materials science"),
          ("环境工程", "environmental engineering"), ("学生交流", "student exchange"), ("中文教育", "Chinese teaching"),
          ("医学研究", "medical research"), ("能源技术", "energy technology"), ("建筑设计", "architecture"),
          ("农业科技", "agricultural science")]
TAGS = [("visits", "来访", "Visits"), ("agreements", "合作协议", "Agreements"), ("student-exchange", "学生交流", "Student exchange"),
        ("research", "科研合作", "Research cooperation"), ("scholarships", "奖学金", "Scholarships"),
        ("conferences", "学术会议", "Conferences"), ("alumni", "校友", "Alumni"), ("online", "线上交流", "Online exchange"),
        ("summer-schools", "暑期学校", "Summer schools"), ("language-teaching", "语言教学", "Language teaching"),
        ("joint-degrees", "联合学位", "Joint degrees"), ("experts", "外国专家", "Foreign experts")]
SENTENCES = [
    ("{P}教授率{I}代表团访问我校，双方就{T}进行了深入交流。",
     "Professor {P} led a delegation from {I} to our university to discuss {T}."),
    ("{C}驻华大使{P}会见校长，希望进一步加强与{C}高校的合作。",
     "The ambassador of {C} to China, {P}, met the president and hoped for closer cooperation."),
    ("会议期间，来自{C}和{C2}的学者介绍了在{X}开展的研究。",
     "During the meeting, scholars from {C} and {C2} presented research carried out in {X}."),
    ("{I}与我校签署合作协议，{P}出席签约仪式并致辞。",
     "{I} signed a cooperation agreement with our university; {P} attended the signing ceremony."),
    ("据悉，{C}是我校在该地区的重要合作伙伴，{P}表示将推动学生交流。",
     "{C} is an important partner of the university in the region, and {P} will promote student exchange."),
    ("本次活动在{X}举行，吸引了来自{C}的一百多名学生参加。",
     "The event was held in {X} and drew more than one hundred students from {C}."),
    ("{P}指出，双方在{T}、材料科学和环境工程等领域具有广阔的合作前景。",
     "{P} said both sides had broad prospects in {T}, materials science and environmental engineering."),
    ("国际合作与交流处负责人陪同{P}参观了图书馆和国家重点实验室。",
     "The head of the international office accompanied {P} to the library and the state key laboratory."),
    ("双方同意在{X}设立联合研究中心，并每年互派教师和研究生。",
     "Both sides agreed to set up a joint research centre in {X} and to exchange teachers and graduate students every year."),
    ("{I}校长{P}回顾了两校三十年来的友好往来。",
     "The president of {I}, {P}, recalled thirty years of friendly exchanges between the two universities."),
]
TITLES = [("{P}率{I}代表团来访洽谈{T}合作", "{P} leads a delegation from {I} to discuss {T}"),
          ("{I}与我校在{X}签署{T}合作协议", "{I} signs a {T} agreement with the university in {X}"),
          ("{C}驻华大使{P}访问我校并就{T}发表演讲", "Ambassador of {C} {P} visits the university and speaks on {T}"),
          ("{C}学生代表团在{X}参加{T}交流活动", "Students from {C} join {T} exchange events in {X}")]
ALT = ("生成的测试图（不是新闻照片）", "Generated test card (not a news photo)")


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")


def fill(rng: random.Random, pair: tuple) -> tuple[str, str]:
    values = {"P": rng.choice(PEOPLE), "I": rng.choice(INSTITUTIONS), "C": rng.choice(COUNTRIES),
              "C2": rng.choice(COUNTRIES), "X": rng.choice(CITIES), "T": rng.choice(TOPICS)}
    return tuple(pair[k].format(**{key: v[k] for key, v in values.items()}) for k in (0, 1))


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
        f'{_slug(en)}: {{en: "{en}", zh: "{zh}", country: {cc}}}\n' for zh, en, cc in INSTITUTIONS), encoding="utf-8")


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
        countries = sorted({i[2] for i in institutions if i[2] != "CN"} | {rng.choice(COUNTRIES)[2]})
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

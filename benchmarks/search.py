"""Search as readers type it, in Chromium, on a generated archive: recall, precision and cost.

    .venv/bin/python benchmarks/search.py [--items 300] [--seed 1]

Generates an archive whose items are made of varied sentences in both languages, naming people,
institutions, countries and cities written phonetically in Chinese (韦斯特布鲁克, 哈萨克斯坦, …) in
many sentence positions, with headlines told apart by their words; some items hold names with
accents (Łódź, Zoë Van Acker), full-width Latin and digits (ＡＴＭ, １９３９年), hyphenated words,
or are in Chinese only with Latin names inside. Builds it with search and runs, on the real
search page, each query through searchText.find (the tokens and the check the page makes), in
these classes: names, words from mid-sentence, two-name phrases and exact titles (as before);
traditional characters (比利時); ASCII where the page is full-width and full-width where it is
ASCII; names with their accents and without; Latin names of Chinese-only items searched on the
English page; hyphenated words; words no page holds (must find nothing); and a query asked again
after 50 others (must find the same).

A query has perfect recall when its results include every page that holds it (each part of a
phrase; text compared folded as search folds it, searchtext.fold; an English word by its stem);
precision is the share of results that hold it; "title first" is the share of exact-title
queries whose own item comes first. Also: index size, and what a fresh browser downloads for
the first results of a query on the search page, everything counted as sent (median of 20).
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM_ARGS, _free_port  # noqa: E402
from newsarchive.pipeline import Project, build  # noqa: E402
from newsarchive.searchtext import fold, stem, t2s  # noqa: E402
from newsarchive.serve import serve_in_thread  # noqa: E402
from vocabulary import CITIES, COUNTRIES, INSTITUTIONS, PEOPLE, SENTENCES, TITLES, fill  # noqa: E402

ACCENTED = [("约兰·斯文松", "Jöran Svensson", "Joran Svensson"), ("佐伊·范阿克", "Zoë Van Acker", "Zoe Van Acker"),
            ("罗兹", "Łódź", "Lodz"), ("弗朗索瓦", "François", "Francois"), ("于尔根", "Jürgen", "Jurgen"),
            ("伊日·德沃夏克", "Jiří Dvořák", "Jiri Dvorak")]
FULL_WIDTH = [("ＡＴＭ", "ATM"), ("１９３９年", "1939年"), ("ＧＤＰ", "GDP"), ("５Ｇ", "5G")]
LATIN_IN_CHINESE = ["Maximilian", "Abdurakhmanov", "Okonkwo", "Vasquez", "Lindgren", "Nakamura"]
HYPHENATED = ["co-operation", "state-of-the-art", "re-entry", "e-learning", "long-term", "follow-up"]
ABSENT_ZH = ["坦克", "说出", "火锅", "熊猫", "钢琴", "地铁", "咖啡", "电影", "沙漠", "冰箱", "雨伞", "乒乓",
             "火山", "象棋", "潜艇"]
ABSENT_EN = ["article", "adversely", "volcano", "umbrella", "guitar", "submarine", "penguin", "tornado",
             "saxophone", "lighthouse", "avalanche", "marmalade", "trombone", "zeppelin", "kangaroo"]


def generate(content: Path, items: int, seed: int) -> dict[str, dict[str, str]]:
    """Write the archive; returns lang -> url -> plain text (title + body) of each page."""
    rng = random.Random(seed)
    (content / "news").mkdir(parents=True, exist_ok=True)
    (content / "tags.yaml").write_text("visits: {en: Visits, zh: 来访}\n", encoding="utf-8")
    pages: dict[str, dict[str, str]] = {"en": {}, "zh": {}}
    titles: set[tuple[str, str]] = set()
    for n in range(items):
        year = 2010 + n % 15
        title = fill(rng, rng.choice(TITLES))
        for _ in range(100):   # past about 5,000 items the headlines run out and repeat
            if title not in titles:
                break
            title = fill(rng, rng.choice(TITLES))
        titles.add(title)
        body = [fill(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(6, 14))]
        if n % 5 == 1:   # a name with accents, written as it is in both languages
            zh, en, _ = rng.choice(ACCENTED)
            body.append((f"{zh}（{en}）出席了会议。", f"{en} attended the meeting."))
        if n % 7 == 2:   # full-width Latin and digits, as Chinese input methods type them
            wide, _ = rng.choice(FULL_WIDTH)
            body.append((f"会上介绍了{wide}的情况。", f"The meeting discussed {wide}."))
        if n % 6 == 3:
            word = rng.choice(HYPHENATED)
            body.append((f"双方讨论了{word}项目。", f"Both sides discussed the {word} programme."))
        only_zh = n % 9 == 4   # in Chinese only, with a Latin name inside its text
        if only_zh:
            body.append((f"{rng.choice(LATIN_IN_CHINESE)}博士也参加了活动。", ""))
        slug = f"item-{n:05d}"
        for i, lang in enumerate(("zh", "en")):
            if only_zh and lang == "en":
                pages["en"][f"/zh/news/{year}/{slug}/"] = pages["zh"][f"/zh/news/{year}/{slug}/"]   # listed there too
                continue
            text = "\n\n".join(" ".join(s[i] for s in body[j:j + 3]) if lang == "en" else "".join(s[i] for s in body[j:j + 3])
                               for j in range(0, len(body), 3))
            extra = "translated_from: zh\n" if lang == "en" else ""
            text = text.replace('"', "'")
            path = content / "news" / str(year) / f"{slug}.{lang}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f'---\ntitle: "{title[i]}"\ndate: {year}-{1 + n % 12:02d}-{1 + n % 28:02d}\n{extra}---\n\n{text}\n',
                            encoding="utf-8")
            pages[lang][f"/{lang}/news/{year}/{slug}/"] = title[i] + "\n" + text
    return pages


HAN_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")
SIMPLE_TO_TRADITIONAL = None


def traditional(text: str) -> str:
    """The same text in traditional characters (the inverse of OpenCC's table, first choice)."""
    global SIMPLE_TO_TRADITIONAL
    if SIMPLE_TO_TRADITIONAL is None:
        SIMPLE_TO_TRADITIONAL = {}
        for trad, simp in sorted(t2s().items()):
            SIMPLE_TO_TRADITIONAL.setdefault(simp, trad)
    return "".join(SIMPLE_TO_TRADITIONAL.get(c, c) for c in text)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def queries(pages: dict[str, dict[str, str]], rng: random.Random) -> list[tuple[str, str, str]]:
    """(lang, class, query) of every class."""
    found: list[tuple[str, str, str]] = []
    zh_text = list(pages["zh"].values())
    for zh, en in PEOPLE + INSTITUTIONS + COUNTRIES + CITIES:
        found += [("zh", "name", zh), ("en", "name", en)]
    for _ in range(175):   # words from mid-sentence: 2-4 characters starting anywhere in a run
        run = rng.choice(HAN_RUN.findall(rng.choice(zh_text)))
        start = rng.randrange(0, len(run) - 2)
        found.append(("zh", "word", run[start:start + rng.choice((2, 3, 4))]))
    for _ in range(60):
        a, b = rng.sample(PEOPLE + INSTITUTIONS + COUNTRIES + CITIES, 2)
        found += [("zh", "phrase", f"{a[0]} {b[0]}")]
    for _ in range(40):
        words = re.findall(r"[A-Za-z]{5,}", rng.choice(list(pages["en"].values())))
        found.append(("en", "word", rng.choice(words).lower()))
    for lang in ("zh", "en"):
        for url in rng.sample(sorted(u for u in pages[lang] if u.startswith(f"/{lang}/")), 25):
            found.append((lang, "title", pages[lang][url].split("\n", 1)[0]))
    chinese = [q for q in found if q[0] == "zh" and q[1] in ("name", "word", "phrase")]
    for _lang, _kind, query in rng.sample(chinese, 60):
        if traditional(query) != query:
            found.append(("zh", "traditional", traditional(query)))
    for wide, ascii_ in FULL_WIDTH:
        found += [("zh", "ascii for full-width", ascii_), ("zh", "full-width", wide)]
    for _zh, en in rng.sample(PEOPLE + INSTITUTIONS, 10):
        found += [("en", "full-width", full_width(en))]
    for zh, accented, plain in ACCENTED:
        found += [("en", "accents as written", accented), ("en", "without accents", plain), ("zh", "accents as written", accented)]
    for name in LATIN_IN_CHINESE:
        found += [("en", "Latin in Chinese-only items", name), ("zh", "Latin in Chinese-only items", name)]
    for word in HYPHENATED:
        found += [("en", "hyphenated", word)]
    found += [("zh", "absent", w) for w in ABSENT_ZH] + [("en", "absent", w) for w in ABSENT_EN]
    return found


def holds(text: str, lang: str, query: str) -> bool:
    """Whether a page's text holds the query as search compares: each part folded, an English
    word (or a name's word) by its stem."""
    folded = fold(text)
    for part in fold(query).split():
        words = re.findall(r"[a-z0-9]+", part)
        if words and all(re.fullmatch(r"[a-z0-9-]+", w) for w in part.split()):
            stems = {stem(w) for w in re.findall(r"[a-z0-9]+", folded)}
            if not all(stem(w) in stems for w in words):
                return False
        elif part not in folded:
            return False
    return True


def expected(pages: dict[str, str], lang: str, query: str) -> set[str]:
    return {url for url, text in pages.items() if holds(text, lang, query)}


RUN = """async ([query, shown]) => {
  const pf = window.__pf || (window.__pf = await import(document.getElementById('search').dataset.bundle + 'pagefind.js'));
  const r = await window.searchText.find(pf, query);
  const data = await Promise.all(r.results.slice(0, shown).map(x => x.data()));
  return [r.results.length, data.map(d => new URL(d.url, location.href).pathname)];
}"""


def measure(base: str, pages, all_queries, browser) -> dict:
    rows = {}
    context = browser.new_context()
    page = context.new_page()
    for lang in ("zh", "en"):
        page.goto(f"{base}{lang}/search/")
        page.wait_for_function("() => window.searchText")
        page.evaluate("() => window.searchText.ready('中 a')")
        for q_lang, kind, query in all_queries:
            if q_lang != lang:
                continue
            total, urls = page.evaluate(RUN, [query, 200])
            want = expected(pages[lang], lang, query)
            got = set(urls)
            rows[(lang, kind, query)] = (want <= got if total <= 200 else True,
                                         len([u for u in got if u in want]) / len(got) if got else 1.0,
                                         bool(urls) and kind == "title" and pages[lang].get(urls[0], "").startswith(query + "\n"),
                                         total)
        mine = [(k, q) for l, k, q in all_queries if l == lang and k in ("name", "word", "phrase")][:20]
        for kind, query in mine:   # the same query after 50 others
            first = page.evaluate(RUN, [query, 200])
            for _, other in rng_others(all_queries, lang, query):
                page.evaluate(RUN, [other, 5])
            rows[(lang, "repeated after 50 others", query)] = (page.evaluate(RUN, [query, 200]) == first, 1.0, False, 0)
    context.close()
    return rows


def rng_others(all_queries, lang, query):
    others = [(k, q) for l, k, q in all_queries if l == lang and q != query]
    return random.Random(query).sample(others, 50)


def cold_bytes(base: str, sample, browser) -> float:
    """What a fresh browser downloads for the first results of a query on the search page, as sent."""
    sizes = []
    for lang, _kind, query in sample:
        context = browser.new_context()
        page = context.new_page()
        finished = []
        page.on("requestfinished", lambda r: finished.append(r))
        page.goto(f"{base}{lang}/search/?q={query}")
        page.wait_for_function("() => document.querySelector('.pagefind-ui__result, .pagefind-ui__message') && "
                               "!document.querySelector('.pagefind-ui__results .pagefind-ui__loading')")
        sizes.append(sum(r.sizes()["responseBodySize"] for r in finished))
        context.close()
    return statistics.median(sizes)


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        root = Path(tmp)
        pages = generate(root / "content", args.items, args.seed)
        all_queries = queries(pages, rng)
        port = _free_port()
        base = f"http://127.0.0.1:{port}/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            project = Project(root=ROOT, content=root / "content", templates=ROOT / "templates", theme=ROOT / "theme",
                              config_file=ROOT / "tests" / "fixtures" / "sample" / "site.yaml")
            output = root / "output"
            build(project, output, base_url=base)
            server = serve_in_thread(output, port=port)
            try:
                rows = measure(base, pages, all_queries, browser)
                cold = {lang: cold_bytes(base, rng.sample([q for q in all_queries if q[0] == lang and q[1] != "absent"], 20),
                                         browser) for lang in ("zh", "en")}
            finally:
                server.shutdown()
                server.server_close()
            size = sum(f.stat().st_size for f in (output / "pagefind").rglob("*") if f.is_file())
            browser.close()
    counts = {lang: sum(1 for q in all_queries if q[0] == lang) for lang in ("zh", "en")}
    print(f"{args.items} items; {counts['zh']} Chinese and {counts['en']} English queries; bundle "
          f"{size / 2**20:.1f} MiB; a cold query downloads {cold['zh'] / 1024:.0f} KB (zh), {cold['en'] / 1024:.0f} KB (en)\n")
    print("| lang | class | queries | every page found | precision | exact title first |")
    print("|---|---|---|---|---|---|")
    for lang in ("zh", "en"):
        kinds = sorted({k[1] for k in rows if k[0] == lang}, key=lambda k: list(dict.fromkeys(k2[1] for k2 in rows)).index(k))
        for kind in kinds:
            mine = [v for k, v in rows.items() if k[0] == lang and k[1] == kind]
            if kind == "absent":
                print(f"| {lang} | absent words: nothing found | {len(mine)} | "
                      f"{100 * sum(v[3] == 0 for v in mine) / len(mine):.0f} % | | |")
                continue
            titles = f"{100 * sum(v[2] for v in mine) / len(mine):.0f} %" if kind == "title" else ""
            print(f"| {lang} | {kind} | {len(mine)} | {100 * sum(v[0] for v in mine) / len(mine):.1f} % "
                  f"| {100 * statistics.mean(v[1] for v in mine):.1f} % | {titles} |")
        misses = sorted(k[2] for k, v in rows.items() if k[0] == lang and not v[0] and k[1] != "absent")
        found_absent = sorted(k[2] for k, v in rows.items() if k[0] == lang and k[1] == "absent" and v[3])
        print(f"| {lang} | misses: {', '.join(misses[:12]) or 'none'}{' …' if len(misses) > 12 else ''}; absent words "
              f"found: {', '.join(found_absent) or 'none'} ||||||")


if __name__ == "__main__":
    main()

"""Chinese and English search recall, precision and cost, in Chromium, on a generated archive.

    .venv/bin/python benchmarks/search.py [--items 300] [--seed 1]

Generates an archive whose items are made of varied sentences in both languages, naming people,
institutions, countries and cities written phonetically in Chinese (韦斯特布鲁克, 哈萨克斯坦, …) in
many sentence positions, with headlines told apart by their words. Builds it twice with search: as
the site is, and without the Chinese tokens (render.han_tokens), which is Pagefind's own Chinese
search, as a baseline. Draws queries from the pages: names, words from mid-sentence, two-word
phrases and exact titles (at least 300 Chinese and 100 English), and runs each through Pagefind's
JS API on the real search page (with the page's own query processing).

A query has perfect recall when its results include every page whose text holds the string (each
word of a phrase); precision is the share of results that hold it; "title first" is the share of
exact-title queries whose own item comes first. Also: index size, and bytes downloaded by a
cold query: a fresh browser context per query (20 queries), loading what the search page
loads for its first five results.
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM_ARGS, _free_port  # noqa: E402
from newsarchive.pipeline import Project, build  # noqa: E402
from newsarchive.serve import serve_in_thread  # noqa: E402
from vocabulary import CITIES, COUNTRIES, INSTITUTIONS, PEOPLE, SENTENCES, TITLES, fill  # noqa: E402

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
        slug = f"item-{n:05d}"
        for i, lang in enumerate(("zh", "en")):
            text = "\n\n".join(" ".join(s[i] for s in body[j:j + 3]) if lang == "en" else "".join(s[i] for s in body[j:j + 3])
                               for j in range(0, len(body), 3))
            extra = "translated_from: zh\n" if lang == "en" else ""
            path = content / "news" / str(year) / f"{slug}.{lang}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f'---\ntitle: "{title[i]}"\ndate: {year}-{1 + n % 12:02d}-{1 + n % 28:02d}\n{extra}---\n\n{text}\n',
                            encoding="utf-8")
            pages[lang][f"/{lang}/news/{year}/{slug}/"] = title[i] + "\n" + text
    return pages


HAN_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")


def queries(pages: dict[str, dict[str, str]], rng: random.Random) -> list[tuple[str, str, str]]:
    """(lang, kind, query): names, mid-sentence words, two-word phrases and exact titles."""
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
        for url in rng.sample(sorted(pages[lang]), 25):
            found.append((lang, "title", pages[lang][url].split("\n", 1)[0]))
    return found


def expected(pages: dict[str, str], lang: str, query: str) -> set[str]:
    if lang == "zh":
        parts = query.split()
        return {url for url, text in pages.items() if all(p in text for p in parts)}
    words = re.findall(r"\w+", query.lower())
    return {url for url, text in pages.items() if all(re.search(rf"\b{re.escape(w)}", text.lower()) for w in words)}


RUN = """async ([query, tokens, shown]) => {
  const pf = window.__pf || (window.__pf = await import(document.getElementById('search').dataset.bundle + 'pagefind.js'));
  const term = tokens ? window.hanTokens(query) : query;
  const r = await pf.search(term);
  const data = await Promise.all(r.results.slice(0, shown).map(x => x.data()));
  return [r.results.length, data.map(d => new URL(d.url, location.href).pathname)];
}"""


def measure(base: str, pages, all_queries, tokens: bool, browser) -> dict:
    rows = {}
    context = browser.new_context()
    page = context.new_page()
    for lang in ("zh", "en"):
        page.goto(f"{base}{lang}/search/")
        page.wait_for_function("() => window.hanTokens")
        for q_lang, kind, query in all_queries:
            if q_lang != lang:
                continue
            total, urls = page.evaluate(RUN, [query, tokens, 200])
            want = expected(pages[lang], lang, query)
            got = set(urls)
            rows[(lang, kind, query)] = (want <= got if total <= 200 else True,
                                         len(got & want) / len(got) if got else 1.0,
                                         bool(urls) and kind == "title" and pages[lang].get(urls[0], "").startswith(query + "\n"))
    context.close()
    return rows


def cold_bytes(base: str, sample, tokens: bool, browser) -> float:
    sizes = []
    for lang, _kind, query in sample:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}{lang}/search/")
        page.wait_for_function("() => window.hanTokens")
        responses = []
        page.on("response", lambda r: responses.append(r) if "/pagefind/" in r.url and r.ok else None)
        page.evaluate(RUN, [query, tokens, 5])   # the search page shows five results at first
        page.wait_for_timeout(200)
        sizes.append(sum(len(r.body()) for r in responses))
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
        baseline_templates = root / "templates"
        shutil.copytree(ROOT / "templates", baseline_templates)
        article = baseline_templates / "article.html"
        article.write_text(re.sub(r"\{% if han(_title)? %\}.*?\{% endif %\}", "", article.read_text()), encoding="utf-8")
        port = _free_port()
        base = f"http://127.0.0.1:{port}/"
        results = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for name, templates in (("Pagefind alone", baseline_templates), ("with Chinese tokens", ROOT / "templates")):
                project = Project(root=ROOT, content=root / "content", templates=templates, theme=ROOT / "theme",
                                  config_file=ROOT / "tests" / "fixtures" / "sample" / "site.yaml")
                output = root / "output"
                build(project, output, base_url=base)
                server = serve_in_thread(output, port=port)
                try:
                    rows = measure(base, pages, all_queries, templates == ROOT / "templates", browser)
                    sample = rng.sample([q for q in all_queries if q[0] == "zh"], 20)
                    cold = cold_bytes(base, sample, templates == ROOT / "templates", browser)
                finally:
                    server.shutdown()
                    server.server_close()
                size = sum(f.stat().st_size for f in (output / "pagefind").rglob("*") if f.is_file())
                results[name] = (rows, size, cold)
            browser.close()
    counts = {lang: sum(1 for q in all_queries if q[0] == lang) for lang in ("zh", "en")}
    print(f"{args.items} items; {counts['zh']} Chinese and {counts['en']} English queries\n")
    print("| build | lang | perfect recall | names | precision | exact title first | bundle | cold Chinese query |")
    print("|---|---|---|---|---|---|---|---|")
    for name, (rows, size, cold) in results.items():
        for lang in ("zh", "en"):
            mine = {k: v for k, v in rows.items() if k[0] == lang}
            names = [v for k, v in mine.items() if k[1] == "name"]
            titles = [v for k, v in mine.items() if k[1] == "title"]
            print(f"| {name} | {lang} | {100 * sum(v[0] for v in mine.values()) / len(mine):.1f} % "
                  f"| {100 * sum(v[0] for v in names) / len(names):.1f} % "
                  f"| {100 * statistics.mean(v[1] for v in mine.values()):.1f} % "
                  f"| {100 * sum(v[2] for v in titles) / len(titles):.0f} % "
                  f"| {size / 2**20:.1f} MiB | {cold / 1024:.0f} KB |")
        misses = sorted(k[2] for k, v in rows.items() if not v[0])
        print(f"|   | misses: {', '.join(misses[:12]) or 'none'}{' …' if len(misses) > 12 else ''} |||||||")


if __name__ == "__main__":
    main()

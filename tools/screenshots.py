"""Full-page screenshots of every kind of page, in both languages, on a phone (390 px) and a desk
(1366 px), light and dark, into docs/screenshots/ with a gallery (README.md) beside them.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--only home,article] [--items 60]

The archive shown is generated from the sample's texts (tests/generated_archive.py): 60 items, one
in three with generated test cards as photos (they are not news photos, and the gallery says so),
some in one language only, so that listings page, carry thumbnails and show items of the other
language. Runs Debian's Chromium through Playwright; nothing is fetched.
"""
from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from generated_archive import article_urls, generate  # noqa: E402
from newsarchive.serve import serve_in_thread  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
WIDTHS = {"phone": (390, 844), "desk": (1366, 900)}
SCHEMES = ("light", "dark")
ITEMS = 60


def pages(lang: str, article_with_photo: str, article_plain: str, foreign: str) -> dict[str, str]:
    """Page kind -> URL path, in one language."""
    q = "比利时" if lang == "zh" else "Belgium"
    return {
        "home": f"{lang}/",
        "news": f"{lang}/news/",
        "news-page-3": f"{lang}/news/page/3/",
        "article-photo": article_with_photo,
        "article": article_plain,
        "article-other-language": foreign,
        "year": f"{lang}/news/2023/",
        "month": f"{lang}/news/2023/02/",
        "archive": f"{lang}/archive/",
        "tags": f"{lang}/tags/",
        "tag": f"{lang}/tags/diplomatic-visits/",
        "countries": f"{lang}/countries/",
        "country": f"{lang}/countries/be/",
        "institutions": f"{lang}/institutions/",
        "institution": f"{lang}/institutions/chongqing-university/",
        "search": f"{lang}/search/?q={q}",
    }


def _build(root: Path, items: int) -> Path:
    content = root / "content"
    generate(content, items, photos_every=3, photo_size=(1600, 1067))
    output = root / "output"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
                    "--config", str(ROOT / "tests" / "fixtures" / "sample" / "site.yaml"),
                    "--output", str(output), "--no-cache"], check=True, cwd=root)
    return output


def _pick(output: Path, lang: str) -> tuple[str, str, str]:
    """An article with a photo, one without, and an item shown in the other language only."""
    with_photo = plain = foreign = None
    articles = article_urls(output, lang)
    for url in reversed(articles):
        if 'class="lead-photo"' in (output / url / "index.html").read_text(encoding="utf-8"):
            with_photo = with_photo or url
        else:
            plain = plain or url
    other = "zh" if lang == "en" else "en"
    for url in articles:
        if not (output / other / url.split("/", 1)[1]).exists():
            foreign = url
            break
    return with_photo, plain, foreign or plain


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", default="", help="page kinds to take, comma-separated (default: all)")
    parser.add_argument("--items", type=int, default=ITEMS,
                        help=f"items in the generated archive (default {ITEMS}; the gallery is always {ITEMS})")
    args = parser.parse_args(argv)
    from PIL import Image
    from playwright.sync_api import sync_playwright

    only = {k for k in args.only.split(",") if k}
    with tempfile.TemporaryDirectory() as tmp:
        output = _build(Path(tmp), args.items)
        server = serve_in_thread(output)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        if not only:
            shutil.rmtree(args.out, ignore_errors=True)
        args.out.mkdir(parents=True, exist_ok=True)
        shots: list[tuple[str, str, str, str, str]] = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for lang in ("en", "zh"):
                    kinds = pages(lang, *_pick(output, lang))
                    kinds["404"] = "no/such/page/"
                    if lang == "en":
                        kinds["chooser"] = ""
                    for kind, path in kinds.items():
                        if only and kind not in only:
                            continue
                        for device, (width, height) in WIDTHS.items():
                            for scheme in SCHEMES:
                                context = browser.new_context(viewport={"width": width, "height": height},
                                                              color_scheme=scheme, device_scale_factor=1)
                                page = context.new_page()
                                page.goto(base + path, wait_until="load")
                                if kind == "search":
                                    page.wait_for_selector(".pagefind-ui__result", timeout=15000)
                                    page.wait_for_function("() => [...document.images].every(i => i.complete || "
                                                           "i.getBoundingClientRect().top > innerHeight)")
                                png = page.screenshot(full_page=True)
                                context.close()
                                name = f"{kind}-{lang}-{device}-{scheme}.webp"
                                Image.open(io.BytesIO(png)).convert("RGB").save(args.out / name, "WEBP", quality=50,
                                                                                 method=6)
                                shots.append((kind, lang, device, scheme, name))
                                print(f"screenshot {name}", flush=True)
                browser.close()
        finally:
            server.shutdown()
    if not only and args.items == ITEMS:
        _gallery(args.out, shots)
    return 0


def _gallery(out: Path, shots) -> None:
    lines = ["# Screenshots", "",
             "Every kind of page in both languages, on a 390 px phone and a 1366 px desk, light and dark, "
             "taken by `make screenshots` (`tools/screenshots.py`) from an archive generated from the "
             f"sample's texts ({ITEMS} items). Its pictures are generated test cards, not news photos.", ""]
    kinds = list(dict.fromkeys(k for k, *_ in shots))
    for kind in kinds:
        lines += [f"## {kind}", "", "| | phone, light | phone, dark | desk, light | desk, dark |", "|---|---|---|---|---|"]
        for lang in ("en", "zh"):
            cells = []
            for device in WIDTHS:
                for scheme in SCHEMES:
                    name = f"{kind}-{lang}-{device}-{scheme}.webp"
                    found = any(s[4] == name for s in shots)
                    cells.append(f"[<img src=\"{name}\" width=\"{120 if device == 'phone' else 220}\" "
                                 f"alt=\"{kind}, {lang}, {device}, {scheme}\">]({name})" if found else "")
            if any(cells):
                lines.append(f"| {lang} | " + " | ".join(cells) + " |")
        lines.append("")
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())

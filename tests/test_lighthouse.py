"""Lighthouse (npm `lighthouse`, on Debian's Chromium, its default mobile settings) on the pages
readers land on, in both languages: home, the news list, an article with a photo, a country page
and search with a query. Every category scores at least 95 and nothing shifts (CLS ≤ 0.01).

The archive is generated (200 items, photos on one in ten) and served on 127.0.0.1 at the address
it was built for, so that canonical links and hreflang point at the pages Lighthouse reads.
"""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import CHROMIUM, REPO, SAMPLE_CONFIG, built_and_served, need_tool
from generated_archive import article_urls, generate

pytestmark = pytest.mark.standards

LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
MANY = REPO / "tests" / "lighthouse-many.mjs"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LEAST = 0.95
MOST_SHIFT = 0.01


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    need_tool(CHROMIUM), need_tool(LIGHTHOUSE)   # before the archive is built for them
    root = tmp_path_factory.mktemp("lighthouse")
    generate(root / "content", 200, photos_every=10, photo_size=(1200, 800))
    with built_and_served(root / "content", SAMPLE_CONFIG, root / "output") as base:
        yield root / "output", base


def _article_with_photo(output, lang: str) -> str:
    for url in reversed(article_urls(output, lang)):
        if 'class="lead-photo"' in (output / url / "index.html").read_text(encoding="utf-8"):
            return url
    raise AssertionError(f"no {lang} article with a photo")


def lighthouse(urls: list[str], out) -> list[dict]:
    """Lighthouse's report of each page: one Node process and one Chromium for them all
    (tests/lighthouse-many.mjs; the command line started both again for every page)."""
    env = {**os.environ, "CHROME_PATH": need_tool(CHROMIUM)}
    out.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([need_tool("node"), str(MANY), str(out), *urls], capture_output=True, text=True, env=env,
                            cwd=REPO, timeout=60 * len(urls))
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads((out / f"{n}.json").read_text(encoding="utf-8")) for n in range(len(urls))]


KINDS = ("home", "news", "article", "country", "search")


def _path(output, kind: str, lang: str) -> str:
    return {"home": f"{lang}/", "news": f"{lang}/news/", "article": _article_with_photo(output, lang),
            "country": f"{lang}/countries/be/",
            "search": f"{lang}/search/?q=" + ("比利时" if lang == "zh" else "Belgium")}[kind]


@pytest.fixture(scope="module")
def reports(served, tmp_path_factory):
    """Every page's report, and one of a bad page (last)."""
    output, base = served
    (output / "bad.html").write_text('<!doctype html><meta name="viewport" content="width=device-width">'
                                     '<p style="color:#ccc">pale</p><img src="static/favicon.svg">', encoding="utf-8")
    pages = [(kind, lang) for kind in KINDS for lang in ("en", "zh")]
    found = lighthouse([base + _path(output, kind, lang) for kind, lang in pages] + [base + "bad.html"],
                       tmp_path_factory.mktemp("lighthouse-reports"))
    return dict(zip(pages + [("bad", None)], found))


def _failing(report: dict) -> list[str]:
    """The audits that cost points, for the failure message."""
    found = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{category['id']}: {audit['id']} {audit['score']} {audit.get('displayValue', '')}")
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", KINDS)
def test_lighthouse_scores_at_least_95_with_no_layout_shift(served, reports, tmp_path, kind, lang):
    output, base = served
    report = reports[(kind, lang)]
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    if scores["performance"] < LEAST:   # one measurement of timing on a busy machine: take a second
        report = lighthouse([base + _path(output, kind, lang)], tmp_path)[0]
        scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    shift = report["audits"]["cumulative-layout-shift"]["numericValue"]
    assert all(score >= LEAST for score in scores.values()) and shift <= MOST_SHIFT, (kind, lang, scores, shift,
                                                                                       _failing(report))


def test_lighthouse_finds_a_bad_page(reports):
    """The check above can fail: a page with no title, no lang, an image without alt text, and text
    too pale to read scores under 95 in accessibility and SEO."""
    report = reports[("bad", None)]
    assert report["categories"]["accessibility"]["score"] < LEAST
    assert report["categories"]["seo"]["score"] < LEAST

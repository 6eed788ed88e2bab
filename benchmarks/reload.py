"""Time from saving one article to the reloaded page in Chromium, with a full build as reference.

    .venv/bin/python benchmarks/reload.py [--items 1000] [--runs 7] [--pause 0.3]

--items 0 uses the sample archive; N > 0 generates N bilingual items (2N files) from its texts.
For each edit it records the wall-clock time of the save and, from the reloaded page's Navigation
Timing, the wall-clock time of its load event (performance.timeOrigin + loadEventEnd): that
difference is what the editor waits. It also prints the time until Playwright saw the new page,
which adds Playwright's own polling and round trips (an upper bound), the split of the wait into
file events and debounce / incremental rebuild / event to the tab and reload, and a full build
(search included) of the same archive, as a ratio.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsarchive.pipeline import Builder, Project  # noqa: E402
from newsarchive.preview import Preview  # noqa: E402
from newsarchive.serve import LiveState, serve_in_thread  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def generate(content: Path, items: int) -> None:
    """N bilingual items spread over 2006–2025, reusing the sample archive's texts and tags."""
    sample = sorted((ROOT / "content" / "news").glob("*/*.en.md"))
    shutil.copy(ROOT / "content" / "tags.yaml", content / "tags.yaml")
    for n in range(items):
        source = sample[n % len(sample)]
        year, month, day = 2006 + n % 20, 1 + n % 12, 1 + n % 28
        for lang in ("en", "zh"):
            text = source.with_name(source.name.replace(".en.", f".{lang}.")).read_text(encoding="utf-8")
            head, body = text.split("\n---\n", 1)
            head = "\n".join(l for l in head.splitlines() if not l.startswith(("date:", "source_digest:")))
            title_line = next(l for l in head.splitlines() if l.startswith("title:"))
            head = head.replace(title_line, title_line[:-1] + f' ({n})"')
            path = content / "news" / str(year) / f"item-{n:05d}.{lang}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{head}\ndate: {year}-{month:02d}-{day:02d}\n---\n{body}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--pause", type=float, default=0.3,
                        help="seconds between edits; above 1.5 every edit lands while the search index "
                             "is being refreshed in the background")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="reload-bench-"))
    content = work / "content"
    if args.items:
        (content / "news").mkdir(parents=True)
        generate(content, args.items)
    else:
        shutil.copytree(ROOT / "content", content)
    project = Project.at(ROOT, content=content)
    files = sorted((content / "news").glob("*/*.en.md"))
    target = files[len(files) // 2]

    started = time.perf_counter()
    Builder(project, work / "reference").build(search=True)
    full_build = time.perf_counter() - started

    live = LiveState()
    server = serve_in_thread(work / "output", live=live)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    builder = Builder(project, work / "output", base_url=base)
    rebuild_times: list[float] = []
    rebuilt_at: list[float] = []

    def log(line: str) -> None:
        if line.startswith("rebuilt"):
            rebuilt_at.append(time.perf_counter())
            rebuild_times.append(float(line.split(" in ")[1].split()[0]))

    preview = Preview(builder, live, log=log)
    preview.initial_build()
    preview.start()
    year, slug = target.parent.name, target.name.split(".")[0]
    times, seen, saved_at, loaded_at = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}en/news/{year}/{slug}/")
        original = target.read_text(encoding="utf-8")
        for run in range(args.runs):
            page.wait_for_selector("html[data-live-generation]", state="attached")
            marker = f"Edited {run}"
            text = original.replace("title: \"", f"title: \"{marker} ", 1)
            wall0, t0 = time.time() * 1000, time.perf_counter()
            target.write_text(text, encoding="utf-8")
            page.wait_for_function(f"() => document.querySelector('h1').textContent.startsWith('{marker}')",
                                   timeout=60000)
            page.wait_for_load_state("load")
            seen.append((time.perf_counter() - t0) * 1000)
            loaded_wall = page.evaluate(
                "() => performance.timeOrigin + performance.getEntriesByType('navigation')[0].loadEventEnd")
            times.append(loaded_wall - wall0)
            saved_at.append(t0)
            loaded_at.append(t0 + times[-1] / 1000)
            time.sleep(args.pause)
        browser.close()
    preview.stop()
    server.shutdown()
    pages = builder.fingerprints
    median = statistics.median(times)
    print(f"archive: {args.items or 'sample'} items ({len(files)} English files), {len(pages)} output files")
    print(f"save to reloaded page's load event: median {median:.0f} ms (min {min(times):.0f}, "
          f"max {max(times):.0f}, {args.runs} runs)")
    print(f"  save until Playwright saw the reloaded page: median {statistics.median(seen):.0f} ms")
    # the last len(times) rebuilds are the edits (earlier ones, if any, followed the initial build)
    done = rebuilt_at[-len(times):]
    builds = rebuild_times[-len(times):]
    before = [(d - s) * 1000 - b for d, s, b in zip(done, saved_at, builds)]
    after = [(l - d) * 1000 for l, d in zip(loaded_at, done)]
    print(f"  inside it (medians): save to rebuild start {statistics.median(before):.0f} ms (file events, "
          f"debounce), incremental rebuild {statistics.median(builds):.0f} ms, rebuilt to page loaded "
          f"{statistics.median(after):.0f} ms (event to the tab, reload, load event)")
    print(f"reference full build with search: {full_build * 1000:.0f} ms; "
          f"save-to-reload is {full_build * 1000 / median:.1f}x faster")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

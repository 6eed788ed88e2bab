"""What a change of the generator costs a cold build: this tree against an earlier commit, side by
side on one generated archive (benchmarks/corpus.py), runs alternating.

    .venv/bin/python benchmarks/features.py --before 13f5f0d [--after HEAD] --items 10000 [--runs 2]

Each commit is checked out in a git worktree (so that editing the tree meanwhile changes nothing) and runs ``build.py build --no-cache`` with its own
templates, theme and benchmarks/site.yaml, on the same content. Reported: wall-clock medians of the
whole build and of its stages (from the summary line), and this tree's time as a ratio of the
earlier one's. Used for issue 12: related items, maps and charts may add at most 10 %.
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


def _build(tree: Path, content: Path, output: Path) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(tree / "build.py"), "build", "--content", str(content),
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
            found: dict[str, list] = {name: [] for name in trees}
            for run in range(args.runs):
                for name, tree in trees.items():
                    took, stages = _build(tree, content, tmp / f"out-{name}")
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
    ratio = medians["now"][0] / medians["before"][0]
    pages_ratio = ((medians["now"][0] - medians["now"][1].get("search", 0))
                   / (medians["before"][0] - medians["before"][1].get("search", 0)))
    print(f"{args.items} items, median of {args.runs}: now / before = {ratio:.3f} in all, {pages_ratio:.3f} without search")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

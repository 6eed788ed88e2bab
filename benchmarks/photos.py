"""What photos cost a build: time and size, cold (nothing cached) and warm (photos cached).

    .venv/bin/python benchmarks/photos.py [--items 200] [--size 3000x2000] [--runs 3]

Generates one archive of N bilingual items (tests/generated_archive.py, the sample's texts) where
every item has two photos (a lead photo and a figure in the body, generated test cards of the
given size, JPEG) and the same archive without them, then times ``build.py build`` (search
included) in its own process: the archive without photos, with photos and an empty cache (every
photo encoded), and with photos again (the cache full: nothing encoded). Prints medians, ratios
against the build without photos, and the sizes of the photos in and out.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from generated_archive import generate  # noqa: E402


def _build(content: Path, output: Path, cache: Path, config: Path) -> float:
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(content), "--config", str(config),
               "--output", str(output), "--cache-dir", str(cache)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def _size(paths) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--size", default="3000x2000", help="photo size in pixels, WxH")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    config = ROOT / "tests" / "fixtures" / "sample" / "site.yaml"
    with tempfile.TemporaryDirectory(prefix="photos-bench-") as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        generate(root / "plain", args.items)
        generate(root / "photos", args.items, photos_every=1, photo_size=(width, height))
        print(f"generated {args.items} items, {2 * args.items} photos of {width}×{height} "
              f"in {time.perf_counter() - started:.0f} s", flush=True)
        plain, cold, warm = [], [], []
        for run in range(args.runs):
            plain.append(_build(root / "plain", root / "out-plain", root / f"cache-plain-{run}", config))
            cache = root / f"cache-{run}"
            cold.append(_build(root / "photos", root / "out-photos", cache, config))
            warm.append(_build(root / "photos", root / "out-photos", cache, config))
            print(f"run {run + 1}: without photos {plain[-1]:.1f} s, cold {cold[-1]:.1f} s, warm {warm[-1]:.1f} s",
                  flush=True)
        base = statistics.median(plain)
        rows = [("without photos", base), ("photos, cold (every photo encoded)", statistics.median(cold)),
                ("photos, warm (all cached)", statistics.median(warm))]
        print(f"\n{args.items} items × 2 photos of {width}×{height}, median of {args.runs}:")
        print("| build | time | ratio |\n|---|---|---|")
        for name, seconds in rows:
            print(f"| {name} | {seconds:.1f} s | {seconds / base:.2f}× |")
        sources = _size((root / "photos" / "news").rglob("*.jpg"))
        media = list((root / "out-photos" / "media").rglob("*"))
        print(f"\nphotos in: {sources / 2**20:.0f} MiB; published: {_size(media) / 2**20:.1f} MiB in "
              f"{sum(p.is_file() for p in media)} files (WebP and JPEG, 4 widths each)")
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Where countries are: their continent, and their outline on a world map, from data packages.

Continents come from country_converter's table (`Continent_7`, the UN's seven-continent split),
outlines from pygal_maps_world's world map (one SVG group per ISO 3166 alpha-2 code). Both files
are read as data, without importing the packages (country_converter imports pandas). Outlines
are reduced for a page: each curve becomes a line between its end points, coordinates are rounded
on a smaller grid, and islands too small to see are dropped.
"""
from __future__ import annotations

import csv
import importlib.util
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Continents in the order an overview lists them, with their CLDR region codes (for names).
CONTINENTS = {"Asia": "142", "Europe": "150", "Africa": "002", "North America": "003",
              "South America": "005", "Oceania": "009", "Antarctica": "AQ"}
OTHER = "ZZ"   # CLDR's "Unknown Region", for codes the table does not place

MAP_WIDTH = 1000          # the reduced map's viewBox width
_SOURCE_WIDTH = 2475.0    # pygal_maps_world's viewBox is 2475 × 1388
_SMALLEST = 2.0           # an island narrower and lower than this (in reduced units) is dropped


def _package_file(package: str, name: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the data package {package!r} is not installed (make install)")
    return Path(next(iter(spec.submodule_search_locations))) / name


@lru_cache(maxsize=1)
def continents() -> dict[str, str]:
    """ISO alpha-2 code -> CLDR region code of its continent."""
    found = {}
    with open(_package_file("country_converter", "country_data.tsv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            region = CONTINENTS.get(row.get("Continent_7") or "")
            # a cell may be a pattern of codes (United Kingdom: "^GB$|^UK$", Greece: "^GR$|^EL$")
            for code in re.findall(r"[A-Za-z]{2}", row.get("ISO2") or ""):
                if region:
                    found.setdefault(code.upper(), region)
    return found


def continent_of(code: str) -> str:
    return continents().get(code.upper(), OTHER)


@dataclass(frozen=True)
class WorldMap:
    width: int
    height: int
    outlines: dict   # ISO alpha-2 code (upper case) -> SVG path data


_NUMBER = re.compile(r"[a-zA-Z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARGS = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "t": 2, "h": 1, "v": 1, "z": 0}


def _subpaths(d: str):
    """The absolute end points of each subpath of an SVG path (curves reduced to their ends)."""
    tokens = _NUMBER.findall(d)
    x = y = 0.0
    start = (0.0, 0.0)
    points: list[tuple[float, float]] = []
    i, command = 0, None
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "zZ":
                if points:
                    yield points
                points = []
                x, y = start
                continue
        if command is None:
            raise ValueError(f"path data starts with a number: {d[:40]!r}")
        n = _ARGS[command.lower()]
        args = [float(t) for t in tokens[i:i + n]]
        i += n
        relative = command.islower()
        lower = command.lower()
        if lower == "h":
            x = x + args[0] if relative else args[0]
        elif lower == "v":
            y = y + args[0] if relative else args[0]
        else:
            dx, dy = args[-2], args[-1]
            x, y = (x + dx, y + dy) if relative else (dx, dy)
        if lower == "m":
            if points:
                yield points
            points = [(x, y)]
            start = (x, y)
            command = "l" if relative else "L"   # further pairs after a moveto are linetos
        else:
            points.append((x, y))
    if points:
        yield points


def _reduce(d: str, scale: float) -> tuple[str, int]:
    """Path data on the reduced grid, and the lowest point it reaches."""
    parts, lowest = [], 0
    for points in _subpaths(d):
        grid = []
        for px, py in points:
            q = (round(px * scale), round(py * scale))
            if not grid or q != grid[-1]:
                grid.append(q)
        xs, ys = [p[0] for p in grid], [p[1] for p in grid]
        if len(grid) < 3 or (max(xs) - min(xs) < _SMALLEST and max(ys) - min(ys) < _SMALLEST):
            continue
        lowest = max(lowest, max(ys))
        (x0, y0), rest = grid[0], grid[1:]
        steps = []
        px, py = x0, y0
        for qx, qy in rest:
            steps.append(f"{qx - px} {qy - py}")
            px, py = qx, qy
        parts.append(f"M{x0} {y0}l" + " ".join(steps).replace(" -", "-") + "z")
    return "".join(parts), lowest


@lru_cache(maxsize=1)
def world_map() -> WorldMap:
    """Country outlines for a map ``MAP_WIDTH`` wide, keyed by upper-case ISO alpha-2 code."""
    root = ET.parse(_package_file("pygal_maps_world", "worldmap.svg")).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    scale = MAP_WIDTH / width
    outlines, lowest = {}, 0
    for group in root.iter(ns + "g"):
        classes = (group.get("class") or "").split()
        if "country" not in classes or classes[0] == "aq":   # Antarctica: no partners, a third of the height
            continue
        reduced = [_reduce(path.get("d"), scale) for path in group.iter(ns + "path")]
        if any(d for d, _ in reduced):
            outlines[classes[0].upper()] = "".join(d for d, _ in reduced)
            lowest = max([lowest] + [y for _, y in reduced])
    return WorldMap(MAP_WIDTH, min(round(height * scale), lowest + 2), outlines)

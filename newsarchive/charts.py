"""Figures drawn at build time: the layout of a bar chart of items per year, and the shading of a
world map by items per country. Templates turn them into SVG (templates/charts.html); the map's
outlines come from a data package (geography.py), not from here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .geography import world_map

# A compact chart (about 22rem on screen, in a sidebar as on a page): text of 12 units reads at
# about 12 px.
CHART_WIDTH = 360
CHART_HEIGHT = 150
_TOP = 18       # room for the counts above the bars
_BOTTOM = 20    # room for the years below
BASELINE = CHART_HEIGHT - _BOTTOM
SHADES = 4      # map shades for countries with items (shade 0: none)


@dataclass(frozen=True)
class Bar:
    year: int
    value: int
    x: float
    y: float
    width: float
    height: float
    labelled: bool    # the year is written under this bar (every year when they fit, else some)


def year_bars(per_year) -> tuple[Bar, ...]:
    """Bars for ((year, n), ...): every year from the first to the last, years without items as
    empty bars, scaled so that the largest fills the chart."""
    counts = dict(per_year)
    if not counts:
        return ()
    years = range(min(counts), max(counts) + 1)
    top = max(counts.values())
    step = CHART_WIDTH / len(years)
    every = max(1, math.ceil(len(years) / 8))   # at most 8 year labels
    room = CHART_HEIGHT - _TOP - _BOTTOM
    bars = []
    for i, year in enumerate(years):
        n = counts.get(year, 0)
        h = room * n / top
        bars.append(Bar(year, n, round(i * step + step * 0.15, 1), round(_TOP + room - h, 1), round(step * 0.7, 1),
                        round(h, 1), (len(years) - 1 - i) % every == 0))
    return tuple(bars)


@dataclass(frozen=True)
class Shape:
    code: str        # ISO alpha-2, upper case
    d: str           # SVG path data
    value: int
    shade: int       # 0 (no items) to SHADES


def _shade(n: int, low: int, top: int) -> int:
    """A shade on a logarithmic scale from the least named partner (shade 1) to the most named
    (shade SHADES): partners with 101 to 152 items each are told apart as well as 1 to 152."""
    if n == 0:
        return 0
    if top == low:
        return SHADES
    return 1 + round((SHADES - 1) * math.log(n / low) / math.log(top / low))


def world_shapes(counts) -> tuple[Shape, ...]:
    """Every country of the map with its number of items and its shade."""
    counts = {code: n for code, n in dict(counts).items() if n > 0}
    low, top = min(counts.values(), default=0), max(counts.values(), default=0)
    return tuple(Shape(code, d, counts.get(code, 0), _shade(counts.get(code, 0), low, top))
                 for code, d in world_map().outlines.items())


@dataclass(frozen=True)
class Key:
    shade: int
    low: int      # the fewest items of a country drawn in this shade
    high: int     # the most


def map_key(counts) -> tuple[Key, ...]:
    """The map's key: each shade in use with the range of items it stands for, from what the
    map shows (countries without an outline on the map count too: the key is for the figures)."""
    counts = {code: n for code, n in dict(counts).items() if n > 0}
    low, top = min(counts.values(), default=0), max(counts.values(), default=0)
    ranges: dict[int, list[int]] = {}
    for n in counts.values():
        ranges.setdefault(_shade(n, low, top), []).append(n)
    return tuple(Key(shade, min(ns), max(ns)) for shade, ns in sorted(ranges.items()))


def chart_box() -> dict:
    """The chart's viewBox and where its axis and year labels go."""
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "baseline": BASELINE, "labels": CHART_HEIGHT - 5}


def map_size() -> tuple[int, int]:
    m = world_map()
    return m.width, m.height

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


def world_shapes(counts) -> tuple[Shape, ...]:
    """Every country of the map with its number of items and a shade on a logarithmic scale (one
    item is shade 1, the most named country shade 4)."""
    counts = dict(counts)
    top = max(counts.values(), default=0)
    shapes = []
    for code, d in world_map().outlines.items():
        n = counts.get(code, 0)
        if n == 0:
            shade = 0
        elif top == 1:
            shade = 1
        else:
            shade = 1 + round((SHADES - 1) * math.log(n) / math.log(top))
        shapes.append(Shape(code, d, n, shade))
    return tuple(shapes)


def chart_box() -> dict:
    """The chart's viewBox and where its axis and year labels go."""
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "baseline": BASELINE, "labels": CHART_HEIGHT - 5}


def map_size() -> tuple[int, int]:
    m = world_map()
    return m.width, m.height

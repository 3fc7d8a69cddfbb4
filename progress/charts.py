"""Geometry for the dashboard's server-rendered SVG charts (templates/progress/_chart_*.html).

Only numbers are computed here; the templates draw them. No chart library, no JavaScript.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from progress.selectors import TREND_WEEKS, HeatmapDay, TrendPoint, WeeklyRelief

TREND_WIDTH, TREND_HEIGHT = 640, 240
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 36, 12, 12, 32
CELL, GAP = 16, 4


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    value: int
    day: date


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


def trend_chart(points: list[TrendPoint], today: date) -> dict:
    first = today - timedelta(weeks=TREND_WEEKS) + timedelta(days=1)
    span = (today - first).days or 1
    plot_w = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_h = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM

    def x(day: date) -> float:
        return round(TREND_LEFT + plot_w * (day - first).days / span, 1)

    def y(value: int) -> float:
        return round(TREND_TOP + plot_h * (10 - value) / 10, 1)

    before = [Marker(x(p.day), y(p.before), p.before, p.day) for p in points]
    after = [Marker(x(p.day), y(p.after), p.after, p.day) for p in points]
    return {
        "width": TREND_WIDTH,
        "height": TREND_HEIGHT,
        "left": TREND_LEFT,
        "right": TREND_WIDTH - TREND_RIGHT,
        "bottom": TREND_HEIGHT - TREND_BOTTOM,
        "before": before,
        "after": after,
        "before_line": " ".join(f"{m.x},{m.y}" for m in before),
        "after_line": " ".join(f"{m.x},{m.y}" for m in after),
        "y_ticks": [Tick(y(value), str(value)) for value in (0, 5, 10)],
        "x_ticks": [
            Tick(x(day), day.strftime("%-d %b")) for day in (first, first + timedelta(days=span // 2), today)
        ],
    }


def heatmap_chart(weeks: list[list[HeatmapDay]]) -> dict:
    cells = []
    months = []
    for column, week in enumerate(weeks):
        x = 32 + column * (CELL + GAP)
        if week[0].day.day <= 7:
            months.append(Tick(x, week[0].day.strftime("%b")))
        for row, day in enumerate(week):
            cells.append({"x": x, "y": 18 + row * (CELL + GAP), "day": day})
    return {
        "width": 32 + len(weeks) * (CELL + GAP),
        "height": 18 + 7 * (CELL + GAP),
        "cell": CELL,
        "cells": cells,
        "months": months,
        "weekday_labels": [
            Tick(18 + row * (CELL + GAP) + CELL - 3, label)
            for row, label in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
        ],
    }


def relief_chart(weeks: list[WeeklyRelief]) -> dict:
    """Bars of the average weekly relief; a bar's value is also written above it."""
    width, height, base, bar = 640, 180, 150, 44
    top = max([w.relief for w in weeks] + [1.0])
    step = (width - 40) / max(len(weeks), 1)
    bars = []
    for index, week in enumerate(weeks):
        value = max(week.relief, 0)
        bar_height = round((base - 24) * value / top, 1)
        x = round(20 + index * step + (step - bar) / 2, 1)
        bars.append(
            {
                "x": x,
                "y": base - bar_height,
                "height": bar_height,
                "width": bar,
                "week": week,
                "label_x": x + bar / 2,
            }
        )
    return {"width": width, "height": height, "base": base, "bars": bars}

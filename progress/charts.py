"""The dashboard's server-rendered SVG charts, and their text alternatives.

Each chart is built here in one pass with format_html (numbers and dates formatted once, in
Python): rendered through template loops, a 12-week heatmap and an 8-week trend cost thousands of
template nodes and most of the dashboard's time (see `make bench`). No chart library, no script;
only classes and presentation attributes, so the CSP needs no 'unsafe-inline'. Colours are set in
static/css/app.css; meaning never rests on colour alone (patterns, marker shapes, written values).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from progress.selectors import TREND_WEEKS, HeatmapDay, TrendPoint, WeeklyRelief

# Sized for a phone first: drawn about 340 px wide on a 390 px screen, the 16-unit labels of the
# trend and relief charts read at about 13 px, and at no more than 18 px at their widest on a
# desktop (static/css/app.css). The heatmap's are 11 units in a narrower drawing, shown larger.
TREND_WIDTH, TREND_HEIGHT = 400, 220
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 30, 10, 12, 30
RELIEF_WIDTH, RELIEF_HEIGHT, RELIEF_BASE = 400, 200, 150
CELL, GAP = 16, 4


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    rows: list[tuple[str, ...]]  # the same data as text, for a table or list

    # The text alternatives' markup, built here for the reason the SVG is: through a template
    # loop, the trend's table and the heatmap's list were three hundred variable nodes, a third of
    # the dashboard's rendering on its first view after a change.
    @property
    def table_rows(self) -> SafeString:
        """The rows as the <tr>s of a table, a cell a value."""
        return mark_safe(
            "".join(
                "<tr>" + "".join(f"<td>{escape(value)}</td>" for value in row) + "</tr>" for row in self.rows
            )
        )

    @property
    def list_items(self) -> SafeString:
        """The rows as the <li>s of a list, "value: value"."""
        return mark_safe("".join(f"<li>{escape(': '.join(row))}</li>" for row in self.rows))


def day_label(value: date) -> str:
    """A day as the charts and the trainer's roster show it, "Fri 27 Nov" (the date filter's
    "D j M"), without the filter's cost: these labels are made by the hundred for one page."""
    return f"{value:%a} {value.day} {value:%b}"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def heatmap_chart(weeks: list[list[HeatmapDay]]) -> Chart:
    cells, rows = [], []
    months = []
    for column, week in enumerate(weeks):
        x = 32 + column * (CELL + GAP)
        if week[0].day.day <= 7:
            months.append((x, f"{week[0].day:%b}"))
        for row, day in enumerate(week):
            if day.is_future:
                continue
            summary = (
                f"{day.sessions} session{'s' if day.sessions != 1 else ''}, {day.minutes} min"
                if day.sessions
                else "no session"
            )
            pattern = ' fill="url(#hatch)"' if day.level == 2 else ""
            label = day_label(day.day)
            cells.append((x, 18 + row * (CELL + GAP), day.level, SafeString(pattern), label, summary))
            if day.sessions:
                rows.append((label, summary))
    width, height = 32 + len(weeks) * (CELL + GAP), 18 + 7 * (CELL + GAP)
    svg = format_html(
        '<svg viewBox="0 0 {w} {h}" role="img" aria-labelledby="heatmap-caption" class="heatmap">'
        '<defs><pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="4" height="4" class="level-2-fill"></rect>'
        '<line x1="0" y1="0" x2="0" y2="4" class="hatch-line"></line></pattern></defs>'
        "{months}{weekdays}{cells}</svg>",
        w=width,
        h=height,
        months=format_html_join("", '<text x="{}" y="11" class="axis-label">{}</text>', months),
        weekdays=format_html_join(
            "",
            '<text x="0" y="{}" class="axis-label">{}</text>',
            (
                (18 + row * (CELL + GAP) + CELL - 3, label)
                for row, label in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
            ),
        ),
        # Numbers, and dates and counts formatted here: nothing to escape, and format_html_join's
        # escaping of 84 cells' six values each was most of this chart's time (make bench).
        cells=mark_safe(
            "".join(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="3" class="level-{level}"{pattern}>'
                f"<title>{day}: {summary}</title></rect>"
                for x, y, level, pattern, day, summary in cells
            )
        ),
    )
    return Chart(svg, rows)


def trend_chart(points: list[TrendPoint], today: date) -> Chart:
    first = today - timedelta(weeks=TREND_WEEKS) + timedelta(days=1)
    span = (today - first).days or 1
    plot_w = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    plot_h = TREND_HEIGHT - TREND_TOP - TREND_BOTTOM

    def x(day: date) -> float:
        return round(TREND_LEFT + plot_w * (day - first).days / span, 1)

    def y(value: int) -> float:
        return round(TREND_TOP + plot_h * (10 - value) / 10, 1)

    bottom = TREND_HEIGHT - TREND_BOTTOM
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"></line>'
        '<text x="{}" y="{}" class="axis-label" text-anchor="end" dominant-baseline="middle">{}</text>',
        ((TREND_LEFT, TREND_WIDTH - TREND_RIGHT, y(v), y(v), TREND_LEFT - 8, y(v), v) for v in (0, 5, 10)),
    )
    ticks = (first, first + timedelta(days=span // 2), today)
    # The first and last labels sit inside the chart, so neither is cut off at the edge.
    x_labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="axis-label" text-anchor="{}">{}</text>',
        (
            (x(day), bottom + 20, anchor, f"{day.day} {day:%b}")
            for day, anchor in zip(ticks, ("start", "middle", "end"), strict=True)
        ),
    )
    svg = format_html(
        '<svg viewBox="0 0 {w} {h}" role="img" aria-labelledby="trend-caption" class="trend">{grid}{x_labels}'
        '<polyline points="{before_line}" class="line-before"></polyline>'
        '<polyline points="{after_line}" class="line-after"></polyline>{before}{after}</svg>',
        w=TREND_WIDTH,
        h=TREND_HEIGHT,
        grid=grid,
        x_labels=x_labels,
        before_line=" ".join(f"{x(p.day)},{y(p.before)}" for p in points),
        after_line=" ".join(f"{x(p.day)},{y(p.after)}" for p in points),
        # Numbers and dates formatted here: nothing to escape (see heatmap_chart).
        before=mark_safe(
            "".join(
                f'<circle cx="{x(p.day)}" cy="{y(p.before)}" r="4" class="mark-before">'
                f"<title>{day_label(p.day)}: {p.before} before</title></circle>"
                for p in points
            )
        ),
        after=mark_safe(
            "".join(
                f'<rect x="{round(x(p.day) - 4, 1)}" y="{round(y(p.after) - 4, 1)}" width="8" height="8" '
                f'class="mark-after"><title>{day_label(p.day)}: {p.after} after</title></rect>'
                for p in points
            )
        ),
    )
    return Chart(svg, [(day_label(p.day), str(p.before), str(p.after)) for p in points])


def relief_chart(weeks: list[WeeklyRelief]) -> Chart:
    """Bars of the average weekly relief; each bar's value is also written above it. Under each bar
    its week's day, and the month under the first bar and wherever the month changes, so eight
    labels fit a phone's width at a size that can be read."""
    width, height, base = RELIEF_WIDTH, RELIEF_HEIGHT, RELIEF_BASE
    top = max([w.relief for w in weeks] + [1.0])
    step = (width - 20) / max(len(weeks), 1)
    bar = round(min(32, step * 0.6), 1)
    bars = []
    for index, week in enumerate(weeks):
        bar_height = round((base - 24) * max(week.relief, 0) / top, 1)
        x = round(10 + index * step + (step - bar) / 2, 1)
        value = _number(week.relief)
        new_month = index == 0 or week.week.month != weeks[index - 1].week.month
        middle = round(x + bar / 2, 1)
        month = f'<tspan x="{middle}" dy="17">{week.week:%b}</tspan>' if new_month else ""
        # Numbers and dates formatted here: nothing to escape (see heatmap_chart).
        bars.append(
            f'<rect x="{x}" y="{base - bar_height}" width="{bar}" height="{bar_height}" class="bar">'
            f"<title>Week of {week.week.day} {week.week:%b}: {value}</title></rect>"
            f'<text x="{middle}" y="{base - bar_height - 6}" text-anchor="middle" '
            f'class="value-label">{value}</text>'
            f'<text x="{middle}" y="{base + 20}" text-anchor="middle" '
            f'class="axis-label">{week.week.day}{month}</text>'
        )
    svg = format_html(
        '<svg viewBox="0 0 {w} {h}" role="img" aria-labelledby="relief-caption" class="relief">'
        '<line x1="10" x2="{right}" y1="{base}" y2="{base}" class="grid"></line>{bars}</svg>',
        w=width,
        h=height,
        right=width - 10,
        base=base,
        bars=mark_safe("".join(bars)),
    )
    return Chart(svg, [(f"{w.week.day} {w.week:%b}", _number(w.relief), str(w.sessions)) for w in weeks])

"""Server-rendered SVG charts of one daily feature with the personal baseline band, and a table alternative.

As in ``measures.charts``: a frozen dataclass holds every coordinate (computed here), and a template prints it,
escaping every label. The band is the usual range of each day, median +/- 2 MAD of the 28 days before it
(see baselines); a day outside it is drawn as a hollow marker and said in the table.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from alongside.core.formatting import fmt_date, fmt_number
from alongside.wearables.metrics import Metric

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 28
SPREAD = 2  # the band is median +/- 2 MAD, the same width as a sustained change


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class Point:
    x: str
    y: str
    outside: bool
    day: str
    value: str
    usual: str


@dataclass(frozen=True)
class Tick:
    x: str
    y: str
    label: str


@dataclass(frozen=True)
class Chart:
    ids: str
    title: str
    description: str
    width: int
    height: int
    plot: tuple[int, int, int, int]
    band: str  # polygon points
    line: str  # polyline points
    points: list[Point]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


def _usual(median: float | None, mad: float | None) -> tuple[float, float] | None:
    if median is None or mad is None:
        return None
    return median - SPREAD * mad, median + SPREAD * mad


def chart_layout(metric: str, rows: Sequence[tuple[dt.date, float, float | None, float | None]]) -> Chart | None:
    """Lay out ``rows`` (day, value, baseline median, baseline MAD), oldest first; None without data."""
    if not rows:
        return None
    first, last = rows[0][0], rows[-1][0]
    span_days = max((last - first).days, 1)
    ranges = [_usual(median, mad) for _day, _value, median, mad in rows]
    values = [value for _day, value, _m, _d in rows]
    low = min(values + [r[0] for r in ranges if r])
    high = max(values + [r[1] for r in ranges if r])
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + plot_w * (day - first).days / span_days

    def y(value: float) -> float:
        return TOP + plot_h * (high - value) / (high - low)

    upper = [(x(day), y(r[1])) for (day, *_rest), r in zip(rows, ranges, strict=True) if r]
    lower = [(x(day), y(r[0])) for (day, *_rest), r in zip(rows, ranges, strict=True) if r]
    band = " ".join(f"{_n(px)},{_n(py)}" for px, py in upper + lower[::-1]) if upper else ""
    points = []
    for (day, value, _median, _mad), usual in zip(rows, ranges, strict=True):
        outside = usual is not None and not usual[0] <= value <= usual[1]
        points.append(
            Point(
                _n(x(day)),
                _n(y(value)),
                outside,
                fmt_date(day, "day_month"),
                fmt_number(value, 0 if abs(value) >= 100 else 1),
                f"{fmt_number(usual[0], 0)}-{fmt_number(usual[1], 0)}" if usual else "",
            )
        )
    label = str(Metric(metric).label)
    digest = hashlib.sha256(repr((metric, rows)).encode()).hexdigest()[:10]
    outside_days = sum(point.outside for point in points)
    return Chart(
        ids=f"wearables-{metric}-{digest}",
        title=label,
        description=_("%(measure)s on %(days)s days from %(first)s to %(last)s; %(outside)s outside your usual range.")
        % {
            "measure": label,
            "days": len(rows),
            "first": fmt_date(first, "day_month"),
            "last": fmt_date(last, "day_month"),
            "outside": outside_days,
        },
        width=WIDTH,
        height=HEIGHT,
        plot=(LEFT, TOP, plot_w, plot_h),
        band=band,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        points=points,
        y_ticks=[Tick(_n(LEFT - 6), _n(y(v) + 4), fmt_number(v, 0)) for v in (low, (low + high) / 2, high)],
        x_ticks=[Tick(_n(x(d)), _n(HEIGHT - 8), fmt_date(d, "day_month")) for d in (first, last)],
    )


def feature_chart(metric: str, rows: Sequence[tuple[dt.date, float, float | None, float | None]]) -> SafeString:
    """Return the SVG chart and its table alternative for one feature (empty when there is no data)."""
    layout = chart_layout(metric, rows)
    if layout is None:
        return format_html("")  # no data: no chart and no table
    return render_to_string("wearables/chart.html", {"c": layout})

"""Mood over time as a small server-rendered SVG line chart, with the client's own average."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from alongside.core.formatting import fmt_date, fmt_number
from alongside.measures.charts.svg import FONT_FAMILY, FONT_SIZE, SVG_NS, n

LEFT, RIGHT, TOP, BOTTOM = 34, 12, 12, 26


def daily_moods(points: Iterable[tuple[dt.date, int]]) -> list[tuple[dt.date, float]]:
    """Return one value per day (the mean of that day's check-ins), oldest first."""
    by_day: dict[dt.date, list[int]] = {}
    for day, mood in points:
        by_day.setdefault(day, []).append(mood)
    return [(day, sum(v) / len(v)) for day, v in sorted(by_day.items())]


def mood_chart(points: Iterable[tuple[dt.date, int]], *, width: int = 640, height: int = 220) -> SafeString:
    """Return an accessible SVG line chart of daily mood (0-10) and the dashed line of its average."""
    days = daily_moods(points)
    if not days:
        return format_html("{}", "")
    average = sum(v for _d, v in days) / len(days)
    first, last = days[0][0], days[-1][0]
    span = max((last - first).days, 1)
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM

    def x(day: dt.date) -> float:
        return LEFT + plot_w * ((day - first).days / span if len(days) > 1 else 0.5)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / 10)

    title = _("Mood from %(first)s to %(last)s") % {
        "first": fmt_date(first),
        "last": fmt_date(last),
    }
    desc = _("%(count)s days with a check-in; average mood %(average)s out of 10.") % {
        "count": len(days),
        "average": fmt_number(average, 1),
    }
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ddd"/>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
        ((LEFT, width - RIGHT, n(y(v)), n(y(v)), LEFT - 6, n(y(v)), v) for v in (0, 5, 10)),
    )
    line = " ".join(f"{n(x(d))},{n(y(v))}" for d, v in days)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="#2d5d8a"><title>{}: {}</title></circle>',
        ((n(x(d)), n(y(v)), fmt_date(d), fmt_number(v, 1)) for d, v in days),
    )
    mean_label = _("your average %(average)s") % {"average": fmt_number(average, 1)}
    return format_html(
        '<svg xmlns="{ns}" class="mood-chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="mood-title mood-desc"'
        ' font-family="{font}" font-size="{size}">'
        '<title id="mood-title">{title}</title><desc id="mood-desc">{desc}</desc>'
        "{grid}"
        '<line x1="{left}" x2="{right}" y1="{ay}" y2="{ay}" stroke="#8a5a00" stroke-dasharray="6 4"/>'
        '<text x="{right}" y="{ly}" text-anchor="end" fill="#8a5a00">{mean_label}</text>'
        '<polyline points="{line}" fill="none" stroke="#2d5d8a" stroke-width="2"/>'
        "{dots}"
        '<text x="{left}" y="{by}">{first}</text><text x="{right}" y="{by}" text-anchor="end">{last}</text>'
        "</svg>",
        ns=SVG_NS,
        w=width,
        h=height,
        font=FONT_FAMILY,
        size=FONT_SIZE,
        title=title,
        desc=desc,
        grid=grid,
        left=LEFT,
        right=width - RIGHT,
        ay=n(y(average)),
        ly=n(y(average) - 4),
        mean_label=mean_label,
        line=line,
        dots=dots,
        by=height - 6,
        first=fmt_date(first, "day_month"),
        last=fmt_date(last, "day_month"),
    )

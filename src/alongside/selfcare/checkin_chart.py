"""Mood over time as a small server-rendered SVG line chart, with the client's own average, and entries imported
from other mood apps drawn beside the check-ins with their own marker (registered in ``core.page_parts``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.core.formatting import fmt_date, fmt_number
from alongside.core.page_parts import MoodEntry
from alongside.measures.charts.svg import FONT_FAMILY, FONT_SIZE, SVG_NS, n

LEFT, RIGHT, TOP, BOTTOM = 34, 12, 12, 26
LEGEND = 22
IMPORTED = "#7a4b00"  # dark amber: 4.5:1 on white; the hollow diamond tells it apart without colour


def daily_moods(points: Iterable[tuple[dt.date, int]]) -> list[tuple[dt.date, float]]:
    """Return one value per day (the mean of that day's check-ins), oldest first."""
    by_day: dict[dt.date, list[int]] = {}
    for day, mood in points:
        by_day.setdefault(day, []).append(mood)
    return [(day, sum(v) / len(v)) for day, v in sorted(by_day.items())]


def _diamond(x: float, y: float, size: float = 4.5) -> str:
    return f"{n(x)},{n(y - size)} {n(x + size)},{n(y)} {n(x)},{n(y + size)} {n(x - size)},{n(y)}"


def _description(days: list[tuple[dt.date, float]], drawn: list[MoodEntry], undrawn: int) -> str:
    parts = []
    if days:
        average = sum(v for _d, v in days) / len(days)
        parts.append(
            _("%(count)s days with a check-in; average mood %(average)s out of 10.")
            % {"count": len(days), "average": fmt_number(average, 1)}
        )
    if drawn:
        sources = ", ".join(sorted({entry.source for entry in drawn}))
        parts.append(
            ngettext(
                "%(count)s entry imported from %(apps)s, drawn as a hollow diamond.",
                "%(count)s entries imported from %(apps)s, drawn as hollow diamonds.",
                len(drawn),
            )
            % {"count": len(drawn), "apps": sources}
        )
    if undrawn:
        parts.append(
            ngettext(
                "%(count)s imported entry has no place on the 0 to 10 scale and is not drawn.",
                "%(count)s imported entries have no place on the 0 to 10 scale and are not drawn.",
                undrawn,
            )
            % {"count": undrawn}
        )
    return " ".join(parts)


def mood_chart(
    points: Iterable[tuple[dt.date, int]],
    *,
    imported: Sequence[MoodEntry] = (),
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Return an accessible SVG line chart of daily mood (0-10), the dashed line of its average, and imported
    entries (hollow diamonds) where their app's scale maps onto 0-10."""
    days = daily_moods(points)
    drawn = [entry for entry in imported if entry.value is not None]
    undrawn = len(imported) - len(drawn)
    if not days and not drawn:
        return format_html("{}", "")
    legend = LEGEND if drawn else 0
    all_days = [d for d, _v in days] + [entry.day for entry in drawn]
    first, last = min(all_days), max(all_days)
    span = max((last - first).days, 1)
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM - legend

    def x(day: dt.date) -> float:
        return LEFT + plot_w * ((day - first).days / span if first != last else 0.5)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - value / 10)

    title = _("Mood from %(first)s to %(last)s") % {"first": fmt_date(first), "last": fmt_date(last)}
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#ddd"/>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
        ((LEFT, width - RIGHT, n(y(v)), n(y(v)), LEFT - 6, n(y(v)), v) for v in (0, 5, 10)),
    )
    own = _own_line(days, x, y, width) if days else format_html("{}", "")
    diamonds = _diamonds(drawn, x, y)
    key = _key(drawn, height) if drawn else format_html("{}", "")
    axis_y = height - 6 - legend
    return format_html(
        '<svg xmlns="{ns}" class="mood-chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="mood-title mood-desc"'
        ' font-family="{font}" font-size="{size}">'
        '<title id="mood-title">{title}</title><desc id="mood-desc">{desc}</desc>'
        "{grid}{own}{diamonds}"
        '<text x="{left}" y="{by}">{first}</text><text x="{right}" y="{by}" text-anchor="end">{last}</text>'
        "{key}</svg>",
        ns=SVG_NS,
        w=width,
        h=height,
        font=FONT_FAMILY,
        size=FONT_SIZE,
        title=title,
        desc=_description(days, drawn, undrawn),
        grid=grid,
        own=own,
        diamonds=diamonds,
        left=LEFT,
        right=width - RIGHT,
        by=axis_y,
        first=fmt_date(first, "day_month"),
        last=fmt_date(last, "day_month"),
        key=key,
    )


Scale = Callable[..., float]


def _own_line(days: list[tuple[dt.date, float]], x: Scale, y: Scale, width: int) -> SafeString:
    """The client's daily mood as a line with dots, and the dashed line of their average."""
    average = sum(v for _d, v in days) / len(days)
    line = " ".join(f"{n(x(d))},{n(y(v))}" for d, v in days)
    dots = format_html_join(
        "",
        '<circle class="mood-point" cx="{}" cy="{}" r="3" fill="#2d5d8a"><title>{}: {}</title></circle>',
        ((n(x(d)), n(y(v)), fmt_date(d), fmt_number(v, 1)) for d, v in days),
    )
    return format_html(
        '<line x1="{left}" x2="{right}" y1="{ay}" y2="{ay}" stroke="#8a5a00" stroke-dasharray="6 4"/>'
        '<text x="{right}" y="{ly}" text-anchor="end" fill="#8a5a00">{label}</text>'
        '<polyline points="{line}" fill="none" stroke="#2d5d8a" stroke-width="2"/>{dots}',
        left=LEFT,
        right=width - RIGHT,
        ay=n(y(average)),
        ly=n(y(average) - 4),
        label=_("your average %(average)s") % {"average": fmt_number(average, 1)},
        line=line,
        dots=dots,
    )


def _diamonds(drawn: list[MoodEntry], x: Scale, y: Scale) -> SafeString:
    """Imported entries as hollow diamonds, each with its tooltip."""
    return format_html_join(
        "",
        '<polygon class="mood-imported" points="{}" fill="#ffffff" stroke="{}" stroke-width="1.5"><title>{}</title>'
        "</polygon>",
        (
            (
                _diamond(x(entry.day), y(entry.value or 0)),
                IMPORTED,
                _("%(date)s: imported from %(app)s, “%(mood)s” (placed at %(value)s)")
                % {
                    "date": fmt_date(entry.day),
                    "app": entry.source,
                    "mood": entry.label,
                    "value": fmt_number(entry.value or 0, 1),
                },
            )
            for entry in drawn
        ),
    )


def _key(drawn: list[MoodEntry], height: int) -> SafeString:
    """The legend: the client's own check-ins and the imported entries, told apart by shape."""
    key_y = height - 8
    own_label = _("Check-ins in Alongside")
    imported_x = LEFT + 16 + len(own_label) * 6.2 + 24
    return format_html(
        '<g class="mood-legend"><circle cx="{cx}" cy="{cy}" r="3" fill="#2d5d8a"/>'
        '<text x="{tx}" y="{ty}">{own}</text>'
        '<polygon points="{diamond}" fill="#ffffff" stroke="{colour}" stroke-width="1.5"/>'
        '<text x="{ix}" y="{ty}">{imported}</text></g>',
        cx=LEFT + 4,
        cy=key_y - 4,
        tx=LEFT + 12,
        ty=key_y,
        own=own_label,
        diamond=_diamond(imported_x, key_y - 4),
        colour=IMPORTED,
        ix=n(imported_x + 8),
        imported=_("Imported from other apps (%(apps)s)") % {"apps": ", ".join(sorted({e.source for e in drawn}))},
    )


def imported_table(imported: Sequence[MoodEntry]) -> SafeString:
    """Return the imported entries as a table (the chart's alternative for them); empty without any."""
    if not imported:
        return format_html("{}", "")
    return render_to_string("selfcare/checkins/_imported_table.html", {"entries": imported})

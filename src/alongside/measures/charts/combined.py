"""Several measures in one SVG: a panel per measure on its own severity scale, a mood panel, and sessions, on one
time axis, so a clinician reads them side by side.

Each panel keeps its instrument's own range and published bands (a PHQ-9 of 12 and a GAD-7 of 12 do not mean the
same), so the panels share only time. Sessions are dashed vertical lines through every panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from . import palette
from .layout import Frame, Line, Rect, Text
from .placement import band_edges
from .scales import Linear, as_date, date_ticks, day_number
from .svg import FONT_FAMILY, FONT_SIZE, element_id, language, n
from .types import Series
from .words import long_date, number, ordered_bands, tick_label

LEFT, RIGHT, TOP = 96, 14, 8
PANEL, GAP, AXIS = 78, 14, 34


@dataclass(frozen=True)
class Panel:
    name: Text
    range_low: Text
    range_high: Text
    frame: Rect
    bands: tuple[tuple[Rect, str, str], ...]  # box, fill, title
    line: str
    points: tuple[tuple[str, str, str], ...]  # cx, cy, title


@dataclass(frozen=True)
class CombinedLayout:
    frame: Frame
    panels: tuple[Panel, ...]
    sessions: tuple[tuple[Line, str], ...]
    ticks: tuple[Text, ...]
    legend: Text | None


def _panel(
    name: str,
    low: float,
    high: float,
    top: float,
    x: Linear,
    values: Sequence[tuple[date, float]],
    series: Series | None,
) -> Panel:
    y = Linear(low, high, top + PANEL, top)
    bands: list[tuple[Rect, str, str]] = []
    if series is not None and series.bands:
        edges = band_edges(ordered_bands(series.bands), series)
        tints = palette.band_tints(len(edges))
        if not series.lower_is_better:
            tints = tints[::-1]
        for (band, lo, hi), tint in zip(edges, tints, strict=True):
            box = Rect(n(LEFT), n(y(hi)), n(x.end - LEFT), n(max(0.0, y(lo) - y(hi))))
            bands.append((box, tint, f"{band.label}: {number(band.lower)}\u2013{number(band.upper)}"))
    coordinates = [(x(day_number(day)), y(value)) for day, value in values]
    return Panel(
        name=Text(n(LEFT - 8), n(top + 14), name, "end"),
        range_low=Text(n(LEFT - 8), n(top + PANEL), number(low), "end"),
        range_high=Text(n(LEFT - 8), n(top + 28), number(high), "end"),
        frame=Rect(n(LEFT), n(top), n(x.end - LEFT), n(PANEL)),
        bands=tuple(bands),
        line=" ".join(f"{n(px)},{n(py)}" for px, py in coordinates) if len(coordinates) > 1 else "",
        points=tuple(
            (n(px), n(py), f"{name}, {long_date(day)}: {number(value)}")
            for (px, py), (day, value) in zip(coordinates, values, strict=True)
        ),
    )


def combined_chart(
    series: Sequence[Series],
    *,
    moods: Sequence[tuple[date, float]] = (),
    sessions: Sequence[date] = (),
    start: date,
    end: date,
    width: int = 720,
    lang: str | None = None,
) -> SafeString:
    """Return one SVG with a panel per series (on its own scale and bands), a mood panel when there are check-ins,
    and the sessions as dashed lines, between ``start`` and ``end``."""
    with language(lang):
        lo, hi = float(start.toordinal()) - 0.5, float(end.toordinal()) + 0.5
        x = Linear(lo, hi, LEFT, width - RIGHT)
        panels = []
        top = float(TOP)
        for one in series:
            values = [(as_date(p.at), p.value) for p in one.points if start <= as_date(p.at) <= end]
            panels.append(_panel(one.title, one.min_value, one.max_value, top, x, values, one))
            top += PANEL + GAP
        if moods:
            shown = [(day, value) for day, value in moods if start <= day <= end]
            panels.append(_panel(gettext("Mood (0-10)"), 0, 10, top, x, shown, None))
            top += PANEL + GAP
        bottom = top - GAP
        lines = tuple(
            (
                Line(n(x(day.toordinal())), n(TOP), n(x(day.toordinal())), n(bottom)),
                gettext("Session, %(date)s") % {"date": long_date(day)},
            )
            for day in sessions
            if start <= day <= end
        )
        ticks = tuple(
            Text(n(x(tick.day.toordinal())), n(bottom + 16), tick_label(tick, with_year=index == 0), "middle")
            for index, tick in enumerate(date_ticks(lo, hi, max(2, (width - LEFT - RIGHT) // 90)))
        )
        height = bottom + AXIS
        legend = Text(n(LEFT), n(height - 4), gettext("Dashed lines: sessions attended")) if lines else None
        names = ", ".join(one.title for one in series)
        description = " ".join(
            [
                gettext("From %(start)s to %(end)s.") % {"start": long_date(start), "end": long_date(end)},
                ngettext("%(count)s measure", "%(count)s measures", len(series)) % {"count": len(series)}
                + (f" ({names})" if names else "")
                + gettext(", each on its own scale with its severity bands."),
                ngettext("%(count)s session.", "%(count)s sessions.", len(lines)) % {"count": len(lines)},
                gettext("Daily mood is drawn too.") if moods else "",
                gettext("The tables that follow list every score."),
            ]
        ).strip()
        title = gettext("Measures, mood and sessions over time")
        frame = Frame(
            element_id("combined", "all", (tuple(series), tuple(moods), tuple(sessions), start, end, width)),
            str(width),
            n(height),
            "combined",
            title,
            description,
            FONT_FAMILY,
            str(FONT_SIZE),
        )
        layout = CombinedLayout(frame, tuple(panels), lines, ticks, legend)
        return render_to_string("measures/charts/combined.svg", {"c": layout, "palette": palette})

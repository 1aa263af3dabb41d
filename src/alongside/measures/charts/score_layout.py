"""A score chart as a layout: where each band, tick, reference line, marker and legend entry goes.

:func:`score_layout` computes it from a series; ``measures/charts/score.svg`` prints it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext

from . import intervals, palette
from .layout import Frame, Line, Message, Rect, Text
from .placement import LINE_HEIGHT, Box, band_edges, band_label_lines, legend_rows, place_label, triangle
from .scales import Linear, as_date, date_ticks, day_number, value_ticks
from .svg import CHAR_WIDTH, FONT_FAMILY, FONT_SIZE, element_id, n, text_width
from .types import Band, Point, Series
from .words import long_date, number, ordered_bands, reference, reliable_words, score_words, signed, summary, tick_label

TOP = 12
LEFT = 40
AXIS = 26  # below the plot: tick marks and date labels
LEGEND_ROW = 18


@dataclass(frozen=True)
class Marker:
    """A score's marker: a circle, or a triangle pointing the way the score moved when change is reliable."""

    role: str
    fill: str
    title: str = ""
    reliable: str = ""
    direction: str = ""  # "down" or "up", for a triangle
    points: str = ""  # a triangle's corners
    cx: str = ""
    cy: str = ""
    r: str = ""


@dataclass(frozen=True)
class BandShape:
    number: int
    box: Rect
    fill: str
    title: str
    lines: tuple[Text, ...]


@dataclass(frozen=True)
class AxisMark:
    """A grid line or tick mark with its label."""

    line: Line
    label: Text


@dataclass(frozen=True)
class ReferenceLine:
    kind: str  # "caseness" or "baseline"
    line: Line
    colour: str
    dashes: str
    label: Text


@dataclass(frozen=True)
class LegendEntry:
    key: str
    label: str
    swatch: Line  # a short line, x1 to x2 at y1
    middle: str  # x of the swatch's middle
    text: Text
    marker: Marker | None = None
    box: Rect | None = None  # a shaded swatch (the reliable change interval, the expected range)


@dataclass(frozen=True)
class ScoreLayout:
    frame: Frame
    plot: Rect
    bands: tuple[BandShape, ...]
    grid: tuple[AxisMark, ...]
    ticks: tuple[AxisMark, ...]
    references: tuple[ReferenceLine, ...]
    line: str  # the polyline's points; empty with a single score
    markers: tuple[Marker, ...]
    legend: tuple[LegendEntry, ...]
    interval: intervals.IntervalShape | None = None
    expected: intervals.ExpectedShape | None = None


@dataclass(frozen=True)
class _Plot:
    """The plot area and its scales."""

    left: float
    end: float
    top: float
    bottom: float
    y: Linear
    x: Linear


def sorted_points(series: Series) -> tuple[Point, ...]:
    return tuple(sorted(series.points, key=lambda point: day_number(point.at)))


def _frame(series: Series, ids: str, width: int, height: int, description: str) -> Frame:
    return Frame(
        ids, str(width), str(height), series.instrument, series.title, description, FONT_FAMILY, str(FONT_SIZE)
    )


def empty_layout(series: Series, width: int, height: int, ids: str) -> Message:
    """A short box that says there are no scores yet (a whole empty chart would look like missing data)."""
    message = gettext("No scores yet.")
    height = min(height, 64)
    return Message(
        _frame(series, ids, width, height, message),
        Rect("0.5", "0.5", str(width - 1), str(height - 1)),
        Text(n(width / 2), n(height / 2 + 5), message),
    )


def marker(
    reliable: str, x: float, y: float, size: float, series: Series, title: str = "", role: str = "chart-point"
) -> Marker:
    if reliable in ("improved", "deteriorated"):
        # Improvement lowers a score where lower is better, so it points down there, and up otherwise.
        down = (reliable == "improved") == series.lower_is_better
        colour = palette.IMPROVED if reliable == "improved" else palette.DETERIORATED
        return Marker(role, colour, title, reliable, "down" if down else "up", points=triangle(x, y, size, down))
    return Marker(role, palette.LINE, title, cx=n(x), cy=n(y), r=n(size * 0.65))


def _legend_labels(series: Series, points: tuple[Point, ...]) -> list[tuple[str, str]]:
    """The legend names only what the chart shows."""
    entries = [("score", gettext("Score"))]
    if series.caseness is not None:
        entries.append(("caseness", gettext("Clinical cut-off")))
    if series.baseline is not None:
        entries.append(("baseline", gettext("Baseline")))
    if intervals.interval_bounds(series) is not None:
        entries.append(("interval", gettext("Reliable change interval")))
    if series.expected:
        entries.append(("expected", series.expected_label or gettext("Expected range")))
    if any(point.reliable == "improved" for point in points):
        entries.append(("improved", gettext("Reliable improvement")))
    if any(point.reliable == "deteriorated" for point in points):
        entries.append(("deteriorated", gettext("Reliable deterioration")))
    return entries


def _legend(
    entries: list[tuple[str, str]], rows: list[list[tuple[int, float]]], series: Series, left: float, top: float
) -> tuple[LegendEntry, ...]:
    out = []
    for row_index, row in enumerate(rows):
        row_y = top + row_index * LEGEND_ROW
        for index, offset in row:
            key, label = entries[index]
            x = left + offset
            swatch = Line(n(x), n(row_y), n(x + 20), n(row_y))
            shape = None
            if key in ("improved", "deteriorated"):
                shape = marker(key, x + 10, row_y, 5.5, series, role="chart-legend-marker")
            text = Text(n(x + 26), n(row_y + 4), label)
            box = Rect(n(x), n(row_y - 6), "20", "12") if key in ("interval", "expected") else None
            out.append(LegendEntry(key, label, swatch, n(x + 10), text, shape, box))
    return tuple(out)


def _band_labels(series: Series, y: Linear) -> tuple[list[tuple[Band, float, float]], list[list[str]], float]:
    """Return the bands' edges, their labels' lines, and the right margin those labels need."""
    edges = band_edges(ordered_bands(series.bands), series)
    lines = [band_label_lines(band.label, y(low) - y(high)) for band, low, high in edges]
    longest = max((len(line) for band_lines in lines for line in band_lines), default=0)
    return edges, lines, min(160.0, max(28.0, 14 + longest * CHAR_WIDTH))


def _bands(
    series: Series, plot: _Plot, edges: list[tuple[Band, float, float]], lines: list[list[str]]
) -> tuple[BandShape, ...]:
    """The severity bands, mildest to most severe in meaning (the top of the scale where higher is better)."""
    left, end, y = plot.left, plot.end, plot.y
    tints = palette.band_tints(len(edges))
    if not series.lower_is_better:
        tints = tints[::-1]
    shapes = []
    for index, ((band, low, high), band_lines, tint) in enumerate(zip(edges, lines, tints, strict=True)):
        y_top, y_bottom = y(high), y(low)
        middle = (y_top + y_bottom) / 2 - (len(band_lines) - 1) * LINE_HEIGHT / 2 + 4
        spans = tuple(Text(n(end + 6), n(middle + row * LINE_HEIGHT), line) for row, line in enumerate(band_lines))
        title = gettext("%(band)s: %(lower)s to %(upper)s") % {
            "band": band.label,
            "lower": number(band.lower),
            "upper": number(band.upper),
        }
        box = Rect(n(left), n(y_top), n(end - left), n(max(0.0, y_bottom - y_top)))
        shapes.append(BandShape(index + 1, box, tint, title, spans))
    return tuple(shapes)


def _grid(series: Series, plot: _Plot) -> tuple[AxisMark, ...]:
    """Value axis: light grid lines and labels."""
    y = plot.y
    return tuple(
        AxisMark(
            Line(n(plot.left), n(y(value)), n(plot.end), n(y(value))),
            Text(n(plot.left - 6), n(y(value) + 4), number(value), "end"),
        )
        for value in value_ticks(series.min_value, series.max_value)
    )


def _time_scale(points: tuple[Point, ...], left: float, end: float) -> tuple[Linear, float, float, float]:
    """Return the time scale, with a few days either side so the first and last markers sit inside the frame."""
    first_day, last_day = day_number(points[0].at), day_number(points[-1].at)
    span = last_day - first_day
    if span < 1:
        lo, hi = first_day - 3.5, first_day + 3.5
    else:
        pad = max(0.5, span * 0.03)
        lo, hi = first_day - pad, last_day + pad
    return Linear(lo, hi, left, end), lo, hi, span


def _ticks(
    points: tuple[Point, ...], plot: _Plot, width: int, lo: float, hi: float, span: float
) -> tuple[AxisMark, ...]:
    # One score on one day gets one tick, under it.
    only_day = float(math.floor(day_number(points[0].at)))
    count = max(2, int((plot.end - plot.left) // 80))
    ticks = date_ticks(only_day, only_day, 1) if span < 1 else date_ticks(lo, hi, count)
    previous_year = None
    marks = []
    for tick in ticks:
        label = tick_label(tick, with_year=tick.day.year != previous_year and tick.kind != "year")
        previous_year = tick.day.year
        tick_x = plot.x(tick.day.toordinal())
        half = text_width(label) / 2
        anchor, label_x = "middle", tick_x
        if tick_x + half > width - 2:
            anchor, label_x = "end", tick_x + 4
        elif tick_x - half < 2:
            anchor, label_x = "start", tick_x - 4
        line = Line(n(tick_x), n(plot.bottom), n(tick_x), n(plot.bottom + 5))
        marks.append(AxisMark(line, Text(n(label_x), n(plot.bottom + 17), label, anchor)))
    return tuple(marks)


def _references(series: Series, plot: _Plot, coordinates: list[tuple[float, float]]) -> tuple[ReferenceLine, ...]:
    """The clinical cut-off (dashed) and the baseline (dotted), each labelled where the label covers no score."""
    taken: list[Box] = []
    out = []
    for kind, value, colour, dashes in (
        ("caseness", series.caseness, palette.CASENESS, "6 4"),
        ("baseline", series.baseline, palette.BASELINE, "2 3"),
    ):
        if value is None:
            continue
        line_y = plot.y(value)
        if kind == "caseness":
            label = gettext("Clinical cut-off %(value)s") % {"value": number(value)}
        else:
            label = gettext("Baseline %(value)s") % {"value": number(value)}
        anchor, label_x, label_y, box = place_label(
            label,
            line_y,
            plot.left,
            plot.end,
            plot.top,
            plot.bottom,
            prefer_right=kind == "caseness",
            avoid=coordinates,
            taken=taken,
        )
        taken.append(box)
        line = Line(n(plot.left), n(line_y), n(plot.end), n(line_y))
        out.append(ReferenceLine(kind, line, colour, dashes, Text(n(label_x), n(label_y), label, anchor)))
    return tuple(out)


def _point_title(series: Series, point: Point, base: float | None) -> str:
    pieces = [
        gettext("%(date)s: %(score)s")
        % {"date": long_date(as_date(point.at)), "score": score_words(series, point.value)}
    ]
    if base is not None:
        pieces.append(gettext("change %(change)s") % {"change": signed(point.value - base)})
    if point.reliable:
        pieces.append(reliable_words(point.reliable))
    return "; ".join(pieces)


def _markers(
    series: Series, points: tuple[Point, ...], coordinates: list[tuple[float, float]], plot: _Plot
) -> tuple[Marker, ...]:
    """A marker per score, each with its own tooltip, sized to the space between scores."""
    spacing = (plot.end - plot.left) / max(1, len(points) - 1) if len(points) > 1 else plot.end - plot.left
    size = min(5.5, max(3.5, spacing / 2))
    base = reference(series, points)
    return tuple(
        marker(point.reliable or "", px, py, size, series, _point_title(series, point, base))
        for point, (px, py) in zip(points, coordinates, strict=True)
    )


def score_layout(series: Series, points: tuple[Point, ...], width: int, height: int, ids: str) -> ScoreLayout:
    """Lay out a chart of at least one score."""
    entries = _legend_labels(series, points)
    rows = legend_rows([label for _key, label in entries], width - LEFT)
    top, bottom = TOP, height - AXIS - LEGEND_ROW * len(rows) - 4
    y = Linear(series.min_value, series.max_value, bottom, top)
    edges, lines, right = _band_labels(series, y)  # the band labels decide where the plot ends
    end = width - right
    x, lo, hi, span = _time_scale(points, LEFT, end)
    plot = _Plot(LEFT, end, top, bottom, y, x)
    coordinates = [(x(day_number(point.at)), y(point.value)) for point in points]
    description = " ".join([summary(series, points), *intervals.summary_extra(series, points[-1].at, points[-1].value)])
    return ScoreLayout(
        frame=_frame(series, ids, width, height, description),
        plot=Rect(n(LEFT), n(top), n(end - LEFT), n(bottom - top)),
        bands=_bands(series, plot, edges, lines),
        grid=_grid(series, plot),
        ticks=_ticks(points, plot, width, lo, hi, span),
        references=_references(series, plot, coordinates),
        line=" ".join(f"{n(px)},{n(py)}" for px, py in coordinates) if len(points) > 1 else "",
        markers=_markers(series, points, coordinates, plot),
        legend=_legend(entries, rows, series, LEFT, bottom + AXIS + 6),
        interval=intervals.interval_shape(series, y, LEFT, end),
        expected=intervals.expected_shape(series, x, y),
    )


def chart_ids(series: Series, width: int, height: int) -> str:
    extras = (series.reliable_change, series.expected, series.expected_label)
    payload = (series, width, height, extras) if any(extras) else (series, width, height)
    return element_id("score", series.instrument, payload)

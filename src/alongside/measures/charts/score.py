"""A score over time as an SVG line chart, and the same scores as a table."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from . import palette
from .scales import Linear, as_date, date_ticks, day_number, value_ticks
from .svg import CHAR_WIDTH, FONT_FAMILY, FONT_SIZE, SVG_NS, element_id, join, language, n, text_width
from .types import Band, Point, Series
from .words import (
    band_for,
    long_date,
    number,
    ordered_bands,
    reference,
    reliable_words,
    score_words,
    signed,
    summary,
    tick_label,
)

TOP = 12
LEFT = 40
AXIS = 26  # below the plot: tick marks and date labels
LEGEND_ROW = 18
WRAP_AT = 16  # band labels longer than this wrap onto two lines where the band is tall enough
LINE_HEIGHT = 12


def score_chart(series: Series, *, width: int = 640, height: int = 260, lang: str | None = None) -> SafeString:
    """Return an accessible SVG line chart of a series: bands, cut-off, baseline, scores and reliable change.

    `lang` renders the words in that language; None keeps the active one. The SVG scales to its container.
    """
    with language(lang):
        return _score_chart(series, width, height)


def score_table(series: Series, *, lang: str | None = None) -> SafeString:
    """Return the scores of a series as a table: date, score, band, change from baseline and reliable change."""
    with language(lang):
        return _score_table(series)


def sorted_points(series: Series) -> tuple[Point, ...]:
    return tuple(sorted(series.points, key=lambda point: day_number(point.at)))


@dataclass(frozen=True)
class _LegendEntry:
    key: str
    label: str


def _legend_rows(entries: list[_LegendEntry], available: float) -> list[list[tuple[_LegendEntry, float]]]:
    """Place legend entries left to right, wrapping onto a new row when one would not fit."""
    rows: list[list[tuple[_LegendEntry, float]]] = [[]]
    x = 0.0
    for entry in entries:
        entry_width = 26 + text_width(entry.label) + 16
        if rows[-1] and x + entry_width > available:
            rows.append([])
            x = 0.0
        rows[-1].append((entry, x))
        x += entry_width
    return rows


def _legend_swatch(key: str, x: float, y: float, series: Series) -> SafeString:
    if key == "score":
        return format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"/>'
            '<circle cx="{}" cy="{}" r="3.5" fill="{}" stroke="#ffffff" stroke-width="1"/>',
            n(x),
            n(y),
            n(x + 20),
            n(y),
            palette.LINE,
            n(x + 10),
            n(y),
            palette.LINE,
        )
    if key == "caseness":
        return format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5" stroke-dasharray="6 4"/>',
            n(x),
            n(y),
            n(x + 20),
            n(y),
            palette.CASENESS,
        )
    if key == "baseline":
        return format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5" stroke-dasharray="2 3"/>',
            n(x),
            n(y),
            n(x + 20),
            n(y),
            palette.BASELINE,
        )
    return _marker(key, x + 10, y, 5.5, series, role="chart-legend-marker")


def _triangle(x: float, y: float, size: float, down: bool) -> str:
    tip = 1 if down else -1
    return " ".join(
        f"{n(px)},{n(py)}"
        for px, py in (
            (x - size, y - tip * size * 0.8),
            (x + size, y - tip * size * 0.8),
            (x, y + tip * size * 1.0),
        )
    )


def _marker(
    reliable: str, x: float, y: float, size: float, series: Series, title: str = "", role: str = "chart-point"
) -> SafeString:
    """Return a point's marker: a circle, or a triangle pointing the way the score moved when change is reliable."""
    titled = format_html("<title>{}</title>", title) if title else format_html("{}", "")
    if reliable in ("improved", "deteriorated"):
        # Improvement lowers a score where lower is better, so it points down there, and up otherwise.
        down = (reliable == "improved") == series.lower_is_better
        colour = palette.IMPROVED if reliable == "improved" else palette.DETERIORATED
        return format_html(
            '<polygon class="{} {}-{} chart-marker-{}" points="{}" fill="{}" stroke="#ffffff"'
            ' stroke-width="1">{}</polygon>',
            role,
            role,
            reliable,
            "down" if down else "up",
            _triangle(x, y, size, down),
            colour,
            titled,
        )
    return format_html(
        '<circle class="{}" cx="{}" cy="{}" r="{}" fill="{}" stroke="#ffffff" stroke-width="1">{}</circle>',
        role,
        n(x),
        n(y),
        n(size * 0.65),
        palette.LINE,
        titled,
    )


def _band_edges(bands: tuple[Band, ...], series: Series) -> list[tuple[Band, float, float]]:
    """Return each band with the values its shading spans: from its cut-off up to the next band's cut-off.

    Bands are drawn edge to edge at the published cut-offs (PHQ-9 "mild" 5-9 spans 5 to 10), so the shading
    meets the cut-off line; a real gap between bands is left unshaded.
    """
    edges = []
    for index, band in enumerate(bands):
        top = band.upper
        if index + 1 < len(bands) and bands[index + 1].lower - band.upper <= 1:
            top = bands[index + 1].lower
        low = min(series.max_value, max(series.min_value, band.lower))
        high = min(series.max_value, max(series.min_value, top))
        edges.append((band, low, high))
    return edges


def _band_label_lines(label: str, height: float) -> list[str]:
    if len(label) > WRAP_AT and " " in label and height >= 2 * LINE_HEIGHT + 2:
        middle = len(label) // 2
        spaces = [index for index, char in enumerate(label) if char == " "]
        split = min(spaces, key=lambda index: abs(index - middle))
        return [label[:split], label[split + 1 :]]
    return [label]


def _place_label(
    label: str,
    line_y: float,
    left: float,
    end: float,
    top: float,
    bottom: float,
    *,
    prefer_right: bool,
    avoid: list[tuple[float, float]],
    taken: list[tuple[float, float, float, float]],
) -> tuple[str, float, float, tuple[float, float, float, float]]:
    """Return anchor, x, y and box of a reference line's label: the first of its eight places that covers no score.

    The places are each end of the line, above and below it; the score line is sampled along its segments.
    """
    width = text_width(label)
    ends = [("end", end - 4), ("start", left + 4)]
    if not prefer_right:
        ends.reverse()
    samples = list(avoid)
    for (x1, y1), (x2, y2) in itertools.pairwise(avoid):
        steps = max(1, int(max(abs(x2 - x1), abs(y2 - y1)) // 3))
        samples.extend((x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps) for i in range(1, steps))
    candidates = []
    for anchor, label_x in ends:
        for label_y in (line_y - 4, line_y + 12):
            if label_y - 10 < top or label_y + 2 > bottom:
                continue
            x_lo = label_x - width if anchor == "end" else label_x
            box = (x_lo - 3, label_y - 10 - 3, x_lo + width + 3, label_y + 2 + 3)
            candidates.append((anchor, label_x, label_y, box))
    for candidate in candidates:
        x_lo, y_lo, x_hi, y_hi = candidate[3]
        if any(x_lo <= px <= x_hi and y_lo <= py <= y_hi for px, py in samples):
            continue
        if any(x_lo < b[2] and b[0] < x_hi and y_lo < b[3] and b[1] < y_hi for b in taken):
            continue
        return candidate
    if candidates:
        return candidates[0]
    anchor, label_x = ends[0]
    return anchor, label_x, line_y - 4, (0.0, 0.0, 0.0, 0.0)


def _empty_chart(series: Series, width: int, height: int, ids: str) -> SafeString:
    """Return a short box that says there are no scores yet (a whole empty chart would look like missing data)."""
    message = gettext("No scores yet.")
    height = min(height, 64)
    return format_html(
        '<svg xmlns="{}" class="measure-chart measure-chart-empty" viewBox="0 0 {} {}" width="100%"'
        ' preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{}-title {}-desc"'
        ' font-family="{}" font-size="{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<rect class="chart-plot" x="0.5" y="0.5" width="{}" height="{}" fill="#ffffff" stroke="{}"/>'
        '<text class="chart-message" x="{}" y="{}" text-anchor="middle" fill="{}" font-size="14">{}</text>'
        "</svg>",
        SVG_NS,
        width,
        height,
        ids,
        ids,
        FONT_FAMILY,
        FONT_SIZE,
        ids,
        series.title,
        ids,
        message,
        width - 1,
        height - 1,
        palette.FRAME,
        n(width / 2),
        n(height / 2 + 5),
        palette.MUTED,
        message,
    )


def _score_chart(series: Series, width: int, height: int) -> SafeString:
    points = sorted_points(series)
    ids = element_id("score", series.instrument, (series, width, height))
    if not points:
        return _empty_chart(series, width, height, ids)
    bands = ordered_bands(series.bands)

    # The legend names only what the chart shows.
    entries = [_LegendEntry("score", gettext("Score"))]
    if series.caseness is not None:
        entries.append(_LegendEntry("caseness", gettext("Clinical cut-off")))
    if series.baseline is not None:
        entries.append(_LegendEntry("baseline", gettext("Baseline")))
    if any(point.reliable == "improved" for point in points):
        entries.append(_LegendEntry("improved", gettext("Reliable improvement")))
    if any(point.reliable == "deteriorated" for point in points):
        entries.append(_LegendEntry("deteriorated", gettext("Reliable deterioration")))
    legend = _legend_rows(entries, width - LEFT)

    top, bottom = TOP, height - AXIS - LEGEND_ROW * len(legend) - 4
    y = Linear(series.min_value, series.max_value, bottom, top)

    edges = _band_edges(bands, series)
    band_lines = [_band_label_lines(band.label, y(low) - y(high)) for band, low, high in edges]
    longest = max((len(line) for lines in band_lines for line in lines), default=0)
    right = min(160.0, max(28.0, 14 + longest * CHAR_WIDTH))
    left, end = LEFT, width - right
    parts: list[SafeString] = []

    parts.append(
        format_html(
            '<rect class="chart-plot" x="{}" y="{}" width="{}" height="{}" fill="#ffffff"/>',
            n(left),
            n(top),
            n(end - left),
            n(bottom - top),
        )
    )

    # Severity bands, mildest to most severe in meaning (which is the top of the scale where higher is better).
    tints = palette.band_tints(len(edges))
    if not series.lower_is_better:
        tints = tints[::-1]
    for index, ((band, low, high), lines, tint) in enumerate(zip(edges, band_lines, tints, strict=True)):
        y_top, y_bottom = y(high), y(low)
        middle = (y_top + y_bottom) / 2 - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
        tspans = format_html_join(
            "",
            '<tspan x="{}" y="{}">{}</tspan>',
            ((n(end + 6), n(middle + row * LINE_HEIGHT), line) for row, line in enumerate(lines)),
        )
        parts.append(
            format_html(
                '<rect class="chart-band chart-band-{}" x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{}</title></rect>"
                '<text class="chart-band-label" fill="{}">{}</text>',
                index + 1,
                n(left),
                n(y_top),
                n(end - left),
                n(max(0.0, y_bottom - y_top)),
                tint,
                gettext("%(band)s: %(lower)s to %(upper)s")
                % {"band": band.label, "lower": number(band.lower), "upper": number(band.upper)},
                palette.INK,
                tspans,
            )
        )

    # Value axis: light grid lines and labels.
    for value in value_ticks(series.min_value, series.max_value):
        parts.append(
            format_html(
                '<line class="chart-grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text class="chart-axis-label" x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                n(left),
                n(y(value)),
                n(end),
                n(y(value)),
                palette.GRID,
                n(left - 6),
                n(y(value) + 4),
                palette.MUTED,
                number(value),
            )
        )

    # Time axis: a few days either side so the first and last markers sit inside the frame.
    first_day, last_day = day_number(points[0].at), day_number(points[-1].at)
    span = last_day - first_day
    if span < 1:
        lo, hi = first_day - 3.5, first_day + 3.5
    else:
        pad = max(0.5, span * 0.03)
        lo, hi = first_day - pad, last_day + pad
    x = Linear(lo, hi, left, end)
    # One score on one day gets one tick, under it.
    only_day = float(math.floor(first_day))
    ticks = date_ticks(only_day, only_day, 1) if span < 1 else date_ticks(lo, hi, max(2, int((end - left) // 80)))
    previous_year = None
    for tick in ticks:
        label = tick_label(tick, with_year=tick.day.year != previous_year and tick.kind != "year")
        previous_year = tick.day.year
        tick_x = x(tick.day.toordinal())
        half = text_width(label) / 2
        anchor, label_x = "middle", tick_x
        if tick_x + half > width - 2:
            anchor, label_x = "end", tick_x + 4
        elif tick_x - half < 2:
            anchor, label_x = "start", tick_x - 4
        parts.append(
            format_html(
                '<line class="chart-tick" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text class="chart-axis-label" x="{}" y="{}" text-anchor="{}" fill="{}">{}</text>',
                n(tick_x),
                n(bottom),
                n(tick_x),
                n(bottom + 5),
                palette.FRAME,
                n(label_x),
                n(bottom + 17),
                anchor,
                palette.MUTED,
                label,
            )
        )

    parts.append(
        format_html(
            '<rect class="chart-frame" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{}" stroke-width="1"/>',
            n(left),
            n(top),
            n(end - left),
            n(bottom - top),
            palette.FRAME,
        )
    )

    coordinates = [(x(day_number(point.at)), y(point.value)) for point in points]
    labels: list[SafeString] = []
    # Reference lines: the clinical cut-off (dashed) and the baseline (dotted), each labelled where the label
    # covers no score; labels come after the scores so that their halo keeps them readable.
    coordinates_for_labels = list(coordinates)
    taken: list[tuple[float, float, float, float]] = []
    for kind, reference_value, colour, dashes in (
        ("caseness", series.caseness, palette.CASENESS, "6 4"),
        ("baseline", series.baseline, palette.BASELINE, "2 3"),
    ):
        if reference_value is None:
            continue
        line_y = y(reference_value)
        if kind == "caseness":
            label = gettext("Clinical cut-off %(value)s") % {"value": number(reference_value)}
        else:
            label = gettext("Baseline %(value)s") % {"value": number(reference_value)}
        anchor, label_x, label_y, box = _place_label(
            label,
            line_y,
            left,
            end,
            top,
            bottom,
            prefer_right=kind == "caseness",
            avoid=coordinates_for_labels,
            taken=taken,
        )
        taken.append(box)
        parts.append(
            format_html(
                '<line class="chart-{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5"'
                ' stroke-dasharray="{}"/>',
                kind,
                n(left),
                n(line_y),
                n(end),
                n(line_y),
                colour,
                dashes,
            )
        )
        labels.append(
            format_html(
                '<text class="chart-{}-label" x="{}" y="{}" text-anchor="{}" fill="{}" paint-order="stroke"'
                ' stroke="#ffffff" stroke-width="3" stroke-linejoin="round">{}</text>',
                kind,
                n(label_x),
                n(label_y),
                anchor,
                colour,
                label,
            )
        )

    # The scores: a line, then a marker per score with its own tooltip.
    if len(points) > 1:
        parts.append(
            format_html(
                '<polyline class="chart-line" points="{}" fill="none" stroke="{}" stroke-width="2"'
                ' stroke-linejoin="round" stroke-linecap="round"/>',
                " ".join(f"{n(px)},{n(py)}" for px, py in coordinates),
                palette.LINE,
            )
        )
    spacing = (end - left) / max(1, len(points) - 1) if len(points) > 1 else end - left
    size = min(5.5, max(3.5, spacing / 2))
    base = reference(series, points)
    for point, (px, py) in zip(points, coordinates, strict=True):
        parts.append(_marker(point.reliable or "", px, py, size, series, _point_title(series, point, base)))

    parts.extend(labels)

    # Legend rows under the axis.
    legend_top = bottom + AXIS + 6
    legend_parts: list[SafeString] = []
    for row_index, row in enumerate(legend):
        row_y = legend_top + row_index * LEGEND_ROW
        for entry, offset in row:
            swatch_x = left + offset
            legend_parts.append(
                format_html(
                    '<g class="chart-legend-entry chart-legend-{}">{}<text x="{}" y="{}" fill="{}">{}</text></g>',
                    entry.key,
                    _legend_swatch(entry.key, swatch_x, row_y, series),
                    n(swatch_x + 26),
                    n(row_y + 4),
                    palette.INK,
                    entry.label,
                )
            )

    return format_html(
        '<svg xmlns="{}" class="measure-chart" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMidYMid meet"'
        ' role="img" aria-labelledby="{}-title {}-desc" font-family="{}" font-size="{}" data-instrument="{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<g class="chart-body">{}</g>'
        '<g class="chart-legend">{}</g>'
        "</svg>",
        SVG_NS,
        width,
        height,
        ids,
        ids,
        FONT_FAMILY,
        FONT_SIZE,
        series.instrument,
        ids,
        series.title,
        ids,
        summary(series, points),
        join(parts),
        join(legend_parts),
    )


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


def _band_name(series: Series, value: float) -> str:
    band = band_for(series.bands, value)
    return band.label if band else gettext("outside the bands")


def _score_table(series: Series) -> SafeString:
    points = sorted_points(series)
    base = reference(series, points)
    notes = []
    if series.baseline is not None:
        notes.append(gettext("Baseline %(value)s.") % {"value": number(series.baseline)})
    if series.caseness is not None:
        notes.append(gettext("Clinical cut-off %(value)s.") % {"value": number(series.caseness)})
    notes.append(
        gettext("Lower scores are better.") if series.lower_is_better else gettext("Higher scores are better.")
    )
    score_heading = gettext("Score (%(unit)s)") % {"unit": series.unit} if series.unit else gettext("Score")
    change_heading = (
        gettext("Change from baseline") if series.baseline is not None else gettext("Change from first score")
    )
    # Without published bands the severity column would say nothing, so it is left out.
    has_bands = bool(series.bands)
    headings = [gettext("Date"), score_heading, gettext("Severity"), change_heading, gettext("Reliable change")]
    if not has_bands:
        headings.remove(gettext("Severity"))
    if points:
        rows = join(
            format_html(
                '<tr><th scope="row"><time datetime="{}">{}</time></th><td>{}</td>{}<td>{}</td><td>{}</td></tr>',
                as_date(point.at).isoformat(),
                long_date(as_date(point.at)),
                number(point.value),
                format_html("<td>{}</td>", _band_name(series, point.value)) if has_bands else format_html("{}", ""),
                signed(point.value - base) if base is not None else "",
                reliable_words(point.reliable),
            )
            for point in points
        )
    else:
        rows = format_html('<tr><td colspan="{}">{}</td></tr>', len(headings), gettext("No scores yet."))
    return format_html(
        '<table class="measure-table" data-instrument="{}"><caption>{} <span class="measure-table-note">{}</span>'
        "</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        series.instrument,
        series.title,
        " ".join(notes),
        format_html_join("", '<th scope="col">{}</th>', ((heading,) for heading in headings)),
        rows,
    )

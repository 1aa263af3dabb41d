"""Item answers over administrations as an SVG heat map, and the same answers as a table."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from . import palette
from .scales import DateTick
from .svg import FONT_FAMILY, FONT_SIZE, SVG_NS, element_id, join, language, n, text_width, truncate
from .types import ItemGrid
from .words import long_date, number, tick_label

LABEL_CHARS = 34  # longer item labels are shortened on the chart; the tooltip and the table keep them whole
ROW = 22
TOP = 24
MARGIN = 8
LEGEND = 40


def item_heatmap(grid: ItemGrid, *, width: int = 640, lang: str | None = None) -> SafeString:
    """Return an SVG heat map of item answers: a row per item, a column per administration, a tooltip per cell.

    Each cell also shows its answer as a number when there is room, so colour is never the only cue; cells of
    items that were not asked are hatched and say so.
    """
    with language(lang):
        return _item_heatmap(grid, width)


def item_heatmap_table(grid: ItemGrid, *, lang: str | None = None) -> SafeString:
    """Return the item answers as a table for screen readers: a row per item, a column per administration."""
    with language(lang):
        return _item_heatmap_table(grid)


def _item_name(number_: int, label: str) -> str:
    return gettext("%(number)s. %(label)s") % {"number": number_, "label": label}


def _item_heatmap(grid: ItemGrid, width: int) -> SafeString:
    ids = element_id("items", grid.instrument, (grid, width))
    title = gettext("%(instrument)s: answers by item") % {"instrument": grid.instrument}
    if not grid.dates or not grid.item_labels:
        message = gettext("No answers yet.")
        height = 60
        return format_html(
            '<svg xmlns="{}" class="measure-heatmap measure-chart-empty" viewBox="0 0 {} {}" width="100%"'
            ' role="img" aria-labelledby="{}-title {}-desc" font-family="{}" font-size="{}">'
            '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
            '<rect class="chart-plot" x="0.5" y="0.5" width="{}" height="{}" fill="#ffffff" stroke="{}"/>'
            '<text class="chart-message" x="{}" y="{}" text-anchor="middle" fill="{}" font-size="14">{}</text></svg>',
            SVG_NS,
            width,
            height,
            ids,
            ids,
            FONT_FAMILY,
            FONT_SIZE,
            ids,
            title,
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

    names = [_item_name(index, label) for index, label in enumerate(grid.item_labels, start=1)]
    shown = [truncate(name, LABEL_CHARS) for name in names]
    left = min(width / 2, max(60.0, 12 + max(text_width(name) for name in shown)))
    columns = len(grid.dates)
    cell = min(44.0, max(10.0, (width - left - MARGIN) / columns))
    total_width = max(float(width), left + columns * cell + MARGIN)
    height = TOP + len(names) * ROW + LEGEND
    dated = [long_date(day) for day in grid.dates]

    parts: list[SafeString] = []
    # Column labels: as many as fit without overlapping, with the year where it changes.
    widest = max(text_width(tick_label(DateTick(day, "day"), with_year=True)) for day in grid.dates)
    every = max(1, int(-(-(widest * 0.7 + 6) // cell)))
    previous_year = None
    for column in range(0, columns, every):
        day = grid.dates[column]
        label = tick_label(DateTick(day, "day"), with_year=day.year != previous_year)
        previous_year = day.year
        parts.append(
            format_html(
                '<text class="chart-axis-label" x="{}" y="{}" text-anchor="start" fill="{}">{}</text>',
                n(left + column * cell + 1),
                n(TOP - 8),
                palette.MUTED,
                label,
            )
        )

    show_numbers = cell >= 16
    for row, (name, short, values) in enumerate(zip(names, shown, grid.values, strict=True)):
        row_y = TOP + row * ROW
        parts.append(
            format_html(
                '<text class="chart-item-label" x="{}" y="{}" text-anchor="end" fill="{}"><title>{}</title>{}</text>',
                n(left - 6),
                n(row_y + ROW / 2 + 4),
                palette.INK,
                name,
                short,
            )
        )
        for column, value in enumerate(values):
            cell_x = left + column * cell
            if value is None:
                tooltip = gettext("%(item)s, %(date)s: not asked") % {"item": name, "date": dated[column]}
                parts.append(
                    format_html(
                        '<rect class="heat-cell heat-cell-not-asked" x="{}" y="{}" width="{}" height="{}"'
                        ' fill="url(#{}-hatch)" stroke="#ffffff" stroke-width="1" data-item="{}" data-column="{}">'
                        "<title>{}</title></rect>",
                        n(cell_x),
                        n(row_y),
                        n(cell),
                        ROW,
                        ids,
                        row + 1,
                        column + 1,
                        tooltip,
                    )
                )
                continue
            fill = palette.heat_colour(value, grid.max_value)
            tooltip = gettext("%(item)s, %(date)s: %(value)s") % {
                "item": name,
                "date": dated[column],
                "value": number(value),
            }
            parts.append(
                format_html(
                    '<rect class="heat-cell heat-cell-{}" x="{}" y="{}" width="{}" height="{}" fill="{}"'
                    ' stroke="#ffffff" stroke-width="1" data-item="{}" data-column="{}"><title>{}</title></rect>',
                    value,
                    n(cell_x),
                    n(row_y),
                    n(cell),
                    ROW,
                    fill,
                    row + 1,
                    column + 1,
                    tooltip,
                )
            )
            if show_numbers:
                parts.append(
                    format_html(
                        '<text class="heat-value" x="{}" y="{}" text-anchor="middle" fill="{}" aria-hidden="true">'
                        "{}</text>",
                        n(cell_x + cell / 2),
                        n(row_y + ROW / 2 + 4),
                        palette.text_on(fill),
                        number(value),
                    )
                )

    # Legend: one swatch per answer value, numbered, and the hatch for items not asked.
    legend_y = TOP + len(names) * ROW + 14
    legend_parts = [
        format_html(
            '<text x="{}" y="{}" fill="{}">{}</text>', n(left), n(legend_y + 12), palette.INK, gettext("Answer")
        )
    ]
    swatch_x = left + text_width(gettext("Answer")) + 10
    for value in range(grid.max_value + 1):
        fill = palette.heat_colour(value, grid.max_value)
        legend_parts.append(
            format_html(
                '<rect x="{}" y="{}" width="22" height="16" fill="{}"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                n(swatch_x),
                n(legend_y),
                fill,
                n(swatch_x + 11),
                n(legend_y + 12),
                palette.text_on(fill),
                number(value),
            )
        )
        swatch_x += 24
    legend_parts.append(
        format_html(
            '<rect x="{}" y="{}" width="22" height="16" fill="url(#{}-hatch)" stroke="{}" stroke-width="0.5"/>'
            '<text x="{}" y="{}" fill="{}">{}</text>',
            n(swatch_x + 10),
            n(legend_y),
            ids,
            palette.NOT_ASKED_HATCH,
            n(swatch_x + 38),
            n(legend_y + 12),
            palette.INK,
            gettext("not asked"),
        )
    )

    answered = sum(1 for values in grid.values for value in values if value is not None)
    description = gettext(
        "%(items)s items over %(count)s administrations, from %(first)s to %(last)s; answers range from 0 to "
        "%(max)s; %(answered)s of %(cells)s cells answered. The table that follows lists every answer."
    ) % {
        "items": len(names),
        "count": columns,
        "first": dated[0],
        "last": dated[-1],
        "max": grid.max_value,
        "answered": answered,
        "cells": len(names) * columns,
    }
    return format_html(
        '<svg xmlns="{}" class="measure-heatmap" viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMidYMid meet"'
        ' role="img" aria-labelledby="{}-title {}-desc" font-family="{}" font-size="{}" data-instrument="{}">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '<defs><pattern id="{}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="{}"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{}" stroke-width="1.5"/></pattern></defs>'
        '<g class="chart-body">{}</g><g class="chart-legend">{}</g></svg>',
        SVG_NS,
        n(total_width),
        height,
        ids,
        ids,
        FONT_FAMILY,
        FONT_SIZE,
        grid.instrument,
        ids,
        title,
        ids,
        description,
        ids,
        palette.NOT_ASKED,
        palette.NOT_ASKED_HATCH,
        join(parts),
        join(legend_parts),
    )


def _item_heatmap_table(grid: ItemGrid) -> SafeString:
    caption = gettext("%(instrument)s: answers by item") % {"instrument": grid.instrument}
    headings = format_html_join(
        "",
        '<th scope="col"><time datetime="{}">{}</time></th>',
        ((day.isoformat(), long_date(day)) for day in grid.dates),
    )
    not_asked = gettext("not asked")
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (
                _item_name(index, label),
                format_html_join(
                    "",
                    '<td class="{}">{}</td>',
                    (
                        ("heat-not-asked", not_asked) if value is None else ("heat-answer", number(value))
                        for value in values
                    ),
                ),
            )
            for index, (label, values) in enumerate(zip(grid.item_labels, grid.values, strict=True), start=1)
        ),
    )
    if not grid.dates:
        rows = format_html('<tr><td colspan="2">{}</td></tr>', gettext("No answers yet."))
    return format_html(
        '<table class="measure-table measure-heatmap-table" data-instrument="{}"><caption>{}</caption>'
        '<thead><tr><th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table>',
        grid.instrument,
        caption,
        gettext("Item"),
        headings,
        rows,
    )

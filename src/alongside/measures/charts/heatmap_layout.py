"""An item heat map as a layout: column labels, a row per item with a cell per administration, and a legend.

:func:`heatmap_layout` computes it from a grid; ``measures/charts/heatmap.svg`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext

from . import palette
from .layout import Frame, Message, Rect, Text
from .scales import DateTick
from .svg import FONT_FAMILY, FONT_SIZE, n, text_width, truncate
from .types import ItemGrid
from .words import long_date, number, tick_label

LABEL_CHARS = 34  # longer item labels are shortened on the chart; the tooltip and the table keep them whole
ROW = 22
TOP = 24
MARGIN = 8
LEGEND = 40
ROTATED_GAP = 13.0  # turned labels need about a line of width each
ROTATION = 60  # degrees


@dataclass(frozen=True)
class Cell:
    """One answer (or "not asked" when ``value`` is empty), with its tooltip and, room allowing, its number."""

    box: Rect
    value: str
    fill: str
    tooltip: str
    item: int
    column: int
    shown: Text | None = None
    ink: str = ""
    critical: bool = False  # the answer met the item's critical rule


@dataclass(frozen=True)
class ItemRow:
    label: Text  # the shortened label; ``name`` is the whole one, for its tooltip
    name: str
    cells: tuple[Cell, ...]
    critical: bool = False


@dataclass(frozen=True)
class Swatch:
    box: Rect
    fill: str
    text: Text
    ink: str


@dataclass(frozen=True)
class HeatmapLayout:
    frame: Frame
    columns: tuple[Text, ...]
    rows: tuple[ItemRow, ...]
    answer: Text
    swatches: tuple[Swatch, ...]
    not_asked: Swatch
    rotated: bool = False  # column labels turned, so that every date fits
    critical_key: Swatch | None = None


def item_name(number_: int, label: str) -> str:
    return gettext("%(number)s. %(label)s") % {"number": number_, "label": label}


def _title(grid: ItemGrid) -> str:
    return gettext("%(instrument)s: answers by item") % {"instrument": grid.instrument}


def _frame(grid: ItemGrid, ids: str, width: str, height: int, description: str) -> Frame:
    return Frame(ids, width, str(height), grid.instrument, _title(grid), description, FONT_FAMILY, str(FONT_SIZE))


def empty_layout(grid: ItemGrid, width: int, ids: str) -> Message:
    """A short box that says there are no answers yet."""
    message = gettext("No answers yet.")
    height = 60
    return Message(
        _frame(grid, ids, str(width), height, message),
        Rect("0.5", "0.5", str(width - 1), str(height - 1)),
        Text(n(width / 2), n(height / 2 + 5), message),
    )


def _columns(grid: ItemGrid, left: float, cell: float, top: float) -> tuple[tuple[Text, ...], bool]:
    """Column labels: every date when they fit upright; else turned, every date while a column is at least a line
    high, and every second, third... date below that. The year shows where it changes."""
    widest = max(text_width(tick_label(DateTick(day, "day"), with_year=True)) for day in grid.dates)
    every = max(1, int(-(-(widest * 0.7 + 6) // cell)))
    rotated = every > 1
    if rotated:
        every = max(1, int(-(-ROTATED_GAP // cell)))
    previous_year = None
    out = []
    for column in range(0, len(grid.dates), every):
        day = grid.dates[column]
        label = tick_label(DateTick(day, "day"), with_year=day.year != previous_year)
        previous_year = day.year
        if rotated:
            out.append(Text(n(left + column * cell + cell / 2 + 4), n(top - 6), label, "start"))
        else:
            out.append(Text(n(left + column * cell + 1), n(TOP - 8), label, "start"))
    return tuple(out), rotated


def _cell(value: int | None, name: str, day: str, box: Rect, item: int, column: int, grid: ItemGrid) -> Cell:
    if value is None:
        tooltip = gettext("%(item)s, %(date)s: not asked") % {"item": name, "date": day}
        return Cell(box, "", "", tooltip, item, column)
    fill = palette.heat_colour(value, grid.max_value)
    tooltip = gettext("%(item)s, %(date)s: %(value)s") % {"item": name, "date": day, "value": number(value)}
    critical = (item - 1, column - 1) in grid.critical_cells
    if critical:
        tooltip = gettext("%(cell)s (a critical answer)") % {"cell": tooltip}
    return Cell(box, str(value), fill, tooltip, item, column, ink=palette.text_on(fill), critical=critical)


def _rows(
    grid: ItemGrid, names: list[str], shown: list[str], left: float, cell: float, top: float = TOP
) -> tuple[ItemRow, ...]:
    """A row per item: its label (``shown``, shortened), then a cell per administration, numbered where the cell
    is wide enough."""
    dated = [long_date(day) for day in grid.dates]
    rows = []
    for row, (name, short, values) in enumerate(zip(names, shown, grid.values, strict=True)):
        row_y = top + row * ROW
        cells = []
        for column, value in enumerate(values):
            box = Rect(n(left + column * cell), n(row_y), n(cell), str(ROW))
            made = _cell(value, name, dated[column], box, row + 1, column + 1, grid)
            if value is not None and cell >= 16:
                text = Text(n(left + column * cell + cell / 2), n(row_y + ROW / 2 + 4), number(value), "middle")
                made = Cell(
                    made.box, made.value, made.fill, made.tooltip, made.item, made.column, text, made.ink, made.critical
                )
            cells.append(made)
        label = Text(n(left - 6), n(row_y + ROW / 2 + 4), short, "end")
        critical = bool(grid.critical) and grid.critical[row]
        rows.append(ItemRow(label, name, tuple(cells), critical))
    return tuple(rows)


def _legend(grid: ItemGrid, left: float, legend_y: float) -> tuple[Text, tuple[Swatch, ...], Swatch]:
    """One swatch per answer value, numbered, and the hatch for items not asked."""
    answer = gettext("Answer")
    swatch_x = left + text_width(answer) + 10
    swatches = []
    for value in range(grid.max_value + 1):
        fill = palette.heat_colour(value, grid.max_value)
        box = Rect(n(swatch_x), n(legend_y), "22", "16")
        text = Text(n(swatch_x + 11), n(legend_y + 12), number(value), "middle")
        swatches.append(Swatch(box, fill, text, palette.text_on(fill)))
        swatch_x += 24
    hatch = Swatch(
        Rect(n(swatch_x + 10), n(legend_y), "22", "16"),
        palette.NOT_ASKED_HATCH,
        Text(n(swatch_x + 38), n(legend_y + 12), gettext("not asked")),
        palette.INK,
    )
    return Text(n(left), n(legend_y + 12), answer), tuple(swatches), hatch


def _description(grid: ItemGrid, names: list[str]) -> str:
    answered = sum(1 for values in grid.values for value in values if value is not None)
    return gettext(
        "%(items)s items over %(count)s administrations, from %(first)s to %(last)s; answers range from 0 to "
        "%(max)s; %(answered)s of %(cells)s cells answered. The table that follows lists every answer."
    ) % {
        "items": len(names),
        "count": len(grid.dates),
        "first": long_date(grid.dates[0]),
        "last": long_date(grid.dates[-1]),
        "max": grid.max_value,
        "answered": answered,
        "cells": len(names) * len(grid.dates),
    }


def _names(grid: ItemGrid) -> list[str]:
    names = [item_name(index, label) for index, label in enumerate(grid.item_labels, start=1)]
    if grid.critical:
        # A critical item is marked in words as well as by its outline (never by colour alone).
        names = [
            gettext("⚠ %(item)s (critical item)") % {"item": name} if critical else name
            for name, critical in zip(names, grid.critical, strict=True)
        ]
    return names


def _critical_key(grid: ItemGrid, left: float, legend_y: float) -> Swatch | None:
    if not any(grid.critical):
        return None
    return Swatch(
        Rect(n(left), n(legend_y + 20), "22", "16"),
        palette.DETERIORATED,
        Text(n(left + 28), n(legend_y + 32), gettext("outlined: a critical answer (⚠ marks a critical item)")),
        palette.INK,
    )


def heatmap_layout(grid: ItemGrid, width: int, ids: str) -> HeatmapLayout:
    """Lay out a grid with at least one item and one administration."""
    names = _names(grid)
    shown = [truncate(name, LABEL_CHARS) for name in names]
    left = min(width / 2, max(60.0, 12 + max(text_width(name) for name in shown)))
    columns = len(grid.dates)
    cell = min(44.0, max(10.0, (width - left - MARGIN) / columns))
    total_width = max(float(width), left + columns * cell + MARGIN)
    widest = max(text_width(tick_label(DateTick(day, "day"), with_year=True)) for day in grid.dates)
    upright_every = max(1, int(-(-(widest * 0.7 + 6) // cell)))
    # Turned labels need the height of their slant above the first row.
    top = TOP if upright_every == 1 else TOP + widest * 0.87
    labels, rotated = _columns(grid, left, cell, top)
    extra = 22 if any(grid.critical) else 0
    height = top + len(names) * ROW + LEGEND + extra
    answer, swatches, not_asked = _legend(grid, left, top + len(names) * ROW + 14)
    return HeatmapLayout(
        frame=_frame(grid, ids, n(total_width), round(height), _description(grid, names)),
        columns=labels,
        rows=_rows(grid, names, shown, left, cell, top),
        answer=answer,
        swatches=swatches,
        not_asked=not_asked,
        rotated=rotated,
        critical_key=_critical_key(grid, left, top + len(names) * ROW + 14),
    )

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


@dataclass(frozen=True)
class ItemRow:
    label: Text  # the shortened label; ``name`` is the whole one, for its tooltip
    name: str
    cells: tuple[Cell, ...]


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


def _columns(grid: ItemGrid, left: float, cell: float) -> tuple[Text, ...]:
    """Column labels: as many as fit without overlapping, with the year where it changes."""
    widest = max(text_width(tick_label(DateTick(day, "day"), with_year=True)) for day in grid.dates)
    every = max(1, int(-(-(widest * 0.7 + 6) // cell)))
    previous_year = None
    out = []
    for column in range(0, len(grid.dates), every):
        day = grid.dates[column]
        label = tick_label(DateTick(day, "day"), with_year=day.year != previous_year)
        previous_year = day.year
        out.append(Text(n(left + column * cell + 1), n(TOP - 8), label, "start"))
    return tuple(out)


def _cell(value: int | None, name: str, day: str, box: Rect, item: int, column: int, grid: ItemGrid) -> Cell:
    if value is None:
        tooltip = gettext("%(item)s, %(date)s: not asked") % {"item": name, "date": day}
        return Cell(box, "", "", tooltip, item, column)
    fill = palette.heat_colour(value, grid.max_value)
    tooltip = gettext("%(item)s, %(date)s: %(value)s") % {"item": name, "date": day, "value": number(value)}
    return Cell(box, str(value), fill, tooltip, item, column, ink=palette.text_on(fill))


def _rows(grid: ItemGrid, names: list[str], shown: list[str], left: float, cell: float) -> tuple[ItemRow, ...]:
    """A row per item: its label (``shown``, shortened), then a cell per administration, numbered where the cell
    is wide enough."""
    dated = [long_date(day) for day in grid.dates]
    rows = []
    for row, (name, short, values) in enumerate(zip(names, shown, grid.values, strict=True)):
        row_y = TOP + row * ROW
        cells = []
        for column, value in enumerate(values):
            box = Rect(n(left + column * cell), n(row_y), n(cell), str(ROW))
            made = _cell(value, name, dated[column], box, row + 1, column + 1, grid)
            if value is not None and cell >= 16:
                text = Text(n(left + column * cell + cell / 2), n(row_y + ROW / 2 + 4), number(value), "middle")
                made = Cell(made.box, made.value, made.fill, made.tooltip, made.item, made.column, text, made.ink)
            cells.append(made)
        label = Text(n(left - 6), n(row_y + ROW / 2 + 4), short, "end")
        rows.append(ItemRow(label, name, tuple(cells)))
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


def heatmap_layout(grid: ItemGrid, width: int, ids: str) -> HeatmapLayout:
    """Lay out a grid with at least one item and one administration."""
    names = [item_name(index, label) for index, label in enumerate(grid.item_labels, start=1)]
    shown = [truncate(name, LABEL_CHARS) for name in names]
    left = min(width / 2, max(60.0, 12 + max(text_width(name) for name in shown)))
    columns = len(grid.dates)
    cell = min(44.0, max(10.0, (width - left - MARGIN) / columns))
    total_width = max(float(width), left + columns * cell + MARGIN)
    height = TOP + len(names) * ROW + LEGEND
    answer, swatches, not_asked = _legend(grid, left, TOP + len(names) * ROW + 14)
    return HeatmapLayout(
        frame=_frame(grid, ids, n(total_width), height, _description(grid, names)),
        columns=_columns(grid, left, cell),
        rows=_rows(grid, names, shown, left, cell),
        answer=answer,
        swatches=swatches,
        not_asked=not_asked,
    )

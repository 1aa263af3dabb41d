"""A score over time as an SVG line chart, and the same scores as a table.

:mod:`.score_layout` computes where everything goes; the templates in ``measures/charts/`` print it, escaping
every label.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from . import intervals, palette
from .scales import as_date
from .score_layout import chart_ids, empty_layout, score_layout, sorted_points
from .svg import language
from .types import Point, Series
from .words import band_for, long_date, number, reference, reliable_words, signed

__all__ = ["score_chart", "score_table", "sorted_points"]


def score_chart(series: Series, *, width: int = 640, height: int = 260, lang: str | None = None) -> SafeString:
    """Return an accessible SVG line chart of a series: bands, cut-off, baseline, scores and reliable change.

    `lang` renders the words in that language; None keeps the active one. The SVG scales to its container.
    """
    with language(lang):
        points = sorted_points(series)
        ids = chart_ids(series, width, height)
        if not points:
            context = {"c": empty_layout(series, width, height, ids), "palette": palette, "scales": True}
            return render_to_string(
                "measures/charts/message.svg", {**context, "classes": "measure-chart measure-chart-empty"}
            )
        layout = score_layout(series, points, width, height, ids)
        return render_to_string("measures/charts/score.svg", {"c": layout, "palette": palette, "iv": intervals})


def score_table(series: Series, *, lang: str | None = None) -> SafeString:
    """Return the scores of a series as a table: date, score, band, change from baseline and reliable change."""
    with language(lang):
        return render_to_string("measures/charts/score_table.html", {"t": _table(series)})


@dataclass(frozen=True)
class _Row:
    iso: str
    day: str
    score: str
    band: str
    change: str
    reliable: str
    expected: str = ""


@dataclass(frozen=True)
class _Table:
    instrument: str
    title: str
    notes: str
    headings: list[str]
    colspan: str
    has_bands: bool
    rows: list[_Row]
    empty: str
    has_expected: bool = False


def _band_name(series: Series, value: float) -> str:
    band = band_for(series.bands, value)
    return band.label if band else gettext("outside the bands")


def _notes(series: Series) -> str:
    notes = []
    if series.baseline is not None:
        notes.append(gettext("Baseline %(value)s.") % {"value": number(series.baseline)})
    if series.caseness is not None:
        notes.append(gettext("Clinical cut-off %(value)s.") % {"value": number(series.caseness)})
    notes.append(
        gettext("Lower scores are better.") if series.lower_is_better else gettext("Higher scores are better.")
    )
    title = intervals.interval_title(series)
    if title:
        notes.append(title + ".")
    return " ".join(notes)


def _expected_cell(series: Series, point: Point) -> str:
    row = intervals.expected_for(series, point.at)
    return intervals.expected_words(series, row, point.value) if row is not None else "\u2014"


def _table(series: Series) -> _Table:
    points = sorted_points(series)
    base = reference(series, points)
    score_heading = gettext("Score (%(unit)s)") % {"unit": series.unit} if series.unit else gettext("Score")
    change_heading = (
        gettext("Change from baseline") if series.baseline is not None else gettext("Change from first score")
    )
    # Without published bands the severity column would say nothing, so it is left out.
    has_bands = bool(series.bands)
    headings = [gettext("Date"), score_heading, gettext("Severity"), change_heading, gettext("Reliable change")]
    if not has_bands:
        headings.remove(gettext("Severity"))
    if series.expected:
        headings.append(series.expected_label or gettext("Expected range"))
    rows = [
        _Row(
            as_date(point.at).isoformat(),
            long_date(as_date(point.at)),
            number(point.value),
            _band_name(series, point.value) if has_bands else "",
            signed(point.value - base) if base is not None else "",
            reliable_words(point.reliable),
            _expected_cell(series, point) if series.expected else "",
        )
        for point in points
    ]
    return _Table(
        series.instrument,
        series.title,
        _notes(series),
        headings,
        str(len(headings)),
        has_bands,
        rows,
        gettext("No scores yet."),
        bool(series.expected),
    )

"""A client's progress per instrument, built for the care team's page: chart series, tables and item heat maps.

Pure functions of scores and responses already read through the selectors (which check the MEASURES scope).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import get_language

from alongside.care.models import Practice
from alongside.measures import charts, hooks, library
from alongside.measures.caseload import reliable_direction
from alongside.measures.models import MeasureResponse, MeasureScore
from alongside.measures.practice_selectors import instrument_for
from alongside.measures.services import answers_of


@dataclass(frozen=True)
class InstrumentProgress:
    """One instrument's scores over time for one client."""

    code: str
    name: str
    short_name: str
    citation: str
    reliable_change: float | None
    reliable_change_source: str
    validated: bool
    count: int
    series: charts.Series | None
    grid: charts.ItemGrid | None

    @property
    def expected_label(self) -> str:
        return self.series.expected_label if self.series and self.series.expected else ""

    @property
    def chart(self) -> SafeString | None:
        return charts.score_chart(self.series) if self.series and self.series.points else None

    @property
    def table(self) -> SafeString | None:
        return charts.score_table(self.series) if self.series and self.series.points else None

    @property
    def heatmap(self) -> SafeString | None:
        return charts.item_heatmap(self.grid) if self.grid and self.grid.dates else None

    @property
    def heatmap_table(self) -> SafeString | None:
        return charts.item_heatmap_table(self.grid) if self.grid and self.grid.dates else None


def _series(
    instrument: library.Instrument, scores: list[MeasureScore], practice: object = None, expected: bool = True
) -> charts.Series | None:
    totals = [s for s in scores if s.total is not None]
    if not instrument.has_total or not totals:
        return None
    baseline = totals[0].total
    points = tuple(
        charts.Point(
            at=s.scored_at,
            value=float(s.total or 0),
            reliable=reliable_direction(instrument.code, baseline, s.total) if index else None,
        )
        for index, s in enumerate(totals)
    )
    low = instrument.total_min if instrument.total_min is not None else min(p.value for p in points)
    high = instrument.total_max if instrument.total_max is not None else max(p.value for p in points)
    if high <= low:
        high = low + 1
    return charts.Series(
        instrument=instrument.code,
        title=instrument.short_name,
        unit="",
        min_value=float(low),
        max_value=float(high),
        bands=tuple(charts.Band(b.label, b.low, b.high) for b in instrument.bands),
        caseness=instrument.caseness_value,
        baseline=float(baseline) if baseline is not None else None,
        points=points,
        lower_is_better=not instrument.higher_is_better,
        reliable_change=instrument.reliable_change or None,
        **(_expected(practice, instrument.code, totals) if expected else {}),
    )


def _expected(practice: object, code: str, totals: list[MeasureScore]) -> dict[str, Any]:
    """The expected-response range registered for this instrument (the risk app's model), at each score."""
    intake = totals[0].total
    for hook in hooks.EXPECTED_RESPONSE:
        practice_id = getattr(practice, "pk", practice)
        found = hook(practice_id, code, float(intake or 0), len(totals))
        if found is not None:
            label, rows = found
            expected = tuple(
                charts.Expected(s.scored_at, low, median, high)
                for s, (low, median, high) in zip(totals, rows, strict=True)
            )
            return {"expected": expected, "expected_label": label}
    return {}


def _grid(instrument: library.Instrument, responses: list[MeasureResponse]) -> charts.ItemGrid | None:
    instrument = library.localized(instrument, get_language())  # a published form's wording; same items and codes
    items = [i for i in instrument.items if i.options]
    if not items or not responses:
        return None
    answered = [(r.submitted_at or r.started_at, answers_of(r)) for r in responses]
    answered.sort(key=lambda pair: pair[0])
    max_value = max((max(i.values) for i in items), default=1)
    values = tuple(tuple(answers.get(i.link_id) for _, answers in answered) for i in items)
    critical_cells = frozenset(
        (row, column)
        for row, item in enumerate(items)
        if item.critical
        for column, value in enumerate(values[row])
        if value is not None and _is_critical(instrument.code, item.link_id, value)
    )
    return charts.ItemGrid(
        instrument=instrument.code,
        # The item's wording (the issue found rows labelled "1. 1"); a printed prefix ("6a") stays in front.
        item_labels=tuple(f"{i.prefix} {i.text}" if i.prefix and i.prefix != str(i.number) else i.text for i in items),
        dates=tuple(at.date() for at, _ in answered),
        values=values,
        max_value=max(max_value, 1),
        critical=tuple(bool(i.critical) for i in items),
        critical_cells=critical_cells,
    )


def _is_critical(code: str, link_id: str, value: int) -> bool:
    try:
        return library.is_critical(code, link_id, value)
    except LookupError:  # a practice's own questionnaire has no critical rule
        return False


def progress_build(
    *,
    scores: Iterable[MeasureScore],
    responses: Iterable[MeasureResponse],
    practice: Practice | uuid.UUID | str | None = None,
    expected: bool = True,
) -> list[InstrumentProgress]:
    """Group a client's scores (oldest first) and submitted responses by instrument, in code order.

    With the client's ``practice``, its own (not validated) questionnaires are shown too. ``expected``: False leaves
    out the early-warning model's expected range (the client's own report: the warnings are for the care team).
    """
    by_code: dict[str, list[MeasureScore]] = {}
    for score in sorted(scores, key=lambda s: s.scored_at):
        by_code.setdefault(score.instrument, []).append(score)
    answers: dict[str, list[MeasureResponse]] = {}
    for response in responses:
        answers.setdefault(response.instrument, []).append(response)
    out: list[InstrumentProgress] = []
    for code in sorted(set(by_code) | set(answers)):
        try:
            instrument = instrument_for(practice, code)
        except LookupError:
            continue
        code_scores = by_code.get(code, [])
        out.append(
            InstrumentProgress(
                code=code,
                name=instrument.name,
                short_name=instrument.short_name,
                citation=instrument.citation,
                reliable_change=instrument.reliable_change,
                reliable_change_source=instrument.reliable_change_source,
                validated=instrument.validated,
                count=len(code_scores),
                series=_series(instrument, code_scores, practice, expected),
                grid=_grid(instrument, answers.get(code, [])),
            )
        )
    return out

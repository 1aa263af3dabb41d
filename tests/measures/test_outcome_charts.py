"""Outcome charts: the reliable change interval around the baseline and the expected range behind the scores."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.urls import reverse

from alongside.measures.charts import Band, Expected, Point, Series, score_chart, score_table
from alongside.measures.charts.scales import Linear
from alongside.measures.models import MeasureScore
from alongside.measures.progress import progress_build
from tests.measures.support_staff import add_history

START = date(2026, 1, 5)
BANDS = (Band("minimal", 0, 4), Band("mild", 5, 9), Band("moderate", 10, 14), Band("severe", 15, 27))


def series(values, *, baseline=18.0, rc=6.0, expected=()) -> Series:
    return Series(
        instrument="phq9",
        title="PHQ-9",
        unit="",
        min_value=0,
        max_value=27,
        bands=BANDS,
        caseness=10,
        baseline=baseline,
        points=tuple(Point(START + timedelta(days=14 * i), v) for i, v in enumerate(values)),
        reliable_change=rc,
        expected=expected,
        expected_label="Expected range, reference model" if expected else "",
    )


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in e.get("class", "").split()]


def test_interval_spans_baseline_plus_and_minus_the_reliable_change_value():
    """PHQ-9 baseline 18, reliable change 6: the shaded interval runs from 12 to 24 on the value axis."""
    root = ET.fromstring(str(score_chart(series([18, 15, 11]))))
    (box,) = by_class(root, "chart-interval")
    plot = by_class(root, "chart-plot")[0]
    top, height = float(plot.get("y")), float(plot.get("height"))
    y = Linear(0, 27, top + height, top)
    assert float(box.get("y")) == pytest.approx(y(24), abs=0.06)
    assert float(box.get("y")) + float(box.get("height")) == pytest.approx(y(12), abs=0.11)
    assert "12 to 24" in box.find("{http://www.w3.org/2000/svg}title").text
    assert len(by_class(root, "chart-interval-edge")) == 2
    assert "Reliable change interval" in "".join(root.itertext())  # in the legend and the description


def test_interval_is_clipped_to_the_scale():
    """Baseline 24 + 6 would pass the PHQ-9 maximum of 27; the interval stops at 27 and says 18 to 27."""
    root = ET.fromstring(str(score_chart(series([24, 20], baseline=24))))
    (box,) = by_class(root, "chart-interval")
    assert "18 to 27" in box.find("{http://www.w3.org/2000/svg}title").text
    assert float(box.get("y")) == pytest.approx(float(by_class(root, "chart-plot")[0].get("y")), abs=0.06)


def test_no_interval_without_a_reliable_change_value_or_baseline():
    """No published value (or no baseline): nothing is shaded and the legend does not name it."""
    for made in (series([10, 8], rc=None), series([10, 8], baseline=None)):
        text = str(score_chart(made))
        assert "chart-interval" not in text
        assert "Reliable change interval" not in text


def test_expected_range_is_drawn_and_the_table_says_where_each_score_sits():
    """The expected range is a polygon with a dashed median, and the table tells which scores sit above it."""
    rows = (
        Expected(START, 14, 18, 21),
        Expected(START + timedelta(days=14), 11, 14, 17),
        Expected(START + timedelta(days=28), 9, 12, 15),
    )
    made = series([18, 15, 17], expected=rows)
    root = ET.fromstring(str(score_chart(made)))
    (area,) = by_class(root, "chart-expected")
    assert len(area.get("points").split()) == 6  # three highs, then three lows back
    assert by_class(root, "chart-expected-median")[0].get("stroke-dasharray")
    desc = root.find("{http://www.w3.org/2000/svg}desc").text
    assert "worse than expected (expected 9 to 15)" in desc
    table = str(score_table(made))
    assert "Expected range, reference model" in table
    assert table.count("within the expected range") == 2
    assert "worse than expected" in table


@pytest.mark.django_db
def test_progress_uses_the_risk_models_expected_range_for_phq9(world):
    """The risk app registers its range: a PHQ-9 history gets the reference model's range; WHO-5 gets none."""
    add_history(world.sam, "phq9", [18, 16, 15])
    add_history(world.sam, "who5", [40, 52])
    scores = list(MeasureScore.objects.filter(client=world.sam))
    by_code = {p.code: p for p in progress_build(scores=scores, responses=[], practice=world.practice)}
    phq9 = by_code["phq9"].series
    assert phq9 is not None
    assert len(phq9.expected) == 3
    assert "reference model" in phq9.expected_label
    assert phq9.reliable_change == 6
    first, last = phq9.expected[0], phq9.expected[-1]
    assert first.low < first.median < first.high
    assert last.median < first.median  # the expected course falls with sessions
    assert by_code["who5"].series.expected == ()


@pytest.mark.django_db
def test_progress_page_draws_the_interval_and_the_expected_range(world, staff_client):
    """The care team's progress page shows the shaded interval, the grey expected range and what they mean."""
    add_history(world.sam, "phq9", [18, 16, 15])
    body = staff_client(world.alice).get(reverse("measures:progress", args=[world.sam.pk])).content.decode()
    assert 'class="chart-interval"' in body
    assert 'class="chart-expected"' in body
    assert "Jacobson and Truax" in body
    assert "reference model" in body
    assert reverse("risk:model_cards") in body
    assert " style=" not in body


def _heat_grid(days: int, *, critical: bool = True):
    from alongside.measures.charts import ItemGrid

    items = ("Little interest or pleasure in doing things", "Feeling down, depressed, or hopeless", "Item nine")
    dates = tuple(START + timedelta(days=7 * i) for i in range(days))
    values = tuple(tuple((row + column) % 4 for column in range(days)) for row in range(3))
    extra = {}
    if critical:
        cells = frozenset((2, column) for column, value in enumerate(values[2]) if value > 0)
        extra = {"critical": (False, False, True), "critical_cells": cells}
    return ItemGrid("phq9", items, dates, values, 3, **extra)


def test_heatmap_labels_every_date_up_to_a_column_a_line_wide():
    """Six weekly administrations: every date is labelled (turned); sixty: every second or third, never overlapping."""
    from alongside.measures.charts import item_heatmap

    root = ET.fromstring(str(item_heatmap(_heat_grid(6))))
    labels = by_class(root, "chart-axis-label")
    assert len(labels) == 6
    assert all(label.get("transform", "").startswith("rotate(-60") for label in labels)
    root = ET.fromstring(str(item_heatmap(_heat_grid(60))))
    xs = [float(label.get("x")) for label in by_class(root, "chart-axis-label")]
    assert 20 <= len(xs) < 60
    assert min(b - a for a, b in itertools.pairwise(xs)) >= 13


def test_heatmap_marks_critical_items_and_answers_in_words_and_outline():
    """PHQ-9 item 9 is marked critical in its label (not by colour alone); its answers above 0 are outlined and
    their tooltips and table cells say 'critical answer'."""
    from alongside.measures.charts import item_heatmap, item_heatmap_table

    grid = _heat_grid(4)
    root = ET.fromstring(str(item_heatmap(grid)))
    (label,) = by_class(root, "chart-item-critical")
    assert "critical item" in label.find("{http://www.w3.org/2000/svg}title").text
    outlined = [c for c in by_class(root, "heat-cell") if c.get("stroke-width") == "3"]
    assert len(outlined) == len(grid.critical_cells) == 3
    assert all("critical answer" in c.find("{http://www.w3.org/2000/svg}title").text for c in outlined)
    assert by_class(root, "heat-critical-key")
    table = str(item_heatmap_table(grid))
    assert table.count("(critical answer)") == 3
    assert "\u26a0 3. Item nine (critical item)" in table


@pytest.mark.django_db
def test_progress_heat_map_shows_item_wording_and_item_nine(world):
    """The progress page's PHQ-9 heat map names each item by its wording and flags item 9's positive answer."""
    from alongside.measures.models import MeasureResponse
    from tests.measures.support_staff import add_score

    answers = {f"phq9-{n}": 1 for n in range(1, 10)}
    add_score(world.sam, "phq9", 9, days_ago=7, answers={**answers, "phq9-9": 0})
    add_score(world.sam, "phq9", 10, days_ago=0, answers=answers)
    (phq9,) = progress_build(
        scores=MeasureScore.objects.filter(client=world.sam),
        responses=MeasureResponse.objects.filter(client=world.sam),
        practice=world.practice,
    )
    grid = phq9.grid
    assert grid.item_labels[0] == "Little interest or pleasure in doing things"
    assert grid.critical[8] is True
    assert grid.critical_cells == frozenset({(8, 1)})
    assert "1. 1" not in str(phq9.heatmap)


@pytest.mark.django_db
def test_expected_range_names_the_practices_own_model_once_one_is_active(world):
    """With an active, trusted model fitted for the practice, the range is drawn from it and labelled as the
    practice's model; another practice keeps the reference model."""
    from django.utils import timezone

    from alongside.risk.active import reference
    from alongside.risk.artifacts import digest
    from alongside.risk.expected import expected_range
    from alongside.risk.models import ModelKind, PracticeModel

    models = {ModelKind.NOT_ON_TRACK: reference().not_on_track, ModelKind.DROPOUT: reference().dropout}
    for kind, model in models.items():
        sha = digest(model)
        PracticeModel.objects.create(
            practice=world.practice,
            kind=kind,
            model=model,
            evaluation={"passed": True, "model_sha256": sha},
            model_sha256=sha,
            card="card",
            fitted_at=timezone.now(),
            active=True,
        )
    label, rows = expected_range(world.practice.pk, "phq9", 18, 3)
    assert "this practice's model" in label
    assert len(rows) == 3
    other_label, _rows = expected_range(world.other_practice.pk, "phq9", 18, 3)
    assert "reference model" in other_label

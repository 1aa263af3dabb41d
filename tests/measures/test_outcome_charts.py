"""Outcome charts: the reliable change interval around the baseline and the expected range behind the scores."""

from __future__ import annotations

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

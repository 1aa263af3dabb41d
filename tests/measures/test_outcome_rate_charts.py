"""Practice outcome charts: recovery, reliable improvement and deterioration by quarter, with 95% intervals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alongside.measures.outcome_charts import outcome_charts
from alongside.measures.practice_outcomes import outcome_report
from tests.measures.test_outcomes_practice import outcomes_world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_three_charts_over_the_quarters_with_their_counts(outcomes_world):  # noqa: F811
    """Q1 2025: 1 of 2 recovered, Q2: nobody at caseness, so no recovery point; improvement 1 of 2 in each quarter;
    deterioration 0 of 2 then 1 of 2. Each point's tooltip gives its Wilson interval."""
    charts = {c.key: c for c in outcome_charts(outcome_report(practice=outcomes_world.practice).by_quarter)}
    assert list(charts) == ["recovery", "reliable_improvement", "reliable_deterioration"]
    recovery = str(charts["recovery"].chart)
    assert recovery.count('class="chart-point"') == 1
    assert "1 of 2 (50%; 95 per cent interval 9% to 91%)" in recovery
    assert str(charts["reliable_improvement"].chart).count('class="chart-point"') == 2
    assert "0 of 2 (0%" in str(charts["reliable_deterioration"].chart)
    assert "Quarter starting" in str(charts["recovery"].table)


def test_outcomes_page_draws_the_charts(outcomes_world, staff_client):  # noqa: F811
    """The admin's outcomes page shows the three charts with their tables before the tables by group."""
    body = staff_client(outcomes_world.admin).get(reverse("measures:outcomes")).content.decode()
    assert body.count('class="measure-chart rate-chart"') == 3
    assert "Recovery by quarter" in body
    assert body.index("Over time") < body.index("Whole practice")
    assert " style=" not in body

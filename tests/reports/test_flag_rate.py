"""The flag rate over time on the early-warnings page: the share of a clinician's clients in care with a warning."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.measures.charts.rate import Share, rate_chart, rate_table, wilson
from alongside.risk.flag_rate import flag_rate
from alongside.risk.services import client_risk_refresh
from tests.measures.support_staff import add_score


def test_wilson_interval_matches_published_figures():
    """Wilson's 95% interval for 1 of 10 is 1.8% to 40.4%; 0 of 10 starts at 0; an empty week is uninformative."""
    low, high = wilson(1, 10)
    assert low == pytest.approx(0.0179, abs=1e-4)
    assert high == pytest.approx(0.4042, abs=1e-4)
    assert wilson(0, 10)[0] == 0
    assert wilson(0, 0) == (0.0, 1.0)


def test_rate_chart_draws_a_point_and_whisker_per_week_with_clients():
    """Three weeks, one without clients: two points with whiskers and tooltips; the table lists all three."""
    shares = [Share(date(2026, 11, 2), 1, 4), Share(date(2026, 11, 9), 0, 0), Share(date(2026, 11, 16), 2, 5)]
    root = ET.fromstring(str(rate_chart(shares, title="Flagged", what="clients with a warning")))
    points = [e for e in root.iter() if e.get("class") == "chart-point"]
    assert len(points) == 2
    assert len([e for e in root.iter() if e.get("class") == "chart-whisker"]) == 2
    assert "1 of 4 (25%" in points[0].find("{http://www.w3.org/2000/svg}title").text
    assert "Latest: 2 of 5 clients with a warning (40%)" in root.find("{http://www.w3.org/2000/svg}desc").text
    table = str(rate_table(shares, caption="Flagged", count_heading="With a warning", total_heading="In care"))
    assert table.count("<tr>") == 4
    assert "\u2014" in table  # the empty week


@pytest.mark.django_db
def test_flag_rate_counts_clients_in_care_and_flags_a_worsening_client(world):
    """Sam's PHQ-9 rises from 15 to 24 over five weeks: he counts from his intake week on and is flagged at the end (no check-ins either)."""
    for days_ago, total in ((35, 15), (21, 18), (7, 22), (0, 24)):
        add_score(world.sam, "phq9", total, days_ago=days_ago)
    client_risk_refresh(client=world.sam, now=timezone.now())  # as the after-commit task does
    shares = flag_rate(user=world.alice, now=timezone.now())
    assert len(shares) == 12
    assert [s.total for s in shares] == [0] * 6 + [1] * 6
    assert shares[-1].count == 1
    assert flag_rate(user=world.bob, now=timezone.now())[-1].total == 0  # not on Bob's care team


@pytest.mark.django_db
def test_early_warnings_page_shows_the_flag_rate_chart_and_table(world, staff_client):
    """The page draws the weekly share as an SVG with its table; without clients in care it says so."""
    web = staff_client(world.alice)
    body = web.get(reverse("risk:flagged")).content.decode()
    assert "No client of yours has been in care" in body
    for days_ago, total in ((35, 15), (21, 18), (7, 22), (0, 24)):
        add_score(world.sam, "phq9", total, days_ago=days_ago)
    client_risk_refresh(client=world.sam, now=timezone.now())
    body = web.get(reverse("risk:flagged")).content.decode()
    assert 'class="measure-chart rate-chart"' in body
    assert "rate-table" in body
    assert "Warnings over time" in body
    assert " style=" not in body

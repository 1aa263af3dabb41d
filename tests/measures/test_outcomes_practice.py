"""Practice outcomes: NHS Talking Therapies rates over finished episodes, by primary clinician and quarter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from alongside.care.models import Episode
from alongside.measures.practice_outcomes import outcome_report, quarter_of
from tests import factories
from tests.measures.support_staff import add_score

pytestmark = pytest.mark.django_db


def _episode(world, name, *, clinician, start, end, phq9=None, gad7=None, shares=True):
    client = factories.client(
        world.practice, clinicians=(clinician,), name=name, scopes=("measures",) if shares else ()
    )
    Episode.objects.create(client=client, started_on=start, ended_on=end, end_reason="completed" if end else "")
    last = dt.datetime.combine(end or start + dt.timedelta(days=60), dt.time(12), tzinfo=dt.UTC)
    first = dt.datetime.combine(start, dt.time(12), tzinfo=dt.UTC)
    for code, pair in (("phq9", phq9), ("gad7", gad7)):
        if pair:
            add_score(client, code, pair[0], now=first)
            add_score(client, code, pair[1], now=last)
    # A score after the episode ended is not part of it.
    add_score(client, "phq9", 27, now=last + dt.timedelta(days=30))
    return client


@pytest.fixture
def outcomes_world(world):
    world.alice.name, world.bob.name = "Alice", "Bob"
    world.alice.save(update_fields=["name"])
    world.bob.save(update_fields=["name"])
    jan, apr = dt.date(2025, 1, 6), dt.date(2025, 4, 1)
    _episode(world, "A", clinician=world.alice, start=jan, end=dt.date(2025, 3, 15), phq9=(15, 5), gad7=(12, 4))
    _episode(world, "B", clinician=world.alice, start=jan, end=dt.date(2025, 2, 10), phq9=(12, 11), gad7=(9, 9))
    _episode(world, "C", clinician=world.alice, start=apr, end=dt.date(2025, 5, 1), phq9=(8, 2), gad7=(5, 3))
    _episode(world, "D", clinician=world.bob, start=apr, end=dt.date(2025, 5, 20), phq9=(6, 14), gad7=(6, 6))
    _episode(world, "E", clinician=world.bob, start=apr, end=dt.date(2025, 5, 20), phq9=(20, 5))  # no GAD-7
    _episode(
        world, "F", clinician=world.bob, start=jan, end=dt.date(2025, 3, 1), phq9=(20, 2), gad7=(15, 2), shares=False
    )
    _episode(world, "G", clinician=world.alice, start=jan, end=None, phq9=(20, 2), gad7=(15, 2))  # still open
    return world


def _rates(group):
    return [(r.numerator, r.denominator) for r in group.rates]


def test_practice_rates_on_a_hand_made_set(outcomes_world) -> None:
    """A recovers reliably, B does not change, C improves from below caseness, D deteriorates.

    Recovery counts only A and B (at caseness at the start); improvement and deterioration count all four.
    E has no GAD-7, F does not share questionnaires and G has not ended: none of them is counted.
    """
    report = outcome_report(practice=outcomes_world.practice)
    assert (report.finished, report.practice.episodes, report.unpaired, report.not_shared) == (6, 4, 1, 1)
    # recovery, reliable improvement, reliable recovery, reliable deterioration
    assert _rates(report.practice) == [(1, 2), (2, 4), (1, 2), (1, 4)]
    assert report.practice.recovery.percent == 50
    by_clinician = {g.label: _rates(g) for g in report.by_clinician}
    assert by_clinician[outcomes_world.alice.name] == [(1, 2), (2, 3), (1, 2), (0, 3)]
    assert by_clinician[outcomes_world.bob.name] == [(0, 0), (0, 1), (0, 0), (1, 1)]
    by_quarter = {g.label: _rates(g) for g in report.by_quarter}
    assert by_quarter == {"2025 Q1": [(1, 2), (1, 2), (1, 2), (0, 2)], "2025 Q2": [(0, 0), (1, 2), (0, 0), (1, 2)]}


def test_quarters() -> None:
    """Quarters are calendar quarters of the day the episode ended."""
    assert [quarter_of(dt.date(2025, m, 1)) for m in (1, 3, 4, 9, 10, 12)] == [
        "2025 Q1",
        "2025 Q1",
        "2025 Q2",
        "2025 Q3",
        "2025 Q4",
        "2025 Q4",
    ]


def test_outcomes_page_is_for_admins_with_denominators(outcomes_world, staff_client) -> None:
    """The admin sees rates with their denominators; a clinician is refused (403)."""
    response = staff_client(outcomes_world.admin).get(reverse("measures:outcomes"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "50% (1 of 2)" in body
    assert "25% (1 of 4)" in body
    assert "2025 Q2" in body
    assert staff_client(outcomes_world.alice).get(reverse("measures:outcomes")).status_code == 403

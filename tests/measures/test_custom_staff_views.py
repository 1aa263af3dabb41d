"""A practice's own questionnaire shows its scores on the staff progress page and caseload, labelled not validated."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.measures import services
from alongside.safety.models import CriticalAlert
from tests.measures.support_staff import add_history, add_score
from tests.measures.test_practice_pages import questionnaire

pytestmark = pytest.mark.django_db
CODE = "customsleepcheck"


def _import(world) -> None:
    services.custom_instrument_import(
        actor=world.admin, practice=world.practice, raw=json.dumps(questionnaire()).encode()
    )


def test_custom_scores_appear_on_progress_with_the_badge(world, staff_client) -> None:
    """Alice sees Sam's scores on the practice's sleep check, with the not-validated label."""
    _import(world)
    add_history(world.sam, CODE, [1, 3])
    body = staff_client(world.alice).get(reverse("measures:progress", args=[world.sam.pk])).content.decode()
    assert f'id="instrument-{CODE}"' in body
    assert "Sleep check" in body
    assert "not validated" in body


def test_shipped_instruments_carry_no_badge_on_progress(world, staff_client) -> None:
    """A PHQ-9 alone is not labelled not validated."""
    add_history(world.sam, "phq9", [12, 8])
    body = staff_client(world.alice).get(reverse("measures:progress", args=[world.sam.pk])).content.decode()
    assert "not validated" not in body


def test_custom_scores_on_the_caseload_with_the_badge_and_no_extra_query(world, staff_client) -> None:
    """The caseload shows the custom score with its label; importing a second questionnaire costs no query."""
    web = staff_client(world.alice)
    _import(world)
    add_history(world.sam, CODE, [1, 3])
    web.get(reverse("care:caseload"))  # the first page of a session reads more (session, caches)
    with CaptureQueriesContext(connection) as one:
        body = web.get(reverse("care:caseload")).content.decode()
    assert "Sleep check" in body
    assert "not validated" in body
    services.custom_instrument_import(
        actor=world.admin,
        practice=world.practice,
        raw=json.dumps(questionnaire(id="mood-check", title="Mood check")).encode(),
    )
    with CaptureQueriesContext(connection) as two:
        web.get(reverse("care:caseload"))
    assert len(one) == len(two)


def test_the_caseload_reads_the_practice_questionnaires_only_when_a_score_or_alert_names_one(world) -> None:
    """No custom code in sight: no read of the practice's questionnaires; a custom score or alert: one read."""
    from alongside.dashboards.caseload import caseload_for

    def custom_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            caseload_for(user=world.alice)
        return sum("measures_custominstrument" in q["sql"] for q in queries.captured_queries)

    _import(world)
    add_history(world.sam, "phq9", [14, 9])
    assert custom_reads() == 0
    score = add_score(world.sam, CODE, 3)
    assert custom_reads() == 1
    CriticalAlert.objects.create(client=world.sam, response=score.response, instrument=CODE, items=[1])
    assert custom_reads() == 1


def test_a_custom_alert_is_named_on_the_caseload_and_another_practice_code_is_not_shown(world) -> None:
    """The reason names the practice's questionnaire; a score under a code only another practice defines is left out."""
    from alongside.dashboards.caseload import caseload_for
    from alongside.measures.models import MeasureScoreSummary

    _import(world)
    score = add_score(world.sam, CODE, 3)
    CriticalAlert.objects.create(client=world.sam, response=score.response, instrument=CODE, items=[1])
    add_score(world.sam, "otherpracticecode", 2)
    assert MeasureScoreSummary.objects.filter(client=world.sam, instrument="otherpracticecode").exists()
    row = next(r for r in caseload_for(user=world.alice).rows if r.client.pk == world.sam.pk)
    assert "Sleep check" in row.measures.reason
    assert set(row.measures.summaries) == {CODE}
    assert row.measures.summaries[CODE].validated is False


def test_alert_on_a_custom_questionnaire_is_named(world, staff_client) -> None:
    """An alert on the practice's own questionnaire shows its name and label, not the bare code."""
    _import(world)
    score = add_score(world.sam, CODE, 3)
    alert = CriticalAlert.objects.create(client=world.sam, response=score.response, instrument=CODE, items=[1])
    body = staff_client(world.alice).get(reverse("measures:alert_detail", args=[alert.pk])).content.decode()
    assert "Sleep check" in body
    assert "not validated" in body

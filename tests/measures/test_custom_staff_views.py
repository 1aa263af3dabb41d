"""A practice's own questionnaire shows its scores on the staff progress page and caseload, labelled not validated."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alongside.measures import services
from alongside.measures.models import CriticalAlert
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


def test_alert_on_a_custom_questionnaire_is_named(world, staff_client) -> None:
    """An alert on the practice's own questionnaire shows its name and label, not the bare code."""
    _import(world)
    score = add_score(world.sam, CODE, 3)
    alert = CriticalAlert.objects.create(client=world.sam, response=score.response, instrument=CODE, items=[1])
    body = staff_client(world.alice).get(reverse("measures:alert_detail", args=[alert.pk])).content.decode()
    assert "Sleep check" in body
    assert "not validated" in body

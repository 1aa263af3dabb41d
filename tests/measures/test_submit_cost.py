"""What a questionnaire submission reads back (issue #11: submissions were among the heavy requests under load)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.measures.models import MeasureScore
from tests.measures.support_measures import measures_library, phq9_answers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]
BACKEND = "alongside.accounts.backends.EmailBackend"


def _post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def _reads_of(queries, table):
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]]


def test_a_fresh_submission_answers_with_the_score_it_saved(client, world):
    """Sam's submission answers with the score just saved, without reading it back; the answer matches the stored
    score and a retry (which reads it) answers the same."""
    client.force_login(world.sam.user, backend=BACKEND)
    rid = _post(client, "/api/v1/measures/responses", {"instrument": "phq9", "idempotency_key": "cost-key-01"})
    rid = rid.json()["id"]
    body = {"idempotency_key": "cost-key-01", "answers": phq9_answers(item9=0)}
    with CaptureQueriesContext(connection) as queries:
        first = _post(client, f"/api/v1/measures/responses/{rid}/submit", body)
    assert first.status_code == 200, first.content
    assert _reads_of(queries.captured_queries, "measures_measurescore") == []
    # The alert table is still read once: an alert raised while Sam was answering would be answered with.
    assert len(_reads_of(queries.captured_queries, "measures_criticalalert")) == 1
    stored = MeasureScore.objects.get(response_id=rid)
    assert first.json()["score"]["total"] == stored.total
    assert first.json()["critical"] is False
    again = _post(client, f"/api/v1/measures/responses/{rid}/submit", body)
    assert again.json()["replayed"] is True
    assert again.json()["score"] == first.json()["score"]


def test_a_critical_submission_answers_with_the_alert_it_raised(client, world):
    """A submission that raises the critical alert answers with it and its crisis resources, without looking the
    alert up again; the retry finds the same alert."""
    client.force_login(world.sam.user, backend=BACKEND)
    rid = _post(client, "/api/v1/measures/responses", {"instrument": "phq9", "idempotency_key": "cost-key-02"})
    rid = rid.json()["id"]
    body = {"idempotency_key": "cost-key-02", "answers": phq9_answers(item9=2)}
    first = _post(client, f"/api/v1/measures/responses/{rid}/submit", body).json()
    assert first["critical"] is True
    assert first["crisis_resources"]
    again = _post(client, f"/api/v1/measures/responses/{rid}/submit", body).json()
    assert (again["replayed"], again["critical"], again["score"]) == (True, True, first["score"])

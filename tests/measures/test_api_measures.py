"""The measures API: answering, idempotent submit, scores and alerts, with the access rules of the app."""

from __future__ import annotations

import json

import pytest

from alongside.consent.services import scopes_set
from alongside.measures import services
from alongside.measures.models import MeasureResponse, MeasureScore
from alongside.safety.models import CriticalAlert
from tests.measures.support_measures import measures_library, phq9_answers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]
BACKEND = "alongside.accounts.backends.EmailBackend"


def _json(client, method, path, body=None):
    return getattr(client, method)(path, data=json.dumps(body or {}), content_type="application/json")


def _as_sam(client, world):
    client.force_login(world.sam.user, backend=BACKEND)
    return client


def _start(client, key="api-key-0001"):
    return _json(client, "post", "/api/v1/measures/responses", {"instrument": "phq9", "idempotency_key": key})


def test_client_answers_item_by_item_and_submits(client, world):
    """Sam starts, answers item by item (critical answer returns crisis lines at once), submits and gets a score."""
    _as_sam(client, world)
    started = _start(client)
    assert started.status_code == 200
    rid = started.json()["id"]
    for link_id, value in phq9_answers(item9=1).items():
        saved = _json(client, "put", f"/api/v1/measures/responses/{rid}/answers/{link_id}", {"value": value})
        assert saved.status_code == 200, saved.content
    assert saved.json()["response"]["answers"]["phq9-9"] == 1
    critical = _json(client, "put", f"/api/v1/measures/responses/{rid}/answers/phq9-9", {"value": 1}).json()
    assert critical["critical"] is True
    assert critical["crisis_resources"]
    submitted = _json(client, "post", f"/api/v1/measures/responses/{rid}/submit", {"idempotency_key": "api-key-0001"})
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["score"]["total"] == 9
    assert body["critical"] is True
    assert body["replayed"] is False
    assert CriticalAlert.objects.filter(response_id=rid).count() == 1


def test_submit_is_idempotent(client, world):
    """Starting and submitting again with the same key returns the same response and score; nothing is duplicated."""
    _as_sam(client, world)
    rid = _start(client, "retry-key-01").json()["id"]
    assert _start(client, "retry-key-01").json()["id"] == rid
    payload = {"idempotency_key": "retry-key-01", "answers": phq9_answers(item9=2)}
    first = _json(client, "post", f"/api/v1/measures/responses/{rid}/submit", payload).json()
    second = _json(client, "post", f"/api/v1/measures/responses/{rid}/submit", payload).json()
    assert second["replayed"] is True
    assert second["score"] == first["score"]
    assert MeasureResponse.objects.count() == 1
    assert MeasureScore.objects.count() == 1
    assert CriticalAlert.objects.count() == 1
    wrong = _json(client, "post", f"/api/v1/measures/responses/{rid}/submit", {"idempotency_key": "another-key-9"})
    assert wrong.status_code == 422


def test_bad_answers_are_refused_with_a_message_and_change_nothing(client, world):
    """An out-of-range value, an unknown item, an item skipped by branching and an incomplete submit are 422."""
    _as_sam(client, world)
    rid = _start(client).json()["id"]
    path = f"/api/v1/measures/responses/{rid}/answers"
    _json(client, "put", f"{path}/phq9-1", {"value": 2})
    before = MeasureResponse.objects.get(pk=rid).answers_sealed
    for link_id, value in (("phq9-1", 7), ("phq9-1", -1), ("nope", 1), ("phq9-1", True)):
        refused = _json(client, "put", f"{path}/{link_id}", {"value": value})
        assert refused.status_code == 422, (link_id, value, refused.content)
        assert refused.json()["detail"]
    incomplete = _json(client, "post", f"/api/v1/measures/responses/{rid}/submit", {"idempotency_key": "api-key-0001"})
    assert incomplete.status_code == 422
    assert "9" in incomplete.json()["detail"] or "answer" in incomplete.json()["detail"].lower()
    response = MeasureResponse.objects.get(pk=rid)
    assert response.answers_sealed == before
    assert response.answers == {"phq9-1": 2}
    assert response.status == "in_progress"
    assert not MeasureScore.objects.exists()


def test_branching_item_refused_while_it_does_not_apply(client, world):
    """PHQ-9's difficulty item is refused while the total is 0, and accepted once it is above 0."""
    _as_sam(client, world)
    rid = _start(client).json()["id"]
    path = f"/api/v1/measures/responses/{rid}/answers"
    assert _json(client, "put", f"{path}/phq9-10", {"value": 1}).status_code == 422
    assert _json(client, "put", f"{path}/phq9-2", {"value": 1}).status_code == 200
    assert _json(client, "put", f"{path}/phq9-10", {"value": 1}).status_code == 200


def _sams_alert(world) -> CriticalAlert:
    response = services.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key="fixture-key-1"
    )
    services.response_submit(actor=world.sam.user, response_id=response.pk, answers=phq9_answers(item9=1))
    return CriticalAlert.objects.get(response=response)


def test_clinician_reads_scores_and_acknowledges_alert(client, staff_client, world):
    """Alice sees Sam's scores and open alert, and acknowledges it with a note (a note is required)."""
    alert = _sams_alert(world)
    staff_client(world.alice)
    scores = client.get(f"/api/v1/clients/{world.sam.pk}/scores")
    assert scores.status_code == 200
    assert [s["instrument"] for s in scores.json()] == ["phq9"]
    assert [a["id"] for a in client.get("/api/v1/alerts").json()] == [str(alert.pk)]
    path = f"/api/v1/alerts/{alert.pk}/acknowledge"
    assert _json(client, "post", path, {"note": "  "}).status_code == 422
    done = _json(client, "post", path, {"note": "Phoned Sam, safe, plan agreed."})
    assert done.status_code == 200
    assert done.json()["status"] == "acknowledged"
    assert client.get("/api/v1/alerts").json() == []


@pytest.mark.parametrize("who", ["bob", "carol", "other_client"])
def test_outsiders_cannot_read_scores_or_alerts_or_answer_for_sam(client, staff_client, world, who):
    """Bob (off the team), Carol (other practice) and another client get 404 for Sam's scores, alert and response."""
    alert = _sams_alert(world)
    response = services.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key="open-key-01"
    )
    user = world.other_client.user if who == "other_client" else getattr(world, who)
    if user.is_client:
        client.force_login(user, backend=BACKEND)
    else:
        staff_client(user)
    assert client.get(f"/api/v1/clients/{world.sam.pk}/scores").status_code == 404
    assert client.get("/api/v1/alerts").json() == []
    assert _json(client, "post", f"/api/v1/alerts/{alert.pk}/acknowledge", {"note": "x"}).status_code == 404
    start = _json(
        client,
        "post",
        "/api/v1/measures/responses",
        {"instrument": "phq9", "idempotency_key": "intruder-01", "client_id": str(world.sam.pk)},
    )
    assert start.status_code == 404
    put = _json(client, "put", f"/api/v1/measures/responses/{response.pk}/answers/phq9-1", {"value": 3})
    assert put.status_code == 404
    submit = _json(
        client,
        "post",
        f"/api/v1/measures/responses/{response.pk}/submit",
        {"idempotency_key": "open-key-01", "answers": phq9_answers()},
    )
    assert submit.status_code == 404
    response.refresh_from_db()
    assert response.answers == {}
    assert response.status == "in_progress"


def test_anonymous_is_refused(client, world):
    """Without signing in, every measures route answers 401."""
    assert client.get("/api/v1/measures/due").status_code == 401
    assert client.get("/api/v1/alerts").status_code == 401
    assert client.get(f"/api/v1/clients/{world.sam.pk}/scores").status_code == 401


def test_revoked_measures_scope_hides_scores_at_once(client, staff_client, world):
    """When Sam stops sharing measures, Alice's next request for the scores is refused (404)."""
    _sams_alert(world)
    staff_client(world.alice)
    assert client.get(f"/api/v1/clients/{world.sam.pk}/scores").status_code == 200
    scopes_set(client=world.sam, scopes={"measures": False}, actor=world.sam.user)
    assert client.get(f"/api/v1/clients/{world.sam.pk}/scores").status_code == 404


def test_routes_are_in_the_openapi_document(client, world):
    """The measures routes are described in /api/v1/openapi.json."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/measures/due",
        "/api/v1/measures/responses",
        "/api/v1/measures/responses/{response_id}/answers/{link_id}",
        "/api/v1/measures/responses/{response_id}/submit",
        "/api/v1/clients/{client_id}/scores",
        "/api/v1/alerts",
        "/api/v1/alerts/{alert_id}/acknowledge",
    ):
        assert path in paths

"""Exercise API: create entries and practice logs idempotently, refuse bad data, and the care team's scoped view."""

from __future__ import annotations

import pytest

from alongside.accounts import tokens
from alongside.consent.services import scopes_set
from alongside.selfcare.models import ExerciseEntry, PracticeLog

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/selfcare/entries"
LOGS = "/api/v1/selfcare/practice-logs"
LADDER = {"goal": "Ride the bus", "steps": [{"id": "s1", "text": "Bus stop", "suds": 30}]}


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='test').plain}"}


def _post(client, url, headers, body, key="api-entry-0001"):
    return client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **headers)


def test_idempotent_create_of_entries_and_practice_logs(client, world):
    """The same key returns the same entry and the same practice log; the client lists them."""
    headers = _auth(world.sam.user)
    first = _post(client, ENTRIES, headers, {"kind": "exposure_hierarchy", "data": LADDER, "complete": True})
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "complete"
    again = _post(client, ENTRIES, headers, {"kind": "exposure_hierarchy", "data": LADDER, "complete": True})
    assert again.json()["id"] == first.json()["id"]
    assert ExerciseEntry.objects.count() == 1
    body = {
        "entry_id": first.json()["id"],
        "kind": "exposure",
        "step_id": "s1",
        "rating_before": 40,
        "rating_peak": 60,
        "rating_after": 20,
    }
    log = _post(client, LOGS, headers, body, key="api-log-0001")
    assert log.status_code == 201, log.content
    assert _post(client, LOGS, headers, body, key="api-log-0001").json()["id"] == log.json()["id"]
    assert PracticeLog.objects.count() == 1
    listed = client.get(ENTRIES, **headers).json()
    assert [e["id"] for e in listed] == [first.json()["id"]]
    assert listed[0]["practice_logs"][0]["rating_peak"] == 60


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "thought_record", "data": {"mood": 3}},
        {"kind": "thought_record", "data": {"balanced_belief": 101}},
        {"kind": "thought_record", "data": {"situation": "x"}, "complete": True},
        {"kind": "thought_record", "colour": "blue"},
        {"kind": "diary"},
    ],
)
def test_invalid_entries_change_nothing(client, world, body):
    """Unknown fields, out-of-range ratings and missing parts on completion get 422 and save nothing."""
    assert _post(client, ENTRIES, _auth(world.sam.user), body).status_code == 422
    assert ExerciseEntry.objects.count() == 0


def test_out_of_range_suds_refused(client, world):
    """A peak SUDS of 101 is refused with 422 and nothing is logged."""
    headers = _auth(world.sam.user)
    entry = _post(client, ENTRIES, headers, {"kind": "exposure_hierarchy", "data": LADDER}).json()
    body = {
        "entry_id": entry["id"],
        "kind": "exposure",
        "step_id": "s1",
        "rating_before": 1,
        "rating_peak": 101,
        "rating_after": 1,
    }
    assert _post(client, LOGS, headers, body, key="api-log-0002").status_code == 422
    assert PracticeLog.objects.count() == 0


def test_care_team_list_needs_exercises_scope_and_outsiders_get_404(client, world):
    """Alice lists Sam's entries while EXERCISES is shared; after revoking, 404; Bob and Carol always 404."""
    _post(client, ENTRIES, _auth(world.sam.user), {"kind": "exposure_hierarchy", "data": LADDER})
    url = f"/api/v1/clients/{world.sam.pk}/entries"
    listed = client.get(url, **_auth(world.alice))
    assert listed.status_code == 200
    assert listed.json()[0]["data"]["goal"] == "Ride the bus"
    for outsider in (world.bob, world.carol):
        assert client.get(url, **_auth(outsider)).status_code == 404
    scopes_set(client=world.sam, scopes={"exercises": False}, actor=world.sam.user)
    assert client.get(url, **_auth(world.alice)).status_code == 404

"""Check-in API: create with an idempotency key, list one's own, and the care team's scoped view."""

from __future__ import annotations

import pytest

from alongside.accounts import tokens
from alongside.consent.services import scopes_set
from alongside.selfcare.models import CheckIn

pytestmark = pytest.mark.django_db

URL = "/api/v1/selfcare/checkins"


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='test').plain}"}


def _post(client, headers, body, key="api-key-0001"):
    return client.post(URL, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **headers)


def test_create_with_token_and_header_key(client, world):
    """A client creates a check-in with a token; a retry with the same key returns the same one."""
    headers = _auth(world.sam.user)
    body = {"mood": 6, "emotions": [{"name": "calm", "intensity": 4}], "sleep_hours": 7.5}
    first = _post(client, headers, body)
    assert first.status_code == 201, first.content
    again = _post(client, headers, body)
    assert again.json()["id"] == first.json()["id"]
    assert CheckIn.objects.count() == 1
    listed = client.get(URL, **headers).json()
    assert [c["id"] for c in listed] == [first.json()["id"]]


def test_key_in_body_works_and_missing_key_refused(client, world):
    """The key may be in the body; without any key nothing is saved (422)."""
    headers = _auth(world.sam.user)
    ok = client.post(URL, {"mood": 3, "idempotency_key": "body-key-01"}, content_type="application/json", **headers)
    assert ok.status_code == 201
    missing = client.post(URL, {"mood": 3}, content_type="application/json", **headers)
    assert missing.status_code == 422
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize(
    "body", [{"mood": 11}, {"mood": 5, "colour": "blue"}, {"mood": "high"}, {"mood": 5, "activities": ["x"]}]
)
def test_invalid_payload_changes_nothing(client, world, body):
    """Out-of-range, unknown or wrongly typed fields get 422 and save nothing."""
    assert _post(client, _auth(world.sam.user), body).status_code == 422
    assert CheckIn.objects.count() == 0


def test_session_post_needs_csrf(world):
    """With a session instead of a token, a POST without the CSRF token is refused."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    assert _post(browser, {}, {"mood": 5}).status_code in (401, 403)
    assert CheckIn.objects.count() == 0


def test_care_team_reads_with_mood_scope_only(client, world):
    """Alice reads Sam's check-ins by API while MOOD is shared; after revoking, 404 at once."""
    _post(client, _auth(world.sam.user), {"mood": 5, "note": "words"})
    alice = _auth(world.alice)
    url = f"/api/v1/clients/{world.sam.pk}/checkins"
    rows = client.get(url, **alice).json()
    assert rows[0]["mood"] == 5
    assert rows[0]["note"] is None
    scopes_set(client=world.sam, scopes={"mood": False}, actor=world.sam.user)
    assert client.get(url, **alice).status_code == 404


def test_outsiders_get_404(client, world):
    """Bob, Carol and another client get 404 on Sam's check-ins."""
    _post(client, _auth(world.sam.user), {"mood": 5})
    url = f"/api/v1/clients/{world.sam.pk}/checkins"
    for outsider in (world.bob, world.carol, world.other_client.user):
        assert client.get(url, **_auth(outsider)).status_code == 404


def test_staff_cannot_create(client, world):
    """A clinician cannot check in (403)."""
    assert _post(client, _auth(world.alice), {"mood": 5}).status_code == 403

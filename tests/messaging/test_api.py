"""Messages API: idempotent send with a caller's key, catch-up by sequence, read positions, refusals."""

from __future__ import annotations

import pytest

from alongside.accounts import tokens
from alongside.messaging import services
from alongside.messaging.models import Message

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='test').plain}"}


def _url(world, tail=""):
    return f"/api/v1/messages/{world.sam.pk}{tail}"


def test_a_client_sends_once_per_key_and_the_clinician_reads_after_a_position(client, world):
    sam = _auth(world.sam.user)
    first = client.post(
        _url(world), {"body": "hello"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="api-key-01", **sam
    )
    again = client.post(
        _url(world), {"body": "hello"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="api-key-01", **sam
    )
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Message.objects.count() == 1
    services.message_send(actor=world.alice, client_id=world.sam.pk, body="hi Sam", idempotency_key="api-key-02")
    thread = client.get(_url(world), {"after": 1}, **_auth(world.alice)).json()
    assert [m["body"] for m in thread["messages"]] == ["hi Sam"]
    assert thread["last_seq"] == 2


def test_read_positions_and_receipts(client, world):
    services.message_send(actor=world.sam.user, client_id=world.sam.pk, body="one", idempotency_key="api-key-03")
    response = client.post(_url(world, "/read"), {"seq": 1}, content_type="application/json", **_auth(world.alice))
    assert response.json() == {"seq": 1}
    assert client.get(_url(world), **_auth(world.sam.user)).json()["other_read_seq"] == 1


@pytest.mark.parametrize(
    ("payload", "status", "text"),
    [
        ({"body": ""}, 422, "Write a message"),
        ({"body": "x" * 5001}, 422, "5,000"),
        ({"body": "hi", "colour": "red"}, 422, ""),
        (
            {"body": "hi", "entry_kind": "checkin", "entry_id": "00000000-0000-0000-0000-000000000000"},
            422,
            "cannot be attached",
        ),
    ],
)
def test_bad_messages_are_refused_with_a_clear_message(client, world, payload, status, text):
    response = client.post(
        _url(world),
        payload,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="api-key-04",
        **_auth(world.sam.user),
    )
    assert response.status_code == status
    assert text in response.content.decode()
    assert Message.objects.count() == 0


def test_a_missing_key_is_refused(client, world):
    response = client.post(_url(world), {"body": "hi"}, content_type="application/json", **_auth(world.sam.user))
    assert response.status_code == 422
    assert "idempotency key" in response.json()["detail"]


def test_outsiders_get_404(client, world):
    for outsider in (world.bob, world.carol, world.other_client.user):
        assert client.get(_url(world), **_auth(outsider)).status_code == 404
        response = client.post(
            _url(world),
            {"body": "hi"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="api-key-05",
            **_auth(outsider),
        )
        assert response.status_code == 404
    assert Message.objects.count() == 0


def test_a_flood_is_answered_with_429(client, world):
    sam = _auth(world.sam.user)
    codes = [
        client.post(
            _url(world),
            {"body": f"m{n}"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"flood-{n:04d}",
            **sam,
        ).status_code
        for n in range(services.RATE_PER_MINUTE + 1)
    ]
    assert codes[-1] == 429
    assert codes.count(201) == services.RATE_PER_MINUTE

"""API writes answer with what they wrote: regressions found by the load bench (bench/load.py)."""

from __future__ import annotations

import pytest

from alongside.accounts import tokens
from alongside.messaging import services
from alongside.messaging.models import Message
from alongside.selfcare.models import CheckIn

pytestmark = pytest.mark.django_db


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='test').plain}"}


def test_a_first_message_is_answered_with_itself_when_a_reply_lands_at_once(client, world, monkeypatch):
    """Sam's first message is answered with Sam's message, not Alice's reply that arrived in between.

    Under load the answer was read as "the latest message after seq 0", i.e. whatever was newest
    on a new thread: the caller got another person's message id and body for its own write.
    """
    send = services.message_send

    def send_then_alice_replies(**kwargs):
        result = send(**kwargs)
        send(actor=world.alice, client_id=world.sam.pk, body="Alice, at the same moment", idempotency_key="alice-0001")
        return result

    monkeypatch.setattr(services, "message_send", send_then_alice_replies)
    answer = client.post(
        f"/api/v1/messages/{world.sam.pk}",
        {"body": "Sam's first message", "idempotency_key": "sam-00001"},
        content_type="application/json",
        **_auth(world.sam.user),
    )
    assert answer.status_code == 201, answer.content
    stored = Message.objects.get(idempotency_key="sam-00001")
    assert answer.json()["id"] == str(stored.pk)
    assert answer.json()["body"] == "Sam's first message"
    assert answer.json()["mine"] is True
    assert Message.objects.count() == 2


def test_a_check_in_with_null_optional_fields_is_saved(client, world):
    """Optional check-in fields the schema marks nullable may be sent as null: the check-in is saved."""
    answer = client.post(
        "/api/v1/selfcare/checkins",
        {
            "mood": 6,
            "emotions": None,
            "activities": None,
            "note": None,
            "sleep_hours": None,
            "idempotency_key": "null-0001",
        },
        content_type="application/json",
        **_auth(world.sam.user),
    )
    assert answer.status_code == 201, answer.content
    saved = CheckIn.objects.get(idempotency_key="null-0001")
    assert saved.mood == 6
    assert answer.json()["activities"] == []

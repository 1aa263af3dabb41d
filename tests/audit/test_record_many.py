"""record_many writes a batch in one INSERT, converting shared values once, and stores exactly what it hashed."""

from __future__ import annotations

import pytest

from alongside.audit.log import Entry, record_many, verify
from alongside.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_batch_stores_each_event_as_given_and_the_chain_verifies(world) -> None:
    """Equal-looking details that serialise differently (1 and True), empty ones and per-client ids all survive."""
    details = [{"n": 1}, {"n": True}, {}, {}, {"n": 1.0}, None, {"n": "1"}]
    clients = [world.sam, world.other_client] * 4
    entries = [
        Entry(AuditAction.CLIENT_LISTED, obj=client, client_id=client.pk, detail=detail)
        for client, detail in zip(clients, details, strict=False)
    ]
    written = record_many(entries, actor=world.alice)

    stored = list(AuditEvent.objects.filter(seq__in=[e.seq for e in written]).order_by("seq"))
    assert [e.detail for e in stored] == [{"n": 1}, {"n": True}, {}, {}, {"n": 1.0}, {}, {"n": "1"}]
    assert [type(e.detail.get("n")) for e in stored] == [int, bool, type(None), type(None), float, type(None), str]
    assert [e.client_id for e in stored] == [c.pk for c in clients[: len(details)]]
    assert {(e.actor_id, e.actor_label, e.at, e.request_id) for e in stored} == {
        (world.alice.pk, world.alice.email, written[0].at, written[0].request_id)
    }
    assert [e.hash for e in stored] == [e.hash for e in written]
    assert verify() == (AuditEvent.objects.count(), None)

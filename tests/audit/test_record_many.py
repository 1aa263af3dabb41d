"""record_many writes a batch in one INSERT, converting shared values once, and stores exactly what it hashed."""

from __future__ import annotations

import pytest

from alongside.audit.log import Entry, record_many
from alongside.audit.models import AuditAction, AuditEvent
from alongside.audit.verify import verify

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
        (world.alice.pk, "", written[0].at, written[0].request_id)
    }
    assert [e.hash for e in stored] == [e.hash for e in written]
    _assert_intact()


@pytest.mark.parametrize(
    ("actor_id", "client_id", "detail", "text"),
    [
        (None, None, {}, ""),
        ("7d3c0e52-9f3c-4c55-9a52-3f0c2a7b8e01", "0b0f2f6e-8a7e-4d0e-8f0b-6a1c2d3e4f50", {"n": 1}, "plain"),
        ("a", "b", {"z": [1, 2.5, None], "a": {"y": True, "b": "ünïcødé ✓"}}, 'quote " back \\ slash'),
        ("a", None, {"n": 1.0, "m": "\u0000\n\t"}, "Zoë — 北京 \U0001f600"),
    ],
)
def test_the_hashed_bytes_are_exactly_sorted_compact_ascii_json(actor_id, client_id, detail, text) -> None:
    """The hand-written canonical form equals json.dumps with sorted keys, compact separators and ASCII only."""
    import datetime as dt
    import json

    from alongside.audit.hashing import canonical

    fields = {
        "seq": 12345,
        "at": dt.datetime(2026, 11, 22, 5, 30, 1, 123456, tzinfo=dt.UTC),
        "actor_id": actor_id,
        "actor_label": text,
        "action": "care.client_listed",
        "object_type": "care.clientprofile",
        "object_id": text or "x",
        "client_id": client_id,
        "request_id": text,
        "detail": detail,
        "prev_hash": "0" * 64,
    }
    reference = {
        **fields,
        "at": "2026-11-22T05:30:01.123456+00:00",
        "actor_id": actor_id or None,
        "client_id": client_id or None,
    }
    expected = json.dumps(reference, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()
    assert canonical(**fields) == expected


def test_a_batch_longer_than_one_statement_is_stored_whole_and_in_order(world, monkeypatch) -> None:
    """Eight events, three rows per statement on SQLite (three INSERTs; PostgreSQL takes the batch as one JSON
    document, one INSERT): every event stored once, in order, with the hash it was given, the chain intact."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alongside.audit import log

    monkeypatch.setattr(log, "_ROWS_PER_STATEMENT", 3)
    entries = [
        Entry(AuditAction.CLIENT_LISTED, obj=world.sam, client_id=world.sam.pk, detail={"n": i}) for i in range(8)
    ]
    with CaptureQueriesContext(connection) as queries:
        written = record_many(entries, actor=world.alice)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT INTO")]
    assert len(inserts) == (1 if connection.vendor == "postgresql" else 3)
    stored = list(AuditEvent.objects.filter(seq__in=[e.seq for e in written]).order_by("seq"))
    assert [e.detail["n"] for e in stored] == list(range(8))
    assert [e.hash for e in stored] == [e.hash for e in written]
    _assert_intact()


def test_a_batch_keeps_details_ids_and_times_exactly_on_either_database(world) -> None:
    """Unicode, quotes, nested details, string and UUID client ids, no client: stored as hashed, chain intact."""
    details = [{"text": 'Zoë "quoted" \\ 北京 \U0001f600', "nested": {"b": [1, 2.5, None], "a": True}}, {}, {"n": 1.0}]
    entries = [
        Entry(AuditAction.CLIENT_LISTED, obj=world.sam, client_id=str(world.sam.pk), detail=details[0]),
        Entry(AuditAction.CLIENT_LISTED, obj=world.sam, client_id=world.sam.pk, detail=details[1]),
        Entry(AuditAction.LOGIN_FAILED, detail=details[2]),
    ]
    written = record_many(entries, actor=world.alice)
    stored = list(AuditEvent.objects.filter(seq__in=[e.seq for e in written]).order_by("seq"))
    assert [e.detail for e in stored] == details
    assert [e.client_id for e in stored] == [world.sam.pk, world.sam.pk, None]
    assert {e.at for e in stored} == {written[0].at}
    _assert_intact()


def _assert_intact() -> None:
    report = verify()
    assert report.problems == []
    assert report.checked == AuditEvent.objects.count()

"""What a check-in POST by token costs in statements, and what the cheaper path still guarantees (issue #19).

The POST used to look the key up, open a savepoint, insert, release, and read the chain head through the ORM:
11 statements in production, 3 of them for idempotency. It is now one insert that skips a used key.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from alongside.accounts import tokens
from alongside.audit.models import AuditEvent
from alongside.core.models import IdempotencyRecord
from alongside.core.services import UnauditedWrite, service
from alongside.selfcare.models import CheckIn
from tests import factories

URL = "/api/v1/selfcare/checkins"


def _headers(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='cost').plain}"}


def _post(client, headers, key: str, mood: int = 6):
    body = {"mood": mood, "sleep_quality": 5, "activities": ["work"], "idempotency_key": key}
    return client.post(URL, body, content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_check_in_post_costs_at_most_eight_statements(client, world):
    """Token and user, the client's profile, the insert, the key's fingerprint, the chain head and the event.

    Six queries and the service's savepoint pair inside the test's transaction (the key needs no savepoint of
    its own), with no look-up by key before the insert and no read-back after it; the old path needed 11.
    """
    headers = _headers(world.sam.user)
    assert _post(client, headers, "cost-warm-0001").status_code == 201  # the token's first use notes its time
    with CaptureQueriesContext(connection) as queries:
        response = _post(client, headers, "cost-key-0001")
    assert response.status_code == 201, response.content
    statements = [q["sql"].split()[0].upper() for q in queries.captured_queries]
    # SELECT token, SAVEPOINT, SELECT profile, INSERT check-in, INSERT fingerprint, SELECT head, INSERT event, RELEASE;
    # PostgreSQL takes the audit chain's advisory lock in the head's round trip (one statement more before).
    assert len(statements) <= 8, "\n".join(q["sql"][:120] for q in queries.captured_queries)
    assert statements.count("SAVEPOINT") == 1  # the service's own transaction; the key needs none
    assert sum(1 for q in queries.captured_queries if 'FROM "selfcare_checkin"' in q["sql"]) == 0


@pytest.mark.django_db
def test_a_replayed_key_returns_the_first_check_in_and_another_body_is_refused(client, world):
    """Same key, same body: 201 with the first id, nothing written, no event. Same key, other body: 409."""
    headers = _headers(world.sam.user)
    first = _post(client, headers, "cost-replay-01")
    events = AuditEvent.objects.count()
    again = _post(client, headers, "cost-replay-01")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert CheckIn.objects.filter(client=world.sam, idempotency_key="cost-replay-01").count() == 1
    assert AuditEvent.objects.count() == events
    refused = _post(client, headers, "cost-replay-01", mood=2)
    assert refused.status_code == 409
    assert CheckIn.objects.get(client=world.sam, idempotency_key="cost-replay-01").mood == 6


@service
def _remember_unaudited(*, user_id, key: str) -> None:
    IdempotencyRecord.objects.bulk_create(
        [IdempotencyRecord(user_id=user_id, scope="test.cost", key=key, body_hash="0" * 64)], ignore_conflicts=True
    )


@pytest.mark.django_db
def test_an_insert_that_skips_conflicts_is_unaudited_only_when_it_wrote_nothing(world):
    """The service rule still refuses a skip-conflicts insert that wrote a row without an event; a skipped one passes."""
    IdempotencyRecord.objects.create(user_id=world.sam.pk, scope="test.cost", key="already", body_hash="0" * 64)
    _remember_unaudited(user_id=world.sam.pk, key="already")  # skipped: nothing changed, nothing to audit
    with pytest.raises(UnauditedWrite):
        _remember_unaudited(user_id=world.sam.pk, key="new-one")


def _send_same(sam_pk, headers, key: str, start: threading.Barrier, answers: list) -> None:
    from django.test import Client

    try:
        start.wait(timeout=10)
        answers.append(_post(Client(), headers, key).json().get("id"))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database that takes concurrent writers")
def test_two_simultaneous_posts_of_one_key_and_body_store_one_check_in_and_answer_its_id():
    """The second insert waits for the first to commit, skips its row, and replays the winner's id."""
    sam = factories.world().sam
    headers = _headers(sam.user)
    for round_ in range(6):
        key = f"cost-race-{round_:04d}"
        start, answers = threading.Barrier(2), []
        threads = [threading.Thread(target=_send_same, args=(sam.pk, headers, key, start, answers)) for _ in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        stored = list(CheckIn.objects.filter(client=sam, idempotency_key=key).values_list("pk", flat=True))
        assert len(stored) == 1
        assert answers == [str(stored[0])] * 2

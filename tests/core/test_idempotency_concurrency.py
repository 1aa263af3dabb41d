"""Two sends of one key at once, with different bodies: one is saved, the other is refused, never a crash."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from alongside.core.idempotency import IdempotencyConflict
from alongside.selfcare import services
from alongside.selfcare.models import CheckIn
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _send(sam, key: str, mood: int, start: threading.Barrier, outcomes: list[str]) -> None:
    try:
        start.wait(timeout=10)
        services.checkin_create(actor=sam.user, client=sam.pk, idempotency_key=key, mood=mood)
        outcomes.append("saved")
    except IdempotencyConflict:
        outcomes.append("conflict")
    except Exception as error:  # anything else is the bug this test looks for
        outcomes.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database that takes concurrent writers")
def test_racing_sends_of_one_key_save_once_and_refuse_the_other_body() -> None:
    """Whichever of two simultaneous check-ins with one key wins, the other gets IdempotencyConflict."""
    sam = factories.world().sam
    for round_ in range(8):
        key = f"race-key-{round_:04d}"
        start = threading.Barrier(2)
        outcomes: list[str] = []
        threads = [threading.Thread(target=_send, args=(sam, key, mood, start, outcomes)) for mood in (3, 8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["conflict", "saved"], outcomes
        assert CheckIn.objects.filter(idempotency_key=key).count() == 1

"""Writes lock only their own rows: regressions found by the load bench (bench/load.py) on PostgreSQL.

A row locked FOR UPDATE through a join (the practice of every client) made all answers of a
practice queue on one row, and deadlock with the audit chain's lock once 50 people wrote at once.
Row locks exist only on PostgreSQL: the SQLite pass skips these, the PostgreSQL pass runs them.
"""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from alongside.care.models import Practice
from alongside.measures import services
from tests.measures.support_measures import measures_library  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("measures_library")]


def _lock_practice_elsewhere(practice_id) -> dict[str, object]:
    """Try to lock the practice row from another connection without waiting; say what happened."""
    outcome: dict[str, object] = {}

    def other() -> None:
        try:
            with transaction.atomic():
                Practice.objects.select_for_update(nowait=True).get(pk=practice_id)
            outcome["locked"] = True
        except DatabaseError as error:
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(timeout=60)
    return outcome


def test_saving_an_answer_leaves_the_practice_row_unlocked(world):
    """While Sam's answer is being saved, another transaction can still lock Sam's practice at once."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; the PostgreSQL pass of `make test` runs this")
    sam = world.sam
    started = services.response_start(actor=sam.user, client_id=sam.pk, instrument="phq9", idempotency_key="lock-0001")
    with transaction.atomic():
        services.response_save_answer(actor=sam.user, response_id=started.pk, link_id="phq9-1", value=1)
        outcome = _lock_practice_elsewhere(world.practice.pk)
    assert outcome == {"locked": True}

"""Shared helpers of the clinical-records tests: a session of Sam's with Alice, raw sealed columns."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import connection
from django.utils import timezone

from alongside.sessions.services import appointment_create

_slots = itertools.count(1)


def appointment(world):
    """A fresh session of Sam's with Alice, in a slot of its own."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=next(_slots))
    return appointment_create(actor=world.alice, client_id=world.sam.pk, starts_at=start)


def raw_rows(table: str) -> str:
    """Every column of every row of ``table`` as one string, as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return repr(cursor.fetchall())

"""Test support for the client's measures pages: a due request made through the product's services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.measures import services
from alongside.measures.models import MeasureRequest


def due_request(world, code: str = "phq9") -> MeasureRequest:
    """Have Alice ask Sam for ``code`` now (no quiet hours), and return the request made."""
    services.practice_settings_set(
        actor=world.admin, practice=world.practice, quiet_start=dt.time(0, 0), quiet_end=dt.time(0, 0)
    )
    services.schedule_set(
        actor=world.alice, client_id=world.sam.pk, instrument=code, rule="once", time_of_day=dt.time(0, 0)
    )
    made = services.requests_materialise(now=timezone.now())
    return next(r for r in made if r.instrument == code and r.client_id == world.sam.pk)

"""Listeners told of every change to an appointment, inside the transaction that made it.

``sessions`` sits below ``telehealth``, so it cannot call the calendar invitations itself:
telehealth registers a listener in its ``AppConfig.ready`` instead. A listener writes rows
(an outbox email, a counter) in the caller's transaction, so a change and what follows from
it commit together; anything sent leaves after commit through the outbox.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Literal

from alongside.sessions.models import Appointment

Change = Literal["created", "moved", "cancelled"]
Listener = Callable[[Appointment, Change], None]

APPOINTMENT_CHANGED: list[Listener] = []


def register(listener: Listener) -> None:
    """Add a listener once (a second registration of the same function is ignored)."""
    if listener not in APPOINTMENT_CHANGED:
        APPOINTMENT_CHANGED.append(listener)


def changed(appointment: Appointment, change: Change) -> None:
    """Tell every listener; call inside the transaction of the change."""
    for listener in APPOINTMENT_CHANGED:
        listener(appointment, change)


# Other apps' bookings that make a clinician or a client busy (telehealth's group sessions): each answers the
# message to refuse a new session with, or None. Asked by every one-to-one booking after its own overlap check.
BusyCheck = Callable[[dt.datetime, dt.datetime, uuid.UUID, uuid.UUID], str | None]
BUSY_CHECKS: list[BusyCheck] = []


def register_busy_check(check: BusyCheck) -> None:
    """Add a busy check once."""
    if check not in BUSY_CHECKS:
        BUSY_CHECKS.append(check)


def busy_elsewhere(starts_at: dt.datetime, ends_at: dt.datetime, clinician_id: uuid.UUID, client_id: uuid.UUID) -> str:
    """The first registered check's refusal for this time, or "" when nobody is busy."""
    for check in BUSY_CHECKS:
        refusal = check(starts_at, ends_at, clinician_id, client_id)
        if refusal:
            return refusal
    return ""

"""Listeners told of every change to an appointment, inside the transaction that made it.

``sessions`` sits below ``telehealth``, so it cannot call the calendar invitations itself:
telehealth registers a listener in its ``AppConfig.ready`` instead. A listener writes rows
(an outbox email, a counter) in the caller's transaction, so a change and what follows from
it commit together; anything sent leaves after commit through the outbox.
"""

from __future__ import annotations

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

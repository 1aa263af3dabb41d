"""Where apps above measures plug into it, filled from their ``AppConfig.ready()``.

Measures never imports the apps that build on it (self-care, sessions); they register here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alongside.measures.models import MeasureResponse

# Called in the submitting transaction with the submitted response and the time (self-care marks homework done).
RESPONSE_SUBMITTED: list[Callable[[MeasureResponse, dt.datetime], object]] = []
# Called by `alongside measures_tick` after the scheduled requests are made; each returns how many requests it
# made (sessions asks for the questionnaires due before an appointment).
REQUEST_MAKERS: list[Callable[[], int]] = []
# Asked by the progress charts for the expected-response range of one instrument: called with the client's practice
# id (or None), the instrument code, the intake (first) total and the number of administrations; returns (label,
# [(low, median, high) per administration, first to last]) or None when there is no range for it (risk registers).
EXPECTED_RESPONSE: list[Callable[[object, str, float, int], tuple[str, list[tuple[float, float, float]]] | None]] = []


def register[H](hooks: list[H], hook: H) -> None:
    """Add ``hook`` once (``ready()`` can run more than once in tests)."""
    if hook not in hooks:
        hooks.append(hook)

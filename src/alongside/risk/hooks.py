"""Refresh a client's stored warnings when a new PHQ-9 or GAD-7 score or a check-in is committed.

The hooks only ask for the refresh after commit (:func:`alongside.risk.tasks.refresh_after_commit`): the task
backend runs it, so the writing request never scores, and a failure never fails the write.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from alongside.risk.tasks import refresh_after_commit

if TYPE_CHECKING:
    from alongside.measures.models import MeasureResponse
    from alongside.selfcare.models import CheckIn

SCORED = ("phq9", "gad7")


def score_submitted(response: MeasureResponse, now: dt.datetime) -> None:
    """A PHQ-9 or GAD-7 was submitted: refresh the client after the submitting transaction commits."""
    if getattr(response, "instrument", None) in SCORED:
        refresh_after_commit(response.client_id)


def checkin_created(checkin: CheckIn, now: dt.datetime) -> None:
    """A check-in was saved: refresh the client after commit (check-in gaps drive the dropout model)."""
    refresh_after_commit(checkin.client_id)

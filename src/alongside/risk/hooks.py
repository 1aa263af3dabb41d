"""Refresh a client's stored warnings after a new PHQ-9 or GAD-7 score is committed (never in a page request)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

if TYPE_CHECKING:
    from alongside.measures.models import MeasureResponse

SCORED = ("phq9", "gad7")


def score_submitted(response: MeasureResponse, now: dt.datetime) -> None:
    """After the submitting transaction commits, score the client again (one client, a few milliseconds)."""
    from alongside.risk.services import client_risk_refresh

    if getattr(response, "instrument", None) not in SCORED:
        return
    client = response.client
    transaction.on_commit(lambda: client_risk_refresh(client=client, now=now))

"""The risk step: score every synthetic client once, as the daily refresh would.

The demo's clients are written in bulk, so no check-in or score enqueued the after-commit refresh that a real one
does. Without this step the caseload's early-warning column and the flag-rate chart stayed empty until the worker's
first daily refresh. Runs last: it reads the scores, sessions and check-ins the other steps wrote.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alongside.risk.services import client_risk_refresh
from alongside.synth.context import SynthContext


def risk_step(ctx: SynthContext) -> None:
    """Store each synthetic client's risk scores, their explanations and their last 12 weeks of flags."""
    anchor = ctx.config.anchor_date()
    now = timezone.now() if anchor == timezone.localdate() else dt.datetime.combine(anchor, dt.time(18), tzinfo=dt.UTC)
    for _client, profile in ctx.written_clients():
        if client_risk_refresh(client=profile, now=now) is not None:
            ctx.count("risk_scores")

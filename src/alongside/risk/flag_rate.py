"""The share of a clinician's clients in care who carried a warning, week by week, for the early-warnings page.

The stored warnings keep only each client's latest state, so past weeks are scored again here: each client's
records are read once (as they are now) and their practice's models in use today score them at the end of every week. A client
counts in a week when their care had started by its end (first session or score) and they had a check-in, score,
session or message in the 8 weeks before it; they count as flagged when either warning (not on track, dropout)
was on at the week's end. Homework is read as it stands today, so a task completed late counts as done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from alongside.access import care_team_clients
from alongside.care.models import ClientStatus
from alongside.measures.charts.rate import Share
from alongside.risk.collect import history
from alongside.risk.features import WINDOW
from alongside.risk.online import History, score

WEEKS = 12


def _active(h: History, as_of: int) -> bool:
    days = [*h.checkins, *(d for d, _s in h.sessions), *h.client_messages, *(d for d, _n, _m, _t in h.scores)]
    return as_of >= 0 and any(as_of - WINDOW < d <= as_of for d in days)


def flag_rate(*, user: Any, now: dt.datetime, weeks: int = WEEKS) -> list[Share]:
    """Return, for each of the last ``weeks`` weeks (oldest first), how many of ``user``'s clients in care were
    flagged, out of how many."""
    from alongside.risk.active import models_in_use
    from alongside.risk.services import DROPOUT_FLAG

    today = now.date()
    # The week ending today, and the ``weeks - 1`` before it; each is labelled by its first day.
    ends = [today - dt.timedelta(days=7 * back) for back in range(weeks - 1, -1, -1)]
    counts = [0] * weeks
    totals = [0] * weeks
    in_use: dict[Any, Any] = {}
    clients = care_team_clients(user).exclude(status=ClientStatus.INVITED).order_by("pk")
    for client in clients:
        found = history(client, now)
        if found is None:
            continue
        h, day_today = found
        if client.practice_id not in in_use:
            in_use[client.practice_id] = models_in_use(client.practice_id)
        models = in_use[client.practice_id]
        for index, end in enumerate(ends):
            as_of = day_today - (today - end).days
            if not _active(h, as_of):
                continue
            totals[index] += 1
            result = score(h, as_of, models.not_on_track, models.dropout)
            counts[index] += result.not_on_track or result.dropout >= DROPOUT_FLAG
    return [
        Share(end - dt.timedelta(days=6), count, total) for end, count, total in zip(ends, counts, totals, strict=True)
    ]

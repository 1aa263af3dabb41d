"""The share of a clinician's clients in care who carried a warning, week by week, for the early-warnings page.

The page reads stored flags and scores no-one: whenever a client's warnings are refreshed (after a new score or
check-in, and by the daily refresh of every active client, :mod:`alongside.risk.tasks`), :func:`weekly_flags`
scores them at the end of each of the last 12 weeks with their practice's models in use, and the result is kept
on their stored warnings (``ClientRisk.weekly``). A client counts in a week when their care had started by its
end (first session or score) and they had a check-in, score, session or message in the 8 weeks before it; they
count as flagged when either warning (not on track, dropout) was on at the week's end. Homework is read as it
stood at the refresh, so a task completed late counts as done. A client refreshed on an earlier day counts in
the week that holds each of their stored week-ends (so a stored week-end is at most six days from the page's).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from alongside.access import care_team_clients
from alongside.care.models import ClientStatus
from alongside.measures.charts.rate import Share
from alongside.risk.features import WINDOW
from alongside.risk.models import ClientRisk
from alongside.risk.online import History, score

WEEKS = 12


def _active(h: History, as_of: int) -> bool:
    days = [*h.checkins, *(d for d, _s in h.sessions), *h.client_messages, *(d for d, _n, _m, _t in h.scores)]
    return as_of >= 0 and any(as_of - WINDOW < d <= as_of for d in days)


def weekly_flags(h: History, day_today: int, today: dt.date, models: Any, weeks: int = WEEKS) -> list[list[Any]]:
    """Score the client at the end of each of the last ``weeks`` weeks (the last ending ``today``); return
    ``[week end (ISO date), flagged]`` for the weeks they were in care, oldest first."""
    from alongside.risk.services import DROPOUT_FLAG

    out: list[list[Any]] = []
    for back in range(weeks - 1, -1, -1):
        as_of = day_today - 7 * back
        if not _active(h, as_of):
            continue
        result = score(h, as_of, models.not_on_track, models.dropout)
        flagged = bool(result.not_on_track or result.dropout >= DROPOUT_FLAG)
        out.append([(today - dt.timedelta(days=7 * back)).isoformat(), flagged])
    return out


def flag_rate(*, user: Any, now: dt.datetime, weeks: int = WEEKS) -> list[Share]:
    """Return, for each of the last ``weeks`` weeks (oldest first), how many of ``user``'s clients in care were
    flagged, out of how many, from the stored weekly flags (one query; nothing is scored here)."""
    today = now.date()
    # The week ending today, and the ``weeks - 1`` before it; each is labelled by its first day.
    ends = [today - dt.timedelta(days=7 * back) for back in range(weeks - 1, -1, -1)]
    first = ends[0] - dt.timedelta(days=6)
    counts = [0] * weeks
    totals = [0] * weeks
    clients = care_team_clients(user).exclude(status=ClientStatus.INVITED)
    for weekly in ClientRisk.objects.filter(client__in=clients).values_list("weekly", flat=True):
        for end, flagged in weekly or []:
            index = (dt.date.fromisoformat(end) - first).days // 7
            if 0 <= index < weeks:
                totals[index] += 1
                counts[index] += bool(flagged)
    return [
        Share(end - dt.timedelta(days=6), count, total) for end, count, total in zip(ends, counts, totals, strict=True)
    ]

"""Read one client's events from the domain apps into the extract's shape (days since their first session)."""

from __future__ import annotations

import datetime as dt

from alongside.care.models import ClientProfile
from alongside.measures.models import MeasureScore
from alongside.messaging.models import Message
from alongside.risk.features import WINDOW
from alongside.risk.online import History
from alongside.selfcare.models import CheckIn, HomeworkTask, TaskStatus
from alongside.sessions.models import Appointment, AppointmentStatus

MEASURES = ("phq9", "gad7")
# How far back the stored warnings look: the weekly flags score the client at the end of each of the last 12
# weeks (alongside.risk.flag_rate.WEEKS), and each score counts events in at most the WINDOW days before it.
SCORING_HORIZON = dt.timedelta(days=7 * (12 - 1) + max(WINDOW, 28) + 1)
_STATUS: dict[str, str] = {AppointmentStatus.ATTENDED: "attended", AppointmentStatus.NO_SHOW: "missed"}


def history(
    client: ClientProfile, now: dt.datetime, *, horizon: dt.timedelta | None = None
) -> tuple[History, int] | None:
    """Return the client's history and today's day of care, or None before their first score or session.

    Day 0 is the earlier of the first attended session and the first PHQ-9 or GAD-7 score. Scores are numbered in
    the order they were given, per measure (1 = intake). A system read for a derived cache, shown to no-one as such:
    the pages that show the result already limit clients to the clinician's care team.

    With ``horizon``, check-ins, homework and messages older than ``now - horizon`` are left out (scores and
    sessions are always read whole: they fix day 0 and the scores' numbers): scoring that looks back no further
    than the horizon gives the same result, without reading years of check-ins (see :data:`SCORING_HORIZON`).
    """
    today = now.date()
    scores = list(
        MeasureScore.objects.filter(client=client, instrument__in=MEASURES, total__isnull=False, scored_at__lte=now)
        .order_by("scored_at")
        .values_list("instrument", "scored_at", "total")
    )
    visits = list(
        Appointment.objects.filter(client=client, starts_at__lte=now)
        .exclude(status=AppointmentStatus.SCHEDULED)
        .values_list("starts_at", "status")
    )
    starts = [at.date() for _, at, _ in scores] + [at.date() for at, s in visits if s == AppointmentStatus.ATTENDED]
    if not starts:
        return None
    first = min(starts)

    def day(value: dt.date) -> int:
        return (value - first).days

    h = History()
    numbers: dict[str, int] = {}
    for code, at, total in scores:
        numbers[code] = numbers.get(code, 0) + 1
        h.scores.append((day(at.date()), numbers[code], code, float(total or 0)))
    h.sessions = [(day(at.date()), _STATUS.get(status, "cancelled")) for at, status in visits]
    since = first - dt.timedelta(days=1)
    if horizon is not None:
        since = max(since, (now - horizon).date())
    h.checkins = [
        day(d) for d in CheckIn.objects.filter(client=client, local_date__gt=since).values_list("local_date", flat=True)
    ]
    tasks = HomeworkTask.objects.filter(client=client, due_on__gt=since, due_on__lt=today)
    h.homework = [(day(d), status == TaskStatus.COMPLETED) for d, status in tasks.values_list("due_on", "status")]
    sent = Message.objects.filter(client=client, from_client=True, created_at__date__gt=since)
    h.client_messages = [day(at.date()) for at in sent.values_list("created_at", flat=True)]
    return h, day(today)

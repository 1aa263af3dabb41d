"""Test support for the staff measures pages: scores, alerts and requests written straight to the tables."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from alongside.care.models import ClientProfile
from alongside.measures.models import MeasureRequest, MeasureResponse, MeasureScore, ResponseStatus
from alongside.measures.services import score_summary_record
from alongside.notify.models import Notification, NotificationKind
from alongside.safety.models import CriticalAlert, alert_topic

_keys = itertools.count(1)


def add_score(
    client: ClientProfile,
    instrument: str,
    total: float,
    *,
    days_ago: float = 0,
    caseness: bool | None = None,
    answers: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> MeasureScore:
    """Record a submitted response and its score, ``days_ago`` before now."""
    at = (now or timezone.now()) - dt.timedelta(days=days_ago)
    response = MeasureResponse.objects.create(
        client=client,
        instrument=instrument,
        idempotency_key=f"test-{next(_keys)}",
        status=ResponseStatus.SUBMITTED,
        answers=answers or {},
        started_at=at,
        updated_at=at,
        submitted_at=at,
    )
    if caseness is None:
        caseness = {"phq9": total >= 10, "gad7": total >= 8}.get(instrument)
    score = MeasureScore.objects.create(
        response=response, client=client, instrument=instrument, scored_at=at, total=total, caseness=caseness
    )
    score_summary_record(score=score)  # as response_submit does
    return score


def add_history(client: ClientProfile, instrument: str, totals: list[float], *, every_days: int = 14) -> None:
    """Record a series of scores, the last one today."""
    for index, total in enumerate(totals):
        add_score(client, instrument, total, days_ago=every_days * (len(totals) - 1 - index))


def add_alert(
    client: ClientProfile, *, recipients: tuple[Any, ...] = (), items: tuple[int, ...] = (9,)
) -> CriticalAlert:
    """Raise an open PHQ-9 alert (as the service would) with in-app notices for ``recipients``."""
    score = add_score(client, "phq9", 12)
    alert = CriticalAlert.objects.create(client=client, response=score.response, instrument="phq9", items=list(items))
    for user in recipients:
        Notification.objects.create(
            recipient=user,
            kind=NotificationKind.ALERT,
            link=f"/measures/alerts/{alert.pk}/",
            subject_client=client,
            dedupe_key=f"alert:{alert.pk}",
            topic=alert_topic(alert.pk),
        )
    return alert


def add_overdue_request(client: ClientProfile, *, days_ago: int = 5) -> MeasureRequest:
    due = timezone.now() - dt.timedelta(days=days_ago)
    return MeasureRequest.objects.create(
        client=client, instrument="phq9", due_at=due, expires_at=due + dt.timedelta(days=30)
    )

"""Reads of measures, each through the access layer; reads by staff are audited.

Scores and answers need the client's MEASURES sharing scope. Critical alerts do not:
a critical answer always reaches the treating clinicians (clinical safety), but an
alert carries only the instrument and item numbers, never the answers.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from alongside import access
from alongside.access import Action
from alongside.audit.log import Entry, record_many
from alongside.care.models import ClientProfile, Membership
from alongside.consent.models import Scope
from alongside.measures.models import (
    MeasureAuditAction,
    MeasureRequest,
    MeasureResponse,
    MeasureSchedule,
    MeasureScore,
    RequestStatus,
    ResponseStatus,
)
from alongside.notify.selectors import unread_ids_about
from alongside.safety.models import AlertStatus, CriticalAlert, alert_topic


def _is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and not getattr(user, "is_client", False))


def _audit_reads(action: MeasureAuditAction, *, user: Any, client_ids: list[uuid.UUID]) -> None:
    entries = [Entry(action=action, client_id=c) for c in dict.fromkeys(client_ids)]
    record_many(entries, actor=user)


def due_requests(*, user: Any, now: dt.datetime | None = None) -> list[MeasureRequest]:
    """Return the signed-in client's open requests that are due now (for their home page)."""
    if user is None or not user.is_authenticated or not getattr(user, "is_client", False):
        return []
    now = now or timezone.now()
    return list(
        MeasureRequest.objects.filter(
            client_id=user.pk, status=RequestStatus.PENDING, due_at__lte=now, expires_at__gt=now
        ).order_by("due_at")
    )


def measures_client(*, user: Any, client_id: uuid.UUID | str) -> ClientProfile:
    """Return the client whose measures ``user`` may read (self, or care team with MEASURES shared); 404 otherwise."""
    client = access.client_or_404(user, client_id, Action.VIEW_CLINICAL, Scope.MEASURES)
    if _is_staff(user):
        _audit_reads(MeasureAuditAction.SCORES_VIEWED, user=user, client_ids=[client.pk])
    return client


def scores_for(*, user: Any, client_id: uuid.UUID | str, instrument: str | None = None) -> list[MeasureScore]:
    """Return a client's scores, oldest first, when ``user`` may read their measures (audited for staff)."""
    client = measures_client(user=user, client_id=client_id)
    scores = MeasureScore.objects.filter(client=client).select_related("response").order_by("scored_at")
    if instrument:
        scores = scores.filter(instrument=instrument)
    return list(scores)


@dataclass(frozen=True)
class ScorePoint:
    """One total score: what a summary of a client's scores needs, without the response or its answers."""

    instrument: str
    scored_at: dt.datetime
    total: float
    severity: str


def score_points_for(*, user: Any, client_id: uuid.UUID | str) -> list[ScorePoint]:
    """Return a client's scored totals, oldest first, under the same rule and audit as :func:`scores_for`."""
    client = measures_client(user=user, client_id=client_id)
    rows = (
        MeasureScore.objects.filter(client=client, total__isnull=False)
        .order_by("scored_at")
        .values_list("instrument", "scored_at", "total", "severity")
    )
    return [ScorePoint(code, at, float(total or 0), band) for code, at, total, band in rows]


def responses_for(*, user: Any, client_id: uuid.UUID | str) -> list[MeasureResponse]:
    """Return a client's submitted responses (answers decrypt on access), newest first."""
    client = measures_client(user=user, client_id=client_id)
    return list(
        MeasureResponse.objects.filter(client=client, status=ResponseStatus.SUBMITTED).order_by("-submitted_at")
    )


def response_for(*, user: Any, response_id: uuid.UUID | str) -> MeasureResponse:
    """Return one response when ``user`` may read the client's measures (audited for staff); 404 otherwise."""
    response = access.owned_or_404(user, MeasureResponse, response_id, Action.VIEW_CLINICAL, Scope.MEASURES)
    if _is_staff(user):
        _audit_reads(MeasureAuditAction.SCORES_VIEWED, user=user, client_ids=[response.client_id])
    return response


def _alert_scope(user: Any) -> QuerySet[CriticalAlert]:
    team = access.care_team_clients(user).values("pk")
    admin_practices = Membership.objects.filter(user=user, is_active=True, role__in=["owner", "admin"]).values(
        "practice_id"
    )
    return CriticalAlert.objects.filter(
        Q(client_id__in=team) | Q(status=AlertStatus.ESCALATED, client__practice_id__in=admin_practices)
    )


def alerts_for_client(*, user: Any, client_id: uuid.UUID | str, since: dt.datetime) -> list[CriticalAlert]:
    """One client's alerts raised since ``since``, and any older ones still not acknowledged.

    The same scope as the alert list (the care team; escalated alerts for practice admins),
    narrowed to the client; the caller audits the read.
    """
    if not _is_staff(user):
        return []
    pk = uuid.UUID(str(client_id))
    try:
        access.client_or_404(user, pk, Action.VIEW_CLINICAL)  # the care team, whatever the client shares
        on_team = True
    except Http404:
        on_team = False
    # On the care team the alert scope is the client's own alerts (one decision, remembered for the request);
    # anyone else goes through the whole scope (escalated alerts for practice admins).
    alerts = CriticalAlert.objects.filter(client_id=pk) if on_team else _alert_scope(user).filter(client_id=pk)
    return list(
        alerts.filter(Q(created_at__gte=since) | ~Q(status=AlertStatus.ACKNOWLEDGED))
        .select_related("acknowledged_by")
        .order_by("-created_at")
    )


def open_alerts_for(*, user: Any) -> list[CriticalAlert]:
    """Return the open alerts of the staff member's care-team clients, and escalated ones for practice admins."""
    if not _is_staff(user):
        return []
    alerts = list(
        _alert_scope(user).exclude(status=AlertStatus.ACKNOWLEDGED).select_related("client").order_by("created_at")
    )
    _audit_reads(MeasureAuditAction.ALERTS_LISTED, user=user, client_ids=[a.client_id for a in alerts])
    return alerts


@dataclass(frozen=True)
class CompletionRates:
    """Delivery telemetry of requests made in a period."""

    requested: int
    delivered: int
    seen: int
    opened: int
    completed: int
    expired: int
    open: int

    @property
    def completion_rate(self) -> float | None:
        """Completed among requests that have closed (completed or expired); None when none have."""
        closed = self.completed + self.expired
        return self.completed / closed if closed else None


def completion_rates(
    *, user: Any, client_id: uuid.UUID | str | None = None, since: dt.datetime | None = None
) -> CompletionRates:
    """Return completion telemetry for one client (needs MEASURES) or the clinician's whole caseload."""
    if client_id is not None:
        clients: Any = [measures_client(user=user, client_id=client_id).pk]
    else:
        if not _is_staff(user):
            raise Http404("No caseload.")
        clients = (
            access.care_team_clients(user)
            .filter(scope_grants__scope=Scope.MEASURES, scope_grants__granted=True)
            .values("pk")
        )
    requests = MeasureRequest.objects.filter(client_id__in=clients)
    if since is not None:
        requests = requests.filter(due_at__gte=since)
    counts = requests.aggregate(
        requested=Count("pk"),
        delivered=Count("pk", filter=Q(delivered_at__isnull=False)),
        seen=Count("pk", filter=Q(seen_at__isnull=False)),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        completed=Count("pk", filter=Q(status=RequestStatus.COMPLETED)),
        expired=Count("pk", filter=Q(status=RequestStatus.EXPIRED)),
        open=Count("pk", filter=Q(status=RequestStatus.PENDING)),
    )
    return CompletionRates(**counts)


# --- Staff pages: progress, schedules, one alert ------------------------------------------


@dataclass(frozen=True)
class TeamClient:
    """A client on the staff member's care team, and whether they share questionnaires."""

    client: ClientProfile
    shares_measures: bool


def team_client(*, user: Any, client_id: uuid.UUID | str) -> TeamClient:
    """Return a client on ``user``'s current care team (404 otherwise), saying whether MEASURES is shared."""
    if not _is_staff(user):
        raise Http404("No such client.")
    client = access.client_or_404(user, client_id, Action.VIEW_CLINICAL)
    return TeamClient(client=client, shares_measures=access.decide(user, client, Action.VIEW_CLINICAL, Scope.MEASURES))


def schedules_current(*, user: Any, client_id: uuid.UUID | str) -> list[MeasureSchedule]:
    """Return the client's current schedules for their care team (404 for anyone else)."""
    client = team_client(user=user, client_id=client_id).client
    return list(MeasureSchedule.objects.filter(client=client, ended_at__isnull=True).order_by("instrument"))


def alert_for(*, user: Any, alert_id: uuid.UUID | str) -> CriticalAlert:
    """Return one alert the staff member may see (care team, or escalated for practice admins); 404 otherwise."""
    if not _is_staff(user):
        raise Http404("No such alert.")
    rows = CriticalAlert.objects.select_related("acknowledged_by")
    alert, grant = access.owned_and_grant_or_404(user, CriticalAlert, alert_id, Action.VIEW_ADMIN, queryset=rows)
    if not grant.on_care_team and alert.status != AlertStatus.ESCALATED:
        raise Http404("No such alert.")  # practice admins see an alert once it is escalated, as in the list
    _audit_reads(MeasureAuditAction.ALERTS_LISTED, user=user, client_ids=[alert.client_id])
    return alert


def alert_notices_of(*, user: Any, alert_id: uuid.UUID) -> list[uuid.UUID]:
    """Return the ids of ``user``'s unread notices of one alert."""
    return unread_ids_about(user=user, topic=alert_topic(alert_id))


def may_acknowledge(*, user: Any, alert: CriticalAlert) -> bool:
    """Return whether ``user`` may acknowledge the alert: a clinician on the client's current care team."""
    return _is_staff(user) and alert.is_open and access.decide(user, alert.client, Action.WRITE_CLINICAL)

"""The caseload: a clinician's clients with what their measures and self-care say, for the caseload page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.access import care_team_clients, visible_clients
from alongside.audit.log import Entry, record_many
from alongside.audit.models import AuditAction
from alongside.care.models import (
    ClientProfile,
    ClientStatus,
    Membership,
)
from alongside.care.selectors import is_staff, membership_for, name_search_filter
from alongside.dashboards.contributions import Flagged, attention_found
from alongside.measures.caseload import Attention, ClientMeasures, Status, caseload_measures
from alongside.measures.caseload import caseload_columns as measures_columns
from alongside.measures.models import MeasureAuditAction
from alongside.selfcare.selectors import caseload_columns as selfcare_columns
from alongside.selfcare.selectors import caseload_selfcare_from


class CaseloadSort(models.TextChoices):
    ATTENTION = "attention", _("Who needs attention")
    NAME = "name", _("Name")
    PHQ9 = "phq9", _("Latest PHQ-9, highest first")
    GAD7 = "gad7", _("Latest GAD-7, highest first")
    CHANGE = "change", _("Change since baseline, worst first")


class CaseloadShow(models.TextChoices):
    ALL = "all", _("Everyone")
    ATTENTION = "attention", _("Needs attention")
    ALERTS = "alerts", _("Open critical alerts")
    DETERIORATION = "deterioration", _("Reliable deterioration")
    NOT_IMPROVING = "not_improving", _("Not improving")
    OVERDUE = "overdue", _("Questionnaire overdue")
    NOT_SHARED = "not_shared", _("Not sharing questionnaires")
    DISCHARGED = "discharged", _("Discharged")


@dataclass(frozen=True)
class CaseloadRow:
    """A client on the clinician's caseload with what their measures say."""

    client: ClientProfile
    measures: ClientMeasures
    last_checkin: dt.date | None = None
    adherence_pct: int | None = None
    # Reasons other apps registered (core.page_parts.AttentionReason), printed after the questionnaires' own.
    extra_attention: tuple[Flagged, ...] = ()

    @property
    def needs_attention(self) -> bool:
        return self.measures.attention != Attention.NONE or bool(self.extra_attention)


@dataclass(frozen=True)
class Caseload:
    """The clients on a clinician's care team (with their measures) and, for admins, the whole practice."""

    membership: Membership | None
    own: list[ClientProfile]
    practice: list[ClientProfile]
    rows: list[CaseloadRow] = field(default_factory=list)
    total: int = 0


_SHOWN: dict[str, Callable[[CaseloadRow], bool]] = {
    CaseloadShow.ALL: lambda row: True,
    CaseloadShow.DISCHARGED: lambda row: True,  # chosen in the query (discharged clients are left out otherwise)
    CaseloadShow.ATTENTION: lambda row: row.needs_attention,
    CaseloadShow.ALERTS: lambda row: row.measures.attention == Attention.CRITICAL_ALERT,
    CaseloadShow.DETERIORATION: lambda row: row.measures.status == Status.RELIABLE_DETERIORATION,
    CaseloadShow.NOT_IMPROVING: lambda row: row.measures.attention == Attention.NOT_IMPROVING,
    CaseloadShow.OVERDUE: lambda row: row.measures.overdue_since is not None,
    CaseloadShow.NOT_SHARED: lambda row: not row.measures.shared,
}


def _attention_rank(row: CaseloadRow) -> tuple[float, int]:
    """The questionnaires' reasons first, then registered ones (by rank), then clients who need nothing."""
    attention = row.measures.attention
    if attention == Attention.NONE and row.extra_attention:
        return (Attention.NONE - 0.5, row.extra_attention[0].rank)
    return (float(attention), 0)


def _highest_first(code: str) -> Callable[[CaseloadRow], tuple[bool, float, str]]:
    def key(row: CaseloadRow) -> tuple[bool, float, str]:
        latest = row.measures.latest_of(code)
        return (latest is None, -(latest or 0), row.client.preferred_name.casefold())

    return key


_SORTS: dict[str, Callable[[CaseloadRow], Any]] = {
    CaseloadSort.ATTENTION: lambda row: (
        _attention_rank(row),
        row.measures.alerts[0].created_at.timestamp() if row.measures.alerts else 0.0,
        row.client.preferred_name.casefold(),
    ),
    CaseloadSort.NAME: lambda row: row.client.preferred_name.casefold(),
    CaseloadSort.PHQ9: _highest_first("phq9"),
    CaseloadSort.GAD7: _highest_first("gad7"),
    CaseloadSort.CHANGE: lambda row: (-row.measures.worst_change, row.client.preferred_name.casefold()),
}


def caseload_rows_arrange(rows: list[CaseloadRow], *, sort: str, show: str) -> list[CaseloadRow]:
    """Filter and order caseload rows; unknown choices fall back to everyone, by attention."""
    shown = _SHOWN.get(show, _SHOWN[CaseloadShow.ALL])
    key = _SORTS.get(sort, _SORTS[CaseloadSort.ATTENTION])
    return sorted((row for row in rows if shown(row)), key=key)


_UNREAD: Any = object()


def _narrowed(clients: QuerySet[ClientProfile], *, show: str, query: str) -> QuerySet[ClientProfile]:
    """Discharged clients only when asked for, else everyone else; then the name search (blind index)."""
    if show == CaseloadShow.DISCHARGED:
        clients = clients.filter(status=ClientStatus.DISCHARGED)
    else:
        clients = clients.exclude(status=ClientStatus.DISCHARGED)
    return clients.filter(name_search_filter(query=query)) if query.strip() else clients


def caseload_for(
    *,
    user: Any,
    sort: str = CaseloadSort.ATTENTION,
    show: str = CaseloadShow.ALL,
    now: dt.datetime | None = None,
    membership: Membership | None = _UNREAD,
    query: str = "",
) -> Caseload:
    """Return the staff member's caseload with measures, auditing every client listed and every score read.

    A fixed number of queries whatever the caseload size or the length of each client's history. Pass the
    ``membership`` the caller already read (a view behind ``staff_required``) to save reading it again.
    """
    if membership is _UNREAD:
        membership = membership_for(user=user)

    team = _narrowed(care_team_clients(user), show=show, query=query)
    # The measures and self-care apps add their per-client columns (who shares what, overdue questionnaires,
    # the last check-in) to the one query that reads the clients.
    now = now or timezone.now()
    own = list(team.order_by("created_at").annotate(**measures_columns(now), **selfcare_columns()))
    everyone: list[ClientProfile] = []
    if membership is not None and membership.is_admin:
        everyone = list(
            _narrowed(visible_clients(user).filter(practice=membership.practice), show=show, query=query).order_by(
                "created_at"
            )
        )
    measures = caseload_measures(clients=team, read=own, now=now)
    selfcare = caseload_selfcare_from(own, now=now)
    flagged = attention_found(own, now)
    rows = [
        CaseloadRow(
            client=c,
            measures=measures[c.pk],
            last_checkin=selfcare[c.pk][0],
            adherence_pct=selfcare[c.pk][1],
            extra_attention=flagged.get(c.pk, ()),
        )
        for c in own
    ]
    if is_staff(user):
        # One event per client, the strongest that happened: their scores were shown, or they were listed.
        scores_shown = {row.client.pk for row in rows if row.measures.summaries}
        listed = {c.pk: c for c in [*own, *everyone]}
        record_many(
            [
                Entry(MeasureAuditAction.SCORES_VIEWED, obj=c, client_id=c.pk)
                if c.pk in scores_shown
                else Entry(AuditAction.CLIENT_LISTED, obj=c, client_id=c.pk)
                for c in listed.values()
            ],
            actor=user,
        )
    return Caseload(
        membership=membership,
        own=own,
        practice=everyone,
        rows=caseload_rows_arrange(rows, sort=sort, show=show),
        total=len(rows),
    )

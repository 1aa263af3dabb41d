"""Reads of practices, clients and their access logs, each through the access layer.

Every read of a client's record by staff writes an audit event, so the client can
see it under "Who has seen my data".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.access import Action, care_team_clients, client_or_404, decide, grant_for, visible_clients
from alongside.audit.log import Entry, record, record_many
from alongside.audit.models import AuditAction, AuditEvent, action_label
from alongside.audit.selectors import actor_labels
from alongside.care.models import (
    CareTeamMember,
    ClientProfile,
    Episode,
    Invitation,
    InvitationRole,
    Membership,
    Practice,
)
from alongside.consent.models import ConsentDocument, ConsentSignature, Scope
from alongside.consent.selectors import scopes_for
from alongside.measures.caseload import Attention, ClientMeasures, Status, caseload_measures
from alongside.measures.caseload import caseload_columns as measures_columns
from alongside.measures.models import MeasureAuditAction


def membership_for(*, user: Any) -> Membership | None:
    """Return the staff member's active membership (the first, when there are several)."""
    if user is None or not user.is_authenticated or getattr(user, "is_client", False):
        return None
    return Membership.objects.select_related("practice").filter(user=user, is_active=True).order_by("joined_at").first()


def _is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and not getattr(user, "is_client", False))


def clients_listed_record(*, user: Any, clients: Iterable[ClientProfile]) -> int:
    """Audit that each client appeared in a list shown to ``user`` (staff only). Returns the count."""
    if not _is_staff(user):
        return 0
    seen: dict[uuid.UUID, ClientProfile] = {}
    for client in clients:
        seen.setdefault(client.pk, client)
    record_many([Entry(AuditAction.CLIENT_LISTED, obj=c, client_id=c.pk) for c in seen.values()], actor=user)
    return len(seen)


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


@dataclass(frozen=True)
class CaseloadRow:
    """A client on the clinician's caseload with what their measures say."""

    client: ClientProfile
    measures: ClientMeasures
    last_checkin: dt.date | None = None
    adherence_pct: int | None = None


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
    CaseloadShow.ATTENTION: lambda row: row.measures.attention != Attention.NONE,
    CaseloadShow.ALERTS: lambda row: row.measures.attention == Attention.CRITICAL_ALERT,
    CaseloadShow.DETERIORATION: lambda row: row.measures.status == Status.RELIABLE_DETERIORATION,
    CaseloadShow.NOT_IMPROVING: lambda row: row.measures.attention == Attention.NOT_IMPROVING,
    CaseloadShow.OVERDUE: lambda row: row.measures.overdue_since is not None,
    CaseloadShow.NOT_SHARED: lambda row: not row.measures.shared,
}


def _highest_first(code: str) -> Callable[[CaseloadRow], tuple[bool, float, str]]:
    def key(row: CaseloadRow) -> tuple[bool, float, str]:
        latest = row.measures.latest_of(code)
        return (latest is None, -(latest or 0), row.client.preferred_name.casefold())

    return key


_SORTS: dict[str, Callable[[CaseloadRow], Any]] = {
    CaseloadSort.ATTENTION: lambda row: (
        row.measures.attention,
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


def caseload_for(
    *,
    user: Any,
    sort: str = CaseloadSort.ATTENTION,
    show: str = CaseloadShow.ALL,
    now: dt.datetime | None = None,
    membership: Membership | None = _UNREAD,
) -> Caseload:
    """Return the staff member's caseload with measures, auditing every client listed and every score read.

    A fixed number of queries whatever the caseload size or the length of each client's history. Pass the
    ``membership`` the caller already read (a view behind ``staff_required``) to save reading it again.
    """
    if membership is _UNREAD:
        membership = membership_for(user=user)
    from alongside.selfcare.selectors import caseload_columns as selfcare_columns
    from alongside.selfcare.selectors import caseload_selfcare_from

    team = care_team_clients(user)
    # The measures and self-care apps add their per-client columns (who shares what, overdue questionnaires,
    # the last check-in) to the one query that reads the clients.
    now = now or timezone.now()
    own = list(team.order_by("created_at").annotate(**measures_columns(now), **selfcare_columns()))
    everyone: list[ClientProfile] = []
    if membership is not None and membership.is_admin:
        everyone = list(visible_clients(user).filter(practice=membership.practice).order_by("created_at"))
    measures = caseload_measures(clients=team, read=own, now=now)
    selfcare = caseload_selfcare_from(own, now=now)
    rows = [
        CaseloadRow(
            client=c,
            measures=measures[c.pk],
            last_checkin=selfcare[c.pk][0],
            adherence_pct=selfcare[c.pk][1],
        )
        for c in own
    ]
    if _is_staff(user):
        # One event per client, the strongest that happened: their scores were shown, or they were listed.
        scores_shown = {row.client.pk for row in rows if row.measures.summaries}
        listed = {c.pk: c for c in [*own, *everyone]}
        record_many(
            [
                Entry(cast(AuditAction, MeasureAuditAction.SCORES_VIEWED), obj=c, client_id=c.pk)
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


def client_for_staff(*, user: Any, client_id: uuid.UUID | str, action: Action = Action.VIEW_ADMIN) -> ClientProfile:
    """Return the client if ``user`` (staff) may perform ``action``; audit the read. 404 otherwise."""
    if not _is_staff(user):
        raise Http404("No such client.")
    client = client_or_404(user, client_id, action)
    record(AuditAction.CLIENT_VIEWED, actor=user, obj=client, client_id=client.pk, detail={"action": str(action)})
    return client


def own_client_profile(*, user: Any) -> ClientProfile:
    """Return the signed-in client's own profile, or 404 for anyone else."""
    if user is None or not user.is_authenticated or not getattr(user, "is_client", False):
        raise Http404("No such client.")
    return client_or_404(user, user.pk, Action.VIEW_ADMIN)


@dataclass(frozen=True)
class TeamMember:
    clinician_id: uuid.UUID
    name: str
    is_primary: bool
    since: dt.datetime


@dataclass(frozen=True)
class EpisodeRow:
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str
    reason: str | None  # None when the viewer may not see it


@dataclass(frozen=True)
class ClientRecord:
    """A client's administrative record: who, status, care team, episodes, consent, sharing."""

    client: ClientProfile
    preferred_name: str
    email: str
    status: str
    status_label: str
    practice_name: str
    care_team: list[TeamMember]
    episodes: list[EpisodeRow]
    consent_version: int | None
    consent_signed_at: dt.datetime | None
    consent_current: bool
    scopes: dict[str, bool] = field(default_factory=dict)

    @property
    def shared_scopes(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Scope.choices if self.scopes.get(value)]

    @property
    def unshared_scopes(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in Scope.choices if not self.scopes.get(value)]


def client_record_build(*, viewer: Any, client: ClientProfile) -> ClientRecord:
    """Assemble the administrative record of a client the viewer was already allowed to see."""
    team = [
        TeamMember(
            clinician_id=m.clinician_id, name=m.clinician.display_name, is_primary=m.is_primary, since=m.started_at
        )
        for m in CareTeamMember.objects.filter(client=client, ended_at__isnull=True)
        .select_related("clinician")
        .order_by("-is_primary", "started_at")
    ]
    clinical = decide(viewer, client, Action.VIEW_CLINICAL)
    episodes = [
        EpisodeRow(
            started_on=e.started_on,
            ended_on=e.ended_on,
            end_reason=e.get_end_reason_display() if e.end_reason else "",
            reason=e.reason if clinical else None,
        )
        for e in Episode.objects.filter(client=client)
    ]
    signature = ConsentSignature.objects.filter(client=client).select_related("document").order_by("-signed_at").first()
    latest = ConsentDocument.objects.filter(practice_id=client.practice_id).order_by("-version").first()
    return ClientRecord(
        client=client,
        preferred_name=client.preferred_name,
        email=client.user.email,
        status=client.status,
        status_label=client.get_status_display(),
        practice_name=client.practice.name,
        care_team=team,
        episodes=episodes,
        consent_version=signature.document.version if signature else None,
        consent_signed_at=signature.signed_at if signature else None,
        consent_current=bool(signature and latest and signature.document_id == latest.pk),
        scopes=scopes_for(client_id=client.pk),
    )


def client_record_for(*, user: Any, client_id: uuid.UUID | str) -> ClientRecord:
    """Return the administrative record for staff (audited) or for the client themselves."""
    if _is_staff(user):
        client = client_for_staff(user=user, client_id=client_id, action=Action.VIEW_ADMIN)
    else:
        client = client_or_404(user, client_id, Action.VIEW_ADMIN)
    return client_record_build(viewer=user, client=client)


def clients_visible_to(*, user: Any) -> list[ClientProfile]:
    """Return the clients whose record ``user`` may see; staff lists are audited."""
    clients = list(visible_clients(user).select_related("user").order_by("created_at"))
    clients_listed_record(user=user, clients=clients)
    return clients


# --- "Who has seen my data" ------------------------------------------------------------


@dataclass(frozen=True)
class AccessLogRow:
    at: dt.datetime
    who: str
    action: str
    action_label: str


def _access_events(client: ClientProfile) -> QuerySet[AuditEvent]:
    # Events about this client by anyone other than the client: staff (clients cannot act on others).
    return (
        AuditEvent.objects.filter(client_id=client.pk, actor_id__isnull=False)
        .exclude(actor_id=client.pk)
        .order_by("-seq")
    )


def _rows(events: list[AuditEvent]) -> list[AccessLogRow]:
    # Named when shown, never from the stored event: the log holds ids only (an erased person stays unnamed).
    names = actor_labels(e.actor_id for e in events)
    return [
        AccessLogRow(
            at=e.at,
            who=names[e.actor_id],
            action=e.action,
            action_label=action_label(e.action),
        )
        for e in events
    ]


def access_log_rows(*, client: ClientProfile, limit: int | None = None) -> list[AccessLogRow]:
    """Return staff events about ``client``, newest first, naming each member of staff."""
    events = _access_events(client)
    return _rows(list(events[:limit] if limit else events))


def access_log_page(
    *, client: ClientProfile, page: str | int | None, per_page: int = 50
) -> tuple[Page, list[AccessLogRow]]:
    """Return one page of the client's access log and its rows."""
    paged = Paginator(_access_events(client), per_page).get_page(page)
    return paged, _rows(list(paged.object_list))


def access_log_client(*, user: Any, client_id: uuid.UUID | str) -> ClientProfile:
    """Return the client whose access log ``user`` may read: the client, or their care team. 404 otherwise."""
    client = client_or_404(user, client_id, Action.VIEW_ADMIN)
    grant = grant_for(user, client)
    if not (grant.is_self or grant.on_care_team):
        raise Http404("No such client.")
    if not grant.is_self:
        record(AuditAction.ACCESS_LOG_VIEWED, actor=user, obj=client, client_id=client.pk)
    return client


# --- Practice administration ------------------------------------------------------------


def staff_of(*, practice: Practice) -> list[Membership]:
    """Return the practice's memberships with their people."""
    return list(Membership.objects.filter(practice=practice).select_related("user").order_by("-is_active", "joined_at"))


def staff_invitations_pending(*, practice: Practice) -> list[Invitation]:
    """Return staff invitations not yet used, withdrawn or expired."""
    from django.utils import timezone

    return list(
        Invitation.objects.filter(
            practice=practice,
            role__in=[InvitationRole.CLINICIAN, InvitationRole.ADMIN],
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("-created_at")
    )


def consent_documents_of(*, practice: Practice) -> list[ConsentDocument]:
    """Return every published version of the practice's consent text, newest first."""
    return list(ConsentDocument.objects.filter(practice=practice).select_related("published_by").order_by("-version"))


def invitation_known(*, token: str) -> bool:
    """Return whether ``token`` belongs to any invitation (used, expired or not)."""
    from alongside.care.services import _token_digest

    return Invitation.objects.filter(token_digest=_token_digest(token)).exists()

"""Reads of practices, clients and their access logs, each through the access layer.

Every read of a client's record by staff writes an audit event, so the client can
see it under "Who has seen my data".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from alongside.access import Action, client_or_404, grant_for, visible_clients
from alongside.accounts.models import User
from alongside.audit.log import Entry, record, record_many
from alongside.audit.models import AuditAction, AuditEvent, action_label
from alongside.audit.selectors import actor_labels
from alongside.care.models import (
    ADMIN_ROLES,
    CareTeamMember,
    ClientProfile,
    Invitation,
    InvitationRole,
    Membership,
    Practice,
)


def membership_for(*, user: Any) -> Membership | None:
    """Return the staff member's active membership (the first, when there are several)."""
    if user is None or not user.is_authenticated or getattr(user, "is_client", False):
        return None
    return Membership.objects.select_related("practice").filter(user=user, is_active=True).order_by("joined_at").first()


def is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and not getattr(user, "is_client", False))


def clients_listed_record(*, user: Any, clients: Iterable[ClientProfile]) -> int:
    """Audit that each client appeared in a list shown to ``user`` (staff only). Returns the count."""
    if not is_staff(user):
        return 0
    seen: dict[uuid.UUID, ClientProfile] = {}
    for client in clients:
        seen.setdefault(client.pk, client)
    record_many([Entry(AuditAction.CLIENT_LISTED, obj=c, client_id=c.pk) for c in seen.values()], actor=user)
    return len(seen)


def client_for_staff(*, user: Any, client_id: uuid.UUID | str, action: Action = Action.VIEW_ADMIN) -> ClientProfile:
    """Return the client if ``user`` (staff) may perform ``action``; audit the read. 404 otherwise."""
    if not is_staff(user):
        raise Http404("No such client.")
    client = client_or_404(user, client_id, action)
    record(AuditAction.CLIENT_VIEWED, actor=user, obj=client, client_id=client.pk, detail={"action": str(action)})
    return client


def own_client_profile(*, user: Any) -> ClientProfile:
    """Return the signed-in client's own profile, or 404 for anyone else."""
    if user is None or not user.is_authenticated or not getattr(user, "is_client", False):
        raise Http404("No such client.")
    return client_or_404(user, user.pk, Action.VIEW_ADMIN)


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
) -> tuple[Page[Any], list[AccessLogRow]]:
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

    return list(
        Invitation.objects.filter(
            practice=practice,
            role__in=[InvitationRole.CLINICIAN, InvitationRole.ADMIN],
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("-created_at")
    )


def invitation_known(*, token: str) -> bool:
    """Return whether ``token`` belongs to any invitation (used, expired or not)."""
    from alongside.care.services import _token_digest

    return Invitation.objects.filter(token_digest=_token_digest(token)).exists()


# --- Who hears about a client -------------------------------------------------------------


def staff_recipients(*, client: ClientProfile) -> list[User]:
    """The treating clinicians (current care team, active in the practice); the admins when there are none."""
    active = Membership.objects.filter(practice_id=client.practice_id, is_active=True).values("user_id")
    team = list(
        User.objects.filter(
            pk__in=CareTeamMember.objects.filter(client=client, ended_at__isnull=True).values("clinician_id"),
            is_active=True,
        ).filter(pk__in=active)
    )
    return team or practice_admins(practice_id=client.practice_id)


def practice_admins(*, practice_id: uuid.UUID) -> list[User]:
    """The active owners and admins of the practice."""
    admins = Membership.objects.filter(practice_id=practice_id, is_active=True, role__in=ADMIN_ROLES)
    return list(User.objects.filter(pk__in=admins.values("user_id"), is_active=True))


def name_search_filter(*, query: str) -> Q:
    """A filter on ``ClientProfile`` for names holding every typed word (whole, or a 3+ letter prefix).

    Matches the keyed blind index (``alongside.crypto.blind_index``); an empty query matches everyone.
    """
    from alongside.crypto.blind_index import query_tokens

    wanted = query_tokens(query)
    if not wanted:
        return Q()
    match = Q(pk__in=[])
    for key_id, tokens in wanted.items():
        one_key = Q(name_index__startswith=f"{key_id}: ")
        for token in tokens:
            one_key &= Q(name_index__contains=f" {token} ")
        match |= one_key
    return match


def practice_staff_member(*, practice_id: uuid.UUID, user_id: str) -> User | None:
    """The active staff member of the practice with this id, or None (a bad or foreign id)."""
    try:
        wanted = uuid.UUID(str(user_id))
    except ValueError:
        return None
    membership = (
        Membership.objects.filter(practice_id=practice_id, user_id=wanted, is_active=True)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


def practice_staff(*, practice_id: uuid.UUID) -> list[User]:
    """The practice's active staff, by name: the clinicians a care team may be chosen from."""
    members = Membership.objects.filter(practice_id=practice_id, is_active=True).select_related("user")
    return sorted((m.user for m in members), key=lambda user: user.display_name.casefold())

"""The access layer: the one place that decides who may read or write a client's data.

Rules, in order:

1. A client may read and write their own record, whatever they share.
2. Staff need an active membership in the client's practice. Without it they
   learn nothing, not even that the client exists (callers answer 404).
3. Practice owners and admins may see the administrative record (name, status,
   care team) and may erase a client; they see clinical data only when they are
   also on the client's care team.
4. Clinicians on the client's current care team may see the client's record and
   each stream the client shares (a scope), and may write clinical records.
5. Everything else is refused.

Views, API routes and commands reach client data only through selectors and
services that call :func:`decide` (or its helpers) first.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, Q, QuerySet
from django.http import Http404

from alongside.care.models import CareTeamMember, ClientProfile, Membership
from alongside.consent.models import Scope, ScopeGrant


class Action(StrEnum):
    VIEW_ADMIN = "view_admin"  # name, status, care team, episodes
    VIEW_CLINICAL = "view_clinical"  # a shared stream; needs a scope
    WRITE_CLINICAL = "write_clinical"
    MANAGE = "manage"  # invite, change care team, episodes
    ERASE = "erase"


@dataclass(frozen=True)
class Grant:
    """What one person may do with one client's record, and why."""

    is_self: bool
    membership: Membership | None
    on_care_team: bool
    scopes: frozenset[str]

    def allows(self, action: Action, scope: Scope | None = None) -> bool:
        if self.is_self:
            return action != Action.ERASE
        if self.membership is None:
            return False
        is_admin = self.membership.is_admin
        if action == Action.VIEW_ADMIN:
            return self.on_care_team or is_admin
        if action == Action.MANAGE:
            return self.on_care_team or is_admin
        if action == Action.ERASE:
            return is_admin
        if action == Action.WRITE_CLINICAL:
            return self.on_care_team
        if action == Action.VIEW_CLINICAL:
            return self.on_care_team and (scope is None or str(scope) in self.scopes)
        return False


NO_GRANT = Grant(is_self=False, membership=None, on_care_team=False, scopes=frozenset())


def grant_for(user: Any, client: ClientProfile) -> Grant:
    """Work out what ``user`` may do with ``client``'s record."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_GRANT
    if user.pk == client.user_id:
        return Grant(is_self=True, membership=None, on_care_team=False, scopes=frozenset(Scope.values))
    if user.is_client:
        return NO_GRANT
    # One query answers both "a member of the practice?" and "on the care team?".
    on_team_now = CareTeamMember.objects.filter(client=client, clinician=user, ended_at__isnull=True)
    membership = (
        Membership.objects.filter(user=user, practice_id=client.practice_id, is_active=True)
        .annotate(on_team=Exists(on_team_now))
        .first()
    )
    if membership is None:
        return NO_GRANT
    on_team = bool(getattr(membership, "on_team", False))
    scopes = frozenset(ScopeGrant.objects.filter(client=client, granted=True).values_list("scope", flat=True))
    return Grant(is_self=False, membership=membership, on_care_team=on_team, scopes=scopes)


def decide(user: Any, client: ClientProfile, action: Action, scope: Scope | None = None) -> bool:
    """Return whether ``user`` may perform ``action`` (on ``scope``) for ``client``."""
    return grant_for(user, client).allows(action, scope)


def client_or_404(user: Any, client_id: uuid.UUID | str, action: Action, scope: Scope | None = None) -> ClientProfile:
    """Return the client if ``user`` may perform ``action``; otherwise raise 404 (never 'exists')."""
    return client_and_grant_or_404(user, client_id, action, scope)[0]


def client_and_grant_or_404(
    user: Any, client_id: uuid.UUID | str, action: Action, scope: Scope | None = None
) -> tuple[ClientProfile, Grant]:
    """Like :func:`client_or_404`, and also return the grant, for callers that ask several questions of it."""
    try:
        client = ClientProfile.objects.select_related("user", "practice").get(pk=uuid.UUID(str(client_id)))
    except (ClientProfile.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("No such client.") from None
    grant = grant_for(user, client)
    if not grant.allows(action, scope):
        raise Http404("No such client.")
    return client, grant


def visible_clients(user: Any) -> QuerySet[ClientProfile]:
    """Return the clients whose administrative record ``user`` may see (a queryset)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ClientProfile.objects.none()
    if user.is_client:
        return ClientProfile.objects.filter(pk=user.pk)
    admin_practices = Membership.objects.filter(user=user, is_active=True, role__in=["owner", "admin"]).values(
        "practice_id"
    )
    member_practices = Membership.objects.filter(user=user, is_active=True).values("practice_id")
    team = CareTeamMember.objects.filter(clinician=user, ended_at__isnull=True).values("client_id")
    return ClientProfile.objects.filter(practice_id__in=member_practices).filter(
        Q(practice_id__in=admin_practices) | Q(pk__in=team)
    )


def care_team_clients(user: Any) -> QuerySet[ClientProfile]:
    """Return the clients on whose current care team ``user`` is (a queryset)."""
    if user is None or not user.is_authenticated or not user.is_active or user.is_client:
        return ClientProfile.objects.none()
    member_practices = Membership.objects.filter(user=user, is_active=True).values("practice_id")
    team = CareTeamMember.objects.filter(clinician=user, ended_at__isnull=True).values("client_id")
    return ClientProfile.objects.filter(practice_id__in=member_practices, pk__in=team)

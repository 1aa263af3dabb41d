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
services that call :func:`decide` (or its helpers) first. A record that belongs to
a client (a response, an appointment, an entry, ...) is fetched by id with
:func:`owned_or_404`, which answers 404 alike for a missing id, a malformed id and
a record the actor may not reach.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Exists, Model, Q, QuerySet
from django.http import Http404

from alongside.accounts.models import User
from alongside.care.models import CareTeamMember, ClientProfile, Membership
from alongside.consent.models import Scope, ScopeGrant
from alongside.core.actor import Actor
from alongside.core.prepared import Prepared


class Action(StrEnum):
    VIEW_ADMIN = "view_admin"  # name, status, care team, episodes
    VIEW_CLINICAL = "view_clinical"  # a shared stream; needs a scope
    WRITE_CLINICAL = "write_clinical"
    MANAGE = "manage"  # invite, change care team, episodes
    ERASE = "erase"
    OWN = "own"  # the client themselves only: their own drafts, tasks, check-ins
    CARE_TEAM = "care_team"  # a clinician on the current care team only, never the client


@dataclass(frozen=True)
class Grant:
    """What one person may do with one client's record, and why."""

    is_self: bool
    membership: Membership | None
    on_care_team: bool
    scopes: frozenset[str]

    def allows(self, action: Action, scope: Scope | None = None) -> bool:
        if self.is_self:
            return action not in (Action.ERASE, Action.CARE_TEAM)
        if self.membership is None or action == Action.OWN:
            return False
        is_admin = self.membership.is_admin
        if action == Action.VIEW_ADMIN:
            return self.on_care_team or is_admin
        if action == Action.MANAGE:
            return self.on_care_team or is_admin
        if action == Action.ERASE:
            return is_admin
        if action in (Action.WRITE_CLINICAL, Action.CARE_TEAM):
            return self.on_care_team
        if action == Action.VIEW_CLINICAL:
            return self.on_care_team and (scope is None or str(scope) in self.scopes)
        return False


NO_GRANT = Grant(is_self=False, membership=None, on_care_team=False, scopes=frozenset())


# --- Decisions remembered for one request -----------------------------------------------------
#
# A page asks the same question many times: the session brief asked for one clinician's grant on one client
# 13 times, two queries each, a third of its queries (issue #19). Inside `decisions_remembered` (one HTTP
# request: alongside.web.middleware.AccessDecisionsMiddleware) a staff grant is worked out once per person
# and client, and a client's profile is loaded once (it was loaded 7 times, a fifth of the brief's CPU). Any
# statement that writes a table these are read from, or rolls back, forgets them all, so a request that
# changes sharing, the care team, a membership or the profile sees the change at its next question.

_remembered: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("alongside_access_grants", default=None)
_GRANT_TABLES = (
    "consent_scopegrant",
    "care_careteammember",
    "care_membership",
    "care_clientprofile",
    "care_practice",
    "accounts_user",
)


def _forget_on_grant_writes(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    remembered = _remembered.get()
    if remembered:
        head = sql.lstrip()[:8].upper()
        if head.startswith("ROLLBACK") or (
            not head.startswith("SELECT") and any(table in sql for table in _GRANT_TABLES)
        ):
            remembered.clear()
    return execute(sql, params, many, context)


@contextlib.contextmanager
def decisions_remembered() -> Iterator[None]:
    """Remember each staff member's grant on each client within the block (one request); see above."""
    token = _remembered.set({})
    try:
        with connection.execute_wrapper(_forget_on_grant_writes):
            yield
    finally:
        _remembered.reset(token)


def grant_for(user: Any, client: ClientProfile) -> Grant:
    """Work out what ``user`` may do with ``client``'s record."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_GRANT
    if user.pk == client.user_id:
        return Grant(is_self=True, membership=None, on_care_team=False, scopes=frozenset(Scope.values))
    if user.is_client:
        return NO_GRANT
    remembered = _remembered.get()
    if remembered is None:
        return _staff_grant(user, client)
    key = ("grant", user.pk, client.pk)
    grant: Grant | None = remembered.get(key)
    if grant is None:
        grant = remembered[key] = _staff_grant(user, client)
    return grant


def _staff_grant(user: Any, client: ClientProfile) -> Grant:
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
        client = _client(uuid.UUID(str(client_id)), asker=user)
    except (ClientProfile.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("No such client.") from None
    grant = grant_for(user, client)
    if not grant.allows(action, scope):
        raise Http404("No such client.")
    return client, grant


def _client(pk: uuid.UUID, *, asker: Any = None) -> ClientProfile:
    """The client's profile with its user and practice, loaded once per request (see above)."""
    remembered = _remembered.get()
    if remembered is None:
        return _load_client(pk, asker)
    key = ("client", pk)
    client: ClientProfile | None = remembered.get(key)
    if client is None:
        client = remembered[key] = _load_client(pk, asker)
    return client


_OWN_PROFILE = Prepared(
    ClientProfile,
    lambda pk: ClientProfile.objects.select_related("practice").filter(pk=pk).order_by()[:1],
    pk=(ClientProfile._meta.pk, uuid.UUID(int=0x5EED_0F_A1_0115_1DE)),
)


def _load_client(pk: uuid.UUID, asker: Any) -> ClientProfile:
    if type(asker) is User and asker.pk == pk:
        # A client asking about their own record: their user row is loaded already (a token call's look-up),
        # so join the practice only; the join and the second model cost more than the row (issue #19).
        # The statement is compiled once per process (alongside.core.prepared).
        client = _OWN_PROFILE.first(pk=pk)
        if client is None:
            raise ClientProfile.DoesNotExist
        client.user = asker
        return client
    return ClientProfile.objects.select_related("user", "practice").get(pk=pk)


def owned_or_404[M: Model](
    actor: Actor,
    model: type[M],
    pk: Any,
    action: Action,
    scope: Scope | None = None,
    *,
    queryset: QuerySet[M] | None = None,
    client_field: str = "client",
) -> M:
    """Return the ``model`` row ``pk`` when ``actor`` may perform ``action`` on its client; otherwise 404.

    A missing row, a malformed id and a refusal all answer the same 404, so an outsider
    cannot learn that the record exists. ``queryset`` narrows the rows further (for
    example to open ones, or ``select_for_update()`` inside a transaction: then only the
    record's row is locked, not its client's); ``client_field`` names the foreign key to
    :class:`ClientProfile`.
    """
    return owned_and_grant_or_404(actor, model, pk, action, scope, queryset=queryset, client_field=client_field)[0]


def owned_and_grant_or_404[M: Model](
    actor: Actor,
    model: type[M],
    pk: Any,
    action: Action,
    scope: Scope | None = None,
    *,
    queryset: QuerySet[M] | None = None,
    client_field: str = "client",
) -> tuple[M, Grant]:
    """Like :func:`owned_or_404`, and also return the grant, for callers that ask several questions of it."""
    rows = queryset if queryset is not None else model._default_manager.all()
    if not rows.query.select_for_update:
        # Joined rows would be locked too (on PostgreSQL, the whole practice): fetch the client apart when locking.
        rows = rows.select_related(f"{client_field}__user", f"{client_field}__practice")
    missing = Http404(f"No such {model._meta.verbose_name}.")
    try:
        found = rows.filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):
        raise missing from None
    if found is None:
        raise missing
    grant = grant_for(actor, getattr(found, client_field))
    if not grant.allows(action, scope):
        raise missing
    return found, grant


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

"""Reads for group video sessions: who may enter a group's room, and the groups a person sees.

A group's room admits its invited clients, the clinician who runs it and its staff guests;
everyone else (another client, a clinician outside the group, a stranger) gets the same 404
as for a group that does not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from alongside.care.models import Membership
from alongside.core.actor import SignedIn
from alongside.telehealth.group_models import GroupSession
from alongside.telehealth.models import Role
from alongside.telehealth.selectors import CLIENT_EARLY, CLINICIAN_EARLY, LATE


@dataclass(frozen=True)
class GroupAccess:
    """One person's way into one group session's room."""

    group: GroupSession
    role: Role
    display_name: str
    opens_at: dt.datetime
    closes_at: dt.datetime

    def is_open(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.group.cancelled_at is None and self.opens_at <= moment < self.closes_at

    @property
    def too_early(self) -> bool:
        return timezone.now() < self.opens_at

    @property
    def runs_it(self) -> bool:
        return self.role == Role.CLINICIAN


def _parse(group_id: uuid.UUID | str) -> uuid.UUID:
    try:
        return uuid.UUID(str(group_id))
    except ValueError:
        raise Http404("No such group session.") from None


def group_access(*, actor: SignedIn, group_id: uuid.UUID | str) -> GroupAccess:
    """Return the actor's access to the group's room, or 404 for anyone not invited."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise Http404("No such group session.")
    key = _parse(group_id)
    group = GroupSession.objects.filter(pk=key).select_related("clinician").first()
    if group is None:
        raise Http404("No such group session.")
    if getattr(actor, "is_client", False):
        member = group.members.filter(client__user=actor).select_related("client").first()
        if member is None:
            raise Http404("No such group session.")
        role, name, early = Role.CLIENT, member.client.preferred_name or "", CLIENT_EARLY
    else:
        in_practice = Membership.objects.filter(user=actor, practice_id=group.practice_id, is_active=True).exists()
        if group.clinician_id == actor.pk and in_practice:
            role = Role.CLINICIAN
        elif in_practice and group.guests.filter(guest=actor).exists():
            role = Role.GUEST
        else:
            raise Http404("No such group session.")
        name, early = actor.display_name, CLINICIAN_EARLY
    return GroupAccess(
        group=group, role=role, display_name=name, opens_at=group.starts_at - early, closes_at=group.ends_at + LATE
    )


def groups_for(*, actor: SignedIn, now: dt.datetime | None = None) -> list[GroupSession]:
    """Return the actor's group sessions still to come or running (not cancelled), earliest first."""
    moment = now or timezone.now()
    rows: QuerySet[GroupSession] = GroupSession.objects.filter(cancelled_at__isnull=True)
    if getattr(actor, "is_client", False):
        rows = rows.filter(members__client__user=actor)
    else:
        rows = rows.filter(clinician=actor) | rows.filter(guests__guest=actor)
    upcoming = rows.distinct().select_related("clinician").order_by("starts_at")
    return [g for g in upcoming.filter(starts_at__gte=moment - dt.timedelta(hours=5)) if moment < g.ends_at + LATE]


def group_closing_due(*, now: dt.datetime | None = None) -> list[GroupSession]:
    """Groups whose Janus room is still open although the session is over (or was cancelled)."""
    moment = now or timezone.now()
    open_rooms = GroupSession.objects.filter(janus_room__isnull=False)
    return [g for g in open_rooms if g.cancelled_at is not None or g.ends_at + LATE <= moment]


def groups_open_now(*, actor: SignedIn, rows: list[GroupSession], now: dt.datetime | None = None) -> set[uuid.UUID]:
    """The ids among ``rows`` whose room the actor may join now (clients from 15 minutes before)."""
    moment = now or timezone.now()
    early = CLIENT_EARLY if getattr(actor, "is_client", False) else CLINICIAN_EARLY
    return {g.pk for g in rows if g.cancelled_at is None and g.starts_at - early <= moment < g.ends_at + LATE}

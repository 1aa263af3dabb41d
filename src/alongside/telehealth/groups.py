"""Reads for group video sessions: who may enter a group's room, and the groups a person sees.

A group's room admits its invited clients, the clinician who runs it and its staff guests;
everyone else (another client, a clinician outside the group, a stranger) gets the same 404
as for a group that does not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

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


def join_refusal(entry: GroupAccess) -> str:
    """Why the person cannot enter the group's call now (in words), or "" when they can."""
    from alongside.telehealth import janus

    if not janus.enabled():
        return _("Group video sessions are not switched on here.")
    if entry.is_open():
        return ""
    if entry.too_early and entry.group.cancelled_at is None:
        local = timezone.localtime(entry.opens_at)
        return _("The session opens at %(time)s. Come back then.") % {"time": time_format(local, "TIME_FORMAT")}
    return _("This session is not open for video.")


def attendance_of(group: GroupSession) -> list[tuple[str, bool]]:
    """Each invited client's preferred name and whether they were in the call with the clinician."""
    from alongside.telehealth.group_call_models import GroupPresence

    attended = set(
        GroupPresence.objects.filter(group=group, attended_at__isnull=False).values_list("user_id", flat=True)
    )
    members = group.members.select_related("client")
    return sorted(((m.client.preferred_name or "", m.client.pk in attended) for m in members), key=lambda r: r[0])


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


LONGEST = dt.timedelta(minutes=240)  # a group lasts at most this long (the model's check constraint)


def group_busy(starts_at: dt.datetime, ends_at: dt.datetime, clinician_id: uuid.UUID, client_id: uuid.UUID) -> str:
    """Why a one-to-one session at this time would clash with a group session, or "" (a ``sessions`` busy check).

    The clinician is busy during the groups they run, and a client during the groups they are invited to.
    """
    candidates = (
        GroupSession.objects.filter(cancelled_at__isnull=True, starts_at__lt=ends_at, starts_at__gt=starts_at - LONGEST)
        .filter(Q(clinician_id=clinician_id) | Q(members__client_id=client_id))
        .distinct()
    )
    for group in candidates:
        if group.starts_at + dt.timedelta(minutes=group.duration_minutes) > starts_at:
            if group.clinician_id == clinician_id:
                return _("You have a group session at that time. Choose another time.")
            return _("The client has a group session at that time. Choose another time.")
    return ""

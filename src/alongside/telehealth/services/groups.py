"""Writes for group video sessions: schedule, cancel, join (opening the Janus room), close the room.

A group runs through a Janus VideoRoom (an SFU) instead of peer-to-peer links, which would not
scale to ten people. Joining hands the browser a short-lived Janus token and the room's pin;
nothing of the call passes through here. Every write is audited with ids and roles only.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.accounts.models import User
from alongside.audit.log import record
from alongside.care.models import Membership
from alongside.core.actor import SignedIn
from alongside.core.services import reader, service, unaudited
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth import groups, ice, janus, reminders
from alongside.telehealth.group_call_models import GroupCallRole, GroupPresence
from alongside.telehealth.group_models import (
    MAX_CLIENTS,
    MAX_PARTICIPANTS,
    MIN_CLIENTS,
    GroupAuditAction,
    GroupGuest,
    GroupMember,
    GroupReminder,
    GroupSession,
)
from alongside.telehealth.models import Role

MAX_TOKEN_LIFE = dt.timedelta(hours=6)


@dataclass(frozen=True)
class GroupTicket:
    """What one admitted browser needs to enter the group's VideoRoom."""

    access: groups.GroupAccess
    config: dict[str, Any]


def _event(action: GroupAuditAction, actor: SignedIn | None, group: GroupSession, **detail: Any) -> None:
    record(action, actor=actor, obj=group, detail={"group": str(group.pk), **detail})


@service
def group_create(
    *,
    actor: SignedIn,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int = 90,
    client_ids: list[uuid.UUID | str],
    guest_emails: tuple[str, ...] = (),
) -> GroupSession:
    """Schedule a group session for 2 to 9 clients of the actor's own caseload, plus staff guests."""
    if getattr(actor, "is_client", True):
        raise PermissionDenied(_("Only a clinician can schedule a group session."))
    membership = Membership.objects.filter(user=actor, is_active=True).first()
    if membership is None:
        raise PermissionDenied(_("Only a clinician can schedule a group session."))
    wanted = {uuid.UUID(str(c)) for c in client_ids}
    if not MIN_CLIENTS <= len(wanted) <= MAX_CLIENTS:
        raise ValidationError(_("Invite between 2 and 9 clients."))
    clients = list(access.care_team_clients(actor).filter(pk__in=wanted, practice_id=membership.practice_id))
    if len(clients) != len(wanted):
        raise ValidationError(_("Invite only clients whose care team you are on."))
    title = title.strip()
    if not title or len(title) > 80:
        raise ValidationError(_("Give the group a short title (80 characters at most)."))
    if starts_at + dt.timedelta(minutes=duration_minutes) <= timezone.now():
        raise ValidationError(_("Choose a time that has not passed."))
    _refuse_clinician_overlap(actor, starts_at, duration_minutes)
    guest_set = {e.strip().lower() for e in guest_emails if e.strip()}
    refuse_over_capacity(clients=len(clients), guests=len(guest_set))
    guests = []
    for email in guest_set:
        guest = User.objects.filter(email__iexact=email, is_active=True).first()
        member = (
            guest is not None
            and Membership.objects.filter(user=guest, practice_id=membership.practice_id, is_active=True).exists()
        )
        if guest is None or not member or guest.pk == actor.pk:
            raise ValidationError(_("Invite a colleague of your practice by their sign-in email."))
        guests.append(guest)
    group = GroupSession.objects.create(
        practice_id=membership.practice_id,
        clinician=actor,
        title=title,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        created_at=timezone.now(),
    )
    GroupMember.objects.bulk_create([GroupMember(group=group, client=c) for c in clients])
    GroupGuest.objects.bulk_create([GroupGuest(group=group, guest=g) for g in guests])
    _event(GroupAuditAction.CREATED, actor, group, clients=len(clients), guests=len(guests))
    return group


@reader
def refuse_over_capacity(*, clients: int, guests: int) -> None:
    """Refuse a group of more than ten people: its clients, its staff guests and the clinician who runs it.

    Call it when a group is made and whenever a client or guest is added to one.
    """
    if clients + guests + 1 > MAX_PARTICIPANTS:
        raise ValidationError(
            _(
                "A group session holds at most %(max)d people, the clinician and any co-therapists or interpreters "
                "included. This one would have %(count)d: invite fewer clients or guests."
            )
            % {"max": MAX_PARTICIPANTS, "count": clients + guests + 1}
        )


def _refuse_clinician_overlap(actor: SignedIn, starts_at: dt.datetime, duration_minutes: int) -> None:
    """Refuse a group over another group or a scheduled one-to-one session of the same clinician."""
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    earliest = starts_at - dt.timedelta(minutes=240)  # no session or group lasts longer
    groups_then = GroupSession.objects.filter(
        clinician=actor, cancelled_at__isnull=True, starts_at__lt=ends_at, starts_at__gt=earliest
    )
    sessions_then = Appointment.objects.filter(
        clinician=actor, status=AppointmentStatus.SCHEDULED, starts_at__lt=ends_at, starts_at__gt=earliest
    )
    busy = [g.starts_at + dt.timedelta(minutes=g.duration_minutes) for g in groups_then]
    busy += [a.ends_at for a in sessions_then]
    if any(end > starts_at for end in busy):
        raise ValidationError(_("You already have a session at that time. Choose another time."))


def _close_room(actor: SignedIn | None, group: GroupSession) -> None:
    if group.janus_room is None:
        return
    janus.JanusClient().room_destroy(room=group.janus_room)
    room = group.janus_room
    group.janus_room = None
    group.room_closed_at = timezone.now()
    group.save(update_fields=["janus_room", "room_closed_at"])
    _event(GroupAuditAction.ROOM_CLOSED, actor, group, room=room)
    # Everyone but the clinician waits again if the call is reopened.
    GroupPresence.objects.filter(group=group).exclude(role=GroupCallRole.CLINICIAN).update(
        admitted_at=None, in_call=False
    )


@service
def group_cancel(*, actor: SignedIn, group_id: uuid.UUID | str) -> GroupSession:
    """Cancel a group session (its clinician only); an open room is closed."""
    entry = groups.group_access(actor=actor, group_id=group_id)
    if not entry.runs_it:
        raise PermissionDenied(_("Only the clinician who runs the group can do this."))
    group = GroupSession.objects.select_for_update().get(pk=entry.group.pk)
    if group.cancelled_at is None:
        group.cancelled_at = timezone.now()
        group.save(update_fields=["cancelled_at"])
        _event(GroupAuditAction.CANCELLED, actor, group)
    _close_room(actor, group)
    return group


@service
def group_join(*, actor: SignedIn, group_id: uuid.UUID | str, user_id: str = "") -> GroupTicket:
    """Hand an admitted person (or the clinician) the keys to the group's VideoRoom, opening it on first use.

    Their room token goes on the room's allowed list, and an earlier connection of theirs is sent out.
    Returns the browser's configuration: the public Janus URL, a token valid until the room
    closes (at most six hours), the room number and pin, the person's display name and the ICE
    servers. Refused outside the join window and when group sessions are off.
    """
    entry = groups.group_access(actor=actor, group_id=group_id)
    refusal = groups.join_refusal(entry)
    if refusal:
        raise ValidationError(refusal)
    group = GroupSession.objects.select_for_update().get(pk=entry.group.pk)
    admitted = GroupPresence.objects.filter(group=group, user=actor, admitted_at__isnull=False).exists()
    if not entry.runs_it and not admitted:
        raise PermissionDenied(_("Wait until the clinician lets you in."))
    if group.janus_room is None:
        room = janus.new_room_number()
        janus.JanusClient().room_create(room=room, description=f"group {group.pk}")
        group.janus_room, group.room_opened_at, group.room_closed_at = room, timezone.now(), None
        group.save(update_fields=["janus_room", "room_opened_at", "room_closed_at"])
        _event(GroupAuditAction.ROOM_OPENED, actor, group, room=room)
    _event(GroupAuditAction.JOINED, actor, group, role=str(entry.role))
    client = janus.JanusClient()
    feed, room_token = janus.feed_id(group.janus_room, actor.pk), janus.room_token(group.janus_room, actor.pk)
    client.room_kick(room=group.janus_room, feed=feed)  # this person's earlier connection (a drop, another tab)
    client.room_allow(room=group.janus_room, tokens=[room_token])
    expires = min(entry.closes_at, timezone.now() + MAX_TOKEN_LIFE)
    config = {
        "url": settings.TELEHEALTH_JANUS_PUBLIC_URL,
        "token": janus.token(expires_at=expires.timestamp()),
        "room": group.janus_room,
        "pin": janus.room_pin(group.janus_room),
        "room_token": room_token,
        "feed": feed,
        "display": entry.display_name,
        "role": str(entry.role),
        "rtc": ice.ice_config(user_id=user_id or str(actor.pk)),
    }
    return GroupTicket(access=entry, config=config)


@service
def group_room_close(*, actor: SignedIn, group_id: uuid.UUID | str) -> GroupSession:
    """End the group call for everyone (its clinician only): the Janus room is destroyed."""
    entry = groups.group_access(actor=actor, group_id=group_id)
    if entry.role != Role.CLINICIAN:
        raise PermissionDenied(_("Only the clinician who runs the group can do this."))
    group = GroupSession.objects.select_for_update().get(pk=entry.group.pk)
    _close_room(actor, group)
    return group


@service
def group_rooms_close_due(*, now: dt.datetime | None = None) -> int:
    """Destroy the Janus rooms of groups that are over or cancelled; return how many were closed.

    Run by the worker's tick. A room Janus cannot be reached for stays listed and is tried again.
    """
    closed = 0
    for due in groups.group_closing_due(now=now):
        group = GroupSession.objects.select_for_update().get(pk=due.pk)
        try:
            _close_room(None, group)
        except janus.JanusError:
            continue
        closed += 1
    return closed


@unaudited("a tick: reminders follow from audited group sessions; each is kept as delivery telemetry")
def group_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send the due 24-hour and 1-hour reminders of group sessions to each invited client, the clinician and guests.

    As for one-to-one sessions: once per person, kind and channel; a 24-hour reminder not sent before
    the 1-hour mark is skipped; cancelled groups send nothing. Returns how many were sent.
    """
    moment = now or timezone.now()
    sent = 0
    upcoming = (
        GroupSession.objects.filter(
            cancelled_at__isnull=True, starts_at__gt=moment, starts_at__lte=moment + reminders.WINDOWS[0][1]
        )
        .select_related("clinician")
        .prefetch_related("members__client__user", "guests__guest")
    )
    for group in upcoming:
        kind = "1h" if group.starts_at - moment <= dt.timedelta(hours=1) else "24h"
        done = set(GroupReminder.objects.filter(group=group, kind=kind).values_list("recipient_id", "channel"))
        people: list[Any] = [m.client for m in group.members.all()] + [reminders.StaffRecipient(group.clinician)]
        people += [reminders.StaffRecipient(g.guest) for g in group.guests.all()]
        for person in people:
            for channel in reminders.CHANNELS:
                if (person.user.pk, channel.key) in done or not channel.wanted(person):
                    continue
                ref = channel.send(client=person, text=reminders.group_reminder_text(group, person))
                GroupReminder.objects.create(
                    group=group, recipient=person.user, kind=kind, channel=channel.key, sent_at=moment, ref=ref
                )
                sent += 1
    return sent

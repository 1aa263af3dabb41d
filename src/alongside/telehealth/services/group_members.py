"""Writes that change a group session after it was scheduled: its clients, its staff guests, its title and time.

Only the clinician who runs the group may make them, before or during the session (not once it is
over or cancelled). Each person added must be free for the group's whole time, and the group holds at
most ten people (clients, staff guests and the clinician). Feeds and reminders are built from the
group's current members when they are read or sent, so they follow at once; a moved group's sent
reminders are forgotten so everyone is reminded of the new time. Someone taken off a group while its call
is on is sent out of it (``group_calls.group_call_remove``). Every change is audited with ids only.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.accounts.models import User
from alongside.audit.log import record
from alongside.care.models import Membership
from alongside.core.actor import SignedIn
from alongside.core.services import service
from alongside.telehealth import groups, janus
from alongside.telehealth.group_call_models import GroupPresence
from alongside.telehealth.group_members import client_busy, staff_busy
from alongside.telehealth.group_models import (
    MAX_PARTICIPANTS,
    MIN_CLIENTS,
    GroupAuditAction,
    GroupGuest,
    GroupMember,
    GroupReminder,
    GroupSession,
)
from alongside.telehealth.selectors import LATE
from alongside.telehealth.services import group_calls

logger = logging.getLogger(__name__)


def _event(action: GroupAuditAction, actor: SignedIn, group: GroupSession, **detail: Any) -> None:
    record(action, actor=actor, obj=group, detail={"group": str(group.pk), **detail})


def _editable(actor: SignedIn, group_id: uuid.UUID | str) -> GroupSession:
    """The group, locked, if the actor runs it and it is neither cancelled nor over (404 for anyone not invited)."""
    entry = groups.group_access(actor=actor, group_id=group_id)
    if not entry.runs_it:
        raise PermissionDenied(_("Only the clinician who runs the group can do this."))
    group = GroupSession.objects.select_for_update().get(pk=entry.group.pk)
    if group.cancelled_at is not None:
        raise ValidationError(_("This group session was cancelled."))
    if group.ends_at + LATE <= timezone.now():
        raise ValidationError(_("This group session is over."))
    return group


def _refuse_full(group: GroupSession) -> None:
    """Refuse one more person when the group already holds ten (the clinician counted)."""
    people = group.members.count() + group.guests.count() + 1
    if people + 1 > MAX_PARTICIPANTS:
        raise ValidationError(
            _(
                "A group session holds at most %(max)d people, the clinician and any co-therapists or "
                "interpreters included. Remove someone before adding another person."
            )
            % {"max": MAX_PARTICIPANTS}
        )


def _send_out(actor: SignedIn, group: GroupSession, user_id: uuid.UUID) -> None:
    """Someone taken off a group whose call is on leaves it too: out of the waiting room, their Janus key withdrawn."""
    present = GroupPresence.objects.filter(group=group, user_id=user_id, removed_at__isnull=True).exists()
    if not present:
        return
    try:
        group_calls.group_call_remove(actor=actor, group_id=group.pk, user_id=str(user_id))
    except janus.JanusError:
        # Janus unreachable: they stay in a call they are already in, but can no longer join it again.
        logger.warning("telehealth: a person taken off a group could not be sent out of its Janus room")


@service
def group_member_add(*, actor: SignedIn, group_id: uuid.UUID | str, client_id: uuid.UUID) -> GroupMember:
    """Invite one more client of the actor's own caseload, free at the group's time."""
    group = _editable(actor, group_id)
    client = access.care_team_clients(actor).filter(pk=client_id, practice_id=group.practice_id).first()
    if client is None:
        raise ValidationError(_("Invite only clients whose care team you are on."))
    if group.members.filter(client=client).exists():
        raise ValidationError(_("That client is invited already."))
    _refuse_full(group)
    if client_busy(client_id=client.pk, starts_at=group.starts_at, ends_at=group.ends_at, exclude_group=group.pk):
        raise ValidationError(_("That client has another session at that time."))
    member = GroupMember.objects.create(group=group, client=client)
    record(
        GroupAuditAction.MEMBER_ADDED,
        actor=actor,
        obj=group,
        client_id=client.pk,
        detail={"group": str(group.pk), "clients": group.members.count()},
    )
    return member


@service
def group_member_remove(*, actor: SignedIn, group_id: uuid.UUID | str, client_id: uuid.UUID) -> GroupSession:
    """Take a client off the group: it leaves their feed and reminders, its page refuses them, its call sends them out."""
    group = _editable(actor, group_id)
    member = group.members.filter(client_id=client_id).select_related("client").first()
    if member is None:
        raise ValidationError(_("That client is not invited."))
    if group.members.count() <= MIN_CLIENTS:
        raise ValidationError(_("A group session needs at least 2 clients. Cancel it instead."))
    _send_out(actor, group, member.client.user_id)
    member.delete()
    record(
        GroupAuditAction.MEMBER_REMOVED,
        actor=actor,
        obj=group,
        client_id=member.client_id,
        detail={"group": str(group.pk), "clients": group.members.count()},
    )
    return group


@service
def group_guest_add(*, actor: SignedIn, group_id: uuid.UUID | str, email: str) -> GroupGuest:
    """Invite a colleague of the practice (a co-therapist or an interpreter) by sign-in email, free at that time."""
    group = _editable(actor, group_id)
    guest = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    colleague = (
        guest is not None
        and not guest.is_client
        and Membership.objects.filter(user=guest, practice_id=group.practice_id, is_active=True).exists()
    )
    if guest is None or not colleague or guest.pk == actor.pk:
        raise ValidationError(_("Invite a colleague of your practice by their sign-in email."))
    if group.guests.filter(guest=guest).exists():
        raise ValidationError(_("That colleague is invited already."))
    _refuse_full(group)
    if staff_busy(user_id=guest.pk, starts_at=group.starts_at, ends_at=group.ends_at, exclude_group=group.pk):
        raise ValidationError(_("That colleague has another session at that time."))
    row = GroupGuest.objects.create(group=group, guest=guest)
    _event(GroupAuditAction.GUEST_ADDED, actor, group, guest=str(guest.pk), guests=group.guests.count())
    return row


@service
def group_guest_remove(*, actor: SignedIn, group_id: uuid.UUID | str, guest_id: uuid.UUID) -> GroupSession:
    """Take a staff guest off the group."""
    group = _editable(actor, group_id)
    row = group.guests.filter(guest_id=guest_id).first()
    if row is None:
        raise ValidationError(_("That colleague is not invited."))
    _send_out(actor, group, row.guest_id)
    row.delete()
    _event(GroupAuditAction.GUEST_REMOVED, actor, group, guest=str(guest_id), guests=group.guests.count())
    return group


@service
def group_change(
    *, actor: SignedIn, group_id: uuid.UUID | str, title: str, starts_at: dt.datetime, duration_minutes: int
) -> GroupSession:
    """Rename or move the group. A new time must be free for the clinician, every client and every guest.

    A group whose room is open keeps its time (only its title changes). Reminders already sent for the
    old time are forgotten, so everyone is reminded of the new one.
    """
    group = _editable(actor, group_id)
    title = title.strip()
    if not title or len(title) > 80:
        raise ValidationError(_("Give the group a short title (80 characters at most)."))
    moved = starts_at != group.starts_at or duration_minutes != group.duration_minutes
    if moved:
        _refuse_move(group, starts_at, duration_minutes)
    group.title, group.starts_at, group.duration_minutes = title, starts_at, duration_minutes
    group.save(update_fields=["title", "starts_at", "duration_minutes"])
    if moved:
        GroupReminder.objects.filter(group=group).delete()
    _event(GroupAuditAction.CHANGED, actor, group, moved=moved)
    return group


def _refuse_move(group: GroupSession, starts_at: dt.datetime, duration_minutes: int) -> None:
    if group.janus_room is not None or group.starts_at <= timezone.now():
        raise ValidationError(_("A group session that has started cannot be moved."))
    if not 15 <= duration_minutes <= 240:
        raise ValidationError(_("A group session lasts from 15 to 240 minutes."))
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    if starts_at <= timezone.now():
        raise ValidationError(_("Choose a time that has not passed."))
    span: dict[str, Any] = {"starts_at": starts_at, "ends_at": ends_at, "exclude_group": group.pk}
    if staff_busy(user_id=group.clinician_id, **span):
        raise ValidationError(_("You already have a session at that time. Choose another time."))
    if any(client_busy(client_id=m.client_id, **span) for m in group.members.all()):
        raise ValidationError(_("One of the clients has another session at that time. Choose another time."))
    if any(staff_busy(user_id=g.guest_id, **span) for g in group.guests.all()):
        raise ValidationError(_("One of the guests has another session at that time. Choose another time."))

"""Writes for a group call's waiting room: enter, admit, remove, connected, leave.

The group's signalling socket (``telehealth.group_consumers``) calls these. Invited clients and staff
guests wait until the clinician lets them in; only then does ``groups.group_join`` hand them a Janus
token. Every step is audited with ids and roles only; nothing said in the call is written anywhere.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.core.actor import SignedIn
from alongside.core.services import service, unaudited
from alongside.telehealth import groups, janus
from alongside.telehealth.group_call_models import GroupCallAuditAction, GroupCallRole, GroupPresence
from alongside.telehealth.group_models import GroupAuditAction, GroupSession


def _event(action: TextChoices, actor: SignedIn, group: GroupSession, **detail: Any) -> None:
    record(action, actor=actor, obj=group, detail={"group": str(group.pk), **detail})


def _clinician_entry(actor: SignedIn, group_id: uuid.UUID | str) -> groups.GroupAccess:
    entry = groups.group_access(actor=actor, group_id=group_id)
    if not entry.runs_it:
        raise PermissionDenied(_("Only the clinician who runs the group can do this."))
    return entry


@service
def group_call_enter(*, actor: SignedIn, group_id: uuid.UUID | str) -> GroupPresence:
    """Enter the group's call: the clinician is in at once, anyone else waits (or is back in after a drop)."""
    entry = groups.group_access(actor=actor, group_id=group_id)
    refusal = groups.join_refusal(entry)
    if refusal:
        raise ValidationError(refusal)
    now = timezone.now()
    presence, _made = GroupPresence.objects.select_for_update().get_or_create(
        group=entry.group, user=actor, defaults={"role": str(entry.role)}
    )
    if entry.runs_it:
        presence.admitted_at = presence.admitted_at or now
        presence.waiting_since = None
        _event(GroupAuditAction.JOINED, actor, entry.group, role=str(entry.role))
    elif presence.admitted_at is None:
        presence.waiting_since = now
        _event(GroupCallAuditAction.WAITING, actor, entry.group, role=str(entry.role))
    else:
        _event(GroupAuditAction.JOINED, actor, entry.group, role=str(entry.role), again=True)
    presence.save()
    return presence


@service
def group_call_admit(*, actor: SignedIn, group_id: uuid.UUID | str, user_ids: list[str]) -> list[str]:
    """Let waiting people in (the clinician only); return the ids of those let in."""
    entry = _clinician_entry(actor, group_id)
    wanted = {str(u) for u in user_ids}
    waiting = GroupPresence.objects.select_for_update().filter(
        group=entry.group, admitted_at__isnull=True, waiting_since__isnull=False
    )
    let_in = []
    for presence in waiting:
        if str(presence.user_id) not in wanted:
            continue
        presence.admitted_at, presence.waiting_since, presence.removed_at = timezone.now(), None, None
        presence.save(update_fields=["admitted_at", "waiting_since", "removed_at"])
        _event(GroupCallAuditAction.ADMITTED, actor, entry.group, user=str(presence.user_id), role=presence.role)
        let_in.append(str(presence.user_id))
    return let_in


@service
def group_call_remove(*, actor: SignedIn, group_id: uuid.UUID | str, user_id: str) -> GroupPresence:
    """Send someone out of the call (the clinician only): their room token is withdrawn and their feed kicked."""
    entry = _clinician_entry(actor, group_id)
    presence = (
        GroupPresence.objects.select_for_update()
        .filter(group=entry.group, user_id=user_id)
        .exclude(role=GroupCallRole.CLINICIAN)
        .first()
    )
    if presence is None:
        raise ValidationError(_("This person is not in the group session."))
    presence.admitted_at, presence.waiting_since, presence.in_call = None, None, False
    presence.removed_at = timezone.now()
    presence.save(update_fields=["admitted_at", "waiting_since", "in_call", "removed_at"])
    room = entry.group.janus_room
    if room is not None and janus.enabled():
        client = janus.JanusClient()
        client.room_allow(room=room, tokens=[janus.room_token(room, presence.user_id)], allow=False)
        client.room_kick(room=room, feed=janus.feed_id(room, presence.user_id))
    _event(GroupCallAuditAction.REMOVED, actor, entry.group, user=str(presence.user_id), role=presence.role)
    return presence


@unaudited("a connection flag; the attendance it leads to is audited (GroupCallAuditAction.ATTENDED)")
def group_call_connected(*, actor: SignedIn, group_id: uuid.UUID | str, up: bool) -> list[str]:
    """Note whether the actor's media connection is up; record attendance of clients in the call with the clinician.

    Returns the ids of clients whose attendance was recorded by this call.
    """
    entry = groups.group_access(actor=actor, group_id=group_id)
    presence = GroupPresence.objects.select_for_update().filter(group=entry.group, user=actor).first()
    if presence is None or (up and presence.admitted_at is None):
        return []
    presence.in_call = up
    presence.save(update_fields=["in_call"])
    if not up:
        return []
    in_call = GroupPresence.objects.filter(group=entry.group, in_call=True, admitted_at__isnull=False)
    if not in_call.filter(role=GroupCallRole.CLINICIAN).exists():
        return []
    attended = []
    for client in in_call.filter(role=GroupCallRole.CLIENT, attended_at__isnull=True):
        client.attended_at = timezone.now()
        client.save(update_fields=["attended_at"])
        _event(GroupCallAuditAction.ATTENDED, actor, entry.group, user=str(client.user_id))
        attended.append(str(client.user_id))
    return attended


@service
def group_call_leave(*, actor: SignedIn, group_id: uuid.UUID | str) -> None:
    """The actor's page left the call (closed, lost or removed): they are no longer waiting or in it."""
    entry = groups.group_access(actor=actor, group_id=group_id)
    presence = GroupPresence.objects.select_for_update().filter(group=entry.group, user=actor).first()
    if presence is None:
        return
    presence.waiting_since, presence.in_call = None, False
    presence.save(update_fields=["waiting_since", "in_call"])
    _event(GroupCallAuditAction.LEFT, actor, entry.group, role=presence.role)

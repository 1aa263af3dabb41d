"""Writes for video sessions: join, admit, connected, leave, end. Each is audited without content.

A room is one row per appointment. The signalling socket calls these; nothing a person says,
shows or types in the call passes through here.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.core.actor import SignedIn
from alongside.core.services import service, unaudited
from alongside.sessions import services as session_services
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth import reminders
from alongside.telehealth.models import Role, SessionReminder, TelehealthAuditAction, VideoRoom
from alongside.telehealth.selectors import RoomAccess, room_access


def _room(entry: RoomAccess) -> VideoRoom:
    room, _created = VideoRoom.objects.select_for_update().get_or_create(
        appointment=entry.appointment, defaults={"opened_at": timezone.now()}
    )
    return room


def _event(action: TelehealthAuditAction, actor: SignedIn, entry: RoomAccess, room: VideoRoom) -> None:
    record(
        action,
        actor=actor,
        obj=room,
        client_id=entry.client.pk,
        detail={"appointment": str(entry.appointment.pk), "role": str(entry.role)},
    )


def _clinician(actor: SignedIn, appointment_id: uuid.UUID | str) -> RoomAccess:
    entry = room_access(actor=actor, appointment_id=appointment_id)
    if entry.role != Role.CLINICIAN:
        raise PermissionDenied(_("Only the clinician can do this."))
    return entry


def _mark_attended(actor: SignedIn, entry: RoomAccess, room: VideoRoom) -> None:
    """Mark the appointment attended once both sides were connected and it has started."""
    if room.both_connected_at is None or getattr(actor, "is_client", True):
        return
    appointment = entry.appointment
    if appointment.status == AppointmentStatus.SCHEDULED and appointment.has_started():
        session_services.appointment_mark(actor=actor, appointment_id=appointment.pk, status=AppointmentStatus.ATTENDED)


@service
def room_join(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> tuple[VideoRoom, RoomAccess]:
    """Enter the appointment's room: the client into the waiting room, a clinician into the call.

    Refused outside the join window (the client from 15 minutes before the start), for a
    cancelled session, and for a client whose clinician ended the call.
    """
    entry = room_access(actor=actor, appointment_id=appointment_id)
    if not entry.is_open():
        if entry.too_early:
            local = timezone.localtime(entry.opens_at)
            raise ValidationError(
                _("The session opens at %(time)s. Come back then.") % {"time": time_format(local, "TIME_FORMAT")}
            )
        raise ValidationError(_("This session is not open for video."))
    room = _room(entry)
    if entry.role == Role.CLIENT:
        if room.ended_at is not None:
            raise ValidationError(_("Your clinician has ended this session."))
        room.client_waiting_since = room.client_waiting_since or timezone.now()
        room.save(update_fields=["client_waiting_since"])
    elif room.ended_at is not None and entry.role == Role.GUEST:
        raise ValidationError(_("This session has ended."))
    elif room.ended_at is not None:
        room.ended_at = None  # a clinician reopens a room they ended; the client waits to be admitted again
        room.admitted_at = None
        room.both_connected_at = None
        room.save(update_fields=["ended_at", "admitted_at", "both_connected_at"])
    _event(TelehealthAuditAction.ROOM_JOINED, actor, entry, room)
    return room, entry


@service
def room_admit(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> VideoRoom:
    """Let the waiting client into the call (clinicians on the care team only)."""
    entry = _clinician(actor, appointment_id)
    room = _room(entry)
    if room.ended_at is not None:
        raise ValidationError(_("This session has ended."))
    if room.admitted_at is None:
        room.admitted_at = timezone.now()
        room.save(update_fields=["admitted_at"])
        _event(TelehealthAuditAction.ROOM_ADMITTED, actor, entry, room)
    return room


@service
def room_connected(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> VideoRoom:
    """Note that the two browsers are connected (reported by either side); mark attendance."""
    entry = room_access(actor=actor, appointment_id=appointment_id)
    if entry.role == Role.GUEST:
        raise PermissionDenied(_("Only the client and the clinician report their connection."))
    room = _room(entry)
    if room.admitted_at is None or room.ended_at is not None:
        raise ValidationError(_("The client has not been admitted."))
    if room.both_connected_at is None:
        room.both_connected_at = timezone.now()
        room.save(update_fields=["both_connected_at"])
        _event(TelehealthAuditAction.ROOM_CONNECTED, actor, entry, room)
    _mark_attended(actor, entry, room)
    return room


@service
def room_leave(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> VideoRoom:
    """Leave the room (a closed page or a dropped connection); the client stops waiting."""
    entry = room_access(actor=actor, appointment_id=appointment_id)
    room = _room(entry)
    if entry.role == Role.CLIENT and room.client_waiting_since is not None:
        room.client_waiting_since = None
        room.save(update_fields=["client_waiting_since"])
    _event(TelehealthAuditAction.ROOM_LEFT, actor, entry, room)
    _mark_attended(actor, entry, room)
    return room


@service
def room_end(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> VideoRoom:
    """End the call for everyone (clinicians only); marks attendance when both were connected."""
    entry = _clinician(actor, appointment_id)
    room = _room(entry)
    _mark_attended(actor, entry, room)
    if room.ended_at is None:
        room.ended_at = timezone.now()
        room.client_waiting_since = None
        room.save(update_fields=["ended_at", "client_waiting_since"])
        _event(TelehealthAuditAction.ROOM_ENDED, actor, entry, room)
    return room


@unaudited("a tick: reminders follow from audited appointments; each is kept as delivery telemetry")
def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send the 24-hour and 1-hour reminders that have come due; return how many were sent.

    Safe to repeat: a reminder is sent once per appointment, kind and channel. A session booked
    less than an hour ahead gets only the 1-hour one; a 24-hour reminder not sent before the
    1-hour mark is skipped rather than sent late.
    """
    moment = now or timezone.now()
    sent = 0
    upcoming = (
        Appointment.objects.filter(
            status=AppointmentStatus.SCHEDULED, starts_at__gt=moment, starts_at__lte=moment + reminders.WINDOWS[0][1]
        )
        .select_related("client__user")
        .order_by("starts_at")
    )
    for appointment in upcoming:
        left = appointment.starts_at - moment
        kind = "1h" if left <= dt.timedelta(hours=1) else "24h"
        client = appointment.client
        done = set(SessionReminder.objects.filter(appointment=appointment, kind=kind).values_list("channel", flat=True))
        for channel in reminders.CHANNELS:
            if channel.key in done or not channel.wanted(client):
                continue
            ref = channel.send(client=client, text=reminders.reminder_text(appointment, client))
            SessionReminder.objects.create(
                appointment=appointment, kind=kind, channel=channel.key, sent_at=moment, ref=ref
            )
            sent += 1
    from alongside.telehealth.services.groups import group_reminders_send

    return sent + group_reminders_send(now=moment)

"""Reads for video sessions: who may enter an appointment's room, and when."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from alongside import access
from alongside.access import Action
from alongside.care.models import ClientProfile
from alongside.core.actor import SignedIn
from alongside.sessions import selectors as session_selectors
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth.models import Role, RoomGuest

CLIENT_EARLY = dt.timedelta(minutes=15)  # the issue: the client may join from 15 minutes before the start
CLINICIAN_EARLY = dt.timedelta(minutes=60)
LATE = dt.timedelta(minutes=30)  # after the planned end, a session that ran over can still be rejoined


@dataclass(frozen=True)
class RoomAccess:
    """One person's way into one appointment's room."""

    appointment: Appointment
    client: ClientProfile
    role: Role
    opens_at: dt.datetime
    closes_at: dt.datetime

    def is_open(self, now: dt.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.opens_at <= moment < self.closes_at and self.appointment.status in (
            AppointmentStatus.SCHEDULED,
            AppointmentStatus.ATTENDED,
        )

    @property
    def too_early(self) -> bool:
        return timezone.now() < self.opens_at


def room_access(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> RoomAccess:
    """Return the actor's access to the appointment's room, or 404.

    The appointment's own client, clinicians on the client's current care team, and a guest
    with a live invitation to this appointment get in; everyone else (another client, staff
    outside the care team, a stranger, a guest whose invitation ended) gets the same 404.
    """
    if getattr(actor, "is_client", False):
        appointment = access.owned_or_404(
            actor, Appointment, appointment_id, Action.OWN, queryset=Appointment.objects.select_related("clinician")
        )
        role, early = Role.CLIENT, CLIENT_EARLY
        client = appointment.client
    else:
        try:
            appointment, client = session_selectors.appointment_for_clinician(
                actor=actor, appointment_id=appointment_id
            )
            role, early = Role.CLINICIAN, CLINICIAN_EARLY
        except Http404:
            # An interpreter or co-therapist the clinician invited, while the invitation lasts.
            appointment = _guest_appointment(actor, appointment_id)
            client, role, early = appointment.client, Role.GUEST, CLINICIAN_EARLY
    return RoomAccess(
        appointment=appointment,
        client=client,
        role=role,
        opens_at=appointment.starts_at - early,
        closes_at=appointment.ends_at + LATE,
    )


def _guest_appointment(actor: SignedIn, appointment_id: uuid.UUID | str) -> Appointment:
    try:
        key = uuid.UUID(str(appointment_id))
    except ValueError:
        raise Http404("No such appointment.") from None
    invitation = (
        RoomGuest.objects.filter(
            appointment_id=key, guest=actor, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("appointment__client__practice", "appointment__clinician")
        .first()
    )
    if invitation is None or not actor.is_active:
        raise Http404("No such appointment.")
    return invitation.appointment


def video_sessions_today(*, actor: SignedIn, now: dt.datetime | None = None) -> list[Appointment]:
    """Return the actor's sessions from one hour ago to the end of tomorrow, earliest first.

    A clinician sees their own (through ``sessions``' selector, care team only) and those they are
    invited to as a guest; a client sees theirs.
    """
    moment = now or timezone.now()
    start, end = moment - dt.timedelta(hours=1), moment + dt.timedelta(days=2)
    if getattr(actor, "is_client", False):
        return list(
            Appointment.objects.filter(
                client__user=actor, starts_at__gte=start, starts_at__lt=end, status=AppointmentStatus.SCHEDULED
            )
            .select_related("clinician")
            .order_by("starts_at")
        )
    own = session_selectors.appointments_for_clinician(clinician=actor, start=start, end=end)
    invited = Appointment.objects.filter(
        guests__guest=actor,
        guests__revoked_at__isnull=True,
        guests__expires_at__gt=moment,
        starts_at__gte=start,
        starts_at__lt=end,
        status=AppointmentStatus.SCHEDULED,
    ).select_related("client")
    return sorted({a.pk: a for a in [*own, *invited]}.values(), key=lambda a: a.starts_at)

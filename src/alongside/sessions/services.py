"""Writes for appointments. Every function is keyword-only, atomic and audited.

Only a clinician on the client's current care team may schedule, move, cancel or mark a
client's appointment. The "before each session" questionnaire requests are made, moved or
withdrawn inside the same transaction as the appointment: a session and the questions asked
before it commit together or not at all, so a crash between the two can neither leave a
session without its request nor a request for a session that was never saved. (The request
code only writes rows; reminders go out later from the measures tick.)
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.access import Action
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor, SignedIn
from alongside.core.services import service, unaudited
from alongside.measures import services as measure_services
from alongside.sessions import hooks, selectors
from alongside.sessions.models import (
    MAX_MINUTES,
    MIN_MINUTES,
    Appointment,
    AppointmentStatus,
    SessionsAuditAction,
)

MARKS = (AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)


def _require_clinician(actor: Actor, client_id: uuid.UUID | str) -> ClientProfile:
    client = access.client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if getattr(actor, "is_client", True) or not access.decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("Only a clinician on the client's care team can do this."))
    return client


def _appointment(actor: Actor, appointment_id: uuid.UUID | str) -> tuple[Appointment, ClientProfile]:
    appointment, client = selectors.appointment_for_clinician(actor=actor, appointment_id=appointment_id)
    if getattr(actor, "is_client", True) or not access.decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("Only a clinician on the client's care team can do this."))
    return appointment, client


def _check_time(starts_at: dt.datetime, duration_minutes: int, now: dt.datetime) -> None:
    if timezone.is_naive(starts_at):
        raise ValidationError(_("Give the time with its time zone."))
    if not MIN_MINUTES <= duration_minutes <= MAX_MINUTES:
        raise ValidationError(
            _("A session lasts from %(low)d to %(high)d minutes.") % {"low": MIN_MINUTES, "high": MAX_MINUTES}
        )
    if starts_at <= now:
        raise ValidationError(_("Choose a time in the future."))


def _overlapping(
    *, starts_at: dt.datetime, duration_minutes: int, clinician: Any, client: ClientProfile, exclude: Any = None
) -> Appointment | None:
    """A scheduled appointment of the same clinician or the same client that overlaps this time."""
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    # A session lasts at most MAX_MINUTES, so only those starting that long before can overlap.
    candidates = Appointment.objects.filter(
        Q(clinician=clinician) | Q(client=client),
        status=AppointmentStatus.SCHEDULED,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - dt.timedelta(minutes=MAX_MINUTES),
    ).exclude(pk=exclude)
    for other in candidates:
        if other.ends_at > starts_at:
            return other
    return None


def _refuse_overlap(**kwargs: Any) -> None:
    other = _overlapping(**kwargs)
    if other is None:
        ends_at = kwargs["starts_at"] + dt.timedelta(minutes=kwargs["duration_minutes"])
        refusal = hooks.busy_elsewhere(kwargs["starts_at"], ends_at, kwargs["clinician"].pk, kwargs["client"].pk)
        if refusal:
            raise ValidationError(refusal)
        return
    if other.clinician_id == kwargs["clinician"].pk:
        raise ValidationError(_("You already have a session at that time. Choose another time."))
    raise ValidationError(_("The client already has a session at that time. Choose another time."))


@service
def appointment_create(
    *,
    actor: SignedIn,
    client_id: uuid.UUID | str,
    starts_at: dt.datetime,
    duration_minutes: int = 50,
) -> Appointment:
    """Schedule a session of the client with ``actor`` and ask the "before each session" questionnaires.

    Idempotent: the same clinician scheduling the same client at the same moment again gets
    the appointment already made (a double submit makes one session and one request). An
    overlap with another scheduled session of the clinician or the client is refused.
    """
    client = _require_clinician(actor, client_id)
    now = timezone.now()
    _check_time(starts_at, duration_minutes, now)
    existing = Appointment.objects.filter(
        client=client, clinician=actor, starts_at=starts_at, status=AppointmentStatus.SCHEDULED
    ).first()
    if existing is not None:
        return existing
    _refuse_overlap(starts_at=starts_at, duration_minutes=duration_minutes, clinician=actor, client=client)
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                client=client,
                clinician=actor,
                starts_at=starts_at,
                duration_minutes=duration_minutes,
                created_at=now,
                created_by=actor,
            )
            requests = measure_services.requests_before_session(client=client, session_starts_at=starts_at)
            record(
                SessionsAuditAction.APPOINTMENT_CREATED,
                actor=actor,
                obj=appointment,
                client_id=client.pk,
                detail={"requests": len(requests)},
            )
            hooks.changed(appointment, "created")
    except IntegrityError:
        # Another request made the same appointment between our check and our insert.
        again = Appointment.objects.filter(
            client=client, clinician=actor, starts_at=starts_at, status=AppointmentStatus.SCHEDULED
        ).first()
        if again is None:
            raise ValidationError(_("You already have a session at that time. Choose another time.")) from None
        return again
    return appointment


@service
def appointment_reschedule(
    *,
    actor: Actor,
    appointment_id: uuid.UUID | str,
    starts_at: dt.datetime,
    duration_minutes: int | None = None,
) -> Appointment:
    """Move a session that has not started to a new time; its questionnaire request moves with it."""
    appointment, client = _appointment(actor, appointment_id)
    now = timezone.now()
    duration = appointment.duration_minutes if duration_minutes is None else duration_minutes
    _check_time(starts_at, duration, now)
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status != AppointmentStatus.SCHEDULED or appointment.has_started(now):
            raise ValidationError(_("Only a session that has not started yet can be moved."))
        if appointment.starts_at == starts_at and appointment.duration_minutes == duration:
            return appointment
        _refuse_overlap(
            starts_at=starts_at,
            duration_minutes=duration,
            clinician=appointment.clinician,
            client=client,
            exclude=appointment.pk,
        )
        old = appointment.starts_at
        appointment.starts_at, appointment.duration_minutes = starts_at, duration
        try:
            with transaction.atomic():
                appointment.save(update_fields=["starts_at", "duration_minutes"])
        except IntegrityError:
            raise ValidationError(_("You already have a session at that time. Choose another time.")) from None
        if old != starts_at:
            measure_services.requests_before_session_move(client=client, old_starts_at=old, new_starts_at=starts_at)
        record(
            SessionsAuditAction.APPOINTMENT_RESCHEDULED,
            actor=actor,
            obj=appointment,
            client_id=client.pk,
            detail={"moved_by_minutes": int((starts_at - old).total_seconds() // 60)},
        )
        hooks.changed(appointment, "moved")
    return appointment


@service
def appointment_cancel(*, actor: Actor, appointment_id: uuid.UUID | str) -> Appointment:
    """Cancel a scheduled session; its open questionnaire request expires. Cancelling twice changes nothing."""
    appointment, client = _appointment(actor, appointment_id)
    now = timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status == AppointmentStatus.CANCELLED:
            return appointment
        if appointment.status != AppointmentStatus.SCHEDULED:
            raise ValidationError(_("A session already marked as attended or missed cannot be cancelled."))
        appointment.status, appointment.cancelled_at = AppointmentStatus.CANCELLED, now
        appointment.save(update_fields=["status", "cancelled_at"])
        withdrawn = measure_services.requests_before_session_withdraw(
            client=client, session_starts_at=appointment.starts_at, now=now
        )
        record(
            SessionsAuditAction.APPOINTMENT_CANCELLED,
            actor=actor,
            obj=appointment,
            client_id=client.pk,
            detail={"requests_withdrawn": withdrawn},
        )
        hooks.changed(appointment, "cancelled")
    return appointment


@service
def appointment_mark(*, actor: Actor, appointment_id: uuid.UUID | str, status: AppointmentStatus | str) -> Appointment:
    """Mark a session that has started as attended or not attended (a mark can be corrected)."""
    if status not in MARKS:
        raise ValidationError(_("Mark the session as attended or not attended."))
    appointment, client = _appointment(actor, appointment_id)
    now = timezone.now()
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status == AppointmentStatus.CANCELLED:
            raise ValidationError(_("A cancelled session cannot be marked."))
        if not appointment.has_started(now):
            raise ValidationError(_("A session can be marked once it has started."))
        if appointment.status == status:
            return appointment
        previous = appointment.status
        appointment.status = AppointmentStatus(status)
        appointment.save(update_fields=["status"])
        record(
            SessionsAuditAction.APPOINTMENT_MARKED,
            actor=actor,
            obj=appointment,
            client_id=client.pk,
            detail={"status": str(status), "previous": str(previous)},
        )
    return appointment


@service
def appointment_book(
    *, actor: SignedIn, clinician_id: uuid.UUID | str, starts_at: dt.datetime, duration_minutes: int
) -> Appointment:
    """Book a session for the signed-in client with a clinician of their care team (the client books).

    Race-safe: the clinician's row is locked while the overlap is checked and the session saved,
    and the one-scheduled-session-per-start constraint refuses the second of two clients who
    chose the same slot. Callers (telehealth's self-booking) check the practice's rules first.
    """
    client = ClientProfile.objects.filter(user=actor).select_related("practice").first()
    if client is None or not getattr(actor, "is_client", False):
        raise PermissionDenied(_("Only a client can book their own session."))
    if not client.care_team.filter(clinician_id=uuid.UUID(str(clinician_id)), ended_at__isnull=True).exists():
        raise PermissionDenied(_("You can book only with a clinician of your care team."))
    now = timezone.now()
    _check_time(starts_at, duration_minutes, now)
    taken = ValidationError(_("That time was just taken. Choose another time."))
    try:
        with transaction.atomic():
            clinician = get_user_model()._default_manager.select_for_update().get(pk=clinician_id)
            if _overlapping(starts_at=starts_at, duration_minutes=duration_minutes, clinician=clinician, client=client):
                raise taken
            appointment = Appointment.objects.create(
                client=client,
                clinician=clinician,
                starts_at=starts_at,
                duration_minutes=duration_minutes,
                created_at=now,
                created_by=actor,
            )
            requests = measure_services.requests_before_session(client=client, session_starts_at=starts_at)
            record(
                SessionsAuditAction.APPOINTMENT_CREATED,
                actor=actor,
                obj=appointment,
                client_id=client.pk,
                detail={"requests": len(requests), "booked_by": "client"},
            )
            hooks.changed(appointment, "created")
    except IntegrityError:
        raise taken from None
    return appointment


@service
def appointment_client_cancel(
    *, actor: SignedIn, appointment_id: uuid.UUID | str, not_after: dt.datetime | None = None
) -> Appointment:
    """Cancel the signed-in client's own scheduled session (404 for anyone else's).

    ``not_after`` is the last moment the client may still cancel (the practice's cancellation
    window, worked out by the caller); later, the client is asked to contact their clinician.
    """
    appointment = access.owned_or_404(actor, Appointment, appointment_id, Action.OWN)
    now = timezone.now()
    if not_after is not None and now > not_after:
        raise ValidationError(_("It is too late to cancel this session here. Please contact your clinician."))
    with transaction.atomic():
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if appointment.status == AppointmentStatus.CANCELLED:
            return appointment
        if appointment.status != AppointmentStatus.SCHEDULED or appointment.has_started(now):
            raise ValidationError(_("Only a session that has not started yet can be cancelled."))
        appointment.status, appointment.cancelled_at = AppointmentStatus.CANCELLED, now
        appointment.save(update_fields=["status", "cancelled_at"])
        withdrawn = measure_services.requests_before_session_withdraw(
            client=appointment.client, session_starts_at=appointment.starts_at, now=now
        )
        record(
            SessionsAuditAction.APPOINTMENT_CANCELLED,
            actor=actor,
            obj=appointment,
            client_id=appointment.client_id,
            detail={"requests_withdrawn": withdrawn, "cancelled_by": "client"},
        )
        hooks.changed(appointment, "cancelled")
    return appointment


@unaudited("requests and tasks follow from audited appointments (a tick)")
def sessions_prepare(*, now: dt.datetime | None = None, within: dt.timedelta = dt.timedelta(hours=36)) -> int:
    """Make the "before each session" questionnaire requests of sessions starting soon; return how many.

    Creating or moving an appointment already makes them; this catches sessions booked while
    an earlier request was still open, and schedules added after the booking. Requests are
    unique per schedule and session day, so running it again makes nothing new.
    """
    now = now or timezone.now()
    made = 0
    soon = Appointment.objects.filter(
        status=AppointmentStatus.SCHEDULED, starts_at__gt=now, starts_at__lte=now + within
    ).select_related("client")
    for appointment in soon:
        with transaction.atomic():
            made += len(
                measure_services.requests_before_session(
                    client=appointment.client, session_starts_at=appointment.starts_at
                )
            )
    return made

"""Clients booking and cancelling their own sessions, within their clinician's free time and the practice's rules.

Off unless the practice allows it (``BookingPolicy``). A client books only a free slot of a
clinician on their care team, at least the notice period ahead and within the horizon; a client
cancels only their own session, and only up to the cancellation window before it. The
appointment itself is written by ``sessions`` (race-safe there: one of two clients choosing
the same slot wins, the other is told it was just taken).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.access import Action
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import SignedIn
from alongside.core.services import service
from alongside.sessions import services as session_services
from alongside.sessions.models import Appointment
from alongside.telehealth.availability import at, clinician_zone, free_slots, policy_for
from alongside.telehealth.calendar_models import BookingPolicy, CalendarAuditAction


def _client_and_policy(actor: SignedIn) -> tuple[ClientProfile, BookingPolicy]:
    client = ClientProfile.objects.filter(user=actor).select_related("practice").first()
    if client is None or not getattr(actor, "is_client", False):
        raise PermissionDenied(_("Only a client can book their own session."))
    policy = policy_for(client.practice)
    if not policy.allow_self_booking:
        raise PermissionDenied(_("Your practice books sessions for you. Please ask your clinician."))
    return client, policy


def _check_slot(policy: BookingPolicy, clinician: object, starts_at: dt.datetime, now: dt.datetime) -> None:
    if timezone.is_naive(starts_at):
        raise ValidationError(_("Give the time with its time zone."))
    if starts_at < now + policy.notice:
        raise ValidationError(
            _("Book at least %(hours)d hours ahead. Choose a later time.") % {"hours": policy.notice_hours}
        )
    if starts_at > now + dt.timedelta(days=policy.horizon_days):
        raise ValidationError(_("That time is too far ahead. Choose an earlier time."))
    zone = clinician_zone(clinician)
    day = starts_at.astimezone(zone).date()
    start, end = at(day, dt.time(0), zone), at(day + dt.timedelta(days=1), dt.time(0), zone)
    if starts_at not in free_slots(clinician, start=start, end=end, minutes=policy.duration_minutes):
        raise ValidationError(_("That time is not free. Choose one of the times offered."))


@service
def booking_create(*, actor: SignedIn, clinician_id: uuid.UUID | str, starts_at: dt.datetime) -> Appointment:
    """Book a free slot with a clinician of the client's care team, as the practice's rules allow."""
    client, policy = _client_and_policy(actor)
    member = client.care_team.filter(clinician_id=uuid.UUID(str(clinician_id)), ended_at__isnull=True).select_related(
        "clinician"
    )
    team = member.first()
    if team is None:
        raise PermissionDenied(_("You can book only with a clinician of your care team."))
    _check_slot(policy, team.clinician, starts_at, timezone.now())
    with transaction.atomic():
        appointment = session_services.appointment_book(
            actor=actor, clinician_id=team.clinician_id, starts_at=starts_at, duration_minutes=policy.duration_minutes
        )
        record(CalendarAuditAction.SELF_BOOKED, actor=actor, obj=appointment, client_id=client.pk)
    return appointment


@service
def booking_cancel(*, actor: SignedIn, appointment_id: uuid.UUID | str) -> Appointment:
    """Cancel one of the client's own sessions, up to the practice's cancellation window before it."""
    appointment = access.owned_or_404(actor, Appointment, appointment_id, Action.OWN)  # anyone else's: 404 first
    client, policy = _client_and_policy(actor)
    with transaction.atomic():
        cancelled = session_services.appointment_client_cancel(
            actor=actor, appointment_id=appointment.pk, not_after=appointment.starts_at - policy.cancel_window
        )
        record(CalendarAuditAction.SELF_CANCELLED, actor=actor, obj=cancelled, client_id=client.pk)
    return cancelled

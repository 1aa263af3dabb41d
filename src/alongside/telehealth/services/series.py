"""Recurring sessions: make a weekly or fortnightly series, then change this, this and following, or all.

Every occurrence is an ordinary appointment made, moved or cancelled through ``sessions``'
services (so overlaps are refused and questionnaires follow the session); a series only adds the
rule and each appointment's place in it. A change to one occurrence is an exception of the series.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside import access
from alongside.access import Action
from alongside.audit.log import record
from alongside.core.actor import SignedIn
from alongside.core.services import service
from alongside.core.time import zone_or_utc
from alongside.sessions import selectors as session_selectors
from alongside.sessions import services as session_services
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth import recurrence
from alongside.telehealth.models import AppointmentSeries, SeriesOccurrence, TelehealthAuditAction

Scope = Literal["this", "following", "all"]


@service
def series_create(
    *,
    actor: SignedIn,
    client_id: uuid.UUID | str,
    first_starts_at: dt.datetime,
    duration_minutes: int = 50,
    interval_weeks: int = 1,
    count: int | None = None,
    until: dt.date | None = None,
) -> AppointmentSeries:
    """Schedule weekly or fortnightly sessions, all or none: one overlap refuses the whole series."""
    if timezone.is_naive(first_starts_at):
        raise ValidationError(_("Give the time with its time zone."))
    client = access.client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if getattr(actor, "is_client", True) or not access.decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("Only a clinician on the client's care team can do this."))
    zone = zone_or_utc(client.practice.time_zone)
    rule, starts = recurrence.plan(
        first=first_starts_at, zone=zone, interval_weeks=interval_weeks, count=count, until=until
    )
    series = AppointmentSeries.objects.create(
        frequency=interval_weeks, rrule=recurrence.rule_text(rule), time_zone=str(zone), created_at=timezone.now()
    )
    for index, starts_at in enumerate(starts):
        try:
            appointment = session_services.appointment_create(
                actor=actor, client_id=client_id, starts_at=starts_at, duration_minutes=duration_minutes
            )
        except ValidationError as error:
            local = starts_at.astimezone(zone)
            raise ValidationError(
                _("The session of %(date)s cannot be booked: %(reason)s")
                % {"date": local.strftime("%Y-%m-%d %H:%M"), "reason": " ".join(error.messages)}
            ) from None
        SeriesOccurrence.objects.create(series=series, appointment=appointment, index=index)
    record(
        TelehealthAuditAction.SERIES_CREATED,
        actor=actor,
        obj=series,
        client_id=client.pk,
        detail={"sessions": len(starts), "every_weeks": interval_weeks},
    )
    return series


def _targets(appointment: Appointment, scope: Scope) -> list[Appointment]:
    occurrence = SeriesOccurrence.objects.filter(appointment=appointment).select_related("series").first()
    if scope == "this" or occurrence is None:
        return [appointment]
    rows = SeriesOccurrence.objects.filter(series=occurrence.series)
    if scope == "following":
        rows = rows.filter(index__gte=occurrence.index)
    now = timezone.now()
    return [
        row.appointment
        for row in rows.select_related("appointment").order_by("index")
        if row.appointment.status == AppointmentStatus.SCHEDULED and row.appointment.starts_at > now
    ]


@service
def series_cancel(*, actor: SignedIn, appointment_id: uuid.UUID | str, scope: Scope) -> int:
    """Cancel this occurrence, this and the following ones, or every future one; return how many."""
    appointment, client = session_selectors.appointment_for_clinician(actor=actor, appointment_id=appointment_id)
    targets = _targets(appointment, scope)
    for target in targets:
        session_services.appointment_cancel(actor=actor, appointment_id=target.pk)
    record(
        TelehealthAuditAction.SERIES_CHANGED,
        actor=actor,
        obj=appointment,
        client_id=client.pk,
        detail={"change": "cancel", "scope": scope, "sessions": len(targets)},
    )
    return len(targets)


@service
def series_move(*, actor: SignedIn, appointment_id: uuid.UUID | str, scope: Scope, starts_at: dt.datetime) -> int:
    """Move this occurrence to ``starts_at``, and with "following" or "all" shift the others by the same local time.

    The others keep their day and take the new wall-clock time of day, so a move from Monday 10:00
    to Tuesday 11:00 moves every affected Monday 10:00 to the Tuesday after at 11:00.
    """
    appointment, client = session_selectors.appointment_for_clinician(actor=actor, appointment_id=appointment_id)
    if timezone.is_naive(starts_at):
        raise ValidationError(_("Give the time with its time zone."))
    zone = zone_or_utc(client.practice.time_zone)
    old_local, new_local = appointment.starts_at.astimezone(zone), starts_at.astimezone(zone)
    day_shift = new_local.date() - old_local.date()
    targets = _targets(appointment, scope)
    # Move the latest first when moving later (and the earliest first when earlier) so that no
    # occurrence is moved onto the start of one not yet moved.
    targets.sort(key=lambda a: a.starts_at, reverse=starts_at > appointment.starts_at)
    for target in targets:
        local = target.starts_at.astimezone(zone)
        moved = dt.datetime.combine(local.date() + day_shift, new_local.time(), tzinfo=zone)
        session_services.appointment_reschedule(actor=actor, appointment_id=target.pk, starts_at=moved)
    record(
        TelehealthAuditAction.SERIES_CHANGED,
        actor=actor,
        obj=appointment,
        client_id=client.pk,
        detail={"change": "move", "scope": scope, "sessions": len(targets)},
    )
    return len(targets)

"""Writes for a clinician's availability: the usual week, one day's exception, blocked time; a practice's booking rules.

Each is keyword-only, atomic and audited (ids, counts and moments only). A clinician changes
only their own calendar; the booking rules are the practice admin's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.care.models import Membership
from alongside.core.actor import SignedIn
from alongside.core.services import service
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth.availability import clinician_zone
from alongside.telehealth.calendar_models import (
    BlockedTime,
    BookingPolicy,
    CalendarAuditAction,
    DayException,
    WeeklyHours,
)

HoursRow = tuple[int, dt.time, dt.time]
LONGEST_BLOCK = dt.timedelta(days=62)


def _staff(actor: SignedIn) -> Membership:
    membership = Membership.objects.filter(user=actor, is_active=True).select_related("practice").first()
    if getattr(actor, "is_client", True) or membership is None:
        raise PermissionDenied(_("Only staff of a practice keep a calendar."))
    return membership


def _check_rows(rows: Sequence[HoursRow]) -> None:
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, start, end in rows:
        if not 0 <= weekday <= 6:
            raise ValidationError(_("Choose a day of the week."))
        if start >= end:
            raise ValidationError(_("Working hours must end after they start."))
        by_day.setdefault(weekday, []).append((start, end))
    for stretches in by_day.values():
        stretches.sort()
        for (_s1, e1), (s2, _e2) in itertools.pairwise(stretches):
            if s2 < e1:
                raise ValidationError(_("Two stretches of working hours on the same day overlap."))


@service
def hours_set(*, actor: SignedIn, rows: Sequence[HoursRow], time_zone: str = "") -> list[WeeklyHours]:
    """Replace the actor's usual week with ``rows`` (weekday, start, end), as wall-clock times in their zone."""
    _staff(actor)
    _check_rows(rows)
    zone = time_zone or str(clinician_zone(actor))
    with transaction.atomic():
        WeeklyHours.objects.filter(clinician=actor).delete()
        made = WeeklyHours.objects.bulk_create(
            [WeeklyHours(clinician=actor, weekday=w, start=s, end=e, time_zone=zone) for w, s, e in rows]
        )
        record(CalendarAuditAction.HOURS_SET, actor=actor, detail={"stretches": len(made), "zone": zone})
    return made


@service
def day_exception_set(
    *, actor: SignedIn, date: dt.date, start: dt.time | None = None, end: dt.time | None = None
) -> DayException | None:
    """Give one date other hours, or none (a day off: no start and no end); :func:`day_exception_clear` undoes it."""
    _staff(actor)
    if (start is None) != (end is None):
        raise ValidationError(_("Give both the start and the end, or neither for a day off."))
    if start is not None and end is not None and start >= end:
        raise ValidationError(_("Working hours must end after they start."))
    with transaction.atomic():
        exception, _created = DayException.objects.update_or_create(
            clinician=actor, date=date, defaults={"start": start, "end": end}
        )
        record(
            CalendarAuditAction.EXCEPTION_SET,
            actor=actor,
            obj=exception,
            detail={"date": date.isoformat(), "day_off": start is None},
        )
    return exception


@service
def day_exception_clear(*, actor: SignedIn, date: dt.date) -> int:
    """Give a date back its usual hours."""
    _staff(actor)
    with transaction.atomic():
        count, _rows = DayException.objects.filter(clinician=actor, date=date).delete()
        if count:
            record(CalendarAuditAction.EXCEPTION_SET, actor=actor, detail={"date": date.isoformat(), "cleared": True})
    return count


@service
def block_add(*, actor: SignedIn, starts_at: dt.datetime, ends_at: dt.datetime) -> BlockedTime:
    """Keep a stretch free of sessions; refused over a session already booked (move that first)."""
    _staff(actor)
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("Give the time with its time zone."))
    if ends_at <= starts_at:
        raise ValidationError(_("Blocked time must end after it starts."))
    if ends_at - starts_at > LONGEST_BLOCK:
        raise ValidationError(_("Block at most two months at once."))
    with transaction.atomic():
        clashes = [
            a
            for a in Appointment.objects.filter(
                clinician=actor,
                status=AppointmentStatus.SCHEDULED,
                starts_at__lt=ends_at,
                starts_at__gt=starts_at - dt.timedelta(hours=8),
            )
            if a.ends_at > starts_at
        ]
        if clashes:
            raise ValidationError(_("A session is booked in that time. Move or cancel it first."))
        block = BlockedTime.objects.create(clinician=actor, starts_at=starts_at, ends_at=ends_at)
        record(
            CalendarAuditAction.BLOCK_ADDED,
            actor=actor,
            obj=block,
            detail={"minutes": int((ends_at - starts_at).total_seconds() // 60)},
        )
    return block


@service
def block_remove(*, actor: SignedIn, block_id: uuid.UUID | str) -> None:
    """Free blocked time again (the actor's own only; anyone else's answers 404)."""
    with transaction.atomic():
        block = BlockedTime.objects.filter(pk=block_id, clinician=actor).first()
        if block is None:
            raise Http404("No such blocked time.")
        record(CalendarAuditAction.BLOCK_REMOVED, actor=actor, obj=block)
        block.delete()


@service
def booking_policy_set(
    *,
    actor: SignedIn,
    allow_self_booking: bool,
    notice_hours: int,
    cancel_hours: int,
    horizon_days: int,
    duration_minutes: int,
) -> BookingPolicy:
    """Set the practice's self-booking rules (practice admins only)."""
    membership = _staff(actor)
    if not membership.is_admin:
        raise PermissionDenied(_("Only a practice admin can change the booking rules."))
    if not (0 <= notice_hours <= 336 and 0 <= cancel_hours <= 336):
        raise ValidationError(_("Notice and cancellation windows are from 0 to 336 hours."))
    if not 1 <= horizon_days <= 180:
        raise ValidationError(_("Offer times from 1 to 180 days ahead."))
    if not 15 <= duration_minutes <= 180:
        raise ValidationError(_("A booked session lasts from 15 to 180 minutes."))
    with transaction.atomic():
        policy, _created = BookingPolicy.objects.update_or_create(
            practice=membership.practice,
            defaults={
                "allow_self_booking": allow_self_booking,
                "notice_hours": notice_hours,
                "cancel_hours": cancel_hours,
                "horizon_days": horizon_days,
                "duration_minutes": duration_minutes,
            },
        )
        record(
            CalendarAuditAction.POLICY_SET,
            actor=actor,
            obj=policy,
            detail={"allow": allow_self_booking, "notice_hours": notice_hours, "cancel_hours": cancel_hours},
        )
    return policy

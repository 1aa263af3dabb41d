"""When a clinician works, what is taken, and what is free: reads for the calendar and for booking.

Working hours are wall-clock times in the clinician's zone (``WeeklyHours.time_zone``), so a
09:00-17:00 Monday stays 09:00-17:00 local on both sides of a daylight-saving change; a
``DayException`` replaces one date's hours. Free time is working time less scheduled sessions
and blocked time. Every moment returned is aware; callers show it in the reader's zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from alongside.care.models import Membership
from alongside.core.time import zone_or_utc
from alongside.sessions.models import MAX_MINUTES, Appointment, AppointmentStatus
from alongside.telehealth.calendar_models import BlockedTime, BookingPolicy, DayException, WeeklyHours

Span = tuple[dt.datetime, dt.datetime]
UTC = dt.UTC
GROUP_MAX_MINUTES = 240  # the longest group session (telehealth_group_duration)


def clinician_zone(clinician: Any) -> ZoneInfo:
    """The clinician's own zone, else their practice's, else UTC."""
    if getattr(clinician, "time_zone", ""):
        return zone_or_utc(clinician.time_zone)
    membership = Membership.objects.filter(user=clinician).select_related("practice").first()
    return zone_or_utc(membership.practice.time_zone if membership else None)


def at(day: dt.date, clock: dt.time, zone: ZoneInfo) -> dt.datetime:
    """The moment a wall clock in ``zone`` shows ``clock`` on ``day`` (a skipped time moves on with the clock)."""
    return dt.datetime.combine(day, clock, tzinfo=zone).astimezone(UTC).astimezone(zone)


def _days(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> Iterable[dt.date]:
    day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def working_spans(clinician: Any, start: dt.datetime, end: dt.datetime) -> list[Span]:
    """The clinician's working time in [start, end), from the usual week and the day exceptions."""
    hours = list(WeeklyHours.objects.filter(clinician=clinician))
    zone = zone_or_utc(hours[0].time_zone) if hours else clinician_zone(clinician)
    days = list(_days(start, end, zone))
    exceptions = {e.date: e for e in DayException.objects.filter(clinician=clinician, date__in=days)}
    spans: list[Span] = []
    for day in days:
        exception = exceptions.get(day)
        if exception is not None:
            clocks = [] if exception.start is None or exception.end is None else [(exception.start, exception.end)]
        else:
            clocks = [(h.start, h.end) for h in hours if h.weekday == day.weekday()]
        for low, high in clocks:
            s, e = max(at(day, low, zone), start), min(at(day, high, zone), end)
            if s < e:
                spans.append((s, e))
    return sorted(spans)


def subtract(spans: Iterable[Span], taken: Iterable[Span]) -> list[Span]:
    """What is left of ``spans`` once every ``taken`` stretch is removed."""
    busy = sorted(taken)
    free: list[Span] = []
    for low, high in spans:
        cursor = low
        for b_low, b_high in busy:
            if b_high <= cursor or b_low >= high:
                continue
            if b_low > cursor:
                free.append((cursor, b_low))
            cursor = max(cursor, b_high)
        if cursor < high:
            free.append((cursor, high))
    return free


def group_spans(clinician: Any, start: dt.datetime, end: dt.datetime) -> list[Any]:
    """The group sessions (not cancelled) overlapping [start, end) that the clinician runs or is a staff guest of.

    Each carries its member count; by start. One query (the count groups the guests' join back to one row a group).
    """
    from django.db.models import Count, Q

    from alongside.telehealth.group_models import GroupSession

    return list(
        GroupSession.objects.filter(
            Q(clinician=clinician) | Q(guests__guest=clinician),
            cancelled_at__isnull=True,
            starts_at__lt=end,
            starts_at__gt=start - dt.timedelta(minutes=GROUP_MAX_MINUTES),
        )
        .annotate(member_count=Count("members", distinct=True))
        .order_by("starts_at")
    )


def taken_spans(
    clinician: Any, start: dt.datetime, end: dt.datetime, groups: Iterable[Any] | None = None
) -> list[Span]:
    """Every scheduled session (of any client), group session and blocked stretch of the clinician in [start, end).

    ``groups``: the clinician's group sessions when the caller already read them (the week view does).
    """
    sessions = Appointment.objects.filter(
        clinician=clinician,
        status=AppointmentStatus.SCHEDULED,
        starts_at__lt=end,
        starts_at__gt=start - dt.timedelta(minutes=MAX_MINUTES),
    ).only("starts_at", "duration_minutes")
    blocks = BlockedTime.objects.filter(clinician=clinician, starts_at__lt=end, ends_at__gt=start)
    held = group_spans(clinician, start, end) if groups is None else groups
    return (
        [(a.starts_at, a.ends_at) for a in sessions if a.ends_at > start]
        + [(b.starts_at, b.ends_at) for b in blocks]
        + [(g.starts_at, g.ends_at) for g in held if g.ends_at > start]
    )


def free_slots(
    clinician: Any,
    *,
    start: dt.datetime,
    end: dt.datetime,
    minutes: int,
    not_before: dt.datetime | None = None,
    groups: Iterable[Any] | None = None,
) -> list[dt.datetime]:
    """Starts of free slots of ``minutes`` in [start, end): back to back from the start of each free stretch."""
    length = dt.timedelta(minutes=minutes)
    free = subtract(working_spans(clinician, start, end), taken_spans(clinician, start, end, groups))
    slots: list[dt.datetime] = []
    for low, high in free:
        moment = low
        while moment + length <= high:
            if not_before is None or moment >= not_before:
                slots.append(moment)
            moment += length
    return slots


def policy_for(practice: Any) -> BookingPolicy:
    """The practice's booking rules (the defaults, with self-booking off, when none were saved)."""
    found = BookingPolicy.objects.filter(practice=practice).first()
    return found or BookingPolicy(practice=practice)


@dataclass
class Day:
    """One day of a calendar in the reader's zone, with what starts in it."""

    date: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    sessions: list[Appointment] = field(default_factory=list)
    blocks: list[BlockedTime] = field(default_factory=list)
    free: list[Span] = field(default_factory=list)


def days_of(first: dt.date, count: int, zone: ZoneInfo) -> list[Day]:
    """``count`` days from ``first`` in ``zone``; a day is midnight to midnight (23 or 25 hours across DST)."""
    return [
        Day(
            date=first + dt.timedelta(days=n),
            starts_at=at(first + dt.timedelta(days=n), dt.time(0), zone),
            ends_at=at(first + dt.timedelta(days=n + 1), dt.time(0), zone),
        )
        for n in range(count)
    ]

"""Reads for the calendar pages: a clinician's week or day, and the slots a client may book.

Days are the reader's days (midnight to midnight in their zone, so a day across a clock change
lasts 23 or 25 hours); each entry keeps its aware moments and templates show them in the
reader's zone. The week costs a fixed number of queries whatever its number of sessions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from alongside.audit.log import record
from alongside.care.models import ClientProfile, Membership
from alongside.core.actor import SignedIn
from alongside.sessions import selectors as session_selectors
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth.availability import (
    Day,
    at,
    clinician_zone,
    days_of,
    free_slots,
    group_spans,
    policy_for,
)
from alongside.telehealth.calendar_models import BlockedTime, BookingPolicy, CalendarAuditAction

DEFAULT_HOURS = range(8, 18)


@dataclass(frozen=True)
class Entry:
    """One thing in the calendar: a session, blocked time, or a free slot."""

    kind: str  # "session" | "group" | "blocked" | "free"
    starts_at: dt.datetime
    ends_at: dt.datetime
    appointment: Appointment | None = None
    block: BlockedTime | None = None
    group: Any = None  # a GroupSession with its member_count


@dataclass
class Row:
    """One hour of the week grid: what starts in that hour on each day."""

    hour: dt.time
    cells: list[list[Entry]] = field(default_factory=list)


@dataclass
class CalendarPage:
    days: list[Day]
    entries: list[list[Entry]]  # per day, by start
    rows: list[Row]
    zone: ZoneInfo
    policy: BookingPolicy


def clinician_calendar(
    *, actor: SignedIn, membership: Membership, first: dt.date, count: int, zone: ZoneInfo
) -> CalendarPage:
    """The actor's own sessions (clients of their care team), blocked time and free slots over ``count`` days."""
    days = days_of(first, count, zone)
    start, end = days[0].starts_at, days[-1].ends_at
    sessions = session_selectors.appointments_for_clinician(clinician=actor, start=start, end=end)
    blocks = list(BlockedTime.objects.filter(clinician=actor, starts_at__lt=end, ends_at__gt=start))
    groups = group_spans(actor, start, end)  # one query: the entries and the busy time
    policy = policy_for(membership.practice)
    now = timezone.now()
    slot = dt.timedelta(minutes=policy.duration_minutes)
    entries = [Entry("session", a.starts_at, a.ends_at, appointment=a) for a in sessions]
    entries += [Entry("group", g.starts_at, g.ends_at, group=g) for g in groups if g.starts_at >= start]
    entries += [Entry("blocked", b.starts_at, b.ends_at, block=b) for b in blocks]
    entries += [
        Entry("free", s, s + slot)
        for s in free_slots(actor, start=start, end=end, minutes=policy.duration_minutes, not_before=now, groups=groups)
    ]
    per_day: list[list[Entry]] = [[] for _ in days]
    for entry in sorted(entries, key=lambda e: (e.starts_at, e.kind)):
        local = max(entry.starts_at, start).astimezone(zone).date()
        index = (local - first).days
        if 0 <= index < count:
            per_day[index].append(entry)
    record(CalendarAuditAction.CALENDAR_VIEWED, actor=actor, detail={"days": count, "sessions": len(sessions)})
    return CalendarPage(days=days, entries=per_day, rows=_rows(per_day, zone), zone=zone, policy=policy)


def _rows(per_day: list[list[Entry]], zone: ZoneInfo) -> list[Row]:
    """The grid's hours: the working day, widened to whatever starts earlier or later."""
    hours = set(DEFAULT_HOURS)
    for day in per_day:
        hours.update(e.starts_at.astimezone(zone).hour for e in day)
    rows = [Row(hour=dt.time(h)) for h in range(min(hours), max(hours) + 1)]
    for row in rows:
        row.cells = [[e for e in day if e.starts_at.astimezone(zone).hour == row.hour.hour] for day in per_day]
    return rows


@dataclass
class BookingChoice:
    """The free slots of one clinician of the client's care team, by day in the client's zone."""

    clinician_id: str
    clinician_name: str
    days: list[tuple[dt.date, list[dt.datetime]]]


def booking_choices(*, client: ClientProfile, zone: ZoneInfo) -> tuple[BookingPolicy, list[BookingChoice]]:
    """What the client may book now: each care-team clinician's free slots between the notice and the horizon."""
    policy = policy_for(client.practice)
    if not policy.allow_self_booking:
        return policy, []
    now = timezone.now()
    earliest, end = now + policy.notice, now + dt.timedelta(days=policy.horizon_days)
    choices = []
    for member in client.care_team.filter(ended_at__isnull=True).select_related("clinician").order_by("-is_primary"):
        by_day: dict[dt.date, list[dt.datetime]] = {}
        # Slots on the day's own grid (from the start of the clinician's day), those after the notice offered: the
        # grid booking checks against (services.booking), not one starting at the notice's odd second.
        local = clinician_zone(member.clinician)
        start = at(earliest.astimezone(local).date(), dt.time(0), local)
        slots = free_slots(member.clinician, start=start, end=end, minutes=policy.duration_minutes, not_before=earliest)
        for slot in slots:
            by_day.setdefault(slot.astimezone(zone).date(), []).append(slot)
        choices.append(
            BookingChoice(
                clinician_id=str(member.clinician_id),
                clinician_name=member.clinician.display_name,
                days=sorted(by_day.items()),
            )
        )
    return policy, choices


def upcoming_for_client(*, client: ClientProfile) -> list[Appointment]:
    """The client's own scheduled sessions still to come, earliest first."""
    return list(
        Appointment.objects.filter(client=client, status=AppointmentStatus.SCHEDULED, starts_at__gt=timezone.now())
        .select_related("clinician")
        .order_by("starts_at")
    )

"""The sessions step: each active client's past sessions with their primary clinician, and the next one.

A past session every one to two weeks from the start of the episode until the day the plan
stops at (most attended, a few missed), and one session in the seven days after it. Times are
working hours in the practice's time zone; a clinician is never booked twice at one time.
The plan is pure (:func:`plan_sessions`); the step writes it in bulk, with an audit event per
appointment, as :func:`alongside.sessions.services.appointment_create` would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from alongside.audit.log import Entry, record_many
from alongside.sessions.models import Appointment, AppointmentStatus, SessionsAuditAction
from alongside.synth.config import SynthConfig
from alongside.synth.context import SynthContext
from alongside.synth.measures_plan import plan_now
from alongside.synth.plan import PracticePlan

BATCH = 500
HOURS = (9, 10, 11, 13, 14, 15, 16, 17)
NO_SHOW_SHARE = 0.06
DURATIONS = (50, 50, 50, 60)


@dataclass(frozen=True)
class SessionPlan:
    client: int  # the client's plan number
    clinician: int  # index into the practice's clinicians
    starts_at: dt.datetime
    duration_minutes: int
    status: str  # an AppointmentStatus value


def _local(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zone).astimezone(dt.UTC)


def plan_sessions(config: SynthConfig, practice: PracticePlan) -> list[SessionPlan]:
    """Plan every active client's sessions. Pure: the same config gives the same sessions."""
    rng = config.rng("sessions")
    zone = ZoneInfo(config.time_zone)
    now = plan_now(config)
    today = config.anchor_date()
    taken: set[tuple[int, dt.datetime]] = set()
    sessions: list[SessionPlan] = []

    def book(number: int, clinician: int, day: dt.date, status: str) -> None:
        day += dt.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)  # weekdays only
        hours = list(HOURS)
        rng.shuffle(hours)
        for hour in hours:
            starts_at = _local(day, hour, zone)
            if status != AppointmentStatus.SCHEDULED and starts_at >= now:
                return  # moved off a weekend into the present: not a past session
            if (clinician, starts_at) not in taken:
                taken.add((clinician, starts_at))
                sessions.append(SessionPlan(number, clinician, starts_at, rng.choice(DURATIONS), status))
                return

    for client in practice.clients:
        if not client.active:
            continue
        day = client.started_on + dt.timedelta(days=rng.randint(0, 6))
        while _local(day, max(HOURS) + 1, zone) <= now:
            missed = rng.random() < NO_SHOW_SHARE
            book(
                client.number, client.primary, day, AppointmentStatus.NO_SHOW if missed else AppointmentStatus.ATTENDED
            )
            day += dt.timedelta(days=rng.randint(7, 14))
        week = [today + dt.timedelta(days=d) for d in range(1, 8)]
        next_day = rng.choice([d for d in week if d.weekday() < 5])
        book(client.number, client.primary, next_day, AppointmentStatus.SCHEDULED)
    return sessions


def sessions_step(ctx: SynthContext) -> None:
    """Write the planned appointments in bulk, each with its audit event."""
    by_number = {client.plan.number: profile for client, profile in ctx.written_clients()}
    rows = []
    for plan in plan_sessions(ctx.config, ctx.plan):
        profile = by_number.get(plan.client)
        if profile is None:
            continue
        clinician = ctx.clinicians[plan.clinician]
        rows.append(
            Appointment(
                client=profile,
                clinician=clinician,
                starts_at=plan.starts_at,
                duration_minutes=plan.duration_minutes,
                status=plan.status,
                created_at=plan.starts_at - dt.timedelta(days=7),
                created_by=clinician,
            )
        )
    made = Appointment.objects.bulk_create(rows, batch_size=BATCH)
    for start in range(0, len(made), BATCH):
        record_many(
            [
                Entry(
                    action=SessionsAuditAction.APPOINTMENT_CREATED,
                    obj=appointment,
                    client_id=appointment.client_id,
                    detail={"synthetic": True},
                )
                for appointment in made[start : start + BATCH]
            ],
            actor=None,
        )
    ctx.count("appointments", len(made))
    ctx.count("appointments_upcoming", sum(1 for a in made if a.status == AppointmentStatus.SCHEDULED))

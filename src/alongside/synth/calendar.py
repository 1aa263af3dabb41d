"""The calendar step: every clinician's working week, a blocked lunch hour, the practice's booking
rules with self-booking on, a few sessions the clients booked themselves, and one group session
of the first clinician with three of their clients, starting within a quarter of an hour.

Runs after the sessions step, through telehealth's services (so each change is audited, and each
self-booked session gets its calendar invitation like any other). Deterministic: the choices draw
from their own random stream ("calendar"), so the other steps' data do not move.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.core.time import zone_or_utc
from alongside.synth.context import SynthContext
from alongside.telehealth.availability import at, free_slots
from alongside.telehealth.services.availability import block_add, booking_policy_set, hours_set
from alongside.telehealth.services.booking import booking_create
from alongside.telehealth.services.groups import group_create

WEEK = [(day, dt.time(9), dt.time(18)) for day in range(5)]  # Monday to Friday, 09:00-18:00 local
SELF_BOOKED = 3
GROUP_MEMBERS = 3


def calendar_step(ctx: SynthContext) -> None:
    """Write the availability and a few self-bookings of the synthetic practice."""
    practice = ctx.require_practice()
    zone = zone_or_utc(practice.time_zone)
    rng = ctx.config.rng("calendar")
    booking_policy_set(
        actor=ctx.require_admin(),
        allow_self_booking=True,
        notice_hours=24,
        cancel_hours=24,
        horizon_days=28,
        duration_minutes=50,
    )
    today = timezone.now().astimezone(zone).date()
    for clinician in ctx.clinicians:
        hours_set(actor=clinician, rows=WEEK, time_zone=str(zone))
        lunch = today + dt.timedelta(days=1 + rng.randint(0, 6))
        try:
            block_add(actor=clinician, starts_at=at(lunch, dt.time(13), zone), ends_at=at(lunch, dt.time(14), zone))
            ctx.count("blocked_times")
        except ValidationError:
            pass  # a session is booked over lunch that day: leave it
    booked = 0
    for _client, profile in ctx.written_clients():
        if booked >= SELF_BOOKED:
            break
        team = profile.care_team.filter(ended_at__isnull=True, is_primary=True).select_related("clinician").first()
        if team is None or not profile.user.is_active:
            continue
        day = today + dt.timedelta(days=9 + rng.randint(0, 4))
        slots = free_slots(team.clinician, start=at(day, dt.time(0), zone), end=at(day, dt.time(23), zone), minutes=50)
        if not slots:
            continue
        try:
            booking_create(actor=profile.user, clinician_id=team.clinician_id, starts_at=rng.choice(slots))
        except ValidationError:
            continue
        booked += 1
    ctx.count("self_booked_sessions", booked)
    ctx.count("appointments", booked)  # they are appointments too: the total stays the number of rows
    _group_today(ctx)


def _group_today(ctx: SynthContext) -> None:
    """A group session of the first clinician with three of their clients, at the first free quarter hour.

    So the demo's group page has a session to open today (its call needs Janus: see the README).
    """
    if not ctx.clinicians:
        return
    clinician = ctx.clinicians[0]
    members = []
    for _client, profile in ctx.written_clients():
        on_team = profile.care_team.filter(ended_at__isnull=True, clinician=clinician).exists()
        if on_team and profile.user.is_active:
            members.append(profile.pk)
        if len(members) == GROUP_MEMBERS:
            break
    if len(members) < GROUP_MEMBERS:
        return
    now = timezone.now()
    start = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0) + dt.timedelta(minutes=15)
    for quarter in range(4 * 12):  # the first quarter hour free of the clinician's one-to-one sessions
        try:
            group_create(
                actor=clinician,
                title=_("Skills group"),
                starts_at=start + dt.timedelta(minutes=15 * quarter),
                duration_minutes=90,
                client_ids=members,
            )
        except ValidationError:
            continue
        ctx.count("group_sessions")
        return

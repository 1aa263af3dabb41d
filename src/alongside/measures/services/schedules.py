"""Writes for measure schedules: set a client's schedule, end one."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.core.actor import Actor
from alongside.core.services import service
from alongside.measures.models import (
    MeasureAuditAction,
    MeasureSchedule,
    ScheduleRule,
)
from alongside.measures.services._common import (
    _instrument,
    _require_clinician,
    _zone,
)


@service
def schedule_set(
    *,
    actor: Actor,
    client_id: uuid.UUID | str,
    instrument: str,
    rule: ScheduleRule | str,
    interval_days: int | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    time_of_day: dt.time = dt.time(9, 0),
) -> MeasureSchedule:
    """Set the client's schedule for an instrument; a current one is ended, never rewritten."""
    client = _require_clinician(actor, client_id)
    code = _instrument(instrument, client.practice_id).code
    if rule not in ScheduleRule.values:
        raise ValidationError(_("Choose how often to ask."))
    rule = ScheduleRule(rule)
    if rule == ScheduleRule.EVERY_N_DAYS:
        if interval_days is None or not 1 <= interval_days <= 366:
            raise ValidationError(_("Ask every 1 to 366 days."))
    else:
        interval_days = None
    now = timezone.now()
    starts_on = starts_on or now.astimezone(_zone(client.time_zone)).date()
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError(_("The end date must not be before the start date."))
    with transaction.atomic():
        current = MeasureSchedule.objects.select_for_update().filter(
            client=client, instrument=code, ended_at__isnull=True
        )
        previous = current.first()
        if previous is not None:
            previous.ended_at = now
            previous.ended_by = actor
            previous.save(update_fields=["ended_at", "ended_by"])
        schedule = MeasureSchedule.objects.create(
            client=client,
            instrument=code,
            rule=rule,
            interval_days=interval_days,
            time_of_day=time_of_day,
            starts_on=starts_on,
            ends_on=ends_on,
            created_at=now,
            created_by=actor,
            replaces=previous,
        )
        record(
            MeasureAuditAction.SCHEDULE_SET,
            actor=actor,
            obj=schedule,
            client_id=client.pk,
            detail={"instrument": code, "rule": str(rule), "replaces": str(previous.pk) if previous else None},
        )
    return schedule


@service
def schedule_end(*, actor: Actor, schedule_id: uuid.UUID | str) -> MeasureSchedule:
    """End a schedule version: no new requests; requests already made stay as they are."""
    schedule = MeasureSchedule.objects.filter(pk=schedule_id).first()
    if schedule is None:
        raise Http404("No such schedule.")
    _require_clinician(actor, schedule.client_id)
    with transaction.atomic():
        schedule = MeasureSchedule.objects.select_for_update().get(pk=schedule.pk)
        if schedule.ended_at is None:
            schedule.ended_at = timezone.now()
            schedule.ended_by = actor
            schedule.save(update_fields=["ended_at", "ended_by"])
            record(MeasureAuditAction.SCHEDULE_ENDED, actor=actor, obj=schedule, client_id=schedule.client_id)
    return schedule


@service
def schedules_set(
    *,
    actor: Actor,
    client_id: uuid.UUID | str,
    instruments: Sequence[str],
    rule: ScheduleRule | str,
    interval_days: int | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> list[MeasureSchedule]:
    """Set the same schedule for several instruments at once: every one is set, or none is."""
    return [
        schedule_set(
            actor=actor,
            client_id=client_id,
            instrument=code,
            rule=rule,
            interval_days=interval_days,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        for code in instruments
    ]

"""Writes for homework: assignments and reminders; tasks and the calendar live beside this module.

    homework_schedule.py   targets, the local days tasks fall on, audit and access helpers
    homework_tasks.py      making, expiring, reconciling and completing tasks

Every public name of those modules is importable from here too, as before the split.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.practice_settings import PracticeSettings, practice_settings
from alongside.core.services import service, unaudited
from alongside.core.time import in_quiet_hours
from alongside.core.time import zone_or_utc as _zone
from alongside.measures.models import DeliveryChannel
from alongside.selfcare.models import (
    Assignment,
    AssignmentKind,
    Frequency,
    HomeworkTask,
    SelfcareAuditAction,
    TaskStatus,
)
from alongside.selfcare.services.homework_schedule import (  # noqa: F401
    BACKFILL_DAYS,
    CONTENT_DIR,
    DEFAULT_MODULES,
    _monday,
    _require_clinician,
    expected_dates,
    local_date,
    local_today,
    measure_choices,
    module_choices,
    target_choices,
    target_label,
    task_window,
    week_slots,
)
from alongside.selfcare.services.homework_tasks import (  # noqa: F401
    API_COMPLETION,
    _own_tasks,
    task_complete,
    task_mark_opened,
    task_mark_seen,
    tasks_complete_for,
    tasks_expire,
    tasks_materialise,
    tasks_materialise_for,
    tasks_reconcile,
)

logger = logging.getLogger("alongside.selfcare.services")

# --- Assignments --------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentInput:
    """What a clinician sets; validated by :func:`_validate`."""

    kind: str
    target: str
    instructions: str = ""
    frequency: str = Frequency.ONCE
    times_per_week: int | None = None
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    ends_on: dt.date | None = None


def _validate(data: AssignmentInput, *, today: dt.date) -> AssignmentInput:
    if data.kind not in AssignmentKind.values:
        raise ValidationError(_("Choose what kind of homework this is."))
    if data.target not in dict(target_choices(data.kind)):
        raise ValidationError(_("Choose an exercise, tool, reading or questionnaire from the list."))
    if data.frequency not in Frequency.values:
        raise ValidationError(_("Choose how often."))
    starts_on = data.starts_on or today
    times = data.times_per_week
    if data.frequency == Frequency.ONCE:
        if data.due_on is None:
            raise ValidationError(_("A one-off task needs a due date."))
        if data.due_on < starts_on:
            raise ValidationError(_("The due date cannot be before the start date."))
        times, ends_on = None, None
    else:
        if data.frequency == Frequency.PER_WEEK and not (times is not None and 1 <= times <= 7):
            raise ValidationError(_("Say how many times a week, from 1 to 7."))
        if data.frequency == Frequency.DAILY:
            times = None
        ends_on = data.ends_on
        if ends_on is not None and ends_on < starts_on:
            raise ValidationError(_("The end date cannot be before the start date."))
    if len(data.instructions) > 2000:
        raise ValidationError(_("Keep the instructions under 2,000 characters."))
    return AssignmentInput(
        kind=data.kind,
        target=data.target,
        instructions=data.instructions.strip(),
        frequency=data.frequency,
        times_per_week=times,
        starts_on=starts_on,
        due_on=data.due_on if data.frequency == Frequency.ONCE else None,
        ends_on=ends_on,
    )


def _create(*, actor: Actor, client: ClientProfile, data: AssignmentInput, supersedes: Assignment | None) -> Assignment:
    assert data.starts_on is not None
    assignment = Assignment(
        client=client,
        created_by=actor,
        kind=data.kind,
        target=data.target,
        frequency=data.frequency,
        times_per_week=data.times_per_week,
        starts_on=data.starts_on,
        due_on=data.due_on,
        ends_on=data.ends_on,
        supersedes=supersedes,
    )
    cast(Any, assignment).instructions = data.instructions
    assignment.save()
    return assignment


@service
def assignment_set(*, actor: Actor, client_id: uuid.UUID | str, data: AssignmentInput) -> Assignment:
    """Assign homework to a client (care-team clinicians only) and make today's task at once."""
    client = _require_clinician(actor, client_id)
    now = timezone.now()
    clean = _validate(data, today=local_today(client, now))
    with transaction.atomic():
        assignment = _create(actor=actor, client=client, data=clean, supersedes=None)
        record(
            SelfcareAuditAction.ASSIGNMENT_SET,
            actor=actor,
            obj=assignment,
            client_id=client.pk,
            detail={"kind": assignment.kind, "target": assignment.target, "frequency": assignment.frequency},
        )
        tasks_materialise_for(assignment=assignment, now=now)
    return assignment


def _current_assignment(actor: Actor, assignment_id: uuid.UUID | str) -> Assignment:
    try:
        assignment = Assignment.objects.select_related("client").get(pk=uuid.UUID(str(assignment_id)))
    except (Assignment.DoesNotExist, ValueError):
        from django.http import Http404

        raise Http404("No such homework.") from None
    _require_clinician(actor, assignment.client_id)
    return assignment


def _end(assignment: Assignment, *, now: dt.datetime) -> int:
    """End one assignment: open tasks from today on are no longer expected; past tasks stay as they are."""
    today = local_today(assignment.client, now)
    Assignment.objects.filter(pk=assignment.pk).update(ended_at=now)
    assignment.ended_at = now
    removed, _detail = HomeworkTask.objects.filter(
        assignment=assignment, status=TaskStatus.DUE, due_on__gte=today
    ).delete()
    return removed


@service
def assignment_change(*, actor: Actor, assignment_id: uuid.UUID | str, data: AssignmentInput) -> Assignment:
    """End the assignment and start a new one that supersedes it (history and past tasks stay)."""
    now = timezone.now()
    with transaction.atomic():
        old = _current_assignment(actor, assignment_id)
        old = Assignment.objects.select_for_update().select_related("client").get(pk=old.pk)
        if old.ended_at is not None:
            raise ValidationError(_("This homework has already ended or been changed."))
        clean = _validate(data, today=local_today(old.client, now))
        removed = _end(old, now=now)
        new = _create(actor=actor, client=old.client, data=clean, supersedes=old)
        record(
            SelfcareAuditAction.ASSIGNMENT_ENDED,
            actor=actor,
            obj=old,
            client_id=old.client_id,
            detail={"superseded_by": str(new.pk), "open_tasks_removed": removed},
        )
        record(
            SelfcareAuditAction.ASSIGNMENT_SET,
            actor=actor,
            obj=new,
            client_id=old.client_id,
            detail={"kind": new.kind, "target": new.target, "frequency": new.frequency, "supersedes": str(old.pk)},
        )
        tasks_materialise_for(assignment=new, now=now)
    return new


@service
def assignment_end(*, actor: Actor, assignment_id: uuid.UUID | str) -> Assignment:
    """End an assignment: no new tasks; past tasks and their completions stay."""
    now = timezone.now()
    with transaction.atomic():
        assignment = _current_assignment(actor, assignment_id)
        assignment = Assignment.objects.select_for_update().select_related("client").get(pk=assignment.pk)
        if assignment.ended_at is not None:
            return assignment
        removed = _end(assignment, now=now)
        record(
            SelfcareAuditAction.ASSIGNMENT_ENDED,
            actor=actor,
            obj=assignment,
            client_id=assignment.client_id,
            detail={"open_tasks_removed": removed},
        )
    return assignment


# --- Links ------------------------------------------------------------------------------


@unaudited("links a task to a record that its own service audited")
def homework_record_done(
    *, client: ClientProfile, kind: str, target: str, when: dt.datetime, completion: Model
) -> None:
    """Mark the open task ``completion`` fulfils, in a savepoint of the caller's transaction.

    Call it right after a record is saved. A failure here never undoes the record: it is logged
    (ids only) and the selectors still reconcile the record by date.
    """
    try:
        with transaction.atomic():
            tasks_complete_for(client=client, kind=kind, target=target, when=when, completion=completion)
    except Exception as error:  # the caller's write must stand whatever went wrong here
        logger.error(
            "selfcare: linking %s %s to homework failed for client %s (%s)",
            completion._meta.label_lower,
            completion.pk,
            client.pk,
            type(error).__name__,
        )


# --- Reminders ----------------------------------------------------------------------------


@unaudited("reminder bookkeeping; the notices themselves are audited by notification_send")
def tasks_remind(*, now: dt.datetime | None = None) -> int:
    """Remind each client with tasks due today, once, outside quiet hours, as they chose. Names no task.

    The reminder goes through notifications (in-app, and email unless the client turned it off);
    its dedupe key makes a repeated tick on the same day send nothing more.
    """
    from alongside.notify.models import NotificationKind
    from alongside.notify.services import channels_for, notification_send

    now = now or timezone.now()
    near = (now - dt.timedelta(days=1)).date(), (now + dt.timedelta(days=1)).date()
    open_tasks = (
        HomeworkTask.objects.filter(
            status=TaskStatus.DUE, delivered_at__isnull=True, due_on__range=near, assignment__ended_at__isnull=True
        )
        .select_related("client__user")
        .order_by("client_id", "due_on")
    )
    by_client: dict[uuid.UUID, list[HomeworkTask]] = {}
    for task in open_tasks:
        if task.due_on == local_today(task.client, now):
            by_client.setdefault(task.client_id, []).append(task)
    settings_cache: dict[uuid.UUID, PracticeSettings] = {}
    sent = 0
    for tasks in by_client.values():
        client = tasks[0].client
        settings = settings_cache.setdefault(client.practice_id, practice_settings(client.practice_id))
        if in_quiet_hours(now.astimezone(_zone(client.time_zone)), settings.quiet_start, settings.quiet_end):
            continue
        in_app, by_email = channels_for(user_ids=[client.user_id], kind=NotificationKind.HOMEWORK)[client.user_id]
        if not (in_app or by_email):
            continue  # the client chose no homework reminders
        with transaction.atomic():
            claimed = HomeworkTask.objects.filter(pk__in=[t.pk for t in tasks], delivered_at__isnull=True).update(
                delivered_at=now, delivery_channel=DeliveryChannel.EMAIL if by_email else DeliveryChannel.IN_APP
            )
            if claimed:
                sent += 1
                notification_send(
                    recipients=[client.user],
                    kind=NotificationKind.HOMEWORK,
                    link="/",
                    client=client,
                    dedupe_key=f"homework:{local_today(client, now).isoformat()}",
                )
    return sent

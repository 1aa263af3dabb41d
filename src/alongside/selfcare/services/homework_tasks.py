"""Writes for homework tasks: making them, expiring and reconciling them, completing them, marking them seen.

Making tasks is idempotent (one row per assignment and day); see :mod:`.homework_schedule` for which days.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.core.actor import Actor
from alongside.core.idempotency import IdempotencyConflict
from alongside.core.services import service, unaudited
from alongside.selfcare.models import (
    Assignment,
    Frequency,
    HomeworkTask,
    SelfcareAuditAction,
    TaskStatus,
)
from alongside.selfcare.services.homework_schedule import (
    BACKFILL_DAYS,
    _monday,
    expected_dates,
    local_date,
    local_today,
    task_window,
)


@unaudited("tasks follow from an audited assignment")
def tasks_materialise_for(*, assignment: Assignment, now: dt.datetime | None = None) -> int:
    """Make the tasks ``assignment`` expects up to the client's today (the past week too). Idempotent."""
    now = now or timezone.now()
    if assignment.ended_at is not None:
        return 0
    today = local_today(assignment.client, now)
    end = today
    if assignment.frequency == Frequency.PER_WEEK:
        # The whole current week is made at once: the client sees the week's target from Monday.
        end = _monday(today) + dt.timedelta(days=6)
    dates = expected_dates(assignment, start=today - dt.timedelta(days=BACKFILL_DAYS), end=end)
    have = set(HomeworkTask.objects.filter(assignment=assignment, due_on__in=dates).values_list("due_on", flat=True))
    rows = [
        HomeworkTask(assignment=assignment, client=assignment.client, due_on=day, scheduled_at=now)
        for day in dates
        if day not in have
    ]
    # The unique (assignment, day) constraint keeps a concurrent run from making a second row.
    HomeworkTask.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        # A record saved before its task existed (done this morning, assigned this afternoon; a backfilled
        # day) completes it now, so task statuses stay exact for readers that count them (the caseload).
        tasks_reconcile(tasks=rows, now=now)
    return len(rows)


@unaudited("tasks follow from an audited assignment (a tick)")
def tasks_materialise(*, now: dt.datetime | None = None) -> int:
    """Make today's tasks of every current assignment, each in its client's time zone. Safe to repeat."""
    now = now or timezone.now()
    count = 0
    earliest = (now - dt.timedelta(days=2)).date()  # no time zone is more than a day ahead of UTC
    current = Assignment.objects.filter(ended_at__isnull=True).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=earliest - dt.timedelta(days=BACKFILL_DAYS))
    )
    for assignment in current.select_related("client").order_by("created_at"):
        count += tasks_materialise_for(assignment=assignment, now=now)
    return count


@unaudited("a tick: task states follow from audited assignments and records")
def tasks_expire(*, now: dt.datetime | None = None) -> int:
    """Mark open tasks whose last day has passed (in the client's time zone) as missed. Returns how many.

    Completions recorded without a link are reconciled first, so a task done is never marked missed.
    """
    from alongside.selfcare.selectors.homework import derive_completions

    now = now or timezone.now()
    stale = list(
        HomeworkTask.objects.filter(status=TaskStatus.DUE, due_on__lt=(now + dt.timedelta(days=1)).date())
        .select_related("assignment", "client")
        .order_by("due_on")
    )
    if not stale:
        return 0
    tasks_reconcile(tasks=stale, now=now)
    derived = derive_completions(stale)
    expired = [
        t.pk
        for t in stale
        if t.pk not in derived and task_window(t.assignment, t.due_on)[1] < local_today(t.client, now)
    ]
    return HomeworkTask.objects.filter(pk__in=expired, status=TaskStatus.DUE).update(
        status=TaskStatus.EXPIRED, expired_at=now
    )


@unaudited("a tick: task states follow from audited assignments and records")
def tasks_reconcile(*, tasks: list[HomeworkTask], now: dt.datetime | None = None) -> int:
    """Link records that completed a task but were saved without calling :func:`tasks_complete_for`."""
    from alongside.selfcare.selectors.homework import derive_completions

    derived = derive_completions(tasks)
    done = 0
    for task in tasks:
        found = derived.get(task.pk)
        if found is None or task.status == TaskStatus.COMPLETED:
            continue
        done += (
            HomeworkTask.objects.filter(pk=task.pk)
            .exclude(status=TaskStatus.COMPLETED)
            .update(
                status=TaskStatus.COMPLETED,
                completed_at=found.at,
                completion_type=found.model,
                completion_id=found.id,
            )
        )
    return done


@unaudited("links a task to a record that its own service audited")
def tasks_complete_for(
    *, client: ClientProfile, kind: str, target: str, when: dt.datetime, completion: Model
) -> HomeworkTask | None:
    """Mark the earliest open task that ``completion`` fulfils as completed, and return it.

    Other services call this right after saving a check-in, exercise entry, practice log, read
    module or submitted questionnaire. Calling it again for the same record changes nothing.
    Adherence does not depend on this call: the selectors reconcile records by date too.
    """
    label = completion._meta.label_lower
    record_id = str(completion.pk)
    with transaction.atomic():
        already = HomeworkTask.objects.filter(client=client, completion_type=label, completion_id=record_id).first()
        if already is not None:
            return already
        day = local_date(client, when)
        preferred = getattr(completion, "assignment_id", None)
        assignments = Assignment.objects.filter(client=client).filter(
            Q(kind=kind, target=target) | Q(pk=preferred) if preferred else Q(kind=kind, target=target)
        )
        for assignment in assignments.select_related("client"):
            tasks_materialise_for(assignment=assignment, now=when)
        candidates = (
            HomeworkTask.objects.select_for_update()
            .filter(assignment__in=assignments.values("pk"), completed_at__isnull=True)
            .exclude(status=TaskStatus.COMPLETED)
            .select_related("assignment")
            .order_by("due_on")
        )
        for task in candidates:
            first, last = task_window(task.assignment, task.due_on)
            if first <= day <= last:
                task.status = TaskStatus.COMPLETED
                task.completed_at = when
                task.completion_type = label
                task.completion_id = record_id
                task.save(update_fields=["status", "completed_at", "completion_type", "completion_id"])
                return task
    return None


API_COMPLETION = "api"  # completion_type of a task the client marked done through the API


@service
def task_complete(*, actor: Actor, task_id: uuid.UUID | str, idempotency_key: str) -> HomeworkTask:
    """Mark one of the client's own tasks as done (completion type "api"); 404 for anyone else's task.

    A task something else already completed stays as it is; a retry with the same key returns the task.
    """
    from django.http import Http404

    if not idempotency_key or not 8 <= len(idempotency_key) <= 64:
        raise ValidationError(_("The idempotency key must be 8 to 64 characters."))
    try:
        pk = uuid.UUID(str(task_id))
    except ValueError:
        raise Http404("No such task.") from None
    with transaction.atomic():
        task = _own_tasks(actor, [pk]).select_for_update().select_related("assignment", "client").first()
        if task is None:
            raise Http404("No such task.")
        if task.status == TaskStatus.COMPLETED:
            return task
        # A record saved without a link may have done it already: link that record instead.
        if tasks_reconcile(tasks=[task]):
            task.refresh_from_db()
            return task
        used = HomeworkTask.objects.filter(
            client_id=task.client_id, completion_type=API_COMPLETION, completion_id=idempotency_key
        ).exclude(pk=task.pk)
        if used.exists():  # the same key with another body (another task): 409 in the API
            raise IdempotencyConflict()
        task.status = TaskStatus.COMPLETED
        task.completed_at = timezone.now()
        task.completion_type = API_COMPLETION
        task.completion_id = idempotency_key
        task.save(update_fields=["status", "completed_at", "completion_type", "completion_id"])
        record(
            SelfcareAuditAction.TASK_COMPLETED,
            actor=actor,
            obj=task,
            client_id=task.client_id,
            detail={"assignment": str(task.assignment_id)},
        )
    return task


def _own_tasks(actor: Actor, task_ids: Iterable[uuid.UUID | str]) -> Any:
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_client", False):
        return HomeworkTask.objects.none()
    return HomeworkTask.objects.filter(client_id=actor.pk, pk__in=list(task_ids))


@unaudited("delivery telemetry")
def task_mark_seen(*, actor: Actor, task_ids: Iterable[uuid.UUID | str], now: dt.datetime | None = None) -> int:
    """Record that the client's "today" list showed these tasks (first sight only)."""
    return cast(int, _own_tasks(actor, task_ids).filter(seen_at__isnull=True).update(seen_at=now or timezone.now()))


@unaudited("delivery telemetry")
def task_mark_opened(*, actor: Actor, task_id: uuid.UUID | str, now: dt.datetime | None = None) -> bool:
    """Record that the client opened a task (first time only); opening implies it was seen."""
    now = now or timezone.now()
    mine = _own_tasks(actor, [task_id])
    mine.filter(seen_at__isnull=True).update(seen_at=now)
    return bool(mine.filter(opened_at__isnull=True).update(opened_at=now))

"""Writes for homework: assignments, their tasks, completions, expiry and reminders.

Tasks are the expected pieces of work, one row each:

* ``once``: one task, due on the assignment's due date;
* ``daily``: one task per local day from the start to the end date;
* ``per_week`` (N times a week): N slots per ISO week (Monday to Sunday), due on spread days
  (slot *i* of N is due on weekday ``ceil(i * 7 / N)``, so 1 a week is due on Sunday, 3 a week
  on Wednesday, Friday and Sunday). Any matching record in the week counts for the earliest
  open slot. Slots before the start date or after the end date are not expected.

Days are the client's own local days (their time zone), so daylight-saving changes never
make or skip a day. Making tasks is idempotent (one row per assignment and day).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside import access
from alongside.access import Action
from alongside.audit.log import Entry, record_many
from alongside.audit.models import AuditAction
from alongside.care.models import ClientProfile
from alongside.core.idempotency import IdempotencyConflict
from alongside.measures.models import DeliveryChannel, PracticeMeasureSettings
from alongside.measures.services._common import _in_quiet_hours, _zone, logger, practice_settings
from alongside.selfcare.models import (
    Assignment,
    AssignmentKind,
    ExerciseType,
    Frequency,
    HomeworkTask,
    PracticeKind,
    SelfcareAuditAction,
    TaskStatus,
)

BACKFILL_DAYS = 7  # a missed tick still makes the past week's expected tasks
CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
# Until the reading library is written, these are the modules the issue asks for.
DEFAULT_MODULES: dict[str, Any] = {
    "cbt-model": gettext_lazy("The CBT model"),
    "depression-and-activity": gettext_lazy("Depression and activity"),
    "anxiety-and-avoidance": gettext_lazy("Anxiety and avoidance"),
    "panic-cycle": gettext_lazy("The panic cycle"),
    "worry": gettext_lazy("Worry"),
    "sleep": gettext_lazy("Sleep"),
    "thinking-traps": gettext_lazy("Thinking traps"),
    "crisis": gettext_lazy("What to do in a crisis"),
    "preparing-for-a-session": gettext_lazy("Preparing for a session"),
}


# --- Targets --------------------------------------------------------------------------


def module_choices() -> list[tuple[str, str]]:
    """Return the reading modules (slug, title): the English content files if present, else the default list."""
    files = sorted(CONTENT_DIR.glob("en/*.md"))
    if files:
        return [(f.stem, f.stem.replace("-", " ").replace("_", " ").capitalize()) for f in files]
    return [(slug, str(title)) for slug, title in DEFAULT_MODULES.items()]


def measure_choices() -> list[tuple[str, str]]:
    """Return the shipped questionnaires (code, name)."""
    from alongside.measures.library import all_instruments

    return [(i.code, f"{i.short_name or i.code} - {i.name}") for i in all_instruments()]


def target_choices(kind: str) -> list[tuple[str, str]]:
    """Return what may be assigned for ``kind``."""
    if kind == AssignmentKind.EXERCISE:
        return [(str(v), str(label)) for v, label in ExerciseType.choices]
    if kind == AssignmentKind.TOOL:
        return [(str(v), str(label)) for v, label in PracticeKind.choices]
    if kind == AssignmentKind.MODULE:
        return module_choices()
    if kind == AssignmentKind.MEASURE:
        return measure_choices()
    return []


def target_label(kind: str, target: str) -> str:
    """Return a human label for a target ("Thought record", "PHQ-9 - ..."), or the code itself."""
    return dict(target_choices(kind)).get(target, target)


# --- Dates ------------------------------------------------------------------------------


def local_today(client: ClientProfile, now: dt.datetime | None = None) -> dt.date:
    """Return the client's local date now (their time zone; DST-safe)."""
    return (now or timezone.now()).astimezone(_zone(client.time_zone)).date()


def local_date(client: ClientProfile, at: dt.datetime) -> dt.date:
    return at.astimezone(_zone(client.time_zone)).date()


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_slots(monday: dt.date, times_per_week: int) -> list[dt.date]:
    """Return the due dates of N slots in the ISO week starting ``monday`` (distinct, last on Sunday)."""
    n = max(1, min(7, times_per_week))
    return [monday + dt.timedelta(days=math.ceil(i * 7 / n) - 1) for i in range(1, n + 1)]


def expected_dates(assignment: Assignment, *, start: dt.date, end: dt.date) -> list[dt.date]:
    """Return the due dates of the tasks ``assignment`` expects between ``start`` and ``end`` (inclusive)."""
    first = max(start, assignment.starts_on)
    last = end if assignment.ends_on is None else min(end, assignment.ends_on)
    if assignment.frequency == Frequency.ONCE:
        due = assignment.due_on or assignment.starts_on
        # A one-off task exists from its start; it is made as soon as the start is reached.
        return [due] if assignment.starts_on <= end and due >= start else []
    if last < first:
        return []
    if assignment.frequency == Frequency.DAILY:
        return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    dates: list[dt.date] = []
    monday = _monday(first)
    while monday <= last:
        dates.extend(d for d in week_slots(monday, assignment.times_per_week or 1) if first <= d <= last)
        monday += dt.timedelta(days=7)
    return dates


def task_window(assignment: Assignment, due_on: dt.date) -> tuple[dt.date, dt.date]:
    """Return the local days on which a record completes the task due on ``due_on``."""
    if assignment.frequency == Frequency.DAILY:
        return due_on, due_on
    if assignment.frequency == Frequency.PER_WEEK:
        monday = _monday(due_on)
        return max(monday, assignment.starts_on), monday + dt.timedelta(days=6)
    return assignment.starts_on, due_on


# --- Audit and access ---------------------------------------------------------------------


def _audit(action: SelfcareAuditAction, *, actor: Any, obj: Model | None, client_id: Any, **detail: Any) -> None:
    # Our events live in the shared chain; AuditAction lists the foundation's own.
    record_many(
        [Entry(action=cast(AuditAction, action), obj=obj, client_id=client_id, detail=detail or None)], actor=actor
    )


def _require_clinician(actor: Any, client_id: uuid.UUID | str) -> ClientProfile:
    client = access.client_or_404(actor, client_id, Action.VIEW_ADMIN)
    if getattr(actor, "is_client", True) or not access.decide(actor, client, Action.WRITE_CLINICAL):
        raise PermissionDenied(_("Only a clinician on the client's care team can do this."))
    return client


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


def _create(*, actor: Any, client: ClientProfile, data: AssignmentInput, supersedes: Assignment | None) -> Assignment:
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


def assignment_set(*, actor: Any, client_id: uuid.UUID | str, data: AssignmentInput) -> Assignment:
    """Assign homework to a client (care-team clinicians only) and make today's task at once."""
    client = _require_clinician(actor, client_id)
    now = timezone.now()
    clean = _validate(data, today=local_today(client, now))
    with transaction.atomic():
        assignment = _create(actor=actor, client=client, data=clean, supersedes=None)
        _audit(
            SelfcareAuditAction.ASSIGNMENT_SET,
            actor=actor,
            obj=assignment,
            client_id=client.pk,
            kind=assignment.kind,
            target=assignment.target,
            frequency=assignment.frequency,
        )
        tasks_materialise_for(assignment=assignment, now=now)
    return assignment


def _current_assignment(actor: Any, assignment_id: uuid.UUID | str) -> Assignment:
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


def assignment_change(*, actor: Any, assignment_id: uuid.UUID | str, data: AssignmentInput) -> Assignment:
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
        _audit(
            SelfcareAuditAction.ASSIGNMENT_ENDED,
            actor=actor,
            obj=old,
            client_id=old.client_id,
            superseded_by=str(new.pk),
            open_tasks_removed=removed,
        )
        _audit(
            SelfcareAuditAction.ASSIGNMENT_SET,
            actor=actor,
            obj=new,
            client_id=old.client_id,
            kind=new.kind,
            target=new.target,
            frequency=new.frequency,
            supersedes=str(old.pk),
        )
        tasks_materialise_for(assignment=new, now=now)
    return new


def assignment_end(*, actor: Any, assignment_id: uuid.UUID | str) -> Assignment:
    """End an assignment: no new tasks; past tasks and their completions stay."""
    now = timezone.now()
    with transaction.atomic():
        assignment = _current_assignment(actor, assignment_id)
        assignment = Assignment.objects.select_for_update().select_related("client").get(pk=assignment.pk)
        if assignment.ended_at is not None:
            return assignment
        removed = _end(assignment, now=now)
        _audit(
            SelfcareAuditAction.ASSIGNMENT_ENDED,
            actor=actor,
            obj=assignment,
            client_id=assignment.client_id,
            open_tasks_removed=removed,
        )
    return assignment


# --- Tasks ------------------------------------------------------------------------------


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


API_COMPLETION = "api"  # completion_type of a task the client marked done through the API


def task_complete(*, actor: Any, task_id: uuid.UUID | str, idempotency_key: str) -> HomeworkTask:
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
        _audit(
            SelfcareAuditAction.TASK_COMPLETED,
            actor=actor,
            obj=task,
            client_id=task.client_id,
            assignment=str(task.assignment_id),
        )
    return task


def _own_tasks(actor: Any, task_ids: Iterable[uuid.UUID | str]) -> Any:
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_client", False):
        return HomeworkTask.objects.none()
    return HomeworkTask.objects.filter(client_id=actor.pk, pk__in=list(task_ids))


def task_mark_seen(*, actor: Any, task_ids: Iterable[uuid.UUID | str], now: dt.datetime | None = None) -> int:
    """Record that the client's "today" list showed these tasks (first sight only)."""
    return cast(int, _own_tasks(actor, task_ids).filter(seen_at__isnull=True).update(seen_at=now or timezone.now()))


def task_mark_opened(*, actor: Any, task_id: uuid.UUID | str, now: dt.datetime | None = None) -> bool:
    """Record that the client opened a task (first time only); opening implies it was seen."""
    now = now or timezone.now()
    mine = _own_tasks(actor, [task_id])
    mine.filter(seen_at__isnull=True).update(seen_at=now)
    return bool(mine.filter(opened_at__isnull=True).update(opened_at=now))


# --- Reminders ----------------------------------------------------------------------------


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
    settings_cache: dict[uuid.UUID, PracticeMeasureSettings] = {}
    sent = 0
    for tasks in by_client.values():
        client = tasks[0].client
        settings = settings_cache.setdefault(client.practice_id, practice_settings(client.practice_id))
        if _in_quiet_hours(now.astimezone(_zone(client.time_zone)), settings):
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

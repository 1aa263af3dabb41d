"""Which record completed which homework task: derived from rows, never from counters.

A task counts as completed when it is marked so, or when a matching record (exercise entry, practice log,
read module, submitted questionnaire) exists on a day of its window, linked or not
(:func:`derive_completions`); :func:`_tally` counts expected and completed tasks.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import (
    Model,
)

from alongside.core.time import zone_or_utc as _zone
from alongside.measures.models import MeasureResponse, ResponseStatus
from alongside.selfcare.models import (
    Assignment,
    AssignmentKind,
    EntryStatus,
    ExerciseEntry,
    HomeworkTask,
    ModuleRead,
    PracticeLog,
    TaskStatus,
)
from alongside.selfcare.services.homework import task_window


@dataclass(frozen=True)
class Found:
    """The record that completed a task."""

    at: dt.datetime
    model: str
    id: str


@dataclass(frozen=True)
class _Record:
    client_id: uuid.UUID
    kind: str
    target: str
    at: dt.datetime
    assignment_id: uuid.UUID | None
    model: str
    id: str


@dataclass(frozen=True, slots=True)
class _Plan:
    """What matching needs of an assignment (an :class:`Assignment` or a lean row of one)."""

    pk: uuid.UUID
    kind: str
    target: str
    frequency: str
    starts_on: dt.date


@dataclass(frozen=True, slots=True)
class _Open:
    """A task not marked completed, as matching needs it; ``key`` identifies it in the answer."""

    key: Any
    order: str  # the task's id as text: ties on the due date go by id, as they always have
    client_id: uuid.UUID
    due_on: dt.date
    plan: _Plan
    zone: str


# Which record table can complete which kind of homework, and the column that names its target.
_TABLES: tuple[tuple[type[Model], str, str, str, dict[str, Any]], ...] = (
    (ExerciseEntry, AssignmentKind.EXERCISE, "kind", "completed_at", {"status": EntryStatus.COMPLETE}),
    (PracticeLog, AssignmentKind.TOOL, "kind", "at", {"done": True}),
    (ModuleRead, AssignmentKind.MODULE, "module", "read_at", {}),
)


def _records(open_tasks: list[_Open], since: dt.datetime, until: dt.datetime) -> list[_Record]:
    """The records in this period that could complete one of these open tasks (at most four queries).

    A record matches a task when it is linked to the task's assignment or has the assignment's kind and
    target, so only those are read: index seeks on (client, kind, time) and on the assignment link, never a
    scan of a client's whole history.
    """
    client_ids = {t.client_id for t in open_tasks}
    plan_ids = {t.plan.pk for t in open_tasks}
    targets: dict[str, set[str]] = defaultdict(set)
    for task in open_tasks:
        targets[task.plan.kind].add(task.plan.target)
    out: list[_Record] = []
    for model, kind, target_column, at_column, where in _TABLES:
        columns = ("id", "client_id", target_column, at_column, "assignment_id")
        recent = model._default_manager.filter(
            client_id__in=client_ids, **{f"{at_column}__range": (since, until)}, **where
        ).order_by()
        # Linked records are found by their assignment (the client's index would walk their whole history);
        # the rows of other clients are dropped below.
        linked = (
            model._default_manager.filter(
                assignment_id__in=plan_ids, **{f"{at_column}__range": (since, until)}, **where
            )
            .order_by()
            .values_list(*columns)
        )
        rows = (
            recent.filter(**{f"{target_column}__in": targets[kind]}).values_list(*columns).union(linked).order_by()
            if targets.get(kind)
            else linked
        )
        label = model._meta.label_lower
        for pk, client_id, target, at, assignment_id in rows:
            if client_id not in client_ids:
                continue
            out.append(_Record(client_id, kind, target, at, assignment_id, label, str(pk)))
    if targets.get(AssignmentKind.MEASURE):
        for pk, client_id, instrument, submitted_at in (
            MeasureResponse.objects.filter(
                client_id__in=client_ids,
                instrument__in=targets[AssignmentKind.MEASURE],
                status=ResponseStatus.SUBMITTED,
                submitted_at__range=(since, until),
            )
            .order_by()
            .values_list("id", "client_id", "instrument", "submitted_at")
        ):
            assert submitted_at is not None
            out.append(
                _Record(
                    client_id,
                    AssignmentKind.MEASURE,
                    instrument,
                    submitted_at,
                    None,
                    "measures.measureresponse",
                    str(pk),
                )
            )
    out.sort(key=lambda r: r.at)
    return out


def _match(open_tasks: list[_Open], used: set[tuple[str, str]]) -> dict[Any, Found]:
    """Give each open task the earliest unused record that matches it on a day of its window, in task order."""
    if not open_tasks:
        return {}
    open_tasks = sorted(open_tasks, key=lambda t: (t.due_on, t.order))
    windows = {t.key: task_window(cast(Assignment, t.plan), t.due_on) for t in open_tasks}
    since = dt.datetime.combine(min(w[0] for w in windows.values()) - dt.timedelta(days=1), dt.time(), dt.UTC)
    until = dt.datetime.combine(max(w[1] for w in windows.values()) + dt.timedelta(days=2), dt.time(), dt.UTC)
    by_client: dict[uuid.UUID, list[_Record]] = defaultdict(list)
    for record in _records(open_tasks, since, until):
        by_client[record.client_id].append(record)
    found: dict[Any, Found] = {}
    used = set(used)
    zones: dict[str, Any] = {}
    for task in open_tasks:
        plan, (first, last) = task.plan, windows[task.key]
        zone = zones.get(task.zone) or zones.setdefault(task.zone, _zone(task.zone))
        for record in by_client.get(task.client_id, []):
            if (record.model, record.id) in used:
                continue
            matches = record.assignment_id == plan.pk or (record.kind == plan.kind and record.target == plan.target)
            if matches and first <= record.at.astimezone(zone).date() <= last:
                found[task.key] = Found(record.at, record.model, record.id)
                used.add((record.model, record.id))
                break
    return found


def derive_completions(tasks: Iterable[HomeworkTask]) -> dict[uuid.UUID, Found]:
    """Return, for each completed task, what completed it: its own link, or a matching record by date.

    Tasks need ``assignment`` and ``client`` loaded. Runs at most four queries whatever the number of tasks.
    """
    found: dict[uuid.UUID, Found] = {}
    used: set[tuple[str, str]] = set()
    open_tasks: list[_Open] = []
    for task in tasks:
        if task.status == TaskStatus.COMPLETED and task.completed_at is not None:
            found[task.pk] = Found(task.completed_at, task.completion_type, task.completion_id)
            used.add((task.completion_type, task.completion_id))
        else:
            a = task.assignment
            plan = _Plan(a.pk, a.kind, a.target, a.frequency, a.starts_on)
            open_tasks.append(_Open(task.pk, str(task.pk), task.client_id, task.due_on, plan, task.client.time_zone))
    found.update(_match(open_tasks, used))
    return found


# --- Adherence ----------------------------------------------------------------------------


@dataclass
class Tally:
    expected: int = 0
    completed: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.completed / self.expected) if self.expected else None


def _tally(tasks: Iterable[HomeworkTask], done: dict[uuid.UUID, Found], today: dt.date, into: Tally) -> None:
    for task in tasks:
        if task.pk in done:
            into.expected += 1
            into.completed += 1
        elif task_window(task.assignment, task.due_on)[1] < today:
            into.expected += 1

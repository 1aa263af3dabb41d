"""Reads for homework, adherence and topics for next session.

Adherence is derived from rows, never from counters: a task counts as completed when it is
marked so, or when a matching record (exercise entry, practice log, read module, submitted
questionnaire) exists on a day of its window, linked or not (:func:`derive_completions`).
Expected tasks are those whose window has closed, plus any already completed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Max
from django.utils import timezone

from alongside import access
from alongside.access import Action
from alongside.care.models import ClientProfile
from alongside.consent.models import Scope, ScopeGrant
from alongside.measures.models import MeasureResponse, ResponseStatus
from alongside.measures.services._common import _zone
from alongside.selfcare.models import (
    Assignment,
    AssignmentKind,
    CheckIn,
    EntryStatus,
    ExerciseEntry,
    HomeworkTask,
    ModuleRead,
    PracticeLog,
    SelfcareAuditAction,
    SessionTopic,
    TaskStatus,
)
from alongside.selfcare.services.homework import _audit, local_today, target_label, task_window

CASELOAD_WEEKS = 4  # the caseload shows adherence over the last four weeks


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


def _records(client_ids: set[uuid.UUID], since: dt.datetime, until: dt.datetime) -> list[_Record]:
    """Every record that can complete homework, for these clients in this period (four queries)."""
    out: list[_Record] = []
    for e in ExerciseEntry.objects.filter(
        client_id__in=client_ids, status=EntryStatus.COMPLETE, completed_at__range=(since, until)
    ).only("id", "client_id", "kind", "completed_at", "assignment_id"):
        assert e.completed_at is not None
        out.append(
            _Record(
                e.client_id,
                AssignmentKind.EXERCISE,
                e.kind,
                e.completed_at,
                e.assignment_id,
                "selfcare.exerciseentry",
                str(e.pk),
            )
        )
    for p in PracticeLog.objects.filter(client_id__in=client_ids, done=True, at__range=(since, until)).only(
        "id", "client_id", "kind", "at", "assignment_id"
    ):
        out.append(
            _Record(p.client_id, AssignmentKind.TOOL, p.kind, p.at, p.assignment_id, "selfcare.practicelog", str(p.pk))
        )
    for m in ModuleRead.objects.filter(client_id__in=client_ids, read_at__range=(since, until)).only(
        "id", "client_id", "module", "read_at", "assignment_id"
    ):
        out.append(
            _Record(
                m.client_id,
                AssignmentKind.MODULE,
                m.module,
                m.read_at,
                m.assignment_id,
                "selfcare.moduleread",
                str(m.pk),
            )
        )
    for r in MeasureResponse.objects.filter(
        client_id__in=client_ids, status=ResponseStatus.SUBMITTED, submitted_at__range=(since, until)
    ).only("id", "client_id", "instrument", "submitted_at"):
        assert r.submitted_at is not None
        out.append(
            _Record(
                r.client_id,
                AssignmentKind.MEASURE,
                r.instrument,
                r.submitted_at,
                None,
                "measures.measureresponse",
                str(r.pk),
            )
        )
    out.sort(key=lambda r: r.at)
    return out


def derive_completions(tasks: Iterable[HomeworkTask]) -> dict[uuid.UUID, Found]:
    """Return, for each completed task, what completed it: its own link, or a matching record by date.

    Tasks need ``assignment`` and ``client`` loaded. Runs four queries whatever the number of tasks.
    """
    tasks = sorted(tasks, key=lambda t: (t.due_on, str(t.pk)))
    if not tasks:
        return {}
    windows = {t.pk: task_window(t.assignment, t.due_on) for t in tasks}
    since = dt.datetime.combine(min(w[0] for w in windows.values()) - dt.timedelta(days=1), dt.time(), dt.UTC)
    until = dt.datetime.combine(max(w[1] for w in windows.values()) + dt.timedelta(days=2), dt.time(), dt.UTC)
    by_client: dict[uuid.UUID, list[_Record]] = defaultdict(list)
    for record in _records({t.client_id for t in tasks}, since, until):
        by_client[record.client_id].append(record)
    found: dict[uuid.UUID, Found] = {}
    used: set[tuple[str, str]] = set()
    for task in tasks:
        if task.status == TaskStatus.COMPLETED and task.completed_at is not None:
            found[task.pk] = Found(task.completed_at, task.completion_type, task.completion_id)
            used.add((task.completion_type, task.completion_id))
    for task in tasks:
        if task.pk in found:
            continue
        assignment, (first, last) = task.assignment, windows[task.pk]
        zone = _zone(task.client.time_zone)
        for record in by_client.get(task.client_id, []):
            if (record.model, record.id) in used:
                continue
            matches = record.assignment_id == assignment.pk or (
                record.kind == assignment.kind and record.target == assignment.target
            )
            if matches and first <= record.at.astimezone(zone).date() <= last:
                found[task.pk] = Found(record.at, record.model, record.id)
                used.add((record.model, record.id))
                break
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


@dataclass
class AssignmentRow:
    """One assignment on the clinician's page, with its adherence overall and per ISO week."""

    assignment: Assignment
    label: str
    instructions: str
    is_current: bool
    total: Tally
    weeks: list[tuple[dt.date, Tally]] = field(default_factory=list)


@dataclass(frozen=True)
class HomeworkAccess:
    client: ClientProfile
    shares_adherence: bool


def homework_client(*, user: Any, client_id: uuid.UUID | str) -> HomeworkAccess:
    """Return the client for a care-team clinician (404 for anyone else); adherence needs the exercises scope."""
    client = access.client_or_404(user, client_id, Action.VIEW_CLINICAL)
    grant = access.grant_for(user, client)
    if grant.is_self:
        from django.http import Http404

        raise Http404("No such client.")
    return HomeworkAccess(client=client, shares_adherence=grant.allows(Action.VIEW_CLINICAL, Scope.EXERCISES))


def assignments_for(*, user: Any, client_id: uuid.UUID | str, now: dt.datetime | None = None) -> list[AssignmentRow]:
    """Return the client's assignments (current first, then history) with adherence from the task rows."""
    team = homework_client(user=user, client_id=client_id)
    client = team.client
    today = local_today(client, now)
    assignments = list(Assignment.objects.filter(client=client).order_by("ended_at", "-created_at"))
    tasks = list(HomeworkTask.objects.filter(client=client).select_related("assignment", "client").order_by("due_on"))
    done = derive_completions(tasks) if team.shares_adherence else {}
    by_assignment: dict[uuid.UUID, list[HomeworkTask]] = defaultdict(list)
    for task in tasks:
        by_assignment[task.assignment_id].append(task)
    rows = []
    for a in assignments:
        total = Tally()
        weeks: dict[dt.date, Tally] = {}
        if team.shares_adherence:
            mine = by_assignment.get(a.pk, [])
            _tally(mine, done, today, total)
            for task in mine:
                monday = task.due_on - dt.timedelta(days=task.due_on.weekday())
                _tally([task], done, today, weeks.setdefault(monday, Tally()))
        rows.append(
            AssignmentRow(
                assignment=a,
                label=target_label(a.kind, a.target),
                instructions=cast(Any, a).instructions or "",
                is_current=a.ended_at is None,
                total=total,
                weeks=sorted(weeks.items()),
            )
        )
    _audit(SelfcareAuditAction.SELFCARE_VIEWED, actor=user, obj=None, client_id=client.pk, view="homework")
    return rows


def assignment_for_change(*, user: Any, assignment_id: uuid.UUID | str) -> Assignment:
    """Return a current assignment for a care-team clinician to change; 404 otherwise."""
    from django.http import Http404

    try:
        assignment = Assignment.objects.select_related("client").get(pk=uuid.UUID(str(assignment_id)))
    except (Assignment.DoesNotExist, ValueError):
        raise Http404("No such homework.") from None
    homework_client(user=user, client_id=assignment.client_id)
    return assignment


# --- Today --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodayItem:
    task: HomeworkTask
    kind: str
    label: str
    due_on: dt.date
    remaining_this_week: int | None


def today_for(*, user: Any, now: dt.datetime | None = None) -> list[TodayItem]:
    """Return the signed-in client's open homework: one line per assignment, finished work left out."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_client", False):
        return []
    client = ClientProfile.objects.filter(pk=user.pk).first()
    if client is None:
        return []
    today = local_today(client, now)
    tasks = list(
        HomeworkTask.objects.filter(
            client=client,
            assignment__ended_at__isnull=True,
            status__in=[TaskStatus.DUE, TaskStatus.EXPIRED],
            due_on__gte=today - dt.timedelta(days=7),
        )
        .select_related("assignment", "client")
        .order_by("due_on")
    )
    # A window that includes today: this week's slot, today's daily task, a one-off not yet due.
    current = [
        t for t in tasks if task_window(t.assignment, t.due_on)[0] <= today <= task_window(t.assignment, t.due_on)[1]
    ]
    done = derive_completions(current)
    items: dict[uuid.UUID, TodayItem] = {}
    for task in current:
        if task.pk in done:
            continue
        if task.assignment_id in items:
            continue
        remaining = None
        if task.assignment.frequency == "per_week":
            remaining = sum(1 for t in current if t.assignment_id == task.assignment_id and t.pk not in done)
        items[task.assignment_id] = TodayItem(
            task=task,
            kind=task.assignment.kind,
            label=target_label(task.assignment.kind, task.assignment.target),
            due_on=task.due_on
            if task.assignment.frequency != "per_week"
            else task_window(task.assignment, task.due_on)[1],
            remaining_this_week=remaining,
        )
    return sorted(items.values(), key=lambda i: (i.due_on, i.label))


def own_task(*, user: Any, task_id: uuid.UUID | str) -> HomeworkTask:
    """Return one of the signed-in client's own tasks; 404 for anyone else's."""
    from django.http import Http404

    if not getattr(user, "is_client", False):
        raise Http404("No such task.")
    try:
        return HomeworkTask.objects.select_related("assignment", "client").get(
            pk=uuid.UUID(str(task_id)), client_id=user.pk
        )
    except (HomeworkTask.DoesNotExist, ValueError):
        raise Http404("No such task.") from None


# --- Topics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicView:
    topic: SessionTopic
    text: str
    source_label: str


def _source_label(topic: SessionTopic) -> str:
    from alongside.selfcare.services.topics import SOURCE_LABELS

    label = SOURCE_LABELS.get(topic.source_type)
    return str(label) if label else ""


def topics_for(*, user: Any, client_id: uuid.UUID | str, include_addressed: bool = False) -> list[TopicView]:
    """Return the topics a client raised for next session, for their care team (the client chose to share them)."""
    team = homework_client(user=user, client_id=client_id)
    topics = SessionTopic.objects.filter(client=team.client)
    if not include_addressed:
        topics = topics.filter(addressed_at__isnull=True)
    return [TopicView(t, cast(Any, t).text or "", _source_label(t)) for t in topics.order_by("-created_at")[:100]]


def topics_own(*, user: Any) -> list[TopicView]:
    """Return the signed-in client's open topics."""
    if not getattr(user, "is_client", False):
        return []
    topics = SessionTopic.objects.filter(client_id=user.pk, addressed_at__isnull=True).order_by("-created_at")
    return [TopicView(t, cast(Any, t).text or "", _source_label(t)) for t in topics[:50]]


# --- Caseload -----------------------------------------------------------------------------


def caseload_selfcare_summary(
    client_ids: Iterable[uuid.UUID | str], *, now: dt.datetime | None = None
) -> dict[uuid.UUID, tuple[dt.date | None, int | None]]:
    """Return each client's last check-in date and adherence % (last four weeks), in a fixed number of queries.

    The caller passes clients whose record it may see; each value is shown only while the client
    shares it (mood for the check-in, exercises for adherence), otherwise it is ``None``.
    """
    ids = {uuid.UUID(str(i)) for i in client_ids}
    if not ids:
        return {}
    now = now or timezone.now()
    shared: dict[uuid.UUID, set[str]] = defaultdict(set)
    for client_id, scope in ScopeGrant.objects.filter(
        client_id__in=ids, granted=True, scope__in=[Scope.MOOD, Scope.EXERCISES]
    ).values_list("client_id", "scope"):
        shared[client_id].add(scope)
    last = dict(
        CheckIn.objects.filter(client_id__in=ids)
        .values("client_id")
        .annotate(last=Max("local_date"))
        .values_list("client_id", "last")
    )
    since = (now - dt.timedelta(weeks=CASELOAD_WEEKS)).date()
    tasks = list(
        HomeworkTask.objects.filter(
            client_id__in=ids, due_on__gte=since, due_on__lte=(now + dt.timedelta(days=1)).date()
        ).select_related("assignment", "client")
    )
    done = derive_completions(tasks)
    tallies: dict[uuid.UUID, Tally] = defaultdict(Tally)
    for task in tasks:
        _tally([task], done, local_today(task.client, now), tallies[task.client_id])
    out: dict[uuid.UUID, tuple[dt.date | None, int | None]] = {}
    for client_id in ids:
        scopes = shared.get(client_id, set())
        out[client_id] = (
            last.get(client_id) if Scope.MOOD in scopes else None,
            tallies[client_id].percent if Scope.EXERCISES in scopes and client_id in tallies else None,
        )
    return out

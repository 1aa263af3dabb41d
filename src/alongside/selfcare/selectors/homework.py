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

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.utils import timezone

from alongside import access
from alongside.access import Action
from alongside.audit.log import record
from alongside.care.models import ClientProfile
from alongside.consent.models import Scope, ScopeGrant
from alongside.core.time import zone_or_utc as _zone
from alongside.selfcare.models import (
    Assignment,
    CheckIn,
    Frequency,
    HomeworkTask,
    SelfcareAuditAction,
    SessionTopic,
    TaskStatus,
)
from alongside.selfcare.selectors.homework_derive import Tally, _Plan, _tally, derive_completions
from alongside.selfcare.services.homework import local_today, target_label, task_window

CASELOAD_WEEKS = 4  # the caseload shows adherence over the last four weeks


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
    record(SelfcareAuditAction.SELFCARE_VIEWED, actor=user, client_id=client.pk, detail={"view": "homework"})
    return rows


def assignment_for_change(*, user: Any, assignment_id: uuid.UUID | str) -> Assignment:
    """Return a current assignment for a care-team clinician to change; 404 otherwise."""
    return access.owned_or_404(user, Assignment, assignment_id, Action.CARE_TEAM)


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
    from django.http import Http404

    try:
        # The access layer's profile: loaded once per request, without joining the user the caller already is.
        client = access.client_or_404(user, user.pk, Action.OWN)
    except Http404:
        return []
    today = local_today(client, now)
    tasks = list(
        HomeworkTask.objects.filter(
            client=client,
            assignment__ended_at__isnull=True,
            status__in=[TaskStatus.DUE, TaskStatus.EXPIRED],
            due_on__gte=today - dt.timedelta(days=7),
        )
        .select_related("assignment")
        .order_by("due_on")
    )
    for task in tasks:  # every task is the client's: no join, and no query when the completions read the zone
        task.client = client
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
    rows = HomeworkTask.objects.select_related("assignment")
    return access.owned_or_404(user, HomeworkTask, task_id, Action.OWN, queryset=rows)


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


def caseload_columns() -> dict[str, Any]:
    """Per-client columns for a query of clients: shares mood, shares exercises, last check-in (when shared).

    The caseload adds them to the query that reads its clients, saving a query of its own; read the result
    back with :func:`caseload_selfcare_from`. The last check-in is an index seek per client, whatever the history.
    """

    def shares(scope: str) -> Exists:
        return Exists(ScopeGrant.objects.filter(client_id=OuterRef("pk"), scope=scope, granted=True))

    latest = CheckIn.objects.filter(client_id=OuterRef("pk")).order_by("-local_date").values("local_date")[:1]
    return {
        "selfcare_mood": shares(Scope.MOOD),
        "selfcare_exercises": shares(Scope.EXERCISES),
        "selfcare_last_checkin": Case(
            When(selfcare_mood=True, then=Subquery(latest)), default=None, output_field=DateField()
        ),
    }


def caseload_selfcare_summary(
    client_ids: Iterable[uuid.UUID | str], *, now: dt.datetime | None = None
) -> dict[uuid.UUID, tuple[dt.date | None, int | None]]:
    """Return each client's last check-in date and adherence % (last four weeks), in a fixed number of queries.

    The caller passes clients whose record it may see; each value is shown only while the client
    shares it (mood for the check-in, exercises for adherence), otherwise it is ``None``, and is not read.
    The cost does not grow with history (:func:`caseload_columns`, :func:`_adherence`).
    """
    ids = {uuid.UUID(str(i)) for i in client_ids}
    if not ids:
        return {}
    people = ClientProfile.objects.filter(pk__in=ids).order_by().annotate(**caseload_columns())
    return {i: (None, None) for i in ids} | caseload_selfcare_from(list(people), now=now)


def caseload_selfcare_from(
    clients: Iterable[ClientProfile], *, now: dt.datetime | None = None
) -> dict[uuid.UUID, tuple[dt.date | None, int | None]]:
    """As :func:`caseload_selfcare_summary`, for clients read with :func:`caseload_columns` added."""
    now = now or timezone.now()
    out: dict[uuid.UUID, tuple[dt.date | None, int | None]] = {}
    zones: dict[uuid.UUID, str] = {}
    for client in clients:
        out[client.pk] = (getattr(client, "selfcare_last_checkin"), None)  # noqa: B009  # an annotation
        if getattr(client, "selfcare_exercises"):  # noqa: B009
            zones[client.pk] = client.time_zone
    if zones:
        for client_id, percent in _adherence(zones, now).items():
            out[client_id] = (out[client_id][0], percent)
    return out


def _adherence(zones: dict[uuid.UUID, str], now: dt.datetime) -> dict[uuid.UUID, int | None]:
    """Adherence % over the last four weeks for these clients (and their time zones), in two queries.

    Reads the tasks' own statuses, the telemetry the writes keep exact: saving a record marks the task it
    fulfils completed (:func:`tasks_complete_for`), a new task is reconciled with the records already saved
    (:func:`~alongside.selfcare.services.homework.tasks_materialise_for`), and the tick reconciles every open
    task before it marks one missed. So the caseload reads counts, never records; the one lag left is a record
    whose link failed (logged), counted from the next tick. The homework page still derives every completion
    from the records (:func:`derive_completions`).
    """
    since = (now - dt.timedelta(weeks=CASELOAD_WEEKS)).date()
    window = HomeworkTask.objects.filter(
        client_id__in=list(zones), due_on__gte=since, due_on__lte=(now + dt.timedelta(days=1)).date()
    ).order_by()
    tallies: dict[uuid.UUID, Tally] = defaultdict(Tally)
    # Naming the statuses lets SQLite seek (client, status, due date) instead of walking each client's whole
    # task history on that index (grouping by status made it pick that index). One row per client; the
    # completed count reads the status from the same index.
    done_or_missed = window.filter(status__in=[TaskStatus.COMPLETED, TaskStatus.EXPIRED])
    for client_id, expected, completed in (
        done_or_missed.values("client_id")
        .annotate(n=Count("*"), done=Sum(Case(When(status=TaskStatus.COMPLETED, then=1), default=0)))
        .values_list("client_id", "n", "done")
    ):
        tally = tallies[client_id]
        tally.expected += expected
        tally.completed += completed
    # A task still open counts once its window has closed in the client's time zone (until the tick marks it
    # missed); one still open today counts only when done. Only tasks whose window may have closed are read:
    # a window ends on its due date at the earliest, and a weekly one on the Sunday of its week.
    today = {client_id: now.astimezone(_zone(name)).date() for client_id, name in zones.items()}
    latest = max(today.values())
    this_monday = latest - dt.timedelta(days=latest.weekday())
    open_rows = (
        window.filter(status=TaskStatus.DUE, due_on__lt=latest)
        .filter(~Q(assignment__frequency=Frequency.PER_WEEK) | Q(due_on__lt=this_monday))
        .values("client_id", "due_on", "assignment__frequency", "assignment__starts_on")
        .annotate(n=Count("*"))
        .values_list("client_id", "due_on", "assignment__frequency", "assignment__starts_on", "n")
    )
    for client_id, due_on, frequency, starts_on, count in open_rows:
        plan = _Plan(client_id, "", "", frequency, starts_on)  # task_window reads frequency and start only
        if task_window(cast(Assignment, plan), due_on)[1] < today[client_id]:
            tallies[client_id].expected += count
    return {client_id: tally.percent for client_id, tally in tallies.items()}

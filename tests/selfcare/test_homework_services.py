"""Homework: assigning, changing and ending keep history; tasks are made idempotently per local day; adherence comes from rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from alongside.audit.models import AuditEvent
from alongside.selfcare.models import (
    Assignment,
    ExerciseEntry,
    HomeworkTask,
    PracticeLog,
    SelfcareAuditAction,
    TaskStatus,
)
from alongside.selfcare.selectors.homework import assignments_for, caseload_selfcare_summary, derive_completions
from alongside.selfcare.services.homework import (
    AssignmentInput,
    assignment_change,
    assignment_end,
    assignment_set,
    expected_dates,
    tasks_complete_for,
    tasks_expire,
    tasks_materialise,
    week_slots,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2025, 3, 3, 12, tzinfo=dt.UTC)


def daily(**kw: Any) -> AssignmentInput:
    return AssignmentInput(kind="tool", target="breathing_box", frequency="daily", **kw)


def practice(world: Any, at: dt.datetime, kind: str = "breathing_box", **kw: Any) -> PracticeLog:
    return PracticeLog.objects.create(
        client=world.sam, kind=kind, at=at, idempotency_key=f"k-{at.timestamp()}-{kind}", **kw
    )


def test_assign_change_end_keep_history_and_past_tasks(world):
    """Changing homework ends the old row and starts a superseding one; past tasks and their completions stay."""
    with time_machine.travel(MONDAY, tick=False):
        first = assignment_set(actor=world.alice, client_id=world.sam.pk, data=daily(instructions="Twice a day"))
        assert HomeworkTask.objects.filter(assignment=first).count() == 1
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        tasks_materialise()
        log = practice(world, MONDAY + dt.timedelta(days=2))
        tasks_complete_for(client=world.sam, kind="tool", target="breathing_box", when=log.at, completion=log)
        second = assignment_change(
            actor=world.alice,
            assignment_id=first.pk,
            data=AssignmentInput(kind="tool", target="grounding", frequency="per_week", times_per_week=3),
        )
    first.refresh_from_db()
    assert first.ended_at is not None
    assert second.supersedes_id == first.pk
    old_tasks = HomeworkTask.objects.filter(assignment=first)
    # Monday and Tuesday stay (missed or not), Wednesday's completed task stays.
    assert sorted(t.due_on.day for t in old_tasks) == [3, 4, 5]
    assert old_tasks.get(due_on=dt.date(2025, 3, 5)).status == TaskStatus.COMPLETED
    assert Assignment.objects.filter(client=world.sam).count() == 2
    with time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False):
        assignment_end(actor=world.alice, assignment_id=second.pk)
    second.refresh_from_db()
    assert second.ended_at is not None
    actions = list(AuditEvent.objects.filter(client_id=world.sam.pk).values_list("action", flat=True))
    assert actions.count(SelfcareAuditAction.ASSIGNMENT_SET) == 2
    assert actions.count(SelfcareAuditAction.ASSIGNMENT_ENDED) == 2


def test_only_care_team_clinicians_assign(world):
    """Bob (same practice, not on the team) gets a 404, the admin a refusal, the client a refusal; nothing is saved."""
    with pytest.raises(Http404):
        assignment_set(actor=world.bob, client_id=world.sam.pk, data=daily())
    with pytest.raises(Http404):
        assignment_set(actor=world.carol, client_id=world.sam.pk, data=daily())
    with pytest.raises(PermissionDenied):
        assignment_set(actor=world.admin, client_id=world.sam.pk, data=daily())
    with pytest.raises(PermissionDenied):
        assignment_set(actor=world.sam.user, client_id=world.sam.pk, data=daily())
    assert not Assignment.objects.exists()


def test_invalid_assignment_changes_nothing(world):
    """An unknown target, a one-off without a due date or 9 times a week is refused with a message."""
    for data in (
        AssignmentInput(kind="tool", target="juggling"),
        AssignmentInput(kind="exercise", target="thought_record", frequency="once"),
        AssignmentInput(kind="exercise", target="thought_record", frequency="per_week", times_per_week=9),
    ):
        with pytest.raises(ValidationError):
            assignment_set(actor=world.alice, client_id=world.sam.pk, data=data)
    assert not Assignment.objects.exists()


def test_daily_materialisation_is_idempotent_and_dst_safe(world):
    """Across the New York spring-forward day (2026-03-08), each local day gets exactly one task."""
    world.sam.time_zone = "America/New_York"
    world.sam.save()
    start = dt.datetime(2026, 3, 7, 15, tzinfo=dt.UTC)  # 10:00 EST on the 7th
    with time_machine.travel(start, tick=False):
        assignment = assignment_set(actor=world.alice, client_id=world.sam.pk, data=daily())
    for at in (
        dt.datetime(2026, 3, 8, 4, 59, tzinfo=dt.UTC),  # 23:59 EST on the 7th
        dt.datetime(2026, 3, 8, 6, 30, tzinfo=dt.UTC),  # 01:30 EST on the 8th
        dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC),  # 03:30 EDT on the 8th (02:00-03:00 skipped)
        dt.datetime(2026, 3, 9, 3, 59, tzinfo=dt.UTC),  # 23:59 EDT on the 8th
        dt.datetime(2026, 3, 9, 4, 1, tzinfo=dt.UTC),  # 00:01 EDT on the 9th
    ):
        with time_machine.travel(at, tick=False):
            tasks_materialise()
            tasks_materialise()
    days = list(HomeworkTask.objects.filter(assignment=assignment).values_list("due_on", flat=True))
    assert days == [dt.date(2026, 3, 7), dt.date(2026, 3, 8), dt.date(2026, 3, 9)]


def test_per_week_slots_and_once(world):
    """N a week makes N distinct slots per ISO week (last on Sunday); once makes one task due on its date."""
    assert week_slots(dt.date(2025, 3, 3), 1) == [dt.date(2025, 3, 9)]
    assert week_slots(dt.date(2025, 3, 3), 3) == [dt.date(2025, 3, 5), dt.date(2025, 3, 7), dt.date(2025, 3, 9)]
    assert len(set(week_slots(dt.date(2025, 3, 3), 7))) == 7
    with time_machine.travel(MONDAY, tick=False):
        weekly = assignment_set(
            actor=world.alice,
            client_id=world.sam.pk,
            data=AssignmentInput(kind="exercise", target="thought_record", frequency="per_week", times_per_week=3),
        )
        once = assignment_set(
            actor=world.alice,
            client_id=world.sam.pk,
            data=AssignmentInput(kind="module", target="sleep", frequency="once", due_on=dt.date(2025, 3, 6)),
        )
        tasks_materialise()
        tasks_materialise()
    assert HomeworkTask.objects.filter(assignment=weekly).count() == 3
    assert list(HomeworkTask.objects.filter(assignment=once).values_list("due_on", flat=True)) == [dt.date(2025, 3, 6)]
    # A week starting on Saturday expects only the Sunday slot.
    weekly.starts_on = dt.date(2025, 3, 8)
    assert expected_dates(weekly, start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 16)) == [
        dt.date(2025, 3, 9),
        dt.date(2025, 3, 12),
        dt.date(2025, 3, 14),
        dt.date(2025, 3, 16),
    ]


def test_adherence_from_rows_and_reconciliation(world):
    """Adherence counts completed over expected tasks; a record saved without a task link still counts."""
    with time_machine.travel(MONDAY, tick=False):
        assignment = assignment_set(actor=world.alice, client_id=world.sam.pk, data=daily())
    for day in range(4):  # Monday to Thursday
        with time_machine.travel(MONDAY + dt.timedelta(days=day), tick=False):
            tasks_materialise()
    linked = practice(world, MONDAY)
    tasks_complete_for(client=world.sam, kind="tool", target="breathing_box", when=linked.at, completion=linked)
    # Wednesday: logged by a service that never called tasks_complete_for.
    practice(world, MONDAY + dt.timedelta(days=2))
    # A different tool on Tuesday does not count.
    practice(world, MONDAY + dt.timedelta(days=1), kind="grounding")
    with time_machine.travel(MONDAY + dt.timedelta(days=3, hours=1), tick=False):
        expired = tasks_expire()
        rows = assignments_for(user=world.alice, client_id=world.sam.pk)
    assert expired == 1  # Tuesday; Wednesday was reconciled, Thursday is today
    tasks = {t.due_on.day: t for t in HomeworkTask.objects.filter(assignment=assignment)}
    assert tasks[5].status == TaskStatus.COMPLETED
    assert tasks[5].completion_type == "selfcare.practicelog"
    assert tasks[4].status == TaskStatus.EXPIRED
    (row,) = rows
    assert (row.total.completed, row.total.expected, row.total.percent) == (2, 3, 67)
    assert [(w.isoformat(), t.completed, t.expected) for w, t in row.weeks] == [("2025-03-03", 2, 3)]


def test_unlinked_completion_counts_without_tick(world):
    """Even when nothing reconciled the rows, the selector derives the completion from the record's date."""
    with time_machine.travel(MONDAY, tick=False):
        assignment_set(
            actor=world.alice,
            client_id=world.sam.pk,
            data=AssignmentInput(kind="exercise", target="thought_record", frequency="once", due_on=MONDAY.date()),
        )
    entry = ExerciseEntry.objects.create(
        client=world.sam,
        kind="thought_record",
        status="complete",
        data={},
        idempotency_key="entry-0001",
        completed_at=MONDAY,
    )
    tasks = list(HomeworkTask.objects.select_related("assignment", "client"))
    assert derive_completions(tasks)[tasks[0].pk].id == str(entry.pk)
    assert tasks[0].status == TaskStatus.DUE  # the row itself was never touched


def test_caseload_counts_an_unlinked_record_once_the_tick_reconciles_it(world):
    """The caseload reads task statuses: a record whose link failed counts after the tick, never twice."""
    with time_machine.travel(MONDAY, tick=False):
        assignment_set(actor=world.alice, client_id=world.sam.pk, data=daily())
    with time_machine.travel(MONDAY + dt.timedelta(days=1, hours=2), tick=False):
        tasks_materialise()
        practice(world, MONDAY)  # saved by a path that never linked it
        assert caseload_selfcare_summary([world.sam.pk])[world.sam.pk] == (None, 0)
        tasks_expire()
        assert caseload_selfcare_summary([world.sam.pk])[world.sam.pk] == (None, 100)
        (row,) = assignments_for(user=world.alice, client_id=world.sam.pk)
    assert (row.total.completed, row.total.expected) == (1, 1)  # the homework page agrees


def test_caseload_counts_open_weekly_tasks_only_once_their_week_is_over(world):
    """Before the tick runs, last week's open slots count as missed; this week's earlier slots do not count yet."""
    weekly = AssignmentInput(kind="tool", target="grounding", frequency="per_week", times_per_week=3)
    with time_machine.travel(MONDAY, tick=False):
        assignment_set(actor=world.alice, client_id=world.sam.pk, data=weekly)
    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        tasks_materialise()
        last_week_log = practice(world, MONDAY + dt.timedelta(days=1), kind="grounding")
        tasks_complete_for(
            client=world.sam, kind="tool", target="grounding", when=last_week_log.at, completion=last_week_log
        )
    # Friday of the second week: its Monday and Wednesday slots are behind, but the week is still open.
    with time_machine.travel(MONDAY + dt.timedelta(days=11), tick=False):
        statuses = sorted(HomeworkTask.objects.filter(client=world.sam).values_list("status", flat=True))
        assert statuses.count(TaskStatus.DUE) == 5  # nothing has marked a task missed
        assert caseload_selfcare_summary([world.sam.pk])[world.sam.pk] == (None, 33)  # 1 of last week's 3


def test_a_record_saved_before_its_task_existed_completes_it(world):
    """Practice done in the morning completes the task of homework set that afternoon for the same day."""
    morning = MONDAY - dt.timedelta(hours=3)
    log = practice(world, morning)
    with time_machine.travel(MONDAY, tick=False):
        assignment_set(actor=world.alice, client_id=world.sam.pk, data=daily())
        (task,) = HomeworkTask.objects.filter(client=world.sam)
        assert (task.status, task.completion_id) == (TaskStatus.COMPLETED, str(log.pk))
        assert caseload_selfcare_summary([world.sam.pk])[world.sam.pk] == (None, 100)


def test_assignments_for_outsiders_404(world):
    """Bob, Carol and another client cannot read Sam's homework."""
    for user in (world.bob, world.carol, world.other_client.user):
        with pytest.raises(Http404):
            assignments_for(user=user, client_id=world.sam.pk)


def test_caseload_summary_query_count_is_constant(world, django_assert_max_num_queries):
    """The caseload summary reads any number of clients in the same three queries."""
    from tests import factories

    clients = [world.sam] + [
        factories.client(world.practice, clinicians=(world.alice,), scopes=("mood", "exercises")) for _ in range(4)
    ]
    with time_machine.travel(MONDAY, tick=False):
        for c in clients:
            assignment_set(actor=world.alice, client_id=c.pk, data=daily())
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        tasks_materialise()
        linked = practice(world, MONDAY)
        tasks_complete_for(client=world.sam, kind="tool", target="breathing_box", when=linked.at, completion=linked)
        with django_assert_max_num_queries(3):
            one = caseload_selfcare_summary([world.sam.pk])
        with django_assert_max_num_queries(3):
            many = caseload_selfcare_summary([c.pk for c in clients])
    # Monday done, Tuesday's window closed (still open: the tick has not run), Wednesday is today.
    assert one[world.sam.pk] == (None, 50)
    assert many[world.sam.pk] == (None, 50)
    assert many[clients[1].pk] == (None, 0)
    assert caseload_selfcare_summary([world.other_client.pk])[world.other_client.pk] == (None, None)


def test_reading_module_titles_follow_the_reader_language() -> None:
    """The homework picker names each reading module in the reader's language: the Spanish file's own title."""
    from django.utils import translation

    from alongside.selfcare.services.homework_schedule import module_choices

    with translation.override("es"):
        spanish = dict(module_choices())
    with translation.override("en"):
        english = dict(module_choices())
    assert spanish["the-cbt-model"] == "El modelo de la TCC"
    assert spanish["the-panic-cycle"] == "El círculo del pánico"
    assert english["the-cbt-model"] == "The CBT model"
    assert set(spanish) == set(english)

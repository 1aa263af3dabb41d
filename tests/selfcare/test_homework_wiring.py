"""Saving a record marks the open homework task it fulfils, with the record's type and id; a failure never undoes the record."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from alongside.measures import services as measure_services
from alongside.selfcare import services
from alongside.selfcare.models import ExerciseEntry, HomeworkTask, TaskStatus
from alongside.selfcare.services import homework
from tests.measures.support_measures import measures_library, phq9_answers  # noqa: F401
from tests.selfcare.test_exercises_services import FULL_RECORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]


def _assign(world: Any, kind: str, target: str) -> HomeworkTask:
    assignment = services.assignment_set(
        actor=world.alice,
        client_id=world.sam.pk,
        data=services.AssignmentInput(kind=kind, target=target, due_on=timezone.localdate() + dt.timedelta(days=2)),
    )
    return HomeworkTask.objects.get(assignment=assignment)


def _assert_done_by(task: HomeworkTask, label: str, record_id: Any) -> None:
    task.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    assert (task.completion_type, task.completion_id) == (label, str(record_id))


def test_completing_an_exercise_marks_its_task(world):
    """Finishing a thought record completes the open thought-record task, linked to the entry."""
    task = _assign(world, "exercise", "thought_record")
    entry = services.entry_create(actor=world.sam.user, kind="thought_record", idempotency_key="wire-tr-0001")
    task.refresh_from_db()
    assert task.status == TaskStatus.DUE  # a draft is not done
    services.entry_complete(actor=world.sam.user, entry_id=entry.pk, data=FULL_RECORD)
    _assert_done_by(task, "selfcare.exerciseentry", entry.pk)


def test_creating_a_complete_exercise_marks_its_task(world):
    """An exercise created complete (as the API allows) completes its task at once."""
    task = _assign(world, "exercise", "thought_record")
    entry = services.entry_create(
        actor=world.sam.user, kind="thought_record", idempotency_key="wire-tr-0002", data=FULL_RECORD, complete=True
    )
    _assert_done_by(task, "selfcare.exerciseentry", entry.pk)


def test_tool_practice_marks_its_task(world):
    """Logging box breathing completes the open box-breathing task, linked to the log."""
    task = _assign(world, "tool", "breathing_box")
    log = services.tool_practice_log(
        actor=world.sam.user,
        client=world.sam,
        kind="breathing_box",
        before=7,
        after=4,
        duration_seconds=120,
        idempotency_key="wire-tool-0001",
    )
    _assert_done_by(task, "selfcare.practicelog", log.pk)


def test_reading_a_module_marks_its_task(world):
    """Marking a module read completes the open reading task, linked to the read mark."""
    task = _assign(world, "module", "worry")
    read = services.module_mark_read(actor=world.sam.user, client=world.sam, module="worry")
    _assert_done_by(task, "selfcare.moduleread", read.pk)


def test_submitting_a_questionnaire_marks_its_task(world):
    """Submitting a PHQ-9 completes the open PHQ-9 task, linked to the response."""
    task = _assign(world, "measure", "phq9")
    response = measure_services.response_start(
        actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key="wire-phq9-0001"
    )
    measure_services.response_submit(actor=world.sam.user, response_id=response.pk, answers=phq9_answers())
    _assert_done_by(task, "measures.measureresponse", response.pk)


def test_a_failing_link_never_undoes_the_record(world, monkeypatch, caplog):
    """If marking the task fails, the exercise is still saved and only ids are logged."""
    task = _assign(world, "exercise", "thought_record")

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("secret clinical words")

    monkeypatch.setattr(homework, "tasks_complete_for", broken)
    entry = services.entry_create(
        actor=world.sam.user, kind="thought_record", idempotency_key="wire-tr-0003", data=FULL_RECORD, complete=True
    )
    assert ExerciseEntry.objects.filter(pk=entry.pk, status="complete").exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.DUE
    assert str(entry.pk) in caplog.text
    assert "secret clinical words" not in caplog.text

"""Homework API: the client's today list, completing a task idempotently, and the care team's adherence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.accounts import tokens
from alongside.consent.services import scopes_set
from alongside.selfcare.models import HomeworkTask, TaskStatus
from alongside.selfcare.services.homework import AssignmentInput, assignment_set

pytestmark = pytest.mark.django_db

TODAY = "/api/v1/selfcare/homework/today"


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens.token_create(actor=user, name='test').plain}"}


def _assign(world, client=None):
    client = client or world.sam
    return assignment_set(
        actor=world.alice,
        client_id=client.pk,
        data=AssignmentInput(kind="exercise", target="thought_record", due_on=timezone.localdate() + dt.timedelta(2)),
    )


def _complete_url(task):
    return f"/api/v1/selfcare/homework/tasks/{task.pk}/complete"


def test_today_lists_due_tasks_with_token(client, world):
    """Sam reads his due homework with a personal access token."""
    assignment = _assign(world)
    rows = client.get(TODAY, **_auth(world.sam.user))
    assert rows.status_code == 200, rows.content
    [row] = rows.json()
    assert row["assignment_id"] == str(assignment.pk)
    assert row["kind"] == "exercise"
    assert row["target"] == "thought_record"


def test_complete_is_idempotent_and_leaves_today(client, world):
    """Completing marks the task done as "api"; a retry with the same key changes nothing; Today no longer lists it."""
    _assign(world)
    task = HomeworkTask.objects.get()
    headers = _auth(world.sam.user)
    first = client.post(
        _complete_url(task), content_type="application/json", HTTP_IDEMPOTENCY_KEY="done-0001", **headers
    )
    assert first.status_code == 200, first.content
    assert first.json()["status"] == TaskStatus.COMPLETED
    assert first.json()["completion_type"] == "api"
    task.refresh_from_db()
    at = task.completed_at
    again = client.post(
        _complete_url(task), {"idempotency_key": "done-0001"}, content_type="application/json", **headers
    )
    assert again.status_code == 200
    task.refresh_from_db()
    assert (task.completed_at, task.completion_id) == (at, "done-0001")
    assert client.get(TODAY, **headers).json() == []


def test_complete_needs_a_key(client, world):
    """Without an idempotency key the task is not touched (422)."""
    _assign(world)
    task = HomeworkTask.objects.get()
    answer = client.post(_complete_url(task), content_type="application/json", **_auth(world.sam.user))
    assert answer.status_code == 422
    assert HomeworkTask.objects.get().status == TaskStatus.DUE


def test_task_already_done_by_a_record_keeps_its_completion(client, world):
    """A task an exercise entry completed stays linked to that entry."""
    _assign(world)
    task = HomeworkTask.objects.get()
    HomeworkTask.objects.filter(pk=task.pk).update(
        status=TaskStatus.COMPLETED, completed_at=timezone.now(), completion_type="selfcare.exerciseentry"
    )
    answer = client.post(
        _complete_url(task), content_type="application/json", HTTP_IDEMPOTENCY_KEY="done-0002", **_auth(world.sam.user)
    )
    assert answer.json()["completion_type"] == "selfcare.exerciseentry"


def test_outsiders_get_404_and_nothing_changes(client, world):
    """Another client, and staff, cannot complete Sam's task; it stays due."""
    _assign(world)
    task = HomeworkTask.objects.get()
    for user in (world.other_client.user, world.alice, world.bob):
        answer = client.post(
            _complete_url(task), content_type="application/json", HTTP_IDEMPOTENCY_KEY="nope-0001", **_auth(user)
        )
        assert answer.status_code == 404, user
    assert HomeworkTask.objects.get().status == TaskStatus.DUE


def test_adherence_for_care_team_within_sharing(client, world):
    """Alice reads Sam's adherence while EXERCISES is shared; after revoking, 404 at once."""
    assignment = _assign(world)
    task = HomeworkTask.objects.get()
    client.post(
        _complete_url(task), content_type="application/json", HTTP_IDEMPOTENCY_KEY="done-0003", **_auth(world.sam.user)
    )
    url = f"/api/v1/clients/{world.sam.pk}/adherence"
    alice = _auth(world.alice)
    [row] = client.get(url, **alice).json()
    assert row["assignment_id"] == str(assignment.pk)
    assert row["total"] == {"expected": 1, "completed": 1, "percent": 100}
    scopes_set(client=world.sam, scopes={"exercises": False}, actor=world.sam.user)
    assert client.get(url, **alice).status_code == 404


def test_adherence_outsiders_get_404(client, world):
    """Bob, Carol, Sam himself and another client get 404 on Sam's adherence."""
    _assign(world)
    url = f"/api/v1/clients/{world.sam.pk}/adherence"
    for user in (world.bob, world.carol, world.sam.user, world.other_client.user):
        assert client.get(url, **_auth(user)).status_code == 404, user

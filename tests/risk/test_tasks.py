"""Rescoring without cron: a new score or check-in refreshes the client's warnings through a task after commit,
the worker runs a daily refresh as a scheduled task, and a failing refresh never fails the write."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from alongside.risk import tasks
from alongside.risk.models import ClientRisk
from alongside.selfcare.services import checkin_create

from .conftest import submit_phq9, worsening_history

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _check_in(world, key, captured):
    with captured(execute=True):
        return checkin_create(actor=world.sam.user, client=world.sam, idempotency_key=key, mood=4)


@pytest.mark.django_db
def test_a_check_in_refreshes_the_warnings_after_commit(world, worse, django_capture_on_commit_callbacks):
    """A new check-in asks for the client's refresh on commit; the task stores their warnings as of now."""
    ClientRisk.objects.all().delete()
    _check_in(world, "risk-task-0001", django_capture_on_commit_callbacks)
    stored = ClientRisk.objects.get(client=world.sam)
    assert stored.computed_at > worse.computed_at
    assert stored.model_source == "reference"


@pytest.mark.django_db
def test_a_refresh_that_cannot_be_enqueued_never_fails_the_check_in(
    world, worse, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """When the task queue refuses the refresh, the check-in is saved all the same and the failure is logged."""

    class Broken:
        def enqueue(self, *args):
            raise RuntimeError("queue down")

    monkeypatch.setattr(tasks, "refresh_client", Broken())
    with caplog.at_level(logging.ERROR, logger="alongside.risk"):
        checkin = _check_in(world, "risk-task-0002", django_capture_on_commit_callbacks)
    assert checkin.pk is not None
    assert "could not enqueue" in caplog.text


@pytest.mark.django_db
def test_a_refresh_that_fails_in_the_task_never_fails_the_questionnaire(
    world, worse, django_capture_on_commit_callbacks, monkeypatch
):
    """A refresh that raises inside the task is the task's failure, not the submitted questionnaire's."""
    from alongside.measures.models import MeasureScore
    from alongside.risk import services

    def boom(**kwargs):
        raise RuntimeError("model file unreadable")

    monkeypatch.setattr(services, "client_risk_refresh", boom)
    submit_phq9(world, rest=2, key="risk-task-0003", captured=django_capture_on_commit_callbacks)
    assert MeasureScore.objects.filter(client=world.sam).count() == 3


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_with_a_worker_the_request_only_enqueues_and_the_daily_refresh_is_scheduled(world, measures_library):
    """With the database task backend, scoring happens in the worker, not in the submitting request; the worker
    also enqueues the daily refresh once a day and runs it."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from alongside.notify.schedule import periodic_enqueue_due

    def run_now(execute=True):  # on-commit callbacks run at commit here (no test transaction around us)
        return transaction.atomic()

    worsening_history(world, run_now)
    assert not ClientRisk.objects.exists(), "nothing is scored in the request"
    queued = DBTaskResult.objects.filter(task_path=tasks.refresh_client.module_path)
    assert queued.count() == 1  # the second score found the first refresh still waiting (coalesced, issue #19)
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert ClientRisk.objects.get(client=world.sam).not_on_track is True

    ClientRisk.objects.all().delete()
    both = ["risk_refresh", "wearables_uploads_expire"]  # the wearables app sweeps expired uploads hourly
    assert sorted(periodic_enqueue_due()) == both
    assert periodic_enqueue_due() == [], "one run waits; none is added"
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert ClientRisk.objects.filter(client=world.sam).exists()
    assert periodic_enqueue_due() == [], "ran within the day"
    assert sorted(periodic_enqueue_due(now=timezone.now() + dt.timedelta(days=1, minutes=1))) == both

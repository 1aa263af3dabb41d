"""`alongside worker`: runs queued email tasks from the database, sweeping the outbox first."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings

from alongside.notify.mail import email_enqueue
from alongside.notify.models import EmailStatus, OutboundEmail

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_refuses_when_tasks_run_at_once(db):
    """With the immediate backend there is no queue, and the worker says so instead of idling forever."""
    with pytest.raises(CommandError, match="not a database backend"):
        call_command("worker", "--batch")


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_queued_email_waits_for_the_worker_then_goes_once(mailoutbox):
    """Queued in the database, the email is not sent by the request; `worker --batch` sends it, once."""
    with transaction.atomic():
        email = email_enqueue(to="someone@example.test", subject="Hello", body="Sign in.", kind="test.kind")
    assert mailoutbox == []
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert [m.to for m in mailoutbox] == [["someone@example.test"]]
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_ticks_are_scheduled_tasks_enqueued_once_per_interval():
    """Each tick is enqueued when due, not again while one waits or within the interval, and a worker runs it."""
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from alongside.notify.schedule import TICKS, ticks_enqueue_due

    every = dt.timedelta(minutes=5)
    assert ticks_enqueue_due(every=every) == list(TICKS)
    assert ticks_enqueue_due(every=every) == [], "one run per tick waits; none is added"
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"] * len(TICKS)
    assert ticks_enqueue_due(every=every) == [], "ran within the interval"
    assert ticks_enqueue_due(every=every, now=timezone.now() + every) == list(TICKS)

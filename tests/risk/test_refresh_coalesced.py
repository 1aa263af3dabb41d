"""One waiting refresh per client is enough: check-ins made while one waits do not queue more (issue #19).

A refresh that has not started reads the client's records when it runs, after the check-in that found it waiting
committed; once it has started, the next check-in queues a new one. So every check-in is followed by a refresh.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from alongside.risk import tasks
from alongside.risk.models import ClientRisk
from alongside.selfcare.models import CheckIn
from alongside.selfcare.services import checkin_create

from .conftest import worsening_history

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _waiting(client) -> int:
    return DBTaskResult.objects.filter(
        task_path=tasks.refresh_client.module_path, status="READY", args_kwargs__args=[str(client.pk)]
    ).count()


def _check_in(world, key: str) -> CheckIn:
    with transaction.atomic():  # no test transaction around us: on-commit callbacks run at this commit
        return checkin_create(actor=world.sam.user, client=world.sam, idempotency_key=key, mood=3)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_check_ins_while_a_refresh_waits_share_it_and_the_last_one_is_scored(world, measures_library):
    """Three check-ins with a refresh waiting leave one queued; after it runs a new check-in queues a new one,
    and the stored warnings are computed after the last check-in."""

    def run_now(execute=True):
        return transaction.atomic()

    worsening_history(world, run_now)  # scored history (two PHQ-9s): one refresh waits for Sam
    assert _waiting(world.sam) == 1
    for n in range(3):
        _check_in(world, f"coalesce-{n:04d}")
    assert _waiting(world.sam) == 1, "the waiting refresh covers these check-ins"
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert _waiting(world.sam) == 0
    scored = ClientRisk.objects.get(client=world.sam).computed_at
    assert scored >= CheckIn.objects.filter(client=world.sam).latest("at").at
    last = _check_in(world, "coalesce-last")
    assert _waiting(world.sam) == 1, "a refresh that already ran does not cover a later check-in"
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert ClientRisk.objects.get(client=world.sam).computed_at >= last.at


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS, ALONGSIDE_RISK_REFRESH_DELAY_SECONDS=5)
def test_with_a_delay_a_burst_of_check_ins_is_scored_once_after_the_last_of_them(world, measures_library):
    """The refresh is queued to run five seconds on: a worker leaves it until then, check-ins meanwhile add none,
    and when it runs it scores the client after the burst."""
    from django.utils import timezone

    worsening_history(world, lambda execute=True: transaction.atomic())
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)  # the history's own refresh
    ClientRisk.objects.all().delete()
    for n in range(4):
        _check_in(world, f"burst-{n:04d}")
    waiting = DBTaskResult.objects.get(task_path=tasks.refresh_client.module_path, status="READY")
    assert 3 <= (waiting.run_after - timezone.now()).total_seconds() <= 5
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert _waiting(world.sam) == 1, "not due yet: the worker leaves it"
    assert not ClientRisk.objects.filter(client=world.sam).exists()
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())  # five seconds later
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    assert _waiting(world.sam) == 0
    assert (
        ClientRisk.objects.get(client=world.sam).computed_at >= CheckIn.objects.filter(client=world.sam).latest("at").at
    )

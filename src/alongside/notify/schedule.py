"""The clocks as scheduled tasks: `alongside worker` enqueues each tick every so often, and a worker runs it.

Each tick command is safe to repeat (docs/commands.md), so two workers enqueueing the same tick at
once cost a repeat, not a mistake. A tick is enqueued when none of its runs is waiting, running, or
was enqueued within the interval.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.management import call_command
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

TICKS = ("measures_tick", "selfcare_tick")
STUCK = dt.timedelta(hours=1)
# Tasks that apps above notify run on a clock (registered from their AppConfig.ready()): name -> (task, interval).
PERIODIC: dict[str, tuple[Any, dt.timedelta]] = {}


def periodic_register(name: str, job: Any, every: dt.timedelta) -> None:
    """Run the task ``job`` (no arguments) about once every ``every``, from the worker that enqueues the ticks."""
    PERIODIC[name] = (job, every)


@task
def run_tick(name: str) -> str:
    """Run one tick command; return what it printed (its counts)."""
    if name not in TICKS:
        raise ValueError(f"Not a tick: {name!r}")
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue().strip()[:1000]


def ticks_enqueue_due(*, every: dt.timedelta, now: dt.datetime | None = None) -> list[str]:
    """Enqueue each tick that has no run waiting, running or enqueued within ``every``; return their names."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    # A run left RUNNING by a killed worker stops counting after an hour.
    recent = DBTaskResult.objects.filter(task_path=run_tick.module_path).filter(
        Q(enqueued_at__gt=now - every) | Q(status="READY") | Q(status="RUNNING", started_at__gt=now - STUCK)
    )
    busy = {row["args"][0] for row in recent.values_list("args_kwargs", flat=True) if row.get("args")}
    due = [name for name in TICKS if name not in busy]
    for name in due:
        run_tick.enqueue(name)
    return due


def periodic_enqueue_due(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue each registered periodic task with no run waiting, running or enqueued within its interval."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    due = []
    for name, (job, every) in PERIODIC.items():
        runs = DBTaskResult.objects.filter(task_path=job.module_path)
        if not runs.filter(
            Q(enqueued_at__gt=now - every) | Q(status="READY") | Q(status="RUNNING", started_at__gt=now - STUCK)
        ).exists():
            job.enqueue()
            due.append(name)
    return due

"""Homework adherence over a period of one client's record (the session brief's view)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from alongside.selfcare.models import HomeworkTask
from alongside.selfcare.selectors.homework import derive_completions, homework_client
from alongside.selfcare.services.homework import local_date, local_today, task_window


@dataclass(frozen=True)
class Adherence:
    expected: int  # tasks due in the period whose window has closed, or done early
    completed: int


def homework_adherence_between(
    *, user: Any, client_id: uuid.UUID | str, since: dt.datetime, now: dt.datetime
) -> Adherence | None:
    """Tasks done over tasks expected, for those due from ``since`` to today; None unless exercises are shared.

    Access through :func:`homework_client` (care team and the exercises scope); completions come
    from the records that completed each task, by the homework selectors' own rule.
    """
    team = homework_client(user=user, client_id=client_id)
    if not team.shares_adherence:
        return None
    client = team.client
    today = local_today(client, now)
    tasks = list(
        HomeworkTask.objects.filter(client=client, due_on__gte=local_date(client, since), due_on__lte=today)
        .select_related("assignment", "client")
        .order_by("due_on")
    )
    found = derive_completions(tasks)
    expected = completed = 0
    for task in tasks:
        if task.pk in found:
            expected += 1
            completed += 1
        elif task_window(task.assignment, task.due_on)[1] < today:
            expected += 1
    return Adherence(expected=expected, completed=completed)

"""Background work of the risk app, as ``django.tasks`` tasks run by `alongside worker` (never in a page request).

* :func:`refresh_client` scores one client again after a new score or check-in is committed (the online path,
  a few milliseconds); :func:`refresh_after_commit` enqueues it, to run ``ALONGSIDE_RISK_REFRESH_DELAY_SECONDS``
  later (5) so that a burst of writes is scored once, and never lets a failure reach the write.
* :func:`refresh_all` rescores every client with history once a day, registered with
  :mod:`alongside.notify.schedule` (it replaces a cron line running `alongside risk refresh`).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from functools import partial

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger("alongside.risk")

DAILY = dt.timedelta(days=1)


@task
def refresh_client(client_id: str) -> bool:
    """Score the client now and store their warnings; return whether anything was stored."""
    from alongside.care.models import ClientProfile
    from alongside.risk.services import client_risk_refresh

    client = ClientProfile.objects.filter(pk=uuid.UUID(client_id)).first()
    if client is None:  # erased since the write that asked for it
        return False
    return client_risk_refresh(client=client, now=timezone.now()) is not None


@task
def refresh_all() -> int:
    """Score every active client of every practice again (the daily refresh); return how many were stored."""
    from alongside.risk.services import risks_refresh_all

    return risks_refresh_all(now=timezone.now())


# One refresh waiting is enough (issue #19): a refresh that has not started reads the client's records when it
# runs, and it is found here only after the asking write committed, so it will see that write. A running or
# finished one is not enough (it may have read before the commit), so then a new one is queued.
_WAITING = {
    "postgresql": "SELECT 1 FROM {table} WHERE status = %s AND task_path = %s AND backend_name = %s "
    "AND args_kwargs -> 'args' ->> 0 = %s LIMIT 1",
    "sqlite": "SELECT 1 FROM {table} WHERE status = %s AND task_path = %s AND backend_name = %s "
    "AND json_extract(args_kwargs, '$.args[0]') = %s LIMIT 1",
}


def _refresh_waiting(client_id: str) -> bool:
    """Whether a refresh of this client waits in the database queue, not yet started (plain SQL: one statement
    over the queue's partial index of waiting tasks, in place of an insert and its ORM work on every check-in)."""
    backend = refresh_client.get_backend()
    if type(backend).__module__.split(".")[0] != "django_tasks_db":
        return False  # run at once (tests, the immediate backend): nothing waits
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    connection = connections[_alias()]
    sql = _WAITING.get(connection.vendor)
    if sql is None:
        return False
    table = connection.ops.quote_name(DBTaskResult._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), ["READY", refresh_client.module_path, backend.alias, client_id])
        return cursor.fetchone() is not None


def _alias() -> str:
    from django.db import router
    from django_tasks_db.models import DBTaskResult

    return str(router.db_for_write(DBTaskResult))


def _enqueue(client_id: str) -> None:
    try:
        if _refresh_waiting(client_id):
            return
        delay = settings.ALONGSIDE_RISK_REFRESH_DELAY_SECONDS
        if delay > 0 and refresh_client.get_backend().supports_defer:
            # Waiting a few seconds lets the client's next writes find this refresh waiting and add none: a burst of
            # check-ins and answers costs one refresh, run after the last of them (issue #19).
            refresh_client.using(run_after=timezone.now() + dt.timedelta(seconds=delay)).enqueue(client_id)
        else:
            refresh_client.enqueue(client_id)
    except Exception:
        # A warning refreshed a day late is better than a lost check-in: the daily refresh catches up.
        logger.exception("risk: could not enqueue the refresh of one client")


def refresh_after_commit(client_id: uuid.UUID | str) -> None:
    """Once the current transaction commits, enqueue the refresh of this client; a failure is logged, not raised."""
    transaction.on_commit(partial(_enqueue, str(client_id)), robust=True)

"""Background work of the risk app, as ``django.tasks`` tasks run by `alongside worker` (never in a page request).

* :func:`refresh_client` scores one client again after a new score or check-in is committed (the online path,
  a few milliseconds); :func:`refresh_after_commit` enqueues it and never lets a failure reach the write.
* :func:`refresh_all` rescores every client with history once a day, registered with
  :mod:`alongside.notify.schedule` (it replaces a cron line running `alongside risk refresh`).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from functools import partial

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


def _enqueue(client_id: str) -> None:
    try:
        refresh_client.enqueue(client_id)
    except Exception:
        # A warning refreshed a day late is better than a lost check-in: the daily refresh catches up.
        logger.exception("risk: could not enqueue the refresh of one client")


def refresh_after_commit(client_id: uuid.UUID | str) -> None:
    """Once the current transaction commits, enqueue the refresh of this client; a failure is logged, not raised."""
    transaction.on_commit(partial(_enqueue, str(client_id)), robust=True)

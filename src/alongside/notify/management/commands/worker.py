"""`alongside worker`: run background tasks (emails first) from the database queue.

It is django-tasks-db's ``db_worker`` with one addition: a thread that sweeps the email outbox,
re-enqueuing retries that are due and emails whose worker died mid-send (their claim ran out).
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker

from alongside.notify.mail import outbox_sweep

logger = logging.getLogger("alongside.notify")


def _sweep_once() -> None:
    try:
        found = outbox_sweep()
        if found:
            logger.info("worker: re-enqueued %d outbox emails", found)
    except Exception:
        # The database may be restarting; the next sweep tries again.
        logger.exception("worker: the outbox sweep failed")
    finally:
        close_old_connections()


def _sweep_forever(every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        _sweep_once()


class Command(db_worker.Command):
    help = "Run background tasks (email delivery and its retries) from the database queue."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=30.0,
            help="Seconds between sweeps of the email outbox for due retries and dead workers' emails (default 30).",
        )
        # Reloading on code changes would also restart the sweep in the reloader's parent.
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        every = float(options.pop("sweep_every"))
        _sweep_once()
        stop = threading.Event()
        if not options.get("batch"):
            threading.Thread(target=_sweep_forever, args=(every, stop), name="outbox-sweep", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()

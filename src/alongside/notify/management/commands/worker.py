"""`alongside worker`: run background tasks (emails, the clocks) from the database queue.

It is django-tasks-db's ``db_worker`` plus a thread that sweeps the email outbox (re-enqueuing
retries that are due and emails whose worker died mid-send) and enqueues the tick commands as
scheduled tasks (:mod:`alongside.notify.schedule`), and on PostgreSQL a thread that links the audit
events written while another writer held the chain's lock (:mod:`alongside.audit.chainer`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from alongside.audit.chainer import chain_tail
from alongside.notify.mail import outbox_sweep
from alongside.notify.schedule import periodic_enqueue_due, ticks_enqueue_due

logger = logging.getLogger("alongside.notify")


def _sweep_once(ticks_every: float = 0) -> None:
    try:
        found = outbox_sweep()
        if found:
            logger.info("worker: re-enqueued %d outbox emails", found)
        if ticks_every > 0:
            ticks_enqueue_due(every=dt.timedelta(seconds=ticks_every))
            periodic_enqueue_due()
    except Exception:
        # The database may be restarting; the next sweep tries again.
        logger.exception("worker: the outbox sweep failed")
    finally:
        close_old_connections()


def _sweep_forever(every: float, ticks_every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        _sweep_once(ticks_every)


def _link_once() -> int:
    """Link the audit events waiting to be linked; 0 when there were none or a writer holds the lock."""
    try:
        return chain_tail()
    except Exception:
        # The database may be restarting; the events wait for the next round (or a writer links them).
        logger.exception("worker: linking audit events failed")
        return 0
    finally:
        close_old_connections()


def _link_forever(every: float, stop: threading.Event) -> None:
    while not stop.wait(every):
        _link_once()


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
        parser.add_argument(
            "--ticks-every",
            type=float,
            default=300.0,
            help="Seconds between runs of measures_tick and selfcare_tick, as tasks (default 300; 0: never). "
            "Not in --batch mode.",
        )
        parser.add_argument(
            "--chain-every",
            type=float,
            default=1.0,
            help="Seconds between rounds linking the audit events written while another writer held the "
            "chain's lock (PostgreSQL; default 1; 0: never). Not in --batch mode.",
        )
        # Reloading on code changes would also restart the sweep in the reloader's parent.
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        every = float(options.pop("sweep_every"))
        ticks_every = 0.0 if options.get("batch") else float(options.pop("ticks_every"))
        options.pop("ticks_every", None)
        chain_every = float(options.pop("chain_every"))
        _sweep_once(ticks_every)
        _link_once()
        stop = threading.Event()
        if not options.get("batch"):
            threading.Thread(
                target=_sweep_forever, args=(every, ticks_every, stop), name="outbox-sweep", daemon=True
            ).start()
            if chain_every > 0 and connection.vendor == "postgresql":
                threading.Thread(target=_link_forever, args=(chain_every, stop), name="audit-link", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()

"""Live pushes: every event sent to open pages (a new message, a read receipt, an unread count) is one task.

An app calls :func:`live_push` inside its own transaction (or after it); once the transaction commits,
:func:`push_live` is enqueued on the task backend ``"live"`` (``settings.TASKS``). By default that backend
is Django's immediate one, so the task runs at once in the process that made the change and a message
reaches the other side's page as fast as a direct send would; an operator may point it at the database
queue instead (``ALONGSIDE_LIVE_TASKS_BACKEND=database``) and run a worker for it, which needs Redis (a
worker cannot reach the server's in-memory channel layer) and adds the worker's polling delay.

A push is best effort by design: what it announces is already committed, and a page that missed it
catches up when it reloads or reconnects (messages by sequence number, notices from the list). So a
failed push never fails the write that caused it: it is logged (group kind and event type, no user ids
in the message text) and counted in :func:`live_push_counts`, and nothing is retried.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.tasks import task

logger = logging.getLogger("alongside.notify")

LIVE_BACKEND = "live"

# Per process: pushes sent, failed (channel layer down) and not enqueued (the task backend refused them).
_COUNTS: Counter[str] = Counter()
_COUNTS_LOCK = threading.Lock()
_PENDING: set[asyncio.Task[None]] = set()  # sends scheduled on a running event loop

type Push = tuple[str, Mapping[str, Any]]


def _count(outcome: str, n: int = 1) -> None:
    with _COUNTS_LOCK:
        _COUNTS[outcome] += n


def live_push_counts() -> dict[str, int]:
    """Telemetry of this process: live pushes ``sent``, ``failed`` and ``not_enqueued`` since it started."""
    with _COUNTS_LOCK:
        return {key: _COUNTS[key] for key in ("sent", "failed", "not_enqueued")}


def _kind(group: str) -> str:
    """The kind of a group for the logs ("user", "thread"), without the id that follows it."""
    return group.partition(".")[0]


@task(backend=LIVE_BACKEND)
def push_live(pushes: list[list[Any]]) -> int:
    """Send each ``[group, event]`` to its channel-layer group; return how many were handed to the layer.

    Never raises: a layer that is down or missing is logged and counted, and the rest still go.
    """
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    try:
        layer = get_channel_layer()
    except Exception:
        logger.exception("notify: no channel layer for %d live pushes", len(pushes))
        _count("failed", len(pushes))
        return 0
    if layer is None:
        return 0
    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    sent = 0
    for group, event in pushes:
        try:
            if loop is not None:  # called from an event loop's own thread: schedule the send, never block it
                job = loop.create_task(layer.group_send(group, event))
                _PENDING.add(job)
                job.add_done_callback(_settled)
            else:
                async_to_sync(layer.group_send)(group, event)
                _count("sent")
            sent += 1
        except Exception:
            logger.exception("notify: live push %s to a %s group failed", event.get("type", "?"), _kind(group))
            _count("failed")
    return sent


def _settled(job: asyncio.Task[None]) -> None:
    _PENDING.discard(job)
    error = None if job.cancelled() else job.exception()
    if job.cancelled() or error is not None:
        logger.error("notify: a scheduled live push failed (%s)", type(error).__name__ if error else "cancelled")
        _count("failed")
    else:
        _count("sent")


def live_push(pushes: Iterable[Push]) -> None:
    """Push events to open pages once the current transaction commits (at once outside one); never raises.

    ``pushes`` are ``(group, event)`` pairs; an event is a JSON object whose ``type`` names the consumer
    method that receives it. Nothing is pushed when the transaction rolls back.
    """
    pairs = [[group, dict(event)] for group, event in pushes]
    try:
        payload: list[list[Any]] = json.loads(json.dumps(pairs))  # plain JSON, as the database queue stores it
    except (TypeError, ValueError):
        logger.exception("notify: %d live pushes are not JSON; not sent", len(pairs))
        _count("not_enqueued", len(pairs))
        return
    if payload:
        transaction.on_commit(lambda: _enqueue(payload))


def _enqueue(payload: list[list[Any]]) -> None:
    try:
        push_live.enqueue(payload)
    except Exception:
        logger.exception("notify: could not enqueue %d live pushes", len(payload))
        _count("not_enqueued", len(payload))


class QuietLivePushes(logging.Filter):
    """Drop django.tasks' routine INFO lines for live pushes (two per push, several per message); keep the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return record.levelno >= logging.WARNING or push_live.module_path not in args


def check_live_backend(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Warn when live pushes are queued for a worker that cannot reach the pages (no Redis channel layer)."""
    from django.conf import settings
    from django.core import checks

    live = str(settings.TASKS.get(LIVE_BACKEND, {}).get("BACKEND", ""))
    layer = str(settings.CHANNEL_LAYERS.get("default", {}).get("BACKEND", ""))
    if live.endswith("DatabaseBackend") and layer.endswith("InMemoryChannelLayer"):
        return [
            checks.Warning(
                "Live pushes are queued for a worker (ALONGSIDE_LIVE_TASKS_BACKEND=database), but the channel "
                "layer is in memory, which a worker cannot reach: no live update would arrive.",
                hint="Set REDIS_URL, or leave ALONGSIDE_LIVE_TASKS_BACKEND at 'immediate'.",
                id="alongside.W001",
            )
        ]
    return []

"""What a serving process does once, after start-up and before its first request."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# How often a server process checkpoints an SQLite database's write-ahead log into the database file.
CHECKPOINT_EVERY = 1.0  # seconds

_checkpointer: threading.Thread | None = None


def database_sync_to_async[**P, R](function: Callable[P, R]) -> Any:
    """Channels' ``database_sync_to_async``, closing the database connections the call itself opened.

    Channels closes old connections around the call, but from outside the copy of the context that asgiref
    (3.8 and later) runs the function in; Django keeps connections in context-local storage, so a connection
    opened by the call is invisible there and is never closed. Without a pool it lingers until garbage
    collection; with psycopg's pool it is never given back, and a few hundred socket events run the pool dry
    ("couldn't get a connection after 5 s", issue #19). Here the closing happens inside the call's context.
    Consumers use this instead of Channels' own.
    """
    from channels.db import database_sync_to_async as channels_database_sync_to_async
    from django.db import close_old_connections

    @functools.wraps(function)
    def closing(*args: P.args, **kwargs: P.kwargs) -> R:
        close_old_connections()
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return channels_database_sync_to_async(closing)


# Idle request threads a serving process keeps for the next requests (more are made when more run at once).
IDLE_REQUEST_THREADS = 64
# Requests of one serving process in their middleware and view at once; the others wait in the event loop.
RUNNING_REQUESTS = 8


def http_application() -> Any:
    """Django's ASGI handler, with each request's middleware and view run in one hand-off to a reused thread.

    Django's own handler builds an asynchronous middleware chain: our middleware is synchronous, so the request
    goes to a thread for the middleware, back to the event loop for the view's resolution (``async_to_sync``),
    and to the thread again for each ``process_view`` and for the view, each hop a wake-up of the other side
    and a handover of the interpreter; and it starts a new thread for every request and stops it after.
    Profiled under load (bench/README.md, py-spy), those hops and thread starts were the largest cost of a
    request. Here the chain is Django's synchronous one (as under WSGI and the test client), called once per
    request through ``sync_to_async``; and a request borrows an idle one-thread executor (asgiref's
    ``ThreadSensitiveContext(executor=...)``) instead of starting a thread. A request's sync code still runs in
    one thread that runs nothing else meanwhile (one call at a time), and its database connections stay in
    the request's own context, as before. At most :data:`RUNNING_REQUESTS` requests are in their middleware
    and view at once (bodies are read and answers sent outside that limit): 25 threads taking turns at the
    interpreter made the one holding the audit chain's lock wait behind all the others.
    """
    import django
    from asgiref.sync import ThreadSensitiveContext, sync_to_async
    from django.core.handlers.asgi import ASGIHandler
    from django.http import HttpRequest, HttpResponseBase

    class OneHandOffASGIHandler(ASGIHandler):
        def __init__(self) -> None:
            super().__init__()
            self.idle: list[ThreadPoolExecutor] = []  # touched from the event loop's thread only
            self.running = asyncio.Semaphore(RUNNING_REQUESTS)

        def load_middleware(self, is_async: bool = False) -> None:
            super().load_middleware(is_async=False)

        async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
            executor = self.idle.pop() if self.idle else ThreadPoolExecutor(1, thread_name_prefix="request")
            try:
                async with ThreadSensitiveContext(executor=executor):
                    await self.handle(scope, receive, send)
            finally:
                if len(self.idle) < IDLE_REQUEST_THREADS:
                    self.idle.append(executor)
                else:
                    executor.shutdown(wait=False)

        async def get_response_async(self, request: HttpRequest) -> HttpResponseBase:
            async with self.running:
                return await sync_to_async(self.get_response, thread_sensitive=True)(request)

    django.setup(set_prefix=False)
    return OneHandOffASGIHandler()


def settle() -> None:
    """Load the URL configuration, freeze every object loaded so far, and checkpoint SQLite off the request path.

    A Django process holds some hundred thousand long-lived objects (modules, models, URL patterns, translations).
    Python's oldest-generation collection walks all of them: on the caseload that was a pause of about 100 ms
    every few requests, the page's whole slowest five per cent. Frozen objects are never collected again, which is
    what they are: they live as long as the process (the use ``gc.freeze`` is documented for).
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  # import every view module now, not on the first request
    close_channels_auth_connections()
    warm_up()
    set_switch_interval()
    gc.collect()
    gc.freeze()
    _start_checkpointer()


def warm_up() -> None:
    """Load what the first request of its kind would otherwise load with the interpreter held.

    The crisis-language classifier reads its weights and compiles its patterns on first use (about 0.2 s); the
    first message sent to each server process used to stall every other request of that process meanwhile.
    """
    from alongside.safety import detect

    detect("warm-up")


def set_switch_interval() -> None:
    """Let a thread whose database answer has arrived get the interpreter back sooner (``sys.setswitchinterval``).

    Each request runs in its own thread, and every database round trip gives up the interpreter. When another
    request is rendering a page, the waiting thread gets it back only when the renderer is made to yield: after
    the switch interval, 5 ms by default. A check-in makes about fifteen round trips, so beside one busy page it
    lost up to 75 ms to waiting alone (the load bench's check-in p99, issue #11). Shorter intervals cost a
    little more switching; bench/README.md has the figures. 0 keeps Python's default.
    """
    import sys

    from django.conf import settings

    interval = getattr(settings, "ALONGSIDE_SWITCH_INTERVAL_US", 0)
    if interval > 0:
        sys.setswitchinterval(interval / 1_000_000)


def close_channels_auth_connections() -> None:
    """Make Channels' ``AuthMiddleware`` close the connection its user look-up opens (see below). Idempotent.

    ``channels.auth.get_user`` runs under Channels' own ``database_sync_to_async``, which leaves the connection
    of every socket's sign-in look-up open (returned to no pool); the middleware looks the function up by name
    on each connection, so rebinding it here is enough.
    """
    import channels.auth

    current = channels.auth.get_user
    if getattr(current, "closes_connections", False):
        return
    wrapped = database_sync_to_async(current.func)
    wrapped.closes_connections = True
    channels.auth.get_user = wrapped


def _start_checkpointer() -> None:
    """Checkpoint the SQLite database (when it is a file) from a thread of this process, once a second.

    SQLite otherwise checkpoints inside whichever request's commit pushes the log past its limit: on a
    caseload (about 1.2 MB of log per view, mostly audit index pages) every third or fourth view waited for a
    checkpoint's writes and fsync. Requests now leave that to this thread (settings raise the in-request
    limit to 40 MB, a bound for processes without the thread, such as commands). Once per process.
    """
    global _checkpointer
    from django.db import connections

    database = connections["default"].settings_dict
    name = str(database.get("NAME") or "")
    if database["ENGINE"] != "django.db.backends.sqlite3" or name.startswith(("file:", ":memory:")):
        return
    if not name or not Path(name).is_file():  # connecting would create an empty database
        return
    if _checkpointer is not None and _checkpointer.is_alive():
        return
    _checkpointer = threading.Thread(
        target=checkpoint_loop,
        kwargs={"path": name, "every": CHECKPOINT_EVERY, "stop": threading.Event()},
        name="alongside-sqlite-checkpoint",
        daemon=True,  # ends with the process
    )
    _checkpointer.start()


def checkpoint_loop(*, path: str, every: float, stop: threading.Event) -> None:
    """Run passive checkpoints of the database at ``path`` every ``every`` seconds until ``stop`` is set.

    A passive checkpoint copies what it can without waiting for readers or writers, so requests never wait
    for it; another process's checkpoint running at the same time only makes this one do less.
    """
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        while not stop.wait(every):
            started = time.perf_counter()
            try:
                connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error as error:  # busy with another process's checkpoint: try again next time
                logger.debug("sqlite checkpoint skipped: %s", error)
            elapsed = time.perf_counter() - started
            if elapsed > every:
                logger.info("sqlite checkpoint took %.1f s", elapsed)
    finally:
        connection.close()

"""Run a coroutine function from a synchronous test, whatever loop the test thread holds.

Playwright's synchronous API leaves an event loop attached to the main thread once a browser
test has run, and ``async_to_sync`` refuses to run in a thread with a loop. Socket tests
therefore run their coroutine in a worker thread of their own.

The coroutine runs in a short-lived thread, and tests often touch the database directly from it
(making a session, checking a row): that thread's database connections are closed when the
coroutine ends. Left open, each would keep a connection of PostgreSQL's pool checked out forever
once the thread is gone (psycopg's pool only gets a connection back when it is closed), and the
pool would run dry after a few socket tests (issue #19).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync
from django.db import connections


def run_async[T](function: Callable[[], Awaitable[T]]) -> T:
    """Run ``function()`` to completion in a fresh thread and return its result (or raise its error)."""

    async def closing() -> T:
        try:
            return await function()
        finally:
            connections.close_all()  # this (dying) thread's own connections: back to the pool

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="socket-test") as pool:
        return pool.submit(async_to_sync(closing)).result()

"""Run a coroutine function from a synchronous test, whatever loop the test thread holds.

Playwright's synchronous API leaves an event loop attached to the main thread once a browser
test has run, and ``async_to_sync`` refuses to run in a thread with a loop. Socket tests
therefore run their coroutine in a worker thread of their own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import async_to_sync


def run_async[T](function: Callable[[], Awaitable[T]]) -> T:
    """Run ``function()`` to completion in a fresh thread and return its result (or raise its error)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="socket-test") as pool:
        return pool.submit(async_to_sync(function)).result()

"""A serving process settles once started: frozen start-up objects, SQLite checkpointed off the request path."""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from alongside import runtime


def _wal_database(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")  # nothing in this connection checkpoints
    connection.execute("CREATE TABLE t (x BLOB)")
    connection.executemany("INSERT INTO t VALUES (?)", [(b"\0" * 4000,) for _ in range(300)])
    return connection


def test_the_checkpoint_thread_moves_the_log_into_the_database_file(tmp_path: Path) -> None:
    """Rows written with checkpoints off reach the database file once the thread has run, and it stops when told."""
    path = tmp_path / "db.sqlite3"
    writer = _wal_database(path)
    assert path.stat().st_size < 100_000  # everything is still in the log
    stop = threading.Event()
    thread = threading.Thread(target=runtime.checkpoint_loop, kwargs={"path": str(path), "every": 0.02, "stop": stop})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while path.stat().st_size < 1_000_000 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert path.stat().st_size >= 1_000_000
        assert writer.execute("SELECT count(*) FROM t").fetchone() == (300,)
    finally:
        stop.set()
        thread.join(timeout=5)
        writer.close()
    assert not thread.is_alive()


def test_a_busy_or_missing_database_does_not_end_the_thread(tmp_path: Path) -> None:
    """A checkpoint that fails (another process holds the lock, the file is not a database) is tried again."""
    path = tmp_path / "not-a-database.sqlite3"
    path.write_bytes(b"this is not an sqlite file" * 100)
    stop = threading.Event()
    thread = threading.Thread(target=runtime.checkpoint_loop, kwargs={"path": str(path), "every": 0.01, "stop": stop})
    thread.start()
    time.sleep(0.1)
    assert thread.is_alive()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


@pytest.mark.django_db
def test_settle_freezes_start_up_objects_and_skips_the_thread_for_an_in_memory_database(monkeypatch) -> None:
    """Objects alive at settle() are frozen; an in-memory database (or PostgreSQL) gets no checkpoint thread.

    The test database itself is a file (settings.py says why), so the name is set aside for this test."""
    from django.db import connections

    monkeypatch.setitem(connections["default"].settings_dict, "NAME", "file:memorydb_default?mode=memory&cache=shared")
    before = threading.active_count()
    try:
        runtime.settle()
        assert gc.get_freeze_count() > 1000
        assert threading.active_count() == before
    finally:
        gc.unfreeze()


async def _get_me(application: object) -> list[dict[str, object]]:
    """``GET /api/v1/me`` without a token through ``application``; the answer's start and body messages."""
    from asgiref.testing import ApplicationCommunicator

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": "/api/v1/me", "raw_path": b"/api/v1/me", "query_string": b"", "root_path": "",
        "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }  # fmt: skip
    communicator = ApplicationCommunicator(application, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    messages = [await communicator.receive_output(10), await communicator.receive_output(10)]
    await communicator.wait(10)
    return messages


def _served(application: object) -> list[dict[str, object]]:
    """Send one request through ``application`` on a fresh event loop in a thread of its own (this thread may
    already run a loop, such as the browser tests' driver), with no ``async_to_sync`` of the test's own."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _get_me(application)).result()


def test_an_http_request_runs_its_middleware_and_view_in_one_thread_hop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the served ASGI application, a request never goes back from its thread to the event loop
    (Django's own handler does, to resolve the view, and then hands each process_view and the view over again)."""
    from asgiref.sync import AsyncToSync

    application = runtime.http_application()
    back_to_the_loop = []
    original = AsyncToSync.__call__

    def counted(self: AsyncToSync, *args: object, **kwargs: object) -> object:
        back_to_the_loop.append(getattr(self.awaitable, "__qualname__", repr(self.awaitable)))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(AsyncToSync, "__call__", counted)
    start, body = _served(application)
    assert start["status"] == 401
    assert body["type"] == "http.response.body"
    assert back_to_the_loop == []


def test_requests_one_after_another_reuse_one_request_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A request borrows an idle request thread instead of starting one; two requests one after the other run
    their middleware and view in the same thread, and the thread is kept for the next."""
    application = runtime.http_application()
    threads = []
    original = application.get_response

    def recorded(request: object) -> object:
        threads.append(threading.current_thread())
        return original(request)

    monkeypatch.setattr(application, "get_response", recorded)
    statuses = [_served(application)[0]["status"] for _ in range(2)]
    assert statuses == [401, 401]
    assert len(threads) == 2
    assert threads[0] is threads[1]
    assert threads[0] is not threading.current_thread()
    assert len(application.idle) == 1

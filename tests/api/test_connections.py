"""Database connections opened for WebSocket work are closed by the call that opened them (issue #19).

Channels' ``database_sync_to_async`` closes old connections from outside the context asgiref runs the call in;
Django keeps connections per context, so the connection a call opened stayed open, and with PostgreSQL's
connection pool each socket event kept one connection checked out for good: the pool ran dry.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.backends.signals import connection_created

from alongside.accounts.models import User
from alongside.runtime import close_channels_auth_connections, database_sync_to_async
from tests.async_support import run_async

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite's test database lives in memory, and Django never closes an in-memory connection.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (the PostgreSQL pass runs it)"),
]


def _wrappers_left_open(bridge: Any) -> list[Any]:
    """Run a query through ``bridge`` from a coroutine; return the connections it opened that are still open."""
    opened: list[Any] = []

    def remember(sender: Any, connection: Any, **kwargs: Any) -> None:
        opened.append(connection)

    def query() -> int:
        return User.objects.count()

    def refusal() -> None:
        User.objects.count()
        raise PermissionDenied("Sign in first.")  # as a consumer refuses an outsider

    async def socket_events() -> None:
        for _ in range(3):
            await bridge(query)()
            with contextlib.suppress(PermissionDenied):
                await bridge(refusal)()

    async def run() -> None:
        # A consumer runs in a task of its own (as Channels' server and test communicator run it).
        await asyncio.create_task(socket_events())

    connection_created.connect(remember)
    try:
        run_async(run)
    finally:
        connection_created.disconnect(remember)
    assert opened, "the calls opened no connection of their own"
    return [wrapper for wrapper in opened if wrapper.connection is not None]


def test_our_bridge_closes_each_connection_it_opened():
    """Every connection opened inside ``alongside.runtime.database_sync_to_async`` is closed when the call ends."""
    assert _wrappers_left_open(database_sync_to_async) == []


def test_sockets_sign_in_lookup_closes_its_connection(world):
    """Channels' AuthMiddleware looks the user up through a bridge that closes its connection once rebound."""
    import channels.auth
    from django.contrib.sessions.backends.db import SessionStore

    close_channels_auth_connections()
    close_channels_auth_connections()  # idempotent
    store = SessionStore()
    store["_auth_user_id"] = str(world.sam.user.pk)
    store["_auth_user_backend"] = "alongside.accounts.backends.EmailBackend"
    store["_auth_user_hash"] = world.sam.user.get_session_auth_hash()
    store.create()
    session = SessionStore(session_key=store.session_key)
    found: list[Any] = []
    opened: list[Any] = []

    def remember(sender: Any, connection: Any, **kwargs: Any) -> None:
        opened.append(connection)

    async def run() -> None:
        found.append(await channels.auth.get_user({"session": session}))

    connection_created.connect(remember)
    try:
        run_async(run)
    finally:
        connection_created.disconnect(remember)
    assert found[0].pk == world.sam.user.pk
    assert [w for w in opened if w.connection is not None] == []


def _opened_during(function: Any) -> list[Any]:
    opened: list[Any] = []

    def remember(sender: Any, connection: Any, **kwargs: Any) -> None:
        opened.append(connection)

    connection_created.connect(remember)
    try:
        run_async(function)
    finally:
        connection_created.disconnect(remember)
    return opened


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_a_message_socket_closes_the_connections_it_opened(world, who):
    """A thread socket accepted (Alice) or refused (Bob, an outsider) leaves no database connection open."""
    from channels.routing import URLRouter
    from django.contrib.sessions.backends.db import SessionStore

    from alongside.core.session_keys import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT
    from alongside.routing import websocket_urlpatterns
    from tests.notify.ws import WebsocketCommunicator

    user = getattr(world, who)
    store = SessionStore()
    store.update({"_auth_user_id": str(user.pk), SESSION_MFA_OK: True})
    store.update({SESSION_AUTH_AT: time.time(), SESSION_SEEN_AT: time.time()})
    store.create()

    async def run() -> None:
        socket = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/messages/{world.sam.pk}/")
        socket.scope["user"] = user
        socket.scope["session"] = SessionStore(session_key=store.session_key)
        connected, _code = await socket.connect()
        if connected:
            await socket.disconnect()

    opened = _opened_during(run)
    assert opened
    assert [w for w in opened if w.connection is not None] == []

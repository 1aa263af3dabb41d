"""The inbox socket: a new message tells the recipient's open pages their unread count, and no one else's."""

from __future__ import annotations

import time

import pytest
from channels.routing import URLRouter
from django.contrib.sessions.backends.db import SessionStore

from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT
from alongside.core.actor import signed_in
from alongside.messaging import services
from alongside.routing import websocket_urlpatterns
from tests.async_support import run_async
from tests.notify.ws import WebsocketCommunicator

pytestmark = pytest.mark.django_db(transaction=True)


def _socket(user, *, mfa: bool = True) -> WebsocketCommunicator:
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store[SESSION_MFA_OK] = mfa
    store[SESSION_AUTH_AT] = store[SESSION_SEEN_AT] = time.time()
    store.create()
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/inbox/")
    communicator.scope["user"] = user
    communicator.scope["session"] = store
    return communicator


def test_a_clients_message_reaches_the_clinicians_inbox_socket_with_the_count_only(world):
    """Sam sends; Alice's inbox socket hears {type: inbox, unread: 1}; Bob (not on the team) hears nothing."""

    async def run():
        alice, bob = _socket(world.alice), _socket(world.bob)
        assert (await alice.connect())[0]
        assert (await bob.connect())[0]
        from alongside.runtime import database_sync_to_async

        await database_sync_to_async(services.message_send)(
            actor=signed_in(world.sam.user),
            client_id=world.sam.pk,
            body="Is Thursday still on?",
            idempotency_key="inbox-0001",
        )
        frame = await alice.receive_json_from(timeout=5)
        bob_quiet = await bob.receive_nothing(timeout=0.5)
        await alice.disconnect()
        await bob.disconnect()
        return frame, bob_quiet

    frame, bob_quiet = run_async(run)
    assert frame == {"type": "inbox", "unread": 1}
    assert bob_quiet


def test_staff_without_the_second_factor_are_refused(world):
    """A staff session that has not passed the second factor gets no inbox socket."""

    async def run():
        socket = _socket(world.alice, mfa=False)
        connected, _code = await socket.connect()
        return connected

    assert run_async(run) is False

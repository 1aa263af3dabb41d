"""The notifications WebSocket: anonymous sockets are refused; each person hears only their own notices."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter

from alongside.accounts.middleware import SESSION_MFA_OK
from alongside.notify.consumers import CLOSE_UNAUTHENTICATED
from alongside.notify.services import notification_send
from alongside.routing import websocket_urlpatterns
from tests.async_support import run_async
from tests.notify.ws import WebsocketCommunicator

PATH = "/ws/notifications/"


def _socket(user, *, mfa: bool = True) -> WebsocketCommunicator:
    """A socket whose scope carries the user and session, as AuthMiddlewareStack would set them."""
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), PATH)
    communicator.scope["user"] = user
    communicator.scope["session"] = {SESSION_MFA_OK: mfa}
    return communicator


@pytest.mark.django_db(transaction=True)
def test_anonymous_socket_is_refused_by_the_whole_app():
    """Through the real ASGI stack (origin check, session auth), a socket without a session closes with 4401."""
    from alongside.asgi import application

    async def run():
        communicator = WebsocketCommunicator(application, PATH, headers=[(b"origin", b"http://testserver")])
        connected, code = await communicator.connect()
        await communicator.disconnect()
        return connected, code

    assert run_async(run) == (False, CLOSE_UNAUTHENTICATED)


@pytest.mark.django_db(transaction=True)
def test_staff_without_second_factor_is_refused(world):
    """A clinician whose session has not passed MFA hears nothing."""

    async def run():
        communicator = _socket(world.alice, mfa=False)
        connected, code = await communicator.connect()
        return connected, code

    assert run_async(run) == (False, CLOSE_UNAUTHENTICATED)


@pytest.mark.django_db(transaction=True)
def test_each_person_hears_only_their_own(world):
    """Alice's socket gets her notice (kind and unread count only); Bob's socket gets nothing."""

    async def run():
        alice, bob = _socket(world.alice), _socket(world.bob)
        assert (await alice.connect())[0]
        assert (await bob.connect())[0]
        await database_sync_to_async(notification_send)(
            recipients=[world.alice], kind="message", link="/messages/1/", client=world.sam
        )
        event = await alice.receive_json_from(timeout=5)
        bob_heard = not await bob.receive_nothing(timeout=0.3)
        await database_sync_to_async(notification_send)(recipients=[world.alice], kind="alert", link="/")
        second = await alice.receive_json_from(timeout=5)
        await alice.disconnect()
        await bob.disconnect()
        return event, second, bob_heard

    event, second, bob_heard = run_async(run)
    assert event == {"type": "notification", "kind": "message", "unread": 1}
    assert second == {"type": "notification", "kind": "alert", "unread": 2}
    assert not bob_heard


@pytest.mark.django_db(transaction=True)
def test_a_client_hears_their_homework(world):
    """Clients need no second factor: Sam's socket hears his homework reminder."""

    async def run():
        sam = _socket(world.sam.user, mfa=False)
        assert (await sam.connect())[0]
        await database_sync_to_async(notification_send)(recipients=[world.sam.user], kind="homework", link="/")
        event = await asyncio.wait_for(sam.receive_json_from(), timeout=5)
        await sam.disconnect()
        return event

    assert run_async(run)["kind"] == "homework"

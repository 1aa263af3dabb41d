"""Walk every WebSocket route as the four outsiders: each socket about Sam is refused and hears nothing.

Routes come from ``alongside.routing.websocket_urlpatterns``, so a consumer added later is
covered without touching this file. Sockets go through the whole ASGI application (origin
check, session authentication) with real session cookies.
"""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from django.conf import settings
from django.utils import timezone

from alongside.messaging import services
from alongside.routing import websocket_urlpatterns
from alongside.sessions.services import appointment_create
from alongside.telehealth.services.groups import group_create
from tests import factories
from tests.access.test_route_walk import SENTINEL_NAME, _fill
from tests.async_support import run_async
from tests.notify.ws import WebsocketCommunicator


def _cookie_for(client, user, staff_client) -> bytes:
    client.logout()
    if user is not None:
        if user.is_client:
            client.force_login(user, backend="alongside.accounts.backends.EmailBackend")
        else:
            staff_client(user)
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return f"{settings.SESSION_COOKIE_NAME}={session.value}".encode() if session else b""


async def _try(path: str, cookie: bytes) -> tuple[bool, list[str]]:
    from alongside.asgi import application

    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", cookie))
    socket = WebsocketCommunicator(application, path, headers=headers)
    connected, _code = await socket.connect(timeout=5)
    heard: list[str] = []
    if connected:
        await socket.send_json_to({"type": "catch_up", "after": 0})
        while not await socket.receive_nothing(timeout=0.3):
            heard.append(str(await socket.receive_output(timeout=1)))
        await socket.disconnect()
    return connected, heard


@pytest.mark.django_db(transaction=True)
def test_every_socket_route_refuses_outsiders(client, staff_client) -> None:
    home = factories.practice("Riverside Therapy")
    away = factories.practice("Hillside Counselling")
    alice = factories.staff(home)
    bob = factories.staff(home)
    carol = factories.staff(away, role="owner")
    sam = factories.client(home, clinicians=(alice,), name=SENTINEL_NAME, scopes=("messages",))
    robin = factories.client(home, clinicians=(bob,), name="Robin")
    services.message_send(actor=sam.user, client_id=sam.pk, body=SENTINEL_NAME, idempotency_key="walk-key-0001")
    # Sam's session starting now, so its video room is open: outsiders must still be refused.
    starts = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(minutes=5)
    appointment = appointment_create(actor=alice, client_id=sam.pk, starts_at=starts)
    # A group of Alice's with Sam in it, in two days (outsiders are refused whether or not its room is open).
    kim = factories.client(home, clinicians=(alice,), name="Kim")
    group = group_create(
        actor=alice, title="Skills group", starts_at=starts + dt.timedelta(days=2), client_ids=[sam.pk, kim.pk]
    )
    ids = {"client_id": str(sam.pk), "appointment_id": str(appointment.pk), "group_id": str(group.pk)}
    outsiders = {"anonymous": None, "carol": carol, "bob": bob, "robin": robin.user}
    problems: list[str] = []
    routes = [str(p.pattern) for p in websocket_urlpatterns]
    for label, user in outsiders.items():
        cookie = _cookie_for(client, user, staff_client)
        for template in routes:
            path = _fill(template, ids)
            connected, heard = run_async(functools.partial(_try, path, cookie))
            takes_id = "<" in template
            if any(SENTINEL_NAME in frame for frame in heard):
                problems.append(f"{label} heard Sam's data on {path}")
            if connected and (takes_id or user is None):
                problems.append(f"{label} was let into {path}")
    assert not problems, "\n".join(problems)
    assert len(routes) >= 2


@pytest.mark.django_db(transaction=True)
def test_socket_walk_would_notice_a_leak(client, staff_client) -> None:
    """Sam's own clinician is let in and hears Sam's message: the walker's check works."""
    home = factories.practice()
    alice = factories.staff(home)
    sam = factories.client(home, clinicians=(alice,), name=SENTINEL_NAME, scopes=("messages",))
    services.message_send(actor=sam.user, client_id=sam.pk, body=SENTINEL_NAME, idempotency_key="walk-key-0002")
    cookie = _cookie_for(client, alice, staff_client)
    connected, heard = run_async(lambda: _try(f"/ws/messages/{sam.pk}/", cookie))
    assert connected
    assert any(SENTINEL_NAME in frame for frame in heard)

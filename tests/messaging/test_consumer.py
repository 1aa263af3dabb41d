"""The thread WebSocket: live delivery, acks, idempotent retries, catch-up, and refusals for outsiders."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from channels.routing import URLRouter
from django.contrib.sessions.backends.db import SessionStore

from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT
from alongside.messaging import services
from alongside.messaging.consumers import CLOSE_REFUSED
from alongside.messaging.models import Message
from alongside.routing import websocket_urlpatterns
from tests.async_support import run_async
from tests.notify.ws import WebsocketCommunicator

pytestmark = pytest.mark.django_db(transaction=True)


def _session(user, *, mfa: bool = True, seen_ago: float = 0.0):
    """A real stored session for ``user``, as signing in (and passing the second factor) leaves it."""
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store[SESSION_MFA_OK] = mfa
    store[SESSION_AUTH_AT] = time.time() - seen_ago
    store[SESSION_SEEN_AT] = time.time() - seen_ago
    store.create()
    return store


def _socket(user, client_id, *, mfa: bool = True, session=None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/messages/{client_id}/")
    communicator.scope["user"] = user
    communicator.scope["session"] = session or _session(user, mfa=mfa)
    return communicator


async def _frames_until(communicator, kind: str, limit: int = 10) -> list[dict]:
    frames = []
    for _ in range(limit):
        frame = await communicator.receive_json_from(timeout=5)
        frames.append(frame)
        if frame["type"] == kind:
            return frames
    raise AssertionError(f"no {kind} frame in {frames}")


def test_a_message_sent_by_the_client_arrives_live_at_the_clinician(world):
    """Sam sends on his socket: he gets an ack, Alice's open page gets the rendered message."""

    async def run():
        sam, alice = _socket(world.sam.user, world.sam.pk), _socket(world.alice, world.sam.pk)
        assert (await sam.connect())[0]
        assert (await alice.connect())[0]
        await sam.send_json_to({"type": "send", "key": "live-key-0001", "body": "See you Thursday"})
        sam_frames = await _frames_until(sam, "ack")
        alice_frames = await _frames_until(alice, "message")
        await sam.disconnect()
        await alice.disconnect()
        return sam_frames, alice_frames

    sam_frames, alice_frames = run_async(run)
    ack = sam_frames[-1]
    assert ack["seq"] == 1
    assert ack["created"] is True
    assert ack["crisis"] is False
    message = alice_frames[-1]
    assert message["seq"] == 1
    assert "See you Thursday" in message["html"]
    assert message["mine"] is False


def test_a_retry_with_the_same_key_is_acknowledged_without_a_second_message(world):
    async def run():
        sam = _socket(world.sam.user, world.sam.pk)
        await sam.connect()
        await sam.send_json_to({"type": "send", "key": "retry-key-0001", "body": "once"})
        first = (await _frames_until(sam, "ack"))[-1]
        await sam.send_json_to({"type": "send", "key": "retry-key-0001", "body": "once"})
        second = (await _frames_until(sam, "ack"))[-1]
        await sam.disconnect()
        return first, second

    first, second = run_async(run)
    assert first["created"] is True
    assert second["created"] is False
    assert first["seq"] == second["seq"]
    assert Message.objects.count() == 1


def test_a_page_that_reconnects_catches_up_on_what_it_missed(world):
    """Messages committed while Alice's socket was closed arrive when she reconnects and asks for them."""
    services.message_send(actor=world.sam.user, client_id=world.sam.pk, body="one", idempotency_key="cu-key-0001")

    async def run():
        alice = _socket(world.alice, world.sam.pk)
        await alice.connect()
        await alice.disconnect()
        await asyncio.to_thread(
            lambda: [
                services.message_send(
                    actor=world.sam.user, client_id=world.sam.pk, body=text, idempotency_key=f"cu-key-{n:04d}"
                )
                for n, text in ((2, "two"), (3, "three"))
            ]
        )
        alice = _socket(world.alice, world.sam.pk)
        await alice.connect()
        await alice.send_json_to({"type": "catch_up", "after": 1})
        frames = [await alice.receive_json_from(timeout=5) for _ in range(2)]
        await alice.disconnect()
        return frames

    frames = run_async(run)
    assert [f["seq"] for f in frames] == [2, 3]
    assert "two" in frames[0]["html"]
    assert "three" in frames[1]["html"]


@pytest.mark.parametrize("who", ["bob", "carol", "other_client"])
def test_an_outsiders_socket_is_refused_and_hears_nothing(world, who):
    user = getattr(world, who)
    user = getattr(user, "user", user)

    async def run():
        outsider = _socket(user, world.sam.pk)
        connected, code = await outsider.connect()
        return connected, code

    assert run_async(run) == (False, CLOSE_REFUSED)


def test_a_forged_thread_id_is_refused(world):
    async def run():
        socket = _socket(world.sam.user, uuid.uuid4())
        return await socket.connect()

    assert run_async(run) == (False, CLOSE_REFUSED)


def test_staff_without_their_second_factor_are_refused(world):
    async def run():
        return await _socket(world.alice, world.sam.pk, mfa=False).connect()

    assert run_async(run) == (False, CLOSE_REFUSED)


def test_anonymous_sockets_are_refused_by_the_whole_app(world):
    from alongside.asgi import application

    async def run():
        socket = WebsocketCommunicator(
            application, f"/ws/messages/{world.sam.pk}/", headers=[(b"origin", b"http://testserver")]
        )
        return await socket.connect()

    assert run_async(run) == (False, CLOSE_REFUSED)


def test_bad_frames_get_a_clear_error_and_change_nothing(world):
    async def run():
        sam = _socket(world.sam.user, world.sam.pk)
        await sam.connect()
        replies = []
        await sam.send_json_to({"type": "send", "key": "bad", "body": "x"})
        replies.append(await sam.receive_json_from(timeout=5))
        await sam.send_json_to({"type": "send", "key": "empty-key-01", "body": "   "})
        replies.append(await sam.receive_json_from(timeout=5))
        await sam.send_json_to({"type": "shout"})
        replies.append(await sam.receive_json_from(timeout=5))
        await sam.send_json_to(["not", "an", "object"])
        replies.append(await sam.receive_json_from(timeout=5))
        await sam.send_json_to({"type": "send", "key": "long-key-001", "body": "x" * 6000})
        replies.append(await sam.receive_json_from(timeout=5))
        await sam.disconnect()
        return replies

    replies = run_async(run)
    assert [r["type"] for r in replies] == ["error"] * 5
    assert "message key" in replies[0]["message"]
    assert "Write a message" in replies[1]["message"]
    assert "5,000" in replies[4]["message"]
    assert Message.objects.count() == 0


def test_a_flood_on_the_socket_is_rate_limited_with_a_clear_message(world):
    async def run():
        sam = _socket(world.sam.user, world.sam.pk)
        await sam.connect()
        acks, errors = 0, []
        for n in range(services.RATE_PER_MINUTE + 3):
            await sam.send_json_to({"type": "send", "key": f"flood-key-{n:04d}", "body": f"message {n}"})
            while True:
                frame = await sam.receive_json_from(timeout=5)
                if frame["type"] == "ack":
                    acks += 1
                    break
                if frame["type"] == "error":
                    errors.append(frame["message"])
                    break
        await sam.disconnect()
        return acks, errors

    acks, errors = run_async(run)
    assert acks == services.RATE_PER_MINUTE
    assert len(errors) == 3
    assert all("very quickly" in e for e in errors)


def test_crisis_language_on_the_socket_is_acknowledged_with_the_crisis_flag(world):
    async def run():
        sam = _socket(world.sam.user, world.sam.pk)
        await sam.connect()
        await sam.send_json_to({"type": "send", "key": "crisis-key-1", "body": "quiero morirme"})
        ack = (await _frames_until(sam, "ack"))[-1]
        await sam.disconnect()
        return ack

    assert run_async(run)["crisis"] is True


def test_read_receipts_reach_the_other_side(world):
    services.message_send(actor=world.sam.user, client_id=world.sam.pk, body="hello", idempotency_key="rr-key-0001")

    async def run():
        sam, alice = _socket(world.sam.user, world.sam.pk), _socket(world.alice, world.sam.pk)
        await sam.connect()
        await alice.connect()
        await alice.send_json_to({"type": "read", "seq": 1})
        frame = (await _frames_until(sam, "read"))[-1]
        await sam.disconnect()
        await alice.disconnect()
        return frame

    frame = run_async(run)
    assert frame == {"type": "read", "seq": 1, "by_client": False}


def test_signing_out_ends_the_live_socket_at_its_next_event(world):
    """Alice signs out in another tab: her open thread page hears nothing more and is closed."""
    alice_session = _session(world.alice)

    async def run():
        alice = _socket(world.alice, world.sam.pk, session=alice_session)
        assert (await alice.connect())[0]
        await asyncio.to_thread(alice_session.delete)
        await asyncio.to_thread(
            services.message_send,
            actor=world.sam.user,
            client_id=world.sam.pk,
            body="after sign-out",
            idempotency_key="so-key-0001",
        )
        output = await alice.receive_output(timeout=5)
        return output

    output = run_async(run)
    assert output == {"type": "websocket.close", "code": CLOSE_REFUSED}


def test_a_timed_out_staff_session_cannot_open_a_socket(world, settings):
    settings.ALONGSIDE_STAFF_IDLE_MINUTES = 15
    stale = _session(world.alice, seen_ago=16 * 60)

    async def run():
        return await _socket(world.alice, world.sam.pk, session=stale).connect()

    assert run_async(run) == (False, CLOSE_REFUSED)

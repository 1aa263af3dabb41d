"""The message socket takes idempotency keys too: a key reused with another body is refused (issue #11, 9)."""

from __future__ import annotations

import pytest

from alongside.messaging.models import Message
from tests.async_support import run_async
from tests.messaging.test_consumer import _frames_until, _socket

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_key_reused_on_the_socket_with_another_body_gets_an_error_frame_and_sends_nothing(world):
    """Sam's retry with the same key and body is acknowledged; the same key with other words gets an error."""

    async def run():
        sam = _socket(world.sam.user, world.sam.pk)
        assert (await sam.connect())[0]
        await sam.send_json_to({"type": "send", "key": "sock-key-0001", "body": "Running late"})
        first = (await _frames_until(sam, "ack"))[-1]
        await sam.send_json_to({"type": "send", "key": "sock-key-0001", "body": "Running late"})
        retry = (await _frames_until(sam, "ack"))[-1]
        await sam.send_json_to({"type": "send", "key": "sock-key-0001", "body": "Cancel my session"})
        refused = (await _frames_until(sam, "error"))[-1]
        await sam.disconnect()
        return first, retry, refused

    first, retry, refused = run_async(run)
    assert (first["created"], retry["created"], retry["seq"]) == (True, False, first["seq"])
    assert refused["key"] == "sock-key-0001"
    assert "already used for a different request" in refused["message"]
    assert [m.body for m in Message.objects.all()] == ["Running late"]

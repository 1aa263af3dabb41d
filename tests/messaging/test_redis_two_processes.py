"""Live messages across server processes: a real redis-server and two real uvicorn processes on loopback.

The people are created in the test database, which the servers share (a file copy of it on
SQLite, the database itself on PostgreSQL). Nothing is mocked: frames go over real sockets,
through the real ASGI application, the channel layer and the database. A missing redis-server
fails the test with the command that installs it; it is never skipped. A third process without
REDIS_URL stands for the single-process demo and its in-memory layer.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.async_support import run_async
from tests.messaging.support_servers import (
    Server,
    ThreadPeople,
    ThreadSocket,
    database_url_for_servers,
    processes,
    refused,
    seed_thread,
)

IDLE_SECONDS = 6.0


def send(key: str, body: str) -> dict[str, str]:
    return {"type": "send", "key": key, "body": body}


@pytest.fixture
def people(transactional_db) -> ThreadPeople:
    return seed_thread()


async def _across_processes(a: Server, b: Server, people: ThreadPeople) -> None:
    sam_on_a = await ThreadSocket.open(a, client_id=people.client_id, session=people.client.session)
    alice_on_b = await ThreadSocket.open(b, client_id=people.client_id, session=people.clinician.session)
    robin_on_b = await ThreadSocket.open(b, client_id=people.outsider_client_id, session=people.outsider.session)

    opened = time.monotonic()

    # An outsider cannot open Sam's thread on either process.
    assert await refused(b, client_id=people.client_id, session=people.outsider.session) == 403
    assert await refused(a, client_id=people.client_id, session=people.outsider.session) == 403

    # Pages stay open while idle for longer than the layer's 5 s blocking read of Redis
    # (redis-py 8's default socket timeout used to cut that read and close every idle page).
    await asyncio.sleep(max(0.0, IDLE_SECONDS - (time.monotonic() - opened)))

    # Sam writes through process A; Alice's page on process B shows it live.
    await sam_on_a.send(send("loopback-0001", "Hello from process A"))
    ack = await sam_on_a.receive_type("ack")
    assert ack["seq"] == 1
    assert ack["created"] is True
    delivered = await alice_on_b.receive_type("message")
    assert delivered["seq"] == 1
    assert "Hello from process A" in delivered["html"]
    assert delivered["mine"] is False

    # And back: Alice replies through B, Sam's page on A shows it.
    await alice_on_b.send(send("loopback-0002", "Reply from process B"))
    assert (await alice_on_b.receive_type("ack"))["seq"] == 2
    reply = await sam_on_a.receive_type("message")
    while reply["seq"] < 2:  # Sam's own first message comes back to his page first
        reply = await sam_on_a.receive_type("message")
    assert reply["seq"] == 2
    assert "Reply from process B" in reply["html"]

    # Robin's own thread page on B heard nothing of Sam's thread.
    assert await robin_on_b.nothing_within(1.0) == []

    # Alice's page goes away; what Sam sends meanwhile reaches her through catch_up on reconnect.
    await alice_on_b.close()
    for number in (3, 4):
        await sam_on_a.send(send(f"loopback-000{number}", f"While you were away {number}"))
        assert (await sam_on_a.receive_type("ack"))["seq"] == number
    alice_again = await ThreadSocket.open(b, client_id=people.client_id, session=people.clinician.session)
    await alice_again.send({"type": "catch_up", "after": 2})
    missed = [await alice_again.receive_type("message"), await alice_again.receive_type("message")]
    assert [frame["seq"] for frame in missed] == [3, 4]
    assert "While you were away 3" in missed[0]["html"]
    assert "While you were away 4" in missed[1]["html"]

    for open_socket in (sam_on_a, robin_on_b, alice_again):
        await open_socket.close()


async def _in_memory(a: Server, c: Server, people: ThreadPeople) -> None:
    """Process C has no REDIS_URL: its pages hear each other, and nothing from A and B."""
    sam_on_c = await ThreadSocket.open(c, client_id=people.client_id, session=people.client.session)
    alice_on_c = await ThreadSocket.open(c, client_id=people.client_id, session=people.clinician.session)
    alice_on_a = await ThreadSocket.open(a, client_id=people.client_id, session=people.clinician.session)

    await sam_on_c.send(send("memory-0005", "Same process"))
    assert (await sam_on_c.receive_type("ack"))["seq"] == 5
    live = await alice_on_c.receive_type("message")
    assert live["seq"] == 5
    assert "Same process" in live["html"]

    # C's layer is its own: a page on A hears nothing live of what was sent through C ...
    assert [f for f in await alice_on_a.nothing_within(1.0) if f["type"] == "message"] == []
    # ... and catches up by sequence number (the message was committed to the shared database).
    await alice_on_a.send({"type": "catch_up", "after": 4})
    caught_up = await alice_on_a.receive_type("message")
    assert caught_up["seq"] == 5
    assert "Same process" in caught_up["html"]

    for open_socket in (sam_on_c, alice_on_c, alice_on_a):
        await open_socket.close()


def test_a_message_sent_through_one_process_arrives_live_on_the_other_over_redis(people, tmp_path):
    """With REDIS_URL, two server processes share the channel layer: a page on one sees a message sent on the other.

    A third process without REDIS_URL keeps the in-memory layer of the single-process demo:
    live between its own pages only.
    """
    database_url = database_url_for_servers(tmp_path)
    with processes(tmp_path / "servers") as group:
        redis = group.start_redis()
        redis_url = f"redis://127.0.0.1:{redis.port}/0"
        group.spawn_apps(["a", "b"], database_url=database_url, redis_url=redis_url)
        group.spawn_apps(["c"], database_url=database_url)
        a, b, c = group.wait_for_apps()
        run_async(lambda: _across_processes(a, b, people))
        run_async(lambda: _in_memory(a, c, people))

"""Live messages across server processes: a real redis-server and two real uvicorn processes on loopback.

The people are created in the test database, which the servers share (a file copy of it on
SQLite, the database itself on PostgreSQL). Nothing is mocked: frames go over real sockets,
through the real ASGI application, the channel layer and the database. A missing redis-server
fails the test with the command that installs it; it is never skipped.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.messaging.support_servers import (
    Server,
    ThreadPeople,
    ThreadSocket,
    database_url_for_servers,
    processes,
    refused,
    seed_thread,
)


def send(key: str, body: str) -> dict[str, str]:
    return {"type": "send", "key": key, "body": body}


@pytest.fixture
def people(transactional_db) -> ThreadPeople:
    return seed_thread()


async def _across_processes(a: Server, b: Server, people: ThreadPeople) -> None:
    sam_on_a = await ThreadSocket.open(a, client_id=people.client_id, session=people.client.session)
    alice_on_b = await ThreadSocket.open(b, client_id=people.client_id, session=people.clinician.session)
    robin_on_b = await ThreadSocket.open(b, client_id=people.outsider_client_id, session=people.outsider.session)

    # Pages stay open while idle for longer than the layer's 5 s blocking read of Redis
    # (redis-py 8's default socket timeout used to cut it and close every idle socket).
    await asyncio.sleep(6)

    # An outsider cannot open Sam's thread on either process.
    assert await refused(b, client_id=people.client_id, session=people.outsider.session) == 403
    assert await refused(a, client_id=people.client_id, session=people.outsider.session) == 403

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


def test_a_message_sent_through_one_process_arrives_live_on_the_other_over_redis(people, tmp_path):
    """With REDIS_URL, two server processes share the channel layer: a page on one sees a message sent on the other."""
    database_url = database_url_for_servers(tmp_path)
    with processes(tmp_path / "servers") as group:
        redis = group.start_redis()
        a, b = group.start_apps(["a", "b"], database_url=database_url, redis_url=f"redis://127.0.0.1:{redis.port}/0")
        asyncio.run(_across_processes(a, b, people))


async def _in_memory(a: Server, b: Server, people: ThreadPeople) -> None:
    sam_on_a = await ThreadSocket.open(a, client_id=people.client_id, session=people.client.session)
    alice_on_a = await ThreadSocket.open(a, client_id=people.client_id, session=people.clinician.session)
    alice_on_b = await ThreadSocket.open(b, client_id=people.client_id, session=people.clinician.session)

    await sam_on_a.send(send("memory-0001", "Same process"))
    assert (await sam_on_a.receive_type("ack"))["seq"] == 1
    live = await alice_on_a.receive_type("message")
    assert live["seq"] == 1
    assert "Same process" in live["html"]

    # Each process has its own in-memory layer: the other process's page hears nothing live ...
    assert [f for f in await alice_on_b.nothing_within(1.0) if f["type"] == "message"] == []
    # ... and catches up by sequence number (the message was committed to the shared database).
    await alice_on_b.send({"type": "catch_up", "after": 0})
    caught_up = await alice_on_b.receive_type("message")
    assert caught_up["seq"] == 1
    assert "Same process" in caught_up["html"]

    for open_socket in (sam_on_a, alice_on_a, alice_on_b):
        await open_socket.close()


def test_without_redis_each_process_delivers_live_only_to_its_own_pages(people, tmp_path):
    """Without REDIS_URL the in-memory layer serves one process (the demo); other processes only catch up."""
    database_url = database_url_for_servers(tmp_path)
    with processes(tmp_path / "servers") as group:
        a, b = group.start_apps(["a", "b"], database_url=database_url)
        asyncio.run(_in_memory(a, b, people))

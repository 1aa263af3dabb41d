"""The room socket: who may join, the waiting room, admission, relaying, attendance and audit."""

from __future__ import annotations

import datetime as dt

import pytest

from alongside.audit.models import AuditEvent
from alongside.sessions.models import AppointmentStatus
from alongside.telehealth.models import TelehealthAuditAction, VideoRoom
from tests.async_support import run_async
from tests.telehealth.support import appointment, frames_until, room_socket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("who", ["robin", "bob", "carol", "admin", "anonymous"])
def test_outsiders_are_refused_at_the_signalling_layer(world, who):
    """Another client, a clinician outside the care team (same or other practice), an admin and a stranger cannot join."""
    booked = appointment(world)
    user = {
        "robin": world.other_client.user,
        "bob": world.bob,
        "carol": world.carol,
        "admin": world.admin,
        "anonymous": None,
    }[who]

    async def run():
        socket = room_socket(user, booked.pk)
        connected, _ = await socket.connect()
        await socket.disconnect()
        return connected

    assert run_async(run) is False
    assert not VideoRoom.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="telehealth.").exists()


def test_the_client_cannot_join_earlier_than_15_minutes_before_the_start(world):
    """At 20 minutes before the start the client is refused; the clinician may already open the room."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=20))

    async def run():
        sam, alice = room_socket(world.sam.user, booked.pk), room_socket(world.alice, booked.pk)
        sam_in, _ = await sam.connect()
        alice_in, _ = await alice.connect()
        await alice.disconnect()
        return sam_in, alice_in

    assert run_async(run) == (False, True)


def test_client_waits_clinician_admits_and_offers_are_relayed_and_chat_is_not_stored(world):
    """Sam waits and cannot signal; Alice sees him waiting, admits him; then SDP and chat pass between them."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=-1))

    async def run():
        alice, sam = room_socket(world.alice, booked.pk), room_socket(world.sam.user, booked.pk)
        assert (await alice.connect())[0]
        welcome = await alice.receive_json_from(timeout=5)
        assert welcome["role"] == "clinician"
        assert (await sam.connect())[0]
        sam_welcome = await sam.receive_json_from(timeout=5)
        presence = await frames_until(alice, "presence")
        await sam.send_json_to({"type": "signal", "data": {"description": {"type": "answer", "sdp": "x"}}})
        refusal = await frames_until(sam, "error")
        await alice.send_json_to({"type": "admit"})
        await frames_until(sam, "admitted")
        await sam.send_json_to({"type": "ready", "fresh": True})
        ready = await frames_until(alice, "ready")
        await alice.send_json_to({"type": "signal", "data": {"description": {"type": "offer", "sdp": "v=0"}}})
        offer = await frames_until(sam, "signal")
        await sam.send_json_to({"type": "chat", "text": "Can you hear me?"})
        chat = await frames_until(alice, "chat")
        await sam.send_json_to({"type": "connected"})
        await alice.send_json_to({"type": "connected"})
        await alice.send_json_to({"type": "end"})
        ended = await frames_until(sam, "ended")
        await alice.disconnect()
        await sam.disconnect()
        return welcome, sam_welcome, presence[-1], refusal[-1], ready[-1], offer[-1], chat[-1], ended[-1]

    welcome, sam_welcome, presence, refusal, ready, offer, chat, ended = run_async(run)
    assert welcome["admitted"] is False
    assert sam_welcome["role"] == "client"
    assert sam_welcome["admitted"] is False
    assert {k: presence[k] for k in ("type", "role", "state")} == {
        "type": "presence",
        "role": "client",
        "state": "waiting",
    }
    assert presence["pid"].startswith("client-")  # mesh frames are addressed to participant ids
    assert "Wait" in refusal["message"]
    assert ready == {"type": "ready", "from": "client", "fresh": True}
    assert offer["data"]["description"]["type"] == "offer"
    assert chat == {"type": "chat", "from": "client", "text": "Can you hear me?"}
    assert ended["type"] == "ended"

    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.ATTENDED
    actions = list(
        AuditEvent.objects.filter(action__startswith="telehealth.").order_by("seq").values_list("action", flat=True)
    )
    assert actions[:3] == [
        TelehealthAuditAction.ROOM_JOINED,
        TelehealthAuditAction.ROOM_JOINED,
        TelehealthAuditAction.ROOM_ADMITTED,
    ]
    assert TelehealthAuditAction.ROOM_CONNECTED in actions
    assert TelehealthAuditAction.ROOM_ENDED in actions
    assert actions.count(TelehealthAuditAction.ROOM_LEFT) == 2
    # No content in the audit trail: the chat text is nowhere.
    for detail in AuditEvent.objects.filter(action__startswith="telehealth.").values_list("detail", flat=True):
        assert set(detail) <= {"appointment", "role"}
        assert "hear me" not in str(detail)


def test_the_client_cannot_admit_or_end(world):
    booked = appointment(world)

    async def run():
        sam = room_socket(world.sam.user, booked.pk)
        await sam.connect()
        await sam.receive_json_from(timeout=5)
        await sam.send_json_to({"type": "admit"})
        first = await frames_until(sam, "error")
        await sam.send_json_to({"type": "end"})
        second = await frames_until(sam, "error")
        await sam.disconnect()
        return first[-1], second[-1]

    first, second = run_async(run)
    assert "Only the clinician" in first["message"]
    assert "Only the clinician" in second["message"]
    room = VideoRoom.objects.get()
    assert room.admitted_at is None
    assert room.ended_at is None


def test_joining_twice_closes_the_older_socket(world):
    """A second tab takes over: the first is told it was replaced, and Sam is still waiting."""
    booked = appointment(world)

    async def run():
        first, second = room_socket(world.sam.user, booked.pk), room_socket(world.sam.user, booked.pk)
        await first.connect()
        await first.receive_json_from(timeout=5)
        await second.connect()
        await second.receive_json_from(timeout=5)
        replaced = await frames_until(first, "replaced")
        closed = await first.receive_output(timeout=5)
        await second.disconnect()
        return replaced[-1], closed

    replaced, closed = run_async(run)
    assert replaced == {"type": "replaced"}
    assert closed["type"] == "websocket.close"


def test_attendance_is_not_marked_when_only_one_side_came(world):
    """Alice opens the room and ends it without Sam: the appointment stays scheduled."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=-5))

    async def run():
        alice = room_socket(world.alice, booked.pk)
        await alice.connect()
        await alice.receive_json_from(timeout=5)
        await alice.send_json_to({"type": "end"})
        await frames_until(alice, "ended")
        await alice.disconnect()

    run_async(run)
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.SCHEDULED

"""A group call's waiting room, admission, removal, chat, attendance, room-bound Janus tokens and the size cap.

The signalling runs through the real Channels stack (tests/telehealth/support.py); the Janus tests run
Debian's Janus on 127.0.0.1 (tests/telehealth/group_janus.py), skipped only where /usr/bin/janus is absent.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
import urllib.request

import pytest
from channels.routing import URLRouter
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client as DjangoClient
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.routing import websocket_urlpatterns
from alongside.telehealth import janus
from alongside.telehealth.group_call_models import GroupCallAuditAction, GroupPresence
from alongside.telehealth.group_models import GroupAuditAction, GroupSession
from alongside.telehealth.services import group_calls
from alongside.telehealth.services import groups as group_services
from tests import factories
from tests.async_support import run_async
from tests.notify.ws import WebsocketCommunicator
from tests.telehealth.group_janus import janus_server, use_janus
from tests.telehealth.support import frames_until, session_for

pytestmark = pytest.mark.django_db(transaction=True)

SENTINEL = "zebra-kettle-7151"  # typed into the chat; must be nowhere in the database afterwards


@pytest.fixture(scope="module")
def janus_process(tmp_path_factory):
    """One Janus for the module's tests (each test makes its own rooms)."""
    with janus_server(tmp_path_factory.mktemp("janus")) as server:
        yield server


@pytest.fixture
def kim(world):
    return factories.client(world.practice, clinicians=(world.alice,), name="Kim")


def _group(world, kim, *, starts_in=dt.timedelta(minutes=-5), duration_minutes=60, **kwargs) -> GroupSession:
    """A group of Alice's with Sam and Kim; a start in the past is made ahead and moved back."""
    group = group_services.group_create(
        actor=world.alice,
        title="Skills group",
        starts_at=timezone.now() + dt.timedelta(days=2),
        duration_minutes=duration_minutes,
        client_ids=[world.sam.pk, kim.pk],
        **kwargs,
    )
    GroupSession.objects.filter(pk=group.pk).update(starts_at=timezone.now() + starts_in)
    group.refresh_from_db()
    return group


def _socket(user, group_id) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), f"/ws/telehealth/group/{group_id}/")
    communicator.scope["user"] = user if user is not None else AnonymousUser()
    communicator.scope["session"] = session_for(user) if user is not None else SessionStore()
    return communicator


def _janus_join(room: int, pin: str, room_token: str) -> dict:
    """Join ``room`` as a publisher through Janus's HTTP API, as a browser would; return the plugin's answer."""
    client = janus.JanusClient()
    session = client._post("", {"janus": "create"})["data"]["id"]
    try:
        handle = client._post(f"/{session}", {"janus": "attach", "plugin": janus.PLUGIN})["data"]["id"]
        body = {"request": "join", "ptype": "publisher", "room": room, "pin": pin, "token": room_token}
        client._post(f"/{session}/{handle}", {"janus": "message", "body": body})
        token = urllib.parse.quote(janus.token(expires_at=timezone.now().timestamp() + 60), safe="")  # base64: + / =
        poll = f"{client.url}/{session}?maxev=1&token={token}"
        with urllib.request.urlopen(poll, timeout=10) as answer:
            event = json.loads(answer.read())
        event = event[0] if isinstance(event, list) else event
        return dict(event.get("plugindata", {}).get("data", {}))
    finally:
        client._post(f"/{session}", {"janus": "destroy"})


def _every_stored_text() -> str:
    """Every row of every table, as text (the chat sentinel must appear in none)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_a_group_holds_at_most_ten_people_with_the_clinician_and_guests(world):
    """Nine clients and a co-therapist would make eleven with Alice: refused with a clear message; ten clients are
    refused as more than nine; eight and a co-therapist are fine."""
    clients = [factories.client(world.practice, clinicians=(world.alice,)).pk for _ in range(9)]
    soon = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="at most 10 people"):
        group_services.group_create(
            actor=world.alice, title="G", starts_at=soon, client_ids=clients, guest_emails=(world.bob.email,)
        )
    with pytest.raises(ValidationError, match="between 2 and 9"):  # ten clients: the form's own limit says so
        group_services.group_create(actor=world.alice, title="G", starts_at=soon, client_ids=[*clients, world.sam.pk])
    group = group_services.group_create(
        actor=world.alice, title="G", starts_at=soon, client_ids=clients[:8], guest_emails=(world.bob.email,)
    )
    assert group.members.count() + group.guests.count() + 1 == 10
    with pytest.raises(ValidationError, match="would have 11"):
        group_services.refuse_over_capacity(clients=9, guests=1)


def test_nobody_but_the_clinician_gets_janus_keys_before_being_let_in(world, kim, settings, janus_process):
    """Sam's call page carries no token; Sam waits; only after Alice admits him does the server give him keys."""
    use_janus(settings, janus_process)
    group = _group(world, kim)
    web = DjangoClient()
    web.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    page = web.post(f"/telehealth/groups/{group.pk}/join/")
    assert page.status_code == 200
    assert b"room_token" not in page.content
    assert b"group-config" not in page.content
    assert janus_process.ws_url in page["Content-Security-Policy"]
    group_calls.group_call_enter(actor=world.sam.user, group_id=group.pk)
    with pytest.raises(PermissionDenied):
        group_services.group_join(actor=world.sam.user, group_id=group.pk)
    group.refresh_from_db()
    assert group.janus_room is None  # no room either, until someone admitted joins


def test_the_clinician_sees_who_waits_admits_and_the_chat_passes_unstored(world, kim, settings, janus_process):
    """Sam and Kim wait; Alice sees both live, lets Sam in (he gets keys), then everyone; chat reaches Alice only
    from admitted people and is written nowhere; attendance is noted once Sam and Alice are both connected."""
    use_janus(settings, janus_process)
    group = _group(world, kim)

    async def run():
        sam, kim_socket, alice = (_socket(u, group.pk) for u in (world.sam.user, kim.user, world.alice))
        assert (await sam.connect())[0]
        sam_welcome = await sam.receive_json_from(timeout=5)
        await sam.send_json_to({"type": "chat", "text": SENTINEL + " early"})
        early = await frames_until(sam, "error")
        assert (await alice.connect())[0]
        alice_frames = await frames_until(alice, "ticket")
        assert (await kim_socket.connect())[0]
        kim_waiting = await frames_until(alice, "presence")
        await alice.send_json_to({"type": "admit", "user": str(world.sam.pk)})
        sam_frames = await frames_until(sam, "ticket")
        await sam.send_json_to({"type": "chat", "text": SENTINEL})
        chat = await frames_until(alice, "chat")
        await sam.send_json_to({"type": "connected", "up": True})
        await kim_socket.send_json_to({"type": "connected", "up": True})  # not let in: ignored
        await alice.send_json_to({"type": "connected", "up": True})
        await alice.send_json_to({"type": "admit_all"})
        kim_frames = await frames_until(kim_socket, "ticket")
        for socket in (sam, kim_socket, alice):
            await socket.disconnect()
        return sam_welcome, early, alice_frames, kim_waiting, sam_frames, chat, kim_frames

    sam_welcome, early, alice_frames, kim_waiting, sam_frames, chat, kim_frames = run_async(run)
    assert sam_welcome == {"type": "welcome", "role": "client", "user": str(world.sam.pk), "admitted": False}
    assert "wait" in early[-1]["message"]
    presence = [f for f in alice_frames if f["type"] == "presence"]
    assert presence == [
        {"type": "presence", "user": str(world.sam.pk), "name": "Sam", "role": "client", "state": "waiting"}
    ]
    assert alice_frames[-1]["config"]["role"] == "clinician"
    assert kim_waiting[-1] == {
        "type": "presence",
        "user": str(kim.pk),
        "name": "Kim",
        "role": "client",
        "state": "waiting",
    }
    assert sam_frames[0]["type"] == "admitted"
    group.refresh_from_db()
    ticket = sam_frames[-1]["config"]
    assert (ticket["room"], ticket["room_token"]) == (
        group.janus_room,
        janus.room_token(group.janus_room, world.sam.pk),
    )
    assert chat[-1] == {"type": "chat", "name": "Sam", "text": SENTINEL}
    assert kim_frames[-1]["config"]["display"] == "Kim"
    assert SENTINEL not in _every_stored_text()
    attended = GroupPresence.objects.filter(group=group, attended_at__isnull=False)
    assert list(attended.values_list("user_id", flat=True)) == [world.sam.pk]  # Kim was let in after, never connected
    actions = list(AuditEvent.objects.filter(action__startswith="telehealth.group").values_list("action", flat=True))
    for action in (GroupCallAuditAction.WAITING, GroupCallAuditAction.ADMITTED, GroupCallAuditAction.ATTENDED):
        assert action in actions
    assert actions.count(GroupCallAuditAction.ADMITTED) == 2
    assert actions.count(GroupCallAuditAction.LEFT) == 3
    for detail in AuditEvent.objects.filter(action__startswith="telehealth.group").values_list("detail", flat=True):
        assert set(detail) <= {"group", "role", "user", "room", "again", "clients", "guests"}


def test_clients_cannot_admit_remove_or_end(world, kim, settings, janus_process):
    """Sam's admit, remove and end frames are refused; he stays waiting."""
    use_janus(settings, janus_process)
    group = _group(world, kim)

    async def run():
        sam = _socket(world.sam.user, group.pk)
        await sam.connect()
        await sam.receive_json_from(timeout=5)
        refusals = []
        for frame in ({"type": "admit", "user": str(world.sam.pk)}, {"type": "admit_all"}, {"type": "end"}):
            await sam.send_json_to(frame)
            refusals.append((await frames_until(sam, "error"))[-1]["message"])
        await sam.disconnect()
        return refusals

    assert all("Only the clinician" in message for message in run_async(run))
    assert not GroupPresence.objects.filter(admitted_at__isnull=False).exists()


def test_a_janus_token_opens_only_its_own_room_and_is_withdrawn_on_removal(world, kim, settings, janus_process):
    """Sam's room token for Alice's group does not open Bob's group's room even with its pin; removal withdraws it."""
    use_janus(settings, janus_process)
    ours = _group(world, kim)
    robin = world.other_client
    theirs = group_services.group_create(
        actor=world.bob,
        title="Other group",
        starts_at=timezone.now() + dt.timedelta(days=2),
        client_ids=[robin.pk, factories.client(world.practice, clinicians=(world.bob,)).pk],
    )
    GroupSession.objects.filter(pk=theirs.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    bob_ticket = group_services.group_join(actor=world.bob, group_id=theirs.pk).config
    group_services.group_join(actor=world.alice, group_id=ours.pk)
    group_calls.group_call_enter(actor=world.sam.user, group_id=ours.pk)
    group_calls.group_call_admit(actor=world.alice, group_id=ours.pk, user_ids=[str(world.sam.pk)])
    sam_ticket = group_services.group_join(actor=world.sam.user, group_id=ours.pk).config
    assert _janus_join(sam_ticket["room"], sam_ticket["pin"], sam_ticket["room_token"]).get("videoroom") == "joined"
    wrong_room = _janus_join(bob_ticket["room"], bob_ticket["pin"], sam_ticket["room_token"])
    assert wrong_room.get("error_code") == 433, wrong_room  # JANUS_VIDEOROOM_ERROR_UNAUTHORIZED
    no_token = _janus_join(sam_ticket["room"], sam_ticket["pin"], "")
    assert no_token.get("error_code") == 433, no_token
    group_calls.group_call_remove(actor=world.alice, group_id=ours.pk, user_id=str(world.sam.pk))
    removed = _janus_join(sam_ticket["room"], sam_ticket["pin"], sam_ticket["room_token"])
    assert removed.get("error_code") == 433, removed
    with pytest.raises(PermissionDenied):
        group_services.group_join(actor=world.sam.user, group_id=ours.pk)
    event = AuditEvent.objects.get(action=GroupCallAuditAction.REMOVED)
    assert event.detail == {"group": str(ours.pk), "user": str(world.sam.pk), "role": "client"}


def test_a_removed_client_is_sent_away_and_waits_again_if_he_comes_back(world, kim, settings, janus_process):
    """Alice removes Sam: his page is told and closed; reopening puts him back in the waiting room."""
    use_janus(settings, janus_process)
    group = _group(world, kim)

    async def run():
        alice, sam = _socket(world.alice, group.pk), _socket(world.sam.user, group.pk)
        await alice.connect()
        await frames_until(alice, "ticket")
        await sam.connect()
        await frames_until(sam, "welcome")
        await alice.send_json_to({"type": "admit", "user": str(world.sam.pk)})
        await frames_until(sam, "ticket")
        await alice.send_json_to({"type": "remove", "user": str(world.sam.pk)})
        removed = await frames_until(sam, "removed")
        left = await frames_until(alice, "presence")
        again = _socket(world.sam.user, group.pk)
        await again.connect()
        welcome = await frames_until(again, "welcome")
        for socket in (again, alice):
            await socket.disconnect()
        return removed[-1], left[-1], welcome[-1]

    removed, left, welcome = run_async(run)
    assert removed == {"type": "removed"}
    assert left["user"] == str(world.sam.pk)
    assert welcome["admitted"] is False


@pytest.mark.parametrize("who", ["robin", "bob", "anonymous"])
def test_outsiders_are_refused_at_the_group_socket(world, kim, settings, who):
    """Another client, a clinician outside the group and a stranger cannot open the group's socket."""
    settings.TELEHEALTH_JANUS_URL = "http://127.0.0.1:9/janus"
    group = _group(world, kim)
    user = {"robin": world.other_client.user, "bob": world.bob, "anonymous": None}[who]

    async def run():
        socket = _socket(user, group.pk)
        connected, _ = await socket.connect()
        await socket.disconnect()
        return connected

    assert run_async(run) is False
    assert not GroupPresence.objects.exists()


def test_the_group_page_shows_each_clients_attendance(world, kim, settings, staff_client):
    """Alice's group page lists Sam as attended (connected with her) and Kim as not."""
    settings.TELEHEALTH_JANUS_URL = "http://127.0.0.1:9/janus"
    group = _group(world, kim)
    GroupPresence.objects.create(group=group, user=world.sam.user, role="client", attended_at=timezone.now())
    page = staff_client(world.alice).get(f"/telehealth/groups/{group.pk}/").content.decode()
    assert '<tr data-attended="yes"><td>Sam</td>' in page
    assert '<tr data-attended="no"><td>Kim</td>' in page
    assert not AuditEvent.objects.filter(action=GroupAuditAction.ROOM_OPENED).exists()

"""Group video sessions: scheduling from one's own caseload, who gets in, and the Janus room's life.

The Janus tests run Debian's Janus on 127.0.0.1 (tests/telehealth/group_janus.py) with signed-token auth,
as an operator would; they are skipped only where /usr/bin/janus is absent.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as DjangoClient
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.telehealth import janus
from alongside.telehealth.group_models import GroupAuditAction, GroupSession
from alongside.telehealth.services import group_calls
from alongside.telehealth.services import groups as group_services
from tests import factories
from tests.telehealth.group_janus import janus_server, use_janus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def janus_process(tmp_path_factory):
    """One Janus for the module's tests (each test makes its own rooms)."""
    with janus_server(tmp_path_factory.mktemp("janus")) as server:
        yield server


@pytest.fixture
def kim(world):
    """A second client of Alice's."""
    return factories.client(world.practice, clinicians=(world.alice,), name="Kim")


def _group(world, kim, *, starts_in=dt.timedelta(minutes=10), **kwargs) -> GroupSession:
    return group_services.group_create(
        actor=world.alice,
        title="Tuesday skills group",
        starts_at=timezone.now() + starts_in,
        duration_minutes=kwargs.pop("duration_minutes", 90),
        client_ids=[world.sam.pk, kim.pk],
        **kwargs,
    )


def _web(user, staff_client=None):
    if user is None:
        return DjangoClient()
    if staff_client is not None and not user.is_client:
        return staff_client(user)
    web = DjangoClient()
    web.force_login(user, backend="alongside.accounts.backends.EmailBackend")
    return web


def test_a_clinician_schedules_a_group_of_their_own_clients_and_it_is_audited(world, kim):
    """Alice invites Sam and Kim (both on her caseload) and a co-therapist; the audit event names no one."""
    group = _group(world, kim, guest_emails=(world.bob.email,))
    assert sorted(m.client_id for m in group.members.all()) == sorted([world.sam.pk, kim.pk])
    assert [g.guest_id for g in group.guests.all()] == [world.bob.pk]
    event = AuditEvent.objects.get(action=GroupAuditAction.CREATED)
    assert event.detail["clients"] == 2
    assert event.detail["guests"] == 1
    assert "Tuesday" not in str(event.detail)


def test_a_group_needs_two_to_nine_clients_all_from_the_clinicians_caseload(world, kim):
    """One client, ten clients (ten people with the clinician is the cap, so ten clients are one too many, refused
    with the clients' own message), or a client of another clinician (Robin is Bob's) are refused."""
    soon = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="between 2 and 9"):
        group_services.group_create(actor=world.alice, title="G", starts_at=soon, client_ids=[world.sam.pk])
    many = [factories.client(world.practice, clinicians=(world.alice,)).pk for _ in range(8)]
    with pytest.raises(ValidationError, match="between 2 and 9"):
        group_services.group_create(
            actor=world.alice, title="G", starts_at=soon, client_ids=[world.sam.pk, kim.pk, *many]
        )
    with pytest.raises(ValidationError, match="care team"):
        group_services.group_create(
            actor=world.alice, title="G", starts_at=soon, client_ids=[world.sam.pk, world.other_client.pk]
        )
    with pytest.raises(PermissionDenied):
        group_services.group_create(actor=world.sam.user, title="G", starts_at=soon, client_ids=[kim.pk, kim.pk])
    assert not GroupSession.objects.exists()


def test_invited_clients_see_a_join_button_from_fifteen_minutes_before(world, kim, staff_client, settings):
    """Sam sees the group in his list; Join appears from 15 minutes before the start (Alice's from an hour)."""
    settings.TELEHEALTH_JANUS_URL = "http://127.0.0.1:9/janus"  # switched on; nothing is called here
    later = _group(world, kim, starts_in=dt.timedelta(minutes=30))
    soon = _group(world, kim, starts_in=dt.timedelta(minutes=10), duration_minutes=15)  # ends before `later`
    sam = _web(world.sam.user)
    listed = sam.get("/telehealth/groups/").content.decode()
    assert f"/telehealth/groups/{later.pk}/" in listed
    assert f"/telehealth/groups/{soon.pk}/join/" in listed  # Join right in the list once open
    assert f"/telehealth/groups/{later.pk}/join/" not in listed
    assert "Join the group session" not in sam.get(f"/telehealth/groups/{later.pk}/").content.decode()
    assert "Join the group session" in sam.get(f"/telehealth/groups/{soon.pk}/").content.decode()
    alice = _web(world.alice, staff_client)
    assert "Join the group session" in alice.get(f"/telehealth/groups/{later.pk}/").content.decode()


@pytest.mark.parametrize("who", ["robin", "bob", "carol", "admin", "anonymous"])
def test_the_uninvited_are_refused_the_group_page_and_the_join(world, kim, staff_client, settings, who):
    """Another client, a clinician outside the group, another practice, an admin and a stranger get no token."""
    settings.TELEHEALTH_JANUS_URL = "http://127.0.0.1:9/janus"
    group = _group(world, kim)
    user = {
        "robin": world.other_client.user,
        "bob": world.bob,
        "carol": world.carol,
        "admin": world.admin,
        "anonymous": None,
    }[who]
    web = _web(user, staff_client)
    page = web.get(f"/telehealth/groups/{group.pk}/")
    join = web.post(f"/telehealth/groups/{group.pk}/join/")
    expected = 302 if user is None else 404
    assert (page.status_code, join.status_code) == (expected, expected)
    assert b"group-config" not in join.content
    assert not AuditEvent.objects.filter(action=GroupAuditAction.JOINED).exists()


def test_joining_opens_a_private_janus_room_and_hands_out_a_token_and_pin(
    world, kim, staff_client, settings, janus_process
):
    """The clinician's first join creates the VideoRoom; each admitted person gets a signed token, the room, its pin."""
    use_janus(settings, janus_process)
    group = _group(world, kim)
    response = _web(world.sam.user).post(f"/telehealth/groups/{group.pk}/join/")
    assert response.status_code == 200  # the call page: device check and waiting room, no keys yet
    assert janus_process.ws_url in response["Content-Security-Policy"]
    first = group_services.group_join(actor=world.alice, group_id=group.pk).config
    group_calls.group_call_enter(actor=world.sam.user, group_id=group.pk)
    group_calls.group_call_admit(actor=world.alice, group_id=group.pk, user_ids=[str(world.sam.pk)])
    config = group_services.group_join(actor=world.sam.user, group_id=group.pk).config
    group.refresh_from_db()
    assert config["room"] == first["room"] == group.janus_room  # one room per group
    assert config["pin"] == janus.room_pin(group.janus_room)
    assert config["url"] == janus_process.ws_url
    assert config["display"] == "Sam"
    client = janus.JanusClient()
    assert client.videoroom({"request": "exists", "room": group.janus_room})["exists"] is True
    listed = client.videoroom({"request": "list"})["list"]
    assert all(room["room"] != group.janus_room for room in listed)  # private: not listed
    assert AuditEvent.objects.filter(action=GroupAuditAction.ROOM_OPENED).count() == 1
    assert AuditEvent.objects.filter(action=GroupAuditAction.JOINED).count() == 2


def test_janus_refuses_a_forged_or_expired_token(settings, janus_process):
    """Janus itself checks the token: one signed with another secret, or past its expiry, is refused."""
    use_janus(settings, janus_process)
    assert janus.JanusClient().videoroom({"request": "list"})["videoroom"] == "success"
    with pytest.raises(janus.JanusError, match="403"):
        janus.JanusClient(token_secret="not-the-secret").videoroom({"request": "list"})
    expired = janus.token(expires_at=time.time() - 5)
    forged = janus.JanusClient()
    forged._post = _with_token(forged._post, expired)  # type: ignore[method-assign]
    with pytest.raises(janus.JanusError, match="403"):
        forged.videoroom({"request": "list"})


def _with_token(post, token):
    def send(path, body):
        import json
        import urllib.request

        request = urllib.request.Request(
            janus.JanusClient().url + path,
            data=json.dumps({**body, "transaction": "t", "token": token}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as answer:
            data = json.loads(answer.read())
        if data.get("janus") == "error":
            raise janus.JanusError(str(data.get("error")))
        return data

    return send


def test_the_room_is_destroyed_after_the_session_and_when_the_clinician_ends_it(
    world, kim, staff_client, settings, janus_process
):
    """The worker's tick destroys rooms of finished groups; Alice's End destroys hers at once; both audited."""
    use_janus(settings, janus_process)
    # Two groups of Alice's that do not overlap (a clinician's groups never do), both open to join now.
    finished = _group(world, kim, starts_in=dt.timedelta(minutes=12), duration_minutes=15)
    running = _group(world, kim, starts_in=dt.timedelta(minutes=-20), duration_minutes=30)
    for group in (finished, running):
        group_services.group_join(actor=world.alice, group_id=group.pk)
        group.refresh_from_db()
    rooms = {g.pk: g.janus_room for g in (finished, running)}
    GroupSession.objects.filter(pk=finished.pk).update(starts_at=timezone.now() - dt.timedelta(hours=3))
    assert group_services.group_rooms_close_due() == 1
    client = janus.JanusClient()
    assert client.videoroom({"request": "exists", "room": rooms[finished.pk]})["exists"] is False
    assert client.videoroom({"request": "exists", "room": rooms[running.pk]})["exists"] is True
    assert _web(world.sam.user).post(f"/telehealth/groups/{running.pk}/end/").status_code == 403
    assert _web(world.alice, staff_client).post(f"/telehealth/groups/{running.pk}/end/").status_code == 302
    assert client.videoroom({"request": "exists", "room": rooms[running.pk]})["exists"] is False
    assert AuditEvent.objects.filter(action=GroupAuditAction.ROOM_CLOSED).count() == 2
    running.refresh_from_db()
    assert running.janus_room is None
    assert running.room_closed_at is not None


def test_the_scheduling_form_offers_only_the_clinicians_own_clients(world, kim, staff_client):
    """Alice's form lists Sam and Kim, not Robin (Bob's client), and says 2 to 9 clients (the clinician is one of
    the ten); posting it schedules the group. Clients get none."""
    assert _web(world.sam.user).get("/telehealth/groups/new/").status_code == 403
    alice = _web(world.alice, staff_client)
    page = alice.get("/telehealth/groups/new/").content.decode()
    assert str(world.sam.pk) in page
    assert str(kim.pk) in page
    assert str(world.other_client.pk) not in page
    assert "Clients (2 to 9)" in page  # ten people with the clinician: nine clients at most
    assert "2 to 10" not in page
    day = (timezone.localtime() + dt.timedelta(days=2)).date()
    form = {"title": "Skills group", "date": day.isoformat(), "time": "10:00", "duration_minutes": 90}
    response = alice.post("/telehealth/groups/new/", {**form, "clients": [str(world.sam.pk), str(kim.pk)]})
    group = GroupSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/telehealth/groups/{group.pk}/"
    refused = alice.post("/telehealth/groups/new/", {**form, "clients": [str(world.other_client.pk)]})
    assert refused.status_code == 200
    assert GroupSession.objects.count() == 1


def test_a_staff_guest_gets_in_and_a_cancelled_group_cannot_be_joined(world, kim, staff_client, settings):
    """Bob, invited as co-therapist, opens the group; once Alice cancels it, nobody can join it."""
    settings.TELEHEALTH_JANUS_URL = "http://127.0.0.1:9/janus"
    group = _group(world, kim, guest_emails=(world.bob.email,))
    bob = _web(world.bob, staff_client)
    assert "Join the group session" in bob.get(f"/telehealth/groups/{group.pk}/").content.decode()
    assert bob.post(f"/telehealth/groups/{group.pk}/cancel/").status_code == 403
    assert _web(world.alice, staff_client).post(f"/telehealth/groups/{group.pk}/cancel/").status_code == 302
    sam = _web(world.sam.user)
    assert "was cancelled" in sam.get(f"/telehealth/groups/{group.pk}/").content.decode()
    assert sam.post(f"/telehealth/groups/{group.pk}/join/").status_code == 409
    assert AuditEvent.objects.filter(action=GroupAuditAction.CANCELLED).count() == 1

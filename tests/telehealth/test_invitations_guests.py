"""Interpreters and co-therapists: invited by the session's clinician into one room, until it ends or is withdrawn."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.telehealth.models import CalendarAuditAction, GuestRole, Role, RoomGuest
from alongside.telehealth.selectors import room_access, video_sessions_today
from alongside.telehealth.services.guests import guest_invite, guest_revoke
from tests.async_support import run_async
from tests.telehealth.support import appointment, frames_until, room_socket


@pytest.mark.django_db
def test_an_invited_colleague_enters_as_a_guest_until_withdrawn(world):
    """Bob, invited as interpreter, gets into the room as a guest and sees the session listed; withdrawn, he gets 404."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=10))
    with pytest.raises(Http404):
        room_access(actor=world.bob, appointment_id=booked.pk)
    row = guest_invite(
        actor=world.alice, appointment_id=booked.pk, guest_email=world.bob.email, role=GuestRole.INTERPRETER
    )
    assert row.expires_at == booked.ends_at + dt.timedelta(minutes=30)
    assert room_access(actor=world.bob, appointment_id=booked.pk).role == Role.GUEST
    assert booked.pk in {a.pk for a in video_sessions_today(actor=world.bob)}
    guest_revoke(actor=world.alice, guest_id=row.pk)
    with pytest.raises(Http404):
        room_access(actor=world.bob, appointment_id=booked.pk)
    actions = list(AuditEvent.objects.filter(actor_id=world.alice.pk).values_list("action", flat=True))
    assert CalendarAuditAction.GUEST_INVITED in actions
    assert CalendarAuditAction.GUEST_REVOKED in actions


@pytest.mark.django_db
def test_an_expired_invitation_no_longer_admits(world):
    booked = appointment(world, starts_in=dt.timedelta(minutes=10))
    row = guest_invite(actor=world.alice, appointment_id=booked.pk, guest_email=world.bob.email, role="co_therapist")
    past = timezone.now() - dt.timedelta(seconds=1)
    RoomGuest.objects.filter(pk=row.pk).update(invited_at=past - dt.timedelta(hours=1), expires_at=past)
    with pytest.raises(Http404):
        room_access(actor=world.bob, appointment_id=booked.pk)


@pytest.mark.django_db
def test_only_the_sessions_clinician_invites_and_only_colleagues_of_the_practice(world):
    """Carol (another practice) cannot be invited; Bob cannot invite; Sam cannot invite; nobody is left invited."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=10))
    with pytest.raises(ValidationError, match="colleague"):
        guest_invite(actor=world.alice, appointment_id=booked.pk, guest_email=world.carol.email, role="interpreter")
    with pytest.raises(ValidationError, match="colleague"):
        guest_invite(actor=world.alice, appointment_id=booked.pk, guest_email=world.sam.user.email, role="interpreter")
    with pytest.raises(Http404):
        guest_invite(actor=world.bob, appointment_id=booked.pk, guest_email=world.admin.email, role="interpreter")
    with pytest.raises((Http404, PermissionDenied)):
        guest_invite(actor=world.sam.user, appointment_id=booked.pk, guest_email=world.bob.email, role="interpreter")
    assert not RoomGuest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_guest_joins_the_room_socket_and_the_chat_but_not_the_one_to_one_negotiation(world):
    """Bob's socket is accepted as a guest; he receives the chat but not the SDP between Alice and Sam."""
    booked = appointment(world, starts_in=dt.timedelta(minutes=-1))
    guest_invite(actor=world.alice, appointment_id=booked.pk, guest_email=world.bob.email, role="interpreter")

    async def run():
        bob, alice = room_socket(world.bob, booked.pk), room_socket(world.alice, booked.pk)
        bob_in, _ = await bob.connect()
        welcome = await bob.receive_json_from(timeout=5)
        await alice.connect()
        await frames_until(alice, "welcome")
        await alice.send_json_to({"type": "signal", "data": {"sdp": "offer"}})
        await alice.send_json_to({"type": "chat", "text": "hello everyone"})
        frames = await frames_until(bob, "chat")
        await bob.send_json_to({"type": "signal", "data": {"sdp": "x"}})
        refused = await frames_until(bob, "error")
        await bob.disconnect()
        await alice.disconnect()
        return bob_in, welcome, frames, refused

    bob_in, welcome, frames, refused = run_async(run)
    assert bob_in is True
    assert welcome["role"] == "guest"
    assert "signal" not in {f["type"] for f in frames}
    assert refused[-1]["type"] == "error"

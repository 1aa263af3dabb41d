"""Changing a group after it was scheduled: its clients, its staff guests, its title and time, and cancelling.

Only the clinician who runs it may; each person added must be free then; the group holds at most ten
people (clients, guests and the clinician); feeds and reminders follow every change; all is audited.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as DjangoClient
from django.utils import timezone
from icalendar import Calendar

from alongside.audit.models import AuditEvent
from alongside.core.actor import signed_in
from alongside.sessions.services import appointment_create
from alongside.telehealth.group_models import GroupAuditAction, GroupReminder, GroupSession
from alongside.telehealth.services import group_members as member_services
from alongside.telehealth.services import groups as group_services
from alongside.telehealth.services import reminders_send
from alongside.telehealth.services.feeds import feed_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def grouped(world):
    """Alice runs a 90-minute group for Sam and Kim in two days; Lee is another client of hers, not invited."""
    world.kim = factories.client(world.practice, clinicians=(world.alice,), name="Kim")
    world.lee = factories.client(world.practice, clinicians=(world.alice,), name="Lee")
    world.starts = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    world.group = group_services.group_create(
        actor=world.alice,
        title="Skills group",
        starts_at=world.starts,
        duration_minutes=90,
        client_ids=[world.sam.pk, world.kim.pk],
    )
    return world


def _feed_groups(user) -> list:
    _feed, token = feed_create(actor=user)
    body = DjangoClient().get(f"/telehealth/calendar/{token}.ics").content
    return [e for e in Calendar.from_ical(body).walk("VEVENT") if str(e["summary"]) == "Group session"]


def test_an_added_client_gets_the_group_in_their_feed_and_reminders_and_a_removed_one_loses_it(grouped):
    """Lee, added, has the group in his feed and is reminded; Kim, removed, has neither; both changes are audited."""
    member_services.group_member_add(actor=grouped.alice, group_id=grouped.group.pk, client_id=grouped.lee.pk)
    member_services.group_member_remove(actor=grouped.alice, group_id=grouped.group.pk, client_id=grouped.kim.pk)
    assert len(_feed_groups(grouped.lee.user)) == 1
    assert _feed_groups(grouped.kim.user) == []
    reminders_send(now=grouped.starts - dt.timedelta(minutes=50))
    reminded = set(GroupReminder.objects.filter(group=grouped.group).values_list("recipient_id", flat=True))
    assert reminded == {grouped.sam.user.pk, grouped.lee.user.pk, grouped.alice.pk}
    added = AuditEvent.objects.get(action=GroupAuditAction.MEMBER_ADDED)
    assert added.client_id == grouped.lee.pk
    assert added.detail["clients"] == 3
    assert AuditEvent.objects.get(action=GroupAuditAction.MEMBER_REMOVED).client_id == grouped.kim.pk
    # Kim's page of the group is gone like any group she was never invited to.
    web = DjangoClient()
    web.force_login(grouped.kim.user, backend="alongside.accounts.backends.EmailBackend")
    assert web.get(f"/telehealth/groups/{grouped.group.pk}/").status_code == 404


def test_only_own_clients_free_people_and_at_least_two_clients(grouped):
    """Robin (Bob's client), Ray and Bob (in a session then), one client left and an outside guest are refused."""
    group_id = grouped.group.pk
    with pytest.raises(ValidationError, match="Invite only clients whose care team you are on"):
        member_services.group_member_add(actor=grouped.alice, group_id=group_id, client_id=grouped.other_client.pk)
    shared = factories.client(grouped.practice, clinicians=(grouped.alice, grouped.bob), name="Ray")
    appointment_create(
        actor=signed_in(grouped.bob), client_id=shared.pk, starts_at=grouped.starts + dt.timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="That client has another session at that time"):
        member_services.group_member_add(actor=grouped.alice, group_id=group_id, client_id=shared.pk)
    with pytest.raises(ValidationError, match="That colleague has another session at that time"):
        member_services.group_guest_add(actor=grouped.alice, group_id=group_id, email=grouped.bob.email)
    with pytest.raises(ValidationError, match="at least 2 clients"):
        member_services.group_member_remove(actor=grouped.alice, group_id=group_id, client_id=grouped.kim.pk)
    with pytest.raises(ValidationError, match="Invite a colleague of your practice"):
        member_services.group_guest_add(actor=grouped.alice, group_id=group_id, email=grouped.carol.email)


def test_the_group_holds_at_most_ten_people_with_the_clinician_and_guests(world):
    """With 8 clients, one guest and Alice, the group is full: one more client or guest is refused, clearly."""
    clients = [factories.client(world.practice, clinicians=(world.alice,), name=f"C{n}") for n in range(9)]
    group = group_services.group_create(
        actor=world.alice,
        title="Big group",
        starts_at=timezone.now() + dt.timedelta(days=3),
        client_ids=[c.pk for c in clients[:8]],
        guest_emails=(world.bob.email,),
    )
    full = "holds at most 10 people, the clinician and any co-therapists or interpreters included"
    with pytest.raises(ValidationError, match=full):
        member_services.group_member_add(actor=world.alice, group_id=group.pk, client_id=clients[8].pk)
    other = factories.staff(world.practice, email="dee@example.test")
    with pytest.raises(ValidationError, match=full):
        member_services.group_guest_add(actor=world.alice, group_id=group.pk, email=other.email)
    member_services.group_guest_remove(actor=world.alice, group_id=group.pk, guest_id=world.bob.pk)
    member_services.group_member_add(actor=world.alice, group_id=group.pk, client_id=clients[8].pk)
    assert group.members.count() == 9
    assert AuditEvent.objects.filter(action=GroupAuditAction.GUEST_REMOVED).count() == 1


def test_a_move_checks_everyone_and_reminds_again_at_the_new_time(grouped):
    """A move onto a time a client is booked is refused; a free one moves the feed and forgets sent reminders."""
    group_id = grouped.group.pk
    later = grouped.starts + dt.timedelta(days=1)
    appointment_create(actor=signed_in(grouped.alice), client_id=grouped.sam.pk, starts_at=later)
    with pytest.raises(ValidationError, match="You already have a session at that time"):
        member_services.group_change(
            actor=grouped.alice, group_id=group_id, title="Skills group", starts_at=later, duration_minutes=90
        )
    bob_client = factories.client(grouped.practice, clinicians=(grouped.bob, grouped.alice), name="Ray")
    appointment_create(actor=signed_in(grouped.bob), client_id=bob_client.pk, starts_at=later + dt.timedelta(hours=3))
    member_services.group_member_add(actor=grouped.alice, group_id=group_id, client_id=bob_client.pk)
    with pytest.raises(ValidationError, match="One of the clients has another session at that time"):
        member_services.group_change(
            actor=grouped.alice,
            group_id=group_id,
            title="Skills group",
            starts_at=later + dt.timedelta(hours=2, minutes=30),
            duration_minutes=90,
        )
    reminders_send(now=grouped.starts - dt.timedelta(hours=23))
    assert GroupReminder.objects.filter(group_id=group_id).exists()
    moved = later + dt.timedelta(hours=6)
    member_services.group_change(
        actor=grouped.alice, group_id=group_id, title="Thursday group", starts_at=moved, duration_minutes=60
    )
    assert not GroupReminder.objects.filter(group_id=group_id).exists()
    [event] = _feed_groups(grouped.sam.user)
    assert event.decoded("dtstart") == moved
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=60)
    assert AuditEvent.objects.get(action=GroupAuditAction.CHANGED).detail["moved"] is True


def test_the_change_page_is_the_clinicians_only_and_says_why_a_change_is_refused(grouped, staff_client):
    """Alice adds Lee and Bob from the page; Bob, Sam and Carol get 404; a busy client's refusal is shown on the page."""
    url = f"/telehealth/groups/{grouped.group.pk}/change/"
    web = staff_client(grouped.alice)
    page = web.get(url).content.decode()
    assert "3 of at most 10 people" in page
    response = web.post(url, {"action": "add_client", "client": str(grouped.lee.pk)}, follow=True)
    assert "The client is invited" in response.content.decode()
    assert "4 of at most 10 people" in response.content.decode()
    web.post(url, {"action": "add_guest", "email": grouped.bob.email})
    assert grouped.group.guests.filter(guest=grouped.bob).exists()
    response = web.post(url, {"action": "remove_client", "client": str(grouped.kim.pk)}, follow=True)
    assert not grouped.group.members.filter(client=grouped.kim).exists()
    extra = factories.client(grouped.practice, clinicians=(grouped.alice,), name="Zed")
    appointment_create(
        actor=signed_in(grouped.alice), client_id=extra.pk, starts_at=grouped.starts - dt.timedelta(days=1)
    )
    GroupSession.objects.filter(pk=grouped.group.pk).update(starts_at=grouped.starts - dt.timedelta(days=1))
    refused = web.post(url, {"action": "add_client", "client": str(extra.pk)})
    assert refused.status_code == 200
    assert "That client has another session at that time" in refused.content.decode()
    for outsider in (grouped.bob, grouped.carol):
        assert staff_client(outsider).get(url).status_code == 404
    sam = DjangoClient()
    sam.force_login(grouped.sam.user, backend="alongside.accounts.backends.EmailBackend")
    assert sam.get(url).status_code == 404
    assert sam.post(url, {"action": "remove_client", "client": str(grouped.sam.pk)}).status_code == 404
    assert grouped.group.members.filter(client=grouped.sam).exists()


def test_a_client_taken_off_a_group_during_its_call_is_sent_out_of_it(grouped, settings):
    """Sam, let into the call of a group that is on, is out of it (no longer admitted) once Alice takes him off."""
    from alongside.telehealth.group_call_models import GroupPresence
    from alongside.telehealth.services import group_calls

    settings.TELEHEALTH_JANUS_URL = "http://127.0.0.1:9/janus"  # switched on; no room is open, so Janus is not asked
    soon = group_services.group_create(
        actor=grouped.alice,
        title="Now",
        starts_at=timezone.now() + dt.timedelta(minutes=5),
        client_ids=[grouped.sam.pk, grouped.kim.pk, grouped.lee.pk],
    )
    group_calls.group_call_enter(actor=grouped.sam.user, group_id=soon.pk)
    group_calls.group_call_admit(actor=grouped.alice, group_id=soon.pk, user_ids=[str(grouped.sam.user.pk)])
    member_services.group_member_remove(actor=grouped.alice, group_id=soon.pk, client_id=grouped.sam.pk)
    presence = GroupPresence.objects.get(group=soon, user=grouped.sam.user)
    assert presence.admitted_at is None
    assert presence.removed_at is not None

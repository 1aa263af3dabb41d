"""Staff guests of a group (a co-therapist, an interpreter with an account) have it wherever its clinician has it.

Bob is a staff guest of Alice's group: his week and day views list it, his private feed carries a
content-free "Group session", he gets the 24-hour and 1-hour reminders, and his own time is busy then.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as DjangoClient
from django.utils import timezone
from icalendar import Calendar

from alongside.core.actor import signed_in
from alongside.notify.models import Notification, NotificationKind, OutboundEmail
from alongside.sessions.services import appointment_create
from alongside.telehealth.availability import free_slots
from alongside.telehealth.group_models import GroupReminder
from alongside.telehealth.services import groups as group_services
from alongside.telehealth.services import reminders_send
from alongside.telehealth.services.availability import hours_set
from alongside.telehealth.services.feeds import feed_create
from tests import factories

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def guested(world):
    """Alice runs a 90-minute group for Sam and Kim on Monday in two weeks at 10:00 London; Bob is its staff guest."""
    world.practice.time_zone = "Europe/London"
    world.practice.save(update_fields=["time_zone"])
    for person in (world.alice, world.bob):
        person.time_zone = "Europe/London"
        person.save(update_fields=["time_zone"])
    hours_set(actor=world.bob, rows=[(d, dt.time(9), dt.time(17)) for d in range(5)], time_zone="Europe/London")
    world.kim = factories.client(world.practice, clinicians=(world.alice,), name="Kim")
    today = timezone.now().astimezone(LONDON).date()
    world.monday = today + dt.timedelta(days=14 - today.weekday())
    world.group = group_services.group_create(
        actor=world.alice,
        title="Tuesday skills group",
        starts_at=dt.datetime.combine(world.monday, dt.time(10), tzinfo=LONDON),
        duration_minutes=90,
        client_ids=[world.sam.pk, world.kim.pk],
        guest_emails=(world.bob.email,),
    )
    return world


def test_the_guests_week_and_day_views_list_the_group_and_its_time_is_not_free(guested, staff_client):
    """Bob's week and day show the group (marked as his guest visit, with its page); his free slots skip its time."""
    web = staff_client(guested.bob)
    for view in ("week", "day"):
        html = web.get(f"/telehealth/schedule/?view={view}&date={guested.monday.isoformat()}").content.decode()
        assert "Tuesday skills group" in html, view
        assert f"/telehealth/groups/{guested.group.pk}/" in html
        assert "You are a guest" in html
        for busy in (dt.time(9, 50), dt.time(10, 40)):  # Bob's 50-minute slots run back to back from 9:00
            moment = dt.datetime.combine(guested.monday, busy, tzinfo=LONDON).isoformat()
            assert f'name="starts_at" value="{moment}"' not in html
    start = dt.datetime.combine(guested.monday, dt.time(0), tzinfo=LONDON)
    slots = free_slots(guested.bob, start=start, end=start + dt.timedelta(days=1), minutes=50)
    assert dt.datetime.combine(guested.monday, dt.time(9), tzinfo=LONDON) in slots
    assert not [s for s in slots if guested.group.starts_at - dt.timedelta(minutes=50) < s < guested.group.ends_at]
    alice = staff_client(guested.alice).get(f"/telehealth/schedule/?view=day&date={guested.monday.isoformat()}")
    assert "You are a guest" not in alice.content.decode()  # she runs it


def test_the_guests_private_feed_carries_a_content_free_group_session(guested):
    """Bob's feed, parsed with icalendar, holds "Group session" at 10:00 London for 90 minutes with the link only."""
    _feed, token = feed_create(actor=guested.bob)
    body = DjangoClient().get(f"/telehealth/calendar/{token}.ics").content
    events = [e for e in Calendar.from_ical(body).walk("VEVENT") if str(e["summary"]) == "Group session"]
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart").astimezone(LONDON).time() == dt.time(10)
    assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=90)
    assert str(event["url"]) == f"http://testserver/telehealth/groups/{guested.group.pk}/"
    for secret in (b"Tuesday", b"Sam", b"Kim"):
        assert secret not in body
    group_services.group_cancel(actor=guested.alice, group_id=guested.group.pk)
    assert not Calendar.from_ical(DjangoClient().get(f"/telehealth/calendar/{token}.ics").content).walk("VEVENT")


def test_the_guest_gets_the_day_and_hour_reminders_once_each(world):
    """Bob, a guest, is reminded by email and in-app a day and an hour before, like Alice; no title, no names."""
    kim = factories.client(world.practice, clinicians=(world.alice,), name="Kim")
    group = group_services.group_create(
        actor=world.alice,
        title="Tuesday skills group",
        starts_at=timezone.now() + dt.timedelta(hours=30),
        client_ids=[world.sam.pk, kim.pk],
        guest_emails=(world.bob.email,),
    )
    start = group.starts_at
    assert reminders_send(now=start - dt.timedelta(hours=23, minutes=55)) == 8  # 4 people, email and in-app
    assert reminders_send(now=start - dt.timedelta(minutes=58)) == 8
    assert reminders_send(now=start - dt.timedelta(minutes=50)) == 0
    emails = [e for e in OutboundEmail.objects.filter(kind="telehealth.reminder") if e.to == world.bob.email]
    assert len(emails) == 2
    for email in emails:
        assert "group session" in email.body
        for secret in ("Tuesday", world.alice.display_name, "Sam", "Kim"):
            assert secret not in email.body
    assert GroupReminder.objects.filter(group=group, recipient=world.bob).count() == 4
    notices = Notification.objects.filter(kind=NotificationKind.SESSION, recipient=world.bob)
    assert notices.count() == 2
    assert {n.link for n in notices} == {f"/telehealth/groups/{group.pk}/"}


def test_the_guests_own_one_to_one_booking_during_the_group_is_refused(world):
    """Bob cannot book Robin, his own client, 30 minutes into the group he is a guest of; after it ends he can."""
    kim = factories.client(world.practice, clinicians=(world.alice,), name="Kim")
    starts = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    group_services.group_create(
        actor=world.alice,
        title="Skills group",
        starts_at=starts,
        duration_minutes=90,
        client_ids=[world.sam.pk, kim.pk],
        guest_emails=(world.bob.email,),
    )
    with pytest.raises(ValidationError, match="You are a guest of a group session at that time"):
        appointment_create(
            actor=signed_in(world.bob), client_id=world.other_client.pk, starts_at=starts + dt.timedelta(minutes=30)
        )
    appointment_create(
        actor=signed_in(world.bob), client_id=world.other_client.pk, starts_at=starts + dt.timedelta(minutes=90)
    )


def test_the_guests_week_costs_the_same_queries_with_groups_of_both_kinds(guested, staff_client):
    """Bob's week with a group he is a guest of and one he runs costs as many queries as an empty week."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    group_services.group_create(
        actor=guested.bob,
        title="Bob's group",
        starts_at=dt.datetime.combine(guested.monday + dt.timedelta(days=1), dt.time(14), tzinfo=LONDON),
        client_ids=[factories.client(guested.practice, clinicians=(guested.bob,), name=n).pk for n in ("Ann", "Ben")],
    )
    web = staff_client(guested.bob)
    counts = []
    for monday in (guested.monday, guested.monday + dt.timedelta(days=7)):
        web.get(f"/telehealth/schedule/?date={monday.isoformat()}")  # warm
        with CaptureQueriesContext(connection) as queries:
            html = web.get(f"/telehealth/schedule/?date={monday.isoformat()}").content.decode()
        counts.append(len(queries))
        if monday == guested.monday:
            assert "Tuesday skills group" in html
            assert "Bob&#x27;s group" in html or "Bob's group" in html
    assert counts[0] == counts[1]

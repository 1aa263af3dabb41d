"""Group sessions in the calendar: the clinician's week and day views, busy time, and everyone's private feeds."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as DjangoClient
from icalendar import Calendar

from alongside.telehealth.availability import free_slots
from alongside.telehealth.services import groups as group_services
from alongside.telehealth.services.availability import hours_set
from alongside.telehealth.services.feeds import feed_create
from tests import factories

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def grouped(world):
    """Alice works 9 to 5 in London and runs a 90-minute group for Sam and Kim next Monday-week at 10:00."""
    for person in (world.alice, world.sam.user):
        person.time_zone = "Europe/London"
        person.save(update_fields=["time_zone"])
    world.practice.time_zone = "Europe/London"
    world.practice.save(update_fields=["time_zone"])
    hours_set(actor=world.alice, rows=[(d, dt.time(9), dt.time(17)) for d in range(5)], time_zone="Europe/London")
    world.kim = factories.client(world.practice, clinicians=(world.alice,), name="Kim")
    monday = dt.date.today() + dt.timedelta(days=14 - dt.date.today().weekday())
    world.monday = monday
    world.group = group_services.group_create(
        actor=world.alice,
        title="Tuesday skills group",
        starts_at=dt.datetime.combine(monday, dt.time(10), tzinfo=LONDON),
        duration_minutes=90,
        client_ids=[world.sam.pk, world.kim.pk],
    )
    return world


def _events(body: bytes):
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_the_week_and_day_views_show_the_group_and_its_time_is_busy(grouped, staff_client):
    """The group shows (title, two clients, a link to its page) in the week and day views; its 90 minutes are not free."""
    web = staff_client(grouped.alice)
    for view in ("week", "day"):
        html = web.get(f"/telehealth/schedule/?view={view}&date={grouped.monday.isoformat()}").content.decode()
        assert "Tuesday skills group" in html
        assert f"/telehealth/groups/{grouped.group.pk}/" in html
        assert "(2 clients)" in html
        for busy in (dt.time(9, 50), dt.time(10, 40)):  # free slots run back to back from 9:00
            moment = dt.datetime.combine(grouped.monday, busy, tzinfo=LONDON).isoformat()
            assert f'name="starts_at" value="{moment}"' not in html
    start = dt.datetime.combine(grouped.monday, dt.time(0), tzinfo=LONDON)
    slots = free_slots(grouped.alice, start=start, end=start + dt.timedelta(days=1), minutes=50)
    assert dt.datetime.combine(grouped.monday, dt.time(9), tzinfo=LONDON) in slots
    assert not [s for s in slots if grouped.group.starts_at - dt.timedelta(minutes=50) < s < grouped.group.ends_at]
    other = staff_client(grouped.bob).get(f"/telehealth/schedule/?view=day&date={grouped.monday.isoformat()}")
    assert "Tuesday skills group" not in other.content.decode()


def test_a_cancelled_group_leaves_the_calendar(grouped, staff_client):
    """Cancelled, the group is gone from the week and its time is free again."""
    group_services.group_cancel(actor=grouped.alice, group_id=grouped.group.pk)
    html = staff_client(grouped.alice).get(f"/telehealth/schedule/?date={grouped.monday.isoformat()}").content.decode()
    assert "Tuesday skills group" not in html
    assert (
        f'value="{dt.datetime.combine(grouped.monday, dt.time(9, 50), tzinfo=LONDON).isoformat()}"' in html
    )  # was busy


def test_the_feeds_of_the_clinician_and_each_client_carry_a_content_free_group_session(grouped):
    """Alice's, Sam's and Kim's feeds each hold "Group session" at 10:00 London with the group's link, and no title."""
    for user in (grouped.alice, grouped.sam.user, grouped.kim.user):
        _feed, token = feed_create(actor=user)
        body = DjangoClient().get(f"/telehealth/calendar/{token}.ics").content
        events = [e for e in _events(body) if str(e["summary"]) == "Group session"]
        assert len(events) == 1, user
        event = events[0]
        assert event.decoded("dtstart").astimezone(LONDON).time() == dt.time(10)
        assert event.decoded("dtend") - event.decoded("dtstart") == dt.timedelta(minutes=90)
        assert str(event["url"]) == f"http://testserver/telehealth/groups/{grouped.group.pk}/"
        assert b"Tuesday" not in body
        assert b"Kim" not in body or user == grouped.kim.user  # nobody else's name in a feed


def test_a_client_not_invited_and_a_cancelled_group_stay_out_of_feeds(grouped):
    """Another client's feed has no group; after cancelling, Sam's feed has none either."""
    outsider = factories.client(grouped.practice, clinicians=(grouped.alice,), name="Lee")
    _feed, token = feed_create(actor=outsider.user)
    assert not _events(DjangoClient().get(f"/telehealth/calendar/{token}.ics").content)
    group_services.group_cancel(actor=grouped.alice, group_id=grouped.group.pk)
    _feed, token = feed_create(actor=grouped.sam.user)
    assert not _events(DjangoClient().get(f"/telehealth/calendar/{token}.ics").content)


def test_without_janus_the_clinician_is_told_what_group_calls_need(grouped, staff_client, settings):
    """With no Janus configured, the clinician's group page says so and points to the operators' section."""
    settings.TELEHEALTH_JANUS_URL = ""
    html = staff_client(grouped.alice).get(f"/telehealth/groups/{grouped.group.pk}/").content.decode()
    assert "none is configured on this site" in html
    assert "docs/operators/telehealth.md" in html
    web = DjangoClient()
    web.force_login(grouped.sam.user, backend="alongside.accounts.backends.EmailBackend")
    page = web.get(f"/telehealth/groups/{grouped.group.pk}/").content.decode()
    assert "not switched on here" in page
    assert "docs/operators" not in page


def test_the_client_home_offers_the_group_only_while_its_room_is_open(grouped):
    """Ten minutes before a group's start Sam's home page links to it; the group two weeks away is not offered."""
    from django.utils import timezone

    web = DjangoClient()
    web.force_login(grouped.sam.user, backend="alongside.accounts.backends.EmailBackend")
    assert f'href="/telehealth/groups/{grouped.group.pk}/"' not in web.get("/").content.decode()
    soon = group_services.group_create(
        actor=grouped.alice,
        title="Thursday group",
        starts_at=timezone.now() + dt.timedelta(minutes=10),
        client_ids=[grouped.sam.pk, grouped.kim.pk],
    )
    page = web.get("/").content.decode()
    assert f'href="/telehealth/groups/{soon.pk}/"' in page
    assert "Open the group session" in page
    assert "Thursday" not in page

"""Private calendar feeds: parsed back with icalendar, initials for clinicians, join links for clients, revocable."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as DjangoClient
from icalendar import Calendar

from alongside.audit.models import AuditEvent
from alongside.telehealth.models import TelehealthAuditAction
from alongside.telehealth.services.feeds import feed_create, feed_revoke
from alongside.telehealth.services.series import series_create

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def booked(world):
    world.practice.time_zone = "Europe/London"
    world.practice.save(update_fields=["time_zone"])
    first = dt.datetime.combine(dt.date.today() + dt.timedelta(days=2), dt.time(10), LONDON)
    series_create(actor=world.alice, client_id=world.sam.pk, first_starts_at=first, count=30)
    return world


def _events(body: bytes):
    calendar = Calendar.from_ical(body)
    return calendar, [c for c in calendar.walk("VEVENT")]


def test_the_client_feed_reads_session_with_the_clinician_and_keeps_10_00_across_dst(booked):
    """Thirty weekly 10:00 sessions come back at 10:00 London time on both sides of a clock change."""
    _feed, token = feed_create(actor=booked.sam.user)
    response = DjangoClient().get(f"/telehealth/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, events = _events(response.content)
    assert len(events) == 30
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Europe/London"}
    starts = [event.decoded("dtstart") for event in events]
    assert {s.astimezone(LONDON).hour for s in starts} == {10}
    assert len({s.utcoffset() for s in starts}) == 2  # GMT and BST both present
    first = events[0]
    assert str(first["summary"]) == f"Session with {booked.alice.display_name}"
    assert "/telehealth/" in str(first["url"])
    assert str(first["url"]).startswith("http://testserver/telehealth/")


def test_the_clinician_feed_shows_initials_only_and_its_reads_are_audited(booked):
    booked.sam.preferred_name = "Samuel Okafor"
    booked.sam.save()
    _feed, token = feed_create(actor=booked.alice)
    body = DjangoClient().get(f"/telehealth/calendar/{token}.ics").content
    _calendar, events = _events(body)
    assert {str(e["summary"]) for e in events} == {"Session with S. O."}
    assert b"Samuel" not in body
    assert b"Okafor" not in body
    assert AuditEvent.objects.filter(action=TelehealthAuditAction.FEED_READ).count() == 1


def test_a_revoked_or_replaced_link_stops_working(booked):
    _feed, old = feed_create(actor=booked.sam.user)
    _feed, new = feed_create(actor=booked.sam.user)
    web = DjangoClient()
    assert web.get(f"/telehealth/calendar/{old}.ics").status_code == 404
    assert web.get(f"/telehealth/calendar/{new}.ics").status_code == 200
    assert feed_revoke(actor=booked.sam.user) == 1
    assert web.get(f"/telehealth/calendar/{new}.ics").status_code == 404
    assert web.get("/telehealth/calendar/forged-token.ics").status_code == 404


def test_the_calendar_page_shows_the_link_once(world):
    web = DjangoClient()
    web.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
    page = web.post("/telehealth/calendar/", {"action": "create"}).content.decode()
    assert "/telehealth/calendar/" in page
    assert ".ics" in page
    again = web.get("/telehealth/calendar/").content.decode()
    assert ".ics" not in again
    assert "Revoke the link" in again

"""The client's access log told in plain words: grouped by person, area and local day, listings apart."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from alongside.audit.log import record
from alongside.audit.models import AuditAction
from alongside.selfcare.models import SelfcareAuditAction

pytestmark = pytest.mark.django_db

NOON_UTC = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def _checkins_viewed(world, user, at: dt.datetime) -> None:
    # The same event the clinician's check-ins page writes.
    with time_machine.travel(at, tick=False):
        record(
            SelfcareAuditAction.SELFCARE_VIEWED,
            actor=user,
            client_id=world.sam.pk,
            detail={"what": "checkins", "count": 3},
        )


def _page(client, world) -> str:
    client.force_login(world.sam.user)
    with time_machine.travel(NOON_UTC + dt.timedelta(hours=2), tick=False):
        return client.get(reverse("consent:access_log")).content.decode()


def test_three_views_of_checkins_today_read_as_one_sentence(world, client) -> None:
    """Three views of Sam's check-ins by his clinician today read "viewed your check-ins, 3 times today"."""
    for minutes in (0, 10, 20):
        _checkins_viewed(world, world.alice, NOON_UTC + dt.timedelta(minutes=minutes))
    body = _page(client, world)
    assert f"Your clinician {world.alice.name} viewed your check-ins, 3 times today" in body
    assert body.count("viewed your check-ins") == 1


def test_names_are_resolved_when_shown(world, client) -> None:
    """A clinician renamed after looking is shown by today's name: the audit row keeps only her id."""
    _checkins_viewed(world, world.alice, NOON_UTC)
    world.alice.name = "Dr Okonkwo"
    world.alice.save(update_fields=["name"])
    body = _page(client, world)
    assert "Your clinician Dr Okonkwo viewed your check-ins, once today" in body


def test_days_follow_the_readers_zone(world, client) -> None:
    """Views at 23:30 and 00:30 in Sam's zone (Asia/Kolkata) fall on two of his days, not one UTC day."""
    world.sam.time_zone = "Asia/Kolkata"
    world.sam.save(update_fields=["time_zone"])
    # 18:00 UTC is 23:30 in Kolkata on 3 Dec; 19:00 UTC is 00:30 on 4 Dec.
    _checkins_viewed(world, world.alice, dt.datetime(2026, 12, 3, 18, 0, tzinfo=dt.UTC))
    _checkins_viewed(world, world.alice, dt.datetime(2026, 12, 3, 19, 0, tzinfo=dt.UTC))
    body = _page(client, world)
    assert "viewed your check-ins, once today" in body
    assert "viewed your check-ins, once yesterday" in body


def test_listings_are_apart_and_collapsed(world, client) -> None:
    """Appearing in the admin's client list is told in a collapsed section, not among those who opened the record."""
    with time_machine.travel(NOON_UTC, tick=False):
        for _ in range(4):
            record(AuditAction.CLIENT_LISTED, actor=world.admin, obj=world.sam, client_id=world.sam.pk)
        record(AuditAction.CLIENT_VIEWED, actor=world.alice, obj=world.sam, client_id=world.sam.pk)
    body = _page(client, world)
    opened, listed = body.split("<details>")
    assert f"Your clinician {world.alice.name} viewed your record, once today" in opened
    assert "appeared" not in opened.split("<h2>", 1)[1]
    assert "Your name appeared in your practice&#x27;s client list, shown to" in listed
    assert f"{world.admin.name}, an administrator of your practice, 4 times today" in listed


def test_other_clients_see_nothing_of_sam(world, client) -> None:
    """Robin's page does not count Alice's look at Sam's check-ins."""
    _checkins_viewed(world, world.alice, NOON_UTC)
    client.force_login(world.other_client.user)
    with time_machine.travel(NOON_UTC + dt.timedelta(hours=2), tick=False):
        body = client.get(reverse("consent:access_log")).content.decode()
    assert "viewed your check-ins" not in body
    assert "No member of staff opened your record in these days." in body


def test_every_event_stays_one_click_away(world, client) -> None:
    """The row-by-row log is still there, under ?every=1."""
    _checkins_viewed(world, world.alice, NOON_UTC)
    client.force_login(world.sam.user)
    body = client.get(reverse("consent:access_log") + "?every=1").content.decode()
    assert "Viewed self-care records" in body


def test_spanish_reader_reads_spanish(world, client) -> None:
    """A Spanish-speaking client reads the same summary in Spanish, counts and day included."""
    user = world.sam.user
    user.locale = "es"
    user.save(update_fields=["locale"])
    for minutes in (0, 10):
        _checkins_viewed(world, world.alice, NOON_UTC + dt.timedelta(minutes=minutes))
    body = _page(client, world)
    assert f"Tu profesional {world.alice.name} vio tus registros de ánimo, 2 veces hoy" in body

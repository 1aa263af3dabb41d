"""Mood check-ins: validation, idempotency, local dates, streak and who may read them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from alongside.audit.models import AuditEvent
from alongside.consent.services import scopes_set
from alongside.selfcare import selectors, services
from alongside.selfcare.models import CheckIn, SelfcareAuditAction

pytestmark = pytest.mark.django_db


def _create(world, key="key-0001", **fields):
    fields.setdefault("mood", 6)
    return services.checkin_create(actor=world.sam.user, client=world.sam, idempotency_key=key, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"mood": 11},
        {"mood": -1},
        {"mood": "7"},
        {"mood": 5, "colour": "blue"},
        {"mood": 5, "sleep_quality": 12},
        {"mood": 5, "sleep_hours": 25},
        {"mood": 5, "emotions": [{"name": "joy", "intensity": 3}]},
        {"mood": 5, "emotions": [{"name": "sad", "intensity": 30}]},
        {"mood": 5, "activities": ["skydiving"]},
        {},
    ],
)
def test_validation_errors_change_nothing(world, fields):
    """An unknown field, a value out of range or of the wrong type is refused with a message; nothing is written."""
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.checkin_create(actor=world.sam.user, client=world.sam, idempotency_key="key-0001", **fields)
    assert error.value.messages
    assert CheckIn.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_error_message_names_the_field(world):
    """The message says which field is wrong."""
    with pytest.raises(ValidationError) as error:
        _create(world, mood=5, colour="blue")
    assert "colour" in " ".join(error.value.messages)


def test_full_checkin_is_stored_and_audited(world):
    """Every optional part is kept, the note encrypted; the audit event holds no client data."""
    checkin = _create(
        world,
        mood=7,
        emotions=[{"name": "calm", "intensity": 6}],
        sleep_quality=8,
        sleep_hours="7.5",
        activities=["outdoors", "friends"],
        note="Walked by the river",
    )
    checkin.refresh_from_db()
    assert checkin.mood == 7
    assert checkin.sleep_quality == 8
    assert str(checkin.sleep_hours) == "7.5"
    assert checkin.emotions == [{"name": "calm", "intensity": 6}]
    assert checkin.activities == ["outdoors", "friends"]
    assert checkin.note == "Walked by the river"
    event = AuditEvent.objects.get(action=SelfcareAuditAction.CHECKIN_CREATED)
    assert "river" not in str(event.detail)


def test_idempotent_create(world):
    """The same key returns the same check-in and writes nothing more."""
    first = _create(world, key="retry-abc-1", mood=4)
    events = AuditEvent.objects.count()
    again = _create(world, key="retry-abc-1", mood=4)
    assert again.pk == first.pk
    assert CheckIn.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_bad_idempotency_key_refused(world):
    """A missing or malformed key is refused."""
    with pytest.raises(ValidationError):
        _create(world, key="")
    assert CheckIn.objects.count() == 0


def test_local_date_follows_client_time_zone(world):
    """The day of a check-in is the client's day, not the server's."""
    at = dt.datetime(2025, 3, 10, 23, 30, tzinfo=dt.UTC)
    world.sam.time_zone = "Pacific/Auckland"  # UTC+13 in March
    world.sam.save()
    east = _create(world, key="east-0001", at=at)
    world.sam.time_zone = "America/Los_Angeles"
    world.sam.save()
    west = _create(world, key="west-0001", at=at)
    assert east.local_date == dt.date(2025, 3, 11)
    assert west.local_date == dt.date(2025, 3, 10)


def test_staff_cannot_check_in_for_a_client(world):
    """A check-in is the client's own: the clinician cannot write one."""
    with pytest.raises(ValidationError):
        services.checkin_create(actor=world.alice, client=world.sam, idempotency_key="key-0001", mood=5)
    with pytest.raises(Http404):
        services.checkin_create(actor=world.bob, client=world.sam, idempotency_key="key-0001", mood=5)


def test_streak_counts_days_in_the_last_week_without_resetting(world):
    """The streak counts days with a check-in in the last seven; a missed day does not reset it."""
    now = dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC)
    for i, days_ago in enumerate([0, 0, 1, 3, 6, 7, 20]):
        _create(world, key=f"streak-{i:04d}", at=now - dt.timedelta(days=days_ago))
    assert selectors.checkin_streak(client=world.sam, now=now) == 4


def test_revoked_mood_scope_hides_checkins_at_once(world):
    """A revoked MOOD scope hides check-ins from the therapist immediately; granting again shows them."""
    _create(world)
    assert len(selectors.checkins_for(user=world.alice, client_id=world.sam.pk)) == 1
    scopes_set(client=world.sam, scopes={"mood": False}, actor=world.sam.user)
    with pytest.raises(Http404):
        selectors.checkins_for(user=world.alice, client_id=world.sam.pk)
    assert len(selectors.checkins_own(user=world.sam.user)) == 1


def test_notes_need_journal_scope(world):
    """The note is journal text: the therapist reads it only while JOURNAL is shared."""
    _create(world, note="private words")
    assert selectors.checkins_for(user=world.alice, client_id=world.sam.pk)[0].note is None
    scopes_set(client=world.sam, scopes={"journal": True}, actor=world.sam.user)
    assert selectors.checkins_for(user=world.alice, client_id=world.sam.pk)[0].note == "private words"
    assert selectors.checkins_own(user=world.sam.user)[0].note == "private words"


def test_outsiders_get_404(world):
    """Bob (same practice, off the team), Carol (other practice) and another client see nothing."""
    _create(world)
    for outsider in (world.bob, world.carol, world.other_client.user):
        with pytest.raises(Http404):
            selectors.checkins_for(user=outsider, client_id=world.sam.pk)


def test_staff_reads_are_audited(world):
    """The therapist's read is written to the audit chain, with no client data."""
    _create(world, note="private words")
    selectors.checkins_for(user=world.alice, client_id=world.sam.pk)
    event = AuditEvent.objects.get(action=SelfcareAuditAction.SELFCARE_VIEWED)
    assert event.actor_id == world.alice.pk
    assert str(event.client_id) == str(world.sam.pk)


def test_calendar_is_a_month_of_weeks(world):
    """The calendar lays out whole weeks, Monday first, with each day's mood."""
    _create(world, at=dt.datetime(2025, 6, 10, 12, tzinfo=dt.UTC), mood=3)
    month = selectors.checkin_calendar(selectors.checkins_own(user=world.sam.user), year=2025, month=6)
    days = [d for week in month.weeks for d in week]
    assert all(len(week) == 7 for week in month.weeks)
    assert days[0].day.weekday() == 0
    assert next(d for d in days if d.day == dt.date(2025, 6, 10)).mood == 3

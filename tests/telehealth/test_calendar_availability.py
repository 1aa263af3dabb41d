"""A clinician's availability: weekly hours in their zone, day exceptions, blocked time, and the free slots left."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from alongside.audit.models import AuditEvent
from alongside.telehealth.availability import free_slots, working_spans
from alongside.telehealth.models import BlockedTime, CalendarAuditAction
from alongside.telehealth.services.availability import (
    block_add,
    block_remove,
    day_exception_clear,
    day_exception_set,
    hours_set,
)
from tests.telehealth.support import appointment

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NINE_TO_FIVE = [(d, dt.time(9), dt.time(17)) for d in range(5)]


def _monday(weeks_ahead: int = 2) -> dt.date:
    today = dt.date.today()
    return today + dt.timedelta(days=7 * weeks_ahead - today.weekday())


def _day(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(day, dt.time(0), tzinfo=LONDON),
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=LONDON),
    )


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def test_weekly_hours_give_back_to_back_slots_and_weekends_stay_empty(world):
    """Nine to five, Monday to Friday, in London time: nine 50-minute slots a weekday, none at the weekend."""
    hours_set(actor=world.alice, rows=NINE_TO_FIVE, time_zone="Europe/London")
    monday = _monday()
    slots = free_slots(world.alice, start=_day(monday)[0], end=_day(monday)[1], minutes=50)
    assert [s.astimezone(LONDON).strftime("%H:%M") for s in slots][:3] == ["09:00", "09:50", "10:40"]
    assert len(slots) == 9  # 480 minutes hold nine 50-minute sessions
    saturday = monday + dt.timedelta(days=5)
    assert free_slots(world.alice, start=_day(saturday)[0], end=_day(saturday)[1], minutes=50) == []


def test_hours_stay_at_nine_local_across_the_daylight_saving_change(world):
    """A week crossing the October change: Monday before and Monday after both open at 09:00 London time."""
    hours_set(actor=world.alice, rows=NINE_TO_FIVE, time_zone="Europe/London")
    change = _last_sunday(dt.date.today().year + 1, 10)
    before, after = change - dt.timedelta(days=6), change + dt.timedelta(days=1)
    start = dt.datetime.combine(before, dt.time(0), tzinfo=LONDON)
    spans = working_spans(world.alice, start, start + dt.timedelta(days=8))
    firsts = {s.astimezone(LONDON).date(): s for s, _e in spans}
    assert firsts[before].astimezone(LONDON).hour == 9
    assert firsts[after].astimezone(LONDON).hour == 9
    assert firsts[before].utcoffset() != firsts[after].utcoffset()  # BST then GMT: the UTC hour moved
    assert firsts[before].astimezone(dt.UTC).hour == 8
    assert firsts[after].astimezone(dt.UTC).hour == 9


def test_sessions_blocks_and_exceptions_take_time_away(world):
    """A booked session and a blocked hour are not free; a day off has nothing; clearing it restores the week."""
    hours_set(actor=world.alice, rows=NINE_TO_FIVE, time_zone="Europe/London")
    monday = _monday()
    start, end = _day(monday)
    session = appointment(world, starts_in=dt.timedelta(days=1))
    session.starts_at = dt.datetime.combine(monday, dt.time(9), tzinfo=LONDON)
    session.save()
    block_add(
        actor=world.alice,
        starts_at=dt.datetime.combine(monday, dt.time(12), tzinfo=LONDON),
        ends_at=dt.datetime.combine(monday, dt.time(13), tzinfo=LONDON),
    )
    hours = [s.astimezone(LONDON).strftime("%H:%M") for s in free_slots(world.alice, start=start, end=end, minutes=50)]
    assert "09:00" not in hours
    assert hours[0] == "09:50"
    assert all(not ("12:00" <= h < "13:00") for h in hours)
    day_exception_set(actor=world.alice, date=monday)
    assert free_slots(world.alice, start=start, end=end, minutes=50) == []
    day_exception_set(actor=world.alice, date=monday, start=dt.time(14), end=dt.time(16))
    later = free_slots(world.alice, start=start, end=end, minutes=60)
    assert [s.astimezone(LONDON).hour for s in later] == [14, 15]
    day_exception_clear(actor=world.alice, date=monday)
    assert len(free_slots(world.alice, start=start, end=end, minutes=50)) > 2


def test_bad_hours_and_blocks_over_sessions_are_refused(world):
    """Overlapping stretches, an end before the start, and a block over a booked session are refused."""
    with pytest.raises(ValidationError, match="overlap"):
        hours_set(actor=world.alice, rows=[(0, dt.time(9), dt.time(12)), (0, dt.time(11), dt.time(14))])
    with pytest.raises(ValidationError, match="end after"):
        hours_set(actor=world.alice, rows=[(0, dt.time(12), dt.time(9))])
    session = appointment(world, starts_in=dt.timedelta(days=2))
    with pytest.raises(ValidationError, match="session is booked"):
        block_add(actor=world.alice, starts_at=session.starts_at, ends_at=session.ends_at)
    with pytest.raises(PermissionDenied):
        hours_set(actor=world.sam.user, rows=NINE_TO_FIVE)


def test_only_the_owner_removes_a_block_and_both_changes_are_audited(world):
    """Bob cannot free Alice's blocked time (404); Alice can, and the audit chain holds both events."""
    start = dt.datetime.combine(_monday(), dt.time(10), tzinfo=LONDON)
    block = block_add(actor=world.alice, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    with pytest.raises(Http404):
        block_remove(actor=world.bob, block_id=block.pk)
    block_remove(actor=world.alice, block_id=block.pk)
    assert not BlockedTime.objects.exists()
    actions = set(AuditEvent.objects.filter(actor_id=world.alice.pk).values_list("action", flat=True))
    assert {CalendarAuditAction.BLOCK_ADDED, CalendarAuditAction.BLOCK_REMOVED} <= actions

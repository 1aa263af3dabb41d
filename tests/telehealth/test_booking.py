"""Clients booking their own sessions: only when the practice allows it, only free slots, notice and cancellation windows."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.http import Http404
from django.utils import timezone

from alongside.audit.models import AuditEvent
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth.availability import free_slots
from alongside.telehealth.models import CalendarAuditAction
from alongside.telehealth.services.availability import booking_policy_set, hours_set
from alongside.telehealth.services.booking import booking_cancel, booking_create
from tests import factories

LONDON = ZoneInfo("Europe/London")
EVERY_DAY = [(d, dt.time(9), dt.time(17)) for d in range(7)]


def _open(world, **rules):
    hours_set(actor=world.alice, rows=EVERY_DAY, time_zone="Europe/London")
    values = {"notice_hours": 24, "cancel_hours": 24, "horizon_days": 28, "duration_minutes": 50} | rules
    booking_policy_set(actor=world.admin, allow_self_booking=True, **values)


def _slot(world, days: int = 3) -> dt.datetime:
    day = timezone.now().astimezone(LONDON).date() + dt.timedelta(days=days)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)
    return free_slots(world.alice, start=start, end=start + dt.timedelta(days=1), minutes=50)[0]


@pytest.mark.django_db
def test_a_client_books_a_free_slot_and_it_is_audited(world):
    """Sam books a slot of Alice's: a scheduled session, no longer offered, audited as booked by the client."""
    _open(world)
    slot = _slot(world)
    booked = booking_create(actor=world.sam.user, clinician_id=world.alice.pk, starts_at=slot)
    assert (booked.client, booked.clinician, booked.status) == (world.sam, world.alice, AppointmentStatus.SCHEDULED)
    start = slot - dt.timedelta(hours=1)
    assert slot not in free_slots(world.alice, start=start, end=start + dt.timedelta(hours=4), minutes=50)
    events = AuditEvent.objects.filter(actor_id=world.sam.user.pk).values_list("action", flat=True)
    assert CalendarAuditAction.SELF_BOOKED in set(events)


@pytest.mark.django_db
def test_booking_is_refused_when_off_outside_the_rules_or_outside_the_care_team(world):
    """Off by default; inside the notice period, past the horizon, off the free slots, or with Bob: refused."""
    hours_set(actor=world.alice, rows=EVERY_DAY, time_zone="Europe/London")
    slot = _slot(world)
    with pytest.raises(PermissionDenied, match="books sessions for you"):
        booking_create(actor=world.sam.user, clinician_id=world.alice.pk, starts_at=slot)
    _open(world)
    with pytest.raises(ValidationError, match="at least 24 hours"):
        booking_create(actor=world.sam.user, clinician_id=world.alice.pk, starts_at=_slot(world, days=0))
    with pytest.raises(ValidationError, match="too far ahead"):
        booking_create(actor=world.sam.user, clinician_id=world.alice.pk, starts_at=_slot(world, days=40))
    with pytest.raises(ValidationError, match="not free"):
        booking_create(actor=world.sam.user, clinician_id=world.alice.pk, starts_at=slot + dt.timedelta(minutes=7))
    with pytest.raises(PermissionDenied, match="care team"):
        booking_create(actor=world.sam.user, clinician_id=world.bob.pk, starts_at=slot)
    with pytest.raises(PermissionDenied):
        booking_create(actor=world.alice, clinician_id=world.alice.pk, starts_at=slot)
    with pytest.raises(PermissionDenied, match="admin"):
        booking_policy_set(
            actor=world.alice,
            allow_self_booking=True,
            notice_hours=0,
            cancel_hours=0,
            horizon_days=5,
            duration_minutes=50,
        )
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_a_client_cancels_only_their_own_and_only_before_the_window(world):
    """Sam cancels his booking 3 days ahead; within the 24-hour window he is sent to his clinician; Robin gets 404."""
    _open(world)
    booked = booking_create(actor=world.sam.user, clinician_id=world.alice.pk, starts_at=_slot(world))
    with pytest.raises(Http404):
        booking_cancel(actor=world.other_client.user, appointment_id=booked.pk)
    assert booking_cancel(actor=world.sam.user, appointment_id=booked.pk).status == AppointmentStatus.CANCELLED
    soon = booking_create(actor=world.sam.user, clinician_id=world.alice.pk, starts_at=_slot(world, days=2))
    Appointment.objects.filter(pk=soon.pk).update(starts_at=timezone.now() + dt.timedelta(hours=5))
    with pytest.raises(ValidationError, match="too late"):
        booking_cancel(actor=world.sam.user, appointment_id=soon.pk)


@pytest.mark.django_db
def test_a_slot_booked_by_one_client_is_refused_to_the_next(world):
    """Once Sam has the slot, a second client of Alice's choosing it is told to choose another time."""
    _open(world)
    rival = factories.client(world.practice, clinicians=(world.alice,), name="Kit")
    slot = _slot(world)
    booking_create(actor=world.sam.user, clinician_id=world.alice.pk, starts_at=slot)
    with pytest.raises(ValidationError, match="not free"):
        booking_create(actor=rival.user, clinician_id=world.alice.pk, starts_at=slot)


def _book(user, clinician_id, slot, start: threading.Barrier, outcomes: list[str]) -> None:
    try:
        start.wait(timeout=10)
        booking_create(actor=user, clinician_id=clinician_id, starts_at=slot)
        outcomes.append("booked")
    except ValidationError as error:
        outcomes.append("taken" if "taken" in str(error) or "not free" in str(error) else repr(error))
    except Exception as error:  # anything else is the bug this test looks for
        outcomes.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database that takes concurrent writers")
def test_two_clients_racing_for_one_slot_one_wins(world):
    """Two clients book the same slot at the same moment, eight times: each time one session, the other told."""
    _open(world)
    rival = factories.client(world.practice, clinicians=(world.alice,), name="Kit")
    day = timezone.now().astimezone(LONDON).date() + dt.timedelta(days=3)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=LONDON)
    for slot in free_slots(world.alice, start=start, end=start + dt.timedelta(days=1), minutes=50)[:8]:
        barrier, outcomes = threading.Barrier(2), []
        people = (world.sam.user, rival.user)
        threads = [threading.Thread(target=_book, args=(u, world.alice.pk, slot, barrier, outcomes)) for u in people]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["booked", "taken"], outcomes
        assert Appointment.objects.filter(starts_at=slot, status=AppointmentStatus.SCHEDULED).count() == 1


@pytest.mark.django_db
def test_another_clients_session_is_not_found_even_with_self_booking_off(world):
    """Robin trying to cancel Sam's session learns nothing (404), whatever the practice's rules (found by the walk)."""
    booked = Appointment.objects.create(
        client=world.sam, clinician=world.alice, starts_at=timezone.now() + dt.timedelta(days=3)
    )
    with pytest.raises(Http404):
        booking_cancel(actor=world.other_client.user, appointment_id=booked.pk)

"""Appointments: constraints, who may write them, and the "before each session" questionnaire requests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from alongside.audit.models import AuditEvent
from alongside.care.models import CareTeamMember
from alongside.measures import services as measure_services
from alongside.measures.models import MeasureRequest, RequestStatus, ScheduleRule
from alongside.sessions import selectors, services
from alongside.sessions.models import Appointment, AppointmentStatus, SessionsAuditAction
from tests import factories

pytestmark = pytest.mark.django_db
AUCKLAND = ZoneInfo("Pacific/Auckland")
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)  # a Monday


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _before_session(world, zone: str = "Pacific/Auckland") -> None:
    world.sam.time_zone = zone
    world.sam.save(update_fields=["time_zone"])
    measure_services.schedule_set(
        actor=world.alice, client_id=world.sam.pk, instrument="phq9", rule=ScheduleRule.BEFORE_SESSION
    )


def _create(world, starts_at: dt.datetime, **kwargs) -> Appointment:
    return services.appointment_create(actor=world.alice, client_id=world.sam.pk, starts_at=starts_at, **kwargs)


# --- Constraints ---------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [4, 481])
def test_database_refuses_a_duration_outside_5_to_480_minutes(world, minutes):
    """The duration rule lives in the database too."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(client=world.sam, clinician=world.alice, starts_at=NOW, duration_minutes=minutes)


def test_database_refuses_a_cancelled_appointment_without_its_time(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            client=world.sam, clinician=world.alice, starts_at=NOW, status=AppointmentStatus.CANCELLED
        )


@pytest.mark.parametrize("minutes", [0, 4, 481])
def test_service_refuses_a_bad_duration_with_a_clear_message(world, frozen, minutes):
    with pytest.raises(ValidationError, match="5 to 480 minutes"):
        _create(world, NOW + dt.timedelta(days=1), duration_minutes=minutes)
    assert not Appointment.objects.exists()


def test_a_time_in_the_past_is_refused(world, frozen):
    with pytest.raises(ValidationError, match="future"):
        _create(world, NOW - dt.timedelta(minutes=1))
    assert not Appointment.objects.exists()


def test_an_overlapping_session_of_the_same_clinician_is_refused(world, frozen):
    """Alice cannot be in two sessions at once, even with two different clients."""
    robin = factories.client(world.practice, clinicians=(world.alice,), name="Robin")
    _create(world, NOW + dt.timedelta(days=1), duration_minutes=50)
    with pytest.raises(ValidationError, match="You already have a session"):
        services.appointment_create(
            actor=world.alice, client_id=robin.pk, starts_at=NOW + dt.timedelta(days=1, minutes=30)
        )
    # Back to back is fine.
    services.appointment_create(actor=world.alice, client_id=robin.pk, starts_at=NOW + dt.timedelta(days=1, minutes=50))
    assert Appointment.objects.count() == 2


def test_an_overlapping_session_of_the_same_client_is_refused(world, frozen):
    """Sam cannot be booked by two clinicians of the care team at the same time."""
    CareTeamMember.objects.create(client=world.sam, clinician=world.bob)
    _create(world, NOW + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="client already has a session"):
        services.appointment_create(
            actor=world.bob, client_id=world.sam.pk, starts_at=NOW + dt.timedelta(days=1, minutes=10)
        )


def test_a_cancelled_session_frees_its_time(world, frozen):
    first = _create(world, NOW + dt.timedelta(days=1))
    services.appointment_cancel(actor=world.alice, appointment_id=first.pk)
    second = _create(world, NOW + dt.timedelta(days=1))
    assert second.pk != first.pk


# --- Access -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "carol", "other_client", "sam"])
def test_outsiders_cannot_schedule(world, frozen, who):
    """Off-team clinician, another practice's clinician, another client and the client themself are refused."""
    actor = getattr(world, who)
    actor = getattr(actor, "user", actor)
    with pytest.raises((Http404, PermissionDenied)):
        services.appointment_create(actor=actor, client_id=world.sam.pk, starts_at=NOW + dt.timedelta(days=1))
    assert not Appointment.objects.exists()


def test_an_admin_off_the_care_team_cannot_schedule(world, frozen):
    with pytest.raises(PermissionDenied):
        services.appointment_create(actor=world.admin, client_id=world.sam.pk, starts_at=NOW + dt.timedelta(days=1))


@pytest.mark.parametrize("who", ["bob", "carol", "admin"])
def test_outsiders_cannot_move_cancel_or_mark(world, frozen, who):
    appointment = _create(world, NOW + dt.timedelta(days=1))
    actor = getattr(world, who)
    with pytest.raises((Http404, PermissionDenied)):
        services.appointment_reschedule(
            actor=actor, appointment_id=appointment.pk, starts_at=NOW + dt.timedelta(days=2)
        )
    with pytest.raises((Http404, PermissionDenied)):
        services.appointment_cancel(actor=actor, appointment_id=appointment.pk)
    with pytest.raises((Http404, PermissionDenied)):
        services.appointment_mark(actor=actor, appointment_id=appointment.pk, status="attended")
    appointment.refresh_from_db()
    assert (appointment.starts_at, appointment.status) == (NOW + dt.timedelta(days=1), AppointmentStatus.SCHEDULED)


def test_a_clinician_who_left_the_care_team_loses_access(world, frozen):
    appointment = _create(world, NOW + dt.timedelta(days=1))
    CareTeamMember.objects.filter(client=world.sam, clinician=world.alice).update(ended_at=NOW)
    with pytest.raises(Http404):
        services.appointment_cancel(actor=world.alice, appointment_id=appointment.pk)
    assert selectors.appointments_for_clinician(clinician=world.alice, start=NOW, end=NOW + dt.timedelta(days=3)) == []


def test_writes_are_audited(world, frozen):
    appointment = _create(world, NOW + dt.timedelta(days=1))
    services.appointment_reschedule(
        actor=world.alice, appointment_id=appointment.pk, starts_at=NOW + dt.timedelta(days=2)
    )
    services.appointment_cancel(actor=world.alice, appointment_id=appointment.pk)
    actions = list(AuditEvent.objects.filter(client_id=world.sam.pk).values_list("action", flat=True))
    for action in (
        SessionsAuditAction.APPOINTMENT_CREATED,
        SessionsAuditAction.APPOINTMENT_RESCHEDULED,
        SessionsAuditAction.APPOINTMENT_CANCELLED,
    ):
        assert str(action) in actions


# --- Marking ----------------------------------------------------------------------------


def test_a_session_can_be_marked_only_once_it_has_started(world, frozen):
    appointment = _create(world, NOW + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="once it has started"):
        services.appointment_mark(actor=world.alice, appointment_id=appointment.pk, status="attended")
    with time_machine.travel(NOW + dt.timedelta(hours=1, minutes=5), tick=False):
        marked = services.appointment_mark(actor=world.alice, appointment_id=appointment.pk, status="no_show")
        assert marked.status == AppointmentStatus.NO_SHOW
        corrected = services.appointment_mark(actor=world.alice, appointment_id=appointment.pk, status="attended")
        assert corrected.status == AppointmentStatus.ATTENDED
        with pytest.raises(ValidationError):
            services.appointment_mark(actor=world.alice, appointment_id=appointment.pk, status="cancelled")
        with pytest.raises(ValidationError, match="cannot be cancelled"):
            services.appointment_cancel(actor=world.alice, appointment_id=appointment.pk)
        with pytest.raises(ValidationError, match="not started yet"):
            services.appointment_reschedule(
                actor=world.alice, appointment_id=appointment.pk, starts_at=NOW + dt.timedelta(days=3)
            )


def test_a_cancelled_session_cannot_be_marked(world, frozen):
    appointment = _create(world, NOW + dt.timedelta(hours=1))
    services.appointment_cancel(actor=world.alice, appointment_id=appointment.pk)
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False), pytest.raises(ValidationError):
        services.appointment_mark(actor=world.alice, appointment_id=appointment.pk, status="attended")


# --- Selectors ------------------------------------------------------------------------------


def test_last_and_next_session(world):
    """The last session is the latest attended or unmarked past one; missed and cancelled never count."""
    with time_machine.travel(NOW - dt.timedelta(days=30), tick=False):
        attended = _create(world, NOW - dt.timedelta(days=21))
        missed = _create(world, NOW - dt.timedelta(days=14))
        cancelled = _create(world, NOW - dt.timedelta(days=10))
        unmarked = _create(world, NOW - dt.timedelta(days=7))
        services.appointment_cancel(actor=world.alice, appointment_id=cancelled.pk)
    with time_machine.travel(NOW, tick=False):
        services.appointment_mark(actor=world.alice, appointment_id=attended.pk, status="attended")
        services.appointment_mark(actor=world.alice, appointment_id=missed.pk, status="no_show")
        upcoming = _create(world, NOW + dt.timedelta(days=3))
        later = _create(world, NOW + dt.timedelta(days=10))
        services.appointment_cancel(actor=world.alice, appointment_id=upcoming.pk)
    assert selectors.last_session_before(client=world.sam, when=NOW) == unmarked
    assert selectors.last_session_before(client=world.sam, when=NOW - dt.timedelta(days=8)) == attended
    assert selectors.last_session_before(client=world.sam.pk, when=NOW - dt.timedelta(days=22)) is None
    assert selectors.next_session(client=world.sam, after=NOW) == later
    assert selectors.next_session(client=world.sam, after=NOW + dt.timedelta(days=11)) is None


def test_appointments_for_client_is_for_the_client_and_care_team_only(world, frozen):
    _create(world, NOW + dt.timedelta(days=1))
    _client, rows = selectors.appointments_for_client(actor=world.alice, client_id=world.sam.pk)
    assert len(rows) == 1
    _client, rows = selectors.appointments_for_client(actor=world.sam.user, client_id=world.sam.pk)
    assert len(rows) == 1
    for outsider in (world.bob, world.carol, world.admin, world.other_client.user):
        with pytest.raises(Http404):
            selectors.appointments_for_client(actor=outsider, client_id=world.sam.pk)


# --- Before-session questionnaires ---------------------------------------------------------------


def _pending():
    return list(MeasureRequest.objects.filter(status=RequestStatus.PENDING))


def test_scheduling_asks_the_before_session_questionnaire_in_the_client_time_zone(world, frozen):
    """The request is due a day before the session, expires at its start, and is dated in Auckland."""
    _before_session(world)
    starts = dt.datetime(2026, 6, 5, 20, 0, tzinfo=dt.UTC)  # Saturday 6 June 08:00 in Auckland
    _create(world, starts)
    [request] = _pending()
    assert request.instrument == "phq9"
    assert request.due_at == starts - dt.timedelta(days=1)
    assert request.expires_at == starts
    assert request.occurrence == dt.date(2026, 6, 6)  # the client's local day, not the UTC one


def test_creating_the_same_session_twice_makes_one_session_and_one_request(world, frozen):
    _before_session(world)
    starts = NOW + dt.timedelta(days=4)
    first = _create(world, starts)
    second = _create(world, starts)
    assert first.pk == second.pk
    assert Appointment.objects.count() == 1
    assert len(_pending()) == 1


def test_rescheduling_moves_the_request_and_twice_makes_no_duplicate(world, frozen):
    """Moved from Friday to Tuesday, then to Thursday: one open request, for Thursday, in Auckland's calendar."""
    _before_session(world)
    friday = dt.datetime(2026, 6, 4, 22, 0, tzinfo=dt.UTC)  # Fri 5 June 10:00 Auckland
    tuesday = dt.datetime(2026, 6, 8, 22, 0, tzinfo=dt.UTC)  # Tue 9 June
    thursday = dt.datetime(2026, 6, 10, 22, 0, tzinfo=dt.UTC)  # Thu 11 June
    appointment = _create(world, friday)
    services.appointment_reschedule(actor=world.alice, appointment_id=appointment.pk, starts_at=tuesday)
    services.appointment_reschedule(actor=world.alice, appointment_id=appointment.pk, starts_at=thursday)
    assert MeasureRequest.objects.count() == 1
    [request] = _pending()
    assert (request.expires_at, request.due_at) == (thursday, thursday - dt.timedelta(days=1))
    assert request.occurrence == dt.date(2026, 6, 11)
    # Nothing stays due for Friday.
    assert not MeasureRequest.objects.filter(status=RequestStatus.PENDING, expires_at=friday).exists()


def test_rescheduling_back_and_within_the_same_day_keeps_one_request(world, frozen):
    _before_session(world)
    morning = dt.datetime(2026, 6, 4, 21, 0, tzinfo=dt.UTC)  # Fri 09:00 Auckland
    afternoon = morning + dt.timedelta(hours=6)  # Fri 15:00 Auckland
    appointment = _create(world, morning)
    services.appointment_reschedule(actor=world.alice, appointment_id=appointment.pk, starts_at=afternoon)
    services.appointment_reschedule(
        actor=world.alice, appointment_id=appointment.pk, starts_at=morning + dt.timedelta(days=7)
    )
    services.appointment_reschedule(actor=world.alice, appointment_id=appointment.pk, starts_at=morning)
    [request] = _pending()
    assert MeasureRequest.objects.count() == 1
    assert request.expires_at == morning
    assert request.occurrence == dt.date(2026, 6, 5)


def test_rescheduling_to_soon_keeps_the_request_due_now(world, frozen):
    """Moved to three hours from now: due at once, still expiring at the new start."""
    _before_session(world)
    appointment = _create(world, NOW + dt.timedelta(days=5))
    soon = NOW + dt.timedelta(hours=3)
    services.appointment_reschedule(actor=world.alice, appointment_id=appointment.pk, starts_at=soon)
    [request] = _pending()
    assert (request.due_at, request.expires_at) == (NOW, soon)


def test_cancelling_expires_the_request_of_the_session(world, frozen):
    _before_session(world)
    other = factories.client(world.practice, clinicians=(world.alice,), name="Robin")
    measure_services.schedule_set(
        actor=world.alice, client_id=other.pk, instrument="phq9", rule=ScheduleRule.BEFORE_SESSION
    )
    starts = NOW + dt.timedelta(days=3)
    appointment = _create(world, starts)
    services.appointment_create(actor=world.alice, client_id=other.pk, starts_at=starts + dt.timedelta(hours=1))
    services.appointment_cancel(actor=world.alice, appointment_id=appointment.pk)
    services.appointment_cancel(actor=world.alice, appointment_id=appointment.pk)  # twice: nothing more
    sam_request = MeasureRequest.objects.get(client=world.sam)
    assert sam_request.status == RequestStatus.EXPIRED
    assert sam_request.expired_at == NOW
    assert MeasureRequest.objects.get(client=other).status == RequestStatus.PENDING  # another client's stays


def test_a_completed_request_is_left_alone_by_a_cancel(world, frozen):
    """Only open requests are withdrawn: an answer the client already gave stays."""
    _before_session(world)
    starts = NOW + dt.timedelta(hours=12)
    appointment = _create(world, starts)
    MeasureRequest.objects.update(status=RequestStatus.COMPLETED, completed_at=NOW)
    services.appointment_cancel(actor=world.alice, appointment_id=appointment.pk)
    assert MeasureRequest.objects.get().status == RequestStatus.COMPLETED

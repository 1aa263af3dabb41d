"""The demo practice has a calendar: working weeks, blocked lunches, self-booking on, a few self-booked sessions, and
one group session today."""

from __future__ import annotations

import datetime as dt

import pytest

from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.synth.config import SynthConfig
from alongside.synth.generate import generate_practice
from alongside.telehealth.models import BlockedTime, BookingPolicy, WeeklyHours


@pytest.mark.django_db
def test_the_demo_practice_has_availability_and_self_bookings():
    result = generate_practice(SynthConfig(seed=4, n_clients=8, domain="calendar.test"))
    practice = result.context.practice
    for clinician in result.context.clinicians:
        assert WeeklyHours.objects.filter(clinician=clinician).count() == 5
    assert BlockedTime.objects.filter(clinician__in=result.context.clinicians).exists()
    assert BookingPolicy.objects.get(practice=practice).allow_self_booking
    booked = Appointment.objects.filter(client__practice=practice, created_by__kind="client")
    assert booked.count() == result.counts["self_booked_sessions"] >= 1
    assert set(booked.values_list("status", flat=True)) == {AppointmentStatus.SCHEDULED}
    # One group session of the first clinician with three of their clients, starting within 15 minutes.
    from django.utils import timezone

    from alongside.telehealth.group_models import GroupSession

    group = GroupSession.objects.get(practice=practice)
    assert group.clinician == result.context.clinicians[0]
    assert group.members.count() == 3
    assert timezone.now() < group.starts_at <= timezone.now() + dt.timedelta(minutes=15)

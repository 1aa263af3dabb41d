"""The tick makes "before each session" requests for sessions booked before the schedule existed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from alongside.measures import services as measure_services
from alongside.measures.models import MeasureRequest, ScheduleRule
from alongside.sessions import services

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)  # a Monday


def test_a_schedule_added_after_booking_gets_its_request_from_the_tick_once(world):
    with time_machine.travel(NOW, tick=False):
        soon = services.appointment_create(
            actor=world.alice, client_id=world.sam.pk, starts_at=NOW + dt.timedelta(hours=20)
        )
        later = services.appointment_create(
            actor=world.alice, client_id=world.sam.pk, starts_at=NOW + dt.timedelta(days=9)
        )
        measure_services.schedule_set(
            actor=world.alice, client_id=world.sam.pk, instrument="who5", rule=ScheduleRule.BEFORE_SESSION
        )
        assert MeasureRequest.objects.filter(instrument="who5").count() == 0
        call_command("measures_tick", "--no-email", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("measures_tick", "--no-email", stdout=open("/dev/null", "w"))  # noqa: SIM115
    requests = list(MeasureRequest.objects.filter(instrument="who5"))
    assert len(requests) == 1, "one request for the session tomorrow, none yet for the one in nine days"
    assert requests[0].expires_at == soon.starts_at
    assert later.starts_at > requests[0].expires_at

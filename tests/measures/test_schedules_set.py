"""Setting one schedule for several questionnaires is one service: every schedule is set, or none is."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from alongside.measures import services
from alongside.measures.models import MeasureSchedule, ScheduleRule
from tests.measures.support_measures import measures_library  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]


def test_an_unknown_instrument_sets_none_of_the_schedules(world) -> None:
    """When one instrument of the batch is refused, the ones before it are not kept."""
    with pytest.raises((ValidationError, Http404)):
        services.schedules_set(
            actor=world.alice,
            client_id=world.sam.pk,
            instruments=["phq9", "no-such-instrument"],
            rule=ScheduleRule.EVERY_N_DAYS,
            interval_days=7,
        )
    assert not MeasureSchedule.objects.filter(client=world.sam).exists()


def test_every_instrument_of_the_batch_gets_its_schedule(world) -> None:
    """A valid batch sets one current schedule per instrument."""
    made = services.schedules_set(
        actor=world.alice,
        client_id=world.sam.pk,
        instruments=["phq9", "gad7"],
        rule=ScheduleRule.EVERY_N_DAYS,
        interval_days=7,
    )
    assert {s.instrument for s in made} == {"phq9", "gad7"}
    assert MeasureSchedule.objects.filter(client=world.sam, ended_at__isnull=True).count() == 2

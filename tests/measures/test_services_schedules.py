"""Schedules and requests: local time zone and quiet hours, DST changes, edits without regeneration, telemetry."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from alongside.measures import selectors, services
from alongside.measures.models import DeliveryChannel, MeasureRequest, RequestStatus, ScheduleRule
from tests.measures.support_measures import measures_library, phq9_answers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("measures_library")]
NY = ZoneInfo("America/New_York")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=NY)


def _tick(now: dt.datetime) -> list[MeasureRequest]:
    services.requests_expire(now=now)
    return services.requests_materialise(now=now)


def _schedule(world, *, created: dt.datetime, starts_on: dt.date, interval: int = 1, **kwargs):
    world.sam.time_zone = "America/New_York"
    world.sam.save(update_fields=["time_zone"])
    with time_machine.travel(created, tick=False):
        return services.schedule_set(
            actor=world.alice,
            client_id=world.sam.pk,
            instrument="phq9",
            rule=ScheduleRule.EVERY_N_DAYS,
            interval_days=interval,
            starts_on=starts_on,
            **kwargs,
        )


@pytest.mark.parametrize(
    ("first", "change"),
    [(dt.date(2026, 3, 5), dt.date(2026, 3, 8)), (dt.date(2026, 10, 29), dt.date(2026, 11, 1))],
    ids=["spring-forward", "fall-back"],
)
def test_daily_requests_keep_local_time_across_dst(world, first, change):
    """A daily 09:00 schedule in New York is due at 09:00 local every day across a DST change, once per day."""
    _schedule(world, created=_at(first, 7), starts_on=first)
    made = []
    for offset in range(6):
        day = first + dt.timedelta(days=offset)
        for hour in (8, 10, 10, 23):  # before the time, after it, a repeated tick, late evening
            made += _tick(_at(day, hour))
    requests = list(MeasureRequest.objects.order_by("due_at"))
    assert len(made) == len(requests) == 6
    assert [r.occurrence for r in requests] == [first + dt.timedelta(days=i) for i in range(6)]
    for request in requests:
        local = request.due_at.astimezone(NY)
        assert (local.hour, local.minute) == (9, 0)
        assert local.date() == request.occurrence
    utc_hours = {r.occurrence: r.due_at.astimezone(dt.UTC).hour for r in requests}
    before, after = utc_hours[change - dt.timedelta(days=1)], utc_hours[change + dt.timedelta(days=1)]
    assert abs(before - after) == 1, "the UTC time moves by the DST hour"


def test_weekly_schedule_across_spring_forward(world):
    """A weekly schedule from 1 March is due 09:00 local on 1 and 8 March (EST then EDT)."""
    _schedule(world, created=_at(dt.date(2026, 2, 28), 12), starts_on=dt.date(2026, 3, 1), interval=7)
    for day in range(1, 10):
        _tick(_at(dt.date(2026, 3, day), 12))
    due = [r.due_at.astimezone(dt.UTC) for r in MeasureRequest.objects.order_by("due_at")]
    assert due == [dt.datetime(2026, 3, 1, 14, tzinfo=dt.UTC), dt.datetime(2026, 3, 8, 13, tzinfo=dt.UTC)]


def test_quiet_hours_move_the_request_and_the_reminder(world, django_capture_on_commit_callbacks, mailoutbox):
    """A 22:30 schedule falls in the default quiet hours (21:00-08:00): it is due at 08:00 the next day."""
    _schedule(world, created=_at(dt.date(2026, 5, 1), 12), starts_on=dt.date(2026, 5, 1), time_of_day=dt.time(22, 30))
    assert _tick(_at(dt.date(2026, 5, 1), 23)) == []
    made = _tick(_at(dt.date(2026, 5, 2), 8, 5))
    assert [r.due_at.astimezone(NY).time() for r in made] == [dt.time(8, 0)]
    # No reminder is sent during quiet hours, even for a request already due.
    assert services.requests_deliver(now=_at(dt.date(2026, 5, 2), 22)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requests_deliver(now=_at(dt.date(2026, 5, 2), 9)) == 1
    assert len(mailoutbox) == 1
    assert "PHQ" not in mailoutbox[0].body


def test_schedule_edit_does_not_regenerate_or_resend_past_requests(world, django_capture_on_commit_callbacks):
    """Editing a schedule ends the old version; requests already made keep their ids, times and delivery."""
    day = dt.date(2026, 6, 1)
    old = _schedule(world, created=_at(day, 7), starts_on=day, interval=7)
    _tick(_at(day, 10))
    with django_capture_on_commit_callbacks(execute=True):
        services.requests_deliver(now=_at(day, 10))
    past = list(MeasureRequest.objects.values_list("pk", "due_at", "delivered_at", "schedule_id"))
    assert len(past) == 1
    new = _schedule(world, created=_at(day, 12), starts_on=day, interval=14)
    old.refresh_from_db()
    assert old.ended_at is not None
    assert new.replaces_id == old.pk
    for hour in (13, 18):
        assert _tick(_at(day, hour)) == []
    assert services.requests_deliver(now=_at(day, 13)) == 0
    assert list(MeasureRequest.objects.values_list("pk", "due_at", "delivered_at", "schedule_id")) == past
    # The new version asks at its own next occurrence, two weeks on; the old one never asks again.
    assert _tick(_at(day + dt.timedelta(days=7), 10)) == []
    made = _tick(_at(day + dt.timedelta(days=14), 10))
    assert [r.schedule_id for r in made] == [new.pk]


def test_missed_occurrences_are_not_backfilled(world):
    """A tick after a long pause makes only the current occurrence, not every missed one."""
    day = dt.date(2026, 7, 1)
    _schedule(world, created=_at(day, 7), starts_on=day, interval=1)
    made = _tick(_at(day + dt.timedelta(days=10), 12))
    assert [r.occurrence for r in made] == [day + dt.timedelta(days=10)]


def test_only_the_care_team_clinician_sets_schedules(world):
    """Bob and Carol get 404; the practice admin and Sam are refused."""
    for outsider in (world.bob, world.carol):
        with pytest.raises(Http404):
            services.schedule_set(actor=outsider, client_id=world.sam.pk, instrument="phq9", rule="once")
    for refused in (world.admin, world.sam.user):
        with pytest.raises(PermissionDenied):
            services.schedule_set(actor=refused, client_id=world.sam.pk, instrument="phq9", rule="once")


def test_telemetry_timestamps_are_recorded(world, django_capture_on_commit_callbacks, client):
    """Scheduled, delivered (by email), seen (due list), opened (start), completed: each gets its time."""
    day = dt.date(2026, 4, 6)
    _schedule(world, created=_at(day, 7), starts_on=day, interval=14)
    (request,) = _tick(_at(day, 9, 30))
    assert request.scheduled_at == _at(day, 9, 30)
    with django_capture_on_commit_callbacks(execute=True):
        services.requests_deliver(now=_at(day, 10))
    request.refresh_from_db()
    assert request.delivered_at == _at(day, 10)
    assert request.delivery_channel == DeliveryChannel.EMAIL
    with time_machine.travel(_at(day, 11), tick=False):
        client.force_login(world.sam.user, backend="alongside.accounts.backends.EmailBackend")
        due = client.get("/api/v1/measures/due").json()
        assert [d["id"] for d in due] == [str(request.pk)]
    with time_machine.travel(_at(day, 12), tick=False):
        response = services.response_start(
            actor=world.sam.user, client_id=world.sam.pk, instrument="phq9", idempotency_key="telemetry-1"
        )
    with time_machine.travel(_at(day, 12, 5), tick=False):
        services.response_submit(actor=world.sam.user, response_id=response.pk, answers=phq9_answers())
    request.refresh_from_db()
    assert request.seen_at == _at(day, 11)
    assert request.opened_at == _at(day, 12)
    assert request.completed_at == _at(day, 12, 5)
    assert request.status == RequestStatus.COMPLETED
    rates = selectors.completion_rates(user=world.alice, client_id=world.sam.pk)
    assert (rates.requested, rates.delivered, rates.seen, rates.opened, rates.completed) == (1, 1, 1, 1, 1)
    assert rates.completion_rate == 1.0


def test_unanswered_requests_expire(world):
    """A request not completed by its expiry is marked expired with the time; the rate counts it."""
    day = dt.date(2026, 8, 3)
    _schedule(world, created=_at(day, 7), starts_on=day, interval=7)
    (request,) = _tick(_at(day, 10))
    assert services.requests_expire(now=_at(day + dt.timedelta(days=7), 10)) == 1
    request.refresh_from_db()
    assert request.status == RequestStatus.EXPIRED
    assert request.expired_at == _at(day + dt.timedelta(days=7), 10)
    assert selectors.completion_rates(user=world.alice, client_id=world.sam.pk).completion_rate == 0.0
    with pytest.raises(Http404):
        selectors.completion_rates(user=world.bob, client_id=world.sam.pk)

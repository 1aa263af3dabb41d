"""Recurring sessions: weekly and fortnightly series, impossible ones refused, edits to this, following or all."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth.models import AppointmentSeries, SeriesOccurrence
from alongside.telehealth.services.series import series_cancel, series_create, series_move

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def london(world):
    world.practice.time_zone = "Europe/London"
    world.practice.save(update_fields=["time_zone"])
    return world


def _first(days: int = 7, hour: int = 10) -> dt.datetime:
    day = dt.date.today() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def _starts(series: AppointmentSeries) -> list[dt.datetime]:
    rows = SeriesOccurrence.objects.filter(series=series).select_related("appointment").order_by("index")
    return [row.appointment.starts_at for row in rows]


def test_a_weekly_series_keeps_its_local_time_across_daylight_saving(london):
    """Twelve weekly sessions at 10:00 London time stay at 10:00 local whatever the UTC offset."""
    series = series_create(
        actor=london.alice, client_id=london.sam.pk, first_starts_at=_first(), count=30, interval_weeks=1
    )
    starts = _starts(series)
    assert len(starts) == 30
    assert {s.astimezone(LONDON).hour for s in starts} == {10}
    assert {s.astimezone(LONDON).weekday() for s in starts} == {_first().weekday()}
    # Thirty weeks always cross a change of offset in London (March or October).
    assert len({s.astimezone(LONDON).utcoffset() for s in starts}) == 2
    assert series.rrule == "FREQ=WEEKLY;COUNT=30"


def test_a_fortnightly_series_ends_on_its_end_date(london):
    first = _first()
    until = (first + dt.timedelta(weeks=6)).date()
    series = series_create(
        actor=london.alice, client_id=london.sam.pk, first_starts_at=first, interval_weeks=2, until=until
    )
    starts = _starts(series)
    assert [(s.astimezone(LONDON).date() - first.date()).days for s in starts] == [0, 14, 28, 42]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"count": 0}, "from 1 to 52"),
        ({"count": 53}, "from 1 to 52"),
        ({"until": "before"}, "cannot end before"),
        ({"count": 3, "until": "after"}, "not both"),
        ({}, "not both"),
        ({"count": 3, "interval_weeks": 3}, "every week or every two weeks"),
    ],
)
def test_impossible_recurrences_are_refused_and_nothing_is_booked(london, kwargs, message):
    first = _first()
    dates = {"before": first.date() - dt.timedelta(days=1), "after": first.date() + dt.timedelta(days=30)}
    if "until" in kwargs:
        kwargs["until"] = dates[kwargs["until"]]
    with pytest.raises(ValidationError, match=message):
        series_create(actor=london.alice, client_id=london.sam.pk, first_starts_at=first, **kwargs)
    assert not Appointment.objects.exists()
    assert not AppointmentSeries.objects.exists()


def test_an_overlap_refuses_the_whole_series_with_the_date(london):
    """A session already booked in week three stops the series; no occurrence is left behind."""
    from alongside.sessions.services import appointment_create

    blocker = appointment_create(
        actor=london.alice, client_id=london.sam.pk, starts_at=_first() + dt.timedelta(weeks=2, minutes=20)
    )
    with pytest.raises(ValidationError, match=r"cannot be booked"):
        series_create(actor=london.alice, client_id=london.sam.pk, first_starts_at=_first(), count=4)
    assert list(Appointment.objects.values_list("pk", flat=True)) == [blocker.pk]


def test_only_the_care_team_can_make_a_series(london):
    with pytest.raises(Http404):
        series_create(actor=london.bob, client_id=london.sam.pk, first_starts_at=_first(), count=2)
    assert not Appointment.objects.exists()


def test_cancel_this_following_and_all(london):
    series = series_create(actor=london.alice, client_id=london.sam.pk, first_starts_at=_first(), count=6)
    rows = list(SeriesOccurrence.objects.filter(series=series).select_related("appointment").order_by("index"))
    assert series_cancel(actor=london.alice, appointment_id=rows[1].appointment.pk, scope="this") == 1
    assert series_cancel(actor=london.alice, appointment_id=rows[3].appointment.pk, scope="following") == 3
    statuses = [Appointment.objects.get(pk=row.appointment.pk).status for row in rows]
    assert statuses == ["scheduled", "cancelled", "scheduled", "cancelled", "cancelled", "cancelled"]
    assert series_cancel(actor=london.alice, appointment_id=rows[0].appointment.pk, scope="all") == 2
    assert not Appointment.objects.filter(status=AppointmentStatus.SCHEDULED).exists()


def test_move_this_and_following_to_a_new_day_and_time(london):
    """Moving the third of five from Monday 10:00 to Tuesday 11:00 moves the last three; the first two stay."""
    first = _first()
    series = series_create(actor=london.alice, client_id=london.sam.pk, first_starts_at=first, count=5)
    rows = list(SeriesOccurrence.objects.filter(series=series).select_related("appointment").order_by("index"))
    target = rows[2].appointment
    new = dt.datetime.combine(target.starts_at.astimezone(LONDON).date() + dt.timedelta(days=1), dt.time(11), LONDON)
    assert series_move(actor=london.alice, appointment_id=target.pk, scope="following", starts_at=new) == 3
    local = [s.astimezone(LONDON) for s in _starts(series)]
    assert [(s.hour, s.weekday()) for s in local[:2]] == [(10, first.weekday())] * 2
    assert [(s.hour, s.weekday()) for s in local[2:]] == [(11, (first.weekday() + 1) % 7)] * 3
    # "this" moves one occurrence only: an exception of the series.
    later = new + dt.timedelta(weeks=1, hours=2)
    assert series_move(actor=london.alice, appointment_id=rows[3].appointment.pk, scope="this", starts_at=later) == 1
    assert _starts(series)[3] == later


def test_the_recurring_page_books_a_series_and_the_change_page_cancels_the_rest(london, staff_client):
    web = staff_client(london.alice)
    first = _first()
    response = web.post(
        f"/telehealth/clients/{london.sam.pk}/recurring/",
        {"date": first.date().isoformat(), "time": "10:00", "duration_minutes": 50, "interval_weeks": 2, "count": 4},
    )
    assert response.status_code == 302
    series = AppointmentSeries.objects.get()
    rows = list(SeriesOccurrence.objects.filter(series=series).order_by("index"))
    response = web.post(f"/telehealth/{rows[1].appointment_id}/change/", {"action": "cancel", "scope": "following"})
    assert response.status_code == 302
    assert Appointment.objects.filter(status=AppointmentStatus.SCHEDULED).count() == 1


def test_the_recurring_pages_refuse_staff_outside_the_care_team(london, staff_client):
    booked = series_create(actor=london.alice, client_id=london.sam.pk, first_starts_at=_first(), count=2)
    appointment_id = SeriesOccurrence.objects.filter(series=booked).first().appointment_id
    web = staff_client(london.bob)
    assert web.get(f"/telehealth/clients/{london.sam.pk}/recurring/").status_code == 404
    assert web.post(f"/telehealth/{appointment_id}/change/", {"action": "cancel", "scope": "all"}).status_code == 404
    assert Appointment.objects.filter(status=AppointmentStatus.SCHEDULED).count() == 2

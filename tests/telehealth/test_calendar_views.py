"""Calendar pages: the week and day in the reader's zone, blocking from the grid, booking, invitation files, guests."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as DjangoClient
from django.utils import timezone

from alongside.sessions.models import Appointment
from alongside.telehealth.availability import free_slots
from alongside.telehealth.models import BlockedTime
from alongside.telehealth.services.availability import block_add, booking_policy_set, hours_set
from tests.telehealth.support import appointment

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
WEEKDAYS = [(d, dt.time(9), dt.time(17)) for d in range(5)]


def _web(user):
    web = DjangoClient()
    web.force_login(user, backend="alongside.accounts.backends.EmailBackend")
    return web


def _october_change() -> dt.date:
    year = dt.date.today().year + 1
    day = dt.date(year, 11, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


@pytest.fixture
def london(world):
    for person in (world.alice, world.sam.user):
        person.time_zone = "Europe/London"
        person.save(update_fields=["time_zone"])
    world.practice.time_zone = "Europe/London"
    world.practice.save(update_fields=["time_zone"])
    hours_set(actor=world.alice, rows=WEEKDAYS, time_zone="Europe/London")
    return world


def test_the_week_grid_has_headers_free_slots_and_a_list_alternative(london, staff_client):
    """The week is a table with day and hour headers, the free slots of the working hours, and the same as a list."""
    monday = dt.date.today() + dt.timedelta(days=14 - dt.date.today().weekday())
    page = staff_client(london.alice).get(f"/telehealth/schedule/?date={monday.isoformat()}")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('<th scope="col">') >= 8  # the time column and seven days
    assert '<th scope="row">' in html
    assert 'role="region"' in html
    assert 'tabindex="0"' in html
    assert "As a list" in html
    assert html.count('name="starts_at"') == 2 * 5 * 9  # nine free slots a weekday, in the grid and in the list


def test_a_week_across_the_clock_change_keeps_nine_oclock_on_both_sides(london, staff_client):
    """The week of the October change in London: Monday before and Monday after both show a 9:00 free slot."""
    change = _october_change()
    monday = change - dt.timedelta(days=6)
    html = staff_client(london.alice).get(f"/telehealth/schedule/?date={monday.isoformat()}").content.decode()
    before = dt.datetime.combine(monday, dt.time(9), tzinfo=LONDON).isoformat()
    after = dt.datetime.combine(change + dt.timedelta(days=1), dt.time(9), tzinfo=LONDON).isoformat()
    assert before.endswith("+01:00")
    assert after.endswith("+00:00")
    assert f'value="{before}"' in html
    next_week = staff_client(london.alice).get(
        f"/telehealth/schedule/?date={(change + dt.timedelta(days=1)).isoformat()}"
    )
    assert f'value="{after}"' in next_week.content.decode()


def test_sessions_show_the_client_and_the_day_view_shows_one_day(london, staff_client):
    """A booked session shows in the day view with its client's name and links to join, move and guests."""
    booked = appointment(london, starts_in=dt.timedelta(days=2))
    day = booked.starts_at.astimezone(LONDON).date()
    html = staff_client(london.alice).get(f"/telehealth/schedule/?view=day&date={day.isoformat()}").content.decode()
    assert london.sam.preferred_name in html
    assert f"/telehealth/{booked.pk}/guests/" in html
    other = staff_client(london.bob).get(f"/telehealth/schedule/?view=day&date={day.isoformat()}").content.decode()
    assert f"/telehealth/{booked.pk}/" not in other


def test_blocking_a_free_slot_from_the_calendar_and_freeing_it(london, staff_client):
    """The Block button of a free slot blocks it; Free gives it back; Bob cannot free Alice's time."""
    monday = dt.date.today() + dt.timedelta(days=14 - dt.date.today().weekday())
    start = dt.datetime.combine(monday, dt.time(9), tzinfo=LONDON)
    web = staff_client(london.alice)
    response = web.post(
        "/telehealth/schedule/block/",
        {"starts_at": start.isoformat(), "ends_at": (start + dt.timedelta(minutes=50)).isoformat(), "next": "/x"},
    )
    assert response.status_code == 302
    block = BlockedTime.objects.get(clinician=london.alice)
    assert staff_client(london.bob).post(f"/telehealth/schedule/blocks/{block.pk}/remove/").status_code == 404
    assert staff_client(london.alice).post(f"/telehealth/schedule/blocks/{block.pk}/remove/").status_code == 302
    assert not BlockedTime.objects.exists()


def test_clients_cannot_open_the_calendar_and_only_admins_set_booking_rules(london, staff_client):
    assert _web(london.sam.user).get("/telehealth/schedule/").status_code == 403
    assert _web(london.sam.user).get("/telehealth/availability/").status_code == 403
    assert staff_client(london.alice).get("/telehealth/booking-rules/").status_code == 403
    assert staff_client(london.admin).get("/telehealth/booking-rules/").status_code == 200
    assert DjangoClient().get("/telehealth/schedule/").status_code == 302


def test_the_availability_page_saves_the_usual_week(london, staff_client):
    web = staff_client(london.alice)
    assert web.get("/telehealth/availability/").status_code == 200
    response = web.post("/telehealth/availability/", {"action": "week", "start_1": "10:00", "end_1": "12:00"})
    assert response.status_code == 302
    tuesday = dt.date.today() + dt.timedelta(days=15 - dt.date.today().weekday())
    start = dt.datetime.combine(tuesday, dt.time(0), tzinfo=LONDON)
    slots = free_slots(london.alice, start=start, end=start + dt.timedelta(days=1), minutes=60)
    assert [s.astimezone(LONDON).hour for s in slots] == [10, 11]


def test_a_client_books_and_cancels_from_the_booking_page(london):
    """With the practice's rules on, Sam sees free times, books one, gets its calendar file, and cancels it."""
    booking_policy_set(
        actor=london.admin,
        allow_self_booking=True,
        notice_hours=24,
        cancel_hours=24,
        horizon_days=21,
        duration_minutes=50,
    )
    web = _web(london.sam.user)
    html = web.get("/telehealth/book/").content.decode()
    assert "Free times" in html
    assert 'name="starts_at"' in html
    day = timezone.now().astimezone(LONDON).date() + dt.timedelta(days=3)
    while day.weekday() > 4:
        day += dt.timedelta(days=1)
    slot = dt.datetime.combine(day, dt.time(9), tzinfo=LONDON)
    assert (
        web.post("/telehealth/book/", {"clinician": str(london.alice.pk), "starts_at": slot.isoformat()}).status_code
        == 302
    )
    booked = Appointment.objects.get(client=london.sam, starts_at=slot)
    ics = web.get(f"/telehealth/{booked.pk}/invitation.ics")
    assert ics.status_code == 200
    assert b"METHOD:REQUEST" in ics.content
    assert _web(london.other_client.user).get(f"/telehealth/{booked.pk}/invitation.ics").status_code == 404
    assert staff_client_get(london.bob, f"/telehealth/{booked.pk}/invitation.ics") == 404
    web.post(f"/telehealth/book/{booked.pk}/cancel/")
    assert b"METHOD:CANCEL" in web.get(f"/telehealth/{booked.pk}/invitation.ics").content


def staff_client_get(user, path) -> int:
    from alongside.accounts.middleware import SESSION_AUTH_AT, SESSION_MFA_OK, SESSION_SEEN_AT

    web = _web(user)
    session = web.session
    session[SESSION_MFA_OK] = True
    session[SESSION_AUTH_AT] = session[SESSION_SEEN_AT] = timezone.now().timestamp()
    session.save()
    return web.get(path).status_code


def test_booking_is_closed_when_the_practice_does_not_allow_it(london):
    html = _web(london.sam.user).get("/telehealth/book/").content.decode()
    assert "books sessions for you" in html
    assert 'name="starts_at"' not in html


def test_the_week_costs_a_fixed_number_of_queries(london, staff_client, django_assert_max_num_queries):
    """Ten sessions or forty, with or without group sessions: the week view makes the same number of queries."""
    web = staff_client(london.alice)
    monday = dt.date.today() + dt.timedelta(days=14 - dt.date.today().weekday())
    path = f"/telehealth/schedule/?date={monday.isoformat()}"
    web.get(path)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        web.get(path)
    start = dt.datetime.combine(monday, dt.time(9), tzinfo=LONDON)
    for n in range(6):
        block_add(
            actor=london.alice,
            starts_at=start + dt.timedelta(days=n % 5, hours=n // 5 * 2),
            ends_at=start + dt.timedelta(days=n % 5, hours=n // 5 * 2, minutes=30),
        )
    for n in range(4):
        booked = appointment(london, starts_in=dt.timedelta(days=1))
        Appointment.objects.filter(pk=booked.pk).update(starts_at=start + dt.timedelta(days=n, hours=4))
    from alongside.telehealth.services.groups import group_create
    from tests import factories

    kim = factories.client(london.practice, clinicians=(london.alice,), name="Kim")
    for n in range(2):  # group sessions come in the same one query however many there are
        group_create(
            actor=london.alice,
            title="Group",
            starts_at=start + dt.timedelta(days=n, hours=6),
            client_ids=[london.sam.pk, kim.pk],
        )
    with CaptureQueriesContext(connection) as many:
        web.get(path)
    assert len(many) == len(few)
    # 18 before group sessions joined the week (one query reads them, with their sizes); PostgreSQL makes one
    # more statement than SQLite here (20 in the PostgreSQL pass of the suite).
    assert len(few) <= (20 if connection.vendor == "postgresql" else 19)

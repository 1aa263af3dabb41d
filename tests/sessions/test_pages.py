"""Appointment pages: the clinician schedules, moves, cancels and marks; outsiders see nothing; the client sees their next session."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from alongside.sessions import services
from alongside.sessions.models import Appointment, AppointmentStatus

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 1, 15, 0, tzinfo=dt.UTC)  # Monday 10:00 in Chicago


@pytest.fixture
def chicago(world):
    world.practice.time_zone = "America/Chicago"
    world.practice.save(update_fields=["time_zone"])
    world.sam.time_zone = "Europe/Madrid"
    world.sam.save(update_fields=["time_zone"])
    with time_machine.travel(NOW, tick=False):
        yield world


def _book(world, starts_at: dt.datetime) -> Appointment:
    return services.appointment_create(actor=world.alice, client_id=world.sam.pk, starts_at=starts_at)


def test_clinician_schedules_from_the_client_page_in_practice_time(chicago, staff_client):
    """Wednesday 14:30 entered in Chicago is stored as 19:30 UTC and listed on the upcoming page."""
    browser = staff_client(chicago.alice)
    url = reverse("sessions:client", args=[chicago.sam.pk])
    assert browser.get(url).status_code == 200
    response = browser.post(url, {"date": "2026-06-03", "time": "14:30", "duration_minutes": "50"})
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.starts_at == dt.datetime(2026, 6, 3, 19, 30, tzinfo=dt.UTC)
    assert appointment.clinician == chicago.alice
    page = browser.get(url).content.decode()
    assert "14:30" in page
    assert "21:30 for the client" in page  # Madrid
    upcoming = browser.get(reverse("sessions:upcoming")).content.decode()
    assert "Wednesday, 3 June 2026" in upcoming
    assert "14:30\u201315:20" in upcoming  # en dash
    assert reverse("sessions:client", args=[chicago.sam.pk]) in upcoming
    assert "Sam" in upcoming


def test_form_errors_are_clear_and_change_nothing(chicago, staff_client):
    browser = staff_client(chicago.alice)
    url = reverse("sessions:client", args=[chicago.sam.pk])
    past = browser.post(url, {"date": "2026-05-30", "time": "09:00", "duration_minutes": "50"})
    assert past.status_code == 200
    assert "Choose a time in the future." in past.content.decode()
    _book(chicago, dt.datetime(2026, 6, 3, 19, 30, tzinfo=dt.UTC))
    overlap = browser.post(url, {"date": "2026-06-03", "time": "15:00", "duration_minutes": "50"})
    assert "You already have a session at that time." in overlap.content.decode()
    too_long = browser.post(url, {"date": "2026-06-04", "time": "15:00", "duration_minutes": "600"})
    assert too_long.status_code == 200
    assert 'id="id_duration_minutes_error"' in too_long.content.decode()
    assert Appointment.objects.count() == 1


def test_move_cancel_and_mark(chicago, staff_client):
    browser = staff_client(chicago.alice)
    appointment = _book(chicago, NOW + dt.timedelta(days=2))
    move = reverse("sessions:reschedule", args=[appointment.pk])
    assert browser.get(move).status_code == 200
    response = browser.post(move, {"date": "2026-06-05", "time": "09:00", "duration_minutes": "60"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == dt.datetime(2026, 6, 5, 14, 0, tzinfo=dt.UTC)
    assert appointment.duration_minutes == 60
    early = browser.post(reverse("sessions:mark", args=[appointment.pk]), {"status": "attended"}, follow=True)
    assert "A session can be marked once it has started." in early.content.decode()
    browser.post(reverse("sessions:cancel", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    held = _book(chicago, NOW + dt.timedelta(minutes=5))
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):  # within the idle timeout
        browser.post(reverse("sessions:mark", args=[held.pk]), {"status": "no_show"})
    held.refresh_from_db()
    assert held.status == AppointmentStatus.NO_SHOW


def test_outsiders_get_404_and_change_nothing(chicago, staff_client, client):
    """Bob (off the team), Carol (another practice) and the admin cannot open or change Sam's sessions."""
    appointment = _book(chicago, NOW + dt.timedelta(days=2))
    for outsider in (chicago.bob, chicago.carol, chicago.admin):
        browser = staff_client(outsider)
        assert browser.get(reverse("sessions:client", args=[chicago.sam.pk])).status_code == 404
        assert browser.get(reverse("sessions:reschedule", args=[appointment.pk])).status_code == 404
        assert browser.post(reverse("sessions:cancel", args=[appointment.pk])).status_code == 404
        assert browser.post(reverse("sessions:mark", args=[appointment.pk]), {"status": "attended"}).status_code == 404
        upcoming = browser.get(reverse("sessions:upcoming"))
        assert upcoming.status_code == 200
        assert "Sam" not in upcoming.content.decode()
        browser.logout()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SCHEDULED
    client.force_login(chicago.other_client.user)
    assert client.get(reverse("sessions:upcoming")).status_code == 403
    assert client.get(reverse("sessions:client", args=[chicago.sam.pk])).status_code == 403


def test_client_home_shows_the_next_session_in_the_client_time(chicago, client):
    """Sam in Madrid sees Wednesday 21:30 for a session Alice booked at 14:30 Chicago time; Robin sees nothing."""
    _book(chicago, dt.datetime(2026, 6, 3, 19, 30, tzinfo=dt.UTC))
    client.force_login(chicago.sam.user)
    home = client.get(reverse("web:home")).content.decode()
    assert "Your next session" in home
    assert "Wednesday, 3 June 2026, 21:30" in home
    client.logout()
    client.force_login(chicago.other_client.user)
    assert "Your next session" not in client.get(reverse("web:home")).content.decode()


def test_the_client_record_links_to_sessions_for_the_care_team(chicago, staff_client):
    page = staff_client(chicago.alice).get(reverse("care:client_detail", args=[chicago.sam.pk])).content.decode()
    assert reverse("sessions:client", args=[chicago.sam.pk]) in page

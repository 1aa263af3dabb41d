"""Session reminders 24 h and 1 h before: through the email outbox, once each, with no clinical content."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alongside.notify.models import OutboundEmail
from alongside.sessions.services import appointment_cancel
from alongside.telehealth.models import SessionReminder
from alongside.telehealth.services import reminders_send
from tests.telehealth.support import appointment

pytestmark = pytest.mark.django_db


def test_the_day_before_and_the_hour_before_each_send_one_content_free_email(world):
    booked = appointment(world, starts_in=dt.timedelta(hours=30))
    start = booked.starts_at
    assert reminders_send(now=start - dt.timedelta(hours=25)) == 0
    assert reminders_send(now=start - dt.timedelta(hours=23, minutes=55)) == 2  # by email and in the app
    assert reminders_send(now=start - dt.timedelta(hours=23, minutes=50)) == 0  # never twice
    assert reminders_send(now=start - dt.timedelta(minutes=58)) == 2
    assert reminders_send(now=start - dt.timedelta(minutes=50)) == 0
    kinds = sorted(SessionReminder.objects.filter(appointment=booked, channel="email").values_list("kind", flat=True))
    assert kinds == ["1h", "24h"]
    emails = list(OutboundEmail.objects.filter(kind="telehealth.reminder"))
    assert len(emails) == 2
    for email in emails:
        assert email.to == world.sam.user.email
        assert "Join the video session" in email.body
        # Content-free: neither the clinician nor anything of the client's care.
        for secret in (world.alice.display_name, world.alice.email, world.sam.preferred_name):
            assert secret not in email.body
            assert secret not in email.subject


def test_a_cancelled_session_gets_no_reminder(world):
    booked = appointment(world, starts_in=dt.timedelta(hours=5))
    appointment_cancel(actor=world.alice, appointment_id=booked.pk)
    assert reminders_send(now=timezone.now()) == 0


def test_the_measures_tick_sends_reminders(world):
    """The worker's regular measures_tick reaches the telehealth reminders through its hook."""
    from django.core.management import call_command

    appointment(world, starts_in=dt.timedelta(minutes=30))
    call_command("measures_tick", "--no-email", stdout=__import__("io").StringIO())
    assert SessionReminder.objects.filter(kind="1h", channel="email").count() == 1


def test_in_app_reminders_are_content_free_notices_linking_to_the_room(world):
    """Each reminder is also a notice in the client's app: the kind "Session reminder" and the room's link, once each."""
    from alongside.notify.models import Notification, NotificationKind

    booked = appointment(world, starts_in=dt.timedelta(hours=30))
    start = booked.starts_at
    reminders_send(now=start - dt.timedelta(hours=23, minutes=55))
    reminders_send(now=start - dt.timedelta(minutes=58))
    reminders_send(now=start - dt.timedelta(minutes=50))
    notices = list(Notification.objects.filter(recipient=world.sam.user, kind=NotificationKind.SESSION))
    assert len(notices) == 2
    assert {n.link for n in notices} == {f"/telehealth/{booked.pk}/"}
    assert {n.topic for n in notices} == {f"telehealth.reminder:{booked.pk}"}
    assert all(n.in_app for n in notices)
    assert not Notification.objects.filter(recipient=world.alice, kind=NotificationKind.SESSION).exists()

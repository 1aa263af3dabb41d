"""Calendar invitations: a content-free email per change through the outbox, an .ics with METHOD and SEQUENCE."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from alongside.notify.models import OutboundEmail
from alongside.sessions.services import appointment_cancel, appointment_reschedule
from alongside.telehealth.invitations import invitation_ics
from alongside.telehealth.models import AppointmentInvitation
from tests.telehealth.support import appointment

pytestmark = pytest.mark.django_db


def _event(appointment_row) -> tuple[Calendar, object]:
    appointment_row.refresh_from_db()
    invitation = AppointmentInvitation.objects.filter(appointment=appointment_row).first()
    calendar = Calendar.from_ical(
        invitation_ics(appointment=appointment_row, invitation=invitation, base_url="https://x.test/")
    )
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_made_moved_and_cancelled_each_raise_the_sequence_and_queue_emails_to_both(world):
    """Booking, moving and cancelling a session: SEQUENCE 0, 1, 2; REQUEST then CANCEL; two emails each time."""
    booked = appointment(world, starts_in=dt.timedelta(days=3))
    calendar, event = _event(booked)
    assert (str(calendar["method"]), int(event["sequence"])) == ("REQUEST", 0)
    appointment_reschedule(
        actor=world.alice, appointment_id=booked.pk, starts_at=booked.starts_at + dt.timedelta(hours=2)
    )
    calendar, event = _event(booked)
    assert (str(calendar["method"]), int(event["sequence"])) == ("REQUEST", 1)
    assert event.decoded("dtstart") == booked.starts_at.replace(microsecond=0)
    appointment_cancel(actor=world.alice, appointment_id=booked.pk)
    calendar, event = _event(booked)
    assert (str(calendar["method"]), int(event["sequence"]), str(event["status"])) == ("CANCEL", 2, "CANCELLED")
    emails = list(OutboundEmail.objects.filter(kind="telehealth.invitation"))
    assert len(emails) == 6
    assert {e.to for e in emails} == {world.sam.user.email, world.alice.email}
    assert {e.subject for e in emails} == {"Session booked", "Session moved", "Session cancelled"}


def test_invitations_name_nobody_and_say_nothing_about_care(world):
    """Neither the .ics nor the emails carry the clinician's or the client's name or address."""
    booked = appointment(world, starts_in=dt.timedelta(days=3))
    calendar, event = _event(booked)
    text = calendar.to_ical().decode()
    assert str(event["summary"]) == "Alongside"
    assert f"https://x.test/telehealth/{booked.pk}/" in text
    for email in OutboundEmail.objects.filter(kind="telehealth.invitation"):
        text += email.subject + email.body
    for secret in (world.alice.display_name, world.alice.email, world.sam.preferred_name, world.sam.user.email):
        assert secret not in text


def test_the_invitation_keeps_the_practice_zone_with_its_timezone_definition(world):
    """The .ics writes the start in the practice's zone with a VTIMEZONE, so a calendar app keeps local time."""
    world.practice.time_zone = "America/New_York"
    world.practice.save(update_fields=["time_zone"])
    booked = appointment(world, starts_in=dt.timedelta(days=3))
    calendar, event = _event(booked)
    assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert str(event.decoded("dtstart").tzinfo) == "America/New_York"


def test_a_change_that_rolls_back_leaves_no_invitation_and_no_email(world):
    """The invitation is written in the appointment's own transaction: a rolled-back booking sends nothing."""
    from django.db import transaction
    from django.utils import timezone

    from alongside.sessions.services import appointment_create

    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=4)

    def book_then_fail() -> None:
        with transaction.atomic():
            appointment_create(actor=world.alice, client_id=world.sam.pk, starts_at=starts)
            raise RuntimeError("the caller failed after booking")

    with pytest.raises(RuntimeError):
        book_then_fail()
    assert not AppointmentInvitation.objects.exists()
    assert not OutboundEmail.objects.filter(kind="telehealth.invitation").exists()


def _attached(message) -> tuple[str, Calendar]:
    """The one calendar attachment of a sent email: its MIME type and the parsed file."""
    (attachment,) = message.attachments
    name, content, mimetype = attachment
    assert name.endswith(".ics")
    return mimetype, Calendar.from_ical(content)


def test_the_invitation_email_carries_a_content_free_ics_attachment(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """Booking emails each person an iTIP REQUEST (SEQUENCE 0, the appointment's UID) that names nobody."""
    with django_capture_on_commit_callbacks(execute=True):
        booked = appointment(world, starts_in=dt.timedelta(days=3))
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.sam.user.email, world.alice.email])
    for message in mailoutbox:
        mimetype, calendar = _attached(message)
        assert mimetype == "text/calendar; method=REQUEST; charset=UTF-8"
        (event,) = calendar.walk("VEVENT")
        assert (str(calendar["method"]), str(event["uid"]), int(event["sequence"])) == (
            "REQUEST",
            f"{booked.pk}@alongside",
            0,
        )
        assert [str(a) for a in [event["attendee"]]] == [f"mailto:{message.to[0]}"]
        other = world.alice.email if message.to[0] == world.sam.user.email else world.sam.user.email
        text = calendar.to_ical().decode()
        assert str(event["summary"]) == "Alongside"
        for secret in (world.alice.display_name, world.sam.preferred_name, other):
            assert secret not in text
        assert "calendar" in message.body


def test_a_cancellation_after_an_invitation_is_attached_with_a_higher_sequence(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """Cancelling sends METHOD:CANCEL with the same UID and a SEQUENCE above the invitation's."""
    with django_capture_on_commit_callbacks(execute=True):
        booked = appointment(world, starts_in=dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(actor=world.alice, appointment_id=booked.pk)
    to_sam = [m for m in mailoutbox if m.to == [world.sam.user.email]]
    assert len(to_sam) == 2
    invited, cancelled = to_sam
    _type, first = _attached(invited)
    mimetype, last = _attached(cancelled)
    assert mimetype == "text/calendar; method=CANCEL; charset=UTF-8"
    (before,), (after,) = first.walk("VEVENT"), last.walk("VEVENT")
    assert str(last["method"]) == "CANCEL"
    assert str(after["status"]) == "CANCELLED"
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) > int(before["sequence"])


def test_a_retried_invitation_sends_the_file_it_was_queued_with(world, mailoutbox, django_capture_on_commit_callbacks):
    """Mail server down at booking, session moved meanwhile: the retry still sends the stored SEQUENCE 0 file."""
    from django.test import override_settings

    from alongside.notify.mail import outbox_sweep
    from alongside.notify.models import EmailStatus
    from tests.measures.support_measures import RAISING_MAILERS

    with override_settings(MAILERS=RAISING_MAILERS), django_capture_on_commit_callbacks(execute=True):
        booked = appointment(world, starts_in=dt.timedelta(days=3))
    failed = list(OutboundEmail.objects.filter(kind="telehealth.invitation", status=EmailStatus.PENDING))
    assert len(failed) == 2
    assert mailoutbox == []
    stored = {email.to: email.attachment for email in failed}
    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(
            actor=world.alice, appointment_id=booked.pk, starts_at=booked.starts_at + dt.timedelta(hours=2)
        )
    moved = len(mailoutbox)
    assert outbox_sweep(now=max(e.next_attempt_at for e in failed) + dt.timedelta(hours=1)) == 2
    retried = mailoutbox[moved:]
    assert sorted(m.to[0] for m in retried) == sorted(stored)
    for message in retried:
        _type, calendar = _attached(message)
        assert calendar.to_ical().decode() == Calendar.from_ical(stored[message.to[0]]).to_ical().decode()
        assert int(next(iter(calendar.walk("VEVENT")))["sequence"]) == 0
    for email in OutboundEmail.objects.filter(pk__in=[e.pk for e in failed]):
        assert (email.status, email.attachment_sealed) == (EmailStatus.SENT, "")


def test_a_guest_email_has_no_calendar_file_and_does_not_promise_one(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """A guest gets no later moves or cancellations, so their email carries no .ics and says to sign in instead."""
    from alongside.telehealth.services.guests import guest_invite

    booked = appointment(world, starts_in=dt.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        guest_invite(actor=world.alice, appointment_id=booked.pk, guest_email=world.bob.email, role="interpreter")
    (message,) = [m for m in mailoutbox if m.to == [world.bob.email]]
    assert message.attachments == []
    assert "attached" not in message.body

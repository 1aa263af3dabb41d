"""Calendar invitations through the outbox: every made, moved or cancelled appointment raises the
invitation's SEQUENCE and puts a content-free email to the client and the clinician in the outbox, with the
invitation's ``.ics`` (METHOD REQUEST or CANCEL, the new SEQUENCE) attached and stored with the email.

Called by ``sessions.hooks`` inside the transaction of the change (registered in the app's
``ready``), so an invitation exists exactly when its change committed; the emails leave after commit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from alongside.core.services import unaudited
from alongside.notify.mail import Attachment, email_enqueue
from alongside.sessions.hooks import Change
from alongside.sessions.models import Appointment
from alongside.telehealth import invitations
from alongside.telehealth.availability import clinician_zone
from alongside.telehealth.calendar_models import AppointmentInvitation


def _recipients(appointment: Appointment) -> list[tuple[Any, str]]:
    """(person, zone name) of the client and the clinician, when each can receive email."""
    client = appointment.client
    people = [
        (client.user, client.time_zone or client.practice.time_zone),
        (appointment.clinician, str(clinician_zone(appointment.clinician))),
    ]
    return [(person, zone) for person, zone in people if person.email and person.is_active]


def _ics_attachment(*, appointment: Appointment, invitation: AppointmentInvitation, address: str) -> Attachment:
    """The invitation as it stands, as an iTIP attachment (RFC 6047: the MIME type names the METHOD)."""
    ics = invitations.invitation_ics(
        appointment=appointment, invitation=invitation, base_url=settings.ALONGSIDE_PUBLIC_URL, attendee=address
    )
    return Attachment(
        name="alongside-session.ics",
        content=ics.decode("utf-8"),
        mimetype=f"text/calendar; method={Calendar.from_ical(ics)['method']}; charset=UTF-8",
    )


@unaudited("follows an audited change of the appointment, in the same transaction")
def invitation_send(*, appointment: Appointment, change: Change) -> AppointmentInvitation:
    """Raise the invitation's sequence for ``change`` and queue its emails; return the invitation."""
    with transaction.atomic():
        invitation, created = AppointmentInvitation.objects.select_for_update().get_or_create(appointment=appointment)
        if not created:
            invitation.sequence += 1
        invitation.method = "CANCEL" if change == "cancelled" else "REQUEST"
        invitation.changed_at = timezone.now()
        invitation.save()
        for person, zone in _recipients(appointment):
            subject, body = invitations.email_text(
                appointment=appointment, person=person, zone_name=zone, change=change
            )
            email_enqueue(
                to=person.email,
                subject=subject,
                body=body,
                kind="telehealth.invitation",
                note=f"appointment {appointment.pk} sequence {invitation.sequence}",
                attachment=_ics_attachment(appointment=appointment, invitation=invitation, address=person.email),
            )
    return invitation

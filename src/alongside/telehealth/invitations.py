"""Calendar invitations of one appointment (RFC 5546 iTIP over RFC 5545, built with ``icalendar``).

An invitation is content-free: "Alongside session", a time and the join link. No clinician's
name, no client's name, nothing about care. The UID is the appointment's (the same as in the
private feeds), so a calendar app updates one event; SEQUENCE rises at every move or
cancellation and METHOD is REQUEST, or CANCEL once the session is cancelled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress

from alongside.core.formatting import fmt_date, fmt_time, zone_label
from alongside.core.time import zone_or_utc
from alongside.sessions.models import Appointment, AppointmentStatus
from alongside.telehealth.calendar_models import AppointmentInvitation

PRODID = "-//Alongside//Invitations//EN"


def uid(appointment: Appointment) -> str:
    return f"{appointment.pk}@alongside"


def public_join_url(appointment: Appointment) -> str:
    """The room's address under ``ALONGSIDE_PUBLIC_URL``, or "" when the setting is unset."""
    base = str(getattr(settings, "ALONGSIDE_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}/telehealth/{appointment.pk}/" if base else ""


def invitation_ics(
    *,
    appointment: Appointment,
    invitation: AppointmentInvitation | None,
    base_url: str,
    now: dt.datetime | None = None,
    attendee: str = "",
) -> bytes:
    """The invitation as it stands: REQUEST with the current time, or CANCEL once cancelled.

    With no ``base_url`` (an email sent outside a request, where the site's address is unknown) the event
    carries no link. ``attendee`` is the address of the person it is sent to, without a name: iTIP wants
    an ATTENDEE on a REQUEST (RFC 5546 section 3.2.2), and the recipient's own address tells nobody else
    anything.
    """
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    zone = zone_or_utc(appointment.client.practice.time_zone)
    join = f"{base_url.rstrip('/')}/telehealth/{appointment.pk}/" if base_url else ""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid(appointment))
    event.add("sequence", invitation.sequence if invitation else 0)
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", appointment.starts_at.astimezone(zone))
    event.add("dtend", appointment.ends_at.astimezone(zone))
    event.add("summary", "Alongside")
    if join:
        event.add("url", join)
        event.add("description", join)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress("mailto:" + _address(settings.DEFAULT_FROM_EMAIL))
    organizer.params["cn"] = "Alongside"
    event.add("organizer", organizer)
    if attendee:
        guest = vCalAddress("mailto:" + attendee)
        guest.params["role"] = "REQ-PARTICIPANT"
        guest.params["rsvp"] = "FALSE"
        event.add("attendee", guest)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _address(sender: str) -> str:
    """The bare address of 'Name <address>'."""
    return sender.rsplit("<", 1)[-1].rstrip(">").strip()


def email_text(
    *, appointment: Appointment, person: Any, zone_name: str, change: str, attached: bool = True
) -> tuple[str, str]:
    """Subject and body in the person's language and zone: when, what changed, where to join.

    ``attached`` says the email carries the .ics; a guest's does not (they get no later moves or
    cancellations, so an event in their calendar would go stale) and is sent to the page instead.
    """
    zone = zone_or_utc(zone_name)
    with translation.override(getattr(person, "locale", "") or "en"):
        when = {
            "date": fmt_date(appointment.starts_at, "full", zone=zone),
            "time": fmt_time(appointment.starts_at, zone=zone),
            "zone": zone_label(zone),
        }
        if attached:
            where = _("The attached file updates your calendar. Sign in to Alongside and open Video sessions to join.")
        else:
            where = _("Sign in to Alongside and open Video sessions to add it to your calendar or to join.")
        if change == "cancelled":
            subject = _("Session cancelled")
            body = _("The session on %(date)s at %(time)s (%(zone)s) is cancelled.") % when
        elif change == "moved":
            subject = _("Session moved")
            body = _("Your session is now on %(date)s at %(time)s (%(zone)s).") % when
        else:
            subject = _("Session booked")
            body = _("You have a session on %(date)s at %(time)s (%(zone)s).") % when
        join = public_join_url(appointment)
        if join and change != "cancelled":
            where += "\n\n" + _("Join the session: %(url)s") % {"url": join}
        return subject, f"{body}\n\n{where}"

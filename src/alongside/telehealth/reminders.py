"""Session reminders 24 hours and 1 hour before, through channels; each channel is one small class.

A reminder is content-free: a date, a time and where to join, never the clinician's name or
specialty, nor anything about the client's care. A channel turns that into a delivery:

    class Channel(Protocol):
        key: str                       # stored with each reminder ("email", later "sms")
        def wanted(self, client) -> bool: ...
        def send(self, *, client, text: ReminderText) -> str: ...   # returns the channel's reference

An SMS channel is a new module with such a class, added to ``CHANNELS``; nothing else changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils import formats, translation
from django.utils.translation import gettext as _

from alongside.core.time import zone_or_utc
from alongside.notify.mail import email_enqueue
from alongside.sessions.models import Appointment


@dataclass(frozen=True)
class ReminderText:
    subject: str
    body: str


class Channel(Protocol):
    key: str

    def wanted(self, client: Any) -> bool: ...

    def send(self, *, client: Any, text: ReminderText) -> str: ...


class EmailChannel:
    """Through the notify outbox (retries, delivery records), to the client's sign-in address."""

    key = "email"

    def wanted(self, client: Any) -> bool:
        return bool(client.user.email) and client.user.is_active

    def send(self, *, client: Any, text: ReminderText) -> str:
        email = email_enqueue(to=client.user.email, subject=text.subject, body=text.body, kind="telehealth.reminder")
        return str(email.pk)


CHANNELS: list[Channel] = [EmailChannel()]


def reminder_text(appointment: Appointment, client: Any) -> ReminderText:
    """The reminder in the client's language and time zone: when, and how to join. Nothing else."""
    zone = zone_or_utc(client.time_zone)
    local = appointment.starts_at.astimezone(zone)
    with translation.override(getattr(client, "locale", "") or "en"):
        when = {
            "date": formats.date_format(local, "DATE_FORMAT"),
            "time": formats.time_format(local, "TIME_FORMAT"),
            "zone": str(zone),
        }
        return ReminderText(
            subject=_("Session reminder"),
            body=_(
                "You have a session on %(date)s at %(time)s (%(zone)s time). "
                "From 15 minutes before, sign in to Alongside and choose Join the video session on your home page."
            )
            % when,
        )


WINDOWS = (("24h", dt.timedelta(hours=24)), ("1h", dt.timedelta(hours=1)))

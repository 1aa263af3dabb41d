"""Session reminders 24 hours and 1 hour before, through channels; each channel is one small class.

A reminder is content-free: a date, a time and where to join, never the clinician's name or
specialty, nor anything about the client's care. A channel turns that into a delivery:

    class Channel(Protocol):
        key: str                       # stored with each reminder ("email", "in_app", later "sms")
        def wanted(self, client) -> bool: ...
        def send(self, *, client, text: ReminderText) -> str: ...   # returns the channel's reference

An SMS channel is a new module with such a class, added to ``CHANNELS``; nothing else changes.
Group sessions remind each invited client and, through ``StaffRecipient``, the clinician and each staff guest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from alongside.core.time import zone_or_utc
from alongside.notify.mail import email_enqueue
from alongside.notify.models import NotificationKind
from alongside.notify.services import notification_send
from alongside.sessions.models import Appointment
from alongside.telehealth.invitations import public_join_url


@dataclass(frozen=True)
class ReminderText:
    subject: str
    body: str
    link: str = ""  # the path of the session's room on this site
    topic: str = ""  # "telehealth.reminder:<appointment id>", ids only


@dataclass(frozen=True)
class StaffRecipient:
    """A clinician reminded of a group they run or are a staff guest of: shaped like a client for the channels."""

    user: Any

    @property
    def time_zone(self) -> str:
        return str(self.user.time_zone or "")

    @property
    def locale(self) -> str:
        return str(self.user.locale or "en")


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


class InAppChannel:
    """A notice in the app's notification list (and a live push to open pages), with the room as its link.

    Content-free like the email: the notice is of the kind "Session reminder" and links to the room.
    """

    key = "in_app"

    def wanted(self, client: Any) -> bool:
        return bool(client.user.is_active)

    def send(self, *, client: Any, text: ReminderText) -> str:
        made = notification_send(
            recipients=[client.user],
            kind=NotificationKind.SESSION,
            link=text.link or "/telehealth/",
            client=None if isinstance(client, StaffRecipient) else client,
            email=False,  # the email channel sends its own, with the time in it
            topic=text.topic,
        )
        return str(made[0].pk) if made else ""


CHANNELS: list[Channel] = [EmailChannel(), InAppChannel()]


def reminder_text(appointment: Appointment, client: Any) -> ReminderText:
    """The reminder in the client's language and time zone: when, and how to join. Nothing else."""
    zone = zone_or_utc(client.time_zone)
    local = appointment.starts_at.astimezone(zone)
    join = public_join_url(appointment)
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
            % when
            + ("\n\n" + _("Join the session: %(url)s") % {"url": join} if join else ""),
            link=f"/telehealth/{appointment.pk}/",
            topic=f"telehealth.reminder:{appointment.pk}",
        )


def group_reminder_text(group: Any, person: Any) -> ReminderText:
    """A group session's reminder for a client or its clinician: when, and where to join. No title, no names."""
    zone = zone_or_utc(person.time_zone)
    local = group.starts_at.astimezone(zone)
    base = str(getattr(settings, "ALONGSIDE_PUBLIC_URL", "") or "").rstrip("/")
    path = f"/telehealth/groups/{group.pk}/"
    with translation.override(getattr(person, "locale", "") or "en"):
        when = {
            "date": formats.date_format(local, "DATE_FORMAT"),
            "time": formats.time_format(local, "TIME_FORMAT"),
            "zone": str(zone),
        }
        return ReminderText(
            subject=_("Group session reminder"),
            body=_(
                "You have a group session on %(date)s at %(time)s (%(zone)s time). "
                "Sign in to Alongside and join it from the group's page."
            )
            % when
            + ("\n\n" + _("Join the session: %(url)s") % {"url": base + path} if base else ""),
            link=path,
            topic=f"telehealth.group_reminder:{group.pk}",
        )


WINDOWS = (("24h", dt.timedelta(hours=24)), ("1h", dt.timedelta(hours=1)))

"""Video rooms: one per appointment, holding who was admitted and when both sides were connected.

No content of a call is stored: no media, no chat, no signalling payloads. The room keeps
only moments (waiting, admitted, connected, ended), which is what attendance needs.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.sessions.models import Appointment


class TelehealthAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds roles and ids only, never call content)."""

    ROOM_JOINED = "telehealth.room_joined", _("Joined a video session")
    ROOM_ADMITTED = "telehealth.room_admitted", _("Admitted the client to a video session")
    ROOM_LEFT = "telehealth.room_left", _("Left a video session")
    ROOM_ENDED = "telehealth.room_ended", _("Ended a video session")
    ROOM_CONNECTED = "telehealth.room_connected", _("Both sides connected in a video session")
    FEED_CREATED = "telehealth.feed_created", _("Made a private calendar link")
    FEED_REVOKED = "telehealth.feed_revoked", _("Revoked a private calendar link")
    FEED_READ = "telehealth.feed_read", _("A calendar app read the private calendar")
    SERIES_CREATED = "telehealth.series_created", _("Scheduled recurring sessions")
    SERIES_CHANGED = "telehealth.series_changed", _("Changed recurring sessions")


class Role(models.TextChoices):
    CLIENT = "client", _("Client")
    CLINICIAN = "clinician", _("Clinician")
    GUEST = "guest", _("Guest")


class VideoRoom(models.Model):
    """The video room of one appointment (made on the first join)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="video_room")
    opened_at = models.DateTimeField()
    client_waiting_since = models.DateTimeField(null=True, blank=True)
    admitted_at = models.DateTimeField(null=True, blank=True)
    both_connected_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(both_connected_at__isnull=True) | Q(admitted_at__isnull=False),
                name="telehealth_room_connected_after_admission",
            ),
        ]

    def __str__(self) -> str:
        return f"video room of {self.appointment_id}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class CalendarFeed(models.Model):
    """A private iCalendar link of one person. Only a hash of its token is kept; revoking ends it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="telehealth_one_live_feed_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"calendar feed {self.id}"


class Frequency(models.IntegerChoices):
    WEEKLY = 1, _("Every week")
    FORTNIGHTLY = 2, _("Every two weeks")


class AppointmentSeries(models.Model):
    """Recurring sessions: the rule they were made from. Each occurrence is an ordinary appointment.

    Holds no client data: the client is that of its appointments (so erasing the client removes
    the occurrences; an emptied series is only a rule).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    frequency = models.PositiveSmallIntegerField(choices=Frequency.choices)
    rrule = models.CharField(max_length=200)  # RFC 5545 RRULE as made by dateutil, for reference
    time_zone = models.CharField(max_length=64)  # occurrences keep their local wall-clock time in this zone
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(frequency__in=[1, 2]), name="telehealth_series_frequency_valid"),
        ]

    def __str__(self) -> str:
        return f"series {self.id}"


class SeriesOccurrence(models.Model):
    """One appointment's place in its series (exceptions are the appointment's own moves and cancellations)."""

    series = models.ForeignKey(AppointmentSeries, on_delete=models.CASCADE, related_name="occurrences")
    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="series_occurrence")
    index = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(fields=["series", "index"], name="telehealth_occurrence_index_once"),
        ]

    def __str__(self) -> str:
        return f"occurrence {self.index} of {self.series_id}"


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "24h", _("24 hours before")
    HOUR_BEFORE = "1h", _("1 hour before")


class SessionReminder(models.Model):
    """One reminder sent for one appointment on one channel (the tick sends each at most once)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    channel = models.CharField(max_length=16)  # the key of a channel in telehealth.reminders.CHANNELS
    sent_at = models.DateTimeField()
    ref = models.CharField(max_length=64, blank=True)  # the channel's own record (an outbox email's id)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "kind", "channel"], name="telehealth_reminder_once"),
            models.CheckConstraint(condition=Q(kind__in=["24h", "1h"]), name="telehealth_reminder_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of {self.appointment_id} by {self.channel}"


# The calendar's rows live in their own module (hours, blocked time, booking rules, invitations, guests).
from alongside.telehealth.calendar_models import (  # noqa: E402
    AppointmentInvitation,
    BlockedTime,
    BookingPolicy,
    CalendarAuditAction,
    DayException,
    GuestRole,
    RoomGuest,
    WeeklyHours,
)
from alongside.telehealth.group_call_models import GroupCallAuditAction, GroupPresence  # noqa: E402,F401
from alongside.telehealth.group_models import GroupGuest, GroupMember, GroupReminder, GroupSession  # noqa: E402,F401
from alongside.telehealth.link_models import GuestLink, GuestLinkAuditAction  # noqa: E402

__all__ = [
    "AppointmentInvitation",
    "AppointmentSeries",
    "BlockedTime",
    "BookingPolicy",
    "CalendarAuditAction",
    "CalendarFeed",
    "DayException",
    "Frequency",
    "GuestLink",
    "GuestLinkAuditAction",
    "GuestRole",
    "ReminderKind",
    "Role",
    "RoomGuest",
    "SeriesOccurrence",
    "SessionReminder",
    "TelehealthAuditAction",
    "VideoRoom",
    "WeeklyHours",
]

"""Group video sessions (a skills group of up to ten clients) that run through a Janus SFU.

A group session holds a title free of clinical detail, a time, the clinician who runs it, its
invited clients and staff guests, and the Janus VideoRoom made for it. Nothing of the call is
stored. Imported by ``telehealth.models`` so Django finds these rows.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile, Practice

MIN_CLIENTS = 2
MAX_PARTICIPANTS = 10  # clients, staff guests and the clinician together (the issue: groups of up to ten)
MAX_CLIENTS = MAX_PARTICIPANTS - 1  # the clinician is one of the ten


class GroupAuditAction(models.TextChoices):
    """Audit events of group sessions (``detail`` holds ids, counts and roles, never names or titles)."""

    CREATED = "telehealth.group_created", _("Scheduled a group video session")
    CANCELLED = "telehealth.group_cancelled", _("Cancelled a group video session")
    JOINED = "telehealth.group_joined", _("Joined a group video session")
    ROOM_OPENED = "telehealth.group_room_opened", _("Opened the video room of a group session")
    ROOM_CLOSED = "telehealth.group_room_closed", _("Closed the video room of a group session")
    CHANGED = "telehealth.group_changed", _("Changed the title or time of a group session")
    MEMBER_ADDED = "telehealth.group_member_added", _("Added a client to a group session")
    MEMBER_REMOVED = "telehealth.group_member_removed", _("Removed a client from a group session")
    GUEST_ADDED = "telehealth.group_guest_added", _("Added a staff guest to a group session")
    GUEST_REMOVED = "telehealth.group_guest_removed", _("Removed a staff guest from a group session")


class GroupSession(models.Model):
    """One group video session, run by one clinician of one practice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="group_sessions")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="group_sessions")
    title = models.CharField(max_length=80)  # e.g. "Tuesday skills group": the form asks for no clinical detail
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    created_at = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The Janus VideoRoom: its number while it exists. Its pin and secret are derived from the
    # number and the server's key (telehealth.janus), so they are never stored.
    janus_room = models.BigIntegerField(null=True, blank=True, unique=True)
    room_opened_at = models.DateTimeField(null=True, blank=True)
    room_closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=240), name="telehealth_group_duration"
            ),
            models.CheckConstraint(
                condition=Q(janus_room__isnull=True) | Q(room_opened_at__isnull=False),
                name="telehealth_group_room_has_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"group session {self.id}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class GroupMember(models.Model):
    """An invited client of a group session."""

    group = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="members")
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="group_memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "client"], name="telehealth_group_member_once")]

    def __str__(self) -> str:
        return f"member of {self.group_id}"


class GroupGuest(models.Model):
    """A staff guest of a group session (a co-therapist or an interpreter of the same practice)."""

    group = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="guests")
    guest = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_guest_of")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "guest"], name="telehealth_group_guest_once")]

    def __str__(self) -> str:
        return f"guest of {self.group_id}"


class GroupReminder(models.Model):
    """One reminder sent for one group session to one person on one channel (sent at most once)."""

    group = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8)  # "24h" or "1h", as telehealth.models.ReminderKind
    channel = models.CharField(max_length=16)  # the key of a channel in telehealth.reminders.CHANNELS
    sent_at = models.DateTimeField()
    ref = models.CharField(max_length=64, blank=True)  # the channel's own record (an outbox email's id)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "recipient", "kind", "channel"], name="telehealth_group_reminder_once"
            ),
            models.CheckConstraint(condition=Q(kind__in=["24h", "1h"]), name="telehealth_group_reminder_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder of group {self.group_id} by {self.channel}"

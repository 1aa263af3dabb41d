"""The calendar's own rows: a clinician's weekly hours, exceptions and blocked time, the practice's
booking rules, the state of each appointment's calendar invitation, and guests of one room.

None of these holds clinical text: hours, moments, counts and ids only. Imported by
``telehealth.models`` so Django finds them.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models import Practice
from alongside.sessions.models import Appointment


class CalendarAuditAction(models.TextChoices):
    """Audit events of the calendar (``detail`` holds ids, counts and moments, never names)."""

    HOURS_SET = "telehealth.hours_set", _("Changed weekly working hours")
    EXCEPTION_SET = "telehealth.exception_set", _("Changed the hours of one day")
    BLOCK_ADDED = "telehealth.block_added", _("Blocked time in the calendar")
    BLOCK_REMOVED = "telehealth.block_removed", _("Freed blocked time in the calendar")
    POLICY_SET = "telehealth.booking_policy_set", _("Changed the self-booking rules")
    SELF_BOOKED = "telehealth.self_booked", _("Client booked a session")
    SELF_CANCELLED = "telehealth.self_cancelled", _("Client cancelled a session")
    GUEST_INVITED = "telehealth.guest_invited", _("Invited a guest to a video session")
    GUEST_REVOKED = "telehealth.guest_revoked", _("Withdrew a guest's invitation to a video session")
    CALENDAR_VIEWED = "telehealth.calendar_viewed", _("Viewed the session calendar")


class WeeklyHours(models.Model):
    """One stretch of a clinician's usual week, as wall-clock times in the clinician's own zone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField()  # Monday 0 … Sunday 6, as datetime.date.weekday()
    start = models.TimeField()
    end = models.TimeField()
    time_zone = models.CharField(max_length=64)

    class Meta:
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="telehealth_hours_weekday_0_6"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="telehealth_hours_start_before_end"),
        ]

    def __str__(self) -> str:
        return f"hours {self.weekday} {self.start}-{self.end}"


class DayException(models.Model):
    """One date whose hours replace the usual week: other hours, or none (both times empty)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_exceptions")
    date = models.DateField()
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["clinician", "date"], name="telehealth_one_exception_per_day"),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end__isnull=False, start__lt=F("end")),
                name="telehealth_exception_hours_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"exception {self.date}"

    @property
    def is_day_off(self) -> bool:
        return self.start is None


class BlockedTime(models.Model):
    """A stretch of time the clinician keeps free of sessions (no reason text: it could name a client)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_times")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="telehealth_block_start_before_end"),
        ]
        indexes = [models.Index(fields=["clinician", "starts_at"])]

    def __str__(self) -> str:
        return f"blocked {self.starts_at:%Y-%m-%d %H:%M}"


class BookingPolicy(models.Model):
    """A practice's rules for clients booking their own sessions. Off until an admin turns it on."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="booking_policy")
    allow_self_booking = models.BooleanField(default=False)
    notice_hours = models.PositiveSmallIntegerField(default=24)  # the earliest a client can book ahead
    cancel_hours = models.PositiveSmallIntegerField(default=24)  # the latest a client can cancel themself
    horizon_days = models.PositiveSmallIntegerField(default=28)  # how far ahead slots are offered
    duration_minutes = models.PositiveSmallIntegerField(default=50)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(horizon_days__gte=1, horizon_days__lte=180), name="telehealth_horizon"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=180), name="telehealth_booking_duration"
            ),
            models.CheckConstraint(condition=Q(notice_hours__lte=24 * 14), name="telehealth_notice_at_most_14_days"),
            models.CheckConstraint(condition=Q(cancel_hours__lte=24 * 14), name="telehealth_cancel_at_most_14_days"),
        ]

    def __str__(self) -> str:
        return f"booking policy of {self.practice_id}"

    @property
    def notice(self) -> dt.timedelta:
        return dt.timedelta(hours=self.notice_hours)

    @property
    def cancel_window(self) -> dt.timedelta:
        return dt.timedelta(hours=self.cancel_hours)


class AppointmentInvitation(models.Model):
    """The calendar invitation of one appointment: its RFC 5545 SEQUENCE, raised at every change."""

    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="invitation")
    sequence = models.PositiveIntegerField(default=0)
    method = models.CharField(max_length=8, default="REQUEST")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(method__in=["REQUEST", "CANCEL"]), name="telehealth_invite_method"),
        ]

    def __str__(self) -> str:
        return f"invitation {self.sequence} of {self.appointment_id}"


class GuestRole(models.TextChoices):
    INTERPRETER = "interpreter", _("Interpreter")
    CO_THERAPIST = "co_therapist", _("Co-therapist")


class RoomGuest(models.Model):
    """A staff member invited into one appointment's room by its clinician, until a time or until withdrawn."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="guests")
    guest = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="room_invitations")
    role = models.CharField(max_length=16, choices=GuestRole.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "guest"], condition=Q(revoked_at__isnull=True), name="telehealth_guest_once"
            ),
            models.CheckConstraint(condition=Q(role__in=GuestRole.values), name="telehealth_guest_role_valid"),
            models.CheckConstraint(condition=Q(invited_at__lt=F("expires_at")), name="telehealth_guest_expires_later"),
        ]

    def __str__(self) -> str:
        return f"guest of {self.appointment_id}"

    def is_live(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

"""Appointments between a client and a clinician: when, how long, and what became of them.

No clinical free text lives here; session notes will be their own model, encrypted under
the client's key.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile

MIN_MINUTES = 5
MAX_MINUTES = 480


class SessionsAuditAction(models.TextChoices):
    """Audit events of this app, written to the shared chain (``detail`` holds ids and labels only)."""

    APPOINTMENT_CREATED = "sessions.appointment_created", _("Appointment scheduled")
    APPOINTMENT_RESCHEDULED = "sessions.appointment_rescheduled", _("Appointment rescheduled")
    APPOINTMENT_CANCELLED = "sessions.appointment_cancelled", _("Appointment cancelled")
    APPOINTMENT_MARKED = "sessions.appointment_marked", _("Appointment marked attended or missed")
    APPOINTMENTS_VIEWED = "sessions.appointments_viewed", _("Viewed appointments")
    BRIEF_VIEWED = "sessions.brief_viewed", _("Viewed the session brief")


class AppointmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ATTENDED = "attended", _("Attended")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not attend")


class Appointment(models.Model):
    """One session of a client with a clinician, at an aware moment, for a number of minutes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="appointments")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=50)
    status = models.CharField(max_length=16, choices=AppointmentStatus.choices, default=AppointmentStatus.SCHEDULED)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=MIN_MINUTES, duration_minutes__lte=MAX_MINUTES),
                name="sessions_appointment_duration_5_480",
            ),
            models.CheckConstraint(
                condition=(Q(status=AppointmentStatus.CANCELLED) & Q(cancelled_at__isnull=False))
                | (~Q(status=AppointmentStatus.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="sessions_appointment_cancelled_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AppointmentStatus.values), name="sessions_appointment_status_valid"
            ),
            # One scheduled session per clinician per start time: a double submit cannot make two.
            models.UniqueConstraint(
                fields=["clinician", "starts_at"],
                condition=Q(status=AppointmentStatus.SCHEDULED),
                name="sessions_appointment_one_per_start",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "starts_at"]),
            models.Index(fields=["clinician", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"appointment {self.starts_at:%Y-%m-%d %H:%M} for {self.client_id}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    def has_started(self, now: dt.datetime | None = None) -> bool:
        return self.starts_at <= (now or timezone.now())

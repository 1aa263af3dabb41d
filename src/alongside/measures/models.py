"""Schedules, requests, responses and scores for questionnaires (critical alerts are in ``alongside.safety``).

Instrument codes (``phq9``, ``gad7``...) name instruments of :mod:`alongside.measures.library`;
the library, not the database, owns their items and scoring rules.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile, Practice
from alongside.core.models import DEFAULT_ESCALATION_MINUTES
from alongside.crypto.fields import EncryptedJSONField

__all__ = ["DEFAULT_ESCALATION_MINUTES"]  # re-exported: the practice settings moved to core


class MeasureAuditAction(models.TextChoices):
    """Audit events of this app, written to the shared chain (``detail`` holds ids and labels only)."""

    SCHEDULE_SET = "measures.schedule_set", _("Questionnaire schedule set")
    SCHEDULE_ENDED = "measures.schedule_ended", _("Questionnaire schedule ended")
    RESPONSE_STARTED = "measures.response_started", _("Questionnaire started")
    RESPONSE_SUBMITTED = "measures.response_submitted", _("Questionnaire submitted")
    SCORES_VIEWED = "measures.scores_viewed", _("Viewed questionnaire scores")
    ALERTS_LISTED = "measures.alerts_listed", _("Listed in critical alerts")
    SETTINGS_CHANGED = "measures.settings_changed", _("Practice measure settings changed")
    CUSTOM_IMPORTED = "measures.custom_imported", _("Custom questionnaire imported")


class ScheduleRule(models.TextChoices):
    EVERY_N_DAYS = "every_n_days", _("Every few days")
    BEFORE_SESSION = "before_session", _("Before each session")
    ONCE = "once", _("Once")


class MeasureSchedule(models.Model):
    """One version of a rule for asking a client to complete an instrument.

    Versions are never edited: a change ends the current version and starts a new one,
    so requests already made (and their telemetry) are never regenerated or resent.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="measure_schedules")
    instrument = models.CharField(max_length=32)
    rule = models.CharField(max_length=16, choices=ScheduleRule.choices)
    interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    time_of_day = models.TimeField(default=dt.time(9, 0), help_text=_("Local time in the client's time zone."))
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(rule=ScheduleRule.EVERY_N_DAYS) & Q(interval_days__isnull=False) & Q(interval_days__gte=1))
                | (~Q(rule=ScheduleRule.EVERY_N_DAYS) & Q(interval_days__isnull=True)),
                name="measures_schedule_interval_matches_rule",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="measures_schedule_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("created_at")),
                name="measures_schedule_ended_after_created",
            ),
            models.UniqueConstraint(
                fields=["client", "instrument"],
                condition=Q(ended_at__isnull=True),
                name="measures_one_current_schedule_per_instrument",
            ),
        ]
        indexes = [models.Index(fields=["rule", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.rule} for {self.client_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Due")
    COMPLETED = "completed", _("Completed")
    EXPIRED = "expired", _("Expired")


class DeliveryChannel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    PUSH = "push", _("Push notification")
    SMS = "sms", _("Text message")


class MeasureRequest(models.Model):
    """A request to complete an instrument, with its delivery telemetry.

    ``scheduled_at`` (made), ``delivered_at`` (reminder sent, by ``delivery_channel``),
    ``seen_at`` (shown on the home page), ``opened_at``, ``completed_at`` or ``expired_at``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="measure_requests")
    instrument = models.CharField(max_length=32)
    schedule = models.ForeignKey(
        MeasureSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    occurrence = models.DateField(null=True, blank=True, help_text=_("The schedule's local date this request is for."))
    due_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    scheduled_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivery_channel = models.CharField(max_length=16, choices=DeliveryChannel.choices, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "occurrence"],
                condition=Q(schedule__isnull=False),
                name="measures_request_once_per_occurrence",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=F("due_at")), name="measures_request_expires_after_due"),
            models.CheckConstraint(
                condition=(Q(delivered_at__isnull=True) & Q(delivery_channel=""))
                | (Q(delivered_at__isnull=False) & ~Q(delivery_channel="")),
                name="measures_request_delivery_has_channel",
            ),
            models.CheckConstraint(
                condition=(Q(status=RequestStatus.PENDING) & Q(completed_at__isnull=True) & Q(expired_at__isnull=True))
                | (Q(status=RequestStatus.COMPLETED) & Q(completed_at__isnull=False) & Q(expired_at__isnull=True))
                | (Q(status=RequestStatus.EXPIRED) & Q(expired_at__isnull=False) & Q(completed_at__isnull=True)),
                name="measures_request_status_timestamps",
            ),
        ]
        indexes = [models.Index(fields=["client", "status"]), models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} due {self.due_at:%Y-%m-%d %H:%M} for {self.client_id}"


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class MeasureResponse(models.Model):
    """One administration of an instrument. Answers are saved as they go and encrypted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="measure_responses")
    instrument = models.CharField(max_length=32)
    request = models.ForeignKey(
        MeasureRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    idempotency_key = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS)
    answers = EncryptedJSONField(key_field="client_id")  # {link_id: value}; no default: it would bypass sealing
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="measures_response_idempotency_key"),
            models.CheckConstraint(
                condition=(Q(status=ResponseStatus.SUBMITTED) & Q(submitted_at__isnull=False))
                | (Q(status=ResponseStatus.IN_PROGRESS) & Q(submitted_at__isnull=True)),
                name="measures_response_submitted_has_time",
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status=ResponseStatus.SUBMITTED, request__isnull=False),
                name="measures_one_submission_per_request",
            ),
        ]
        indexes = [models.Index(fields=["client", "instrument", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} response {self.pk}"


class MeasureScore(models.Model):
    """The scored result of a submitted response: numbers and band names only, never free text."""

    response = models.OneToOneField(MeasureResponse, on_delete=models.CASCADE, primary_key=True, related_name="score")
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="measure_scores")
    instrument = models.CharField(max_length=32)
    scored_at = models.DateTimeField()
    total = models.FloatField(null=True, blank=True)
    severity = models.CharField(max_length=64, blank=True)
    caseness = models.BooleanField(null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    critical_items = models.JSONField(default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-scored_at"]
        indexes = [models.Index(fields=["client", "instrument", "scored_at"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.total} for {self.client_id}"


class MeasureScoreSummary(models.Model):
    """Each client's first and latest score per instrument, kept with every new score.

    The caseload reads these rows instead of searching the score history, so its cost does
    not grow with how long clients have been in care. ``score_summaries_rebuild`` recomputes
    them from the scores (used after bulk imports and by the migration that created this table).
    """

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="score_summaries")
    instrument = models.CharField(max_length=32)
    first_total = models.FloatField(null=True, blank=True)
    first_at = models.DateTimeField()
    latest_total = models.FloatField(null=True, blank=True)
    latest_at = models.DateTimeField()
    latest_severity = models.CharField(max_length=64, blank=True)
    latest_caseness = models.BooleanField(null=True, blank=True)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "instrument"], name="measures_summary_once"),
            models.CheckConstraint(condition=Q(latest_at__gte=models.F("first_at")), name="measures_summary_order"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} summary for {self.client_id}"


class CustomInstrument(models.Model):
    """A practice's own questionnaire, imported from FHIR R4 Questionnaire JSON; sum-scored and not validated."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="custom_instruments")
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    questionnaire = models.JSONField(help_text=_("The FHIR R4 Questionnaire as imported."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "code"], name="measures_custom_instrument_code_unique"),
            models.CheckConstraint(condition=Q(code__startswith="custom"), name="measures_custom_code_prefixed"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

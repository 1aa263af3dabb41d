"""What the safety app stores: flags on a client's free text, clinicians' feedback, and critical alerts.

A critical alert (a critical questionnaire answer, or crisis language in a message or other free text) is the
one thing a clinician must acknowledge; it moved here from measures (issue #12) so that every app raising one
sits above it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile
from alongside.crypto.fields import EncryptedTextField


class FlagSource(models.TextChoices):
    """Which kind of free text was checked (a message raises its critical alert directly, without a flag)."""

    CHECKIN_NOTE = "checkin_note", _("Check-in note")
    EXERCISE_ENTRY = "exercise_entry", _("Exercise entry")
    SESSION_TOPIC = "session_topic", _("Topic for next session")
    QUESTIONNAIRE_TEXT = "questionnaire_text", _("Questionnaire free text")


class FlagLevel(models.TextChoices):
    REVIEW = "review", _("Review")
    URGENT = "urgent", _("Urgent")


class SafetyAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds the source kind, level and categories only)."""

    FLAG_RAISED = "safety.flag_raised", _("Crisis language flagged in a client's text")
    FLAGS_LISTED = "safety.flags_listed", _("Crisis-language flags listed")
    FEEDBACK_GIVEN = "safety.feedback_given", _("Clinician feedback on the crisis-language check")
    # The alert actions keep the codes they had in measures, so that the audit history reads as one.
    ALERT_RAISED = "measures.alert_raised", _("Critical answer alert raised")
    ALERT_ACKNOWLEDGED = "measures.alert_acknowledged", _("Critical answer alert acknowledged")
    ALERT_ESCALATED = "measures.alert_escalated", _("Critical answer alert escalated")


class SafetyFlag(models.Model):
    """Crisis language found in a client's free text: its level, categories and evidence (encrypted)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="safety_flags")
    source = models.CharField(max_length=24, choices=FlagSource.choices)
    source_id = models.CharField(max_length=64)
    level = models.CharField(max_length=8, choices=FlagLevel.choices)
    categories = models.JSONField(default=list)
    evidence = EncryptedTextField(key_field="client_id", blank=True)  # JSON; holds matched phrases
    # The text that was checked (encrypted), so that a clinician's verdict on the flag can be exported.
    text = EncryptedTextField(key_field="client_id", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], name="safety_flag_one_per_text"),
            models.CheckConstraint(condition=Q(level__in=FlagLevel.values), name="safety_flag_level_known"),
            models.CheckConstraint(condition=Q(source__in=FlagSource.values), name="safety_flag_source_known"),
        ]

    def __str__(self) -> str:
        return f"{self.level} flag on {self.source} {self.source_id}"


class FeedbackVerdict(models.TextChoices):
    NOT_A_CRISIS = "not_a_crisis", _("Not a crisis")
    MISSED_SOMETHING = "missed_something", _("Missed something")


class FeedbackTarget(models.TextChoices):
    ALERT = "alert", _("Alert")
    FLAG = "flag", _("Flag")
    MESSAGE = "message", _("Message")
    TEXT = "text", _("Check-in note, exercise entry or topic")


class SafetyFeedback(models.Model):
    """A clinician's verdict on the crisis-language check for one text; the text and the note are encrypted.

    "Not a crisis" on an alert or flag, "missed something" on a text the check let through.
    Exported by ``alongside safety feedback-export`` in the evaluate format for retraining.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="safety_feedback")
    target = models.CharField(max_length=8, choices=FeedbackTarget.choices)
    target_id = models.CharField(max_length=64)
    verdict = models.CharField(max_length=16, choices=FeedbackVerdict.choices)
    language = models.CharField(max_length=8, blank=True)
    text = EncryptedTextField(key_field="client_id", blank=True)
    note = EncryptedTextField(key_field="client_id", blank=True)
    given_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verdict__in=FeedbackVerdict.values), name="safety_feedback_verdict_known"
            ),
            models.CheckConstraint(condition=Q(target__in=FeedbackTarget.values), name="safety_feedback_target_known"),
        ]

    def __str__(self) -> str:
        return f"{self.verdict} on {self.target} {self.target_id}"


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ESCALATED = "escalated", _("Escalated")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class AlertSource(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", _("A critical answer on a questionnaire")
    MESSAGE = "message", _("Crisis language in a message")
    FLAG = "flag", _("Crisis language in other free text")


MESSAGE_ALERT_INSTRUMENT = "message"  # the ``instrument`` of alerts raised by a message
FLAG_ALERT_INSTRUMENT = "flag"  # the ``instrument`` of alerts raised by a safety flag (note, entry, topic)
REVIEW_PREFIX = "review:"  # the ``risk_level`` prefix of review-level alerts (no email, no escalation)


class CriticalAlert(models.Model):
    """A critical answer or crisis language that the treating clinician must acknowledge, with a note."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="critical_alerts")
    source = models.CharField(max_length=16, choices=AlertSource.choices, default=AlertSource.QUESTIONNAIRE)
    response = models.OneToOneField(
        "measures.MeasureResponse", on_delete=models.CASCADE, related_name="alert", null=True, blank=True
    )
    message = models.OneToOneField(
        "messaging.Message", on_delete=models.CASCADE, related_name="alert", null=True, blank=True
    )
    flag = models.OneToOneField(
        "safety.SafetyFlag", on_delete=models.CASCADE, related_name="alert", null=True, blank=True
    )
    instrument = models.CharField(max_length=32)
    items = models.JSONField(default=list, help_text=_("1-based numbers of the critical items."))
    risk_level = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(key_field="client_id", blank=True)

    class Meta:
        # The table keeps the name it had in measures: the note's encryption binds the table name (crypto.fields),
        # so renaming it would make every stored note unreadable. The rows never moved (migration 0005).
        db_table = "measures_criticalalert"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status=AlertStatus.ACKNOWLEDGED)
                    & Q(acknowledged_at__isnull=False)
                    & Q(acknowledged_by__isnull=False)
                )
                | (~Q(status=AlertStatus.ACKNOWLEDGED) & Q(acknowledged_at__isnull=True)),
                name="measures_alert_acknowledged_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(status=AlertStatus.ESCALATED) | Q(escalated_at__isnull=False),
                name="measures_alert_escalated_has_time",
            ),
            models.CheckConstraint(
                condition=(
                    Q(source=AlertSource.QUESTIONNAIRE)
                    & Q(response__isnull=False)
                    & Q(message__isnull=True)
                    & Q(flag__isnull=True)
                )
                | (
                    Q(source=AlertSource.MESSAGE)
                    & Q(message__isnull=False)
                    & Q(response__isnull=True)
                    & Q(flag__isnull=True)
                )
                | (
                    Q(source=AlertSource.FLAG)
                    & Q(flag__isnull=False)
                    & Q(response__isnull=True)
                    & Q(message__isnull=True)
                ),
                name="measures_alert_has_one_source_of_three",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="measures_cr_status_1e9c66_idx"),
            models.Index(fields=["client", "status"], name="measures_cr_client__b25bc4_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} alert {self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status != AlertStatus.ACKNOWLEDGED


def alert_topic(alert_id: uuid.UUID | str) -> str:
    """The notify topic of an alert's notices (its in-app notices live in notify.Notification)."""
    return f"measures.alert:{alert_id}"

"""What the safety app stores: a flag on a client's free text that crisis language was found in."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile
from alongside.crypto.fields import EncryptedTextField


class FlagSource(models.TextChoices):
    """Which kind of free text was checked (messages raise measures alerts instead)."""

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

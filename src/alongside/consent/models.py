"""Versioned consent documents, signatures, and the client's sharing scopes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile, Practice
from alongside.crypto.fields import EncryptedTextField


class Scope(models.TextChoices):
    """A stream of client data the client may share with their care team."""

    MOOD = "mood", _("Mood check-ins")
    MEASURES = "measures", _("Questionnaires and scores")
    EXERCISES = "exercises", _("Exercises and practice logs")
    JOURNAL = "journal", _("Journal and free text")
    # Wearable data is shared per stream, each revocable on its own (issue #15).
    WEARABLES_SLEEP = "wearables_sleep", _("Sleep from devices")
    WEARABLES_HEART = "wearables_heart", _("Heart rate and heart-rate variability from devices")
    WEARABLES_ACTIVITY = "wearables_active", _("Steps and activity from devices")
    MESSAGES = "messages", _("Messages")
    RESEARCH = "research", _("De-identified research use")


SCOPE_HELP = {
    Scope.MOOD: _("Your daily mood, emotions, sleep and activities."),
    Scope.MEASURES: _("Your answers to questionnaires and their scores."),
    Scope.EXERCISES: _("Thought records, activity plans, exposure practice and relaxation logs."),
    Scope.JOURNAL: _("Notes and other text you write for yourself."),
    Scope.WEARABLES_SLEEP: _("How long and how regularly you sleep, from a watch or phone you connect."),
    Scope.WEARABLES_HEART: _("Resting heart rate and heart-rate variability from a watch you connect."),
    Scope.WEARABLES_ACTIVITY: _("Steps, active minutes and workouts from a watch or phone you connect."),
    Scope.MESSAGES: _("Secure messages with your care team."),
    Scope.RESEARCH: _("Use of your data, with names and identifiers removed, in research."),
}


WEARABLE_SCOPES = (Scope.WEARABLES_SLEEP, Scope.WEARABLES_HEART, Scope.WEARABLES_ACTIVITY)


class ConsentDocument(models.Model):
    """One version of a practice's consent text. Published versions are never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="consent_documents")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text=_("Plain text; paragraphs separated by blank lines."))
    body_sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["practice", "version"], name="consent_document_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ConsentSignature(models.Model):
    """A client's signature of one document version, with the hash of the text they saw."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="consent_signatures")
    document = models.ForeignKey(ConsentDocument, on_delete=models.PROTECT, related_name="signatures")
    signed_at = models.DateTimeField()
    text_sha256 = models.CharField(max_length=64)
    typed_name = EncryptedTextField(key_field="client_id")

    class Meta:
        ordering = ["-signed_at"]
        constraints = [models.UniqueConstraint(fields=["client", "document"], name="consent_signature_once")]

    def __str__(self) -> str:
        return f"signature of v{self.document.version} by {self.client_id}"


class ScopeGrant(models.Model):
    """Whether a client currently shares one scope. History lives in the audit log."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="scope_grants")
    scope = models.CharField(max_length=16, choices=Scope.choices)
    granted = models.BooleanField(default=False)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "scope"], name="consent_scope_once")]

    def __str__(self) -> str:
        return f"{self.scope}={'on' if self.granted else 'off'} for {self.client_id}"

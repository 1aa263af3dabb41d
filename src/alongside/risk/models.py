"""Stored risk warnings: one row per client, refreshed when a new score arrives, read by the caseload and brief."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile
from alongside.crypto.fields import EncryptedTextField


class RiskAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds ids and labels, never the note)."""

    REVIEWED = "risk.reviewed", _("Reviewed a risk warning")
    EXTRACTED = "risk.extracted", _("Wrote a de-identified research extract")
    MODEL_FITTED = "risk.model_fitted", _("Fitted and evaluated a practice's own risk model")


class ModelKind(models.TextChoices):
    NOT_ON_TRACK = "not_on_track", _("Not on track")
    DROPOUT = "dropout", _("Dropout")


class ModelSource(models.TextChoices):
    REFERENCE = "reference", _("Reference model (synthetic population)")
    PRACTICE = "practice", _("Fitted on this practice's history")


class PracticeModel(models.Model):
    """A model fitted on a practice's own history, with the evaluation that judged it and its model card.

    Like the reference files, the model is JSON with the hash its evaluation recorded: a row whose model no longer
    matches that hash, or whose evaluation failed, is never used. At most one model of each kind is active.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey("care.Practice", on_delete=models.CASCADE, related_name="risk_models")
    kind = models.CharField(max_length=16, choices=ModelKind.choices)
    model = models.JSONField()
    evaluation = models.JSONField()
    model_sha256 = models.CharField(max_length=64)
    card = models.TextField(help_text=_("The model card (Markdown), written by the evaluation."))
    fitted_at = models.DateTimeField()
    active = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "kind"], condition=Q(active=True), name="risk_one_active_model_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} model of {self.practice_id} ({self.fitted_at:%Y-%m-%d})"


class ClientRisk(models.Model):
    """A client's latest warnings from the evaluated models (a derived cache: recomputed, never edited by hand)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.OneToOneField(ClientProfile, on_delete=models.CASCADE, related_name="risk")
    computed_at = models.DateTimeField()
    day_of_care = models.PositiveIntegerField()
    dropout = models.FloatField(help_text=_("Probability of ending care by dropout in the next 28 days."))
    dropout_flag = models.BooleanField(default=False)
    factors = models.JSONField(default=list, blank=True, help_text=_("[{feature, value}] that raised the risk most."))
    not_on_track = models.BooleanField(default=False)
    phq9_total = models.FloatField(null=True, blank=True)
    phq9_expected = models.FloatField(null=True, blank=True)
    phq9_upper = models.FloatField(null=True, blank=True)
    phq9_session = models.PositiveSmallIntegerField(null=True, blank=True)
    model_sha256 = models.CharField(max_length=64)
    model_source = models.CharField(max_length=16, choices=ModelSource.choices, default=ModelSource.REFERENCE)
    weekly = models.JSONField(
        default=list,
        blank=True,
        help_text=_("[[week end (ISO date), flagged]] for each of the last 12 weeks the client was in care."),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = EncryptedTextField(key_field="client_id", blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(dropout__gte=0, dropout__lte=1), name="risk_clientrisk_dropout_0_1"),
        ]

    def __str__(self) -> str:
        return f"risk of {self.client_id}"

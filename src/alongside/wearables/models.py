"""Imports and daily features. Raw samples live outside the database, in encrypted Parquet (see storage)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile
from alongside.wearables.metrics import Metric

__all__ = ["CsvMapping", "DailyFeature", "ImportJob", "Metric", "SourceName", "WearablesAuditAction"]


class WearablesAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds ids and counts, never measurements)."""

    IMPORTED = "wearables.imported", _("Imported wearable data")
    DELETED = "wearables.deleted", _("Deleted wearable data")
    FEATURES_VIEWED = "wearables.features_viewed", _("Viewed wearable data")
    CSV_MAPPING_SAVED = "wearables.csv_mapping_saved", _("Saved a CSV column mapping")


class SourceName(models.TextChoices):
    APPLE = "apple", _("Apple Health")
    FITBIT = "fitbit", _("Fitbit")
    OMH = "omh", _("Open mHealth")
    FIT = "fit", _("Garmin FIT")
    CSV = "csv", _("CSV file")


class ImportJob(models.Model):
    """One file imported for one client; its samples are the Parquet file named by ``id``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="wearable_imports")
    source = models.CharField(max_length=16, choices=SourceName.choices)
    file_sha256 = models.CharField(max_length=64)
    records = models.PositiveIntegerField(default=0)
    samples_stored = models.PositiveIntegerField(default=0)
    duplicates_dropped = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["client", "file_sha256"], name="wearables_file_once")]

    def __str__(self) -> str:
        return f"{self.source} import {self.id} for {self.client_id}"


class DailyFeature(models.Model):
    """One feature of one of the client's local days, with the personal baseline of the 28 days before."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="wearable_features")
    day = models.DateField()
    metric = models.CharField(max_length=24, choices=Metric.choices)
    value = models.FloatField()
    baseline_median = models.FloatField(null=True, blank=True)
    baseline_mad = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["day", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["client", "day", "metric"], name="wearables_feature_once"),
            models.CheckConstraint(condition=models.Q(baseline_mad__gte=0), name="wearables_mad_not_negative"),
        ]
        indexes = [models.Index(fields=["client", "metric", "day"])]

    def __str__(self) -> str:
        return f"{self.metric}={self.value:g} on {self.day} for {self.client_id}"


class CsvMapping(models.Model):
    """How a client's CSV files are laid out; ``mapping`` is a validated ``ColumnMapping`` (see sources.csv)."""

    client = models.OneToOneField(ClientProfile, on_delete=models.CASCADE, related_name="wearable_csv_mapping")
    mapping = models.JSONField()
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"CSV mapping for {self.client_id}"

"""Imports and daily features. Raw samples live outside the database, in encrypted Parquet (see storage)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile


class WearablesAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds ids and counts, never measurements)."""

    IMPORTED = "wearables.imported", _("Imported wearable data")
    DELETED = "wearables.deleted", _("Deleted wearable data")
    FEATURES_VIEWED = "wearables.features_viewed", _("Viewed wearable data")


class SourceName(models.TextChoices):
    APPLE = "apple", _("Apple Health")
    FITBIT = "fitbit", _("Fitbit")
    OMH = "omh", _("Open mHealth")


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


class Metric(models.TextChoices):
    """A daily feature. HRV is kept as the measure the device gives: SDNN and RMSSD are never mixed."""

    SLEEP_TOTAL = "sleep_total_min", _("Sleep (minutes)")
    SLEEP_IN_BED = "sleep_in_bed_min", _("Time in bed (minutes)")
    SLEEP_EFFICIENCY = "sleep_efficiency", _("Sleep efficiency (%)")
    SLEEP_ONSET = "sleep_onset_min", _("Fell asleep (minutes from midnight)")
    SLEEP_MIDPOINT = "sleep_midpoint_min", _("Sleep midpoint (minutes from midnight)")
    SLEEP_WAKE = "sleep_wake_min", _("Woke (minutes from midnight)")
    RESTING_HR = "resting_hr", _("Resting heart rate (bpm)")
    HRV_SDNN = "hrv_sdnn_ms", _("Heart-rate variability, SDNN (ms)")
    HRV_RMSSD = "hrv_rmssd_ms", _("Heart-rate variability, RMSSD (ms)")
    STEPS = "steps", _("Steps")
    ACTIVE_MIN = "active_min", _("Active minutes")
    WORKOUT_MIN = "workout_min", _("Workout minutes")
    WEAR_MIN = "wear_min", _("Watch worn (minutes)")


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

"""Imports and daily features. Raw samples live outside the database, in encrypted Parquet (see storage)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile
from alongside.wearables.metrics import Metric

__all__ = [
    "CsvMapping",
    "DailyFeature",
    "ImportJob",
    "Metric",
    "SourceName",
    "Upload",
    "UploadStatus",
    "WearablesAuditAction",
]


class WearablesAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds ids and counts, never measurements)."""

    IMPORTED = "wearables.imported", _("Imported wearable data")
    DELETED = "wearables.deleted", _("Deleted wearable data")
    FEATURES_VIEWED = "wearables.features_viewed", _("Viewed wearable data")
    CSV_MAPPING_SAVED = "wearables.csv_mapping_saved", _("Saved a CSV column mapping")
    UPLOAD_STARTED = "wearables.upload_started", _("Started uploading a wearable file")


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
    # The first and last sample start (UTC epoch seconds) in the file, so an import reads only the files
    # that overlap its time range; empty for an import without samples and for imports made before 0005.
    first_start = models.BigIntegerField(null=True, blank=True)
    last_start = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["client", "file_sha256"], name="wearables_file_once")]
        indexes = [models.Index(fields=["client", "first_start"], name="wearables_import_span")]

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


class UploadStatus(models.TextChoices):
    RECEIVING = "receiving", _("Uploading")
    QUEUED = "queued", _("Waiting to be read")
    PARSING = "parsing", _("Reading")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class Upload(models.Model):
    """A file the client sends in chunks from the browser, then imported by a background task.

    The bytes go to ``<VAR_DIR>/wearables-uploads/<id>.part`` (see uploads); ``received`` is how far they go,
    so an interrupted upload resumes from there. The file is removed once the import ends, either way.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="wearable_uploads")
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=16, choices=SourceName.choices)
    # Fitbit only: how per-minute times are read, "utc" or "profile" (sources/fitbit); empty is the default rule.
    minute_zone = models.CharField(max_length=8, blank=True, default="")
    size = models.BigIntegerField()
    received = models.BigIntegerField(default=0)
    parsed = models.BigIntegerField(default=0)
    status = models.CharField(max_length=12, choices=UploadStatus.choices, default=UploadStatus.RECEIVING)
    message = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="wearables_upload_not_empty"),
            models.CheckConstraint(condition=models.Q(received__lte=models.F("size")), name="wearables_upload_in_size"),
        ]

    def __str__(self) -> str:
        return f"upload {self.id} ({self.status}) for {self.client_id}"

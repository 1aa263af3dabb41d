"""The daily features, kept apart from the models so the pure computations import without the app registry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    SLEEP_SCORE = "sleep_score", _("Sleep score (Fitbit, 0-100)")
    SLEEP_REGULARITY = "sleep_regularity", _("Sleep regularity index (-100 to 100)")

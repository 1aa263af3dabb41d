"""The app library: outside apps, their versioned evaluations, and clients' digital readiness checks.

Evaluations follow the levels of the APA App Evaluation Model; each answer is one question in the manner of the
M-Health Index and Navigation (MIND) database, with its evidence (a link, the date checked, who checked it).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.crypto.fields import EncryptedJSONField, EncryptedTextField

__all__ = [
    "Answer",
    "App",
    "AppLibraryAuditAction",
    "AppStatus",
    "ClientModes",
    "Cost",
    "Evaluation",
    "EvaluationAnswer",
    "ImportSource",
    "ImportedEntry",
    "ReadinessCheck",
    "Recommendation",
    "RecommendationStatus",
]


class AppLibraryAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds ids and counts, never answers)."""

    CATALOGUE_LOADED = "applibrary.catalogue_loaded", _("Loaded the app catalogue")
    READINESS_RECORDED = "applibrary.readiness_recorded", _("Recorded a digital readiness check")
    READINESS_VIEWED = "applibrary.readiness_viewed", _("Viewed a digital readiness check")
    RECOMMENDED = "applibrary.recommended", _("Recommended an app")
    RECOMMENDATION_ANSWERED = "applibrary.recommendation_answered", _("Answered an app recommendation")
    RECOMMENDATIONS_VIEWED = "applibrary.recommendations_viewed", _("Viewed app recommendations")
    MODES_SET = "applibrary.modes_set", _("Changed display modes")
    ENTRIES_IMPORTED = "applibrary.entries_imported", _("Imported mood entries from another app")
    EVALUATION_REVISED = "applibrary.evaluation_revised", _("Revised an app evaluation")
    IMPORTS_VIEWED = "applibrary.imports_viewed", _("Viewed imported mood entries")


class AppStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    FREEMIUM = "freemium", _("Free with paid features")
    SUBSCRIPTION = "subscription", _("Subscription")
    UNKNOWN = "unknown", _("Unknown")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class App(models.Model):
    """An outside app in the practice's catalogue. Lists are small codes (see ``vocab``), validated on load."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    developer = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True)
    summary = models.TextField(blank=True)
    targets = models.JSONField(default=list)  # codes from vocab.TARGETS
    platforms = models.JSONField(default=list)  # codes from vocab.PLATFORMS
    languages = models.JSONField(default=list)  # BCP 47 codes, e.g. "en", "es"
    export_kinds = models.JSONField(default=list)  # codes from vocab.EXPORTS
    cost = models.CharField(max_length=20, choices=Cost.choices, default=Cost.UNKNOWN)
    status = models.CharField(max_length=20, choices=AppStatus.choices, default=AppStatus.AVAILABLE)
    withdrawn_on = models.DateField(null=True, blank=True)  # the closure date, when known for certain
    status_note = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=AppStatus.WITHDRAWN) | Q(withdrawn_on__isnull=True),
                name="applibrary_app_closure_only_when_withdrawn",
            ),
            models.CheckConstraint(condition=Q(cost__in=Cost.values), name="applibrary_app_cost_valid"),
            models.CheckConstraint(condition=Q(status__in=AppStatus.values), name="applibrary_app_status_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_withdrawn(self) -> bool:
        return self.status == AppStatus.WITHDRAWN


class Evaluation(models.Model):
    """One dated evaluation of an app; a new one gets the next version and the old ones stay."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="evaluations")
    version = models.PositiveIntegerField()
    evaluated_on = models.DateField()
    review_by = models.DateField()
    evaluated_by = models.CharField(max_length=200)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["app", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["app", "version"], name="applibrary_evaluation_one_per_version"),
            models.CheckConstraint(
                condition=Q(review_by__gte=models.F("evaluated_on")), name="applibrary_evaluation_review_after"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="applibrary_evaluation_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.app} v{self.version} ({self.evaluated_on})"

    def needs_rechecking(self, today: dt.date) -> bool:
        """Whether the review date has passed."""
        return today > self.review_by


class EvaluationAnswer(models.Model):
    """One question's answer with its evidence. Without a link, a date and a checker it is unverified."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=60)  # a code from questions.QUESTIONS
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.UNKNOWN)
    evidence_url = models.URLField(blank=True)
    checked_on = models.DateField(null=True, blank=True)
    checked_by = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["evaluation", "question"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "question"], name="applibrary_answer_one_per_question"),
            models.CheckConstraint(condition=Q(answer__in=Answer.values), name="applibrary_answer_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.answer}"

    @property
    def verified(self) -> bool:
        return bool(self.evidence_url and self.checked_on and self.checked_by)


class ReadinessCheck(models.Model):
    """A client's digital readiness check: answers (encrypted), the eHEALS total and the configuration it suggests."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("care.ClientProfile", on_delete=models.CASCADE, related_name="readiness_checks")
    taken_at = models.DateTimeField()
    filled_by_clinician = models.BooleanField(default=False)
    answers = EncryptedJSONField(key_field="client_id")
    eheals_total = models.PositiveSmallIntegerField(null=True, blank=True)
    configuration = EncryptedJSONField(key_field="client_id")

    class Meta:
        ordering = ["client", "-taken_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(eheals_total__isnull=True) | Q(eheals_total__gte=8, eheals_total__lte=40),
                name="applibrary_readiness_eheals_range",
            ),
        ]

    def __str__(self) -> str:
        return f"readiness check {self.pk}"


class RecommendationStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("Recommended")
    USING = "using", _("Using it")
    DECLINED = "declined", _("Not for me")


class Recommendation(models.Model):
    """A clinician's recommendation of an app to a client, with a purpose, and the client's answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("care.ClientProfile", on_delete=models.CASCADE, related_name="app_recommendations")
    app = models.ForeignKey(App, on_delete=models.PROTECT, related_name="recommendations")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="+")  # the version recommended
    recommended_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    purpose = EncryptedTextField(key_field="client_id")
    note = EncryptedTextField(key_field="client_id", blank=True)
    data_practices_discussed = models.BooleanField()
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.RECOMMENDED
    )
    comment = EncryptedTextField(key_field="client_id", blank=True)  # how it is going, or why not
    responded_at = models.DateTimeField(null=True, blank=True)
    acknowledged_evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the evaluation version the client saw when they answered

    class Meta:
        ordering = ["client", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(data_practices_discussed=True), name="applibrary_recommendation_discussed"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values), name="applibrary_recommendation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=RecommendationStatus.RECOMMENDED)
                | Q(responded_at__isnull=False, acknowledged_evaluation__isnull=False),
                name="applibrary_recommendation_answer_acknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"recommendation {self.pk}"


class ClientModes(models.Model):
    """How the client's pages look: the modes a readiness check suggests, applied by the client or their clinician."""

    client = models.OneToOneField("care.ClientProfile", on_delete=models.CASCADE, primary_key=True, related_name="+")
    discreet = models.BooleanField(default=False)
    low_bandwidth = models.BooleanField(default=False)
    large_text = models.BooleanField(default=False)
    paper_pack = models.BooleanField(default=False)
    updated_at = models.DateTimeField()
    from_check = models.ForeignKey(ReadinessCheck, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    def __str__(self) -> str:
        return f"modes of {self.client_id}"

    @property
    def classes(self) -> str:
        """The body classes of the modes turned on (``modes.css`` styles them)."""
        names = ("discreet", "low_bandwidth", "large_text")
        return " ".join(f"mode-{name.replace('_', '-')}" for name in names if getattr(self, name))


class ImportSource(models.TextChoices):
    DAYLIO = "daylio", "Daylio"
    EMOODS = "emoods", "eMoods"


class ImportedEntry(models.Model):
    """A mood entry brought in from another app's CSV export: kept apart from check-ins made in Alongside.

    ``key`` is the hash of the exported row, unique per client and app, so re-importing the same export adds nothing.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("care.ClientProfile", on_delete=models.CASCADE, related_name="imported_entries")
    source = models.CharField(max_length=20, choices=ImportSource.choices)
    key = models.CharField(max_length=64)
    day = models.DateField()
    time = models.CharField(max_length=20, blank=True)
    mood = EncryptedTextField(key_field="client_id")  # the app's own label or scores, as exported
    details = EncryptedJSONField(key_field="client_id", blank=True)  # activities, sleep, ... as exported
    note = EncryptedTextField(key_field="client_id", blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["client", "-day", "-time"]
        indexes = [models.Index(fields=["client", "day"], name="applibrary_imported_day")]
        constraints = [
            models.UniqueConstraint(fields=["client", "source", "key"], name="applibrary_imported_once"),
            models.CheckConstraint(condition=Q(source__in=ImportSource.values), name="applibrary_imported_source"),
        ]

    def __str__(self) -> str:
        return f"imported entry {self.pk}"

"""Between-session self-care records: check-ins, exercises, practice logs, reading, homework, topics.

Free text and structured exercise content are encrypted under the client's data key;
numbers that charts and adherence need (mood, ratings, dates) stay queryable.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.care.models import ClientProfile
from alongside.crypto.fields import EncryptedJSONField, EncryptedTextField


class SelfcareAuditAction(models.TextChoices):
    """Audit events of this app, written to the shared chain (``detail`` holds ids and labels only)."""

    CHECKIN_CREATED = "selfcare.checkin_created", _("Mood check-in saved")
    ENTRY_SAVED = "selfcare.entry_saved", _("Exercise saved")
    PRACTICE_LOGGED = "selfcare.practice_logged", _("Practice logged")
    MODULE_READ = "selfcare.module_read", _("Reading marked as read")
    ASSIGNMENT_SET = "selfcare.assignment_set", _("Homework assigned")
    ASSIGNMENT_ENDED = "selfcare.assignment_ended", _("Homework ended")
    TASK_COMPLETED = "selfcare.task_completed", _("Homework marked as done")
    TOPIC_RAISED = "selfcare.topic_raised", _("Topic for next session added")
    TOPIC_ADDRESSED = "selfcare.topic_addressed", _("Topic for next session marked as discussed")
    SELFCARE_VIEWED = "selfcare.viewed", _("Viewed self-care records")


class CheckIn(models.Model):
    """A mood check-in: mood 0-10, optional emotions, sleep, activities and a note."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="checkins")
    at = models.DateTimeField(default=timezone.now)
    local_date = models.DateField(help_text=_("The day in the client's time zone."))
    mood = models.PositiveSmallIntegerField()
    sleep_quality = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("0 (very poor) to 10."))
    sleep_hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    emotions = EncryptedJSONField(key_field="client_id", blank=True, help_text=_("[{name, intensity 0-10}]"))
    activities = EncryptedJSONField(key_field="client_id", blank=True, help_text=_("[activity code]"))
    note = EncryptedTextField(key_field="client_id", blank=True)
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["client", "local_date"])]
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="selfcare_checkin_idempotent"),
            models.CheckConstraint(condition=Q(mood__gte=0, mood__lte=10), name="selfcare_checkin_mood_0_10"),
            models.CheckConstraint(
                condition=Q(sleep_quality__isnull=True) | Q(sleep_quality__lte=10), name="selfcare_checkin_sleep_0_10"
            ),
            models.CheckConstraint(
                condition=Q(sleep_hours__isnull=True) | Q(sleep_hours__gte=0, sleep_hours__lte=24),
                name="selfcare_checkin_sleep_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk}"


class ExerciseType(models.TextChoices):
    THOUGHT_RECORD = "thought_record", _("Thought record")
    BEHAVIOURAL_ACTIVATION = "behavioural_activation", _("Activity planning")
    EXPOSURE_HIERARCHY = "exposure_hierarchy", _("Exposure ladder")
    PROBLEM_SOLVING = "problem_solving", _("Problem solving")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETE = "complete", _("Complete")


class ExerciseEntry(models.Model):
    """One CBT exercise. ``data`` is validated by the pydantic schema of its type on every write."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="exercise_entries")
    kind = models.CharField(max_length=32, choices=ExerciseType.choices)
    status = models.CharField(max_length=16, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    data = EncryptedJSONField(key_field="client_id")
    assignment = models.ForeignKey(
        "Assignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["client", "kind", "created_at"]),
            # Homework adherence reads the entries completed in a few weeks: a seek, whatever the history.
            models.Index(fields=["client", "kind", "completed_at"], name="selfcare_entry_completed"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="selfcare_entry_idempotent"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(completed_at__isnull=False), name="selfcare_entry_complete_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class PracticeKind(models.TextChoices):
    EXPOSURE = "exposure", _("Exposure practice")
    ACTIVITY = "activity", _("Planned activity")
    BREATHING_BOX = "breathing_box", _("Box breathing")
    BREATHING_478 = "breathing_478", _("4-7-8 breathing")
    BREATHING_SLOW = "breathing_slow", _("Slow breathing")
    MUSCLE_RELAXATION = "muscle_relaxation", _("Progressive muscle relaxation")
    GROUNDING = "grounding", _("5-4-3-2-1 grounding")


class PracticeLog(models.Model):
    """One practice: an exposure (SUDS before, peak, after), an activity, or a relaxation tool (before/after)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="practice_logs")
    kind = models.CharField(max_length=32, choices=PracticeKind.choices)
    entry = models.ForeignKey(
        ExerciseEntry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="practice_logs",
        help_text=_("The exposure ladder or activity plan this practice belongs to."),
    )
    step_id = models.CharField(max_length=64, blank=True, help_text=_("The ladder step or planned activity id."))
    at = models.DateTimeField(default=timezone.now)
    rating_before = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_peak = models.PositiveSmallIntegerField(null=True, blank=True)
    rating_after = models.PositiveSmallIntegerField(null=True, blank=True)
    done = models.BooleanField(default=True)
    mastery = models.PositiveSmallIntegerField(null=True, blank=True)
    pleasure = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    note = EncryptedTextField(key_field="client_id", blank=True)
    assignment = models.ForeignKey(
        "Assignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="practice_logs"
    )
    idempotency_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["client", "kind", "at"])]
        constraints = [
            models.UniqueConstraint(fields=["client", "idempotency_key"], name="selfcare_practice_idempotent"),
            models.CheckConstraint(
                condition=(Q(rating_before__isnull=True) | Q(rating_before__lte=100))
                & (Q(rating_peak__isnull=True) | Q(rating_peak__lte=100))
                & (Q(rating_after__isnull=True) | Q(rating_after__lte=100)),
                name="selfcare_practice_ratings_0_100",
            ),
            models.CheckConstraint(
                condition=(Q(mastery__isnull=True) | Q(mastery__lte=10))
                & (Q(pleasure__isnull=True) | Q(pleasure__lte=10)),
                name="selfcare_practice_mastery_pleasure_0_10",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} practice {self.pk}"


class ModuleRead(models.Model):
    """A client marked a psychoeducation module as read (modules are content files, see selfcare/content)."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="module_reads")
    module = models.SlugField(max_length=64)
    read_at = models.DateTimeField(default=timezone.now)
    assignment = models.ForeignKey(
        "Assignment", on_delete=models.SET_NULL, null=True, blank=True, related_name="module_reads"
    )

    class Meta:
        ordering = ["-read_at"]
        indexes = [models.Index(fields=["client", "module"])]

    def __str__(self) -> str:
        return f"{self.module} read by {self.client_id}"


class AssignmentKind(models.TextChoices):
    EXERCISE = "exercise", _("Exercise")
    TOOL = "tool", _("Relaxation tool")
    MODULE = "module", _("Reading")
    MEASURE = "measure", _("Questionnaire")


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    DAILY = "daily", _("Every day")
    PER_WEEK = "per_week", _("Some days a week")


class Assignment(models.Model):
    """Homework set by a clinician. Edits end this row and start a new one (``supersedes``): history stays."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="assignments")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=AssignmentKind.choices)
    target = models.CharField(
        max_length=64, help_text=_("Exercise type, practice kind, module slug or instrument code.")
    )
    instructions = EncryptedTextField(key_field="client_id", blank=True)
    frequency = models.CharField(max_length=16, choices=Frequency.choices, default=Frequency.ONCE)
    times_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    starts_on = models.DateField()
    due_on = models.DateField(null=True, blank=True, help_text=_("For a one-off task."))
    ends_on = models.DateField(null=True, blank=True, help_text=_("For a repeating task."))
    ended_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "ended_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(frequency="per_week") | Q(times_per_week__gte=1, times_per_week__lte=7),
                name="selfcare_assignment_times_per_week",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="selfcare_assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.target} for {self.client_id}"


class TaskStatus(models.TextChoices):
    DUE = "due", _("Due")
    COMPLETED = "completed", _("Done")
    EXPIRED = "expired", _("Missed")


class HomeworkTask(models.Model):
    """One expected piece of homework (a day, or a week's slot), with its delivery telemetry.

    Adherence is completed tasks over expected tasks, computed from these rows.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="tasks")
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="homework_tasks")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=TaskStatus.choices, default=TaskStatus.DUE)
    scheduled_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivery_channel = models.CharField(max_length=16, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    completion_type = models.CharField(max_length=32, blank=True, help_text=_("What completed it (model label)."))
    completion_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["client", "status", "due_on"]),
            # The caseload reads each client's last four weeks of tasks: a seek, whatever the history.
            models.Index(fields=["client", "due_on"], name="selfcare_task_client_due"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "due_on"], name="selfcare_task_once_per_day"),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False), name="selfcare_task_completed_time"
            ),
        ]

    def __str__(self) -> str:
        return f"task {self.assignment_id} on {self.due_on}"


class SessionTopic(models.Model):
    """Something the client wants to talk about next session: a line of text, or a flagged entry."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="session_topics")
    text = EncryptedTextField(key_field="client_id", blank=True)
    source_type = models.CharField(max_length=32, blank=True, help_text=_("e.g. selfcare.checkin"))
    source_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    addressed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(text="") | ~Q(source_id=""), name="selfcare_topic_has_content"),
        ]

    def __str__(self) -> str:
        return f"topic {self.pk}"

"""Clinical records: progress notes (signed, then only addenda), psychotherapy notes, treatment plans.

Progress notes belong to the client's record and are read by the care team. Psychotherapy notes are the
separate category of the US HIPAA Privacy Rule (45 CFR 164.501): their author's own, kept out of every
export, the API, FHIR and the session brief. Every text is sealed under the client's data key.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.crypto.fields import EncryptedJSONField, EncryptedTextField
from alongside.sessions.models import Appointment

__all__ = [
    "Disclosure",
    "DisclosureStatus",
    "NoteAddendum",
    "NoteStatus",
    "NoteTemplate",
    "PlanReview",
    "PracticeNoteTemplate",
    "ProgressNote",
    "PsychotherapyNote",
    "RecordsAuditAction",
    "Suitability",
    "TreatmentPlan",
]


class RecordsAuditAction(models.TextChoices):
    """Audit events of this app (``detail`` holds ids and labels only, never note text)."""

    NOTE_STARTED = "records.note_started", _("Started a progress note")
    NOTE_DRAFT_SAVED = "records.note_draft_saved", _("Saved a progress note draft")
    NOTE_SIGNED = "records.note_signed", _("Signed a progress note")
    NOTE_VIEWED = "records.note_viewed", _("Viewed a progress note")
    NOTES_LISTED = "records.notes_listed", _("Viewed the list of progress notes")
    NOTE_EXPORTED = "records.note_exported", _("Exported a progress note as PDF")
    NOTE_EDIT_REFUSED = "records.note_edit_refused", _("Tried to change a signed progress note")
    ADDENDUM_ADDED = "records.addendum_added", _("Added an addendum to a signed progress note")
    PRIVATE_NOTE_SAVED = "records.private_note_saved", _("Saved a psychotherapy note")
    PRIVATE_NOTE_VIEWED = "records.private_note_viewed", _("Viewed a psychotherapy note")
    DISCLOSURE_REQUESTED = "records.disclosure_requested", _("Asked the client to authorise a disclosure")
    DISCLOSURE_AUTHORISED = "records.disclosure_authorised", _("Answered a request to disclose a psychotherapy note")
    DISCLOSURE_MADE = "records.disclosure_made", _("Disclosed a psychotherapy note with the client's authorisation")
    DISCLOSURES_VIEWED = "records.disclosures_viewed", _("Viewed the disclosure register")
    PLAN_SAVED = "records.plan_saved", _("Saved a treatment plan version")
    PLAN_VIEWED = "records.plan_viewed", _("Viewed a treatment plan")
    PLAN_REVIEWED = "records.plan_reviewed", _("Reviewed a treatment plan")
    TEMPLATE_SAVED = "records.template_saved", _("Saved a practice note template")
    TEMPLATE_RETIRED = "records.template_retired", _("Retired a practice note template")


class NoteTemplate(models.TextChoices):
    SOAP = "soap", _("SOAP (subjective, objective, assessment, plan)")
    DAP = "dap", _("DAP (data, assessment, plan)")
    BIRP = "birp", _("BIRP (behaviour, intervention, response, plan)")
    PRACTICE = "practice", _("A template of the practice")


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class ProgressNote(models.Model):
    """The progress note of one appointment: sections of its template, a draft until its author signs it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("care.ClientProfile", on_delete=models.CASCADE, related_name="progress_notes")
    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="progress_note")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    template = models.CharField(max_length=8, choices=NoteTemplate.choices)
    sections = EncryptedJSONField(key_field="client_id")  # {section code: text}
    # A practice template's sections as they were when the note was started ([{code, heading, prompt}]), so
    # the note keeps them when the template changes or retires; empty for SOAP, DAP and BIRP.
    headings = models.JSONField(default=list, blank=True)
    practice_template = models.ForeignKey(
        "records.PracticeNoteTemplate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["client", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(template__in=NoteTemplate.values), name="records_note_template_valid"),
            models.CheckConstraint(
                condition=(Q(status=NoteStatus.SIGNED) & Q(signed_at__isnull=False))
                | (Q(status=NoteStatus.DRAFT) & Q(signed_at__isnull=True)),
                name="records_note_signed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"progress note {self.pk}"

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED

    @property
    def template_label(self) -> str:
        """The template's name: SOAP, DAP or BIRP, or the practice template's current name."""
        if self.template == NoteTemplate.PRACTICE and self.practice_template is not None:
            return self.practice_template.name
        return str(self.get_template_display())


class PracticeNoteTemplate(models.Model):
    """A progress-note template a practice admin defined: a name and up to 12 headings, each with a prompt.

    Holds no client data. Editing it changes the notes started afterwards only: a note copies the headings.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey("care.Practice", on_delete=models.CASCADE, related_name="note_templates")
    name = models.CharField(max_length=80)
    sections = models.JSONField(default=list)  # [{"heading": ..., "prompt": ...}], in order
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["practice", "name"]

    def __str__(self) -> str:
        return f"note template {self.pk}"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class NoteAddendum(models.Model):
    """A dated, signed addition to a signed note (the only way a signed note changes)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    note = models.ForeignKey(ProgressNote, on_delete=models.CASCADE, related_name="addenda")
    client = models.ForeignKey("care.ClientProfile", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    text = EncryptedTextField(key_field="client_id")

    class Meta:
        ordering = ["note", "signed_at"]

    def __str__(self) -> str:
        return f"addendum {self.pk}"


class PsychotherapyNote(models.Model):
    """A clinician's own psychotherapy note (HIPAA 45 CFR 164.501): readable by its author alone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("care.ClientProfile", on_delete=models.CASCADE, related_name="psychotherapy_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    text = EncryptedTextField(key_field="client_id")

    class Meta:
        ordering = ["client", "-created_at"]

    def __str__(self) -> str:
        return f"psychotherapy note {self.pk}"


class DisclosureStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the client's signature")
    AUTHORISED = "authorised", _("Authorised by the client")
    REFUSED = "refused", _("Refused by the client")
    DISCLOSED = "disclosed", _("Disclosed")


class Disclosure(models.Model):
    """One disclosure of a psychotherapy note: the client's specific authorisation (45 CFR 164.508(a)(2)), then
    the disclosure itself. The rows are the disclosure register the client reads; the note's text is not in it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("care.ClientProfile", on_delete=models.CASCADE, related_name="disclosures")
    note = models.ForeignKey(PsychotherapyNote, on_delete=models.CASCADE, related_name="disclosures")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    recipient = EncryptedTextField(key_field="client_id")
    purpose = EncryptedTextField(key_field="client_id")
    status = models.CharField(max_length=12, choices=DisclosureStatus.choices, default=DisclosureStatus.REQUESTED)
    signature = EncryptedTextField(key_field="client_id", blank=True)  # the name the client typed to sign
    answered_at = models.DateTimeField(null=True, blank=True)
    disclosed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["client", "-requested_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DisclosureStatus.values), name="records_disclosure_status"),
            models.CheckConstraint(
                condition=Q(status=DisclosureStatus.REQUESTED) | Q(answered_at__isnull=False),
                name="records_disclosure_answered_has_time",
            ),
            models.CheckConstraint(
                condition=Q(disclosed_at__isnull=True) | Q(status=DisclosureStatus.DISCLOSED),
                name="records_disclosure_only_when_disclosed",
            ),
        ]

    def __str__(self) -> str:
        return f"disclosure {self.pk}"


class TreatmentPlan(models.Model):
    """One version of a client's treatment plan; a change saves the next version and earlier ones stay.

    ``content`` (sealed) holds problems, goals, objectives (each may name an instrument and a target score)
    and interventions; see :mod:`alongside.records.plans`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey("care.ClientProfile", on_delete=models.CASCADE, related_name="treatment_plans")
    version = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_on = models.DateField()
    content = EncryptedJSONField(key_field="client_id")

    class Meta:
        ordering = ["client", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["client", "version"], name="records_plan_one_per_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="records_plan_version_positive"),
        ]

    def __str__(self) -> str:
        return f"treatment plan {self.pk} v{self.version}"


class Suitability(models.TextChoices):
    """What the clinician found when revisiting digital readiness and suitability at a plan review (#18)."""

    UNCHANGED = "unchanged", _("Still suits the client: no change")
    NEW_CHECK = "new_check", _("Things have changed: a new readiness check is needed")


class PlanReview(models.Model):
    """A dated review of a treatment plan version, with suitability for digital tools revisited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="reviews")
    client = models.ForeignKey("care.ClientProfile", on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    next_review_on = models.DateField()
    suitability = models.CharField(max_length=12, choices=Suitability.choices)
    # The readiness check shown at the review (None: the client had none yet).
    readiness_check = models.ForeignKey(
        "applibrary.ReadinessCheck", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = EncryptedTextField(key_field="client_id", blank=True)

    class Meta:
        ordering = ["client", "-reviewed_at"]
        constraints = [
            models.CheckConstraint(condition=Q(suitability__in=Suitability.values), name="records_review_suitability"),
        ]

    def __str__(self) -> str:
        return f"plan review {self.pk}"
